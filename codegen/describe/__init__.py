"""A feature description -> what it declares and the queries it must serve.

A description is a schema in any language schemasense reads (SQL DDL, Prisma models, a TypeORM
entity, a Sequelize model) plus an optional queries section (`docs/feature.md`). This package is
pure: `text.py` tells the format and splits off the queries, `merge.py` merges what the
description declares into a project's schema, `adapt.py` gives its new tables the project's
ORM names. Reading the schema part goes through the sources (`server/workflows/describe.py`).
"""

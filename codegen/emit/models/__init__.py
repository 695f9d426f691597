"""A model of the schema written for an ORM: Prisma models, TypeORM entities, Sequelize models.

Each ORM is one module here that reads only the schema model (`codegen.schema`) and a
`codegen.emit.style.CodeStyle`, and gives `GeneratedFile`s; `server/workflows/generate_model.py`
picks the tables and writes the files (all or none), for the CLI and the editor alike.
"""

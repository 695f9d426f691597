"""Prisma's validation pipeline: runs on a resolved schema that has no errors yet.

One module per family; `validate` runs them in Prisma's order and they only append findings.
"""

from __future__ import annotations

from schemasense.server.readers.prisma.database import Database
from schemasense.server.readers.prisma.validations import fields, models, relations


def validate(db: Database) -> None:
    models.validate(db)
    fields.validate(db)
    relations.validate(db)

"""Test skeletons for a schema: per model, a test of every constraint the database holds.

`test_files(schema, TestTarget(flavour, ...))` gives the files; `regions.merge` keeps what a
person added to a generated file when it is generated again.
"""

from .files import TestTarget, package_json, plans, test_files
from .orm import prisma_flavour, sequelize_flavour, typeorm_flavour

__all__ = [
    "TestTarget",
    "package_json",
    "plans",
    "prisma_flavour",
    "sequelize_flavour",
    "test_files",
    "typeorm_flavour",
]

"""DB311: an enum, or an enum value, on one side only."""

from __future__ import annotations

from schemasense.server.drift.report import LocatedDrift
from schemasense.server.rules.drift.base import MIGRATE_HELP, Described, DriftRule


class EnumDrift(DriftRule):
    """## What it does
    Reports an enum of `schema.prisma` that the migrations do not create (`CREATE TYPE ... AS
    ENUM` on PostgreSQL), an enum type the migrations create that the schema does not declare,
    and a value that one side has and the other has not. Values are compared by their database
    name (`@map`); their order is not compared, as Prisma does not. It is shown on the enum or
    the value, and on the statement that created or last altered the type.

    ## Why is this bad?
    Writing a value the database type does not have fails
    (`invalid input value for enum "Role": "AUDITOR"`); reading a value the schema does not
    have makes the Prisma Client throw (`Value 'GUEST' not found in enum 'Role'`). A value
    cannot be removed from a PostgreSQL enum in place, so Prisma's migration recreates the
    type.

    ## Example
    ```prisma
    enum Role {
      USER
      ADMIN
      AUDITOR
    }
    ```
    while the migrations say `CREATE TYPE "Role" AS ENUM ('USER', 'ADMIN')`.

    ## Use instead
    ```sql
    ALTER TYPE "Role" ADD VALUE 'AUDITOR';
    ```

    ## Fix safety
    There is no automatic fix.
    """

    code = "DB311"

    def describe(self, item: LocatedDrift) -> Described:
        d = item.drift
        enum = f"`{item.model}`" if item.model else f'"{d.table}"'
        if d.kind == "enum_value":
            if d.left is not None:
                return Described(
                    f"Value `{d.name}` of enum {enum} is not in the migrations' enum type",
                    f'This statement drops value "{d.name}" of enum {enum}, which schema.prisma '
                    "still declares",
                    MIGRATE_HELP,
                )
            return Described(
                f"The migrations give enum {enum} the value '{d.name}', which schema.prisma "
                "does not declare",
                f"Value '{d.name}' of enum {enum} is not declared in schema.prisma",
                "add the value to the enum, or remove it from the type in a new migration",
            )
        if d.left is not None:
            return Described(
                f"Enum {enum} is not created by any migration",
                f"This statement drops enum type {enum}, which schema.prisma still declares",
                MIGRATE_HELP,
            )
        return Described(
            f'The migrations create enum type "{d.table}", which this schema does not declare',
            f'Enum type "{d.table}" is not declared in schema.prisma',
            "declare the enum, or drop the type in a new migration",
        )

"""DB305: a column whose type in the migrations is not the one the schema declares."""

from __future__ import annotations

from schemasense.server.drift.report import LocatedDrift
from schemasense.server.rules.drift.base import MIGRATE_HELP, Described, DriftRule, field_phrase


class ColumnTypeDrift(DriftRule):
    """## What it does
    Reports a field whose column the migrations build with another database type than the one
    Prisma derives from the schema (`String @db.VarChar(255)` is `character varying(255)`,
    `DateTime` is `timestamp(3) without time zone`, a list is an array). Types are compared as
    the database itself prints them. It is shown on the field and on the statement that last
    set the column's type.

    ## Why is this bad?
    The Prisma Client sends and reads values for the declared type. A narrower column rejects
    them (`value too long for type character varying(50)`), a different kind fails or converts
    silently (a `timestamp with time zone` read as local time), and the next
    `prisma migrate dev` generates an `ALTER COLUMN ... TYPE` that may rewrite the table
    under a lock.

    ## Example
    ```prisma
    model User {
      id    Int    @id
      email String @db.VarChar(255)
    }
    ```
    while the migrations say `"email" TEXT NOT NULL`.

    ## Use instead
    ```sql
    ALTER TABLE "User" ALTER COLUMN "email" SET DATA TYPE VARCHAR(255);
    ```
    or declare `email String` (TEXT) in the schema.

    ## Fix safety
    There is no automatic fix.
    """

    code = "DB305"

    def describe(self, item: LocatedDrift) -> Described:
        d = item.drift
        what = field_phrase(item)
        if d.what == "name":
            return Described(
                f'{what} is spelled "{d.left}" in schema.prisma and "{d.right}" in the migrations',
                f'The migrations spell this column "{d.right}"; schema.prisma says "{d.left}"',
                "use one spelling in both",
            )
        label = {"type": "type", "kind": "kind of type", "array": "list (array)"}.get(
            d.what, d.what
        )
        return Described(
            f"{what} has {label} `{d.left}` in schema.prisma but `{d.right}` in the migrations",
            f"The migrations give this column {label} `{d.right}`; schema.prisma ({what}) says "
            f"`{d.left}`",
            MIGRATE_HELP,
        )

"""DB304: a column the migrations create that its model does not declare."""

from __future__ import annotations

from schemasense.server.drift.report import LocatedDrift
from schemasense.server.rules.drift.base import Described, DriftRule, model_phrase


class ColumnMissingFromSchema(DriftRule):
    """## What it does
    Reports a column that the project's migrations add to a table (and do not drop) but that
    the table's model does not declare as a field. It is shown on the model, and on the
    statement that creates the column.

    ## Why is this bad?
    The next `prisma migrate dev` generates a migration that drops the column and its data. If
    the column is `NOT NULL` without a default, every insert through the Prisma Client fails
    meanwhile, since the client never sends it. Usually a field was removed from the schema
    without a migration, or a migration added the column by hand.

    ## Example
    ```sql
    ALTER TABLE "User" ADD COLUMN "legacyId" INTEGER NOT NULL;
    ```
    with no `legacyId` field in `model User`.

    ## Use instead
    ```prisma
    model User {
      id       Int @id @default(autoincrement())
      legacyId Int
    }
    ```
    or drop the column in a new migration.

    ## Fix safety
    There is no automatic fix.
    """

    code = "DB304"

    def describe(self, item: LocatedDrift) -> Described:
        d = item.drift
        model = model_phrase(item)
        return Described(
            f'The migrations create column "{d.name}" on "{d.table}", which {model} does not '
            "declare",
            f'Column "{d.name}" is not declared in {model} of schema.prisma',
            "add the field to the model, or drop the column in a new migration; otherwise the "
            "next `prisma migrate dev` drops it",
        )

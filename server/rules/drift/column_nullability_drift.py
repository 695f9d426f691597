"""DB306: a column that is NOT NULL on one side and nullable on the other."""

from __future__ import annotations

from schemasense.server.drift.report import LocatedDrift
from schemasense.server.rules.drift.base import MIGRATE_HELP, Described, DriftRule, field_phrase


class ColumnNullabilityDrift(DriftRule):
    """## What it does
    Reports a field that is optional (`String?`) in `schema.prisma` while its column is
    `NOT NULL` in the migrations, or required while the column accepts NULL. It is shown on
    the field and on the statement that last set the column's nullability.

    ## Why is this bad?
    An optional field over a `NOT NULL` column makes every create or update that leaves it
    out fail (`Null constraint violation`). A required field over a nullable column types its
    value as never null, and the first row that has one breaks the code that trusted the type
    (`Inconsistent query result: Field ... is required to return data, got null`).

    ## Example
    ```prisma
    model User {
      id   Int     @id
      name String?
    }
    ```
    while the migrations say `"name" TEXT NOT NULL`.

    ## Use instead
    ```sql
    ALTER TABLE "User" ALTER COLUMN "name" DROP NOT NULL;
    ```

    ## Fix safety
    There is no automatic fix.
    """

    code = "DB306"

    def describe(self, item: LocatedDrift) -> Described:
        d = item.drift
        what = field_phrase(item)
        declared = "optional" if d.left == "yes" else "required"
        migrated = "nullable" if d.right == "yes" else "NOT NULL"
        return Described(
            f"{what} is {declared} in schema.prisma, but the migrations make the column {migrated}",
            f"The migrations make this column {migrated}; schema.prisma declares {what} {declared}",
            MIGRATE_HELP,
        )

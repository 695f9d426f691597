"""DB303: a field whose column no migration creates."""

from __future__ import annotations

from schemasense.server.drift.report import LocatedDrift
from schemasense.server.rules.drift.base import MIGRATE_HELP, Described, DriftRule, field_phrase


class ColumnMissingFromMigrations(DriftRule):
    """## What it does
    Reports a scalar field of `schema.prisma` whose column the project's migrations never add
    to its table (or add and later drop). It is shown on the field, and on the migration
    statement that dropped the column, if one did.

    ## Why is this bad?
    The Prisma Client selects every scalar field by default, so once deployed every query on
    the model fails (`P2022: The column does not exist`), not only the ones that use the new
    field. It means the field was added without running `prisma migrate dev`.

    ## Example
    ```prisma
    model User {
      id       Int     @id @default(autoincrement())
      email    String  @unique
      nickname String?
    }
    ```
    where no migration adds `"nickname"`.

    ## Use instead
    ```sql
    -- prisma/migrations/20240101000000_user_nickname/migration.sql
    ALTER TABLE "User" ADD COLUMN "nickname" TEXT;
    ```

    ## Fix safety
    There is no automatic fix: `prisma migrate dev --create-only` writes the migration.
    """

    code = "DB303"

    def describe(self, item: LocatedDrift) -> Described:
        what = field_phrase(item)
        return Described(
            f"{what} is not created by any migration",
            f"This statement drops {what}, which schema.prisma still declares",
            MIGRATE_HELP,
        )

"""DB307: a column whose default (or auto-increment) differs from the schema's."""

from __future__ import annotations

from schemasense.server.drift.report import LocatedDrift
from schemasense.server.rules.drift.base import MIGRATE_HELP, Described, DriftRule, field_phrase


class ColumnDefaultDrift(DriftRule):
    """## What it does
    Reports a field whose database default is not the one the migrations give its column:
    `@default("x")`, `@default(now())`, `@default(dbgenerated("..."))`, an enum value or a
    list, against the column's `DEFAULT`; and `@default(autoincrement())` against a column
    with no sequence (or the reverse). Defaults the client computes (`uuid()`, `cuid()`) have
    no database default. It is shown on the field and on the statement that last set the
    column's default.

    ## Why is this bad?
    Rows written outside the Prisma Client (SQL, another service, a backfill) get the
    database's default, not the schema's. A missing sequence makes every create that relies
    on `autoincrement()` fail with a null id. And the next `prisma migrate dev` generates the
    `ALTER COLUMN ... SET DEFAULT` anyway.

    ## Example
    ```prisma
    model Post {
      id     Int    @id @default(autoincrement())
      status String @default("draft")
    }
    ```
    while the migrations say `"status" TEXT NOT NULL DEFAULT 'new'`.

    ## Use instead
    ```sql
    ALTER TABLE "Post" ALTER COLUMN "status" SET DEFAULT 'draft';
    ```

    ## Fix safety
    There is no automatic fix.
    """

    code = "DB307"

    def describe(self, item: LocatedDrift) -> Described:
        d = item.drift
        what = field_phrase(item)
        if d.what == "auto-increment":
            declared = "auto-increments" if d.left == "yes" else "does not auto-increment"
            migrated = "does" if d.right == "yes" else "does not"
            return Described(
                f"{what} {declared} in schema.prisma, but in the migrations its column {migrated}",
                f"In the migrations this column {migrated} auto-increment; schema.prisma "
                f"({what}) says it {declared}",
                MIGRATE_HELP,
            )
        return Described(
            f"{what} has the default `{d.left}` in schema.prisma but `{d.right}` in the migrations",
            f"The migrations give this column the default `{d.right}`; schema.prisma ({what}) "
            f"says `{d.left}`",
            MIGRATE_HELP,
        )

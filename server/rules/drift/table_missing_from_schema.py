"""DB302: a table (or view) the migrations create that no model declares."""

from __future__ import annotations

from schemasense.server.drift.report import LocatedDrift
from schemasense.server.rules.drift.base import Described, DriftRule


class TableMissingFromSchema(DriftRule):
    """## What it does
    Reports a table or view that the project's migrations create (and do not drop) but that
    no model or view of `schema.prisma` declares. It is shown on the statement that creates it,
    and on the datasource block of the schema (the database it lands in).

    ## Why is this bad?
    The next `prisma migrate dev` sees a table the schema does not have and generates a
    migration that drops it, with its data. Until then the Prisma Client cannot read it. Either
    the model was deleted without a migration, or the table was added by hand in a migration
    and the model was never written.

    ## Example
    ```sql
    -- prisma/migrations/20240101000000_legacy/migration.sql
    CREATE TABLE "LegacyImport" ("id" SERIAL PRIMARY KEY, "payload" JSONB);
    ```
    with no `model LegacyImport` in schema.prisma.

    ## Use instead
    ```prisma
    model LegacyImport {
      id      Int   @id @default(autoincrement())
      payload Json?
    }
    ```
    (`prisma db pull` writes the model from a database), or drop the table in a new migration.

    ## Fix safety
    There is no automatic fix.
    """

    code = "DB302"

    def describe(self, item: LocatedDrift) -> Described:
        d = item.drift
        return Described(
            f'The migrations create table "{d.table}", which no model in this schema declares',
            f'Table "{d.table}" is not declared in schema.prisma',
            "add a model for it (`prisma db pull` writes one), or drop it in a new migration; "
            "otherwise the next `prisma migrate dev` drops it",
        )

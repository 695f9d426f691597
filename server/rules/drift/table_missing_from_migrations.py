"""DB301: a model, view or implicit many-to-many table that no migration creates."""

from __future__ import annotations

from schemasense.server.drift.report import LocatedDrift
from schemasense.server.rules.drift.base import MIGRATE_HELP, Described, DriftRule, model_phrase


class TableMissingFromMigrations(DriftRule):
    """## What it does
    Reports a model (or a view, or the implicit table of a many-to-many relation) of
    `schema.prisma` whose table the project's migrations never create, or create as the other
    kind (a table where the schema declares a view, or the reverse). It is shown on the model,
    and on the migration statement that dropped the table, if one did.

    ## Why is this bad?
    The Prisma Client is generated from the schema, not from the migrations: it queries the
    table whether or not it exists. A database built by `prisma migrate deploy` then lacks
    it, and the first query fails in production (`P2021: The table does not exist`). It
    usually means the schema was edited and `prisma migrate dev` was not run, or a migration
    was deleted. Prisma writes no SQL for views: a view must be created in a migration by hand.

    ## Example
    ```prisma
    model AuditLog {
      id        Int      @id @default(autoincrement())
      createdAt DateTime @default(now())
    }
    ```
    with no migration that runs `CREATE TABLE "AuditLog"`.

    ## Use instead
    Create the migration, and commit it with the schema change:
    ```sql
    -- prisma/migrations/20240101000000_audit_log/migration.sql
    CREATE TABLE "AuditLog" (
        "id" SERIAL NOT NULL,
        "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

        CONSTRAINT "AuditLog_pkey" PRIMARY KEY ("id")
    );
    ```

    ## Fix safety
    There is no automatic fix: `prisma migrate dev --create-only` writes the migration.
    """

    code = "DB301"

    def describe(self, item: LocatedDrift) -> Described:
        d = item.drift
        what = model_phrase(item)
        if d.what == "kind":
            return Described(
                f"{what} is a {d.left} in schema.prisma, but the migrations create a {d.right}",
                f'The migrations create "{d.table}" as a {d.right}; schema.prisma declares a '
                f"{d.left} ({what})",
                f"declare it as a {d.right} in schema.prisma, or replace the {d.right} with a "
                f"{d.left} in a migration",
            )
        if item.model is None and d.table.split(".")[-1].startswith("_"):
            what = f'the many-to-many table "{d.table}" of this relation'
        if item.view:
            return Described(
                f"View `{item.model}` is not created by any migration",
                f'This statement drops view "{d.table}", which schema.prisma still declares',
                "Prisma writes no SQL for views: write its `CREATE VIEW` in a migration",
            )
        return Described(
            f"{what[0].upper()}{what[1:]} is not created by any migration",
            f'This statement drops "{d.table}", which schema.prisma still declares ({what})',
            MIGRATE_HELP,
        )

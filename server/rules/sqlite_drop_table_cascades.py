"""DB240: SQLite DROP TABLE of a referenced table while foreign keys are enforced."""

from __future__ import annotations

from collections.abc import Iterator

from schemasense.server.findings import Finding
from schemasense.server.readers.migrations import ops
from schemasense.server.rules.context import Statement
from schemasense.server.rules.migration_rule import MigrationRule, MigrationState, table_key
from schemasense.server.rules.registry import Status


def referencing(state: MigrationState, table: str) -> list[str]:
    schema = state.migration.migrated
    if schema is None:
        return []
    return sorted(
        {t.name for t in schema.tables for fk in t.foreign_keys if fk.referenced_table == table}
        - {table}
    )


def foreign_keys_relaxed(state: MigrationState) -> bool:
    """`PRAGMA defer_foreign_keys=ON`, or `foreign_keys=OFF` where it takes effect (outside a
    transaction: SQLite ignores it inside one)."""
    if state.pragmas.get("defer_foreign_keys") in ("on", "1", "true", "yes"):
        return True
    off = state.pragmas.get("foreign_keys") in ("off", "0", "false", "no")
    return off and not state.in_transaction


class SqliteDropTableCascades(MigrationRule):
    """## What it does
    Flags `DROP TABLE` on SQLite of a table that other tables reference, when the migration
    has not deferred foreign keys (`PRAGMA defer_foreign_keys=ON`) or turned them off
    outside a transaction. This is the middle of a table redefinition (create `new_T`, copy,
    drop `T`, rename), SQLite's only way to change most of a table.

    ## Why is this bad?
    With foreign keys enforced, SQLite's `DROP TABLE` first deletes every row, and each
    delete runs the referencing keys' `ON DELETE` actions: `CASCADE` silently empties the
    child tables, `SET NULL` nulls their keys, and `RESTRICT` makes the migration fail.
    `PRAGMA foreign_keys=OFF` does nothing inside a transaction (which is where most runners
    put a migration); `PRAGMA defer_foreign_keys=ON` works there, checking the keys only at
    commit, after the new table has been renamed into place.

    ## Example
    ```sql
    PRAGMA foreign_keys=OFF;
    CREATE TABLE "new_User" ("id" TEXT NOT NULL PRIMARY KEY, "email" TEXT NOT NULL);
    INSERT INTO "new_User" ("id", "email") SELECT "id", "email" FROM "User";
    DROP TABLE "User";
    ALTER TABLE "new_User" RENAME TO "User";
    PRAGMA foreign_keys=ON;
    ```

    ## Use instead
    ```sql
    PRAGMA defer_foreign_keys=ON;
    PRAGMA foreign_keys=OFF;
    CREATE TABLE "new_User" ("id" TEXT NOT NULL PRIMARY KEY, "email" TEXT NOT NULL);
    INSERT INTO "new_User" ("id", "email") SELECT "id", "email" FROM "User";
    DROP TABLE "User";
    ALTER TABLE "new_User" RENAME TO "User";
    PRAGMA foreign_keys=ON;
    PRAGMA defer_foreign_keys=OFF;
    ```

    (what Prisma writes since version 5).

    ## Fix safety
    There is no automatic fix yet.
    """

    code = "DB240"
    watches = (ops.DropObjects,)
    severity = "error"
    status = Status.stable("0.1.0")
    dialects = ("sqlite",)

    def check_statement(self, stmt: Statement, state: MigrationState) -> Iterator[Finding]:
        for op in stmt.ops:
            if not isinstance(op, ops.DropObjects) or op.kind != "table":
                continue
            for name in op.names:
                table = table_key(name)
                children = referencing(state, table)
                if not children or foreign_keys_relaxed(state):
                    continue
                shown = ", ".join(f'"{c}"' for c in children[:3])
                yield self.finding(
                    f'Dropping "{table}" with foreign keys enforced deletes its rows first: the '
                    f"ON DELETE actions of {shown} run (CASCADE empties them)",
                    stmt.span,
                    help="PRAGMA defer_foreign_keys=ON before the table redefinition",
                )

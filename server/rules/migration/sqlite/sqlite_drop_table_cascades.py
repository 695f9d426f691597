"""DB240: SQLite DROP TABLE of a referenced table while foreign keys are enforced."""

from __future__ import annotations

from collections.abc import Iterator

from schemasense.codegen.ddl import statements as ops
from schemasense.server.findings import Finding
from schemasense.server.lint.migration_rule import MigrationRule, MigrationState, table_key
from schemasense.server.lint.registry import Status
from schemasense.server.migrations.model import StatementRecord

_ACTIONS = {
    "Cascade": "ON DELETE CASCADE deletes their rows",
    "SetNull": "ON DELETE SET NULL clears their keys",
    "SetDefault": "ON DELETE SET DEFAULT resets their keys",
    "Restrict": "ON DELETE RESTRICT makes the DROP fail",
}
"""The referential actions SQLite runs during DROP TABLE's implicit DELETE even with
`defer_foreign_keys` on: deferring postpones the check of NO ACTION keys only."""

_CHECKED_AT_ONCE = "its NO ACTION key makes the DROP fail while rows reference it"
_ON = ("on", "1", "true", "yes")


def referencing(state: MigrationState, table: str) -> list[tuple[str, str]]:
    """(child table, its ON DELETE action) for each foreign key of another table that
    references `table`, in the schema the migrations build."""
    schema = state.migration.migrated
    if schema is None:
        return []
    return sorted(
        {
            (t.name, fk.on_delete)
            for t in schema.tables
            for fk in t.foreign_keys
            if fk.referenced_table == table and t.name != table
        }
    )


def foreign_keys_off(state: MigrationState) -> bool:
    """`PRAGMA foreign_keys=OFF` ran where it takes effect: outside a transaction (SQLite
    ignores it inside one)."""
    off = state.pragmas.get("foreign_keys") in ("off", "0", "false", "no")
    return off and not state.in_transaction


def foreign_keys_deferred(state: MigrationState) -> bool:
    """`PRAGMA defer_foreign_keys=ON` ran: checks wait for the commit (actions do not)."""
    return state.pragmas.get("defer_foreign_keys") in _ON


class SqliteDropTableCascades(MigrationRule):
    """## What it does
    Flags `DROP TABLE` on SQLite of a table that other tables reference while foreign keys
    are enforced (inside a transaction, where `PRAGMA foreign_keys=OFF` does nothing, or in a
    migration that never turns them off). With `PRAGMA defer_foreign_keys=ON`, only the
    referencing keys whose `ON DELETE` action still runs are reported (`CASCADE`, `SET NULL`,
    `SET DEFAULT`, `RESTRICT`). This is the middle of a table redefinition (create `new_T`,
    copy, drop `T`, rename), SQLite's only way to change most of a table.

    ## Why is this bad?
    With foreign keys enforced, SQLite's `DROP TABLE` first deletes every row, and each
    delete runs the referencing keys' `ON DELETE` actions: `CASCADE` silently empties the
    child tables, `SET NULL` clears their keys, and `RESTRICT` makes the migration fail.
    `PRAGMA defer_foreign_keys=ON` does not prevent any of that: it postpones the *check* of
    plain (`NO ACTION`) keys to the commit, by which time the new table is renamed into place,
    but actions run at once (SQLite's foreign key documentation, and Cloudflare's D1 docs say
    the same; prisma/orm#24540 is the data loss it causes on D1). Only `PRAGMA
    foreign_keys=OFF` outside any transaction turns them off.

    Prisma's own `migrate deploy` on SQLite runs each statement on its own (no transaction),
    so the `PRAGMA foreign_keys=OFF` it writes works and this rule stays quiet; a runner that
    wraps each file in a transaction (Cloudflare's `wrangler d1 migrations apply`, most
    migration libraries) is where it matters: say so with `transaction = "per-file"` in
    `[migrations]`.

    ## Example
    ```sql
    -- run inside a transaction; "Share"."userId" references "User" ON DELETE CASCADE
    PRAGMA defer_foreign_keys=ON;
    PRAGMA foreign_keys=OFF;
    CREATE TABLE "new_User" ("id" TEXT NOT NULL PRIMARY KEY, "email" TEXT NOT NULL);
    INSERT INTO "new_User" ("id", "email") SELECT "id", "email" FROM "User";
    DROP TABLE "User";
    ALTER TABLE "new_User" RENAME TO "User";
    PRAGMA foreign_keys=ON;
    PRAGMA defer_foreign_keys=OFF;
    ```

    ## Use instead
    Run the redefinition outside a transaction, where `PRAGMA foreign_keys=OFF` takes effect,
    and check the keys before turning them back on:
    ```sql
    -- outside any transaction (Prisma's own `migrate deploy` runs SQLite files this way)
    PRAGMA foreign_keys=OFF;
    CREATE TABLE "new_User" ("id" TEXT NOT NULL PRIMARY KEY, "email" TEXT NOT NULL);
    INSERT INTO "new_User" ("id", "email") SELECT "id", "email" FROM "User";
    DROP TABLE "User";
    ALTER TABLE "new_User" RENAME TO "User";
    PRAGMA foreign_key_check;
    PRAGMA foreign_keys=ON;
    ```
    or change the table with `ALTER TABLE` where SQLite can (DB242 offers that rewrite when it
    applies). Where neither is possible, copy the child rows aside and restore them after the
    swap.

    ## Fix safety
    There is no automatic fix.
    """

    code = "DB240"
    watches = (ops.DropTable,)
    severity = "error"
    status = Status.stable("0.1.0")
    dialects = ("sqlite",)

    def check_statement(self, stmt: StatementRecord, state: MigrationState) -> Iterator[Finding]:
        for op in stmt.ops:
            if not isinstance(op, ops.DropTable):
                continue
            if foreign_keys_off(state):
                continue
            deferred = foreign_keys_deferred(state)
            for name in (op.qname,):
                table = table_key(name)
                children = referencing(state, table)
                if deferred:
                    children = [c for c in children if c[1] in _ACTIONS]
                if not children:
                    continue
                shown = ", ".join(
                    f'"{child}" ({_ACTIONS.get(action, _CHECKED_AT_ONCE)})'
                    for child, action in children[:3]
                )
                why = (
                    "defer_foreign_keys postpones checks, not actions"
                    if deferred
                    else "foreign keys are enforced"
                )
                yield self.finding(
                    f'Dropping "{table}" deletes its rows first and {why}: {shown}',
                    stmt.span,
                    help="run the redefinition outside a transaction, after PRAGMA "
                    "foreign_keys=OFF, or use ALTER TABLE where SQLite can",
                )

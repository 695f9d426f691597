"""DB241: SQLite PRAGMA foreign_keys inside a transaction, where it does nothing."""

from __future__ import annotations

import re
from collections.abc import Iterator

from schemasense.server.findings import Finding
from schemasense.server.lint.migration_rule import MigrationRule, MigrationState
from schemasense.server.lint.registry import Status
from schemasense.server.migrations.model import StatementRecord
from schemasense.server.rules.migration.sqlite.sqlite_drop_table_cascades import (
    foreign_keys_deferred,
)

_PRAGMA = re.compile(r"^\s*PRAGMA\s+foreign_keys\s*=\s*(OFF|0|false|no)\b", re.I)


class SqliteForeignKeysPragmaInTransaction(MigrationRule):
    """## What it does
    Flags `PRAGMA foreign_keys=OFF` in a SQLite migration that runs inside a transaction
    (the runner's, or an explicit `BEGIN`) when `PRAGMA defer_foreign_keys=ON` does not
    come first.

    ## Why is this bad?
    SQLite ignores `PRAGMA foreign_keys` inside a transaction, silently. The migration reads
    as if foreign keys were off, but they are enforced: table redefinitions then cascade
    deletes (DB240) or fail on `RESTRICT`. `PRAGMA defer_foreign_keys=ON` (which does work
    inside a transaction) saves plain keys, whose check waits for the commit; `ON DELETE`
    actions still run, and DB240 reports the drops where they do.

    Prisma's own `migrate deploy` runs a SQLite migration without a transaction, so this
    rule is quiet on Prisma projects unless `[migrations] transaction = "per-file"` says
    another runner (Cloudflare D1's, say) wraps each file.

    ## Example
    ```sql
    PRAGMA foreign_keys=OFF;
    DROP TABLE "Share";
    ```

    ## Use instead
    ```sql
    PRAGMA defer_foreign_keys=ON;
    PRAGMA foreign_keys=OFF;
    DROP TABLE "Share";
    ```

    ## Fix safety
    There is no automatic fix yet.
    """

    code = "DB241"
    severity = "warning"
    status = Status.stable("0.1.0")
    dialects = ("sqlite",)

    def check_statement(self, stmt: StatementRecord, state: MigrationState) -> Iterator[Finding]:
        if not _PRAGMA.match(stmt.text) or not state.in_transaction:
            return
        if foreign_keys_deferred(state):
            return
        yield self.finding(
            "PRAGMA foreign_keys=OFF does nothing inside a transaction: foreign keys stay enforced",
            stmt.span,
            help="PRAGMA defer_foreign_keys=ON first (it works inside a transaction, for keys "
            "without ON DELETE actions), or run the file outside a transaction",
        )

"""DB225: CLUSTER or VACUUM FULL in a migration."""

from __future__ import annotations

import re
from collections.abc import Iterator

from schemasense.server.findings import Finding
from schemasense.server.lint.migration_rule import MigrationRule, MigrationState
from schemasense.server.lint.registry import Status
from schemasense.server.migrations.model import StatementRecord


class TableRewriteCommand(MigrationRule):
    """## What it does
    Flags `CLUSTER` and `VACUUM FULL` in a migration.

    ## Why is this bad?
    Both rewrite the whole table and all its indexes under an ACCESS EXCLUSIVE lock: no
    read or write of the table goes through until they finish, which on a large table is a
    long outage. `pg_repack` (or `pg_squeeze`) does the same compaction online, holding the
    lock only at the end.

    ## Example
    ```sql
    VACUUM FULL "Booking";
    ```

    ## Use instead
    ```sql
    -- not in a migration: run pg_repack against the table instead
    ```

    ## Fix safety
    There is no automatic fix.
    """

    code = "DB225"
    severity = "warning"
    status = Status.stable("0.1.0")

    def check_statement(self, stmt: StatementRecord, state: MigrationState) -> Iterator[Finding]:
        full_vacuum = stmt.kind == "vacuum" and re.search(r"\bFULL\b", stmt.text, re.I)
        if stmt.kind == "cluster" or full_vacuum:
            what = "CLUSTER" if stmt.kind == "cluster" else "VACUUM FULL"
            yield self.finding(
                f"{what} rewrites the table under an ACCESS EXCLUSIVE lock: no read or write "
                f"goes through until it ends",
                stmt.span,
                help="use pg_repack (online) outside migrations",
            )

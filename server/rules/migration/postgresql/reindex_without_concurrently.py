"""DB224: REINDEX without CONCURRENTLY."""

from __future__ import annotations

import re
from collections.abc import Iterator

from schemasense.server.findings import Finding
from schemasense.server.lint.migration_rule import MigrationRule, MigrationState
from schemasense.server.lint.registry import Status
from schemasense.server.migrations.model import StatementRecord


class ReindexWithoutConcurrently(MigrationRule):
    """## What it does
    Flags `REINDEX` without `CONCURRENTLY` on PostgreSQL 12 or later (or an unknown
    version).

    ## Why is this bad?
    `REINDEX` takes a SHARE lock on the table (writes wait) and an ACCESS EXCLUSIVE lock on
    each index it rebuilds (every query that would use the index waits) for the whole
    rebuild. `REINDEX ... CONCURRENTLY` builds the new index beside the old one and swaps
    them with only brief locks. It cannot run in a transaction.

    ## Example
    ```sql
    REINDEX INDEX "Booking_startTime_idx";
    ```

    ## Use instead
    ```sql
    -- a migration of its own
    REINDEX INDEX CONCURRENTLY "Booking_startTime_idx";
    ```

    ## Fix safety
    There is no automatic fix yet; see DB201 for the one-statement-migration pattern.
    """

    code = "DB224"
    severity = "warning"
    status = Status.stable("0.1.0")

    def check_statement(self, stmt: StatementRecord, state: MigrationState) -> Iterator[Finding]:
        if stmt.kind != "reindex" or not state.ctx.version_at_least(12):
            return
        if re.search(r"\bCONCURRENTLY\b", stmt.text, re.I):
            return
        yield self.finding(
            "REINDEX without CONCURRENTLY blocks writes to the table and every query that uses "
            "the index until the rebuild ends",
            stmt.span,
            help="REINDEX ... CONCURRENTLY, in a migration of its own",
        )

"""DB223: DETACH PARTITION without CONCURRENTLY."""

from __future__ import annotations

import re
from collections.abc import Iterator

from schemasense.codegen.ddl import statements as ops
from schemasense.codegen.ddl.lock_facts import fact_for
from schemasense.server.findings import Finding
from schemasense.server.lint.migration_rule import MigrationRule, MigrationState, table_key
from schemasense.server.lint.registry import Status
from schemasense.server.migrations.model import StatementRecord


class DetachPartitionWithoutConcurrently(MigrationRule):
    """## What it does
    Flags `ALTER TABLE ... DETACH PARTITION` without `CONCURRENTLY` on PostgreSQL 14 or
    later (or an unknown version).

    ## Why is this bad?
    A plain detach takes an ACCESS EXCLUSIVE lock on the partitioned table: every read and
    write of *every* partition waits. `DETACH PARTITION ... CONCURRENTLY` (PostgreSQL 14+)
    takes a SHARE UPDATE EXCLUSIVE lock and lets queries go on; it cannot run in a
    transaction, so with Prisma it needs a migration of its own.

    ## Example
    ```sql
    ALTER TABLE "Event" DETACH PARTITION "Event_2023";
    ```

    ## Use instead
    ```sql
    -- a migration of its own
    ALTER TABLE "Event" DETACH PARTITION "Event_2023" CONCURRENTLY;
    ```

    ## Fix safety
    There is no automatic fix yet; see DB201 for the one-statement-migration pattern.
    """

    code = "DB223"
    watches = (ops.IgnoredAction,)
    severity = "warning"
    status = Status.stable("0.1.0")

    def check_statement(self, stmt: StatementRecord, state: MigrationState) -> Iterator[Finding]:
        if not state.ctx.version_at_least(14):
            return
        for op, action in self.actions(stmt):
            if isinstance(action, ops.IgnoredAction) and action.what == "AT_DetachPartition":
                if re.search(r"\bCONCURRENTLY\b", stmt.text, re.I):
                    continue
                yield self.finding(
                    f"Detaching a partition "
                    f"{fact_for(action, state.server).describe(table_key(op.qname))}"
                    f" (every partition)",
                    stmt.span,
                    help="DETACH PARTITION ... CONCURRENTLY, in a migration of its own",
                )

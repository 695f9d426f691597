"""DB208: a primary key (or serial key column) added to an existing table."""

from __future__ import annotations

from collections.abc import Iterator

from schemasense.codegen.ddl import statements as ops
from schemasense.codegen.ddl.lock_facts import fact_for
from schemasense.codegen.dialects import postgresql_locks as locks
from schemasense.server.findings import Finding
from schemasense.server.lint.migration_rule import MigrationRule, MigrationState, table_key
from schemasense.server.lint.registry import Status
from schemasense.server.migrations.model import StatementRecord


class AddPrimaryKeyToExistingTable(MigrationRule):
    """## What it does
    Flags `ADD PRIMARY KEY` (without `USING INDEX`) and `ADD COLUMN ... serial PRIMARY KEY`
    on a table that existed before this migration.

    ## Why is this bad?
    The key's unique index is built while an ACCESS EXCLUSIVE lock blocks every read and
    write, and its columns are set NOT NULL, which scans the table under the same lock; a
    `serial` column also rewrites the table to fill in the sequence. Building the index
    `CONCURRENTLY` first and attaching it with `ADD CONSTRAINT ... PRIMARY KEY USING INDEX`
    keeps the lock short (make the columns NOT NULL first, see DB204).

    ## Example
    ```sql
    ALTER TABLE "Setting" ADD CONSTRAINT "Setting_pkey" PRIMARY KEY ("key");
    ```

    ## Use instead
    ```sql
    -- a migration of its own (no transaction)
    CREATE UNIQUE INDEX CONCURRENTLY "Setting_pkey" ON "Setting"("key");

    -- the next migration
    ALTER TABLE "Setting" ADD CONSTRAINT "Setting_pkey" PRIMARY KEY USING INDEX "Setting_pkey";
    ```

    ## Fix safety
    There is no automatic fix: the NOT NULL step (DB204) must come first, and a serial key
    needs a backfill.
    """

    code = "DB208"
    watches = (ops.AddConstraint, ops.AddColumn)
    severity = "warning"
    status = Status.stable("0.1.0")

    def check_statement(self, stmt: StatementRecord, state: MigrationState) -> Iterator[Finding]:
        for op, action in self.actions(stmt):
            if state.is_new(op.qname):
                continue
            table = table_key(op.qname)
            if isinstance(action, ops.AddConstraint):
                c = action.constraint
                if c.kind == "primary_key" and not c.using_index:
                    yield self.finding(
                        f"Adding primary key `{c.name or '?'}` "
                        f"{fact_for(action, state.server).describe(table)} to build its index",
                        self.sub_span(stmt, action.span),
                        help="CREATE UNIQUE INDEX CONCURRENTLY, then ADD CONSTRAINT ... "
                        "PRIMARY KEY USING INDEX",
                    )
            elif isinstance(action, ops.AddColumn):
                col = action.column
                if any(c.kind == "primary_key" for c in col.constraints):
                    yield self.finding(
                        f'Adding key column "{col.name}" '
                        f"{locks.ADD_COLUMN_REWRITE.describe(table)}",
                        self.sub_span(stmt, action.span or col.span),
                        help="add and fill the column first, then build the key's index "
                        "CONCURRENTLY and attach it with USING INDEX",
                    )

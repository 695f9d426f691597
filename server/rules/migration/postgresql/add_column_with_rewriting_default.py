"""DB206: ADD COLUMN whose default makes PostgreSQL rewrite the table."""

from __future__ import annotations

from collections.abc import Iterator

from schemasense.codegen.ddl import statements as ops
from schemasense.codegen.ddl.lock_facts import fact_for
from schemasense.codegen.dialects import postgresql_locks as locks
from schemasense.server.findings import Finding
from schemasense.server.lint.migration_rule import MigrationRule, MigrationState, table_key
from schemasense.server.lint.registry import Status
from schemasense.server.migrations.model import StatementRecord


class AddColumnWithRewritingDefault(MigrationRule):
    """## What it does
    Flags `ALTER TABLE ... ADD COLUMN` on an existing table when the new column makes
    PostgreSQL rewrite the table: a volatile default (`random()`, `gen_random_uuid()`,
    `clock_timestamp()`, a sequence from `serial`), a stored generated column or an identity
    column on any version, and any non-NULL default before PostgreSQL 11 (set
    `database-version` in schemasense.toml; unknown means 11 or later).

    ## Why is this bad?
    Since PostgreSQL 11 a constant or stable default (`0`, `'draft'`, `now()`) is stored
    once in the catalog and `ADD COLUMN` is instant. A value that differs per row has to be
    written into every row: the table is rewritten, with all its indexes, under an ACCESS
    EXCLUSIVE lock that blocks every read and write until it is done.

    ## Example
    ```sql
    ALTER TABLE "Booking" ADD COLUMN "uid" TEXT NOT NULL DEFAULT gen_random_uuid()::text;
    ```

    ## Use instead
    ```sql
    ALTER TABLE "Booking" ADD COLUMN "uid" TEXT;
    ALTER TABLE "Booking" ALTER COLUMN "uid" SET DEFAULT gen_random_uuid()::text;
    -- backfill old rows in batches (a script or later migrations), then SET NOT NULL (DB204)
    ```

    With Prisma, `@default(uuid())` is filled in by Prisma Client and never reaches the
    database, so the column needs no database default at all.

    ## Fix safety
    There is no automatic fix: the backfill has to be batched by the application or a job.
    """

    code = "DB206"
    watches = (ops.AddColumn,)
    severity = "warning"
    status = Status.stable("0.1.0")

    def check_statement(self, stmt: StatementRecord, state: MigrationState) -> Iterator[Finding]:
        for op, action in self.actions(stmt):
            if not isinstance(action, ops.AddColumn) or state.is_new(op.qname):
                continue
            col = action.column
            why = locks.add_column_rewrite(col, state.ctx.version_at_least(11))
            if why is None:
                continue
            table = table_key(op.qname)
            yield self.finding(
                f'Adding "{col.name}" with {why} {fact_for(action, state.server).describe(table)}',
                self.sub_span(stmt, action.span or col.span),
                help="add the column without it, set the default, and backfill in batches",
            )

"""DB209: ALTER COLUMN ... TYPE on an existing table."""

from __future__ import annotations

from collections.abc import Iterator

from schemasense.server.findings import Finding
from schemasense.server.readers.migrations import ops
from schemasense.server.rules import locks
from schemasense.server.rules.context import Statement
from schemasense.server.rules.migration_rule import MigrationRule, MigrationState, table_key
from schemasense.server.rules.registry import Status

_NO_REWRITE_TARGETS = ("text", "character varying", "varchar")


class ChangeColumnType(MigrationRule):
    """## What it does
    Flags `ALTER TABLE ... ALTER COLUMN ... TYPE` on a table that existed before this
    migration, except changes to `text` or an unbounded `varchar` (which PostgreSQL does in
    place from `varchar(n)`).

    ## Why is this bad?
    Most type changes rewrite the table and rebuild every index on it while holding an
    ACCESS EXCLUSIVE lock: no read and no write goes through until it is done, and the old
    application code may not understand the new type. Only binary-coercible changes
    (`varchar(n)` to a longer `varchar` or `text`, `numeric(p,s)` to a wider precision,
    `timestamp` to `timestamptz` on PostgreSQL 12+ with a UTC session) skip the rewrite.

    ## Example
    ```sql
    ALTER TABLE "Payment" ALTER COLUMN "amount" SET DATA TYPE BIGINT;
    ```

    ## Use instead
    Expand, backfill, contract, across deploys:
    ```sql
    -- 1. expand: a new column; the app writes both (or a trigger copies)
    ALTER TABLE "Payment" ADD COLUMN "amount_new" BIGINT;
    -- 2. backfill in batches, outside the migration
    UPDATE "Payment" SET "amount_new" = "amount" WHERE id BETWEEN 1 AND 10000;
    -- 3. contract, once reads use the new column
    ALTER TABLE "Payment" DROP COLUMN "amount";
    ALTER TABLE "Payment" RENAME COLUMN "amount_new" TO "amount";
    ```

    ## Fix safety
    There is no automatic fix: the plan spans several deploys and application changes.
    """

    code = "DB209"
    severity = "warning"
    status = Status.stable("0.1.0")

    def check_statement(self, stmt: Statement, state: MigrationState) -> Iterator[Finding]:
        for op, action in self.actions(stmt):
            if not isinstance(action, ops.AlterColumnType) or state.is_new(op.table):
                continue
            native = action.type.native.lower()
            if native in _NO_REWRITE_TARGETS and action.using is None:
                continue
            table = table_key(op.table)
            yield self.finding(
                f'Changing the type of "{action.name}" to {action.type.native} '
                f"{locks.ALTER_TYPE_REWRITE.describe(table)} (unless the change is "
                f"binary-coercible)",
                self.sub_span(stmt, action.span),
                help="expand (new column), backfill in batches, contract (drop the old one)",
            )

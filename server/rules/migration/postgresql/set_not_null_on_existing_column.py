"""DB204: SET NOT NULL on an existing column, checked under an ACCESS EXCLUSIVE lock."""

from __future__ import annotations

from collections.abc import Iterator

from schemasense.codegen.ddl import safe
from schemasense.codegen.ddl import statements as ops
from schemasense.codegen.ddl.lock_facts import fact_for
from schemasense.codegen.emit.sql.base import render_file, render_statements
from schemasense.server.findings import Finding, Fix
from schemasense.server.lint import migration_fixes as mf
from schemasense.server.lint.migration_rule import (
    MigrationRule,
    MigrationState,
    single_action,
    table_key,
)
from schemasense.server.lint.registry import Status
from schemasense.server.migrations.model import StatementRecord


class SetNotNullOnExistingColumn(MigrationRule):
    """## What it does
    Flags `ALTER TABLE ... ALTER COLUMN ... SET NOT NULL` on a table that existed before this
    migration. Prisma writes it when an optional field becomes required.

    ## Why is this bad?
    `SET NOT NULL` takes an ACCESS EXCLUSIVE lock, blocking every read and write of the
    table, and scans the whole table to prove there is no NULL. Since PostgreSQL 12 the scan
    is skipped when a valid `CHECK (col IS NOT NULL)` constraint already proves it, and such a
    check can be added `NOT VALID` (a moment's lock) and validated without blocking reads or
    writes.

    ## Example
    ```sql
    ALTER TABLE "User" ALTER COLUMN "email" SET NOT NULL;
    ```

    ## Use instead
    ```sql
    -- this migration
    ALTER TABLE "User" ADD CONSTRAINT "User_email_not_null" CHECK ("email" IS NOT NULL) NOT VALID;

    -- the next migration
    ALTER TABLE "User" VALIDATE CONSTRAINT "User_email_not_null";
    ALTER TABLE "User" ALTER COLUMN "email" SET NOT NULL;
    ALTER TABLE "User" DROP CONSTRAINT "User_email_not_null";
    ```

    ## Fix safety
    For Prisma migrations on PostgreSQL 12 or later (or an unknown version) the fix writes
    the four steps: the check `NOT VALID` in place of the statement, and a migration right
    after this one that validates it, sets NOT NULL (no scan: the check proves it) and
    drops the check. It is safe: the column ends up NOT NULL as before; if a NULL exists the
    second migration fails, as the original statement would have.
    """

    code = "DB204"
    watches = (ops.SetNotNull,)
    severity = "warning"
    fix = "sometimes"
    status = Status.stable("0.1.0")

    def check_statement(self, stmt: StatementRecord, state: MigrationState) -> Iterator[Finding]:
        for op, action in self.actions(stmt):
            if not isinstance(action, ops.SetNotNull):
                continue
            if state.is_new(op.qname):
                continue
            table = table_key(op.qname)
            fact = fact_for(action, state.server)
            yield self.finding(
                f'Setting "{action.name}" NOT NULL {fact.describe(table)}',
                self.sub_span(stmt, action.span),
                help="add CHECK (col IS NOT NULL) NOT VALID, VALIDATE it in the next migration, "
                "then SET NOT NULL (no scan) and drop the check",
                fix=self._fix(stmt, state, op.qname, action.name),
            )

    def _fix(self, stmt: StatementRecord, state: MigrationState, table: ops.QName, column: str):
        if single_action(stmt) is None or not state.ctx.version_at_least(12):
            return None
        path = mf.later_migration(state, f"{table[1]}_{column}_set_not_null")
        if path is None:
            return None
        now, later = safe.not_null_through_check(table[1], column, table[0])
        (first,) = render_statements([now], state.dialect)
        return Fix(
            "Prove NOT NULL with a check first (validated in the next migration)",
            (
                mf.replace_statement(stmt, first),
                mf.new_file(path, render_file(later, state.dialect)),
            ),
        )

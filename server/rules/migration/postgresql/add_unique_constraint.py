"""DB205: ADD UNIQUE on an existing table, built under an ACCESS EXCLUSIVE lock."""

from __future__ import annotations

from collections.abc import Iterator

from schemasense.codegen.ddl import safe
from schemasense.codegen.ddl import statements as ops
from schemasense.codegen.ddl.lock_facts import fact_for
from schemasense.codegen.emit.sql.base import render_file
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


class AddUniqueConstraint(MigrationRule):
    """## What it does
    Flags `ALTER TABLE ... ADD CONSTRAINT ... UNIQUE (...)` on a table that existed before
    this migration (one that does not reuse an index with `USING INDEX`).

    ## Why is this bad?
    The constraint builds its unique index while holding an ACCESS EXCLUSIVE lock: no read
    and no write of the table goes through until the whole table has been read and sorted.
    Build the index with `CREATE UNIQUE INDEX CONCURRENTLY` instead (it allows reads and
    writes), then attach it as the constraint with `ADD CONSTRAINT ... UNIQUE USING INDEX`,
    which takes the lock only for a moment.

    ## Example
    ```sql
    ALTER TABLE "User" ADD CONSTRAINT "User_email_key" UNIQUE ("email");
    ```

    ## Use instead
    ```sql
    -- a migration of its own (no transaction)
    CREATE UNIQUE INDEX CONCURRENTLY "User_email_key" ON "User"("email");

    -- the next migration
    ALTER TABLE "User" ADD CONSTRAINT "User_email_key" UNIQUE USING INDEX "User_email_key";
    ```

    ## Fix safety
    For Prisma migrations the fix removes the statement and writes the two migrations right
    after this one. It is safe: the constraint has the same name and columns (the index is
    renamed to it); if duplicates exist the index build fails, as the original would have,
    leaving an INVALID index to drop before retrying.
    """

    code = "DB205"
    watches = (ops.AddConstraint,)
    severity = "warning"
    fix = "sometimes"
    status = Status.stable("0.1.0")

    def check_statement(self, stmt: StatementRecord, state: MigrationState) -> Iterator[Finding]:
        for op, action in self.actions(stmt):
            if not isinstance(action, ops.AddConstraint):
                continue
            c = action.constraint
            if c.kind != "unique" or c.using_index or state.is_new(op.qname):
                continue
            table = table_key(op.qname)
            yield self.finding(
                f"Adding unique constraint `{c.name or '?'}` "
                f"{fact_for(action, state.server).describe(table)} to build its index",
                self.sub_span(stmt, action.span),
                help="CREATE UNIQUE INDEX CONCURRENTLY in a migration of its own, then ADD "
                "CONSTRAINT ... UNIQUE USING INDEX in the next",
                fix=self._fix(stmt, state, op.qname, c),
            )

    def _fix(self, stmt: StatementRecord, state: MigrationState, table: ops.QName, c) -> Fix | None:
        if single_action(stmt) is None or not c.name or any(p.column is None for p in c.columns):
            return None
        build = mf.later_migration(state, f"{c.name}_concurrently", seconds=1)
        attach = mf.later_migration(state, f"{c.name}_attach", seconds=2)
        if build is None or attach is None:
            return None
        columns = tuple(p.column for p in c.columns)
        index, constraint = safe.unique_through_index(table[1], c.name, columns, table[0])
        return Fix(
            "Build the unique index CONCURRENTLY, then attach it as the constraint",
            (
                mf.remove_statement(stmt, state.file),
                mf.new_file(build, render_file([index], state.dialect)),
                mf.new_file(attach, render_file([constraint], state.dialect)),
            ),
        )

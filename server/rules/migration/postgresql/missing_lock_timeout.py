"""DB222: a migration that waits for locks on busy tables without a lock_timeout."""

from __future__ import annotations

from collections.abc import Iterator

from schemasense.codegen.ddl import safe
from schemasense.codegen.ddl import statements as ops
from schemasense.codegen.emit.sql.base import render_file
from schemasense.codegen.schema import Span
from schemasense.server.findings import Finding, Fix, TextEdit
from schemasense.server.lint.migration_rule import MigrationRule, MigrationState, table_key
from schemasense.server.lint.registry import Status
from schemasense.server.migrations.model import StatementRecord

_LOCKING_KINDS = ("truncate", "cluster", "reindex")


def locked_table(stmt: StatementRecord, state: MigrationState) -> str | None:
    """The existing table a statement locks in a mode that blocks queries, if any."""
    for op in stmt.ops:
        if isinstance(op, ops.AlterTable):
            blocking = any(not isinstance(a, ops.ValidateConstraint) for a in op.changes)
            if blocking and not state.is_new(op.qname):
                return table_key(op.qname)
        elif isinstance(op, ops.CreateIndex):
            if not op.concurrently and not state.is_new(op.qname):
                return table_key(op.qname)
        elif isinstance(op, ops.DropTable | ops.DropIndex):
            name = op.qname if isinstance(op, ops.DropTable) else (op.schema, op.name or "")
            if "CONCURRENTLY" not in stmt.text.upper() and not state.is_new(name):
                return table_key(name)
        elif isinstance(op, ops.RenameTable) and not state.is_new(op.qname):
            return table_key(op.qname)
    if stmt.kind in _LOCKING_KINDS:
        return "a table"
    return None


class MissingLockTimeout(MigrationRule):
    """## What it does
    Flags a migration that takes a lock blocking queries on a table that already existed
    (ALTER TABLE, CREATE INDEX without CONCURRENTLY, DROP, RENAME, TRUNCATE) without setting
    `lock_timeout` first. Files that only touch tables they create are not flagged.

    ## Why is this bad?
    A DDL statement first has to *get* its lock, and waits behind any running transaction on
    the table, however long. While it waits, every new query on the table queues behind it:
    a migration stuck behind one slow report takes the whole table, and often the
    application, down. With `lock_timeout` the migration gives up after a few seconds
    instead, and can be retried.

    ## Example
    ```sql
    ALTER TABLE "Booking" ADD COLUMN "note" TEXT;
    ```

    ## Use instead
    ```sql
    SET LOCAL lock_timeout = '5s';
    ALTER TABLE "Booking" ADD COLUMN "note" TEXT;
    ```

    (`SET LOCAL` lasts until the runner's transaction ends; a runner without a transaction
    needs `SET lock_timeout`.)

    ## Fix safety
    The fix adds the `SET` as the file's first line. It is safe: the migration fails
    (and rolls back) instead of waiting, and can simply be run again.
    """

    code = "DB222"
    severity = "info"
    fix = "always"
    status = Status.stable("0.1.0")

    def check_statement(self, stmt: StatementRecord, state: MigrationState) -> Iterator[Finding]:
        # once per file: the first statement that waits for a lock with no lock_timeout set
        if self.code in state.reported or state.lock_timeout:
            return
        table = locked_table(stmt, state)
        if table is None:
            return
        state.reported.add(self.code)
        yield self.finding(
            f'This migration waits for a lock on "{table}" with no lock_timeout: while it '
            f"waits, every query on the table queues behind it",
            stmt.span,
            help="SET LOCAL lock_timeout = '5s' at the top of the migration",
            fix=self._fix(stmt, state),
        )

    @staticmethod
    def _fix(stmt: StatementRecord, state: MigrationState) -> Fix:
        local = state.migration.transaction == "per-file" or state.explicit_transaction
        setting = render_file([safe.lock_timeout(local=local)], state.dialect)
        at = Span(file=stmt.file, start=0, end=0)
        return Fix("Set a lock_timeout first", (TextEdit(at, setting),))

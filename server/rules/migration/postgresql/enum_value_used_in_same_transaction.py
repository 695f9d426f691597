"""DB221: a new enum value used (or added) where PostgreSQL does not allow it yet."""

from __future__ import annotations

import re
from collections.abc import Iterator

from schemasense.codegen.ddl import statements as ops
from schemasense.server.findings import Finding, Fix
from schemasense.server.lint import migration_fixes as mf
from schemasense.server.lint.migration_rule import MigrationRule, MigrationState, table_key
from schemasense.server.lint.registry import Status
from schemasense.server.migrations.model import StatementRecord


class EnumValueUsedInSameTransaction(MigrationRule):
    """## What it does
    Flags `ALTER TYPE ... ADD VALUE` inside a transaction on PostgreSQL before 12 (where it
    is refused), and, on every version, a statement later in the same transaction that uses
    the new value (`SET DEFAULT 'NEW'`, `UPDATE ... = 'NEW'`, `INSERT ... 'NEW'`). Prisma
    writes exactly that when a field's `@default` moves to a value added in the same
    migration.

    ## Why is this bad?
    PostgreSQL 12+ lets `ADD VALUE` run in a transaction but keeps the value unusable until
    the transaction commits: the statement that uses it fails with "unsafe use of new value
    of enum type", and the whole migration with it. Before 12, `ADD VALUE` itself fails
    inside a transaction block.

    ## Example
    ```sql
    ALTER TYPE "Status" ADD VALUE 'ARCHIVED';
    ALTER TABLE "Post" ALTER COLUMN "status" SET DEFAULT 'ARCHIVED';
    ```

    ## Use instead
    ```sql
    -- this migration
    ALTER TYPE "Status" ADD VALUE 'ARCHIVED';

    -- the next migration
    ALTER TABLE "Post" ALTER COLUMN "status" SET DEFAULT 'ARCHIVED';
    ```

    ## Fix safety
    For Prisma migrations the fix moves the statement that uses the value into a new
    migration right after this one. It is safe: it runs once the value is committed.
    """

    code = "DB221"
    watches = (ops.AlterEnumAddValue,)
    severity = "error"
    fix = "sometimes"
    status = Status.stable("0.1.0")

    def check_statement(self, stmt: StatementRecord, state: MigrationState) -> Iterator[Finding]:
        for op in stmt.ops:
            if not isinstance(op, ops.AlterEnumAddValue):
                continue
            if not state.in_transaction:
                continue
            if not state.ctx.version_at_least(12, unknown=True):
                yield self.finding(
                    f"ALTER TYPE ... ADD VALUE '{op.value}' cannot run inside a transaction "
                    f"block before PostgreSQL 12",
                    stmt.span,
                    help="put it alone in a migration of its own",
                )
                continue
            literal = re.compile(r"'" + re.escape(op.value.replace("'", "''")) + r"'")
            for later in state.file.statements[stmt.index + 1 :]:
                if later.kind == "transaction" or not literal.search(later.text):
                    continue
                yield self.finding(
                    f"'{op.value}' was added to enum \"{table_key(op.name)}\" in this "
                    f"transaction and cannot be used before it commits (unsafe use of new value)",
                    later.span,
                    help="move this statement to the next migration",
                    fix=self._fix(later, state),
                )

    @staticmethod
    def _fix(later: StatementRecord, state: MigrationState) -> Fix | None:
        path = mf.later_migration(state, "use_new_enum_value")
        if path is None:
            return None
        return Fix(
            "Move it to the next migration",
            (mf.remove_statement(later, state.file), mf.new_file(path, later.text + ";\n")),
        )

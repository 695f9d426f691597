"""DB212: DROP COLUMN on a table in use."""

from __future__ import annotations

from collections.abc import Iterator

from schemasense.codegen.ddl import statements as ops
from schemasense.server.findings import Finding
from schemasense.server.lint.migration_rule import MigrationRule, MigrationState, table_key
from schemasense.server.lint.registry import Status
from schemasense.server.migrations.model import StatementRecord


class DropColumn(MigrationRule):
    """## What it does
    Flags `ALTER TABLE ... DROP COLUMN` on a table that existed before this migration.

    ## Why is this bad?
    The data is gone for good, and Prisma Client selects every scalar field by name: every
    application instance still running the release that knows the field fails on *every*
    query of that model (`column "x" does not exist`) from the moment the migration runs
    until it is replaced.

    ## Example
    ```sql
    ALTER TABLE "User" DROP COLUMN "legacyId";
    ```

    ## Use instead
    Remove the field from the schema and deploy that first (the column stays, unused); drop
    the column in a later release, once no running code selects it:
    ```sql
    -- a later migration, after the release without the field is fully rolled out
    ALTER TABLE "User" DROP COLUMN "legacyId";
    ```

    ## Fix safety
    There is no automatic fix: the order of deploys is the fix.
    """

    code = "DB212"
    watches = (ops.DropColumn,)
    severity = "warning"
    status = Status.stable("0.1.0")
    dialects = ("postgresql", "mysql", "sqlite")

    def check_statement(self, stmt: StatementRecord, state: MigrationState) -> Iterator[Finding]:
        for op, action in self.actions(stmt):
            if isinstance(action, ops.DropColumn) and not state.is_new(op.qname):
                yield self.finding(
                    f'Dropping column "{action.name}" of "{table_key(op.qname)}" deletes its '
                    f"data and breaks every running instance that still selects it",
                    self.sub_span(stmt, action.span),
                    help="deploy the code without the field first; drop the column in a "
                    "later release",
                )

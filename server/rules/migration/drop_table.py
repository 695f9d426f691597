"""DB213: DROP TABLE."""

from __future__ import annotations

from collections.abc import Iterator

from schemasense.codegen.ddl import statements as ops
from schemasense.server.findings import Finding
from schemasense.server.lint.migration_rule import MigrationRule, MigrationState, table_key
from schemasense.server.lint.registry import Status
from schemasense.server.migrations.model import StatementRecord


class DropTable(MigrationRule):
    """## What it does
    Flags `DROP TABLE` of a table that existed before this migration (dropping a table
    created earlier in the same migration, or the old copy in a SQLite table redefinition,
    is not flagged).

    ## Why is this bad?
    The data is gone for good, and every running instance of the previous release that
    queries the model fails until it is replaced. Foreign keys to it must go first, and
    with `CASCADE` they go silently.

    ## Example
    ```sql
    DROP TABLE "LegacySession";
    ```

    ## Use instead
    Remove the model and deploy that first; drop the table in a later release (after a
    backup, if the data might be needed):
    ```sql
    -- a later migration
    DROP TABLE "LegacySession";
    ```

    ## Fix safety
    There is no automatic fix.
    """

    code = "DB213"
    watches = (ops.DropTable,)
    severity = "warning"
    status = Status.stable("0.1.0")
    dialects = ("postgresql", "mysql", "sqlite")

    def check_statement(self, stmt: StatementRecord, state: MigrationState) -> Iterator[Finding]:
        for op in stmt.ops:
            if not isinstance(op, ops.DropTable):
                continue
            for name in (op.qname,):
                if state.is_new(name) or self._redefinition(stmt, state, table_key(name)):
                    continue
                yield self.finding(
                    f'Dropping table "{table_key(name)}" deletes its data and breaks every '
                    f"running instance that still queries it",
                    stmt.span,
                    help="deploy the code without the model first; drop the table later",
                )

    @staticmethod
    def _redefinition(stmt: StatementRecord, state: MigrationState, table: str) -> bool:
        """SQLite's copy-and-swap: `new_T` was created and is renamed to `T` right after."""
        return state.dialect == "sqlite" and f"new_{table}" in state.new_tables

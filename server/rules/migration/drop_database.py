"""DB214: DROP DATABASE in a migration."""

from __future__ import annotations

from collections.abc import Iterator

from schemasense.server.findings import Finding
from schemasense.server.lint.migration_rule import MigrationRule, MigrationState
from schemasense.server.lint.registry import Status
from schemasense.server.migrations.model import StatementRecord


class DropDatabase(MigrationRule):
    """## What it does
    Flags `DROP DATABASE` in a migration.

    ## Why is this bad?
    A migration runs against every environment, production included. There is no undo.

    ## Example
    ```sql
    DROP DATABASE "analytics";
    ```

    ## Use instead
    Drop databases by hand, deliberately, outside the migration history.
    ```sql
    -- nothing: no DROP DATABASE in migrations
    ```

    ## Fix safety
    There is no automatic fix.
    """

    code = "DB214"
    severity = "error"
    status = Status.stable("0.1.0")
    dialects = ("postgresql", "mysql")

    def check_statement(self, stmt: StatementRecord, state: MigrationState) -> Iterator[Finding]:
        if stmt.kind in ("dropdb", "drop_database") or stmt.text.lstrip().upper().startswith(
            "DROP DATABASE"
        ):
            yield self.finding(
                "DROP DATABASE in a migration destroys every environment it runs on",
                stmt.span,
                help="drop databases by hand, outside migrations",
            )

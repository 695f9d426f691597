"""DB219: TRUNCATE ... CASCADE."""

from __future__ import annotations

import re
from collections.abc import Iterator

from schemasense.server.findings import Finding
from schemasense.server.lint.migration_rule import MigrationRule, MigrationState
from schemasense.server.lint.registry import Status
from schemasense.server.migrations.model import StatementRecord


class TruncateCascade(MigrationRule):
    """## What it does
    Flags `TRUNCATE ... CASCADE` in a migration.

    ## Why is this bad?
    `CASCADE` also empties every table that has a foreign key to the truncated one, and
    every table referencing those, recursively, whatever their `ON DELETE` says; with an
    ACCESS EXCLUSIVE lock on each of them. One truncated lookup table can wipe users,
    orders and payments.

    ## Example
    ```sql
    TRUNCATE "Feature" CASCADE;
    ```

    ## Use instead
    Name every table to empty, so the statement fails if another one still references them:
    ```sql
    TRUNCATE "Feature", "FeaturesOnUsers";
    ```

    ## Fix safety
    There is no automatic fix.
    """

    code = "DB219"
    severity = "warning"
    status = Status.stable("0.1.0")

    def check_statement(self, stmt: StatementRecord, state: MigrationState) -> Iterator[Finding]:
        if stmt.kind == "truncate" and re.search(r"\bCASCADE\b", stmt.text, re.I):
            yield self.finding(
                "TRUNCATE ... CASCADE also empties every table that references these, recursively",
                stmt.span,
                help="list the tables to empty instead of CASCADE",
            )

"""DB220: a CHECK constraint on a domain."""

from __future__ import annotations

import re
from collections.abc import Iterator

from schemasense.server.findings import Finding
from schemasense.server.lint.migration_rule import MigrationRule, MigrationState
from schemasense.server.lint.registry import Status
from schemasense.server.migrations.model import StatementRecord


class DomainWithConstraint(MigrationRule):
    """## What it does
    Flags `CREATE DOMAIN ... CHECK (...)` and `ALTER DOMAIN ... ADD CONSTRAINT`.

    ## Why is this bad?
    Adding a constraint to a domain checks every column of every table that uses the
    domain, under locks on all of them, and domain constraints cannot be added `NOT VALID`
    and validated later as table constraints can. Changing the rule later means altering
    the domain, with the same cost. A table-level `CHECK` constraint can be added safely
    (DB203).

    ## Example
    ```sql
    CREATE DOMAIN "Email" AS TEXT CHECK (VALUE ~ '@');
    ```

    ## Use instead
    ```sql
    CREATE DOMAIN "Email" AS TEXT;
    ALTER TABLE "User" ADD CONSTRAINT "User_email_check" CHECK ("email" ~ '@') NOT VALID;
    ```

    ## Fix safety
    There is no automatic fix.
    """

    code = "DB220"
    severity = "warning"
    status = Status.stable("0.1.0")

    def check_statement(self, stmt: StatementRecord, state: MigrationState) -> Iterator[Finding]:
        if stmt.kind == "create_domain" and re.search(r"\b(CHECK|CONSTRAINT)\b", stmt.text, re.I):
            yield self.finding(
                "A domain with a CHECK constraint: changing the rule later checks every "
                "column that uses the domain, under lock",
                stmt.span,
                help="check on the table instead (ADD CONSTRAINT ... CHECK ... NOT VALID)",
            )
        elif stmt.kind == "alter_domain" and re.search(
            r"\bADD\s+CONSTRAINT\b|\bADD\s+CHECK\b", stmt.text, re.I
        ):
            yield self.finding(
                "ALTER DOMAIN ... ADD CONSTRAINT checks every column of every table that uses "
                "the domain, under lock",
                stmt.span,
                help="check on the tables instead (ADD CONSTRAINT ... CHECK ... NOT VALID)",
            )

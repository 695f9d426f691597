"""DB218: BEGIN / COMMIT inside a migration the runner already wraps, or left open."""

from __future__ import annotations

import re
from collections.abc import Iterator

from schemasense.server.findings import Finding
from schemasense.server.lint.migration_rule import MigrationRule, MigrationState
from schemasense.server.lint.registry import Status
from schemasense.server.migrations.model import StatementRecord

_BEGIN = re.compile(r"^\s*(BEGIN|START\s+TRANSACTION)\b", re.I)
_END = re.compile(r"^\s*(COMMIT|END|ROLLBACK|ABORT)\b", re.I)


class TransactionControlInMigration(MigrationRule):
    """## What it does
    Flags `BEGIN` / `COMMIT` / `ROLLBACK` in a migration that the runner already runs in a
    transaction (Prisma, Flyway, golang-migrate and dbmate do, by default), a `BEGIN` inside
    an open transaction, and a `BEGIN` never committed by the end of the file.

    ## Why is this bad?
    Inside the runner's transaction, `BEGIN` only warns ("there is already a transaction in
    progress") but `COMMIT` ends the runner's transaction early: the statements after it run
    one by one in autocommit, so a failure half-way leaves a half-applied migration that the
    runner still records as failed (or, worse, as applied). A `BEGIN` left open holds every
    lock it took until the connection closes.

    ## Example
    ```sql
    BEGIN;
    ALTER TABLE "User" ADD COLUMN "plan" TEXT;
    UPDATE "User" SET "plan" = 'free';
    COMMIT;
    ```

    ## Use instead
    ```sql
    ALTER TABLE "User" ADD COLUMN "plan" TEXT;
    UPDATE "User" SET "plan" = 'free';
    ```

    ## Fix safety
    There is no automatic fix: removing the statements is right for Prisma, but a file
    meant to commit half-way needs splitting into two migrations instead.
    """

    code = "DB218"
    severity = "warning"
    status = Status.stable("0.1.0")

    def check_statement(self, stmt: StatementRecord, state: MigrationState) -> Iterator[Finding]:
        if stmt.kind != "transaction":
            return
        text = re.sub(r"--[^\n]*\n?", " ", stmt.text)
        if _BEGIN.match(text):
            if state.explicit_transaction:
                yield self.finding(
                    "BEGIN inside a transaction that is already open",
                    stmt.span,
                    help="remove it: transactions do not nest",
                )
            elif state.runner_transaction:
                yield self.finding(
                    f"BEGIN in a migration that {state.migration.tool} already runs in a "
                    f"transaction",
                    stmt.span,
                    help="remove BEGIN / COMMIT: the runner wraps the file",
                )
            elif not self._closed_later(stmt, state):
                yield self.finding(
                    "BEGIN with no COMMIT before the end of the migration: its locks are held "
                    "until the connection closes",
                    stmt.span,
                    help="COMMIT at the end of the file",
                )
        elif _END.match(text) and state.runner_transaction and not state.explicit_transaction:
            yield self.finding(
                f"COMMIT ends the transaction {state.migration.tool} runs this migration in: "
                f"the statements after it run without one",
                stmt.span,
                help="remove it, or split the file into two migrations",
            )

    @staticmethod
    def _closed_later(stmt: StatementRecord, state: MigrationState) -> bool:
        for later in state.file.statements[stmt.index + 1 :]:
            if later.kind == "transaction" and _END.match(re.sub(r"--[^\n]*\n?", " ", later.text)):
                return True
        return False

"""DB203: ADD CHECK on an existing table, validated under an ACCESS EXCLUSIVE lock."""

from __future__ import annotations

from collections.abc import Iterator

from schemasense.codegen.ddl import statements as ops
from schemasense.codegen.ddl.lock_facts import fact_for
from schemasense.server.findings import Finding
from schemasense.server.lint.migration_rule import MigrationRule, MigrationState, table_key
from schemasense.server.lint.registry import Status
from schemasense.server.migrations.model import StatementRecord
from schemasense.server.rules.migration.postgresql.add_foreign_key_without_not_valid import (
    not_valid_fix,
)


class AddCheckWithoutNotValid(MigrationRule):
    """## What it does
    Flags `ALTER TABLE ... ADD CONSTRAINT ... CHECK (...)` without `NOT VALID` on a table
    that existed before this migration.

    ## Why is this bad?
    Adding a check constraint takes an ACCESS EXCLUSIVE lock, which blocks every read and
    write of the table, and checks every existing row while holding it. With `NOT VALID`
    the lock is held only for a moment (new rows are checked from then on), and `VALIDATE
    CONSTRAINT`, in a later transaction, checks the old rows under a SHARE UPDATE EXCLUSIVE
    lock that blocks neither reads nor writes.

    ## Example
    ```sql
    ALTER TABLE "Booking" ADD CONSTRAINT "Booking_duration_check" CHECK ("endTime" > "startTime");
    ```

    ## Use instead
    ```sql
    -- this migration
    ALTER TABLE "Booking" ADD CONSTRAINT "Booking_duration_check"
      CHECK ("endTime" > "startTime") NOT VALID;

    -- the next migration
    ALTER TABLE "Booking" VALIDATE CONSTRAINT "Booking_duration_check";
    ```

    ## Fix safety
    For Prisma migrations the fix appends `NOT VALID` and writes the `VALIDATE CONSTRAINT`
    migration right after this one. It is safe: new rows are checked at once, and old rows
    that violate the check make the second migration fail, as they made the original fail.
    """

    code = "DB203"
    watches = (ops.AddConstraint,)
    severity = "warning"
    fix = "sometimes"
    status = Status.stable("0.1.0")

    def check_statement(self, stmt: StatementRecord, state: MigrationState) -> Iterator[Finding]:
        for op, action in self.actions(stmt):
            if not isinstance(action, ops.AddConstraint):
                continue
            c = action.constraint
            if c.kind != "check" or c.not_valid or state.is_new(op.qname):
                continue
            table = table_key(op.qname)
            yield self.finding(
                f"Adding check constraint `{c.name or '?'}` "
                f"{fact_for(action, state.server).describe(table)}",
                self.sub_span(stmt, action.span),
                help="add it NOT VALID, then VALIDATE CONSTRAINT in the next migration",
                fix=not_valid_fix(stmt, state, op.qname, c.name, "check") if c.name else None,
            )

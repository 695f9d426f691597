"""DB215: DROP NOT NULL on a column in use."""

from __future__ import annotations

from collections.abc import Iterator

from schemasense.codegen.ddl import statements as ops
from schemasense.server.findings import Finding
from schemasense.server.lint.migration_rule import MigrationRule, MigrationState, table_key
from schemasense.server.lint.registry import Status
from schemasense.server.migrations.model import StatementRecord


class DropNotNull(MigrationRule):
    """## What it does
    Flags `ALTER COLUMN ... DROP NOT NULL` on a table that existed before this migration.

    ## Why is this bad?
    The lock is brief, but the contract changes: code of the running release assumes the
    column is never NULL (Prisma Client typed it `string`, not `string | null`), and the
    first NULL another instance writes reaches code that does not expect it. Reports,
    `NOT IN` subqueries and unique constraints (NULLs are distinct) change meaning too.

    ## Example
    ```sql
    ALTER TABLE "Booking" ALTER COLUMN "userId" DROP NOT NULL;
    ```

    ## Use instead
    Make the field optional in the code first (handle `null` everywhere it is read), deploy,
    then drop the constraint:
    ```sql
    -- after the release that handles NULL is everywhere
    ALTER TABLE "Booking" ALTER COLUMN "userId" DROP NOT NULL;
    ```

    ## Fix safety
    There is no automatic fix.
    """

    code = "DB215"
    watches = (ops.DropNotNull,)
    severity = "info"
    status = Status.stable("0.1.0")

    def check_statement(self, stmt: StatementRecord, state: MigrationState) -> Iterator[Finding]:
        for op, action in self.actions(stmt):
            if isinstance(action, ops.DropNotNull):
                if state.is_new(op.qname):
                    continue
                yield self.finding(
                    f'"{table_key(op.qname)}"."{action.name}" becomes nullable: code that '
                    f"assumes a value may now read NULL",
                    self.sub_span(stmt, action.span),
                    help="deploy code that handles NULL before the migration",
                )

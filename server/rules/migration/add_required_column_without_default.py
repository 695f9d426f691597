"""DB207: ADD COLUMN ... NOT NULL without a default on an existing table."""

from __future__ import annotations

from collections.abc import Iterator

from schemasense.codegen.ddl import statements as ops
from schemasense.server.findings import Finding
from schemasense.server.lint.migration_rule import MigrationRule, MigrationState, table_key
from schemasense.server.lint.registry import Status
from schemasense.server.migrations.model import StatementRecord


class AddRequiredColumnWithoutDefault(MigrationRule):
    """## What it does
    Flags `ALTER TABLE ... ADD COLUMN ... NOT NULL` with no default on a table that existed
    before this migration. Prisma writes it when a required field without `@default` is
    added, and warns "This is not possible if the table is not empty".

    ## Why is this bad?
    Every existing row would get NULL in a NOT NULL column, so PostgreSQL (and MySQL in
    strict mode) refuse the statement as soon as the table has a row: the migration passes
    on an empty development database and fails on deploy.

    ## Example
    ```sql
    ALTER TABLE "Team" ADD COLUMN "slug" TEXT NOT NULL;
    ```

    ## Use instead
    ```sql
    ALTER TABLE "Team" ADD COLUMN "slug" TEXT;
    UPDATE "Team" SET "slug" = "id"::text WHERE "slug" IS NULL;  -- or a batched backfill
    ALTER TABLE "Team" ALTER COLUMN "slug" SET NOT NULL;         -- see DB204
    ```

    or give the field a `@default(...)` that is right for the existing rows.

    ## Fix safety
    There is no automatic fix: the value old rows should get is a product decision.
    """

    code = "DB207"
    watches = (ops.AddColumn,)
    severity = "warning"
    status = Status.stable("0.1.0")
    dialects = ("postgresql", "mysql", "sqlite")

    def check_statement(self, stmt: StatementRecord, state: MigrationState) -> Iterator[Finding]:
        for op, action in self.actions(stmt):
            if not isinstance(action, ops.AddColumn) or state.is_new(op.qname):
                continue
            col = action.column
            if not col.not_null or col.default is not None:
                continue
            if col.identity or col.generated is not None or col.type.serial or col.autoincrement:
                continue
            if any(c.kind == "primary_key" for c in col.constraints):
                continue
            yield self.finding(
                f'Adding required column "{col.name}" to "{table_key(op.qname)}" without a '
                f"default fails as soon as the table has a row",
                self.sub_span(stmt, action.span or col.span),
                help="add it nullable, backfill, then SET NOT NULL; or give it a default",
            )

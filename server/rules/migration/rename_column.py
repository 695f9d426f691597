"""DB210: RENAME COLUMN on a table in use."""

from __future__ import annotations

from collections.abc import Iterator

from schemasense.codegen.ddl import statements as ops
from schemasense.server.findings import Finding, Fix
from schemasense.server.lint import migration_fixes as mf
from schemasense.server.lint.migration_rule import MigrationRule, MigrationState, table_key
from schemasense.server.lint.registry import Status
from schemasense.server.migrations.code_steps import CODE_TOOLS
from schemasense.server.migrations.model import StatementRecord


def declared_target(state: MigrationState):
    targets = state.ctx.schema_targets(("declared",))
    return targets[0] if targets else None


_KEPT_COLUMN = {"typeorm": '@Column({{ name: "{}" }})', "sequelize": 'field: "{}"'}
_KEPT_TABLE = {"typeorm": '@Entity("{}")', "sequelize": 'tableName: "{}"'}


def kept_name(state: MigrationState, old: str, table: bool = False) -> str:
    """How the models of the migration's tool keep an old name (`@map` for Prisma's)."""
    words = _KEPT_TABLE if table else _KEPT_COLUMN
    default = '@@map("{}")' if table else '@map("{}")'
    return words.get(state.migration.tool, default).format(old)


class RenameColumn(MigrationRule):
    """## What it does
    Flags `ALTER TABLE ... RENAME COLUMN` on a table that existed before this migration.

    ## Why is this bad?
    The rename is instant, but the application servers still running the previous release
    (during a rolling deploy, or until every serverless instance is recycled) keep asking for
    the old name, and Prisma Client names every column it selects: their queries fail until
    the last old instance is gone. Prisma can rename the *field* without touching the
    database: keep the column's name with `@map`.

    ## Example
    ```sql
    ALTER TABLE "User" RENAME COLUMN "name" TO "fullName";
    ```

    ## Use instead
    ```prisma
    model User {
      id       Int    @id
      fullName String @map("name")
    }
    ```

    and no migration at all.

    A TypeORM entity keeps the old name with `@Column({ name: "name" })`, a Sequelize model
    with `field: "name"`.

    ## Fix safety
    When the Prisma schema declares the renamed column, the fix deletes the statement from
    the migration and adds `@map("<old name>")` to the field. It is safe: the database keeps
    its column, Prisma Client gets the new field name. On a TypeORM or Sequelize migration
    the fix deletes the whole call (`await queryRunner.query(...)`,
    `await queryInterface.renameColumn(...)`) from `up`, and the call that undoes it from
    `down`, and keeps the old name on the entity (`@Column({ name: "<old>" })`) or model
    (`field: "<old>"`); where the call is not a statement of its own, or its SQL holds more
    than the rename, no fix is offered.
    """

    code = "DB210"
    watches = (ops.RenameColumn, ops.ModifyColumn)
    severity = "warning"
    fix = "sometimes"
    status = Status.stable("0.1.0")
    dialects = ("postgresql", "mysql", "sqlite")

    def check_statement(self, stmt: StatementRecord, state: MigrationState) -> Iterator[Finding]:
        for op, action in self.actions(stmt):
            if state.is_new(op.qname):
                continue
            if isinstance(action, ops.RenameColumn):
                old, new = action.old, action.new
            elif isinstance(action, ops.ModifyColumn) and action.name != action.after.name:
                old, new = action.name, action.after.name
            else:
                continue
            table = table_key(op.qname)
            yield self.finding(
                f'Renaming column "{old}" to "{new}" on "{table}" breaks every running '
                f'instance that still selects "{old}"',
                self.sub_span(stmt, action.span),
                help=f"keep the column and rename the field only: {kept_name(state, old)}",
                fix=self._fix(stmt, state, table, old, new),
            )

    def _fix(self, stmt, state, table: str, old: str, new: str) -> Fix | None:
        target = declared_target(state)
        if target is None or len(stmt.ops) != 1 or len(stmt.ops[0].changes) != 1:
            return None
        declared = next((t for t in target.schema.tables if t.name == table), None)
        column = declared.column(new) if declared is not None else None
        if declared is None or column is None or target.editor is None:
            return None
        change = target.editor.keep_column_name(declared, column, old)
        removed = mf.remove_step(stmt, state)
        if change is None or removed is None:
            return None
        return Fix(
            f"Keep the column: {change.label} on the field, no rename",
            (*removed, *change.edits),
            edits_code=state.migration.tool in CODE_TOOLS,
        )

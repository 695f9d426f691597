"""DB211: RENAME TABLE on a table in use."""

from __future__ import annotations

from collections.abc import Iterator

from schemasense.codegen.ddl import statements as ops
from schemasense.server.findings import Finding, Fix
from schemasense.server.lint import migration_fixes as mf
from schemasense.server.lint.migration_rule import MigrationRule, MigrationState, table_key
from schemasense.server.lint.registry import Status
from schemasense.server.migrations.code_steps import CODE_TOOLS
from schemasense.server.migrations.model import StatementRecord
from schemasense.server.rules.migration.rename_column import declared_target, kept_name


class RenameTable(MigrationRule):
    """## What it does
    Flags `ALTER TABLE ... RENAME TO` on a table that existed before this migration (Prisma's
    SQLite table redefinitions, which rename a new copy into place, are not flagged).

    ## Why is this bad?
    Application servers still running the previous release query the old name and fail
    until the last of them is gone; so do views, functions, triggers and other services that
    name the table. Prisma can rename the *model* and keep the table's name with `@@map`
    (TypeORM with `@Entity("<old>")`, Sequelize with `tableName`).

    ## Example
    ```sql
    ALTER TABLE "Post" RENAME TO "Article";
    ```

    ## Use instead
    ```prisma
    model Article {
      id Int @id

      @@map("Post")
    }
    ```

    ## Fix safety
    When the Prisma schema declares the renamed table, the fix deletes the statement from
    the migration and adds `@@map("<old name>")` to the model. It is safe: the database keeps
    its table, Prisma Client gets the new model name. On a TypeORM or Sequelize migration the
    fix deletes the whole call (`await queryRunner.renameTable(...)`, a `queryRunner.query`
    holding only the rename, `await queryInterface.renameTable(...)`) from `up`, and the call
    that undoes it from `down`, and keeps the old name on the entity (`@Entity("<old>")`) or
    model (`tableName: "<old>"`).
    """

    code = "DB211"
    watches = (ops.RenameTable,)
    severity = "warning"
    fix = "sometimes"
    status = Status.stable("0.1.0")
    dialects = ("postgresql", "mysql", "sqlite")

    def check_statement(self, stmt: StatementRecord, state: MigrationState) -> Iterator[Finding]:
        for op in stmt.ops:
            if isinstance(op, ops.RenameTable):
                old, new = table_key(op.qname), op.new
            elif isinstance(op, ops.AlterTable):
                renames = [a for a in op.changes if isinstance(a, ops.RenameTable)]
                if not renames:
                    continue
                old, new = table_key(op.qname), renames[0].new
            else:
                continue
            if state.is_new(old):
                continue
            yield self.finding(
                f'Renaming table "{old}" to "{new}" breaks every running instance, view and '
                f'query that still names "{old}"',
                stmt.span,
                help="keep the table and rename the model only: "
                + kept_name(state, old, table=True),
                fix=self._fix(stmt, state, old, new),
            )

    def _fix(self, stmt, state, old: str, new: str) -> Fix | None:
        target = declared_target(state)
        if target is None or len(stmt.ops) != 1:
            return None
        declared = next((t for t in target.schema.tables if t.name == new), None)
        if declared is None or target.editor is None:
            return None
        change = target.editor.keep_table_name(declared, old)
        removed = mf.remove_step(stmt, state)
        if change is None or removed is None:
            return None
        return Fix(
            f"Keep the table: {change.label} on the model, no rename",
            (*removed, *change.edits),
            edits_code=state.migration.tool in CODE_TOOLS,
        )

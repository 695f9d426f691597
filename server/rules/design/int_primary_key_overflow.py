"""DB108: a 32-bit integer primary key fed by a sequence."""

from __future__ import annotations

from collections.abc import Iterator

from pydantic import Field
from schemasense.codegen.schema import ColumnType
from schemasense.server.findings import Finding, Fix
from schemasense.server.lint.context import RuleContext, SchemaTarget
from schemasense.server.lint.registry import SchemaRule, Status, Subject
from schemasense.server.project.config import _Base

INT_MAX = 2_147_483_647


class Options(_Base):
    all_integer_keys: bool = Field(
        default=False,
        description="also flag 32-bit keys without autoincrement (ids assigned by the app)",
    )
    ignore_tables: list[str] = Field(
        default_factory=list,
        description="tables known to stay small (database names or model names)",
    )


class IntPrimaryKeyOverflow(SchemaRule):
    """## What it does
    Flags a primary key column that is a 32-bit integer (`Int` in Prisma on PostgreSQL,
    MySQL and SQL Server; `integer` / `serial` in a migration) and gets its values from a
    sequence (`@default(autoincrement())`, `serial`, `IDENTITY`, `AUTO_INCREMENT`).

    ## Why is this bad?
    A sequence never reuses a value, and rolled-back inserts, `ON CONFLICT` upserts and
    bulk deletes burn values without leaving rows. Once it passes 2,147,483,647 every
    insert fails, and widening the key then means rewriting the table and every foreign key
    column that points at it, under an ACCESS EXCLUSIVE lock, when the table is largest.
    `bigint` costs four more bytes per row and cannot run out.

    ## Example
    ```prisma
    model Event {
      id Int @id @default(autoincrement())
    }
    ```

    ## Use instead
    ```prisma
    model Event {
      id BigInt @id @default(autoincrement())
    }
    ```

    ## Fix safety
    The fix changes the key to `BigInt`, together with every field that references it
    through a relation. It is unsafe: Prisma Client returns `bigint` instead of `number`
    (JSON serialization and arithmetic in the TypeScript that uses it must change), and the
    migration rewrites each table involved.

    ## Options
    - `all-integer-keys` (default `false`): also flag 32-bit keys without autoincrement.
    - `ignore-tables` (default `[]`): tables known to stay small (database or model names).
    """

    code = "DB108"
    severity = "warning"
    fix = "sometimes"
    status = Status.stable("0.1.0")
    options_model = Options

    def applies(self, target: SchemaTarget, ctx: RuleContext) -> bool:
        return target.provider in ("postgresql", "postgres", "mysql", "sqlserver")

    def check_schema(
        self, target: SchemaTarget, ctx: RuleContext
    ) -> Iterator[tuple[Subject, Finding]]:
        options: Options = self.options  # type: ignore[assignment]
        ignored = set(options.ignore_tables)
        for table in target.schema.tables:
            if table.kind != "table" or table.ignored or table.primary_key is None:
                continue
            if table.name in ignored or (table.model_name or "") in ignored:
                continue
            for part in table.primary_key.columns:
                column = table.column(part.column or "")
                if column is None or column.type.kind != "int" or column.span is None:
                    continue
                default = column.default
                fed = column.auto_increment or (
                    default is not None
                    and (
                        default.function == "autoincrement" or "nextval" in str(default.value or "")
                    )
                )
                if not fed and not options.all_integer_keys:
                    continue
                shown = column.field_name or column.name
                yield (
                    ("pk", table.name, column.name),
                    self.finding(
                        f"Primary key `{table.model_name or table.name}.{shown}` is a 32-bit "
                        f"integer: inserts fail after {INT_MAX:,} ids",
                        column.span,
                        help="use BigInt (bigint) for keys that grow with traffic"
                        if target.origin == "declared"
                        else "use bigint (or bigserial / bigint identity)",
                        fix=self._fix(target, table, column),
                    ),
                )

    def _fix(self, target: SchemaTarget, table, column) -> Fix | None:
        if target.origin != "declared" or target.editor is None:
            return None
        # the key, and every column that references it
        wanted = ColumnType(kind="bigint")
        change = target.editor.set_column_type(table, column, wanted, references=True)
        if change is None:
            return None
        return Fix(f"Make the key {change.label} (and its references)", change.edits, "unsafe")

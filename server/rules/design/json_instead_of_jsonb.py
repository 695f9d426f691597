"""DB109: a PostgreSQL `json` column where `jsonb` would do."""

from __future__ import annotations

from collections.abc import Iterator

from schemasense.codegen.schema import ColumnType
from schemasense.server.findings import Finding, Fix
from schemasense.server.lint.context import RuleContext, SchemaTarget
from schemasense.server.lint.registry import SchemaRule, Status, Subject


class JsonInsteadOfJsonb(SchemaRule):
    """## What it does
    Flags a PostgreSQL column of type `json` (`Json @db.Json` in Prisma, `json` in a
    migration). Prisma's default for `Json` on PostgreSQL is `jsonb`; this is the explicit
    opt-out.

    ## Why is this bad?
    `json` stores the text as it was sent and re-parses it on every access. It cannot be
    indexed with GIN, has no equality operator (so `DISTINCT`, `GROUP BY` and `UNION` on it
    fail), and Prisma's JSON filters (`path`, `array_contains`) are much slower on it.
    `jsonb` is parsed once, supports containment (`@>`) and GIN indexes, and usually takes
    less space. Keep `json` only when the exact text (key order, duplicate keys, whitespace)
    must be preserved.

    ## Example
    ```prisma
    model Event {
      id      Int  @id
      payload Json @db.Json
    }
    ```

    ## Use instead
    ```prisma
    model Event {
      id      Int  @id
      payload Json
    }
    ```

    ## Fix safety
    The fix removes `@db.Json` (so the column is `jsonb`, Prisma's default). It is unsafe:
    the migration rewrites the table under an ACCESS EXCLUSIVE lock (`ALTER COLUMN ... TYPE
    jsonb`), and the stored documents lose their key order, duplicate keys and whitespace.
    """

    code = "DB109"
    table_local = True
    severity = "warning"
    fix = "sometimes"
    status = Status.stable("0.1.0")

    def applies(self, target: SchemaTarget, ctx: RuleContext) -> bool:
        return target.provider in ("postgresql", "postgres")

    def check_schema(
        self, target: SchemaTarget, ctx: RuleContext
    ) -> Iterator[tuple[Subject, Finding]]:
        for table in target.schema.tables:
            if table.kind not in ("table", "view") or table.ignored:
                continue
            for column in table.columns:
                native = (column.type.native or "").lower()
                if column.type.kind != "json" or native not in ("json", "json[]"):
                    continue
                if column.span is None:
                    continue
                shown = column.field_name or column.name
                yield (
                    ("col", table.name, column.name),
                    self.finding(
                        f"`{table.model_name or table.name}.{shown}` is `json`, not `jsonb`",
                        column.span,
                        help="use jsonb (drop @db.Json): indexable, comparable, parsed once"
                        if target.origin == "declared"
                        else "use jsonb",
                        fix=self._fix(target, table, column),
                    ),
                )

    def _fix(self, target: SchemaTarget, table, column) -> Fix | None:
        if target.origin != "declared" or target.editor is None:
            return None
        wanted = ColumnType(kind="json", native="jsonb", array=column.type.array)
        change = target.editor.set_column_type(table, column, wanted)
        if change is None:
            return None
        return Fix("Store it as jsonb", change.edits, "unsafe")

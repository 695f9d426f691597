"""DB113: a fixed-length `char(n)` column."""

from __future__ import annotations

import re
from collections.abc import Iterator

from schemasense.server.findings import Finding
from schemasense.server.lint.context import RuleContext, SchemaTarget
from schemasense.server.lint.registry import SchemaRule, Status, Subject

_CHAR = re.compile(r"^(char|character|bpchar|nchar)(\s*\(\d+\))?$", re.I)


class CharColumn(SchemaRule):
    """## What it does
    Flags a `char(n)` / `character(n)` column (`@db.Char(n)` in Prisma) on PostgreSQL and
    SQL Server.

    ## Why is this bad?
    `char(n)` pads every value with spaces to `n` characters. The padding is ignored by
    some comparisons and not others (`LIKE`, `length()` in some databases, the value Prisma
    Client returns), so `'ab'` stored in `char(4)` comes back as `'ab  '`. It is no faster
    than `varchar` or `text` on PostgreSQL and takes at least as much space. It only fits
    values that really are always exactly `n` characters (ISO country codes), and even then
    `varchar(n)` with a check is clearer.

    ## Example
    ```prisma
    model Account {
      id       Int    @id
      currency String @db.Char(3)
    }
    ```

    ## Use instead
    ```prisma
    model Account {
      id       Int    @id
      currency String @db.VarChar(3)
    }
    ```

    ## Fix safety
    There is no automatic fix: stored values keep their padding until they are trimmed.
    """

    code = "DB113"
    table_local = True
    severity = "info"
    status = Status.stable("0.1.0")

    def applies(self, target: SchemaTarget, ctx: RuleContext) -> bool:
        return target.provider in ("postgresql", "postgres", "cockroachdb", "sqlserver")

    def check_schema(
        self, target: SchemaTarget, ctx: RuleContext
    ) -> Iterator[tuple[Subject, Finding]]:
        for table in target.schema.tables:
            if table.kind not in ("table", "view") or table.ignored:
                continue
            for column in table.columns:
                native = (column.type.native or "").strip()
                base = re.sub(r"\[\]$", "", native)
                if not _CHAR.match(base) or column.span is None:
                    continue
                shown = column.field_name or column.name
                yield (
                    ("col", table.name, column.name),
                    self.finding(
                        f"`{table.model_name or table.name}.{shown}` is {native}: values are "
                        f"padded with spaces",
                        column.span,
                        help="use varchar(n) or text",
                    ),
                )

"""DB107: a table or column named with a word the database reserves."""

from __future__ import annotations

from collections.abc import Iterator

from schemasense.server.findings import Finding
from schemasense.server.lint.context import RuleContext, SchemaTarget
from schemasense.server.lint.registry import SchemaRule, Status, Subject


class ReservedWordIdentifier(SchemaRule):
    """## What it does
    Flags a table or column whose database name is a reserved word of the target database
    (`user`, `order`, `group`, `select`, `limit`, `default`, `check` on PostgreSQL; `key`,
    `order`, `rank`, `range` on MySQL; and so on). On PostgreSQL only all-lower-case names
    count: a mixed-case name such as `"User"` has to be quoted for its capital anyway.

    ## Why is this bad?
    Prisma quotes every identifier, so Prisma Client works. Everything else must remember
    to quote the name too: `$queryRaw`, views, triggers, functions, psql sessions, BI
    tools, data exports. `SELECT * FROM user` on PostgreSQL silently returns the *current
    database user*, not your table; `SELECT order FROM ...` is a syntax error. A reserved
    word in a later MySQL release (`rank` in 8.0) breaks unquoted queries on upgrade.

    ## Example
    ```prisma
    model Order {
      id    Int    @id
      group String
      @@map("order")
    }
    ```

    ## Use instead
    ```prisma
    model Order {
      id    Int    @id
      group String @map("group_name")
      @@map("orders")
    }
    ```

    ## Fix safety
    There is no automatic fix: `@map` / `@@map` on an existing table or column renames it in
    the next migration, which is a breaking change for every query that names it.
    """

    code = "DB107"
    table_local = True
    severity = "info"
    status = Status.stable("0.1.0")

    def applies(self, target: SchemaTarget, ctx: RuleContext) -> bool:
        return target.dialect is not None and bool(target.dialect.RESERVED_WORDS)

    def check_schema(
        self, target: SchemaTarget, ctx: RuleContext
    ) -> Iterator[tuple[Subject, Finding]]:
        dialect = target.dialect
        assert dialect is not None
        db = dialect.DISPLAY_NAME or dialect.NAME
        folds = dialect.NAME in ("postgresql", "cockroachdb")

        def reserved(name: str) -> bool:
            # PostgreSQL folds unquoted names to lower case: `"User"` must be quoted anyway,
            # for its capital, so only an all-lower-case reserved name is a trap
            if folds and name != name.lower():
                return False
            return dialect.is_reserved(name)

        for table in target.schema.tables:
            if table.kind in ("composite_type", "join_table") or table.ignored:
                continue
            if table.span is not None and reserved(table.name):
                span = target.header_span(table.span)
                yield (
                    ("t", table.name),
                    self.finding(
                        f"Table name `{table.name}` is a reserved word in {db}",
                        span,
                        help="every raw query must quote it; a plural or prefixed name avoids that",
                    ),
                )
            for column in table.columns:
                if column.span is not None and reserved(column.name):
                    yield (
                        ("c", table.name, column.name),
                        self.finding(
                            f"Column name `{table.name}.{column.name}` is a reserved word in {db}",
                            column.span,
                            help='every raw query must quote it; @map("...") gives it another '
                            "database name",
                        ),
                    )

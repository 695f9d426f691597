"""SQLite migrations: sqlglot reads them (`sqlglot_read.py`); these are SQLite's rules.

SQLite keeps a column's declared type and default as the text the table's SQL wrote, so the
replay keeps them as written (the type upper-cased, as `PRAGMA table_info` is read). A primary
key has no name; a UNIQUE constraint's index is `sqlite_autoindex_<table>_<n>`, renamed with
its table; foreign keys name their target by text, which a DROP TABLE leaves as it is and a
table's rename rewrites (SQLite 3.26+), which is what Prisma's table redefinition relies on
(`CREATE TABLE "new_X"`, copy, `DROP TABLE "X"`, `ALTER TABLE "new_X" RENAME TO "X"`).
"""

from __future__ import annotations

from typing import Any

from schemasense.codegen.ddl import statements as ops
from schemasense.codegen.ddl.statements import Parsed
from schemasense.server.migrations.sql.common_rules import TextRules
from schemasense.server.migrations.sql.sqlglot_read import SqlglotReader
from schemasense.server.migrations.state import (
    ColumnState,
    Parts,
    SchemaState,
    TableState,
)


def _type(raw: str, node: Any) -> ops.SqlType:
    return ops.SqlType(native=" ".join(raw.split()).upper())


def _default(raw: str, node: Any) -> str:
    text = raw.strip()
    # `DEFAULT (expr)`: SQLite keeps the expression without its parentheses
    if text.startswith("(") and text.endswith(")") and _balanced(text[1:-1]):
        text = text[1:-1]
    return text


def _balanced(text: str) -> bool:
    depth = 0
    quote = None
    for ch in text:
        if quote:
            if ch == quote:
                quote = None
        elif ch in "'\"`":
            quote = ch
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
            if depth < 0:
                return False
    return depth == 0


_READER = SqlglotReader("sqlite", _type, _default)


def parse_sql(text: str) -> list[Parsed]:
    return _READER.parse_sql(text)


class SqliteRules(TextRules):
    name = "sqlite"
    provider = "sqlite"
    default_schema = "main"
    primary_key_not_null = False
    fk_reference_by_text = True
    named_primary_keys = False

    def cook_default(
        self, raw: Any, column: ColumnState, table: TableState, state: SchemaState
    ) -> Parts | None:
        if raw is None or str(raw).upper() == "NULL":
            return None
        return (str(raw),)

    def _autoindexed_pk(self, table: TableState) -> bool:
        pk = table.primary_key
        if pk is None:
            return False
        names = pk.column_names()
        if len(names) == 1 and pk.columns[0].sort != "desc":
            col = table.columns.get(self.key(names[0]))
            if col is not None and col.type.native == "INTEGER":
                return False
        return True

    def constraint_name(
        self, c: ops.ConstraintDef, table: TableState, state: SchemaState
    ) -> str | None:
        if c.kind == "unique":
            n = 1 + len(table.uniques) + (1 if self._autoindexed_pk(table) else 0)
            return f"sqlite_autoindex_{table.name}_{n}"
        return None

    def table_renamed(self, table: TableState, old_name: str) -> None:
        prefix = f"sqlite_autoindex_{old_name}_"
        for unique in table.uniques:
            if unique.name and unique.name.startswith(prefix):
                unique.name = f"sqlite_autoindex_{table.name}_{unique.name[len(prefix) :]}"


RULES = SqliteRules()

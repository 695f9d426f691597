"""What MySQL's and SQLite's rules share: names folded to lower case, expressions kept as
the text sqlglot prints, defaults rendered by the dialect."""

from __future__ import annotations

from typing import Any

from schemasense.codegen.ddl import statements as ops
from schemasense.server.migrations.state import (
    Key,
    SchemaState,
    TableState,
)


class TextRules:
    name = ""
    provider = ""
    default_schema = ""
    fk_creates_index = False
    unique_constraint_is_index = False
    index_names_per_table = False
    primary_key_not_null = True
    fk_reference_by_text = False

    def key(self, name: str) -> str:
        return name.lower()

    def column_type_text(self, t: ops.SqlType, state: SchemaState) -> str:
        return t.native

    def user_type_text(self, key: Key, state: SchemaState) -> str:
        return key[1]

    def sequence_text(self, key: Key, state: SchemaState) -> str:
        return key[1]

    def recast_default(self, column: Any, state: SchemaState) -> Any:
        return column.default

    def expr_text(self, raw: Any, table: TableState | None, state: SchemaState) -> str:
        return str(raw)

    def predicate_text(self, raw: Any, table: TableState | None, state: SchemaState) -> str:
        return str(raw)

    def check_text(self, raw: Any, table: TableState | None, state: SchemaState) -> str:
        return str(raw)

    def generated_text(self, raw: Any, table: TableState | None, state: SchemaState) -> str:
        return str(raw)

    def index_method(self, idx: ops.IndexDef) -> str | None:
        return idx.method

    def index_name(self, idx: ops.IndexDef, table: TableState, state: SchemaState) -> str:
        cols = [p.column or "expr" for p in idx.columns]
        return cols[0] if cols else "idx"

"""The SQL that builds a schema from nothing, written the way Prisma's schema engine writes it.

`create_script(schema)` is what `prisma migrate diff --from-empty --to-schema ... --script`
prints for the schema model of a `schema.prisma` (the Prisma reader's lowered `Schema`): schemas,
enums, tables, indexes, then foreign keys, each statement under the engine's `-- CreateTable`
style comment. The pieces come from `codegen.dialects.render` (column types, defaults, operator
classes, referential actions), which are checked against the engine column by column; the
statement layout is the engine's (`sql-schema-connector/src/flavour/*/renderer.rs`), checked
statement by statement in tests/codegen/test_create_sql.py (PostgreSQL and SQLite; MySQL
follows the engine's renderer without an oracle, since the wasm panics on MySQL).

`table_statements(schema, table)` gives one table's statements on their own (the table, its
indexes, its foreign keys), so a caller can build or cache a schema table by table: the drift
check replays them per table (`server/drift/`).

What is left out, as the engine leaves it out: views (a view's SQL is the user's to write),
MongoDB and composite types (no tables), and foreign keys under `relationMode = "prisma"`
(the lowering already omits them). Enums are named types on PostgreSQL; MySQL writes them
inline (`ENUM('a', 'b')`), SQLite as `TEXT`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from schemasense.codegen.dialects import Dialect, get_dialect
from schemasense.codegen.dialects.render import (
    autoincrement_keyword,
    column_type_sql,
    default_sql,
    index_predicate_sql,
    operator_class_sql,
    referential_action_sql,
)
from schemasense.codegen.schema import Column, Enum, ForeignKey, IndexColumn, Schema, Table

__all__ = [
    "CreateStatement",
    "create_script",
    "create_statements",
    "enum_statement",
    "table_statements",
]

StatementKind = Literal["schema", "enum", "table", "index", "foreign_key"]

_COMMENT: dict[StatementKind, str] = {
    "schema": "CreateSchema",
    "enum": "CreateEnum",
    "table": "CreateTable",
    "index": "CreateIndex",
    "foreign_key": "AddForeignKey",
}

_ORDER: dict[StatementKind, int] = {
    "schema": 0,
    "enum": 1,
    "table": 2,
    "index": 3,
    "foreign_key": 4,
}

DEFAULT_SCHEMA = {"postgresql": "public", "cockroachdb": "public"}
"""The schema a connection works in unless told otherwise: objects there are not qualified."""

MYSQL_TABLE_OPTIONS = "DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"


@dataclass(frozen=True, slots=True)
class CreateStatement:
    """One statement of the script: `kind`, the database `name` of what it creates, the
    table it belongs to (`table`, `db_schema`; None for a schema or an enum), and its `sql`
    (ending in `;`)."""

    kind: StatementKind
    name: str
    sql: str
    table: str | None = None
    db_schema: str | None = None


def create_script(schema: Schema) -> str:
    """The whole script, as the engine prints it (statements separated by a blank line, each
    under its comment)."""
    return "".join(
        f"-- {_COMMENT[s.kind]}\n{s.sql}\n\n" for s in create_statements(schema)
    ).removesuffix("\n")


def create_statements(schema: Schema) -> list[CreateStatement]:
    """Every statement, in the engine's order: schemas, enums, tables, indexes, foreign keys
    (declaration order within each)."""
    dialect = _dialect(schema)
    if dialect is None:
        return []
    out: list[CreateStatement] = []
    for name in _schemas(schema, dialect):
        out.append(
            CreateStatement("schema", name, f"CREATE SCHEMA IF NOT EXISTS {dialect.quote(name)};")
        )
    for enum in schema.enums:
        statement = enum_statement(dialect, enum)
        if statement is not None:
            out.append(statement)
    for table in schema.tables:
        out.extend(table_statements(schema, table, dialect))
    out.sort(key=lambda s: _ORDER[s.kind])  # stable: declaration order within a kind
    return out


def enum_statement(dialect: Dialect, enum: Enum) -> CreateStatement | None:
    """`CREATE TYPE "Role" AS ENUM ('A', 'B');` where enums are named types (PostgreSQL)."""
    if not _named_enums(dialect):
        return None
    values = ", ".join(_quote_literal(v.name) for v in enum.values)
    return CreateStatement(
        "enum",
        enum.name,
        f"CREATE TYPE {_qualified(dialect, enum.name, enum.db_schema)} AS ENUM ({values});",
        db_schema=enum.db_schema,
    )


def table_statements(
    schema: Schema, table: Table, dialect: Dialect | None = None
) -> list[CreateStatement]:
    """One table's statements: the table, then its indexes, then its foreign keys (those
    that are not written inside the table, as SQLite's are). Nothing for a view or a
    composite type."""
    dialect = dialect or _dialect(schema)
    if dialect is None or table.kind not in ("table", "join_table"):
        return []
    enums = {e.model_name or e.name: e for e in schema.enums}
    name = _qualified(dialect, table.name, table.db_schema)
    out = [
        CreateStatement(
            "table",
            table.name,
            _create_table(dialect, table, name, enums),
            table.name,
            table.db_schema,
        )
    ]
    if dialect.NAME != "mysql":
        indexes = [(u.name, u.columns, True, None, None) for u in table.uniques]
        indexes += [(i.name, i.columns, i.unique, i.method, i.predicate) for i in table.indexes]
        for index_name, columns, unique, method, predicate in indexes:
            out.append(
                CreateStatement(
                    "index",
                    index_name,
                    _create_index(dialect, name, index_name, columns, unique, method, predicate),
                    table.name,
                    table.db_schema,
                )
            )
    if dialect.NAME != "sqlite":
        for fk in table.foreign_keys:
            out.append(
                CreateStatement(
                    "foreign_key",
                    fk.name,
                    f"ALTER TABLE {name} ADD {_foreign_key(dialect, fk)};",
                    table.name,
                    table.db_schema,
                )
            )
    return out


# -- tables ----------------------------------------------------------------------------------------


def _create_table(dialect: Dialect, table: Table, name: str, enums: dict[str, Enum]) -> str:
    kind = dialect.NAME
    lines = [_column(dialect, table, c, enums) for c in table.columns]
    pk = table.primary_key
    inline_pk = kind == "sqlite" and pk is not None and len(pk.columns) == 1
    constraints: list[str] = []
    if pk is not None and not inline_pk:
        columns = _column_list(dialect, [c.column or "" for c in pk.columns], kind == "sqlite")
        if kind in ("mysql", "sqlite"):  # no name: MySQL's is PRIMARY, SQLite keeps none
            constraints.append(f"PRIMARY KEY {columns}")
        else:
            constraints.append(f"CONSTRAINT {dialect.quote(pk.name or '')} PRIMARY KEY {columns}")
    if kind == "sqlite":
        constraints.extend(_foreign_key(dialect, fk) for fk in table.foreign_keys)
        body = ",\n".join(f"    {line}" for line in lines)
        if constraints:
            blank = "\n" if pk is not None and not inline_pk else ""
            body += ",\n" + blank + ",\n".join(f"    {c}" for c in constraints)
        return f"CREATE TABLE {name} (\n{body}\n);"
    if kind == "mysql":
        items = list(lines)
        for u in table.uniques:
            items.append(f"UNIQUE INDEX {dialect.quote(u.name)}{_index_parts(dialect, u.columns)}")
        for i in table.indexes:
            word = (
                "FULLTEXT INDEX"
                if i.method == "fulltext"
                else ("UNIQUE INDEX" if i.unique else "INDEX")
            )
            items.append(f"{word} {dialect.quote(i.name)}{_index_parts(dialect, i.columns)}")
        items.extend(constraints)
        body = ",\n".join(f"    {line}" for line in items)
        return f"CREATE TABLE {name} (\n{body}\n) {MYSQL_TABLE_OPTIONS};"
    body = ",\n".join(f"    {line}" for line in lines)
    if constraints:
        body += ",\n\n" + ",\n".join(f"    {c}" for c in constraints)
    return f"CREATE TABLE {name} (\n{body}\n);"


def _column(dialect: Dialect, table: Table, column: Column, enums: dict[str, Enum]) -> str:
    enum = enums.get(column.type.orm_type or "") if column.type.kind == "enum" else None
    type_sql = _type_sql(dialect, column, enum)
    parts = [dialect.quote(column.name), type_sql]
    if not column.nullable:
        parts.append("NOT NULL")
    pk = table.primary_key
    if (
        dialect.NAME == "sqlite"
        and pk is not None
        and len(pk.columns) == 1
        and pk.columns[0].column == column.name
    ):
        parts.append("PRIMARY KEY")
        if autoincrement_keyword(dialect, column):
            parts.append("AUTOINCREMENT")
    if dialect.NAME == "mysql" and column.auto_increment:
        parts.append("AUTO_INCREMENT")
    default = default_sql(dialect, column.default, column, enum)
    if default is not None:
        if dialect.NAME == "mysql":
            default = _mysql_default(column, default)
        parts.append(f"DEFAULT {default}")
    return " ".join(p for p in parts if p)


def _type_sql(dialect: Dialect, column: Column, enum: Enum | None) -> str:
    if dialect.NAME == "mysql" and column.type.kind == "enum":
        values = enum.values if enum is not None else []
        return "ENUM(" + ", ".join(_quote_literal(v.name) for v in values) + ")"
    return column_type_sql(dialect, column) or ""


def _mysql_default(column: Column, default: str) -> str:
    """MySQL wants `CURRENT_TIMESTAMP(n)` to carry the column's fractional precision."""
    precision = column.type.precision
    if default == "CURRENT_TIMESTAMP" and precision:
        return f"CURRENT_TIMESTAMP({precision})"
    return default


# -- indexes and keys ------------------------------------------------------------------------------


def _create_index(
    dialect: Dialect,
    table: str,
    name: str,
    columns: Sequence[IndexColumn],
    unique: bool,
    method: str | None,
    predicate: str | None,
) -> str:
    head = f"CREATE {'UNIQUE ' if unique else ''}INDEX {dialect.quote(name)} ON {table}"
    parts = _index_parts(dialect, columns)
    if method not in (None, "btree", "fulltext"):
        sql = f"{head} USING {method.upper()} {parts}"
    else:
        sql = f"{head}{parts}"
    if predicate:
        sql += f" WHERE {index_predicate_sql(dialect, predicate)}"
    return sql + ";"


def _index_parts(dialect: Dialect, columns: Iterable[IndexColumn]) -> str:
    out = []
    for c in columns:
        text = dialect.quote(c.column) if c.column is not None else (c.expression or "")
        if c.length is not None:
            text += f"({c.length})"
        if c.ops:
            text += f" {operator_class_sql(c.ops)}"
        if c.sort:
            text += f" {c.sort.upper()}"
        out.append(text)
    return "(" + ", ".join(out) + ")"


def _foreign_key(dialect: Dialect, fk: ForeignKey) -> str:
    sqlite = dialect.NAME == "sqlite"
    target = _qualified(dialect, fk.referenced_table, fk.referenced_schema)
    columns = _column_list(dialect, fk.columns, True)
    referenced = _column_list(dialect, fk.referenced_columns, True)
    space = " " if sqlite else ""
    return (
        f"CONSTRAINT {dialect.quote(fk.name)} FOREIGN KEY {columns} REFERENCES {target}{space}"
        f"{referenced} ON DELETE {referential_action_sql(fk.on_delete)} "
        f"ON UPDATE {referential_action_sql(fk.on_update)}"
    )


def _column_list(dialect: Dialect, names: Iterable[str], spaced: bool) -> str:
    sep = ", " if spaced else ","
    return "(" + sep.join(dialect.quote(n) for n in names) + ")"


# -- names -----------------------------------------------------------------------------------------


def _dialect(schema: Schema) -> Dialect | None:
    dialect = get_dialect(schema.provider)
    if dialect is None or not dialect.IS_SQL:
        return None
    return dialect


def _named_enums(dialect: Dialect) -> bool:
    return dialect.TYPE_MAPPING.get("enum") == '"{enum}"'


def _schemas(schema: Schema, dialect: Dialect) -> list[str]:
    """The database schemas the script creates (multiSchema on PostgreSQL): the datasource's
    `schemas` list, else `public`, as the engine writes it."""
    if dialect.NAME not in ("postgresql", "cockroachdb"):
        return []
    listed = None
    if schema.datasource is not None:
        value = schema.datasource.properties.get("schemas")
        if value is not None and isinstance(value.value, list):
            listed = [str(v) for v in value.value]
    return listed or ["public"]


def _qualified(dialect: Dialect, name: str, db_schema: str | None) -> str:
    """`"auth"."User"`; unqualified in the connection's own schema (`public`), as the engine
    writes it."""
    quoted = dialect.quote(name)
    if not db_schema or db_schema == DEFAULT_SCHEMA.get(dialect.NAME):
        return quoted
    return f"{dialect.quote(db_schema)}.{quoted}"


def _quote_literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"

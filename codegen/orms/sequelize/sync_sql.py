"""The SQL `sequelize.sync()` runs for a set of models, per dialect.

Sequelize 6.37.8 creates each model's table with `queryInterface.createTable` (the query
generators' `createTableQuery` and `attributeToSQL`: `lib/dialects/{postgres,mysql,sqlite}/
query-generator.js`), PostgreSQL ENUM types first (`CREATE TYPE "enum_<table>_<column>"`), then
each of the model's `indexes` with `addIndex`; tables in the order of their foreign keys. The
source replays this SQL (`server/migrations/replay.py`) to get the schema the database would
hold, so the declared schema is in the same canonical form as a migrated or introspected one;
tests/verify/test_sequelize_sync.py compares it with what `sync()` builds on real databases.

What each dialect writes, as Sequelize does:
- PostgreSQL: `"id" SERIAL`, inline `UNIQUE` and `REFERENCES "T" ("id") ON DELETE ... ON UPDATE
  ...`, a composite `unique: 'name'` as an unnamed `UNIQUE (...)` (PostgreSQL names it);
- MySQL / MariaDB: `auto_increment`, `UNIQUE \\`name\\` (...)`, foreign keys as `FOREIGN KEY
  (...) REFERENCES ...` after the columns, `ENGINE=InnoDB`;
- SQLite: `INTEGER PRIMARY KEY AUTOINCREMENT`, inline `REFERENCES`.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Literal

Dialect = Literal["postgres", "mysql", "mariadb", "sqlite"]


@dataclass
class SyncColumn:
    name: str
    type_sql: str
    """The type as `types.to_sql` writes it (PostgreSQL ENUM: `ENUM`, replaced here)."""
    enum_values: tuple[str, ...] | None = None
    allow_null: bool = True
    primary_key: bool = False
    auto_increment: bool = False
    default_sql: str | None = None
    unique: bool = False
    references: tuple[str, str] | None = None
    on_delete: str | None = None
    on_update: str | None = None


@dataclass
class SyncIndexField:
    column: str
    order: str | None = None
    length: int | None = None
    operator: str | None = None


@dataclass
class SyncIndex:
    name: str
    fields: list[SyncIndexField]
    unique: bool = False
    using: str | None = None
    where_sql: str | None = None


@dataclass
class SyncTable:
    name: str
    columns: list[SyncColumn] = field(default_factory=list)
    unique_keys: list[tuple[str, list[str]]] = field(default_factory=list)
    """`unique: 'name'` shared by several attributes: (name, columns)."""
    indexes: list[SyncIndex] = field(default_factory=list)


def quote(dialect: Dialect, name: str) -> str:
    if dialect == "postgres":
        return '"' + name.replace('"', '""') + '"'
    return "`" + name.replace("`", "``") + "`"


def enum_type(table: str, column: str) -> str:
    """`pgEnumName` (without the schema): `enum_<table>_<column>`."""
    return f"enum_{table}_{column}".replace('"', "")


def ordered(tables: list[SyncTable]) -> list[SyncTable]:
    """Tables after the tables their foreign keys reference (`sync`'s dependency order; a
    cycle keeps the order given)."""
    by_name = {t.name: t for t in tables}
    done: list[SyncTable] = []
    seen: set[str] = set()

    def visit(table: SyncTable, path: set[str]) -> None:
        if table.name in seen:
            return
        path = path | {table.name}
        for column in table.columns:
            if column.references is None:
                continue
            target = by_name.get(column.references[0])
            if target is not None and target.name not in path:
                visit(target, path)
        if table.name not in seen:
            seen.add(table.name)
            done.append(table)

    for table in tables:
        visit(table, set())
    return done


def sync_statements(tables: list[SyncTable], dialect: Dialect) -> list[tuple[str, str]]:
    """`(table, statement)` for every statement `sync()` runs that changes the catalog."""
    out: list[tuple[str, str]] = []
    later: list[tuple[str, str]] = []
    created: set[str] = set()
    names = {t.name for t in tables}
    for table in ordered(tables):
        created.add(table.name)
        if dialect == "postgres":
            # a key to a table not created yet (a cycle, which `sync()` itself cannot create on
            # PostgreSQL): added once every table exists; PostgreSQL names it the same
            for column in table.columns:
                ref = column.references
                if ref is not None and ref[0] in names and ref[0] not in created:
                    later.append((table.name, add_foreign_key(table.name, column, dialect)))
            table = _without_late_keys(table, created, names)
            for column in table.columns:
                if column.type_sql.startswith("ENUM") and column.enum_values is not None:
                    values = ", ".join(_literal(v) for v in column.enum_values)
                    name = quote(dialect, enum_type(table.name, column.name))
                    out.append((table.name, f"CREATE TYPE {name} AS ENUM({values});"))
        out.append((table.name, create_table(table, dialect)))
        for index in table.indexes:
            out.append((table.name, create_index(table.name, index, dialect)))
    return out + later


def _without_late_keys(table: SyncTable, created: set[str], names: set[str]) -> SyncTable:
    columns = [
        replace(c, references=None, on_delete=None, on_update=None)
        if c.references is not None and c.references[0] in names and c.references[0] not in created
        else c
        for c in table.columns
    ]
    return replace(table, columns=columns)


def add_foreign_key(table: str, column: SyncColumn, dialect: Dialect) -> str:
    return (
        f"ALTER TABLE {quote(dialect, table)} ADD FOREIGN KEY ({quote(dialect, column.name)}) "
        f"{references_sql(column, dialect)};"
    )


def _literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


_MYSQL_NO_DEFAULT = {"BLOB", "TEXT", "GEOMETRY", "JSON"}
"""`typeWithoutDefault` of the MySQL query generator: no DEFAULT written for these types (nor
for a binary string)."""


def column_sql(table: str, column: SyncColumn, dialect: Dialect) -> str:
    """`attributeToSQL` of the dialect's query generator (SQLite's `createTableQuery` then
    rewrites the primary key: `sqlite_columns`)."""
    q = quote(dialect, column.name)
    type_sql = column.type_sql
    if dialect == "postgres" and type_sql.startswith("ENUM"):
        type_sql = quote(dialect, enum_type(table, column.name)) + type_sql[4:]
    if dialect == "postgres" and column.auto_increment:
        serial = {"INTEGER": "SERIAL", "BIGINT": "BIGSERIAL", "SMALLINT": "SMALLSERIAL"}
        type_sql = serial.get(type_sql, type_sql)
    parts = [type_sql]
    if not column.allow_null:
        parts.append("NOT NULL")
    if column.auto_increment and dialect in ("mysql", "mariadb"):
        parts.append("auto_increment")
    default = column.default_sql
    if dialect in ("mysql", "mariadb") and (
        type_sql in _MYSQL_NO_DEFAULT or type_sql.endswith(" BINARY")
    ):
        default = None
    if default is not None:
        parts.append(f"DEFAULT {default}")
    if column.unique:
        parts.append("UNIQUE")
    if dialect == "sqlite" and column.primary_key:
        parts.append("PRIMARY KEY AUTOINCREMENT" if column.auto_increment else "PRIMARY KEY")
    if column.references is not None and dialect != "mysql" and dialect != "mariadb":
        parts.append(references_sql(column, dialect))
    return f"{q} {' '.join(parts)}"


def _sqlite_column(definition: str, several_keys: bool) -> str:
    """SQLite's `createTableQuery` on one column: a single primary key whose definition holds
    `INT` becomes `INTEGER PRIMARY KEY [AUTOINCREMENT]` (its NOT NULL, DEFAULT, UNIQUE dropped,
    its REFERENCES kept); with several, `PRIMARY KEY` becomes `NOT NULL` (or goes)."""
    if "PRIMARY KEY" not in definition:
        return definition
    name, _, data_type = definition.partition(" ")
    out = data_type
    if "INT" in data_type:
        out = (
            "INTEGER PRIMARY KEY AUTOINCREMENT"
            if "AUTOINCREMENT" in data_type
            else "INTEGER PRIMARY KEY"
        )
        if " REFERENCES" in data_type:
            out += data_type[data_type.index(" REFERENCES") :]
    if several_keys:
        if "NOT NULL" in data_type:
            out = data_type.replace(" PRIMARY KEY", "", 1)
        else:
            out = data_type.replace("PRIMARY KEY", "NOT NULL", 1)
    return f"{name} {out}"


def references_sql(column: SyncColumn, dialect: Dialect) -> str:
    assert column.references is not None
    table, key = column.references
    text = f"REFERENCES {quote(dialect, table)} ({quote(dialect, key)})"
    if column.on_delete:
        text += f" ON DELETE {column.on_delete.upper()}"
    if column.on_update:
        text += f" ON UPDATE {column.on_update.upper()}"
    return text


def create_table(table: SyncTable, dialect: Dialect) -> str:
    items = [column_sql(table.name, c, dialect) for c in table.columns]
    keys = [c for c in table.columns if c.primary_key]
    if dialect == "sqlite":
        items = [_sqlite_column(item, len(keys) > 1) for item in items]
    for name, columns in table.unique_keys:
        cols = ", ".join(quote(dialect, c) for c in columns)
        if dialect in ("mysql", "mariadb"):
            items.append(f"UNIQUE {quote(dialect, name)} ({cols})")
        else:
            items.append(f"UNIQUE ({cols})")
    sqlite_inline = dialect == "sqlite" and len(keys) == 1
    if keys and not sqlite_inline:
        items.append(f"PRIMARY KEY ({', '.join(quote(dialect, c.name) for c in keys)})")
    if dialect in ("mysql", "mariadb"):
        for column in table.columns:
            if column.references is not None:
                fk = references_sql(column, dialect)
                items.append(f"FOREIGN KEY ({quote(dialect, column.name)}) {fk}")
    text = f"CREATE TABLE IF NOT EXISTS {quote(dialect, table.name)} ({', '.join(items)})"
    if dialect in ("mysql", "mariadb"):
        text += " ENGINE=InnoDB"
    return text + ";"


def create_index(table: str, index: SyncIndex, dialect: Dialect) -> str:
    parts = []
    for f in index.fields:
        text = quote(dialect, f.column)
        if f.length and dialect in ("mysql", "mariadb"):
            text += f"({f.length})"
        if f.operator and dialect == "postgres":
            text += f" {f.operator}"
        if f.order:
            text += f" {f.order.upper()}"
        parts.append(text)
    unique = "UNIQUE " if index.unique else ""
    using = f" USING {index.using.upper()}" if index.using and dialect == "postgres" else ""
    sql = (
        f"CREATE {unique}INDEX {quote(dialect, index.name)} ON {quote(dialect, table)}"
        f"{using} ({', '.join(parts)})"
    )
    if index.where_sql and dialect not in ("mysql", "mariadb"):  # MySQL has no partial index
        sql += f" WHERE {index.where_sql}"
    return sql + ";"

"""Read a MySQL or MariaDB database's `information_schema` into the schema model (PyMySQL).

What the database built, in the canonical forms the migration replay also produces:
- base tables, and views by name (`kind="view"`); Prisma's `_prisma_migrations` is left out.
  `db_schema` is None (one database is one schema).
- a column's `type.native` is `COLUMNS.COLUMN_TYPE` lower-cased and spelled as MySQL 8 does
  (`codegen.dialects.normalize.normalize_type`: no integer display widths but `tinyint(1)`).
  MariaDB's `JSON` is `longtext` with a `json_valid(col)` check named after the column: such a
  column is read as `json` and that check is left out, as MySQL would show it.
- its default is `Default(kind="expression")` with `COLUMN_DEFAULT` as the value (MariaDB's
  text: `'abc'`, `1`, `current_timestamp(3)`); MySQL 8 prints a literal default unquoted, so
  there it is quoted back unless it is a number or an expression (`DEFAULT_GENERATED`). No
  default, or `NULL`, is None. `EXTRA` `auto_increment` is `auto_increment`.
- the primary key (named None: MySQL calls every one `PRIMARY`); every other key, unique or
  not, is an `Index` (`unique=True` for unique ones; MySQL keeps no difference between a unique
  constraint and a unique index, so `uniques` stays empty), with `SUB_PART` as the part's
  `length`, `sort="desc"` for `COLLATION` `D`, and `method` `btree`, `hash`, `fulltext`.
- foreign keys from `REFERENTIAL_CONSTRAINTS` + `KEY_COLUMN_USAGE`, `RESTRICT`, `CASCADE`,
  `SET NULL`, `NO ACTION`, `SET DEFAULT` as the model's actions; checks from
  `CHECK_CONSTRAINTS` where the server has them.
- enum columns are `kind="enum"` with the values in `native` (`enum('a','b')`); MySQL has no
  named enum types, so `Schema.enums` stays empty.
"""

from __future__ import annotations

import re
from typing import Any

from schemasense.codegen.dialects.normalize import normalize_type
from schemasense.codegen.dialects.sql_types import column_type
from schemasense.codegen.schema import (
    CheckConstraint,
    Column,
    Default,
    ForeignKey,
    Index,
    IndexColumn,
    PrimaryKey,
    Schema,
    Table,
)

SKIPPED_TABLES = frozenset({"_prisma_migrations"})

_ACTIONS = {
    "CASCADE": "Cascade",
    "RESTRICT": "Restrict",
    "NO ACTION": "NoAction",
    "SET NULL": "SetNull",
    "SET DEFAULT": "SetDefault",
}
_METHODS = {"BTREE": "btree", "HASH": "hash", "FULLTEXT": "fulltext"}
_NUMERIC = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
_NUMERIC_TYPES = (
    "tinyint", "smallint", "mediumint", "int", "integer", "bigint",
    "decimal", "numeric", "float", "double", "real", "bit", "year",
)  # fmt: skip


def _rows(cur: Any, sql: str, *args: Any) -> list[dict[str, Any]]:
    cur.execute(sql, args)
    names = [d[0].upper() for d in cur.description]
    return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]


def introspect_mysql(conn: Any, database: str) -> Schema:
    """The schema that `database` holds on the server behind `conn` (a PyMySQL connection)."""
    with conn.cursor() as cur:
        cur.execute("SELECT VERSION()")
        mariadb = "mariadb" in str(cur.fetchone()[0]).lower()
        tables: dict[str, Table] = {}
        ordered: list[Table] = []
        for row in _rows(
            cur,
            "SELECT TABLE_NAME, TABLE_TYPE FROM information_schema.TABLES "
            "WHERE TABLE_SCHEMA = %s ORDER BY TABLE_NAME",
            database,
        ):
            name = row["TABLE_NAME"]
            if name in SKIPPED_TABLES:
                continue
            table = Table(name=name, kind="view" if row["TABLE_TYPE"] == "VIEW" else "table")
            ordered.append(table)
            if table.kind == "table":
                tables[name] = table

        checks = _checks(cur, database)
        json_checks = {
            (t, name)
            for t, name, clause in checks
            if clause.replace(" ", "").lower() == f"json_valid(`{name.lower()}`)"
        }

        for row in _rows(
            cur,
            "SELECT * FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = %s "
            "ORDER BY TABLE_NAME, ORDINAL_POSITION",
            database,
        ):
            table = tables.get(row["TABLE_NAME"])
            if table is None:
                continue
            name = row["COLUMN_NAME"]
            native = normalize_type("mysql", row["COLUMN_TYPE"])
            if native == "longtext" and (table.name, name) in json_checks:
                native = "json"
            column = Column(
                name=name,
                type=column_type("mysql", native),
                nullable=row["IS_NULLABLE"] == "YES",
                auto_increment="auto_increment" in (row["EXTRA"] or "").lower(),
            )
            default = _default(row, native, mariadb)
            if default is not None:
                column.default = Default(kind="expression", value=default)
            table.columns.append(column)

        for t, name, clause in checks:
            if t in tables and (t, name) not in json_checks:
                tables[t].checks.append(CheckConstraint(name=name, expression=clause))

        indexes: dict[tuple[str, str], Index] = {}
        for row in _rows(
            cur,
            "SELECT * FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = %s "
            "ORDER BY TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX",
            database,
        ):
            table = tables.get(row["TABLE_NAME"])
            if table is None:
                continue
            part = IndexColumn()
            if row["COLUMN_NAME"] is not None:
                part.column = row["COLUMN_NAME"]
            else:  # MySQL 8 functional key part
                part.expression = row.get("EXPRESSION")
            if row["SUB_PART"] is not None:
                part.length = int(row["SUB_PART"])
            if row["COLLATION"] == "D":
                part.sort = "desc"
            if row["INDEX_NAME"] == "PRIMARY":
                if table.primary_key is None:
                    table.primary_key = PrimaryKey(columns=[])
                table.primary_key.columns.append(part)
                continue
            key = (table.name, row["INDEX_NAME"])
            if key not in indexes:
                indexes[key] = Index(
                    name=row["INDEX_NAME"],
                    columns=[],
                    unique=str(row["NON_UNIQUE"]) == "0",
                    method=_METHODS.get(row["INDEX_TYPE"]),  # type: ignore[arg-type]
                )
                table.indexes.append(indexes[key])
            indexes[key].columns.append(part)

        usage: dict[tuple[str, str], list[dict[str, Any]]] = {}
        for row in _rows(
            cur,
            "SELECT * FROM information_schema.KEY_COLUMN_USAGE WHERE TABLE_SCHEMA = %s "
            "AND REFERENCED_TABLE_NAME IS NOT NULL "
            "ORDER BY TABLE_NAME, CONSTRAINT_NAME, ORDINAL_POSITION",
            database,
        ):
            usage.setdefault((row["TABLE_NAME"], row["CONSTRAINT_NAME"]), []).append(row)
        for row in _rows(
            cur,
            "SELECT * FROM information_schema.REFERENTIAL_CONSTRAINTS "
            "WHERE CONSTRAINT_SCHEMA = %s ORDER BY TABLE_NAME, CONSTRAINT_NAME",
            database,
        ):
            table = tables.get(row["TABLE_NAME"])
            if table is None:
                continue
            parts = usage.get((row["TABLE_NAME"], row["CONSTRAINT_NAME"]), [])
            referenced_schema = row["UNIQUE_CONSTRAINT_SCHEMA"]
            table.foreign_keys.append(
                ForeignKey(
                    name=row["CONSTRAINT_NAME"],
                    columns=[p["COLUMN_NAME"] for p in parts],
                    referenced_table=row["REFERENCED_TABLE_NAME"],
                    referenced_schema=None if referenced_schema == database else referenced_schema,
                    referenced_columns=[p["REFERENCED_COLUMN_NAME"] for p in parts],
                    on_delete=_ACTIONS[row["DELETE_RULE"]],  # type: ignore[arg-type]
                    on_update=_ACTIONS[row["UPDATE_RULE"]],  # type: ignore[arg-type]
                )
            )
    return Schema(provider="mysql", tables=ordered)


def _checks(cur: Any, database: str) -> list[tuple[str, str, str]]:
    """(table, name, clause) for each check constraint, where the server keeps them."""
    try:
        rows = _rows(
            cur,
            "SELECT * FROM information_schema.CHECK_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = %s "
            "ORDER BY CONSTRAINT_NAME",
            database,
        )
    except Exception:  # MySQL before 8.0.16 has no such table
        return []
    if rows and "TABLE_NAME" not in rows[0]:  # MySQL 8: the table is in TABLE_CONSTRAINTS
        owners = {
            r["CONSTRAINT_NAME"]: r["TABLE_NAME"]
            for r in _rows(
                cur,
                "SELECT CONSTRAINT_NAME, TABLE_NAME FROM information_schema.TABLE_CONSTRAINTS "
                "WHERE CONSTRAINT_SCHEMA = %s AND CONSTRAINT_TYPE = 'CHECK'",
                database,
            )
        }
        return [(owners.get(r["CONSTRAINT_NAME"], ""), r["CONSTRAINT_NAME"], r["CHECK_CLAUSE"])
                for r in rows]  # fmt: skip
    return [(r["TABLE_NAME"], r["CONSTRAINT_NAME"], r["CHECK_CLAUSE"]) for r in rows]


def _default(row: dict[str, Any], native: str, mariadb: bool) -> str | None:
    value = row["COLUMN_DEFAULT"]
    if value is None or (mariadb and value == "NULL"):
        return None
    if mariadb:
        return value
    # MySQL 8 prints a literal default without its quotes
    extra = (row["EXTRA"] or "").upper()
    if "DEFAULT_GENERATED" in extra or value.upper().startswith("CURRENT_TIMESTAMP"):
        return value
    if native.startswith(_NUMERIC_TYPES) and _NUMERIC.match(value):
        return value
    return "'" + value.replace("\\", "\\\\").replace("'", "''") + "'"

"""The database's side of the DTO oracle: a real database migrated as the project migrates it,
parents created first, and each payload INSERTed (and rolled back) to see if it is accepted.

How a project's database is built:
- Prisma with migrations: its `migrations/*/migration.sql` in order (Prisma's way: one script
  per file, in a transaction on PostgreSQL; `executescript` on SQLite);
- Prisma without migrations (a sample): the SQL Prisma's engine writes for the schema
  (`codegen/orms/prisma/create_sql`, checked statement for statement against the engine);
- TypeORM / Sequelize: the SQL the ORM's own `synchronize()` / `sync()` runs for the entities
  (`codegen/orms/typeorm/create_sql`, `codegen/orms/sequelize/sync_sql`, each checked against
  the ORM on real databases in tests/verify and tests/oracle/typeorm).

A payload's JSON values go to the database as text, as the database's own input functions
read them (`'12'` into an integer column, `'{"a":1}'` into jsonb): the database, not a driver,
judges them. Columns the ORM fills on insert (Prisma's `uuid()`, `@updatedAt`, Sequelize's
timestamps, TypeORM's date columns) are filled as the ORM would.
"""

from __future__ import annotations

import base64
import json
import re
import sqlite3
import uuid
from dataclasses import dataclass, field
from typing import Any

from schemasense.codegen.emit.dto import DtoField, DtoModel
from schemasense.codegen.schema import Schema, Table

from .payloads import valid_value

EXCUSED = {"23505": "uniqueness", "23503": "foreign key"}
"""Refusals a DTO cannot foresee (the test names them and leaves them out of the count)."""


@dataclass
class Verdict:
    ok: bool
    code: str | None = None
    message: str = ""
    constraint: str | None = None

    @property
    def excused(self) -> str | None:
        return EXCUSED.get(self.code or "") if not self.ok else None


@dataclass
class Parents:
    values: dict[str, Any] = field(default_factory=dict)
    """Column (database name) -> the value that points at a parent row."""
    problems: list[str] = field(default_factory=list)


class Database:
    """One migrated database (PostgreSQL via psycopg, or SQLite) holding the parents."""

    def __init__(self, conn: Any, dialect: str, schema: Schema, models: list[DtoModel]):
        self.conn = conn
        self.dialect = dialect
        self.schema = schema
        self.models = {m.table: m for m in models}
        self.counter = 100_000

    # -- SQL -----------------------------------------------------------------------------------

    def quote(self, name: str) -> str:
        if self.dialect == "mysql":
            return "`" + name.replace("`", "``") + "`"
        return '"' + name.replace('"', '""') + '"'

    def _table_name(self, table: Table) -> str:
        if table.db_schema and self.dialect == "postgresql":
            return f"{self.quote(table.db_schema)}.{self.quote(table.name)}"
        return self.quote(table.name)

    def insert(self, table: Table, row: dict[str, Any], returning: list[str]) -> Any:
        columns = list(row)
        names = ", ".join(self.quote(c) for c in columns)
        marks = ", ".join(["?" if self.dialect == "sqlite" else "%s"] * len(columns))
        back = ", ".join(self.quote(c) for c in returning) or "1"
        if columns:
            sql = (
                f"INSERT INTO {self._table_name(table)} ({names}) VALUES ({marks}) RETURNING {back}"
            )
        else:
            sql = f"INSERT INTO {self._table_name(table)} DEFAULT VALUES RETURNING {back}"
            if self.dialect == "mysql":
                sql = f"INSERT INTO {self._table_name(table)} () VALUES () RETURNING {back}"
        params = [self.param(table, c, v) for c, v in row.items()]
        if self.dialect == "mysql":
            with self.conn.cursor() as cur:
                cur.execute(sql, params)
                return cur.fetchone()
        cur = self.conn.execute(sql, params)
        return cur.fetchone()

    def param(self, table: Table, column: str, value: Any) -> Any:
        col = table.column(column)
        if value is None:
            return None
        kind = col.type.kind if col is not None else "text"
        if kind == "bytes" and isinstance(value, str):
            try:
                return base64.b64decode(value, validate=True)
            except ValueError:
                return value
        if col is not None and col.type.array and isinstance(value, list):
            if self.dialect == "postgresql":
                return "{" + ",".join(_array_item(v) for v in value) + "}"
            return json.dumps(value)
        if kind == "json" or isinstance(value, dict | list):
            return json.dumps(value)
        if isinstance(value, bool):
            if self.dialect in ("sqlite", "mysql"):
                return 1 if value else 0
            return "true" if value else "false"
        if isinstance(value, int | float):
            return str(value) if self.dialect != "sqlite" else value
        if self.dialect == "mysql" and kind == "timestamp" and isinstance(value, str):
            return _mysql_datetime(value)  # what the driver sends for a date
        return value

    def try_insert(self, table: Table, row: dict[str, Any]) -> Verdict:
        if self.dialect == "postgresql":
            import psycopg

            try:
                with self.conn.transaction():
                    self.insert(table, row, [])
                    raise _Rollback
            except _Rollback:
                return Verdict(True)
            except psycopg.Error as exc:
                name = exc.diag.constraint_name if exc.diag else None
                return Verdict(False, exc.sqlstate, str(exc).splitlines()[0], name)
        if self.dialect == "mysql":
            return self._try_mysql(table, row)
        self.conn.execute("SAVEPOINT payload")
        try:
            self.insert(table, row, [])
            return Verdict(True)
        except sqlite3.IntegrityError as exc:
            text = str(exc)
            code = "23505" if "UNIQUE" in text else "23503" if "FOREIGN KEY" in text else "23000"
            return Verdict(False, code, text)
        except sqlite3.Error as exc:
            return Verdict(False, "sqlite", str(exc))
        finally:
            self.conn.execute("ROLLBACK TO SAVEPOINT payload")
            self.conn.execute("RELEASE SAVEPOINT payload")

    def _try_mysql(self, table: Table, row: dict[str, Any]) -> Verdict:
        import pymysql

        self.conn.begin()
        try:
            self.insert(table, row, [])
            return Verdict(True)
        except pymysql.MySQLError as exc:
            number = exc.args[0] if exc.args else None
            text = str(exc.args[1]) if len(exc.args) > 1 else str(exc)
            code = _MYSQL_CODES.get(number, str(number))
            m = re.search(r"CONSTRAINT `([^`]+)` failed", text)
            return Verdict(False, code, text, m.group(1) if m else None)
        finally:
            self.conn.rollback()

    def has_table(self, table: Table) -> bool:
        """Whether the migrated database holds `table` (a statement that builds it may have been
        refused: then its model is not judged, and the test says so)."""
        if self.dialect == "postgresql":
            name = self._table_name(table)
            return self.conn.execute("SELECT to_regclass(%s)", [name]).fetchone()[0] is not None
        if self.dialect == "sqlite":
            row = self.conn.execute(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", [table.name]
            ).fetchone()
            return row is not None
        with self.conn.cursor() as cur:
            cur.execute(
                "SELECT 1 FROM information_schema.TABLES"
                " WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = %s",
                [table.name],
            )
            return cur.fetchone() is not None

    def check_definition(self, name: str | None) -> str | None:
        """A CHECK constraint's text as the database gives it (`pg_get_constraintdef`)."""
        if name is not None and self.dialect == "mysql":
            with self.conn.cursor() as cur:
                cur.execute(
                    "SELECT CHECK_CLAUSE FROM information_schema.CHECK_CONSTRAINTS"
                    " WHERE CONSTRAINT_NAME = %s AND CONSTRAINT_SCHEMA = DATABASE()",
                    [name],
                )
                found = cur.fetchone()
            return found[0] if found else None
        if name is None or self.dialect != "postgresql":
            return None
        row = self.conn.execute(
            "SELECT pg_get_constraintdef(oid) FROM pg_constraint"
            " WHERE conname = %s AND contype = 'c'",
            [name],
        ).fetchone()
        return row[0] if row else None

    # -- rows ----------------------------------------------------------------------------------

    def orm_filled(self, model: DtoModel, given: dict[str, Any] | None = None) -> dict[str, Any]:
        """The values the ORM puts in the columns it fills (by database name): those left out
        of Create, and those it fills when the payload (`given`, by column) leaves them out."""
        out: dict[str, Any] = {}
        for f in model.fields:
            fills_missing = any(n.startswith("the ORM fills it when left out") for n in f.notes)
            if fills_missing and given is not None and f.column in given:
                continue
            if not fills_missing and (f.presence != "omitted" or not orm_fills(f)):
                continue
            if f.nullable and not fills_missing:
                continue  # a soft-delete date: empty until the row is deleted
            out[f.column] = {
                "uuid": str(uuid.uuid4()),
                "datetime": "2024-06-01T00:00:00.000Z",
                "date": "2024-06-01",
                "int": 1,
                "string": "c" + uuid.uuid4().hex[:24],
            }.get(f.base, "x")
        return out

    def parent_row(self, table: Table, depth: int = 0) -> tuple[Any, list[str]]:
        """Insert a row of `table` with its required columns (and the parents they need); the
        values of its columns as a dict, or None and why not."""
        model = self.models.get(table.name)
        if model is None:
            return None, [f"{table.name}: no model (cannot make a parent row)"]
        if depth > 6:
            return None, [f"{table.name}: required foreign keys go round in a circle"]
        self.counter += 1
        row: dict[str, Any] = {}
        for f in model.create_fields:
            if f.presence == "required" and not f.nullable:
                value = valid_value(f, self.counter)
                if value is None:
                    return None, [f"{table.name}.{f.column}: no valid value"]
                row[f.column] = value
        row.update(self.orm_filled(model))
        for fk in table.foreign_keys:
            cols = [table.column(c) for c in fk.columns]
            if not any(c is not None and not c.nullable for c in cols):
                for c in fk.columns:
                    row.pop(c, None)
                continue
            target = self.schema.table(fk.referenced_table)
            if target is None:
                return None, [f"{table.name}: references unknown {fk.referenced_table}"]
            parent, why = self.parent_row(target, depth + 1)
            if parent is None:
                return None, why
            for c, r in zip(fk.columns, fk.referenced_columns, strict=False):
                row[c] = parent[r]
        returning = [c.name for c in table.columns if not c.ignored]
        try:
            if self.dialect == "postgresql":
                with self.conn.transaction():
                    values = self.insert(table, row, returning)
            else:
                values = self.insert(table, row, returning)
            if values is None:
                raise ValueError("no row came back")
        except Exception as exc:
            return None, [f"{table.name}: parent row refused: {str(exc).splitlines()[0]}"]
        return dict(zip(returning, values, strict=False)), []

    def parents(self, table: Table) -> Parents:
        """A parent row for every foreign key of `table`; the key values to point at them."""
        out = Parents()
        for fk in table.foreign_keys:
            target = self.schema.table(fk.referenced_table)
            if target is None:
                out.problems.append(f"references unknown {fk.referenced_table}")
                continue
            parent, why = self.parent_row(target, 1)
            if parent is None:
                out.problems.extend(why)
                continue
            for c, r in zip(fk.columns, fk.referenced_columns, strict=False):
                out.values[c] = _jsonable(parent[r])
        return out


class _Rollback(Exception):
    pass


_MYSQL_CODES = {1062: "23505", 1452: "23503", 4025: "23514"}


def _mysql_datetime(value: str) -> str:
    """An ISO 8601 date-time as a MySQL driver sends it (`2024-05-06 07:08:09.000`), UTC; a
    value that is not one goes as it is (the database judges it)."""
    m = re.fullmatch(
        r"(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)(Z|[+-]00:?00)?", value
    )
    return f"{m.group(1)} {m.group(2)}" if m else value


def orm_fills(f: DtoField) -> bool:
    """Left out of Create because the ORM (not the database) fills it."""
    reason = next((n for n in f.notes if n.startswith("not in Create: ")), "")
    return bool(reason) and not reason.startswith("not in Create: the database")


def _array_item(value: Any) -> str:
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "true" if value else "false"
    text = json.dumps(value) if isinstance(value, dict | list) else str(value)
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _jsonable(value: Any) -> Any:
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, bytes | bytearray | memoryview):
        return base64.b64encode(bytes(value)).decode()
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if type(value).__name__ == "Decimal":
        return str(value)
    return value

"""A column's SQL type back to the Sequelize `DataTypes` a migration writes for it.

The reverse of `types.py`: `VARCHAR(40)` -> `Sequelize.STRING(40)`, `TIMESTAMP WITH TIME ZONE`
-> `Sequelize.DATE`, MySQL's `TINYINT(1)` -> `Sequelize.BOOLEAN`. Each candidate is checked by
running it forward through `types.to_sql` (Sequelize's own `toSql()`, ported) and comparing what
the database would print with the column's type; where no `DataTypes` member writes exactly
that type, the migration gives the SQL text itself (`type: "TIMESTAMP(3) WITH TIME ZONE"`),
which Sequelize writes as it is. So a generated migration never builds a type the models do not.

PostgreSQL enum types are not here: `Sequelize.ENUM(...)` names its type after the table and
column (`enum_<table>_<column>`), which the migration writer decides with the values in hand.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from schemasense.codegen.dialects.ddl_types import canonical, ddl, parse
from schemasense.codegen.dialects.sql_type import SqlType

from .types import DataType, Dialect, UnknownType, to_sql


@dataclass(frozen=True, slots=True)
class JsType:
    """A `type:` value: `expression` is JavaScript (`Sequelize.STRING(40)`) when `data_type`
    is set, else a SQL type string Sequelize writes as it is."""

    expression: str
    data_type: DataType | None = None

    @property
    def is_raw(self) -> bool:
        return self.data_type is None


_SIMPLE = {
    "TEXT": "TEXT",
    "CITEXT": "CITEXT",
    "INTEGER": "INTEGER",
    "INT": "INTEGER",
    "BIGINT": "BIGINT",
    "SMALLINT": "SMALLINT",
    "TINYINT": "TINYINT",
    "MEDIUMINT": "MEDIUMINT",
    "REAL": "REAL",
    "FLOAT": "FLOAT",
    "DOUBLE PRECISION": "DOUBLE",
    "DOUBLE": "DOUBLE",
    "BOOLEAN": "BOOLEAN",
    "TIMESTAMPTZ": "DATE",
    "DATETIME": "DATE",
    "DATE": "DATEONLY",
    "TIME": "TIME",
    "JSON": "JSON",
    "JSONB": "JSONB",
    "UUID": "UUID",
    "BYTEA": "BLOB",
    "BLOB": "BLOB",
    "INET": "INET",
    "CIDR": "CIDR",
    "MACADDR": "MACADDR",
    "TSVECTOR": "TSVECTOR",
    "HSTORE": "HSTORE",
}
"""SQL type names (Prisma's DDL keywords, as `diff` holds them) -> the `DataTypes` member that
may write them; `_candidates` adds the arguments."""

_SIZED_TEXT = {"TINYTEXT": "tiny", "MEDIUMTEXT": "medium", "LONGTEXT": "long"}
_SIZED_BLOB = {"TINYBLOB": "tiny", "MEDIUMBLOB": "medium", "LONGBLOB": "long"}

_KEY = {"DOUBLE": "DOUBLE PRECISION"}
"""`DataTypes.<member>` -> its key in `types.py` where they differ."""


def _provider(dialect: str) -> str:
    return {"postgres": "postgresql", "mariadb": "mysql"}.get(dialect, dialect)


def _orm_dialect(dialect: str) -> Dialect:
    return {"postgresql": "postgres", "cockroachdb": "postgres"}.get(dialect, dialect)  # type: ignore[return-value]


def _candidates(t: SqlType) -> list[tuple[str, DataType]]:
    """`(expression without the Sequelize. prefix, DataType)` guesses, best first."""
    name, args = (t.name or t.raw or "").upper(), t.args
    out: list[tuple[str, DataType]] = []
    if name == "VARCHAR":
        if args == (255,):
            out.append(("STRING", DataType("STRING")))
        if args:
            out.append((f"STRING({args[0]})", DataType("STRING", (args[0],))))
    elif name == "CHAR":
        if args:
            out.append((f"CHAR({args[0]})", DataType("CHAR", (args[0],))))
    elif name == "CHAR BINARY" and args == (36,):
        out.append(("UUID", DataType("UUID")))
    elif name in ("DECIMAL", "NUMERIC"):
        text = ", ".join(str(a) for a in args)
        out.append((f"DECIMAL({text})" if args else "DECIMAL", DataType("DECIMAL", args)))
    elif name in _SIZED_TEXT:
        size = _SIZED_TEXT[name]
        out.append((f"TEXT({{{size}}})", DataType("TEXT", (size,))))
    elif name in _SIZED_BLOB:
        size = _SIZED_BLOB[name]
        out.append((f"BLOB({{{size}}})", DataType("BLOB", (size,))))
    elif name == "DATETIME" and args:
        out.append((f"DATE({args[0]})", DataType("DATE", (args[0],))))
    elif name == "TINYINT" and args == (1,):
        out.append(("BOOLEAN", DataType("BOOLEAN")))
    elif name in _SIMPLE:
        member = _SIMPLE[name]
        key = _KEY.get(member, member)
        if args and member in ("INTEGER", "BIGINT", "SMALLINT", "TINYINT", "MEDIUMINT", "FLOAT"):
            text = ", ".join(str(a) for a in args)
            out.append((f"{member}({text})", DataType(key, args)))
        out.append((member, DataType(key)))
    return out


_SYNONYMS = {("mysql", "double precision"): "double"}
"""Type names the database prints otherwise (MySQL's `DOUBLE PRECISION` is `double`)."""


def _printed(provider: str, t: SqlType) -> str:
    text = canonical(provider, t)
    return _SYNONYMS.get((provider, text), text)


def _same(dialect: str, sql: str, t: SqlType) -> bool:
    provider = _provider(dialect)
    try:
        return _printed(provider, parse(provider, sql)) == _printed(provider, t)
    except Exception:  # a type text our parser does not know: not the same, say it raw
        return False


def data_type(
    t: SqlType,
    dialect: str,
    prefix: str = "Sequelize",
    string: Callable[[str], str] | None = None,
) -> JsType:
    """The `type:` a migration writes for a column of SQL type `t` on `dialect` (`string`
    quotes a JavaScript string, in the project's quote)."""
    string = string or _js_string
    provider = _provider(dialect)
    orm = _orm_dialect(provider)
    if t.array:
        inner = data_type(SqlType(t.name, t.args), dialect, prefix, string)
        if inner.data_type is not None and provider == "postgresql":
            wrapped = DataType("ARRAY", (inner.data_type,))
            return JsType(f"{prefix}.ARRAY({inner.expression})", wrapped)
        return JsType(ddl(provider, t))
    if t.values and provider == "mysql":
        values = ", ".join(string(v) for v in t.values)
        return JsType(f"{prefix}.ENUM({values})", DataType("ENUM", tuple(t.values)))
    for expression, candidate in _candidates(t):
        try:
            sql = to_sql(candidate, orm if orm != "mysql" else "mariadb")
        except UnknownType:
            continue
        if _same(dialect, sql, t):
            text = re.sub(r"\{(\w+)\}", lambda m: string(m.group(1)), expression)
            return JsType(f"{prefix}.{text}", candidate)
    return JsType(ddl(provider, t))


def _js_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'

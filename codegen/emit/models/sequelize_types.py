"""A column of the schema model -> the Sequelize `DataTypes` and `defaultValue` that build it.

The reverse of `codegen/orms/sequelize/types.py`: the column's SQL type for the database
(`codegen.dialects.ddl_types`, from a database's spelling or from an ORM's lowered type) gives
a few candidate DataTypes, and the one kept is the first whose `toSql()` (our port of
Sequelize's) the database prints the same way. So `character varying(320)` is
`DataTypes.STRING(320)`, `timestamp with time zone` `DataTypes.DATE`, `datetime(3)` on MySQL
`DataTypes.DATE(3)`. A type no DataType writes (PostgreSQL's `timestamp(3)` without time zone,
`varchar` without a length, a domain) is given as its SQL text (`type: "TIMESTAMP(3)"`), which
Sequelize writes as it is: the model then builds the same column rather than a near one.

A PostgreSQL enum is `DataTypes.ENUM(...values)`: Sequelize names its type
`enum_<table>_<column>`, whatever the source called it (an inherent difference).

Defaults: the column's default as SQL (`codegen.dialects.render.default_sql`, which reads both a
database's expression and an ORM's `@default`) becomes a JavaScript value where Sequelize
writes that value back (a string on a string column, a number, a boolean),
`Sequelize.literal("...")` otherwise (`CURRENT_TIMESTAMP`, `gen_random_uuid()`, a JSON text).
A default the client computes (Prisma's `uuid()`) is `DataTypes.UUIDV4`; Sequelize computes it
on insert too, and the database has none, as with the source.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from schemasense.codegen.dialects import ddl_types, get_dialect
from schemasense.codegen.dialects.native import parse_native
from schemasense.codegen.dialects.normalize import normalize_default
from schemasense.codegen.dialects.render import column_type_sql, default_sql
from schemasense.codegen.dialects.sql_type import SqlType
from schemasense.codegen.orms.sequelize import types as seq
from schemasense.codegen.schema import Column, Enum, Schema

PROVIDER = {"postgres": "postgresql", "mysql": "mysql", "mariadb": "mysql", "sqlite": "sqlite"}
"""Sequelize's dialect -> the schema model's provider."""
DIALECT = {
    "postgresql": "postgres",
    "cockroachdb": "postgres",
    "mysql": "mysql",
    "sqlite": "sqlite",
}


@dataclass(frozen=True, slots=True)
class JsType:
    """A column's type in a model: `code` after the DataTypes holder (`STRING(320)`), or
    `raw`, the SQL text written as a string; `ts` the TypeScript type of its values;
    `enum_values` for an enum (the TypeScript type is their union)."""

    code: str | None
    raw: str | None
    ts: str
    exact: bool = True
    data_type: seq.DataType | None = None
    array: bool = False
    values: tuple[str, ...] = ()

    def ts_type(self, quote: Callable[[str], str]) -> str:
        """The TypeScript type of the values, an enum's as the union of its values."""
        if not self.values:
            return self.ts
        union = " | ".join(quote(v) for v in self.values)
        return f"({union})[]" if self.array else union

    def text(
        self, holder: str, quote: Callable[[str], str], typescript: bool = False
    ) -> str | None:
        """The DataType as JavaScript after `holder` (`DataTypes`, sequelize-typescript's
        `DataType`), its strings in the project's `quote`. For TypeScript an integer's
        display width is `{ length: n }` (Sequelize's typings take no number there)."""
        if self.data_type is None:
            return None
        inner = f"{holder}.{js_code(self.data_type, quote, typescript)}"
        return f"{holder}.ARRAY({inner})" if self.array else inner


_JS_KEY = {"DOUBLE PRECISION": "DOUBLE"}
_INTS = ("TINYINT", "SMALLINT", "MEDIUMINT", "INTEGER", "BIGINT")


def sql_type(column: Column, provider: str, enums: frozenset[str] = frozenset()) -> SqlType:
    """The column's SQL type as the database holds it (its serial spelling folded back);
    `enums` are the names of the schema's enum types (PostgreSQL writes them unquoted)."""
    native = column.type.native
    dialect = get_dialect(provider)
    parsed = parse_native(native) if native else None
    prisma_native = parsed is not None and dialect is not None and parsed[0] in dialect.NATIVE_TYPES
    if native and not prisma_native:  # a database's spelling, not `@db.VarChar(n)`
        return ddl_types.parse(provider, native, enums or None)
    text = None
    if dialect is not None:
        plain = column.model_copy(update={"auto_increment": False})
        text = column_type_sql(dialect, plain)
    if not text:
        return SqlType("", raw=native or "")
    return ddl_types.parse(provider, text)


def _arg(value: object) -> str:
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return str(value)


def _candidates(t: SqlType, values: Sequence[str]) -> list[seq.DataType]:
    name, args = t.name, t.args
    base, _, rest = name.partition(" ")
    flags = frozenset(w for w in rest.split() if w in ("UNSIGNED", "ZEROFILL", "BINARY"))
    out: list[seq.DataType] = []
    if base == "VARCHAR" and args:
        out.append(seq.DataType("STRING", args[:1], flags))
    elif base == "CHAR" and args == (36,) and "BINARY" in flags:
        out += [seq.DataType("UUID"), seq.DataType("CHAR", args[:1], flags)]
    elif base == "CHAR":
        out.append(seq.DataType("CHAR", args[:1] or (1,), flags))
    elif base in ("TEXT", "TINYTEXT", "MEDIUMTEXT", "LONGTEXT"):
        size = {"TINYTEXT": "tiny", "MEDIUMTEXT": "medium", "LONGTEXT": "long"}.get(base)
        out.append(seq.DataType("TEXT", (size,) if size else ()))
    elif base in ("BLOB", "TINYBLOB", "MEDIUMBLOB", "LONGBLOB", "BYTEA"):
        size = {"TINYBLOB": "tiny", "MEDIUMBLOB": "medium", "LONGBLOB": "long"}.get(base)
        out.append(seq.DataType("BLOB", (size,) if size else ()))
    elif base in _INTS or base == "INT":
        key = "INTEGER" if base == "INT" else base
        out.append(seq.DataType(key, args[:1], flags))
    elif base in ("FLOAT", "REAL"):
        out.append(seq.DataType(base, args, flags))
    elif name in ("DOUBLE PRECISION", "DOUBLE") or base == "DOUBLE":
        out.append(seq.DataType("DOUBLE PRECISION", args, flags))
    elif base in ("DECIMAL", "NUMERIC"):
        out.append(seq.DataType("DECIMAL", args, flags))
    elif base in ("BOOLEAN", "BOOL"):
        out.append(seq.DataType("BOOLEAN"))
    elif base == "TIMESTAMPTZ":
        out.append(seq.DataType("DATE"))
    elif base == "DATETIME":
        out.append(seq.DataType("DATE", args[:1]))
    elif base == "DATE":
        out.append(seq.DataType("DATEONLY"))
    elif base == "TIME":
        out.append(seq.DataType("TIME"))
    elif base == "ENUM" and values:
        out.append(seq.DataType("ENUM", tuple(values)))
    elif name in ("JSON", "JSONB", "UUID", "HSTORE", "INET", "CIDR", "MACADDR", "TSVECTOR"):
        out.append(seq.DataType(name))
    elif name == "CITEXT":
        out.append(seq.DataType("CITEXT"))
    return out


def _same(provider: str, dialect: str, candidate: seq.DataType, t: SqlType) -> bool:
    try:
        written = seq.to_sql(candidate, dialect)  # type: ignore[arg-type]
    except seq.UnknownType:
        return False
    if candidate.key == "ENUM":
        return t.name == "ENUM" or provider == "sqlite"
    got = ddl_types.parse(provider, written)
    return ddl_types.canonical(provider, got) == ddl_types.canonical(
        provider, SqlType(t.name, t.args, False, t.enum, t.enum_schema, t.values, t.raw)
    )


def js_code(dt: seq.DataType, quote: Callable[[str], str] = _arg, typescript: bool = False) -> str:
    """`STRING(320)`, `ENUM("a", "b")`, `INTEGER.UNSIGNED`: a DataType after its holder."""
    name = _JS_KEY.get(dt.key, dt.key)
    args = [a for a in dt.args if a is not None]
    if dt.key in ("STRING", "CHAR") and args == [255]:
        args = []
    text = name
    if args and typescript and dt.key in _INTS:
        text += f"({{ length: {args[0]} }})"
    elif args:
        text += f"({', '.join(quote(a) if isinstance(a, str) else str(a) for a in args)})"
    for flag in ("UNSIGNED", "ZEROFILL", "BINARY"):
        if flag in dt.flags:
            text += f".{flag}"
    return text


_TS = {
    "string": "string",
    "text": "string",
    "uuid": "string",
    "int": "number",
    "smallint": "number",
    "bigint": "number",
    "float": "number",
    "double": "number",
    "decimal": "string",
    "boolean": "boolean",
    "timestamp": "Date",
    "date": "string",
    "time": "string",
    "json": "unknown",
    "bytes": "Buffer",
    "inet": "string",
    "money": "string",
    "xml": "string",
    "bit": "string",
}


def enum_values(column: Column, schema: Schema, t: SqlType) -> list[str]:
    if t.values:
        return list(t.values)
    name = column.type.enum or t.enum
    enum: Enum | None = schema.enum(name) if name else None
    if enum is None and column.type.orm_type:
        enum = schema.enum(column.type.orm_type)
    return [v.name for v in enum.values] if enum is not None else []


def js_type(column: Column, schema: Schema, provider: str, dialect: str) -> JsType:
    """The DataType (or SQL text) that makes Sequelize build `column`'s type on `dialect`."""
    t = sql_type(column, provider, frozenset(e.name for e in schema.enums))
    values = (
        enum_values(column, schema, t) if t.name == "ENUM" or column.type.kind == "enum" else []
    )
    if column.type.kind == "enum" and provider == "mysql" and values and t.name != "ENUM":
        t = SqlType("ENUM", values=tuple(values))  # an ORM's enum: MySQL's inline ENUM(...)
    if column.type.kind == "enum" and provider == "sqlite" and values and not t.name:
        t = SqlType("TEXT")
    ts = " | ".join(_arg(v) for v in values) if values else _TS.get(column.type.kind, "unknown")
    inner = SqlType(t.name, t.args, False, t.enum, t.enum_schema, t.values, t.raw)
    for candidate in _candidates(inner, values):
        if _same(provider, dialect, candidate, inner):
            code = js_code(candidate)
            if t.array:
                array = f"ARRAY(DataTypes.{code})"
                return JsType(array, None, f"({ts})[]", True, candidate, True, tuple(values))
            return JsType(code, None, ts, data_type=candidate, values=tuple(values))
    text = ddl_types.ddl(provider, t) if t.name else (t.raw or column.type.native or "TEXT")
    return JsType(None, text, f"({ts})[]" if t.array else ts, exact=bool(t.name or t.raw))


# -- defaults -------------------------------------------------------------------------------

_NUMBER = re.compile(r"-?\d+(\.\d*[1-9])?")
_STRING = re.compile(r"'((?:[^']|'')*)'")
_NUMERIC_KINDS = ("int", "smallint", "bigint", "float", "double", "decimal")


@dataclass(frozen=True, slots=True)
class JsDefault:
    """A `defaultValue`: a plain `value` (string, number, boolean), or `code` (`UUIDV4` after
    the DataTypes holder when `client`, else the SQL for `Sequelize.literal`)."""

    value: str | int | float | bool | None = None
    literal: str | None = None
    client: str | None = None


def js_default(
    column: Column, schema: Schema, provider: str, dialect: str, table: str = ""
) -> JsDefault | None:
    """The `defaultValue` that makes Sequelize write `column`'s default (None: no default in
    the database). `table` names a PostgreSQL enum's type as Sequelize does."""
    d = column.default
    if d is None:
        return None
    if d.kind == "function" and d.function in ("uuid",) and not d.args:
        return JsDefault(client="UUIDV4")
    engine = get_dialect(provider)
    if engine is None:
        return None
    enum = None
    if column.type.kind == "enum":
        enum = schema.enum(column.type.enum or column.type.orm_type or "")
    sql = default_sql(engine, d, column, enum)
    if sql is None:
        return None
    plain = normalize_default(provider, sql)
    if column.auto_increment and plain.startswith("nextval("):
        return None
    if plain.lower() == "null":
        return None
    kind = column.type.kind
    if column.type.array:
        if enum is not None and provider == "postgresql":  # cast to Sequelize's enum type
            cast = '"' + enum.name.replace('"', '""') + '"'
            sql = sql.replace(f"::{cast}", f'::"enum_{table}_{column.name}"')
        return JsDefault(literal=sql)
    if kind == "boolean" and plain.lower() in ("true", "false", "1", "0"):
        return JsDefault(value=plain.lower() in ("true", "1"))
    if kind in _NUMERIC_KINDS and _NUMBER.fullmatch(plain):
        number = float(plain) if "." in plain else int(plain)
        if abs(number) < 2**53 and repr(number) == plain:  # JavaScript writes it back as is
            return JsDefault(value=number)
    m = _STRING.fullmatch(plain)
    if m is not None and kind in ("string", "text", "enum", "uuid"):
        text = m.group(1).replace("''", "'")
        if "\\" not in text:
            return JsDefault(value=text)
    return JsDefault(literal=sql)

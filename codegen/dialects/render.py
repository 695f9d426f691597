"""SQL fragments of the schema model, written the way Prisma's schema engine writes them.

These are the pieces a `CREATE TABLE` needs beyond the dialect tables: a column's type with
auto-increment folded in (`SERIAL`), its `DEFAULT` expression, an index column's operator class,
a referential action. Each is what `@prisma/schema-engine-wasm` emits for PostgreSQL and SQLite
(the engine's `render_default` / `render_column_type` in `sql-schema-connector/src/flavour/
{postgres,sqlite}/renderer.rs`), checked column by column against it in
tests/server/sources/prisma/test_lowering_vs_engine.py. Other providers get the same rules
where nothing says they differ; nobody has checked them against an engine (MySQL's panics in
the wasm).
"""

from __future__ import annotations

import base64
import binascii
import re

from ..schema import Column, Default, Enum
from .base import Dialect
from .native import parse_native

__all__ = [
    "autoincrement_keyword",
    "column_type_sql",
    "datetime_literal_sql",
    "default_sql",
    "index_predicate_sql",
    "operator_class_sql",
    "referential_action_sql",
]


def column_type_sql(dialect: Dialect, column: Column) -> str | None:
    """The SQL type of `column`: `dialect.type_sql` plus what it cannot see on its own.

    - an `autoincrement()` column takes the serial type where the dialect has one
      (`SERIAL`, `BIGSERIAL`, `SMALLSERIAL` on PostgreSQL);
    - an enum in a named schema is qualified (`"auth"."Role"`), where enums are named types;
    - an `Unsupported("...")` column is the text Prisma was given.
    """
    t = column.type
    if t.kind == "unsupported":
        return (t.native or "") + (dialect.ARRAY_SUFFIX or "" if t.array else "")
    if column.auto_increment and not t.array:
        native = parse_native(t.native)[0] if t.native and parse_native(t.native) else None
        if native is None and t.orm_type:
            default = dialect.default_native(t.orm_type)
            native = default.native if default else None
        if native is not None and native in dialect.AUTOINCREMENT_SQL:
            return dialect.AUTOINCREMENT_SQL[native]
    if t.kind == "enum" and t.enum and dialect.TYPE_MAPPING.get("enum") == '"{enum}"':
        name = dialect.quote(t.enum)
        if t.enum_schema:
            name = f"{dialect.quote(t.enum_schema)}.{name}"
        return name + (dialect.ARRAY_SUFFIX or "" if t.array else "")
    return dialect.type_sql(t)


def autoincrement_keyword(dialect: Dialect, column: Column) -> str | None:
    """SQLite's `AUTOINCREMENT` after an inline `PRIMARY KEY`: only an `INTEGER` column can take
    it (a `BigInt @id @default(autoincrement())` is a plain `BIGINT PRIMARY KEY`). None elsewhere
    (PostgreSQL says it with the column type)."""
    if dialect.NAME != "sqlite" or not column.auto_increment:
        return None
    return "AUTOINCREMENT" if column_type_sql(dialect, column) == "INTEGER" else None


def default_sql(
    dialect: Dialect, default: Default | None, column: Column, enum: Enum | None = None
) -> str | None:
    """The expression after `DEFAULT` for `default` on `column`; None when the database has no
    default (no `@default`, `autoincrement()`, client-side `uuid()`/`cuid()`/..., empty
    `dbgenerated()`, a list where the provider has no lists).

    `enum` is the column's enum (the schema model's `Enum`), needed to write a value's database
    name (`@map`). What Prisma writes:

    - `now()` -> `CURRENT_TIMESTAMP`; `dbgenerated("x")` -> `x` as given;
    - strings quoted with `'` doubled; numbers and booleans as written (`2.0`, `-0.50`, `true`);
    - `DateTime` literals re-written as `'2020-01-01 10:00:00.123 +02:00'`;
    - `Bytes` (base64 in the schema) as hex: `'\\x68656c6c6f'` on PostgreSQL, `'68656c6c6f'` on
      SQLite;
    - `Json` quoted on PostgreSQL and written bare on SQLite (`DEFAULT {"a": 1}`: what the engine
      emits, although SQLite cannot read it back as JSON text);
    - an enum value by its database name, uncast (`'admin'`);
    - a list as `ARRAY[a, b]::TYPE[]` (the column's own type, `ARRAY[]::INTEGER[]` when empty).
    """
    if default is None:
        return None
    if default.kind == "function":
        # everything but now() is evaluated by the client (uuid, cuid, nanoid, ulid) or by the
        # column type (autoincrement: SERIAL, AUTOINCREMENT)
        return "CURRENT_TIMESTAMP" if default.function == "now" else None
    if default.kind == "expression":
        return str(default.value) if default.value not in (None, "") else None
    if default.kind == "sequence":
        return None
    if default.kind == "enum_value":
        return _quote(_enum_db_value(str(default.value), enum))
    if default.kind == "list":
        if dialect.ARRAY_SUFFIX is None:
            return None
        type_sql = column_type_sql(dialect, column)
        if type_sql is None:
            return None
        items = [_literal_sql(dialect, v, column, enum) for v in default.values]
        return f"ARRAY[{', '.join(items)}]::{type_sql}"
    if default.value is None:
        return None
    return _literal_sql(dialect, default.value, column, enum)


def _literal_sql(
    dialect: Dialect, value: str | int | float | bool, column: Column, enum: Enum | None
) -> str:
    t = column.type
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    if t.kind == "enum":
        return _quote(_enum_db_value(value, enum))
    scalar = t.orm_type
    if scalar in ("Int", "BigInt", "Float", "Decimal", "Boolean"):
        return value  # a number kept as written (`-0.50`)
    if scalar == "DateTime":
        return datetime_literal_sql(value) or _quote(value)
    if scalar == "Bytes":
        try:
            hex_text = base64.b64decode(value, validate=True).hex()
        except (binascii.Error, ValueError):
            return _quote(value)
        return _quote(hex_text if dialect.NAME == "sqlite" else "\\x" + hex_text)
    if scalar == "Json" and dialect.NAME == "sqlite":
        return value
    return _quote(value)


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _enum_db_value(name: str, enum: Enum | None) -> str:
    if enum is not None:
        for v in enum.values:
            if (v.orm_name or v.name) == name:
                return v.name
    return name


_RFC3339 = re.compile(
    r"^(\d{4}-\d{2}-\d{2})[Tt ](\d{2}:\d{2}:\d{2})(?:\.(\d+))?(Z|z|[+-]\d{2}:\d{2})$"
)


def datetime_literal_sql(text: str) -> str | None:
    """A `DateTime` default (RFC 3339) as the engine writes it: `'YYYY-MM-DD HH:MM:SS[.fff]
    +HH:MM'`, the fraction in 3, 6 or 9 digits as needed (chrono's `%.f`). None if `text` is
    not RFC 3339."""
    m = _RFC3339.match(text)
    if m is None:
        return None
    date, time, fraction, offset = m.groups()
    nanos = int((fraction or "0")[:9].ljust(9, "0"))
    if nanos == 0:
        frac = ""
    elif nanos % 1_000_000 == 0:
        frac = f".{nanos // 1_000_000:03d}"
    elif nanos % 1_000 == 0:
        frac = f".{nanos // 1_000:06d}"
    else:
        frac = f".{nanos:09d}"
    if offset in ("Z", "z"):
        offset = "+00:00"
    return f"'{date} {time}{frac} {offset}'"


_PRISMA_OPERATOR_CLASS = re.compile(r"^(?:[A-Z][a-z]*[0-9]*)+Ops$")


def operator_class_sql(ops: str) -> str:
    """An index column's `ops:` as SQL: Prisma's names (`JsonbPathOps`,
    `TimestampTzMinMaxMultiOps`) become PostgreSQL's (`jsonb_path_ops`,
    `timestamptz_minmax_multi_ops`); `raw("...")` text is kept as given."""
    if not _PRISMA_OPERATOR_CLASS.match(ops):
        return ops
    stem = ops.removesuffix("Ops")
    for joined in ("MinMax", "TimestampTz", "TimeTz", "VarBit"):
        stem = stem.replace(joined, joined.capitalize())
    words = re.findall(r"[A-Z][a-z]*[0-9]*", stem)
    return "_".join(w.lower() for w in words) + "_ops"


def index_predicate_sql(dialect: Dialect, predicate: str) -> str:
    """What follows `WHERE` in a partial index: PostgreSQL's engine wraps the predicate in
    parentheses, SQLite's writes it as it is."""
    return f"({predicate})" if dialect.NAME == "postgresql" else predicate


_ACTION_SQL = {
    "Cascade": "CASCADE",
    "Restrict": "RESTRICT",
    "NoAction": "NO ACTION",
    "SetNull": "SET NULL",
    "SetDefault": "SET DEFAULT",
}


def referential_action_sql(action: str) -> str:
    """`SetNull` -> `SET NULL`, and so on."""
    return _ACTION_SQL[action]

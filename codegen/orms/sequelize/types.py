"""Sequelize 6 `DataTypes` -> the SQL type Sequelize writes for them, per dialect.

A model says `DataTypes.STRING(320)`, `DataTypes.DECIMAL(3, 2)`, `DataTypes.INTEGER.UNSIGNED`,
`DataTypes.ENUM("a", "b")`, `DataTypes.ARRAY(DataTypes.TEXT)`; `sync()` writes `VARCHAR(320)`,
`DECIMAL(3,2)`, `INTEGER` (PostgreSQL drops what it cannot say) or `INTEGER UNSIGNED`... This is
`toSql()` of each type, ported from npm `sequelize` 6.37.8:

- `lib/data-types.js` (the abstract types: `STRING` -> `VARCHAR(255)`, `NUMBER.toSql` with its
  length / decimals / UNSIGNED / ZEROFILL, `DECIMAL`, `TEXT` tiny/medium/long, `BLOB`, `ARRAY`),
- `lib/dialects/postgres/data-types.js` (`BOOLEAN`, `DATE` -> `TIMESTAMP WITH TIME ZONE`, binary
  strings -> `BYTEA`, integer options dropped with a warning, `FLOAT` decimals dropped,
  `DOUBLE PRECISION`, `BLOB` -> `BYTEA`, `TEXT` lengths dropped),
- `lib/dialects/mysql/data-types.js` and `lib/dialects/mariadb/data-types.js` (`DATE(n)` ->
  `DATETIME(n)`, `UUID` -> `CHAR(36) BINARY`, `DECIMAL` with UNSIGNED / ZEROFILL, `ENUM(...)`
  inline),
- `lib/dialects/sqlite/data-types.js` (`NUMBER.toSql` with UNSIGNED before the length, integer
  options dropped for `INTEGER`..., binary strings `VARCHAR BINARY(n)`, `ENUM` -> `TEXT`,
  `CITEXT` -> `TEXT COLLATE NOCASE`).

Plus what the query generators put in place of the type (`attributeToSQL`): a PostgreSQL ENUM
is the type `enum_<table>_<column>`, an auto-increment integer `SERIAL` / `BIGSERIAL`.
`tests/codegen/orms/test_sequelize_types.py` runs `toSql()` of Sequelize itself on the same
inputs for every dialect.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

Dialect = Literal["postgres", "mysql", "mariadb", "sqlite"]

Kind = str
"""The schema model's `LogicalType` (`codegen/schema.py`)."""


class UnknownType(ValueError):
    """Sequelize has no such type (or not on this dialect): what Sequelize would throw."""


@dataclass(frozen=True)
class DataType:
    """A `DataTypes.X` as a model writes it: the key (`STRING`, `DOUBLE PRECISION` for
    `DOUBLE`), its call's arguments (numbers, strings, an options object as a mapping, an inner
    `DataType` for ARRAY / RANGE), and the flags set by property access (`.UNSIGNED`,
    `.ZEROFILL`, `.BINARY`)."""

    key: str
    args: tuple[object, ...] = ()
    flags: frozenset[str] = field(default_factory=frozenset)

    def options(self) -> Mapping[str, object] | None:
        first = self.args[0] if self.args else None
        return first if isinstance(first, Mapping) else None


KEYS: dict[str, str] = {
    "STRING": "STRING",
    "CHAR": "CHAR",
    "TEXT": "TEXT",
    "TINYTEXT": "TEXT",
    "CITEXT": "CITEXT",
    "TINYINT": "TINYINT",
    "SMALLINT": "SMALLINT",
    "MEDIUMINT": "MEDIUMINT",
    "INTEGER": "INTEGER",
    "BIGINT": "BIGINT",
    "FLOAT": "FLOAT",
    "REAL": "REAL",
    "DOUBLE": "DOUBLE PRECISION",
    "DECIMAL": "DECIMAL",
    "NUMERIC": "DECIMAL",
    "NUMBER": "NUMBER",
    "BOOLEAN": "BOOLEAN",
    "TIME": "TIME",
    "DATE": "DATE",
    "DATEONLY": "DATEONLY",
    "HSTORE": "HSTORE",
    "JSON": "JSON",
    "JSONB": "JSONB",
    "BLOB": "BLOB",
    "UUID": "UUID",
    "ENUM": "ENUM",
    "ARRAY": "ARRAY",
    "RANGE": "RANGE",
    "GEOMETRY": "GEOMETRY",
    "GEOGRAPHY": "GEOGRAPHY",
    "CIDR": "CIDR",
    "INET": "INET",
    "MACADDR": "MACADDR",
    "TSVECTOR": "TSVECTOR",
    "VIRTUAL": "VIRTUAL",
}
"""`DataTypes.<name>` -> the type's `key` (Sequelize has aliases: `DOUBLE` is `DOUBLE PRECISION`,
`NUMERIC` is `DECIMAL`; `TINYTEXT` is not one, kept out of the types)."""

CLIENT_VALUES = {"NOW", "UUIDV1", "UUIDV4"}
"""`DataTypes.NOW` / `UUIDV1` / `UUIDV4` as a `defaultValue`: computed by Sequelize on insert,
never a database default (`Utils.defaultValueSchemable`)."""

_INTEGERS = ("TINYINT", "SMALLINT", "MEDIUMINT", "INTEGER", "BIGINT")
_NUMBERS = (*_INTEGERS, "FLOAT", "REAL", "DOUBLE PRECISION", "NUMBER")

KIND: dict[str, Kind] = {
    "STRING": "string",
    "CHAR": "string",
    "TEXT": "text",
    "CITEXT": "text",
    "TINYINT": "smallint",
    "SMALLINT": "smallint",
    "MEDIUMINT": "int",
    "INTEGER": "int",
    "BIGINT": "bigint",
    "FLOAT": "float",
    "REAL": "float",
    "DOUBLE PRECISION": "double",
    "DECIMAL": "decimal",
    "NUMBER": "decimal",
    "BOOLEAN": "boolean",
    "TIME": "time",
    "DATE": "timestamp",
    "DATEONLY": "date",
    "HSTORE": "unsupported",
    "JSON": "json",
    "JSONB": "json",
    "BLOB": "bytes",
    "UUID": "uuid",
    "ENUM": "enum",
    "RANGE": "unsupported",
    "GEOMETRY": "unsupported",
    "GEOGRAPHY": "unsupported",
    "CIDR": "inet",
    "INET": "inet",
    "MACADDR": "unsupported",
    "TSVECTOR": "unsupported",
}
"""The schema model's logical kind of each type key."""

_POSTGRES_ONLY = {"HSTORE", "JSONB", "RANGE", "CIDR", "INET", "MACADDR", "TSVECTOR", "CITEXT"}
_NOT_ON = {
    "postgres": {"MEDIUMINT", "NUMBER"},
    "mysql": _POSTGRES_ONLY | {"ARRAY", "GEOGRAPHY", "NUMBER"},
    "mariadb": _POSTGRES_ONLY | {"ARRAY", "GEOGRAPHY", "NUMBER"},
    "sqlite": {"HSTORE", "RANGE", "ARRAY", "GEOMETRY", "GEOGRAPHY"},
}
"""Keys whose SQL a dialect's data-types.js does not give (the abstract `toSql` would write the
key itself, which the database rejects): `UnknownType` here. SQLite takes any type name, so
there `JSONB`, `INET`... are written as they are, as Sequelize does."""


def kind_of(data_type: DataType) -> Kind:
    if data_type.key == "RAW":
        return "unsupported"
    if data_type.key == "ARRAY":
        inner = data_type.args[0] if data_type.args else None
        return kind_of(inner) if isinstance(inner, DataType) else "unsupported"
    return KIND.get(data_type.key, "unsupported")


def to_sql(data_type: DataType, dialect: Dialect) -> str:
    """`new DataTypes[dialect][key](...args).toSql()` with the flags applied. Raises
    `UnknownType` for a type the dialect does not write."""
    key = data_type.key
    if key == "RAW":
        return str(data_type.args[0])  # `type: "VARCHAR(10)"`: Sequelize writes the string
    if key in _NOT_ON[dialect]:
        raise UnknownType(f"DataTypes.{key} is not supported by the {dialect} dialect")
    if key == "VIRTUAL":
        raise UnknownType("DataTypes.VIRTUAL has no column")
    if key in ("STRING", "CHAR"):
        return _string(data_type, dialect)
    if key == "TEXT":
        return _text(data_type, dialect)
    if key == "CITEXT":
        return "TEXT COLLATE NOCASE" if dialect == "sqlite" else "CITEXT"
    if key == "DECIMAL":
        return _decimal(data_type, dialect)
    if key in _NUMBERS:
        return _number(data_type, dialect)
    if key == "BOOLEAN":
        return "BOOLEAN" if dialect == "postgres" else "TINYINT(1)"
    if key == "DATE":
        length = _first_number(data_type)
        if dialect == "postgres":
            return "TIMESTAMP WITH TIME ZONE"
        if dialect == "sqlite":
            return "DATETIME"
        return f"DATETIME({length})" if length else "DATETIME"
    if key == "DATEONLY":
        return "DATE"
    if key == "TIME":
        return "TIME"
    if key == "UUID":
        return "UUID" if dialect in ("postgres", "sqlite") else "CHAR(36) BINARY"
    if key == "BLOB":
        return _blob(data_type, dialect)
    if key == "ARRAY":
        inner = data_type.args[0] if data_type.args else None
        if isinstance(inner, Mapping):
            inner = inner.get("type")
        if not isinstance(inner, DataType):
            raise UnknownType("DataTypes.ARRAY needs the type of its items")
        return f"{to_sql(inner, dialect)}[]"
    if key == "ENUM":
        values = enum_values(data_type)
        if dialect == "sqlite":
            return "TEXT"
        if dialect == "postgres":
            return "ENUM"  # the query generator writes the type `enum_<table>_<column>`
        return f"ENUM({', '.join(quote_literal(v) for v in values)})"
    if key == "GEOMETRY" and dialect != "postgres":
        kind = data_type.args[0] if data_type.args else None
        return str(kind) if isinstance(kind, str) else "GEOMETRY"
    if key in ("GEOMETRY", "GEOGRAPHY"):
        kind, srid = [*data_type.args, None, None][:2]
        text = key
        if isinstance(kind, str):
            text += f"({kind}" + (f",{srid}" if isinstance(srid, int) else "") + ")"
        return text
    if key == "RANGE":
        inner = data_type.args[0] if data_type.args else DataType("INTEGER")
        sub = inner.key if isinstance(inner, DataType) else "INTEGER"
        ranges = {
            "INTEGER": "int4range",
            "BIGINT": "int8range",
            "DECIMAL": "numrange",
            "DATEONLY": "daterange",
            "DATE": "tstzrange",
        }
        if sub not in ranges:
            raise UnknownType(f"DataTypes.RANGE of {sub} is not supported")
        return ranges[sub]
    if key in ("JSON", "JSONB", "HSTORE", "CIDR", "INET", "MACADDR", "TSVECTOR"):
        return key
    raise UnknownType(f"DataTypes.{key} is not a Sequelize data type")


def enum_values(data_type: DataType) -> list[str]:
    """`ENUM("a", "b")`, `ENUM(["a", "b"])`, `ENUM({ values: [...] })`: the values in order."""
    options = data_type.options()
    if options is not None:
        values = options.get("values")
        return [str(v) for v in values] if isinstance(values, Sequence) else []
    out: list[str] = []
    for arg in data_type.args:
        if isinstance(arg, list | tuple):
            out.extend(str(v) for v in arg)
        else:
            out.append(str(arg))
    return out


def quote_literal(value: object) -> str:
    """`SqlString.escape` of a string as the query generators write it: single quotes doubled
    (PostgreSQL's and SQLite's), backslash-escaped for MySQL is left to the caller."""
    return "'" + str(value).replace("'", "''") + "'"


def _first_number(data_type: DataType) -> int | None:
    options = data_type.options()
    value = options.get("length") if options is not None else (data_type.args or (None,))[0]
    return value if isinstance(value, int) and not isinstance(value, bool) and value else None


def _string(data_type: DataType, dialect: Dialect) -> str:
    options = data_type.options()
    if options is not None:
        length, binary = options.get("length"), bool(options.get("binary"))
    else:
        length = data_type.args[0] if data_type.args else None
        binary = bool(data_type.args[1]) if len(data_type.args) > 1 else False
    binary = binary or "BINARY" in data_type.flags
    length = length or 255
    name = "VARCHAR" if data_type.key == "STRING" else "CHAR"
    if binary and dialect == "postgres":
        return "BYTEA"
    if binary and dialect == "sqlite":
        return f"{name} BINARY({length})"
    return f"{name}({length})" + (" BINARY" if binary else "")


def _text(data_type: DataType, dialect: Dialect) -> str:
    options = data_type.options()
    length = options.get("length") if options is not None else (data_type.args or ("",))[0]
    if dialect in ("postgres", "sqlite"):
        return "TEXT"
    size = str(length or "").lower()
    return {"tiny": "TINYTEXT", "medium": "MEDIUMTEXT", "long": "LONGTEXT"}.get(size, "TEXT")


def _blob(data_type: DataType, dialect: Dialect) -> str:
    options = data_type.options()
    length = options.get("length") if options is not None else (data_type.args or ("",))[0]
    if dialect == "postgres":
        return "BYTEA"
    size = str(length or "").lower()
    return {"tiny": "TINYBLOB", "medium": "MEDIUMBLOB", "long": "LONGBLOB"}.get(size, "BLOB")


def _number_options(data_type: DataType) -> dict[str, object]:
    options = data_type.options()
    if options is not None:
        found = dict(options)
    elif data_type.key in ("FLOAT", "REAL", "DOUBLE PRECISION"):
        found = dict(zip(("length", "decimals"), data_type.args, strict=False))
    else:
        found = {"length": data_type.args[0]} if data_type.args else {}
    if "UNSIGNED" in data_type.flags:
        found["unsigned"] = True
    if "ZEROFILL" in data_type.flags:
        found["zerofill"] = True
    return found


def _number(data_type: DataType, dialect: Dialect) -> str:
    key = data_type.key
    o = _number_options(data_type)
    length, decimals = o.get("length"), o.get("decimals")
    unsigned, zerofill = bool(o.get("unsigned")), bool(o.get("zerofill"))
    if dialect == "postgres":
        if key in (*_INTEGERS, "REAL", "DOUBLE PRECISION"):
            length = decimals = None
            unsigned = zerofill = False
        if key == "FLOAT":
            if decimals:
                length = decimals = None
            unsigned = zerofill = False
    if dialect == "sqlite" and key in _INTEGERS:
        unsigned = zerofill = False
    text = key
    size = ""
    if length:
        size = f"({length}"
        if isinstance(decimals, int) and not isinstance(decimals, bool):
            size += f",{decimals}"
        size += ")"
    flags = (" UNSIGNED" if unsigned else "") + (" ZEROFILL" if zerofill else "")
    if dialect == "sqlite":
        return text + flags + size
    return text + size + flags


def _decimal(data_type: DataType, dialect: Dialect) -> str:
    options = data_type.options()
    if options is not None:
        precision, scale = options.get("precision"), options.get("scale")
    else:
        precision, scale = [*data_type.args, None, None][:2]
    parts = [str(p) for p in (precision, scale) if p]
    text = f"DECIMAL({','.join(parts)})" if parts else "DECIMAL"
    if dialect in ("mysql", "mariadb"):
        if "UNSIGNED" in data_type.flags or (options or {}).get("unsigned"):
            text += " UNSIGNED"
        if "ZEROFILL" in data_type.flags or (options or {}).get("zerofill"):
            text += " ZEROFILL"
    return text


def serial(column_sql: str) -> str:
    """PostgreSQL's `attributeToSQL` for an `autoIncrement` integer: `INTEGER SERIAL` is what it
    writes, which `createTableQuery` turns into `SERIAL` (`BIGINT` -> `BIGSERIAL`)."""
    return {"INTEGER": "SERIAL", "BIGINT": "BIGSERIAL", "SMALLINT": "SMALLSERIAL"}.get(
        column_sql, column_sql
    )


def available_keys(dialect: str) -> list[str]:
    """The `DataTypes.<name>` members whose SQL `dialect` gives (sorted): what an editor offers
    after `DataTypes.`."""
    missing = _NOT_ON.get(dialect, set())
    return sorted(k for k, key in KEYS.items() if key not in missing and k not in missing)

"""The SQL Sequelize 6's queryInterface writes for a migration step, per dialect.

A sequelize-cli migration never states SQL: `queryInterface.createTable("users", { email: {
type: Sequelize.STRING, unique: true } })` becomes whatever Sequelize's query generator prints.
The replay reads that SQL with the dialect's own grammar, so a call and the same step written as
SQL build the same schema. This module is that printer, ported from
`sequelize/lib/dialects/{postgres,sqlite,mysql}/{data-types,query-generator}.js` (6.37): the data
types' `toSql`, `attributeToSQL` / `attributesToSQL`, `createTableQuery` (with PostgreSQL's
`dataTypeMapping` and SQLite's primary-key rewrite), and the index and constraint queries. It
knows plain data only (`DataType`, `Attribute`); reading JavaScript into that data is the
server's job.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Literal

from schemasense.codegen.orms.sequelize.naming import generate_enum_name, underscore

Dialect = Literal["postgresql", "mysql", "sqlite"]


@dataclass(frozen=True, slots=True)
class DataType:
    """A `DataTypes.X(...)` with its arguments (`key` is Sequelize's key: STRING, INTEGER...)."""

    key: str
    length: int | str | None = None
    binary: bool = False
    unsigned: bool = False
    zerofill: bool = False
    decimals: int | None = None
    precision: int | None = None
    scale: int | None = None
    values: tuple[str, ...] = ()
    inner: DataType | None = None
    geometry: str | None = None
    srid: int | None = None
    values_unknown: str | None = None
    """Why an ENUM's values are not known (computed at run time); SQLite prints TEXT anyway,
    the other dialects cannot print the type (`NotKnown`)."""


@dataclass(frozen=True, slots=True)
class Raw:
    """SQL given as it is: `Sequelize.literal("...")`, or `Sequelize.fn("now")` printed."""

    sql: str


CLIENT_SIDE = object()
"""A default Sequelize computes in JavaScript (`DataTypes.NOW`, `UUIDV4`): no SQL default."""

MISSING = object()


@dataclass(frozen=True, slots=True)
class Attribute:
    """One attribute of `createTable` / `addColumn` / `changeColumn`. `allow_null` None: not
    given. `default` MISSING: not given; None: `null`; `CLIENT_SIDE`; or a JS value / `Raw`."""

    type: DataType
    allow_null: bool | None = None
    default: object = MISSING
    unique: bool | str = False
    primary_key: bool = False
    auto_increment: bool = False
    auto_increment_identity: bool = False
    references: tuple[str, str | None] | None = None
    on_delete: str | None = None
    on_update: str | None = None
    comment: str | None = None


class SequelizeError(ValueError):
    """What Sequelize would throw for this input (the message says what)."""


class NotKnown(ValueError):
    """Something the SQL depends on is not known to the reader (the message says what)."""


# -- data types -------------------------------------------------------------------------------

_KEY_SQL = {"DOUBLE": "DOUBLE PRECISION", "JSONTYPE": "JSON"}
_NUMBERS = {"INTEGER", "BIGINT", "SMALLINT", "TINYINT", "MEDIUMINT", "FLOAT", "REAL", "DOUBLE"}
_PG_RANGE = {
    "INTEGER": "int4range",
    "BIGINT": "int8range",
    "DECIMAL": "numrange",
    "DATE": "tstzrange",
    "DATEONLY": "daterange",
}


def type_sql(t: DataType, dialect: Dialect) -> str:
    """`dataType.toSql()` of the dialect's class for `t` (what `normalizeAttribute` makes)."""
    key = t.key
    if key == "ARRAY":
        if t.inner is None:
            raise SequelizeError("ARRAY is missing type definition for its values.")
        return f"{type_sql(t.inner, dialect)}[]"
    if key == "STRING":
        length = t.length or 255
        if dialect == "postgresql" and t.binary:
            return "BYTEA"
        if dialect == "sqlite" and t.binary:
            return f"VARCHAR BINARY({length})"
        return f"VARCHAR({length})" + (" BINARY" if t.binary else "")
    if key == "CHAR":
        length = t.length or 255
        if dialect == "postgresql" and t.binary:
            return "BYTEA"
        if dialect == "sqlite" and t.binary:
            return f"CHAR BINARY({length})"
        return f"CHAR({length})" + (" BINARY" if t.binary else "")
    if key == "TEXT":
        size = str(t.length or "").lower()
        if dialect == "mysql" and size in ("tiny", "medium", "long"):
            return f"{size.upper()}TEXT"
        return "TEXT"
    if key == "CITEXT":
        return "TEXT COLLATE NOCASE" if dialect == "sqlite" else "CITEXT"
    if key in _NUMBERS:
        return _number_sql(t, dialect)
    if key == "DECIMAL":
        sql = "DECIMAL"
        if t.precision or t.scale:
            sql = f"DECIMAL({','.join(str(x) for x in (t.precision, t.scale) if x)})"
        if dialect == "mysql":
            sql += (" UNSIGNED" if t.unsigned else "") + (" ZEROFILL" if t.zerofill else "")
        return sql
    if key == "BOOLEAN":
        return "BOOLEAN" if dialect == "postgresql" else "TINYINT(1)"
    if key == "DATE":
        if dialect == "postgresql":
            return "TIMESTAMP WITH TIME ZONE"
        if dialect == "mysql" and t.length:
            return f"DATETIME({t.length})"
        return "DATETIME"
    if key == "DATEONLY":
        return "DATE"
    if key == "UUID":
        return "CHAR(36) BINARY" if dialect == "mysql" else "UUID"
    if key == "BLOB":
        if dialect == "postgresql":
            return "BYTEA"
        size = str(t.length or "").lower()
        if dialect == "mysql" and size in ("tiny", "medium", "long"):
            return f"{size.upper()}BLOB"
        return "BLOB"
    if key == "ENUM":
        if dialect == "sqlite":
            return "TEXT"
        if t.values_unknown:
            raise NotKnown(t.values_unknown)
        return f"ENUM({', '.join(escape_string(v, dialect) for v in t.values)})"
    if key == "GEOMETRY" or key == "GEOGRAPHY":
        if dialect == "mysql":
            return t.geometry or key
        if dialect == "postgresql" and t.geometry:
            return f"{key}({t.geometry}" + (f",{t.srid}" if t.srid else "") + ")"
        return key
    if key == "RANGE":
        if dialect == "postgresql":
            sub = t.inner.key if t.inner is not None else "INTEGER"
            return _PG_RANGE.get(sub, "int4range")
        return "RANGE"
    return _KEY_SQL.get(key, key)


def _number_sql(t: DataType, dialect: Dialect) -> str:
    key = _KEY_SQL.get(t.key, t.key)
    length, decimals, unsigned, zerofill = t.length, t.decimals, t.unsigned, t.zerofill
    if dialect == "postgresql":
        # removeUnsupportedIntegerOptions; FLOAT drops its length only with decimals
        if t.key == "FLOAT":
            if decimals:
                length = None
        else:
            length = None
        unsigned = zerofill = False
        decimals = decimals if length else None
    if dialect == "sqlite":
        if t.key in ("INTEGER", "BIGINT", "SMALLINT", "TINYINT", "MEDIUMINT"):
            unsigned = zerofill = False  # sqlite's removeUnsupportedIntegerOptions
            if length is not None and not isinstance(length, int):
                length = None
        out = key + (" UNSIGNED" if unsigned else "") + (" ZEROFILL" if zerofill else "")
        if length:
            out += f"({length}" + (f",{decimals}" if isinstance(decimals, int) else "") + ")"
        return out
    out = key
    if length:
        out += f"({length}" + (f",{decimals}" if isinstance(decimals, int) else "") + ")"
    return out + (" UNSIGNED" if unsigned else "") + (" ZEROFILL" if zerofill else "")


# -- values -----------------------------------------------------------------------------------


def escape_string(text: str, dialect: Dialect) -> str:
    """`SqlString.escape` of a string: quotes doubled; MySQL also backslash-escapes."""
    if dialect == "mysql":
        text = re.sub(r"[\0\b\t\n\r\x1a\"'\\]", lambda m: _MYSQL_ESC[m.group(0)], text)
        return f"'{text}'"
    return "'" + text.replace("'", "''") + "'"


_MYSQL_ESC = {
    "\0": "\\0", "\b": "\\b", "\t": "\\t", "\n": "\\n", "\r": "\\r", "\x1a": "\\Z",
    '"': '\\"', "'": "\\'", "\\": "\\\\",
}  # fmt: skip


def escape_value(value: object, t: DataType, dialect: Dialect) -> str:
    """`queryGenerator.escape(defaultValue, attribute)` for the values a migration writes."""
    if isinstance(value, Raw):
        return value.sql
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        if dialect == "postgresql":
            return "true" if value else "false"
        return "1" if value else "0"
    if isinstance(value, (int, float)):
        if isinstance(value, float) and value.is_integer():
            return str(int(value))
        return str(value)
    if isinstance(value, (list, tuple)):
        if dialect == "postgresql" and t.key == "ARRAY" and t.inner is not None:
            items = ",".join(escape_value(v, t.inner, dialect) for v in value)
            return f"ARRAY[{items}]::{type_sql(t, dialect)}"
        return escape_string(json.dumps(value, separators=(",", ":")), dialect)
    if isinstance(value, dict):
        return escape_string(json.dumps(value, separators=(",", ":")), dialect)
    text = str(value)
    if t.key == "BOOLEAN" and dialect != "postgresql":
        return escape_string(text, dialect)
    return escape_string(text, dialect)


def _schemable(default: object) -> bool:
    """`Utils.defaultValueSchemable`: given, and not computed by Sequelize in JavaScript."""
    return default is not MISSING and default is not CLIENT_SIDE


# -- attributes -------------------------------------------------------------------------------


def attribute_sql(attr: Attribute, dialect: Dialect, *, table: str, key: str, context: str) -> str:
    """`attributeToSQL` (PostgreSQL, MySQL) / `attributesToSQL` (SQLite) for one attribute."""
    t = attr.type
    if t.key == "ENUM" or (t.key == "ARRAY" and t.inner is not None and t.inner.key == "ENUM"):
        enum = t if t.key == "ENUM" else t.inner
        if enum is None or (not enum.values and not enum.values_unknown):
            raise SequelizeError("Values for ENUM haven't been defined.")
    sql = type_sql(t, dialect)
    if attr.allow_null is False:
        sql += " NOT NULL"
    if dialect == "postgresql":
        if attr.auto_increment:
            sql += (
                " GENERATED BY DEFAULT AS IDENTITY" if attr.auto_increment_identity else " SERIAL"
            )
        if _schemable(attr.default):
            sql += f" DEFAULT {escape_value(attr.default, t, dialect)}"
        if attr.unique is True:
            sql += " UNIQUE"
        if attr.primary_key:
            sql += " PRIMARY KEY"
    elif dialect == "mysql":
        if attr.auto_increment:
            sql += " auto_increment"
        if _schemable(attr.default) and t.key not in ("BLOB", "TEXT", "GEOMETRY", "JSON"):
            sql += f" DEFAULT {escape_value(attr.default, t, dialect)}"
        if attr.unique is True:
            sql += " UNIQUE"
        if attr.primary_key:
            sql += " PRIMARY KEY"
        if attr.comment:
            sql += f" COMMENT {escape_string(attr.comment, dialect)}"
    else:
        if _schemable(attr.default):
            sql += f" DEFAULT {escape_value(attr.default, t, dialect)}"
        if attr.unique is True:
            sql += " UNIQUE"
        if attr.primary_key:
            sql += " PRIMARY KEY"
            if attr.auto_increment:
                sql += " AUTOINCREMENT"
    if attr.references is not None:
        ref_table, ref_key = attr.references
        if dialect == "mysql" and context in ("addColumn", "changeColumn"):
            fk = quote(f"{table}_{key}_foreign_idx", dialect)
            sql += f", ADD CONSTRAINT {fk} FOREIGN KEY ({quote(key, dialect)})"
        sql += f" REFERENCES {quote_table(ref_table, dialect)} ({quote(ref_key or 'id', dialect)})"
        if attr.on_delete:
            sql += f" ON DELETE {attr.on_delete.upper()}"
        if attr.on_update:
            sql += f" ON UPDATE {attr.on_update.upper()}"
    if dialect == "postgresql" and attr.comment and context in ("addColumn", "changeColumn"):
        sql += (
            f"; COMMENT ON COLUMN {quote_table(table, dialect)}.{quote(key, dialect)}"
            f" IS {escape_string(attr.comment, dialect)}"
        )
    return sql


def quote(name: str, dialect: Dialect) -> str:
    """`quoteIdentifier` (ticks inside the name removed, as Sequelize's `removeTicks` does)."""
    tick = "`" if dialect == "mysql" else '"'
    return tick + name.replace(tick, "") + tick


def quote_table(name: str, dialect: Dialect) -> str:
    """`quoteTable` of a table name given as a string (a dot is part of the name)."""
    return quote(name, dialect)


def enum_type(table: str, column: str) -> str:
    """`pgEnumName`: `"public"."enum_<table>_<column>"`."""
    return f'"public".{quote(generate_enum_name(table, column), "postgresql")}'


def _enum_of(t: DataType) -> DataType | None:
    if t.key == "ENUM":
        return t
    if t.key == "ARRAY" and t.inner is not None and t.inner.key == "ENUM":
        return t.inner
    return None


def pg_create_enum(table: str, column: str, t: DataType) -> str:
    """The `CREATE TYPE` PostgreSQL's `ensureEnums` / `pgEnum` runs for an ENUM attribute."""
    if t.values_unknown:
        raise NotKnown(t.values_unknown)
    values = ", ".join(escape_string(v, "postgresql") for v in t.values)
    return f"CREATE TYPE {enum_type(table, column)} AS ENUM({values});"


def _pg_mapping(table: str, column: str, definition: str) -> str:
    """PostgreSQL's `dataTypeMapping`: no inline PRIMARY KEY, SERIAL spelled as a type, ENUM as
    the enum type's name."""
    definition = definition.replace("PRIMARY KEY", "", 1)
    if "SERIAL" in definition:
        if "BIGINT" in definition:
            definition = definition.replace("SERIAL", "BIGSERIAL", 1).replace("BIGINT", "", 1)
        elif "SMALLINT" in definition:
            definition = definition.replace("SERIAL", "SMALLSERIAL", 1).replace("SMALLINT", "", 1)
        else:
            definition = definition.replace("INTEGER", "", 1)
        definition = definition.replace("NOT NULL", "", 1)
    if definition.startswith("ENUM("):
        definition = re.sub(r"^ENUM\(.+\)", lambda _m: enum_type(table, column), definition)
    return definition


# -- statements -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Statement:
    """One SQL statement of a step, and the attribute it came from (for the spans)."""

    sql: str
    attribute: str | None = None
    parts: tuple[tuple[int, int, str], ...] = field(default=())
    """(start, end, attribute) of each attribute's text inside `sql`."""


def create_table(
    table: str, attributes: dict[str, Attribute], dialect: Dialect, unique_keys=()
) -> list[Statement]:
    """`queryInterface.createTable`: PostgreSQL's enum types first, then `createTableQuery`."""
    out: list[Statement] = []
    defs = {
        name: attribute_sql(a, dialect, table=table, key=name, context="createTable")
        for name, a in attributes.items()
    }
    if dialect == "postgresql":
        for name, a in attributes.items():
            enum = _enum_of(a.type)
            if enum is not None:
                out.append(Statement(pg_create_enum(table, name, enum), name))
    pieces: list[tuple[str, str]] = []
    if dialect == "postgresql":
        for name in attributes:
            pieces.append((name, f"{quote(name, dialect)} {_pg_mapping(table, name, defs[name])}"))
        pks = [quote(n, dialect) for n, d in defs.items() if "PRIMARY KEY" in d]
        tail = f", PRIMARY KEY ({','.join(pks)})" if pks else ""
        head = f"CREATE TABLE IF NOT EXISTS {quote_table(table, dialect)} ("
    elif dialect == "sqlite":
        many = sum("PRIMARY KEY" in d for d in defs.values()) > 1
        pks = []
        for name, d in defs.items():
            text = d
            if "PRIMARY KEY" in d:
                if "INT" in d:
                    text = (
                        "INTEGER PRIMARY KEY AUTOINCREMENT"
                        if "AUTOINCREMENT" in d
                        else "INTEGER PRIMARY KEY"
                    )
                    if " REFERENCES" in d:
                        text += d[d.index(" REFERENCES") :]
                if many:
                    pks.append(quote(name, dialect))
                    text = (
                        d.replace(" PRIMARY KEY", "", 1)
                        if "NOT NULL" in d
                        else d.replace("PRIMARY KEY", "NOT NULL", 1)
                    )
            pieces.append((name, f"{quote(name, dialect)} {text}"))
        tail = f", PRIMARY KEY ({', '.join(pks)})" if pks else ""
        head = f"CREATE TABLE IF NOT EXISTS {quote_table(table, dialect)} ("
    else:
        pks = []
        for name, d in defs.items():
            text = d
            if "PRIMARY KEY" in d:
                pks.append(quote(name, dialect))
                text = d.replace("PRIMARY KEY", "", 1)
            if " REFERENCES" in text:
                text = text[: text.index(" REFERENCES")]
            pieces.append((name, f"{quote(name, dialect)} {text}"))
        tail = f", PRIMARY KEY ({', '.join(pks)})" if pks else ""
        for name, d in defs.items():
            if " REFERENCES" in d:
                tail += f", FOREIGN KEY ({quote(name, dialect)}){d[d.index(' REFERENCES') :]}"
        head = f"CREATE TABLE IF NOT EXISTS {quote_table(table, dialect)} ("
    sql, parts = head, []
    for i, (name, text) in enumerate(pieces):
        if i:
            sql += ", "
        parts.append((len(sql), len(sql) + len(text), name))
        sql += text
    for fields in unique_keys:
        sql += f", UNIQUE ({', '.join(quote(f, dialect) for f in fields)})"
    sql += tail + ")"
    if dialect == "mysql":
        sql += " ENGINE=InnoDB"
    out.append(Statement(sql + ";", None, tuple(parts)))
    return out


def add_column(table: str, key: str, attr: Attribute, dialect: Dialect) -> list[Statement]:
    """`queryInterface.addColumn`."""
    d = attribute_sql(attr, dialect, table=table, key=key, context="addColumn")
    q = quote_table(table, dialect)
    if dialect == "postgresql":
        out = []
        enum = _enum_of(attr.type)
        if enum is not None:
            out.append(Statement(pg_create_enum(table, key, enum), key))
        sql = f"ALTER TABLE {q} ADD COLUMN {quote(key, dialect)} {_pg_mapping(table, key, d)};"
        return [*out, *(Statement(s.strip() + ";", key) for s in _split(sql))]
    if dialect == "sqlite":
        return [Statement(f"ALTER TABLE {q} ADD {quote(key, dialect)} {d};", key)]
    return [Statement(f"ALTER TABLE {q} ADD {quote(key, dialect)} {d};", key)]


def _split(sql: str) -> list[str]:
    return [s for s in sql.split(";") if s.strip()]


def change_column_pg(table: str, key: str, attr: Attribute) -> list[Statement]:
    """PostgreSQL's `changeColumnQuery` (the statements, one each)."""
    q = quote_table(table, "postgresql")
    col = quote(key, "postgresql")
    definition = _pg_mapping(
        table, key, attribute_sql(attr, "postgresql", table=table, key=key, context="changeColumn")
    )
    raw = attribute_sql(attr, "postgresql", table=table, key=key, context="changeColumn")
    out: list[str] = []
    if "NOT NULL" in definition:
        out.append(f"ALTER TABLE {q} ALTER COLUMN {col} SET NOT NULL;")
        definition = definition.replace("NOT NULL", "", 1).strip()
    elif "REFERENCES" not in definition:
        out.append(f"ALTER TABLE {q} ALTER COLUMN {col} DROP NOT NULL;")
    if "DEFAULT" in definition:
        match = re.search(r"DEFAULT ([^;]+)", definition)
        out.append(
            f"ALTER TABLE {q} ALTER COLUMN {col} SET DEFAULT {match.group(1) if match else ''};"
        )
        definition = re.sub(r"(DEFAULT[^;]+)", "", definition, count=1).strip()
    elif "REFERENCES" not in definition:
        out.append(f"ALTER TABLE {q} ALTER COLUMN {col} DROP DEFAULT;")
    if raw.startswith("ENUM("):
        # Sequelize also sends `DO 'BEGIN CREATE TYPE ...; EXCEPTION WHEN duplicate_object
        # THEN null; END'`: the type is created only when missing. Whether it is cannot be
        # known from the file alone; a changeColumn to an ENUM nearly always restates an
        # existing one, so the type is taken as existing (a new one is a known gap).
        definition += f" USING ({col}::{enum_type(table, key)})"
    if re.search(r"UNIQUE;*$", definition):
        definition = re.sub(r"UNIQUE;*$", "", definition)
        out.append(f"ALTER TABLE {q} ADD UNIQUE ({col});")
    if "REFERENCES" in definition:
        definition = re.sub(r".+?(?=REFERENCES)", "", definition, count=1)
        out.append(f"ALTER TABLE {q} ADD FOREIGN KEY ({col}) {definition};")
    else:
        out.append(f"ALTER TABLE {q} ALTER COLUMN {col} TYPE {definition};")
    return [Statement(s, key) for s in out]


def change_column_mysql(table: str, key: str, attr: Attribute) -> list[Statement]:
    """MySQL's `changeColumnQuery`: `CHANGE` for the definition, foreign keys apart."""
    d = attribute_sql(attr, "mysql", table=table, key=key, context="changeColumn")
    q = quote_table(table, "mysql")
    col = quote(key, "mysql")
    if "REFERENCES" in d:
        fk = d.replace(", ADD CONSTRAINT", "ADD CONSTRAINT", 1)
        fk = fk[fk.index("ADD CONSTRAINT") :] if "ADD CONSTRAINT" in fk else fk
        return [Statement(f"ALTER TABLE {q} {fk};", key)]
    return [Statement(f"ALTER TABLE {q} CHANGE {col} {col} {d};", key)]


def index_name(table: str, fields: list[str]) -> str:
    """`Utils.nameIndex`: `underscore("<table>_<f1>_<f2>")` (dots in the table name are `_`)."""
    prefix = re.sub(r"[\"']", "", table.replace(".", "_"))
    return underscore(f"{prefix}_{'_'.join(fields)}")


@dataclass(frozen=True, slots=True)
class IndexField:
    name: str
    order: str | None = None
    length: int | None = None
    collate: str | None = None
    operator: str | None = None


def add_index(
    table: str,
    fields: list[IndexField | Raw],
    dialect: Dialect,
    *,
    name: str | None = None,
    unique: bool = False,
    kind: str | None = None,
    using: str | None = None,
    operator: str | None = None,
    where: str | None = None,
    concurrently: bool = False,
) -> Statement:
    """`addIndexQuery`."""
    parts = []
    for f in fields:
        if isinstance(f, Raw):
            parts.append(f.sql)
            continue
        text = quote(f.name, dialect)
        if dialect != "mysql" and f.collate:
            text += f" COLLATE {quote(f.collate, dialect)}"
        op = f.operator or operator
        if dialect == "postgresql" and op:
            text += f" {op}"
        if dialect == "mysql" and f.length:
            text += f"({f.length})"
        if f.order:
            text += f" {f.order}"
        parts.append(text)
    if name is None:
        name = index_name(table, [f.sql if isinstance(f, Raw) else f.name for f in fields])
    if kind is not None and kind.upper() == "UNIQUE":
        unique, kind = True, None
    if dialect != "mysql":
        kind = None
    words = ["CREATE", "UNIQUE" if unique else "", kind or "", "INDEX"]
    if dialect == "postgresql" and concurrently:
        words.append("CONCURRENTLY")
    words.append(quote(name, dialect))
    words.append(f"ON {quote_table(table, dialect)}")
    if using and dialect != "sqlite" and dialect == "postgresql":
        words.append(f"USING {using}")
    words.append(f"({', '.join(parts)})")
    if where and dialect != "mysql":
        words.append(f"WHERE {where}")
    if using and dialect == "mysql":
        words.insert(words.index(f"ON {quote_table(table, dialect)}"), f"USING {using}")
    return Statement(" ".join(w for w in words if w))


def remove_index(table: str, name: str, dialect: Dialect, concurrently: bool = False) -> Statement:
    """`removeIndexQuery` (PostgreSQL: `DROP INDEX IF EXISTS`, in the table's schema)."""
    if dialect == "postgresql":
        conc = " CONCURRENTLY" if concurrently else ""
        return Statement(f"DROP INDEX{conc} IF EXISTS {quote(name, dialect)}")
    if dialect == "sqlite":
        return Statement(f"DROP INDEX IF EXISTS {quote(name, dialect)}")
    return Statement(f"DROP INDEX {quote(name, dialect)} ON {quote_table(table, dialect)}")


def constraint_name(table: str, kind: str, fields: list[str], ref_table: str | None = None) -> str:
    """`getConstraintSnippet`'s default name: `<t>_<f1>_<f2>_uk|_ck|_pk`, `<t>_<f>_<rt>_fk`."""
    joined = "_".join(fields)
    suffix = {"UNIQUE": "uk", "CHECK": "ck", "PRIMARY KEY": "pk", "DEFAULT": "df"}.get(kind)
    if kind == "FOREIGN KEY":
        return f"{table}_{joined}_{ref_table}_fk"
    return f"{table}_{joined}_{suffix}"


def add_constraint(
    table: str,
    kind: str,
    fields: list[str],
    dialect: Dialect,
    *,
    name: str | None = None,
    check: str | None = None,
    ref_table: str | None = None,
    ref_fields: list[str] | None = None,
    on_delete: str | None = None,
    on_update: str | None = None,
) -> Statement:
    """`addConstraintQuery` (`kind` upper case: UNIQUE, CHECK, PRIMARY KEY, FOREIGN KEY)."""
    cols = ", ".join(quote(f, dialect) for f in fields)
    cname = quote(name or constraint_name(table, kind, fields, ref_table), dialect)
    if kind == "UNIQUE":
        snippet = f"CONSTRAINT {cname} UNIQUE ({cols})"
    elif kind == "CHECK":
        snippet = f"CONSTRAINT {cname} CHECK ({check})"
    elif kind == "PRIMARY KEY":
        snippet = f"CONSTRAINT {cname} PRIMARY KEY ({cols})"
    elif kind == "FOREIGN KEY":
        refs = ", ".join(quote(f, dialect) for f in ref_fields or [])
        target = quote_table(ref_table or "", dialect)
        snippet = f"CONSTRAINT {cname} FOREIGN KEY ({cols}) REFERENCES {target} ({refs})"
        if on_update:
            snippet += f" ON UPDATE {on_update.upper()}"
        if on_delete:
            snippet += f" ON DELETE {on_delete.upper()}"
    else:
        raise SequelizeError(f"{kind} is invalid.")
    return Statement(f"ALTER TABLE {quote_table(table, dialect)} ADD {snippet};")

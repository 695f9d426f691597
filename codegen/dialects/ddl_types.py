"""A column's type (`codegen.dialects.sql_type.SqlType`) read from and written in either spelling.

Two spellings of one type meet in a migration diff:

- what Prisma's DDL says for a declared column (`VARCHAR(100)`, `TIMESTAMP(3)`, `SERIAL`,
  `DECIMAL(65, 30)`), from `render.column_type_sql`;
- what a database (or the migration replay) says it holds, in its canonical spelling
  (PostgreSQL's `format_type`: `character varying(100)`, `timestamp(3) without time zone`;
  MySQL's `COLUMN_TYPE`: `varchar(100)`, `int`, `tinyint(1)`; SQLite's declared type, which is
  Prisma's own).

`parse(dialect, text)` reads either into one `SqlType` (the DDL keyword Prisma writes plus its
arguments), so two columns compare equal when the database would hold the same type;
`ddl(dialect, t)` writes a `SqlType` as Prisma's DDL does and `canonical(dialect, t)` as the
database prints it. The keyword table per dialect is the engine's `render_column_type_*` and
PostgreSQL's `format_type` names.
"""

from __future__ import annotations

import re

from schemasense.codegen.dialects.sql_type import SqlType

__all__ = ["canonical", "ddl", "parse"]


# PostgreSQL ------------------------------------------------------------------------------------

_PG_KEYWORD = {
    "character varying": "VARCHAR",
    "varchar": "VARCHAR",
    "character": "CHAR",
    "char": "CHAR",
    "bpchar": "CHAR",
    "text": "TEXT",
    "citext": "CITEXT",
    "smallint": "SMALLINT",
    "int2": "SMALLINT",
    "smallserial": "SMALLINT",
    "integer": "INTEGER",
    "int": "INTEGER",
    "int4": "INTEGER",
    "serial": "INTEGER",
    "bigint": "BIGINT",
    "int8": "BIGINT",
    "bigserial": "BIGINT",
    "numeric": "DECIMAL",
    "decimal": "DECIMAL",
    "real": "REAL",
    "float4": "REAL",
    "double precision": "DOUBLE PRECISION",
    "float8": "DOUBLE PRECISION",
    "money": "MONEY",
    "oid": "OID",
    "boolean": "BOOLEAN",
    "bool": "BOOLEAN",
    "bytea": "BYTEA",
    "date": "DATE",
    "uuid": "UUID",
    "xml": "XML",
    "json": "JSON",
    "jsonb": "JSONB",
    "inet": "INET",
    "bit": "BIT",
    "bit varying": "VARBIT",
    "varbit": "VARBIT",
    "timestamp": "TIMESTAMP",
    "timestamp without time zone": "TIMESTAMP",
    "timestamptz": "TIMESTAMPTZ",
    "timestamp with time zone": "TIMESTAMPTZ",
    "time": "TIME",
    "time without time zone": "TIME",
    "timetz": "TIMETZ",
    "time with time zone": "TIMETZ",
}
_PG_CANONICAL = {
    "VARCHAR": "character varying",
    "CHAR": "character",
    "TEXT": "text",
    "CITEXT": "citext",
    "SMALLINT": "smallint",
    "INTEGER": "integer",
    "BIGINT": "bigint",
    "DECIMAL": "numeric",
    "REAL": "real",
    "DOUBLE PRECISION": "double precision",
    "MONEY": "money",
    "OID": "oid",
    "BOOLEAN": "boolean",
    "BYTEA": "bytea",
    "DATE": "date",
    "UUID": "uuid",
    "XML": "xml",
    "JSON": "json",
    "JSONB": "jsonb",
    "INET": "inet",
    "BIT": "bit",
    "VARBIT": "bit varying",
}
_PG_ZONED = {
    "TIMESTAMP": ("timestamp", " without time zone"),
    "TIMESTAMPTZ": ("timestamp", " with time zone"),
    "TIME": ("time", " without time zone"),
    "TIMETZ": ("time", " with time zone"),
}
PG_SERIAL = {"SMALLINT": "SMALLSERIAL", "INTEGER": "SERIAL", "BIGINT": "BIGSERIAL"}
"""The serial spelling of an auto-increment column's type (PostgreSQL)."""

_PG_TYPE = re.compile(
    r"^(?P<base>[a-z][a-z0-9 ]*?)\s*(?:\((?P<args>[\d\s,]*)\))?"
    r"(?P<zone>\s+with(?:out)?\s+time\s+zone)?$"
)
_QUOTED_NAME = re.compile(
    r'^(?:(?P<schema>"(?:[^"]|"")*"|[a-z_][a-z0-9_$]*)\.)?'
    r'(?P<name>"(?:[^"]|"")*"|[A-Za-z_][A-Za-z0-9_$]*)$'
)


def _unquote(text: str) -> str:
    return text[1:-1].replace('""', '"') if text.startswith('"') else text


def _args(text: str | None) -> tuple[int, ...]:
    if not text or not text.strip():
        return ()
    return tuple(int(a) for a in text.replace(" ", "").split(",") if a)


def _parse_postgres(text: str, enums: frozenset[str] | None) -> SqlType:
    body = text.strip()
    array = False
    while body.endswith("[]"):
        array = True
        body = body[:-2].rstrip()
    m = _PG_TYPE.match(body.lower()) if '"' not in body else None
    if m is not None:
        base = re.sub(r"\s+", " ", m.group("base"))
        zone = m.group("zone")
        key = f"{base} {' '.join(zone.split())}" if zone else base
        keyword = _PG_KEYWORD.get(key)
        if keyword is not None:
            return SqlType(keyword, _args(m.group("args")), array)
    q = _QUOTED_NAME.match(body)
    if q is not None:
        name = _unquote(q.group("name"))
        if '"' in body or (enums is not None and name in enums):
            schema = _unquote(q.group("schema")) if q.group("schema") else None
            return SqlType("ENUM", (), array, enum=name, enum_schema=schema)
    return SqlType("", (), array, raw=body)


def _pg_args(args: tuple[int, ...]) -> str:
    return f"({','.join(str(a) for a in args)})" if args else ""


def _ddl_postgres(t: SqlType, autoincrement: bool) -> str:
    suffix = "[]" if t.array else ""
    if t.name == "ENUM":
        name = '"' + (t.enum or "").replace('"', '""') + '"'
        if t.enum_schema:
            name = '"' + t.enum_schema.replace('"', '""') + '".' + name
        return name + suffix
    if not t.name:
        return (t.raw or "") + suffix
    if autoincrement and not t.array and t.name in PG_SERIAL:
        return PG_SERIAL[t.name]
    return f"{t.name}{_pg_args(t.args)}{suffix}"


def _canonical_postgres(t: SqlType) -> str:
    suffix = "[]" if t.array else ""
    if t.name == "ENUM":
        return _ddl_postgres(t, False)
    if not t.name:
        return (t.raw or "") + suffix
    if t.name in _PG_ZONED:
        word, zone = _PG_ZONED[t.name]
        return f"{word}{_pg_args(t.args)}{zone}{suffix}"
    args = t.args
    if t.name in ("CHAR", "BIT") and not args:
        args = (1,)  # `CHAR` is `character(1)`
    return f"{_PG_CANONICAL[t.name]}{_pg_args(args)}{suffix}"


# MySQL -----------------------------------------------------------------------------------------

_MYSQL_ALIASES = {
    "INT": "INTEGER",
    "BOOL": "BOOLEAN",
    "REAL": "DOUBLE",
    "NUMERIC": "DECIMAL",
    "INTEGER": "INTEGER",
    "DEC": "DECIMAL",
}
_MYSQL_TYPE = re.compile(
    r"^(?P<base>[A-Za-z]+)\s*(?:\((?P<args>[^)]*)\))?(?P<rest>(?:\s+\w+)*)\s*$"
)


def _parse_mysql(text: str) -> SqlType:
    body = text.strip()
    m = _MYSQL_TYPE.match(body)
    if m is None:
        return SqlType("", raw=body)
    base = m.group("base").upper()
    rest = " ".join(w.upper() for w in (m.group("rest") or "").split())
    if base in ("ENUM", "SET") and m.group("args") is not None:
        values = tuple(v.replace("''", "'") for v in re.findall(r"'((?:[^']|'')*)'", body))
        return SqlType(base, values=values)
    try:
        args = _args(m.group("args"))
    except ValueError:
        return SqlType("", raw=body)
    base = _MYSQL_ALIASES.get(base, base)
    if base == "TINYINT" and args == (1,) and not rest:
        return SqlType("BOOLEAN")
    if base in ("TINYINT", "SMALLINT", "MEDIUMINT", "INTEGER", "BIGINT"):
        args = ()  # display widths mean nothing
    name = f"{base} {rest}" if rest else base
    return SqlType(name, args)


def _ddl_mysql(t: SqlType) -> str:
    if t.name in ("ENUM", "SET") and t.values:
        values = ", ".join("'" + v.replace("'", "''") + "'" for v in t.values)
        return f"{t.name}({values})"
    if not t.name:
        return t.raw or ""
    args = ", ".join(str(a) for a in t.args)
    base, _, rest = t.name.partition(" ")
    return f"{base}({args}){' ' + rest if rest else ''}" if t.args else t.name


def _canonical_mysql(t: SqlType) -> str:
    if t.name in ("ENUM", "SET") and t.values:
        values = ",".join("'" + v.replace("'", "''") + "'" for v in t.values)
        return f"{t.name.lower()}({values})"
    if not t.name:
        return (t.raw or "").lower()
    if t.name == "BOOLEAN":
        return "tinyint(1)"
    base, _, rest = t.name.partition(" ")
    base = {"INTEGER": "int"}.get(base, base.lower())
    args = f"({','.join(str(a) for a in t.args)})" if t.args else ""
    return f"{base}{args}{' ' + rest.lower() if rest else ''}"


# SQLite ----------------------------------------------------------------------------------------


def _parse_sqlite(text: str) -> SqlType:
    body = " ".join(text.split()).upper()
    m = re.match(r"^([A-Z][A-Z ]*?)\s*(?:\(([\d\s,]*)\))?$", body)
    if m is None:
        return SqlType("", raw=text.strip())
    return SqlType(m.group(1), _args(m.group(2)))


def _ddl_sqlite(t: SqlType) -> str:
    if not t.name:
        return t.raw or ""
    return f"{t.name}({', '.join(str(a) for a in t.args)})" if t.args else t.name


# ----------------------------------------------------------------------------------------------


_PARSED: dict[tuple[str, str, frozenset[str] | None], SqlType] = {}


def parse(dialect: str, text: str, enums: frozenset[str] | None = None) -> SqlType:
    """`text` (Prisma's DDL spelling or the database's) as a `SqlType`. `enums` are the names
    of the enum types a PostgreSQL type may be (None: any quoted name is one). Cached: a
    schema spells a few dozen types thousands of times."""
    key = (dialect, text, enums)
    hit = _PARSED.get(key)
    if hit is not None:
        return hit
    if dialect in ("postgresql", "postgres", "cockroachdb"):
        out = _parse_postgres(text, enums)
    elif dialect == "mysql":
        out = _parse_mysql(text)
    else:
        out = _parse_sqlite(text)
    if len(_PARSED) > 4096:
        _PARSED.clear()
    _PARSED[key] = out
    return out


def ddl(dialect: str, t: SqlType, autoincrement: bool = False) -> str:
    """`t` as Prisma's migration SQL writes it (`SERIAL` for an auto-increment integer)."""
    if dialect in ("postgresql", "postgres", "cockroachdb"):
        return _ddl_postgres(t, autoincrement)
    if dialect == "mysql":
        return _ddl_mysql(t)
    return _ddl_sqlite(t)


def canonical(dialect: str, t: SqlType) -> str:
    """`t` as the database prints it (`format_type`, `COLUMN_TYPE`, SQLite's declared type)."""
    if dialect in ("postgresql", "postgres", "cockroachdb"):
        return _canonical_postgres(t)
    if dialect == "mysql":
        return _canonical_mysql(t)
    return _ddl_sqlite(t)

"""A SQL column type, in a database's canonical spelling, as a `ColumnType`.

The migration replay and the database introspectors (`server/verify/`) both describe a column
by the text the database itself would print for it, and both need the same logical kind and
parameters from that text, so the mapping lives here, once:

- PostgreSQL: `format_type(atttypid, atttypmod)` (`character varying(191)`,
  `timestamp(3) without time zone`, `"Role"`, `text[]`). A type that is none of PostgreSQL's
  own is taken to be an enum when `enums` names it (or when it is double-quoted).
- MySQL / MariaDB: `information_schema.COLUMNS.COLUMN_TYPE`, lower-cased and spelled as
  MySQL 8 does (no integer display widths but `tinyint(1)`; see `normalize.normalize_type`).
- SQLite: the declared type, upper-cased (`TEXT`, `INTEGER`, `DATETIME`), read with SQLite's
  own affinity rules where the name is not one Prisma writes.

`column_type("postgresql", "numeric(65,30)")` is `ColumnType(kind="decimal",
native="numeric(65,30)", precision=65, scale=30)`.
"""

from __future__ import annotations

import re
from collections.abc import Collection

from ..schema import ColumnType

_POSTGRES_KIND = {
    "smallint": "smallint",
    "integer": "int",
    "bigint": "bigint",
    "real": "float",
    "double precision": "double",
    "numeric": "decimal",
    "money": "money",
    "boolean": "boolean",
    "text": "text",
    "character varying": "string",
    "character": "string",
    '"char"': "string",
    "name": "string",
    "citext": "text",
    "uuid": "uuid",
    "json": "json",
    "jsonb": "json",
    "bytea": "bytes",
    "timestamp": "timestamp",
    "date": "date",
    "time": "time",
    "interval": "unsupported",
    "xml": "xml",
    "inet": "inet",
    "cidr": "inet",
    "bit": "bit",
    "bit varying": "bit",
    "oid": "int",
}

_MYSQL_KIND = {
    "tinyint": "smallint",
    "smallint": "smallint",
    "mediumint": "int",
    "int": "int",
    "integer": "int",
    "bigint": "bigint",
    "float": "float",
    "double": "double",
    "real": "double",
    "decimal": "decimal",
    "numeric": "decimal",
    "bit": "bit",
    "boolean": "boolean",
    "bool": "boolean",
    "char": "string",
    "varchar": "string",
    "tinytext": "text",
    "text": "text",
    "mediumtext": "text",
    "longtext": "text",
    "binary": "bytes",
    "varbinary": "bytes",
    "tinyblob": "bytes",
    "blob": "bytes",
    "mediumblob": "bytes",
    "longblob": "bytes",
    "datetime": "timestamp",
    "timestamp": "timestamp",
    "date": "date",
    "time": "time",
    "year": "int",
    "json": "json",
    "enum": "enum",
    "set": "unsupported",
    "uuid": "uuid",
    "inet4": "inet",
    "inet6": "inet",
}

_SQLITE_KIND = {
    "INTEGER": "int",
    "INT": "int",
    "BIGINT": "bigint",
    "SMALLINT": "smallint",
    "TINYINT": "smallint",
    "TEXT": "text",
    "BOOLEAN": "boolean",
    "DATETIME": "timestamp",
    "TIMESTAMP": "timestamp",
    "DATE": "date",
    "TIME": "time",
    "REAL": "double",
    "DOUBLE": "double",
    "FLOAT": "double",
    "DECIMAL": "decimal",
    "NUMERIC": "decimal",
    "BLOB": "bytes",
    "JSONB": "json",
    "JSON": "json",
}

_NUMBERS = re.compile(r"\((\d+)(?:\s*,\s*(\d+))?\)")
_PG_PARAMS = re.compile(r"\([^)]*\)")
_PG_ZONE = re.compile(r"\s+with(out)? time zone$")


def column_type(provider: str, native: str, enums: Collection[str] = ()) -> ColumnType:
    """The `ColumnType` for `native`, a type in `provider`'s canonical spelling (see above)."""
    if provider in ("postgresql", "postgres", "cockroachdb"):
        return _postgres(native, enums)
    if provider == "mysql":
        return _mysql(native)
    if provider == "sqlite":
        return _sqlite(native)
    return ColumnType(kind="unsupported", native=native)


def _numbers(text: str) -> tuple[int | None, int | None]:
    m = _NUMBERS.search(text)
    if m is None:
        return None, None
    return int(m.group(1)), int(m.group(2)) if m.group(2) is not None else None


def _postgres(native: str, enums: Collection[str]) -> ColumnType:
    array = native.endswith("[]")
    base = native.rstrip("[]") if array else native
    timezone: bool | None = None
    zone = _PG_ZONE.search(base)
    if zone is not None:
        timezone = zone.group(1) is None
        base = base[: zone.start()]
    name = _PG_PARAMS.sub("", base).strip()
    first, second = _numbers(base)
    kind = _POSTGRES_KIND.get(name)
    if kind is None:
        schema, enum = _qualified(name)
        if enum in enums or (schema is not None and f"{schema}.{enum}" in enums):
            return ColumnType(
                kind="enum", native=native, enum=enum, enum_schema=schema, array=array
            )
        return ColumnType(kind="unsupported", native=native, array=array)
    result = ColumnType(kind=kind, native=native, array=array)  # type: ignore[arg-type]
    if kind in ("string", "bit"):
        result.length = first
    elif kind == "decimal":
        result.precision, result.scale = first, second
    elif kind in ("timestamp", "time"):
        result.precision, result.timezone = first, bool(timezone)
    return result


_PART = re.compile(r'"((?:[^"]|"")*)"|([^."]+)')


def _qualified(name: str) -> tuple[str | None, str]:
    """`other."Role"` -> (`other`, `Role`); `"Role"` -> (None, `Role`)."""
    parts = [
        m.group(1).replace('""', '"') if m.group(1) is not None else m.group(2)
        for m in _PART.finditer(name)
    ]
    if len(parts) >= 2:
        return parts[-2], parts[-1]
    return None, parts[0] if parts else name


def _mysql(native: str) -> ColumnType:
    name = native.split("(", 1)[0].split(" ", 1)[0]
    kind = _MYSQL_KIND.get(name, "unsupported")
    if native == "tinyint(1)":
        kind = "boolean"
    first, second = _numbers(native)
    result = ColumnType(kind=kind, native=native)  # type: ignore[arg-type]
    if kind in ("string", "bit") or name in ("binary", "varbinary"):
        result.length = first
    elif kind == "decimal":
        result.precision, result.scale = first, second
    elif kind in ("timestamp", "time"):
        result.precision = first
        result.timezone = False
    return result


def _sqlite(native: str) -> ColumnType:
    name = native.split("(", 1)[0].strip()
    kind = _SQLITE_KIND.get(name)
    if kind is None:
        # SQLite's affinity rules (https://www.sqlite.org/datatype3.html, 3.1)
        if "INT" in name:
            kind = "int"
        elif any(word in name for word in ("CHAR", "CLOB", "TEXT")):
            kind = "text"
        elif "BLOB" in name or not name:
            kind = "bytes" if name else "unsupported"
        elif any(word in name for word in ("REAL", "FLOA", "DOUB")):
            kind = "double"
        else:
            kind = "decimal"
    first, second = _numbers(native)
    result = ColumnType(kind=kind, native=native)  # type: ignore[arg-type]
    if kind == "decimal":
        result.precision, result.scale = first, second
    elif kind == "text" and first is not None:
        result.length = first
    return result

"""Column types and defaults as TypeORM's drivers write them, per database family.

A `@Column` says `type: "varchar"`, `type: "timestamptz"`, or nothing (the property's design
type, `String`, `Number`, `Date`, `Boolean`); the driver turns that into the type it writes in
`CREATE TABLE`, fills in default lengths and precisions, and writes the default. Ported from the
JavaScript of TypeORM 1.1 (the same functions in 0.3.28):

- `driver/postgres/PostgresDriver.js`: `normalizeType`, `createFullType`, `normalizeDefault`,
  `normalizeDatetimeFunction`, `mappedDataTypes`, `supportedDataTypes`;
- `driver/mysql/MysqlDriver.js`: the same, `getColumnLength` (varchar 255, uuid 36) and the
  MariaDB spelling of `CURRENT_TIMESTAMP()`;
- `driver/sqlite-abstract/AbstractSqliteDriver.js`: the same (an enum is a `varchar` with a
  CHECK written by the query runner).

The families are `postgres`, `mysql` (with `mariadb` as a flavour) and `sqlite` (`sqlite`,
`better-sqlite3`, `sqljs`, `capacitor`, `cordova`, `expo`, `nativescript`, `react-native`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Family = Literal["postgres", "mysql", "sqlite"]

DRIVER_FAMILY: dict[str, Family] = {
    "postgres": "postgres",
    "aurora-postgres": "postgres",
    "cockroachdb": "postgres",
    "mysql": "mysql",
    "mariadb": "mysql",
    "aurora-mysql": "mysql",
    "sqlite": "sqlite",
    "better-sqlite3": "sqlite",
    "sqljs": "sqlite",
    "capacitor": "sqlite",
    "cordova": "sqlite",
    "expo": "sqlite",
    "nativescript": "sqlite",
    "react-native": "sqlite",
}
"""A DataSource `type` -> the family whose SQL it writes."""

PROVIDER: dict[Family, str] = {"postgres": "postgresql", "mysql": "mysql", "sqlite": "sqlite"}
"""The schema model's provider (and the migration replay's dialect) for a family."""

DESIGN_TYPES = {"string": "String", "number": "Number", "Date": "Date", "boolean": "Boolean"}
"""A property's TypeScript type -> the constructor `emitDecoratorMetadata` records for it."""

# -- supported types (the drivers' `supportedDataTypes`) ---------------------------------------

_POSTGRES_NAMES = """
    int int2 int4 int8 smallint integer bigint decimal numeric real float float4 float8
    money varchar character char text citext hstore bytea bit varbit timetz timestamptz
    timestamp date time interval bool boolean enum point line lseg box path polygon circle
    cidr inet macaddr macaddr8 tsvector tsquery uuid xml json jsonb jsonpath int4range
    int8range numrange tsrange tstzrange daterange int4multirange int8multirange
    nummultirange tsmultirange tstzmultirange datemultirange geometry geography cube ltree
    vector halfvec
"""
_POSTGRES = frozenset(_POSTGRES_NAMES.split()) | {
    "double precision",
    "character varying",
    "bit varying",
    "timestamp without time zone",
    "timestamp with time zone",
    "time without time zone",
    "time with time zone",
}
_MYSQL_NAMES = """
    bit int integer tinyint smallint mediumint bigint float double dec decimal numeric fixed
    bool boolean date datetime timestamp time year char nchar varchar nvarchar text tinytext
    mediumtext blob longtext tinyblob mediumblob longblob enum set json binary varbinary
    geometry point linestring polygon multipoint multilinestring multipolygon
    geometrycollection uuid inet4 inet6 vector
"""
_MYSQL = frozenset(_MYSQL_NAMES.split()) | {
    "double precision",
    "real",
    "national char",
    "national varchar",
}
_SQLITE_NAMES = """
    int integer tinyint smallint mediumint bigint int2 int8 character varchar nchar nvarchar
    text clob blob real double float numeric decimal boolean date time datetime json jsonb
"""
_SQLITE = frozenset(_SQLITE_NAMES.split()) | {
    "unsigned big int",
    "varying character",
    "native character",
    "double precision",
}
_ORM_TYPES = frozenset({"simple-array", "simple-json", "simple-enum"})

SUPPORTED: dict[Family, frozenset[str]] = {
    "postgres": _POSTGRES | _ORM_TYPES,
    "mysql": _MYSQL | _ORM_TYPES,
    "sqlite": _SQLITE | _ORM_TYPES,
}

# -- the types TypeORM picks for its special columns (`mappedDataTypes`) -----------------------

MAPPED: dict[Family, dict[str, str]] = {
    "postgres": {
        "createDate": "timestamp",
        "updateDate": "timestamp",
        "deleteDate": "timestamp",
        "version": "int4",
        "treeLevel": "int4",
    },
    "mysql": {
        "createDate": "datetime",
        "updateDate": "datetime",
        "deleteDate": "datetime",
        "version": "int",
        "treeLevel": "int",
    },
    "sqlite": {
        "createDate": "datetime",
        "updateDate": "datetime",
        "deleteDate": "datetime",
        "version": "integer",
        "treeLevel": "integer",
    },
}
DATE_DEFAULT: dict[Family, str] = {
    "postgres": "now()",
    "mysql": "CURRENT_TIMESTAMP(6)",
    "sqlite": "datetime('now')",
}
"""The default of a create/update date column (`createDateDefault`)."""
DATE_PRECISION: dict[Family, int | None] = {"postgres": None, "mysql": 6, "sqlite": None}


def supported(family: Family, type_name: str) -> bool:
    """Whether the driver accepts `type_name` (`EntityMetadataValidator`'s check)."""
    return type_name in SUPPORTED[family]


def normalize_type(family: Family, type_name: str, *, mariadb: bool = False) -> str:
    """`Driver.normalizeType`: the type as the driver names it. `type_name` is a type string
    or a design type's constructor name (`String`, `Number`, `Date`, `Boolean`)."""
    t = type_name
    if family == "postgres":
        table = {
            "Number": "integer",
            "int": "integer",
            "int4": "integer",
            "String": "character varying",
            "varchar": "character varying",
            "Date": "timestamp without time zone",
            "timestamp": "timestamp without time zone",
            "timestamptz": "timestamp with time zone",
            "time": "time without time zone",
            "timetz": "time with time zone",
            "Boolean": "boolean",
            "bool": "boolean",
            "simple-array": "text",
            "simple-json": "text",
            "simple-enum": "enum",
            "int2": "smallint",
            "int8": "bigint",
            "decimal": "numeric",
            "float8": "double precision",
            "float": "double precision",
            "float4": "real",
            "char": "character",
            "varbit": "bit varying",
        }
        return table.get(t, t)
    if family == "mysql":
        table = {
            "Number": "int",
            "integer": "int",
            "String": "varchar",
            "Date": "datetime",
            "Boolean": "tinyint",
            "Buffer": "blob",
            "uuid": "varchar",  # uuidColumnTypeSuported is false until the server says otherwise
            "simple-array": "text",
            "simple-json": "text",
            "simple-enum": "enum",
            "double precision": "double",
            "real": "double",
            "dec": "decimal",
            "numeric": "decimal",
            "fixed": "decimal",
            "bool": "tinyint",
            "boolean": "tinyint",
            "nvarchar": "varchar",
            "national varchar": "varchar",
            "nchar": "char",
            "national char": "char",
        }
        return table.get(t, t)
    table = {
        "Number": "integer",
        "int": "integer",
        "String": "varchar",
        "Date": "datetime",
        "Boolean": "boolean",
        "Buffer": "blob",
        "uuid": "varchar",
        "simple-array": "text",
        "simple-json": "text",
        "simple-enum": "varchar",
    }
    return table.get(t, t)


_MYSQL_DEFAULTS: dict[str, tuple[int | None, int | None, int | None]] = {
    # type: (length, precision, scale) -- MysqlDriver.dataTypeDefaults
    "varchar": (255, None, None),
    "nvarchar": (255, None, None),
    "national varchar": (255, None, None),
    "char": (1, None, None),
    "binary": (1, None, None),
    "varbinary": (255, None, None),
    "decimal": (None, 10, 0),
    "dec": (None, 10, 0),
    "numeric": (None, 10, 0),
    "fixed": (None, 10, 0),
    "float": (None, 12, None),
    "double": (None, 22, None),
    "time": (None, 0, None),
    "datetime": (None, 0, None),
    "timestamp": (None, 0, None),
}


@dataclass(frozen=True, slots=True)
class ColumnShape:
    """What `createFullType` reads of a column (after `normalizeType`)."""

    type: str
    """The normalized type (`character varying`, `int`, `enum`)."""
    length: str | None = None
    precision: int | None = None
    scale: int | None = None
    array: bool = False
    has_enum: bool = False
    uuid_generated: bool = False
    design_string: bool = False
    """The type came from a `String` design type (MySQL's `getColumnLength` checks `String`)."""
    spatial_feature: str | None = None
    srid: int | None = None


def full_type(family: Family, c: ColumnShape) -> str:
    """`Driver.createFullType`: the type with its length, precision and scale as written in
    `CREATE TABLE` (PostgreSQL's enums are named by the query runner, not here)."""
    t = c.type
    if family == "sqlite":
        if c.has_enum:
            return "varchar"
        return _sized(t, c.length, c.precision, c.scale) + (" array" if c.array else "")
    if family == "mysql":
        length = c.length or _mysql_length(c)
        if length:
            t += f"({length})"
        elif c.precision is not None and c.scale is not None:
            t += f"({c.precision},{c.scale})"
        elif c.precision is not None:
            t += f"({c.precision})"
        return t + (" array" if c.array else "")
    t = _sized(t, c.length, c.precision, c.scale)
    p = f"({c.precision})" if c.precision is not None else ""
    if c.type == "time without time zone":
        t = "TIME" + p
    elif c.type == "time with time zone":
        t = "TIME" + p + " WITH TIME ZONE"
    elif c.type == "timestamp without time zone":
        t = "TIMESTAMP" + p
    elif c.type == "timestamp with time zone":
        t = "TIMESTAMP" + p + " WITH TIME ZONE"
    elif c.type in ("geometry", "geography"):
        if c.spatial_feature is not None and c.srid is not None:
            t = f"{c.type}({c.spatial_feature},{c.srid})"
        elif c.spatial_feature is not None:
            t = f"{c.type}({c.spatial_feature})"
        else:
            t = c.type
    elif c.type in ("vector", "halfvec"):
        t = c.type + (f"({c.length})" if c.length else "")
    return t + (" array" if c.array else "")


def _sized(t: str, length: str | None, precision: int | None, scale: int | None) -> str:
    if length:
        return f"{t}({length})"
    if precision is not None and scale is not None:
        return f"{t}({precision},{scale})"
    if precision is not None:
        return f"{t}({precision})"
    return t


def _mysql_length(c: ColumnShape) -> str:
    """`MysqlDriver.getColumnLength` when no length was given."""
    if c.uuid_generated:
        return "36"
    if c.design_string or c.type in ("varchar", "nvarchar", "national varchar", "varbinary"):
        return "255"
    return ""


DefaultValue = str | int | float | bool | None


def normalize_default(
    family: Family,
    value: DefaultValue,
    *,
    column_type: str,
    is_function: bool = False,
    is_array: bool = False,
    list_value: tuple[DefaultValue, ...] | None = None,
    scale: int | None = None,
    mariadb: bool = False,
) -> str | None:
    """`Driver.normalizeDefault`: the SQL after `DEFAULT`. `value` is the literal given, or the
    text a `() => "..."` returns (`is_function`); `list_value` an array default."""
    if is_function:
        text = str(value) if value is not None else ""
        if family == "postgres":
            return _pg_datetime_function(text)
        if family == "mysql":
            return _mysql_datetime_function(text, mariadb)
        return text
    if value is None and list_value is None:
        return None
    if family == "postgres":
        if is_array and list_value is not None:
            return "'{" + ",".join(_js_string(v) for v in list_value) + "}'"
        if column_type in ("enum", "simple-enum") or isinstance(value, (int, float, str)):
            if isinstance(value, bool):
                return "true" if value else "false"
            return f"'{_js_string(value)}'"
        return _js_string(value)
    if family == "mysql":
        if column_type in ("enum", "simple-enum") or isinstance(value, str):
            return f"'{_js_string(value)}'"
        if isinstance(value, bool):
            return "1" if value else "0"
        if isinstance(value, (int, float)):
            return f"'{_to_fixed(value, scale)}'"
        return _js_string(value)
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, (int, float)):
        return _js_string(value)
    if list_value is not None and column_type == "simple-enum":
        return "'" + ",".join(_js_string(v) for v in list_value) + "'"
    return f"'{_js_string(value)}'"


def _js_string(value: DefaultValue) -> str:
    """`String(value)` in JavaScript."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return "null" if value is None else str(value)


def _to_fixed(value: int | float, scale: int | None) -> str:
    """`Number.prototype.toFixed(scale)` (no argument: 0 digits)."""
    return f"{value:.{scale or 0}f}"


def _pg_datetime_function(value: str) -> str:
    import re

    m = re.match(
        r"^(CURRENT_TIMESTAMP|CURRENT_DATE|CURRENT_TIME|LOCALTIMESTAMP|LOCALTIME)(\(\d+\))?$",
        value.strip().upper(),
    )
    if not m:
        return value
    name, precision = m.group(1), m.group(2) or ""
    prefix = "('now'::text)"
    if name == "CURRENT_TIMESTAMP":
        return f"{prefix}::timestamp{precision} with time zone" if precision else "now()"
    if name == "CURRENT_DATE":
        return f"{prefix}::date"
    if name == "CURRENT_TIME":
        return f"{prefix}::time{precision} with time zone"
    if name == "LOCALTIMESTAMP":
        return f"{prefix}::timestamp{precision} without time zone"
    return f"{prefix}::time{precision} without time zone"


def _mysql_datetime_function(value: str, mariadb: bool) -> str:
    import re

    if not value:
        return value
    m = re.match(r"^(CURRENT_TIMESTAMP|NOW)(\(\d*\))?$", value.strip().upper())
    if not m:
        return value
    precision = m.group(2) or ""
    if mariadb:
        return f"CURRENT_TIMESTAMP{precision}" if precision else "CURRENT_TIMESTAMP()"
    return "CURRENT_TIMESTAMP" if precision == "()" else f"CURRENT_TIMESTAMP{precision}"

"""MySQL / MariaDB migrations: sqlglot reads them (`sqlglot_read.py`); these are MySQL's rules.

A column's type is kept as `information_schema.COLUMNS.COLUMN_TYPE` prints it, lower-case
(`varchar(191)`, `datetime(3)`, `decimal(65,30)`, `enum('A','B')`, `tinyint(1)` for BOOLEAN,
`int unsigned`), without integer display widths (MySQL 8's spelling; MariaDB's widths are
erased by `codegen.dialects.normalize`). A default is kept as `COLUMN_DEFAULT` prints it on
MariaDB (`'abc'`, `0`, `current_timestamp(3)`, a decimal with its scale's digits).

What MySQL does that the other databases do not: a UNIQUE constraint is a unique index and
nothing more; index names are per table; the primary key is `PRIMARY`; a foreign key whose
columns no index starts with gets an index of the constraint's name, which MySQL drops again
when an index that serves the key is added; dropping a column takes it out of every index.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any

from schemasense.codegen.ddl import statements as ops
from schemasense.codegen.ddl.statements import Parsed
from schemasense.server.migrations.sql.common_rules import TextRules
from schemasense.server.migrations.sql.sqlglot_read import SqlglotReader
from schemasense.server.migrations.state import (
    ColumnState,
    Parts,
    SchemaState,
    TableState,
)
from sqlglot import exp

_ALIASES = {
    "integer": "int",
    "int4": "int",
    "int8": "bigint",
    "int2": "smallint",
    "int1": "tinyint",
    "int3": "mediumint",
    "middleint": "mediumint",
    "real": "double",
    "double precision": "double",
    "float8": "double",
    "float4": "float",
    "numeric": "decimal",
    "dec": "decimal",
    "fixed": "decimal",
    "character varying": "varchar",
    "character": "char",
    "nchar": "char",
    "nvarchar": "varchar",
    "national varchar": "varchar",
    "national char": "char",
    "long varchar": "mediumtext",
    "long": "mediumtext",
}
_ENUM = re.compile(r"^(enum|set)\s*\((.*)\)$", re.S)


def mysql_type(raw: str) -> ops.SqlType:
    """COLUMN_TYPE for a type as written (`INTEGER UNSIGNED` -> `int unsigned`)."""
    text = " ".join(raw.split())
    enum = _ENUM.match(text.lower())
    if enum is not None:
        values = _enum_values(text[text.index("(") + 1 : text.rindex(")")])
        body = ",".join("'" + v.replace("'", "''") + "'" for v in values)
        return ops.SqlType(native=f"{enum.group(1)}({body})", values=tuple(values))
    text = text.lower()
    text = re.sub(r"\s*\(\s*", "(", text)
    text = re.sub(r"\s*,\s*", ",", text)
    text = re.sub(r"\s*\)", ")", text)
    # `CHAR(36) BINARY` (Sequelize's UUID): the binary collation of the column's character
    # set, not part of the type: COLUMN_TYPE is char(36)
    text = re.sub(r"^((?:var)?char\(\d+\)|(?:tiny|medium|long)?text) binary$", r"\1", text)
    match = re.match(
        r"^([a-z_][a-z0-9_ ]*?)(\(([^)]*)\))?((?: (?:unsigned|signed|zerofill))*)$", text
    )
    if match is None:
        return ops.SqlType(native=text)
    name = _ALIASES.get(match.group(1).strip(), match.group(1).strip())
    args = match.group(3)
    flags = match.group(4).replace(" signed", "")
    if name in ("bool", "boolean"):
        return ops.SqlType(native="tinyint(1)")
    if name == "serial":
        return ops.SqlType(native="bigint unsigned")
    if name == "decimal":
        parts = (args or "10").split(",")
        args = f"{parts[0]},{parts[1] if len(parts) > 1 else 0}"
    elif name == "float" and args and "," not in args:
        name, args = ("float" if int(args) <= 24 else "double"), None
    elif (name in ("char", "binary") and args is None) or (name == "bit" and args is None):
        args = "1"
    elif (name in ("timestamp", "datetime", "time") and args == "0") or name == "year":
        args = None
    elif (
        name in ("tinyint", "smallint", "mediumint", "int", "bigint")
        and args is not None
        and not (name == "tinyint" and args == "1" and not flags)
    ):
        args = None  # display widths: MySQL 8 prints none (but tinyint(1))
    native = name + (f"({args})" if args is not None else "") + flags
    return ops.SqlType(native=native)


def _enum_values(body: str) -> list[str]:
    return [
        m.group(1).replace("''", "'").replace("\\'", "'")
        for m in re.finditer(r"'((?:[^'\\]|''|\\.)*)'", body)
    ]


def _type(raw: str, node: Any) -> ops.SqlType:
    return mysql_type(raw)


def _default(raw: str, node: Any) -> Any:
    return (raw.strip(), node)


_READER = SqlglotReader("mysql", _type, _default)


def parse_sql(text: str) -> list[Parsed]:
    return _READER.parse_sql(text)


_CURRENT = re.compile(
    r"^(current_timestamp|now|localtimestamp|localtime)\s*(\(\s*(\d*)\s*\))?$", re.I
)


class MysqlRules(TextRules):
    name = "mysql"
    provider = "mysql"
    default_schema = ""
    fk_creates_index = True
    unique_constraint_is_index = True
    index_names_per_table = True
    named_primary_keys = False

    def cook_default(
        self, raw: Any, column: ColumnState, table: TableState, state: SchemaState
    ) -> Parts | None:
        text, node = raw if isinstance(raw, tuple) else (str(raw), None)
        native = column.type.native
        if isinstance(node, exp.Null) or text.upper() == "NULL":
            return None
        current = _CURRENT.match(text)
        if current is not None:
            return (f"current_timestamp({current.group(3) or ''})",)
        if isinstance(node, exp.Boolean) or text.lower() in ("true", "false"):
            value = "1" if text.lower() == "true" else "0"
            return (value,)
        if isinstance(node, exp.Literal) and node.is_string:
            value = node.this
            if native.startswith("decimal"):
                return (_decimal(value, native),)
            return ("'" + value.replace("'", "''") + "'",)
        number = text.lstrip("+")
        if re.fullmatch(r"-?\d+(\.\d*)?([eE][+-]?\d+)?", number):
            if native.startswith("decimal"):
                return (_decimal(number, native),)
            if native.startswith(("float", "double")):
                return (_float(number),)
            return (number,)
        return (text,)

    def constraint_name(
        self, c: ops.ConstraintDef, table: TableState, state: SchemaState
    ) -> str | None:
        if c.kind == "primary_key":
            return None
        if c.kind == "foreign_key":
            n = len(table.foreign_keys) + 1
            return f"{table.name}_ibfk_{n}"
        if c.kind == "check":  # MySQL 8's name for an unnamed CHECK: <table>_chk_<n>
            taken_checks = {self.key(k.name) for k in table.checks if k.name}
            n = len(table.checks) + 1
            while self.key(f"{table.name}_chk_{n}") in taken_checks:
                n += 1
            return f"{table.name}_chk_{n}"
        cols = [p.column for p in c.columns if p.column]
        base = cols[0] if cols else "key"
        name, n = base, 1
        taken = {self.key(i.name) for i in table.indexes}
        while self.key(name) in taken:
            n += 1
            name = f"{base}_{n}"
        return name

    def index_name(self, idx: ops.IndexDef, table: TableState, state: SchemaState) -> str:
        cols = [p.column or "expr" for p in idx.columns]
        base = cols[0] if cols else "idx"
        name, n = base, 1
        taken = {self.key(i.name) for i in table.indexes}
        while self.key(name) in taken:
            n += 1
            name = f"{base}_{n}"
        return name


def _decimal(value: str, native: str) -> str:
    match = re.search(r"\((\d+),(\d+)\)", native)
    scale = int(match.group(2)) if match else 0
    try:
        number = Decimal(value)
    except InvalidOperation:
        return "'" + value + "'"
    return f"{number:.{scale}f}"


def _float(value: str) -> str:
    number = float(value)
    return str(int(number)) if number.is_integer() else repr(number)


RULES = MysqlRules()

"""TypeORM's Table API read into the replay's operations: the ONE place they are built.

A call such as `queryRunner.createTable(new Table({...}))` runs, in TypeORM, the SQL its query
runner writes for the driver (`PostgresQueryRunner.createTableSql`, `buildCreateColumnSql`,
`createIndexSql`; `MysqlQueryRunner`, `AbstractSqliteQueryRunner` for the others): the column
type spelled by the driver's `createFullType`, unnamed constraints and indexes named by the naming
strategy (`codegen/orms/typeorm/naming.py`, hashed as the project's TypeORM version hashes). This
module writes that same SQL and reads it with the dialect's SQL reader, so a Table-API step and
the same step written as `queryRunner.query(...)` give the same operations; their clause spans
are then the call's own range in the file.

Where TypeORM rebuilds a SQLite table to add a constraint (`createForeignKey`,
`createUniqueConstraint`), the effect is written as the `ALTER TABLE ... ADD CONSTRAINT` the
replay understands. What cannot be read (a computed table name, an option that is not a literal)
raises `Unread`, which the reader turns into a `CallPiece` with an error.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from schemasense.codegen.ddl.statements import AlterTable, DropConstraint
from schemasense.codegen.orms.typeorm.naming import NamingStrategy
from schemasense.server.migrations.replay import parse_file
from schemasense.server.sources.typescript.values import (
    Array,
    Bool,
    Call,
    Null,
    Num,
    Obj,
    Ref,
    Str,
    Value,
)

_TABLE_CLASSES = {
    "Table",
    "TableColumn",
    "TableIndex",
    "TableForeignKey",
    "TableUnique",
    "TableCheck",
    "TableExclusion",
}


class Unread(Exception):
    """A call whose arguments cannot be known without running the code."""


@dataclass(frozen=True, slots=True)
class CallRead:
    """What one Table-API call does: its kind in the replay's words and its operations."""

    kind: str
    ops: tuple[Any, ...]
    sql: str
    """The SQL TypeORM would run for it (as this module writes it): for hover and tests."""


@dataclass(frozen=True)
class Dialect:
    """The SQL dialect of the chain and how TypeORM names things in it."""

    name: str
    naming: NamingStrategy
    resolve: Callable[[Value], Value] = lambda v: v
    """Resolves `this.x` (a class property) to its value."""

    def q(self, name: str) -> str:
        if self.name == "mysql":
            return "`" + name.replace("`", "``") + "`"
        return '"' + name.replace('"', '""') + '"'

    def path(self, table: str) -> str:
        return ".".join(self.q(part) for part in table.split("."))


# -- reading argument values ----------------------------------------------------------------------


def _what(value: Value) -> str:
    if isinstance(value, Ref):
        return f"`{value.dotted}`"
    text = getattr(value, "text", "")
    return f"`{text}`" if text else "an expression"


def _text(value: Value | None, what: str) -> str:
    if isinstance(value, Str) and value.value is not None:
        return value.value
    if isinstance(value, Num):
        return _js_number(value.value)
    raise Unread(
        f"the {what} {_what(value) if value else ''} is not known without running the code"
    )


def _js_number(number: int | float) -> str:
    if isinstance(number, float) and number.is_integer():
        return str(int(number))
    return str(number)


def _options(dialect: Dialect, value: Value | None, what: str) -> Obj:
    """The options object of `new TableX({...})` or a plain `{...}`."""
    if value is not None:
        value = dialect.resolve(value)
    if (
        isinstance(value, Call)
        and value.new
        and value.callee_path[-1:]
        and (value.callee_path[-1] in _TABLE_CLASSES)
    ):
        value = dialect.resolve(value.args[0]) if value.args else None
    if isinstance(value, Obj):
        if value.spreads or value.unknown_keys:
            raise Unread(f"the {what} has keys that are not known without running the code")
        return value
    raise Unread(
        f"the {what} {_what(value) if value else ''} is not known without running the code"
    )


def _opt(obj: Obj, key: str) -> Any:
    """A literal option: str, number as its JS text, bool, None (absent / null / undefined),
    or a list of those. Anything else cannot be read."""
    value = obj.get(key)
    if value is None or isinstance(value, Null):
        return None
    if isinstance(value, Bool):
        return value.value
    if isinstance(value, Num):
        return _js_number(value.value)
    if isinstance(value, Str):
        if value.value is None:
            raise Unread(f"the option `{key}` is not known without running the code")
        return value.value
    if isinstance(value, Array):
        return [_item(key, item) for item in value.items]
    raise Unread(f"the option `{key}` ({_what(value)}) is not known without running the code")


def _item(key: str, value: Value) -> str:
    if isinstance(value, Str) and value.value is not None:
        return value.value
    if isinstance(value, Num):
        return _js_number(value.value)
    raise Unread(f"an item of `{key}` ({_what(value)}) is not known without running the code")


def _table_name(dialect: Dialect, value: Value | None) -> str:
    """A table argument: a name, or a `Table` (its `name`)."""
    if value is not None:
        value = dialect.resolve(value)
    if isinstance(value, (Str, Num)):
        return _text(value, "table name")
    if isinstance(value, (Obj, Call)):
        name = _opt(_options(dialect, value, "table"), "name")
        if isinstance(name, str):
            return name
    raise Unread(
        f"the table name {_what(value) if value else ''} is not known without running the code"
    )


def _name_or(dialect: Dialect, value: Value | None, what: str) -> tuple[str | None, Obj | None]:
    """An argument that is a name or an object (`dropIndex(t, "IDX_x")`, `dropIndex(t, index)`)."""
    if value is not None:
        value = dialect.resolve(value)
    if isinstance(value, Str):
        return _text(value, what), None
    return None, _options(dialect, value, what)


# -- TypeORM's SQL ------------------------------------------------------------------------------


@dataclass
class _Column:
    name: str
    type: str
    length: str | None = None
    precision: str | None = None
    scale: str | None = None
    nullable: bool = False
    primary: bool = False
    generated: bool = False
    strategy: str | None = None
    default: str | None = None
    unique: bool = False
    enum: list[str] | None = None
    enum_name: str | None = None
    array: bool = False
    comment: str | None = None
    pk_name: str | None = None
    unsigned: bool = False
    charset: str | None = None
    collation: str | None = None
    as_expression: str | None = None
    generated_type: str | None = None
    generated_identity: str | None = None


def _column(dialect: Dialect, value: Value | None) -> _Column:
    obj = _options(dialect, value, "column")
    name = _opt(obj, "name")
    kind = _opt(obj, "type")
    if not isinstance(name, str):
        raise Unread("a column without a literal `name`")
    if not isinstance(kind, str):
        raise Unread(f"the type of column `{name}` is not a literal")
    default = obj.get("default")
    default_text: str | None = None
    if isinstance(default, Bool):
        default_text = "true" if default.value else "false"
    elif default is not None and not isinstance(default, Null):
        default_text = _opt(obj, "default")
        if not isinstance(default_text, str):
            raise Unread(f"the default of column `{name}` is not a literal")
    enum = _opt(obj, "enum")
    return _Column(
        name=name,
        type=kind,
        length=_str_or_none(_opt(obj, "length")),
        precision=_str_or_none(_opt(obj, "precision")),
        scale=_str_or_none(_opt(obj, "scale")),
        nullable=_opt(obj, "isNullable") is True,
        primary=_opt(obj, "isPrimary") is True,
        generated=_opt(obj, "isGenerated") is True,
        strategy=_str_or_none(_opt(obj, "generationStrategy")),
        default=default_text,
        unique=_opt(obj, "isUnique") is True,
        enum=list(enum) if isinstance(enum, list) else None,
        enum_name=_str_or_none(_opt(obj, "enumName")),
        array=_opt(obj, "isArray") is True,
        comment=_str_or_none(_opt(obj, "comment")),
        pk_name=_str_or_none(_opt(obj, "primaryKeyConstraintName")),
        unsigned=_opt(obj, "unsigned") is True,
        charset=_str_or_none(_opt(obj, "charset")),
        collation=_str_or_none(_opt(obj, "collation")),
        as_expression=_str_or_none(_opt(obj, "asExpression")),
        generated_type=_str_or_none(_opt(obj, "generatedType")),
        generated_identity=_str_or_none(_opt(obj, "generatedIdentity")),
    )


def _str_or_none(value: Any) -> str | None:
    return value if isinstance(value, str) and value != "" else None


def _columns_of(value: Any, key: str) -> list[str]:
    if not isinstance(value, list) or not value:
        raise Unread(f"`{key}` is not a literal list of column names")
    return value


def _full_type(d: Dialect, c: _Column) -> str:
    """The driver's `createFullType` (length, else precision and scale)."""
    kind = c.type
    if d.name == "sqlite" and c.enum:
        return "varchar"
    length = c.length
    if d.name == "mysql" and not length:
        if c.strategy == "uuid":
            length = "36"
        elif kind in ("varchar", "nvarchar", "national varchar", "varbinary"):
            length = "255"
    if length:
        kind += f"({length})"
    elif c.precision is not None and c.scale is not None:
        kind += f"({c.precision},{c.scale})"
    elif c.precision is not None:
        kind += f"({c.precision})"
    if d.name == "postgresql":
        precision = f"({c.precision})" if c.precision is not None else ""
        special = {
            "time without time zone": f"TIME{precision}",
            "time with time zone": f"TIME{precision} WITH TIME ZONE",
            "timestamp without time zone": f"TIMESTAMP{precision}",
            "timestamp with time zone": f"TIMESTAMP{precision} WITH TIME ZONE",
        }
        kind = special.get(c.type, kind)
    if c.array:
        kind += " array"
    return kind


def _enum_name(d: Dialect, table: str, c: _Column) -> str:
    """`PostgresQueryRunner.buildEnumName`: `<table>_<column lower-cased>_enum`."""
    schema, _, bare = table.rpartition(".")
    name = c.enum_name or f"{bare}_{c.name.lower()}_enum"
    return d.path(f"{schema}.{name}" if schema else name)


def _column_sql(d: Dialect, table: str, c: _Column, skip_primary: bool) -> str:
    q = d.q
    if d.name == "postgresql":
        sql = q(c.name)
        if c.generated and c.strategy != "uuid":
            if c.strategy == "identity":
                sql += f" {c.type} GENERATED {c.generated_identity or 'BY DEFAULT'} AS IDENTITY"
            elif c.type in ("integer", "int", "int4"):
                sql += " SERIAL"
            elif c.type in ("smallint", "int2"):
                sql += " SMALLSERIAL"
            elif c.type in ("bigint", "int8"):
                sql += " BIGSERIAL"
        if c.type in ("enum", "simple-enum"):
            sql += " " + _enum_name(d, table, c) + (" array" if c.array else "")
        elif not c.generated or c.type == "uuid":
            sql += " " + _full_type(d, c)
        if c.generated_type == "STORED" and c.as_expression:
            sql += f" GENERATED ALWAYS AS ({c.as_expression}) STORED"
        if c.charset:
            sql += f' CHARACTER SET "{c.charset}"'
        if c.collation:
            sql += f' COLLATE "{c.collation}"'
        if not c.nullable:
            sql += " NOT NULL"
        if c.default is not None:
            sql += " DEFAULT " + c.default
        if c.generated and c.strategy == "uuid" and not c.default:
            sql += " DEFAULT uuid_generate_v4()"
        return sql
    if d.name == "sqlite":
        sql = q(c.name) + " " + _full_type(d, c)
        if c.enum:
            values = ",".join("'" + v + "'" for v in c.enum)
            sql += f' CHECK( "{c.name}" IN ({values}) )'
        if c.primary and not skip_primary:
            sql += " PRIMARY KEY"
        if c.generated and c.strategy == "increment":
            sql += " AUTOINCREMENT"
        if c.collation:
            sql += " COLLATE " + c.collation
        if not c.nullable:
            sql += " NOT NULL"
        if c.as_expression:
            sql += f" AS ({c.as_expression}) {c.generated_type or 'VIRTUAL'}"
        elif c.default is not None:
            sql += " DEFAULT (" + c.default + ")"
        return sql
    # mysql / mariadb
    sql = q(c.name) + " " + _full_type(d, c)
    if c.charset:
        sql += f' CHARACTER SET "{c.charset}"'
    if c.collation:
        sql += f' COLLATE "{c.collation}"'
    if c.as_expression:
        sql += f" AS ({c.as_expression}) {c.generated_type or 'VIRTUAL'}"
    if c.unsigned:
        sql += " UNSIGNED"
    if c.enum:
        sql += " (" + ", ".join("'" + v.replace("'", "''") + "'" for v in c.enum) + ")"
    sql += " NULL" if c.nullable else " NOT NULL"
    if c.primary and not skip_primary:
        sql += " PRIMARY KEY"
    if c.generated and c.strategy == "increment":
        sql += " AUTO_INCREMENT"
    if c.comment:
        sql += " COMMENT '" + c.comment.replace("'", "''") + "'"
    if c.default is not None:
        sql += " DEFAULT " + c.default
    return sql


def _cols(d: Dialect, names: list[str]) -> str:
    return ", ".join(d.q(n) for n in names)


def _index_sql(d: Dialect, table: str, obj: Obj) -> str:
    columns = _columns_of(_opt(obj, "columnNames"), "columnNames")
    where = _str_or_none(_opt(obj, "where"))
    name = _str_or_none(_opt(obj, "name")) or d.naming.index_name(table, columns, where)
    unique = "UNIQUE " if _opt(obj, "isUnique") is True else ""
    if d.name == "mysql":
        kind = "FULLTEXT " if _opt(obj, "isFulltext") is True else ""
        kind = "SPATIAL " if _opt(obj, "isSpatial") is True else kind
        return f"CREATE {unique}{kind}INDEX {d.q(name)} ON {d.path(table)} ({_cols(d, columns)})"
    concurrent = " CONCURRENTLY" if d.name == "postgresql" and _opt(obj, "isConcurrent") else ""
    spatial = "USING GiST " if d.name == "postgresql" and _opt(obj, "isSpatial") else ""
    sql = (
        f"CREATE {unique}INDEX{concurrent} {d.q(name)} ON {d.path(table)} "
        f"{spatial}({_cols(d, columns)})"
    )
    return sql + (f" WHERE {where}" if where else "")


def _fk_clause(d: Dialect, table: str, obj: Obj) -> str:
    columns = _columns_of(_opt(obj, "columnNames"), "columnNames")
    ref_columns = _columns_of(_opt(obj, "referencedColumnNames"), "referencedColumnNames")
    ref_table = _opt(obj, "referencedTableName")
    if not isinstance(ref_table, str):
        raise Unread("`referencedTableName` is not a literal")
    name = _str_or_none(_opt(obj, "name")) or d.naming.foreign_key_name(table, columns)
    sql = (
        f"CONSTRAINT {d.q(name)} FOREIGN KEY ({_cols(d, columns)}) "
        f"REFERENCES {d.path(ref_table)} ({_cols(d, ref_columns)})"
    )
    for key, words in (("onDelete", "ON DELETE"), ("onUpdate", "ON UPDATE")):
        action = _str_or_none(_opt(obj, key))
        if action:
            sql += f" {words} {action}"
    return sql


def _unique_clause(d: Dialect, table: str, obj: Obj) -> str:
    columns = _columns_of(_opt(obj, "columnNames"), "columnNames")
    name = _str_or_none(_opt(obj, "name")) or d.naming.unique_constraint_name(table, columns)
    if d.name == "mysql":
        return f"UNIQUE INDEX {d.q(name)} ({_cols(d, columns)})"
    return f"CONSTRAINT {d.q(name)} UNIQUE ({_cols(d, columns)})"


def _check_clause(d: Dialect, table: str, obj: Obj) -> str:
    expression = _opt(obj, "expression")
    if not isinstance(expression, str):
        raise Unread("a check's `expression` is not a literal")
    name = _str_or_none(_opt(obj, "name")) or d.naming.check_constraint_name(table, expression)
    return f"CONSTRAINT {d.q(name)} CHECK ({expression})"


def _list(dialect: Dialect, value: Value | None, what: str) -> list[Value]:
    if value is not None:
        value = dialect.resolve(value)
    if isinstance(value, Array):
        return list(value.items)
    raise Unread(f"the {what} {_what(value) if value else ''} is not a literal list")


def _create_table(d: Dialect, args: list[Value]) -> list[str]:
    obj = _options(d, args[0] if args else None, "table")
    table = _opt(obj, "name")
    if not isinstance(table, str):
        raise Unread("the table's `name` is not a literal")
    if_not_exists = len(args) > 1 and isinstance(args[1], Bool) and args[1].value
    create_fks = not (len(args) > 2 and isinstance(args[2], Bool) and not args[2].value)
    create_indices = not (len(args) > 3 and isinstance(args[3], Bool) and not args[3].value)
    columns = [_column(d, v) for v in _list(d, obj.get("columns"), "columns")]
    indices = [_options(d, v, "index") for v in _list_or_empty(d, obj.get("indices"))]
    indices += [_options(d, v, "index") for v in _list_or_empty(d, obj.get("indexes"))]
    uniques = [_options(d, v, "unique") for v in _list_or_empty(d, obj.get("uniques"))]
    checks = [_options(d, v, "check") for v in _list_or_empty(d, obj.get("checks"))]
    fks = [_options(d, v, "foreign key") for v in _list_or_empty(d, obj.get("foreignKeys"))]
    statements: list[str] = []
    primary = [c for c in columns if c.primary]
    skip_primary = d.name == "mysql" or len(primary) > 1
    if d.name == "postgresql":
        made: set[str] = set()
        for c in columns:
            if c.type in ("enum", "simple-enum") and c.enum:
                name = _enum_name(d, table, c)
                if name not in made:
                    made.add(name)
                    values = ", ".join("'" + v.replace("'", "''") + "'" for v in c.enum)
                    statements.append(f"CREATE TYPE {name} AS ENUM({values})")
    parts = [_column_sql(d, table, c, skip_primary) for c in columns]
    unique_columns = [
        [c.name] for c in columns
        if c.unique and not any(_opt(u, "columnNames") == [c.name] for u in uniques)
    ]  # fmt: skip
    if d.name == "mysql":
        for names in unique_columns:
            parts.append(
                f"UNIQUE INDEX {d.q(d.naming.unique_constraint_name(table, names))} "
                f"({_cols(d, names)})"
            )
        parts += [_unique_clause(d, table, u) for u in uniques]
        for index in indices if create_indices else []:
            columns_ = _columns_of(_opt(index, "columnNames"), "columnNames")
            where = _str_or_none(_opt(index, "where"))
            name = _str_or_none(_opt(index, "name")) or d.naming.index_name(table, columns_, where)
            unique = "UNIQUE " if _opt(index, "isUnique") is True else ""
            parts.append(f"{unique}INDEX {d.q(name)} ({_cols(d, columns_)})")
        if create_fks:
            parts += [_fk_clause(d, table, fk) for fk in fks]
        if primary:
            parts.append(f"PRIMARY KEY ({_cols(d, [c.name for c in primary])})")
        statements.append(f"CREATE TABLE {d.path(table)} ({', '.join(parts)}) ENGINE=InnoDB")
        return statements
    for names in unique_columns:
        parts.append(
            f"CONSTRAINT {d.q(d.naming.unique_constraint_name(table, names))} "
            f"UNIQUE ({_cols(d, names)})"
        )
    parts += [_unique_clause(d, table, u) for u in uniques]
    parts += [_check_clause(d, table, c) for c in checks]
    if create_fks:
        parts += [_fk_clause(d, table, fk) for fk in fks]
    if primary and (d.name == "postgresql" or skip_primary):
        names = [c.name for c in primary]
        if d.name == "postgresql":
            pk = primary[0].pk_name or d.naming.primary_key_name(table, names)
            parts.append(f"CONSTRAINT {d.q(pk)} PRIMARY KEY ({_cols(d, names)})")
        else:
            parts.append(f"PRIMARY KEY ({_cols(d, names)})")
    exists = "IF NOT EXISTS " if if_not_exists else ""
    statements.append(f"CREATE TABLE {exists}{d.path(table)} ({', '.join(parts)})")
    if d.name == "postgresql":
        for c in columns:
            if c.comment:
                text = c.comment.replace("'", "''")
                statements.append(f"COMMENT ON COLUMN {d.path(table)}.{d.q(c.name)} IS '{text}'")
    if create_indices:
        statements += [_index_sql(d, table, index) for index in indices]
    return statements


def _list_or_empty(d: Dialect, value: Value | None) -> list[Value]:
    return [] if value is None else _list(d, value, "list")


def _add_column(d: Dialect, table: str, value: Value) -> list[str]:
    c = _column(d, value)
    statements: list[str] = []
    if d.name == "postgresql" and c.type in ("enum", "simple-enum") and c.enum:
        values = ", ".join("'" + v.replace("'", "''") + "'" for v in c.enum)
        statements.append(f"CREATE TYPE {_enum_name(d, table, c)} AS ENUM({values})")
    word = "ADD COLUMN" if d.name == "sqlite" else "ADD"
    statements.append(f"ALTER TABLE {d.path(table)} {word} {_column_sql(d, table, c, True)}")
    if c.primary:
        name = c.pk_name or d.naming.primary_key_name(table, [c.name])
        statements.append(_add_primary(d, table, [c.name], name))
    if c.unique:
        if d.name == "mysql":
            name = d.naming.index_name(table, [c.name])
            statements.append(
                f"ALTER TABLE {d.path(table)} ADD UNIQUE INDEX {d.q(name)} ({d.q(c.name)})"
            )
        else:
            keyed = table
            if d.name == "sqlite":
                # TypeORM rebuilds the table as `temporary_<t>` and names a new unique column's
                # constraint from THAT name (`createTableSql` with the temporary table)
                schema, _, bare = table.rpartition(".")
                keyed = f"{schema}.temporary_{bare}" if schema else f"temporary_{bare}"
            name = d.naming.unique_constraint_name(keyed, [c.name])
            statements.append(
                f"ALTER TABLE {d.path(table)} ADD CONSTRAINT {d.q(name)} UNIQUE ({d.q(c.name)})"
            )
    return statements


def _add_primary(d: Dialect, table: str, columns: list[str], name: str) -> str:
    if d.name == "mysql":
        return f"ALTER TABLE {d.path(table)} ADD PRIMARY KEY ({_cols(d, columns)})"
    return (
        f"ALTER TABLE {d.path(table)} ADD CONSTRAINT {d.q(name)} PRIMARY KEY ({_cols(d, columns)})"
    )


def _column_name(d: Dialect, value: Value | None) -> str:
    name, obj = _name_or(d, value, "column")
    if name is None and obj is not None:
        name = _opt(obj, "name")
    if not isinstance(name, str):
        raise Unread("the column name is not a literal")
    return name


def _drop_constraint(d: Dialect, table: str, name: str, kind: str) -> str:
    if d.name == "mysql" and kind == "foreign key":
        return f"ALTER TABLE {d.path(table)} DROP FOREIGN KEY {d.q(name)}"
    if d.name == "mysql" and kind == "unique":
        return f"ALTER TABLE {d.path(table)} DROP INDEX {d.q(name)}"
    return f"ALTER TABLE {d.path(table)} DROP CONSTRAINT {d.q(name)}"


_LOADED_TYPES = {
    "postgresql": frozenset(
        {
            "character varying", "character", "integer", "smallint", "bigint", "text",
            "boolean", "uuid", "numeric", "real", "double precision", "date", "json", "jsonb",
            "bytea", "timestamp with time zone", "timestamp without time zone",
            "time with time zone", "time without time zone", "interval", "inet", "enum",
        }
    ),
}  # fmt: skip
"""The type names TypeORM gives a column it loads from the database (`loadTables`), which
`changeColumn` compares with the new column's when the old one is given by name."""


def _recreates(d: Dialect, table: str, old_value: Value, new: _Column) -> bool:
    """Whether TypeORM's `changeColumn` drops the column and adds the new one (a changed type,
    length or array-ness) rather than altering it in place. Given by name, the old column is
    TypeORM's loaded one: its type is spelled as the database names it (`character varying`),
    so a new type written otherwise (`varchar`) recreates on PostgreSQL; its length is taken
    to be unchanged (the replay's state is not known here)."""
    _, obj = _name_or(d, old_value, "column")
    if obj is not None:
        old = _column(d, obj)
        changed = old.type != new.type or old.length != new.length
        return changed or (d.name == "postgresql" and old.array != new.array)
    loaded = _LOADED_TYPES.get(d.name)
    return loaded is not None and new.type not in loaded


def _change_column(d: Dialect, table: str, old_value: Value, new_value: Value) -> list[str]:
    old = _column_name(d, old_value)
    new = _column(d, new_value)
    t = d.path(table)
    if d.name != "sqlite" and _recreates(d, table, old_value, new):
        return [f"ALTER TABLE {t} DROP COLUMN {d.q(old)}", *_add_column(d, table, new_value)]
    if d.name == "mysql":
        return [f"ALTER TABLE {t} CHANGE {d.q(old)} {_column_sql(d, table, new, True)}"]
    if d.name == "sqlite":  # TypeORM rebuilds the table with the new definition
        return [
            f"ALTER TABLE {t} DROP COLUMN {d.q(old)}",
            f"ALTER TABLE {t} ADD COLUMN {_column_sql(d, table, new, True)}",
        ]
    statements = []
    if old != new.name:
        statements.append(f"ALTER TABLE {t} RENAME COLUMN {d.q(old)} TO {d.q(new.name)}")
    column = d.q(new.name)
    statements.append(f"ALTER TABLE {t} ALTER COLUMN {column} TYPE {_full_type(d, new)}")
    statements.append(
        f"ALTER TABLE {t} ALTER COLUMN {column} {'DROP' if new.nullable else 'SET'} NOT NULL"
    )
    if new.default is not None:
        statements.append(f"ALTER TABLE {t} ALTER COLUMN {column} SET DEFAULT {new.default}")
    else:
        statements.append(f"ALTER TABLE {t} ALTER COLUMN {column} DROP DEFAULT")
    return statements


def _drop_column(d: Dialect, table: str, value: Value | None) -> list[str]:
    """`dropColumn`: on PostgreSQL TypeORM also drops the column's enum type when there is one
    (`hasEnumType`); the type it names by default (`<table>_<column>_enum`, or the column's
    `enumName` when the column is given as a TableColumn) is dropped if it exists."""
    name = _column_name(d, value)
    statements = [f"ALTER TABLE {d.path(table)} DROP COLUMN {d.q(name)}"]
    if d.name == "postgresql":
        _, obj = _name_or(d, value, "column")
        given = _str_or_none(_opt(obj, "enumName")) if obj is not None else None
        kind = _opt(obj, "type") if obj is not None else None
        if obj is None or kind in ("enum", "simple-enum"):
            enum = _enum_name(d, table, _Column(name=name, type="enum", enum_name=given))
            statements.append(f"DROP TYPE IF EXISTS {enum}")
    return statements


def _arg(args: list[Value], index: int) -> Value | None:
    return args[index] if index < len(args) else None


def _sql_of(d: Dialect, method: str, args: list[Value]) -> list[str] | None:
    """The SQL TypeORM's query runner runs for `queryRunner.<method>(...args)`; None for a
    method that is no Table-API step."""
    if method == "createTable":
        return _create_table(d, args)
    if method in ("createSchema", "dropSchema"):
        name = _text(_arg(args, 0), "schema name")
        verb = "CREATE" if method == "createSchema" else "DROP"
        exists = _arg(args, 1)
        guard = ""
        if isinstance(exists, Bool) and exists.value:
            guard = " IF NOT EXISTS" if verb == "CREATE" else " IF EXISTS"
        return [f"{verb} SCHEMA{guard} {d.q(name)}"]
    if method == "createView" or method == "dropView":
        raise Unread(f"`{method}` is not read")
    table = _table_name(d, _arg(args, 0))
    t = d.path(table)
    if method == "dropTable":
        exists = _arg(args, 1)
        guard = " IF EXISTS" if isinstance(exists, Bool) and exists.value else ""
        return [f"DROP TABLE{guard} {t}"]
    if method == "renameTable":
        new = _table_name(d, _arg(args, 1))
        return [f"ALTER TABLE {t} RENAME TO {d.q(new.split('.')[-1])}"]
    if method == "addColumn":
        return _add_column(d, table, _arg(args, 1))  # type: ignore[arg-type]
    if method == "addColumns":
        return [s for v in _list(d, _arg(args, 1), "columns") for s in _add_column(d, table, v)]
    if method == "dropColumn":
        return _drop_column(d, table, _arg(args, 1))
    if method == "dropColumns":
        return [s for v in _list(d, _arg(args, 1), "columns") for s in _drop_column(d, table, v)]
    if method == "renameColumn":
        old = _column_name(d, _arg(args, 1))
        new = _column_name(d, _arg(args, 2))
        return [f"ALTER TABLE {t} RENAME COLUMN {d.q(old)} TO {d.q(new)}"]
    if method == "changeColumn":
        return _change_column(d, table, _arg(args, 1), _arg(args, 2))  # type: ignore[arg-type]
    if method == "changeColumns":
        statements = []
        for pair in _list(d, _arg(args, 1), "changes"):
            obj = _options(d, pair, "change")
            statements += _change_column(d, table, obj.get("oldColumn"), obj.get("newColumn"))  # type: ignore[arg-type]
        return statements
    if method in ("createIndex", "createIndices"):
        items = [_arg(args, 1)] if method == "createIndex" else _list(d, _arg(args, 1), "indices")
        return [_index_sql(d, table, _options(d, v, "index")) for v in items]
    if method in ("dropIndex", "dropIndices"):
        items = [_arg(args, 1)] if method == "dropIndex" else _list(d, _arg(args, 1), "indices")
        statements = []
        for v in items:
            name, obj = _name_or(d, v, "index")
            if name is None and obj is not None:
                name = _str_or_none(_opt(obj, "name")) or d.naming.index_name(
                    table,
                    _columns_of(_opt(obj, "columnNames"), "columnNames"),
                    _str_or_none(_opt(obj, "where")),
                )
            on = f" ON {t}" if d.name == "mysql" else ""
            statements.append(f"DROP INDEX {d.q(name or '')}{on}")
        return statements
    if method in ("createForeignKey", "createForeignKeys"):
        items = [_arg(args, 1)] if method == "createForeignKey" else _list(d, _arg(args, 1), "keys")
        return [
            f"ALTER TABLE {t} ADD {_fk_clause(d, table, _options(d, v, 'foreign key'))}"
            for v in items
        ]
    if method in ("dropForeignKey", "dropForeignKeys"):
        items = [_arg(args, 1)] if method == "dropForeignKey" else _list(d, _arg(args, 1), "keys")
        return [_drop_named(d, table, v, "foreign key") for v in items]
    if method in ("createUniqueConstraint", "createUniqueConstraints"):
        if d.name == "mysql":
            raise Unread("TypeORM refuses unique constraints on MySQL (it wants a unique index)")
        items = (
            [_arg(args, 1)] if method.endswith("Constraint") else _list(d, _arg(args, 1), "uniques")
        )
        return [
            f"ALTER TABLE {t} ADD {_unique_clause(d, table, _options(d, v, 'unique'))}"
            for v in items
        ]
    if method in ("dropUniqueConstraint", "dropUniqueConstraints"):
        items = (
            [_arg(args, 1)] if method.endswith("Constraint") else _list(d, _arg(args, 1), "uniques")
        )
        return [_drop_named(d, table, v, "unique") for v in items]
    if method in ("createCheckConstraint", "createCheckConstraints"):
        if d.name == "mysql":
            raise Unread("TypeORM refuses check constraints on MySQL")
        items = (
            [_arg(args, 1)] if method.endswith("Constraint") else _list(d, _arg(args, 1), "checks")
        )
        return [
            f"ALTER TABLE {t} ADD {_check_clause(d, table, _options(d, v, 'check'))}" for v in items
        ]
    if method in ("dropCheckConstraint", "dropCheckConstraints"):
        items = (
            [_arg(args, 1)] if method.endswith("Constraint") else _list(d, _arg(args, 1), "checks")
        )
        return [_drop_named(d, table, v, "check") for v in items]
    if method == "createPrimaryKey":
        columns = [_item("columnNames", v) for v in _list(d, _arg(args, 1), "columnNames")]
        given = _arg(args, 2)
        name = _text(given, "constraint name") if given is not None else None
        return [_add_primary(d, table, columns, name or d.naming.primary_key_name(table, columns))]
    return None


def _drop_named(d: Dialect, table: str, value: Value | None, kind: str) -> str:
    name, obj = _name_or(d, value, kind)
    if name is None and obj is not None:
        name = _str_or_none(_opt(obj, "name"))
        if name is None:
            columns = _columns_of(_opt(obj, "columnNames"), "columnNames")
            if kind == "foreign key":
                name = d.naming.foreign_key_name(table, columns)
            elif kind == "unique":
                name = d.naming.unique_constraint_name(table, columns)
            else:
                name = d.naming.check_constraint_name(table, str(_opt(obj, "expression")))
    return _drop_constraint(d, table, name or "", kind)


TABLE_API = frozenset(
    {
        "createTable", "dropTable", "renameTable", "createSchema", "dropSchema",
        "addColumn", "addColumns", "dropColumn", "dropColumns", "renameColumn",
        "changeColumn", "changeColumns", "createIndex", "createIndices", "dropIndex",
        "dropIndices", "createForeignKey", "createForeignKeys", "dropForeignKey",
        "dropForeignKeys", "createUniqueConstraint", "createUniqueConstraints",
        "dropUniqueConstraint", "dropUniqueConstraints", "createCheckConstraint",
        "createCheckConstraints", "dropCheckConstraint", "dropCheckConstraints",
        "createPrimaryKey", "dropPrimaryKey", "createView", "dropView",
    }
)  # fmt: skip
"""The query runner's schema-changing methods this module reads."""


def read_call(d: Dialect, method: str, args: list[Value], span: tuple[int, int]) -> CallRead:
    """The operations of `queryRunner.<method>(...args)`, their clause spans set to `span`.
    Raises `Unread` for a call that cannot be read."""
    if method == "dropPrimaryKey":
        table = _table_name(d, _arg(args, 0))
        given = _arg(args, 1)
        if given is not None:
            name = _text(given, "constraint name")
            sql = _drop_constraint(d, table, name, "primary key")
        else:  # TypeORM looks the key's name up in the database: the key itself is dropped
            schema, name = _qname(table)
            op = AlterTable(name, (DropConstraint(None, kind="primary_key"),), schema=schema)
            return CallRead("alter_table", (op,), f"ALTER TABLE {d.path(table)} DROP PRIMARY KEY")
        return _parsed(d, [sql], span)
    statements = _sql_of(d, method, args)
    if statements is None:
        raise Unread(f"`queryRunner.{method}` is not a step the replay reads")
    return _parsed(d, statements, span)


def _qname(table: str) -> tuple[str | None, str]:
    schema, _, name = table.rpartition(".")
    return (schema or None, name)


def _parsed(d: Dialect, statements: list[str], span: tuple[int, int]) -> CallRead:
    sql = ";\n".join(statements)
    ops: list[Any] = []
    kind = ""
    for parsed in parse_file(d.name, sql):
        if parsed.error is not None:
            raise Unread(f"TypeORM's SQL for it could not be read ({parsed.error}): {sql}")
        if parsed.opaque:
            continue
        kind = kind or parsed.kind
        ops.extend(_respan(op, span) for op in parsed.ops)
    return CallRead(kind or "alter_table", tuple(ops), sql)


def _respan(value: Any, span: tuple[int, int]) -> Any:
    """`value` with every clause span (a `span` field, at any depth) set to `span`: the ops
    were read from SQL this module wrote, so the call is the nearest place in the file."""
    if isinstance(value, tuple):
        return tuple(_respan(v, span) for v in value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes: dict[str, Any] = {}
        for f in dataclasses.fields(value):
            current = getattr(value, f.name)
            if f.name == "span" and (current is None or isinstance(current, tuple)):
                if current is not None:
                    changes[f.name] = span
            elif isinstance(current, tuple) or dataclasses.is_dataclass(current):
                new = _respan(current, span)
                if new is not current:
                    changes[f.name] = new
        return dataclasses.replace(value, **changes) if changes else value
    return value

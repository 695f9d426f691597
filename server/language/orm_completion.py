"""Completion in TypeORM entity files and Sequelize model files.

TypeORM: the column types the DataSource's driver accepts inside `@Column({ type: '|' })` and
`@Column('|')` (the driver's `supportedDataTypes`, `codegen/orms/typeorm/types.py`), the
generation strategies of `@PrimaryGeneratedColumn('|')`, the option keys of `@Column`,
`@Index`, `@Entity`, `@JoinColumn`, `@JoinTable` and the relation decorators, and the values
of `onDelete` / `onUpdate` / `orphanedRowAction`.

Sequelize: the `DataTypes.` members the dialect has (`codegen/orms/sequelize/types.py`), the
attribute option keys inside `Model.init({ attr: { | } })` / `sequelize.define(name, { attr:
{ | } })` / sequelize-typescript's `@Column({ | })`, the model options (second argument of
`init`), an index's keys inside `indexes: [{ | }]`, `references: { | }`, and the values of
`onDelete` / `onUpdate`; in a migration, the same attribute keys inside
`queryInterface.createTable(name, { col: { | } })`, `addColumn` and `changeColumn`. The context
comes from the text as typed (`code_context.py`).
"""

from __future__ import annotations

import re

from schemasense.codegen.orms.sequelize.types import CLIENT_VALUES, available_keys
from schemasense.codegen.orms.typeorm.types import SUPPORTED, Family

from .code_context import CodeContext, Frame, at_key, context_at
from .completion import Completion, Completions

ACTIONS = ("CASCADE", "SET NULL", "RESTRICT", "NO ACTION", "SET DEFAULT")
"""Referential actions, as both ORMs spell them (TypeORM's `OnDeleteType`; Sequelize's)."""

# -- TypeORM --------------------------------------------------------------------------------------

COLUMN_DECORATORS = (
    "Column",
    "PrimaryColumn",
    "CreateDateColumn",
    "UpdateDateColumn",
    "DeleteDateColumn",
    "VersionColumn",
    "ViewColumn",
)
RELATION_DECORATORS = ("ManyToOne", "OneToMany", "OneToOne", "ManyToMany")

COLUMN_OPTIONS = {
    "type": "the column's database type (the driver's name)",
    "name": "the column's name in the database",
    "length": "the length of a varchar / char column",
    "width": "the display width of a MySQL integer",
    "nullable": "whether the column accepts NULL (default false)",
    "default": 'the database default (a literal, or `() => "now()"`)',
    "unique": "a unique constraint on this column alone",
    "primary": "part of the primary key",
    "precision": "the precision of a decimal / the fractional seconds of a time",
    "scale": "the scale of a decimal",
    "enum": "the enum's values (an enum object or an array)",
    "enumName": "the name of the database enum type (PostgreSQL)",
    "array": "an array of the type (PostgreSQL, CockroachDB)",
    "comment": "the column's comment in the database",
    "select": "read by default in queries (default true)",
    "insert": "written on insert (default true)",
    "update": "written on update (default true)",
    "readonly": "never written by save (insert: false, update: false)",
    "onUpdate": "MySQL's ON UPDATE of the column (`CURRENT_TIMESTAMP`)",
    "unsigned": "an unsigned MySQL number",
    "zerofill": "a ZEROFILL MySQL number",
    "charset": "the column's character set (MySQL)",
    "collation": "the column's collation",
    "generatedType": "`VIRTUAL` or `STORED` for a generated column",
    "asExpression": "the expression of a generated column",
    "primaryKeyConstraintName": "the name of the primary key constraint",
    "foreignKeyConstraintName": "the name of the foreign key constraint",
    "transformer": "converts values between the entity and the database",
    "hstoreType": "`object` or `string` for an hstore column",
    "spatialFeatureType": "the geometry's feature type",
    "srid": "the geometry's spatial reference",
}
INDEX_OPTIONS = {
    "unique": "a unique index",
    "where": "a partial index's predicate (SQL)",
    "spatial": "a SPATIAL index (MySQL, PostgreSQL)",
    "fulltext": "a FULLTEXT index (MySQL)",
    "parser": "the FULLTEXT parser (MySQL)",
    "concurrent": "CREATE INDEX CONCURRENTLY (PostgreSQL)",
    "synchronize": "false: TypeORM leaves the index alone",
    "sparse": "a sparse index (MongoDB)",
    "background": "built in the background (MongoDB)",
    "expireAfterSeconds": "a TTL index (MongoDB)",
    "nullFiltered": "NULL_FILTERED (Spanner)",
}
RELATION_OPTIONS = {
    "onDelete": "the foreign key's ON DELETE",
    "onUpdate": "the foreign key's ON UPDATE",
    "nullable": "whether the join column accepts NULL (default true)",
    "cascade": "save / remove the related entities with this one",
    "eager": "loaded with every find",
    "lazy": "loaded on access (a Promise property)",
    "createForeignKeyConstraints": "false: no foreign key in the database",
    "deferrable": "`INITIALLY DEFERRED` / `INITIALLY IMMEDIATE` (PostgreSQL)",
    "orphanedRowAction": "what happens to a child removed from the collection",
    "persistence": "false: the relation is never saved",
}
ENTITY_OPTIONS = {
    "name": "the table's name",
    "schema": "the table's schema",
    "database": "the table's database",
    "synchronize": "false: TypeORM leaves the table alone",
    "orderBy": "the default order of finds",
    "engine": "the table's engine (MySQL)",
    "withoutRowid": "a WITHOUT ROWID table (SQLite)",
    "comment": "the table's comment",
}
JOIN_COLUMN_OPTIONS = {
    "name": "the join column's name",
    "referencedColumnName": "the column of the target it references (default its primary key)",
    "foreignKeyConstraintName": "the name of the foreign key constraint",
}
JOIN_TABLE_OPTIONS = {
    "name": "the join table's name",
    "joinColumn": "this side's join column ({ name, referencedColumnName })",
    "inverseJoinColumn": "the other side's join column",
    "schema": "the join table's schema",
    "database": "the join table's database",
    "synchronize": "false: TypeORM leaves the join table alone",
}
OPTIONS_BY_DECORATOR = {
    **{d: COLUMN_OPTIONS for d in (*COLUMN_DECORATORS, "PrimaryGeneratedColumn")},
    "Index": INDEX_OPTIONS,
    "Unique": {"deferrable": "`INITIALLY DEFERRED` / `INITIALLY IMMEDIATE` (PostgreSQL)"},
    "Entity": ENTITY_OPTIONS,
    "JoinColumn": JOIN_COLUMN_OPTIONS,
    "JoinTable": JOIN_TABLE_OPTIONS,
    **{d: RELATION_OPTIONS for d in RELATION_DECORATORS},
}
STRATEGIES = ("increment", "uuid", "rowid", "identity")
"""`@PrimaryGeneratedColumn(strategy)`."""
ORPHANED_ROW_ACTIONS = ("nullify", "delete", "soft-delete", "disable")


def _keys(options: dict[str, str], ctx: CodeContext, offset: int) -> Completions:
    top = ctx.frame()
    written = set(top.keys) if top is not None else set()
    items = [
        Completion(key, "property", "option", insert=f"{key}: ", documentation=doc)
        for key, doc in options.items()
        if key not in written
    ]
    return Completions(items, ctx.word_start, offset)


def _values(
    values, detail: str, ctx: CodeContext, offset: int, quote: str | None = None, kind="value"
) -> Completions:
    """`values` as items (with `quote` around them where the string is still to be typed)."""
    items = [
        Completion(v, kind, detail, insert=f"{quote}{v}{quote}" if quote else None) for v in values
    ]
    return Completions(items, ctx.word_start, offset)


def typeorm(family: Family, text: str, offset: int) -> Completions:
    """What to offer at `offset` of an entity file for a DataSource of `family`."""
    ctx = context_at(text, offset)
    top = ctx.frame()
    if top is None:
        return Completions()
    if ctx.string is not None and top.char == "(" and top.index == 0:
        if top.callee in COLUMN_DECORATORS:
            return _types(family, ctx, offset)
        if top.callee == "PrimaryGeneratedColumn":
            return _values(STRATEGIES, "generation strategy", ctx, offset)
    # a value in an options object: inside its string, or where the string is still to come
    # (`type: |`, inserted with its quotes)
    at_value = ctx.string is not None or _VALUE.fullmatch(ctx.before) is not None
    if at_value and top.char == "{" and top.key is not None:
        quote = None if ctx.string is not None else '"'
        call = ctx.frame(1)
        decorator = call.callee if call is not None and call.char == "(" else ""
        if top.key == "type" and decorator in (*COLUMN_DECORATORS, "PrimaryGeneratedColumn"):
            return _types(family, ctx, offset, quote)
        if top.key in ("onDelete", "onUpdate") and decorator in RELATION_DECORATORS:
            return _values(ACTIONS, "referential action", ctx, offset, quote)
        if top.key == "orphanedRowAction":
            return _values(ORPHANED_ROW_ACTIONS, "orphaned row action", ctx, offset, quote)
    if ctx.string is not None:
        return Completions()
    if at_key(ctx):
        call = ctx.frame(1)
        if call is not None and call.char == "(" and call.head.startswith("@"):
            options = OPTIONS_BY_DECORATOR.get(call.callee)
            if options is not None:
                return _keys(options, ctx, offset)
    return Completions()


def _types(family: Family, ctx: CodeContext, offset: int, quote: str | None = None) -> Completions:
    return _values(sorted(SUPPORTED[family]), f"{family} column type", ctx, offset, quote, "native")


# -- Sequelize ------------------------------------------------------------------------------------

ATTRIBUTE_OPTIONS = {
    "type": "the DataType (`DataTypes.STRING(100)`)",
    "allowNull": "whether the column accepts NULL (default true)",
    "defaultValue": "the default (a literal, `DataTypes.NOW`, `Sequelize.fn(...)`)",
    "unique": "a unique constraint (true, or a name shared by columns)",
    "primaryKey": "part of the primary key",
    "autoIncrement": "an auto-incrementing integer",
    "autoIncrementIdentity": "GENERATED BY DEFAULT AS IDENTITY (PostgreSQL)",
    "field": "the column's name in the database",
    "references": "the foreign key ({ model, key })",
    "onDelete": "the foreign key's ON DELETE",
    "onUpdate": "the foreign key's ON UPDATE",
    "comment": "the column's comment",
    "validate": "checked by Sequelize before writing (not in the database)",
    "values": "the values of an ENUM",
    "get": "a getter",
    "set": "a setter",
}
MODEL_OPTIONS = {
    "sequelize": "the Sequelize instance (required by init)",
    "modelName": "the model's name",
    "tableName": "the table's name",
    "freezeTableName": "the table is named as the model (no plural)",
    "underscored": "snake_case column names for the attributes Sequelize adds",
    "timestamps": "createdAt / updatedAt columns (default true)",
    "paranoid": "soft delete: a deletedAt column",
    "createdAt": "the createdAt column's name (or false)",
    "updatedAt": "the updatedAt column's name (or false)",
    "deletedAt": "the deletedAt column's name (paranoid)",
    "indexes": "the table's indexes ([{ fields, unique, where, using, name }])",
    "schema": "the table's schema",
    "version": "optimistic locking: a version column",
    "name": "{ singular, plural } names of the model",
    "defaultScope": "the scope of every find",
    "scopes": "named scopes",
    "hooks": "lifecycle hooks",
    "engine": "the table's engine (MySQL)",
    "charset": "the table's character set (MySQL)",
    "comment": "the table's comment",
    "initialAutoIncrement": "the first AUTO_INCREMENT value (MySQL)",
}
INDEX_KEYS = {
    "fields": "the indexed columns (names, or { name, order, length, collate })",
    "unique": "a unique index",
    "name": "the index's name (default table_field_field)",
    "where": "a partial index's predicate",
    "using": "the method: BTREE, HASH, GIST, GIN, ...",
    "operator": "the operator class (PostgreSQL)",
    "type": "UNIQUE, FULLTEXT or SPATIAL (MySQL)",
    "parser": "the FULLTEXT parser (MySQL)",
    "concurrently": "CREATE INDEX CONCURRENTLY (PostgreSQL)",
}
REFERENCES_KEYS = {
    "model": "the referenced table (or model)",
    "key": "the referenced column",
    "deferrable": "Deferrable.INITIALLY_DEFERRED, ...",
}
_VALUE = re.compile(r"\s*[\w$]+\s*:\s*[\w$]*")
"""The text of a property up to the cursor when the cursor is at its value."""
_DATATYPES = re.compile(r"\b(?:DataTypes|DataType|Sequelize)\s*\.\s*$")


def sequelize(dialect: str, text: str, offset: int) -> Completions:
    """What to offer at `offset` of a model file for `dialect` (`postgres`, `mysql`, ...)."""
    ctx = context_at(text, offset)
    if ctx.string is None and _DATATYPES.search(text, 0, ctx.word_start):
        return _data_types(dialect, ctx, offset)
    top = ctx.frame()
    if top is None:
        return Completions()
    if ctx.string is not None:
        if top.char == "{" and top.key in ("onDelete", "onUpdate"):
            return _values(ACTIONS, "referential action", ctx, offset)
        return Completions()
    if not at_key(ctx):
        return Completions()
    parent, grand = ctx.frame(1), ctx.frame(2)
    if (
        _is_attributes(grand, parent)
        or _is_decorator(parent, "Column")
        or _is_column_argument(parent)
    ):
        return _keys(ATTRIBUTE_OPTIONS, ctx, offset)
    if _is_options(parent):
        return _keys(MODEL_OPTIONS, ctx, offset)
    if parent is not None and parent.char == "[" and parent.head == "indexes":
        return _keys(INDEX_KEYS, ctx, offset)
    if top.head == "references":
        return _keys(REFERENCES_KEYS, ctx, offset)
    if _is_decorator(parent, "Table"):
        return _keys(MODEL_OPTIONS, ctx, offset)
    return Completions()


def _is_attributes(call: Frame | None, attributes: Frame | None) -> bool:
    """`attributes` is the attributes object of `X.init(attributes, ...)` or
    `sequelize.define(name, attributes, ...)` (the cursor in one attribute's object)."""
    if call is None or attributes is None or call.char != "(" or attributes.char != "{":
        return False
    return (
        (call.callee == "init" and call.index == 0)
        or (call.callee == "define" and call.index == 1)
        or (call.callee == "createTable" and call.index == 1)  # a migration's queryInterface
    )


def _is_column_argument(call: Frame | None) -> bool:
    """The attribute object of a migration's `queryInterface.addColumn(table, name, { | })`
    or `changeColumn(...)`."""
    return (
        call is not None
        and call.char == "("
        and call.callee in ("addColumn", "changeColumn")
        and call.index == 2
    )


def _is_options(call: Frame | None) -> bool:
    if call is None or call.char != "(":
        return False
    return (call.callee == "init" and call.index == 1) or (
        call.callee == "define" and call.index == 2
    )


def _is_decorator(call: Frame | None, name: str) -> bool:
    return (
        call is not None
        and call.char == "("
        and call.head.startswith("@")
        and (call.callee == name)
    )


def _data_types(dialect: str, ctx: CodeContext, offset: int) -> Completions:
    items = [Completion(k, "native", f"DataTypes on {dialect}") for k in available_keys(dialect)]
    items += [
        Completion(k, "value", "computed by Sequelize on insert (not a database default)")
        for k in sorted(CLIENT_VALUES)
    ]
    return Completions(items, ctx.word_start, offset)

"""TypeORM's metadata of an entity set, as far as the database sees it: one `TableMeta` per
table TypeORM creates (an entity, a many-to-many join table, a closure table), with every name
already given by the naming strategy and every type already the driver's.

This is what `Table.create(entityMetadata, driver)` hands the query runner in TypeORM
(`schema-builder/table/Table.js`), so `create_sql.py` can write the same `CREATE TABLE` as
TypeORM's `createTable`; a reader (the TypeORM entity source) builds it from the decorators.
Spans are `(file, start, end)` of the decorator or class that declared each object.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from schemasense.codegen.orms.typeorm.types import ColumnShape

SpanTuple = tuple[str, int, int]


@dataclass
class ColumnMeta:
    name: str
    property: str | None
    type: str
    """The normalized type (`Driver.normalizeType`): `character varying`, `int`, `enum`."""
    full_type: str
    """`Driver.createFullType`: what CREATE TABLE writes (PostgreSQL enums: see `enum_name`)."""
    nullable: bool = False
    default: str | None = None
    """The SQL after DEFAULT (`Driver.normalizeDefault`)."""
    primary: bool = False
    generation: str | None = None
    """`increment`, `uuid`, `identity` or `rowid` (`@PrimaryGeneratedColumn`, `@Generated`)."""
    enum: tuple[str, ...] | None = None
    enum_name: str | None = None
    unique: bool = False
    array: bool = False
    unsigned: bool = False
    on_update: str | None = None
    comment: str | None = None
    span: SpanTuple | None = None
    shape: ColumnShape | None = None
    """What `full_type` was made of (a join column declared as a column takes the type of the
    column it references, with its own length)."""
    updated_at: bool = False
    """`@UpdateDateColumn`: TypeORM sets it on every save (the schema model's `updated_at`,
    as Prisma's `@updatedAt`)."""


@dataclass
class IndexMeta:
    name: str
    columns: list[str]
    unique: bool = False
    where: str | None = None
    spatial: bool = False
    fulltext: bool = False
    concurrent: bool = False
    span: SpanTuple | None = None
    rank: int = 0
    """TypeORM's order of a table's indexes (MySQL writes them inside CREATE TABLE): 0 an
    `@Index` on a property, 1 on the class, 2 a unique kept as an index, 3 a relation's."""


@dataclass
class UniqueMeta:
    name: str
    columns: list[str]
    span: SpanTuple | None = None


@dataclass
class CheckMeta:
    name: str
    expression: str
    span: SpanTuple | None = None


@dataclass
class ForeignKeyMeta:
    name: str
    columns: list[str]
    referenced_table: str
    referenced_columns: list[str]
    on_delete: str = "NO ACTION"
    on_update: str = "NO ACTION"
    referenced_schema: str | None = None
    span: SpanTuple | None = None


@dataclass
class TableMeta:
    name: str
    schema: str | None = None
    class_name: str | None = None
    """The entity class (None for a join or closure table)."""
    kind: str = "table"
    """`table`, `join_table` or `closure_table`."""
    columns: list[ColumnMeta] = field(default_factory=list)
    primary_key_name: str | None = None
    indexes: list[IndexMeta] = field(default_factory=list)
    uniques: list[UniqueMeta] = field(default_factory=list)
    checks: list[CheckMeta] = field(default_factory=list)
    foreign_keys: list[ForeignKeyMeta] = field(default_factory=list)
    span: SpanTuple | None = None
    soft_delete: str | None = None
    """The column of the entity's `@DeleteDateColumn` (TypeORM's `deleteDateColumn`: the first
    one), which every select of the entity compares `IS NULL` unless `withDeleted`."""

    def column(self, name: str) -> ColumnMeta | None:
        return next((c for c in self.columns if c.name == name), None)

"""The schema model: database truth with the ORM's names attached.

Every reader (Prisma today; migrations, TypeORM and Sequelize next) produces these objects and
every target renders them, so the shape is the contract between the two packages. It is plain
pydantic v2 data: it round-trips through JSON (`Schema.model_validate_json(s.model_dump_json())`)
and it knows nothing of LSP or editors.

Names: every object carries its database name (`name`) and, where an ORM declared it, the ORM's
name (`model_name`, `field_name`). Spans: every declared object carries the `Span` of the text it
came from (file id plus character offsets), so a finding can point at it; derived objects (an
implicit many-to-many join table, a name Prisma computes) carry the span of what caused them.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Span(_Model):
    """Where an object came from: a file id and character offsets `[start, end)` in its text."""

    file: str
    start: int
    end: int


LogicalType = Literal[
    "string",
    "text",
    "uuid",
    "int",
    "smallint",
    "bigint",
    "float",
    "double",
    "decimal",
    "boolean",
    "timestamp",
    "date",
    "time",
    "json",
    "bytes",
    "enum",
    "xml",
    "inet",
    "bit",
    "money",
    "object_id",
    "composite",
    "unsupported",
]
"""The database-independent kind of a column; the exact type is in `ColumnType.native`."""


class ColumnType(_Model):
    """A column's type: its logical kind plus what the source said exactly.

    `orm_type` is the ORM's own type name (Prisma's `String`, `DateTime`, an enum's name);
    `native` the database type when one was given (`VarChar(255)` from `@db.VarChar(255)`, or
    the SQL text of a migration). `length`, `precision`, `scale` and `timezone` are the
    parameters that matter when comparing two columns. For an enum column, `enum` is the
    enum's database name (`@@map`) and `enum_schema` its schema where it has one (`@@schema`).
    """

    kind: LogicalType
    orm_type: str | None = None
    native: str | None = None
    length: int | None = None
    precision: int | None = None
    scale: int | None = None
    timezone: bool | None = None
    enum: str | None = None
    enum_schema: str | None = None
    array: bool = False


DefaultKind = Literal["literal", "function", "sequence", "expression", "enum_value", "list"]


class Default(_Model):
    """A column default.

    `kind` says how to read `value`: a `literal` (string, number or boolean as the source wrote
    it), a `function` the ORM or the database evaluates (`autoincrement`, `now`, `uuid`,
    `cuid`...) with its `args`, a database `expression` (`dbgenerated("...")`, SQL text), an
    `enum_value`, or a `list` of literals.
    """

    kind: DefaultKind
    value: str | int | float | bool | None = None
    function: str | None = None
    args: list[str | int | float | bool] = Field(default_factory=list)
    values: list[str | int | float | bool] = Field(default_factory=list)
    name: str | None = None
    """The database name of the default constraint (`map:`), SQL Server only."""


class Column(_Model):
    name: str
    field_name: str | None = None
    type: ColumnType
    nullable: bool = False
    default: Default | None = None
    auto_increment: bool = False
    updated_at: bool = False
    ignored: bool = False
    doc: str | None = None
    span: Span | None = None


SortOrder = Literal["asc", "desc"]


class IndexColumn(_Model):
    """One part of an index or key: a column or an expression, with its options."""

    column: str | None = None
    field_name: str | None = None
    expression: str | None = None
    sort: SortOrder | None = None
    length: int | None = None
    ops: str | None = None


class PrimaryKey(_Model):
    name: str | None = None
    orm_name: str | None = None
    columns: list[IndexColumn]
    clustered: bool | None = None
    defined_on_field: bool = False
    """Declared on the field (`@id`) rather than on the block (`@@id([...])`)."""
    span: Span | None = None


class UniqueConstraint(_Model):
    name: str
    orm_name: str | None = None
    columns: list[IndexColumn]
    clustered: bool | None = None
    defined_on_field: bool = False
    span: Span | None = None


IndexMethod = Literal["btree", "hash", "gist", "gin", "spgist", "brin", "fulltext"]


class Index(_Model):
    name: str
    orm_name: str | None = None
    columns: list[IndexColumn]
    unique: bool = False
    method: IndexMethod | None = None
    predicate: str | None = None
    include: list[str] = Field(default_factory=list)
    clustered: bool | None = None
    span: Span | None = None


ReferentialAction = Literal["Cascade", "Restrict", "NoAction", "SetNull", "SetDefault"]


class ForeignKey(_Model):
    name: str
    columns: list[str]
    referenced_table: str
    referenced_schema: str | None = None
    referenced_columns: list[str]
    on_delete: ReferentialAction = "NoAction"
    on_update: ReferentialAction = "NoAction"
    not_valid: bool = False
    span: Span | None = None


class CheckConstraint(_Model):
    name: str
    expression: str
    span: Span | None = None


RelationKind = Literal["one-to-one", "one-to-many", "many-to-one", "many-to-many"]


class Relation(_Model):
    """A relation field as the ORM sees it (Prisma's `author User @relation(...)`).

    The foreign key is in `Table.foreign_keys`; this is the ORM's view of it from one side.
    `fields` / `references` are ORM field names and are empty on the side without the key.
    `on_delete` / `on_update` are what was declared, or None where the ORM's default applies.
    """

    field_name: str
    target_model: str
    name: str
    kind: RelationKind
    is_list: bool = False
    optional: bool = False
    fields: list[str] = Field(default_factory=list)
    references: list[str] = Field(default_factory=list)
    on_delete: ReferentialAction | None = None
    on_update: ReferentialAction | None = None
    foreign_key: str | None = None
    join_table: str | None = None
    ignored: bool = False
    doc: str | None = None
    span: Span | None = None


TableKind = Literal["table", "view", "join_table", "composite_type"]


class Table(_Model):
    """A table, view or composite type with everything the database holds about it.

    `kind` is `join_table` for a many-to-many table the ORM derives (Prisma's `_AToB`), and
    `composite_type` for a MongoDB embedded document type, which maps to no SQL table.
    """

    name: str
    model_name: str | None = None
    db_schema: str | None = None
    kind: TableKind = "table"
    columns: list[Column] = Field(default_factory=list)
    primary_key: PrimaryKey | None = None
    foreign_keys: list[ForeignKey] = Field(default_factory=list)
    uniques: list[UniqueConstraint] = Field(default_factory=list)
    indexes: list[Index] = Field(default_factory=list)
    checks: list[CheckConstraint] = Field(default_factory=list)
    relations: list[Relation] = Field(default_factory=list)
    soft_delete: str | None = None
    """The database name of the column the ORM's soft delete sets (TypeORM's
    `@DeleteDateColumn`, Sequelize's `deletedAt` of a `paranoid` model): the ORM adds
    `<column> IS NULL` to the reads of the table (server/queries), so a partial index
    `WHERE <column> IS NULL` serves them. Set by the reader of the ORM, never guessed from a
    column's name; None when the ORM has no soft delete on the table."""
    ignored: bool = False
    doc: str | None = None
    span: Span | None = None

    def column(self, name: str) -> Column | None:
        """The column with this database name, or None."""
        return next((c for c in self.columns if c.name == name), None)

    def field(self, field_name: str) -> Column | None:
        """The column declared by the ORM field `field_name`, or None."""
        return next((c for c in self.columns if c.field_name == field_name), None)


class EnumValue(_Model):
    name: str
    orm_name: str | None = None
    doc: str | None = None
    span: Span | None = None


class Enum(_Model):
    name: str
    model_name: str | None = None
    db_schema: str | None = None
    values: list[EnumValue] = Field(default_factory=list)
    doc: str | None = None
    span: Span | None = None


class ConfigValue(_Model):
    """A datasource or generator property: a literal, `env("VAR")`, or a list."""

    value: str | int | float | bool | list[str] | None = None
    env: str | None = None
    span: Span | None = None


class Datasource(_Model):
    name: str
    provider: str | None = None
    properties: dict[str, ConfigValue] = Field(default_factory=dict)
    span: Span | None = None


class Generator(_Model):
    name: str
    properties: dict[str, ConfigValue] = Field(default_factory=dict)
    span: Span | None = None


Provider = Literal["postgresql", "cockroachdb", "mysql", "sqlite", "sqlserver", "mongodb"]


class Schema(_Model):
    """A whole schema: what the models declare, or what the migrations build.

    `provider` is the database family. `relation_mode` is `foreignKeys` (the database enforces
    relations) or `prisma` (the ORM emulates them; no foreign keys exist in the database).
    `sources` lists the files it was read from.
    """

    provider: Provider | None = None
    relation_mode: Literal["foreignKeys", "prisma"] = "foreignKeys"
    datasource: Datasource | None = None
    generators: list[Generator] = Field(default_factory=list)
    tables: list[Table] = Field(default_factory=list)
    enums: list[Enum] = Field(default_factory=list)
    sources: list[str] = Field(default_factory=list)

    def table(self, name: str) -> Table | None:
        """The table (or view) with this database name, or None."""
        return next((t for t in self.tables if t.name == name), None)

    def model(self, model_name: str) -> Table | None:
        """The table declared by the ORM model `model_name`, or None."""
        return next((t for t in self.tables if t.model_name == model_name), None)

    def enum(self, name: str) -> Enum | None:
        return next((e for e in self.enums if e.name == name or e.model_name == name), None)

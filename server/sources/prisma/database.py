"""The resolved schema: syntax trees of every file -> models, fields and relations with meaning.

Like psl's `parser-database`, this is built in phases, and a phase that finds errors stops the
phases after it, exactly as Prisma does (so we report what Prisma reports, not a cascade):

1. names: every top-level name, field name and enum value is unique; datasource and generators;
2. types: every field type resolves to a scalar, enum, model, composite type or `Unsupported`;
3. attributes: every attribute is known, its arguments are read; relations are paired.

The validation pipeline (`validations/`) runs only on a database with no errors, then lowering
(`lower.py`) turns it into the schema model.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass, field
from typing import Literal

from schemasense.server.findings import Finding
from schemasense.server.sources.prisma import ast
from schemasense.server.sources.prisma.ast import Offsets

SCALAR_TYPES = frozenset(
    ["String", "Boolean", "Int", "BigInt", "Float", "Decimal", "DateTime", "Json", "Bytes"]
)
ReferentialAction = Literal["Cascade", "Restrict", "NoAction", "SetNull", "SetDefault"]
REFERENTIAL_ACTIONS: tuple[str, ...] = ("Cascade", "Restrict", "NoAction", "SetNull", "SetDefault")
FieldKind = Literal["scalar", "enum", "composite", "unsupported", "relation"]


@dataclass(slots=True)
class Located:
    """Something found in one file: the file id plus the syntax node's offsets."""

    file: str
    span: Offsets


@dataclass(slots=True)
class DefaultInfo:
    """`@default(...)`: the expression and, for functions, their name and arguments."""

    expression: ast.Expression
    map: str | None
    attribute: ast.Attribute


@dataclass(slots=True)
class NativeTypeInfo:
    """`@db.Name(args)` with the datasource alias it was written with."""

    datasource: str
    name: str
    args: list[str]
    attribute: ast.Attribute


@dataclass(slots=True)
class IndexFieldInfo:
    name: str
    path: list[str]
    sort: Literal["Asc", "Desc"] | None = None
    length: int | None = None
    ops: str | None = None
    ops_raw: bool = False
    """`ops: raw("...")` rather than a named operator class."""
    span: Offsets = (0, 0)


IndexKind = Literal["id", "unique", "normal", "fulltext"]


@dataclass(slots=True)
class IndexInfo:
    """A primary key, unique constraint, index or full-text index as the schema declares it."""

    kind: IndexKind
    fields: list[IndexFieldInfo]
    name: str | None = None
    """The client name (`name:`), for ids and compound uniques."""
    map: str | None = None
    """The database name given with `map:`; None means Prisma derives it."""
    algorithm: str | None = None
    clustered: bool | None = None
    on_field: bool = False
    attribute: ast.Attribute | None = None
    file: str = ""
    where: ast.Argument | None = None
    """`where:` of a partial index (the `partialIndexes` preview feature)."""


@dataclass(slots=True)
class FieldInfo:
    """One field of a model, view or composite type, with its resolved type and attributes.

    Its model and relation are held by weak references (`model`, `relation`): the model holds
    its fields and the database its relations, so strong ones back made every read a web of
    reference cycles that only a full collection frees (4,400 objects a keystroke on cal.com's
    schema, piling up between full collections: RSS +14 % over a 10,000-edit soak). Without
    the cycles a read is freed by reference counts as soon as the next one replaces it."""

    ast: ast.Field
    model_ref: weakref.ref[ModelInfo]
    kind: FieldKind
    type_name: str
    arity: ast.Arity
    db_name: str
    mapped: bool = False
    default: DefaultInfo | None = None
    native: NativeTypeInfo | None = None
    is_updated_at: bool = False
    ignored: bool = False
    # relation fields only
    relation_name: str | None = None
    relation_attribute: ast.Attribute | None = None
    fields: list[str] | None = None
    fields_span: Offsets | None = None
    references: list[str] | None = None
    references_span: Offsets | None = None
    on_delete: str | None = None
    on_update: str | None = None
    fk_map: str | None = None
    relation_ref: weakref.ref[RelationInfo] | None = None
    fields_invalid: bool = False
    """`fields:` names a field that does not exist or is a relation (already reported)."""
    references_invalid: bool = False

    @property
    def name(self) -> str:
        return self.ast.name.name

    @property
    def model(self) -> ModelInfo:
        return self.model_ref()  # type: ignore[return-value]

    @property
    def relation(self) -> RelationInfo | None:
        return self.relation_ref() if self.relation_ref is not None else None

    @relation.setter
    def relation(self, relation: RelationInfo | None) -> None:
        self.relation_ref = weakref.ref(relation) if relation is not None else None

    @property
    def file(self) -> str:
        return self.model.file

    @property
    def optional(self) -> bool:
        return self.arity == "optional"

    @property
    def is_list(self) -> bool:
        return self.arity == "list"


@dataclass(slots=True, weakref_slot=True)
class ModelInfo:
    """A model, view or composite type (`ast.kind` tells which)."""

    ast: ast.Model
    file: str
    db_name: str
    mapped: bool = False
    db_schema: str | None = None
    schema_attribute: ast.Attribute | None = None
    ignored: bool = False
    fields: list[FieldInfo] = field(default_factory=list)
    id: IndexInfo | None = None
    indexes: list[IndexInfo] = field(default_factory=list)
    """Uniques, indexes and full-text indexes in declaration order (field-level ones first)."""
    shard_key: tuple[ast.Attribute, list[str]] | None = None
    """`@shardKey` / `@@shardKey([...])`: the attribute and the fields it names."""

    @property
    def name(self) -> str:
        return self.ast.name.name

    @property
    def kind(self) -> str:
        return self.ast.kind

    by_name: dict[str, FieldInfo] = field(default_factory=dict)
    _scalars: list[FieldInfo] | None = None
    _relations: list[FieldInfo] | None = None

    def add_field(self, info: FieldInfo) -> None:
        """Fields are added once, during type resolution; lookups after that are O(1)."""
        self.fields.append(info)
        self.by_name.setdefault(info.name, info)
        self._scalars = self._relations = None

    def field(self, name: str) -> FieldInfo | None:
        return self.by_name.get(name)

    def id_names(self) -> list[str] | None:
        """The names of the primary key's fields, or None without one."""
        return [i.name for i in self.id.fields] if self.id is not None else None

    @property
    def scalar_fields(self) -> list[FieldInfo]:
        if self._scalars is None:
            self._scalars = [f for f in self.fields if f.kind != "relation"]
        return self._scalars

    @property
    def relation_fields(self) -> list[FieldInfo]:
        if self._relations is None:
            self._relations = [f for f in self.fields if f.kind == "relation"]
        return self._relations


@dataclass(slots=True)
class EnumInfo:
    ast: ast.Enum
    file: str
    db_name: str
    values: list[tuple[ast.EnumValue, str]] = field(default_factory=list)
    """Each value with its database name (`@map`)."""
    db_schema: str | None = None
    schema_attribute: ast.Attribute | None = None

    @property
    def name(self) -> str:
        return self.ast.name.name


RelationKindName = Literal["one-to-one", "one-to-many", "many-to-many"]


@dataclass(slots=True, weakref_slot=True)
class RelationInfo:
    """A relation between two models, as psl's relation inference pairs them.

    `forward` is side A: the field holding `fields` / `references` (for a one-to-many, the
    singular side; for an implicit many-to-many, the first by model then field name). `back` is
    its opposite. A relation declared on one side only has one of them None (`forward` is None
    for a lone list field). `embedded` marks a many-to-many whose list fields give `fields`
    (MongoDB's two-way embedded many-to-many).
    """

    name: str
    explicit_name: bool
    kind: RelationKindName
    forward: FieldInfo | None
    back: FieldInfo | None
    embedded: bool = False

    @property
    def is_self(self) -> bool:
        return (
            self.back is not None
            and self.forward is not None
            and self.forward.model is self.back.model
        )

    @property
    def fields(self) -> list[FieldInfo]:
        """The fields of the relation that exist (one or two)."""
        return [f for f in (self.forward, self.back) if f is not None]


@dataclass(slots=True)
class ConfigInfo:
    """Datasource and generator values the rest of the reader needs."""

    datasource: ast.ConfigBlock | None = None
    datasource_file: str | None = None
    provider: str | None = None
    relation_mode: str = "foreignKeys"
    schemas: list[str] = field(default_factory=list)
    schemas_span: Offsets | None = None
    """The `schemas = [...]` value, when the datasource has one."""
    generators: list[tuple[ast.ConfigBlock, str]] = field(default_factory=list)
    datasource_name: str | None = None
    preview_features: set[str] = field(default_factory=set)
    """Enabled generator preview features, in Prisma's spelling (`views`, `shardKeys`)."""
    extensions_span: Offsets | None = None


@dataclass
class Database:
    """Everything the reader knows after resolution; the input to validation and lowering."""

    asts: dict[str, ast.SchemaAst]
    config: ConfigInfo = field(default_factory=ConfigInfo)
    models: dict[str, ModelInfo] = field(default_factory=dict)
    enums: dict[str, EnumInfo] = field(default_factory=dict)
    relations: list[RelationInfo] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    phase_reached: int = 0
    prisma_version: int | None = None
    """The Prisma major version to judge by (None: not known; see `read_prisma_schema`)."""
    duplicates: list[ModelInfo | EnumInfo] = field(default_factory=list)
    """Second (third, ...) models and enums of a name: reported, read, but not used."""
    relation_index: dict[tuple[str, str, str | None], list[FieldInfo]] | None = None
    """(model, target model, relation name) -> relation fields; built on first use."""

    def has_errors(self) -> bool:
        return any(f.severity == "error" for f in self.findings)

    @property
    def provider(self) -> str | None:
        return self.config.provider

    def real_models(self) -> list[ModelInfo]:
        """Models and views (not composite types)."""
        return [m for m in self.models.values() if m.kind != "type"]

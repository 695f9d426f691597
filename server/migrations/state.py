"""The replay's working state: a mutable schema that operations change in place.

It is kept apart from `codegen.schema` (pydantic) because the replay changes it thousands of
times and copies it for checkpoints; `to_schema()` turns it into the schema model at the end.
Keys are the dialect's folded names (`Rules.key`): PostgreSQL compares names exactly, MySQL
and SQLite compare column and index names case-insensitively.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from schemasense.codegen.ddl.statements import QName
from schemasense.codegen.dialects.sql_type import SqlType
from schemasense.codegen.dialects.sql_types import column_type
from schemasense.codegen.schema import (
    CheckConstraint,
    Column,
    ColumnType,
    Default,
    Enum,
    EnumValue,
    ForeignKey,
    Index,
    IndexColumn,
    PrimaryKey,
    Schema,
    Span,
    Table,
    UniqueConstraint,
)

_set = object.__setattr__


def make(cls: Any, /, **fields: Any) -> Any:
    """A pydantic model from trusted values naming every field (what `model_construct`
    does, without its per-field defaults and aliases; the replay builds thousands)."""
    m = cls.__new__(cls)
    _set(m, "__dict__", fields)
    _set(m, "__pydantic_fields_set__", set(fields))
    _set(m, "__pydantic_extra__", None)
    _set(m, "__pydantic_private__", None)
    return m


Key = tuple[str, str]
"""A folded (schema, name)."""


@dataclass(frozen=True, slots=True)
class TypeRef:
    """A user-defined type named inside a rendered text (a default's cast), rendered with the
    type's name at the end of the replay."""

    key: Key
    array: bool = False


@dataclass(frozen=True, slots=True)
class SeqRef:
    """A sequence named inside a default (`nextval('"User_id_seq"'::regclass)`)."""

    key: Key


Parts = tuple["str | TypeRef | SeqRef", ...]


class ColumnState:
    __slots__ = (
        "auto_increment",
        "comment",
        "default",
        "generated",
        "identity",
        "name",
        "nullable",
        "span",
        "type",
    )

    def __init__(self, name: str, type: SqlType, nullable: bool, span: Span | None) -> None:
        self.name = name
        self.type = type
        self.nullable = nullable
        self.default: Parts | None = None
        self.identity: str | None = None
        self.auto_increment = False
        self.generated: str | None = None
        self.comment: str | None = None
        self.span = span

    def clone(self) -> ColumnState:
        c = ColumnState(self.name, self.type, self.nullable, self.span)
        c.default = self.default
        c.identity = self.identity
        c.auto_increment = self.auto_increment
        c.generated = self.generated
        c.comment = self.comment
        return c


@dataclass(slots=True)
class KeyPart:
    """A rendered index or key part."""

    column: str | None = None
    expression: str | None = None
    sort: str | None = None
    nulls: str | None = None
    ops: str | None = None
    length: int | None = None


class ConstraintState:
    """A primary key, unique, foreign key or check constraint."""

    __slots__ = (
        "columns",
        "expression",
        "include",
        "kind",
        "name",
        "not_valid",
        "on_delete",
        "on_update",
        "ref_columns",
        "ref_name",
        "ref_table",
        "span",
    )

    def __init__(self, kind: str, name: str | None, span: Span | None) -> None:
        self.kind = kind
        self.name = name
        self.columns: list[KeyPart] = []
        self.include: list[str] = []
        self.ref_table: Key | None = None
        self.ref_name: str | None = None
        """The referenced table's name as the statement wrote it (SQLite keeps that text)."""
        self.ref_columns: list[str] = []
        self.on_delete = "NoAction"
        self.on_update = "NoAction"
        self.not_valid = False
        self.expression: str | None = None
        self.span = span

    def clone(self) -> ConstraintState:
        c = ConstraintState(self.kind, self.name, self.span)
        c.columns = [
            KeyPart(p.column, p.expression, p.sort, p.nulls, p.ops, p.length) for p in self.columns
        ]
        c.include = list(self.include)
        c.ref_table = self.ref_table
        c.ref_name = self.ref_name
        c.ref_columns = list(self.ref_columns)
        c.on_delete = self.on_delete
        c.on_update = self.on_update
        c.not_valid = self.not_valid
        c.expression = self.expression
        return c

    def column_names(self) -> list[str]:
        return [p.column for p in self.columns if p.column is not None]


class IndexState:
    __slots__ = (
        "auto",
        "fulltext",
        "include",
        "method",
        "name",
        "parts",
        "predicate",
        "span",
        "unique",
    )

    def __init__(self, name: str, span: Span | None) -> None:
        self.name = name
        self.parts: list[KeyPart] = []
        self.unique = False
        self.method: str | None = None
        self.include: list[str] = []
        self.predicate: str | None = None
        self.fulltext = False
        self.auto = False
        """Created by the database for a foreign key (MySQL), not by a statement."""
        self.span = span

    def clone(self) -> IndexState:
        c = IndexState(self.name, self.span)
        c.parts = [
            KeyPart(p.column, p.expression, p.sort, p.nulls, p.ops, p.length) for p in self.parts
        ]
        c.unique = self.unique
        c.method = self.method
        c.include = list(self.include)
        c.predicate = self.predicate
        c.fulltext = self.fulltext
        c.auto = self.auto
        return c

    def column_names(self) -> list[str]:
        return [p.column for p in self.parts if p.column is not None]


class TableState:
    __slots__ = (
        "checks",
        "columns",
        "comment",
        "exclusions",
        "foreign_keys",
        "indexes",
        "kind",
        "name",
        "primary_key",
        "schema",
        "span",
        "uniques",
    )

    def __init__(self, schema: str, name: str, kind: str, span: Span | None) -> None:
        self.schema = schema
        self.name = name
        self.kind = kind
        self.columns: dict[str, ColumnState] = {}
        self.primary_key: ConstraintState | None = None
        self.foreign_keys: list[ConstraintState] = []
        self.uniques: list[ConstraintState] = []
        self.checks: list[ConstraintState] = []
        self.exclusions: list[ConstraintState] = []
        """PostgreSQL's EXCLUDE constraints, by name only: known (so dropping or renaming one
        is no error) but not in the schema model, which has no place for them (neither side
        of a drift comparison holds them)."""
        self.indexes: list[IndexState] = []
        self.comment: str | None = None
        self.span = span

    def clone(self) -> TableState:
        t = TableState(self.schema, self.name, self.kind, self.span)
        t.columns = {k: c.clone() for k, c in self.columns.items()}
        t.primary_key = self.primary_key.clone() if self.primary_key else None
        t.foreign_keys = [c.clone() for c in self.foreign_keys]
        t.uniques = [c.clone() for c in self.uniques]
        t.checks = [c.clone() for c in self.checks]
        t.exclusions = [c.clone() for c in self.exclusions]
        t.indexes = [i.clone() for i in self.indexes]
        t.comment = self.comment
        return t

    def constraints(self) -> list[ConstraintState]:
        pk = [self.primary_key] if self.primary_key else []
        return [*pk, *self.uniques, *self.foreign_keys, *self.checks, *self.exclusions]


class EnumState:
    __slots__ = ("comment", "name", "schema", "span", "values")

    def __init__(self, schema: str, name: str, values: list[str], span: Span | None) -> None:
        self.schema = schema
        self.name = name
        self.values = values
        self.comment: str | None = None
        self.span = span

    def clone(self) -> EnumState:
        e = EnumState(self.schema, self.name, list(self.values), self.span)
        e.comment = self.comment
        return e


@dataclass(slots=True)
class SequenceState:
    schema: str
    name: str
    owned_by: tuple[Key, str] | None = None
    """(table key, column key) of a serial column."""


class Rules(Protocol):
    """What a dialect decides while operations are applied (`postgres.PostgresRules`, ...)."""

    name: str
    provider: str
    default_schema: str
    fk_creates_index: bool
    """MySQL: a foreign key without an index on its columns gets one of its own name."""
    unique_constraint_is_index: bool
    """MySQL: a UNIQUE constraint is a unique index and nothing else."""
    index_names_per_table: bool
    """MySQL: index names are per table (PostgreSQL, SQLite: per schema)."""
    primary_key_not_null: bool

    def key(self, name: str) -> str: ...

    def column_type_text(self, type: SqlType, state: SchemaState) -> str: ...

    def user_type_text(self, key: Key, state: SchemaState) -> str: ...

    def sequence_text(self, key: Key, state: SchemaState) -> str: ...

    def cook_default(
        self, raw: Any, column: ColumnState, table: TableState, state: SchemaState
    ) -> Parts | None: ...

    def recast_default(self, column: ColumnState, state: SchemaState) -> Parts | None: ...

    def expr_text(self, raw: Any, table: TableState | None, state: SchemaState) -> str: ...

    def predicate_text(self, raw: Any, table: TableState | None, state: SchemaState) -> str: ...

    def check_text(self, raw: Any, table: TableState | None, state: SchemaState) -> str: ...

    def generated_text(self, raw: Any, table: TableState | None, state: SchemaState) -> str: ...

    def index_method(self, idx: Any) -> str | None: ...

    def constraint_name(self, c: Any, table: TableState, state: SchemaState) -> str: ...

    def index_name(self, idx: Any, table: TableState, state: SchemaState) -> str: ...


class SchemaState:
    __slots__ = (
        "comments",
        "enums",
        "extensions",
        "index_owner",
        "other_types",
        "rules",
        "schemas",
        "sequences",
        "settings",
        "tables",
    )

    def __init__(self, rules: Rules) -> None:
        self.rules = rules
        self.tables: dict[Key, TableState] = {}
        self.enums: dict[Key, EnumState] = {}
        self.other_types: set[Key] = set()
        self.sequences: dict[Key, SequenceState] = {}
        self.schemas: set[str] = {rules.default_schema}
        self.extensions: set[str] = set()
        self.index_owner: dict[Key, Key] = {}
        """Which table holds an index (or an index-backed constraint) of a schema-wide name."""
        self.settings: dict[str, str] = {}
        self.comments: dict[tuple[str, Key], str] = {}

    def clone(self) -> SchemaState:
        s = SchemaState(self.rules)
        s.tables = {k: t.clone() for k, t in self.tables.items()}
        s.enums = {k: e.clone() for k, e in self.enums.items()}
        s.other_types = set(self.other_types)
        s.sequences = {
            k: SequenceState(q.schema, q.name, q.owned_by) for k, q in self.sequences.items()
        }
        s.schemas = set(self.schemas)
        s.extensions = set(self.extensions)
        s.index_owner = dict(self.index_owner)
        s.settings = dict(self.settings)
        s.comments = dict(self.comments)
        return s

    def qkey(self, name: QName) -> Key:
        schema = name[0] if name[0] is not None else self.rules.default_schema
        return (self.rules.key(schema), self.rules.key(name[1]))

    # -- rendering --------------------------------------------------------------------------------

    def _column_type(
        self, t: SqlType, enums: frozenset[str], cache: dict[tuple[str, bool], dict], provider: str
    ) -> ColumnType:
        native = self.rules.column_type_text(t, self)
        key = (native, t.user is not None)
        fields = cache.get(key)
        if fields is None:
            fields = dict(_column_type_fields(provider, native, enums if t.user else frozenset()))
            if t.user is not None and fields["kind"] == "unsupported" and t.user:
                enum = self.enums.get(self.qkey(t.user))
                if enum is not None:
                    fields["kind"] = "enum"
                    fields["enum"] = enum.name
            cache[key] = fields
        return make(ColumnType, **fields)

    def render_parts(self, parts: Parts) -> str:
        out: list[str] = []
        for part in parts:
            if isinstance(part, str):
                out.append(part)
            elif isinstance(part, TypeRef):
                out.append(self.rules.user_type_text(part.key, self) + ("[]" if part.array else ""))
            else:
                out.append(self.rules.sequence_text(part.key, self))
        return "".join(out)

    def to_schema(self, provider: str, sources: list[str]) -> Schema:
        """The schema model of what the replay built (database names only)."""
        rules = self.rules
        default_schema = rules.default_schema
        enum_names = frozenset(
            [e.name for e in self.enums.values()]
            + [f"{e.schema}.{e.name}" for e in self.enums.values()]
        )
        type_cache: dict[tuple[str, bool], dict] = {}
        tables: list[Table] = []
        for table in self.tables.values():
            columns = []
            for col in table.columns.values():
                ctype = self._column_type(col.type, enum_names, type_cache, provider)
                default = None
                value = None
                if col.identity is not None:
                    value = f"GENERATED {col.identity.upper()} AS IDENTITY"
                elif col.generated is not None:
                    value = f"GENERATED ALWAYS AS ({col.generated}) STORED"
                elif col.default is not None:
                    value = self.render_parts(col.default)
                if value is not None:
                    default = make(
                        Default,
                        kind="expression",
                        value=value,
                        function=None,
                        args=[],
                        values=[],
                        name=None,
                    )
                columns.append(
                    make(
                        Column,
                        name=col.name,
                        field_name=None,
                        type=ctype,
                        nullable=col.nullable,
                        default=default,
                        auto_increment=col.auto_increment or col.identity is not None,
                        updated_at=False,
                        ignored=False,
                        doc=col.comment,
                        span=col.span,
                    )
                )
            pk = None
            if table.primary_key is not None:
                c = table.primary_key
                pk = make(
                    PrimaryKey,
                    name=c.name,
                    orm_name=None,
                    columns=_index_columns(c.columns),
                    clustered=None,
                    defined_on_field=False,
                    span=c.span,
                )
            fks = []
            for c in table.foreign_keys:
                ref = self.tables.get(c.ref_table) if c.ref_table else None
                ref_schema, ref_name = c.ref_table or (default_schema, "")
                if ref is not None:
                    ref_schema, ref_name = ref.schema, ref.name
                if getattr(rules, "fk_reference_by_text", False) and c.ref_name:
                    ref_name = c.ref_name
                fks.append(
                    make(
                        ForeignKey,
                        name=c.name or "",
                        columns=c.column_names(),
                        referenced_table=ref_name,
                        referenced_schema=None if ref_schema == default_schema else ref_schema,
                        referenced_columns=list(c.ref_columns),
                        on_delete=c.on_delete,
                        on_update=c.on_update,
                        not_valid=c.not_valid,
                        span=c.span,
                    )
                )
            uniques = [
                make(
                    UniqueConstraint,
                    name=c.name or "",
                    orm_name=None,
                    columns=_index_columns(c.columns),
                    clustered=None,
                    defined_on_field=False,
                    span=c.span,
                )
                for c in table.uniques
            ]
            indexes = [
                make(
                    Index,
                    name=i.name,
                    orm_name=None,
                    columns=_index_columns(i.parts),
                    unique=i.unique,
                    method="fulltext" if i.fulltext else i.method,
                    predicate=i.predicate,
                    include=list(i.include),
                    clustered=None,
                    span=i.span,
                )
                for i in table.indexes
            ]
            checks = [
                make(
                    CheckConstraint,
                    name=c.name or "",
                    expression=(c.expression or "")
                    + (" NOT VALID" if c.not_valid and rules.name == "postgresql" else ""),
                    span=c.span,
                )
                for c in table.checks
            ]
            tables.append(
                make(
                    Table,
                    name=table.name,
                    model_name=None,
                    db_schema=None if table.schema == default_schema else table.schema,
                    kind="view" if table.kind in ("view", "materialized_view") else "table",
                    columns=columns,
                    primary_key=pk,
                    foreign_keys=fks,
                    uniques=uniques,
                    indexes=indexes,
                    checks=checks,
                    relations=[],
                    ignored=False,
                    doc=table.comment,
                    span=table.span,
                )
            )
        enums = [
            make(
                Enum,
                name=e.name,
                model_name=None,
                db_schema=None if e.schema == default_schema else e.schema,
                values=[
                    make(EnumValue, name=v, orm_name=None, doc=None, span=None) for v in e.values
                ],
                doc=e.comment,
                span=e.span,
            )
            for e in self.enums.values()
        ]
        return make(
            Schema,
            provider=provider,
            relation_mode="foreignKeys",
            datasource=None,
            generators=[],
            tables=tables,
            enums=enums,
            sources=sources,
        )


def _column_type_fields(provider: str, native: str, enums: frozenset[str]) -> dict:
    return column_type(provider, native, enums).__dict__


def _index_columns(parts: list[KeyPart]) -> list[IndexColumn]:
    return [
        make(
            IndexColumn,
            column=p.column,
            field_name=None,
            expression=p.expression,
            sort=p.sort,
            length=p.length,
            ops=p.ops,
        )
        for p in parts
    ]

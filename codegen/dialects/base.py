"""The `Dialect` base class: one database provider as it looks to Prisma, made of tables.

Each provider module (`postgresql.py`, `mysql.py`, ...) subclasses `Dialect` and fills in the
class-level tables; subclassing registers it (`__init_subclass__`) under its lowercased class
name and its `ALIASES`, so adding a provider is one module and one test file. The methods here
only read the tables: what is true of a provider lives in its module, not in an if-chain.

The tables follow Prisma's own psl connectors (`psl/psl-core/src/builtin_connectors/`) and what
Prisma's schema engine renders (`schema-engine/connectors/sql-schema-connector`), because Prisma
is what validates the schemas we check. Each module says where its numbers come from.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import ClassVar, Literal

from ..schema import ColumnType
from .capabilities import (
    REFERENTIAL_ACTION_ORDER,
    ConstraintScope,
    IndexType,
    ReferentialAction,
    RelationMode,
)
from .native import (
    ArgRange,
    DefaultNative,
    DefaultOperatorClasses,
    NativeTypeSpec,
    OperatorClass,
    parse_native,
)

Arity = Literal["required", "optional"]
JoinTableUniqueness = Literal["primary_key", "unique_index"]

_ALL_ACTIONS = frozenset(REFERENTIAL_ACTION_ORDER)
_EMULATED_DEFAULT: frozenset[ReferentialAction] = frozenset(
    {"Restrict", "SetNull", "NoAction", "Cascade"}
)


class Dialect:
    """A database provider: its limits, capabilities, referential actions and types.

    Instances are stateless; `get_dialect()` hands out one per provider.
    """

    registry: ClassVar[dict[str, type[Dialect]]] = {}

    NAME: ClassVar[str] = ""
    """The provider as Prisma writes it in `datasource db { provider = ... }`."""
    DISPLAY_NAME: ClassVar[str] = ""
    """How Prisma's messages name the provider (psl's connector `name()`: `Postgres`)."""
    ALIASES: ClassVar[tuple[str, ...]] = ()
    IS_SQL: ClassVar[bool] = True

    MAX_IDENTIFIER_LENGTH: ClassVar[int] = 10_000
    """psl's `max_identifier_length()`, in bytes: derived names are truncated to it and `map:`
    names longer than it are an error."""
    RESERVED_WORDS: ClassVar[frozenset[str]] = frozenset()
    """Upper-case words that must be quoted to be used as identifiers."""
    IDENTIFIER_QUOTE: ClassVar[tuple[str, str]] = ('"', '"')

    CAPABILITIES: ClassVar[frozenset[str]] = frozenset()
    INDEX_TYPES: ClassVar[frozenset[IndexType]] = frozenset({"BTree"})
    CONSTRAINT_SCOPES: ClassVar[tuple[ConstraintScope, ...]] = ()

    RELATION_MODES: ClassVar[frozenset[RelationMode]] = frozenset({"foreignKeys", "prisma"})
    DEFAULT_RELATION_MODE: ClassVar[RelationMode] = "foreignKeys"
    REFERENTIAL_ACTIONS: ClassVar[Mapping[RelationMode, frozenset[ReferentialAction]]] = {
        "foreignKeys": _ALL_ACTIONS,
        "prisma": _EMULATED_DEFAULT,
    }
    """Actions `onDelete:`/`onUpdate:` may name, per relation mode (psl's
    `foreign_key_referential_actions` and `emulated_referential_actions`)."""
    SET_NULL_ON_REQUIRED_FIELDS: ClassVar[frozenset[RelationMode]] = frozenset()
    """Relation modes in which `SetNull` is accepted on a required relation (PostgreSQL only:
    its DDL takes it, and it fails at run time)."""
    DEFAULT_REFERENTIAL_ACTIONS: ClassVar[Mapping[tuple[RelationMode, Arity], ReferentialAction]]
    """onDelete when the schema gives none, per (relation mode, referential arity); filled in by
    `__init_subclass__` from `REFERENTIAL_ACTIONS` with psl's rule (see `default_on_delete`)."""
    DEFAULT_ON_UPDATE: ClassVar[ReferentialAction] = "Cascade"

    NATIVE_TYPES: ClassVar[Mapping[str, NativeTypeSpec]] = {}
    NATIVE_ARG_SEPARATOR: ClassVar[str] = ","
    NATIVE_ARG_RANGES: ClassVar[Mapping[str, tuple[ArgRange, ...]]] = {}
    """native type -> the argument ranges psl checks, in its order (besides a `Decimal` scale
    above its precision, which every SQL connector refuses)."""
    KEYLESS_NATIVE_TYPES: ClassVar[frozenset[str]] = frozenset()
    """Native types a primary key, unique constraint or index cannot cover (MySQL's TEXT and
    BLOB kinds, SQL Server's heap-allocated types, PostgreSQL's XML), written as in the schema
    (`Text`, `VarChar(Max)`); psl's connector `validate_model` checks."""
    KEYLESS_UNLESS_LENGTH: ClassVar[bool] = False
    """Whether a `length:` prefix (or a full-text index) makes them indexable (MySQL)."""
    OPERATOR_CLASSES: ClassVar[Mapping[str, OperatorClass]] = {}
    """`ops:` operator classes by Prisma name (`JsonbPathOps`); empty where psl checks none."""
    DEFAULT_OPERATOR_CLASSES: ClassVar[Mapping[str, DefaultOperatorClasses]] = {}
    """index type -> what it indexes without `ops:`, for the types psl checks (GiST, GIN,
    SP-GiST, BRIN on PostgreSQL)."""
    NATIVE_SQL_OVERRIDES: ClassVar[Mapping[tuple[str, str], str]] = {}
    """(native type, Prisma scalar) -> SQL where the scalar changes the rendering
    (MySQL `TinyInt` on a `Boolean` is written `BOOLEAN`)."""
    AUTOINCREMENT_SQL: ClassVar[Mapping[str, str]] = {}
    """native type -> SQL for an `autoincrement()` column (PostgreSQL's `SERIAL` family)."""
    SCALAR_DEFAULT_NATIVE: ClassVar[Mapping[str, DefaultNative]] = {}

    TYPE_MAPPING: ClassVar[Mapping[str, str]] = {}
    """Logical type (`codegen.schema.LogicalType`, plus `timestamp_tz`/`time_tz`) -> SQL
    template. `{length}`, `{precision}`, `{scale}`, `{enum}` are filled from the column type;
    `{name=default}` gives a default; a parenthesised group whose placeholder has no value and
    no default is left out (`VARCHAR({length})` -> `VARCHAR`) unless it is marked required
    (`ENUM({values!})`)."""
    ARRAY_SUFFIX: ClassVar[str | None] = None

    JOIN_TABLE_UNIQUENESS: ClassVar[JoinTableUniqueness | None] = "unique_index"
    """How an implicit many-to-many table keeps (A, B) unique; None where there are no join
    tables (MongoDB)."""
    JOIN_TABLE_SELF_RELATION_ACTION: ClassVar[ReferentialAction] = "Cascade"

    def __init_subclass__(cls, **kwargs: object) -> None:
        super().__init_subclass__(**kwargs)
        cls.DEFAULT_REFERENTIAL_ACTIONS = {
            (mode, arity): _default_on_delete(cls.REFERENTIAL_ACTIONS[mode], arity)
            for mode in sorted(cls.RELATION_MODES)
            for arity in ("required", "optional")
        }
        Dialect.registry[cls.__name__.lower()] = cls
        for alias in cls.ALIASES:
            Dialect.registry[alias] = cls

    def __repr__(self) -> str:
        return f"<Dialect {self.NAME}>"

    # capabilities and relations

    def has(self, capability: str) -> bool:
        """Whether Prisma lets a schema for this provider use `capability`."""
        return capability in self.CAPABILITIES

    def referential_actions(self, relation_mode: RelationMode | None = None) -> frozenset[str]:
        """The actions allowed in `onDelete:`/`onUpdate:` under this relation mode."""
        mode = relation_mode or self.DEFAULT_RELATION_MODE
        return self.REFERENTIAL_ACTIONS.get(mode, frozenset())

    def default_on_delete(
        self, required: bool, relation_mode: RelationMode | None = None
    ) -> ReferentialAction:
        """onDelete when none is written (psl's `default_on_delete_action`).

        `required` is psl's *referential arity*: true when the relation field is required or
        any of its `fields:` scalars is required. Required relations get `Restrict` where the
        mode allows it, else `NoAction` (SQL Server with foreign keys); optional ones `SetNull`.
        """
        mode = relation_mode or self.DEFAULT_RELATION_MODE
        return self.DEFAULT_REFERENTIAL_ACTIONS[(mode, "required" if required else "optional")]

    def checks_reference_cycles(self, relation_mode: RelationMode | None = None) -> bool:
        """Whether Prisma refuses cascading cycles (a self-relation or A -> B -> A whose links
        all cascade) under this relation mode: where the connector has
        `ReferenceCycleDetection` (SQL Server) and wherever relations are emulated
        (`relationMode = "prisma"`, always on MongoDB). psl's `cycles` validation."""
        mode = relation_mode or self.DEFAULT_RELATION_MODE
        return self.has("ReferenceCycleDetection") or mode == "prisma"

    # types

    def native_type(self, name: str) -> NativeTypeSpec | None:
        return self.NATIVE_TYPES.get(name)

    def native_sql(
        self,
        name: str,
        args: tuple[str, ...] | list[str] = (),
        scalar: str | None = None,
        autoincrement: bool = False,
    ) -> str | None:
        """The SQL Prisma writes for `@db.<name>(<args>)`; None for an unknown type or bad args."""
        spec = self.NATIVE_TYPES.get(name)
        if spec is None or not spec.accepts(args):
            return None
        if autoincrement and name in self.AUTOINCREMENT_SQL:
            return self.AUTOINCREMENT_SQL[name]
        if scalar is not None and (name, scalar) in self.NATIVE_SQL_OVERRIDES:
            return self.NATIVE_SQL_OVERRIDES[(name, scalar)]
        return spec.render(args, self.NATIVE_ARG_SEPARATOR)

    def default_native(self, scalar: str) -> DefaultNative | None:
        """What a Prisma scalar without `@db.` becomes on this provider (None: not supported)."""
        return self.SCALAR_DEFAULT_NATIVE.get(scalar)

    def type_sql(self, column_type: ColumnType, **params: object) -> str | None:
        """SQL for a column type: its `native` (`VarChar(255)`) when it is one of ours, else the
        `TYPE_MAPPING` template of its logical kind. None when this dialect cannot express it.

        Extra `params` fill other placeholders (MySQL's `ENUM({values})`).
        """
        sql = self._native_column_sql(column_type)
        if sql is None:
            sql = self._mapped_column_sql(column_type, params)
        if sql is None:
            return None
        if column_type.array:
            return None if self.ARRAY_SUFFIX is None else sql + self.ARRAY_SUFFIX
        return sql

    def _native_column_sql(self, column_type: ColumnType) -> str | None:
        if not column_type.native:
            return None
        parsed = parse_native(column_type.native)
        if parsed is None:
            return None
        return self.native_sql(parsed[0], parsed[1], scalar=column_type.orm_type)

    def _mapped_column_sql(
        self, column_type: ColumnType, params: Mapping[str, object]
    ) -> str | None:
        kind = column_type.kind
        template = None
        if column_type.timezone:
            template = self.TYPE_MAPPING.get(f"{kind}_tz")
        if template is None:
            template = self.TYPE_MAPPING.get(kind)
        if template is None:
            return None
        values: dict[str, object] = {
            "length": column_type.length,
            "precision": column_type.precision,
            "scale": column_type.scale,
            "enum": column_type.enum,
        }
        values.update(params)
        return fill_template(template, values)

    # identifiers

    def is_reserved(self, word: str) -> bool:
        return word.upper() in self.RESERVED_WORDS

    def quote(self, identifier: str) -> str:
        """`identifier` quoted the way Prisma's migrations quote it on this provider."""
        left, right = self.IDENTIFIER_QUOTE
        return f"{left}{identifier.replace(right, right * 2)}{right}"


def words(text: str) -> frozenset[str]:
    """A reserved-word table written as whitespace-separated text (easier to read and diff)."""
    return frozenset(text.split())


def _default_on_delete(allowed: frozenset[ReferentialAction], arity: Arity) -> ReferentialAction:
    if arity == "optional":
        return "SetNull"
    return "Restrict" if "Restrict" in allowed else "NoAction"


_PLACEHOLDER = re.compile(r"\{(\w+)(!?)(?:=([^}]*))?\}")
_GROUP = re.compile(r"\(([^()]*\{[^()]*)\)")


class _Missing(Exception):
    pass


def fill_template(template: str, values: Mapping[str, object]) -> str | None:
    """Fill a `TYPE_MAPPING` template, or None when a required value is missing.

    `{name}` inside parentheses is optional (the group is dropped without it), `{name}` outside
    them and `{name!}` anywhere are required, `{name=x}` defaults to `x`.
    """

    def value_of(m: re.Match[str]) -> str | None:
        value = values.get(m.group(1))
        return m.group(3) if value is None else str(value)

    def substitute(m: re.Match[str]) -> str:
        value = value_of(m)
        if value is None:
            raise _Missing(m.group(1))
        return value

    def group(m: re.Match[str]) -> str:
        inner = m.group(1)
        missing = [p for p in _PLACEHOLDER.finditer(inner) if value_of(p) is None]
        if any(p.group(2) for p in missing):
            raise _Missing(missing[0].group(1))
        if missing:
            return ""
        return "(" + _PLACEHOLDER.sub(substitute, inner) + ")"

    try:
        return _PLACEHOLDER.sub(substitute, _GROUP.sub(group, template))
    except _Missing:
        return None

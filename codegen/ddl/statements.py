"""Operations: what a statement does to the schema, in words every dialect shares.

A dialect's translator (`postgres.py`, `mysql.py`, `sqlite.py`) turns each parsed statement into
a few of these; `apply.py` applies them in order. They are frozen and hold no state, so a file's
operations are cached by its content and re-applied as they are. Expressions stay in the
dialect's own form (`raw`): the dialect renders them when they are applied, because how a
default prints depends on the column's type at that moment.

These are moving into `operations.py`, the one vocabulary `diff`, the safe plan and the
renderers share: the column type is one already (`SqlType`); `CreateSchema`, `CreateEnum`,
`AlterEnumAddValue` and `RenameEnumValue` are defined there and re-exported here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

# Defined once in `operations` (the one vocabulary these classes are moving into), and read here
# too by the migration replay and its rules:
from schemasense.codegen.ddl.operations import AlterEnumAddValue as AlterEnumAddValue
from schemasense.codegen.ddl.operations import ColumnDef as ColumnDef
from schemasense.codegen.ddl.operations import ConstraintDef as ConstraintDef
from schemasense.codegen.ddl.operations import ConstraintKind as ConstraintKind
from schemasense.codegen.ddl.operations import CreateEnum as CreateEnum
from schemasense.codegen.ddl.operations import CreateSchema as CreateSchema
from schemasense.codegen.ddl.operations import DefaultDef as DefaultDef
from schemasense.codegen.ddl.operations import IndexPart as IndexPart
from schemasense.codegen.ddl.operations import QName as QName
from schemasense.codegen.ddl.operations import ReferentialAction as ReferentialAction
from schemasense.codegen.ddl.operations import RenameEnumValue as RenameEnumValue
from schemasense.codegen.ddl.sql_type import SqlType


@dataclass(frozen=True, slots=True)
class IndexDef:
    name: str | None
    table: QName
    parts: tuple[IndexPart, ...]
    unique: bool = False
    method: str | None = None
    include: tuple[str, ...] = ()
    predicate: Any = None
    if_not_exists: bool = False
    concurrently: bool = False
    fulltext: bool = False
    span: tuple[int, int] | None = None


# -- statements -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Op:
    """Base of the operations only the replay reads so far (those defined in `operations` are
    `operations.Operation`s); the statement that produced it carries the span."""


@dataclass(frozen=True, slots=True)
class CreateTable(Op):
    table: QName
    columns: tuple[ColumnDef, ...]
    constraints: tuple[ConstraintDef, ...] = ()
    if_not_exists: bool = False
    as_select: bool = False


@dataclass(frozen=True, slots=True)
class DropObjects(Op):
    kind: str
    """table, view, materialized_view, index, type, sequence, schema, extension, domain"""
    names: tuple[QName, ...]
    if_exists: bool = False
    cascade: bool = False
    on_table: QName | None = None
    """MySQL's `DROP INDEX x ON t`."""


@dataclass(frozen=True, slots=True)
class RenameObject(Op):
    kind: str
    """table, view, materialized_view, index, sequence, type, schema"""
    name: QName
    new_name: str
    if_exists: bool = False


@dataclass(frozen=True, slots=True)
class SetObjectSchema(Op):
    kind: str
    name: QName
    new_schema: str
    if_exists: bool = False


@dataclass(frozen=True, slots=True)
class AlterTable(Op):
    table: QName
    actions: tuple[Action, ...]
    if_exists: bool = False


@dataclass(frozen=True, slots=True)
class CreateIndex(Op):
    index: IndexDef


@dataclass(frozen=True, slots=True)
class CreateView(Op):
    name: QName
    materialized: bool = False
    or_replace: bool = False
    if_not_exists: bool = False


@dataclass(frozen=True, slots=True)
class CreateDomain(Op):
    """A type that is not an enum (a domain, a composite or range type): known by name."""

    name: QName


@dataclass(frozen=True, slots=True)
class CreateSequence(Op):
    name: QName
    if_not_exists: bool = False
    owned_by: tuple[QName, str] | None = None
    """`OWNED BY "T"."id"`: the (table, column) the sequence belongs to."""


@dataclass(frozen=True, slots=True)
class SetSequenceOwner(Op):
    """`ALTER SEQUENCE s OWNED BY "T"."id"` (`owned_by` None: `OWNED BY NONE`)."""

    name: QName
    owned_by: tuple[QName, str] | None = None


@dataclass(frozen=True, slots=True)
class CreateExtension(Op):
    name: str
    if_not_exists: bool = False


@dataclass(frozen=True, slots=True)
class Comment(Op):
    kind: str
    """table, column, view, index, type, ..."""
    target: QName
    column: str | None
    text: str | None


@dataclass(frozen=True, slots=True)
class Pragma(Op):
    name: str
    value: str | None


# -- ALTER TABLE actions --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Action:
    """Base of every ALTER TABLE action; `span` is the clause's range, where known."""

    span: tuple[int, int] | None = field(default=None, kw_only=True)


@dataclass(frozen=True, slots=True)
class AddColumn(Action):
    column: ColumnDef
    if_not_exists: bool = False


@dataclass(frozen=True, slots=True)
class DropColumn(Action):
    name: str
    if_exists: bool = False
    cascade: bool = False


@dataclass(frozen=True, slots=True)
class AlterColumnType(Action):
    name: str
    type: SqlType
    using: Any = None


@dataclass(frozen=True, slots=True)
class SetColumnDefault(Action):
    name: str
    raw: Any = None
    """None drops the default."""


@dataclass(frozen=True, slots=True)
class SetColumnNotNull(Action):
    name: str
    not_null: bool


@dataclass(frozen=True, slots=True)
class SetColumnIdentity(Action):
    name: str
    identity: Literal["always", "by default"] | None
    """None drops the identity."""
    if_exists: bool = False


@dataclass(frozen=True, slots=True)
class RenameColumn(Action):
    name: str
    new_name: str


@dataclass(frozen=True, slots=True)
class ReplaceColumn(Action):
    """MySQL's MODIFY (old name = new name) and CHANGE (a rename too): the whole definition."""

    name: str
    column: ColumnDef


@dataclass(frozen=True, slots=True)
class AddConstraint(Action):
    constraint: ConstraintDef


@dataclass(frozen=True, slots=True)
class DropConstraint(Action):
    name: str | None
    kind: str | None = None
    """None (any), primary_key, foreign_key, check, unique (MySQL's DROP FOREIGN KEY, ...)."""
    if_exists: bool = False
    cascade: bool = False


@dataclass(frozen=True, slots=True)
class ValidateConstraint(Action):
    name: str


@dataclass(frozen=True, slots=True)
class RenameConstraint(Action):
    name: str
    new_name: str


@dataclass(frozen=True, slots=True)
class AddIndex(Action):
    """MySQL's `ADD INDEX`, `ADD UNIQUE`, `ADD FULLTEXT` inside ALTER TABLE."""

    index: IndexDef


@dataclass(frozen=True, slots=True)
class DropIndex(Action):
    name: str
    if_exists: bool = False


@dataclass(frozen=True, slots=True)
class RenameIndex(Action):
    name: str
    new_name: str


@dataclass(frozen=True, slots=True)
class RenameTable(Action):
    new_name: str


@dataclass(frozen=True, slots=True)
class SetTableSchema(Action):
    new_schema: str


@dataclass(frozen=True, slots=True)
class IgnoredAction(Action):
    """Something that changes nothing we model (table options, storage, ownership, RLS)."""

    what: str


# -- a parsed statement ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Parsed:
    """One statement as a translator read it: its character span in the up text, its kind,
    its operations; `opaque` when it changes nothing the replay models (functions, data),
    `error` when the grammar could not read it."""

    span: tuple[int, int]
    kind: str
    ops: tuple[Op, ...] = ()
    opaque: bool = False
    error: str | None = None

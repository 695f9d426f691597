"""The operations only the migration replay reads: what a statement does to the schema that
`diff` never computes (`DropObjects`, `RenameObject`, `Comment`, `Pragma`, sequences, views,
domains, and the ALTER TABLE clauses `SetColumnIdentity`, `SetTableSchema`, ...), and `Parsed`,
one statement as a dialect's translator read it.

Everything else is the one vocabulary of `operations` (`CreateTable`, `AlterTable` and its
`TableChange`s, `CreateIndex`, the renames, `ColumnDef`, `IndexDef`, ...), re-exported here so
the replay and its rules read every operation from one module. Operations are frozen and hold
no state, so a file's operations are cached by its content and re-applied as they are.
Expressions stay in the dialect's own form (`raw`): the dialect renders them when they are
applied, because how a default prints depends on the column's type at that moment.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

# Defined once in `operations` (the one operation vocabulary), and read here too by the
# migration replay and its rules:
from schemasense.codegen.ddl.operations import AddColumn as AddColumn
from schemasense.codegen.ddl.operations import AddConstraint as AddConstraint
from schemasense.codegen.ddl.operations import AlterColumnType as AlterColumnType
from schemasense.codegen.ddl.operations import AlterEnumAddValue as AlterEnumAddValue
from schemasense.codegen.ddl.operations import AlterTable as AlterTable
from schemasense.codegen.ddl.operations import ColumnDef as ColumnDef
from schemasense.codegen.ddl.operations import ConstraintDef as ConstraintDef
from schemasense.codegen.ddl.operations import ConstraintKind as ConstraintKind
from schemasense.codegen.ddl.operations import CreateEnum as CreateEnum
from schemasense.codegen.ddl.operations import CreateIndex as CreateIndex
from schemasense.codegen.ddl.operations import CreateSchema as CreateSchema
from schemasense.codegen.ddl.operations import CreateTable as CreateTable
from schemasense.codegen.ddl.operations import DefaultDef as DefaultDef
from schemasense.codegen.ddl.operations import DropColumn as DropColumn
from schemasense.codegen.ddl.operations import DropConstraint as DropConstraint
from schemasense.codegen.ddl.operations import DropDefault as DropDefault
from schemasense.codegen.ddl.operations import DropIndex as DropIndex
from schemasense.codegen.ddl.operations import DropNotNull as DropNotNull
from schemasense.codegen.ddl.operations import DropTable as DropTable
from schemasense.codegen.ddl.operations import IndexDef as IndexDef
from schemasense.codegen.ddl.operations import IndexPart as IndexPart
from schemasense.codegen.ddl.operations import ModifyColumn as ModifyColumn
from schemasense.codegen.ddl.operations import Operation as Operation
from schemasense.codegen.ddl.operations import QName as QName
from schemasense.codegen.ddl.operations import ReferentialAction as ReferentialAction
from schemasense.codegen.ddl.operations import RenameColumn as RenameColumn
from schemasense.codegen.ddl.operations import RenameConstraint as RenameConstraint
from schemasense.codegen.ddl.operations import RenameEnum as RenameEnum
from schemasense.codegen.ddl.operations import RenameEnumValue as RenameEnumValue
from schemasense.codegen.ddl.operations import RenameIndex as RenameIndex
from schemasense.codegen.ddl.operations import RenameTable as RenameTable
from schemasense.codegen.ddl.operations import SetDefault as SetDefault
from schemasense.codegen.ddl.operations import SetNotNull as SetNotNull
from schemasense.codegen.ddl.operations import TableChange as TableChange
from schemasense.codegen.ddl.operations import TableDef as TableDef
from schemasense.codegen.ddl.operations import ValidateConstraint as ValidateConstraint
from schemasense.codegen.dialects.sql_type import SqlType as SqlType

# -- statements -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Op:
    """Base of the operations only the replay reads (`diff` never computes them; the others
    are `Operation`s); the statement that produced it carries the span. Not an `Operation`:
    several have a field `kind` (what kind of object), which `Operation.kind` would shadow."""


@dataclass(frozen=True, slots=True)
class DropObjects(Op):
    """`DROP <kind> names`, for the kinds `diff` never drops (a table is `DropTable`, an index
    `DropIndex`: `drop_objects` picks)."""

    kind: str
    """view, materialized_view, type, sequence, schema, extension, domain"""
    names: tuple[QName, ...]
    if_exists: bool = False
    cascade: bool = False


@dataclass(frozen=True, slots=True)
class RenameObject(Op):
    """`ALTER <kind> name RENAME TO new_name`, for the kinds `diff` never renames (a table is
    `RenameTable`, an index `RenameIndex`: `rename_object` picks)."""

    kind: str
    """view, materialized_view, sequence, type, schema"""
    name: QName
    new_name: str
    if_exists: bool = False


def drop_objects(
    kind: str,
    names: tuple[QName, ...],
    *,
    if_exists: bool = False,
    cascade: bool = False,
    on_table: QName | None = None,
    concurrently: bool = False,
) -> list[Op | Operation]:
    """The operations of one `DROP <kind> names` statement: a `DropTable` per table, a
    `DropIndex` per index (`on_table`: MySQL's `DROP INDEX x ON t`), else one `DropObjects`."""
    if kind == "table":
        return [DropTable(n, s, if_exists, cascade) for s, n in names]
    if kind == "index":
        schema, table = on_table if on_table is not None else (None, None)
        return [
            DropIndex(table, IndexDef(n), s or schema, concurrently, if_exists, cascade)
            for s, n in names
        ]
    return [DropObjects(kind, names, if_exists, cascade)]


def rename_object(
    kind: str, name: QName, new_name: str, *, if_exists: bool = False
) -> Op | Operation:
    """The operation of `ALTER <kind> name RENAME TO new_name`: `RenameTable`, `RenameIndex`
    (its table unknown), else `RenameObject`."""
    if kind == "table":
        return RenameTable(name[1], new_name, name[0], if_exists=if_exists)
    if kind == "index":
        return RenameIndex(None, name[1], new_name, name[0], if_exists=if_exists)
    return RenameObject(kind, name, new_name, if_exists)


@dataclass(frozen=True, slots=True)
class SetObjectSchema(Op):
    kind: str
    name: QName
    new_schema: str
    if_exists: bool = False


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
class SetColumnIdentity(TableChange):
    name: str
    identity: Literal["always", "by default"] | None
    """None drops the identity."""
    if_exists: bool = False


@dataclass(frozen=True, slots=True)
class SetTableSchema(TableChange):
    new_schema: str


@dataclass(frozen=True, slots=True)
class IgnoredAction(TableChange):
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
    ops: tuple[Op | Operation, ...] = ()
    opaque: bool = False
    error: str | None = None

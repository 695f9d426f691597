"""The operations a migration is made of: frozen data, one class per kind of change.

`codegen.diff.diff` returns them in the order to run them; the targets
(`codegen.targets.sql` and the migration formats) render them and never compare schemas
themselves. An operation carries what its SQL needs: the definitions below (`TableDef`,
`ColumnDef`, `IndexDef`, ...) are the database's view of a table, column or index, the same
whichever side (declared or migrated) it came from, with the `Span` of what caused it.

Changes to one table that run as one `ALTER TABLE` (Prisma's `AlterTable` step) are
`TableChange`s inside an `AlterTable` operation: `AddColumn`, `DropColumn`,
`AlterColumnType`, `SetNotNull`, `DropNotNull`, `SetDefault`, `DropDefault`, ...

This module is the one operation vocabulary: what `diff` computes, what the safe plan
(`codegen.ddl.safe`) and the migration-safety rules' fixes write, and, class by class, what the
migration replay reads from SQL (`CreateSchema`, `CreateEnum`, `AlterEnumAddValue` and
`RenameEnumValue` so far; the rest of
`statements.py` moves here as each of its classes and the one here of the same name become one).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Literal

from schemasense.codegen.ddl.sql_type import SqlType
from schemasense.codegen.schema import Span

QName = tuple[str | None, str]
"""A database object's (schema, name); schema None means the default schema."""

# -- the objects operations carry ---------------------------------------------------------------

DefaultKindName = Literal["value", "now", "sequence", "dbgenerated", "dbgenerated_empty"]


@dataclass(frozen=True, slots=True)
class DefaultDef:
    """A column default in the database: its `kind` and the SQL after `DEFAULT` (`sql`, None
    where nothing is written: a sequence, an empty `dbgenerated()`)."""

    kind: DefaultKindName
    sql: str | None
    sequence: str | None = None
    """For a `sequence` default: the sequence's name (PostgreSQL)."""


@dataclass(frozen=True, slots=True)
class ColumnDef:
    name: str
    type: SqlType
    nullable: bool
    default: DefaultDef | None = None
    autoincrement: bool = False
    span: Span | None = None
    field_name: str | None = None

    @property
    def arity(self) -> str:
        return "list" if self.type.array else "nullable" if self.nullable else "required"


@dataclass(frozen=True, slots=True)
class IndexColumnDef:
    name: str
    """A column name, or the SQL text of an expression (`expression` is then true)."""
    sort: str | None = None
    length: int | None = None
    ops: str | None = None
    expression: bool = False


@dataclass(frozen=True, slots=True)
class IndexDef:
    name: str
    columns: tuple[IndexColumnDef, ...]
    unique: bool = False
    method: str | None = None
    """`GIN`, `GIST`, `HASH`, `SPGIST`, `BRIN`, `FULLTEXT`; None for a B-tree."""
    predicate: str | None = None
    include: tuple[str, ...] = ()
    span: Span | None = None


@dataclass(frozen=True, slots=True)
class PrimaryKeyDef:
    name: str | None
    columns: tuple[IndexColumnDef, ...]
    span: Span | None = None

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)


@dataclass(frozen=True, slots=True)
class ForeignKeyDef:
    name: str | None
    columns: tuple[str, ...]
    referenced_table: str
    referenced_columns: tuple[str, ...]
    on_delete: str = "NoAction"
    on_update: str = "NoAction"
    referenced_schema: str | None = None
    span: Span | None = None


@dataclass(frozen=True, slots=True)
class TableDef:
    name: str
    columns: tuple[ColumnDef, ...]
    primary_key: PrimaryKeyDef | None = None
    indexes: tuple[IndexDef, ...] = ()
    foreign_keys: tuple[ForeignKeyDef, ...] = ()
    schema: str | None = None
    model_name: str | None = None
    span: Span | None = None

    def column(self, name: str) -> ColumnDef | None:
        return next((c for c in self.columns if c.name == name), None)


@dataclass(frozen=True, slots=True)
class EnumDef:
    name: str
    values: tuple[str, ...]
    schema: str | None = None
    span: Span | None = None


# -- operations ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Operation:
    """Base of every operation. `span` points at what caused it (the declared field, index or
    model on the `to` side; the dropped object's on the `from` side)."""

    @property
    def kind(self) -> str:
        return type(self).__name__

    @property
    def span(self) -> Span | None:
        return None

    @property
    def loses_data(self) -> str | None:
        """Why running this loses data (a sentence), or None."""
        return None


@dataclass(frozen=True, slots=True)
class CreateSchema(Operation):
    name: str
    if_not_exists: bool = False


@dataclass(frozen=True, slots=True)
class CreateEnum(Operation):
    """A PostgreSQL enum type: its (schema, name) and its values in order; `source` is what
    declared it (a diff's `enum` block), where known."""

    name: QName
    values: tuple[str, ...]
    source: Span | None = None

    @property
    def span(self) -> Span | None:
        return self.source


@dataclass(frozen=True, slots=True)
class EnumUsage:
    """A column of the enum's type: `table`.`column` (`array` for a list), and its default
    before and after (SQL), which the value change must take off and put back."""

    table: str
    column: str
    table_schema: str | None = None
    array: bool = False
    default_before: str | None = None
    default_after: str | None = None
    exists_after: bool = True


@dataclass(frozen=True, slots=True)
class AlterEnum(Operation):
    """Values added to (`added`) or dropped from (`dropped`) an enum (`enum` is as it is
    after). Dropping a value recreates the type: `columns` are converted to it."""

    enum: EnumDef
    added: tuple[str, ...]
    dropped: tuple[str, ...] = ()
    defaults: tuple[EnumUsage, ...] = ()
    """Columns whose default is of the enum: taken off before, put back after."""
    columns: tuple[EnumUsage, ...] = ()
    """Columns of the enum's type, converted to the new type."""

    @property
    def span(self) -> Span | None:
        return self.enum.span

    @property
    def loses_data(self) -> str | None:
        if not self.dropped:
            return None
        values = ", ".join(f"`{v}`" for v in self.dropped)
        return (
            f"The values [{values}] on the enum `{self.enum.name}` will be removed. If these "
            "variants are still used in the database, this will fail."
        )


@dataclass(frozen=True, slots=True)
class AlterEnumAddValue(Operation):
    """One value added to the enum `name` (PostgreSQL's `ALTER TYPE ... ADD VALUE`), `before`
    or `after` another, or at the end: what the replay reads, and what the safe plan writes
    (one per migration)."""

    name: QName
    value: str
    before: str | None = None
    after: str | None = None
    if_not_exists: bool = False


@dataclass(frozen=True, slots=True)
class RenameEnumValue(Operation):
    """`ALTER TYPE name RENAME VALUE old TO new`; `source` is what declared it, where known."""

    name: QName
    old: str
    new: str
    source: Span | None = None

    @property
    def span(self) -> Span | None:
        return self.source


@dataclass(frozen=True, slots=True)
class DropEnum(Operation):
    enum: EnumDef


@dataclass(frozen=True, slots=True)
class CreateTable(Operation):
    table: TableDef

    @property
    def span(self) -> Span | None:
        return self.table.span


@dataclass(frozen=True, slots=True)
class DropTable(Operation):
    table: TableDef

    @property
    def span(self) -> Span | None:
        return self.table.span

    @property
    def loses_data(self) -> str | None:
        return (
            f"You are about to drop the `{self.table.name}` table. If the table is not empty, "
            "all the data it contains will be lost."
        )


@dataclass(frozen=True, slots=True)
class RenameTable(Operation):
    old: str
    new: str
    schema: str | None = None
    sequences: tuple[tuple[str, str], ...] = ()
    """Serial sequences to rename with it (old name, new name), PostgreSQL."""
    source: Span | None = None

    @property
    def span(self) -> Span | None:
        return self.source


# Changes inside one ALTER TABLE


@dataclass(frozen=True, slots=True)
class TableChange:
    @property
    def kind(self) -> str:
        return type(self).__name__


@dataclass(frozen=True, slots=True)
class AddColumn(TableChange):
    column: ColumnDef


@dataclass(frozen=True, slots=True)
class DropColumn(TableChange):
    column: ColumnDef


@dataclass(frozen=True, slots=True)
class AlterColumnType(TableChange):
    before: ColumnDef
    after: ColumnDef
    cast: Literal["safe", "risky"] = "safe"


@dataclass(frozen=True, slots=True)
class SetNotNull(TableChange):
    column: ColumnDef


@dataclass(frozen=True, slots=True)
class DropNotNull(TableChange):
    column: ColumnDef


@dataclass(frozen=True, slots=True)
class SetDefault(TableChange):
    column: ColumnDef
    before: ColumnDef | None = None


@dataclass(frozen=True, slots=True)
class DropDefault(TableChange):
    column: ColumnDef
    drop_sequence: str | None = None


@dataclass(frozen=True, slots=True)
class AddSequence(TableChange):
    """The column becomes auto-increment (PostgreSQL: a sequence as its default)."""

    column: ColumnDef


@dataclass(frozen=True, slots=True)
class ModifyColumn(TableChange):
    """MySQL's `MODIFY`: the whole column again, as it is after."""

    before: ColumnDef
    after: ColumnDef


@dataclass(frozen=True, slots=True)
class DropAndRecreateColumn(TableChange):
    """A type the database cannot cast: the column is dropped and added again (its data is
    lost)."""

    before: ColumnDef
    after: ColumnDef


@dataclass(frozen=True, slots=True)
class DropPrimaryKey(TableChange):
    primary_key: PrimaryKeyDef


@dataclass(frozen=True, slots=True)
class RenamePrimaryKey(TableChange):
    old: str
    new: str


@dataclass(frozen=True, slots=True)
class AddPrimaryKey(TableChange):
    primary_key: PrimaryKeyDef


@dataclass(frozen=True, slots=True)
class AlterTable(Operation):
    """Changes to one table, run as one statement where the dialect can (Prisma's
    `AlterTable`). `table` is its name when it runs; `after` the whole table after."""

    table: str
    changes: tuple[TableChange, ...]
    after: TableDef | None = None
    before: TableDef | None = None
    schema: str | None = None

    @property
    def span(self) -> Span | None:
        for change in self.changes:
            column = getattr(change, "column", None) or getattr(change, "after", None)
            if isinstance(column, ColumnDef) and column.span is not None:
                return column.span
        return self.after.span if self.after is not None else None

    @property
    def loses_data(self) -> str | None:
        reasons = []
        for change in self.changes:
            if isinstance(change, DropColumn):
                reasons.append(
                    f"You are about to drop the column `{change.column.name}` on the "
                    f"`{self.table}` table. All the data in the column will be lost."
                )
            elif isinstance(change, DropAndRecreateColumn):
                reasons.append(
                    f"The `{change.before.name}` column on the `{self.table}` table would be "
                    "dropped and recreated. This will lead to data loss."
                )
            elif isinstance(change, AlterColumnType | ModifyColumn) and (
                isinstance(change, ModifyColumn) or change.cast == "risky"
            ):
                before = change.before
                reasons.append(
                    f"You are about to alter the column `{before.name}` on the `{self.table}` "
                    "table. The data in that column could be lost."
                )
            elif isinstance(change, SetNotNull):
                reasons.append(
                    f"Made the column `{change.column.name}` on table `{self.table}` required; "
                    "this fails where it holds NULL values."
                )
            elif (
                isinstance(change, AddColumn)
                and not change.column.nullable
                and (change.column.default is None and not change.column.autoincrement)
            ):
                reasons.append(
                    f"Added the required column `{change.column.name}` to the `{self.table}` "
                    "table without a default value. This is not possible if the table is not "
                    "empty."
                )
        return "\n".join(reasons) or None


@dataclass(frozen=True, slots=True)
class RenameColumn(Operation):
    table: str
    old: str
    new: str
    schema: str | None = None
    source: Span | None = None

    @property
    def span(self) -> Span | None:
        return self.source


@dataclass(frozen=True, slots=True)
class CreateIndex(Operation):
    table: str
    index: IndexDef
    schema: str | None = None
    concurrently: bool = False

    @property
    def span(self) -> Span | None:
        return self.index.span


@dataclass(frozen=True, slots=True)
class DropIndex(Operation):
    table: str
    index: IndexDef
    schema: str | None = None
    concurrently: bool = False


@dataclass(frozen=True, slots=True)
class RenameIndex(Operation):
    table: str
    old: str
    new: str
    schema: str | None = None
    index: IndexDef | None = None

    @property
    def span(self) -> Span | None:
        return self.index.span if self.index else None


@dataclass(frozen=True, slots=True)
class RedefineIndex(Operation):
    """An index whose name changed where indexes cannot be renamed (SQLite): dropped and
    created again."""

    table: str
    before: IndexDef
    after: IndexDef


@dataclass(frozen=True, slots=True)
class AddForeignKey(Operation):
    table: str
    foreign_key: ForeignKeyDef
    schema: str | None = None
    not_valid: bool = False

    @property
    def span(self) -> Span | None:
        return self.foreign_key.span


@dataclass(frozen=True, slots=True)
class ValidateForeignKey(Operation):
    """`VALIDATE CONSTRAINT` after a foreign key added `NOT VALID` (the safe plan): it checks
    the existing rows under a lock that blocks neither reads nor writes."""

    table: str
    name: str
    schema: str | None = None


@dataclass(frozen=True, slots=True)
class ValidateCheck(Operation):
    """`VALIDATE CONSTRAINT` after a check added `NOT VALID` (the safe plan)."""

    table: str
    name: str
    schema: str | None = None


@dataclass(frozen=True, slots=True)
class AddNotNullCheck(Operation):
    """`CHECK (column IS NOT NULL)`, added `NOT VALID` by the safe plan: once validated it
    proves the column holds no NULL, so `SET NOT NULL` (`RequireColumn`) needs no scan."""

    table: str
    name: str
    column: str
    schema: str | None = None
    not_valid: bool = True
    comment: str | None = None
    """A note written above it (why the check is there)."""


@dataclass(frozen=True, slots=True)
class RequireColumn(Operation):
    """`SET NOT NULL` on its own, where a validated check already proves it (the safe plan's
    contract step). Nothing to warn about: the `VALIDATE` before it fails where a NULL is
    left, so this one cannot."""

    table: str
    column: str
    schema: str | None = None


@dataclass(frozen=True, slots=True)
class DropCheck(Operation):
    """A check dropped by name (the safe plan's NOT NULL check, once it has done its work)."""

    table: str
    name: str
    schema: str | None = None


@dataclass(frozen=True, slots=True)
class AddUniqueUsingIndex(Operation):
    """`ADD CONSTRAINT name UNIQUE USING INDEX index`: a unique index built `CONCURRENTLY`
    before becomes the constraint (renamed to it) under a moment's lock."""

    table: str
    name: str
    index: str
    schema: str | None = None


@dataclass(frozen=True, slots=True)
class SetLockTimeout(Operation):
    """`SET [LOCAL] lock_timeout`: the statements after it give up on a lock after `value`
    instead of queueing every query on the table behind them. `local` lasts until the
    transaction ends (a runner that wraps the file in one)."""

    value: str
    local: bool = True


@dataclass(frozen=True, slots=True)
class DropForeignKey(Operation):
    table: str
    foreign_key: ForeignKeyDef
    schema: str | None = None


@dataclass(frozen=True, slots=True)
class RenameForeignKey(Operation):
    table: str
    old: str
    new: str
    schema: str | None = None


@dataclass(frozen=True, slots=True)
class CopiedColumn:
    """A column a table redefinition copies: from `source` (its name before) into `target`;
    `coalesce` is the default to put where it became required and was NULL."""

    source: str
    target: str
    coalesce: str | None = None


@dataclass(frozen=True, slots=True)
class RedefinedTable:
    before: TableDef
    after: TableDef
    copied: tuple[CopiedColumn, ...]
    dropped: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class RedefineTables(Operation):
    """SQLite: tables `ALTER TABLE` cannot change, rebuilt as Prisma does (new table, copy,
    drop, rename, indexes)."""

    tables: tuple[RedefinedTable, ...]

    @property
    def span(self) -> Span | None:
        return self.tables[0].after.span if self.tables else None

    @property
    def loses_data(self) -> str | None:
        lines = []
        for t in self.tables:
            for name in t.dropped:
                lines.append(
                    f"You are about to drop the column `{name}` on the `{t.before.name}` "
                    "table. All the data in the column will be lost."
                )
        return "\n".join(lines) or None


# -- the column-swap plan and SQL kept as written ------------------------------------------------
#
# What the migration-safety fixes write besides the diff's steps: DB209's expand / backfill /
# contract for a type change (a new column kept in step by a trigger, filled in batches, swapped
# in under a brief lock) and DB242's in-place `ALTER TABLE` for a SQLite table redefinition.
# These operations speak of a column or index as a migration's replay holds it: a type is the
# SQL text the database would print (`numeric(10,2)`), not a `SqlType` the diff computes.


@dataclass(frozen=True, slots=True)
class AddColumnSql(Operation):
    """`ALTER TABLE table ADD COLUMN`, the column as SQL text: `name` (quoted when rendered)
    then `definition` (its type and constraints), or, with `name` None, `definition` alone as
    the whole column as a migration wrote it (SQLite keeps that text in the table's SQL, so a
    fix that moves a column keeps it byte for byte)."""

    table: str
    definition: str
    name: str | None = None
    schema: str | None = None


@dataclass(frozen=True, slots=True)
class DropColumnNamed(Operation):
    """`ALTER TABLE table DROP COLUMN name`, for a column known by its name only (a replayed
    table's; the diff's `DropColumn` carries the whole `ColumnDef`)."""

    table: str
    name: str
    schema: str | None = None


@dataclass(frozen=True, slots=True)
class ColumnConversion:
    """How a column's new value is computed from its row: the `using` expression (SQL over
    the row, as `ALTER COLUMN ... TYPE ... USING` gives it), else `source` cast to `type`
    (the type's SQL text)."""

    source: str
    type: str
    using: str | None = None
    row: str | None = None
    """The name `using` knows the row by (the table's), where it differs from the table's
    name as the operation gives it."""


@dataclass(frozen=True, slots=True)
class SyncColumnTrigger(Operation):
    """A trigger function `name` and a `BEFORE INSERT OR UPDATE` row trigger of the same name
    on `table` that set `column` from the row being written (`conversion` over `NEW`), so a
    new column follows the old one while the running app writes only the old one."""

    table: str
    column: str
    conversion: ColumnConversion
    name: str
    schema: str | None = None


@dataclass(frozen=True, slots=True)
class DropSyncTrigger(Operation):
    """The trigger and the trigger function a `SyncColumnTrigger` named `name` made."""

    table: str
    name: str
    schema: str | None = None


@dataclass(frozen=True, slots=True)
class BackfillColumn(Operation):
    """Set `column` from `conversion` on every row of `table`, in batches of `batch_rows`
    along the key `key` (the primary key's columns), each batch committed on its own: one
    `DO` block, which may `COMMIT` only outside a transaction block (PostgreSQL 11+), so it
    goes alone in its migration file."""

    table: str
    column: str
    conversion: ColumnConversion
    key: tuple[str, ...]
    batch_rows: int
    schema: str | None = None


@dataclass(frozen=True, slots=True)
class LockTable(Operation):
    """`LOCK TABLE table IN mode MODE`: take the lock first, so the statements after it do not
    each queue for it."""

    table: str
    mode: str = "ACCESS EXCLUSIVE"
    schema: str | None = None


@dataclass(frozen=True, slots=True)
class IndexKeySql:
    """One key of an index as the database holds it: a `column`, or an `expression` (SQL
    text), with its operator class, `asc`/`desc` and `first`/`last` for NULLs."""

    column: str | None = None
    expression: str | None = None
    ops: str | None = None
    sort: str | None = None
    nulls: str | None = None


@dataclass(frozen=True, slots=True)
class CreateIndexSql(Operation):
    """An index as a migration's replay holds it, created again (`CONCURRENTLY` by default):
    its method as the database names it (`gin`, None for a B-tree) and its predicate as SQL
    text, written as the database prints them (the diff's `CreateIndex` writes Prisma's
    spelling instead)."""

    table: str
    name: str
    keys: tuple[IndexKeySql, ...]
    unique: bool = False
    method: str | None = None
    include: tuple[str, ...] = ()
    predicate: str | None = None
    schema: str | None = None
    concurrently: bool = True


# -- renames ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RenameCandidate:
    """`old` went away and `new` appeared in its place: `kind` is `table`, `column` or
    `enum_value`; `parent` is the table (for a column) or enum (for a value). `certain` when
    the ORM name ties them (`@map`/`@@map` changed)."""

    kind: Literal["table", "column", "enum_value"]
    old: str
    new: str
    parent: str | None = None
    certain: bool = False
    span: Span | None = None

    @property
    def label(self) -> str:
        where = f"{self.parent}." if self.parent else ""
        return f"{where}{self.old} -> {where}{self.new}"


RenameChoice = (
    Mapping[tuple[str, str | None, str, str], bool]
    | Mapping[str, bool]
    | Iterable[RenameCandidate]
    | bool
    | None
)


@dataclass(frozen=True, slots=True)
class Plan:
    """What `diff` returns: the operations to run, the dialect they are for, and the rename
    candidates found (with whether each was taken)."""

    operations: tuple[Operation, ...]
    provider: str
    renames: tuple[RenameCandidate, ...] = ()
    taken: tuple[RenameCandidate, ...] = ()

    def __iter__(self):
        return iter(self.operations)

    def __len__(self) -> int:
        return len(self.operations)

    @property
    def is_empty(self) -> bool:
        return not self.operations

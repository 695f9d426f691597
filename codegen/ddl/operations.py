"""The operations a migration is made of: frozen data, one class per kind of change.

This module is the one operation vocabulary. `codegen.ddl.diff.diff` returns these operations in
the order to run them; the safe plan (`codegen.ddl.safe`) and the migration rules' fixes write
them; `codegen.emit` renders them and never compares schemas itself; and the migration replay
(`server.migrations.sql.*`) reads the same classes from SQL and applies them
(`server.migrations.apply`). `codegen.ddl.statements` adds only what the replay alone reads
(`DropObjects`, `Comment`, `Pragma`, the ALTER TABLE clauses `diff` never computes, ...).

An operation carries what its SQL needs: the definitions below (`TableDef`, `ColumnDef`,
`IndexDef`, ...) are the database's view of a table, column or index, the same whichever side
(declared, migrated or read from a statement) it came from. Where the two differ, each field
says which: `diff` renders a default to SQL (`DefaultDef.sql`) and points `span` at what
declared it; the replay keeps the dialect's parse node (`DefaultDef.raw`, `IndexDef.predicate`,
`IndexPart.raw`) and renders it when it is applied, because how it prints depends on the state
then.

A table is named by `table` (or `old`) and `schema` (None: the default schema); `qname` gives
the replay's `(schema, name)`. Changes to one table that run as one `ALTER TABLE` are
`TableChange`s inside an `AlterTable`, in order: `AddColumn`, `DropColumn`, `AlterColumnType`,
`SetNotNull`, ... A rename (`RenameTable`, `RenameColumn`, `RenameIndex`), `CreateIndex`,
`DropIndex` and `AddConstraint` are an operation on their own and a clause of an `AlterTable` too
(MySQL's `ALTER TABLE t ADD INDEX`, `RENAME INDEX`; a foreign key `diff` adds after the tables).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from schemasense.codegen.dialects.sql_type import SqlType
from schemasense.codegen.schema import Span

QName = tuple[str | None, str]
"""A database object's (schema, name); schema None means the default schema."""

# -- the objects operations carry ---------------------------------------------------------------

DefaultKindName = Literal[
    "value", "now", "sequence", "dbgenerated", "dbgenerated_empty", "expression"
]

Offsets = tuple[int, int]
"""Character offsets `[start, end)` in a migration statement's text (what the replay reads)."""

Where = Span | Offsets
"""Where a definition came from: a declared source's `Span` (diff), or the offsets of the
clause in a migration's text (the replay)."""

ReferentialAction = Literal["Cascade", "Restrict", "NoAction", "SetNull", "SetDefault"]
ConstraintKind = Literal["primary_key", "unique", "foreign_key", "check", "exclude", "not_null"]


@dataclass(frozen=True, slots=True)
class DefaultDef:
    """A column default in the database: its `kind` and the SQL after `DEFAULT` (`sql`, None
    where nothing is written: a sequence, an empty `dbgenerated()`).

    The replay reads a default as the dialect parsed it and renders it only when it is
    applied (how it prints depends on the column's type then): that is kind `expression`,
    the parse node in `raw` and no `sql` (`DefaultDef.parsed`)."""

    kind: DefaultKindName
    sql: str | None = None
    sequence: str | None = None
    """For a `sequence` default: the sequence's name (PostgreSQL)."""
    raw: Any = None
    """For an `expression` default: the dialect's parse node (or text) of the expression."""

    @staticmethod
    def parsed(raw: Any) -> DefaultDef | None:
        """The default a migration statement wrote (`raw`, its parse node), or None."""
        return None if raw is None else DefaultDef("expression", raw=raw)


@dataclass(frozen=True, slots=True)
class IndexPart:
    """A key part of an index or key: a column (`column`), or an expression, as the replay
    reads it (`raw`, the dialect's parse node, rendered when applied) or as `diff` computes
    it (`expression`, its SQL text)."""

    column: str | None = None
    raw: Any = None
    sort: Literal["asc", "desc"] | None = None
    nulls: Literal["first", "last"] | None = None
    ops: str | None = None
    length: int | None = None
    collation: str | None = None
    expression: str | None = None

    @property
    def name(self) -> str:
        """The column's name, or the expression's SQL text (`diff`'s parts)."""
        return self.column if self.column is not None else (self.expression or "")


@dataclass(frozen=True, slots=True)
class ConstraintDef:
    """A constraint as a migration statement wrote it (inline on a column, in a table's
    definition, or added by `ALTER TABLE`)."""

    kind: ConstraintKind
    name: str | None = None
    columns: tuple[IndexPart, ...] = ()
    include: tuple[str, ...] = ()
    ref_table: QName | None = None
    ref_columns: tuple[str, ...] = ()
    on_delete: ReferentialAction = "NoAction"
    on_update: ReferentialAction = "NoAction"
    not_valid: bool = False
    raw: Any = None
    """A check's expression."""
    using_index: str | None = None
    """`UNIQUE USING INDEX index` (PostgreSQL): an index built before becomes the constraint."""
    method: str | None = None
    span: Where | None = None
    """The clause's offsets (the replay), or what declared it (`diff`'s foreign keys)."""
    not_null_of: str | None = None
    """A check that the column named here `IS NOT NULL` (what the safe plan writes: its
    expression is that, `raw` None). The replay keeps such a check's expression in `raw`."""

    @staticmethod
    def foreign_key(fk: ForeignKeyDef, *, not_valid: bool = False) -> ConstraintDef:
        """A foreign key of a table `diff` compares, as the constraint an `AddConstraint`
        adds (`as_foreign_key` gives it back)."""
        return ConstraintDef(
            "foreign_key",
            fk.name,
            tuple(IndexPart(c) for c in fk.columns),
            ref_table=(fk.referenced_schema, fk.referenced_table),
            ref_columns=fk.referenced_columns,
            on_delete=fk.on_delete,  # type: ignore[arg-type] - the same action names
            on_update=fk.on_update,  # type: ignore[arg-type]
            not_valid=not_valid,
            span=fk.span,
        )

    def as_foreign_key(self) -> ForeignKeyDef:
        """A foreign key constraint in the form a table's definition holds it (what the
        renderers write inside CREATE TABLE and after it)."""
        schema, table = self.ref_table or (None, "")
        return ForeignKeyDef(
            self.name,
            tuple(p.column or "" for p in self.columns),
            table,
            self.ref_columns,
            self.on_delete,
            self.on_update,
            schema,
            self.span if isinstance(self.span, Span) else None,
        )


@dataclass(frozen=True, slots=True)
class ColumnDef:
    """A column: what `diff` computes from a schema (`default` rendered to SQL, `span` and
    `field_name` the declared field's) and what the replay reads from a migration statement
    (`default` the parse node, inline constraints, identity, MySQL's position, `span` the
    clause's offsets)."""

    name: str
    type: SqlType
    nullable: bool = True
    default: DefaultDef | None = None
    autoincrement: bool = False
    span: Where | None = None
    field_name: str | None = None
    nullable_explicit: bool = False
    """`NULL` written out (MySQL's CHANGE/MODIFY keep it apart from saying nothing)."""
    identity: Literal["always", "by default"] | None = None
    generated: Any = None
    """A generated column's expression (the dialect's parse node or text)."""
    constraints: tuple[ConstraintDef, ...] = ()
    """Inline constraints (PRIMARY KEY, UNIQUE, REFERENCES, CHECK), already with `columns`."""
    comment: str | None = None
    position: tuple[str, str | None] | None = None
    """MySQL's `FIRST` (`("first", None)`) or `AFTER x` (`("after", "x")`)."""

    @property
    def not_null(self) -> bool:
        return not self.nullable

    @property
    def arity(self) -> str:
        return "list" if self.type.array else "nullable" if self.nullable else "required"


@dataclass(frozen=True, slots=True)
class IndexDef:
    """An index: what `diff` computes (`predicate` its SQL text) and what the replay reads
    (`name` None where the statement gave none, `predicate` the dialect's parse node)."""

    name: str | None
    columns: tuple[IndexPart, ...] = ()
    unique: bool = False
    method: str | None = None
    """`GIN`, `GIST`, `HASH`, `SPGIST`, `BRIN`, `FULLTEXT`; None for a B-tree."""
    predicate: Any = None
    include: tuple[str, ...] = ()
    span: Where | None = None
    constraint: bool = False
    """A UNIQUE constraint rather than a unique index (the schema's `uniques`): TypeORM writes
    `CONSTRAINT ... UNIQUE` for those; Prisma's renderers write a unique index either way, and
    indexes pair without it (`diff.indexes_match`)."""

    @property
    def fulltext(self) -> bool:
        """MySQL's `FULLTEXT` index (`method`, as `diff` and the replay both spell it)."""
        return (self.method or "").upper() == "FULLTEXT"


@dataclass(frozen=True, slots=True)
class PrimaryKeyDef:
    name: str | None
    columns: tuple[IndexPart, ...]
    span: Span | None = None

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.column or "" for c in self.columns)


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
    constraints: tuple[ConstraintDef, ...] = ()
    """Table constraints as a migration statement wrote them (the replay; `diff` fills
    `primary_key`, `indexes` and `foreign_keys` instead)."""

    @property
    def qname(self) -> QName:
        return (self.schema, self.name)

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
class RenameEnum(Operation):
    """`ALTER TYPE name RENAME TO new` (PostgreSQL): an enum type named after its table
    (TypeORM's `<table>_<column>_enum`) follows the table's rename, keeping every row's value
    where a drop and create would lose them. `source` is what declared it, where known."""

    name: QName
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
    """`CREATE TABLE`: the table (`diff` fills its keys and indexes; the replay its columns
    and `constraints` as written); `as_select` for `CREATE TABLE ... AS SELECT` (no
    columns known)."""

    table: TableDef
    if_not_exists: bool = False
    as_select: bool = False

    @property
    def span(self) -> Span | None:
        span = self.table.span
        return span if isinstance(span, Span) else None

    @property
    def qname(self) -> QName:
        return self.table.qname

    @property
    def columns(self) -> tuple[ColumnDef, ...]:
        return self.table.columns

    @property
    def constraints(self) -> tuple[ConstraintDef, ...]:
        return self.table.constraints


@dataclass(frozen=True, slots=True)
class DropTable(Operation):
    """`DROP TABLE name` (a statement that drops several tables is one `DropTable` each);
    `table` is the whole table dropped, where known (`diff`)."""

    name: str
    schema: str | None = None
    if_exists: bool = False
    cascade: bool = False
    table: TableDef | None = None

    @property
    def qname(self) -> QName:
        return (self.schema, self.name)

    @property
    def span(self) -> Span | None:
        return self.table.span if self.table is not None else None

    @property
    def loses_data(self) -> str | None:
        return (
            f"You are about to drop the `{self.name}` table. If the table is not empty, "
            "all the data it contains will be lost."
        )


# Changes inside one ALTER TABLE


@dataclass(frozen=True, slots=True)
class TableChange:
    """Base of a change inside one `ALTER TABLE` (an `AlterTable`'s `changes`, in order):
    what `diff` computes and what the replay reads from the statement's clauses. A few
    (renames, `DropIndex`) are operations on their own too."""

    @property
    def kind(self) -> str:
        return type(self).__name__

    @property
    def span(self) -> Span | None:
        return None


@dataclass(frozen=True, slots=True)
class RenameTable(Operation, TableChange):
    """`ALTER TABLE old RENAME TO new` (on its own, or a clause of an `AlterTable`)."""

    old: str
    new: str
    schema: str | None = None
    sequences: tuple[tuple[str, str], ...] = ()
    """Serial sequences to rename with it (old name, new name), PostgreSQL."""
    source: Span | None = None
    if_exists: bool = False

    @property
    def span(self) -> Span | None:
        return self.source

    @property
    def qname(self) -> QName:
        return (self.schema, self.old)


@dataclass(frozen=True, slots=True)
class AddColumn(TableChange):
    """`ADD COLUMN`: the column (`diff`'s, the replay's). `source` is the whole column as SQL
    text, kept as written where a fix must keep it byte for byte (SQLite keeps a column's text
    in its table's SQL; DB242's fix moves the user's own column, DB209's adds a column of the
    type the user wrote): it is rendered as is after `ADD COLUMN`, in place of the column's
    definition in Prisma's spelling."""

    column: ColumnDef
    if_not_exists: bool = False
    source: str | None = None


@dataclass(frozen=True, slots=True)
class DropColumn(TableChange):
    """The column `name` dropped; `column` is its definition where known (`diff`)."""

    name: str
    column: ColumnDef | None = None
    if_exists: bool = False
    cascade: bool = False


@dataclass(frozen=True, slots=True)
class AlterColumnType(TableChange):
    """The column `name` gets `type` (`using` the replay's conversion expression). `diff`
    fills the whole column `before` and `after`, and whether the cast is `risky`."""

    name: str
    type: SqlType
    using: Any = None
    before: ColumnDef | None = None
    after: ColumnDef | None = None
    cast: Literal["safe", "risky"] = "safe"


@dataclass(frozen=True, slots=True)
class SetNotNull(TableChange):
    """`ALTER COLUMN name SET NOT NULL`; `column` is the whole column after, where known
    (`diff`; the replay reads the name only)."""

    name: str
    column: ColumnDef | None = None
    checked_by: str | None = None
    """A validated `CHECK (name IS NOT NULL)` proves it (the safe plan's contract step): no
    scan, and nothing to warn about, as the `VALIDATE` before it fails where a NULL is left."""


@dataclass(frozen=True, slots=True)
class DropNotNull(TableChange):
    """`ALTER COLUMN name DROP NOT NULL`; `column` as for `SetNotNull`."""

    name: str
    column: ColumnDef | None = None


@dataclass(frozen=True, slots=True)
class SetDefault(TableChange):
    """`ALTER COLUMN name SET DEFAULT`: `default` as `diff` renders it (`DefaultDef.sql`) or as
    the replay reads it (`DefaultDef.parsed`); `column` / `before` the whole column after /
    before, where known (`diff`)."""

    name: str
    default: DefaultDef
    column: ColumnDef | None = None
    before: ColumnDef | None = None


@dataclass(frozen=True, slots=True)
class DropDefault(TableChange):
    """`ALTER COLUMN name DROP DEFAULT`; `drop_sequence` the serial sequence `diff` drops
    after it."""

    name: str
    column: ColumnDef | None = None
    drop_sequence: str | None = None


@dataclass(frozen=True, slots=True)
class AddSequence(TableChange):
    """The column becomes auto-increment (PostgreSQL: a sequence as its default)."""

    column: ColumnDef


@dataclass(frozen=True, slots=True)
class ModifyColumn(TableChange):
    """MySQL's `MODIFY` (`after.name` = `name`) and `CHANGE` (a rename too): the column `name`
    defined again, whole, as `after`; `before` is the whole column before, where known
    (`diff`)."""

    name: str
    after: ColumnDef
    before: ColumnDef | None = None


@dataclass(frozen=True, slots=True)
class DropAndRecreateColumn(TableChange):
    """A type the database cannot cast: the column is dropped and added again (its data is
    lost)."""

    before: ColumnDef
    after: ColumnDef


@dataclass(frozen=True, slots=True)
class RenameConstraint(TableChange):
    """`RENAME CONSTRAINT name TO new_name`; `kind` (primary_key, foreign_key) where known
    (`diff`) names its step."""

    name: str
    new_name: str
    kind: str | None = None


@dataclass(frozen=True, slots=True)
class DropConstraint(TableChange):
    """`DROP CONSTRAINT name` (MySQL: `DROP FOREIGN KEY`, `DROP PRIMARY KEY`, ...): `kind` is
    None (any) where the statement does not say, else primary_key, foreign_key, check, unique;
    the safe plan drops its NOT NULL check so, once it has done its work."""

    name: str | None
    kind: str | None = None
    if_exists: bool = False
    cascade: bool = False


@dataclass(frozen=True, slots=True)
class ValidateConstraint(TableChange):
    """`VALIDATE CONSTRAINT name`: a foreign key or check added `NOT VALID` checks the existing
    rows under a lock that blocks neither reads nor writes (the safe plan writes it; `kind`,
    foreign_key or check, where known, names its step)."""

    name: str
    kind: str | None = None


@dataclass(frozen=True, slots=True)
class AddConstraint(Operation, TableChange):
    """`ALTER TABLE table ADD [CONSTRAINT name] ...`, every kind of constraint: a clause of an
    `AlterTable` (what the replay reads; a primary key `diff` adds), or an operation on its own
    naming its `table` (a foreign key `diff` adds, after the tables; the safe plan's NOT NULL
    check, `ConstraintDef.not_null_of`, and its unique constraint on an index built before,
    `ConstraintDef.using_index`). `comment` is a note written above it (why it is there)."""

    constraint: ConstraintDef
    table: str | None = None
    schema: str | None = None
    comment: str | None = None

    @property
    def span(self) -> Span | None:
        span = self.constraint.span
        return span if isinstance(span, Span) else None

    @property
    def qname(self) -> QName:
        return (self.schema, self.table or "")


@dataclass(frozen=True, slots=True)
class AlterTable(Operation):
    """Changes to one table, run as one statement where the dialect can (Prisma's
    `AlterTable`). `table` is its name when it runs; `after` the whole table after."""

    table: str
    changes: tuple[TableChange, ...]
    after: TableDef | None = None
    before: TableDef | None = None
    schema: str | None = None
    if_exists: bool = False

    @property
    def qname(self) -> QName:
        return (self.schema, self.table)

    @property
    def span(self) -> Span | None:
        for change in self.changes:
            column = getattr(change, "column", None) or getattr(change, "after", None)
            if isinstance(column, ColumnDef) and isinstance(column.span, Span):
                return column.span
        return self.after.span if self.after is not None else None

    @property
    def loses_data(self) -> str | None:
        reasons = []
        for change in self.changes:
            if isinstance(change, DropColumn):
                reasons.append(
                    f"You are about to drop the column `{change.name}` on the "
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
                name = change.name
                reasons.append(
                    f"You are about to alter the column `{name}` on the `{self.table}` "
                    "table. The data in that column could be lost."
                )
            elif isinstance(change, SetNotNull) and change.checked_by is None:
                reasons.append(
                    f"Made the column `{change.name}` on table `{self.table}` required; "
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
class RenameColumn(Operation, TableChange):
    """`RENAME COLUMN old TO new` on `table` (on its own, or a clause of an `AlterTable`)."""

    table: str
    old: str
    new: str
    schema: str | None = None
    source: Span | None = None

    @property
    def span(self) -> Span | None:
        return self.source

    @property
    def qname(self) -> QName:
        return (self.schema, self.table)


@dataclass(frozen=True, slots=True)
class CreateIndex(Operation, TableChange):
    """An index created on `table`: on its own (`CREATE INDEX`), or MySQL's `ALTER TABLE t ADD
    INDEX | UNIQUE | FULLTEXT ...` clause of an `AlterTable` (and an index inside MySQL's
    `CREATE TABLE`, which the replay reads as that clause after the table)."""

    table: str
    index: IndexDef
    schema: str | None = None
    concurrently: bool = False
    if_not_exists: bool = False
    printed: bool = False
    """Written as PostgreSQL prints an index (`pg_get_indexdef`: the method as the database names
    it, `USING gin(...)`, an expression key in parentheses, `NULLS FIRST`, the predicate as
    printed) rather than in Prisma's spelling: what a fix writes that builds again an index
    the migrations made, from the replay's text of it (DB209's column swap)."""

    @property
    def span(self) -> Span | None:
        span = self.index.span
        return span if isinstance(span, Span) else None

    @property
    def qname(self) -> QName:
        return (self.schema, self.table)


@dataclass(frozen=True, slots=True)
class DropIndex(Operation, TableChange):
    """An index dropped from `table` (on its own, or MySQL's `ALTER TABLE t DROP INDEX i`
    clause, where `index` carries only the name). A migration's `DROP INDEX` may not name the
    table (PostgreSQL, SQLite: `table` None; MySQL's `DROP INDEX i ON t` does); a statement that
    drops several indexes is one `DropIndex` each."""

    table: str | None
    index: IndexDef
    schema: str | None = None
    concurrently: bool = False
    if_exists: bool = False
    cascade: bool = False

    @property
    def name(self) -> str | None:
        return self.index.name

    @property
    def qname(self) -> QName:
        return (self.schema, self.table or "")


@dataclass(frozen=True, slots=True)
class RenameIndex(Operation, TableChange):
    """An index renamed (on its own, or MySQL's `ALTER TABLE t RENAME INDEX a TO b`);
    PostgreSQL's `ALTER INDEX a RENAME TO b` does not name the table (`table` None)."""

    table: str | None
    old: str
    new: str
    schema: str | None = None
    index: IndexDef | None = None
    if_exists: bool = False

    @property
    def span(self) -> Span | None:
        span = self.index.span if self.index else None
        return span if isinstance(span, Span) else None

    @property
    def qname(self) -> QName:
        return (self.schema, self.table or "")


@dataclass(frozen=True, slots=True)
class RedefineIndex(Operation):
    """An index whose name changed where indexes cannot be renamed (SQLite): dropped and
    created again."""

    table: str
    before: IndexDef
    after: IndexDef


@dataclass(frozen=True, slots=True)
class SetLockTimeout(Operation):
    """`SET [LOCAL] lock_timeout`: the statements after it give up on a lock after `value`
    instead of queueing every query on the table behind them. `local` lasts until the
    transaction ends (a runner that wraps the file in one)."""

    value: str
    local: bool = True


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


# -- the column-swap plan -------------------------------------------------------------------------
#
# What DB209's fix writes besides the one vocabulary's changes (its new column is an `AddColumn`
# with its `source`, its indexes `CreateIndex(printed=True)`): the expand / backfill / contract of
# a type change (a new column kept in step by a trigger, filled in batches, swapped in under a
# brief lock). A type here is the SQL text the database would print (`numeric(10,2)`).


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

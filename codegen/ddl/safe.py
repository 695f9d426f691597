"""The safe plan: changes to an existing PostgreSQL table made in steps that each hold the heavy
locks briefly. It is written once, here, as operations: `generate migration --safe` splits a
whole diff with `safe_plan`, and the migration-safety rules' fixes write one statement's steps
with the same pieces (`not_null_through_check`, `validate_later`, `unique_through_index`,
`lock_timeout`). `codegen.emit.sql` renders them.

- an index on an existing table is built `CONCURRENTLY` (and dropped so), each in a migration of
  its own, since `CONCURRENTLY` cannot run inside the transaction a migration file runs in
  (a unique index a new foreign key needs, and an index that goes with its table or columns,
  stay in the first migration);
- a foreign key on an existing table is added `NOT VALID` (no scan under the lock) and
  validated in a later migration (`VALIDATE CONSTRAINT` takes a weaker lock);
- `SET NOT NULL` on an existing column is expand/contract: a `CHECK (... IS NOT NULL) NOT
  VALID` first, then (later) `VALIDATE`, `SET NOT NULL` (which uses the validated check instead
  of scanning) and the check dropped; a new required column without a default is added as
  nullable and made required the same way, after a backfill the script asks for;
- a unique constraint is a unique index built `CONCURRENTLY`, then attached (`USING INDEX`);
- values added to an enum go one per migration (PostgreSQL 11 and older cannot add two in one
  transaction);
- a step that locks an existing table starts with `SET LOCAL lock_timeout = '5s'`, so it gives
  up rather than queue every query on the table behind it;
- a column's type changed without rewriting the table under its lock (`column_type_change`,
  DB209's fix): expand (a new column kept in step by a trigger), backfill in batches, build its
  indexes `CONCURRENTLY`, contract (swap the columns in under a brief lock).

Run in order, the safe migrations build the same catalog as the plain one.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from schemasense.codegen.ddl.operations import (
    AddColumn,
    AddConstraint,
    AlterEnum,
    AlterEnumAddValue,
    AlterTable,
    BackfillColumn,
    ColumnConversion,
    ColumnDef,
    ConstraintDef,
    CreateIndex,
    CreateTable,
    DefaultDef,
    DropAndRecreateColumn,
    DropColumn,
    DropConstraint,
    DropIndex,
    DropSyncTrigger,
    DropTable,
    IndexDef,
    IndexPart,
    LockTable,
    Operation,
    Plan,
    RenameColumn,
    RenameIndex,
    SetDefault,
    SetLockTimeout,
    SetNotNull,
    SyncColumnTrigger,
    TableChange,
    ValidateConstraint,
)
from schemasense.codegen.dialects import get_dialect
from schemasense.codegen.dialects.sql_type import SqlType

LOCK_TIMEOUT = "5s"
"""How long a safe step waits for a lock before it gives up (the DB222 rule's advice)."""


@dataclass(frozen=True, slots=True)
class SafeStep:
    """One migration of the safe plan: `suffix` names it after the main one (`""` for the main
    migration, `concurrent_index_1`, `validate_foreign_keys`, ...); `note` says why it is a
    migration of its own."""

    suffix: str
    operations: tuple[Operation, ...]
    note: str | None = None


# -- the pieces (each a change to one existing table, made safe) ----------------------------------


def not_null_check_name(table: str, column: str) -> str:
    """The check that proves `column` NOT NULL (63 bytes at most, PostgreSQL's limit)."""
    return f"{table}_{column}_not_null"[:63]


def not_null_through_check(
    table: str, column: str, schema: str | None = None, *, comment: str | None = None
) -> tuple[AddConstraint, tuple[Operation, ...]]:
    """`SET NOT NULL` without a scan under the lock: the check to add now (`NOT VALID`), and
    what runs in a later migration: validate it, set NOT NULL (the check proves it), drop it."""
    check = not_null_check_name(table, column)
    now = not_null_check(table, check, column, schema, comment=comment)
    later = (
        AlterTable(table, (ValidateConstraint(check, "check"),), schema=schema),
        AlterTable(table, (SetNotNull(column, checked_by=check),), schema=schema),
        AlterTable(table, (DropConstraint(check, "check"),), schema=schema),
    )
    return now, later


def not_null_check(
    table: str, name: str, column: str, schema: str | None = None, *, comment: str | None = None
) -> AddConstraint:
    """`ADD CONSTRAINT name CHECK (column IS NOT NULL) NOT VALID`: once validated it proves the
    column holds no NULL, so `SET NOT NULL` (`SetNotNull.checked_by`) needs no scan."""
    constraint = ConstraintDef("check", name, not_valid=True, not_null_of=column)
    return AddConstraint(constraint, table, schema, comment)


def validate_later(
    table: str, name: str, schema: str | None = None, *, check: bool = False
) -> AlterTable:
    """What a later migration runs for a foreign key (or a `check`) added `NOT VALID` now."""
    kind = "check" if check else "foreign_key"
    return AlterTable(table, (ValidateConstraint(name, kind),), schema=schema)


def unique_through_index(
    table: str, name: str, columns: tuple[str, ...], schema: str | None = None
) -> tuple[CreateIndex, AddConstraint]:
    """A unique constraint without holding the lock while its index is built: the index
    `CONCURRENTLY` (a migration of its own), then the constraint on it (the next one)."""
    index = IndexDef(name, tuple(IndexPart(c) for c in columns), unique=True)
    return (
        CreateIndex(table, index, schema, concurrently=True),
        AddConstraint(ConstraintDef("unique", name, using_index=name), table, schema),
    )


# -- a column's type changed without a rewrite under the lock -------------------------------------

BATCH_ROWS = 10_000
"""Rows the type change's backfill updates per committed batch."""


def object_name(name: str, suffix: str = "") -> str:
    """A PostgreSQL name of at most 63 bytes, ending with `suffix`."""
    room = 63 - len(suffix.encode())
    head = name.encode()[:room].decode(errors="ignore")
    return head + suffix


@dataclass(frozen=True, slots=True)
class IndexOnColumn:
    """An index on the column whose type changes, as the database holds it (its keys, method
    and predicate as SQL text): it is built again on the new column."""

    name: str
    keys: tuple[IndexPart, ...]
    unique: bool = False
    method: str | None = None
    include: tuple[str, ...] = ()
    predicate: str | None = None


@dataclass(frozen=True, slots=True)
class ColumnTypeChange:
    """What the plan needs to know of a column whose type changes (read from the migrations by
    the caller): the table (`row`: the name its rows go by in `using`), the column, its new
    type and conversion (`using`, SQL over the row), whether it is NOT NULL, its default (SQL),
    the primary key the backfill walks and the indexes on the column."""

    table: str
    column: str
    type: str
    key: tuple[str, ...]
    schema: str | None = None
    row: str | None = None
    using: str | None = None
    not_null: bool = False
    default: str | None = None
    indexes: tuple[IndexOnColumn, ...] = ()


@dataclass(frozen=True, slots=True)
class TypeChangePlan:
    """The migrations of a type change, in order: `expand` (now, in place of the statement;
    `check` goes with it where no `USING` must be backfilled first, else in a migration of its
    own after the backfill), `backfill` (alone in its file: its `COMMIT`s need no transaction
    block), one `CREATE INDEX CONCURRENTLY` per index, `contract`."""

    new: str
    """The new column's name while both exist."""
    expand: tuple[Operation, ...]
    check: AddConstraint | None
    check_in_expand: bool
    backfill: BackfillColumn
    indexes: tuple[CreateIndex, ...]
    contract: tuple[Operation, ...]


def column_type_change(change: ColumnTypeChange) -> TypeChangePlan:
    """Expand, backfill, contract: the column's type changed without the table rewritten under
    an `ACCESS EXCLUSIVE` lock (what `ALTER COLUMN ... TYPE` does)."""
    t, old, schema = change.table, change.column, change.schema
    new = f"{old}_new"
    base = f"{change.row or t}_{old}_new"
    sync, check_name = object_name(f"{base}_sync"), object_name(f"{base}_not_null")
    conversion = ColumnConversion(old, change.type, change.using, change.row)
    column = ColumnDef(new, SqlType(native=change.type))
    postgresql = get_dialect("postgresql")
    assert postgresql is not None
    source = f"{postgresql.quote(new)} {change.type}"  # the type as the user wrote it
    expand = (
        AlterTable(t, (AddColumn(column, source=source),), schema=schema),
        SyncColumnTrigger(t, new, conversion, sync, schema),
    )
    check = not_null_check(t, check_name, new, schema) if change.not_null else None
    backfill = BackfillColumn(t, new, conversion, change.key, BATCH_ROWS, schema)

    def renamed(name: str) -> str:
        return new if name == old else name

    indexes = tuple(
        CreateIndex(
            t,
            IndexDef(
                object_name(index.name, "_new"),
                tuple(replace(k, column=renamed(k.column)) if k.column else k for k in index.keys),
                unique=index.unique,
                method=index.method,
                include=tuple(renamed(c) for c in index.include),
                predicate=index.predicate,
            ),
            schema,
            concurrently=True,
            printed=True,
        )
        for index in change.indexes
    )
    contract: list[Operation] = []
    if check is not None:
        contract.append(AlterTable(t, (ValidateConstraint(check_name, "check"),), schema=schema))
    contract += [
        LockTable(t, "ACCESS EXCLUSIVE", schema),
        DropSyncTrigger(t, sync, schema),
        AlterTable(t, (DropColumn(old),), schema=schema),
        RenameColumn(t, new, old, schema),
    ]
    if check is not None:
        contract += [
            AlterTable(t, (SetNotNull(old, checked_by=check_name),), schema=schema),
            AlterTable(t, (DropConstraint(check_name, "check"),), schema=schema),
        ]
    if change.default is not None:
        default = DefaultDef("value", change.default)
        contract.append(AlterTable(t, (SetDefault(old, default),), schema=schema))
    for index, built in zip(change.indexes, indexes, strict=True):
        contract.append(RenameIndex(t, built.index.name or "", index.name, schema))
    return TypeChangePlan(
        new,
        expand,
        check,
        check is not None and change.using is None,
        backfill,
        indexes,
        tuple(contract),
    )


def lock_timeout(*, local: bool = True) -> SetLockTimeout:
    """`SET [LOCAL] lock_timeout` to the plan's value (`local` where the runner wraps the file
    in a transaction)."""
    return SetLockTimeout(LOCK_TIMEOUT, local)


# -- a whole diff ---------------------------------------------------------------------------------


def safe_plan(plan: Plan) -> tuple[SafeStep, ...]:
    """`plan` split into migrations that each hold strong locks briefly (module docstring); the
    first is the main one, always there (perhaps empty)."""
    created = {op.table.name for op in plan.operations if isinstance(op, CreateTable)}
    dropped_tables = {op.name for op in plan.operations if isinstance(op, DropTable)}
    dropped_columns = {
        (op.table, change.name if isinstance(change, DropColumn) else change.before.name)
        for op in plan.operations
        if isinstance(op, AlterTable)
        for change in op.changes
        if isinstance(change, DropColumn | DropAndRecreateColumn)
    }
    referenced = {
        (op.constraint.ref_table[1], op.constraint.ref_columns)
        for op in plan.operations
        if isinstance(op, AddConstraint) and op.constraint.ref_table is not None
    }
    main: list[Operation] = []
    later: list[SafeStep] = []
    validate: list[Operation] = []
    contract: list[Operation] = []
    n_index = 0
    for op in plan.operations:
        columns = (
            tuple(c.name for c in op.index.columns)
            if isinstance(op, CreateIndex | DropIndex)
            else ()
        )
        if (
            isinstance(op, CreateIndex)
            and op.table not in created
            and not (op.index.unique and (op.table, columns) in referenced)
        ):
            n_index += 1
            note = (
                f"CREATE INDEX CONCURRENTLY does not block writes to {op.table}; it cannot run "
                "in a transaction, so it is a migration of its own."
            )
            ops = (replace(op, concurrently=True),)
            later.append(SafeStep(f"concurrent_index_{n_index}", ops, note))
        elif (
            isinstance(op, DropIndex)
            and op.table not in dropped_tables
            and not any((op.table, c) in dropped_columns for c in columns)
        ):
            n_index += 1
            note = "DROP INDEX CONCURRENTLY does not block the table."
            ops = (replace(op, concurrently=True),)
            later.append(SafeStep(f"drop_index_{n_index}", ops, note))
        elif (
            isinstance(op, AddConstraint)
            and op.constraint.kind == "foreign_key"
            and op.table not in created
        ):
            main.append(replace(op, constraint=replace(op.constraint, not_valid=True)))
            validate.append(validate_later(op.table or "", op.constraint.name or "", op.schema))
        elif isinstance(op, AlterEnum) and op.added and not op.dropped and len(op.added) > 1:
            enum = (op.enum.schema, op.enum.name)
            main.append(AlterEnumAddValue(enum, op.added[0]))
            note = "PostgreSQL 11 and older add one enum value per transaction."
            for i, value in enumerate(op.added[1:], start=2):
                ops = (AlterEnumAddValue(enum, value),)
                later.append(SafeStep(f"enum_value_{i}", ops, note))
        elif isinstance(op, AlterTable) and op.table not in created:
            changes, checks, contracted = _expand(op)
            if changes:
                main.append(replace(op, changes=tuple(changes)))
            main.extend(checks)
            contract.extend(contracted)
        else:
            main.append(op)
    steps = [SafeStep("", _with_lock_timeout(main, created))]
    steps.extend(later)
    if validate:
        note = "VALIDATE CONSTRAINT checks the existing rows without blocking writes."
        steps.append(SafeStep("validate_foreign_keys", _with_lock_timeout(validate, created), note))
    if contract:
        note = (
            "Backfill the new required columns before this runs; SET NOT NULL then uses the "
            "validated CHECK instead of scanning the table."
        )
        steps.append(SafeStep("set_not_null", _with_lock_timeout(contract, created), note))
    return tuple(steps)


def _with_lock_timeout(ops: list[Operation], created: set[str]) -> tuple[Operation, ...]:
    """`SET LOCAL lock_timeout` first where a step locks a table that exists already, so it
    gives up instead of queueing every query behind it (`LOCAL`: the migration runs in its
    runner's transaction)."""
    touches = any(
        isinstance(op, DropTable) or getattr(op, "table", None) not in created | {None}
        for op in ops
        if not isinstance(op, CreateTable)
    )
    if not ops or not touches:
        return tuple(ops)
    return (lock_timeout(), *ops)


def _expand(op: AlterTable) -> tuple[list[TableChange], list[Operation], list[Operation]]:
    """An ALTER TABLE with its NOT NULL changes made expand/contract: the changes to run now,
    the `CHECK ... NOT VALID` to add now, and what makes the columns required later."""
    now: list[TableChange] = []
    checks: list[Operation] = []
    later: list[Operation] = []
    for change in op.changes:
        if isinstance(change, SetNotNull):
            column = change.name
        elif (
            isinstance(change, AddColumn)
            and not change.column.nullable
            and not change.column.type.array
            and (change.column.default is None or change.column.default.sql is None)
            and not change.column.autoincrement
        ):
            now.append(AddColumn(replace(change.column, nullable=True)))
            column = change.column.name
        else:
            now.append(change)
            continue
        comment = f"{op.table}.{column} becomes required in a later migration"
        check, contracted = not_null_through_check(op.table, column, op.schema, comment=comment)
        checks.append(check)
        later.extend(contracted)
    return now, checks, later

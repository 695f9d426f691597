"""A migration: the operations from one schema to another, rendered up and down.

    m = generate(migrated, declared, name="add_avatar")
    m.up.text            # Prisma's SQL going up
    m.down.text          # the SQL that undoes it, with a comment where it loses data
    m.steps              # with safe=True: the migrations to run, in order (see below)

`down` is the diff the other way (`to` -> `from`), with the renames taken going up reversed,
so every up has its down. Going down drops what going up created; where that loses data
(a dropped column or table, a narrowed type, a value removed from an enum) the down script
opens with Prisma's "Warnings" block and says which.

Safe mode (`safe=True`, PostgreSQL) splits one migration into several that each hold the
heavy locks briefly, as the migration-safety rules advise:

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
- values added to an enum go one per migration (PostgreSQL 11 and older cannot add two in one
  transaction);
- a step that locks an existing table starts with `SET LOCAL lock_timeout = '5s'`, so it gives
  up rather than queue every query on the table behind it.

Run in order, the safe migrations build the same catalog as the plain one.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from schemasense.codegen.ddl.diff import diff, reverse_renames
from schemasense.codegen.ddl.operations import (
    AddColumn,
    AddForeignKey,
    AlterEnum,
    AlterEnumAddValue,
    AlterTable,
    CreateIndex,
    CreateTable,
    DropAndRecreateColumn,
    DropColumn,
    DropIndex,
    DropTable,
    Operation,
    Plan,
    RenameCandidate,
    RenameChoice,
    SetNotNull,
    SqlStatement,
    TableChange,
    ValidateForeignKey,
)
from schemasense.codegen.emit.sql.base import Script, render_sql
from schemasense.codegen.schema import Schema


@dataclass(frozen=True, slots=True)
class MigrationStep:
    """One migration file's worth: `suffix` names it after the main one (`""` for the main
    migration, `concurrent_index_1`, `validate`, ...)."""

    suffix: str
    up: Script
    down: Script | None = None
    note: str | None = None


@dataclass(frozen=True, slots=True)
class Migration:
    name: str
    provider: str
    plan: Plan
    up: Script
    down: Script
    steps: tuple[MigrationStep, ...]
    """The files to write, in order: one unless `safe` split it."""

    @property
    def is_empty(self) -> bool:
        return self.plan.is_empty

    @property
    def renames(self) -> tuple[RenameCandidate, ...]:
        return self.plan.renames

    @property
    def unsupported(self):
        return self.up.unsupported + self.down.unsupported


def generate(
    before: Schema,
    after: Schema,
    *,
    name: str = "migration",
    provider: str | None = None,
    renames: RenameChoice = None,
    safe: bool = False,
) -> Migration:
    """The migration from `before` (e.g. what the migrations replay to) to `after` (e.g. the
    declared schema), up and down; split for safety with `safe` (PostgreSQL)."""
    plan = diff(before, after, provider=provider, renames=renames)
    back = diff(after, before, provider=plan.provider, renames=reverse_renames(plan.taken) or False)
    up = render_sql(plan.operations, plan.provider)
    down = render_sql(back.operations, plan.provider)
    if safe and plan.provider == "postgresql":
        steps = safe_steps(plan, back)
    else:
        steps = (MigrationStep("", up, down),)
    return Migration(name, plan.provider, plan, up, down, steps)


# -- the safe mode -------------------------------------------------------------------------------


def safe_steps(plan: Plan, back: Plan) -> tuple[MigrationStep, ...]:
    """`plan` split into migrations that each hold strong locks briefly (module docstring)."""
    created = {op.table.name for op in plan.operations if isinstance(op, CreateTable)}
    dropped_tables = {op.table.name for op in plan.operations if isinstance(op, DropTable)}
    dropped_columns = {
        (op.table, change.column.name if isinstance(change, DropColumn) else change.before.name)
        for op in plan.operations
        if isinstance(op, AlterTable)
        for change in op.changes
        if isinstance(change, DropColumn | DropAndRecreateColumn)
    }
    referenced = {
        (op.foreign_key.referenced_table, op.foreign_key.referenced_columns)
        for op in plan.operations
        if isinstance(op, AddForeignKey)
    }
    main: list[Operation] = []
    later: list[tuple[str, list[Operation], str]] = []
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
            later.append((f"concurrent_index_{n_index}", [replace(op, concurrently=True)], note))
        elif (
            isinstance(op, DropIndex)
            and op.table not in dropped_tables
            and not any((op.table, c) in dropped_columns for c in columns)
        ):
            n_index += 1
            name = _qualified(op.index.name, op.schema)
            statement = SqlStatement(f"DROP INDEX CONCURRENTLY {name}", step="DropIndex")
            note = "DROP INDEX CONCURRENTLY does not block the table."
            later.append((f"drop_index_{n_index}", [statement], note))
        elif isinstance(op, AddForeignKey) and op.table not in created:
            main.append(replace(op, not_valid=True))
            validate.append(ValidateForeignKey(op.table, op.foreign_key.name or "", op.schema))
        elif isinstance(op, AlterEnum) and op.added and not op.dropped and len(op.added) > 1:
            main.append(AlterEnumAddValue(op.enum, op.added[0]))
            note = "PostgreSQL 11 and older add one enum value per transaction."
            for i, value in enumerate(op.added[1:], start=2):
                later.append((f"enum_value_{i}", [AlterEnumAddValue(op.enum, value)], note))
        elif isinstance(op, AlterTable) and op.table not in created:
            changes, checks, contracted = _expand(op)
            if changes:
                main.append(replace(op, changes=tuple(changes)))
            main.extend(checks)
            contract.extend(contracted)
        else:
            main.append(op)
    main = _with_lock_timeout(main, created)
    validate = _with_lock_timeout(validate, created)
    contract = _with_lock_timeout(contract, created)
    down = render_sql(back.operations, "postgresql")
    steps = [MigrationStep("", render_sql(main, "postgresql"), down)]
    for suffix, ops, note in later:
        steps.append(MigrationStep(suffix, render_sql(ops, "postgresql"), None, note))
    if validate:
        note = "VALIDATE CONSTRAINT checks the existing rows without blocking writes."
        steps.append(
            MigrationStep("validate_foreign_keys", render_sql(validate, "postgresql"), None, note)
        )
    if contract:
        note = (
            "Backfill the new required columns before this runs; SET NOT NULL then uses the "
            "validated CHECK instead of scanning the table."
        )
        steps.append(MigrationStep("set_not_null", render_sql(contract, "postgresql"), None, note))
    return tuple(steps)


LOCK_TIMEOUT = "5s"


def _with_lock_timeout(ops: list[Operation], created: set[str]) -> list[Operation]:
    """`SET LOCAL lock_timeout` first where a step locks a table that exists already, so it
    gives up instead of queueing every query behind it (the DB222 rule's advice; `LOCAL`: the
    migration runs in its runner's transaction)."""
    touches = any(
        isinstance(op, SqlStatement | ValidateForeignKey | DropTable)
        or getattr(op, "table", None) not in created | {None}
        for op in ops
        if not isinstance(op, CreateTable)
    )
    if not ops or not touches:
        return ops
    setting = SqlStatement(f"SET LOCAL lock_timeout = '{LOCK_TIMEOUT}'", step="SetLockTimeout")
    return [setting, *ops]


def _qualified(name: str, schema: str | None) -> str:
    quoted = '"' + name.replace('"', '""') + '"'
    return f'"{schema}".{quoted}' if schema else quoted


def _expand(op: AlterTable) -> tuple[list[TableChange], list[Operation], list[Operation]]:
    """An ALTER TABLE with its NOT NULL changes made expand/contract: the changes to run now,
    the `CHECK ... NOT VALID` to add now, and what makes the columns required later."""
    now: list[TableChange] = []
    checks: list[Operation] = []
    later: list[Operation] = []
    table = _qualified(op.table, op.schema)
    for change in op.changes:
        if isinstance(change, SetNotNull):
            column = change.column.name
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
        check = _qualified(f"{op.table}_{column}_not_null"[:63], None)
        quoted = _qualified(column, None)
        checks.append(
            SqlStatement(
                f"ALTER TABLE {table} ADD CONSTRAINT {check} "
                f"CHECK ({quoted} IS NOT NULL) NOT VALID",
                f"{op.table}.{column} becomes required in a later migration",
                "AddCheck",
            )
        )
        later.append(
            SqlStatement(f"ALTER TABLE {table} VALIDATE CONSTRAINT {check}", step="ValidateCheck")
        )
        later.append(
            SqlStatement(
                f"ALTER TABLE {table} ALTER COLUMN {quoted} SET NOT NULL", step="AlterTable"
            )
        )
        later.append(SqlStatement(f"ALTER TABLE {table} DROP CONSTRAINT {check}", step="DropCheck"))
    return now, checks, later

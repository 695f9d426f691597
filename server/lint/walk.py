"""The one statement walk: every statement of a migration set in order, with the state before it.

The lint engine walks each migration set once per rule run and hands every migration rule
`(statement, state)` (`engine.run_rules`); hover on a migration statement asks the same walk for
the state before the statement it is on (`state_before`), so the lock a hover names and the
finding on the statement are judged from the same state. The statements are the replay's own
records (`migrations.model.StatementRecord`): the walk never parses, and it never re-applies
operations to a schema -- what the replay built is `MigrationContext.migrated`.

The state, per file, is what a rule needs to judge a statement in context:

- `new_tables`: tables created earlier in the same file, or earlier in the same not-yet-deployed
  batch (`--since`): a statement on them locks nothing anyone uses, so lock rules stay quiet
  (Squawk is noisy exactly there: every Prisma migration creates a table, then its indexes);
- `in_transaction`: whether the statement runs inside a transaction (the runner wraps each file,
  as Prisma does on PostgreSQL but not on SQLite -- `config.default_transaction` -- or an
  explicit BEGIN is open);
- `lock_timeout`: whether `SET lock_timeout` ran earlier in the file;
- `columns`, `tables` (MySQL), `index_tables`: the columns and indexes as the migrations so far
  declared them (every earlier file included).

Only undeployed files are reported on; the files before them are walked to keep the state
right, and a set with no undeployed file is not walked at all (a keystroke in schema.prisma
with no migration open walks nothing). `WALKS` counts the walks, for tests.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from schemasense.codegen.ddl import statements as ops
from schemasense.codegen.ddl.lock_facts import Before, Server
from schemasense.codegen.dialects.mysql_online_ddl import fk_checks_on
from schemasense.server.lint.context import MigrationContext, MigrationFileContext, RuleContext
from schemasense.server.migrations.model import StatementRecord

Tables = dict[str, dict[str, ops.ColumnDef]]
"""table name (lower case) -> its columns in order (name -> last definition)."""


def table_key(name: ops.QName | tuple | str | None) -> str:
    if name is None:
        return ""
    if isinstance(name, str):
        return name
    return name[1]


@dataclass
class MigrationState:
    """Where the walk is: the set, the file, and what happened before this statement."""

    ctx: RuleContext
    migration: MigrationContext
    file: MigrationFileContext
    new_tables: set[str] = field(default_factory=set)
    explicit_transaction: bool = False
    lock_timeout: bool = False
    statement_timeout: bool = False
    pragmas: dict[str, str] = field(default_factory=dict)
    """SQLite `PRAGMA name=value` seen earlier in the file (names lower-cased)."""
    settings: dict[str, str] = field(default_factory=dict)
    """MySQL `SET name = value` (and `SET @@name`) seen earlier in the file."""
    columns: dict[tuple[str, str], str] = field(default_factory=dict)
    """(table, column) -> the column's type as the migrations declared it so far (every
    earlier file included), lower case: what a type change changes from."""
    tables: Tables = field(default_factory=dict)
    """MySQL only: table (lower case) -> its columns in order, each with its last definition
    (every earlier file included): what a MODIFY changes from, and where the end is."""
    index_tables: dict[str, str] = field(default_factory=dict)
    """index or key name -> its table, as the migrations so far built them (a `DROP INDEX` or
    `REINDEX INDEX` names no table; the hover says which one it locks)."""
    next_file: MigrationFileContext | None = None
    """The file of the set that runs after this one (where a fix's later migration must sort
    before)."""
    reported: set[str] = field(default_factory=set)
    """Codes of the rules that report once per file and have reported on this one."""
    facts: tuple[StatementRecord, Any] | None = None
    """The current statement and its lock facts, computed once for every rule that asks (the
    MySQL online DDL rules judge the same statement in turn); dropped when the walk moves on."""

    @property
    def dialect(self) -> str:
        return self.migration.dialect

    @property
    def server(self) -> Server:
        """The server the set runs on, as the lock facts take it (`lock_facts.fact_for`)."""
        return Server(self.migration.dialect, self.ctx.database, self.ctx.version)

    def before(self, table: str, siblings: tuple[ops.TableChange, ...] = ()) -> Before:
        """What the lock facts of an operation on `table` depend on (`lock_facts.fact_for`):
        its columns and column types so far, the session's `foreign_key_checks`, and the other
        actions of the same ALTER TABLE (`siblings`)."""
        return Before(
            columns=self.tables.get(table.lower(), {}),
            foreign_key_checks=fk_checks_on(self.settings),
            siblings=siblings,
            table=table,
            column_types=self.columns,
        )

    @property
    def runner_transaction(self) -> bool:
        """The runner wraps this file in a transaction (Prisma does, on PostgreSQL, by sending
        the file as one multi-statement query; a file holding a single statement is not
        wrapped; on SQLite it does not wrap at all, see `config.default_transaction`)."""
        if self.migration.transaction != "per-file":
            return False
        if self.migration.tool == "typeorm" and _TYPEORM_NO_TRANSACTION.search(self.file.text):
            return False  # the class opts out: TypeORM runs its queries one by one
        return sum(1 for s in self.file.statements if s.kind != "unknown" or s.error) > 1

    @property
    def in_transaction(self) -> bool:
        return self.explicit_transaction or self.runner_transaction

    def is_new(self, table: ops.QName | str | None) -> bool:
        return table_key(table) in self.new_tables

    @property
    def is_prisma(self) -> bool:
        return self.migration.tool == "prisma"


_TYPEORM_NO_TRANSACTION = re.compile(
    r"^\s*(?:public\s+|readonly\s+)*transaction\s*=\s*false\b", re.M
)
"""A TypeORM migration class's `transaction = false`: its runner does not wrap it (TypeORM's
`MigrationExecutor` runs it outside the transaction it opens for the others)."""

_SET = re.compile(r"^\s*SET\s+(?:LOCAL\s+|SESSION\s+)?(\w+)", re.I)
_BEGIN = re.compile(r"^\s*(BEGIN|START\s+TRANSACTION)\b", re.I)
_END = re.compile(r"^\s*(COMMIT|END|ROLLBACK|ABORT)\b", re.I)


_MYSQL_SET = re.compile(r"SET\s+(?:@@)?(?:SESSION\s+|GLOBAL\s+)?(\w+)\s*=\s*([\w']+)", re.I)


def mysql_setting(text: str) -> tuple[str, str] | None:
    """(name, value), lower case, of a MySQL `SET [SESSION|GLOBAL|@@]name = value` statement
    (`foreign_key_checks` changes what an ALTER TABLE costs)."""
    m = _MYSQL_SET.match(text.lstrip())
    return (m.group(1).lower(), m.group(2).strip("'").lower()) if m else None


def advance(state: MigrationState, stmt: StatementRecord) -> None:
    """Update the state after `stmt` (tables it created, transactions, settings)."""
    if stmt.kind == "transaction":
        text = _strip_comments(stmt.text)
        if _BEGIN.match(text):
            state.explicit_transaction = True
        elif _END.match(text):
            state.explicit_transaction = False
    elif stmt.kind == "set":
        m = _SET.match(_strip_comments(stmt.text))
        if m:
            name = m.group(1).lower()
            if name == "lock_timeout":
                state.lock_timeout = True
            elif name == "statement_timeout":
                state.statement_timeout = True
    text = stmt.text.lstrip()
    if text[:6].upper() == "PRAGMA":
        m = re.match(r"PRAGMA\s+(\w+)\s*=\s*([\w']+)", text, re.I)
        if m:
            state.pragmas[m.group(1).lower()] = m.group(2).strip("'").lower()
    elif state.dialect == "mysql" and (setting := mysql_setting(text)) is not None:
        state.settings[setting[0]] = setting[1]
    track(state.migration.dialect, state.columns, state.tables, state.index_tables, stmt)
    state.facts = None
    for op in stmt.ops:
        if isinstance(op, ops.CreateTable):
            state.new_tables.add(table_key(op.qname))
        elif isinstance(op, ops.RenameTable):
            if table_key(op.qname) in state.new_tables:
                state.new_tables.add(op.new)
        elif isinstance(op, ops.AlterTable):
            for action in op.changes:
                if isinstance(action, ops.RenameTable) and table_key(op.qname) in state.new_tables:
                    state.new_tables.add(action.new)


def track(
    dialect: str,
    columns: dict[tuple[str, str], str],
    tables: Tables,
    index_tables: dict[str, str],
    stmt: StatementRecord,
) -> None:
    """What every statement leaves for the ones after it, in every file: column types, MySQL's
    tables, and which table each index belongs to."""
    track_columns(columns, stmt)
    if dialect == "mysql":
        track_tables(tables, stmt.ops)
    for op in stmt.ops:
        track_index_table(index_tables, op)


def track_index_table(found: dict[str, str], op: ops.Op) -> None:
    """Keep `found` (index or key name -> table) up to date with what `op` did."""
    if isinstance(op, ops.CreateIndex) and op.index.name:
        found[op.index.name] = op.qname[1]
    elif isinstance(op, ops.CreateTable):
        for c in (*op.constraints, *(c for col in op.columns for c in col.constraints)):
            if c.name and c.kind in ("unique", "primary_key"):
                found[c.name] = op.qname[1]
    elif isinstance(op, ops.AlterTable):
        for action in op.changes:
            if isinstance(action, ops.CreateIndex) and action.index.name:
                found[action.index.name] = op.qname[1]
            elif isinstance(action, ops.AddConstraint) and action.constraint.name:
                found[action.constraint.name] = op.qname[1]
    elif isinstance(op, ops.RenameIndex) and op.old in found:
        found[op.new] = found.pop(op.old)


def track_columns(columns: dict[tuple[str, str], str], stmt: StatementRecord) -> None:
    """Keep `columns` ((table, column) -> type) up to date with what `stmt` does."""
    for op in stmt.ops:
        if isinstance(op, ops.CreateTable):
            t = table_key(op.qname)
            for c in op.columns:
                columns[(t, c.name)] = c.type.native.lower()
        elif isinstance(op, ops.AlterTable):
            t = table_key(op.qname)
            for a in op.changes:
                if isinstance(a, ops.AddColumn):
                    columns[(t, a.column.name)] = a.column.type.native.lower()
                elif isinstance(a, ops.ModifyColumn):
                    columns.pop((t, a.name), None)
                    columns[(t, a.after.name)] = a.after.type.native.lower()
                elif isinstance(a, ops.AlterColumnType):
                    columns[(t, a.name)] = a.type.native.lower()
                elif isinstance(a, ops.RenameColumn):
                    if (t, a.old) in columns:
                        columns[(t, a.new)] = columns.pop((t, a.old))
                elif isinstance(a, ops.DropColumn):
                    columns.pop((t, a.name), None)


def track_tables(tables: Tables, statement_ops: Iterable[ops.Op]) -> None:
    """Keep `tables` (name -> its columns in order) up to date with what a statement's
    operations did: MySQL's online DDL facts depend on a column's old definition and place."""
    for op in statement_ops:
        if isinstance(op, ops.CreateTable):
            tables[op.qname[1].lower()] = {c.name: c for c in op.columns}
        elif isinstance(op, ops.DropTable):
            tables.pop(op.name.lower(), None)
        elif isinstance(op, ops.RenameTable):
            if op.old.lower() in tables:
                tables[op.new.lower()] = tables.pop(op.old.lower())
        elif isinstance(op, ops.AlterTable):
            key = op.qname[1].lower()
            columns = tables.get(key)
            if columns is None:
                continue
            for a in op.changes:
                if isinstance(a, ops.AddColumn):
                    columns = _placed(columns, a.column.name, a.column, a.column.position)
                elif isinstance(a, ops.ModifyColumn):
                    rest = {k: v for k, v in columns.items() if k.lower() != a.name.lower()}
                    position = a.after.position
                    if position is None:  # stays where it was
                        keys = list(columns)
                        index = next(
                            (i for i, k in enumerate(keys) if k.lower() == a.name.lower()), None
                        )
                        if index is not None and index > 0:
                            position = ("after", keys[index - 1])
                        elif index == 0:
                            position = ("first", None)
                    columns = _placed(rest, a.after.name, a.after, position)
                elif isinstance(a, ops.RenameColumn):
                    columns = {
                        (a.new if k.lower() == a.old.lower() else k): v for k, v in columns.items()
                    }
                elif isinstance(a, ops.DropColumn):
                    columns = {k: v for k, v in columns.items() if k.lower() != a.name.lower()}
                elif isinstance(a, ops.RenameTable):
                    tables.pop(key, None)
                    key = a.new.lower()
            tables[key] = columns


def _placed(
    columns: dict[str, ops.ColumnDef],
    name: str,
    column: ops.ColumnDef,
    position: tuple[str, str | None] | None,
) -> dict[str, ops.ColumnDef]:
    items = [(k, v) for k, v in columns.items() if k.lower() != name.lower()]
    if position is None:
        items.append((name, column))
    elif position[0] == "first":
        items.insert(0, (name, column))
    else:
        after = (position[1] or "").lower()
        index = next((i for i, (k, _) in enumerate(items) if k.lower() == after), len(items) - 1)
        items.insert(index + 1, (name, column))
    return dict(items)


def _strip_comments(text: str) -> str:
    return re.sub(r"--[^\n]*\n?|/\*.*?\*/", " ", text, flags=re.S)


@dataclass(slots=True)
class WalkCount:
    """How many walks ran and how many statements they visited (history included): tests
    check a keystroke's cost with it, never the clock. A counter, not a cache."""

    walks: int = 0
    statements: int = 0


WALKS = WalkCount()


def walk(
    ctx: RuleContext, dialects: tuple[str, ...]
) -> Iterator[tuple[StatementRecord, MigrationState]]:
    """Every statement of every undeployed file (of the given dialects), with the state
    before it. Files are batches of their own unless the context marks a batch (`--since`),
    in which case tables created by earlier files of the batch count as new."""
    for migration in ctx.migrations:
        if migration.dialect in dialects:
            yield from walk_set(ctx, migration)


def walk_set(
    ctx: RuleContext, migration: MigrationContext, *, until: StatementRecord | None = None
) -> Iterator[tuple[StatementRecord, MigrationState]]:
    """One set's walk (see `walk`). With `until`, the walk goes up to that statement, treating
    its file as the one reported on, and stops there (`state_before`)."""
    if until is None and not any(f.undeployed for f in migration.files):
        return
    WALKS.walks += 1
    dialect = migration.dialect

    def reported(file: MigrationFileContext) -> bool:
        return file.path == until.file if until is not None else file.undeployed

    # a chosen subset of files (--since, or the files open in the editor) is one batch
    batched = (
        until is not None or migration.batched or any(not f.undeployed for f in migration.files)
    )
    batch_tables: set[str] = set()
    columns: dict[tuple[str, str], str] = {}
    tables: Tables = {}
    index_tables: dict[str, str] = {}
    files = migration.files
    for number, file in enumerate(files):
        if not reported(file):
            batch_tables = set()
            WALKS.statements += len(file.statements)
            for stmt in file.statements:
                track(dialect, columns, tables, index_tables, stmt)
            continue
        state = MigrationState(
            ctx,
            migration,
            file,
            new_tables=set(batch_tables) if batched else set(),
            columns=columns,
            tables=tables,
            index_tables=index_tables,
            next_file=files[number + 1] if number + 1 < len(files) else None,
        )
        for stmt in file.statements:
            WALKS.statements += 1
            yield stmt, state
            if stmt is until:
                return
            advance(state, stmt)
        if until is not None:
            return
        if batched:
            batch_tables |= state.new_tables


def state_before(
    ctx: RuleContext, migration: MigrationContext, stmt: StatementRecord
) -> MigrationState | None:
    """The walk's state right before `stmt` (every earlier file, then the earlier statements
    of its own file, which is taken as the one reported on): what the hover on a statement
    judges it by, as the rules do."""
    for seen, state in walk_set(ctx, migration, until=stmt):
        if seen is stmt:
            return state
    return None

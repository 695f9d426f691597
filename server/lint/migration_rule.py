"""The base of migration-safety rules (DB2xx): one walk over each migration set, in order.

A rule says which dialects it checks and implements `check_statement(stmt, state)` (and, if it
needs the whole file, `check_file(file, state)`). The walk keeps, per file, what a rule needs
to judge a statement in context:

- `new_tables`: tables created earlier in the same file, or earlier in the same not-yet-deployed
  batch (`--since`): a statement on them locks nothing anyone uses, so lock rules stay quiet
  (Squawk is noisy exactly there: every Prisma migration creates a table, then its indexes);
- `in_transaction`: whether the statement runs inside a transaction (the runner wraps each file,
  as Prisma does on PostgreSQL but not on SQLite — `config.default_transaction` — or an
  explicit BEGIN is open);
- `lock_timeout`: whether `SET lock_timeout` ran earlier in the file;
- `statements`: the file's statements, for rules that look around;
- `columns`, `tables` (MySQL): the columns as the migrations so far declared them.

Only undeployed files are reported on; the others are walked to keep the state right.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import ClassVar

from schemasense.codegen.ddl import statements as ops
from schemasense.server.findings import Finding
from schemasense.server.lint.context import (
    MigrationContext,
    MigrationFileContext,
    RuleContext,
    Statement,
)
from schemasense.server.lint.registry import Input, Rule

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
    next_file: MigrationFileContext | None = None
    """The file of the set that runs after this one (where a fix's later migration must sort
    before)."""

    @property
    def dialect(self) -> str:
        return self.migration.dialect

    @property
    def runner_transaction(self) -> bool:
        """The runner wraps this file in a transaction (Prisma does, on PostgreSQL, by sending
        the file as one multi-statement query; a file holding a single statement is not
        wrapped; on SQLite it does not wrap at all, see `config.default_transaction`)."""
        if self.migration.transaction != "per-file":
            return False
        return sum(1 for s in self.file.statements if s.kind != "unknown" or s.error) > 1

    @property
    def in_transaction(self) -> bool:
        return self.explicit_transaction or self.runner_transaction

    def is_new(self, table: ops.QName | str | None) -> bool:
        return table_key(table) in self.new_tables

    @property
    def is_prisma(self) -> bool:
        return self.migration.tool == "prisma"


_SET = re.compile(r"^\s*SET\s+(?:LOCAL\s+|SESSION\s+)?(\w+)", re.I)
_BEGIN = re.compile(r"^\s*(BEGIN|START\s+TRANSACTION)\b", re.I)
_END = re.compile(r"^\s*(COMMIT|END|ROLLBACK|ABORT)\b", re.I)


_MYSQL_SET = re.compile(r"SET\s+(?:@@)?(?:SESSION\s+|GLOBAL\s+)?(\w+)\s*=\s*([\w']+)", re.I)


def mysql_setting(text: str) -> tuple[str, str] | None:
    """(name, value), lower case, of a MySQL `SET [SESSION|GLOBAL|@@]name = value` statement
    (`foreign_key_checks` changes what an ALTER TABLE costs)."""
    m = _MYSQL_SET.match(text.lstrip())
    return (m.group(1).lower(), m.group(2).strip("'").lower()) if m else None


def advance(state: MigrationState, stmt: Statement) -> None:
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
    track_columns(state.columns, stmt)
    if state.dialect == "mysql":
        track_tables(state.tables, stmt.ops)
    for op in stmt.ops:
        if isinstance(op, ops.CreateTable):
            state.new_tables.add(table_key(op.table))
        elif isinstance(op, ops.RenameObject) and op.kind == "table":
            if table_key(op.name) in state.new_tables:
                state.new_tables.add(op.new_name)
        elif isinstance(op, ops.AlterTable):
            for action in op.actions:
                if isinstance(action, ops.RenameTable) and table_key(op.table) in state.new_tables:
                    state.new_tables.add(action.new_name)


def ensure_ops(migration: MigrationContext) -> None:
    """Give every statement its operations (and position), from the migration reader's parse
    of its file, when whoever built the context left them out (a context built from the
    replay's records alone). The replay keeps each file's parse, so nothing is parsed again;
    built contexts are reused, so this runs once per context."""
    if getattr(migration, "_ops_checked", False):
        return
    replay = migration.replay
    up = {}
    if replay is not None:
        up = {fr.file.path: fr for fr in replay.files}
    for file in migration.files:
        if not file.statements or any(s.ops or s.error for s in file.statements):
            continue
        file_replay = up.get(file.path)
        if file_replay is None:
            continue
        mfile = file_replay.file
        parsed = file_replay.parsed
        if not parsed and mfile.up_text.strip():
            from schemasense.server.migrations.replay import parse_file

            parsed = parse_file(migration.dialect, mfile.up_text)
        for index, (stmt, p) in enumerate(zip(file.statements, parsed, strict=False)):
            stmt.ops = p.ops
            stmt.error = p.error
            stmt.index = index
            stmt.up_offset = mfile.up_span_offset
    migration._ops_checked = True  # type: ignore[attr-defined]


def track_columns(columns: dict[tuple[str, str], str], stmt: Statement) -> None:
    """Keep `columns` ((table, column) -> type) up to date with what `stmt` does."""
    for op in stmt.ops:
        if isinstance(op, ops.CreateTable):
            t = table_key(op.table)
            for c in op.columns:
                columns[(t, c.name)] = c.type.native.lower()
        elif isinstance(op, ops.AlterTable):
            t = table_key(op.table)
            for a in op.actions:
                if isinstance(a, ops.AddColumn):
                    columns[(t, a.column.name)] = a.column.type.native.lower()
                elif isinstance(a, ops.ReplaceColumn):
                    columns.pop((t, a.name), None)
                    columns[(t, a.column.name)] = a.column.type.native.lower()
                elif isinstance(a, ops.AlterColumnType):
                    columns[(t, a.name)] = a.type.native.lower()
                elif isinstance(a, ops.RenameColumn):
                    if (t, a.name) in columns:
                        columns[(t, a.new_name)] = columns.pop((t, a.name))
                elif isinstance(a, ops.DropColumn):
                    columns.pop((t, a.name), None)


def track_tables(tables: Tables, statement_ops: Iterable[ops.Op]) -> None:
    """Keep `tables` (name -> its columns in order) up to date with what a statement's
    operations did: MySQL's online DDL facts depend on a column's old definition and place."""
    for op in statement_ops:
        if isinstance(op, ops.CreateTable):
            tables[op.table[1].lower()] = {c.name: c for c in op.columns}
        elif isinstance(op, ops.DropObjects) and op.kind == "table":
            for n in op.names:
                tables.pop(n[1].lower(), None)
        elif isinstance(op, ops.RenameObject) and op.kind == "table":
            if op.name[1].lower() in tables:
                tables[op.new_name.lower()] = tables.pop(op.name[1].lower())
        elif isinstance(op, ops.AlterTable):
            key = op.table[1].lower()
            columns = tables.get(key)
            if columns is None:
                continue
            for a in op.actions:
                if isinstance(a, ops.AddColumn):
                    columns = _placed(columns, a.column.name, a.column, a.column.position)
                elif isinstance(a, ops.ReplaceColumn):
                    rest = {k: v for k, v in columns.items() if k.lower() != a.name.lower()}
                    position = a.column.position
                    if position is None:  # stays where it was
                        keys = list(columns)
                        index = next(
                            (i for i, k in enumerate(keys) if k.lower() == a.name.lower()), None
                        )
                        if index is not None and index > 0:
                            position = ("after", keys[index - 1])
                        elif index == 0:
                            position = ("first", None)
                    columns = _placed(rest, a.column.name, a.column, position)
                elif isinstance(a, ops.RenameColumn):
                    columns = {
                        (a.new_name if k.lower() == a.name.lower() else k): v
                        for k, v in columns.items()
                    }
                elif isinstance(a, ops.DropColumn):
                    columns = {k: v for k, v in columns.items() if k.lower() != a.name.lower()}
                elif isinstance(a, ops.RenameTable):
                    tables.pop(key, None)
                    key = a.new_name.lower()
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


def walk(ctx: RuleContext, dialects: tuple[str, ...]) -> Iterator[tuple[Statement, MigrationState]]:
    """Every statement of every undeployed file (of the given dialects), with the state
    before it. Files are batches of their own unless the context marks a batch (`--since`),
    in which case tables created by earlier files of the batch count as new."""
    for migration in ctx.migrations:
        if migration.dialect not in dialects:
            continue
        ensure_ops(migration)
        # a chosen subset of files (--since, or the files open in the editor) is one batch
        batched = migration.batched or any(not f.undeployed for f in migration.files)
        batch_tables: set[str] = set()
        columns: dict[tuple[str, str], str] = {}
        tables: Tables = {}
        for number, file in enumerate(migration.files):
            if not file.undeployed:
                batch_tables = set()
                for stmt in file.statements:
                    track_columns(columns, stmt)
                    if migration.dialect == "mysql":
                        track_tables(tables, stmt.ops)
                continue
            state = MigrationState(
                ctx,
                migration,
                file,
                new_tables=set(batch_tables) if batched else set(),
                columns=columns,
                tables=tables,
                next_file=(
                    migration.files[number + 1] if number + 1 < len(migration.files) else None
                ),
            )
            for stmt in file.statements:
                yield stmt, state
                advance(state, stmt)
            if batched:
                batch_tables |= state.new_tables


class MigrationRule(Rule):
    """A migration-safety rule over the statements of undeployed migration files."""

    applies_to: ClassVar[tuple[Input, ...]] = ("migrations",)
    dialects: ClassVar[tuple[str, ...]] = ("postgresql",)
    watches: ClassVar[tuple[type, ...] | None] = None
    """The operations (`ops.CreateIndex`, ...) and ALTER TABLE actions (`ops.AddColumn`, ...)
    that `check_statement` can report on: the shared walk skips the rule on a statement that
    has none of them (3,000 statements x 30 rules add up). None: every statement (a rule that
    reads the statement's kind or text)."""

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        peers = [r for r in getattr(ctx, "migration_rules", ()) if _walks(r)]
        if self not in peers:
            for stmt, state in walk(ctx, self.dialects):
                if stmt.error is None:
                    yield from self.check_statement(stmt, state)
            return
        # one walk for every migration rule of the run: the first asks, all are answered
        done: dict[str, list[Finding]] | None = getattr(ctx, "_migration_findings", None)
        if done is None:
            done = {r.code: [] for r in peers}
            dialects = tuple({d for r in peers for d in r.dialects})
            by_dialect = {d: _Dispatch([r for r in peers if d in r.dialects]) for d in dialects}
            for stmt, state in walk(ctx, dialects):
                if stmt.error is not None:
                    continue
                for rule in by_dialect[state.dialect].rules_for(stmt):
                    done[rule.code].extend(rule.check_statement(stmt, state))
            ctx._migration_findings = done  # type: ignore[attr-defined]
        yield from done.get(self.code, ())

    def check_statement(self, stmt: Statement, state: MigrationState) -> Iterable[Finding]:
        raise NotImplementedError

    # helpers

    @staticmethod
    def actions(stmt: Statement) -> Iterator[tuple[ops.AlterTable, ops.Action]]:
        """Every ALTER TABLE action of the statement with its statement op."""
        for op in stmt.ops:
            if isinstance(op, ops.AlterTable):
                for action in op.actions:
                    yield op, action

    @staticmethod
    def sub_span(stmt: Statement, sub: tuple[int, int] | None):
        """The span of a clause (`sub`: the reader's offsets into the up text), or of the
        whole statement."""
        if sub is None:
            return stmt.span
        return stmt.span.model_copy(
            update={"start": sub[0] + stmt.up_offset, "end": sub[1] + stmt.up_offset}
        )


class _Dispatch:
    """The rules of one dialect, and which of them a statement can concern: those that watch
    every statement, and those that watch one of its operations or actions."""

    def __init__(self, rules: list[MigrationRule]) -> None:
        self._rules = rules
        self._always = [r for r in rules if r.watches is None]
        self._by_types: dict[frozenset[type], list[MigrationRule]] = {}

    def rules_for(self, stmt: Statement) -> list[MigrationRule]:
        types = set()
        for op in stmt.ops:
            types.add(type(op))
            if isinstance(op, ops.AlterTable):
                types.update(type(a) for a in op.actions)
        key = frozenset(types)
        found = self._by_types.get(key)
        if found is None:
            found = self._by_types[key] = [
                r
                for r in self._rules
                if r.watches is None or any(issubclass(t, r.watches) for t in key)
            ]
        return found


def single_action(stmt: Statement) -> tuple[ops.AlterTable, ops.Action] | None:
    """The statement's one ALTER TABLE action, when it is exactly that (multi-step fixes
    rewrite whole statements only)."""
    if len(stmt.ops) != 1 or not isinstance(stmt.ops[0], ops.AlterTable):
        return None
    op = stmt.ops[0]
    if len(op.actions) != 1:
        return None
    return op, op.actions[0]


def _walks(rule: Rule) -> bool:
    """Whether a rule uses the shared statement walk (it does not override `check`)."""
    return isinstance(rule, MigrationRule) and type(rule).check is MigrationRule.check

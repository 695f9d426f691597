"""The migrations beside a schema, for the editor: which statement is where, what each one did
to which table and column, and what running it on a live database locks.

`MigrationIndex` is built once per replay of a migration set (`readers.migrations.replay`):
every statement of every file, sorted by offset (for hover in a `.sql` file), and the history of
every table, column and index under its *current* name (renames are followed forward), so a
model's or field's hover and code lens can say which migration created it and which changed it.

`statement_notes()` says what a statement does and what it costs: the lock it takes, what that
lock blocks, whether it is catalog-only, a scan or a rewrite, the safe alternative and what
depends on the server version. The lock facts are the migration rules' own: each operation's
fact comes from `codegen/ddl/lock_facts.fact_for`, for the configured database and version
(`Target`), which the rules ask too (PostgreSQL's lock levels of `ALTER TABLE`'s sub-commands,
`CREATE INDEX [CONCURRENTLY]`, `NOT VALID` / `VALIDATE CONSTRAINT`, 11's non-volatile defaults;
MySQL's and MariaDB's InnoDB online DDL: `INSTANT` / `INPLACE` / `COPY`, the lock, the
rebuild), judged from the lint walk's state before the statement, so the hover on a statement
and the diagnostic on it say the same. SQLite's (table rewrites) and PostgreSQL 12's `ADD
VALUE` in a transaction are said here.
"""

from __future__ import annotations

import os
import re
from bisect import bisect_right
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from schemasense.codegen.ddl import statements as o
from schemasense.codegen.ddl.lock_facts import Before as FactsBefore
from schemasense.codegen.ddl.lock_facts import Server, fact_for
from schemasense.codegen.dialects import mysql_online_ddl as online_ddl
from schemasense.codegen.dialects import postgresql_locks as locks
from schemasense.server.lint.context import MigrationContext, RuleContext
from schemasense.server.lint.walk import MigrationState, state_before
from schemasense.server.migrations import ReplayResult
from schemasense.server.migrations.model import StatementRecord
from schemasense.server.project.config import Config, default_transaction


@dataclass(frozen=True, slots=True)
class Event:
    """Something a statement did to a table, column or index: `verb` is create, alter,
    rename or drop; `detail` says what (`type`, `NOT NULL`, `default`, `renamed from x`)."""

    statement: StatementRecord
    verb: str
    detail: str = ""


@dataclass(slots=True)
class MigrationIndex:
    """Statements by file and position, and the history of each object by its current name.
    The statements are the replay's own records; `context` is the rules' view of the same
    replay, which the lint walk runs over (`state_before`)."""

    root: str
    dialect: str
    context: MigrationContext
    files: dict[str, Sequence[StatementRecord]] = field(default_factory=dict)
    migrations: list[tuple[str, str]] = field(default_factory=list)
    """(file, migration name) in the order they apply."""
    names: dict[str, str] = field(default_factory=dict)
    """file -> its migration's name."""
    tables: dict[str, list[Event]] = field(default_factory=dict)
    columns: dict[tuple[str, str], list[Event]] = field(default_factory=dict)
    indexes: dict[str, list[Event]] = field(default_factory=dict)
    result: ReplayResult | None = None
    _starts: dict[str, list[int]] = field(default_factory=dict)

    def statement_at(self, file: str, offset: int) -> StatementRecord | None:
        statements = self.files.get(file)
        if not statements:
            return None
        starts = self._starts.setdefault(file, [s.start for s in statements])
        i = bisect_right(starts, offset) - 1
        if i >= 0 and statements[i].start <= offset <= statements[i].end:
            return statements[i]
        return None

    def label(self, statement: StatementRecord) -> str:
        """`20210605225044_init` (the folder of a Prisma migration, else the file's name)."""
        return self.names.get(statement.file) or os.path.basename(statement.file)

    def state_before(self, statement: StatementRecord) -> Before:
        """What the migrations built before `statement`, from the lint walk's own state
        (`lint.walk.state_before`): the same state the migration rules judge it by."""
        state = state_before(RuleContext(), self.context, statement)
        return Before.of(state) if state is not None else Before()

    def history(self, table: str, column: str | None = None) -> list[Event]:
        if column is None:
            return self.tables.get(table, [])
        return self.columns.get((table, column), [])

    def created(self, table: str, column: str | None = None) -> StatementRecord | None:
        """The statement that created the table (or column) as it is now: the last create."""
        for event in reversed(self.history(table, column)):
            if event.verb == "create":
                return event.statement
        return None

    def occurrences(
        self, table: str, column: str | None = None
    ) -> list[tuple[StatementRecord, int]]:
        """Where each statement of the history names the table (or column): the statement
        and the offset of the name in its file (the statement's start when not found)."""
        found = []
        for event in self.history(table, column):
            name = column if column is not None else table
            found.append((event.statement, _name_offset(event.statement, name)))
        return found


def _name_offset(statement: StatementRecord, name: str) -> int:
    for pattern in (f'"{name}"', f"`{name}`", f"[{name}]"):
        i = statement.text.find(pattern)
        if i >= 0:
            return statement.start + i + 1
    m = re.search(rf"\b{re.escape(name)}\b", statement.text)
    return statement.start + (m.start() if m else 0)


def build(result: ReplayResult) -> MigrationIndex:
    """The index of one replayed set: its statement records as the replay made them."""
    mset = result.migration_set
    context = MigrationContext.of(result, default_transaction(mset.tool, mset.dialect))
    index = MigrationIndex(root=mset.root, dialect=mset.dialect, context=context, result=result)
    for file_replay in result.files:
        mfile = file_replay.file
        index.files[mfile.path] = file_replay.statements
        index.migrations.append((mfile.path, mfile.name))
        index.names[mfile.path] = mfile.name
        for statement in file_replay.statements:
            _record(index, statement)
    return index


def _record(index: MigrationIndex, s: StatementRecord) -> None:
    def table_event(name: str, verb: str, detail: str = "") -> None:
        index.tables.setdefault(name, []).append(Event(s, verb, detail))

    def column_event(table: str, column: str, verb: str, detail: str = "") -> None:
        index.columns.setdefault((table, column), []).append(Event(s, verb, detail))
        table_event(table, "alter", f"{verb} column `{column}`")

    for op in s.ops:
        if isinstance(op, o.CreateTable):
            table = op.table.name
            table_event(table, "create")
            for column in op.columns:
                index.columns.setdefault((table, column.name), []).append(Event(s, "create"))
                for constraint in column.constraints:
                    if constraint.name:
                        index.indexes.setdefault(constraint.name, []).append(Event(s, "create"))
            for constraint in op.constraints:
                if constraint.name:
                    index.indexes.setdefault(constraint.name, []).append(Event(s, "create"))
        elif isinstance(op, o.AlterTable):
            table = op.qname[1]
            for action in op.changes:
                _alter_action(index, s, table, action, column_event, table_event)
        elif isinstance(op, o.CreateIndex):
            name = op.index.name or ""
            index.indexes.setdefault(name, []).append(Event(s, "create"))
            table_event(op.qname[1], "alter", f"create index `{name}`")
        elif isinstance(op, o.DropTable):
            table_event(op.name, "drop")
        elif isinstance(op, o.DropIndex):
            index.indexes.setdefault(op.name or "", []).append(Event(s, "drop"))
        elif isinstance(op, o.RenameTable):
            old, new = op.old, op.new
            _move(index.tables, old, new)
            for key in [k for k in index.columns if k[0] == old]:
                _move(index.columns, key, (new, key[1]))
            table_event(new, "rename", f"renamed from `{old}`")
        elif isinstance(op, o.RenameIndex):
            old, new = op.old, op.new
            _move(index.indexes, old, new)
            index.indexes.setdefault(new, []).append(Event(s, "rename", f"renamed from `{old}`"))


def _alter_action(index, s, table, action, column_event, table_event) -> None:
    if isinstance(action, o.AddColumn):
        column_event(table, action.column.name, "create")
    elif isinstance(action, o.DropColumn):
        column_event(table, action.name, "drop")
    elif isinstance(action, o.AlterColumnType):
        column_event(table, action.name, "alter", "type")
    elif isinstance(action, o.SetNotNull | o.DropNotNull):
        column_event(
            table, action.name, "alter", "NOT NULL" if action.kind == "SetNotNull" else "NULL"
        )
    elif isinstance(action, o.SetDefault | o.DropDefault):
        column_event(table, action.name, "alter", "default")
    elif isinstance(action, o.ModifyColumn):
        if action.after.name != action.name:
            _move(index.columns, (table, action.name), (table, action.after.name))
        column_event(table, action.after.name, "alter", "definition")
    elif isinstance(action, o.RenameColumn):
        _move(index.columns, (table, action.old), (table, action.new))
        column_event(table, action.new, "rename", f"renamed from `{action.old}`")
    elif isinstance(action, o.CreateIndex):
        name = action.index.name or ""
        index.indexes.setdefault(name, []).append(Event(s, "create"))
        table_event(table, "alter", f"create index `{name}`")
    elif isinstance(action, o.AddConstraint | o.DropConstraint):
        table_event(table, "alter", "constraint")
        name = action.constraint.name if isinstance(action, o.AddConstraint) else action.name
        if name:
            verb = "create" if isinstance(action, o.AddConstraint) else "drop"
            index.indexes.setdefault(name, []).append(Event(s, verb))
    elif isinstance(action, o.ValidateConstraint):
        index.indexes.setdefault(action.name, []).append(Event(s, "alter", "validated"))
    elif isinstance(action, o.DropIndex):
        index.indexes.setdefault(action.name or "", []).append(Event(s, "drop"))
    elif isinstance(action, o.RenameConstraint | o.RenameIndex):
        old, new = (
            (action.old, action.new)
            if isinstance(action, o.RenameIndex)
            else (action.name, action.new_name)
        )
        _move(index.indexes, old, new)
        index.indexes.setdefault(new, []).append(Event(s, "rename", f"renamed from `{old}`"))


def _move(mapping: dict, old, new) -> None:
    events = mapping.pop(old, None)
    if events:
        mapping.setdefault(new, [])[:0] = events


# -- what a statement locks ----------------------------------------------------------------------
#
# The lock facts are the migration rules' own (`lock_facts.fact_for`): PostgreSQL's locks, MySQL's
# and MariaDB's online DDL (for the configured flavour and version), so a
# statement's hover names the same lock, the same "blocks ..." and the same scan, rewrite or
# copy as the diagnostic on it. What is said here beyond them is what a statement does, what
# else it costs, the safer way and what depends on the version.

Fact = locks.LockFact | online_ddl.Online


@dataclass(frozen=True, slots=True)
class Target:
    """The database the migrations run on, from the project config (`database`,
    `database-version`); None where it is not configured, taken as the rules take it (a
    current PostgreSQL; MySQL 8.4 or MariaDB 10.11, said "assuming ...")."""

    database: str | None = None
    version: tuple[int, ...] | None = None

    @classmethod
    def of(cls, config: Config | None) -> Target:
        if config is None:
            return cls()
        return cls(config.database, config.version_tuple())

    def at_least(self, *wanted: int) -> bool:
        """Whether the server is at least `wanted` (True when the version is unknown, as
        the rules assume)."""
        return self.version is None or self.version[: len(wanted)] >= wanted

    @property
    def server(self) -> online_ddl.Server:
        return online_ddl.Server.of(self.database, self.version)

    def on(self, dialect: str) -> Server:
        """The server the lock facts are for (`lock_facts.fact_for`), of the set's dialect."""
        return Server(dialect, self.database, self.version)


@dataclass(frozen=True, slots=True)
class Before:
    """What the migrations built before a statement: the tables created earlier in its file
    (empty and unseen, so nothing waits on them), MySQL's columns of each table as declared
    so far (the online DDL facts depend on a column's old definition and place), the
    session's `foreign_key_checks` (SETs earlier in the file) and each index's table."""

    new_tables: frozenset[str] = frozenset()
    tables: Mapping[str, Mapping[str, o.ColumnDef]] = field(default_factory=dict)
    foreign_key_checks: bool = True
    index_tables: Mapping[str, str] = field(default_factory=dict)
    column_types: Mapping[tuple[str, str], str] = field(default_factory=dict)
    """(table, column) -> the column's type as declared so far (lower case): what a type
    change changes from."""

    def facts(self, table: str, siblings: tuple[o.TableChange, ...] = ()) -> FactsBefore:
        """What an operation's lock facts on `table` depend on (`lock_facts.fact_for`)."""
        return FactsBefore(
            self.tables.get(table.lower(), {}),
            self.foreign_key_checks,
            siblings,
            table,
            self.column_types,
        )

    @classmethod
    def of(cls, state: MigrationState) -> Before:
        """The hover's view of the lint walk's state before a statement."""
        return cls(
            new_tables=frozenset(state.new_tables),
            tables=state.tables,
            foreign_key_checks=online_ddl.fk_checks_on(state.settings),
            index_tables=state.index_tables,
            column_types=state.columns,
        )


@dataclass(frozen=True, slots=True)
class Note:
    """What one operation does and costs: `lock` (None: no table lock worth naming) as the
    hover shows it, `fact` the lock fact it is rendered from, `cost` what else it costs
    (beyond the fact's scan, rewrite or copy), `safe` an alternative, and `version` what
    depends on the server version."""

    does: str
    lock: str | None = None
    cost: str | None = None
    safe: str | None = None
    version: str | None = None
    fact: Fact | None = None


def statement_notes(
    statement: StatementRecord,
    dialect: str,
    new_tables: frozenset[str] = frozenset(),
    *,
    target: Target | None = None,
    before: Before | None = None,
) -> list[Note]:
    """One note per operation of `statement` (per ALTER TABLE clause). `new_tables` are the
    tables created earlier in the same migration: empty and unseen, so nothing waits on them
    (`before.new_tables` too)."""
    target = target or Target()
    before = before or Before()
    notes: list[Note] = []
    if statement.action == "opaque" or not statement.ops:
        notes.append(_opaque(statement, dialect, before))
        return notes
    fresh = set(new_tables) | set(before.new_tables)
    for op in statement.ops:
        table = op_table(op)
        for note in _op_notes(op, statement, dialect, target, before):
            if table is not None and table in fresh and not isinstance(op, o.CreateTable):
                note = Note(
                    does=note.does,
                    cost="none to speak of: the table is created by this migration, "
                    "so it is empty and nothing else uses it yet",
                )
            notes.append(note)
        if isinstance(op, o.CreateTable):
            fresh.add(op.qname[1])
    return notes


def op_table(op: o.Op) -> str | None:
    """The table an operation works on, if it works on one."""
    if isinstance(op, o.CreateTable | o.AlterTable):
        return op.qname[1]
    if isinstance(op, o.CreateIndex):
        return op.qname[1]
    if isinstance(op, o.DropIndex) and op.table is not None:
        return op.table
    return None


def _q(name: str) -> str:
    return f"`{name}`"


def _pg(fact: locks.LockFact, *tables: str, **rest: str | None) -> dict:
    """A note's `lock` and `fact` from a PostgreSQL lock fact."""
    return {"lock": fact.markdown(*tables), "fact": fact, **rest}


def _mysql(note: Note, fact: online_ddl.Online | None, table: str, target: Target) -> Note:
    """`note` with its lock from MySQL's online DDL facts for the configured server; what
    the note said of the cost is dropped (the fact says it), unless the statement fails."""
    if fact is None:
        return note
    cost = note.cost if note.cost and "fails" in note.cost else None
    return Note(
        does=note.does,
        lock=fact.markdown(table),
        cost=cost,
        safe=note.safe,
        version=f"On {target.server.label}: {fact.reason}.",
        fact=fact,
    )


_REINDEX = re.compile(
    r"REINDEX\s+(?:\([^)]*\)\s*)?(TABLE|INDEX)\s+(CONCURRENTLY\s+)?([\w\".]+)", re.I
)
_LEAD_WORDS = {
    *("VACUUM", "FULL", "FREEZE", "VERBOSE", "ANALYZE", "ANALYSE", "CLUSTER"),
    *("TRUNCATE", "TABLE", "ONLY"),
}


def _first_table(text: str) -> str | None:
    """The (first) table of `VACUUM [(...)] FULL t`, `CLUSTER [VERBOSE] t [USING i]` or
    `TRUNCATE [TABLE] [ONLY] t, ...`, if it names one."""
    for word in re.findall(r'"[^"]+"|[\w.]+', re.sub(r"\([^)]*\)", " ", text)):
        if word.upper() not in _LEAD_WORDS:
            return _bare(word)
    return None


def _bare(name: str) -> str:
    return name.split(".")[-1].strip('"')


def _opaque(statement: StatementRecord, dialect: str, before: Before) -> Note:
    kind = statement.kind
    pg = dialect == "postgresql"
    if kind in ("insert", "update", "delete"):
        return Note(
            does=f"Changes data ({kind.upper()}).",
            lock="row locks on every row it writes"
            + (", held to the end of the migration's transaction" if pg else ""),
            cost="data: proportional to the rows it touches",
            safe="On a large table, batch it outside the migration (by key ranges), so no long "
            "transaction holds the rows.",
        )
    if pg and kind == "truncate":
        table = _first_table(statement.text)
        return Note(
            does="Empties the tables it names (TRUNCATE).",
            **_pg(locks.TRUNCATE, *([table] if table else [])),
            cost="catalog only: the old files are removed",
        )
    if pg and kind == "reindex":
        m = _REINDEX.search(statement.text)
        concurrently = bool(m and m.group(2)) or "CONCURRENTLY" in statement.text.upper()
        fact = locks.REINDEX_CONCURRENTLY if concurrently else locks.REINDEX
        table = None
        if m:
            name = _bare(m.group(3))
            table = name if m.group(1).upper() == "TABLE" else before.index_tables.get(name)
        return Note(
            does="Rebuilds indexes (REINDEX).",
            **_pg(fact, *([table] if table else [])),
            cost=None
            if concurrently
            else "and an ACCESS EXCLUSIVE lock on each index it rebuilds: queries that use it wait",
            safe=None
            if concurrently
            else "`REINDEX ... CONCURRENTLY` (PostgreSQL 12+), alone in its migration.",
        )
    if pg and (
        kind == "cluster" or (kind == "vacuum" and re.search(r"\bFULL\b", statement.text, re.I))
    ):
        table = _first_table(statement.text)
        return Note(
            does=f"Rewrites a table ({'CLUSTER' if kind == 'cluster' else 'VACUUM FULL'}).",
            **_pg(locks.TABLE_REWRITE, *([table] if table else [])),
            safe="pg_repack, outside the migrations.",
        )
    if statement.action == "unparsed":
        return Note(does=f"A `{kind}` statement the reader could not parse.")
    return Note(
        does=f"`{kind.replace('_', ' ')}`: kept as written (functions, triggers, "
        "settings and other statements do not change tables)."
    )


def _op_notes(
    op: o.Op, statement: StatementRecord, dialect: str, target: Target, before: Before
) -> list[Note]:
    server = target.on(dialect)
    pg = dialect == "postgresql"
    mysql = dialect == "mysql"
    if isinstance(op, o.CreateTable):
        refs = [c.ref_table[1] for c in op.constraints if c.kind == "foreign_key" and c.ref_table]
        refs += [
            c.ref_table[1]
            for col in op.columns
            for c in col.constraints
            if c.kind == "foreign_key" and c.ref_table
        ]
        refs = [r for r in dict.fromkeys(refs) if r != op.qname[1]]
        does = f"Creates table {_q(op.qname[1])} ({len(op.columns)} columns)."
        if refs and pg:
            return [
                Note(
                    does=does,
                    **_pg(fact_for(op, server), *refs),
                    cost="catalog only; no lock on existing tables beyond the referenced ones",
                )
            ]
        return [Note(does=does, lock="none on existing tables", cost="catalog only")]
    if isinstance(op, o.CreateIndex):
        return [_index_note(op.index, op.table, op.concurrently, dialect, target)]
    if isinstance(op, o.DropIndex):
        name = op.name or ""
        does = f"Drops index {_q(name)}."
        if pg:
            concurrently = bool(re.search(r"\bCONCURRENTLY\b", statement.text, re.I))
            table = before.index_tables.get(name)
            fact = fact_for(op, server, concurrently=concurrently)
            return [
                Note(
                    does=does,
                    **_pg(fact, *([table] if table is not None else [])),
                    safe=None
                    if concurrently
                    else "`DROP INDEX CONCURRENTLY` (alone in its migration: not in a transaction)",
                )
            ]
        if mysql and op.table is not None:
            return [_mysql(Note(does=does), fact_for(op, server), op.table, target)]
        return [Note(does=does, cost="catalog only")]
    if isinstance(op, o.DropTable):
        return [
            Note(
                does=f"Drops table {_q(op.name)}: its rows are gone.",
                **(_pg(fact_for(op, server), op.name) if pg else {}),
                cost="catalog only (and the files are removed)",
                safe="Deploy the code that stops using it first; keep a backup.",
            )
        ]
    if isinstance(op, o.DropObjects):
        names = ", ".join(_q(n[1]) for n in op.names)
        return [Note(does=f"Drops {op.kind.replace('_', ' ')} {names}.", cost="catalog only")]
    if isinstance(op, o.RenameTable | o.RenameIndex | o.RenameObject):
        if isinstance(op, o.RenameObject):
            kind, old, new = op.kind, op.name[1], op.new_name
        else:
            kind, old, new = ("table" if isinstance(op, o.RenameTable) else "index"), op.old, op.new
        does = f"Renames {kind} {_q(old)} to {_q(new)}."
        safe = (
            "Running code that uses the old name fails from this moment: deploy in "
            "steps (a view or both names) if the old code is still serving."
            if kind in ("table", "view")
            else None
        )
        if pg and kind in ("table", "view", "materialized_view"):
            return [Note(does=does, **_pg(fact_for(op, server), old), safe=safe)]
        if pg and kind == "index":
            fact = fact_for(op, server)
            return [
                Note(
                    does=does,
                    **_pg(fact, old),  # the index's lock, not its table's
                    version="PostgreSQL 12+ renames an index under SHARE UPDATE EXCLUSIVE; "
                    "11 and older take ACCESS EXCLUSIVE.",
                )
            ]
        if mysql and kind == "table":
            note = Note(does=does, safe=safe)
            return [_mysql(note, fact_for(op, server), old, target)]
        return [Note(does=does, cost="catalog only", safe=safe)]
    if isinstance(op, o.CreateEnum):
        return [Note(does=f"Creates enum type {_q(op.name[1])}.", cost="catalog only")]
    if isinstance(op, o.AlterEnumAddValue):
        return [
            Note(
                does=f"Adds value '{op.value}' to enum {_q(op.name[1])}.",
                cost="catalog only",
                version="PostgreSQL 12+ runs `ADD VALUE` inside a transaction (11 and "
                "older refuse); the new value cannot be used before the transaction "
                "commits."
                if pg
                else None,
            )
        ]
    if isinstance(op, o.RenameEnumValue):
        return [Note(does=f"Changes enum {_q(op.name[1])}.", cost="catalog only")]
    if isinstance(op, o.AlterTable):
        table = op.qname[1]
        if not mysql:
            return [_action_note(a, table, dialect, target, before) for a in op.changes]
        facts_before = before.facts(table, op.changes)
        notes, facts = [], []
        for action in op.changes:
            fact = fact_for(action, server, facts_before)
            if fact is not None:
                facts.append(fact)
            note = _action_note(action, table, dialect, target, before)
            notes.append(_mysql(note, fact, table, target))
        whole = online_ddl.worst(facts)
        if len(facts) > 1 and whole is not None:
            notes.append(
                Note(
                    does="The statement as a whole: the server runs every action of one "
                    "ALTER TABLE with the slowest algorithm and the strongest lock any needs.",
                    lock=whole.markdown(table),
                    fact=whole,
                )
            )
        return notes
    if isinstance(op, o.CreateView):
        return [Note(does=f"Creates view {_q(op.name[1])}.", cost="catalog only")]
    if isinstance(op, o.CreateSchema | o.CreateExtension | o.CreateSequence | o.CreateDomain):
        return [
            Note(
                does=f"{type(op).__name__[6:]}: {_q(str(getattr(op, 'name', '')))}.",
                cost="catalog only",
            )
        ]
    return [Note(does=f"{type(op).__name__}.")]


def _index_note(
    index: o.IndexDef, table: str, concurrently: bool, dialect: str, target: Target
) -> Note:
    name = _q(index.name or "?")
    kind = "unique index" if index.unique else ("full-text index" if index.fulltext else "index")
    does = f"Creates {kind} {name} on {_q(table)}."
    fact = fact_for(o.CreateIndex(table, index, concurrently=concurrently), target.on(dialect))
    if dialect == "postgresql":
        if concurrently:
            return Note(
                does=does,
                **_pg(fact, table),
                cost="two scans of the table; it waits for the transactions open on it",
                safe="Already concurrent. It must not run in a transaction: keep it alone in its "
                "migration. If it fails, `DROP INDEX CONCURRENTLY` the INVALID index and retry.",
            )
        return Note(
            does=does,
            **_pg(fact, table),
            cost="index build: the scan and a sort of every key",
            safe=f"`CREATE {'UNIQUE ' if index.unique else ''}INDEX CONCURRENTLY` alone in its "
            "own migration (PostgreSQL runs a multi-statement migration as one transaction, "
            "where CONCURRENTLY is refused).",
        )
    if dialect == "mysql":
        safe = None
        if fact.algorithm == "INPLACE" and fact.lock == "NONE":
            safe = (
                "Say `ALGORITHM=INPLACE, LOCK=NONE` so the server refuses rather than copying "
                "the table under a lock."
            )
        return _mysql(Note(does=does, safe=safe), fact, table, target)
    return Note(does=does, lock="the database's write lock", cost="index build: a full scan")


def _action_note(
    action: o.TableChange, table: str, dialect: str, target: Target, before: Before
) -> Note:
    """What one ALTER TABLE action does; its lock from `locks` on PostgreSQL (MySQL's comes
    from the online DDL facts, in `_op_notes`)."""
    pg = dialect == "postgresql"
    t = _q(table)
    fact = fact_for(action, target.on(dialect), before.facts(table)) if pg else None
    if isinstance(action, o.AddColumn):
        column = action.column
        name = _q(column.name)
        does = f"Adds column {name} to {t}."
        fails = (
            column.not_null
            and column.default is None
            and not column.identity
            and not column.type.serial
            and column.generated is None
        )
        cost = "fails if the table has rows (NOT NULL and no default)" if fails else None
        safe = (
            "Add it nullable (or with a default), backfill, then SET NOT NULL." if fails else None
        )
        if not pg:
            return Note(does=does, cost=cost or "catalog only", safe=safe)
        why = locks.add_column_rewrite(column, target.at_least(11))
        constant = column.default is not None and why is None
        return Note(
            does=does,
            **_pg(fact, table),
            cost=cost or (f"rewrite: {why}" if why else None),
            safe=safe,
            version="PostgreSQL 11+ stores a non-volatile default without rewriting the table; "
            "10 and older rewrite it."
            if constant or (why and "before PostgreSQL 11" in why)
            else None,
        )
    if isinstance(action, o.DropColumn):
        return Note(
            does=f"Drops column {_q(action.name)} of {t}: its data is gone.",
            **(_pg(fact, table) if pg else {"cost": "rewrite of the table"}),
            safe="Deploy the code that stops reading and writing it first.",
        )
    if isinstance(action, o.AlterColumnType):
        does = f"Changes the type of {_q(action.name)} in {t} to `{action.type.native}`."
        safe = "Add a new column, backfill it in batches, switch the code, drop the old one."
        if not pg:
            return Note(does=does, safe=safe if dialect == "mysql" else None)
        old = before.column_types.get((table, action.name))
        rewrite = fact is locks.ALTER_TYPE_REWRITE
        unsure = old is None or action.using is not None
        return Note(
            does=does,
            **_pg(fact, table),
            cost="and its indexes are rebuilt"
            + (
                ", unless the change is binary-coercible (a longer varchar, varchar to text)"
                if unsure
                else ""
            )
            if rewrite
            else None,
            safe=safe if rewrite else None,
        )
    if isinstance(action, o.SetNotNull | o.DropNotNull):
        if isinstance(action, o.DropNotNull):
            return Note(
                does=f"Lets {_q(action.name)} of {t} hold NULL.",
                **(_pg(fact, table) if pg else {"cost": "catalog only"}),
            )
        return Note(
            does=f"Makes {_q(action.name)} of {t} NOT NULL.",
            **(_pg(fact, table) if pg else {"cost": "table rebuild"}),
            safe=f"`ADD CONSTRAINT ... CHECK ({action.name} IS NOT NULL) NOT VALID`, then "
            "`VALIDATE CONSTRAINT` (writes go on), then SET NOT NULL skips the scan."
            if pg
            else None,
            version="PostgreSQL 12+ skips the scan when a valid CHECK (col IS NOT NULL) exists."
            if pg
            else None,
        )
    if isinstance(action, o.SetDefault | o.DropDefault):
        what = "Sets" if isinstance(action, o.SetDefault) else "Drops"
        return Note(
            does=f"{what} the default of {_q(action.name)} in {t}.",
            **(_pg(fact, table) if pg else {}),
            cost="existing rows keep their values",
        )
    if isinstance(action, o.RenameColumn):
        return Note(
            does=f"Renames column {_q(action.old)} of {t} to {_q(action.new)}.",
            **(_pg(fact, table) if pg else {"cost": "catalog only"}),
            safe="Code still using the old name fails from this moment: deploy in steps "
            "(add, copy, switch, drop) if old code is still serving.",
        )
    if isinstance(action, o.RenameTable | o.RenameConstraint):
        if isinstance(action, o.RenameTable):
            new, what = _q(action.new), t
        else:
            new, what = _q(action.new_name), f"constraint {_q(action.name)} of {t}"
        return Note(
            does=f"Renames {what} to {new}.",
            **(_pg(fact, table) if pg else {"cost": "catalog only"}),
        )
    if isinstance(action, o.ModifyColumn):
        return Note(
            does=f"Redefines column {_q(action.name)} of {t} (MODIFY/CHANGE).",
            cost="unknown: the migrations never declared the column, so what changes is not known",
        )
    if isinstance(action, o.AddConstraint):
        return _constraint_note(action.constraint, table, dialect, fact)
    if isinstance(action, o.DropConstraint):
        return Note(
            does=f"Drops constraint {_q(action.name or '?')} of {t}.",
            **(_pg(fact, table) if pg else {"cost": "catalog only"}),
        )
    if isinstance(action, o.ValidateConstraint):
        return Note(
            does=f"Validates constraint {_q(action.name)} of {t}.",
            **(_pg(fact, table) if pg else {}),
        )
    if isinstance(action, o.CreateIndex):
        return _index_note(action.index, table, False, dialect, target)
    if isinstance(action, o.DropIndex):
        return Note(does=f"Drops index {_q(action.name or '')} of {t}.", cost="catalog only")
    if isinstance(action, o.RenameIndex):
        return Note(does=f"Renames index {_q(action.old)} of {t} to {_q(action.new)}.")
    return Note(does=f"{type(action).__name__} on {t}.")


def _constraint_note(
    c: o.ConstraintDef, table: str, dialect: str, fact: locks.LockFact | None
) -> Note:
    """`fact`: the constraint's lock fact on PostgreSQL (`fact_for`), else None."""
    pg = dialect == "postgresql" and fact is not None
    t = _q(table)
    name = _q(c.name or "?")
    if c.kind == "foreign_key":
        ref = c.ref_table[1] if c.ref_table else None
        target = _q(ref) if ref else "?"
        tables = [table, *([ref] if ref and ref != table else [])]
        if c.not_valid:
            return Note(
                does=f"Adds foreign key {name} from {t} to {target}, NOT VALID.",
                **(_pg(fact, *tables) if pg else {}),
                cost="existing rows are checked later, by VALIDATE CONSTRAINT",
            )
        return Note(
            does=f"Adds foreign key {name} from {t} to {target}.",
            **(_pg(fact, *tables) if pg else {}),
            cost=f"the scan checks every row of {t} against {target}" if pg else None,
            safe="`ADD CONSTRAINT ... NOT VALID`, then `VALIDATE CONSTRAINT` in a later "
            f"migration ({locks.VALIDATE.lock}: "
            f"{locks.BLOCKS[locks.VALIDATE.lock]})."
            if pg
            else None,
        )
    if c.kind in ("unique", "primary_key"):
        what = "primary key" if c.kind == "primary_key" else "unique constraint"
        if c.using_index:
            return Note(
                does=f"Adds {what} {name} to {t} using index {_q(c.using_index)}.",
                **(_pg(fact, table) if pg else {}),
                cost="the index exists: nothing is built",
            )
        return Note(
            does=f"Adds {what} {name} to {t}.",
            **(_pg(fact, table) if pg else {}),
            cost="index build: the scan and a sort of every key" if pg else None,
            safe="`CREATE UNIQUE INDEX CONCURRENTLY`, then `ADD CONSTRAINT ... "
            f"{'PRIMARY KEY' if c.kind == 'primary_key' else 'UNIQUE'} USING INDEX`."
            if pg
            else None,
        )
    if c.kind == "check":
        return Note(
            does=f"Adds check constraint {name} to {t}" + (", NOT VALID." if c.not_valid else "."),
            **(_pg(fact, table) if pg else {}),
            safe="`NOT VALID`, then `VALIDATE CONSTRAINT`." if pg and not c.not_valid else None,
        )
    return Note(does=f"Adds {c.kind.replace('_', ' ')} {name} to {t}.")


def render_notes(statement: StatementRecord, notes: list[Note], dialect: str, label: str) -> str:
    """The statement's hover: each operation's notes, then the transaction it runs in;
    `label` is its migration's (`MigrationIndex.label`)."""
    lines = [
        f"**{statement.kind.replace('_', ' ')}** in `{label}` (statement {statement.index + 1})",
        "",
    ]
    for note in notes:
        lines.append(f"- {note.does}")
        if note.lock:
            lines.append(f"  - Lock: {note.lock}")
        if note.cost:
            lines.append(f"  - Cost: {note.cost}")
        if note.safe:
            lines.append(f"  - Safer: {note.safe}")
        if note.version:
            lines.append(f"  - Version: {note.version}")
    if dialect == "postgresql":
        lines.append("")
        lines.append(
            "Prisma Migrate runs the whole `migration.sql` as one transaction on PostgreSQL: "
            "every lock above is held until the file's last statement finishes."
        )
    elif dialect == "mysql":
        lines.append("")
        lines.append(
            "MySQL commits each DDL statement on its own: a failure midway leaves the "
            "statements before it applied."
        )
    return "\n".join(lines) + "\n"


# -- the editor's questions ----------------------------------------------------------------------

Link = Callable[[str, int], str]
"""(file, offset) -> a Markdown link target for that place (the features layer makes URIs)."""


def history_lines(
    migrations: MigrationIndex, table: str, column: str | None, link: Link
) -> list[str]:
    """ "Migrations: created in [x](...) · changed in [y](...) (NOT NULL)" for a table or column,
    one entry per migration (a table's entries without details: there are many)."""
    events = migrations.history(table, column)
    what = "column" if column is not None else "table"
    return _event_lines(migrations, events, column or table, what, column is not None, link)


def key_history_lines(migrations: MigrationIndex, name: str, link: Link) -> list[str]:
    """The same for an index or constraint (primary key, unique, foreign key) by its name."""
    return _event_lines(migrations, migrations.indexes.get(name, []), name, "key", True, link)


def _event_lines(
    migrations: MigrationIndex,
    events: list[Event],
    name: str,
    what: str,
    details: bool,
    link: Link,
) -> list[str]:
    if not events:
        return [f"No migration creates this {what}: the migrations do not build it."]
    by_migration: dict[str, list[Event]] = {}
    for event in events:
        by_migration.setdefault(event.statement.file, []).append(event)
    parts = []
    for group in by_migration.values():
        first = group[0].statement
        target = link(first.file, _name_offset(first, name))
        label = f"[`{migrations.label(first)}`]({target})"
        verbs = [e.verb for e in group]
        if "create" in verbs:
            verb = "created"
        elif verbs[-1] == "drop":
            verb = "dropped"
        elif "rename" in verbs:
            verb = "renamed"
        else:
            verb = "changed"
        notes = [e.detail for e in group if e.detail and e.verb != "create"]
        detail = f" ({', '.join(dict.fromkeys(notes))})" if details and notes else ""
        parts.append(f"{verb} in {label}{detail}")
    if len(parts) > 5:
        parts = [*parts[:2], f"… {len(parts) - 4} more …", *parts[-2:]]
    return [f"Migrations ({len(by_migration)}): " + " · ".join(parts)]


def drift_by_table(schema, migrated, provider: str | None) -> dict[str, list[str]]:
    """Drift between the declared schema (`schema`, lowered) and what the migrations build,
    per table database name: each difference in words."""
    by_table: dict[str, list[str]] = {}
    for drift in drift_list(schema, migrated, provider):
        by_table.setdefault(drift.table, []).append(str(drift))
    return by_table


def drift_list(schema, migrated, provider: str | None) -> list:
    """Each difference (`server.drift.Drift`) between the declared schema and what the
    migrations build."""
    from schemasense.server.drift import DriftComparer, database_form

    form = database_form(schema)
    return list(DriftComparer().compare(form.schema, migrated, provider=provider))


def drift_by_column(drifts) -> dict[tuple[str, str], list[str]]:
    """The column drifts of `drift_list`, per (table, column) database names, in words."""
    by_column: dict[tuple[str, str], list[str]] = {}
    for drift in drifts:
        if drift.kind == "column" and drift.name is not None:
            by_column.setdefault((drift.table, drift.name), []).append(str(drift))
    return by_column

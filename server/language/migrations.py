"""The migrations beside a schema, for the editor: which statement is where, what each one did
to which table and column, and what running it on a live database locks.

`MigrationIndex` is built once per replay of a migration set (`readers.migrations.replay`):
every statement of every file, sorted by offset (for hover in a `.sql` file), and the history of
every table, column and index under its *current* name (renames are followed forward), so a
model's or field's hover and code lens can say which migration created it and which changed it.

`statement_notes()` says what a statement does and what it costs: the lock it takes, what that
lock blocks, whether it is catalog-only, a scan or a rewrite, the safe alternative and what
depends on the server version. The facts are PostgreSQL's (lock levels of `ALTER TABLE`'s
sub-commands, `CREATE INDEX [CONCURRENTLY]`, `NOT VALID` / `VALIDATE CONSTRAINT`, PostgreSQL
11's constant defaults, 12's `ADD VALUE` in a transaction), MySQL's InnoDB online DDL
(`INSTANT` / `INPLACE` / `COPY`) and SQLite's (table rewrites).
"""

from __future__ import annotations

import os
import re
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass, field

from schemasense.server.readers.migrations import ReplayResult
from schemasense.server.readers.migrations import ops as o

Parsed = Callable[[str, str], tuple[o.Parsed, ...]]


@dataclass(frozen=True, slots=True)
class Statement:
    """One statement of one migration file, with what the reader made of it."""

    file: str
    migration: str
    number: int
    start: int
    end: int
    kind: str
    action: str
    ops: tuple[o.Op, ...]
    text: str


@dataclass(frozen=True, slots=True)
class Event:
    """Something a statement did to a table, column or index: `verb` is create, alter,
    rename or drop; `detail` says what (`type`, `NOT NULL`, `default`, `renamed from x`)."""

    statement: Statement
    verb: str
    detail: str = ""


@dataclass(slots=True)
class MigrationIndex:
    """Statements by file and position, and the history of each object by its current name."""

    root: str
    dialect: str
    files: dict[str, list[Statement]] = field(default_factory=dict)
    migrations: list[tuple[str, str]] = field(default_factory=list)
    """(file, migration name) in the order they apply."""
    tables: dict[str, list[Event]] = field(default_factory=dict)
    columns: dict[tuple[str, str], list[Event]] = field(default_factory=dict)
    indexes: dict[str, list[Event]] = field(default_factory=dict)
    result: ReplayResult | None = None
    _starts: dict[str, list[int]] = field(default_factory=dict)

    def statement_at(self, file: str, offset: int) -> Statement | None:
        statements = self.files.get(file)
        if not statements:
            return None
        starts = self._starts.setdefault(file, [s.start for s in statements])
        i = bisect_right(starts, offset) - 1
        if i >= 0 and statements[i].start <= offset <= statements[i].end:
            return statements[i]
        return None

    def history(self, table: str, column: str | None = None) -> list[Event]:
        if column is None:
            return self.tables.get(table, [])
        return self.columns.get((table, column), [])

    def created(self, table: str, column: str | None = None) -> Statement | None:
        """The statement that created the table (or column) as it is now: the last create."""
        for event in reversed(self.history(table, column)):
            if event.verb == "create":
                return event.statement
        return None

    def occurrences(self, table: str, column: str | None = None) -> list[tuple[Statement, int]]:
        """Where each statement of the history names the table (or column): the statement
        and the offset of the name in its file (the statement's start when not found)."""
        found = []
        for event in self.history(table, column):
            name = column if column is not None else table
            found.append((event.statement, _name_offset(event.statement, name)))
        return found


def _name_offset(statement: Statement, name: str) -> int:
    for pattern in (f'"{name}"', f"`{name}`", f"[{name}]"):
        i = statement.text.find(pattern)
        if i >= 0:
            return statement.start + i + 1
    m = re.search(rf"\b{re.escape(name)}\b", statement.text)
    return statement.start + (m.start() if m else 0)


def build(
    result: ReplayResult, parsed: Parsed, texts: dict[str, str] | None = None
) -> MigrationIndex:
    """The index of one replayed set; `parsed(dialect, up_text)` gives the reader's parse of a
    file (the replayer's cache); `texts` the files' full texts when they differ from `up_text`
    (dbmate's two sections)."""
    mset = result.migration_set
    index = MigrationIndex(root=mset.root, dialect=mset.dialect, result=result)
    for file_replay in result.files:
        mfile = file_replay.file
        full = (texts or {}).get(mfile.path) or (" " * mfile.up_span_offset + mfile.up_text)
        parses = parsed(mset.dialect, mfile.up_text)
        statements = []
        for number, record in enumerate(file_replay.statements):
            ops = parses[number].ops if number < len(parses) else ()
            start, end = record.span.start, record.span.end
            statements.append(
                Statement(
                    file=mfile.path,
                    migration=mfile.name,
                    number=number,
                    start=start,
                    end=end,
                    kind=record.kind,
                    action=record.action,
                    ops=ops,
                    text=full[start:end],
                )
            )
        index.files[mfile.path] = statements
        index.migrations.append((mfile.path, mfile.name))
        for statement in statements:
            _record(index, statement)
    return index


def _record(index: MigrationIndex, s: Statement) -> None:
    def table_event(name: str, verb: str, detail: str = "") -> None:
        index.tables.setdefault(name, []).append(Event(s, verb, detail))

    def column_event(table: str, column: str, verb: str, detail: str = "") -> None:
        index.columns.setdefault((table, column), []).append(Event(s, verb, detail))
        table_event(table, "alter", f"{verb} column `{column}`")

    for op in s.ops:
        if isinstance(op, o.CreateTable):
            table = op.table[1]
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
            table = op.table[1]
            for action in op.actions:
                _alter_action(index, s, table, action, column_event, table_event)
        elif isinstance(op, o.CreateIndex):
            name = op.index.name or ""
            index.indexes.setdefault(name, []).append(Event(s, "create"))
            table_event(op.index.table[1], "alter", f"create index `{name}`")
        elif isinstance(op, o.DropObjects):
            for _, name in op.names:
                if op.kind == "table":
                    table_event(name, "drop")
                elif op.kind == "index":
                    index.indexes.setdefault(name, []).append(Event(s, "drop"))
        elif isinstance(op, o.RenameObject):
            old, new = op.name[1], op.new_name
            if op.kind == "table":
                _move(index.tables, old, new)
                for key in [k for k in index.columns if k[0] == old]:
                    _move(index.columns, key, (new, key[1]))
                table_event(new, "rename", f"renamed from `{old}`")
            elif op.kind == "index":
                _move(index.indexes, old, new)
                index.indexes.setdefault(new, []).append(
                    Event(s, "rename", f"renamed from `{old}`")
                )


def _alter_action(index, s, table, action, column_event, table_event) -> None:
    if isinstance(action, o.AddColumn):
        column_event(table, action.column.name, "create")
    elif isinstance(action, o.DropColumn):
        column_event(table, action.name, "drop")
    elif isinstance(action, o.AlterColumnType):
        column_event(table, action.name, "alter", "type")
    elif isinstance(action, o.SetColumnNotNull):
        column_event(table, action.name, "alter", "NOT NULL" if action.not_null else "NULL")
    elif isinstance(action, o.SetColumnDefault):
        column_event(table, action.name, "alter", "default")
    elif isinstance(action, o.ReplaceColumn):
        if action.column.name != action.name:
            _move(index.columns, (table, action.name), (table, action.column.name))
        column_event(table, action.column.name, "alter", "definition")
    elif isinstance(action, o.RenameColumn):
        _move(index.columns, (table, action.name), (table, action.new_name))
        column_event(table, action.new_name, "rename", f"renamed from `{action.name}`")
    elif isinstance(action, o.AddIndex):
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
        index.indexes.setdefault(action.name, []).append(Event(s, "drop"))
    elif isinstance(action, o.RenameConstraint | o.RenameIndex):
        _move(index.indexes, action.name, action.new_name)
        index.indexes.setdefault(action.new_name, []).append(
            Event(s, "rename", f"renamed from `{action.name}`")
        )


def _move(mapping: dict, old, new) -> None:
    events = mapping.pop(old, None)
    if events:
        mapping.setdefault(new, [])[:0] = events


def migration_label(statement: Statement) -> str:
    """`20210605225044_init` (the folder of a Prisma migration, else the file's name)."""
    return statement.migration or os.path.basename(statement.file)


# -- what a statement locks ----------------------------------------------------------------------

ACCESS_EXCLUSIVE = "ACCESS EXCLUSIVE (blocks reads and writes)"
SHARE = "SHARE (blocks writes; reads go on)"
SHARE_ROW_EXCLUSIVE = "SHARE ROW EXCLUSIVE (blocks writes; reads go on)"
SHARE_UPDATE_EXCLUSIVE = "SHARE UPDATE EXCLUSIVE (reads and writes go on)"


@dataclass(frozen=True, slots=True)
class Note:
    """What one operation does and costs: `lock` (None: no table lock worth naming),
    `cost` (catalog only / scan / rewrite / index build / data), `safe` an alternative, and
    `version` what depends on the server version."""

    does: str
    lock: str | None = None
    cost: str | None = None
    safe: str | None = None
    version: str | None = None


def statement_notes(
    statement: Statement, dialect: str, new_tables: frozenset[str] = frozenset()
) -> list[Note]:
    """One note per operation of `statement` (per ALTER TABLE clause). `new_tables` are the
    tables created earlier in the same migration: empty and unseen, so nothing waits on them."""
    notes: list[Note] = []
    if statement.action == "opaque" or not statement.ops:
        notes.append(_opaque(statement, dialect))
        return notes
    new_tables = set(new_tables)
    for op in statement.ops:
        table = op_table(op)
        for note in _op_notes(op, statement, dialect):
            if table is not None and table in new_tables and not isinstance(op, o.CreateTable):
                note = Note(
                    does=note.does,
                    cost="none to speak of: the table is created by this migration, "
                    "so it is empty and nothing else uses it yet",
                )
            notes.append(note)
        if isinstance(op, o.CreateTable):
            new_tables.add(op.table[1])
    return notes


def op_table(op: o.Op) -> str | None:
    """The table an operation works on, if it works on one."""
    if isinstance(op, o.CreateTable | o.AlterTable):
        return op.table[1]
    if isinstance(op, o.CreateIndex):
        return op.index.table[1]
    if isinstance(op, o.DropObjects) and op.on_table is not None:
        return op.on_table[1]
    return None


def new_tables_before(migrations: MigrationIndex, statement: Statement) -> frozenset[str]:
    """Tables created by the statements before `statement` in its file."""
    found = set()
    for earlier in migrations.files.get(statement.file, [])[: statement.number]:
        for op in earlier.ops:
            if isinstance(op, o.CreateTable):
                found.add(op.table[1])
    return frozenset(found)


def _q(name: str) -> str:
    return f"`{name}`"


def _opaque(statement: Statement, dialect: str) -> Note:
    kind = statement.kind
    if kind in ("insert", "update", "delete"):
        return Note(
            does=f"Changes data ({kind.upper()}).",
            lock="row locks on every row it writes"
            + (
                ", held to the end of the migration's transaction"
                if dialect == "postgresql"
                else ""
            ),
            cost="data: proportional to the rows it touches",
            safe="On a large table, batch it outside the migration (by key ranges), so no long "
            "transaction holds the rows.",
        )
    if statement.action == "unparsed":
        return Note(does=f"A `{kind}` statement the reader could not parse.")
    return Note(
        does=f"`{kind.replace('_', ' ')}`: kept as written (functions, triggers, "
        "settings and other statements do not change tables)."
    )


def _op_notes(op: o.Op, statement: Statement, dialect: str) -> list[Note]:
    pg = dialect == "postgresql"
    mysql = dialect == "mysql"
    if isinstance(op, o.CreateTable):
        fks = [c for c in op.constraints if c.kind == "foreign_key"] + [
            c for col in op.columns for c in col.constraints if c.kind == "foreign_key"
        ]
        return [
            Note(
                does=f"Creates table {_q(op.table[1])} ({len(op.columns)} columns).",
                lock="none on existing tables"
                + (
                    "; its foreign keys take SHARE ROW EXCLUSIVE on the tables they reference, "
                    "briefly"
                    if fks and pg
                    else ""
                ),
                cost="catalog only",
            )
        ]
    if isinstance(op, o.CreateIndex):
        return [_index_note(op.index, dialect)]
    if isinstance(op, o.DropObjects):
        names = ", ".join(_q(n[1]) for n in op.names)
        if op.kind == "index":
            return [
                Note(
                    does=f"Drops index {names}.",
                    lock=ACCESS_EXCLUSIVE if pg else ("metadata lock, briefly" if mysql else None),
                    cost="catalog only, but it waits for every running query on the table, and "
                    "everything queued behind it waits too",
                    safe="`DROP INDEX CONCURRENTLY` (alone in its migration: not in a transaction)"
                    if pg
                    else None,
                )
            ]
        if op.kind == "table":
            return [
                Note(
                    does=f"Drops table {names}: its rows are gone.",
                    lock=ACCESS_EXCLUSIVE if pg else None,
                    cost="catalog only (and the files are removed)",
                    safe="Deploy the code that stops using it first; keep a backup.",
                )
            ]
        return [Note(does=f"Drops {op.kind.replace('_', ' ')} {names}.", cost="catalog only")]
    if isinstance(op, o.RenameObject):
        return [
            Note(
                does=f"Renames {op.kind} {_q(op.name[1])} to {_q(op.new_name)}.",
                lock=ACCESS_EXCLUSIVE if pg else None,
                cost="catalog only",
                safe="Running code that uses the old name fails from this moment: deploy in "
                "steps (a view or both names) if the old code is still serving."
                if op.kind in ("table", "view")
                else None,
            )
        ]
    if isinstance(op, o.CreateEnum):
        return [Note(does=f"Creates enum type {_q(op.name[1])}.", cost="catalog only")]
    if isinstance(op, o.AlterEnum):
        if op.add_value is not None:
            return [
                Note(
                    does=f"Adds value '{op.add_value}' to enum {_q(op.name[1])}.",
                    cost="catalog only",
                    version="PostgreSQL 12+ runs `ADD VALUE` inside a transaction (11 and "
                    "older refuse); the new value cannot be used before the transaction "
                    "commits."
                    if pg
                    else None,
                )
            ]
        return [Note(does=f"Changes enum {_q(op.name[1])}.", cost="catalog only")]
    if isinstance(op, o.AlterTable):
        return [_action_note(a, op.table[1], dialect) for a in op.actions]
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


def _index_note(index: o.IndexDef, dialect: str) -> Note:
    name = _q(index.name or "?")
    table = _q(index.table[1])
    kind = "unique index" if index.unique else ("full-text index" if index.fulltext else "index")
    does = f"Creates {kind} {name} on {table}."
    if dialect == "postgresql":
        if index.concurrently:
            return Note(
                does=does,
                lock=SHARE_UPDATE_EXCLUSIVE,
                cost="index build: two scans of the table; waits for transactions open on it",
                safe="Already concurrent. It must not run in a transaction: keep it alone in its "
                "migration. If it fails, `DROP INDEX CONCURRENTLY` the INVALID index and retry.",
            )
        return Note(
            does=does,
            lock=SHARE,
            cost="index build: a full scan and sort of the table, writes wait throughout",
            safe=f"`CREATE {'UNIQUE ' if index.unique else ''}INDEX CONCURRENTLY` alone in its "
            "own migration (PostgreSQL runs a multi-statement migration as one transaction, "
            "where CONCURRENTLY is refused).",
        )
    if dialect == "mysql":
        if index.fulltext:
            return Note(
                does=does,
                lock="LOCK=SHARED (writes wait)",
                cost="the first FULLTEXT index rebuilds the table",
            )
        return Note(
            does=does,
            lock="online (ALGORITHM=INPLACE, LOCK=NONE): a metadata lock at the start and end",
            cost="index build: a full scan; reads and writes go on",
            safe="Say `ALGORITHM=INPLACE, LOCK=NONE` so MySQL refuses rather than copying the "
            "table under a lock.",
        )
    return Note(does=does, lock="the database's write lock", cost="index build: a full scan")


def _action_note(action: o.Action, table: str, dialect: str) -> Note:
    pg = dialect == "postgresql"
    mysql = dialect == "mysql"
    t = _q(table)
    if isinstance(action, o.AddColumn):
        column = action.column
        name = _q(column.name)
        volatile = column.default is not None and bool(
            re.search(
                r"\b(now|random|gen_random_uuid|uuid_generate_v4|clock_timestamp|"
                r"nextval)\s*\(",
                str(column.default),
                re.I,
            )
        )
        if (
            column.not_null
            and column.default is None
            and not column.identity
            and not (column.type.serial)
        ):
            cost = "fails if the table has rows (NOT NULL and no default)"
        elif pg and volatile:
            cost = "rewrite: a volatile default is computed for every existing row"
        else:
            cost = "catalog only"
        if mysql:
            return Note(
                does=f"Adds column {name} to {t}.",
                lock="none while it runs (INSTANT), else online (INPLACE)",
                cost=cost if "fails" in cost else "instant",
                version="MySQL 8.0.12+ adds columns INSTANTly at the end of a table, 8.0.29+ "
                "anywhere; older versions rebuild the table in place.",
            )
        return Note(
            does=f"Adds column {name} to {t}.",
            lock=ACCESS_EXCLUSIVE + ", briefly" if pg else None,
            cost=cost,
            version="PostgreSQL 11+ stores a constant default without rewriting the table; 10 "
            "and older rewrite it."
            if pg and column.default is not None and not volatile
            else None,
            safe="Add it nullable (or with a default), backfill, then SET NOT NULL."
            if "fails" in cost
            else None,
        )
    if isinstance(action, o.DropColumn):
        return Note(
            does=f"Drops column {_q(action.name)} of {t}: its data is gone.",
            lock=ACCESS_EXCLUSIVE + ", briefly" if pg else None,
            cost="catalog only"
            if pg
            else ("instant (8.0.29+), else a rebuild" if mysql else "rewrite of the table"),
            safe="Deploy the code that stops reading and writing it first.",
        )
    if isinstance(action, o.AlterColumnType):
        return Note(
            does=f"Changes the type of {_q(action.name)} in {t} to `{action.type.native}`.",
            lock=ACCESS_EXCLUSIVE if pg else ("LOCK=SHARED (writes wait)" if mysql else None),
            cost="rewrite of the table and its indexes, unless the new type is binary-compatible "
            "(a longer varchar, varchar to text)"
            if pg
            else "table copy (ALGORITHM=COPY)",
            safe="Add a new column, backfill it in batches, switch the code, drop the old one."
            if pg or mysql
            else None,
        )
    if isinstance(action, o.SetColumnNotNull):
        if not action.not_null:
            return Note(
                does=f"Lets {_q(action.name)} of {t} hold NULL.",
                lock=ACCESS_EXCLUSIVE + ", briefly" if pg else None,
                cost="catalog only",
            )
        return Note(
            does=f"Makes {_q(action.name)} of {t} NOT NULL.",
            lock=ACCESS_EXCLUSIVE if pg else None,
            cost="a full scan to check every row (reads and writes wait throughout)"
            if pg
            else "table rebuild",
            safe=f"`ADD CONSTRAINT ... CHECK ({action.name} IS NOT NULL) NOT VALID`, then "
            "`VALIDATE CONSTRAINT` (writes go on), then SET NOT NULL skips the scan."
            if pg
            else None,
            version="PostgreSQL 12+ skips the scan when a valid CHECK (col IS NOT NULL) exists."
            if pg
            else None,
        )
    if isinstance(action, o.SetColumnDefault):
        what = "Sets" if action.raw is not None else "Drops"
        return Note(
            does=f"{what} the default of {_q(action.name)} in {t}.",
            lock=ACCESS_EXCLUSIVE + ", briefly" if pg else None,
            cost="catalog only (existing rows keep their values)",
        )
    if isinstance(action, o.RenameColumn):
        return Note(
            does=f"Renames column {_q(action.name)} of {t} to {_q(action.new_name)}.",
            lock=ACCESS_EXCLUSIVE + ", briefly" if pg else None,
            cost="catalog only",
            safe="Code still using the old name fails from this moment: deploy in steps "
            "(add, copy, switch, drop) if old code is still serving.",
        )
    if isinstance(action, o.ReplaceColumn):
        return Note(
            does=f"Redefines column {_q(action.name)} of {t} (MODIFY/CHANGE).",
            lock="LOCK=SHARED (writes wait) when the type changes",
            cost="table copy when the type or nullability changes; instant for a rename or a "
            "default",
        )
    if isinstance(action, o.AddConstraint):
        return _constraint_note(action.constraint, t, dialect)
    if isinstance(action, o.DropConstraint):
        return Note(
            does=f"Drops constraint {_q(action.name or '?')} of {t}.",
            lock=ACCESS_EXCLUSIVE + ", briefly" if pg else None,
            cost="catalog only",
        )
    if isinstance(action, o.ValidateConstraint):
        return Note(
            does=f"Validates constraint {_q(action.name)} of {t}.",
            lock=SHARE_UPDATE_EXCLUSIVE if pg else None,
            cost="a full scan; reads and writes go on",
        )
    if isinstance(action, o.AddIndex):
        return _index_note(action.index, dialect)
    if isinstance(action, o.DropIndex):
        return Note(does=f"Drops index {_q(action.name)} of {t}.", cost="catalog only")
    return Note(does=f"{type(action).__name__} on {t}.")


def _constraint_note(c: o.ConstraintDef, t: str, dialect: str) -> Note:
    pg = dialect == "postgresql"
    name = _q(c.name or "?")
    if c.kind == "foreign_key":
        target = _q(c.ref_table[1]) if c.ref_table else "?"
        if c.not_valid:
            return Note(
                does=f"Adds foreign key {name} from {t} to {target}, NOT VALID.",
                lock=SHARE_ROW_EXCLUSIVE + " on both tables, briefly" if pg else None,
                cost="catalog only: existing rows are checked later by VALIDATE CONSTRAINT",
            )
        return Note(
            does=f"Adds foreign key {name} from {t} to {target}.",
            lock=SHARE_ROW_EXCLUSIVE + f" on {t} and {target}"
            if pg
            else (
                "online only with foreign_key_checks=0, else a table copy"
                if dialect == "mysql"
                else None
            ),
            cost=f"a full scan of {t} to check every row" if pg else "a scan",
            safe="`ADD CONSTRAINT ... NOT VALID`, then `VALIDATE CONSTRAINT` in a later "
            "migration (SHARE UPDATE EXCLUSIVE: writes go on)."
            if pg
            else None,
        )
    if c.kind in ("unique", "primary_key"):
        what = "primary key" if c.kind == "primary_key" else "unique constraint"
        if c.using_index:
            return Note(
                does=f"Adds {what} {name} to {t} using index {_q(c.using_index)}.",
                lock=ACCESS_EXCLUSIVE + ", briefly" if pg else None,
                cost="catalog only (the index exists)",
            )
        return Note(
            does=f"Adds {what} {name} to {t}.",
            lock=ACCESS_EXCLUSIVE if pg else None,
            cost="index build: a full scan and sort; reads and writes wait throughout",
            safe="`CREATE UNIQUE INDEX CONCURRENTLY`, then `ADD CONSTRAINT ... "
            f"{'PRIMARY KEY' if c.kind == 'primary_key' else 'UNIQUE'} USING INDEX`."
            if pg
            else None,
        )
    if c.kind == "check":
        return Note(
            does=f"Adds check constraint {name} to {t}" + (", NOT VALID." if c.not_valid else "."),
            lock=ACCESS_EXCLUSIVE if pg else None,
            cost="catalog only" if c.not_valid else "a full scan to check every row",
            safe="`NOT VALID`, then `VALIDATE CONSTRAINT`." if pg and not c.not_valid else None,
        )
    return Note(does=f"Adds {c.kind.replace('_', ' ')} {name} to {t}.")


def render_notes(statement: Statement, notes: list[Note], dialect: str) -> str:
    """The statement's hover: each operation's notes, then the transaction it runs in."""
    lines = [
        f"**{statement.kind.replace('_', ' ')}** in `{migration_label(statement)}` "
        f"(statement {statement.number + 1})",
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
    return _event_lines(events, column or table, what, column is not None, link)


def key_history_lines(migrations: MigrationIndex, name: str, link: Link) -> list[str]:
    """The same for an index or constraint (primary key, unique, foreign key) by its name."""
    return _event_lines(migrations.indexes.get(name, []), name, "key", True, link)


def _event_lines(events: list[Event], name: str, what: str, details: bool, link: Link) -> list[str]:
    if not events:
        return [f"No migration creates this {what}: the migrations do not build it."]
    by_migration: dict[str, list[Event]] = {}
    for event in events:
        by_migration.setdefault(event.statement.file, []).append(event)
    parts = []
    for group in by_migration.values():
        first = group[0].statement
        target = link(first.file, _name_offset(first, name))
        label = f"[`{migration_label(first)}`]({target})"
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

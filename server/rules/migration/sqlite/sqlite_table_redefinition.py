"""DB242: a SQLite table redefinition (create a copy, copy the rows, drop, rename) of a table
in use.

The rule finds the sequence by its shape, whatever the tool that wrote it (Prisma's
`new_X`, Drizzle's `__new_X`, TypeORM's `temporary_X`): a `CREATE TABLE` of a table that is
renamed, later in the same file, to the name of a table the file drops in between. The fix
needs the old table's definition; `_History` rebuilds it from the statements before this one
(every earlier file included), as SQLite stores it: the text of each column and constraint,
and each index, kept up to date through ADD / DROP / RENAME COLUMN and table renames. Anything
it cannot follow (an unreadable statement naming the table, a view or trigger on it, a table
option) withholds the fix; the finding stays.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import pairwise

from schemasense.codegen.ddl import statements as ops
from schemasense.codegen.ddl.operations import (
    AlterTable,
    DropColumn,
    Operation,
    RenameColumn,
)
from schemasense.codegen.emit.sql.base import UnsupportedOperation, render_statements
from schemasense.server.findings import Finding, Fix, TextEdit
from schemasense.server.lint import migration_fixes as mf
from schemasense.server.lint.migration_rule import MigrationRule, MigrationState, table_key
from schemasense.server.lint.registry import Status
from schemasense.server.migrations.model import StatementRecord


class SqliteTableRedefinition(MigrationRule):
    """## What it does
    Flags a SQLite table redefinition (`CREATE TABLE "new_X"`, `INSERT INTO "new_X"` the rows
    of `"X"`, `DROP TABLE "X"`, `ALTER TABLE "new_X" RENAME TO "X"`, then the indexes again)
    of a table that existed before this migration. A table created earlier in
    the same migration, or in the same not-yet-deployed batch, is not flagged. Prisma writes
    this sequence for every change SQLite's `ALTER TABLE` cannot make (and for some it can).

    ## Why is this bad?
    Every row of the table is copied into a new table, and every index of the table is built
    again, inside one write transaction (the runner's; without one, the copy alone is a write
    transaction, and between the `DROP` and the `RENAME` the table does not exist). A write
    transaction holds SQLite's `RESERVED` lock on the whole database file: every other write,
    to any table, waits until the commit, and fails with `SQLITE_BUSY` ("database is locked")
    once its `busy_timeout` runs out. In WAL mode readers go on (they read the last commit).
    In rollback-journal mode the commit takes the `EXCLUSIVE` lock, which shuts readers out
    too, and so does a copy that outgrows the page cache: SQLite then writes to the file
    before the commit, under the same `EXCLUSIVE` lock. The time all this takes grows with
    the table. And with foreign keys on, inside a transaction, the `DROP TABLE` runs the
    `ON DELETE` actions of the tables that reference it (`CASCADE` empties them), even after
    `PRAGMA defer_foreign_keys=ON` (SQLite 3.40, tests/verify/test_sqlite_table_redefinition.py);
    `ALTER TABLE` deletes nothing.

    ## Example
    ```sql
    -- RedefineTables
    PRAGMA defer_foreign_keys=ON;
    PRAGMA foreign_keys=OFF;
    CREATE TABLE "new_User" (
        "id" TEXT NOT NULL PRIMARY KEY,
        "email" TEXT NOT NULL,
        "bio" TEXT
    );
    INSERT INTO "new_User" ("email", "id") SELECT "email", "id" FROM "User";
    DROP TABLE "User";
    ALTER TABLE "new_User" RENAME TO "User";
    CREATE UNIQUE INDEX "User_email_key" ON "User"("email");
    PRAGMA foreign_keys=ON;
    PRAGMA defer_foreign_keys=OFF;
    ```
    (the column `name` dropped, `bio` added).

    ## Use instead
    When the redefinition only drops, adds or renames columns, `ALTER TABLE` does it in place:
    ```sql
    ALTER TABLE "User" DROP COLUMN "name";
    ALTER TABLE "User" ADD COLUMN "bio" TEXT;
    ```
    `ADD COLUMN` and `RENAME COLUMN` change only the schema (the table's SQL text): no row is
    read, whatever the table's size. `DROP COLUMN` (SQLite 3.35+) still rewrites every row of
    the table, in place, to remove the column's values, under the same lock; it copies nothing
    into a second table and builds no index again. Anything else (a type, a `NOT NULL`, a
    default, a key) SQLite can only change by redefining the table: deploy it when writes can
    wait, and make each table's changes in one redefinition.

    ## Fix safety
    When the redefinition does nothing `ALTER TABLE` cannot do in place, the fix replaces it
    (the new table, the copy, the drop, the rename, the indexes it builds again unchanged, and
    the `PRAGMA` lines around it when they wrap this redefinition alone) with `ALTER TABLE ...
    DROP COLUMN` / `RENAME COLUMN` / `ADD COLUMN`, for the configured SQLite version
    (`database-version`; a current release when none is set: 3.35 for `DROP COLUMN`, 3.25 for
    `RENAME COLUMN`). It is declined when a dropped column is part of a key, an index, a
    constraint or a generated column; when an added column is a key, has a `CHECK`, is
    generated, has a default that is not a constant (`CURRENT_TIMESTAMP`, an expression), is
    `NOT NULL` without a default, or references a table with a default other than NULL; when a
    kept column, a constraint or an index changes; when a view or trigger names the table; or
    when the copy is more than plain columns. The fix is safe when the table ends with its
    columns in the same order as the redefinition gives it; otherwise it is unsafe: `ADD
    COLUMN` puts a column last and the others keep their places (Prisma often writes a new
    column before the foreign keys, or reorders), which `SELECT *` and `INSERT` without a
    column list would see.
    """

    code = "DB242"
    watches = (ops.CreateTable,)
    severity = "warning"
    fix = "sometimes"
    status = Status.stable("0.1.0")
    dialects = ("sqlite",)

    def check_statement(self, stmt: StatementRecord, state: MigrationState) -> Iterator[Finding]:
        found = find_redefinition(stmt, state)
        if found is None or state.is_new(found.table):
            return
        fix = _fix(found, state)
        table, temp = found.table, found.temp
        where = (
            "inside the migration's write transaction"
            if state.in_transaction
            else "in a write transaction of its own (and no table "
            f'"{table}" exists between the DROP and the RENAME)'
        )
        message = (
            f'Redefining "{table}" copies every row into "{temp}" {where}: SQLite\'s RESERVED '
            f"lock on the database file makes every other write, to any table, wait until the "
            f"commit (SQLITE_BUSY once busy_timeout runs out); readers go on in WAL mode, in "
            f"rollback-journal mode the EXCLUSIVE lock of the commit (or of a copy larger than "
            f'the page cache) shuts them out too; every index of "{table}" is built again'
        )
        if fix is not None:
            help_ = f'ALTER TABLE "{table}" makes this change in place, without the copy'
        else:
            help_ = (
                "SQLite can only make this change by copying the table: deploy it when writes "
                "can wait, and keep each table's changes in one redefinition"
            )
        span = found.copy.span if found.copy is not None else _header(stmt)
        yield self.finding(message, span, help=help_, fix=fix)


def _header(stmt: StatementRecord):
    """The first line of the statement (a CREATE TABLE spans many)."""
    line = stmt.text.find("\n")
    if line < 0:
        return stmt.span
    return stmt.span.model_copy(update={"end": stmt.span.start + len(stmt.text[:line].rstrip())})


# -- finding the sequence ---------------------------------------------------------------------


@dataclass
class Redefinition:
    """The statements of one table redefinition in a file."""

    table: str
    """The redefined table (its name as the RENAME writes it)."""
    temp: str
    create: StatementRecord
    copy: StatementRecord | None
    drop: StatementRecord
    rename: StatementRecord
    between: list[StatementRecord]
    """Every statement between the CREATE and the RENAME (the copy and the drop among them)."""
    indexes: list[StatementRecord]
    """The CREATE INDEX statements on the table right after the RENAME."""
    position: int
    """The CREATE's position in its file's statements."""


def find_redefinition(stmt: StatementRecord, state: MigrationState) -> Redefinition | None:
    if len(stmt.ops) != 1 or not isinstance(stmt.ops[0], ops.CreateTable):
        return None
    create = stmt.ops[0]
    if create.as_select:
        return None
    temp = table_key(create.qname)
    statements = state.file.statements
    i = stmt.index if stmt.index < len(statements) and statements[stmt.index] is stmt else None
    if i is None:
        i = next((k for k, s in enumerate(statements) if s is stmt), None)
        if i is None:
            return None
    for j in range(i + 1, len(statements)):
        target = _renamed_to(statements[j], temp)
        if target is not None:
            break
        if _drops(statements[j], temp):
            return None
    else:
        return None
    between = statements[i + 1 : j]
    drop = next((s for s in between if _drops(s, target)), None)
    if drop is None:
        return None
    copy = next((s for s in between if _copies_into(s, temp)), None)
    indexes = []
    for s in statements[j + 1 :]:
        if (
            len(s.ops) == 1
            and isinstance(s.ops[0], ops.CreateIndex)
            and table_key(s.ops[0].qname).lower() == target.lower()
        ):
            indexes.append(s)
            continue
        break
    return Redefinition(target, temp, stmt, copy, drop, statements[j], between, indexes, i)


def _renamed_to(stmt: StatementRecord, temp: str) -> str | None:
    for op in stmt.ops:
        if isinstance(op, ops.RenameTable):
            if table_key(op.qname).lower() == temp.lower():
                return op.new
        elif isinstance(op, ops.AlterTable) and table_key(op.qname).lower() == temp.lower():
            for action in op.changes:
                if isinstance(action, ops.RenameTable):
                    return action.new
    return None


def _drops(stmt: StatementRecord, table: str) -> bool:
    return any(
        isinstance(op, ops.DropTable) and table_key(op.qname).lower() == table.lower()
        for op in stmt.ops
    )


def _copies_into(stmt: StatementRecord, temp: str) -> bool:
    if stmt.kind != "insert":
        return False
    toks = _norm(tokens(stmt.text))
    return len(toks) > 2 and toks[:2] == ["INSERT", "INTO"] and _same(toks[2], temp)


# -- SQL tokens -------------------------------------------------------------------------------

_TOKEN = re.compile(
    r"""(?P<skip>\s+|--[^\n]*|/\*.*?(?:\*/|$))
    |(?P<ident>"(?:[^"]|"")*"|`(?:[^`]|``)*`|\[[^\]]*\])
    |(?P<string>'(?:[^']|'')*')
    |(?P<word>[A-Za-z_][\w$]*)
    |(?P<number>(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?)
    |(?P<symbol>\S)""",
    re.S | re.X,
)


@dataclass(frozen=True, slots=True)
class Tok:
    """A token in a comparable form (words upper-cased, identifiers double-quoted), with
    where it sits in the text."""

    norm: str
    start: int
    end: int


def tokens(text: str) -> list[Tok]:
    found: list[Tok] = []
    for m in _TOKEN.finditer(text):
        kind = m.lastgroup
        if kind == "skip":
            continue
        raw = m.group()
        if kind == "ident":
            if raw[0] == '"':
                name = raw[1:-1].replace('""', '"')
            elif raw[0] == "`":
                name = raw[1:-1].replace("``", "`")
            else:
                name = raw[1:-1]
            norm = '"' + name + '"'
        elif kind == "word":
            norm = raw.upper()
        else:
            norm = raw
        found.append(Tok(norm, m.start(), m.end()))
    return found


def _norm(toks: list[Tok]) -> list[str]:
    return [t.norm for t in toks]


def name_of(tok: str) -> str | None:
    """The identifier a normalized token names (None for strings, numbers, symbols)."""
    if tok.startswith('"'):
        return tok[1:-1]
    if tok[:1].isalpha() or tok[:1] == "_":
        return tok
    return None


def _written_name(tok: Tok, text: str) -> str | None:
    """The identifier `tok` names, spelled as written: a quoted name unquoted, an unquoted one
    in its own case (`norm` upper-cases words; SQLite keeps a column's name as declared)."""
    name = name_of(tok.norm)
    if name is None or tok.norm.startswith('"'):
        return name
    return text[tok.start : tok.end]


def _same(tok: str, name: str) -> bool:
    found = name_of(tok)
    return found is not None and found.lower() == name.lower()


def _mentions(toks: list[str], name: str) -> bool:
    return any(_same(t, name) for t in toks)


def _renamed(toks: list[str], old: str, new: str) -> list[str]:
    return [mf.quote(new) if _same(t, old) else t for t in toks]


def _split(toks: list[Tok]) -> list[list[Tok]]:
    """Items separated by commas at depth 0."""
    items: list[list[Tok]] = [[]]
    depth = 0
    for t in toks:
        if t.norm == "(":
            depth += 1
        elif t.norm == ")":
            depth -= 1
        elif t.norm == "," and depth == 0:
            items.append([])
            continue
        items[-1].append(t)
    return [i for i in items if i]


_CONSTRAINT_START = frozenset({"CONSTRAINT", "PRIMARY", "UNIQUE", "CHECK", "FOREIGN"})


@dataclass
class Column:
    name: str
    definition: list[str]
    """The tokens after the name."""
    text: str = ""
    """The column's definition as written (name included)."""


@dataclass
class TableDef:
    columns: list[Column]
    constraints: list[list[str]]
    options: list[str]
    indexes: dict[str, list[str]] = field(default_factory=dict)
    """lower-cased index name -> its CREATE INDEX tokens, the table's name left out."""
    followed: bool = True
    """False once a statement touched the table in a way this model does not follow."""
    dependents: bool = False
    """A view or a trigger names the table."""

    def column(self, name: str) -> Column | None:
        return next((c for c in self.columns if c.name.lower() == name.lower()), None)


def parse_create_table(text: str) -> TableDef | None:
    """Columns, table constraints and options of a `CREATE TABLE name (...) options`."""
    toks = tokens(text)
    open_at = next((k for k, t in enumerate(toks) if t.norm == "("), None)
    if open_at is None or "AS" in _norm(toks[:open_at]):
        return None
    depth = 0
    close_at = None
    for k in range(open_at, len(toks)):
        if toks[k].norm == "(":
            depth += 1
        elif toks[k].norm == ")":
            depth -= 1
            if depth == 0:
                close_at = k
                break
    if close_at is None:
        return None
    columns: list[Column] = []
    constraints: list[list[str]] = []
    for item in _split(toks[open_at + 1 : close_at]):
        norm = _norm(item)
        if norm[0] in _CONSTRAINT_START:
            constraints.append(norm)
            continue
        name = _written_name(item[0], text)
        if name is None:
            return None
        columns.append(Column(name, norm[1:], text[item[0].start : item[-1].end]))
    options = [t for t in _norm(toks[close_at + 1 :]) if t != ";"]
    return TableDef(columns, constraints, options)


def _index_key(text: str, table: str) -> list[str] | None:
    """A CREATE INDEX's tokens without `IF NOT EXISTS` and the table's name (which a table
    rename changes)."""
    norm = _norm(tokens(text))
    if "ON" not in norm:
        return None
    on = norm.index("ON")
    if on + 1 >= len(norm) or not _same(norm[on + 1], table):
        return None
    head = [t for t in norm[:on] if t not in ("IF", "NOT", "EXISTS")]
    return [*head, "ON", *norm[on + 2 :]]


# -- the old table, from the statements before ------------------------------------------------

_VIEW_OR_TRIGGER = re.compile(r"^\s*CREATE\s+(?:TEMP(?:ORARY)?\s+)?(?:VIEW|TRIGGER)\b", re.I)
_DATA = frozenset({"insert", "update", "delete", "select", "pragma", "transaction", "empty"})


class _History:
    """Every table as the statements so far built it (lower-cased name -> definition)."""

    def __init__(self) -> None:
        self.tables: dict[str, TableDef | None] = {}

    def apply(self, stmt: StatementRecord) -> None:
        if stmt.error is not None or (not stmt.ops and stmt.kind not in _DATA):
            named = _norm(tokens(stmt.text))
            view_or_trigger = _VIEW_OR_TRIGGER.match(stmt.text) is not None
            for key, table in self.tables.items():
                if table is not None and _mentions(named, key):
                    if view_or_trigger:
                        table.dependents = True
                    else:
                        table.followed = False
            return
        for op in stmt.ops:
            self._op(op, stmt)

    def _op(self, op: ops.Op, stmt: StatementRecord) -> None:
        if isinstance(op, ops.CreateTable):
            self.tables[table_key(op.qname).lower()] = (
                None if op.as_select else parse_create_table(stmt.text)
            )
        elif isinstance(op, ops.CreateView):
            named = _norm(tokens(stmt.text))
            for key, table in self.tables.items():
                if table is not None and _mentions(named, key):
                    table.dependents = True
        elif isinstance(op, ops.DropTable):
            self.tables.pop(table_key(op.qname).lower(), None)
        elif isinstance(op, ops.DropIndex):
            key = (op.name or "").lower()
            for table in self.tables.values():
                if table is not None:
                    table.indexes.pop(key, None)
        elif isinstance(op, ops.CreateIndex):
            key = table_key(op.qname).lower()
            table = self.tables.get(key)
            if table is not None and op.index.name:
                index = _index_key(stmt.text, key)
                if index is None:
                    table.followed = False
                else:
                    table.indexes[op.index.name.lower()] = index
        elif isinstance(op, ops.RenameTable):
            self._rename_table(table_key(op.qname), op.new)
        elif isinstance(op, ops.AlterTable):
            self._alter(op, stmt)

    def _rename_table(self, old: str, new: str) -> None:
        table = self.tables.pop(old.lower(), None)
        self.tables[new.lower()] = table
        for other in self.tables.values():  # SQLite 3.26+ rewrites references to it
            if other is not None:
                other.constraints = [_renamed(c, old, new) for c in other.constraints]
                for column in other.columns:
                    column.definition = _renamed(column.definition, old, new)

    def _alter(self, op: ops.AlterTable, stmt: StatementRecord) -> None:
        key = table_key(op.qname).lower()
        table = self.tables.get(key)
        for action in op.changes:
            if isinstance(action, ops.RenameTable):
                self._rename_table(key, action.new)
                key = action.new.lower()
                continue
            if table is None:
                continue
            if isinstance(action, ops.AddColumn) and len(op.changes) == 1:
                column = _added_column(stmt.text)
                if column is None:
                    table.followed = False
                else:
                    table.columns.append(column)
            elif isinstance(action, ops.DropColumn):
                table.columns = [c for c in table.columns if c.name.lower() != action.name.lower()]
            elif isinstance(action, ops.RenameColumn):
                old, new = action.old, action.new
                column = table.column(old)
                if column is not None:
                    column.name = new
                table.constraints = [_renamed(c, old, new) for c in table.constraints]
                table.indexes = {k: _renamed(v, old, new) for k, v in table.indexes.items()}
                table.followed = table.followed and not any(
                    _mentions(c, key) for t in self.tables.values() if t for c in t.constraints
                )
            else:
                table.followed = False


def _added_column(text: str) -> Column | None:
    toks = tokens(text)
    norm = _norm(toks)
    if "ADD" not in norm:
        return None
    at = norm.index("ADD") + 1
    if at < len(norm) and norm[at] == "COLUMN":
        at += 1
    item = [t for t in toks[at:] if t.norm != ";"]
    name = _written_name(item[0], text) if item else None
    if name is None:
        return None
    return Column(name, _norm(item[1:]), text[item[0].start : item[-1].end])


def history_before(state: MigrationState, position: int) -> _History:
    """The tables as the statements before the one at `position` of the current file built
    them (every earlier file included)."""
    history = _History()
    for file in state.migration.files:
        current = file is state.file
        for stmt in file.statements[:position] if current else file.statements:
            history.apply(stmt)
        if current:
            break
    return history


# -- the fix ----------------------------------------------------------------------------------

_NOT_ADDABLE = frozenset({"PRIMARY", "UNIQUE", "CHECK", "GENERATED", "AS"})
_NOT_DROPPABLE = frozenset({"PRIMARY", "UNIQUE", "REFERENCES", "CHECK", "GENERATED", "AS"})
_CONSTANTS = frozenset({"NULL", "TRUE", "FALSE"})
_BEFORE = {("defer_foreign_keys", "on"), ("foreign_keys", "off")}
_AFTER = {("foreign_key_check", None), ("foreign_keys", "on"), ("defer_foreign_keys", "off")}
_PRAGMA = re.compile(r"^\s*PRAGMA\s+(\w+)\s*(?:=\s*'?(\w+)'?)?\s*;?\s*$", re.I)


def _copy_map(stmt: StatementRecord, temp: str, table: str) -> dict[str, str] | None:
    """new column (lower) -> old column, from `INSERT INTO temp (cols) SELECT cols FROM
    table` with plain columns only."""
    norm = _norm(tokens(stmt.text))
    if norm and norm[-1] == ";":
        norm = norm[:-1]
    if norm[:4] != ["INSERT", "INTO", norm[2] if len(norm) > 2 else "", "("]:
        return None
    try:
        close = norm.index(")")
        select = norm.index("SELECT")
        frm = norm.index("FROM")
    except ValueError:
        return None
    if select != close + 1 or norm[frm + 1 :] == [] or len(norm) != frm + 2:
        return None
    if not _same(norm[frm + 1], table):
        return None
    targets = [name_of(t) for t in norm[4:close] if t != ","]
    sources = [name_of(t) for t in norm[select + 1 : frm] if t != ","]
    if (
        len(targets) != len(sources)
        or len(norm[4:close]) != 2 * len(targets) - 1
        or len(norm[select + 1 : frm]) != 2 * len(sources) - 1
        or None in targets
        or None in sources
    ):
        return None
    mapping = {t.lower(): s for t, s in zip(targets, sources, strict=True)}  # type: ignore[union-attr]
    if len(mapping) != len(targets) or len({s.lower() for s in sources}) != len(sources):  # type: ignore[union-attr]
        return None
    return mapping


def _addable(definition: list[str]) -> bool:
    """Whether `ALTER TABLE ADD COLUMN` accepts the column (lang_altertable.html)."""
    if any(t in _NOT_ADDABLE for t in definition):
        return False
    default = None
    if "DEFAULT" in definition:
        at = definition.index("DEFAULT") + 1
        rest = definition[at:]
        if not rest:
            return False
        if rest[0] in ("-", "+") and len(rest) > 1 and rest[1][:1].isdigit():
            default = rest[1]
        elif rest[0].startswith("'") or rest[0][:1].isdigit() or rest[0] in _CONSTANTS:
            default = rest[0]
        else:  # CURRENT_TIMESTAMP, (expression), a blob
            return False
    not_null = any(a == "NOT" and b == "NULL" for a, b in pairwise(definition))
    if not_null and default in (None, "NULL"):
        return False
    return not ("REFERENCES" in definition and default not in (None, "NULL"))


def _droppable(column: Column, old: TableDef, others: list[TableDef], table: str) -> bool:
    """Whether `ALTER TABLE DROP COLUMN` accepts it: not a key, not in an index, a constraint
    or another table's foreign key (lang_altertable.html)."""
    if any(t in _NOT_DROPPABLE for t in column.definition):
        return False
    if any(_mentions(c, column.name) for c in old.constraints):
        return False
    if any(_mentions(i, column.name) for i in old.indexes.values()):
        return False
    if any(_mentions(c.definition, column.name) for c in old.columns if c is not column):
        return False  # a generated column's expression
    for other in others:
        for item in [*other.constraints, *(c.definition for c in other.columns)]:
            if _mentions(item, table) and _mentions(item, column.name):
                return False
    return True


def _fix(found: Redefinition, state: MigrationState) -> Fix | None:
    if found.copy is None or any(s not in (found.copy, found.drop) for s in found.between):
        return None
    if not state.ctx.version_at_least(3, 25):
        return None
    history = history_before(state, found.position)
    old = history.tables.get(found.table.lower())
    new = parse_create_table(found.create.text)
    mapping = _copy_map(found.copy, found.temp, found.table)
    if old is None or new is None or mapping is None or not old.followed or old.dependents:
        return None
    if old.options != new.options or old.constraints != new.constraints:
        return None
    others = [t for k, t in history.tables.items() if t is not None and k != found.table.lower()]
    renames: list[tuple[str, str]] = []
    added: list[Column] = []
    kept: set[str] = set()
    for column in new.columns:
        source = mapping.get(column.name.lower())
        if source is None:
            if not _addable(column.definition):
                return None
            added.append(column)
            continue
        was = old.column(source)
        if was is None or was.definition != column.definition:
            return None
        kept.add(was.name.lower())
        if was.name != column.name:
            everything = [*old.constraints, *old.indexes.values(), *new.constraints]
            if any(_mentions(c, was.name) for c in everything):
                return None
            for other in others:  # a foreign key to the column: SQLite renames it there too
                for item in [*other.constraints, *(c.definition for c in other.columns)]:
                    if _mentions(item, found.table) and _mentions(item, was.name):
                        return None
            renames.append((was.name, column.name))
    if len(mapping) != len(kept):
        return None
    dropped = [c for c in old.columns if c.name.lower() not in kept]
    if dropped and not state.ctx.version_at_least(3, 35):
        return None
    if any(not _droppable(c, old, others, found.table) for c in dropped):
        return None
    # names: drops first, then renames, then adds, none landing on a name in use
    names = {c.name.lower() for c in old.columns} - {c.name.lower() for c in dropped}
    for was, now in renames:
        if now.lower() in names and now.lower() != was.lower():
            return None
        names = (names - {was.lower()}) | {now.lower()}
    for column in added:
        if column.name.lower() in names:
            return None
        names.add(column.name.lower())
    # indexes: each of the table's built again unchanged, or new (kept)
    rebuilt: list[StatementRecord] = []
    seen: set[str] = set()
    for stmt in found.indexes:
        index = stmt.ops[0].index
        key = _index_key(stmt.text, found.table)
        name = (index.name or "").lower()
        if key is None or not name:
            return None
        if name in old.indexes:
            if old.indexes[name] != key:
                return None
            rebuilt.append(stmt)
            seen.add(name)
    if seen != set(old.indexes):
        return None
    table = found.table
    steps: list[Operation] = [AlterTable(table, (DropColumn(c.name),)) for c in dropped]
    steps += [RenameColumn(table, a, b) for a, b in renames]
    steps += [  # the column as the migration wrote it (its type is in its text)
        AlterTable(table, (ops.AddColumn(ops.ColumnDef(c.name, ops.SqlType()), source=c.text),))
        for c in added
    ]
    said = [f'drop "{c.name}"' for c in dropped]
    said += [f'rename "{a}" to "{b}"' for a, b in renames]
    said += [f'add "{c.name}"' for c in added]
    if not steps:
        return None
    try:
        alter = render_statements(steps, "sqlite")
    except UnsupportedOperation:
        return None
    edits: list[TextEdit] = [mf.replace_statement(found.create, ";\n".join(alter))]
    for stmt in [found.copy, found.drop, found.rename, *rebuilt]:
        edits.append(mf.remove_statement(stmt, state.file))
    edits += _pragma_edits(found, state)
    final = [dict(renames).get(c.name, c.name).lower() for c in old.columns if c not in dropped] + [
        c.name.lower() for c in added
    ]
    same_order = final == [c.name.lower() for c in new.columns]
    title = f'Alter "{found.table}" in place ({", ".join(said)}), no copy'
    if not same_order:
        title += "; its columns end in another order"
    return Fix(title, tuple(edits), applicability="safe" if same_order else "unsafe")


def _pragma_edits(found: Redefinition, state: MigrationState) -> list[TextEdit]:
    """Remove the PRAGMA lines right around the redefinition when they wrap it alone and
    pair up (foreign keys off / on, deferred / not)."""
    statements = state.file.statements
    before: list[StatementRecord] = []
    k = found.position - 1
    while k >= 0 and _pragma(statements[k]) in _BEFORE:
        before.insert(0, statements[k])
        k -= 1
    last = found.indexes[-1] if found.indexes else found.rename
    k = next(n for n, s in enumerate(statements) if s is last) + 1
    after: list[StatementRecord] = []
    while k < len(statements) and _pragma(statements[k]) in _AFTER:
        after.append(statements[k])
        k += 1
    on = {_pragma(s) for s in before}
    off = {_pragma(s) for s in after} - {("foreign_key_check", None)}
    pairs = {("defer_foreign_keys", "on"): ("defer_foreign_keys", "off")}
    pairs[("foreign_keys", "off")] = ("foreign_keys", "on")
    if not on or {pairs[p] for p in on} != off:
        return []
    return [mf.remove_statement(s, state.file) for s in [*before, *after]]


def _pragma(stmt: StatementRecord) -> tuple[str, str | None] | None:
    m = _PRAGMA.match(stmt.text)
    if m is None:
        return None
    value = m.group(2)
    value = {"0": "off", "false": "off", "no": "off", "1": "on", "true": "on", "yes": "on"}.get(
        (value or "").lower(), (value or "").lower() or None
    )
    return m.group(1).lower(), value

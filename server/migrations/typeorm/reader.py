"""A TypeORM migration file read into the replay's pieces, without running it.

TypeORM loads every class a migration file exports and orders them as its `MigrationExecutor`
does (`getMigrations`): the migration's name is the instance's `name` property when it has one
(`name = "AddTags1733600000000"`; 0.3 takes `name || constructor.name`, 1.x `name ??
constructor.name`), else the class name; the timestamp is `parseInt(name.slice(-13), 10)`, and a
name without one makes TypeORM refuse to start. Classes are sorted by that timestamp with a
stable sort, so two with the same timestamp keep the order they were loaded in (file by file, in
the glob's order, then in export order).

What `up` does becomes, in order: each `queryRunner.query(sql)` (and `queryRunner.manager.query`,
`queryRunner.connection.query`) a `SqlPiece` with the SQL where it sits in the file, and each
Table-API call a `CallPiece` of operations (`calls.py`). What cannot be known is a `CallPiece`
with an error, and the replay goes on: SQL that is not a literal, a Table-API argument computed at
run time, a call to a helper that is given the query runner, a schema change inside a loop.
A `${...}` whose value is unknown is a placeholder of the same length (`holes`).
"""

from __future__ import annotations

import dataclasses
import os
import re
from collections.abc import Callable
from dataclasses import dataclass

from schemasense.codegen.orms.typeorm.naming import NamingStrategy
from schemasense.server.migrations.model import CallPiece, Piece, SqlPiece
from schemasense.server.migrations.typeorm import calls
from schemasense.server.sources.typescript.declarations import (
    CallSite,
    ClassDecl,
    Import,
    Member,
    Module,
    read_module,
)
from schemasense.server.sources.typescript.values import (
    Fragment,
    Hole,
    Obj,
    Ref,
    Str,
    Unknown,
    Value,
)

PLACEHOLDER = "_"
"""What an unknown `${...}` reads as, repeated to the hole's length: an identifier character,
so a statement with a computed name still parses."""

_QUERY_PATHS = (("query",), ("manager", "query"), ("connection", "query"))
_READ_ONLY = frozenset(
    {
        "hasTable", "hasColumn", "hasSchema", "hasDatabase", "getTable", "getTables",
        "getView", "getViews", "getCurrentSchema", "getCurrentDatabase", "getSchemas",
        "getDatabases", "startTransaction", "commitTransaction", "rollbackTransaction",
        "release", "connect", "stream", "clearSqlMemory", "enableSqlMemory",
        "disableSqlMemory", "getMemorySql", "getReplicationMode", "beforeMigration",
        "afterMigration",
    }
)  # fmt: skip
"""Query-runner methods that change no schema (reads and transaction control)."""

_DATA = re.compile(
    r"^\s*(?:--[^\n]*\n\s*)*(insert|update|delete|select|with|merge|replace)\b", re.I
)


@dataclass(frozen=True, slots=True)
class MigrationClass:
    """One migration class of a file, as TypeORM knows it."""

    name: str
    """The migration's name: its `name` property, else the class name."""
    class_name: str
    timestamp: int | None
    """`parseInt(name.slice(-13))`; None when TypeORM would refuse the name."""
    decl: ClassDecl
    up: Member | None
    down: Member | None


def js_timestamp(name: str) -> int | None:
    """`parseInt(name.slice(-13), 10)`, None where TypeORM finds no timestamp (NaN or 0)."""
    tail = name[-13:].lstrip(" \t\n\r\f\v")
    match = re.match(r"[+-]?\d+", tail)
    if match is None:
        return None
    value = int(match.group(0))
    return value or None


def migration_classes(module: Module) -> list[MigrationClass]:
    """The exported classes of a file that have an `up` method, in the order they appear."""
    found = []
    for decl in module.classes:
        up = decl.member("up", static=False)
        if up is None or up.kind != "method" or not (decl.exported or decl.default_export):
            continue
        name = decl.name
        prop = decl.member("name", static=False)
        named = prop is not None and prop.kind == "property" and isinstance(prop.value, Str)
        if named and prop.value.value:  # type: ignore[union-attr]  # 0.3: `name || ...`
            name = prop.value.value  # type: ignore[union-attr]
        down = decl.member("down", static=False)
        found.append(
            MigrationClass(
                name=name,
                class_name=decl.name,
                timestamp=js_timestamp(name),
                decl=decl,
                up=up,
                down=down if down is not None and down.kind == "method" else None,
            )
        )
    return found


@dataclass(frozen=True, slots=True)
class ReadMethod:
    """What one method (`up` or `down`) does: its pieces, and how much of it could be read."""

    pieces: tuple[Piece, ...]
    hole_pieces: int = 0
    """SQL pieces with at least one unknown `${...}`."""


def read_method(
    module: Module, migration: MigrationClass, member: Member | None, dialect: str,
    naming: NamingStrategy,
) -> ReadMethod:  # fmt: skip
    """The pieces of `member` (a migration's `up` or `down`), in the order they run."""
    if member is None or not member.params or member.body_end <= member.body_start:
        return ReadMethod(())
    d = calls.Dialect(dialect, naming, _resolver(module, migration.decl))
    pieces = _pieces(module, member, member.params[0].name, d, dialect, 0, False)
    holes = sum(1 for p in pieces if isinstance(p, SqlPiece) and p.holes)
    return ReadMethod(tuple(pieces), holes)


HELPER_DEPTH = 4
"""How deep helpers of the same file (`await fixTable(queryRunner)`) are followed."""


def _pieces(
    module: Module, body: Member, runner: str, d: calls.Dialect, dialect: str, depth: int,
    conditional: bool,
) -> list[Piece]:  # fmt: skip
    pieces: list[Piece] = []
    for site in module.calls(within=(body.body_start, body.body_end)):
        helper = _helper(module, site, runner) if depth < HELPER_DEPTH else None
        if helper is not None:
            function, param = helper
            if site.in_loop:
                pieces.append(CallPiece(site.start, site.end, "call", error=_LOOP))
                continue
            pieces += _pieces(
                module, function, param, d, dialect, depth + 1, conditional or site.conditional
            )
            continue
        piece = _piece(site, runner, d, dialect)
        if piece is None:
            continue
        if (conditional or site.conditional) and not (isinstance(piece, CallPiece) and piece.error):
            piece = dataclasses.replace(piece, conditional=True)
        pieces.append(piece)
    return pieces


def _helper(module: Module, site: CallSite, runner: str) -> tuple[Member, str] | None:
    """A function of the same file that is given the query runner: the function, and the
    name its parameter gives the runner."""
    if len(site.path) != 1:
        return None
    for index, arg in enumerate(site.args):
        if _names(arg, runner):
            function = module.function_member(site.path[0])
            if function is not None and index < len(function.params):
                return function, function.params[index].name
    return None


def _piece(site: CallSite, runner: str, d: calls.Dialect, dialect: str) -> Piece | None:
    path = site.path
    if path[:1] == (runner,) and len(path) > 1:
        tail = path[1:]
        if tail in _QUERY_PATHS:
            return _query(site, dialect)
        method = tail[-1]
        if len(tail) != 1 or method in _READ_ONLY:
            return None  # queryRunner.manager.find(...), a read, transaction control
        if method not in calls.TABLE_API:
            return CallPiece(
                site.start, site.end, "call",
                error=f"`{runner}.{method}` is not a step the replay reads",
            )  # fmt: skip
        if site.in_loop:
            return CallPiece(site.start, site.end, "call", error=_LOOP)
        try:
            read = calls.read_call(d, method, list(site.args), (site.start, site.end))
        except calls.Unread as why:
            return CallPiece(site.start, site.end, "call", error=str(why))
        return CallPiece(site.start, site.end, read.kind, read.ops)
    if any(_names(arg, runner) for arg in site.args):
        shown = ".".join(path) if path else "a function"
        return CallPiece(
            site.start, site.end, "call",
            error=f"`{shown}` is given the query runner: what it runs is not read",
        )  # fmt: skip
    return None


_LOOP = "runs inside a loop: how many times, and with what, is not known without running it"


def _names(value: Value, runner: str) -> bool:
    return isinstance(value, Ref) and value.path[:1] == (runner,) and len(value.path) == 1


def _query(site: CallSite, dialect: str) -> Piece:
    sql = site.args.get(0)
    if not isinstance(sql, Str):
        what = getattr(sql, "text", "") or "its argument"
        return CallPiece(
            site.start, site.end, "call",
            error=f"the SQL ({what[:60]}) is not known without running the code",
        )  # fmt: skip
    piece = sql_piece(sql)
    if piece is None:
        return CallPiece(site.start, site.end, "call", error="the SQL is empty")
    if site.in_loop and not _all_data(piece.text):
        return CallPiece(site.start, site.end, "call", error=_LOOP)
    return _guarded_block(piece) or piece


_GUARDED = re.compile(
    r"^\s*DO\s*(?P<tag>\$\w*\$)\s*BEGIN\b(?P<body>.*?)\bEXCEPTION\s+WHEN\s+[\w\s]+?\s+THEN"
    r"\s*(?:NULL\s*;)?\s*END\s*;?\s*(?P=tag)\s*;?\s*$",
    re.I | re.S,
)


def _guarded_block(piece: SqlPiece) -> SqlPiece | None:
    """`DO $$ BEGIN <statements> EXCEPTION WHEN <condition> THEN END; $$` (medusa's
    `ensure_required_quantity`: a rename that must not fail when it was already made): the
    statements, as a piece that runs where it applies cleanly, placed where they are."""
    match = _GUARDED.match(piece.text)
    if match is None or ";" in match.group("body").strip().rstrip(";"):
        return None  # only one statement: a block of several may stop half-way
    start, end = match.span("body")
    offsets = tuple(piece.file_offset(i) for i in range(start, end + 1))
    return SqlPiece(
        piece.text[start:end],
        offsets[0],
        tuple((a - start, b - start) for a, b in piece.holes if a >= start and b <= end),
        offsets if any(o != offsets[0] + i for i, o in enumerate(offsets)) else None,
        conditional=True,
    )


def _all_data(sql: str) -> bool:
    """Every statement of `sql` changes data only (a data fix in a loop changes no schema)."""
    statements = [s for s in sql.split(";") if s.strip()]
    return bool(statements) and all(_DATA.match(s) for s in statements)


def sql_piece(value: Str) -> SqlPiece | None:
    """The SQL of a string or template literal, each character placed in the file; an unknown
    hole is a placeholder of its own length."""
    text: list[str] = []
    offsets: list[int] = []
    holes: list[tuple[int, int]] = []
    if not value.parts and value.value:
        # a constant of another file: its text, every character placed on the expression
        size = len(value.value)
        return SqlPiece(value.value, value.start, (), (value.start,) * size + (value.end,))
    size = 0
    for part in value.parts:
        if isinstance(part, Fragment):
            text.append(part.text)
            if part.offsets is None or len(part.offsets) != len(part.text):
                offsets.extend(part.offset_of(k) for k in range(len(part.text)))
            else:
                offsets.extend(part.offsets)
            size += len(part.text)
        elif isinstance(part, Hole):
            width = max(1, part.end - part.start)
            holes.append((size, size + width))
            text.append(PLACEHOLDER * width)
            offsets.extend(range(part.start, part.start + width))
            size += width
    if not size:
        return None
    last = value.parts[-1] if value.parts else None
    offsets.append(last.end if last is not None else offsets[-1] + 1)
    start = offsets[0]
    identity = offsets[-1] - start == size and all(o == start + k for k, o in enumerate(offsets))
    return SqlPiece("".join(text), start, tuple(holes), None if identity else _monotonic(offsets))


def _monotonic(offsets: list[int]) -> tuple[int, ...]:
    """Offsets that never go back (a constant's text placed on its `${...}`: every character
    on the hole's start), so a span mapped through them is never reversed."""
    out: list[int] = []
    for o in offsets:
        out.append(max(o, out[-1]) if out else o)
    return tuple(out)


def _resolver(module: Module, decl: ClassDecl) -> Callable[[Value], Value]:
    """Resolves `this.x` to the initializer of the class's property `x` (express-typescript-
    boilerplate keeps its `TableForeignKey` in a property)."""

    def resolve(value: Value) -> Value:
        name = None
        if isinstance(value, Ref) and len(value.path) == 2 and value.path[0] == "this":
            name = value.path[1]
        elif isinstance(value, Unknown):
            said = module.text[value.start : value.end]
            if said.startswith("this.") and said[5:].isidentifier():
                name = said[5:]
        member = decl.member(name, static=False) if name else None
        if member is not None and member.kind == "property" and member.value is not None:
            return member.value
        return value

    return resolve


TextOf = Callable[[str], "str | None"]
_SCRIPT_SUFFIXES = (".ts", ".tsx", ".js", ".mts", ".cts", ".mjs", ".cjs")


class Imports:
    """Constants and enums a migration imports from the project's own files (flowise's
    `import { EnumChatflowType } from '../../entities/ChatFlow'`), read with the same layer and
    cached per file; a package import, or a file that cannot be read, stays unknown. A value
    from another file is given without its places in that file: its text is placed where it
    is used."""

    MAX_DEPTH = 4

    def __init__(self, text_of: TextOf) -> None:
        self._text_of = text_of
        self._modules: dict[str, Module | None] = {}
        self._depth = 0

    def resolver(self, path: str) -> Callable[[Import, str | None], Value | None]:
        def resolve(imp: Import, name: str | None) -> Value | None:
            if name is None or not imp.module.startswith(".") or self._depth >= self.MAX_DEPTH:
                return None
            module = self._module(os.path.normpath(os.path.join(os.path.dirname(path), imp.module)))
            if module is None:
                return None
            self._depth += 1
            try:
                value = module.constant(name)
            finally:
                self._depth -= 1
            return _placeless(value) if value is not None else None

        return resolve

    def _module(self, base: str) -> Module | None:
        if base in self._modules:
            return self._modules[base]
        self._modules[base] = None  # an import cycle reads as unknown
        for candidate in [base + s for s in _SCRIPT_SUFFIXES] + [
            os.path.join(base, "index" + s) for s in _SCRIPT_SUFFIXES
        ]:
            text = self._text_of(candidate) if os.path.isfile(candidate) else None
            if text is not None:
                self._modules[base] = read_module(candidate, text, self.resolver(candidate))
                break
        return self._modules[base]


def _placeless(value: Value) -> Value:
    """`value` with no parts pointing into its own file (a string keeps its text only)."""
    if isinstance(value, Str):
        return Str(value.start, value.end, value.value)
    if isinstance(value, Obj):
        props = tuple(dataclasses.replace(p, value=_placeless(p.value)) for p in value.props)
        return Obj(value.start, value.end, props, value.spreads, value.unknown_keys)
    return value


def read_file(
    path: str, text: str, imports: Imports | None = None
) -> tuple[Module, list[MigrationClass]]:
    module = read_module(path, text, imports.resolver(path) if imports is not None else None)
    return module, migration_classes(module)

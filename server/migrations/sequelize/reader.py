"""A sequelize-cli / umzug migration file -> the steps its `up` takes, in order.

`up(queryInterface, Sequelize)` (sequelize-cli) or `up({ context: queryInterface })` (umzug) is
found in what the file exports; every call on the query interface inside it, in text order, is
a step: awaited one after another, chained with `.then`, gathered in `Promise.all([...])` or
run inside `queryInterface.sequelize.transaction(async (t) => ...)` all come out in the order
they are written, which is the order they are sent for the sequential code migrations are.
A call into a function of the same project that is handed the query interface
(`await createTableWithTriggers(queryInterface, "users", {...})`) is followed, its parameters
bound to what the caller passes; a step inside a function of another file is placed at the call
that leads to it. The user's code is never run: what cannot be known is an unreadable step.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable

from schemasense.codegen.orms.sequelize.column_sql import Dialect
from schemasense.server.migrations.model import CallPiece, Piece
from schemasense.server.migrations.sequelize.calls import call_pieces, sql_pieces
from schemasense.server.sources.typescript import Module, read_module
from schemasense.server.sources.typescript.values import Func, Obj, Ref, Value

TextOf = Callable[[str], "str | None"]

MAX_FOLLOW = 4
"""How deep calls into the project's own functions are followed."""

_SUFFIXES = (".ts", ".js", ".cjs", ".mjs", "/index.ts", "/index.js")
_NAME = re.compile(r"[A-Za-z_$][\w$]*")
_CONTEXT = re.compile(r"\bcontext\s*(?::\s*([A-Za-z_$][\w$]*))?")


def find_up(module: Module) -> Func | None:
    """The `up` function the file exports (`module.exports = { up }`, `export default { up }`,
    `export async function up`, `exports.up = ...`)."""
    exported = module.default_export
    if isinstance(exported, Obj):
        up = exported.get("up")
        if isinstance(up, Func):
            return up
        if isinstance(up, Ref) and len(up.path) == 1:
            return module.function_named(up.path[0])
    found = module.function_named("up")
    if found is not None:
        return found
    for node in module.parsed.root.named_children:
        expr = node.named_children[0] if node.named_children else None
        if (
            node.type != "expression_statement"
            or expr is None
            or expr.type != "assignment_expression"
        ):
            continue
        left = expr.child_by_field_name("left")
        if left is not None and module.parsed.node_text(left) in (
            "exports.up",
            "module.exports.up",
        ):
            value = module.value(expr.child_by_field_name("right"))
            if isinstance(value, Func):
                return value
    return None


def interface_names(func: Func) -> set[str]:
    """The names the query interface has inside `func`: its first parameter, or the
    `context` of umzug's `({ context: queryInterface })`."""
    if not func.params:
        return set()
    first = func.params[0].strip()
    if first.startswith("{"):
        match = _CONTEXT.search(first)
        if match is None:
            return set()
        return {match.group(1) or "context"}
    return {first.split(":")[0].split("=")[0].strip()}


class _Walk:
    def __init__(self, path: str, size: int, dialect: Dialect, text_of: TextOf) -> None:
        self.path = path
        self.size = size
        self.dialect = dialect
        self.text_of = text_of
        self.pieces: list[Piece] = []
        self._modules: dict[str, Module | None] = {}

    def walk(
        self,
        module: Module,
        func: Func,
        names: set[str],
        anchor: tuple[int, int] | None,
        depth: int,
    ) -> None:
        covered = -1
        here = anchor is None
        for site in module.calls(within=(func.body_start, func.body_end)):
            if site.start < covered:
                continue
            path = site.path
            if not path:
                continue
            span = anchor or (site.start, site.end)
            if path[0] in names and len(path) == 2:
                self.pieces.extend(call_pieces(path[1], list(site.args), span, self.dialect))
                covered = site.end
            elif path[-2:] == ("sequelize", "query") or (
                path[0] in names and path[1:] == ("query",)
            ):
                self.pieces.extend(
                    sql_pieces(site.args.get(0), span, self.dialect, self.size, here=here)
                )
                covered = site.end
            elif (
                len(path) <= 2
                and any(_hands_interface(a, names) for a in site.args)
                and self._follow(module, path, list(site.args), names, span, anchor, depth)
            ):
                covered = site.end

    def _follow(
        self,
        module: Module,
        path: tuple[str, ...],
        args: list[Value],
        names: set[str],
        span: tuple[int, int],
        anchor: tuple[int, int] | None,
        depth: int,
    ) -> bool:
        """Walk into the project's function `path` called with the query interface."""
        found = self._function(module, path)
        if found is None:
            self.pieces.append(
                CallPiece(
                    span[0],
                    span[1],
                    "call",
                    error=f"the function `{'.'.join(path)}` is handed the query interface but"
                    " cannot be followed (not a function of this project that can be read)",
                )
            )
            return True
        target, func = found
        if depth >= MAX_FOLLOW:
            self.pieces.append(
                CallPiece(span[0], span[1], "call", error="calls nested too deeply to follow")
            )
            return True
        inner: set[str] = set()
        extra: dict[str, Value] = {}
        for i, param in enumerate(func.params):
            if i >= len(args):
                continue
            for name, value in _bound(param, args[i]):
                if _is_interface(value, names):
                    inner.add(name)
                else:
                    extra[name] = value
        if not inner:
            return False
        other = target.path != module.path
        self.walk(
            target.with_bindings(extra),
            func,
            inner,
            anchor if anchor is not None else (span if other else None),
            depth + 1,
        )
        return True

    def _function(self, module: Module, path: tuple[str, ...]) -> tuple[Module, Func] | None:
        if len(path) == 1:
            local = module.function_named(path[0])
            if local is not None:
                return module, local
        imported = module.import_of(path[0])
        if imported is None:
            return None
        imp, name = imported
        if not imp.module.startswith("."):
            return None
        target = self._module(os.path.join(os.path.dirname(module.path), imp.module))
        if target is None:
            return None
        wanted = name if len(path) == 1 else path[1]
        if wanted is None:
            return None
        func = target.function_named(wanted)
        return (target, func) if func is not None else None

    def _module(self, base: str) -> Module | None:
        base = os.path.normpath(base)
        if base in self._modules:
            return self._modules[base]
        found = None
        for suffix in ("", *_SUFFIXES):
            candidate = base + suffix
            if suffix == "" and not os.path.splitext(base)[1]:
                continue
            text = self.text_of(candidate)
            if text is not None:
                found = read_module(candidate, text)
                break
        self._modules[base] = found
        return found


def _hands_interface(value: Value, names: set[str]) -> bool:
    """The query interface itself, or an object literal holding it (`{ queryInterface }`)."""
    if isinstance(value, Obj):
        return any(_is_interface(p.value, names) for p in value.props)
    return _is_interface(value, names)


def _bound(param: str, arg: Value) -> list[tuple[str, Value]]:
    """The names a parameter binds to a caller's argument: `table` to the argument, or each
    name of `{ table, queryInterface: qi }` to the argument object's property."""
    param = param.strip()
    if not param.startswith("{"):
        name = param.split(":")[0].split("=")[0].strip()
        return [(name, arg)] if _NAME.fullmatch(name) else []
    if not isinstance(arg, Obj):
        return []
    found = []
    for entry in param.strip("{} \n").split(","):
        key, _, local = entry.partition(":")
        key, local = key.split("=")[0].strip(), (local or key).split("=")[0].strip()
        value = arg.get(key)
        if value is not None and _NAME.fullmatch(local):
            found.append((local, value))
    return found


def _is_interface(value: Value, names: set[str]) -> bool:
    return isinstance(value, Ref) and len(value.path) == 1 and value.path[0] in names


def read_pieces(path: str, text: str, dialect: Dialect, text_of: TextOf) -> tuple[Piece, ...]:
    """The steps of the migration at `path` (never raises: what cannot be read is a step with
    an error, and the replay goes on)."""
    module = read_module(path, text)
    up = find_up(module)
    if up is None:
        return (
            CallPiece(0, 0, "migration", error="the file exports no `up` function Sequelize runs"),
        )
    names = interface_names(up)
    walk = _Walk(path, len(text), dialect, text_of)
    walk.walk(module, up, names, None, 0)
    return tuple(walk.pieces)

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
from dataclasses import dataclass

from schemasense.codegen.orms.sequelize.column_sql import Dialect
from schemasense.server.migrations.model import CallPiece, Piece
from schemasense.server.migrations.sequelize.calls import call_pieces, sql_pieces
from schemasense.server.sources.typescript import Module, read_module
from schemasense.server.sources.typescript.values import (
    Array,
    Bool,
    Call,
    Func,
    Null,
    Num,
    Obj,
    Ref,
    Str,
    Value,
)

TextOf = Callable[[str], "str | None"]

MAX_FOLLOW = 4
"""How deep calls into the project's own functions are followed."""

MAX_ITEMS = 500
"""Loops over more known items than this are walked once, their variable unknown."""

MAX_STEPS = 200_000
"""Statements walked in one file at most (nested loops over known items multiply)."""

_INDEX_INIT = re.compile(r"^(?:let|var) ([A-Za-z_$][\w$]*) = 0;?$")
_ITERATING = {"map", "forEach", "flatMap"}
_SEQUELIZE_DIALECT = {"postgresql": "postgres", "mysql": "mysql", "sqlite": "sqlite"}

_SUFFIXES = (".ts", ".js", ".cjs", ".mjs", "/index.ts", "/index.js")
_NAME = re.compile(r"[A-Za-z_$][\w$]*")
_CONTEXT = re.compile(r"\bcontext\s*(?::\s*([A-Za-z_$][\w$]*))?")


def find_up(module: Module) -> Func | None:
    """The `up` function the file exports (`module.exports = { up }`, `export default { up }`,
    `export async function up`, `exports.up = ...`)."""
    return find_exported(module, "up")


def find_exported(module: Module, name: str) -> Func | None:
    """The function `name` (`up`, `down`) the file exports, written in any of the ways
    `find_up` lists."""
    exported = module.default_export
    if isinstance(exported, Obj):
        up = exported.get(name)
        if isinstance(up, Func):
            return up
        if isinstance(up, Ref) and len(up.path) == 1:
            return module.function_named(up.path[0])
    found = module.function_named(name)
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
            f"exports.{name}",
            f"module.exports.{name}",
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


@dataclass(frozen=True, slots=True)
class _Frame:
    """Where the walk is: the file read with the names bound so far (`env`: loop variables, a
    helper's parameters), the names of the query interface, the functions declared in the
    body being walked, and `anchor`, the call in the migration file that led into another
    file (every step found there is placed on it)."""

    module: Module
    names: frozenset[str]
    env: dict[str, Value]
    local: dict[str, Func]
    anchor: tuple[int, int] | None
    depth: int

    def bind(self, extra: dict[str, Value]) -> _Frame:
        env = {**self.env, **extra}
        return _Frame(
            self.module.with_bindings(env), self.names, env, self.local, self.anchor, self.depth
        )


class _Walk:
    def __init__(self, path: str, size: int, dialect: Dialect, text_of: TextOf) -> None:
        self.path = path
        self.size = size
        self.dialect = dialect
        self.text_of = text_of
        self.pieces: list[Piece] = []
        self._modules: dict[str, Module | None] = {}
        self._steps = 0

    def walk(
        self,
        module: Module,
        func: Func,
        names: set[str],
        anchor: tuple[int, int] | None,
        depth: int,
        env: dict[str, Value] | None = None,
        local: dict[str, Func] | None = None,
    ) -> None:
        """Run `func`'s body statement by statement (without running any code)."""
        env = env or {}
        frame = _Frame(
            module.with_bindings(env) if env else module,
            frozenset(names),
            env,
            dict(local or {}),
            anchor,
            depth,
        )
        body = module.node_at(func.body_start, func.body_end)
        if body is None:
            return
        if body.type == "statement_block":
            self._block(body, frame)
        else:
            self._calls(frame, func.body_start, func.body_end)

    # -- statements ---------------------------------------------------------------------------

    def _block(self, node, frame: _Frame) -> None:
        for child in node.named_children:
            frame = self._statement(child, frame) or frame

    def _statement(self, node, frame: _Frame) -> _Frame | None:
        """Walk one statement; a declaration that binds names (`const [a, b] = pair`) gives
        the frame the statements after it see."""
        self._steps += 1
        if self._steps > MAX_STEPS:
            return
        kind = node.type
        parsed = frame.module.parsed
        if kind == "comment":
            return
        if kind in ("statement_block", "else_clause"):
            self._block(node, frame)
        elif kind in ("lexical_declaration", "variable_declaration"):
            for declarator in node.named_children:
                name = declarator.child_by_field_name("name")
                value = declarator.child_by_field_name("value")
                if (
                    name is not None
                    and value is not None
                    and name.type == "identifier"
                    and value.type in ("arrow_function", "function_expression", "function")
                ):
                    func = frame.module.value(value)
                    if isinstance(func, Func):
                        frame.local[parsed.node_text(name)] = func
                    continue
                self._calls(frame, *parsed.span(declarator))
                if name is not None and value is not None and name.type != "identifier":
                    bound = _bound(parsed.node_text(name), frame.module.value(value))
                    if bound:
                        frame = frame.bind(dict(bound))
            return frame
        elif kind == "function_declaration":
            name = node.child_by_field_name("name")
            if name is not None:
                start, end = parsed.span(node)
                func = frame.module.evaluator._function(node, start, end, 0)
                if isinstance(func, Func):
                    frame.local[parsed.node_text(name)] = func
        elif kind == "if_statement":
            known = self._condition(node.child_by_field_name("condition"), frame)
            then = node.child_by_field_name("consequence")
            other = node.child_by_field_name("alternative")
            if known is not False and then is not None:
                self._statement(then, frame)
            if known is not True and other is not None:
                self._statement(other, frame)
        elif kind == "for_in_statement":
            self._for_in(node, frame)
        elif kind == "for_statement":
            self._for(node, frame)
        elif kind == "try_statement":
            for field in ("body", "finalizer"):
                part = node.child_by_field_name(field)
                if part is not None:
                    self._statement(part, frame)
        elif kind == "finally_clause":
            self._block(node, frame)
        else:
            self._calls(frame, *parsed.span(node))

    def _for_in(self, node, frame: _Frame) -> None:
        """`for (const x of ITEMS)` / `for (const k in OBJ)` over known values: the body once
        per item, `x` bound; else once, with `x` unknown."""
        left = node.child_by_field_name("left")
        right = node.child_by_field_name("right")
        body = node.child_by_field_name("body")
        if body is None:
            return
        over = frame.module.value(right) if right is not None else None
        of = any(c.type == "of" for c in node.children)
        items: list[Value] | None = None
        if isinstance(over, Array):
            if of:
                items = list(over.items)
            else:
                items = [Num(over.start, over.end, i) for i in range(len(over.items))]
        elif isinstance(over, Obj) and not of and not over.spreads:
            items = [Str(over.start, over.end, k, ()) for k in over.keys()]  # noqa: SIM118
        if items is None or left is None or len(items) > MAX_ITEMS:
            self._statement(body, frame)
            return
        pattern = frame.module.parsed.node_text(left)
        for item in items:
            self._statement(body, frame.bind(dict(_bound(pattern, item))))

    def _for(self, node, frame: _Frame) -> None:
        """`for (let i = 0; i < ITEMS.length; i++)` over a known array: the body once per
        index, `i` bound; any other loop once."""
        body = node.child_by_field_name("body")
        if body is None:
            return
        total, index = self._index_loop(node, frame)
        if total is not None and index is not None and total <= MAX_ITEMS:
            for i in range(total):
                self._statement(body, frame.bind({index: Num(0, 0, i)}))
            return
        self._statement(body, frame)

    def _index_loop(self, node, frame: _Frame) -> tuple[int | None, str | None]:
        parsed = frame.module.parsed
        init = node.child_by_field_name("initializer")
        cond = node.child_by_field_name("condition")
        if init is None or cond is None:
            return None, None
        match = _INDEX_INIT.match(" ".join(parsed.node_text(init).split()))
        if cond.type == "expression_statement" and cond.named_children:
            cond = cond.named_children[0]
        if match is None or cond.type != "binary_expression":
            return None, None
        op = cond.child_by_field_name("operator")
        left, right = cond.child_by_field_name("left"), cond.child_by_field_name("right")
        if op is None or op.type != "<" or left is None or right is None:
            return None, None
        if parsed.node_text(left) != match.group(1):
            return None, None
        total = frame.module.value(right)
        if isinstance(total, Num) and isinstance(total.value, int):
            return total.value, match.group(1)
        return None, None

    def _condition(self, node, frame: _Frame) -> bool | None:
        """An `if`'s condition when it can be known: comparisons of known values, and of the
        dialect (`MigrationUtils.getDialect(queryInterface) === "sqlite"`,
        `queryInterface.sequelize.getDialect()`); else None (both branches are walked)."""
        if node is None:
            return None
        while node.type in ("parenthesized_expression",) and node.named_children:
            node = node.named_children[0]
        if node.type == "unary_expression":
            op = node.child_by_field_name("operator")
            if op is not None and op.type == "!":
                inner = self._condition(node.child_by_field_name("argument"), frame)
                return None if inner is None else not inner
            return None
        if node.type != "binary_expression":
            return _truthy(frame.module.value(node))
        op_node = node.child_by_field_name("operator")
        op = op_node.type if op_node is not None else ""
        left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
        if op in ("&&", "||"):
            a, b = self._condition(left, frame), self._condition(right, frame)
            if op == "&&":
                return False if a is False or b is False else (True if a and b else None)
            return (
                True if a is True or b is True else (False if a is False and b is False else None)
            )
        if op not in ("===", "==", "!==", "!="):
            return _truthy(frame.module.value(node))
        a = self._known(frame.module.value(left))
        b = self._known(frame.module.value(right))
        if a is None or b is None:
            return None
        return (a == b) if op in ("===", "==") else (a != b)

    def _known(self, value: Value) -> object:
        if isinstance(value, (Str, Num, Bool)):
            return value.value
        path: tuple[str, ...] = ()
        if isinstance(value, Call) and isinstance(value.callee, Ref):
            path = value.callee.path
        elif isinstance(value, Ref):
            path = value.path
        if path[-1:] == ("getDialect",) or path[-2:] == ("options", "dialect"):
            return _SEQUELIZE_DIALECT[self.dialect]
        return None

    # -- calls --------------------------------------------------------------------------------

    def _calls(self, frame: _Frame, start: int, end: int) -> None:
        """The steps among the calls written in `start`..`end`, in text order."""
        covered = -1
        names = frame.names
        here = frame.anchor is None
        module = frame.module
        for site in module.calls(within=(start, end)):
            if site.start < covered:
                continue
            path = site.path
            span = frame.anchor or (site.start, site.end)
            if site.method in _ITERATING and site.args and isinstance(site.args[0], Func):
                items = site.receiver
                if isinstance(items, Array) and len(items.items) <= MAX_ITEMS:
                    # `[...].map((x) => queryInterface.addColumn(x, ...))` over known items
                    for item in items.items:
                        self._closure(frame, site.args[0], [item], span)
                    covered = site.end
                    continue
            if not path:
                callee = site.callee
                if not isinstance(callee, Func):
                    continue
                closure = next(
                    (f for f in frame.local.values() if f.body_start == callee.body_start), None
                )
                if closure is not None:  # declared in the body being walked: sees its names
                    self._closure(frame, closure, list(site.args), span)
                    covered = site.end
                elif any(_hands_interface(a, names) for a in site.args):
                    # a function of this file, named by a constant (`const f = async () => {}`)
                    self._enter(frame, module, callee, list(site.args), span)
                    covered = site.end
                continue
            if path[0] in names and len(path) == 2:
                self.pieces.extend(call_pieces(path[1], list(site.args), span, self.dialect))
                covered = site.end
            elif path[-2:] == ("sequelize", "query") or (
                path[0] in names and path[1:] == ("query",)
            ):
                sql = self._returned(frame, site.args.get(0))
                options = site.args.get(1)
                named = isinstance(options, Obj) and options.get("replacements") is not None
                self.pieces.extend(
                    sql_pieces(sql, span, self.dialect, self.size, here=here, replacements=named)
                )
                covered = site.end
            elif len(path) == 1 and path[0] in frame.local:
                self._closure(frame, frame.local[path[0]], list(site.args), span)
                covered = site.end
            elif (
                len(path) <= 2
                and any(_hands_interface(a, names) for a in site.args)
                and self._follow(frame, path, list(site.args), span)
            ):
                covered = site.end

    def _returned(self, frame: _Frame, value: Value | None) -> Value | None:
        """`query(buildSql("Orders"))`: what a function of this file returns for these
        arguments, when it returns one expression (`(table) => `UPDATE "${table}" ...``)."""
        if not isinstance(value, Call) or not isinstance(value.callee, Func):
            return value
        func = value.callee
        body = frame.module.node_at(func.body_start, func.body_end)
        if body is None:
            return value
        if body.type == "statement_block":
            statements = [c for c in body.named_children if c.type != "comment"]
            if len(statements) != 1 or statements[0].type != "return_statement":
                return value
            body = next(iter(statements[0].named_children), None)
            if body is None:
                return value
        env = dict(frame.env)
        for i, param in enumerate(func.params):
            if i < len(value.args):
                env.update(_bound(param, value.args[i]))
        return frame.module.with_bindings(env).value(body)

    def _closure(self, frame: _Frame, func: Func, args: list[Value], span: tuple[int, int]) -> None:
        """A function declared in the body being walked: it sees what the body sees."""
        if frame.depth >= MAX_FOLLOW:
            self.pieces.append(
                CallPiece(span[0], span[1], "call", error="calls nested too deeply to follow")
            )
            return
        env = dict(frame.env)
        names = set(frame.names)
        for i, param in enumerate(func.params):
            if i < len(args):
                for name, value in _bound(param, args[i]):
                    if _is_interface(value, frame.names):
                        names.add(name)
                    else:
                        env[name] = value
        self.walk(frame.module, func, names, frame.anchor, frame.depth + 1, env, frame.local)

    def _follow(
        self,
        frame: _Frame,
        path: tuple[str, ...],
        args: list[Value],
        span: tuple[int, int],
    ) -> bool:
        """Walk into the project's function `path` called with the query interface."""
        module = frame.module
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
        return self._enter(frame, target, func, args, span)

    def _enter(
        self,
        frame: _Frame,
        target: Module,
        func: Func,
        args: list[Value],
        span: tuple[int, int],
    ) -> bool:
        """Walk `func` of `target` called with `args` (the query interface among them)."""
        module, names, anchor, depth = frame.module, frame.names, frame.anchor, frame.depth
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
            target,
            func,
            inner,
            anchor if anchor is not None else (span if other else None),
            depth + 1,
            extra,
        )
        return True

    def _function(self, module: Module, path: tuple[str, ...]) -> tuple[Module, Func] | None:
        if len(path) == 1:
            local = module.function_named(path[0])
            for namespace in module.namespaces:  # a call between functions of a namespace
                local = local or module.function_named(path[0], namespace)
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
        namespace = name if len(path) == 2 and name is not None else None
        func = target.function_named(wanted, namespace)
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


def _truthy(value: Value) -> bool | None:
    """JavaScript's truthiness of a known value; None when it is not known."""
    if isinstance(value, (Bool, Num)):
        return bool(value.value)
    if isinstance(value, Str):
        return None if value.value is None else bool(value.value)
    if isinstance(value, (Array, Obj, Func)):
        return True
    if isinstance(value, Null):
        return False
    return None


def _hands_interface(value: Value, names: set[str]) -> bool:
    """The query interface itself, or an object literal holding it (`{ queryInterface }`)."""
    if isinstance(value, Obj):
        return any(_is_interface(p.value, names) for p in value.props)
    return _is_interface(value, names)


def _bound(param: str, arg: Value) -> list[tuple[str, Value]]:
    """The names a parameter binds to a caller's argument: `table` to the argument, or each
    name of `{ table, queryInterface: qi }` to the argument object's property."""
    param = param.strip()
    if param.startswith("["):
        if not isinstance(arg, Array):
            return []
        names = [n.split("=")[0].strip() for n in param.strip("[] \n").split(",")]
        return [(n, item) for n, item in zip(names, arg.items, strict=False) if _NAME.fullmatch(n)]
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

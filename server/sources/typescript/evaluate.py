"""Expression nodes -> `values.Value`, resolving what can be known without running the code.

Resolved statically: literals (strings with their escapes, template literals, numbers, booleans,
`null` / `undefined`), arrays and object literals, `+` of known strings and numbers, constants of
the file (`const TABLE = "users"`, `const T = { name: "users" }` then `T.name`, `enum Status { A =
"a" }` then `Status.A`), and the wrappers TypeScript adds (`x as const`, `x satisfies T`, `x!`,
`<T>x`, parentheses, `await`). Everything else keeps its shape: a name from elsewhere is a `Ref`, a
call a `Call` with its read arguments, a function a `Func` with the value it returns, anything else
`Unknown` with its range. Nothing here raises; nesting deeper than `MAX_DEPTH` is `Unknown`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from schemasense.server.sources.typescript.parse import ParsedFile
from schemasense.server.sources.typescript.values import (
    Array,
    Bool,
    Call,
    Fragment,
    Func,
    Hole,
    Null,
    Num,
    Obj,
    Prop,
    Ref,
    Str,
    Unknown,
    Value,
)
from tree_sitter import Node

MAX_DEPTH = 200
"""Expressions nested deeper than this are not read (a generated or hostile file)."""

_WRAPPERS = {
    "parenthesized_expression",
    "as_expression",
    "satisfies_expression",
    "non_null_expression",
    "type_assertion",
    "await_expression",
}

_SIMPLE_ESCAPES = {
    "n": "\n",
    "t": "\t",
    "r": "\r",
    "b": "\b",
    "f": "\f",
    "v": "\v",
    "0": "\0",
}

Bindings = Mapping[str, Callable[[], Value | None]]
"""Names a file binds to values: resolved lazily, on first use, so a file's constants cost
nothing until an expression names one."""


class Evaluator:
    """Reads expressions of one parsed file against its bindings (`declarations.Module` builds
    them from the file's constants and enums)."""

    def __init__(self, parsed: ParsedFile, bindings: Bindings | None = None) -> None:
        self.parsed = parsed
        self._bindings = bindings or {}
        self._resolving: set[str] = set()
        self._locals = _LocalConstants(parsed.root)

    # -- entry --------------------------------------------------------------------------------

    def value(self, node: Node | None, depth: int = 0) -> Value:
        if node is None:
            return Unknown(0, 0, "nothing")
        start, end = self.parsed.span(node)
        if depth > MAX_DEPTH:
            return Unknown(start, end, "nested too deeply to read")
        kind = node.type
        if kind in _WRAPPERS:
            inner = _inner(node)
            if inner is None:
                return Unknown(start, end, "an empty expression")
            return self.value(inner, depth + 1)
        reader = _READERS.get(kind)
        if reader is None:
            return Unknown(start, end, _reason(kind), self.parsed.text[start:end])
        return reader(self, node, start, end, depth)

    # -- literals -----------------------------------------------------------------------------

    def _string(self, node: Node, start: int, end: int, depth: int) -> Value:
        parts: list[Fragment | Hole] = []
        inner_start, inner_end = start + 1, max(start + 1, end - 1)
        cursor = inner_start
        for child in node.children:
            c_start, c_end = self.parsed.span(child)
            if c_start < inner_start or c_end > inner_end or child.type in ('"', "'"):
                continue
            if c_start > cursor:
                parts.append(self._raw(cursor, c_start))
            if child.type == "escape_sequence":
                parts.append(_escape(self.parsed.text[c_start:c_end], c_start, c_end))
            else:
                parts.append(self._raw(c_start, c_end))
            cursor = c_end
        if cursor < inner_end:
            parts.append(self._raw(cursor, inner_end))
        return _string_of(start, end, parts)

    def _template(self, node: Node, start: int, end: int, depth: int) -> Value:
        parts: list[Fragment | Hole] = []
        inner_start, inner_end = start + 1, max(start + 1, end - 1)
        cursor = inner_start
        for child in node.children:
            c_start, c_end = self.parsed.span(child)
            if child.type == "`":
                continue
            if c_start > cursor:
                parts.append(self._raw(cursor, c_start))
            if child.type == "template_substitution":
                expr = next((c for c in child.named_children if c.type != "comment"), None)
                value = self.value(expr, depth + 1)
                known = _as_text(value)
                if known is not None:
                    parts.append(_known_hole(value, known, c_start, c_end))
                else:
                    parts.append(Hole(value, c_start, c_end))
            elif child.type == "escape_sequence":
                parts.append(_escape(self.parsed.text[c_start:c_end], c_start, c_end))
            else:
                parts.append(self._raw(c_start, c_end))
            cursor = max(cursor, c_end)
        if cursor < inner_end:
            parts.append(self._raw(cursor, inner_end))
        return _string_of(start, end, parts)

    def _raw(self, start: int, end: int) -> Fragment:
        return Fragment(self.parsed.text[start:end], start, end)

    def _number(self, node: Node, start: int, end: int, depth: int) -> Value:
        text = self.parsed.text[start:end].replace("_", "")
        number = _number(text)
        if number is None:
            return Unknown(start, end, "a number that cannot be read", text)
        return Num(start, end, number)

    def _true(self, node: Node, start: int, end: int, depth: int) -> Value:
        return Bool(start, end, True)

    def _false(self, node: Node, start: int, end: int, depth: int) -> Value:
        return Bool(start, end, False)

    def _null(self, node: Node, start: int, end: int, depth: int) -> Value:
        return Null(start, end, undefined=node.type == "undefined")

    def _unary(self, node: Node, start: int, end: int, depth: int) -> Value:
        operator = node.child_by_field_name("operator")
        argument = node.child_by_field_name("argument")
        value = self.value(argument, depth + 1)
        op = operator.type if operator is not None else ""
        if isinstance(value, Num) and op in ("-", "+"):
            return Num(start, end, -value.value if op == "-" else value.value)
        if isinstance(value, Bool) and op == "!":
            return Bool(start, end, not value.value)
        return Unknown(start, end, f"the operator `{op}`", self.parsed.text[start:end])

    # -- structures ---------------------------------------------------------------------------

    def _array(self, node: Node, start: int, end: int, depth: int) -> Value:
        items = tuple(
            self.value(child, depth + 1) for child in node.named_children if child.type != "comment"
        )
        return Array(start, end, items)

    def _object(self, node: Node, start: int, end: int, depth: int) -> Value:
        props: list[Prop] = []
        spreads: list[Value] = []
        unknown: list[Value] = []
        named_keys: list[tuple[Ref, Value]] = []
        for child in node.named_children:
            kind = child.type
            if kind == "pair":
                key_node = child.child_by_field_name("key")
                value = self.value(child.child_by_field_name("value"), depth + 1)
                key = self._key(key_node, depth)
                if key is None:
                    k_start, k_end = self.parsed.span(key_node) if key_node else (start, start)
                    unknown.append(Unknown(k_start, k_end, "a computed key"))
                    inner = key_node.named_children[0] if key_node is not None else None
                    named = self.value(inner, depth + 1) if inner is not None else None
                    if isinstance(named, Ref):
                        named_keys.append((named, value))
                    continue
                k_start, k_end = self.parsed.span(key_node)
                props.append(Prop(key, k_start, k_end, value))
            elif kind == "shorthand_property_identifier":
                k_start, k_end = self.parsed.span(child)
                name = self.parsed.text[k_start:k_end]
                # `{ where }`: a local constant of the function, else a file binding
                value = self._identifier(child, k_start, k_end, depth + 1)
                props.append(Prop(name, k_start, k_end, value))
            elif kind == "spread_element":
                inner = child.named_children[0] if child.named_children else None
                spreads.append(self.value(inner, depth + 1))
            elif kind == "method_definition":
                name_node = child.child_by_field_name("name")
                key = self._key(name_node, depth)
                if key is not None and name_node is not None:
                    k_start, k_end = self.parsed.span(name_node)
                    c_start, c_end = self.parsed.span(child)
                    props.append(
                        Prop(key, k_start, k_end, self._function(child, c_start, c_end, depth))
                    )
        return Obj(start, end, tuple(props), tuple(spreads), tuple(unknown), tuple(named_keys))

    def _key(self, node: Node | None, depth: int) -> str | None:
        if node is None:
            return None
        if node.type in ("property_identifier", "identifier", "private_property_identifier"):
            return self.parsed.node_text(node)
        if node.type in ("string", "number", "template_string"):
            return _as_text(self.value(node, depth + 1))
        if node.type == "computed_property_name":
            inner = node.named_children[0] if node.named_children else None
            return _as_text(self.value(inner, depth + 1))
        return None

    # -- names --------------------------------------------------------------------------------

    def _identifier(self, node: Node, start: int, end: int, depth: int) -> Value:
        name = self.parsed.text[start:end]
        local = self._locals.lookup(node, node.text or b"")
        if local is not None:
            key = f"{name}@{local.start_byte}"
            if key not in self._resolving:
                self._resolving.add(key)
                try:
                    return _moved(self.value(local, depth + 1), start, end)
                finally:
                    self._resolving.discard(key)
        return self._name(name, start, end)

    def _name(self, name: str, start: int, end: int) -> Value:
        bound = self._resolve(name)
        if bound is None:
            return Ref(start, end, (name,))
        return _moved(bound, start, end)

    def _resolve(self, name: str) -> Value | None:
        make = self._bindings.get(name)
        if make is None or name in self._resolving:
            return None
        self._resolving.add(name)
        try:
            return make()
        finally:
            self._resolving.discard(name)

    def _member(self, node: Node, start: int, end: int, depth: int) -> Value:
        obj = self.value(node.child_by_field_name("object"), depth + 1)
        prop_node = node.child_by_field_name("property")
        prop = self.parsed.node_text(prop_node) if prop_node is not None else ""
        return _member_of(obj, prop, start, end)

    def _subscript(self, node: Node, start: int, end: int, depth: int) -> Value:
        obj = self.value(node.child_by_field_name("object"), depth + 1)
        index = self.value(node.child_by_field_name("index"), depth + 1)
        key = _as_text(index)
        if key is None:
            return Unknown(start, end, "an index that cannot be read", self.parsed.text[start:end])
        if (
            isinstance(obj, Array)
            and isinstance(index, Num)
            and isinstance(index.value, int)
            and 0 <= index.value < len(obj.items)
        ):
            return _moved(obj.items[index.value], start, end)
        return _member_of(obj, key, start, end)

    # -- operators ----------------------------------------------------------------------------

    def _binary(self, node: Node, start: int, end: int, depth: int) -> Value:
        operator = node.child_by_field_name("operator")
        op = operator.type if operator is not None else ""
        left = self.value(node.child_by_field_name("left"), depth + 1)
        right = self.value(node.child_by_field_name("right"), depth + 1)
        if op in _NUMBER_OPS and isinstance(left, Num) and isinstance(right, Num):
            found = _NUMBER_OPS[op](left.value, right.value)
            if found is not None:
                return Num(start, end, found)
        if op == "+" and (isinstance(left, Str) or isinstance(right, Str)):
            return _string_of(start, end, [*_parts_of(left), *_parts_of(right)])
        if op in ("===", "!==", "==", "!="):
            a, b = _comparable(left), _comparable(right)
            if a is not None and b is not None:
                same = a == b
                return Bool(start, end, same if op in ("===", "==") else not same)
        if op == "??":
            if isinstance(left, Null):
                return _moved(right, start, end)
            if isinstance(left, (Str, Num, Bool, Obj, Array)):
                return _moved(left, start, end)
        return Unknown(start, end, f"the operator `{op}`", self.parsed.text[start:end])

    # -- calls and functions --------------------------------------------------------------------

    def _ternary(self, node: Node, start: int, end: int, depth: int) -> Value:
        """`c ? a : b` when `c` is known (a literal, or a comparison of known values)."""
        condition = self.value(node.child_by_field_name("condition"), depth + 1)
        if isinstance(condition, Bool):
            chosen = node.child_by_field_name("consequence" if condition.value else "alternative")
            return _moved(self.value(chosen, depth + 1), start, end)
        return Unknown(start, end, _reason(node.type), self.parsed.text[start:end])

    def _call(self, node: Node, start: int, end: int, depth: int) -> Value:
        is_new = node.type == "new_expression"
        callee_node = node.child_by_field_name("constructor" if is_new else "function")
        callee = self.value(callee_node, depth + 1)
        args_node = node.child_by_field_name("arguments")
        args: tuple[Value, ...] = ()
        if args_node is not None:
            if args_node.type == "template_string":  # a tagged template: sql`...`
                args = (self.value(args_node, depth + 1),)
            else:
                args = tuple(
                    self.value(a, depth + 1)
                    for a in args_node.named_children
                    if a.type != "comment"
                )
        if not is_new:
            computed = self._computed(callee_node, callee, args, start, end, depth)
            if computed is not None:
                return computed
        return Call(start, end, callee, args, is_new)

    def _computed(
        self,
        callee_node: Node | None,
        callee: Value,
        args: tuple[Value, ...],
        start: int,
        end: int,
        depth: int,
    ) -> Value | None:
        """What a call of the standard library on known values returns (`Object.entries(T)`,
        `name.replace("Guid", "Id")`, `parts.join(", ")`): migrations compute their table and
        column names with these. None for any other call."""
        if isinstance(callee, Ref) and callee.path[:1] == ("Object",) and len(callee.path) == 2:
            first = args[0] if args else None
            if isinstance(first, Obj) and not first.spreads and not first.unknown_keys:
                return _object_call(callee.path[1], first, start, end)
            return None
        if callee_node is None or callee_node.type != "member_expression":
            return None
        prop_node = callee_node.child_by_field_name("property")
        method = self.parsed.node_text(prop_node) if prop_node is not None else ""
        if method not in _STRING_METHODS and method != "join":
            return None
        obj = self.value(callee_node.child_by_field_name("object"), depth + 1)
        if isinstance(obj, Array) and method == "join":
            texts = [_as_text(v) for v in obj.items]
            sep = _as_text(args[0]) if args else ","
            if sep is None or any(t is None for t in texts):
                return None
            return _computed_str(sep.join(t or "" for t in texts), start, end)
        if not isinstance(obj, Str) or obj.value is None:
            return None
        texts = [_as_text(a) for a in args]
        if any(t is None for t in texts):
            return None
        found = _STRING_METHODS[method](obj.value, [t or "" for t in texts])
        return _computed_str(found, start, end) if found is not None else None

    def _function(self, node: Node, start: int, end: int, depth: int) -> Value:
        params: list[str] = []
        single = node.child_by_field_name("parameter")
        if single is not None:
            params.append(self.parsed.node_text(single))
        plist = node.child_by_field_name("parameters")
        if plist is not None:
            for p in plist.named_children:
                pattern = p.child_by_field_name("pattern") or p
                params.append(self.parsed.node_text(pattern))
        body = node.child_by_field_name("body")
        returns: Value | None = None
        b_start, b_end = self.parsed.span(body) if body is not None else (end, end)
        if body is not None:
            if body.type == "statement_block":
                statements = [c for c in body.named_children if c.type != "comment"]
                if len(statements) == 1 and statements[0].type == "return_statement":
                    expr = next(iter(statements[0].named_children), None)
                    returns = self.value(expr, depth + 1) if expr is not None else None
            else:
                returns = self.value(body, depth + 1)
        return Func(start, end, tuple(params), returns, b_start, b_end)


_READERS: dict[str, Callable[[Evaluator, Node, int, int, int], Value]] = {
    "string": Evaluator._string,
    "template_string": Evaluator._template,
    "number": Evaluator._number,
    "true": Evaluator._true,
    "false": Evaluator._false,
    "null": Evaluator._null,
    "undefined": Evaluator._null,
    "unary_expression": Evaluator._unary,
    "array": Evaluator._array,
    "object": Evaluator._object,
    "identifier": Evaluator._identifier,
    "property_identifier": Evaluator._identifier,
    "this": Evaluator._identifier,
    "super": Evaluator._identifier,
    "member_expression": Evaluator._member,
    "subscript_expression": Evaluator._subscript,
    "binary_expression": Evaluator._binary,
    "ternary_expression": Evaluator._ternary,
    "call_expression": Evaluator._call,
    "new_expression": Evaluator._call,
    "arrow_function": Evaluator._function,
    "function_expression": Evaluator._function,
    "function": Evaluator._function,
}


class _LocalConstants:
    """Every `const <name> = ...` declared in a block (a function body) of the file, found in
    one walk on first use: `const sql = `...`; await queryRunner.query(sql)`. File-level
    constants are the bindings' job. (Asking tree-sitter for a node's parents instead would cost
    the depth of the tree per step.)"""

    def __init__(self, root: Node) -> None:
        self._root = root
        self._by_name: dict[bytes, list[tuple[int, int, int, Node]]] | None = None

    def lookup(self, node: Node, name: bytes) -> Node | None:
        """The value of the innermost `const name` whose block holds `node`, declared before
        it."""
        if self._by_name is None:
            self._by_name = self._collect()
        best: tuple[int, Node] | None = None
        for block_start, block_end, declared_end, value in self._by_name.get(name, ()):
            inside = block_start <= node.start_byte and node.end_byte <= block_end
            before = declared_end <= node.start_byte
            if inside and before and (best is None or block_start > best[0]):
                best = (block_start, value)
        return best[1] if best is not None else None

    def _collect(self) -> dict[bytes, list[tuple[int, int, int, Node]]]:
        found: dict[bytes, list[tuple[int, int, int, Node]]] = {}
        stack = [self._root]
        while stack:
            node = stack.pop()
            if node.type == "statement_block":
                for statement in node.named_children:
                    if statement.type != "lexical_declaration":
                        continue
                    if not any(c.type == "const" for c in statement.children):
                        continue
                    for declarator in statement.named_children:
                        ident = declarator.child_by_field_name("name")
                        value = declarator.child_by_field_name("value")
                        if ident is None or value is None or ident.type != "identifier":
                            continue
                        found.setdefault(ident.text or b"", []).append(
                            (node.start_byte, node.end_byte, statement.end_byte, value)
                        )
            stack.extend(node.named_children)
        return found


def _reason(kind: str) -> str:
    return {
        "ERROR": "text the grammar could not read",
        "conditional_expression": "a conditional expression",
        "assignment_expression": "an assignment",
        "class": "a class expression",
    }.get(kind, f"a {kind.replace('_', ' ')}")


def _inner(node: Node) -> Node | None:
    for child in node.named_children:
        if child.type not in ("comment", "type_arguments") and not child.type.endswith("_type"):
            if child.type in ("type_annotation", "predefined_type", "type_identifier"):
                continue
            return child
    return None


def _member_of(obj: Value, prop: str, start: int, end: int) -> Value:
    if isinstance(obj, Obj):
        found = obj.get(prop)
        if found is not None:
            return _moved(found, start, end)
    if isinstance(obj, Ref):
        return Ref(start, end, (*obj.path, prop))
    if isinstance(obj, (Str, Array)) and prop == "length":
        size = len(obj.value or "") if isinstance(obj, Str) else len(obj.items)
        if not isinstance(obj, Str) or obj.known:
            return Num(start, end, size)
    return Unknown(start, end, f"the member `{prop}` of an expression that cannot be read")


def _divide(a: int | float, b: int | float) -> int | float | None:
    if b == 0:
        return None
    found = a / b
    return int(found) if found.is_integer() else found


_NUMBER_OPS: dict[str, Callable[[int | float, int | float], int | float | None]] = {
    "+": lambda a, b: a + b,
    "-": lambda a, b: a - b,
    "*": lambda a, b: a * b,
    "/": _divide,
}


def _comparable(value: Value) -> tuple[str, object] | None:
    """A known primitive, tagged by its kind (`"1" === 1` is false)."""
    if isinstance(value, Str) and value.value is not None:
        return ("string", value.value)
    if isinstance(value, Num):
        return ("number", float(value.value))
    if isinstance(value, Bool):
        return ("boolean", value.value)
    if isinstance(value, Null):
        return ("undefined" if value.undefined else "null", None)
    return None


def _replace(text: str, args: list[str]) -> str | None:
    return text.replace(args[0], args[1], 1) if len(args) == 2 else None


def _replace_all(text: str, args: list[str]) -> str | None:
    return text.replace(args[0], args[1]) if len(args) == 2 else None


_STRING_METHODS: dict[str, Callable[[str, list[str]], str | None]] = {
    "replace": _replace,
    "replaceAll": _replace_all,
    "toLowerCase": lambda t, a: t.lower() if not a else None,
    "toUpperCase": lambda t, a: t.upper() if not a else None,
    "trim": lambda t, a: t.strip() if not a else None,
    "concat": lambda t, a: t + "".join(a),
}
"""String methods read on known strings (a pattern given as a string, not a RegExp)."""


def _computed_str(text: str, start: int, end: int) -> Str:
    """A string computed from known values: every character placed on the call."""
    return Str(start, end, text, (Fragment(text, start, end, tuple(start for _ in text)),))


def _object_call(method: str, obj: Obj, start: int, end: int) -> Value | None:
    """`Object.keys` / `Object.values` / `Object.entries` of an object literal."""
    keys = obj.keys()
    if method == "keys":
        return Array(start, end, tuple(Str(start, end, k, ()) for k in keys))
    values = tuple(obj.get(k) for k in keys)
    if method == "values":
        return Array(start, end, tuple(v for v in values if v is not None))
    if method == "entries":
        return Array(
            start,
            end,
            tuple(
                Array(start, end, (Str(start, end, k, ()), v))
                for k, v in zip(keys, values, strict=True)
                if v is not None
            ),
        )
    return None


def _moved(value: Value, start: int, end: int) -> Value:
    """A constant's value seen where it is named: the range becomes the name's, so findings
    point at the use. A string keeps its parts (they point into the declaration)."""
    try:
        return type(value)(start, end, *(_fields(value)[2:]))
    except TypeError:  # pragma: no cover - every value type takes (start, end, ...)
        return value


def _fields(value: Value) -> list:
    return [getattr(value, name) for name in value.__dataclass_fields__]  # type: ignore[attr-defined]


def _as_text(value: Value) -> str | None:
    if isinstance(value, Str):
        return value.value
    if isinstance(value, Num):
        return _number_text(value.value)
    if isinstance(value, Bool):
        return "true" if value.value else "false"
    return None


def _number_text(number: int | float) -> str:
    if isinstance(number, float) and number.is_integer() and abs(number) < 1e21:
        return str(int(number))
    return str(number)


def _known_hole(value: Value, text: str, start: int, end: int) -> Fragment:
    """A `${CONSTANT}` whose value is known: its text, every character placed on the hole."""
    return Fragment(text, start, end, tuple(start for _ in text))


def _parts_of(value: Value) -> list[Fragment | Hole]:
    if isinstance(value, Str):
        return (
            list(value.parts)
            if value.parts
            else [Fragment(value.value or "", value.start, value.start)]
        )
    text = _as_text(value)
    if text is not None:
        return [Fragment(text, value.start, value.end, tuple(value.start for _ in text))]
    return [Hole(value, value.start, value.end)]


def _string_of(start: int, end: int, parts: list[Fragment | Hole]) -> Str:
    merged: list[Fragment | Hole] = []
    for part in parts:
        if isinstance(part, Fragment) and merged and isinstance(merged[-1], Fragment):
            merged[-1] = _join(merged[-1], part)
        elif not (isinstance(part, Fragment) and not part.text):
            merged.append(part)
    known = all(isinstance(p, Fragment) for p in merged)
    value = "".join(p.text for p in merged if isinstance(p, Fragment)) if known else None
    return Str(start, end, value, tuple(merged))


def _join(a: Fragment, b: Fragment) -> Fragment:
    if a.offsets is None and b.offsets is None and a.end == b.start:
        return Fragment(a.text + b.text, a.start, b.end)
    offsets = tuple(a.offset_of(i) for i in range(len(a.text))) + tuple(
        b.offset_of(i) for i in range(len(b.text))
    )
    return Fragment(a.text + b.text, a.start, b.end, offsets)


def _escape(raw: str, start: int, end: int) -> Fragment:
    """One escape sequence -> the text it stands for, every character placed on the escape."""
    body = raw[1:] if raw.startswith("\\") else raw
    if not body or body[0] in "\r\n\u2028\u2029":
        text = ""  # a line continuation
    elif body[0] in _SIMPLE_ESCAPES and not (body[0] == "0" and len(body) > 1):
        text = _SIMPLE_ESCAPES[body[0]]
    elif body[0] == "x" and len(body) == 3:
        text = _chr(body[1:])
    elif body[0] == "u" and body[1:2] == "{":
        text = _chr(body[2:-1])
    elif body[0] == "u" and len(body) == 5:
        text = _chr(body[1:])
    else:
        text = body
    return Fragment(text, start, end, tuple(start for _ in text))


def _chr(hex_digits: str) -> str:
    try:
        return chr(int(hex_digits, 16))
    except (ValueError, OverflowError):
        return ""


def _number(text: str) -> int | float | None:
    lowered = text.lower().removesuffix("n")
    try:
        if lowered.startswith(("0x", "0o", "0b")):
            return int(lowered, 0)
        if lowered.isdigit():
            return int(lowered)
        return float(lowered)
    except ValueError:
        return None

"""One TypeScript or JavaScript file as an ORM reader needs it: classes with their decorators and
members, imports, the file's constants, and the calls made in any range of it.

This is the layer TypeORM entities and migration classes, Sequelize models (`Model.init`,
`sequelize.define`, sequelize-typescript decorators) and migrations (`module.exports = { up }`,
`queryInterface.*`) and the query readers share: each reads its own meaning out of what this
gives (DESIGN.md: "sources/typescript: tree-sitter: decorators, calls, object literals,
string/constant resolution"). It runs nothing and never raises: broken text gives a module with
what could be read plus `syntax_errors`.

Positions are character offsets in the file, like every span in schemasense.
"""

from __future__ import annotations

import copy
import weakref
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from schemasense.server.sources.typescript.evaluate import MAX_DEPTH, Evaluator
from schemasense.server.sources.typescript.parse import ParsedFile, SyntaxProblem, parse
from schemasense.server.sources.typescript.values import (
    Func,
    Num,
    Obj,
    Prop,
    Ref,
    Str,
    Value,
)
from tree_sitter import Node

_CLASS_NODES = ("class_declaration", "abstract_class_declaration", "class")
_LOOP_NODES = (
    "for_statement",
    "for_in_statement",
    "while_statement",
    "do_statement",
)
_FUNCTION_NODES = (
    "function_declaration",
    "function_expression",
    "arrow_function",
    "method_definition",
    "generator_function_declaration",
)
_ITERATING_METHODS = ("forEach", "map", "flatMap", "reduce", "filter", "some", "every")


@dataclass(frozen=True, slots=True)
class Decorator:
    """`@Column({...})`: its name as written (`path`: `("Column",)`, or `("TypeORM", "Column")`
    for a namespaced one), its arguments, whether it was called (`@Entity` vs `@Entity()`), and
    its range (`name_start`/`name_end`: the name alone)."""

    path: tuple[str, ...]
    args: tuple[Value, ...]
    called: bool
    start: int
    end: int
    name_start: int
    name_end: int

    @property
    def name(self) -> str:
        return self.path[-1] if self.path else ""

    def arg(self, index: int) -> Value | None:
        return self.args[index] if index < len(self.args) else None

    def options(self) -> Obj | None:
        """The first object-literal argument (the options of most ORM decorators)."""
        return next((a for a in self.args if isinstance(a, Obj)), None)


@dataclass(frozen=True, slots=True)
class Param:
    name: str
    type_text: str | None
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Member:
    """A class member: a property (`@Column() name: string`), a method (`up(queryRunner)`), an
    accessor or the constructor."""

    kind: str
    """`property`, `method`, `getter`, `setter` or `constructor` (`function` for a top-level
    function, from `Module.function_named`)."""
    name: str
    name_start: int
    name_end: int
    start: int
    end: int
    decorators: tuple[Decorator, ...] = ()
    type_text: str | None = None
    """The type annotation as written (`string | null`, `Relation<User>`), without the colon."""
    optional: bool = False
    """`name?: T`."""
    definite: bool = False
    """`name!: T`."""
    static: bool = False
    readonly: bool = False
    declare: bool = False
    abstract: bool = False
    value: Value | None = None
    """A property's initializer (`static tableName = "users"`)."""
    params: tuple[Param, ...] = ()
    body_start: int = 0
    body_end: int = 0
    """A method's body (the braces included): where its calls are looked for."""
    doc: str | None = None
    """The `/** ... */` comment right above the member, its text without the markers."""

    def decorator(self, *names: str) -> Decorator | None:
        return next((d for d in self.decorators if d.name in names), None)


@dataclass(frozen=True, slots=True)
class ClassDecl:
    name: str
    name_start: int
    name_end: int
    start: int
    end: int
    decorators: tuple[Decorator, ...] = ()
    extends: Value | None = None
    """The `extends` expression (`BaseEntity`, `Model<User, UserCreation>` is `Ref(("Model",))`,
    `mixin(Base)` a `Call`)."""
    extends_type_args: str | None = None
    """The type arguments of the `extends` clause as written (`<User, UserCreation>`)."""
    implements: tuple[str, ...] = ()
    members: tuple[Member, ...] = ()
    abstract: bool = False
    exported: bool = False
    default_export: bool = False
    doc: str | None = None

    def decorator(self, *names: str) -> Decorator | None:
        return next((d for d in self.decorators if d.name in names), None)

    def member(self, name: str, *, static: bool | None = None) -> Member | None:
        for m in self.members:
            if m.name == name and (static is None or m.static == static):
                return m
        return None

    @property
    def extends_name(self) -> str | None:
        if isinstance(self.extends, Ref):
            return self.extends.path[-1]
        return None


@dataclass(frozen=True, slots=True)
class Import:
    """`import { A as B } from "m"` is `names={"B": "A"}`; `import D from "m"` is `default="D"`;
    `import * as N from "m"` is `namespace="N"`; `const X = require("m")` is `default="X"`."""

    module: str
    start: int
    end: int
    default: str | None = None
    namespace: str | None = None
    names: dict[str, str] = field(default_factory=dict)
    type_only: bool = False


class CallSite:
    """A call found in the file: its callee (a `Ref` path such as `("queryRunner", "query")`
    for a member call on a name), its arguments (read on first use), its range, and whether it
    sits inside a loop (`for`, `while`, a `forEach`/`map` callback): a migration reader cannot
    know how many times such a call runs."""

    __slots__ = (
        "_evaluator",
        "_node",
        "args",
        "callee",
        "end",
        "in_loop",
        "method",
        "new",
        "start",
    )

    def __init__(self, evaluator: Evaluator, node: Node, in_loop: bool) -> None:
        self._evaluator = evaluator
        self._node = node
        self.new = node.type == "new_expression"
        self.start, self.end = evaluator.parsed.span(node)
        self.in_loop = in_loop
        callee_node = node.child_by_field_name("constructor" if self.new else "function")
        self.callee = evaluator.value(callee_node)
        self.method = ""
        """The last name of the callee (`query` of `queryRunner.query`, `forEach` of
        `[1, 2].forEach`), whatever the object it is called on."""
        if callee_node is not None and callee_node.type == "member_expression":
            prop = callee_node.child_by_field_name("property")
            self.method = evaluator.parsed.node_text(prop) if prop is not None else ""
        elif isinstance(self.callee, Ref):
            self.method = self.callee.path[-1]
        self.args = _LazyArgs(evaluator, node.child_by_field_name("arguments"))

    @property
    def path(self) -> tuple[str, ...]:
        return self.callee.path if isinstance(self.callee, Ref) else ()

    @property
    def receiver(self) -> Value | None:
        """For a method call `x.m(...)`: the value of `x` (`[...].map(...)` over a known
        array); None for a plain call."""
        callee = self._node.child_by_field_name("function")
        if callee is None or callee.type != "member_expression":
            return None
        return self._evaluator.value(callee.child_by_field_name("object"))

    @property
    def conditional(self) -> bool:
        """Whether the call runs only when a condition allows it, within its own function: in
        a branch of an `if`, a `switch` case, a `catch`, a `? :` branch, or the right side of
        `&&` / `||` / `??` (a migration's `if (!(await queryRunner.hasColumn(...)))`)."""
        node = self._node
        parent = node.parent
        while parent is not None and parent.type not in _FUNCTION_NODES:
            kind = parent.type
            if kind == "if_statement" and parent.child_by_field_name("condition") != node:
                return True
            if kind in ("switch_case", "switch_default", "catch_clause"):
                return True
            if kind == "ternary_expression" and parent.child_by_field_name("condition") != node:
                return True
            if kind == "binary_expression" and parent.child_by_field_name("right") == node:
                operator = parent.child_by_field_name("operator")
                if operator is not None and operator.type in ("&&", "||", "??"):
                    return True
            node, parent = parent, parent.parent
        return False

    def __repr__(self) -> str:
        return f"CallSite({'.'.join(self.path) or '?'} at {self.start}-{self.end})"


class _LazyArgs:
    """A call's arguments, read on first access (most calls in a file are never looked at)."""

    __slots__ = ("_evaluator", "_node", "_values")

    def __init__(self, evaluator: Evaluator, node: Node | None) -> None:
        self._evaluator = evaluator
        self._node = node
        self._values: tuple[Value, ...] | None = None

    def _read(self) -> tuple[Value, ...]:
        if self._values is None:
            node = self._node
            if node is None:
                self._values = ()
            elif node.type == "template_string":
                self._values = (self._evaluator.value(node),)
            else:
                self._values = tuple(
                    self._evaluator.value(a) for a in node.named_children if a.type != "comment"
                )
        return self._values

    def __len__(self) -> int:
        return len(self._read())

    def __getitem__(self, index: int) -> Value:
        return self._read()[index]

    def __iter__(self) -> Iterator[Value]:
        return iter(self._read())

    def get(self, index: int) -> Value | None:
        values = self._read()
        return values[index] if index < len(values) else None


ImportResolver = Callable[["Import", "str | None"], "Value | None"]
"""Gives the value a name has in the module it is imported from (`import { X } from "./m"`:
the `Import` and `"X"`), or None; the caller reads that module (the layer reads one file)."""


class Module:
    """One read file. Build it with `read_module(path, text)`."""

    def __init__(self, parsed: ParsedFile, resolve_import: ImportResolver | None = None) -> None:
        self.parsed = parsed
        self.resolve_import = resolve_import
        self._constant_nodes: dict[str, Node] = {}
        self._enum_nodes: dict[str, Node] = {}
        self.imports: list[Import] = []
        self._collect_top_level()
        self.evaluator = Evaluator(parsed, _LazyBindings(self, weak=True))

    # -- what the file declares ---------------------------------------------------------------

    @property
    def path(self) -> str:
        return self.parsed.path

    @property
    def text(self) -> str:
        return self.parsed.text

    @cached_property
    def syntax_errors(self) -> list[SyntaxProblem]:
        return self.parsed.syntax_errors()

    @cached_property
    def classes(self) -> list[ClassDecl]:
        """Every class declared at the top level of the file, exported or not."""
        found: list[ClassDecl] = []
        for node in self.parsed.root.named_children:
            if node.type in _CLASS_NODES:
                found.append(self._class(node, (), exported=False, default=False))
            elif node.type == "export_statement":
                declaration = node.child_by_field_name("declaration") or next(
                    (c for c in node.named_children if c.type in _CLASS_NODES), None
                )
                if declaration is not None and declaration.type in _CLASS_NODES:
                    outer = tuple(
                        self._decorator(c) for c in node.children if c.type == "decorator"
                    )
                    default = any(c.type == "default" for c in node.children)
                    found.append(self._class(declaration, outer, exported=True, default=default))
        return found

    def function_member(self, name: str) -> Member | None:
        """A top-level function of the file (`function f(a) {...}`, `const f = (a) => {...}`,
        exported or not) as a `Member` of kind `function`: its parameters and body range (a
        migration helper such as `fixTable(queryRunner)` declared beside the class)."""
        for node in self.parsed.root.named_children:
            target = node.child_by_field_name("declaration") or node
            if target.type == "function_declaration":
                ident = target.child_by_field_name("name")
                if ident is not None and self.parsed.node_text(ident) == name:
                    return self._function(target, ident)
            elif target.type in ("lexical_declaration", "variable_declaration"):
                for declarator in target.named_children:
                    ident = declarator.child_by_field_name("name")
                    value = declarator.child_by_field_name("value")
                    if (
                        ident is not None
                        and value is not None
                        and self.parsed.node_text(ident) == name
                        and value.type in ("arrow_function", "function_expression", "function")
                    ):
                        return self._function(value, ident)
        return None

    def _function(self, node: Node, ident: Node) -> Member:
        start, end = self.parsed.span(node)
        n_start, n_end = self.parsed.span(ident)
        params = []
        single = node.child_by_field_name("parameter")
        plist = node.child_by_field_name("parameters")
        for p in ([single] if single is not None else []) + (
            list(plist.named_children) if plist is not None else []
        ):
            pattern = p.child_by_field_name("pattern") or p
            ptype = p.child_by_field_name("type")
            p_start, p_end = self.parsed.span(p)
            params.append(
                Param(
                    self.parsed.node_text(pattern),
                    self.parsed.node_text(ptype).lstrip(":").strip() if ptype else None,
                    p_start,
                    p_end,
                )
            )
        body = node.child_by_field_name("body")
        b_start, b_end = self.parsed.span(body) if body is not None else (end, end)
        return Member(
            kind="function",
            name=self.parsed.node_text(ident),
            name_start=n_start,
            name_end=n_end,
            start=start,
            end=end,
            params=tuple(params),
            body_start=b_start,
            body_end=b_end,
        )

    def class_named(self, name: str) -> ClassDecl | None:
        return next((c for c in self.classes if c.name == name), None)

    @cached_property
    def nested_classes(self) -> list[ClassDecl]:
        """The classes declared below the top level, in text order (a sequelize-cli model
        declares its class inside the function the file exports: `module.exports =
        (sequelize, DataTypes) => { class User extends Model {...} }`)."""
        found: list[ClassDecl] = []
        stack: list[tuple[Node, int]] = [(self.parsed.root, 0)]
        while stack:
            node, depth = stack.pop()
            if depth > MAX_DEPTH * 4:
                continue
            if node.type in _CLASS_NODES and depth > 1:
                parent = node.parent
                if parent is not None and parent.type not in ("export_statement", "program"):
                    found.append(self._class(node, (), exported=False, default=False))
            for child in reversed(node.named_children):
                stack.append((child, depth + 1))
        found.sort(key=lambda c: c.start)
        return found

    def assigned_name(self, start: int, end: int) -> str | None:
        """The name the expression at `[start, end)` is stored under: `const X = <expr>`,
        `X = <expr>`, `exports.X = <expr>` (its last name), through `await` and parentheses;
        None when its value is not stored in a name (`sequelize.define(...)` whose model is
        known by the variable it is assigned to)."""
        node = self.parsed.root.descendant_for_byte_range(
            self._byte(start), max(self._byte(start), self._byte(end) - 1)
        )
        while node is not None and self.parsed.span(node) != (start, end):
            node = node.parent
        while (
            node is not None
            and node.parent is not None
            and node.parent.type
            in (
                "await_expression",
                "parenthesized_expression",
                "as_expression",
            )
        ):
            node = node.parent
        parent = node.parent if node is not None else None
        if parent is None:
            return None
        if parent.type == "variable_declarator":
            name = parent.child_by_field_name("name")
            return (
                self.parsed.node_text(name)
                if name is not None and name.type == "identifier"
                else None
            )
        if parent.type == "assignment_expression":
            left = parent.child_by_field_name("left")
            if left is None:
                return None
            if left.type == "identifier":
                return self.parsed.node_text(left)
            if left.type == "member_expression":
                prop = left.child_by_field_name("property")
                return self.parsed.node_text(prop) if prop is not None else None
        return None

    @property
    def constants(self) -> list[str]:
        """The names of the file's top-level constants and enums."""
        return [*self._constant_nodes, *self._enum_nodes]

    def constant(self, name: str) -> Value | None:
        """A top-level constant's (or enum's) value, or None when the file binds no such name."""
        return self._bound(name)

    def _bound(self, name: str) -> Value | None:
        node = self._constant_nodes.get(name)
        if node is not None:
            return self.evaluator.value(node)
        enum = self._enum_nodes.get(name)
        return self._enum_value(enum) if enum is not None else None

    def static(self, class_name: str, prop: str) -> Value | None:
        """A static property's value (`static tableName = "users"` of `User`), as Sequelize
        migrations name tables through imported model statics."""
        decl = self.class_named(class_name)
        member = decl.member(prop, static=True) if decl is not None else None
        return member.value if member is not None else None

    def function_named(self, name: str, namespace: str | None = None) -> Func | None:
        """A top-level function of the file (`function f(...) {}`, `const f = (...) => {}`,
        exported or not), or of its `namespace N { ... }`, as a `Func` whose body range a
        reader can walk: migrations route their steps through helpers of their own project."""
        statements = self.parsed.root.named_children
        if namespace is not None:
            statements = self._namespace_body(namespace)
        for node in statements:
            target = node
            if node.type == "export_statement":
                target = node.child_by_field_name("declaration") or node
            if target.type == "lexical_declaration" and namespace is not None:
                for declarator in target.named_children:
                    ident = declarator.child_by_field_name("name")
                    value = declarator.child_by_field_name("value")
                    if (
                        ident is not None
                        and value is not None
                        and self.parsed.node_text(ident) == name
                        and value.type in ("arrow_function", "function_expression")
                    ):
                        found = self.evaluator.value(value)
                        return found if isinstance(found, Func) else None
            if target.type in ("function_declaration", "generator_function_declaration"):
                ident = target.child_by_field_name("name")
                if ident is not None and self.parsed.node_text(ident) == name:
                    start, end = self.parsed.span(target)
                    return self.evaluator._function(target, start, end, 0)
        value = self._constant_nodes.get(name) if namespace is None else None
        if value is not None and value.type in ("arrow_function", "function_expression"):
            found = self.evaluator.value(value)
            return found if isinstance(found, Func) else None
        return None

    @cached_property
    def namespaces(self) -> list[str]:
        """The names of the file's top-level `namespace N { ... }` blocks."""
        found = []
        for node in self.parsed.root.named_children:
            target = (
                next(iter(node.named_children), node) if node.type == "export_statement" else node
            )
            ident = (
                target.child_by_field_name("name")
                if target.type in ("internal_module", "module")
                else None
            )
            if ident is not None:
                found.append(self.parsed.node_text(ident))
        return found

    def _namespace_body(self, name: str) -> list[Node]:
        for node in self.parsed.root.named_children:
            target = node
            if node.type == "export_statement":
                target = next(iter(node.named_children), node)
            if target.type in ("internal_module", "module"):
                ident = target.child_by_field_name("name")
                body = target.child_by_field_name("body")
                if ident is not None and body is not None and self.parsed.node_text(ident) == name:
                    return list(body.named_children)
        return []

    def with_bindings(self, extra: Mapping[str, Value]) -> Module:
        """This file read with some names bound to known values (a helper's parameters bound
        to what its caller passes): the same parse, another evaluator."""
        other = copy.copy(self)
        other.evaluator = Evaluator(self.parsed, _ExtraBindings(extra, _LazyBindings(self)))
        return other

    def import_of(self, local: str) -> tuple[Import, str | None] | None:
        """Where a local name comes from: its import, and the name it has in that module
        (None for a default or namespace import)."""
        for imp in self.imports:
            if local in imp.names:
                return imp, imp.names[local]
            if local in (imp.default, imp.namespace):
                return imp, None
        return None

    @cached_property
    def default_export(self) -> Value | None:
        """`export default <expr>` or `module.exports = <expr>`: what the file exports as a
        whole (sequelize-cli migrations: `module.exports = { async up(...) {...} }`)."""
        for node in self.parsed.root.named_children:
            if node.type == "export_statement" and any(c.type == "default" for c in node.children):
                value = node.child_by_field_name("value")
                if value is not None:
                    return self.evaluator.value(value)
            if node.type == "expression_statement":
                expr = node.named_children[0] if node.named_children else None
                if expr is not None and expr.type == "assignment_expression":
                    left = expr.child_by_field_name("left")
                    if left is not None and self.parsed.node_text(left) in (
                        "module.exports",
                        "exports.default",
                    ):
                        return self.evaluator.value(expr.child_by_field_name("right"))
        return None

    # -- calls --------------------------------------------------------------------------------

    def calls(
        self,
        within: tuple[int, int] | None = None,
        where: Callable[[CallSite], bool] | None = None,
    ) -> list[CallSite]:
        """Every call (and `new`) in the file, or in the range `within`, in text order,
        that `where` accepts. Calls nested in arguments are found too (`a(b())` gives both)."""
        root = self.parsed.root
        if within is not None:
            start_byte, end_byte = self._byte(within[0]), self._byte(within[1])
            node = root.descendant_for_byte_range(start_byte, max(start_byte, end_byte - 1))
            root = node if node is not None else root
            while root.parent is not None and (
                root.start_byte > start_byte or root.end_byte < end_byte
            ):
                root = root.parent
        found: list[CallSite] = []
        stack: list[tuple[Node, bool, int]] = [(root, False, 0)]
        while stack:
            node, in_loop, depth = stack.pop()
            if depth > MAX_DEPTH * 4:
                continue
            if within is not None and (
                node.end_byte <= self._byte(within[0]) or node.start_byte >= self._byte(within[1])
            ):
                continue
            loop_here = in_loop or node.type in _LOOP_NODES
            if node.type in ("call_expression", "new_expression"):
                site = CallSite(self.evaluator, node, in_loop)
                if where is None or where(site):
                    found.append(site)
                if node.type != "new_expression" and site.method in _ITERATING_METHODS:
                    loop_here = True
            for child in reversed(node.named_children):
                stack.append((child, loop_here, depth + 1))
        found.sort(key=lambda c: (c.start, -c.end))
        return found

    def value(self, node: Node) -> Value:
        return self.evaluator.value(node)

    def node_at(self, start: int, end: int) -> Node | None:
        """The smallest node that covers the characters `start`..`end` (a function's body, from
        a `Func`'s `body_start`/`body_end`), for a reader that walks statements in order."""
        if end <= start:
            return None
        b_start, b_end = self._byte(start), self._byte(end)
        node = self.parsed.root.descendant_for_byte_range(b_start, b_end - 1)
        while node is not None and (node.start_byte > b_start or node.end_byte < b_end):
            node = node.parent
        return node

    # -- reading ------------------------------------------------------------------------------

    def _byte(self, char_offset: int) -> int:
        text = self.parsed.text
        if len(text.encode("utf-8", "surrogatepass")) == len(text):
            return char_offset
        return len(text[:char_offset].encode("utf-8", "surrogatepass"))

    def _collect_top_level(self) -> None:
        for node in self.parsed.root.named_children:
            target = node
            if node.type == "export_statement":
                target = node.child_by_field_name("declaration") or node
            if target.type in ("lexical_declaration", "variable_declaration"):
                is_const = any(c.type == "const" for c in target.children)
                for declarator in target.named_children:
                    if declarator.type != "variable_declarator":
                        continue
                    name = declarator.child_by_field_name("name")
                    value = declarator.child_by_field_name("value")
                    if name is None or value is None or name.type != "identifier":
                        continue
                    local = self.parsed.node_text(name)
                    required = _required_module(self.parsed, value)
                    if required is not None:
                        s, e = self.parsed.span(declarator)
                        self.imports.append(Import(required, s, e, default=local))
                    elif is_const:
                        self._constant_nodes[local] = value
            elif target.type == "enum_declaration":
                name = target.child_by_field_name("name")
                if name is not None:
                    self._enum_nodes[self.parsed.node_text(name)] = target
            elif node.type == "import_statement":
                self.imports.append(self._import(node))

    def _import(self, node: Node) -> Import:
        start, end = self.parsed.span(node)
        source = node.child_by_field_name("source")
        module = self.parsed.node_text(source)[1:-1] if source is not None else ""
        default = namespace = None
        names: dict[str, str] = {}
        type_only = any(c.type == "type" for c in node.children)
        clause = next((c for c in node.named_children if c.type == "import_clause"), None)
        if clause is not None:
            for part in clause.named_children:
                if part.type == "identifier":
                    default = self.parsed.node_text(part)
                elif part.type == "namespace_import":
                    ident = next((c for c in part.named_children if c.type == "identifier"), None)
                    namespace = self.parsed.node_text(ident) if ident is not None else None
                elif part.type == "named_imports":
                    for spec in part.named_children:
                        if spec.type != "import_specifier":
                            continue
                        imported = spec.child_by_field_name("name")
                        alias = spec.child_by_field_name("alias")
                        if imported is None:
                            continue
                        original = self.parsed.node_text(imported)
                        names[self.parsed.node_text(alias) if alias else original] = original
        return Import(module, start, end, default, namespace, names, type_only)

    def _enum_value(self, node: Node) -> Obj:
        start, end = self.parsed.span(node)
        body = node.child_by_field_name("body")
        props: list[Prop] = []
        counter: int | float | None = 0
        for member in body.named_children if body is not None else ():
            if member.type == "enum_assignment":
                name_node = member.child_by_field_name("name")
                value = self.evaluator.value(member.child_by_field_name("value"))
                counter = value.value + 1 if isinstance(value, Num) else None
            elif member.type in ("property_identifier", "string"):
                name_node = member
                m_start, m_end = self.parsed.span(member)
                value = (
                    Num(m_start, m_end, counter)
                    if counter is not None
                    else Ref(m_start, m_end, (self.parsed.node_text(member),))
                )
                counter = counter + 1 if counter is not None else None
            else:
                continue
            if name_node is None:
                continue
            key = self.parsed.node_text(name_node).strip("\"'")
            k_start, k_end = self.parsed.span(name_node)
            props.append(Prop(key, k_start, k_end, value))
        return Obj(start, end, tuple(props))

    def _class(
        self, node: Node, outer: tuple[Decorator, ...], *, exported: bool, default: bool
    ) -> ClassDecl:
        start, end = self.parsed.span(node)
        name_node = node.child_by_field_name("name")
        name = self.parsed.node_text(name_node) if name_node is not None else ""
        n_start, n_end = self.parsed.span(name_node) if name_node is not None else (start, start)
        own = tuple(self._decorator(c) for c in node.children if c.type == "decorator")
        extends: Value | None = None
        type_args: str | None = None
        implements: list[str] = []
        heritage = next((c for c in node.named_children if c.type == "class_heritage"), None)
        for clause in heritage.named_children if heritage is not None else ():
            if clause.type == "extends_clause":
                value = clause.child_by_field_name("value")
                extends = self.evaluator.value(value) if value is not None else None
                args = clause.child_by_field_name("type_arguments")
                type_args = self.parsed.node_text(args) if args is not None else None
            elif clause.type == "implements_clause":
                implements.extend(self.parsed.node_text(t) for t in clause.named_children)
        body = node.child_by_field_name("body")
        members = tuple(self._members(body)) if body is not None else ()
        first = outer[0].start if outer else start
        return ClassDecl(
            name=name,
            name_start=n_start,
            name_end=n_end,
            start=first,
            end=end,
            decorators=outer + own,
            extends=extends,
            extends_type_args=type_args,
            implements=tuple(implements),
            members=members,
            abstract=node.type == "abstract_class_declaration",
            exported=exported,
            default_export=default,
            doc=_doc_before(self.parsed, node.parent if outer or exported else node),
        )

    def _members(self, body: Node) -> Iterator[Member]:
        pending: list[Decorator] = []
        for child in body.named_children:
            if child.type == "decorator":  # decorators parsed as siblings in some positions
                pending.append(self._decorator(child))
                continue
            member = self._member(child, tuple(pending))
            pending = []
            if member is not None:
                yield member

    def _member(self, node: Node, before: tuple[Decorator, ...]) -> Member | None:
        kind = node.type
        if kind not in (
            "public_field_definition",
            "field_definition",
            "method_definition",
            "method_signature",
            "abstract_method_signature",
        ):
            return None
        start, end = self.parsed.span(node)
        decorators = before + tuple(
            self._decorator(c) for c in node.children if c.type == "decorator"
        )
        name_node = node.child_by_field_name("name") or node.child_by_field_name("property")
        if name_node is None:
            return None
        name = self.parsed.node_text(name_node).strip("\"'")
        n_start, n_end = self.parsed.span(name_node)
        words = {c.type for c in node.children if not c.is_named}
        type_node = node.child_by_field_name("type")
        type_text = self.parsed.node_text(type_node).lstrip(":").strip() if type_node else None
        doc = _doc_before(self.parsed, node)
        common: dict[str, Any] = {
            "name": name,
            "name_start": n_start,
            "name_end": n_end,
            "start": decorators[0].start if decorators else start,
            "end": end,
            "decorators": decorators,
            "type_text": type_text,
            "static": "static" in words,
            "abstract": "abstract" in words or kind == "abstract_method_signature",
            "doc": doc,
        }
        if kind in ("public_field_definition", "field_definition"):
            value_node = node.child_by_field_name("value")
            return Member(
                kind="property",
                optional="?" in words,
                definite="!" in words,
                readonly="readonly" in words,
                declare="declare" in words,
                value=self.evaluator.value(value_node) if value_node is not None else None,
                **common,
            )
        method_kind = "method"
        if "get" in words:
            method_kind = "getter"
        elif "set" in words:
            method_kind = "setter"
        elif name == "constructor":
            method_kind = "constructor"
        params = []
        plist = node.child_by_field_name("parameters")
        for p in plist.named_children if plist is not None else ():
            pattern = p.child_by_field_name("pattern") or p
            ptype = p.child_by_field_name("type")
            p_start, p_end = self.parsed.span(p)
            params.append(
                Param(
                    self.parsed.node_text(pattern),
                    self.parsed.node_text(ptype).lstrip(":").strip() if ptype else None,
                    p_start,
                    p_end,
                )
            )
        body = node.child_by_field_name("body")
        b_start, b_end = self.parsed.span(body) if body is not None else (end, end)
        return Member(
            kind=method_kind,
            params=tuple(params),
            body_start=b_start,
            body_end=b_end,
            **common,
        )

    def _decorator(self, node: Node) -> Decorator:
        start, end = self.parsed.span(node)
        expr = next((c for c in node.named_children if c.type != "comment"), None)
        called = expr is not None and expr.type == "call_expression"
        callee = expr.child_by_field_name("function") if called and expr is not None else expr
        path: tuple[str, ...] = ()
        n_start, n_end = start, end
        if callee is not None:
            n_start, n_end = self.parsed.span(callee)
            value = self.evaluator.value(callee)
            path = value.path if isinstance(value, Ref) else (self.parsed.node_text(callee),)
        args: tuple[Value, ...] = ()
        if called and expr is not None:
            args_node = expr.child_by_field_name("arguments")
            if args_node is not None:
                args = tuple(
                    self.evaluator.value(a) for a in args_node.named_children if a.type != "comment"
                )
        return Decorator(path, args, called, start, end, n_start, n_end)


class _LazyBindings:
    """The file's constants and enums as the evaluator's bindings (read on first use).

    `weak`: for the module's own evaluator, which the module holds: a strong reference back
    would make every module a cycle, freed (with its tree-sitter tree, C memory) only by a
    full collection; typing into a 139 KB model left one such module per keystroke."""

    def __init__(self, module: Module, weak: bool = False) -> None:
        self._module: Callable[[], Module | None] = weakref.ref(module) if weak else lambda: module

    def get(self, name: str) -> Callable[[], Value | None] | None:
        module = self._module()
        if module is None:
            return None
        if name in module._constant_nodes or name in module._enum_nodes:
            return lambda: module._bound(name)
        resolve = module.resolve_import
        if resolve is not None:
            found = module.import_of(name)
            if found is not None and found[1] is not None and not found[0].type_only:
                imp, original = found
                return lambda: resolve(imp, original)
        return None


class _ExtraBindings:
    """Known values first, then the file's own constants."""

    def __init__(self, extra: Mapping[str, Value], rest: _LazyBindings) -> None:
        self._extra = extra
        self._rest = rest

    def get(self, name: str) -> Callable[[], Value | None] | None:
        if name in self._extra:
            value = self._extra[name]
            return lambda: value
        return self._rest.get(name)


def _required_module(parsed: ParsedFile, value: Node) -> str | None:
    """`require("m")` (or `require("m").default`, `await import("m")`): the module name."""
    node = value
    while node.type in ("member_expression", "await_expression", "parenthesized_expression"):
        inner = node.child_by_field_name("object") or (
            node.named_children[0] if node.named_children else None
        )
        if inner is None:
            return None
        node = inner
    if node.type != "call_expression":
        return None
    callee = node.child_by_field_name("function")
    if callee is None or parsed.node_text(callee) not in ("require", "import"):
        return None
    args = node.child_by_field_name("arguments")
    first = args.named_children[0] if args is not None and args.named_children else None
    if first is None or first.type != "string":
        return None
    return parsed.node_text(first)[1:-1]


def _doc_before(parsed: ParsedFile, node: Node | None) -> str | None:
    """The text of a `/** ... */` comment right before `node` (nothing but blanks between)."""
    if node is None:
        return None
    prev = node.prev_sibling
    if prev is None or prev.type != "comment":
        return None
    text = parsed.node_text(prev)
    if not text.startswith("/**"):
        return None
    between = parsed.text[parsed.span(prev)[1] : parsed.span(node)[0]]
    if between.count("\n") > 1:
        return None
    lines = [line.strip().lstrip("*").strip() for line in text[3:-2].splitlines()]
    return "\n".join(line for line in lines if line) or None


def read_module(
    path: str,
    text: str,
    resolve_import: ImportResolver | None = None,
    *,
    previous: Module | None = None,
) -> Module:
    """Read one TypeScript or JavaScript file. Never raises. `resolve_import` gives the values
    of names it imports (a constant or enum of another file of the project), where known.
    `previous`: a read of an earlier text of the same file, whose syntax tree the parse
    reuses (`parse.parse`); the module is the same either way."""
    return Module(
        parse(path, text, previous.parsed if previous is not None else None), resolve_import
    )


__all__ = [
    "CallSite",
    "ClassDecl",
    "Decorator",
    "Func",
    "Import",
    "Member",
    "Module",
    "Param",
    "Str",
    "read_module",
]

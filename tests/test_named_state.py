"""Named state (issue 11, item 5), kept by a test: the server's per-workspace state lives on
the workspace's caches object (`server/workspace/caches.py`); module globals hold only caches
of pure functions, each named below with why it is pure.

Found by reading the modules (no import): a name bound at module level to a mutable container
(`X = {}`, `X: dict[...] = {}`, `OrderedDict()`, ...) that a function mutates (`X[k] = v`,
`X.setdefault(...)`, `del X[k]`, ...), or to an instance of a class of the server that keeps a
container on itself (`self._kept = OrderedDict()`, a dataclass field made by `dict`). Each
must be in `ALLOWED`; and no such module-level state is keyed by `id()` (an id is reused once
its object is gone, so a cache keyed by it may answer for another object).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SERVER = REPO / "server"

ALLOWED: dict[str, str] = {
    "server/sources/base.py:_REGISTRY": (
        "the registered sources: filled when modules register themselves at import, by kind"
    ),
    "server/sources/typescript/kept.py:_MODULES": (
        "read_module(path, text), a pure function, kept for the last texts of each path"
    ),
    "server/sources/sequelize/declared.py:_DECLARED": (
        "a file's declarations, a pure function of its path and text (kept.PerFile)"
    ),
    "server/sources/typeorm/reader.py:_TABLES": (
        "a replayed table, a pure function of the dialect and its statements' text (the key)"
    ),
    "server/drift/database_form.py:_DEFAULT": (
        "the database form of a declared schema, a pure function of it: replays kept under "
        "the statements' text, and a table's form under (schema, name) only while it is the "
        "same object; the workspace has its own (RuleCaches.drift)"
    ),
    "server/migrations/tools/sequelize.py:TOOL": (
        "a migration file's steps, kept under its path, text and dialect with the texts of "
        "the helper files it read, and used again only while those are the same"
    ),
}

_CONTAINERS = {
    "dict",
    "set",
    "list",
    "OrderedDict",
    "defaultdict",
    "deque",
    "Counter",
    "WeakKeyDictionary",
    "WeakValueDictionary",
}
_MUTATORS = {
    "setdefault",
    "update",
    "pop",
    "popitem",
    "clear",
    "append",
    "add",
    "extend",
    "insert",
    "remove",
    "discard",
    "move_to_end",
    "__setitem__",
}


def _called(value: ast.expr | None) -> str | None:
    if isinstance(value, ast.Call):
        f = value.func
        return f.id if isinstance(f, ast.Name) else f.attr if isinstance(f, ast.Attribute) else None
    return None


def _is_container(value: ast.expr | None) -> bool:
    literal = (ast.Dict, ast.Set, ast.List, ast.DictComp, ast.SetComp, ast.ListComp)
    return isinstance(value, literal) or _called(value) in _CONTAINERS


def _module_bindings(tree: ast.Module) -> Iterator[tuple[str, ast.expr]]:
    for node in tree.body:
        if isinstance(node, ast.Assign):
            for t in node.targets:
                if isinstance(t, ast.Name):
                    yield t.id, node.value
        elif (
            isinstance(node, ast.AnnAssign)
            and node.value is not None
            and isinstance(node.target, ast.Name)
        ):
            yield node.target.id, node.value


def _trees() -> dict[str, ast.Module]:
    return {
        str(p.relative_to(REPO)): ast.parse(p.read_text(), str(p))
        for p in sorted(SERVER.rglob("*.py"))
    }


def _keeps_containers(cls: ast.ClassDef) -> bool:
    """Whether instances of `cls` hold a container they may fill."""
    for node in ast.walk(cls):
        if isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for t in targets:
                on_self = isinstance(t, ast.Attribute) and getattr(t.value, "id", "") == "self"
                if on_self and _is_container(node.value):
                    return True
        if (
            isinstance(node, ast.keyword)
            and node.arg == "default_factory"
            and getattr(node.value, "id", None) in _CONTAINERS
        ):
            return True
    return False


def _mutated_in_functions(tree: ast.Module, names: set[str]) -> set[str]:
    found: set[str] = set()
    for fn in ast.walk(tree):
        if not isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        for n in ast.walk(fn):
            if isinstance(n, (ast.Assign, ast.AugAssign, ast.Delete)):
                targets = n.targets if not isinstance(n, ast.AugAssign) else [n.target]
                for t in targets:
                    if isinstance(t, ast.Subscript) and getattr(t.value, "id", None) in names:
                        found.add(t.value.id)  # type: ignore[attr-defined]
            elif isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute):
                holder = getattr(n.func.value, "id", None)
                if n.func.attr in _MUTATORS and holder in names:
                    found.add(holder)
            elif isinstance(n, ast.Global):
                found.update(x for x in n.names if x in names)
    return found


def _keyed_by_id(node: ast.AST, holders: set[str] | None) -> list[int]:
    """Lines where a container named in `holders` (a module global), or any attribute of
    `self` (holders None), is indexed or looked up with a key that calls `id()`."""

    def is_holder(e: ast.expr) -> bool:
        if holders is None:
            return isinstance(e, ast.Attribute) and getattr(e.value, "id", "") == "self"
        return isinstance(e, ast.Name) and e.id in holders

    def calls_id(e: ast.AST) -> bool:
        return any(
            isinstance(c, ast.Call) and getattr(c.func, "id", None) == "id" for c in ast.walk(e)
        )

    lines = []
    for n in ast.walk(node):
        if (isinstance(n, ast.Subscript) and is_holder(n.value) and calls_id(n.slice)) or (
            isinstance(n, ast.Call)
            and isinstance(n.func, ast.Attribute)
            and n.func.attr in {"get", "setdefault", "pop", "__contains__", *_MUTATORS}
            and is_holder(n.func.value)
            and n.args
            and calls_id(n.args[0])
        ):
            lines.append(n.lineno)
    return lines


def _module_state() -> dict[str, tuple[ast.Module, str, ast.ClassDef | None]]:
    """ "path:name" -> (the module, the name, the class of the instance or None: a container)
    for every module-level binding that holds state a function may change."""
    trees = _trees()
    classes: dict[str, list[ast.ClassDef]] = {}
    for tree in trees.values():
        for node in ast.walk(tree):
            if isinstance(node, ast.ClassDef):
                classes.setdefault(node.name, []).append(node)
    state: dict[str, tuple[ast.Module, str, ast.ClassDef | None]] = {}
    for path, tree in trees.items():
        containers = {name for name, value in _module_bindings(tree) if _is_container(value)}
        for name in _mutated_in_functions(tree, containers):
            state[f"{path}:{name}"] = (tree, name, None)
        for name, value in _module_bindings(tree):
            for cls in classes.get(_called(value) or "", []):
                if _keeps_containers(cls):
                    state[f"{path}:{name}"] = (tree, name, cls)
                    break
    return state


def test_module_level_state_is_only_pure_function_caches() -> None:
    unexplained = sorted(set(_module_state()) - set(ALLOWED))
    assert not unexplained, (
        "module-level state that is not a pure function's cache; put it on the workspace's "
        "caches (server/workspace/caches.py) or explain in ALLOWED why it is pure: "
        + ", ".join(unexplained)
    )


def test_every_allowed_entry_still_exists() -> None:
    stale = sorted(set(ALLOWED) - set(_module_state()))
    assert not stale, f"ALLOWED names state that is gone (remove it): {stale}"


def test_no_module_level_state_is_keyed_by_id() -> None:
    keyed: list[str] = []
    for key, (tree, name, cls) in _module_state().items():
        lines = _keyed_by_id(cls, None) if cls is not None else _keyed_by_id(tree, {name})
        keyed += [f"{key} (line {line})" for line in lines]
    assert not keyed, f"module-level caches keyed by id(): {keyed}"


def test_the_scan_finds_what_it_looks_for() -> None:
    """The scan itself, on a made-up module: a filled global dict keyed by id() and a global
    cache object are found; a constant dict only read is not."""
    tree = ast.parse(
        "_SEEN: dict = {}\n"
        "_NAMES = {'a': 1}\n"
        "def f(x):\n"
        "    _SEEN[id(x)] = _NAMES['a']\n"
        "class Kept:\n"
        "    def __init__(self):\n"
        "        self._by = {}\n"
        "    def get(self, x):\n"
        "        return self._by.get(id(x))\n"
    )
    containers = {n for n, v in _module_bindings(tree) if _is_container(v)}
    assert containers == {"_SEEN", "_NAMES"}
    assert _mutated_in_functions(tree, containers) == {"_SEEN"}
    assert _keyed_by_id(tree, {"_SEEN"}) == [4]
    [cls] = [n for n in tree.body if isinstance(n, ast.ClassDef)]
    assert _keeps_containers(cls) and _keyed_by_id(cls, None) == [9]

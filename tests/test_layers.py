"""The layering rules of DESIGN.md, kept by a test (every import, also those inside functions):

- `codegen` never imports `server`: it works as a library with no editor, database or disk;
- pygls and lsprotocol appear only in `server/app.py` and `server/features/`;
- a source (`server/sources/<kind>/`) never imports another source; they share
  `sources/base.py` and `sources/typescript/`;
- a rule (`server/rules/`) never imports a source: its fixes are written by the unit's
  `SchemaEditor` (`sources/base.py`), which the lint context hands it, so no rule knows which
  ORM it is fixing;
- the packages of `codegen` import each other in one direction only (no cycle): `schema`, then
  `dialects` (database facts), `orms`, `ddl` (operations, diff, safe plan), `emit` (text out).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED_SOURCE_PACKAGES = {"base", "typescript"}


def _modules(folder: str) -> list[Path]:
    return sorted((REPO / folder).rglob("*.py"))


def _imports(path: Path) -> Iterator[tuple[int, str]]:
    """(line, module) for every import in `path`, relative ones made absolute."""
    tree = ast.parse(path.read_text(), str(path))
    package = ".".join(["schemasense", *path.relative_to(REPO).with_suffix("").parts[:-1]])
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                module = ".".join([*base, node.module] if node.module else base)
            else:
                module = node.module or ""
            yield node.lineno, module
            for alias in node.names:
                yield node.lineno, f"{module}.{alias.name}"


def _where(path: Path, line: int, module: str) -> str:
    return f"{path.relative_to(REPO)}:{line}: {module}"


def test_codegen_never_imports_server() -> None:
    bad = [
        _where(path, line, module)
        for path in _modules("codegen")
        for line, module in _imports(path)
        if module == "schemasense.server" or module.startswith("schemasense.server.")
    ]
    assert not bad, "codegen must not import server:\n" + "\n".join(bad)


def test_lsp_libraries_only_in_app_and_features() -> None:
    allowed = {REPO / "server" / "app.py"}
    bad = [
        _where(path, line, module)
        for path in _modules("server")
        if path not in allowed and "features" not in path.relative_to(REPO / "server").parts
        for line, module in _imports(path)
        if module.split(".")[0] in {"lsprotocol", "pygls"}
    ]
    assert not bad, "pygls / lsprotocol outside server/app.py and server/features/:\n" + "\n".join(
        bad
    )


def test_a_source_never_imports_another_source() -> None:
    sources = REPO / "server" / "sources"
    if not sources.is_dir():
        pytest.skip("server/sources/ does not exist yet")
    bad = []
    for path in _modules("server/sources"):
        parts = path.relative_to(sources).parts
        own = parts[0].removesuffix(".py")
        for line, module in _imports(path):
            if not module.startswith("schemasense.server.sources."):
                continue
            other = module.split(".")[3]
            if other not in (own, *SHARED_SOURCE_PACKAGES):
                bad.append(_where(path, line, module))
    assert not bad, "a source imports another source:\n" + "\n".join(bad)


def _source_imports(folder: Path, root: Path) -> list[str]:
    """Every import of `server.sources` (any part of it) by a module under `folder`."""
    return [
        f"{path.relative_to(root)}:{line}: {module}"
        for path in sorted(folder.rglob("*.py"))
        for line, module in _imports_at(path, root)
        if module == "schemasense.server.sources"
        or module.startswith("schemasense.server.sources.")
    ]


def test_rules_never_import_a_source() -> None:
    bad = _source_imports(REPO / "server" / "rules", REPO)
    assert not bad, "a rule imports a source (ask `target.editor` instead):\n" + "\n".join(bad)


def test_the_rule_check_can_fail(tmp_path: Path) -> None:
    """A rule module that imports a source, directly, relatively or lazily, is caught."""
    rules = tmp_path / "server" / "rules" / "design"
    rules.mkdir(parents=True)
    (rules / "a.py").write_text("from schemasense.server.sources.prisma import edits\n")
    (rules / "b.py").write_text("def f():\n    from ...sources import base\n")
    (rules / "c.py").write_text("from schemasense.server.lint.context import SchemaTarget\n")
    found = _source_imports(tmp_path / "server" / "rules", tmp_path)
    assert [f.split(":")[0] for f in found] == [
        "server/rules/design/a.py",
        "server/rules/design/a.py",
        "server/rules/design/b.py",
        "server/rules/design/b.py",
    ], found


def _package_graph(root: Path, top: str) -> dict[str, set[str]]:
    """package -> the packages it imports, for the packages under `root/top` (a folder, or a
    module directly in `top`), every import counted (lazy ones too)."""
    graph: dict[str, set[str]] = {}
    for path in sorted((root / top).rglob("*.py")):
        parts = path.relative_to(root / top).with_suffix("").parts
        own = parts[0]
        if own == "__init__":
            continue
        graph.setdefault(own, set())
        for _, module in _imports_at(path, root):
            names = module.split(".")
            if names[:2] != ["schemasense", top] or len(names) < 3 or names[2] == own:
                continue
            if (root / top / names[2]).is_dir() or (root / top / f"{names[2]}.py").is_file():
                graph[own].add(names[2])
    return graph


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One cycle of `graph` (its packages in order, the first again at the end), or None."""
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return [*stack[stack.index(nxt) :], nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (found := visit(node)):
            return found
    return None


def test_codegen_packages_import_each_other_one_way() -> None:
    """`codegen.ddl` uses `codegen.dialects` (the database facts), never the reverse; no two
    packages of `codegen` import each other, through any path."""
    graph = _package_graph(REPO, "codegen")
    assert "ddl" in graph["emit"] and "dialects" in graph["ddl"], graph
    assert _cycle(graph) is None, " -> ".join(_cycle(graph) or [])


def test_the_cycle_check_can_fail(tmp_path: Path) -> None:
    """A dialect importing an operation (directly, or lazily through another package) is a
    cycle the check reports."""
    for name in ("ddl", "dialects", "emit"):
        (tmp_path / "codegen" / name).mkdir(parents=True)
    (tmp_path / "codegen" / "ddl" / "ops.py").write_text("from ..dialects import facts\n")
    (tmp_path / "codegen" / "dialects" / "facts.py").write_text(
        "def f():\n    from schemasense.codegen.emit import sql\n"
    )
    (tmp_path / "codegen" / "emit" / "sql.py").write_text("from ..ddl.ops import X\n")
    graph = _package_graph(tmp_path, "codegen")
    assert graph == {"ddl": {"dialects"}, "dialects": {"emit"}, "emit": {"ddl"}}
    assert _cycle(graph) == ["ddl", "dialects", "emit", "ddl"]
    (tmp_path / "codegen" / "dialects" / "facts.py").write_text("X = 1\n")
    assert _cycle(_package_graph(tmp_path, "codegen")) is None


def test_the_checks_can_fail(tmp_path: Path) -> None:
    """The import walk sees lazy and relative imports (a check that cannot fail is a defect)."""
    folder = tmp_path / "codegen" / "emit"
    folder.mkdir(parents=True)
    module = folder / "x.py"
    module.write_text("def f():\n    from ..schema import Schema\n    import pygls.server\n")
    found = [m for _, m in _imports_at(module, tmp_path)]
    assert "schemasense.codegen.schema" in found
    assert "pygls.server" in found


def _imports_at(path: Path, root: Path) -> list[tuple[int, str]]:
    global REPO
    saved, REPO = REPO, root
    try:
        return list(_imports(path))
    finally:
        REPO = saved

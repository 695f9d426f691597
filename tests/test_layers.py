"""The layering rules of DESIGN.md, kept by a test (every import, also those inside functions):

- `codegen` never imports `server`: it works as a library with no editor, database or disk;
- pygls and lsprotocol appear only in `server/app.py` and `server/features/`;
- a source (`server/sources/<kind>/`) never imports another source; they share
  `sources/base.py` and `sources/typescript/`;
- a rule (`server/rules/`) never imports a source: its fixes are written by the unit's
  `SchemaEditor` (`sources/base.py`), which the lint context hands it, so no rule knows which
  ORM it is fixing.
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

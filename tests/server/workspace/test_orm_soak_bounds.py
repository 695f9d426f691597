"""Typing into a TypeORM entity or a Sequelize model keeps a bounded number of readings of the
file typed into (robustness issue, item 5: memory stays flat over a long session).

The incremental reads keep, per file, the parsed module of its last texts
(`typescript/kept.py`) and the unit's previous read; a keystroke must replace what it kept of
the text before, not add to it, and what it drops must be freed by reference counts (the
workspace pauses the cyclic collector during an analysis). Here 40 characters are typed one
at a time into a comment of a sample's model file, each followed by the unit's analysis, as
the server does; then the live parses (`ParsedFile`, each holding a tree-sitter tree: C
memory tracemalloc does not see) and modules of that file are counted, and the unit's per-read
caches must be as large as after the first few keystrokes. The long version, on the corpus:
`tests/bench/bench_soak.py --project cart|collective`.
"""

from __future__ import annotations

import gc
from pathlib import Path

import pytest
from schemasense.server.sources.typescript.declarations import Module
from schemasense.server.sources.typescript.kept import _MODULES, VERSIONS
from schemasense.server.sources.typescript.parse import ParsedFile
from schemasense.server.workspace.workspace import TextChange, Workspace

SAMPLES = Path(__file__).resolve().parents[3] / "samples"


def _live(kind: type, path: str) -> int:
    return sum(1 for o in gc.get_objects() if type(o) is kind and _path(o) == path)


def _path(o: object) -> str | None:
    return o.path if isinstance(o, ParsedFile) else o.parsed.path  # type: ignore[attr-defined]


def _sizes(read) -> dict[str, int]:  # type: ignore[no-untyped-def]
    """The sizes of what a read keeps for the next one (TypeORM's or Sequelize's)."""
    sizes: dict[str, int] = {}
    for name, value in (
        ("own", getattr(getattr(read, "entities", None), "own", None)),
        ("related", getattr(getattr(read, "entities", None), "related", None)),
        ("found", getattr(getattr(read, "modules", None), "_found", None)),
        ("resolved", getattr(getattr(read, "modules", None), "_resolved", None)),
        ("built", getattr(read, "built", None)),
        ("decorated", getattr(getattr(read, "kept", None), "decorated", None)),
    ):
        if isinstance(value, dict):
            sizes[name] = len(value)
    built = getattr(read, "built", None)
    if hasattr(built, "own"):
        sizes["built.own"] = len(built.own)
    replayer = getattr(getattr(read, "kept", None), "replayer", None)
    if replayer is not None:
        sizes["replayer parses"] = len(replayer._parsed)
    return sizes


def _type(root: Path, path: Path, count: int, workspace: Workspace | None = None):  # type: ignore[no-untyped-def]
    """Open `path` in a workspace over `root`, type a comment `count` characters long into it
    (a character, then an analysis), and return the workspace and the last read."""
    main = str(path)
    text = path.read_text()
    workspace = Workspace([str(root)])
    workspace.open(main, text, 1, "typescript")
    analysis = workspace.analyze(workspace.unit_for(main))
    line = text.count("\n", 0, text.index("\n}") + 1)  # the line of the first closing brace
    workspace.change(main, 2, [TextChange(" //", (line, 0), (line, 0))])
    column, version = 3, 2
    sizes = []
    gc.collect()
    gc.disable()  # what a keystroke drops must go by reference counts alone (see the test)
    for n in range(count):
        version += 1
        ch = "a😀日é "[n % 5]
        workspace.change(main, version, [TextChange(ch, (line, column), (line, column))])
        column += 2 if ord(ch) > 0xFFFF else 1
        analysis = workspace.analyze(workspace.unit_for(main))
        sizes.append(_sizes(analysis.read))
    return workspace, analysis, sizes


@pytest.fixture(autouse=True)
def _collector_back():  # type: ignore[no-untyped-def]
    yield
    gc.enable()


def _typed_into(sample: str, pick) -> Path:  # type: ignore[no-untyped-def]
    files = sorted(p for p in (SAMPLES / sample).rglob("*.[jt]s") if "node_modules" not in p.parts)
    return next(p for p in files if pick(p.read_text()))


CASES = [
    ("typeorm-sqlite", lambda t: "@Entity(" in t and "@Column(" in t),
    ("typeorm-nest", lambda t: "@Entity(" in t and "@Column(" in t),
    ("sequelize-js", lambda t: ".init(" in t or ".define(" in t),
]


@pytest.mark.parametrize(("sample", "pick"), CASES, ids=[c[0] for c in CASES])
def test_typing_keeps_a_bounded_number_of_readings(sample, pick):
    path = _typed_into(sample, pick)
    workspace, analysis, sizes = _type(SAMPLES / sample, path, 40)
    assert analysis.read is not None
    assert analysis.unit.kind in ("typeorm", "sequelize")
    # the typed file's module is kept for its last VERSIONS texts, not for every text typed
    assert len(_MODULES._kept[str(path)]) <= VERSIONS
    assert _MODULES._kept[str(path)][0][0] == workspace.text(str(path))
    # what is alive of the file typed into: the current parse and module, the few kept ones
    # (kept.py's and the previous read's); never one per keystroke. Counted with the
    # collector paused throughout, as the workspace pauses it during an analysis: a module
    # in a reference cycle (its evaluator's bindings held it) waited for a full collection,
    # with its tree-sitter tree (opencollective's Collective.ts: 312 MB after 100 keystrokes,
    # 366 MB after 1,000; 134 MB and flat without the cycle)
    assert 1 <= _live(ParsedFile, str(path)) <= VERSIONS + 1
    assert 1 <= _live(Module, str(path)) <= VERSIONS + 1
    # what each read keeps for the next does not grow with the keystrokes
    assert sizes[-1] == sizes[4], f"{sizes[4]} after 5 characters, {sizes[-1]} after 40"
    assert sizes[-1], "the read keeps nothing for the next one: is it still incremental?"

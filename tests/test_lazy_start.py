"""The server loads the TypeORM and Sequelize readers (tree-sitter, the TypeScript model) only
for a project that has such files.

Start-up time is spawn -> initialize and open -> first diagnostics (issue 17, benches in
tests/bench/bench_start.py); importing readers a Prisma project never uses cost a third of it.
The sources' modules import their readers where they use them (`server/sources/*/source.py`).
This is a behavioural check, not a timed one: a fresh interpreter imports the server's entry,
opens a sample project's schema and analyses it, and says which modules it loaded. The same
run over a TypeORM sample must load them (so the check can fail).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

SAMPLES = Path(__file__).resolve().parents[1] / "samples"
READERS = (
    "tree_sitter",
    "schemasense.server.sources.typeorm.reader",
    "schemasense.server.sources.sequelize.reader",
    "schemasense.server.project.typeorm",
    "schemasense.server.project.sequelize",
)

_SCRIPT = """
import json, sys
import schemasense.server.app  # the entry `serve` runs
from schemasense.server.features import watching
from schemasense.server.workspace.workspace import Workspace

root, path = sys.argv[1], sys.argv[2]
ws = Workspace([root])
globs = watching.registration()  # what `initialized` registers: every source's globs
if path:
    ws.open(path, open(path, encoding="utf-8").read(), 1)
    findings = ws.check_path(path)
else:
    findings = [f for unit in ws.units() for f in ws.analyze(unit).findings]
units = sorted(unit.kind for unit in ws.units())
print(json.dumps({"units": units, "findings": len(findings), "modules": sorted(sys.modules)}))
"""


def _run(root: Path, path: Path | None) -> dict:
    out = subprocess.run(
        [sys.executable, "-c", _SCRIPT, str(root), str(path) if path else ""],
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def _readers(modules: list[str]) -> list[str]:
    return [m for m in modules if m.startswith(READERS)]


def test_a_prisma_project_loads_no_typescript_reader(tmp_path: Path) -> None:
    # a copy outside the repository, whose own package.json (the oracles' npm packages) names
    # typeorm and sequelize and would make the samples' folder a TypeORM project's
    root = tmp_path / "prisma-blog"
    shutil.copytree(SAMPLES / "prisma-blog", root)
    seen = _run(root, root / "prisma" / "schema.prisma")
    assert seen["units"] == ["prisma"]
    assert seen["findings"] > 0  # the schema was read and linted (the sample has findings)
    assert _readers(seen["modules"]) == []


def test_a_typeorm_project_loads_its_reader() -> None:
    seen = _run(SAMPLES / "typeorm-sqlite", None)
    assert "typeorm" in seen["units"]
    assert "tree_sitter" in seen["modules"]
    assert "schemasense.server.sources.typeorm.reader" in seen["modules"]


def test_the_light_suffixes_agree_with_the_project_reader() -> None:
    from schemasense.server.project import typeorm as project
    from schemasense.server.sources.typeorm import source

    assert source._CODE_SUFFIXES == project.CODE_SUFFIXES

"""Every generated DTO file compiles with tsc (strict): every model of every corpus schema
(Prisma, TypeORM, Sequelize) and of every sample, in both styles, in one tsc run."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from schemasense.server.workspace.workspace import Workspace

from tests.conftest import CORPUS, corpus_available

from .harness import REPO, Generated, compile_all, generate, node_available, write


def _unit_paths(root: Path) -> list[tuple[str, str, str]]:
    workspace = Workspace([str(root)])
    out = []
    for unit in workspace.units():
        key = unit.key
        if not key.startswith(str(root)):
            continue  # a unit the walk found outside the folder (a file it links to)
        name = os.path.relpath(key, root).replace(os.sep, "_").replace(".", "_")
        out.append((str(root), name, key))
    return out


@pytest.mark.corpus
def test_every_corpus_and_sample_dto_compiles(tmp_path: Path) -> None:
    reason = node_available() or corpus_available()
    if reason:
        pytest.skip(reason)
    generated: list[Generated] = []
    samples = [
        (path, f"sample_{name}", key)
        for sample in sorted((REPO / "samples").iterdir())
        for path, name, key in _unit_paths(sample)
    ]
    for path, name, key in _unit_paths(CORPUS) + samples:
        generated.append(generate(path, name, key))
    models = sum(len(g.models) for g in generated)
    files = sum(len(g.files) for g in generated)
    kinds = {g.name.split("_")[0] for g in generated}
    assert {"calcom", "typeorm", "sequelize", "sample"} <= kinds
    assert models > 400 and files == 2 * models
    write(generated, tmp_path)
    result = compile_all(tmp_path)
    print(f"\n[dto] tsc --strict over {files} files ({models} models): exit {result.returncode}")
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]

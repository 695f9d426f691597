"""The TypeORM editor's fixes, judged by TypeORM itself on a real PostgreSQL.

DB101 on samples/typeorm-nest (a self-referencing `@ManyToOne` whose `parent_id` no index
leads with) offers "Add @Index(["parent"])". Applied to a copy: the finding is gone, the entity
still compiles, and TypeORM's own schema builder, after the sample's migrations, wants exactly
one change, the index on `post (parent_id)`; `schemasense generate migration` then writes the
migration after which TypeORM wants nothing. The index TypeORM makes by itself on the join
table's first column (from `@JoinTable`, covered by the table's primary key) is not reported as
redundant (DB102): TypeORM builds it (its migration creates it and its schema builder wants
nothing more), and no declaration of the user's says it.
"""

from __future__ import annotations

import contextlib
import io
import json
import re
import shutil
from pathlib import Path

import pytest
from schemasense.server.cli import main

from tests.oracle.typeorm.harness import compile_sample, run_sample, unavailable

pytestmark = pytest.mark.oracle
SAMPLE = Path(__file__).resolve().parents[3] / "samples" / "typeorm-nest"


def _check(project: Path) -> list[dict]:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        main(["check", str(project), "--format", "json"])
    return json.loads(out.getvalue())


def _apply(project: Path, fix: dict) -> None:
    by_file: dict[str, list[dict]] = {}
    for edit in fix["edits"]:
        by_file.setdefault(edit["path"], []).append(edit)
    for path, edits in by_file.items():
        file = Path(path) if Path(path).is_absolute() else Path.cwd() / path
        text = file.read_text()
        for edit in sorted(edits, key=lambda e: e["start"], reverse=True):
            text = text[: edit["start"]] + edit["newText"] + text[edit["end"] :]
        file.write_text(text)


def test_add_index_fix_is_the_index_typeorm_builds(postgres, tmp_path: Path):
    reason = unavailable()
    if reason:
        pytest.skip(reason)
    project = tmp_path / "typeorm-nest"
    shutil.copytree(SAMPLE, project, ignore=shutil.ignore_patterns("node_modules", "dist"))
    findings = _check(project)
    [db101] = [f for f in findings if f["code"] == "DB101"]
    assert db101["fix"]["title"] == 'Add @Index(["parent"])'
    assert not [f for f in findings if f["code"] == "DB102"]  # @JoinTable's own index

    _apply(project, db101["fix"])
    entity = (project / "src" / "posts" / "post.entity.ts").read_text()
    assert '@Index(["parent"])\n@Entity()\n' in entity
    after = _check(project)
    # the entity is fixed; the migrations still build the table without it (until the new one)
    assert [f["path"].endswith("Init.ts") for f in after if f["code"] == "DB101"] == [True]
    assert [f["code"] for f in after if f["code"].startswith("DB3")] == ["DB309"]  # not migrated

    with postgres.scratch() as url:
        result = run_sample(compile_sample(project, tmp_path / "build1"), url)
    [pending] = result["pending"]
    assert re.fullmatch(r'CREATE INDEX "IDX_\w+" ON "post" \("parent_id"\) ?', pending), pending

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert main(["generate", "migration", str(project), "--name", "IndexPostParent"]) == 0
    with postgres.scratch() as url:
        result = run_sample(compile_sample(project, tmp_path / "build2"), url)
    assert result["pending"] == [], "TypeORM would still change the database"
    assert result["left"] == []
    final = _check(project)
    assert not [f for f in final if f["code"].startswith("DB3")]
    assert not [f for f in final if f["code"] == "DB101"]  # the new migration indexes it

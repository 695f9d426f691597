"""DB102 (redundant index) on TypeORM entities: the index TypeORM makes by itself is not
reported, an index the user wrote is, with the fix that removes it (issue 12).

TypeORM's own DDL for samples/typeorm-nest (entity_ddl.cjs, no database) creates an index on
each join column of `post_tags_tag`, the join table of `Post.tags` (`@JoinTable()`): the one on
`post_id` is covered by the table's primary key `(post_id, tag_id)`, but no declaration of the
user's says it, so DB102 is silent on it, in the entity and in the migration that creates it.
A redundant `@Index(["author"])` written next to `@Index(["author", "publishedAt"])` is
reported, its fix removes the decorator's line, and after it TypeORM's DDL no longer creates
that index while the finding is gone.
"""

from __future__ import annotations

import contextlib
import io
import json
import shutil
from pathlib import Path

import pytest
from schemasense.server.cli import main

from tests.oracle.typeorm.entities import normalized, typeorm_ddl
from tests.oracle.typeorm.harness import compile_sample, unavailable

pytestmark = pytest.mark.oracle
SAMPLE = Path(__file__).resolve().parents[3] / "samples" / "typeorm-nest"


def _check(project: Path) -> list[dict]:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        main(["check", str(project), "--format", "json"])
    return json.loads(out.getvalue())


def _ddl(project: Path, out: Path) -> list[str]:
    dist = compile_sample(project, out)
    return [
        normalized(s)
        for s in typeorm_ddl(dist / "data-source.js", "AppDataSource", out)["statements"]
    ]


def test_typeorms_own_join_table_index_is_not_reported(tmp_path: Path):
    reason = unavailable()
    if reason:
        pytest.skip(reason)
    project = tmp_path / "typeorm-nest"
    shutil.copytree(SAMPLE, project, ignore=shutil.ignore_patterns("node_modules", "dist"))
    post = project / "src" / "posts" / "post.entity.ts"
    post.write_text(
        post.read_text().replace(
            '@Index(["author", "publishedAt"])\n',
            '@Index(["author", "publishedAt"])\n@Index(["author"])\n',
        )
    )
    ddl = _ddl(project, tmp_path / "build1")
    join_index = normalized(
        'CREATE INDEX "IDX_c0a86e8a16b3aa4179f7ed919d" ON "post_tags_tag" ("post_id")'
    )
    assert join_index in ddl  # TypeORM makes it, covered by the join table's primary key
    assert any(
        '"post_tags_tag_pkey"' in s or 'PRIMARY KEY ( "post_id", "tag_id" )' in s for s in ddl
    )
    author_only = [
        s for s in ddl if s.startswith("CREATE INDEX") and s.endswith('ON "post" ( "author_id" )')
    ]
    assert len(author_only) == 1

    [db102] = [f for f in _check(project) if f["code"] == "DB102"]
    assert db102["path"].endswith("post.entity.ts")
    assert "(author_id) on `post` is covered by index" in db102["message"]
    assert db102["fix"]["title"] == "Remove the redundant index"
    for edit in sorted(db102["fix"]["edits"], key=lambda e: e["start"], reverse=True):
        text = Path(edit["path"]).read_text()
        Path(edit["path"]).write_text(text[: edit["start"]] + edit["newText"] + text[edit["end"] :])
    assert '@Index(["author"])' not in post.read_text()
    assert not [f for f in _check(project) if f["code"] == "DB102"]
    after = _ddl(project, tmp_path / "build2")
    assert not [s for s in after if s.endswith('ON "post" ( "author_id" )')]
    assert join_index in after

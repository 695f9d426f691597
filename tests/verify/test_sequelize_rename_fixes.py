"""The fixes of DB210 (rename column) and DB211 (rename table) on Sequelize migrations, judged by
Sequelize itself on a real PostgreSQL.

A copy of samples/sequelize-js gets a migration that renames `Posts.rating` to `score`
(`queryInterface.renameColumn`) and the `Tags` table to `Labels` (`queryInterface.renameTable`),
with both inverses in `down`; the models say the new names. `schemasense check` offers each
rule's fix: the call leaves `up`, its inverse leaves `down`, and the model keeps the old name
(`field: "rating"`, `tableName: "Tags"`). Then sequelize-cli runs the chain on one scratch
database and Sequelize's `sync()` builds the edited models on another: the two databases are
the same, object for object; and undoing the chain leaves only sequelize-cli's SequelizeMeta.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from schemasense.server.verify.compare import compare, format_differences
from schemasense.server.verify.databases import introspect

from tests.verify.test_sequelize_editor_fixes import _apply, _check
from tests.verify.test_sequelize_sync import SAMPLE, _model_files, _sync, sequelize_cli

pytestmark = pytest.mark.oracle

RENAME = """"use strict";

/** @type {import('sequelize-cli').Migration} */
module.exports = {
  async up(queryInterface) {
    await queryInterface.renameColumn("Posts", "rating", "score");
    await queryInterface.renameTable("Tags", "Labels");
  },

  async down(queryInterface) {
    await queryInterface.renameTable("Labels", "Tags");
    await queryInterface.renameColumn("Posts", "score", "rating");
  },
};
"""
FIXES = {
    "DB210": 'Keep the column: field: "rating" on the field, no rename',
    "DB211": 'Keep the table: tableName: "Tags" on the model, no rename',
}


def _project(tmp_path: Path) -> Path:
    project = tmp_path / "sequelize-js"
    shutil.copytree(SAMPLE, project, ignore=shutil.ignore_patterns("node_modules"))
    (project / "migrations" / "20250303090000-rename-rating-and-tags.js").write_text(RENAME)
    post, tag = project / "models" / "post.js", project / "models" / "tag.js"
    assert "      rating: DataTypes" in post.read_text()
    post.write_text(post.read_text().replace("      rating: DataTypes", "      score: DataTypes"))
    named = 'modelName: "Tag",\n      tableName: "Labels",'
    tag.write_text(tag.read_text().replace('modelName: "Tag",', named))
    return project


def test_the_rename_fixes_are_what_sequelize_builds(postgres_server, tmp_path: Path) -> None:
    project = _project(tmp_path)
    assert sorted(f["code"] for f in _check(project) if f["code"] in FIXES) == sorted(FIXES)
    for code, title in FIXES.items():
        finding = next(f for f in _check(project) if f["code"] == code)
        assert finding["fix"]["title"] == title
        _apply(finding["fix"]["edits"])
        assert code not in {f["code"] for f in _check(project)}, "the finding stays"
    migration = (project / "migrations" / "20250303090000-rename-rating-and-tags.js").read_text()
    assert "queryInterface.rename" not in migration
    assert 'field: "rating"' in (project / "models" / "post.js").read_text()
    assert 'tableName: "Tags"' in (project / "models" / "tag.js").read_text()

    with postgres_server.scratch() as synced_url:
        _sync(synced_url, _model_files(project / "models"))
        synced = introspect(synced_url)
    with postgres_server.scratch() as url:
        sequelize_cli(url, "db:migrate", project=project)
        database = introspect(url)
        migrated = database.model_copy(
            update={"tables": [t for t in database.tables if t.name != "SequelizeMeta"]}
        )
        differences = compare(migrated, synced, provider="postgresql")
        assert differences == [], format_differences(differences)
        assert {t.name for t in synced.tables} >= {"Posts", "Tags", "PostTags"}
        sequelize_cli(url, "db:migrate:undo:all", project=project)
        left = introspect(url)
        assert [t.name for t in left.tables] == ["SequelizeMeta"]

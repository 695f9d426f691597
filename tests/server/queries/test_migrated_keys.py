"""Queries are judged against the keys the database has: the declared ones plus the indexes only
the linked migrations create (`server/queries/migrated_keys.py`). A Sequelize project that adds
its indexes with `queryInterface.addIndex` in a migration and never on the model had every query
those indexes serve flagged by DB401 (grouparoo: 26 of 35 findings)."""

from __future__ import annotations

import shutil
from pathlib import Path

from schemasense.codegen.queries.serve import judge
from schemasense.codegen.schema import Column, ColumnType, Index, IndexColumn, Schema, Table
from schemasense.server.queries.migrated_keys import with_migrated_keys
from schemasense.server.queries.read import read_project_queries
from schemasense.server.workspace.workspace import Workspace

SAMPLE = Path(__file__).resolve().parents[3] / "samples" / "sequelize-js"
MIGRATION = """'use strict';
module.exports = {
  async up(queryInterface) {
    await queryInterface.addIndex("Posts", ["authorId", "createdAt"], {
      name: "posts_author_created",
    });
  },
  async down(queryInterface) {
    await queryInterface.removeIndex("Posts", "posts_author_created");
  },
};
"""


def _by_author(root: Path) -> tuple[str, list[str]]:
    found = read_project_queries(Workspace([str(root)], incremental=False), str(root))
    [item] = [
        q
        for q in found.queries
        if q.file.endswith("posts.js")
        and "authorId" in {f.column for b in q.query.where for f in b.filters}
        and q.query.implied_by is None
        and q.query.label == "Post.findAll"
    ]
    table = item.unit.schema.table("Posts")
    assert table is not None
    judged = judge(item.query, table, item.unit.dialect)
    return judged.verdict, [u.index for u in judged.uses]


def test_an_index_only_a_migration_creates_serves(tmp_path: Path) -> None:
    root = tmp_path / "sequelize-js"
    shutil.copytree(SAMPLE, root, ignore=shutil.ignore_patterns("node_modules"))
    assert _by_author(root) == ("not_served", [])
    (root / "migrations" / "20250401090000-index-posts-by-author.js").write_text(MIGRATION)
    assert _by_author(root) == ("served", ["posts_author_created"])


def test_merge_rules() -> None:
    """Added: a key the declared table lacks, by name and by shape, leading with one of its
    columns; left: one it has under another name, and one on a column it does not have."""
    declared = Schema(
        tables=[
            Table(
                name="t",
                columns=[],
                indexes=[Index(name="t_a", columns=[IndexColumn(column="a")])],
            )
        ]
    )
    cols = [Column(name=n, type=ColumnType(kind="int")) for n in ("a", "b")]
    declared.tables[0].columns.extend(cols)
    migrated = Schema(
        tables=[
            Table(
                name="t",
                columns=cols,
                indexes=[
                    Index(name="t_a_again", columns=[IndexColumn(column="a")]),
                    Index(name="t_b_x", columns=[IndexColumn(column="b"), IndexColumn(column="x")]),
                    Index(name="t_old", columns=[IndexColumn(column="old")]),
                ],
            )
        ]
    )
    merged = with_migrated_keys(declared, [migrated])
    assert [i.name for i in merged.tables[0].indexes] == ["t_a", "t_b_x"]
    assert with_migrated_keys(declared, []) is declared

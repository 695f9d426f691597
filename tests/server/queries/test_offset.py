"""Offsets read into the query shape (issue 16: pagination): Prisma `skip`, TypeORM `skip` and
the QueryBuilder's `skip()` / `offset()`, Sequelize `offset`, SQL `OFFSET`; a literal is kept
as `offset`, any value sets `offset_given`; the judgement says what a deep page costs when no
index gives the sort. The three ORM fixtures of the query chain are the schemas."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from schemasense.codegen.queries.serve import judge
from schemasense.codegen.queries.sql import read_sql_queries
from schemasense.server.queries.read import read_project_queries
from schemasense.server.workflows.queries import run_cli
from schemasense.server.workspace.workspace import Workspace

CHAIN = Path(__file__).resolve().parents[2] / "fixtures" / "queries" / "chain"

CODE = {
    "prisma": (
        "queries.ts",
        "export const f = (db: any, n: number) => [\n"
        '  db.post.findMany({ where: { status: "x" }, orderBy: { views: "desc" }, skip: 500,'
        " take: 10 }),\n"
        "  db.post.findMany({ where: { authorId: 1 }, orderBy: { createdAt: 'desc' }, skip: n,"
        " take: 10 }),\n"
        "  db.post.findMany({ where: { authorId: 1 } }),\n"
        "];\n",
    ),
    "typeorm": (
        "src/paging.ts",
        'import { dataSource } from "./queries";\nimport { Post } from "./entities";\n'
        "const posts = dataSource.getRepository(Post);\n"
        "export const f = (n: number) => [\n"
        '  posts.find({ where: { status: "x" }, order: { views: "DESC" }, skip: 500, take: 10 }),\n'
        "  posts.createQueryBuilder('p').where('p.author_id = :a', { a: 1 })"
        ".orderBy('p.created_at', 'DESC').skip(n).take(10).getMany(),\n"
        "  posts.find({ where: { authorId: 1 } }),\n"
        "];\n",
    ),
    "sequelize": (
        "src/paging.ts",
        'import { Post } from "./models";\n'
        "export const f = (n: number) => [\n"
        '  Post.findAll({ where: { status: "x" }, order: [["views", "DESC"]], offset: 500,'
        " limit: 10 }),\n"
        '  Post.findAll({ where: { authorId: 1 }, order: [["createdAt", "DESC"]], offset: n,'
        " limit: 10 }),\n"
        "  Post.findAll({ where: { authorId: 1 } }),\n"
        "];\n",
    ),
}


@pytest.mark.parametrize("orm", sorted(CODE))
def test_each_orm_reads_the_offset(orm: str, tmp_path: Path) -> None:
    root = tmp_path / orm
    shutil.copytree(CHAIN / orm, root)
    name, code = CODE[orm]
    (root / name).write_text(code, encoding="utf-8")
    found = read_project_queries(Workspace([str(root)], incremental=False), str(root))
    mine = [f for f in found.queries if f.file == str(root / name)]
    assert [(f.query.offset, f.query.offset_given) for f in mine] == [
        (500, True),
        (None, True),
        (None, False),
    ]
    deep, served, _ = mine
    table = deep.unit.schema.table("posts")
    reasons = judge(deep.query, table, "postgresql").reasons
    assert any("the offset: every call reads and sorts the skipped 500 rows" in r for r in reasons)
    # the sort is given by posts_author_created_idx: the page is read in order, no note
    assert judge(served.query, table, "postgresql").verdict == "served"
    assert not any("offset" in r for r in judge(served.query, table, "postgresql").reasons)
    assert deep.query.model_dump(mode="json", exclude_defaults=True)["offset"] == 500
    # `schemasense queries` text output: the offset after the limit
    text, _ = run_cli(str(root / name), as_json=False, cwd=str(root))
    details = [line.strip() for line in text.splitlines() if line.startswith("    ")]
    assert details[0].startswith("order views desc · limit 10 · offset 500 · "), details
    assert details[1].startswith("order created_at desc · limit 10 · offset ? · "), details
    assert "offset" not in details[2], details


@pytest.mark.parametrize("dialect", ["postgresql", "mysql", "sqlite"])
def test_sql_offset(dialect: str) -> None:
    (query,) = read_sql_queries(
        "SELECT * FROM t WHERE a = 1 ORDER BY b LIMIT 10 OFFSET 5000", dialect
    )
    assert (query.limit, query.offset, query.offset_given) == (10, 5000, True)
    (query,) = read_sql_queries("SELECT * FROM t WHERE a = 1 LIMIT 10", dialect)
    assert (query.offset, query.offset_given) == (None, False)

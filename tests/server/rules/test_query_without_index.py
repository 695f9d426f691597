"""DB401 query-without-index: a query in the code whose filter no index serves, on its `where`;
information, a warning inside a loop; in `schemasense check` when the rule is selected."""

from __future__ import annotations

import json
from pathlib import Path

from schemasense.server.cli import main
from schemasense.server.queries.lint import file_query_findings, query_findings
from schemasense.server.workspace.workspace import TextChange, Workspace

SCHEMA = """
datasource db {
  provider = "postgresql"
  url      = env("DATABASE_URL")
}

model Post {
  id       Int    @id @default(autoincrement())
  slug     String @unique
  status   String
  authorId Int    @map("author_id")
  title    String

  @@index([authorId])
  @@map("posts")
}
"""

CODE = """import { PrismaClient } from "@prisma/client";
const prisma = new PrismaClient();
export async function list(ids: number[], slug: string, id: number) {
  await prisma.post.findMany({ where: { status: "draft" } });
  await prisma.post.findUnique({ where: { slug } });
  await prisma.post.findMany({ where: { authorId: id } });
  for (const i of ids) {
    await prisma.post.count({ where: { title: { contains: "a" } } });
  }
  await prisma.post.findMany({});
}
"""

SELECTED = 'extend-select = ["DB401"]\n'


def project(root: Path, config: str | None = SELECTED) -> Path:
    files = {"package.json": "{}", "prisma/schema.prisma": SCHEMA, "src/posts.ts": CODE}
    if config is not None:
        files["schemasense.toml"] = config
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    return root


def findings(root: Path):
    return query_findings(Workspace([str(root)]), str(root))


def test_unserved_queries_are_flagged_on_their_where(tmp_path: Path) -> None:
    root = project(tmp_path)
    found = findings(root)
    got = [(f.code, f.severity, CODE[f.span.start : f.span.end]) for f in found]
    assert got == [
        ("DB401", "info", '{ status: "draft" }'),
        ("DB401", "warning", '{ title: { contains: "a" } }'),
    ]
    first = found[0]
    assert first.span.file == str(root / "src" / "posts.ts")
    assert "`posts`" in first.message and "`status`" in first.message
    assert first.help is not None and "@@index([status])" in first.help
    assert "inside a loop" in found[1].message


def test_off_unless_selected_and_severity_from_config(tmp_path: Path) -> None:
    assert findings(project(tmp_path / "a", config=None)) == []
    root = project(
        tmp_path / "b", config='extend-select = ["DB401"]\n[severity]\nDB401 = "error"\n'
    )
    assert [f.severity for f in findings(root)] == ["error", "error"]
    root = project(tmp_path / "c", config='select = ["DB4"]\npreview = true\n')
    assert len(findings(root)) == 2


def test_check_reports_db401_in_the_typescript_file(tmp_path: Path, capsys, monkeypatch) -> None:
    root = project(tmp_path)
    monkeypatch.chdir(root)
    assert main(["check", ".", "--format", "json"]) == 0
    items = [i for i in json.loads(capsys.readouterr().out) if i["code"] == "DB401"]
    assert [(i["path"], i["range"]["start"]["line"], i["severity"]) for i in items] == [
        ("src/posts.ts", 4, "info"),
        ("src/posts.ts", 8, "warning"),
    ]


def test_the_editor_rereads_a_file_only_when_it_or_its_schema_changed(tmp_path: Path) -> None:
    root = project(tmp_path)
    workspace = Workspace([str(root)])
    path = str(root / "src" / "posts.ts")
    workspace.open(path, CODE, 1)
    memo: dict = {}
    first, _ = file_query_findings(workspace, path, memo)
    assert len(first) == 2
    again, _ = file_query_findings(workspace, path, memo)
    assert again is first  # nothing changed: nothing re-read
    workspace.change(path, 2, [TextChange(CODE.replace('status: "draft"', "slug: s"))])
    third, _ = file_query_findings(workspace, path, memo)
    assert third is not first and len(third) == 1
    schema = root / "prisma" / "schema.prisma"
    trigram = '  @@index([title(ops: raw("gin_trgm_ops"))], type: Gin)'
    workspace.open(
        str(schema), SCHEMA.replace("@@index([authorId])", f"@@index([authorId])\n{trigram}"), 1
    )
    fourth, _ = file_query_findings(workspace, path, memo)
    assert fourth == []  # a trigram GIN index serves `contains` on PostgreSQL


def test_the_fix_adds_the_index_and_an_ignore_comment_silences_it(tmp_path: Path) -> None:
    root = project(tmp_path)
    first = findings(root)[0]
    assert first.fix is not None and first.fix.title == "Add `@@index([status])` to Post"
    (edit,) = first.fix.edits
    schema = (root / "prisma" / "schema.prisma").read_text()
    fixed = schema[: edit.span.start] + edit.new_text + schema[edit.span.end :]
    assert "@@index([status])" in fixed
    (root / "prisma" / "schema.prisma").write_text(fixed)
    assert [f.span.start for f in findings(root)] == [findings(root)[0].span.start]  # one left
    code = CODE.replace(
        "for (const i of ids) {",
        "for (const i of ids) {\n    // schemasense-ignore DB401 tiny table",
    )
    (root / "src" / "posts.ts").write_text(code)
    assert findings(root) == []


PARTLY = """import { PrismaClient } from "@prisma/client";
const prisma = new PrismaClient();
export async function list(ids: number[], id: number) {
  await prisma.post.findMany({ where: { authorId: id, status: "x" } });
  for (const i of ids) {
    await prisma.post.findMany({ where: { authorId: i, title: { startsWith: "a" } } });
  }
  await prisma.post.findMany({ where: { authorId: id, status: { not: "x" } } });
  await prisma.post.findMany({ where: { authorId: id }, orderBy: { title: "asc" }, take: 3 });
}
"""


def test_partly_served_queries_are_flagged_where_an_index_would_serve_them(
    tmp_path: Path,
) -> None:
    """`partly`: information even in a loop (an index narrows it already), with the index that
    would serve it whole as help and fix; not flagged when nothing better can be suggested
    (`<>` narrows nothing: the author index is all an index can do)."""
    root = project(tmp_path)
    (root / "src" / "posts.ts").write_text(PARTLY, encoding="utf-8")
    found = findings(root)
    got = [(f.severity, PARTLY[f.span.start : f.span.end]) for f in found]
    assert got == [
        ("info", '{ authorId: id, status: "x" }'),
        ("info", '{ authorId: i, title: { startsWith: "a" } }'),
        ("info", "{ authorId: id }"),
    ]
    first = found[0]
    assert "only partly served by `posts_author_id_idx`" in first.message
    assert "narrows by author_id only" in first.message
    assert first.fix is not None and first.fix.title == "Add `@@index([authorId, status])` to Post"
    assert "inside a loop" in found[1].message
    assert "sort" in found[2].message and "@@index([authorId, title])" in (found[2].help or "")

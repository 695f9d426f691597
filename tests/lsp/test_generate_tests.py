"""Generate tests, live over stdio: with the cursor in a model, "Generate tests for <Model>"
creates the test folder (CreateFile + TextDocumentEdit each) and adds Vitest to package.json;
after a hand edit below the generated region, the action updates the files in place (and says
so in its title) and the hand edit survives."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import unquote, urlparse

from lsprotocol import types
from pytest_lsp import LanguageClient

from tests.prisma_project import INIT, SCHEMA

from .conftest import change_document, open_document

SCHEMA_WITH_POST = (
    SCHEMA.replace("  email String\n", "  email String @unique\n  posts Post[]\n")
    + """
model Post {
  id       Int    @id @default(autoincrement())
  title    String
  authorId Int
  author   User   @relation(fields: [authorId], references: [id], onDelete: Cascade)

  @@index([authorId])
}
"""
)


def _project(root: Path) -> Path:
    (root / "package.json").write_text('{\n  "name": "blog",\n  "private": true\n}\n')
    prisma = root / "prisma"
    init = prisma / "migrations" / "20240101000000_init" / "migration.sql"
    init.parent.mkdir(parents=True)
    init.write_text(INIT)
    schema = prisma / "schema.prisma"
    schema.write_text(SCHEMA_WITH_POST)
    return schema


def _path(uri: str) -> Path:
    return Path(unquote(urlparse(uri).path))


def _apply(edit: types.WorkspaceEdit) -> list[Path]:
    touched = []
    for change in edit.document_changes or []:
        if isinstance(change, types.CreateFile):
            path = _path(change.uri)
            assert not path.exists()
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text("")
        elif isinstance(change, types.TextDocumentEdit):
            path = _path(change.text_document.uri)
            [text_edit] = change.edits
            assert text_edit.range.start == types.Position(line=0, character=0)
            path.write_text(text_edit.new_text)
            touched.append(path)
    return touched


async def _actions(client: LanguageClient, schema: Path, line: int) -> list[types.CodeAction]:
    result = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=schema.as_uri()),
            range=types.Range(
                start=types.Position(line=line, character=2),
                end=types.Position(line=line, character=2),
            ),
            context=types.CodeActionContext(diagnostics=[], only=["source"]),
        )
    )
    return [
        a for a in result or [] if isinstance(a, types.CodeAction) and "tests" in a.title.lower()
    ]


async def test_generate_tests_action(client: LanguageClient, tmp_path: Path):
    schema = _project(tmp_path)
    open_document(client, schema)
    lines = SCHEMA_WITH_POST.splitlines()
    post_line = next(i for i, line in enumerate(lines) if line.startswith("model Post")) + 2

    assert await _actions(client, schema, 0) == [], "no model at the datasource"
    [action] = await _actions(client, schema, post_line)
    assert action.title == "Generate tests for Post (updates 1 existing file)"
    assert action.kind == "source.schemasense.generateTests"
    touched = _apply(action.edit)
    names = sorted(p.relative_to(tmp_path).as_posix() for p in touched)
    assert names == [
        "package.json",
        "test/db/db.ts",
        "test/db/factories.ts",
        "test/db/global-setup.ts",
        "test/db/post.test.ts",
        "test/db/vitest.config.ts",
    ]
    package = json.loads((tmp_path / "package.json").read_text())
    assert package["name"] == "blog"
    assert "vitest" in package["devDependencies"]
    test = (tmp_path / "test" / "db" / "post.test.ts").read_text()
    assert "deleting the User deletes the row too (Cascade)" in test
    assert "index Post_authorId_idx serves a lookup by authorId" in test

    assert await _actions(client, schema, post_line) == [], "nothing left to generate"

    # the model gains a column; a hand edit below the generated region survives the next run
    mine = '\ndescribe.skip("mine", () => {});\n'
    (tmp_path / "test" / "db" / "post.test.ts").write_text(test + mine)
    title_line = next(i for i, line in enumerate(lines) if line.startswith("  title"))
    change_document(client, schema, 2, (title_line, 0), (title_line, 0), "  body     String\n")
    [again] = await _actions(client, schema, post_line)
    assert again.title == "Generate tests for Post (updates 2 existing files)"
    assert not any(isinstance(c, types.CreateFile) for c in again.edit.document_changes)
    _apply(again.edit)
    updated = (tmp_path / "test" / "db" / "post.test.ts").read_text()
    assert "body is NOT NULL" in updated and "body is NOT NULL" not in test
    assert updated.endswith(mine)


async def test_generate_tests_action_on_a_typeorm_entity(client: LanguageClient, tmp_path: Path):
    """The same action inside an entity class: the test file for that entity, importing it."""
    import shutil

    sample = Path(__file__).resolve().parents[2] / "samples" / "typeorm-nest"
    project = tmp_path / "typeorm-nest"
    shutil.copytree(sample, project, ignore=shutil.ignore_patterns("test", "node_modules"))
    entity = project / "src" / "posts" / "tag.entity.ts"
    open_document(client, entity)
    lines = entity.read_text().splitlines()
    inside = next(i for i, line in enumerate(lines) if "name: string" in line)
    [action] = await _actions(client, entity, inside)
    assert action.title.startswith("Generate tests for Tag")
    touched = _apply(action.edit)
    names = sorted(p.relative_to(project).as_posix() for p in touched)
    assert "test/db/tag.test.ts" in names and "test/db/post.test.ts" not in names
    test = (project / "test" / "db" / "tag.test.ts").read_text()
    assert "unique UQ_6a9775008add570dc3e5a0bab7b refuses a second row with the same name" in test

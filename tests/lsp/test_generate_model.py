"""Generate a model of another ORM from the editor, live over stdio (issue 12/13 item 6).

- in a Prisma schema (a copy of samples/prisma-clean), the cursor on `model Task {` offers
  "Generate TypeORM entity for Task"; its WorkspaceEdit creates `src/entities/task.entity.ts`
  (CreateFile + its text), naming the same table, columns and index;
- in a TypeORM entity (a copy of samples/typeorm-nest), the cursor on `export class Tag` offers
  "Generate Prisma model for Tag", a new `prisma/schema.prisma` with `@@map("tag")`;
- nothing is offered on the model's other lines, and the action is gone once its file exists.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from urllib.parse import unquote, urlparse

from lsprotocol import types
from pytest_lsp import LanguageClient

from .conftest import diagnostics_for, open_document
from .features import position

SAMPLES = Path(__file__).resolve().parents[2] / "samples"


def _path(uri: str) -> Path:
    return Path(unquote(urlparse(uri).path))


def _apply(edit: types.WorkspaceEdit) -> list[Path]:
    """What an editor does with the edit: create each file, put the text in."""
    made = []
    for change in edit.document_changes or []:
        if isinstance(change, types.CreateFile):
            path = _path(change.uri)
            assert not path.exists()
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text("")
            made.append(path)
        elif isinstance(change, types.TextDocumentEdit):
            path = _path(change.text_document.uri)
            [text_edit] = change.edits
            path.write_text(path.read_text() + text_edit.new_text)
    return made


async def _actions(client: LanguageClient, path: Path, pos: types.Position):
    result = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=path.as_uri()),
            range=types.Range(start=pos, end=pos),
            context=types.CodeActionContext(diagnostics=[]),
        )
    )
    # the model generator's own actions (DTOs, tests, fixes are other providers')
    return [
        a
        for a in result or []
        if isinstance(a, types.CodeAction) and a.kind == "refactor.schemasense.generateModel"
    ]


async def test_typeorm_entity_from_a_prisma_model(client: LanguageClient, tmp_path: Path):
    project = tmp_path / "app"
    shutil.copytree(SAMPLES / "prisma-clean", project)
    (project / "src").mkdir()
    task = project / "prisma" / "schema" / "task.prisma"
    text = open_document(client, task)
    await diagnostics_for(client, task, version=1)

    actions = await _actions(client, task, position(text, "model Task"))
    titles = [a.title for a in actions]
    assert "Generate TypeORM entity for Task" in titles, titles
    assert not any("Prisma model" in t for t in titles)  # not its own ORM
    action = next(a for a in actions if a.title == "Generate TypeORM entity for Task")
    made = _apply(action.edit)
    assert made == [project / "src" / "entities" / "task.entity.ts"]
    entity = made[0].read_text()
    assert '@Entity("tasks")' in entity
    assert "export class Task {" in entity
    assert '@Column({ type: "varchar", length: 200 })' in entity
    assert '@Index("tasks_project_id_status_idx", ["projectId", "status"])' in entity

    # outside a model's head (a field line): nothing; once the file exists: not offered again
    assert await _actions(client, task, position(text, "title       String")) == []
    again = await _actions(client, task, position(text, "model Task"))
    assert "Generate TypeORM entity for Task" not in [a.title for a in again]


async def test_prisma_model_from_a_typeorm_entity(client: LanguageClient, tmp_path: Path):
    project = tmp_path / "typeorm-nest"
    shutil.copytree(SAMPLES / "typeorm-nest", project, ignore=shutil.ignore_patterns("dist"))
    tag = project / "src" / "posts" / "tag.entity.ts"
    text = tag.read_text()
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(
                uri=tag.as_uri(), language_id="typescript", version=1, text=text
            )
        )
    )
    await diagnostics_for(client, tag, version=1)
    actions = await _actions(client, tag, position(text, "export class Tag"))
    titles = [a.title for a in actions]
    assert "Generate Prisma model for Tag" in titles, titles
    assert not any("TypeORM entity" in t for t in titles)
    action = next(a for a in actions if a.title == "Generate Prisma model for Tag")
    [made] = _apply(action.edit)
    assert made == project / "prisma" / "schema.prisma"
    schema = made.read_text()
    assert "model Tag {" in schema
    assert '@@map("tag")' in schema
    assert '@unique(map: "UQ_6a9775008add570dc3e5a0bab7b") @db.VarChar(50)' in schema


async def test_both_from_a_sequelize_model(client: LanguageClient, tmp_path: Path):
    project = tmp_path / "sequelize-js"
    shutil.copytree(SAMPLES / "sequelize-js", project)
    user = project / "models" / "user.js"
    text = user.read_text()
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(
                uri=user.as_uri(), language_id="javascript", version=1, text=text
            )
        )
    )
    await diagnostics_for(client, user, version=1)
    actions = await _actions(client, user, position(text, "email:"))
    titles = sorted(a.title for a in actions if a.title.startswith("Generate"))
    assert titles[:2] == ["Generate Prisma model for User", "Generate TypeORM entity for User"]
    entity = next(a for a in actions if a.title == "Generate TypeORM entity for User")
    [made] = _apply(entity.edit)
    assert made == project / "entities" / "user.entity.ts"
    assert '@Entity("Users")' in made.read_text()

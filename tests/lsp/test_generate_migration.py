"""Generate migration, live over stdio: the code action where drift exists, and the command.

- a schema edit the migrations do not follow gets drift diagnostics; asking for code actions
  on them offers "Generate migration…", whose WorkspaceEdit creates the migration folder's
  `migration.sql` and `down.sql` (CreateFile + TextDocumentEdit); once the editor has made the
  files (here: written, and reported through didChangeWatchedFiles) the drift clears;
- a renamed field (no `@map`) gets two actions, rename or drop-and-add;
- `schemasense.generateMigration {uri, name}` applies the same edit through
  `workspace/applyEdit` and answers the files it made.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlparse

from lsprotocol import types
from pytest_lsp import LanguageClient

from tests.prisma_project import INIT, SCHEMA

from .conftest import change_document, diagnostics_for, open_document, wait_until


def _project(root: Path) -> Path:
    prisma = root / "prisma"
    init = prisma / "migrations" / "20240101000000_init" / "migration.sql"
    init.parent.mkdir(parents=True)
    init.write_text(INIT)
    (prisma / "migrations" / "migration_lock.toml").write_text('provider = "postgresql"\n')
    schema = prisma / "schema.prisma"
    schema.write_text(SCHEMA)
    return schema


def _drift(diagnostics: list[types.Diagnostic]) -> list[types.Diagnostic]:
    return [d for d in diagnostics if str(d.code).startswith("DB3")]


def _path(uri: str) -> Path:
    return Path(unquote(urlparse(uri).path))


def _apply(edit: types.WorkspaceEdit) -> list[Path]:
    """What an editor does with the edit: create each file, put the text in, save."""
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
            assert text_edit.range.start == types.Position(line=0, character=0)
            path.write_text(path.read_text() + text_edit.new_text)
    return made


async def _actions(client: LanguageClient, schema: Path, diagnostics) -> list[types.CodeAction]:
    result = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=schema.as_uri()),
            range=types.Range(
                start=types.Position(line=6, character=0), end=types.Position(line=6, character=0)
            ),
            context=types.CodeActionContext(diagnostics=diagnostics),
        )
    )
    return [a for a in result or [] if isinstance(a, types.CodeAction)]


async def test_generate_migration_action_clears_the_drift(client: LanguageClient, tmp_path: Path):
    schema = _project(tmp_path)
    open_document(client, schema)
    assert _drift(await diagnostics_for(client, schema, version=1)) == []

    seen = len(client.published)
    change_document(client, schema, 2, (6, 14), (6, 14), "\n  name  String?")
    drift = _drift(await diagnostics_for(client, schema, version=2, after=seen))
    assert drift, "the new field is drift"

    actions = [
        a for a in await _actions(client, schema, drift) if a.title.startswith("Generate migration")
    ]
    assert [a.title for a in actions] == ["Generate migration…"]
    [action] = actions
    assert action.kind == types.CodeActionKind.QuickFix
    changes = action.edit.document_changes
    assert [type(c).__name__ for c in changes] == [
        "CreateFile",
        "TextDocumentEdit",
        "CreateFile",
        "TextDocumentEdit",
    ]
    made = _apply(action.edit)
    assert [p.name for p in made] == ["migration.sql", "down.sql"]
    assert made[0].parent.name.endswith("_add_name_to_user")
    assert 'ADD COLUMN     "name" TEXT' in made[0].read_text()
    assert 'DROP COLUMN "name"' in made[1].read_text()

    seen = len(client.published)
    client.workspace_did_change_watched_files(
        types.DidChangeWatchedFilesParams(
            changes=[
                types.FileEvent(uri=p.as_uri(), type=types.FileChangeType.Created) for p in made
            ]
        )
    )

    await wait_until(
        lambda: any(
            p.uri == schema.as_uri() and not _drift(list(p.diagnostics))
            for p in client.published[seen:]  # type: ignore[attr-defined]
        ),
        what="the drift to clear",
    )
    assert not [
        a for a in await _actions(client, schema, []) if a.title.startswith("Generate migration")
    ]


async def test_doubtful_rename_offers_both(client: LanguageClient, tmp_path: Path):
    schema = _project(tmp_path)
    text = SCHEMA.replace("  email String\n", "  mail  String\n")
    seen = len(client.published)
    open_document(client, schema, text)
    drift = _drift(await diagnostics_for(client, schema, version=1, after=seen))
    titles = [a.title for a in await _actions(client, schema, drift) if "migration" in a.title]
    assert titles == [
        "Generate migration… (rename `User.email` to `User.mail`)",
        "Generate migration… (drop `User.email`, add `User.mail`)",
    ]


async def test_generate_migration_command(client: LanguageClient, tmp_path: Path):
    edits: list[types.ApplyWorkspaceEditParams] = []

    @client.feature(types.WORKSPACE_APPLY_EDIT)
    def apply_edit(params: types.ApplyWorkspaceEditParams):
        edits.append(params)
        _apply(params.edit)
        return types.ApplyWorkspaceEditResult(applied=True)

    schema = _project(tmp_path)
    open_document(client, schema, SCHEMA.replace("  email String\n", "  email String?\n"))
    result = await client.workspace_execute_command_async(
        types.ExecuteCommandParams(
            command="schemasense.generateMigration",
            arguments=[{"uri": schema.as_uri(), "name": "Email optional"}],
        )
    )
    assert result["applied"] is True
    assert result["name"] == "email_optional"
    assert [Path(unquote(urlparse(u).path)).name for u in result["files"]] == [
        "migration.sql",
        "down.sql",
    ]
    assert len(edits) == 1
    made = _path(result["files"][0]).read_text()
    assert 'ALTER COLUMN "email" DROP NOT NULL' in made


async def test_command_asks_for_a_rename_decision(client: LanguageClient, tmp_path: Path):
    schema = _project(tmp_path)
    open_document(client, schema, SCHEMA.replace("  email String\n", "  mail  String\n"))
    result = await client.workspace_execute_command_async(
        types.ExecuteCommandParams(
            command="schemasense.generateMigration", arguments=[{"uri": schema.as_uri()}]
        )
    )
    assert result == {"needsDecision": ["User.email -> User.mail"]}

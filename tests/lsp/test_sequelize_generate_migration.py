"""Generate migration in a Sequelize project, live over stdio: a model edit the sample's
migrations do not follow is drift; "Generate migration…" is offered on the model file and on a
migration file of the project, and its WorkspaceEdit creates one sequelize-cli migration
(`<timestamp>-<name>.js`, `queryInterface` calls, in the project's own style); once the file
exists the drift clears and the action is gone."""

from __future__ import annotations

import shutil
from pathlib import Path

from lsprotocol import types
from pytest_lsp import LanguageClient

from .conftest import diagnostics_for, wait_until
from .test_generate_migration import _apply

SAMPLE = Path(__file__).resolve().parents[2] / "samples" / "sequelize-js"


def _open(client: LanguageClient, path: Path, text: str | None = None) -> str:
    text = path.read_text() if text is None else text
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(
                uri=path.as_uri(), language_id="javascript", version=1, text=text
            )
        )
    )
    return text


async def _actions(client: LanguageClient, path: Path, diagnostics) -> list[types.CodeAction]:
    result = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=path.as_uri()),
            range=types.Range(
                start=types.Position(line=0, character=0), end=types.Position(line=0, character=0)
            ),
            context=types.CodeActionContext(diagnostics=diagnostics),
        )
    )
    return [
        a
        for a in result or []
        if isinstance(a, types.CodeAction) and a.title.startswith("Generate migration")
    ]


def _drift(diagnostics) -> list[types.Diagnostic]:
    return [d for d in diagnostics if str(d.code).startswith("DB3")]


async def test_generate_a_sequelize_migration_from_a_model_edit(
    client: LanguageClient, tmp_path: Path
):
    project = tmp_path / "app"
    shutil.copytree(SAMPLE, project, ignore=shutil.ignore_patterns("node_modules"))
    model = project / "models" / "user.js"
    text = model.read_text().replace(
        "lastSeenAt: DataTypes.DATE,",
        "lastSeenAt: DataTypes.DATE,\n      nickname: { type: DataTypes.STRING(40) },",
    )
    _open(client, model, text)
    drift = _drift(await diagnostics_for(client, model, version=1))
    assert drift and any("nickname" in d.message for d in drift)

    [action] = await _actions(client, model, drift)
    assert action.kind == types.CodeActionKind.QuickFix
    assert [type(c).__name__ for c in action.edit.document_changes] == [
        "CreateFile",
        "TextDocumentEdit",
    ]

    # the same action on a migration file of the project
    migration = sorted((project / "migrations").glob("*.js"))[0]
    _open(client, migration)
    await diagnostics_for(client, migration, version=1)
    [from_migration] = await _actions(client, migration, [])
    assert from_migration.kind == "source.schemasense.generateMigration"
    created = from_migration.edit.document_changes[1].edits[0].new_text
    assert created == action.edit.document_changes[1].edits[0].new_text

    [made] = _apply(action.edit)
    assert made.parent == project / "migrations"
    assert made.name.endswith("-add-nickname-to-users.js")
    written = made.read_text()
    assert "await queryInterface.addColumn(" in written
    assert "{ type: Sequelize.STRING(40) }" in written  # the sample's double quotes
    assert 'await queryInterface.removeColumn("Users", "nickname", { transaction });' in written
    assert "sequelize.query(" not in written

    seen = len(client.published)
    client.workspace_did_change_watched_files(
        types.DidChangeWatchedFilesParams(
            changes=[types.FileEvent(uri=made.as_uri(), type=types.FileChangeType.Created)]
        )
    )
    await wait_until(
        lambda: any(
            p.uri == model.as_uri() and not _drift(list(p.diagnostics))
            for p in client.published[seen:]  # type: ignore[attr-defined]
        ),
        what="the drift to clear",
    )
    assert await _actions(client, model, []) == []

"""Generate migration in a TypeORM project, live over stdio (a copy of samples/typeorm-nest):

- a column added to an entity is drift (DB3xx on the entity); the code action "Generate
  migration…" on it creates one migration class where TypeORM's generator puts it
  (`src/migrations/<timestamp>-<Name>.ts`, `class <Name><timestamp> implements
  MigrationInterface`), its SQL in TypeORM's spelling; once the editor has made the file the
  drift clears;
- the same action is offered on a migration file that the drift points at (the migration
  that creates an index the entities no longer declare);
- an entity renamed column gives the two choices, rename or drop-and-add.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from urllib.parse import unquote, urlparse

from lsprotocol import types
from pytest_lsp import LanguageClient

from .conftest import diagnostics_for, wait_until

SAMPLE = Path(__file__).resolve().parents[2] / "samples" / "typeorm-nest"
NICKNAME = (
    '  @Column({ type: "varchar", length: 40, nullable: true })\n  nickname: string | null;\n\n'
)


def _copy(tmp_path: Path) -> Path:
    target = tmp_path / "typeorm-nest"
    shutil.copytree(SAMPLE, target, ignore=shutil.ignore_patterns("node_modules", "dist"))
    return target


def _open(client: LanguageClient, path: Path, text: str | None = None) -> str:
    text = path.read_text() if text is None else text
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(
                uri=path.as_uri(), language_id="typescript", version=1, text=text
            )
        )
    )
    return text


def _drift(diagnostics: list[types.Diagnostic]) -> list[types.Diagnostic]:
    return [d for d in diagnostics if str(d.code).startswith("DB3")]


def _path(uri: str) -> Path:
    return Path(unquote(urlparse(uri).path))


async def _actions(client: LanguageClient, path: Path, diagnostics) -> list[types.CodeAction]:
    start = diagnostics[0].range.start if diagnostics else types.Position(line=0, character=0)
    result = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=path.as_uri()),
            range=types.Range(start=start, end=start),
            context=types.CodeActionContext(diagnostics=diagnostics),
        )
    )
    return [
        a
        for a in result or []
        if isinstance(a, types.CodeAction) and a.title.startswith("Generate migration")
    ]


def _apply(edit: types.WorkspaceEdit) -> list[Path]:
    made = []
    for change in edit.document_changes or []:
        if isinstance(change, types.CreateFile):
            path = _path(change.uri)
            assert not path.exists()
            path.write_text("")
            made.append(path)
        elif isinstance(change, types.TextDocumentEdit):
            path = _path(change.text_document.uri)
            [text_edit] = change.edits
            path.write_text(path.read_text() + text_edit.new_text)
    return made


async def test_generate_migration_on_an_entity(client: LanguageClient, tmp_path: Path):
    project = _copy(tmp_path)
    user = project / "src" / "users" / "user.entity.ts"
    text = user.read_text().replace("  @OneToOne(", NICKNAME + "  @OneToOne(", 1)
    user.write_text(text)
    _open(client, user)
    drift = _drift(await diagnostics_for(client, user, version=1))
    assert drift, "the new column is drift"

    [action] = await _actions(client, user, drift)
    assert action.title == "Generate migration…"
    assert action.kind == types.CodeActionKind.QuickFix
    made = _apply(action.edit)
    assert len(made) == 1
    [migration] = made
    assert migration.parent == project / "src" / "migrations"
    match = re.fullmatch(r"(\d{13})-(AddNicknameToUser)\.ts", migration.name)
    assert match, migration.name
    stamp, name = match.groups()
    body = migration.read_text()
    assert f"export class {name}{stamp} implements MigrationInterface" in body
    assert 'ALTER TABLE "user" ADD "nickname" character varying(40)' in body
    assert 'ALTER TABLE "user" DROP COLUMN "nickname"' in body

    seen = len(client.published)
    client.workspace_did_change_watched_files(
        types.DidChangeWatchedFilesParams(
            changes=[types.FileEvent(uri=migration.as_uri(), type=types.FileChangeType.Created)]
        )
    )
    await wait_until(
        lambda: any(
            p.uri == user.as_uri() and not _drift(list(p.diagnostics))
            for p in client.published[seen:]  # type: ignore[attr-defined]
        ),
        what="the drift to clear",
    )
    assert await _actions(client, user, []) == []


async def test_generate_migration_on_a_migration(client: LanguageClient, tmp_path: Path):
    project = _copy(tmp_path)
    post = project / "src" / "posts" / "post.entity.ts"
    post.write_text(post.read_text().replace("  @Index({ unique: true })\n", "", 1))
    init = project / "src" / "migrations" / "1733500000000-Init.ts"
    _open(client, init)
    drift = await wait_until(
        lambda: _drift(
            [
                d
                for p in client.published  # type: ignore[attr-defined]
                if p.uri == init.as_uri()
                for d in p.diagnostics
            ]
        ),
        what="drift on the migration that creates the index",
    )
    [action] = await _actions(client, init, drift)
    [_, change] = action.edit.document_changes
    assert isinstance(change, types.TextDocumentEdit)
    text = change.edits[0].new_text
    assert 'DROP INDEX "IDX_cd1bddce36edc3e766798eab37"' in text
    assert 'CREATE UNIQUE INDEX "IDX_cd1bddce36edc3e766798eab37" ON "post"  ("slug")' in text


async def test_a_renamed_column_offers_both(client: LanguageClient, tmp_path: Path):
    project = _copy(tmp_path)
    user = project / "src" / "users" / "user.entity.ts"
    text = user.read_text().replace("  displayName: string;", "  fullName: string;", 1)
    _open(client, user, text)
    drift = _drift(await diagnostics_for(client, user, version=1))
    actions = await _actions(client, user, drift)
    assert [a.title for a in actions] == [
        "Generate migration… (rename `user.display_name` to `user.full_name`)",
        "Generate migration… (drop `user.display_name`, add `user.full_name`)",
    ]
    rename = actions[0].edit.document_changes[1].edits[0].new_text  # type: ignore[union-attr]
    assert 'ALTER TABLE "user" RENAME COLUMN "display_name" TO "full_name"' in rename


async def test_generate_migration_on_a_changed_check(client: LanguageClient, tmp_path: Path):
    """A `@Check` edited in an open entity is drift (DB312); its "Generate migration…" writes
    the check's drop and add, as `schemasense generate migration` does."""
    project = _copy(tmp_path)
    post = project / "src" / "posts" / "post.entity.ts"
    text = post.read_text()
    assert '@Check(`"price_cents" >= 0`)' in text
    _open(client, post, text)
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=post.as_uri(), version=2),
            content_changes=[
                types.TextDocumentContentChangeWholeDocument(
                    text=text.replace('"price_cents" >= 0', '"price_cents" > 0', 1)
                )
            ],
        )
    )
    drift = [d for d in _drift(await diagnostics_for(client, post, version=2)) if d.code == "DB312"]
    assert drift, "the changed check is drift"
    [action] = await _actions(client, post, drift)
    post.write_text(text.replace('"price_cents" >= 0', '"price_cents" > 0', 1))
    cli = _cli_queries(project, post)
    [migration] = _apply(action.edit)
    body = migration.read_text()
    assert len(cli) == 4  # up: drop and add; down: drop and add back
    assert _queries(body) == cli  # the migration `schemasense generate migration` writes
    assert 'ALTER TABLE "post" DROP CONSTRAINT "CHK_8f9c1c28a99638aaf4563177c6"' in body
    assert re.search(r'ADD CONSTRAINT "CHK_\w+" CHECK \(\(?"?price_cents"? > 0', body), body


def _queries(text: str) -> list[str]:
    """A migration class's SQL, in order (its class name and timestamp aside)."""
    return re.findall(r"queryRunner\.query\(`(.*?)`\)", text, re.S)


def _cli_queries(project: Path, entity: Path) -> list[str]:
    """The SQL of the migration the CLI's workflow prepares for the project on disk."""
    from schemasense.server.workflows.generate_migration import prepare, project_of
    from schemasense.server.workspace.workspace import Workspace

    workspace = Workspace([str(project)])
    [unit] = workspace.units_at(str(entity))
    [file] = prepare(project_of(workspace, unit)).files
    return _queries(file.text)


async def test_generate_migration_uses_the_entity_s_own_data_source(
    client: LanguageClient, tmp_path: Path
):
    """A data-source.ts that declares two DataSources (PostgreSQL `MainSource`, SQLite
    `LocalSource`, each with its entities and migrations folder): "Generate migration…" on an
    entity of the second writes the second's migration (its folder, SQLite's SQL, its
    entities only), and on an entity of the first the first's."""
    from tests.server.workflows.test_generate_migration_cli import two_sources

    src = two_sources(tmp_path / "two")
    note, user = src / "note.ts", src / "user.ts"
    _open(client, note)
    drift = _drift(await diagnostics_for(client, note, version=1))
    assert drift, "the Note entity has no migration yet"
    [action] = await _actions(client, note, drift)
    [made] = _apply(action.edit)  # type: ignore[arg-type]
    assert made.parent == src / "migrations" / "local"
    body = made.read_text()
    assert 'CREATE TABLE "note"' in body and "AUTOINCREMENT" in body and '"user"' not in body

    _open(client, user)
    drift = _drift(await diagnostics_for(client, user, version=1))
    [action] = await _actions(client, user, drift)
    [made] = _apply(action.edit)  # type: ignore[arg-type]
    assert made.parent == src / "migrations" / "main"
    body = made.read_text()
    assert 'CREATE TABLE "user"' in body and "SERIAL" in body and '"note"' not in body


async def test_in_the_data_source_file_the_declaration_under_the_cursor_counts(
    client: LanguageClient, tmp_path: Path
):
    """In data-source.ts itself, which both DataSources' units share, "Generate migration…"
    is that of the declaration the cursor is in: inside `LocalSource`'s options the second
    one's migration, inside `MainSource`'s the first one's."""
    from tests.server.workflows.test_generate_migration_cli import TWO_SOURCES, two_sources

    src = two_sources(tmp_path / "two")
    source = src / "data-source.ts"
    _open(client, source)
    await diagnostics_for(client, source, version=1)
    for needle, folder, table in (
        ('"better-sqlite3"', "local", '"note"'),
        ('"postgres"', "main", '"user"'),
    ):
        before = TWO_SOURCES[: TWO_SOURCES.index(needle)]
        at = types.Position(line=before.count("\n"), character=len(before.rsplit("\n", 1)[-1]))
        result = await client.text_document_code_action_async(
            types.CodeActionParams(
                text_document=types.TextDocumentIdentifier(uri=source.as_uri()),
                range=types.Range(start=at, end=at),
                context=types.CodeActionContext(diagnostics=[]),
            )
        )
        [action] = [
            a
            for a in result or []
            if isinstance(a, types.CodeAction) and a.title.startswith("Generate migration")
        ]
        created = [
            _path(c.uri)
            for c in (action.edit.document_changes or [])  # type: ignore[union-attr]
            if isinstance(c, types.CreateFile)
        ]
        assert [p.parent for p in created] == [src / "migrations" / folder], created
        texts = [
            e.new_text
            for c in (action.edit.document_changes or [])  # type: ignore[union-attr]
            if isinstance(c, types.TextDocumentEdit)
            for e in c.edits
        ]
        assert any(f"CREATE TABLE {table}" in t for t in texts)

"""Drift, live: schema.prisma against the migrations beside it, in a real session over stdio.

- an edit to schema.prisma (didChange) that the migrations do not follow gets drift
  diagnostics on the field and on the migration statement, and an edit back clears both;
- a new migration file on disk (didChangeWatchedFiles, for the `**/migrations/**/*.sql` glob
  the server registers) that makes the migrations catch up clears them;
- a changed migration file does the same.
"""

from __future__ import annotations

from pathlib import Path

from lsprotocol import types
from pytest_lsp import LanguageClient

from tests.prisma_project import INIT, SCHEMA

from .conftest import change_document, diagnostics_for, open_document, wait_until


def _project(root: Path) -> tuple[Path, Path]:
    prisma = root / "prisma"
    init = prisma / "migrations" / "20240101000000_init" / "migration.sql"
    init.parent.mkdir(parents=True)
    init.write_text(INIT)
    (prisma / "migrations" / "migration_lock.toml").write_text('provider = "postgresql"\n')
    schema = prisma / "schema.prisma"
    schema.write_text(SCHEMA)
    return schema, init


def _drift(diagnostics: list[types.Diagnostic]) -> list[str]:
    return sorted(str(d.code) for d in diagnostics if str(d.code).startswith("DB3"))


def _watched(client: LanguageClient, path: Path, kind=types.FileChangeType.Changed) -> None:
    client.workspace_did_change_watched_files(
        types.DidChangeWatchedFilesParams(changes=[types.FileEvent(uri=path.as_uri(), type=kind)])
    )


async def test_server_watches_migration_files(client: LanguageClient):
    registrations = await wait_until(lambda: client.registrations, what="a registration")
    globs = [w["globPattern"] for r in registrations for w in r.register_options["watchers"]]
    assert "**/migrations/**/*.sql" in globs


async def test_schema_edit_shows_drift_on_both_files_and_clears(
    client: LanguageClient, tmp_path: Path
):
    schema, init = _project(tmp_path)
    open_document(client, schema)
    assert _drift(await diagnostics_for(client, schema, version=1)) == []

    # `email String` -> `email String?`: the migrations keep the column NOT NULL
    seen = len(client.published)
    change_document(client, schema, 2, (6, 14), (6, 14), "?")
    on_schema = await diagnostics_for(client, schema, version=2, after=seen)
    assert _drift(on_schema) == ["DB306"]
    [diagnostic] = [d for d in on_schema if d.code == "DB306"]
    assert diagnostic.range.start == types.Position(line=6, character=2)
    assert "`User.email` is optional in schema.prisma" in diagnostic.message
    [related] = diagnostic.related_information or []
    assert related.location.uri == init.as_uri()
    on_migration = await diagnostics_for(client, init, after=seen)
    assert _drift(on_migration) == ["DB306"]
    assert on_migration[0].range.start == types.Position(line=3, character=4)

    # typed back: both cleared
    seen = len(client.published)
    change_document(client, schema, 3, (6, 14), (6, 15), "")
    assert _drift(await diagnostics_for(client, schema, version=3, after=seen)) == []
    assert await diagnostics_for(client, init, after=seen) == []


async def test_new_migration_on_disk_clears_the_drift(client: LanguageClient, tmp_path: Path):
    schema, init = _project(tmp_path)
    optional = SCHEMA.replace("email String", "email String?")
    open_document(client, schema, optional)
    assert _drift(await diagnostics_for(client, schema, version=1)) == ["DB306"]
    assert _drift(await diagnostics_for(client, init)) == ["DB306"]

    seen = len(client.published)
    later = schema.parent / "migrations" / "20240102000000_optional_email" / "migration.sql"
    later.parent.mkdir()
    later.write_text('ALTER TABLE "User" ALTER COLUMN "email" DROP NOT NULL;\n')
    _watched(client, later, types.FileChangeType.Created)
    assert _drift(await diagnostics_for(client, schema, version=1, after=seen)) == []
    assert await diagnostics_for(client, init, after=seen) == []


async def test_changed_migration_on_disk_updates_the_drift(client: LanguageClient, tmp_path: Path):
    schema, init = _project(tmp_path)
    open_document(client, schema)
    assert _drift(await diagnostics_for(client, schema, version=1)) == []

    seen = len(client.published)
    init.write_text(INIT.replace('"email" TEXT NOT NULL', '"email" VARCHAR(100) NOT NULL'))
    _watched(client, init)
    assert _drift(await diagnostics_for(client, schema, version=1, after=seen)) == ["DB305"]
    on_migration = await diagnostics_for(client, init, after=seen)
    assert _drift(on_migration) == ["DB305"]
    assert "`character varying(100)`" in on_migration[0].message


async def test_an_open_migration_file_alone_gets_drift_and_edits_count(
    client: LanguageClient, tmp_path: Path
):
    schema, init = _project(tmp_path)
    schema.write_text(SCHEMA.replace("email String", "email String?"))
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(
                uri=init.as_uri(), language_id="sql", version=1, text=INIT
            )
        )
    )
    assert _drift(await diagnostics_for(client, init, version=1)) == ["DB306"]

    # made nullable in the editor, not saved: the drift goes
    seen = len(client.published)
    line = INIT.splitlines().index('    "email" TEXT NOT NULL,')
    change_document(client, init, 2, (line, 16), (line, 25), "")
    after = await diagnostics_for(client, init, version=2, after=seen)
    assert [(d.code, d.message) for d in after] == []

"""A multi-file schema folder: a problem in one file caused by another appears and clears,
through the editor (didChange) and through the disk (didChangeWatchedFiles)."""

from __future__ import annotations

from pathlib import Path

from lsprotocol import types
from pytest_lsp import LanguageClient

from .conftest import change_document, diagnostics_for, errors, open_document, wait_until

MAIN = """datasource db {
  provider = "postgresql"
  url      = env("DATABASE_URL")
}
"""
USER = """model User {
  id    BigInt @id @default(autoincrement())
  posts Post[]
}
"""
POST = """model Post {
  id       BigInt @id @default(autoincrement())
  authorId BigInt
  author   User @relation(fields: [authorId], references: [id])

  @@index([authorId])
}
"""
UNKNOWN_TYPE = 'Type "{}" is neither a built-in type, nor refers to another model, composite type'


def _schema_folder(root: Path) -> tuple[Path, Path]:
    folder = root / "prisma" / "schema"
    folder.mkdir(parents=True)
    (folder / "main.prisma").write_text(MAIN)
    (folder / "user.prisma").write_text(USER)
    (folder / "post.prisma").write_text(POST)
    return folder / "user.prisma", folder / "post.prisma"


def _watched(client: LanguageClient, path: Path, kind=types.FileChangeType.Changed) -> None:
    client.workspace_did_change_watched_files(
        types.DidChangeWatchedFilesParams(changes=[types.FileEvent(uri=path.as_uri(), type=kind)])
    )


async def test_server_asks_to_watch_schema_files(client: LanguageClient):
    registrations = await wait_until(lambda: client.registrations, what="a registration")
    [registration] = registrations
    assert registration.method == types.WORKSPACE_DID_CHANGE_WATCHED_FILES
    globs = [w["globPattern"] for w in registration.register_options["watchers"]]
    assert "**/*.prisma" in globs


async def test_change_on_disk_in_another_file_reaches_the_open_file(
    client: LanguageClient, tmp_path: Path
):
    user, post = _schema_folder(tmp_path)
    open_document(client, post)
    assert errors(await diagnostics_for(client, post, version=1)) == []

    # user.prisma changes on disk: `User` is renamed, so post.prisma's `author User` breaks.
    seen = len(client.published)
    user.write_text(USER.replace("model User", "model Person"))
    _watched(client, user)
    [diagnostic] = errors(await diagnostics_for(client, post, version=1, after=seen))
    assert diagnostic.code == "DB002"
    assert UNKNOWN_TYPE.format("User") in diagnostic.message
    assert diagnostic.range.start == types.Position(line=3, character=11)

    # Renamed back on disk: cleared.
    seen = len(client.published)
    user.write_text(USER)
    _watched(client, user)
    assert errors(await diagnostics_for(client, post, version=1, after=seen)) == []


async def test_problem_in_a_closed_file_caused_by_the_open_one(
    client: LanguageClient, tmp_path: Path
):
    user, post = _schema_folder(tmp_path)
    open_document(client, post)
    await diagnostics_for(client, post, version=1)

    # Rename `Post` in the editor: user.prisma (not open) now names a type that is gone.
    seen = len(client.published)
    change_document(client, post, 2, (0, 6), (0, 10), "Article")
    [diagnostic] = errors(await diagnostics_for(client, user, after=seen))
    assert diagnostic.code == "DB002"
    assert UNKNOWN_TYPE.format("Post") in diagnostic.message
    assert diagnostic.range.start == types.Position(line=2, character=8)
    published = [p for p in client.published[seen:] if p.uri == user.as_uri()]
    assert published[-1].version is None

    # Undo in the editor: user.prisma is cleared with an empty list.
    seen = len(client.published)
    change_document(client, post, 3, (0, 6), (0, 13), "Post")
    assert await diagnostics_for(client, user, after=seen) == []


async def test_closing_the_last_file_clears_its_diagnostics(client: LanguageClient, tmp_path: Path):
    _user, post = _schema_folder(tmp_path)
    open_document(client, post, POST.replace("author   User", "author   Usr"))
    assert errors(await diagnostics_for(client, post, version=1))
    seen = len(client.published)
    client.text_document_did_close(
        types.DidCloseTextDocumentParams(
            text_document=types.TextDocumentIdentifier(uri=post.as_uri())
        )
    )
    assert await diagnostics_for(client, post, after=seen) == []


async def test_files_created_and_deleted_on_disk_join_and_leave_the_schema(
    client: LanguageClient, tmp_path: Path
):
    _user, post = _schema_folder(tmp_path)
    open_document(client, post)
    await diagnostics_for(client, post, version=1)

    # A new file on disk whose model points at Post, which has no field back.
    comment = post.with_name("comment.prisma")
    seen = len(client.published)
    comment.write_text(
        "model Comment {\n  id     Int  @id\n  postId BigInt\n"
        "  post   Post @relation(fields: [postId], references: [id])\n}\n"
    )
    _watched(client, comment, types.FileChangeType.Created)
    [diagnostic] = errors(await diagnostics_for(client, comment, after=seen))
    assert diagnostic.code == "DB005"
    assert "missing an opposite relation field on the model `Post`" in diagnostic.message
    assert diagnostic.range.start.line == 3

    # Deleted: its diagnostics are cleared.
    seen = len(client.published)
    comment.unlink()
    _watched(client, comment, types.FileChangeType.Deleted)
    assert await diagnostics_for(client, comment, after=seen) == []

"""prepareRename / rename end to end: a model and a field keep their database names with
`@@map` / `@map`, every reference follows (across files), and a refused rename says why."""

from __future__ import annotations

from pathlib import Path

from lsprotocol import types
from pytest_lsp import LanguageClient

from .conftest import open_document, text_edits, wait_until
from .features import doc, position, sample_copy


def _apply(text: str, edits: list[types.TextEdit]) -> str:
    lines = text.split("\n")
    starts = [0]
    for line in lines[:-1]:
        starts.append(starts[-1] + len(line) + 1)

    def offset(p: types.Position) -> int:
        return starts[p.line] + p.character

    for edit in sorted(edits, key=lambda e: offset(e.range.start), reverse=True):
        text = text[: offset(edit.range.start)] + edit.new_text + text[offset(edit.range.end) :]
    return text


async def test_rename_a_field_and_a_model_across_files(client: LanguageClient, tmp_path: Path):
    root = sample_copy("prisma-clean", tmp_path)
    user = root / "prisma" / "schema" / "user.prisma"
    task = root / "prisma" / "schema" / "task.prisma"
    text = open_document(client, user)

    where = position(text, "  email     String", 3)
    prepared = await client.text_document_prepare_rename_async(
        types.PrepareRenameParams(text_document=doc(user), position=where)
    )
    assert prepared.placeholder == "email"
    edit = await client.text_document_rename_async(
        types.RenameParams(text_document=doc(user), position=where, new_name="mail")
    )
    changes = text_edits(edit, {user.as_uri(): 1})
    assert (
        _apply(text, changes[user.as_uri()]).count('mail     String    @unique @map("email")') == 1
    )

    edit = await client.text_document_rename_async(
        types.RenameParams(
            text_document=doc(user), position=position(text, "model User", 7), new_name="Member"
        )
    )
    changes = text_edits(edit, {user.as_uri(): 1, task.as_uri(): None})
    assert set(changes) == {user.as_uri(), task.as_uri()}
    task_after = _apply(task.read_text(), changes[task.as_uri()])
    assert "owner   Member   @relation" in task_after
    user_after = _apply(text, changes[user.as_uri()])
    assert "model Member {" in user_after and '@@map("users")' in user_after
    assert user_after.count("@@map") == 1  # already mapped: the table keeps its name


async def test_a_refused_rename_says_why(client: LanguageClient, tmp_path: Path):
    root = sample_copy("prisma-clean", tmp_path)
    user = root / "prisma" / "schema" / "user.prisma"
    text = open_document(client, user)
    answer = await client.text_document_rename_async(
        types.RenameParams(
            text_document=doc(user), position=position(text, "  email", 3), new_name="name"
        )
    )
    assert answer is None
    [message] = await wait_until(lambda: client.messages, what="a showMessage")
    assert "already has a field `name`" in message.message
    assert (
        await client.text_document_prepare_rename_async(
            types.PrepareRenameParams(text_document=doc(user), position=position(text, "String", 1))
        )
        is None
    )

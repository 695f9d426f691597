"""textDocument/completion while typing in cal.com's schema: field names inside `@@index([`,
referential actions after `onDelete:`, and native types after `@db.` as snippets."""

from __future__ import annotations

from pathlib import Path

import pytest
from lsprotocol import types
from pytest_lsp import LanguageClient

from .conftest import calcom_copy, change_document, diagnostics_for, open_document
from .features import doc, position

pytestmark = pytest.mark.corpus


async def _complete(client, path, pos) -> types.CompletionList:
    answer = await client.text_document_completion_async(
        types.CompletionParams(text_document=doc(path), position=pos)
    )
    assert isinstance(answer, types.CompletionList)
    return answer


async def test_completion_while_typing(client: LanguageClient, tmp_path: Path):
    schema = calcom_copy(tmp_path)
    text = open_document(client, schema)
    await diagnostics_for(client, schema, version=1)

    # inside an existing @@index([...]) of Host
    start = position(text, "  @@index([memberId])", len("  @@index(["))
    fields = [i.label for i in (await _complete(client, schema, start)).items]
    assert fields[:3] == ["userId", "eventTypeId", "isFixed"] and "user" not in fields

    # type a new attribute on Host.weight: `@db.` then `onDelete: ` on a relation
    weight = position(text, "  weight           Int?", len("  weight           Int?"))
    change_document(
        client, schema, 2, (weight.line, weight.character), (weight.line, weight.character), " @db."
    )
    after = types.Position(line=weight.line, character=weight.character + 5)
    natives = (await _complete(client, schema, after)).items
    assert [i.label for i in natives] == ["SmallInt", "Integer", "Oid"]
    assert natives[0].text_edit.range.start == after

    group = position(
        text,
        "@relation(fields: [groupId], references: [id])",
        len("@relation(fields: [groupId], references: [id]"),
    )
    change_document(
        client,
        schema,
        3,
        (group.line, group.character),
        (group.line, group.character),
        ", onDelete: ",
    )
    actions = await _complete(
        client, schema, types.Position(line=group.line, character=group.character + 12)
    )
    assert [i.label for i in actions.items] == [
        "Cascade",
        "Restrict",
        "NoAction",
        "SetNull",
        "SetDefault",
    ]


async def test_snippets_for_attributes(client: LanguageClient, tmp_path: Path):
    schema = calcom_copy(tmp_path)
    text = open_document(client, schema)
    line = position(text, "  priority         Int?", len("  priority         Int?"))
    change_document(
        client, schema, 2, (line.line, line.character), (line.line, line.character), " @"
    )
    items = (
        await _complete(
            client, schema, types.Position(line=line.line, character=line.character + 2)
        )
    ).items
    default = next(i for i in items if i.label == "@default")
    assert default.insert_text_format == types.InsertTextFormat.Snippet
    assert default.text_edit.new_text == "@default($1)"
    assert default.text_edit.range.start.character == line.character + 1  # replaces the `@`

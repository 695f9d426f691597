"""Code actions end to end: the diagnostic's fix and the ignores, applied, then clean."""

from __future__ import annotations

from pathlib import Path

from lsprotocol import types
from pytest_lsp import LanguageClient

from .conftest import diagnostics_for, open_document, text_edits

SCHEMA = """datasource db {
  provider = "postgresql"
}

model Author {
  id    Int    @id
  posts Post[]
}

model Post {
  id       Int  @id
  authorId Int
  author   Author @relation(fields: [authorId], references: [id])
}
"""


async def test_fix_from_the_diagnostic_then_clean(client: LanguageClient, tmp_path: Path):
    schema = tmp_path / "prisma" / "schema.prisma"
    schema.parent.mkdir()
    schema.write_text(SCHEMA)
    open_document(client, schema)
    (diagnostic,) = await diagnostics_for(client, schema, version=1)
    assert diagnostic.code == "DB101"
    assert diagnostic.code_description.href.endswith("foreign-key-without-index.md")
    actions = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=schema.as_uri()),
            range=diagnostic.range,
            context=types.CodeActionContext(diagnostics=[diagnostic]),
        )
    )
    titles = [a.title for a in actions]
    assert titles == [
        "Add @@index([authorId]) (DB101)",
        "Ignore DB101 on this line",
        "Ignore DB101 in this file",
    ]
    (edit,) = text_edits(actions[0].edit, {schema.as_uri(): 1})[schema.as_uri()]
    assert edit.new_text == "\n  @@index([authorId])\n"
    seen = len(client.published)  # type: ignore[attr-defined]
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=schema.as_uri(), version=2),
            content_changes=[
                types.TextDocumentContentChangePartial(range=edit.range, text=edit.new_text)
            ],
        )
    )
    assert await diagnostics_for(client, schema, version=2, after=seen) == []

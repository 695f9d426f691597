"""textDocument/hover on cal.com's schema: an index (what Prisma's server answers null on), a
field with a native type, and a relation."""

from __future__ import annotations

from pathlib import Path

import pytest
from lsprotocol import types
from pytest_lsp import LanguageClient

from .conftest import calcom_copy, diagnostics_for, open_document
from .features import doc, position

pytestmark = pytest.mark.corpus


async def _hover(client, path, text, needle, delta=0) -> types.Hover | None:
    return await client.text_document_hover_async(
        types.HoverParams(text_document=doc(path), position=position(text, needle, delta))
    )


async def test_hover_explains_an_index_a_field_and_a_relation(
    client: LanguageClient, tmp_path: Path
):
    schema = calcom_copy(tmp_path)
    text = open_document(client, schema)
    await diagnostics_for(client, schema, version=1)

    index = await _hover(client, schema, text, "  @@index([memberId])\n  @@index([userId])", 26)
    assert index is not None and index.contents.kind == types.MarkupKind.Markdown
    body = index.contents.value
    assert "**index** `Host_userId_idx` on `Host` (btree)" in body
    assert "**Redundant**: `Host_pkey` (@@id)" in body
    assert 'CREATE INDEX CONCURRENTLY "Host_userId_idx" ON "Host"("userId");' in body
    start = position(text, "  @@index([memberId])\n  @@index([userId])", 24)
    assert index.range.start == start

    field = await _hover(client, schema, text, "DateTime   @db.Time", 1)
    assert field is not None
    assert "`DateTime @db.Time` → `TIME NOT NULL` (`@db.Time`)" in field.contents.value

    relation = await _hover(client, schema, text, "  user             User        @relation", 3)
    assert relation is not None
    assert "Foreign key `Host_userId_fkey`" in relation.contents.value
    assert "`onDelete: Cascade` → `ON DELETE CASCADE` (declared)" in relation.contents.value


async def test_hover_outside_any_name_is_null(client: LanguageClient, tmp_path: Path):
    schema = calcom_copy(tmp_path)
    text = open_document(client, schema)
    assert await _hover(client, schema, text, "\n\nmodel Host", 1) is None

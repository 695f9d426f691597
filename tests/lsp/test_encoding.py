"""Position encodings: a client that prefers UTF-8 gets UTF-8 columns, both ways."""

from __future__ import annotations

from pathlib import Path

import pytest_lsp
from lsprotocol import types
from pytest_lsp import LanguageClient
from schemasense.server.sources.prisma import read_prisma_schema

from .conftest import change_document, config, diagnostics_for, initialize_params, open_document

TEXT = 'model A {\n  id Int    @id\n  b  String @default("é😀") @foo\n}\n'


@pytest_lsp.fixture(config=config())
async def utf8_client(lsp_client: LanguageClient, tmp_path: Path):
    params = initialize_params(tmp_path)
    params.capabilities.general = types.GeneralClientCapabilities(
        position_encodings=[types.PositionEncodingKind.Utf8, types.PositionEncodingKind.Utf16]
    )
    result = await lsp_client.initialize_session(params)
    assert result.capabilities.position_encoding == types.PositionEncodingKind.Utf8
    yield
    await lsp_client.shutdown_session()


async def test_utf8_columns_in_diagnostics_and_edits(utf8_client: LanguageClient, tmp_path: Path):
    client = utf8_client
    schema = tmp_path / "schema.prisma"
    open_document(client, schema, TEXT)
    [diagnostic] = await diagnostics_for(client, schema, version=1)
    # Where the reader puts it (this test is about the encoding, not the reader's span).
    [finding] = read_prisma_schema({str(schema): TEXT}).findings
    line_start = TEXT.index("  b ")
    assert diagnostic.range == types.Range(
        start=types.Position(line=2, character=_utf8(TEXT[line_start : finding.span.start])),
        end=types.Position(line=2, character=_utf8(TEXT[line_start : finding.span.end])),
    )

    # Delete " @foo" with a range in UTF-8 units: the schema is valid again.
    at = _utf8(TEXT[line_start : TEXT.index(" @foo")])
    change_document(client, schema, 2, (2, at), (2, at + 5), "")
    assert await diagnostics_for(client, schema, version=2) == []


def _utf8(text: str) -> int:
    return len(text.encode("utf-8"))

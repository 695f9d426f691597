"""The guard (STYLE.md 17): with the analysis made to fail (the workspace's
`SCHEMASENSE_TEST_PANIC` hook), the server reports the error once, keeps answering, and shuts
down cleanly."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest_lsp
from lsprotocol import types
from pytest_lsp import LanguageClient
from schemasense.server.features.commands import DEBUG_INFORMATION
from schemasense.server.workspace.workspace import TEST_PANIC_ENV

from .conftest import change_document, config, initialize_params, open_document, wait_until


@pytest_lsp.fixture(config=config({TEST_PANIC_ENV: "1"}))
async def panicking(lsp_client: LanguageClient, tmp_path: Path):
    await lsp_client.initialize_session(initialize_params(tmp_path))
    yield
    await lsp_client.shutdown_session()


async def test_internal_error_is_reported_once_and_the_server_keeps_serving(
    panicking: LanguageClient, tmp_path: Path
):
    client = panicking
    schema = tmp_path / "schema.prisma"
    schema.write_text("model A {\n  id Int @id\n}\n")
    open_document(client, schema)
    await wait_until(lambda: client.messages, what="a window/showMessage")

    # The same failure again, on every change: no second message.
    for version in range(2, 6):
        change_document(client, schema, version, (1, 2), (1, 4), "ix")
        change_document(client, schema, version, (1, 2), (1, 4), "id")
    await asyncio.sleep(0.5)

    [message] = client.messages
    assert message.type == types.MessageType.Error
    assert "internal error" in message.message
    assert "artificial panic" in message.message
    assert client.published == []  # type: ignore[attr-defined]

    # A later request still answers, and sees the edits that were applied.
    info = await client.workspace_execute_command_async(
        types.ExecuteCommandParams(command=DEBUG_INFORMATION)
    )
    assert info["openDocuments"] == {str(schema): 5}

"""Settings (STYLE.md 18): invalid values are shown once and replaced by the defaults, and
`initialize` never fails; valid ones take effect."""

from __future__ import annotations

from pathlib import Path

import pytest_lsp
from lsprotocol import types
from pytest_lsp import LanguageClient
from schemasense.server.features.commands import DEBUG_INFORMATION

from .conftest import (
    change_document,
    config,
    diagnostics_for,
    initialize_params,
    open_document,
    wait_until,
)

BAD = {"schemasense": {"debounceMs": "soon", "logLevel": "loud", "enable": True, "colour": 1}}


@pytest_lsp.fixture(config=config())
async def badly_configured(lsp_client: LanguageClient, tmp_path: Path):
    result = await lsp_client.initialize_session(initialize_params(tmp_path, BAD))
    assert result.server_info is not None and result.server_info.name == "schemasense"
    yield
    await lsp_client.shutdown_session()


async def _debug_information(client: LanguageClient) -> dict:
    return await client.workspace_execute_command_async(
        types.ExecuteCommandParams(command=DEBUG_INFORMATION)
    )


async def test_invalid_initialization_options_fall_back_to_defaults(
    badly_configured: LanguageClient, tmp_path: Path
):
    client = badly_configured
    [message] = await wait_until(lambda: client.messages, what="a window/showMessage")
    assert message.type == types.MessageType.Warning
    for key in ("debounceMs", "logLevel", "colour"):
        assert key in message.message

    info = await _debug_information(client)
    assert info["settings"] == {
        "enable": True,
        "debounceMs": 0,
        "logLevel": "warning",
        "select": None,
        "ignore": [],
        "dialect": None,
    }

    # And the server works as usual.
    schema = tmp_path / "schema.prisma"
    schema.write_text("model A {\n  id Int @id\n  b  Strin\n}\n")
    open_document(client, schema)
    [diagnostic] = await diagnostics_for(client, schema, version=1)
    assert diagnostic.code == "DB002"


async def test_disabling_clears_and_enabling_republishes(client: LanguageClient, tmp_path: Path):
    schema = tmp_path / "schema.prisma"
    schema.write_text("model A {\n  id Int @id\n  b  Strin\n}\n")
    open_document(client, schema)
    assert await diagnostics_for(client, schema, version=1)

    seen = len(client.published)
    client.workspace_did_change_configuration(
        types.DidChangeConfigurationParams(settings={"schemasense": {"enable": False}})
    )
    assert await diagnostics_for(client, schema, after=seen) == []

    seen = len(client.published)
    client.workspace_did_change_configuration(
        types.DidChangeConfigurationParams(settings={"schemasense": {"enable": True}})
    )
    assert len(await diagnostics_for(client, schema, version=1, after=seen)) == 1
    assert client.messages == []


@pytest_lsp.fixture(config=config())
async def debounced(lsp_client: LanguageClient, tmp_path: Path):
    await lsp_client.initialize_session(initialize_params(tmp_path, {"debounceMs": 300}))
    yield
    await lsp_client.shutdown_session()


async def test_debounce_checks_a_burst_once_and_ends_on_the_last_text(
    debounced: LanguageClient, tmp_path: Path
):
    client = debounced
    schema = tmp_path / "schema.prisma"
    open_document(client, schema, "model A {\n  id Int @id\n  b  \n}\n")
    await diagnostics_for(client, schema, version=1)
    seen = len(client.published)
    for version, ch in enumerate("Strin", start=2):
        column = 5 + version - 2
        change_document(client, schema, version, (2, column), (2, column), ch)
    [diagnostic] = await diagnostics_for(client, schema, version=6, after=seen)
    assert diagnostic.code == "DB002" and '"Strin"' in diagnostic.message
    assert len(client.published) - seen == 1

"""`initialize` advertises every editor feature the server answers."""

from __future__ import annotations

from pathlib import Path

import pytest_lsp
from lsprotocol import types
from pytest_lsp import LanguageClient
from schemasense.server.features.completion import TRIGGER_CHARACTERS

from .conftest import config, initialize_params


@pytest_lsp.fixture(config=config())
async def initialized(lsp_client: LanguageClient, tmp_path: Path):
    result = await lsp_client.initialize_session(initialize_params(tmp_path))
    lsp_client.initialize_result = result  # type: ignore[attr-defined]
    yield
    await lsp_client.shutdown_session()


async def test_editor_features_are_advertised(initialized: LanguageClient):
    caps: types.ServerCapabilities = initialized.initialize_result.capabilities  # type: ignore[attr-defined]
    assert caps.hover_provider
    assert caps.definition_provider
    assert caps.references_provider
    assert caps.document_symbol_provider
    assert caps.workspace_symbol_provider
    assert caps.code_lens_provider is not None
    assert caps.completion_provider is not None
    assert list(caps.completion_provider.trigger_characters or []) == TRIGGER_CHARACTERS
    assert caps.rename_provider == types.RenameOptions(prepare_provider=True)

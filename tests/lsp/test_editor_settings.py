"""The editor's rule selection and dialect (`select`, `ignore`, `dialect`) override the
project's configuration, at `initialize` and when they change."""

from __future__ import annotations

from pathlib import Path

import pytest_lsp
from lsprotocol import types
from pytest_lsp import LanguageClient

from .conftest import config, diagnostics_for, initialize_params, open_document

SCHEMA = """datasource db {
  provider = "postgresql"
}

model User {
  id    Int    @id
  posts Post[]
}

model Post {
  id       Int  @id
  authorId Int
  author   User @relation(fields: [authorId], references: [id])
}
"""
OPTIONS = {"schemasense": {"ignore": ["DB101"], "dialect": "postgresql"}}


@pytest_lsp.fixture(config=config())
async def ignoring(lsp_client: LanguageClient, tmp_path: Path):
    await lsp_client.initialize_session(initialize_params(tmp_path, OPTIONS))
    yield
    await lsp_client.shutdown_session()


async def test_ignore_from_the_editor_then_changed(ignoring: LanguageClient, tmp_path: Path):
    schema = tmp_path / "prisma" / "schema.prisma"
    schema.parent.mkdir()
    schema.write_text(SCHEMA)
    (tmp_path / "schemasense.toml").write_text('select = ["DB101"]\n')
    open_document(ignoring, schema)
    assert await diagnostics_for(ignoring, schema, version=1) == []
    assert ignoring.messages == []  # the keys are known: no "unknown setting" warning
    seen = len(ignoring.published)  # type: ignore[attr-defined]
    ignoring.workspace_did_change_configuration(
        types.DidChangeConfigurationParams(settings={"schemasense": {"select": ["DB101"]}})
    )
    (diagnostic,) = await diagnostics_for(ignoring, schema, after=seen)
    assert diagnostic.code == "DB101"
    seen = len(ignoring.published)  # type: ignore[attr-defined]
    ignoring.workspace_did_change_configuration(
        types.DidChangeConfigurationParams(settings={"schemasense": {"select": ["DB0"]}})
    )
    assert await diagnostics_for(ignoring, schema, after=seen) == []

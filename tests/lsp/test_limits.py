"""A budget reached in the editor (robustness issue, item 4): a migration over `[limits]
max-file-mb` is named in one `window/showMessage` warning, with the setting to raise, however
many keystrokes follow, and the schema's diagnostics are published as usual."""

from __future__ import annotations

import asyncio
from pathlib import Path

from lsprotocol import types
from pytest_lsp import LanguageClient

from tests.prisma_project import INIT, SCHEMA

from .conftest import change_document, open_document, wait_until


async def test_a_file_over_the_size_limit_is_one_warning(client: LanguageClient, tmp_path: Path):
    (tmp_path / "schemasense.toml").write_text("[limits]\nmax-file-mb = 0.001\n")
    prisma = tmp_path / "prisma"
    migration = prisma / "migrations" / "20240101000000_init" / "migration.sql"
    migration.parent.mkdir(parents=True)
    migration.write_text(INIT + "-- padding\n" * 200)
    schema = prisma / "schema.prisma"
    schema.write_text(SCHEMA.replace("email String", "email Strin"))
    open_document(client, schema)
    await wait_until(lambda: client.diagnostics.get(schema.as_uri()), what="the schema's findings")
    await wait_until(lambda: client.messages, what="a window/showMessage")
    for version in range(2, 5):
        change_document(client, schema, version, (0, 0), (0, 0), "// x\n")
    await asyncio.sleep(1.0)
    [message] = client.messages
    assert message.type == types.MessageType.Warning
    assert "migration.sql not read" in message.message
    assert "`[limits] max-file-mb`" in message.message
    codes = {d.code for d in client.diagnostics[schema.as_uri()]}
    assert "DB002" in codes, codes


async def test_an_analysis_over_its_budget_is_one_diagnostic_and_the_server_keeps_serving(
    client: LanguageClient, tmp_path: Path
):
    """`[limits] analysis-seconds` passed: one DB092 error on the schema names what did not
    run; the reader's own findings are published, and a keystroke is answered again."""
    (tmp_path / "schemasense.toml").write_text("[limits]\nanalysis-seconds = 1e-9\n")
    prisma = tmp_path / "prisma"
    migration = prisma / "migrations" / "20240101000000_init" / "migration.sql"
    migration.parent.mkdir(parents=True)
    migration.write_text(INIT)
    schema = prisma / "schema.prisma"
    schema.write_text(SCHEMA.replace("email String", "email Strin"))
    open_document(client, schema)
    await wait_until(lambda: client.diagnostics.get(schema.as_uri()), what="the schema's findings")
    [line] = [d.range.start.line for d in client.diagnostics[schema.as_uri()] if d.code == "DB002"]
    change_document(client, schema, 2, (0, 0), (0, 0), "// x\n")
    await wait_until(
        lambda: any(
            d.code == "DB002" and d.range.start.line == line + 1
            for d in client.diagnostics[schema.as_uri()]
        ),
        what="the findings after a keystroke",
    )
    diagnostics = client.diagnostics[schema.as_uri()]
    over = [d for d in diagnostics if d.code == "DB092"]
    assert len(over) == 1, [d.code for d in diagnostics]
    assert "`[limits] analysis-seconds = 1e-09`" in over[0].message
    assert over[0].severity == types.DiagnosticSeverity.Error
    assert "DB002" in {d.code for d in diagnostics}

"""End-to-end sessions: `python -m schemasense.server serve` over stdio, driven by pytest-lsp.

Every test gets a fresh server whose workspace folder is the test's `tmp_path`. The client is
pytest-lsp's, plus two recorders: every `publishDiagnostics` (with its version, which pytest-lsp
drops) and every `client/registerCapability` request.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import pytest_lsp
from lsprotocol import types
from pygls.protocol import default_converter
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities
from pytest_lsp.client import DEFAULT_CLIENT_FEATURES, register_lsp_features

SERVER_COMMAND = [sys.executable, "-m", "schemasense.server", "serve"]
CORPUS = Path(
    os.environ.get("SCHEMASENSE_CORPUS", Path(__file__).resolve().parents[3] / "shared" / "corpus")
)
CALCOM = CORPUS / "calcom" / "packages" / "prisma" / "schema.prisma"
TIMEOUT = 20.0


def _record_diagnostics(client: LanguageClient, params: types.PublishDiagnosticsParams) -> None:
    client.diagnostics[params.uri] = params.diagnostics
    client.published.append(params)  # type: ignore[attr-defined]


def _record_registration(client: LanguageClient, params: types.RegistrationParams) -> None:
    client.registrations.extend(params.registrations)  # type: ignore[attr-defined]


def make_client() -> LanguageClient:
    """pytest-lsp's test client, recording diagnostics with versions and registrations."""
    client = LanguageClient(converter_factory=default_converter)
    features = dict(DEFAULT_CLIENT_FEATURES)
    features[types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS] = _record_diagnostics
    features[types.CLIENT_REGISTER_CAPABILITY] = _record_registration
    register_lsp_features(client, features)
    client.published = []  # type: ignore[attr-defined]
    client.registrations = []  # type: ignore[attr-defined]
    return client


def config(env: dict[str, str] | None = None) -> ClientServerConfig:
    return ClientServerConfig(
        server_command=SERVER_COMMAND,
        client_factory=make_client,
        server_env={**os.environ, **env} if env else None,
    )


def initialize_params(root: Path, options: Any = None) -> types.InitializeParams:
    return types.InitializeParams(
        capabilities=client_capabilities("visual-studio-code"),
        root_uri=root.as_uri(),
        workspace_folders=[types.WorkspaceFolder(uri=root.as_uri(), name=root.name)],
        initialization_options=options,
    )


@pytest_lsp.fixture(config=config())
async def client(lsp_client: LanguageClient, tmp_path: Path):
    await lsp_client.initialize_session(initialize_params(tmp_path))
    yield
    await lsp_client.shutdown_session()


# -- helpers ------------------------------------------------------------------------------------


def calcom_copy(folder: Path) -> Path:
    """A copy of cal.com's schema in `folder` (the test skips where the corpus is absent)."""
    if not CALCOM.is_file():
        pytest.skip(f"the corpus is absent ({CALCOM} not found)")
    target = folder / "prisma" / "schema.prisma"
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(CALCOM, target)
    return target


def open_document(client: LanguageClient, path: Path, text: str | None = None, version: int = 1):
    text = path.read_text(encoding="utf-8") if text is None else text
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(
                uri=path.as_uri(), language_id="prisma", version=version, text=text
            )
        )
    )
    return text


def change_document(
    client: LanguageClient,
    path: Path,
    version: int,
    start: tuple[int, int],
    end: tuple[int, int],
    text: str,
) -> None:
    """One incremental change: replace the LSP range [start, end) with `text`."""
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=path.as_uri(), version=version),
            content_changes=[
                types.TextDocumentContentChangePartial(
                    range=types.Range(
                        start=types.Position(line=start[0], character=start[1]),
                        end=types.Position(line=end[0], character=end[1]),
                    ),
                    text=text,
                )
            ],
        )
    )


async def wait_until(predicate: Callable[[], Any], timeout: float = TIMEOUT, what: str = "") -> Any:
    """Poll `predicate` until it returns something truthy; fail after `timeout` seconds."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if loop.time() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {what or predicate}")
        await asyncio.sleep(0.02)


async def diagnostics_for(
    client: LanguageClient, path: Path, version: int | None = None, after: int = 0
) -> list[types.Diagnostic]:
    """The first diagnostics published for `path` (with `version`, when given) after the
    `after`-th publish of the session."""
    uri = path.as_uri()

    def find():
        for params in client.published[after:]:  # type: ignore[attr-defined]
            if params.uri == uri and (version is None or params.version == version):
                return params
        return None

    params = await wait_until(find, what=f"diagnostics for {path.name} version {version}")
    return list(params.diagnostics)


def errors(diagnostics: list[types.Diagnostic]) -> list[types.Diagnostic]:
    return [d for d in diagnostics if d.severity == types.DiagnosticSeverity.Error]


def text_edits(
    edit: types.WorkspaceEdit, versions: dict[str, int | None] | None = None
) -> dict[str, list[types.TextEdit]]:
    """The text edits of a workspace edit, by URI. The server sends `documentChanges` to a
    client that takes them (ours says it does): every edit names the version of the document
    it was made for, checked against `versions` (URI -> the open version, None for a file not
    open) where given."""
    assert edit.changes is None, "a client that takes documentChanges gets versioned edits"
    found: dict[str, list[types.TextEdit]] = {}
    for change in edit.document_changes or []:
        if not isinstance(change, types.TextDocumentEdit):
            continue
        uri = change.text_document.uri
        if versions is not None and uri in versions:
            assert change.text_document.version == versions[uri], uri
        found.setdefault(uri, []).extend(change.edits)  # type: ignore[arg-type]
    return found

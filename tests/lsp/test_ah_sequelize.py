"""An actionhero project with `ah-sequelize-plugin`, end to end over stdio: the index its
migrations folder (named only in the plugin's config, `src/config/sequelize.ts`) creates serves
the query in the code, so the model's code lens counts it served; the same project with the
plugin's config unread (its dependency renamed) is the control, where the editor shows DB401 on
the query and the lens counts it unserved."""

from __future__ import annotations

import shutil
from pathlib import Path

from lsprotocol import types
from pytest_lsp import LanguageClient

from .conftest import diagnostics_for
from .features import doc

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "sequelize_ah_plugin"


def _open(client: LanguageClient, path: Path) -> None:
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(
                uri=path.as_uri(), language_id="typescript", version=1, text=path.read_text()
            )
        )
    )


async def _lenses(client: LanguageClient, path: Path) -> list[str]:
    lenses = await client.text_document_code_lens_async(
        types.CodeLensParams(text_document=doc(path))
    )
    return [lens.command.title for lens in lenses or [] if lens.command is not None]


async def test_the_plugins_migrations_serve_the_query(client: LanguageClient, tmp_path: Path):
    app, control = tmp_path / "app", tmp_path / "control"
    for root in (app, control):
        shutil.copytree(FIXTURE, root)
        (root / "schemasense.toml").write_text('extend-select = ["DB401"]\n')
    package = control / "package.json"
    package.write_text(package.read_text().replace('"ah-sequelize-plugin"', '"other-plugin"'))

    code = control / "src" / "actions" / "accounts.ts"
    _open(client, code)
    diagnostics = await diagnostics_for(client, code, version=1)
    (db401,) = [d for d in diagnostics if str(d.code) == "DB401"]
    assert "`email`" in db401.message and "`accounts`" in db401.message
    model = control / "src" / "models" / "Account.ts"
    _open(client, model)
    assert "1 query · 0 served" in await _lenses(client, model)

    model = app / "src" / "models" / "Account.ts"
    _open(client, model)
    assert "1 query · 1 served" in await _lenses(client, model)

"""Generate database layer…, live over stdio: `schemasense.generateDatabaseLayer`.

On fresh copies of samples/prisma-clean and samples/typeorm-nest, with the product catalog
description (tests/fixtures/feature/catalog.sql):
- the command sends ONE `workspace/applyEdit`; applied as an editor would (create each file,
  apply each text edit), it leaves on disk exactly the files, with exactly the text, that
  `schemasense generate … --dry-run --format json` (the CLI, in a subprocess) says it would
  write, the migration's timestamp aside (the two runs happen at different seconds);
- new files are `CreateFile`s that never overwrite; an existing file that is open is edited at
  its open version, one not open at version null;
- the answer carries the Markdown report and a `window/showMessage` says what was made;
- an ambiguous ORM, an unreadable description and an unsaved open document are error messages
  (with the `orm:` to pass, and `line:column` problems) and nothing is applied or written;
- a client without `workspace/applyEdit` is told so.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest_lsp
from lsprotocol import types
from pytest_lsp import LanguageClient

from .conftest import config, initialize_params, open_document

REPO = Path(__file__).resolve().parents[2]
SAMPLES = REPO / "samples"
CATALOG = REPO / "tests" / "fixtures" / "feature" / "catalog.sql"
COMMAND = "schemasense.generateDatabaseLayer"
# Prisma's migration folder (yyyymmddhhmmss) and TypeORM's class/file (milliseconds)
_STAMP = re.compile(r"(?<!\d)(\d{14}|\d{13})(?!\d)")


def _copy(name: str, target: Path) -> Path:
    shutil.copytree(
        SAMPLES / name, target, ignore=shutil.ignore_patterns("node_modules"), dirs_exist_ok=True
    )
    return target


def _tree(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): p.read_text(errors="replace")
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def _path(uri: str) -> Path:
    return Path(unquote(urlparse(uri).path))


def _unstamped(text: str) -> str:
    return _STAMP.sub("<timestamp>", text)


def _cli_dry_run(root: Path, description: str, *extra: str) -> dict[str, tuple[str, str]]:
    """What the CLI would write: relative path (unstamped) -> (action, text (unstamped))."""
    done = subprocess.run(
        [sys.executable, "-m", "schemasense.server", "generate", f"description:{description}",
         *extra, "--project", str(root), "--dry-run", "--format", "json"],
        cwd=root, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    files = json.loads(done.stdout)["files"]
    return {_unstamped(f["path"]): (f["action"], _unstamped(f["text"])) for f in files}


def _offset(text: str, position: types.Position) -> int:
    """An LSP position (UTF-16 code units, the client's default) as a string index."""
    lines = text.splitlines(keepends=True)
    start = sum(len(line) for line in lines[: position.line])
    line = lines[position.line] if position.line < len(lines) else ""
    units = 0
    for i, ch in enumerate(line):
        if units >= position.character:
            return start + i
        units += 2 if ord(ch) > 0xFFFF else 1
    return start + len(line)


def _apply(edit: types.WorkspaceEdit, recorded: dict) -> None:
    """What an editor does with the edit: create the files (refusing to overwrite), then
    apply each text edit to the file's text, and save."""
    assert edit.changes is None
    for change in edit.document_changes or []:
        if isinstance(change, types.CreateFile):
            path = _path(change.uri)
            assert change.options is not None and change.options.overwrite is False
            assert not change.options.ignore_if_exists
            assert not path.exists(), f"{path} would be overwritten"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text("")
            recorded["created"].append(path)
        elif isinstance(change, types.TextDocumentEdit):
            path = _path(change.text_document.uri)
            recorded["versions"][path] = change.text_document.version
            text = path.read_text()
            for e in sorted(change.edits, key=lambda e: _offset(text, e.range.start), reverse=True):
                start, end = _offset(text, e.range.start), _offset(text, e.range.end)
                text = text[:start] + e.new_text + text[end:]  # type: ignore[union-attr]
            path.write_text(text)
        else:
            raise AssertionError(f"unexpected change {change!r}")


def _recording(client: LanguageClient) -> dict:
    recorded: dict = {"edits": [], "created": [], "versions": {}}

    @client.feature(types.WORKSPACE_APPLY_EDIT)
    def apply_edit(params: types.ApplyWorkspaceEditParams):
        recorded["edits"].append(params)
        _apply(params.edit, recorded)
        return types.ApplyWorkspaceEditResult(applied=True)

    return recorded


async def _run(client: LanguageClient, **arguments) -> dict:
    return await client.workspace_execute_command_async(
        types.ExecuteCommandParams(command=COMMAND, arguments=[arguments])
    )


def _errors(client: LanguageClient) -> list[str]:
    return [m.message for m in client.messages if m.type == types.MessageType.Error]


def _same_as_cli(root: Path, before: dict[str, str], cli: dict[str, tuple[str, str]]) -> None:
    after = _tree(root)
    touched = {_unstamped(p): t for p, t in after.items() if before.get(p) != t}
    assert set(touched) == set(cli), (sorted(touched), sorted(cli))
    for rel, (action, text) in cli.items():
        assert _unstamped(touched[rel]) == text, rel
        was_there = any(_unstamped(p) == rel for p in before)
        assert (action == "edit") == was_there, rel


async def test_prisma_layer_is_what_the_cli_writes(client: LanguageClient, tmp_path: Path):
    root = _copy("prisma-clean", tmp_path)
    (root / "docs").mkdir()
    shutil.copyfile(CATALOG, root / "docs" / "catalog.sql")
    cli = _cli_dry_run(root, "@docs/catalog.sql", "migration:add_product_catalog")
    assert any(action == "edit" for action, _ in cli.values())
    factories = root / "test" / "db" / "factories.ts"
    open_document(client, factories, version=4)
    recorded = _recording(client)
    before = _tree(root)

    result = await _run(client, description="@docs/catalog.sql", migration="add_product_catalog")

    assert result.get("applied") is True, result
    assert len(recorded["edits"]) == 1
    _same_as_cli(root, before, cli)
    created = sorted(_unstamped(str(p.relative_to(root))) for p in recorded["created"])
    assert created == sorted(r for r, (a, _) in cli.items() if a == "create")
    assert recorded["versions"][factories] == 4  # open: its version
    assert {v for p, v in recorded["versions"].items() if p != factories} == {None}
    assert result["orm"] == "prisma" and result["feature"] == "Product Catalog"
    assert len(result["files"]) == len(cli)
    assert result["report"].startswith("# Database Layer: Product Catalog")
    assert "## Migration Commands" in result["report"]
    assert "npx prisma migrate deploy" in result["report"]
    info = [m.message for m in client.messages if m.type == types.MessageType.Info]
    assert any("database layer Product Catalog (prisma)" in m for m in info), info


async def test_typeorm_layer_is_what_the_cli_writes(client: LanguageClient, tmp_path: Path):
    root = _copy("typeorm-nest", tmp_path / "api")
    description = CATALOG.read_text()
    cli = _cli_dry_run(root, description)
    assert any(action == "edit" for action, _ in cli.values())
    recorded = _recording(client)
    before = _tree(root)

    result = await _run(client, description=description, projectUri=root.as_uri())

    assert result.get("applied") is True, result
    assert len(recorded["edits"]) == 1
    _same_as_cli(root, before, cli)
    assert result["orm"] == "typeorm"
    assert "migration:run -d src/data-source.ts" in result["report"]


async def test_an_ambiguous_orm_names_the_choice_and_writes_nothing(
    client: LanguageClient, tmp_path: Path
):
    root = _copy("typeorm-nest", tmp_path)
    shutil.copytree(SAMPLES / "prisma-clean" / "prisma", root / "prisma")
    recorded = _recording(client)
    before = _tree(root)

    result = await _run(client, description=f"@{CATALOG}")

    assert "orm:prisma or orm:typeorm" in result["error"]
    assert result["ormChoices"] == ["prisma", "typeorm"]
    assert recorded["edits"] == []
    assert _tree(root) == before
    assert any("orm:prisma or orm:typeorm" in m for m in _errors(client))

    result = await _run(client, description=f"@{CATALOG}", orm="typeorm")
    assert result.get("applied") is True, result
    assert result["orm"] == "typeorm"


async def test_an_unreadable_description_is_its_problems_and_writes_nothing(
    client: LanguageClient, tmp_path: Path
):
    root = _copy("typeorm-nest", tmp_path)
    recorded = _recording(client)
    before = _tree(root)
    bad = "CREATE TABLE brands (\n  id serial PRIMARY KEY,\n  n int CHEK (n > 0)\n);\n"

    result = await _run(client, description=bad)

    assert "cannot be read" in result["error"]
    [problem] = result["problems"]
    assert problem.startswith("3:9: Could not be parsed as postgresql")
    assert any("3:9: Could not be parsed" in m for m in _errors(client))
    assert recorded["edits"] == []
    assert _tree(root) == before

    result = await _run(client, description="@docs/missing.sql")
    assert "missing.sql" in result["error"] and recorded["edits"] == []


async def test_an_unsaved_open_document_stops_it(client: LanguageClient, tmp_path: Path):
    root = _copy("prisma-clean", tmp_path)
    factories = root / "test" / "db" / "factories.ts"
    open_document(client, factories, factories.read_text() + "\n// typing\n", version=2)
    recorded = _recording(client)
    before = _tree(root)

    result = await _run(client, description=f"@{CATALOG}")

    assert "unsaved changes: test/db/factories.ts" in result["error"]
    assert recorded["edits"] == [] and _tree(root) == before


async def test_an_unsaved_description_is_sent_as_its_text(client: LanguageClient, tmp_path: Path):
    """VS Code sends an unsaved description file as its text: that document is not "unsaved
    project state"; another unsaved model still is."""
    root = _copy("typeorm-nest", tmp_path)
    brands = root / "docs" / "brands.sql"
    brands.parent.mkdir()
    brands.write_text("")
    text = "CREATE TABLE brands (\n  id serial PRIMARY KEY,\n  name text NOT NULL\n);\n"
    open_document(client, brands, text, version=3)
    notes = root / "NOTES.md"
    notes.write_text("# notes\n")
    open_document(client, notes, "# notes, being typed\n", version=2)  # not a file read
    recorded = _recording(client)

    result = await _run(client, description=text)

    assert result.get("applied") is True, result
    assert any(f["uri"].endswith("/brand.entity.ts") for f in result["files"]), result["files"]
    assert len(recorded["edits"]) == 1

    tag = root / "src" / "posts" / "tag.entity.ts"
    open_document(client, tag, tag.read_text() + "// typing\n", version=5)
    result = await _run(client, description=text.replace("brands", "labels"))
    # the brands file is no longer the description sent: it is unsaved state like the entity
    assert "unsaved changes: docs/brands.sql, src/posts/tag.entity.ts;" in result["error"], result
    assert len(recorded["edits"]) == 1


@pytest_lsp.fixture(config=config())
async def plain_client(lsp_client: LanguageClient, tmp_path: Path):
    """A client that says nothing about workspace edits (no applyEdit)."""
    params = initialize_params(tmp_path)
    params.capabilities = types.ClientCapabilities()
    await lsp_client.initialize_session(params)
    yield
    await lsp_client.shutdown_session()


async def test_a_client_without_apply_edit_is_told(plain_client: LanguageClient, tmp_path: Path):
    root = _copy("prisma-clean", tmp_path)
    before = _tree(root)
    result = await _run(plain_client, description=f"@{CATALOG}")
    assert "cannot apply workspace edits" in result["error"]
    assert any("workspace/applyEdit" in m for m in _errors(plain_client))
    assert _tree(root) == before


async def test_keys_on_existing_entities_are_what_the_cli_writes(
    client: LanguageClient, tmp_path: Path
):
    """A foreign key and a unique added to entities typeorm-nest has: one workspace edit with
    the entities changed (the relation and its other side), the safe steps' migrations created,
    the same text as the CLI's, and the report's TypeORM commands for those steps."""
    root = _copy("typeorm-nest", tmp_path / "api")
    description = (
        'ALTER TABLE tag ADD COLUMN owner_id uuid REFERENCES "user"(id);\n'
        "ALTER TABLE post ADD CONSTRAINT post_title_key UNIQUE (title);\n"
    )
    cli = _cli_dry_run(root, description)
    edited = {r for r, (a, _) in cli.items() if a == "edit"}
    assert {"src/posts/tag.entity.ts", "src/users/user.entity.ts"} <= edited, sorted(edited)
    recorded = _recording(client)
    before = _tree(root)

    result = await _run(client, description=description, projectUri=root.as_uri())

    assert result.get("applied") is True, result
    assert len(recorded["edits"]) == 1
    _same_as_cli(root, before, cli)
    assert "migration:run -d src/data-source.ts --transaction each" in result["report"]
    assert "NOT VALID" in result["report"] and "CONCURRENTLY" in result["report"]

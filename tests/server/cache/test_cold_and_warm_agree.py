"""A cache that could ever answer differently from a cold run is a bug (issue 17, item 6): on
every corpus project (Prisma, TypeORM, Sequelize) and every sample, `check --format json` with
the cache is compared, output and exit code, with a run without it: the first run (a miss that
writes the entry), the second (a hit, with the engine made to fail if it is called, so a hit it
must be), after adding one migration, and after editing the schema; and `schema --migrated`
of each Prisma migrations folder, before and after the new migration. Each project is copied
first: the corpus is never written to."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest
from schemasense.server import cli, migrations
from schemasense.server.cache import store
from schemasense.server.workspace.workspace import Workspace

from tests.conftest import CORPUS

REPO = Path(__file__).resolve().parents[3]
CORPUS_PROJECTS = [
    "calcom",
    "umami",
    "dub",
    "pingvin-share",
    "epic-stack",
    *(f"typeorm/{p.name}" for p in sorted((CORPUS / "typeorm").glob("*")) if p.is_dir()),
    *(f"sequelize/{p.name}" for p in sorted((CORPUS / "sequelize").glob("*")) if p.is_dir()),
]
SAMPLES = sorted(p.name for p in (REPO / "samples").iterdir() if p.is_dir())


CHECK = ("check", ".", "--format", "json")


def _run(capsys: pytest.CaptureFixture, *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def _agree(capsys, monkeypatch, when: str, argv: tuple[str, ...] = CHECK) -> tuple[int, str, str]:
    """The cached run (a miss, writing), the cold run, then the hit: all the same."""
    cached = _run(capsys, *argv)
    cold = _run(capsys, *argv, "--no-cache")
    assert cached == cold, f"{when}: the cached run differs from a cold run"

    def refuse(*args, **kwargs):
        raise AssertionError("the engine ran")

    with monkeypatch.context() as m:
        m.setattr(Workspace, "check_path", refuse)
        m.setattr(migrations, "replay", refuse)  # what `schema --migrated` calls
        hit = _run(capsys, *argv)
    assert hit == cold, f"{when}: the warm run (a hit) differs from a cold run"
    return cold


def _last_migration(root: Path) -> Path | None:
    ws = Workspace([str(root)], incremental=False)
    files = [f for unit in ws.units_at(str(root)) for f in ws.analyze(unit).migration_files]
    return Path(max(files, key=lambda f: (os.path.basename(f), f))) if files else None


def _add_migration(last: Path) -> Path:
    """A new migration after `last`, in its tool's form: a Prisma folder, or a code or SQL
    file named to sort after it; it repeats the last one's statements (which a real history
    could do by mistake), so it has findings of its own."""
    if last.name == "migration.sql":
        folder = last.parent.parent / "99991231000000_cache_probe"
        folder.mkdir()
        new = folder / "migration.sql"
        new.write_text(last.read_text(encoding="utf-8") + '\nCREATE INDEX "probe" ON "x"("y");\n')
        return new
    name = re.sub(r"^\d+", lambda m: "9" * len(m.group(0)), last.name)
    new = last.with_name(name if name != last.name else "zzzz_" + last.name)
    new.write_text(last.read_text(encoding="utf-8"), encoding="utf-8")
    return new


def _edit_schema(root: Path) -> None:
    ws = Workspace([str(root)], incremental=False)
    first = Path(ws.units_at(str(root))[0].files[0])
    text = first.read_text(encoding="utf-8")
    if first.suffix == ".prisma":
        first.write_text(text + "\nmodel CacheProbe {\n  id Int @id\n  at DateTime\n}\n")
    elif first.suffix == ".sql":
        first.write_text(text + "\nCREATE TABLE cache_probe (id integer);\n")
    else:  # an entity or model file: every finding in it moves down a line
        first.write_text("\n" + text, encoding="utf-8")


def _check_project(source: Path, tmp_path, capsys, monkeypatch) -> None:
    root = tmp_path / "project"
    shutil.copytree(source, root, ignore=shutil.ignore_patterns(".schemasense_cache"))
    monkeypatch.chdir(root)
    monkeypatch.delenv(store.NO_CACHE_ENV, raising=False)
    monkeypatch.setenv(store.CACHE_DIR_ENV, str(tmp_path / "cache"))
    first = _agree(capsys, monkeypatch, "unchanged")
    last = _last_migration(root)
    migrated = None
    if last is not None and last.name == "migration.sql":  # a Prisma set: schema --migrated
        migrated = ("schema", str(last.parent.parent), "--migrated")
        _agree(capsys, monkeypatch, "schema --migrated", migrated)
    if last is not None:
        _add_migration(last)
        added = _agree(capsys, monkeypatch, "after adding a migration")
        assert added != first, "the new migration changed nothing: the test proves nothing"
    if migrated is not None:
        _agree(capsys, monkeypatch, "schema --migrated after adding a migration", migrated)
    _edit_schema(root)
    _agree(capsys, monkeypatch, "after editing the schema")


@pytest.mark.corpus
@pytest.mark.parametrize("name", CORPUS_PROJECTS)
def test_corpus_cold_and_warm_agree(name, tmp_path, capsys, monkeypatch):
    _check_project(CORPUS / name, tmp_path, capsys, monkeypatch)


@pytest.mark.parametrize("name", SAMPLES)
def test_sample_cold_and_warm_agree(name, tmp_path, capsys, monkeypatch):
    _check_project(REPO / "samples" / name, tmp_path, capsys, monkeypatch)

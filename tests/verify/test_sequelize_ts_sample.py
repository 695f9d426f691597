"""`samples/sequelize-ts` is a real sequelize-typescript project, and we read it as Sequelize does.

- Its models compile with `tsc --strict` (the sample's own tsconfig: decorators with metadata).
- Compiled, they are given to sequelize-typescript, whose `sync()` builds a real SQLite and
  MariaDB database: introspected, each equals what our Sequelize source reads from the
  TypeScript, object for object (tables, columns, keys with their actions, uniques, indexes).
- Its migrations (two sequelize-cli files, written by `schemasense generate migration`) run
  under sequelize-cli with the sample's `.sequelizerc` and build exactly what the models
  declare; `db:migrate:undo:all` leaves only sequelize-cli's `SequelizeMeta`.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from schemasense.server.sources.sequelize.reader import read_models
from schemasense.server.verify.compare import compare, format_differences
from schemasense.server.verify.databases import introspect

from tests.oracle.prisma import REPO_ROOT

from .test_sequelize_sync import _sync_ts, counts, sequelize_cli

pytestmark = pytest.mark.oracle
SAMPLE = REPO_ROOT / "samples" / "sequelize-ts"
MODELS = SAMPLE / "src" / "models"


def _model_texts() -> dict[str, str]:
    return {str(p): p.read_text() for p in sorted(MODELS.glob("*.model.ts"))}


def _tsc() -> Path:
    tsc = REPO_ROOT / "node_modules" / ".bin" / "tsc"
    if not tsc.exists() or not (REPO_ROOT / "node_modules" / "sequelize-typescript").is_dir():
        pytest.skip("tsc or sequelize-typescript is missing (run `npm install` at the repo root)")
    return tsc


@pytest.fixture(scope="module")
def compiled(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """The sample compiled by tsc with its own tsconfig (strict), into a scratch folder."""
    tsc = _tsc()
    work = tmp_path_factory.mktemp("sequelize-ts")
    project = work / "sequelize-ts"
    shutil.copytree(SAMPLE, project, ignore=shutil.ignore_patterns("node_modules", "dist"))
    (project / "node_modules").symlink_to(REPO_ROOT / "node_modules", target_is_directory=True)
    run = subprocess.run(
        [str(tsc), "-p", str(project), "--outDir", str(project / "dist")],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    files = sorted((project / "dist" / "models").glob("*.model.js"))
    assert len(files) == len(_model_texts()) == 6
    return files


@pytest.mark.parametrize("dialect", ["sqlite", "mysql"])
def test_the_models_read_equal_what_sequelize_typescript_syncs(
    dialect: str, compiled: list[Path], request: pytest.FixtureRequest
) -> None:
    url = request.getfixturevalue("sqlite_url" if dialect == "sqlite" else "mysql_url")
    synced = _sync_ts(url, compiled)
    read = read_models(_model_texts(), dialect)
    assert read.findings == []
    database = introspect(url)
    differences = compare(read.schema, database, provider=dialect)
    assert differences == [], format_differences(differences)
    assert sorted(synced["tables"].values()) == sorted(t.name for t in read.schema.tables)
    n = counts(database)
    print(f"\n[sequelize-ts on {dialect}]", n)
    assert n["tables"] == 6 and n["foreign keys"] == 5 and n["indexes"] >= 3


def test_the_migrations_run_under_sequelize_cli_and_build_the_models(tmp_path: Path) -> None:
    project = tmp_path / "sequelize-ts"
    shutil.copytree(SAMPLE, project, ignore=shutil.ignore_patterns("node_modules", "dist"))
    database_file = tmp_path / "migrated.sqlite"
    url = f"sqlite://{database_file}"
    out = sequelize_cli(url, "db:migrate", project=project)
    assert out.count(": migrated (") == 2, out
    read = read_models(_model_texts(), "sqlite")
    database = introspect(f"sqlite:///{database_file}")
    migrated = database.model_copy(
        update={"tables": [t for t in database.tables if t.name != "SequelizeMeta"]}
    )
    differences = compare(read.schema, migrated, provider="sqlite")
    assert differences == [], format_differences(differences)
    sequelize_cli(url, "db:migrate:undo:all", project=project)
    left = introspect(f"sqlite:///{database_file}")
    assert [t.name for t in left.tables] == ["SequelizeMeta"]


def test_schemasense_finds_nothing_wrong_with_the_sample() -> None:
    """No drift, no read problem, no design finding: the sample is the clean reference. One
    note only: its config names SQLite for development and MariaDB for production, which DB075
    says (information: which environment is read, and how to choose another)."""
    run = subprocess.run(
        [sys.executable, "-m", "schemasense.server", "check", str(SAMPLE), "--format", "json"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr
    found = json.loads(run.stdout)
    assert [(f["code"], f["severity"]) for f in found] == [("DB075", "info")], found

"""The proof for Sequelize migrations: our replay of a corpus chain equals the database Sequelize
itself builds running it.

Each chain is run under Node by `sequelize_chain.js` (sequelize-cli's own `db:migrate` for a
JavaScript chain; umzug 3 with the files sequelize-cli runs, in its order, each
`up(queryInterface, Sequelize)`, TypeScript loaded with jiti) on an empty database of the
project's dialect, introspected (`server/verify`), and compared with the replay of the same
folder (`read_set(..., "sequelize")`). Modules a migration requires that the corpus does not
hold (the project's data code) are inert stand-ins there (`sequelize_stub.js`): on an empty
database they change no schema, except where a default is one of their constants, listed
below with the reason.

opencollective-api's chain cannot run from empty: its first migration indexes `Transactions`,
a table its database dump creates (the chain starts from `migrations/archives` squashed into
that dump); the test shows exactly that.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from schemasense.server.migrations.discover import read_set
from schemasense.server.migrations.replay import replay
from schemasense.server.verify.compare import compare, format_differences
from schemasense.server.verify.databases import introspect

from tests.conftest import CORPUS, corpus_available

REPO = Path(__file__).resolve().parents[2]
RUNNER = Path(__file__).with_name("sequelize_chain.js")

KNOWN = {
    "gladys": {
        (
            'table "t_house" column "alarm_mode"',
            "default none (replay) != 'ALARM_MODES.DISARMED' (database)",
        ): "the default is a constant of gladys' utils/constants.js, not in the corpus: the "
        "replay leaves it out with a DB050, the run gets the stand-in's name",
        (
            'table "t_service" column "type"',
            "default none (replay) != 'SERVICE_TYPES.INTERNAL' (database)",
        ): "same: a constant of utils/constants.js",
        (
            'table "t_device_feature_supported_option" index '
            '"t_device_feature_supported_option_feature_id_value_string"',
            "predicate not value_string is null (replay) != value_string is not null (database)",
        ): "the SQLite SQL reader prints `x IS NOT NULL` as `NOT x IS NULL` (sqlglot), for SQL "
        "files too: the same predicate spelled two ways",
    },
}


def _node_ready() -> str | None:
    if shutil.which("node") is None:
        return "node is not installed"
    for package in ("sequelize", "sequelize-cli", "umzug", "jiti", "pg", "sqlite3"):
        if not (REPO / "node_modules" / package).is_dir():
            return f"node_modules/{package} is missing (npm install at the repository root)"
    return None


def _run(
    folder: Path, url: str, stand_ins: str = "", mode: str = "umzug"
) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "NODE_PATH": str(REPO / "node_modules"),
        "SCHEMASENSE_STAND_INS": stand_ins,
    }
    return subprocess.run(
        ["node", str(RUNNER), str(folder), url, mode],
        capture_output=True,
        text=True,
        timeout=600,
        env=env,
        check=False,
    )


def _differences(folder: Path, dialect: str, url: str) -> list:
    database = introspect(url)
    database = database.model_copy(
        update={"tables": [t for t in database.tables if t.name != "SequelizeMeta"]}
    )
    mset = read_set(str(folder), "sequelize", dialect=dialect)
    assert mset is not None
    return compare(replay(mset).schema, database, provider=dialect, exact=dialect == "postgresql")


def _unexpected(chain: str, differences: list) -> list:
    known = KNOWN.get(chain, {})
    rest = []
    for d in differences:
        line = format_differences([d], limit=1).strip()
        if not any(line.startswith(where) and line.endswith(what) for where, what in known):
            rest.append(d)
    return rest


def _prepare(path: str) -> Path:
    reason = corpus_available() or _node_ready()
    if reason:
        pytest.skip(reason)
    folder = CORPUS / path
    if not folder.is_dir():
        pytest.skip(f"{path} is not in the corpus")
    return folder


@pytest.mark.corpus
@pytest.mark.oracle
def test_grouparoo_replay_equals_what_umzug_builds_on_postgresql(postgres_server) -> None:
    folder = _prepare("sequelize/grouparoo/core/src/migrations")
    with postgres_server.scratch(prefix="ss_seq") as url:
        ran = _run(folder, url.replace("postgresql://", "postgres://", 1))
        assert ran.returncode == 0, ran.stderr[-3000:]
        assert ran.stdout.strip() == "ok 103"
        differences = _differences(folder, "postgresql", url)
    assert not differences, format_differences(differences, limit=100)


@pytest.mark.corpus
@pytest.mark.oracle
@pytest.mark.parametrize("mode", ["cli", "umzug"])
def test_gladys_replay_equals_what_sequelize_builds_on_sqlite(tmp_path, mode: str) -> None:
    """sequelize-cli's own `db:migrate`, and umzug: the same database."""
    folder = _prepare("sequelize/gladys/server/migrations")
    database = tmp_path / "gladys.db"
    url = f"sqlite:///{database}"
    ran = _run(folder, url, stand_ins="../models", mode=mode)
    assert ran.returncode == 0, ran.stderr[-3000:]
    assert ran.stdout.strip() == "ok 69"
    differences = _differences(folder, "sqlite", url)
    assert len(differences) == len(KNOWN["gladys"]), format_differences(differences, limit=50)
    unexpected = _unexpected("gladys", differences)
    assert not unexpected, format_differences(unexpected, limit=50)


@pytest.mark.corpus
@pytest.mark.oracle
def test_opencollective_cannot_run_from_an_empty_database(postgres_server) -> None:
    folder = _prepare("sequelize/opencollective-api/migrations")
    with postgres_server.scratch(prefix="ss_seq") as url:
        ran = _run(folder, url.replace("postgresql://", "postgres://", 1))
    assert ran.returncode != 0
    assert "20220505111723-add-transactions-host-collective-id-index" in ran.stderr
    assert 'relation "Transactions" does not exist' in ran.stderr

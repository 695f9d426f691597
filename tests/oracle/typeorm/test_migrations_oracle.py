"""Proved by TypeORM itself: our replay of each TypeORM migration chain (corpus and samples)
builds what TypeORM's own migration runner builds on a real database.

Each chain's classes are compiled with `tsc` (emit only: the corpus keeps only part of each
project), run by `dataSource.runMigrations()` with no entities (`run_migrations.cjs`) on a fresh
PostgreSQL, MariaDB or SQLite (sql.js: TypeORM's SQLite query runner) database, introspected
(`server/verify`), and compared with the schema our replay builds from the same folder, read as a
user's `[migrations] tool = "typeorm"` entry reads it. TypeORM's own bookkeeping table
(`migrations`) is left out. Zero differences, or a known gap named here with its reason.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest
from schemasense.codegen.schema import Schema
from schemasense.server.migrations.discover import read_set
from schemasense.server.migrations.replay import replay
from schemasense.server.verify import databases
from schemasense.server.verify.compare import compare, format_differences
from schemasense.server.verify.databases import Unavailable, connect, introspect

from tests.conftest import CORPUS, corpus_available
from tests.oracle.typeorm.harness import (
    NODE_MODULES,
    compile_migrations,
    run_migrations,
    unavailable,
)

pytestmark = pytest.mark.oracle

REPO = Path(__file__).resolve().parents[3]
FLOWISE = "typeorm/flowise"
FLOWISE_MIGRATIONS = "packages/server/src/database/migrations"
DATABASE = "src/database/migrations"
TABLE_API = "tests/fixtures/typeorm/table-api"
"""Every Table-API call schemasense reads, in one chain run on each database."""

# label: (project, migrations folder inside it, dialect, in the corpus)
CHAINS = {
    "medusa": ("typeorm/medusa-v1", "packages/medusa/src/migrations", "postgresql", True),
    "jellyseerr-postgres": ("typeorm/jellyseerr", "server/migration/postgres", "postgresql", True),
    "jellyseerr-sqlite": ("typeorm/jellyseerr", "server/migration/sqlite", "sqlite", True),
    "flowise-postgres": (FLOWISE, f"{FLOWISE_MIGRATIONS}/postgres", "postgresql", True),
    "flowise-mysql": (FLOWISE, f"{FLOWISE_MIGRATIONS}/mysql", "mysql", True),
    "flowise-mariadb": (FLOWISE, f"{FLOWISE_MIGRATIONS}/mariadb", "mysql", True),
    "flowise-sqlite": (FLOWISE, f"{FLOWISE_MIGRATIONS}/sqlite", "sqlite", True),
    "awesome-nest": ("typeorm/awesome-nest-boilerplate", DATABASE, "postgresql", True),
    "express-ts": ("typeorm/express-typescript-boilerplate", DATABASE, "postgresql", True),
    "samples-nest": ("samples/typeorm-nest", "src/migrations", "postgresql", False),
    "samples-sqlite": ("samples/typeorm-sqlite", "src/migration", "sqlite", False),
    "table-api-postgres": (TABLE_API, "migrations", "postgresql", False),
    "table-api-mariadb": (TABLE_API, "migrations", "mysql", False),
    "table-api-sqlite": (TABLE_API, "migrations", "sqlite", False),
    "table-api-postgres-only": (f"{TABLE_API}-postgres", "migrations", "postgresql", False),
    "table-api-rename": (f"{TABLE_API}-rename", "migrations", "postgresql", False),
}  # fmt: skip

CANNOT_RUN_FROM_EMPTY: dict[str, str] = {
    # flowise's AddApiKeyPermission (1765360298674) reads the `role` table, which a migration of
    # its enterprise folder creates (not in the corpus, and not in these chains)
    "flowise-sqlite": "no such table: role",
    "flowise-postgres": 'relation "role" does not exist',
    "flowise-mariadb": "role' doesn't exist",
}
"""Chains TypeORM stops in (the error it gives): compared up to the migration it stopped at."""

KNOWN: dict[str, str] = {
    "table-api-rename": (
        "TypeORM's renameTable / renameColumn on PostgreSQL also rename what TypeORM named by "
        "default from the old names (the primary key, unique constraints, indexes, foreign "
        "keys, the serial's sequence), looking the table up in the database; the replay reads "
        "each call into operations before it runs, without the table's state, so it renames "
        "the table or column alone (6 differences: 1 sequence, 1 primary key, 2 unique, 2 index)"
    ),
}
"""Chains whose differences are understood and not fixed: label -> why (see the report)."""

BOOKKEEPING = ("migrations", "typeorm_metadata")


NOT_ON_MARIADB = {
    "flowise-mysql": "utf8mb4_0900_ai_ci",
}
"""Chains written for MySQL 8 that MariaDB (the MySQL-family server here) refuses from their
first migration: label -> what it refuses (flowise's mysql `Init` names MySQL 8's collation)."""


def _project(label: str) -> tuple[Path, Path, str]:
    project, folder, dialect, in_corpus = CHAINS[label]
    root = (CORPUS if in_corpus else REPO) / project
    return root, root / folder, dialect


def _version(project: Path, folder: Path) -> str:
    """The project's TypeORM major line ("0.3" or "1") from the nearest package.json."""
    for where in [folder, *folder.parents]:
        package = where / "package.json"
        if package.is_file():
            data = json.loads(package.read_text())
            for key in ("dependencies", "devDependencies"):
                spec = (data.get(key) or {}).get("typeorm")
                if isinstance(spec, str):
                    return "1" if spec.lstrip("^~").startswith("1") else "0.3"
        if where == project.parent:
            break
    return "0.3"


@pytest.fixture(scope="module")
def servers():
    found: dict[str, object] = {}
    for dialect, make in (
        ("postgresql", databases.postgres_server),
        ("mysql", databases.mysql_server),
    ):
        try:
            found[dialect] = make()
        except Unavailable as exc:
            found[dialect] = str(exc)
    yield found
    for server in found.values():
        if not isinstance(server, str):
            server.close()  # type: ignore[attr-defined]


def _database(label: str, servers, tmp_path: Path) -> tuple[Schema, dict]:
    project, folder, dialect = _project(label)
    compiled = compile_migrations(project, folder, tmp_path / "build", _version(project, folder))
    if dialect == "sqlite":
        path = tmp_path / "typeorm.sqlite"
        ran = run_migrations(compiled, dialect, sqlite_file=str(path))
        schema = introspect(f"sqlite:///{path}")
    else:
        server = servers[dialect]
        if isinstance(server, str):
            pytest.skip(server)
        if dialect == "mysql" and not (NODE_MODULES / "mysql2").is_dir():
            pytest.skip("npm package mysql2 is not installed (TypeORM's MySQL/MariaDB driver)")
        with server.scratch(prefix="ss_typeorm") as url:
            if dialect == "postgresql":
                _uuid_extension(url)
            try:
                ran = run_migrations(compiled, dialect, url=url)
            except AssertionError as error:
                refused = NOT_ON_MARIADB.get(label)
                if refused is not None and refused in str(error) and _is_mariadb(url):
                    pytest.skip(f"{label} is written for MySQL 8: MariaDB refuses {refused}")
                raise
            refused = NOT_ON_MARIADB.get(label)
            if ran["failed"] and refused and refused in ran["failed"] and _is_mariadb(url):
                pytest.skip(f"{label} is written for MySQL 8: MariaDB refuses {refused}")
            schema = introspect(url)
    schema.tables = [t for t in schema.tables if t.name not in BOOKKEEPING]
    return schema, ran


def _is_mariadb(url: str) -> bool:
    conn = connect(url)
    try:
        with conn.cursor() as cur:
            cur.execute("SELECT VERSION()")
            return "mariadb" in str(cur.fetchone()[0]).lower()
    finally:
        conn.close()


def _uuid_extension(url: str) -> None:
    """`uuid-ossp`, which TypeORM's PostgreSQL driver installs when it connects with entities
    that have uuid generated columns (`afterConnect`): chains that call `uuid_generate_v4()`
    without creating it (awesome-nest-boilerplate) rely on it. With no entities the runner does
    not install it, so the oracle does, as the application's start would."""
    conn = connect(url)
    try:
        with conn.cursor() as cur:
            cur.execute('CREATE EXTENSION IF NOT EXISTS "uuid-ossp"')
    finally:
        conn.close()


def _without_checks(schema: Schema) -> Schema:
    """The SQLite introspector reads no CHECK constraints, so they are compared nowhere."""
    for table in schema.tables:
        table.checks = []
    return schema


@pytest.mark.parametrize(
    "label",
    [pytest.param(k, marks=[pytest.mark.corpus] if v[3] else []) for k, v in CHAINS.items()],
)
def test_replay_equals_typeorm_running_the_chain(label: str, servers, tmp_path: Path) -> None:
    reason = unavailable()
    if reason:
        pytest.skip(reason)
    if CHAINS[label][3] and corpus_available():
        pytest.skip(corpus_available())
    _, folder, dialect = _project(label)
    database, ran = _database(label, servers, tmp_path)
    mset = read_set(str(folder), "typeorm", dialect=dialect)
    names = [f.name for f in mset.files]
    assert names[: len(ran["applied"])] == ran["applied"], "TypeORM ran them in another order"
    if ran["failed"] is not None:
        expected = CANNOT_RUN_FROM_EMPTY.get(label)
        assert expected is not None and expected in ran["failed"], ran["failed"]
        # compare what ran: the replay of the same classes, up to the one TypeORM stopped at;
        # on MySQL / MariaDB a DDL statement commits at once, so what the failing migration
        # changed before its failure stays (flowise's `permissions` column), and it is replayed
        ran_files = len(ran["applied"]) + (1 if dialect == "mysql" else 0)
        mset = dataclasses.replace(mset, files=mset.files[:ran_files])
    else:
        assert len(ran["applied"]) == len(names)
    ours = replay(mset).schema
    if dialect == "sqlite":
        ours, database = _without_checks(ours), _without_checks(database)
    differences = compare(ours, database, provider=dialect, exact=dialect == "postgresql")
    if differences and label in KNOWN:
        pytest.xfail(f"{KNOWN[label]}\n{format_differences(differences, limit=30)}")
    assert label not in KNOWN, f"{label} now agrees with TypeORM: remove it from KNOWN"
    assert not differences, (
        f"{label}: {len(differences)} difference(s) between our replay and TypeORM's run:\n"
        + format_differences(differences, limit=200)
    )

"""The proof: replaying a migration folder builds exactly what a real database builds.

For every migration folder of the corpus (and the replay tests' own Prisma-style SQL fixtures:
any folder under tests/ with a `migration_lock.toml`): apply all migrations in order to a real
database, introspect its catalog (`server/verify/introspect_*`), replay the same folder with the
migration reader, and compare (`server/verify/compare.py`). Zero differences; a failure prints
them, one per line.

How each database is given the files, as the migration tool does it:
- PostgreSQL: each `migration.sql` as one script in one transaction (Prisma's way).
- MariaDB: statement by statement.
- SQLite: `executescript` per file.
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass
from pathlib import Path

import pytest
from schemasense.codegen.schema import Schema
from schemasense.server.verify.apply import apply_mysql, apply_postgres
from schemasense.server.verify.compare import Difference, compare, format_differences
from schemasense.server.verify.databases import Server, connect, introspect

from tests.conftest import CORPUS, corpus_available

REPO = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Folder:
    id: str
    path: str  # inside the corpus, or inside the repository for the tests' own fixtures
    dialect: str
    corpus: bool = True

    @property
    def where(self) -> Path:
        return (CORPUS if self.corpus else REPO) / self.path


FOLDERS = [
    Folder("calcom", "calcom/packages/prisma/migrations", "postgresql"),
    Folder("umami-postgresql", "umami/db/postgresql/migrations", "postgresql"),
    Folder("umami-mysql", "umami/db/mysql/migrations", "mysql"),
    Folder("pingvin-share", "pingvin-share/backend/prisma/migrations", "sqlite"),
    Folder("epic-stack", "epic-stack/prisma/migrations", "sqlite"),
]


def _fixture_folders() -> list[Folder]:
    """The replay tests' own Prisma-style migration folders (a `migration_lock.toml` under
    tests/, this folder aside), with the dialect their lock file names."""
    found = []
    for lock in sorted((REPO / "tests").rglob("migration_lock.toml")):
        if "verify" in lock.relative_to(REPO / "tests").parts:
            continue
        m = re.search(r'provider\s*=\s*"(\w+)"', lock.read_text(encoding="utf-8"))
        dialect = {"postgres": "postgresql"}.get(m.group(1), m.group(1)) if m else None
        if dialect in ("postgresql", "mysql", "sqlite"):
            path = lock.parent.relative_to(REPO).as_posix()
            found.append(Folder(f"fixture:{path}", path, dialect, corpus=False))
    return found


FIXTURES = _fixture_folders()


EXACT_TEXT = frozenset({"postgresql"})
"""Dialects whose replay reproduces the database's own text (`format_type`, `pg_get_expr`,
`pg_get_constraintdef`) exactly, so the proof compares it as written, without `normalize`."""


@dataclass(frozen=True)
class KnownGap:
    """Differences the replay is known to get wrong, reported to the migration reader and
    not fixed yet: the proof reports them as an expected failure while every difference is of
    this kind, and fails on anything else. Remove the entry when the replay is fixed."""

    what: str
    left: str
    right: str
    reason: str

    def matches(self, d: Difference) -> bool:
        return (d.what, d.left, d.right) == (self.what, self.left, self.right)


KNOWN_GAPS: dict[str, KnownGap] = {}


def migration_files(folder: Path) -> list[Path]:
    """Prisma's order: the migration folders' names, lexically."""
    return sorted(folder.glob("*/migration.sql"), key=lambda p: p.parent.name)


def _mariadb_excuse(path: Path):
    """What MariaDB may refuse in a file written for MySQL 8, and why that changes no schema.

    umami's `05_add_visit_id/migration.sql` fills the new `visit_id` column with an `UPDATE`
    that calls `BIN_TO_UUID`, a MySQL 8 function MariaDB does not have (error 1305). On an
    empty database the `UPDATE` changes no row and no schema, so it is passed over there and
    nowhere else; every DDL statement of the file still runs.
    """

    def excuse(statement: str, error: Exception) -> bool:
        code = error.args[0] if error.args else None
        return (
            path.parent.name == "05_add_visit_id"
            and code == 1305
            and statement.lstrip().upper().startswith("UPDATE")
            and "BIN_TO_UUID" in statement
        )

    return excuse


def build(folder: Folder, server: Server | None, tmp: Path) -> Schema:
    """Apply every migration of `folder` to a fresh database; what it built."""
    files = migration_files(folder.where)
    assert files, f"no migrations in {folder.path}"
    if folder.dialect == "sqlite":
        path = tmp / f"{folder.id}.db"
        conn = sqlite3.connect(path)
        try:
            for file in files:
                conn.executescript(file.read_text(encoding="utf-8"))
        finally:
            conn.close()
        return introspect(f"sqlite:///{path}")
    assert server is not None
    with server.scratch(prefix="ss_proof") as url:
        conn = connect(url, autocommit=folder.dialect != "postgresql")
        try:
            for file in files:
                sql = file.read_text(encoding="utf-8")
                try:
                    if folder.dialect == "postgresql":
                        apply_postgres(conn, sql)
                    else:
                        apply_mysql(conn, sql, skip=_mariadb_excuse(file))
                except Exception as exc:
                    raise AssertionError(f"{file}: the database refused it: {exc}") from exc
        finally:
            conn.close()
        return introspect(url)


def replayed(folder: Folder) -> Schema:
    """What the migration reader's replay builds from `folder` (its own discovery: the tool,
    the order and the dialect come from the folder, as for a user)."""
    try:
        from schemasense.server.migrations import read_set, replay
    except ImportError as exc:
        pytest.skip(f"the migration replay is not there yet ({exc})")
    migration_set = read_set(str(folder.where))
    assert migration_set is not None, f"no migration set found in {folder.path}"
    assert migration_set.dialect == folder.dialect
    assert [Path(f.path) for f in migration_set.files] == migration_files(folder.where)
    try:
        return replay(migration_set).schema
    except ImportError as exc:  # a dialect's reader still being written
        pytest.skip(f"the {folder.dialect} replay is not there yet ({exc})")


@pytest.fixture(scope="module")
def databases(request: pytest.FixtureRequest) -> dict[str, Server | None]:
    """The servers each dialect needs, or None where there is none (the reason is kept)."""
    found: dict[str, Server | None] = {"sqlite": None}
    for dialect, fixture in (("postgresql", "postgres_server"), ("mysql", "mysql_server")):
        try:
            found[dialect] = request.getfixturevalue(fixture)
        except pytest.skip.Exception as exc:
            found[dialect] = None
            found[f"{dialect}-reason"] = str(exc)  # type: ignore[assignment]
    return found


_BUILT: dict[str, Schema] = {}


@pytest.fixture
def built(databases, tmp_path_factory):
    def get(folder: Folder) -> Schema:
        reason = corpus_available() if folder.corpus else None
        if reason:
            pytest.skip(reason)
        if not folder.where.is_dir():
            pytest.skip(f"{folder.path} is not in the corpus")
        if folder.dialect != "sqlite" and databases.get(folder.dialect) is None:
            pytest.skip(databases.get(f"{folder.dialect}-reason") or f"no {folder.dialect}")
        if folder.id not in _BUILT:
            _BUILT[folder.id] = build(
                folder, databases.get(folder.dialect), tmp_path_factory.mktemp(folder.id)
            )
        return _BUILT[folder.id]

    return get


@pytest.mark.corpus
@pytest.mark.parametrize("folder", FOLDERS, ids=[f.id for f in FOLDERS])
def test_corpus_applies_to_a_real_database(folder: Folder, built) -> None:
    """Every corpus folder applies cleanly, and the introspector reads back what it built."""
    schema = built(folder)
    assert [t for t in schema.tables if t.kind == "table"], "no table was built"
    for table in schema.tables:
        if table.kind == "table":
            assert table.columns, f"{table.name} has no columns"


@pytest.mark.corpus
@pytest.mark.parametrize("folder", FOLDERS, ids=[f.id for f in FOLDERS])
def test_replay_matches_database(folder: Folder, built) -> None:
    database = built(folder)
    replay = replayed(folder)
    differences = compare(
        replay, database, provider=folder.dialect, exact=folder.dialect in EXACT_TEXT
    )
    known = KNOWN_GAPS.get(folder.id)
    if differences and known is not None and all(known.matches(d) for d in differences):
        pytest.xfail(
            f"{len(differences)} known difference(s): {known.reason}\n"
            + format_differences(differences, limit=20)
        )
    assert not differences, (
        f"{folder.path}: {len(differences)} difference(s) between the replay and "
        f"the database:\n{format_differences(differences, limit=200)}"
    )


@pytest.mark.skipif(not FIXTURES, reason="the replay tests keep no Prisma-style SQL fixtures")
@pytest.mark.parametrize("folder", FIXTURES, ids=[f.id for f in FIXTURES])
def test_replay_matches_database_on_fixtures(folder: Folder, built) -> None:
    test_replay_matches_database(folder, built)

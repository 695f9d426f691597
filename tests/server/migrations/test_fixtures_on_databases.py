"""The fixtures' migrations (every statement form the tests name) applied to real databases,
introspected and compared with the replay: zero differences, PostgreSQL's text exactly.

This is `tests/verify`'s proof run on `fixtures/<dialect>/migrations`; it skips, with the
reason, where a server cannot be had (PostgreSQL: the environment's, the local service, or
pgserver; MariaDB: the environment's or the local service; SQLite is in-process).
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from schemasense.server.migrations import read_set, replay
from schemasense.server.verify import databases
from schemasense.server.verify.apply import apply_mysql, apply_postgres
from schemasense.server.verify.compare import compare, format_differences

FIXTURES = Path(__file__).parent / "fixtures"
DIALECTS = ("postgresql", "mysql", "sqlite")


def _server(dialect: str) -> databases.Server:
    try:
        return databases.postgres_server() if dialect == "postgresql" else databases.mysql_server()
    except databases.Unavailable as exc:
        pytest.skip(str(exc))


@pytest.mark.parametrize("dialect", DIALECTS)
def test_fixture_replay_matches_the_database(dialect: str, tmp_path: Path) -> None:
    folder = FIXTURES / dialect / "migrations"
    mset = read_set(str(folder), "prisma", dialect=dialect)
    assert mset is not None and mset.files
    result = replay(mset)
    assert [f.message for f in result.findings if f.severity != "info"] == []
    if dialect == "sqlite":
        path = tmp_path / "fixture.db"
        conn = sqlite3.connect(path)
        for f in mset.files:
            conn.executescript(f.up_text)
        conn.close()
        built = databases.introspect(f"sqlite:///{path}")
    else:
        server = _server(dialect)
        try:
            with server.scratch(prefix="ss_replay") as url:
                conn = databases.connect(url, autocommit=dialect != "postgresql")
                try:
                    for f in mset.files:
                        if dialect == "postgresql":
                            apply_postgres(conn, f.up_text)
                        else:
                            apply_mysql(conn, f.up_text)
                finally:
                    conn.close()
                built = databases.introspect(url)
        finally:
            server.close()
    differences = compare(result.schema, built, provider=dialect, exact=dialect == "postgresql")
    assert not differences, format_differences(differences, limit=100)

"""Real databases for the verify tests (DESIGN.md, "Real parts in tests").

`postgres_server` / `mysql_server` (one per session) come from `server/verify/databases.py`:
the environment's URL, else the local service, else (PostgreSQL only) pgserver; where none can
be had the tests that need one skip with the reason. `postgres_url` / `mysql_url` are a scratch
database per test module, dropped at its end. SQLite runs in-process (`sqlite_url`).
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from schemasense.server.verify import databases
from schemasense.server.verify.databases import Server, Unavailable


def _server(find) -> Iterator[Server]:
    try:
        server = find()
    except Unavailable as exc:
        print(f"\n[verify] {exc}", file=sys.stderr)
        pytest.skip(str(exc))
    try:
        yield server
    finally:
        server.close()


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[Server]:
    yield from _server(databases.postgres_server)


@pytest.fixture(scope="session")
def mysql_server() -> Iterator[Server]:
    yield from _server(databases.mysql_server)


@pytest.fixture(scope="module")
def postgres_url(postgres_server: Server) -> Iterator[str]:
    """A scratch PostgreSQL database for this module (dropped at its end)."""
    with postgres_server.scratch() as url:
        yield url


@pytest.fixture(scope="module")
def mysql_url(mysql_server: Server) -> Iterator[str]:
    """A scratch MySQL/MariaDB database for this module (dropped at its end)."""
    with mysql_server.scratch() as url:
        yield url


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    """An empty SQLite database file for one test."""
    path = tmp_path / "test.db"
    path.touch()
    return f"sqlite:///{path}"

"""A real PostgreSQL for the migration fix proofs (DESIGN.md, "Real parts in tests").

`postgres` is a function that gives a fresh scratch database URL (the environment's server,
else the local service on 127.0.0.1:5432, else pgserver; the tests skip, with the reason,
where none can be had). `run_like_prisma(url, files)` applies migration files the way
`prisma migrate deploy` does on PostgreSQL: each file sent as one query on an autocommit
connection, which PostgreSQL runs as one implicit transaction when it holds several
statements, and outside any transaction when it holds one.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from schemasense.server.verify import databases


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[databases.Server]:
    try:
        server = databases.postgres_server()
    except databases.Unavailable as exc:
        pytest.skip(f"no PostgreSQL to prove the fixes on: {exc}")
    try:
        yield server
    finally:
        server.close()


@pytest.fixture
def postgres(postgres_server: databases.Server):
    """A fresh scratch database per call, dropped at the end of the test."""
    with contextlib.ExitStack() as stack:

        def make() -> str:
            return stack.enter_context(postgres_server.scratch("ss_rules"))

        yield make


def run_like_prisma(url: str, files: list[Path] | list[str]) -> None:
    """Apply each migration file as `prisma migrate deploy` does (see the module doc)."""
    conn = databases.connect(url, autocommit=True)
    try:
        for file in files:
            text = Path(file).read_text()
            conn.execute(text)
    finally:
        conn.close()


def query(url: str, sql: str) -> list[tuple]:
    conn = databases.connect(url, autocommit=True)
    try:
        return list(conn.execute(sql).fetchall())
    finally:
        conn.close()

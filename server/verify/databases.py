"""Database URLs, connections, servers to test against, and scratch databases.

- `connect(url)` opens `postgresql://`, `mysql://` / `mariadb://` or `sqlite:///path` URLs
  (psycopg 3, PyMySQL, sqlite3); `introspect(url)` reads the database into a `Schema`.
- `postgres_server()` / `mysql_server()` find a server to test against, in the order DESIGN.md
  gives: a URL from the environment (`SCHEMASENSE_TEST_POSTGRES_URL`,
  `SCHEMASENSE_TEST_MYSQL_URL`), else the local service on its standard port (PostgreSQL on
  127.0.0.1:5432 as `postgres`, MariaDB on 127.0.0.1:3306 as `root`), else for PostgreSQL an
  embedded server from `pgserver`. Each returns a `Server`, or raises `Unavailable` with the
  reason (for `pytest.skip`).
- `Server.scratch()` creates a database with a random name and drops it on exit, so a test
  module leaves nothing behind.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import sqlite3
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, unquote, urlsplit, urlunsplit

from schemasense.codegen.schema import Schema

POSTGRES_ENV = "SCHEMASENSE_TEST_POSTGRES_URL"
MYSQL_ENV = "SCHEMASENSE_TEST_MYSQL_URL"
LOCAL_POSTGRES = "postgresql://postgres@127.0.0.1:5432/postgres"
LOCAL_MYSQL = "mysql://root@127.0.0.1:3306/"
CONNECT_TIMEOUT = 3

_SCHEMES = {
    "postgresql": "postgresql",
    "postgres": "postgresql",
    "mysql": "mysql",
    "mariadb": "mysql",
    "sqlite": "sqlite",
}


class Unavailable(Exception):
    """No database of the kind asked for can be had here (the message says why)."""


def provider_of(url: str) -> str:
    """`postgresql`, `mysql` or `sqlite` for a database URL; ValueError for anything else."""
    scheme = urlsplit(url).scheme.split("+", 1)[0].lower()
    if scheme not in _SCHEMES:
        raise ValueError(
            f"{url!r}: not a database URL (use postgresql://, mysql://, mariadb:// or sqlite:///)"
        )
    return _SCHEMES[scheme]


def with_database(url: str, database: str) -> str:
    """`url` with its database (the path) replaced."""
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path="/" + quote(database)))


def database_of(url: str) -> str:
    return unquote(urlsplit(url).path.lstrip("/"))


def sqlite_path(url: str) -> str:
    """`sqlite:///rel/path.db` -> `rel/path.db`, `sqlite:////abs/path.db` -> `/abs/path.db`,
    `sqlite://:memory:` and `sqlite:///:memory:` -> `:memory:`."""
    rest = url.split("://", 1)[1]
    if rest in (":memory:", "/:memory:"):
        return ":memory:"
    if not rest.startswith("/"):
        raise ValueError(f"{url!r}: write a SQLite URL as sqlite:///path/to/file.db")
    return unquote(rest[1:])


def connect(url: str, *, autocommit: bool = True) -> Any:
    """A DB-API connection for `url` (the caller closes it)."""
    provider = provider_of(url)
    if provider == "sqlite":
        path = sqlite_path(url)
        if path != ":memory:" and not os.path.exists(path):
            raise FileNotFoundError(f"{path}: no such SQLite database")
        conn = sqlite3.connect(path)
        if autocommit:
            conn.isolation_level = None
        return conn
    if provider == "postgresql":
        import psycopg

        return psycopg.connect(
            _libpq_url(url), autocommit=autocommit, connect_timeout=CONNECT_TIMEOUT
        )
    import pymysql

    parts = urlsplit(url)
    return pymysql.connect(
        host=parts.hostname or "127.0.0.1",
        port=parts.port or 3306,
        user=unquote(parts.username or "root"),
        password=unquote(parts.password or ""),
        database=database_of(url) or None,
        autocommit=autocommit,
        connect_timeout=CONNECT_TIMEOUT,
        charset="utf8mb4",
    )


def _libpq_url(url: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(scheme="postgresql"))


def introspect(url: str) -> Schema:
    """The schema the database at `url` holds (see the `introspect_*` modules)."""
    provider = provider_of(url)
    conn = connect(url)
    try:
        if provider == "postgresql":
            from schemasense.server.verify.introspect_postgres import introspect_postgres

            return introspect_postgres(conn)
        if provider == "mysql":
            from schemasense.server.verify.introspect_mysql import introspect_mysql

            database = database_of(url)
            if not database:
                raise ValueError(f"{url!r}: name the database (mysql://user@host:port/DATABASE)")
            return introspect_mysql(conn, database)
        from schemasense.server.verify.introspect_sqlite import introspect_sqlite

        return introspect_sqlite(conn)
    finally:
        conn.close()


@dataclass
class Server:
    """A database server to test against: `url` names its maintenance database."""

    provider: str
    url: str
    origin: str
    """Where it came from: the environment variable, `local service` or `pgserver`."""
    _close: Callable[[], None] | None = field(default=None, repr=False)

    def close(self) -> None:
        if self._close is not None:
            self._close()
            self._close = None

    @contextlib.contextmanager
    def scratch(self, prefix: str = "ss_verify") -> Iterator[str]:
        """A new, empty database with a random name; its URL. Dropped on exit."""
        name = f"{prefix}_{secrets.token_hex(6)}"
        admin = connect(self.url)
        try:
            with admin.cursor() as cur:
                if self.provider == "postgresql":
                    cur.execute(f'CREATE DATABASE "{name}"')
                else:
                    cur.execute(
                        f"CREATE DATABASE `{name}` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"
                    )
            try:
                yield with_database(self.url, name)
            finally:
                with admin.cursor() as cur:
                    if self.provider == "postgresql":
                        cur.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
                    else:
                        cur.execute(f"DROP DATABASE IF EXISTS `{name}`")
        finally:
            admin.close()


def _reachable(url: str) -> str | None:
    """None when `url` answers; otherwise why not."""
    try:
        conn = connect(url)
    except Exception as exc:
        return f"{type(exc).__name__}: {str(exc).strip().splitlines()[0] if str(exc) else ''}"
    conn.close()
    return None


def postgres_server() -> Server:
    """A PostgreSQL server: the environment's, the local service's, or an embedded one."""
    url = os.environ.get(POSTGRES_ENV)
    if url:
        problem = _reachable(url)
        if problem:
            raise Unavailable(f"{POSTGRES_ENV}={url}: {problem}")
        return Server("postgresql", url, POSTGRES_ENV)
    if _reachable(LOCAL_POSTGRES) is None:
        return Server("postgresql", LOCAL_POSTGRES, "local service")
    try:
        import pgserver
    except ImportError:
        raise Unavailable(
            f"no PostgreSQL: {POSTGRES_ENV} is unset, nothing answers on 127.0.0.1:5432, "
            "and pgserver is not installed"
        ) from None
    folder = tempfile.TemporaryDirectory(prefix="schemasense-pgserver-")
    try:
        server = pgserver.get_server(folder.name, cleanup_mode="stop")
    except Exception as exc:
        folder.cleanup()
        raise Unavailable(f"pgserver could not start PostgreSQL: {exc}") from exc

    def close() -> None:
        server.cleanup()
        folder.cleanup()

    return Server("postgresql", server.get_uri(), "pgserver", close)


def mysql_server() -> Server:
    """A MySQL or MariaDB server: the environment's or the local service's."""
    url = os.environ.get(MYSQL_ENV)
    if url:
        problem = _reachable(url)
        if problem:
            raise Unavailable(f"{MYSQL_ENV}={url}: {problem}")
        return Server("mysql", url, MYSQL_ENV)
    problem = _reachable(LOCAL_MYSQL)
    if problem is None:
        return Server("mysql", LOCAL_MYSQL, "local service")
    raise Unavailable(
        f"no MySQL/MariaDB: {MYSQL_ENV} is unset and 127.0.0.1:3306 does not answer ({problem})"
    )

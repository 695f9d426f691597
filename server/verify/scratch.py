"""Scratch databases for `--verify`: somewhere to build a project's schema that is nobody's.

- `embedded_postgres()`: a private, throwaway PostgreSQL cluster (the machine's own `initdb`
  and `pg_ctl`, found on PATH or under /usr/lib/postgresql/*/bin) in a temporary folder, on
  127.0.0.1 and a free port, removed on exit. PostgreSQL refuses to run as root: as root the
  cluster runs as the `postgres` system user (`runuser`), the way the Debian packages do.
- `scratch_databases(url, n)`: `n` new databases on the server `url` names, each
  `schemasense_verify_<random>`, dropped on exit (the database the URL names is only connected
  to, never changed); for SQLite, `n` files in a temporary folder (the file the URL names is
  never opened).

Both clean up on every exit: a failure, an exception, Ctrl-C.
"""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import socket
import sqlite3
import subprocess
import tempfile
from collections.abc import Iterator

from schemasense.server.verify.databases import (
    Server,
    connect,
    provider_of,
    with_database,
)

PREFIX = "schemasense_verify"


class ScratchError(Exception):
    """No scratch database can be had (the message says why and what to pass instead)."""


def postgres_binaries() -> str | None:
    """The folder holding `initdb` and `pg_ctl`: PATH's, else the newest Debian-style one."""
    found = shutil.which("initdb")
    if found and shutil.which("pg_ctl"):
        return os.path.dirname(os.path.realpath(found))
    versions = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/initdb"),
        key=lambda p: int(p.split("/")[-3]) if p.split("/")[-3].isdigit() else 0,
    )
    return os.path.dirname(versions[-1]) if versions else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _as_owner(argv: list[str]) -> list[str]:
    """`argv` as the `postgres` user when we are root (initdb and postgres refuse root)."""
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        runuser = shutil.which("runuser")
        if runuser is None:
            raise ScratchError(
                "running as root, and no `runuser` to start PostgreSQL as another "
                "user: pass --verify postgresql://... instead"
            )
        return [runuser, "-u", "postgres", "--", *argv]
    return argv


@contextlib.contextmanager
def embedded_postgres() -> Iterator[str]:
    """A private PostgreSQL cluster; the URL of its `postgres` database. Removed on exit."""
    bindir = postgres_binaries()
    if bindir is None:
        raise ScratchError(
            "no PostgreSQL binaries (initdb, pg_ctl) on PATH or in /usr/lib/postgresql/*/bin "
            "for an embedded PostgreSQL: install PostgreSQL, or pass a server to verify on "
            "(--verify postgresql://user@host:port/db)"
        )
    folder = tempfile.mkdtemp(prefix="schemasense-verify-pg-")
    data, sockets = os.path.join(folder, "data"), os.path.join(folder, "sock")
    os.mkdir(sockets)
    os.chmod(folder, 0o755)
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        try:
            shutil.chown(folder, "postgres")
            shutil.chown(sockets, "postgres")
        except (LookupError, OSError) as exc:
            shutil.rmtree(folder, ignore_errors=True)
            raise ScratchError(
                f"running as root, and no `postgres` user to run PostgreSQL as ({exc}): "
                "pass --verify postgresql://... instead"
            ) from None
    port = _free_port()
    started = False
    try:
        _run(
            _as_owner(
                [
                    os.path.join(bindir, "initdb"),
                    "-D",
                    data,
                    "-U",
                    "postgres",
                    "--auth=trust",
                    "-E",
                    "UTF8",
                    "--no-sync",
                ]
            ),
            "initdb",
        )
        options = (
            f"-c listen_addresses=127.0.0.1 -p {port} -k {sockets} -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off"
        )
        _run(
            _as_owner(
                [
                    os.path.join(bindir, "pg_ctl"),
                    "-D",
                    data,
                    "-l",
                    os.path.join(folder, "log"),
                    "-w",
                    "-t",
                    "60",
                    "-o",
                    options,
                    "start",
                ]
            ),
            "pg_ctl start",
        )
        started = True
        yield f"postgresql://postgres@127.0.0.1:{port}/postgres"
    finally:
        if started:
            subprocess.run(
                _as_owner(
                    [os.path.join(bindir, "pg_ctl"), "-D", data, "-m", "immediate", "-w", "stop"]
                ),
                capture_output=True,
                timeout=60,
                check=False,
            )
        shutil.rmtree(folder, ignore_errors=True)


def _run(argv: list[str], what: str) -> None:
    proc = subprocess.run(argv, capture_output=True, text=True, timeout=120, check=False)
    if proc.returncode != 0:
        tail = (proc.stderr or proc.stdout).strip().splitlines()[-3:]
        raise ScratchError(f"embedded PostgreSQL: {what} failed: {' '.join(tail)}")


@contextlib.contextmanager
def scratch_databases(url: str, count: int = 2) -> Iterator[list[str]]:
    """`count` new empty databases on `url`'s server (or SQLite files); their URLs. Every one
    is dropped on exit, whatever happens."""
    provider = provider_of(url)
    if provider == "sqlite":
        folder = tempfile.mkdtemp(prefix="schemasense-verify-sqlite-")
        try:
            urls = []
            for i in range(count):
                path = os.path.join(folder, f"{PREFIX}_{i}.db")
                sqlite3.connect(path).close()
                urls.append("sqlite:///" + path)
            yield urls
        finally:
            shutil.rmtree(folder, ignore_errors=True)
        return
    try:
        connect(url).close()
    except Exception as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise ScratchError(f"{_safe(url)} does not answer: {first}") from None
    server = Server(provider, url, "--verify")
    with contextlib.ExitStack() as stack:
        yield [stack.enter_context(server.scratch(PREFIX)) for _ in range(count)]


def _safe(url: str) -> str:
    """The URL without its password, for messages."""
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@")
    return urlunsplit(parts._replace(netloc=netloc))


def leftovers(url: str) -> list[str]:
    """The scratch databases this module's prefix names on `url`'s server (for tests and for
    a user who killed the process with SIGKILL)."""
    provider = provider_of(url)
    conn = connect(url)
    try:
        with conn.cursor() as cur:
            if provider == "postgresql":
                cur.execute(
                    "SELECT datname FROM pg_database WHERE datname LIKE %s", (PREFIX + "%",)
                )
            else:
                cur.execute("SHOW DATABASES LIKE %s", (PREFIX + "%",))
            return sorted(row[0] for row in cur.fetchall())
    finally:
        conn.close()


__all__ = [
    "PREFIX",
    "ScratchError",
    "embedded_postgres",
    "leftovers",
    "postgres_binaries",
    "scratch_databases",
    "with_database",
]

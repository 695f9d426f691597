"""Build a schema from migration scripts on a real database and read back what it holds.

`Sandbox.build(scripts)` empties the database, applies each script in order as its migration
tool would (PostgreSQL: one transaction per script; MySQL: statement by statement; SQLite:
`executescript`), and returns the introspected `Schema`. One sandbox (one database) serves a
whole test module, so a case costs a reset rather than a `CREATE DATABASE`.
"""

from __future__ import annotations

import sqlite3
import tempfile
from pathlib import Path
from typing import Any

from schemasense.codegen.schema import Schema
from schemasense.server.verify.apply import apply_mysql, apply_postgres
from schemasense.server.verify.databases import connect, database_of
from schemasense.server.verify.introspect_mysql import introspect_mysql
from schemasense.server.verify.introspect_postgres import introspect_postgres
from schemasense.server.verify.introspect_sqlite import introspect_sqlite


class Sandbox:
    def __init__(self, provider: str, url: str | None = None) -> None:
        self.provider = provider
        self.url = url
        self._tmp: tempfile.TemporaryDirectory | None = None
        self.conn: Any = None
        if provider == "postgresql" or provider == "mysql":
            self.conn = connect(url or "", autocommit=True)
        else:
            self._tmp = tempfile.TemporaryDirectory(prefix="ss-sqlite-")
        self.runs = 0

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
        if self._tmp is not None:
            self._tmp.cleanup()

    def reset(self) -> None:
        if self.provider == "postgresql":
            rows = self.conn.execute(
                "SELECT nspname FROM pg_namespace WHERE nspname NOT IN "
                "('pg_catalog', 'information_schema', 'pg_toast') "
                "AND nspname NOT LIKE 'pg\\_temp\\_%' AND nspname NOT LIKE 'pg\\_toast\\_temp\\_%'"
            ).fetchall()
            for (name,) in rows:
                self.conn.execute(f'DROP SCHEMA "{name}" CASCADE')
            self.conn.execute('CREATE SCHEMA "public"')
        elif self.provider == "mysql":
            with self.conn.cursor() as cur:
                cur.execute("SET FOREIGN_KEY_CHECKS=0")
                cur.execute(
                    "SELECT table_name FROM information_schema.tables WHERE table_schema = %s",
                    (database_of(self.url or ""),),
                )
                for (name,) in cur.fetchall():
                    cur.execute(f"DROP TABLE `{name}`")
                cur.execute("SET FOREIGN_KEY_CHECKS=1")

    def apply(self, sql: str) -> None:
        if self.provider == "postgresql":
            apply_postgres(self.conn, sql)
        elif self.provider == "mysql":
            apply_mysql(self.conn, sql)
        else:
            self.sqlite.executescript(sql)

    def introspect(self) -> Schema:
        if self.provider == "postgresql":
            return introspect_postgres(self.conn)
        if self.provider == "mysql":
            return introspect_mysql(self.conn, database_of(self.url or ""))
        return introspect_sqlite(self.sqlite)

    def build(self, scripts: list[str]) -> Schema:
        """Empty the database, run `scripts` in order, and read back what it holds."""
        self.runs += 1
        if self.provider == "sqlite":
            assert self._tmp is not None
            if getattr(self, "sqlite", None) is not None:
                self.sqlite.close()
            path = Path(self._tmp.name) / f"run{self.runs}.db"
            self.sqlite = sqlite3.connect(path)
            self.sqlite.isolation_level = None
        else:
            self.reset()
        for sql in scripts:
            self.apply(sql)
        return self.introspect()

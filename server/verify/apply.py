"""Apply SQL to a real database the way a migration tool does.

- PostgreSQL: a whole file as one script in one transaction (Prisma's way: a failing statement
  rolls the file back). A file that runs `CREATE INDEX CONCURRENTLY` or `ALTER TYPE ... ADD
  VALUE` before PostgreSQL 12 cannot run in a transaction; `transaction=False` runs it as
  one script without one.
- MySQL / MariaDB: statement by statement (MySQL's DDL commits itself, so there is no
  transaction to speak of), split by `split_statements`.
- SQLite: `executescript`.

`apply(url, sql)` picks by the URL; each returns nothing and raises the driver's error, with
the failing statement in `StatementError` for MySQL.
"""

from __future__ import annotations

from typing import Any

from schemasense.server.verify.databases import connect, provider_of


class StatementError(Exception):
    """A statement failed: `statement` is its text, `error` the driver's exception."""

    def __init__(self, statement: str, error: Exception) -> None:
        super().__init__(f"{error}\n  in: {statement.strip()[:300]}")
        self.statement = statement
        self.error = error

    @property
    def code(self) -> int | None:
        args = getattr(self.error, "args", ())
        return args[0] if args and isinstance(args[0], int) else None


def apply(url: str, sql: str, *, transaction: bool = True) -> None:
    provider = provider_of(url)
    conn = connect(url, autocommit=provider != "postgresql" or not transaction)
    try:
        if provider == "postgresql":
            apply_postgres(conn, sql, transaction=transaction)
        elif provider == "mysql":
            apply_mysql(conn, sql)
        else:
            conn.executescript(sql)
    finally:
        conn.close()


def apply_postgres(conn: Any, sql: str, *, transaction: bool = True) -> None:
    """Run `sql` as one script on a psycopg 3 connection (in one transaction unless not)."""
    if transaction:
        with conn.transaction():
            conn.execute(sql)
    else:
        conn.execute(sql)


def apply_mysql(conn: Any, sql: str, skip: Any = None) -> list[tuple[str, Exception]]:
    """Run `sql` statement by statement on a PyMySQL connection. `skip(statement, error)`
    may excuse a failure (the caller's reason); what it excused is returned."""
    excused: list[tuple[str, Exception]] = []
    with conn.cursor() as cur:
        for statement in split_statements(sql, "mysql"):
            try:
                cur.execute(statement)
            except Exception as exc:
                if skip is not None and skip(statement, exc):
                    excused.append((statement, exc))
                    continue
                raise StatementError(statement, exc) from exc
    return excused


def split_statements(sql: str, dialect: str = "mysql") -> list[str]:
    """The statements of a script, split on `;` outside quotes and comments (what the
    `mysql` client does without a `DELIMITER` command). Empty statements are left out."""
    out: list[str] = []
    start, i, n = 0, 0, len(sql)
    backslash = dialect == "mysql"
    while i < n:
        ch = sql[i]
        if ch in "'\"`":
            j = i + 1
            while j < n:
                if backslash and sql[j] == "\\" and ch != "`":
                    j += 2
                    continue
                if sql[j] == ch:
                    if j + 1 < n and sql[j + 1] == ch:
                        j += 2
                        continue
                    break
                j += 1
            i = j + 1
        elif sql.startswith("--", i) or (ch == "#" and dialect == "mysql"):
            newline = sql.find("\n", i)
            i = n if newline < 0 else newline + 1
        elif sql.startswith("/*", i):
            end = sql.find("*/", i + 2)
            i = n if end < 0 else end + 2
        elif ch == ";":
            out.append(sql[start:i])
            i += 1
            start = i
        else:
            i += 1
    out.append(sql[start:])
    return [s for s in out if _has_code(s, dialect)]


def _has_code(statement: str, dialect: str) -> bool:
    """Whether a piece holds anything but whitespace and comments."""
    i, n = 0, len(statement)
    while i < n:
        if statement[i].isspace():
            i += 1
        elif statement.startswith("--", i) or (statement[i] == "#" and dialect == "mysql"):
            newline = statement.find("\n", i)
            i = n if newline < 0 else newline + 1
        elif statement.startswith("/*", i):
            end = statement.find("*/", i + 2)
            i = n if end < 0 else end + 2
        else:
            return True
    return False

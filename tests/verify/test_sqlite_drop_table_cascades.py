"""DB240 against SQLite itself (the standard library's sqlite3): a table redefinition that
drops a referenced table, run the four ways a migration can run, and what happens to the
child table's rows, beside what DB240 reports for the same file.

SQLite's rules this pins (its foreign key documentation, section 5 and 4.2):
- `PRAGMA foreign_keys=OFF` is a no-op inside a transaction;
- `DROP TABLE` of a parent runs an implicit `DELETE FROM`, whose `ON DELETE` actions run;
- `PRAGMA defer_foreign_keys=ON` defers the check of NO ACTION keys to the commit (by then
  the new table is renamed into place) but not the actions (CASCADE still deletes) — the
  data loss prisma/orm#24540 reports on Cloudflare D1.
"""

from __future__ import annotations

import sqlite3

import pytest

from tests.server.rules.migration_helpers import lint_migrations, write_migrations

PARENT = 'CREATE TABLE "User" ("id" TEXT NOT NULL PRIMARY KEY, "email" TEXT);\n'
CHILD = (
    'CREATE TABLE "Share" ("id" TEXT NOT NULL PRIMARY KEY, "userId" TEXT, CONSTRAINT '
    '"Share_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id"){action});\n'
)
REDEFINE = (
    "PRAGMA foreign_keys=OFF;\n"
    'CREATE TABLE "new_User" ("id" TEXT NOT NULL PRIMARY KEY, "email" TEXT NOT NULL);\n'
    'INSERT INTO "new_User" ("id", "email") SELECT "id", "email" FROM "User";\n'
    'DROP TABLE "User";\n'
    'ALTER TABLE "new_User" RENAME TO "User";\n'
    "PRAGMA foreign_keys=ON;\n"
)
DEFERRED = "PRAGMA defer_foreign_keys=ON;\n" + REDEFINE + "PRAGMA defer_foreign_keys=OFF;\n"
ACTIONS = {"cascade": " ON DELETE CASCADE", "set null": " ON DELETE SET NULL", "no action": ""}


def run(tmp_path, action: str, script: str, wrapped: bool) -> str:
    """What happens to the child's rows: "kept", "deleted", "nulled" or "failed"."""
    conn = sqlite3.connect(tmp_path / "db.sqlite", isolation_level=None)
    conn.execute("PRAGMA foreign_keys=ON")  # what an application connection does
    conn.executescript(PARENT + CHILD.format(action=ACTIONS[action]))
    conn.executescript(
        "INSERT INTO \"User\" VALUES ('u1', 'a@x'), ('u2', 'b@x');"
        "INSERT INTO \"Share\" VALUES ('s1', 'u1'), ('s2', 'u2');"
    )
    try:
        conn.executescript(("BEGIN;\n" + script + "COMMIT;\n") if wrapped else script)
    except sqlite3.IntegrityError:
        return "failed"
    finally:
        rows = conn.execute('SELECT "userId" FROM "Share" ORDER BY "id"').fetchall()
        conn.close()
    if not rows:
        return "deleted"
    return "nulled" if all(r[0] is None for r in rows) else "kept"


def reported(tmp_path, action: str, script: str, wrapped: bool) -> bool:
    root = tmp_path / "project"
    write_migrations(
        root,
        {"20240101000000_init": PARENT + CHILD.format(action=ACTIONS[action]),
         "20240102000000_next": script},
        "sqlite",
    )  # fmt: skip
    config = f'[migrations]\ntransaction = "{"per-file" if wrapped else "none"}"\n'
    return bool(lint_migrations(root, "DB240", config=config)[0])


CASES = [
    # action, deferred, wrapped in a transaction -> what SQLite does to the child rows
    ("cascade", False, False, "kept"),  # Prisma's own runner: the pragma works
    ("cascade", True, False, "kept"),
    ("cascade", False, True, "deleted"),  # the pragma is a no-op in the transaction
    ("cascade", True, True, "deleted"),  # deferring does not stop the action
    ("set null", True, True, "nulled"),
    ("no action", True, True, "kept"),  # checked at the commit, after the rename
    ("no action", False, True, "failed"),  # checked at once: the DROP fails
    ("no action", False, False, "kept"),
]


@pytest.mark.parametrize(("action", "deferred", "wrapped", "outcome"), CASES)
def test_db240_reports_exactly_the_runs_that_change_or_fail(
    tmp_path, action, deferred, wrapped, outcome
):
    script = DEFERRED if deferred else REDEFINE
    (tmp_path / "db").mkdir()
    assert run(tmp_path / "db", action, script, wrapped) == outcome
    assert reported(tmp_path, action, script, wrapped) == (outcome != "kept")

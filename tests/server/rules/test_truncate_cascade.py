"""DB219 truncate-cascade (Squawk: ban-truncate-cascade)."""

from __future__ import annotations

from inline_snapshot import snapshot

from tests.server.rules.migration_helpers import lint_migrations, report, write_migrations

INIT = 'CREATE TABLE "Post" ("id" SERIAL PRIMARY KEY, "title" TEXT NOT NULL, "authorId" INTEGER);\n'


def test_ok(tmp_path):
    write_migrations(
        tmp_path, {"20240101000000_init": INIT, "20240102000000_next": 'TRUNCATE "Post";\n'}
    )
    assert lint_migrations(tmp_path, "DB219")[0] == []


def test_err(tmp_path):
    write_migrations(
        tmp_path, {"20240101000000_init": INIT, "20240102000000_next": 'TRUNCATE "Post" CASCADE;\n'}
    )
    assert report(tmp_path, "DB219") == snapshot("""\
prisma/migrations/20240102000000_next/migration.sql:1:1: warning[DB219] TRUNCATE ... CASCADE also empties every table that references these, recursively
  |
1 | TRUNCATE "Post" CASCADE;
  | ^^^^^^^^^^^^^^^^^^^^^^^
  = help: list the tables to empty instead of CASCADE
""")

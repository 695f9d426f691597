"""DB214 drop-database (Squawk: ban-drop-database)."""

from __future__ import annotations

from inline_snapshot import snapshot

from tests.server.rules.migration_helpers import lint_migrations, report, write_migrations

INIT = 'CREATE TABLE "Post" ("id" SERIAL PRIMARY KEY, "title" TEXT NOT NULL, "authorId" INTEGER);\n'


def test_ok(tmp_path):
    write_migrations(
        tmp_path,
        {"20240101000000_init": INIT, "20240102000000_next": 'DROP TABLE IF EXISTS "Nope";\n'},
    )
    assert lint_migrations(tmp_path, "DB214")[0] == []


def test_err(tmp_path):
    write_migrations(
        tmp_path,
        {"20240101000000_init": INIT, "20240102000000_next": 'DROP DATABASE "analytics";\n'},
    )
    assert report(tmp_path, "DB214") == snapshot("""\
prisma/migrations/20240102000000_next/migration.sql:1:1: error[DB214] DROP DATABASE in a migration destroys every environment it runs on
  |
1 | DROP DATABASE "analytics";
  | ^^^^^^^^^^^^^^^^^^^^^^^^^
  = help: drop databases by hand, outside migrations
""")

"""DB218 transaction-control-in-migration (Squawk: transaction-nesting)."""

from __future__ import annotations

from inline_snapshot import snapshot

from tests.server.rules.migration_helpers import lint_migrations, report, write_migrations

INIT = 'CREATE TABLE "Post" ("id" SERIAL PRIMARY KEY, "title" TEXT NOT NULL, "authorId" INTEGER);\n'


def test_ok(tmp_path):
    write_migrations(
        tmp_path,
        {
            "20240101000000_init": INIT,
            "20240102000000_next": 'ALTER TABLE "Post" ADD COLUMN "x" TEXT;\n',
        },
    )
    assert lint_migrations(tmp_path, "DB218")[0] == []


def test_err(tmp_path):
    write_migrations(
        tmp_path,
        {
            "20240101000000_init": INIT,
            "20240102000000_next": 'BEGIN;\nALTER TABLE "Post" ADD COLUMN "x" TEXT;\nCOMMIT;\n',
        },
    )
    assert report(tmp_path, "DB218") == snapshot("""\
prisma/migrations/20240102000000_next/migration.sql:1:1: warning[DB218] BEGIN in a migration that prisma already runs in a transaction
  |
1 | BEGIN;
  | ^^^^^
  = help: remove BEGIN / COMMIT: the runner wraps the file
""")

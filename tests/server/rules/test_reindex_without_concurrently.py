"""DB224 reindex-without-concurrently (Squawk: require-concurrent-reindex)."""

from __future__ import annotations

from inline_snapshot import snapshot

from tests.server.rules.migration_helpers import lint_migrations, report, write_migrations

INIT = 'CREATE TABLE "Post" ("id" SERIAL PRIMARY KEY, "title" TEXT NOT NULL, "authorId" INTEGER);\n'


def test_ok(tmp_path):
    write_migrations(
        tmp_path,
        {
            "20240101000000_init": INIT,
            "20240102000000_next": 'REINDEX INDEX CONCURRENTLY "Post_pkey";\n',
        },
    )
    assert lint_migrations(tmp_path, "DB224")[0] == []


def test_err(tmp_path):
    write_migrations(
        tmp_path,
        {"20240101000000_init": INIT, "20240102000000_next": 'REINDEX INDEX "Post_pkey";\n'},
    )
    assert report(tmp_path, "DB224") == snapshot("""\
prisma/migrations/20240102000000_next/migration.sql:1:1: warning[DB224] REINDEX without CONCURRENTLY blocks writes to the table and every query that uses the index until the rebuild ends
  |
1 | REINDEX INDEX "Post_pkey";
  | ^^^^^^^^^^^^^^^^^^^^^^^^^
  = help: REINDEX ... CONCURRENTLY, in a migration of its own
""")

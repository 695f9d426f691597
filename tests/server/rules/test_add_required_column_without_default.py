"""DB207 add-required-column-without-default (Squawk: adding-required-field)."""

from __future__ import annotations

from inline_snapshot import snapshot

from tests.server.rules.migration_helpers import lint_migrations, report, write_migrations

INIT = 'CREATE TABLE "Post" ("id" SERIAL PRIMARY KEY, "title" TEXT NOT NULL, "authorId" INTEGER);\n'


def test_ok(tmp_path):
    write_migrations(
        tmp_path,
        {
            "20240101000000_init": INIT,
            "20240102000000_next": 'ALTER TABLE "Post" ADD COLUMN "slug" TEXT, ADD COLUMN "views" INTEGER NOT NULL DEFAULT 0;\n',
        },
    )
    assert lint_migrations(tmp_path, "DB207")[0] == []


def test_err(tmp_path):
    write_migrations(
        tmp_path,
        {
            "20240101000000_init": INIT,
            "20240102000000_next": 'ALTER TABLE "Post" ADD COLUMN "slug" TEXT NOT NULL;\n',
        },
    )
    assert report(tmp_path, "DB207") == snapshot("""\
prisma/migrations/20240102000000_next/migration.sql:1:1: warning[DB207] Adding required column "slug" to "Post" without a default fails as soon as the table has a row
  |
1 | ALTER TABLE "Post" ADD COLUMN "slug" TEXT NOT NULL;
  | ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
  = help: add it nullable, backfill, then SET NOT NULL; or give it a default
""")

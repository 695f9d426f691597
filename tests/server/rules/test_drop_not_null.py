"""DB215 drop-not-null (Squawk: ban-drop-not-null)."""

from __future__ import annotations

from inline_snapshot import snapshot

from tests.server.rules.migration_helpers import lint_migrations, report, write_migrations

INIT = 'CREATE TABLE "Post" ("id" SERIAL PRIMARY KEY, "title" TEXT NOT NULL, "authorId" INTEGER);\n'


def test_ok(tmp_path):
    write_migrations(
        tmp_path,
        {
            "20240101000000_init": INIT,
            "20240102000000_next": 'ALTER TABLE "Post" ALTER COLUMN "authorId" SET DEFAULT 1;\n',
        },
    )
    assert lint_migrations(tmp_path, "DB215")[0] == []


def test_err(tmp_path):
    write_migrations(
        tmp_path,
        {
            "20240101000000_init": INIT,
            "20240102000000_next": 'ALTER TABLE "Post" ALTER COLUMN "title" DROP NOT NULL;\n',
        },
    )
    assert report(tmp_path, "DB215") == snapshot("""\
prisma/migrations/20240102000000_next/migration.sql:1:1: info[DB215] "Post"."title" becomes nullable: code that assumes a value may now read NULL
  |
1 | ALTER TABLE "Post" ALTER COLUMN "title" DROP NOT NULL;
  | ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
  = help: deploy code that handles NULL before the migration
""")

"""DB209 change-column-type (Squawk: changing-column-type)."""

from __future__ import annotations

from inline_snapshot import snapshot

from tests.server.rules.migration_helpers import lint_migrations, report, write_migrations

INIT = 'CREATE TABLE "Post" ("id" SERIAL PRIMARY KEY, "title" TEXT NOT NULL, "authorId" INTEGER);\n'


def test_ok(tmp_path):
    write_migrations(
        tmp_path,
        {
            "20240101000000_init": INIT,
            "20240102000000_next": 'ALTER TABLE "Post" ALTER COLUMN "title" SET DATA TYPE TEXT;\n',
        },
    )
    assert lint_migrations(tmp_path, "DB209")[0] == []


def test_err(tmp_path):
    write_migrations(
        tmp_path,
        {
            "20240101000000_init": INIT,
            "20240102000000_next": 'ALTER TABLE "Post" ALTER COLUMN "authorId" SET DATA TYPE BIGINT;\n',
        },
    )
    assert report(tmp_path, "DB209") == snapshot("""\
prisma/migrations/20240102000000_next/migration.sql:1:1: warning[DB209] Changing the type of "authorId" to bigint takes an ACCESS EXCLUSIVE lock on "Post" (blocks every read and write of the table, SELECT included) and rewrites the whole table while holding it (unless the change is binary-coercible)
  |
1 | ALTER TABLE "Post" ALTER COLUMN "authorId" SET DATA TYPE BIGINT;
  | ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
  = help: expand (new column), backfill in batches, contract (drop the old one)
""")

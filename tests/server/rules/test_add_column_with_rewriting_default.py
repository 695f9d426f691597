"""DB206 add-column-with-rewriting-default (Squawk: adding-field-with-default)."""

from __future__ import annotations

from inline_snapshot import snapshot

from tests.server.rules.migration_helpers import lint_migrations, report, write_migrations

INIT = 'CREATE TABLE "Post" ("id" SERIAL PRIMARY KEY, "title" TEXT NOT NULL, "authorId" INTEGER);\n'


def test_ok(tmp_path):
    write_migrations(
        tmp_path,
        {
            "20240101000000_init": INIT,
            "20240102000000_next": 'ALTER TABLE "Post" ADD COLUMN "status" TEXT NOT NULL DEFAULT \'draft\', ADD COLUMN "at" TIMESTAMPTZ DEFAULT now();\n',
        },
    )
    assert lint_migrations(tmp_path, "DB206")[0] == []


def test_err(tmp_path):
    write_migrations(
        tmp_path,
        {
            "20240101000000_init": INIT,
            "20240102000000_next": 'ALTER TABLE "Post" ADD COLUMN "uid" TEXT DEFAULT gen_random_uuid()::text;\nALTER TABLE "Post" ADD COLUMN "n" SERIAL;\n',
        },
    )
    assert report(tmp_path, "DB206") == snapshot("""\
prisma/migrations/20240102000000_next/migration.sql:1:1: warning[DB206] Adding "uid" with a volatile default (gen_random_uuid()) takes an ACCESS EXCLUSIVE lock on "Post" (blocks every read and write of the table, SELECT included) and rewrites the whole table while holding it
  |
1 | ALTER TABLE "Post" ADD COLUMN "uid" TEXT DEFAULT gen_random_uuid()::text;
  | ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
  = help: add the column without it, set the default, and backfill in batches

prisma/migrations/20240102000000_next/migration.sql:2:1: warning[DB206] Adding "n" with a sequence default (integer serial) takes an ACCESS EXCLUSIVE lock on "Post" (blocks every read and write of the table, SELECT included) and rewrites the whole table while holding it
  |
2 | ALTER TABLE "Post" ADD COLUMN "n" SERIAL;
  | ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
  = help: add the column without it, set the default, and backfill in batches
""")

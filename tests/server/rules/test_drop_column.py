"""DB212 drop-column (Squawk: ban-drop-column)."""

from __future__ import annotations

from inline_snapshot import snapshot

from tests.server.rules.migration_helpers import lint_migrations, report, write_migrations

INIT = 'CREATE TABLE "Post" ("id" SERIAL PRIMARY KEY, "title" TEXT NOT NULL, "authorId" INTEGER);\n'


def test_ok(tmp_path):
    write_migrations(
        tmp_path,
        {
            "20240101000000_init": INIT,
            "20240102000000_next": 'CREATE TABLE "T" ("a" INT, "b" INT);\nALTER TABLE "T" DROP COLUMN "b";\n',
        },
    )
    assert lint_migrations(tmp_path, "DB212")[0] == []


def test_err(tmp_path):
    write_migrations(
        tmp_path,
        {
            "20240101000000_init": INIT,
            "20240102000000_next": 'ALTER TABLE "Post" DROP COLUMN "authorId";\n',
        },
    )
    assert report(tmp_path, "DB212") == snapshot("""\
prisma/migrations/20240102000000_next/migration.sql:1:1: warning[DB212] Dropping column "authorId" of "Post" deletes its data and breaks every running instance that still selects it
  |
1 | ALTER TABLE "Post" DROP COLUMN "authorId";
  | ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
  = help: deploy the code without the field first; drop the column in a later release
""")

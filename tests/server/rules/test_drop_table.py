"""DB213 drop-table (Squawk: ban-drop-table)."""

from __future__ import annotations

from inline_snapshot import snapshot

from tests.server.rules.migration_helpers import lint_migrations, report, write_migrations

INIT = 'CREATE TABLE "Post" ("id" SERIAL PRIMARY KEY, "title" TEXT NOT NULL, "authorId" INTEGER);\n'


def test_ok(tmp_path):
    write_migrations(
        tmp_path,
        {
            "20240101000000_init": INIT,
            "20240102000000_next": 'CREATE TABLE "T" ("a" INT);\nDROP TABLE "T";\n',
        },
    )
    assert lint_migrations(tmp_path, "DB213")[0] == []


def test_err(tmp_path):
    write_migrations(
        tmp_path, {"20240101000000_init": INIT, "20240102000000_next": 'DROP TABLE "Post";\n'}
    )
    assert report(tmp_path, "DB213") == snapshot("""\
prisma/migrations/20240102000000_next/migration.sql:1:1: warning[DB213] Dropping table "Post" deletes its data and breaks every running instance that still queries it
  |
1 | DROP TABLE "Post";
  | ^^^^^^^^^^^^^^^^^
  = help: deploy the code without the model first; drop the table later
""")

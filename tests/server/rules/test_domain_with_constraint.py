"""DB220 domain-with-constraint (Squawk: ban-create-domain-with-constraint)."""

from __future__ import annotations

from inline_snapshot import snapshot

from tests.server.rules.migration_helpers import lint_migrations, report, write_migrations

INIT = 'CREATE TABLE "Post" ("id" SERIAL PRIMARY KEY, "title" TEXT NOT NULL, "authorId" INTEGER);\n'


def test_ok(tmp_path):
    write_migrations(
        tmp_path,
        {"20240101000000_init": INIT, "20240102000000_next": 'CREATE DOMAIN "Email" AS TEXT;\n'},
    )
    assert lint_migrations(tmp_path, "DB220")[0] == []


def test_err(tmp_path):
    write_migrations(
        tmp_path,
        {
            "20240101000000_init": INIT,
            "20240102000000_next": 'CREATE DOMAIN "Email" AS TEXT CHECK (VALUE ~ \'@\');\nALTER DOMAIN "Email" ADD CONSTRAINT "c" CHECK (VALUE <> \'\');\n',
        },
    )
    assert report(tmp_path, "DB220") == snapshot("""\
prisma/migrations/20240102000000_next/migration.sql:1:1: warning[DB220] A domain with a CHECK constraint: changing the rule later checks every column that uses the domain, under lock
  |
1 | CREATE DOMAIN "Email" AS TEXT CHECK (VALUE ~ '@');
  | ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
  = help: check on the table instead (ADD CONSTRAINT ... CHECK ... NOT VALID)

prisma/migrations/20240102000000_next/migration.sql:2:1: warning[DB220] ALTER DOMAIN ... ADD CONSTRAINT checks every column of every table that uses the domain, under lock
  |
2 | ALTER DOMAIN "Email" ADD CONSTRAINT "c" CHECK (VALUE <> '');
  | ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
  = help: check on the tables instead (ADD CONSTRAINT ... CHECK ... NOT VALID)
""")

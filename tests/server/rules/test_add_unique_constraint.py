"""DB205 add-unique-constraint (Squawk: disallowed-unique-constraint)."""

from __future__ import annotations

from inline_snapshot import snapshot

from tests.server.rules.conftest import query, run_like_prisma
from tests.server.rules.migration_helpers import (
    apply_fixes,
    lint_migrations,
    migration_files,
    report,
    write_migrations,
)

INIT = 'CREATE TABLE "User" ("id" SERIAL PRIMARY KEY, "email" TEXT);\nINSERT INTO "User" ("email") VALUES (\'a@b.c\');\n'
UNIQUE = 'ALTER TABLE "User" ADD CONSTRAINT "User_email_key" UNIQUE ("email");\n'


def test_ok_using_index(tmp_path):
    write_migrations(
        tmp_path,
        {
            "20240101000000_init": INIT,
            "20240102000000_u": 'ALTER TABLE "User" ADD CONSTRAINT "User_email_key" UNIQUE USING INDEX "i";\n',
        },
    )
    assert lint_migrations(tmp_path, "DB205")[0] == []


def test_err(tmp_path):
    write_migrations(tmp_path, {"20240101000000_init": INIT, "20240102000000_u": UNIQUE})
    assert report(tmp_path, "DB205") == snapshot("""\
prisma/migrations/20240102000000_u/migration.sql:1:1: warning[DB205] Adding unique constraint `User_email_key` takes an ACCESS EXCLUSIVE lock on "User" (blocks every read and write of the table, SELECT included) and scans the whole table while holding it to build its index
  |
1 | ALTER TABLE "User" ADD CONSTRAINT "User_email_key" UNIQUE ("email");
  | ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
  = help: CREATE UNIQUE INDEX CONCURRENTLY in a migration of its own, then ADD CONSTRAINT ... UNIQUE USING INDEX in the next
""")


def test_fix_index_concurrently_then_using_index_and_postgres_runs_it(tmp_path, postgres):
    write_migrations(tmp_path, {"20240101000000_init": INIT, "20240102000000_u": UNIQUE})
    findings, _ = lint_migrations(tmp_path, "DB205")
    assert apply_fixes(tmp_path, findings) == snapshot(
        {
            "prisma/migrations/20240102000000_u/migration.sql": "",
            "prisma/migrations/20240102000001_user_email_key_concurrently/migration.sql": 'CREATE UNIQUE INDEX CONCURRENTLY "User_email_key" ON "User"("email");\n',
            "prisma/migrations/20240102000002_user_email_key_attach/migration.sql": 'ALTER TABLE "User" ADD CONSTRAINT "User_email_key" UNIQUE USING INDEX "User_email_key";\n',
        }
    )
    url = postgres()
    run_like_prisma(url, migration_files(tmp_path))
    assert query(url, "SELECT contype FROM pg_constraint WHERE conname = 'User_email_key'") == [
        ("u",)
    ]

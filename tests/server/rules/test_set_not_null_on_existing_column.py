"""DB204 set-not-null-on-existing-column (Squawk: adding-not-nullable-field)."""

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
SET = '-- AlterTable\nALTER TABLE "User" ALTER COLUMN "email" SET NOT NULL;\n'


def test_ok_new_table(tmp_path):
    write_migrations(tmp_path, {"20240101000000_init": INIT + SET})
    assert lint_migrations(tmp_path, "DB204")[0] == []


def test_err(tmp_path):
    write_migrations(tmp_path, {"20240101000000_init": INIT, "20240102000000_nn": SET})
    assert report(tmp_path, "DB204") == snapshot("""\
prisma/migrations/20240102000000_nn/migration.sql:2:1: warning[DB204] Setting "email" NOT NULL takes an ACCESS EXCLUSIVE lock on "User" (blocks every read and write of the table, SELECT included) and scans the whole table while holding it
  |
2 | ALTER TABLE "User" ALTER COLUMN "email" SET NOT NULL;
  | ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
  = help: add CHECK (col IS NOT NULL) NOT VALID, VALIDATE it in the next migration, then SET NOT NULL (no scan) and drop the check
""")


def test_fix_check_validate_set_drop_and_postgres_runs_it(tmp_path, postgres):
    write_migrations(tmp_path, {"20240101000000_init": INIT, "20240102000000_nn": SET})
    findings, _ = lint_migrations(tmp_path, "DB204")
    assert apply_fixes(tmp_path, findings) == snapshot(
        {
            "prisma/migrations/20240102000000_nn/migration.sql": """\
-- AlterTable
ALTER TABLE "User" ADD CONSTRAINT "User_email_not_null" CHECK ("email" IS NOT NULL) NOT VALID;
""",
            "prisma/migrations/20240102000001_user_email_set_not_null/migration.sql": """\
ALTER TABLE "User" VALIDATE CONSTRAINT "User_email_not_null";
ALTER TABLE "User" ALTER COLUMN "email" SET NOT NULL;
ALTER TABLE "User" DROP CONSTRAINT "User_email_not_null";
""",
        }
    )
    url = postgres()
    run_like_prisma(url, migration_files(tmp_path))
    assert query(
        url,
        "SELECT is_nullable FROM information_schema.columns WHERE table_name = 'User' AND column_name = 'email'",
    ) == [("NO",)]
    assert query(
        url, "SELECT count(*) FROM pg_constraint WHERE conname = 'User_email_not_null'"
    ) == [(0,)]


def test_no_fix_before_postgres_12(tmp_path):
    write_migrations(tmp_path, {"20240101000000_init": INIT, "20240102000000_nn": SET})
    (finding,) = lint_migrations(tmp_path, "DB204", config='database-version = "11"\n')[0]
    assert finding.fix is None

"""DB202 add-foreign-key-without-not-valid (Squawk: adding-foreign-key-constraint)."""

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

INIT = (
    'CREATE TABLE "User" ("id" SERIAL PRIMARY KEY);\n'
    'CREATE TABLE "Post" ("id" SERIAL PRIMARY KEY, "authorId" INTEGER);\n'
    'INSERT INTO "User" DEFAULT VALUES;\nINSERT INTO "Post" ("authorId") VALUES (1);\n'
)
FK = (
    "-- AddForeignKey\n"
    'ALTER TABLE "Post" ADD CONSTRAINT "Post_authorId_fkey" FOREIGN KEY ("authorId") '
    'REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;\n'
)


def test_ok_not_valid_and_new_table(tmp_path):
    write_migrations(
        tmp_path,
        {
            "20240101000000_init": INIT + FK,
            "20240102000000_fk": FK.replace("CASCADE;", "CASCADE NOT VALID;"),
        },
    )
    assert lint_migrations(tmp_path, "DB202")[0] == []


def test_err(tmp_path):
    write_migrations(tmp_path, {"20240101000000_init": INIT, "20240102000000_fk": FK})
    assert report(tmp_path, "DB202") == snapshot("""\
prisma/migrations/20240102000000_fk/migration.sql:2:1: warning[DB202] Adding foreign key `Post_authorId_fkey` takes a SHARE ROW EXCLUSIVE lock on "Post" (blocks writes (INSERT, UPDATE, DELETE) and other schema changes) and scans the whole table while holding it; the referenced table is locked too
  |
2 | ALTER TABLE "Post" ADD CONSTRAINT "Post_authorId_fkey" FOREIGN KEY ("authorId") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;
  | ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
  = help: add it NOT VALID, then VALIDATE CONSTRAINT in the next migration
""")


def test_fix_not_valid_then_validate_and_postgres_runs_it(tmp_path, postgres):
    write_migrations(tmp_path, {"20240101000000_init": INIT, "20240102000000_fk": FK})
    findings, _ = lint_migrations(tmp_path, "DB202")
    assert apply_fixes(tmp_path, findings) == snapshot(
        {
            "prisma/migrations/20240102000000_fk/migration.sql": """\
-- AddForeignKey
ALTER TABLE "Post" ADD CONSTRAINT "Post_authorId_fkey" FOREIGN KEY ("authorId") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE NOT VALID;
""",
            "prisma/migrations/20240102000001_validate_post_authorid_fkey/migration.sql": 'ALTER TABLE "Post" VALIDATE CONSTRAINT "Post_authorId_fkey";\n',
        }
    )
    assert lint_migrations(tmp_path, "DB202")[0] == []
    url = postgres()
    run_like_prisma(url, migration_files(tmp_path))
    assert query(
        url, "SELECT convalidated FROM pg_constraint WHERE conname = 'Post_authorId_fkey'"
    ) == [(True,)]

"""DB217 drop-index-without-concurrently (Squawk: require-concurrent-index-deletion)."""

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

INIT = 'CREATE TABLE "Post" ("id" SERIAL PRIMARY KEY, "slug" TEXT);\nCREATE INDEX "Post_slug_idx" ON "Post"("slug");\n'
DROP = '-- DropIndex\nDROP INDEX "Post_slug_idx";\n\n-- AlterTable\nALTER TABLE "Post" ADD COLUMN "title" TEXT;\n'


def test_ok_concurrently(tmp_path):
    write_migrations(
        tmp_path,
        {
            "20240101000000_init": INIT,
            "20240102000000_d": 'DROP INDEX CONCURRENTLY "Post_slug_idx";\n',
        },
    )
    assert lint_migrations(tmp_path, "DB217")[0] == []


def test_err(tmp_path):
    write_migrations(tmp_path, {"20240101000000_init": INIT, "20240102000000_d": DROP})
    assert report(tmp_path, "DB217") == snapshot("""\
prisma/migrations/20240102000000_d/migration.sql:2:1: warning[DB217] Dropping index `Post_slug_idx` without CONCURRENTLY takes an ACCESS EXCLUSIVE lock on "Post" (blocks every read and write of the table, SELECT included); queries queue behind it while it waits
  |
2 | DROP INDEX "Post_slug_idx";
  | ^^^^^^^^^^^^^^^^^^^^^^^^^^
  = help: DROP INDEX CONCURRENTLY, in a migration of its own
""")


def test_fix_and_postgres_runs_it(tmp_path, postgres):
    write_migrations(tmp_path, {"20240101000000_init": INIT, "20240102000000_d": DROP})
    findings, _ = lint_migrations(tmp_path, "DB217")
    assert apply_fixes(tmp_path, findings) == snapshot(
        {
            "prisma/migrations/20240102000000_d/migration.sql": """\
-- AlterTable
ALTER TABLE "Post" ADD COLUMN "title" TEXT;
""",
            "prisma/migrations/20240102000001_drop_index_concurrently/migration.sql": 'DROP INDEX CONCURRENTLY "Post_slug_idx";\n',
        }
    )
    url = postgres()
    run_like_prisma(url, migration_files(tmp_path))
    assert query(url, "SELECT to_regclass('\"Post_slug_idx\"')") == [(None,)]

"""DB222 missing-lock-timeout (Squawk: require-lock-timeout)."""

from __future__ import annotations

from inline_snapshot import snapshot

from tests.server.rules.conftest import run_like_prisma
from tests.server.rules.migration_helpers import (
    apply_fixes,
    lint_migrations,
    migration_files,
    report,
    write_migrations,
)

INIT = (
    'CREATE TABLE "Post" ("id" SERIAL PRIMARY KEY);\nCREATE INDEX "Post_id_idx" ON "Post"("id");\n'
)
ALTER = 'ALTER TABLE "Post" ADD COLUMN "title" TEXT;\nALTER TABLE "Post" ADD COLUMN "body" TEXT;\n'


def test_ok_new_tables_only_and_timeout_set(tmp_path):
    write_migrations(
        tmp_path,
        {
            "20240101000000_init": INIT,
            "20240102000000_a": "SET LOCAL lock_timeout = '2s';\n" + ALTER,
        },
    )
    assert lint_migrations(tmp_path, "DB222")[0] == []


def test_err_once_per_file(tmp_path):
    write_migrations(tmp_path, {"20240101000000_init": INIT, "20240102000000_a": ALTER})
    assert report(tmp_path, "DB222") == snapshot("""\
prisma/migrations/20240102000000_a/migration.sql:1:1: info[DB222] This migration waits for a lock on "Post" with no lock_timeout: while it waits, every query on the table queues behind it
  |
1 | ALTER TABLE "Post" ADD COLUMN "title" TEXT;
  | ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
  = help: SET LOCAL lock_timeout = '5s' at the top of the migration
""")


def test_fix_and_postgres_runs_it(tmp_path, postgres):
    write_migrations(tmp_path, {"20240101000000_init": INIT, "20240102000000_a": ALTER})
    findings, _ = lint_migrations(tmp_path, "DB222")
    assert apply_fixes(tmp_path, findings) == snapshot(
        {
            "prisma/migrations/20240102000000_a/migration.sql": """\
SET LOCAL lock_timeout = '5s';
ALTER TABLE "Post" ADD COLUMN "title" TEXT;
ALTER TABLE "Post" ADD COLUMN "body" TEXT;
"""
        }
    )
    run_like_prisma(postgres(), migration_files(tmp_path))
    assert lint_migrations(tmp_path, "DB222")[0] == []

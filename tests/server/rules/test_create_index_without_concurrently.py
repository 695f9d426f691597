"""DB201 create-index-without-concurrently (Squawk: require-concurrent-index-creation)."""

from __future__ import annotations

import pytest
from inline_snapshot import snapshot

from tests.server.rules.conftest import query, run_like_prisma
from tests.server.rules.migration_helpers import (
    apply_fixes,
    lint_migrations,
    migration_files,
    report,
    write_migrations,
)

INIT = 'CREATE TABLE "Post" ("id" SERIAL NOT NULL, "authorId" INTEGER, CONSTRAINT "Post_pkey" PRIMARY KEY ("id"));\nINSERT INTO "Post" ("authorId") SELECT g FROM generate_series(1, 100) g;\n'
ADD = '-- AlterTable\nALTER TABLE "Post" ADD COLUMN "title" TEXT;\n\n-- CreateIndex\nCREATE INDEX "Post_authorId_idx" ON "Post"("authorId");\n'


def test_ok_new_table_and_concurrently(tmp_path):
    write_migrations(
        tmp_path,
        {
            "20240101000000_init": INIT
            + 'CREATE INDEX "Post_authorId_idx" ON "Post"("authorId");\n',
            "20240102000000_idx": 'CREATE INDEX CONCURRENTLY "Post_id_idx" ON "Post"("id");\n',
        },
    )
    assert lint_migrations(tmp_path, "DB201")[0] == []


def test_ok_table_created_earlier_in_the_same_batch(tmp_path):
    write_migrations(tmp_path, {"20240101000000_init": INIT, "20240102000000_add": ADD})
    assert (
        lint_migrations(tmp_path, "DB201", checked=["20240101000000_init", "20240102000000_add"])[0]
        == []
    )


def test_err(tmp_path):
    write_migrations(tmp_path, {"20240101000000_init": INIT, "20240102000000_add": ADD})
    assert report(tmp_path, "DB201") == snapshot("""\
prisma/migrations/20240102000000_add/migration.sql:5:1: warning[DB201] Creating index `Post_authorId_idx` without CONCURRENTLY takes a SHARE lock on "Post" (blocks writes (INSERT, UPDATE, DELETE), not reads) and scans the whole table while holding it
  |
5 | CREATE INDEX "Post_authorId_idx" ON "Post"("authorId");
  | ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
  = help: create it CONCURRENTLY, in a migration of its own (it cannot run in a transaction)
""")


def test_fix_moves_it_to_a_migration_of_its_own_and_postgres_runs_it(tmp_path, postgres):
    write_migrations(tmp_path, {"20240101000000_init": INIT, "20240102000000_add": ADD})
    findings, _ = lint_migrations(tmp_path, "DB201")
    assert apply_fixes(tmp_path, findings) == snapshot(
        {
            "prisma/migrations/20240102000000_add/migration.sql": """\
-- AlterTable
ALTER TABLE "Post" ADD COLUMN "title" TEXT;

""",
            "prisma/migrations/20240102000001_post_authorid_idx_concurrently/migration.sql": 'CREATE INDEX CONCURRENTLY "Post_authorId_idx" ON "Post"("authorId");\n',
        }
    )
    assert lint_migrations(tmp_path, "DB201")[0] == []
    url = postgres()
    run_like_prisma(url, migration_files(tmp_path))
    assert query(
        url, "SELECT indisvalid FROM pg_index WHERE indexrelid = '\"Post_authorId_idx\"'::regclass"
    ) == [(True,)]


def test_without_the_fix_concurrently_fails_in_the_same_file(tmp_path, postgres):
    import psycopg

    write_migrations(
        tmp_path,
        {
            "20240101000000_init": INIT,
            "20240102000000_add": ADD.replace("CREATE INDEX", "CREATE INDEX CONCURRENTLY"),
        },
    )
    url = postgres()
    with pytest.raises(psycopg.errors.ActiveSqlTransaction):
        run_like_prisma(url, migration_files(tmp_path))


def test_fix_in_place_when_alone_in_its_file(tmp_path, postgres):
    write_migrations(
        tmp_path,
        {
            "20240101000000_init": INIT,
            "20240102000000_idx": 'CREATE UNIQUE INDEX "Post_id_key" ON "Post"("id");\n',
        },
    )
    findings, _ = lint_migrations(tmp_path, "DB201")
    assert apply_fixes(tmp_path, findings) == snapshot(
        {
            "prisma/migrations/20240102000000_idx/migration.sql": 'CREATE UNIQUE INDEX CONCURRENTLY "Post_id_key" ON "Post"("id");\n'
        }
    )
    run_like_prisma(postgres(), migration_files(tmp_path))

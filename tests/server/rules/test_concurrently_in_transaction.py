"""DB216 concurrently-in-transaction (Squawk: ban-concurrent-index-creation-in-transaction)."""

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

INIT = 'CREATE TABLE "Post" ("id" SERIAL PRIMARY KEY, "slug" TEXT);\n'
BOTH = 'ALTER TABLE "Post" ADD COLUMN "title" TEXT;\nCREATE INDEX CONCURRENTLY "Post_slug_idx" ON "Post"("slug");\n'


def test_ok_alone_in_its_file_or_no_runner_transaction(tmp_path):
    write_migrations(
        tmp_path,
        {
            "20240101000000_init": INIT,
            "20240102000000_i": 'CREATE INDEX CONCURRENTLY "Post_slug_idx" ON "Post"("slug");\n',
        },
    )
    assert lint_migrations(tmp_path, "DB216")[0] == []
    write_migrations(tmp_path, {"20240102000000_i": BOTH})
    assert (
        lint_migrations(tmp_path, "DB216", config='[migrations]\ntransaction = "none"\n')[0] == []
    )


def test_err_runner_transaction_and_explicit_begin(tmp_path):
    write_migrations(
        tmp_path,
        {
            "20240101000000_init": INIT,
            "20240102000000_i": BOTH,
            "20240103000000_j": 'BEGIN;\nDROP INDEX CONCURRENTLY "Post_slug_idx";\nCOMMIT;\n',
        },
    )
    assert report(tmp_path, "DB216", config='[migrations]\ntransaction = "none"\n') == snapshot("""\
prisma/migrations/20240103000000_j/migration.sql:2:1: error[DB216] CONCURRENTLY cannot run inside a transaction block, and this statement runs inside BEGIN ... COMMIT
  |
2 | DROP INDEX CONCURRENTLY "Post_slug_idx";
  | ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
  = help: put it alone in a migration of its own
""")
    assert report(tmp_path, "DB216") == snapshot("""\
prisma/migrations/20240102000000_i/migration.sql:2:1: error[DB216] CONCURRENTLY cannot run inside a transaction block, and this statement runs in a migration the runner sends as one transaction (it has other statements)
  |
2 | CREATE INDEX CONCURRENTLY "Post_slug_idx" ON "Post"("slug");
  | ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
  = help: put it alone in a migration of its own

prisma/migrations/20240103000000_j/migration.sql:2:1: error[DB216] CONCURRENTLY cannot run inside a transaction block, and this statement runs inside BEGIN ... COMMIT
  |
2 | DROP INDEX CONCURRENTLY "Post_slug_idx";
  | ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
  = help: put it alone in a migration of its own
""")


def test_fix_and_postgres_runs_it(tmp_path, postgres):
    write_migrations(tmp_path, {"20240101000000_init": INIT, "20240102000000_i": BOTH})
    findings, _ = lint_migrations(tmp_path, "DB216")
    assert apply_fixes(tmp_path, findings) == snapshot(
        {
            "prisma/migrations/20240102000000_i/migration.sql": 'ALTER TABLE "Post" ADD COLUMN "title" TEXT;\n',
            "prisma/migrations/20240102000001_concurrently/migration.sql": 'CREATE INDEX CONCURRENTLY "Post_slug_idx" ON "Post"("slug");\n',
        }
    )
    run_like_prisma(postgres(), migration_files(tmp_path))

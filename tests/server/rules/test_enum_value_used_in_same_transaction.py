"""DB221 enum-value-used-in-same-transaction (no Squawk equivalent)."""

from __future__ import annotations

import psycopg
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

INIT = 'CREATE TYPE "Status" AS ENUM (\'DRAFT\');\nCREATE TABLE "Post" ("id" SERIAL PRIMARY KEY, "status" "Status" NOT NULL DEFAULT \'DRAFT\');\n'
ADD = '-- AlterEnum\nALTER TYPE "Status" ADD VALUE \'ARCHIVED\';\n\n-- AlterTable\nALTER TABLE "Post" ALTER COLUMN "status" SET DEFAULT \'ARCHIVED\';\n'


def test_ok_value_not_used(tmp_path):
    write_migrations(
        tmp_path,
        {
            "20240101000000_init": INIT,
            "20240102000000_e": "ALTER TYPE \"Status\" ADD VALUE 'ARCHIVED';\n",
        },
    )
    assert lint_migrations(tmp_path, "DB221")[0] == []


def test_err(tmp_path):
    write_migrations(tmp_path, {"20240101000000_init": INIT, "20240102000000_e": ADD})
    assert report(tmp_path, "DB221") == snapshot("""\
prisma/migrations/20240102000000_e/migration.sql:5:1: error[DB221] 'ARCHIVED' was added to enum "Status" in this transaction and cannot be used before it commits (unsafe use of new value)
  |
5 | ALTER TABLE "Post" ALTER COLUMN "status" SET DEFAULT 'ARCHIVED';
  | ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
  = help: move this statement to the next migration
""")
    assert report(tmp_path, "DB221", config='database-version = "11"\n') == snapshot("""\
prisma/migrations/20240102000000_e/migration.sql:2:1: error[DB221] ALTER TYPE ... ADD VALUE 'ARCHIVED' cannot run inside a transaction block before PostgreSQL 12
  |
2 | ALTER TYPE "Status" ADD VALUE 'ARCHIVED';
  | ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
  = help: put it alone in a migration of its own
""")


def test_postgres_refuses_the_original_and_runs_the_fix(tmp_path, postgres):
    write_migrations(tmp_path, {"20240101000000_init": INIT, "20240102000000_e": ADD})
    with pytest.raises(psycopg.errors.UnsafeNewEnumValueUsage):
        run_like_prisma(postgres(), migration_files(tmp_path))
    findings, _ = lint_migrations(tmp_path, "DB221")
    assert apply_fixes(tmp_path, findings) == snapshot(
        {
            "prisma/migrations/20240102000000_e/migration.sql": """\
-- AlterEnum
ALTER TYPE "Status" ADD VALUE 'ARCHIVED';

""",
            "prisma/migrations/20240102000001_use_new_enum_value/migration.sql": 'ALTER TABLE "Post" ALTER COLUMN "status" SET DEFAULT \'ARCHIVED\';\n',
        }
    )
    url = postgres()
    run_like_prisma(url, migration_files(tmp_path))
    assert query(
        url,
        "SELECT column_default FROM information_schema.columns WHERE table_name = 'Post' AND column_name = 'status'",
    ) == [("'ARCHIVED'::\"Status\"",)]

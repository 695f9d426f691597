"""DB225 table-rewrite-command (Squawk: prefer-repack)."""

from __future__ import annotations

from inline_snapshot import snapshot

from tests.server.rules.migration_helpers import lint_migrations, report, write_migrations

INIT = 'CREATE TABLE "Post" ("id" SERIAL PRIMARY KEY, "title" TEXT NOT NULL, "authorId" INTEGER);\n'


def test_ok(tmp_path):
    write_migrations(
        tmp_path, {"20240101000000_init": INIT, "20240102000000_next": 'VACUUM "Post";\n'}
    )
    assert lint_migrations(tmp_path, "DB225")[0] == []


def test_err(tmp_path):
    write_migrations(
        tmp_path,
        {
            "20240101000000_init": INIT,
            "20240102000000_next": 'VACUUM FULL "Post";\nCLUSTER "Post" USING "Post_pkey";\n',
        },
    )
    assert report(tmp_path, "DB225") == snapshot("""\
prisma/migrations/20240102000000_next/migration.sql:1:1: warning[DB225] VACUUM FULL rewrites the table under an ACCESS EXCLUSIVE lock: no read or write goes through until it ends
  |
1 | VACUUM FULL "Post";
  | ^^^^^^^^^^^^^^^^^^
  = help: use pg_repack (online) outside migrations

prisma/migrations/20240102000000_next/migration.sql:2:1: warning[DB225] CLUSTER rewrites the table under an ACCESS EXCLUSIVE lock: no read or write goes through until it ends
  |
2 | CLUSTER "Post" USING "Post_pkey";
  | ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
  = help: use pg_repack (online) outside migrations
""")

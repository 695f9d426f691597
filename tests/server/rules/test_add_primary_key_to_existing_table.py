"""DB208 add-primary-key-to-existing-table (Squawk: adding-serial-primary-key-field)."""

from __future__ import annotations

from inline_snapshot import snapshot

from tests.server.rules.migration_helpers import lint_migrations, report, write_migrations

INIT = 'CREATE TABLE "Setting" ("key" TEXT NOT NULL);\n'


def test_ok(tmp_path):
    write_migrations(
        tmp_path,
        {
            "20240101000000_init": INIT,
            "20240102000000_next": 'ALTER TABLE "Setting" ADD CONSTRAINT "Setting_pkey" PRIMARY KEY USING INDEX "Setting_key";\n',
        },
    )
    assert lint_migrations(tmp_path, "DB208")[0] == []


def test_err(tmp_path):
    write_migrations(
        tmp_path,
        {
            "20240101000000_init": INIT,
            "20240102000000_next": 'ALTER TABLE "Setting" ADD CONSTRAINT "Setting_pkey" PRIMARY KEY ("key");\n',
        },
    )
    assert report(tmp_path, "DB208") == snapshot("""\
prisma/migrations/20240102000000_next/migration.sql:1:1: warning[DB208] Adding primary key `Setting_pkey` takes an ACCESS EXCLUSIVE lock on "Setting" (blocks every read and write of the table, SELECT included) and scans the whole table while holding it to build its index
  |
1 | ALTER TABLE "Setting" ADD CONSTRAINT "Setting_pkey" PRIMARY KEY ("key");
  | ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
  = help: CREATE UNIQUE INDEX CONCURRENTLY, then ADD CONSTRAINT ... PRIMARY KEY USING INDEX
""")

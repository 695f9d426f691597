"""DB223 detach-partition-without-concurrently (Squawk: require-concurrent-partition-detach)."""

from __future__ import annotations

from inline_snapshot import snapshot

from tests.server.rules.migration_helpers import lint_migrations, report, write_migrations

INIT = 'CREATE TABLE "Post" ("id" SERIAL PRIMARY KEY, "title" TEXT NOT NULL, "authorId" INTEGER);\n'


def test_ok(tmp_path):
    write_migrations(
        tmp_path,
        {
            "20240101000000_init": INIT,
            "20240102000000_next": 'ALTER TABLE "Event" DETACH PARTITION "Event_2023" CONCURRENTLY;\n',
        },
    )
    assert lint_migrations(tmp_path, "DB223")[0] == []


def test_err(tmp_path):
    write_migrations(
        tmp_path,
        {
            "20240101000000_init": INIT,
            "20240102000000_next": 'ALTER TABLE "Event" DETACH PARTITION "Event_2023";\n',
        },
    )
    assert report(tmp_path, "DB223") == snapshot("""\
prisma/migrations/20240102000000_next/migration.sql:1:1: warning[DB223] Detaching a partition takes an ACCESS EXCLUSIVE lock on "Event" (blocks every read and write of the table, SELECT included) (every partition)
  |
1 | ALTER TABLE "Event" DETACH PARTITION "Event_2023";
  | ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
  = help: DETACH PARTITION ... CONCURRENTLY, in a migration of its own
""")

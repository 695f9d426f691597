"""DB203 add-check-without-not-valid (Squawk: constraint-missing-not-valid)."""

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

INIT = 'CREATE TABLE "Booking" ("id" SERIAL PRIMARY KEY, "start" INTEGER, "end" INTEGER);\nINSERT INTO "Booking" ("start", "end") VALUES (1, 2);\n'
CHECK = 'ALTER TABLE "Booking" ADD CONSTRAINT "Booking_span_check" CHECK ("end" > "start");\n'


def test_ok_not_valid(tmp_path):
    write_migrations(
        tmp_path,
        {"20240101000000_init": INIT, "20240102000000_c": CHECK.replace(");", ") NOT VALID;")},
    )
    assert lint_migrations(tmp_path, "DB203")[0] == []


def test_err(tmp_path):
    write_migrations(tmp_path, {"20240101000000_init": INIT, "20240102000000_c": CHECK})
    assert report(tmp_path, "DB203") == snapshot("""\
prisma/migrations/20240102000000_c/migration.sql:1:1: warning[DB203] Adding check constraint `Booking_span_check` takes an ACCESS EXCLUSIVE lock on "Booking" (blocks every read and write of the table, SELECT included) and scans the whole table while holding it
  |
1 | ALTER TABLE "Booking" ADD CONSTRAINT "Booking_span_check" CHECK ("end" > "start");
  | ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
  = help: add it NOT VALID, then VALIDATE CONSTRAINT in the next migration
""")


def test_fix_and_postgres_runs_it(tmp_path, postgres):
    write_migrations(tmp_path, {"20240101000000_init": INIT, "20240102000000_c": CHECK})
    findings, _ = lint_migrations(tmp_path, "DB203")
    assert apply_fixes(tmp_path, findings) == snapshot(
        {
            "prisma/migrations/20240102000000_c/migration.sql": 'ALTER TABLE "Booking" ADD CONSTRAINT "Booking_span_check" CHECK ("end" > "start") NOT VALID;\n',
            "prisma/migrations/20240102000001_validate_booking_span_check/migration.sql": 'ALTER TABLE "Booking" VALIDATE CONSTRAINT "Booking_span_check";\n',
        }
    )
    url = postgres()
    run_like_prisma(url, migration_files(tmp_path))
    assert query(
        url, "SELECT convalidated FROM pg_constraint WHERE conname = 'Booking_span_check'"
    ) == [(True,)]

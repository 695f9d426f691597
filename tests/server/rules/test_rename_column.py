"""DB210 rename-column (Squawk: renaming-column)."""

from __future__ import annotations

from pathlib import Path

from inline_snapshot import snapshot
from schemasense.server.sources.prisma import read_prisma_schema

from tests.server.rules.conftest import run_like_prisma
from tests.server.rules.migration_helpers import (
    apply_fixes,
    lint_migrations,
    migration_files,
    report,
    write_migrations,
)

INIT = 'CREATE TABLE "Account" ("id" SERIAL PRIMARY KEY, "name" TEXT NOT NULL);\n'
RENAME = '-- AlterTable\nALTER TABLE "Account" RENAME COLUMN "name" TO "fullName";\n'
SCHEMA = 'datasource db {\n  provider = "postgresql"\n}\n\nmodel Account {\n  id       Int    @id @default(autoincrement())\n  fullName String\n}\n'


def test_ok_new_table(tmp_path):
    write_migrations(tmp_path, {"20240101000000_init": INIT + RENAME})
    assert lint_migrations(tmp_path, "DB210")[0] == []


def test_err(tmp_path):
    write_migrations(tmp_path, {"20240101000000_init": INIT, "20240102000000_rename": RENAME})
    assert report(tmp_path, "DB210") == snapshot("""\
prisma/migrations/20240102000000_rename/migration.sql:2:1: warning[DB210] Renaming column "name" to "fullName" on "Account" breaks every running instance that still selects "name"
  |
2 | ALTER TABLE "Account" RENAME COLUMN "name" TO "fullName";
  | ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
  = help: keep the column and rename the field only: @map("name")
""")


def test_fix_maps_the_field_and_drops_the_rename(tmp_path, postgres):
    write_migrations(tmp_path, {"20240101000000_init": INIT, "20240102000000_rename": RENAME})
    findings, _ = lint_migrations(tmp_path, "DB210", schema=SCHEMA)
    assert apply_fixes(tmp_path, findings) == snapshot(
        {
            "prisma/migrations/20240102000000_rename/migration.sql": "",
            "prisma/schema.prisma": """\
datasource db {
  provider = "postgresql"
}

model Account {
  id       Int    @id @default(autoincrement())
  fullName String @map("name")
}
""",
        }
    )
    schema_path = tmp_path / "prisma" / "schema.prisma"
    read = read_prisma_schema({str(schema_path): schema_path.read_text()})
    assert [c.name for c in read.schema.tables[0].columns] == ["id", "name"]
    run_like_prisma(postgres(), migration_files(tmp_path))
    assert Path(schema_path).exists()

"""DB211 rename-table (Squawk: renaming-table)."""

from __future__ import annotations

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

INIT = 'CREATE TABLE "Post" ("id" SERIAL PRIMARY KEY);\n'
RENAME = '-- RenameTable\nALTER TABLE "Post" RENAME TO "Article";\n'
SCHEMA = 'datasource db {\n  provider = "postgresql"\n}\n\nmodel Article {\n  id Int @id @default(autoincrement())\n}\n'


def test_ok_sqlite_redefinition_and_new_table(tmp_path):
    write_migrations(tmp_path, {"20240101000000_init": INIT + RENAME})
    assert lint_migrations(tmp_path, "DB211")[0] == []


def test_err(tmp_path):
    write_migrations(tmp_path, {"20240101000000_init": INIT, "20240102000000_rename": RENAME})
    assert report(tmp_path, "DB211") == snapshot("""\
prisma/migrations/20240102000000_rename/migration.sql:2:1: warning[DB211] Renaming table "Post" to "Article" breaks every running instance, view and query that still names "Post"
  |
2 | ALTER TABLE "Post" RENAME TO "Article";
  | ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
  = help: keep the table and rename the model only: @@map("Post")
""")


def test_fix_maps_the_model_and_drops_the_rename(tmp_path, postgres):
    write_migrations(tmp_path, {"20240101000000_init": INIT, "20240102000000_rename": RENAME})
    findings, _ = lint_migrations(tmp_path, "DB211", schema=SCHEMA)
    assert apply_fixes(tmp_path, findings) == snapshot(
        {
            "prisma/migrations/20240102000000_rename/migration.sql": "",
            "prisma/schema.prisma": """\
datasource db {
  provider = "postgresql"
}

model Article {
  id Int @id @default(autoincrement())

  @@map("Post")
}
""",
        }
    )
    schema_path = tmp_path / "prisma" / "schema.prisma"
    read = read_prisma_schema({str(schema_path): schema_path.read_text()})
    assert read.schema.tables[0].name == "Post"
    run_like_prisma(postgres(), migration_files(tmp_path))

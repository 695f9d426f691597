"""DB113 char-column (Squawk: ban-char-field)."""

from __future__ import annotations

from inline_snapshot import snapshot

from tests.server.rules.helpers import MYSQL, POSTGRES, check, lint
from tests.server.rules.migration_helpers import report, write_migrations


def test_ok():
    assert lint(POSTGRES + "model A {\n  id Int @id\n  c String @db.VarChar(3)\n}\n", "DB113") == []
    assert lint(MYSQL + "model A {\n  id Int @id\n  c String @db.Char(3)\n}\n", "DB113") == []


def test_err_declared():
    assert check(
        POSTGRES + "model A {\n  id       Int    @id\n  currency String @db.Char(3)\n}\n",
        "DB113",
    ) == snapshot("""\
schema.prisma:7:3: info[DB113] `A.currency` is Char(3): values are padded with spaces
  |
7 |   currency String @db.Char(3)
  |   ^^^^^^^^^^^^^^^^^^^^^^^^^^^
  = help: use varchar(n) or text
""")


def test_err_migrated(tmp_path):
    write_migrations(
        tmp_path,
        {"20240101000000_init": 'CREATE TABLE "A" ("id" INTEGER PRIMARY KEY, "c" CHAR(3));\n'},
    )
    assert report(tmp_path, "DB113") == snapshot("""\
prisma/migrations/20240101000000_init/migration.sql:1:1: info[DB113] `A.c` is character(3): values are padded with spaces
  |
1 | CREATE TABLE "A" ("id" INTEGER PRIMARY KEY, "c" CHAR(3));
  | ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
  = help: use varchar(n) or text
""")

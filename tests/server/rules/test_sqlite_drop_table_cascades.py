"""DB240 sqlite-drop-table-cascades."""

from __future__ import annotations

from inline_snapshot import snapshot

from tests.server.rules.migration_helpers import lint_migrations, report, write_migrations

INIT = 'CREATE TABLE "User" ("id" TEXT NOT NULL PRIMARY KEY, "email" TEXT);\nCREATE TABLE "Share" ("id" TEXT NOT NULL PRIMARY KEY, "userId" TEXT, CONSTRAINT "Share_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE);\n'


def test_ok(tmp_path):
    write_migrations(
        tmp_path,
        {
            "20240101000000_init": INIT,
            "20240102000000_next": 'PRAGMA defer_foreign_keys=ON;\nPRAGMA foreign_keys=OFF;\nCREATE TABLE "new_User" ("id" TEXT NOT NULL PRIMARY KEY, "email" TEXT NOT NULL);\nINSERT INTO "new_User" ("id", "email") SELECT "id", "email" FROM "User";\nDROP TABLE "User";\nALTER TABLE "new_User" RENAME TO "User";\nPRAGMA foreign_keys=ON;\nPRAGMA defer_foreign_keys=OFF;\n',
        },
        "sqlite",
    )
    assert lint_migrations(tmp_path, "DB240")[0] == []


def test_err(tmp_path):
    write_migrations(
        tmp_path,
        {
            "20240101000000_init": INIT,
            "20240102000000_next": 'PRAGMA foreign_keys=OFF;\nCREATE TABLE "new_User" ("id" TEXT NOT NULL PRIMARY KEY, "email" TEXT NOT NULL);\nINSERT INTO "new_User" ("id", "email") SELECT "id", "email" FROM "User";\nDROP TABLE "User";\nALTER TABLE "new_User" RENAME TO "User";\nPRAGMA foreign_keys=ON;\n',
        },
        "sqlite",
    )
    assert report(tmp_path, "DB240") == snapshot("""\
prisma/migrations/20240102000000_next/migration.sql:4:1: error[DB240] Dropping "User" with foreign keys enforced deletes its rows first: the ON DELETE actions of "Share" run (CASCADE empties them)
  |
4 | DROP TABLE "User";
  | ^^^^^^^^^^^^^^^^^
  = help: PRAGMA defer_foreign_keys=ON before the table redefinition
""")

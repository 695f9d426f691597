"""DB241 sqlite-foreign-keys-pragma-in-transaction."""

from __future__ import annotations

from inline_snapshot import snapshot

from tests.server.rules.migration_helpers import lint_migrations, report, write_migrations

INIT = 'CREATE TABLE "User" ("id" TEXT NOT NULL PRIMARY KEY, "email" TEXT);\nCREATE TABLE "Share" ("id" TEXT NOT NULL PRIMARY KEY, "userId" TEXT, CONSTRAINT "Share_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE);\n'


def test_ok(tmp_path):
    write_migrations(
        tmp_path,
        {
            "20240101000000_init": INIT,
            "20240102000000_next": 'PRAGMA defer_foreign_keys=ON;\nPRAGMA foreign_keys=OFF;\nCREATE TABLE "new_User" ("id" TEXT NOT NULL PRIMARY KEY, "email" TEXT NOT NULL);\nINSERT INTO "new_User" ("id", "email") SELECT "id", "email" FROM "User";\nDROP TABLE "User";\nALTER TABLE "new_User" RENAME TO "User";\nPRAGMA foreign_keys=ON;\n',
        },
        "sqlite",
    )
    assert lint_migrations(tmp_path, "DB241")[0] == []


def test_err(tmp_path):
    write_migrations(
        tmp_path,
        {
            "20240101000000_init": INIT,
            "20240102000000_next": 'PRAGMA foreign_keys=OFF;\nCREATE TABLE "new_User" ("id" TEXT NOT NULL PRIMARY KEY, "email" TEXT NOT NULL);\nINSERT INTO "new_User" ("id", "email") SELECT "id", "email" FROM "User";\nDROP TABLE "User";\nALTER TABLE "new_User" RENAME TO "User";\nPRAGMA foreign_keys=ON;\n',
        },
        "sqlite",
    )
    assert lint_migrations(tmp_path, "DB241")[0] == []  # Prisma: no transaction, the pragma works
    per_file = '[migrations]\ntransaction = "per-file"\n'
    assert report(tmp_path, "DB241", config=per_file) == snapshot("""\
prisma/migrations/20240102000000_next/migration.sql:1:1: warning[DB241] PRAGMA foreign_keys=OFF does nothing inside a transaction: foreign keys stay enforced
  |
1 | PRAGMA foreign_keys=OFF;
  | ^^^^^^^^^^^^^^^^^^^^^^^
  = help: PRAGMA defer_foreign_keys=ON first (it works inside a transaction, for keys without ON DELETE actions), or run the file outside a transaction
""")

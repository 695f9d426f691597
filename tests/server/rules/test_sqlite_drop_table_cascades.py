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


REDEFINE = 'PRAGMA foreign_keys=OFF;\nCREATE TABLE "new_User" ("id" TEXT NOT NULL PRIMARY KEY, "email" TEXT NOT NULL);\nINSERT INTO "new_User" ("id", "email") SELECT "id", "email" FROM "User";\nDROP TABLE "User";\nALTER TABLE "new_User" RENAME TO "User";\nPRAGMA foreign_keys=ON;\n'
DEFERRED = "PRAGMA defer_foreign_keys=ON;\n" + REDEFINE + "PRAGMA defer_foreign_keys=OFF;\n"
PER_FILE = '[migrations]\ntransaction = "per-file"\n'


def test_ok_prisma_runs_sqlite_migrations_outside_a_transaction(tmp_path):
    """Prisma's schema engine applies a SQLite file statement by statement: the pragma works."""
    write_migrations(
        tmp_path, {"20240101000000_init": INIT, "20240102000000_next": REDEFINE}, "sqlite"
    )
    assert lint_migrations(tmp_path, "DB240")[0] == []


def test_err_in_a_runner_transaction(tmp_path):
    write_migrations(
        tmp_path, {"20240101000000_init": INIT, "20240102000000_next": REDEFINE}, "sqlite"
    )
    assert report(tmp_path, "DB240", config=PER_FILE) == snapshot("""\
prisma/migrations/20240102000000_next/migration.sql:4:1: error[DB240] Dropping "User" deletes its rows first and foreign keys are enforced: "Share" (ON DELETE CASCADE deletes their rows)
  |
4 | DROP TABLE "User";
  | ^^^^^^^^^^^^^^^^^
  = help: run the redefinition outside a transaction, after PRAGMA foreign_keys=OFF, or use ALTER TABLE where SQLite can
""")


def test_err_deferred_keys_still_cascade(tmp_path):
    """defer_foreign_keys postpones checks, not ON DELETE actions (prisma/orm#24540, D1):
    the CASCADE child is reported even with it on."""
    write_migrations(
        tmp_path, {"20240101000000_init": INIT, "20240102000000_next": DEFERRED}, "sqlite"
    )
    assert report(tmp_path, "DB240", config=PER_FILE) == snapshot("""\
prisma/migrations/20240102000000_next/migration.sql:5:1: error[DB240] Dropping "User" deletes its rows first and defer_foreign_keys postpones checks, not actions: "Share" (ON DELETE CASCADE deletes their rows)
  |
5 | DROP TABLE "User";
  | ^^^^^^^^^^^^^^^^^
  = help: run the redefinition outside a transaction, after PRAGMA foreign_keys=OFF, or use ALTER TABLE where SQLite can
""")


def test_ok_deferred_keys_without_actions(tmp_path):
    """A NO ACTION key is checked at the commit, after the rename: nothing happens to it."""
    plain = INIT.replace(" ON DELETE CASCADE ON UPDATE CASCADE", "")
    write_migrations(
        tmp_path, {"20240101000000_init": plain, "20240102000000_next": DEFERRED}, "sqlite"
    )
    assert lint_migrations(tmp_path, "DB240", config=PER_FILE)[0] == []
    # without the deferral the same key is checked at once, and the DROP fails
    write_migrations(tmp_path, {"20240102000000_next": REDEFINE}, "sqlite")
    assert len(lint_migrations(tmp_path, "DB240", config=PER_FILE)[0]) == 1

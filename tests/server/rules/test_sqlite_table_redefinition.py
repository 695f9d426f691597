"""DB242 sqlite-table-redefinition."""

from __future__ import annotations

import os
import re
import shutil

import pytest
from inline_snapshot import snapshot

from tests.server.rules.migration_helpers import (
    apply_fixes,
    lint_migrations,
    report,
    write_migrations,
)

INIT = """\
-- CreateTable
CREATE TABLE "User" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "email" TEXT NOT NULL,
    "name" TEXT
);

-- CreateTable
CREATE TABLE "Post" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "authorId" TEXT NOT NULL,
    CONSTRAINT "Post_authorId_fkey" FOREIGN KEY ("authorId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE UNIQUE INDEX "User_email_key" ON "User"("email");
"""


def redefine(columns: str, copied: str, indexes: str = "") -> str:
    """Prisma's redefinition of "User" (since Prisma 5: foreign keys deferred)."""
    return f"""\
-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_User" (
{columns}
);
INSERT INTO "new_User" ({copied}) SELECT {copied} FROM "User";
DROP TABLE "User";
ALTER TABLE "new_User" RENAME TO "User";
CREATE UNIQUE INDEX "User_email_key" ON "User"("email");
{indexes}PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
"""


# "name" dropped, "bio" and "active" added (last, as ALTER TABLE ADD COLUMN puts them)
BIO = redefine(
    '    "id" TEXT NOT NULL PRIMARY KEY,\n    "email" TEXT NOT NULL,\n    "bio" TEXT,\n'
    '    "active" BOOLEAN NOT NULL DEFAULT true',
    '"email", "id"',
)


def test_ok_table_created_in_the_same_migration(tmp_path):
    write_migrations(tmp_path, {"20240101000000_init": INIT + "\n" + BIO}, "sqlite")
    assert lint_migrations(tmp_path, "DB242")[0] == []


def test_ok_table_created_earlier_in_the_undeployed_batch(tmp_path):
    write_migrations(
        tmp_path,
        {"20240101000000_base": "CREATE TABLE \"Other\" (\"id\" TEXT NOT NULL PRIMARY KEY);\n",
         "20240102000000_init": INIT, "20240103000000_bio": BIO},
        "sqlite",
    )  # fmt: skip
    checked = ["20240102000000_init", "20240103000000_bio"]
    assert lint_migrations(tmp_path, "DB242", checked=checked)[0] == []
    # the same file checked alone (init deployed): the table is in use
    assert len(lint_migrations(tmp_path, "DB242", checked=["20240103000000_bio"])[0]) == 1


def test_ok_plain_create_table(tmp_path):
    write_migrations(
        tmp_path,
        {"20240101000000_init": INIT, "20240102000000_tag": 'CREATE TABLE "Tag" ("id" TEXT);\n'},
        "sqlite",
    )
    assert lint_migrations(tmp_path, "DB242")[0] == []


def test_err_in_a_runner_transaction(tmp_path):
    """A runner that wraps each file (Cloudflare D1's, most migration libraries)."""
    write_migrations(tmp_path, {"20240101000000_init": INIT, "20240102000000_bio": BIO}, "sqlite")
    per_file = '[migrations]\ntransaction = "per-file"\n'
    assert report(tmp_path, "DB242", config=per_file) == snapshot("""\
prisma/migrations/20240102000000_bio/migration.sql:10:1: warning[DB242] Redefining "User" copies every row into "new_User" inside the migration's write transaction: SQLite's RESERVED lock on the database file makes every other write, to any table, wait until the commit (SQLITE_BUSY once busy_timeout runs out); readers go on in WAL mode, in rollback-journal mode the EXCLUSIVE lock of the commit (or of a copy larger than the page cache) shuts them out too; every index of "User" is built again
   |
10 | INSERT INTO "new_User" ("email", "id") SELECT "email", "id" FROM "User";
   | ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
   = help: ALTER TABLE "User" makes this change in place, without the copy
""")


def test_err_outside_a_transaction(tmp_path):
    """Prisma's own `migrate deploy` on SQLite: every statement commits on its own."""
    write_migrations(tmp_path, {"20240101000000_init": INIT, "20240102000000_bio": BIO}, "sqlite")
    findings, _ = lint_migrations(tmp_path, "DB242")
    assert (
        findings
        == lint_migrations(tmp_path, "DB242", config='[migrations]\ntransaction = "none"\n')[0]
    )
    assert [f.message.split(":")[0] for f in findings] == [
        'Redefining "User" copies every row into "new_User" in a write transaction of its own '
        '(and no table "User" exists between the DROP and the RENAME)'
    ]


def test_fix_replaces_the_redefinition(tmp_path):
    write_migrations(tmp_path, {"20240101000000_init": INIT, "20240102000000_bio": BIO}, "sqlite")
    findings, _ = lint_migrations(tmp_path, "DB242")
    fix = findings[0].fix
    assert (fix.title, fix.applicability) == (
        'Alter "User" in place (drop "name", add "bio", add "active"), no copy',
        "safe",
    )
    assert apply_fixes(tmp_path, findings) == snapshot(
        {
            "prisma/migrations/20240102000000_bio/migration.sql": """\
ALTER TABLE "User" DROP COLUMN "name";
ALTER TABLE "User" ADD COLUMN "bio" TEXT;
ALTER TABLE "User" ADD COLUMN "active" BOOLEAN NOT NULL DEFAULT true;
"""
        }
    )
    assert lint_migrations(tmp_path, "DB242")[0] == []


def test_fix_keeps_a_new_index_and_pragmas_that_wrap_more(tmp_path):
    other = (
        'CREATE TABLE "new_Post" ("id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT, '
        '"authorId" TEXT NOT NULL);\n'
        'INSERT INTO "new_Post" ("authorId", "id") SELECT "authorId", "id" FROM "Post";\n'
        'DROP TABLE "Post";\nALTER TABLE "new_Post" RENAME TO "Post";\n'
    )
    sql = BIO.replace(
        'PRAGMA foreign_keys=ON;', 'CREATE INDEX "User_bio_idx" ON "User"("bio");\n' + other
        + "PRAGMA foreign_keys=ON;"
    )  # fmt: skip
    write_migrations(tmp_path, {"20240101000000_init": INIT, "20240102000000_bio": sql}, "sqlite")
    findings, _ = lint_migrations(tmp_path, "DB242")
    assert [f.fix is not None for f in findings] == [True, False]  # "Post" loses its key
    assert apply_fixes(tmp_path, findings[:1]) == snapshot(
        {
            "prisma/migrations/20240102000000_bio/migration.sql": """\
-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
ALTER TABLE "User" DROP COLUMN "name";
ALTER TABLE "User" ADD COLUMN "bio" TEXT;
ALTER TABLE "User" ADD COLUMN "active" BOOLEAN NOT NULL DEFAULT true;
CREATE INDEX "User_bio_idx" ON "User"("bio");
CREATE TABLE "new_Post" ("id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT, "authorId" TEXT NOT NULL);
INSERT INTO "new_Post" ("authorId", "id") SELECT "authorId", "id" FROM "Post";
DROP TABLE "Post";
ALTER TABLE "new_Post" RENAME TO "Post";
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
"""
        }
    )


def test_fix_renames_and_reorders_unsafely(tmp_path):
    # "name" renamed to "fullName"; "bio" added before "email": ADD COLUMN puts it last
    sql = redefine(
        '    "id" TEXT NOT NULL PRIMARY KEY,\n    "bio" TEXT,\n    "email" TEXT NOT NULL,\n'
        '    "fullName" TEXT',
        '"email", "fullName", "id"',
    ).replace('SELECT "email", "fullName", "id"', 'SELECT "email", "name", "id"')
    write_migrations(tmp_path, {"20240101000000_init": INIT, "20240102000000_x": sql}, "sqlite")
    findings, _ = lint_migrations(tmp_path, "DB242")
    fix = findings[0].fix
    assert (fix.title, fix.applicability) == (
        'Alter "User" in place (rename "name" to "fullName", add "bio"), no copy; '
        "its columns end in another order",
        "unsafe",
    )
    assert apply_fixes(tmp_path, findings)["prisma/migrations/20240102000000_x/migration.sql"] == (
        'ALTER TABLE "User" RENAME COLUMN "name" TO "fullName";\n'
        'ALTER TABLE "User" ADD COLUMN "bio" TEXT;\n'
    )


def test_fix_keeps_the_case_of_unquoted_names(tmp_path):
    """An unquoted column name is written back as declared: `fullName`, not `FULLNAME` (the
    fix used to upper-case it, and SQLite keeps the name a column is given)."""
    init = "CREATE TABLE Account (id TEXT NOT NULL PRIMARY KEY, userName TEXT, oldNote TEXT);\n"
    sql = (
        "PRAGMA foreign_keys=OFF;\n"
        "CREATE TABLE new_Account (id TEXT NOT NULL PRIMARY KEY, fullName TEXT, lastSeen TEXT);\n"
        "INSERT INTO new_Account (id, fullName) SELECT id, userName FROM Account;\n"
        "DROP TABLE Account;\n"
        "ALTER TABLE new_Account RENAME TO Account;\n"
        "PRAGMA foreign_keys=ON;\n"
    )
    write_migrations(tmp_path, {"20240101000000_init": init, "20240102000000_x": sql}, "sqlite")
    findings, _ = lint_migrations(tmp_path, "DB242")
    assert findings[0].fix.title == (
        'Alter "Account" in place (drop "oldNote", rename "userName" to "fullName", '
        'add "lastSeen"), no copy'
    )
    assert apply_fixes(tmp_path, findings)["prisma/migrations/20240102000000_x/migration.sql"] == (
        'ALTER TABLE "Account" DROP COLUMN "oldNote";\n'
        'ALTER TABLE "Account" RENAME COLUMN "userName" TO "fullName";\n'
        'ALTER TABLE "Account" ADD COLUMN lastSeen TEXT;\n'
    )


KEPT = '    "id" TEXT NOT NULL PRIMARY KEY,\n    "email" TEXT NOT NULL'


@pytest.mark.parametrize(
    ("columns", "copied", "config", "init"),
    [
        pytest.param(KEPT + ',\n    "name" TEXT NOT NULL', '"email", "id", "name"', "", INIT,
                     id="nullability-change"),
        pytest.param(KEPT + ',\n    "name" INTEGER', '"email", "id", "name"', "", INIT,
                     id="type-change"),
        pytest.param(KEPT + ',\n    "name" TEXT,\n    "age" INTEGER NOT NULL', '"email", "id", "name"',
                     "", INIT, id="required-without-default"),
        pytest.param(KEPT + ',\n    "name" TEXT,\n    "at" DATETIME DEFAULT CURRENT_TIMESTAMP',
                     '"email", "id", "name"', "", INIT, id="non-constant-default"),
        pytest.param(KEPT + ',\n    "name" TEXT,\n    "code" TEXT UNIQUE', '"email", "id", "name"',
                     "", INIT, id="unique-column"),
        pytest.param(KEPT + ',\n    "name" TEXT,\n    "boss" TEXT DEFAULT \'x\' REFERENCES "User" ("id")',
                     '"email", "id", "name"', "", INIT, id="reference-with-default"),
        pytest.param('    "id" TEXT NOT NULL PRIMARY KEY,\n    "name" TEXT', '"id", "name"', "",
                     INIT.replace('CREATE UNIQUE INDEX "User_email_key" ON "User"("email");\n', ""),
                     id="index-not-rebuilt"),
        pytest.param(KEPT, '"email", "id"', 'database-version = "3.34"\n', INIT,
                     id="drop-column-before-3.35"),
        pytest.param(KEPT, '"email", "id"', "",
                     INIT + 'CREATE INDEX "User_name_idx" ON "User"("name");\n', id="indexed-column"),
        pytest.param(KEPT, '"email", "id"', "",
                     INIT + 'CREATE VIEW "Named" AS SELECT "name" FROM "User";\n', id="view"),
        pytest.param(KEPT, '"email", "id"', "",
                     INIT.replace('"name" TEXT', '"name" TEXT CHECK ("name" <> \'\')'),
                     id="checked-column"),
    ],
)  # fmt: skip
def test_fix_declined(tmp_path, columns, copied, config, init):
    sql = redefine(columns, copied)
    if "User_email_key" not in init:
        sql = sql.replace('CREATE UNIQUE INDEX "User_email_key" ON "User"("email");\n', "")
        init += 'CREATE INDEX "User_name_idx" ON "User"("name");\n'  # dropped by the redefinition
    write_migrations(tmp_path, {"20240101000000_init": init, "20240102000000_x": sql}, "sqlite")
    findings, _ = lint_migrations(tmp_path, "DB242", config=config)
    assert len(findings) == 1
    assert findings[0].fix is None
    assert findings[0].help.startswith("SQLite can only make this change by copying the table")


def test_fix_offered_from_3_35(tmp_path):
    write_migrations(tmp_path, {"20240101000000_init": INIT, "20240102000000_bio": BIO}, "sqlite")
    findings, _ = lint_migrations(tmp_path, "DB242", config='database-version = "3.35"\n')
    assert findings[0].fix is not None


# -- the corpus -------------------------------------------------------------------------------


@pytest.mark.corpus
def test_corpus(corpus_dir, tmp_path):
    """pingvin-share's 24 SQLite migrations redefine tables 17 times, each of a table an
    earlier migration created; epic-stack's single migration creates its tables (none)."""
    counts = {}
    for project in ("pingvin-share/backend", "epic-stack"):
        root = tmp_path / project.split("/")[0]
        shutil.copytree(corpus_dir / project / "prisma", root / "prisma")
        findings, texts = lint_migrations(root, "DB242")
        counts[project] = (
            len(findings),
            sum(f.fix is not None for f in findings),
            sum(f.fix is not None and f.fix.applicability == "safe" for f in findings),
        )
        folders = sorted(os.listdir(root / "prisma" / "migrations"))
        for f in findings:
            table = re.match(r'Redefining "(\w+)"', f.message).group(1)
            folder = os.path.basename(os.path.dirname(f.span.file))
            earlier = [
                (root / "prisma" / "migrations" / d / "migration.sql").read_text()
                for d in folders
                if d < folder and d.startswith("2")
            ]
            assert any(f'CREATE TABLE "{table}"' in text for text in earlier), (folder, table)
            assert f'CREATE TABLE "{table}"' not in texts[f.span.file], (folder, table)
    assert counts == {"pingvin-share/backend": (17, 7, 1), "epic-stack": (0, 0, 0)}

"""SQLite replay, one line per behaviour: declared types and defaults as written, and
Prisma's table redefinition. The same forms run on a real SQLite in `fixtures/sqlite`."""

from __future__ import annotations

import pytest

from tests.server.migrations.conftest import (
    columns,
    foreign_keys,
    indexes,
    replay_sql,
    schema_of,
    table_of,
)

LITE = "sqlite"


def col(decl: str) -> str:
    return columns(table_of(LITE, "t", f'CREATE TABLE "t" ("c" {decl});'))["c"]


@pytest.mark.parametrize(
    "decl, expected",
    [
        ("TEXT NOT NULL", "TEXT not null"),
        ("varchar(20)", "VARCHAR(20)"),
        ("DECIMAL(10, 2)", "DECIMAL(10, 2)"),
        ("BOOLEAN NOT NULL DEFAULT false", "BOOLEAN not null default false"),
        ("DATETIME DEFAULT CURRENT_TIMESTAMP", "DATETIME default CURRENT_TIMESTAMP"),
        ("TEXT DEFAULT (datetime('now'))", "TEXT default datetime('now')"),
        ("INTEGER DEFAULT -1", "INTEGER default -1"),
        ("TEXT DEFAULT 'x'", "TEXT default 'x'"),
        ("JSONB", "JSONB"),
        ("", ""),
    ],
)
def test_types_and_defaults_as_written(decl: str, expected: str) -> None:
    assert col(decl) == expected


def test_primary_keys_have_no_name_and_do_not_imply_not_null() -> None:
    t = table_of(LITE, "t", 'CREATE TABLE "t" ("id" TEXT PRIMARY KEY, CONSTRAINT "x" CHECK (1));')
    assert (t.primary_key.name, columns(t)["id"]) == (None, "TEXT")


def test_autoincrement() -> None:
    assert col("INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT") == "INTEGER not null auto"


def test_unique_constraints_take_autoindex_names() -> None:
    t = table_of(
        LITE,
        "t",
        'CREATE TABLE "t" ("id" TEXT PRIMARY KEY, "a" TEXT UNIQUE, "b" TEXT, '
        'CONSTRAINT "named" UNIQUE ("a", "b"), UNIQUE ("b"));',
    )
    assert [u.name for u in t.uniques] == ["sqlite_autoindex_t_2", "named", "sqlite_autoindex_t_4"]


def test_table_redefinition() -> None:
    schema = schema_of(
        LITE,
        'CREATE TABLE "User" ("id" TEXT NOT NULL PRIMARY KEY, "name" TEXT);'
        'CREATE TABLE "Post" ("id" TEXT PRIMARY KEY, "uid" TEXT REFERENCES "User" ("id"));'
        'CREATE UNIQUE INDEX "User_name_key" ON "User"("name");',
        """PRAGMA foreign_keys=OFF;
        CREATE TABLE "new_User" ("id" TEXT NOT NULL PRIMARY KEY, "name" TEXT NOT NULL, "x" INT);
        INSERT INTO "new_User" ("id", "name") SELECT "id", "name" FROM "User";
        DROP TABLE "User";
        ALTER TABLE "new_User" RENAME TO "User";
        CREATE UNIQUE INDEX "User_name_key" ON "User"("name");
        PRAGMA foreign_key_check;
        PRAGMA foreign_keys=ON;""",
    )
    assert columns(schema.table("User")) == {
        "id": "TEXT not null",
        "name": "TEXT not null",
        "x": "INT",
    }
    assert indexes(schema.table("User")) == {"User_name_key": "unique (name)"}
    assert foreign_keys(schema.table("Post")) == {"": "(uid) -> User(id) NoAction/NoAction"}


def test_a_renamed_table_takes_its_indexes_and_the_references_to_it() -> None:
    schema = schema_of(
        LITE,
        'CREATE TABLE "a" ("id" INTEGER PRIMARY KEY, "v" TEXT UNIQUE);'
        'CREATE INDEX "a_v" ON "a"("v");'
        'CREATE TABLE "c" ("aid" INTEGER,'
        ' CONSTRAINT "c_fk" FOREIGN KEY ("aid") REFERENCES "a" ("id"));',
        'ALTER TABLE "a" RENAME TO "b";',
    )
    assert list(indexes(schema.table("b"))) == ["a_v"]
    assert [u.name for u in schema.table("b").uniques] == ["sqlite_autoindex_b_1"]
    assert foreign_keys(schema.table("c")) == {"c_fk": "(aid) -> b(id) NoAction/NoAction"}


def test_foreign_keys_keep_the_target_as_written() -> None:
    schema = schema_of(
        LITE,
        'CREATE TABLE "User" ("id" TEXT PRIMARY KEY);'
        'CREATE TABLE "p" ("u" TEXT REFERENCES "user"("id") ON DELETE CASCADE);',
    )
    assert foreign_keys(schema.table("p")) == {"": "(u) -> user(id) Cascade/NoAction"}


def test_add_rename_and_drop_column() -> None:
    t = table_of(
        LITE,
        "t",
        'CREATE TABLE "t" ("a" TEXT);',
        'ALTER TABLE "t" ADD COLUMN "b" INTEGER NOT NULL DEFAULT 1;'
        'ALTER TABLE "t" RENAME COLUMN "a" TO "z"; ALTER TABLE "t" DROP COLUMN "b";',
    )
    assert columns(t) == {"z": "TEXT"}


def test_indexes_partial_expression_desc_and_if_not_exists() -> None:
    t = table_of(
        LITE,
        "t",
        'CREATE TABLE "t" ("a" TEXT, "b" INT);'
        'CREATE INDEX "i" ON "t"("a" DESC, lower("a")) WHERE "b" = 1;'
        'CREATE INDEX IF NOT EXISTS "i" ON "t"("b");',
    )
    assert indexes(t) == {"i": '(a desc, LOWER("a")) where "b" = 1'}


def test_names_are_case_insensitive() -> None:
    t = table_of(
        LITE, "T", 'CREATE TABLE "T" ("Aa" TEXT);', 'ALTER TABLE "t" RENAME COLUMN "aa" TO "b";'
    )
    assert list(columns(t)) == ["b"]


def test_views_triggers_pragmas_and_data() -> None:
    result = replay_sql(
        LITE,
        'CREATE TABLE "t" ("a" INT); CREATE VIEW "v" AS SELECT "a" FROM "t";'
        'CREATE TRIGGER "tr" AFTER INSERT ON "t" BEGIN UPDATE "t" SET "a" = 1; END;'
        'PRAGMA foreign_keys=OFF; INSERT INTO "t" VALUES (1); DROP VIEW IF EXISTS "v";',
    )
    assert [s.action for s in result.statements] == [
        "applied",
        "applied",
        "opaque",
        "applied",
        "opaque",
        "applied",
    ]
    assert [t.name for t in result.schema.tables] == ["t"]

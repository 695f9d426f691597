"""The SQLite introspector against hand-written DDL (in-process SQLite)."""

from __future__ import annotations

from schemasense.server.verify.apply import apply
from schemasense.server.verify.databases import introspect

PRISMA_STYLE = """
CREATE TABLE "User" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "email" TEXT NOT NULL,
    "role" TEXT NOT NULL DEFAULT 'USER',
    "isAdmin" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "score" DECIMAL(10, 2),
    "data" BLOB
);
CREATE TABLE "Share" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "creatorId" INTEGER,
    "uploadId" TEXT,
    "title" TEXT,
    "deletedAt" DATETIME,
    CONSTRAINT "Share_creatorId_fkey" FOREIGN KEY ("creatorId") REFERENCES "User" ("id")
        ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "Share_title_key" UNIQUE ("title")
);
CREATE TABLE "Pair" ("a" TEXT NOT NULL, "b" TEXT NOT NULL, "share" TEXT REFERENCES "Share",
    PRIMARY KEY ("a", "b"));
CREATE UNIQUE INDEX "User_email_key" ON "User"("email");
CREATE INDEX "Share_lower_idx" ON "Share" (lower("title"), "id" DESC);
CREATE INDEX "Share_live_idx" ON "Share"("creatorId") WHERE "deletedAt" IS NULL;
CREATE VIEW "Live" AS SELECT * FROM "Share" WHERE "deletedAt" IS NULL;
CREATE TABLE "_prisma_migrations" ("id" TEXT PRIMARY KEY NOT NULL);
"""


def test_prisma_style_tables(sqlite_url):
    apply(sqlite_url, PRISMA_STYLE)
    s = introspect(sqlite_url)
    assert s.provider == "sqlite"
    assert [(t.name, t.kind) for t in s.tables] == [
        ("Live", "view"), ("Pair", "table"), ("Share", "table"), ("User", "table"),
    ]  # fmt: skip
    user = s.table("User")
    c = {col.name: col for col in user.columns}
    assert (c["id"].type.native, c["id"].type.kind, c["id"].auto_increment) == (
        "INTEGER", "int", True,
    )  # fmt: skip
    assert (c["role"].default.value, c["isAdmin"].default.value) == ("'USER'", "false")
    assert c["isAdmin"].type.kind == "boolean"
    assert c["createdAt"].type.kind == "timestamp"
    assert c["createdAt"].default.value == "CURRENT_TIMESTAMP"
    assert (c["score"].type.native, c["score"].type.precision) == ("DECIMAL(10, 2)", 10)
    assert c["data"].type.kind == "bytes" and c["data"].nullable
    assert user.primary_key.name is None
    assert [p.column for p in user.primary_key.columns] == ["id"]
    assert [(i.name, i.unique) for i in user.indexes] == [("User_email_key", True)]

    share = s.table("Share")
    assert not share.column("id").auto_increment
    (fk,) = share.foreign_keys
    assert (fk.name, fk.columns, fk.referenced_table, fk.referenced_columns) == (
        "Share_creatorId_fkey", ["creatorId"], "User", ["id"],
    )  # fmt: skip
    assert (fk.on_delete, fk.on_update) == ("SetNull", "Cascade")
    assert [(u.name, [p.column for p in u.columns]) for u in share.uniques] == [
        ("Share_title_key", ["title"]),
    ]  # fmt: skip
    idx = {i.name: i for i in share.indexes}
    assert [(p.column, p.expression, p.sort) for p in idx["Share_lower_idx"].columns] == [
        (None, 'lower("title")', None), ("id", None, "desc"),
    ]  # fmt: skip
    assert idx["Share_live_idx"].predicate == '"deletedAt" IS NULL'
    assert idx["Share_lower_idx"].predicate is None

    pair = s.table("Pair")
    assert [p.column for p in pair.primary_key.columns] == ["a", "b"]
    assert pair.indexes == [] and pair.uniques == []  # the key's own autoindex is not listed
    (fk,) = pair.foreign_keys
    assert (fk.name, fk.referenced_table, fk.referenced_columns) == ("", "Share", ["id"])

"""DB111 updated-at-without-attribute."""

from __future__ import annotations

from inline_snapshot import snapshot

from tests.server.rules.helpers import POSTGRES, check, fixed, lint

SCHEMA = POSTGRES + (
    "model Post {\n  id         Int       @id\n  updatedAt  DateTime  @default(now()) @db.Timestamptz(3)\n"
    "  modified_at DateTime? @db.Timestamptz(3)\n}\n"
)


def test_ok():
    schema = POSTGRES + (
        "model Post {\n  id Int @id\n  updatedAt DateTime @updatedAt\n"
        '  updatedBy String\n  lastUpdated DateTime @default(dbgenerated("now()"))\n}\n'
    )
    assert lint(schema, "DB111") == []


def test_err():
    assert check(SCHEMA, "DB111") == snapshot("""\
schema.prisma:7:3: warning[DB111] `Post.updatedAt` looks like a last-modified time but has no @updatedAt
  |
7 |   updatedAt  DateTime  @default(now()) @db.Timestamptz(3)
  |   ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
  = help: add @updatedAt so Prisma sets it on every update

schema.prisma:8:3: warning[DB111] `Post.modified_at` looks like a last-modified time but has no @updatedAt
  |
8 |   modified_at DateTime? @db.Timestamptz(3)
  |   ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
  = help: add @updatedAt so Prisma sets it on every update
""")


def test_fix():
    assert fixed(SCHEMA, "DB111") == snapshot("""\
datasource db {
  provider = "postgresql"
}

model Post {
  id         Int       @id
  updatedAt  DateTime  @default(now()) @db.Timestamptz(3) @updatedAt
  modified_at DateTime? @db.Timestamptz(3) @updatedAt
}
""")

"""DB101 foreign-key-without-index."""

from __future__ import annotations

from inline_snapshot import snapshot

from tests.server.rules.helpers import MYSQL, POSTGRES, SQLITE, check, fixed, lint

USER = "model User {\n  id    Int    @id\n  posts Post[]\n}\n\n"


def test_ok_index_leads_with_the_key():
    schema = (
        POSTGRES
        + USER
        + (
            "model Post {\n"
            "  id        Int      @id\n"
            "  authorId  Int\n"
            "  createdAt DateTime @db.Timestamptz(3)\n"
            "  author    User     @relation(fields: [authorId], references: [id])\n\n"
            "  @@index([authorId, createdAt])\n"
            "}\n"
        )
    )
    assert lint(schema, "DB101") == []


def test_ok_covered_by_primary_key_or_unique_in_any_order():
    schema = (
        POSTGRES
        + USER
        + (
            "model Tag {\n  id Int @id\n  posts Post[]\n}\n\n"
            "model Post {\n"
            "  authorId Int\n"
            "  tagId    Int @unique\n"
            "  author   User @relation(fields: [authorId], references: [id])\n"
            "  tag      Tag  @relation(fields: [tagId], references: [id])\n\n"
            "  @@id([authorId, tagId])\n"
            "}\n"
        )
    )
    assert lint(schema, "DB101") == []


def test_ok_mysql_creates_the_index_itself():
    schema = (
        MYSQL
        + USER
        + (
            "model Post {\n  id Int @id\n  authorId Int\n"
            "  author User @relation(fields: [authorId], references: [id])\n}\n"
        )
    )
    assert lint(schema, "DB101") == []


SCHEMA = (
    POSTGRES
    + USER
    + (
        "model Post {\n"
        "  id       Int  @id\n"
        "  title    String\n"
        "  authorId Int\n"
        "  author   User @relation(fields: [authorId], references: [id])\n\n"
        "  @@index([title, authorId])\n"
        "}\n"
    )
)


def test_err_index_that_does_not_lead_with_the_key():
    assert check(SCHEMA, "DB101") == snapshot("""\
schema.prisma:14:3: warning[DB101] Foreign key `Post_authorId_fkey` on `Post` (authorId) has no index that leads with its columns
   |
14 |   author   User @relation(fields: [authorId], references: [id])
   |   ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
   = help: add @@index([authorId]): deleting or updating a `User` row otherwise scans `Post`
""")


def test_err_sqlite_too():
    schema = (
        SQLITE
        + USER
        + (
            "model Post {\n  id Int @id\n  authorId Int\n"
            "  author User @relation(fields: [authorId], references: [id])\n}\n"
        )
    )
    assert [f.code for f in lint(schema, "DB101")] == ["DB101"]


def test_fix_adds_the_index():
    assert fixed(SCHEMA, "DB101") == snapshot("""\
datasource db {
  provider = "postgresql"
}

model User {
  id    Int    @id
  posts Post[]
}

model Post {
  id       Int  @id
  title    String
  authorId Int
  author   User @relation(fields: [authorId], references: [id])

  @@index([title, authorId])
  @@index([authorId])
}
""")


def test_fix_first_block_attribute_gets_a_blank_line():
    schema = (
        POSTGRES
        + USER
        + (
            "model Post {\n  id       Int  @id\n  authorId Int\n"
            "  author   User @relation(fields: [authorId], references: [id])\n}\n"
        )
    )
    assert fixed(schema, "DB101") == snapshot("""\
datasource db {
  provider = "postgresql"
}

model User {
  id    Int    @id
  posts Post[]
}

model Post {
  id       Int  @id
  authorId Int
  author   User @relation(fields: [authorId], references: [id])

  @@index([authorId])
}
""")


PARTIAL = (
    'generator client {\n  provider        = "prisma-client-js"\n'
    '  previewFeatures = ["partialIndexes"]\n}\n\n'
)


def test_partial_index_does_not_count():
    schema = (
        POSTGRES
        + PARTIAL
        + USER
        + (
            "model Post {\n  id Int @id\n  authorId Int\n"
            "  author User @relation(fields: [authorId], references: [id])\n\n"
            '  @@index([authorId], where: raw("\\"authorId\\" > 0"))\n}\n'
        )
    )
    assert [f.code for f in lint(schema, "DB101")] == ["DB101"]

"""DB112 uuid-stored-as-text."""

from __future__ import annotations

from inline_snapshot import snapshot

from tests.server.rules.helpers import MYSQL, POSTGRES, check, fixed, lint

SCHEMA = POSTGRES + (
    "model User {\n  id    String @id @default(uuid())\n  posts Post[]\n}\n\n"
    "model Post {\n  id       String @id @default(uuid()) @db.Uuid\n  authorId String\n"
    "  author   User   @relation(fields: [authorId], references: [id])\n\n  @@index([authorId])\n}\n"
)


def test_ok_uuid_type_cuid_and_mysql():
    assert lint(POSTGRES + "model A {\n  id String @id @default(cuid())\n}\n", "DB112") == []
    assert lint(MYSQL + "model A {\n  id String @id @default(uuid())\n}\n", "DB112") == []


def test_err():
    assert check(SCHEMA, "DB112") == snapshot("""\
schema.prisma:6:3: info[DB112] `User.id` stores a UUID as text
  |
6 |   id    String @id @default(uuid())
  |   ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
  = help: add @db.Uuid: 16 bytes instead of 37, and only valid UUIDs
""")


def test_fix_adds_db_uuid_to_the_key_and_its_references():
    assert fixed(SCHEMA, "DB112") == snapshot("""\
datasource db {
  provider = "postgresql"
}

model User {
  id    String @id @default(uuid()) @db.Uuid
  posts Post[]
}

model Post {
  id       String @id @default(uuid()) @db.Uuid
  authorId String @db.Uuid
  author   User   @relation(fields: [authorId], references: [id])

  @@index([authorId])
}
""")

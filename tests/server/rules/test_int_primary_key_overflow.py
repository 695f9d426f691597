"""DB108 int-primary-key-overflow."""

from __future__ import annotations

from inline_snapshot import snapshot

from tests.server.rules.helpers import POSTGRES, SQLITE, check, fixed, lint

SCHEMA = POSTGRES + (
    "model User {\n  id    Int    @id @default(autoincrement())\n  posts Post[]\n}\n\n"
    "model Post {\n  id       BigInt @id @default(autoincrement())\n  authorId Int\n"
    "  author   User   @relation(fields: [authorId], references: [id])\n\n"
    "  @@index([authorId])\n}\n"
)


def test_ok_bigint_sqlite_and_app_assigned_ids():
    assert lint(SQLITE + "model A {\n  id Int @id @default(autoincrement())\n}\n", "DB108") == []
    assert lint(POSTGRES + "model A {\n  id Int @id\n}\n", "DB108") == []


def test_err():
    assert check(SCHEMA, "DB108") == snapshot("""\
schema.prisma:6:3: warning[DB108] Primary key `User.id` is a 32-bit integer: inserts fail after 2,147,483,647 ids
  |
6 |   id    Int    @id @default(autoincrement())
  |   ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
  = help: use BigInt (bigint) for keys that grow with traffic
""")


def test_fix_changes_the_key_and_its_references():
    assert fixed(SCHEMA, "DB108") == snapshot("""\
datasource db {
  provider = "postgresql"
}

model User {
  id    BigInt    @id @default(autoincrement())
  posts Post[]
}

model Post {
  id       BigInt @id @default(autoincrement())
  authorId BigInt
  author   User   @relation(fields: [authorId], references: [id])

  @@index([authorId])
}
""")


def test_options():
    app_assigned = POSTGRES + "model A {\n  id Int @id\n}\n"
    assert (
        len(
            lint(
                app_assigned,
                "DB108",
                config="[rules.int-primary-key-overflow]\nall-integer-keys = true\n",
            )
        )
        == 1
    )
    ignore = '[rules.int-primary-key-overflow]\nignore-tables = ["User"]\n'
    assert lint(SCHEMA, "DB108", config=ignore) == []

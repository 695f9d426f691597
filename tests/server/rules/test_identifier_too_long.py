"""DB106 identifier-too-long."""

from __future__ import annotations

from inline_snapshot import snapshot

from tests.server.rules.helpers import MYSQL, POSTGRES, SQLITE, check, lint

LONG = "a" * 64


def test_ok_at_the_limit_and_on_sqlite():
    assert lint(POSTGRES + f"model A {{\n  id Int @id\n  {'b' * 63} Int\n}}\n", "DB106") == []
    assert lint(SQLITE + f"model A {{\n  id Int @id\n  {LONG * 2} Int\n}}\n", "DB106") == []


def test_err_table_column_and_enum_names():
    schema = POSTGRES + (
        f'enum E {{\n  X\n\n  @@map("{"e" * 70}")\n}}\n\n'
        f'model A {{\n  id Int @id\n  {LONG} Int\n  e E\n\n  @@map("{"t" * 64}")\n}}\n'
    )
    assert check(schema, "DB106") == snapshot("""\
schema.prisma:5:1: warning[DB106] The enum name `eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee` is 70 bytes; Postgres allows 63
  |
5 | enum E {
  | ^^^^^^
  = help: give it a shorter database name with @map / @@map (or map: for keys)

schema.prisma:11:1: warning[DB106] The table name `tttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttt` is 64 bytes; Postgres allows 63
   |
11 | model A {
   | ^^^^^^^
   = help: give it a shorter database name with @map / @@map (or map: for keys)

schema.prisma:12:10: warning[DB106] Prisma derives the primary key name `tttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttt_pkey` (69 bytes) and cuts it to `tttttttttttttttttttttttttttttttttttttttttttttttttttttttttt_pkey`
   |
12 |   id Int @id
   |          ^^^
   = help: name it yourself with map: "..." so SQL and tools can find it

schema.prisma:13:3: warning[DB106] The column name `aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa` is 64 bytes; Postgres allows 63
   |
13 |   aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa Int
   |   ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
   = help: give it a shorter database name with @map / @@map (or map: for keys)
""")


def test_err_derived_names_that_prisma_cuts():
    schema = POSTGRES + (
        "model OrganizationMembership {\n  id Int @id\n"
        "  invitationReminderScheduleIdentifierNumber Int\n\n"
        "  @@index([invitationReminderScheduleIdentifierNumber])\n}\n"
    )
    assert check(schema, "DB106") == snapshot("""\
schema.prisma:9:3: warning[DB106] Prisma derives the index name `OrganizationMembership_invitationReminderScheduleIdentifierNumber_idx` (69 bytes) and cuts it to `OrganizationMembership_invitationReminderScheduleIdentifier_idx`
  |
9 |   @@index([invitationReminderScheduleIdentifierNumber])
  |   ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
  = help: name it yourself with map: "..." so SQL and tools can find it
""")


def test_mysql_counts_characters():
    name = "é" * 40  # 80 bytes, 40 characters
    assert lint(MYSQL + f'model A {{\n  id Int @id\n  x Int @map("{name}")\n}}\n', "DB106") == []
    assert [
        f.code
        for f in lint(POSTGRES + f'model A {{\n  id Int @id\n  x Int @map("{name}")\n}}\n', "DB106")
    ] == ["DB106"]

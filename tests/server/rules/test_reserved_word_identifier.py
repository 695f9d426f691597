"""DB107 reserved-word-identifier."""

from __future__ import annotations

from inline_snapshot import snapshot

from tests.server.rules.helpers import MYSQL, POSTGRES, check, lint


def test_ok():
    assert lint(POSTGRES + "model Orders {\n  id Int @id\n  groupName String\n}\n", "DB107") == []


def test_err_postgres():
    schema = POSTGRES + 'model Order {\n  id    Int    @id\n  group String\n\n  @@map("order")\n}\n'
    assert check(schema, "DB107") == snapshot("""\
schema.prisma:5:1: info[DB107] Table name `order` is a reserved word in Postgres
  |
5 | model Order {
  | ^^^^^^^^^^^
  = help: every raw query must quote it; a plural or prefixed name avoids that

schema.prisma:7:3: info[DB107] Column name `order.group` is a reserved word in Postgres
  |
7 |   group String
  |   ^^^^^^^^^^^^
  = help: every raw query must quote it; @map("...") gives it another database name
""")


def test_err_mysql_words_differ():
    schema = MYSQL + "model A {\n  id   Int @id\n  rank Int\n}\n"
    assert [f.message for f in lint(schema, "DB107")] == snapshot(
        ["Column name `A.rank` is a reserved word in MySQL"]
    )

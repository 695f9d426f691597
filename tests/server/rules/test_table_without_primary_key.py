"""DB103 table-without-primary-key."""

from __future__ import annotations

from inline_snapshot import snapshot

from tests.server.rules.helpers import MYSQL, POSTGRES, check, fixed, lint


def test_ok_id_compound_id_and_views():
    schema = POSTGRES + (
        "model A {\n  id Int @id\n}\n\nmodel B {\n  x Int\n  y Int\n\n  @@id([x, y])\n}\n"
    )
    assert lint(schema, "DB103") == []


def test_err_only_a_unique():
    schema = POSTGRES + "model Setting {\n  key   String @unique\n  value String\n}\n"
    assert check(schema, "DB103") == snapshot("""\
schema.prisma:5:1: warning[DB103] Table `Setting` has no primary key
  |
5 | model Setting {
  | ^^^^^^^^^^^^^
  = help: make the unique key the primary key (@id / @@id)
""")


def test_fix_turns_the_unique_into_the_id():
    schema = MYSQL + "model Setting {\n  key   String @unique\n  value String\n}\n"
    assert fixed(schema, "DB103") == snapshot("""\
datasource db {
  provider = "mysql"
}

model Setting {
  key   String @id
  value String
}
""")
    compound = POSTGRES + "model M {\n  a Int\n  b Int\n\n  @@unique([a, b])\n}\n"
    assert fixed(compound, "DB103") == snapshot("""\
datasource db {
  provider = "postgresql"
}

model M {
  a Int
  b Int

  @@id([a, b])
}
""")


def test_no_fix_when_the_unique_is_nullable_or_there_are_several():
    nullable = POSTGRES + "model S {\n  key String? @unique\n  x   Int     @unique\n}\n"
    (finding,) = lint(nullable, "DB103")
    assert finding.fix is None

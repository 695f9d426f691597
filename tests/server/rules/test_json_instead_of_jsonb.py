"""DB109 json-instead-of-jsonb."""

from __future__ import annotations

from inline_snapshot import snapshot

from tests.server.rules.helpers import MYSQL, POSTGRES, check, fixed, lint

SCHEMA = (
    POSTGRES + "model Event {\n  id      Int  @id\n  payload Json @db.Json\n  meta    Json\n}\n"
)


def test_ok_jsonb_default_and_mysql():
    assert (
        lint(POSTGRES + "model A {\n  id Int @id\n  j Json\n  k Json @db.JsonB\n}\n", "DB109") == []
    )
    assert lint(MYSQL + "model A {\n  id Int @id\n  j Json\n}\n", "DB109") == []


def test_err():
    assert check(SCHEMA, "DB109") == snapshot("""\
schema.prisma:7:3: warning[DB109] `Event.payload` is `json`, not `jsonb`
  |
7 |   payload Json @db.Json
  |   ^^^^^^^^^^^^^^^^^^^^^
  = help: use jsonb (drop @db.Json): indexable, comparable, parsed once
""")


def test_fix():
    assert fixed(SCHEMA, "DB109") == snapshot("""\
datasource db {
  provider = "postgresql"
}

model Event {
  id      Int  @id
  payload Json
  meta    Json
}
""")

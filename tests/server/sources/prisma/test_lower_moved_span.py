"""A keystroke reuses the lowered tables of unchanged models and moves their spans
(`lower._shift_table`, with `moved_span` bypassing pydantic's generic construction): the moved
schema must equal, field for field, the schema a new read lowers from the same text."""

from __future__ import annotations

from schemasense.codegen.schema import Span
from schemasense.server.sources.prisma.lower import moved_span
from schemasense.server.sources.prisma.reader import read_prisma_schema

SCHEMA = """datasource db {
  provider = "postgresql"
  url      = env("DATABASE_URL")
}

model Author {
  id    Int    @id @default(autoincrement())
  email String @unique
  books Book[]
}

model Book {
  id       Int    @id
  title    String
  authorId Int
  author   Author @relation(fields: [authorId], references: [id])

  @@index([title])
}

model Tag {
  id    Int    @id @default(autoincrement())
  label String @unique @db.VarChar(40)

  @@index([label(sort: Desc)])
}
"""


def test_moved_span_equals_a_validated_span():
    moved = moved_span(Span(file="a.prisma", start=3, end=9), 5)
    assert moved == Span(file="a.prisma", start=8, end=14)
    assert moved.model_fields_set == {"file", "start", "end"}
    assert Span.model_validate_json(moved.model_dump_json()) == moved
    assert moved_span(moved, -8) == Span(file="a.prisma", start=0, end=6)


def test_tables_moved_by_an_edit_before_them_equal_a_new_lowering():
    first = read_prisma_schema({"schema.prisma": SCHEMA})
    assert first.schema.tables  # lowered once: the tables are kept in the caches
    edited = SCHEMA.replace("model Author {\n", "model Author {\n  nick  String?\n")
    warm = read_prisma_schema({"schema.prisma": edited}, caches=first.caches)
    cold = read_prisma_schema({"schema.prisma": edited})
    tag = next(t for t in warm.schema.tables if t.name == "Tag")
    # Tag's block moved by the inserted line, and its table was reused, not lowered again
    assert tag is next(t for t in first.schema.tables if t.name == "Tag")
    assert tag.span.start == edited.index("model Tag")
    assert warm.schema == cold.schema
    assert warm.schema.model_dump_json() == cold.schema.model_dump_json()

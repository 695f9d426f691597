"""Small schemas the language tests share, and helpers to read them and find offsets."""

from __future__ import annotations

from schemasense.server.language.index import SchemaIndex, index_for
from schemasense.server.readers.prisma import read_prisma_schema

BLOG = """\
datasource db {
  provider = "postgresql"
}

enum Role {
  READER
  ADMIN @map("admin")
}

model User {
  id        Int      @id @default(autoincrement())
  email     String   @unique @db.VarChar(255)
  name      String?
  role      Role     @default(READER)
  posts     Post[]
  createdAt DateTime @default(now())
}

model Post {
  id        Int      @id @default(autoincrement())
  title     String   @default("untitled")
  authorId  Int
  author    User     @relation(fields: [authorId], references: [id])
  tags      Tag[]
  updatedAt DateTime @updatedAt

  @@index([authorId, createdAt(sort: Desc)])
  @@index([authorId])
  createdAt DateTime @default(now())
}

model Tag {
  id    Int    @id
  name  String
  posts Post[]

  @@unique([name])
}
"""

SPLIT = {
    "/p/schema/main.prisma": 'datasource db {\n  provider = "postgresql"\n}\n',
    "/p/schema/user.prisma": "model User {\n  id    Int    @id\n  posts Post[]\n}\n",
    "/p/schema/post.prisma": (
        "model Post {\n"
        "  id       Int  @id\n"
        "  authorId Int\n"
        "  author   User @relation(fields: [authorId], references: [id])\n"
        "\n"
        "  @@index([authorId])\n"
        "}\n"
    ),
}


def read(text: str = BLOG, file: str = "schema.prisma") -> SchemaIndex:
    return read_files({file: text})


def read_files(files: dict[str, str]) -> SchemaIndex:
    return index_for(files, read_prisma_schema(files))


def at(text: str, needle: str, delta: int = 0, nth: int = 0) -> int:
    """Offset of the `nth` occurrence of `needle` in `text`, plus `delta`."""
    offset = -1
    for _ in range(nth + 1):
        offset = text.index(needle, offset + 1)
    return offset + delta


def apply(text: str, edits) -> str:
    for edit in sorted(edits, key=lambda e: e.start, reverse=True):
        text = text[: edit.start] + edit.new_text + text[edit.end :]
    return text

"""Small schemas the language tests share, and helpers to read them and find offsets."""

from __future__ import annotations

from schemasense.server.sources.prisma import read_prisma_schema
from schemasense.server.sources.prisma.index import SchemaIndex, index_for

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


# A project with migrations: what Prisma Migrate would have written for it, then one change.
PROJECT_SCHEMA = """\
datasource db {
  provider = "postgresql"
}

model User {
  id    Int    @id @default(autoincrement())
  email String @unique
  name  String
  posts Post[]
}

model Post {
  id       Int    @id @default(autoincrement())
  title    String
  authorId Int
  author   User   @relation(fields: [authorId], references: [id])

  @@index([authorId])
}
"""

MIGRATION_INIT = """\
-- CreateTable
CREATE TABLE "User" (
    "id" SERIAL NOT NULL,
    "email" TEXT NOT NULL,
    "fullName" TEXT,

    CONSTRAINT "User_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Post" (
    "id" SERIAL NOT NULL,
    "title" TEXT NOT NULL,
    "authorId" INTEGER NOT NULL,

    CONSTRAINT "Post_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "User_email_key" ON "User"("email");

-- AddForeignKey
ALTER TABLE "Post" ADD CONSTRAINT "Post_authorId_fkey" FOREIGN KEY ("authorId") \
REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
"""

MIGRATION_CHANGE = """\
-- RenameColumn
ALTER TABLE "User" RENAME COLUMN "fullName" TO "name";

-- AlterColumn
ALTER TABLE "User" ALTER COLUMN "name" SET NOT NULL;

-- CreateIndex
CREATE INDEX "Post_authorId_idx" ON "Post"("authorId");
"""


def write_project(root) -> dict[str, object]:
    """`root/prisma/schema.prisma` and two migrations; returns the paths."""
    prisma = root / "prisma"
    init = prisma / "migrations" / "20240101000000_init"
    change = prisma / "migrations" / "20240201000000_name"
    init.mkdir(parents=True)
    change.mkdir(parents=True)
    (prisma / "migrations" / "migration_lock.toml").write_text('provider = "postgresql"\n')
    (init / "migration.sql").write_text(MIGRATION_INIT)
    (change / "migration.sql").write_text(MIGRATION_CHANGE)
    (prisma / "schema.prisma").write_text(PROJECT_SCHEMA)
    return {
        "schema": prisma / "schema.prisma",
        "init": init / "migration.sql",
        "change": change / "migration.sql",
        "migrations": prisma / "migrations",
    }

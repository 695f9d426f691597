"""A minimal Prisma project the drift, migration-link and generation tests share.

`SCHEMA` declares one table; `INIT` is the migration Prisma writes for it, so the pair has no
drift until a test edits one side.
"""

from __future__ import annotations

SCHEMA = """datasource db {
  provider = "postgresql"
}

model User {
  id    Int    @id @default(autoincrement())
  email String
}
"""

INIT = """-- CreateTable
CREATE TABLE "User" (
    "id" SERIAL NOT NULL,
    "email" TEXT NOT NULL,

    CONSTRAINT "User_pkey" PRIMARY KEY ("id")
);
"""

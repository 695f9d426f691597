"""`codegen.create_sql` writes the statements Prisma's schema engine writes, one for one.

For every schema the lowering test checks (the corpus schemas on PostgreSQL and SQLite, the valid
fixtures on those providers, and its own small schemas: maps, long names, composite keys, m:n,
1:1, enums, native types, defaults, lists, relationMode, multi-schema, index kinds), Prisma's
`migrate diff --from-empty` script (`@prisma/schema-engine-wasm`, offline) and ours hold the same
statements, text for text. The order of statements of one kind may differ (the engine orders a
table's indexes its own way); `CREATE EXTENSION` is the datasource's, not the schema model's.
"""

from __future__ import annotations

from collections import Counter

import pytest
from schemasense.codegen.orms.prisma.create_sql import (
    create_script,
    create_statements,
    table_statements,
)
from schemasense.server.sources.prisma import read_prisma_schema

from tests.codegen.prisma_wasm import ENGINE_ADAPTER, oracle_missing, run
from tests.server.sources.prisma.test_lowering_vs_engine import CASES, Case


def engine_statements(script: str) -> list[str]:
    """The engine's script as statements: each block starts with its `-- CreateTable` style
    comment (a blank line inside CREATE TABLE does not)."""
    out = []
    for block in ("\n" + script.strip()).split("\n-- ")[1:]:
        _, _, body = block.partition("\n")
        out.append(body.strip("\n"))
    return out


@pytest.fixture(scope="module")
def engine_sql() -> dict[str, str | Exception]:
    if reason := oracle_missing():
        pytest.skip(reason)
    todo = [c for c in CASES if c.text]
    answers = run(
        [{"op": "diff", "schema": c.text, "adapter": ENGINE_ADAPTER[c.provider]} for c in todo]
    )
    return {
        c.name: a["sql"] if a["ok"] else RuntimeError(a["error"][:2000])
        for c, a in zip(todo, answers, strict=True)
    }


@pytest.mark.oracle
@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_statements_equal_the_engine(case: Case, engine_sql: dict[str, str | Exception]) -> None:
    if not case.text:
        pytest.skip(f"corpus schema {case.name} not found")
    script = engine_sql[case.name]
    if isinstance(script, Exception):
        raise AssertionError(f"the schema engine refused {case.name}: {script}")
    schema = read_prisma_schema({"schema.prisma": case.text}).schema
    ours = Counter(s.sql for s in create_statements(schema))
    theirs = Counter(s for s in engine_statements(script) if not s.startswith("CREATE EXTENSION"))
    missing = sorted((theirs - ours).elements())
    extra = sorted((ours - theirs).elements())
    assert not missing and not extra, (
        "\n".join(f"engine only: {s[:400]}" for s in missing[:5])
        + "\n"
        + "\n".join(f"ours only:   {s[:400]}" for s in extra[:5])
    )


def _schema(text: str):
    read = read_prisma_schema({"schema.prisma": text})
    assert not [f for f in read.findings if f.severity == "error"], read.findings
    return read.schema


POSTGRES = """
datasource db {
  provider = "postgresql"
}

enum Role {
  USER
  ADMIN
}

model User {
  id    Int    @id @default(autoincrement())
  email String @unique
  role  Role   @default(USER)
  posts Post[]
}

model Post {
  id       Int  @id @default(autoincrement())
  authorId Int
  author   User @relation(fields: [authorId], references: [id])

  @@index([authorId])
}
"""


def test_script_layout_postgresql() -> None:
    script = create_script(_schema(POSTGRES))
    assert script.startswith('-- CreateSchema\nCREATE SCHEMA IF NOT EXISTS "public";\n\n')
    assert "-- CreateEnum\nCREATE TYPE \"Role\" AS ENUM ('USER', 'ADMIN');" in script
    assert (
        '-- CreateTable\nCREATE TABLE "User" (\n    "id" SERIAL NOT NULL,\n'
        '    "email" TEXT NOT NULL,\n    "role" "Role" NOT NULL DEFAULT \'USER\',\n\n'
        '    CONSTRAINT "User_pkey" PRIMARY KEY ("id")\n);' in script
    )
    assert script.endswith(
        '-- AddForeignKey\nALTER TABLE "Post" ADD CONSTRAINT "Post_authorId_fkey" FOREIGN KEY '
        '("authorId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;\n'
    )


def test_one_table_at_a_time() -> None:
    schema = _schema(POSTGRES)
    post = schema.table("Post")
    assert post is not None
    kinds = [(s.kind, s.name) for s in table_statements(schema, post)]
    assert kinds == [
        ("table", "Post"),
        ("index", "Post_authorId_idx"),
        ("foreign_key", "Post_authorId_fkey"),
    ]


VIEWS = """
generator client {
  provider        = "prisma-client-js"
  previewFeatures = ["views"]
}
"""


def test_views_and_relation_mode_prisma_have_no_statements() -> None:
    relation_mode = 'provider = "postgresql"\n  relationMode = "prisma"'
    schema = _schema(
        POSTGRES.replace('provider = "postgresql"', relation_mode)
        + VIEWS
        + "\nview Totals {\n  userId Int @unique\n  posts  Int\n}\n"
    )
    kinds = [s.kind for s in create_statements(schema)]
    assert "foreign_key" not in kinds
    assert all(s.name != "Totals" for s in create_statements(schema))


def test_mysql_writes_indexes_and_enums_inside_the_table() -> None:
    schema = _schema(POSTGRES.replace('"postgresql"', '"mysql"'))
    [user] = [s for s in create_statements(schema) if s.name == "User"]
    assert user.sql == (
        "CREATE TABLE `User` (\n"
        "    `id` INTEGER NOT NULL AUTO_INCREMENT,\n"
        "    `email` VARCHAR(191) NOT NULL,\n"
        "    `role` ENUM('USER', 'ADMIN') NOT NULL DEFAULT 'USER',\n"
        "    UNIQUE INDEX `User_email_key`(`email`),\n"
        "    PRIMARY KEY (`id`)\n"
        ") DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;"
    )

"""DB102 redundant-index."""

from __future__ import annotations

from inline_snapshot import snapshot

from tests.server.rules.helpers import POSTGRES, check, fixed, lint


def model(body: str) -> str:
    return (
        POSTGRES
        + "model Post {\n  id       Int    @id\n  authorId Int\n  slug     String @unique\n  title    String\n"
        + body
        + "}\n"
    )


def test_ok_different_leading_columns_methods_and_predicates():
    schema = model(
        '\n  @@index([authorId, slug])\n  @@index([slug, authorId])\n  @@index([title], type: Hash, map: "title_hash")\n  @@index([title])\n'
    )
    assert lint(schema, "DB102") == []


def test_ok_unique_prefix_of_a_longer_index_is_not_redundant():
    schema = (
        POSTGRES + "model A {\n  id Int @id\n  a  Int @unique\n  b  Int\n\n  @@index([a, b])\n}\n"
    )
    assert lint(schema, "DB102") == []


def test_err_prefix_duplicate_and_index_on_a_unique_column():
    schema = model(
        "\n  @@index([authorId, title])\n  @@index([authorId])\n  @@index([slug])\n  @@index([id])\n"
    )
    assert check(schema, "DB102") == snapshot("""\
schema.prisma:12:3: warning[DB102] Index `Post_authorId_idx` (authorId) on `Post` is covered by index `Post_authorId_title_idx` (authorId, title)
   |
12 |   @@index([authorId])
   |   ^^^^^^^^^^^^^^^^^^^
   = help: remove it: index `Post_authorId_title_idx` (authorId, title) already serves every lookup it serves

schema.prisma:13:3: warning[DB102] Index `Post_slug_idx` (slug) on `Post` duplicates unique constraint `Post_slug_key` (slug)
   |
13 |   @@index([slug])
   |   ^^^^^^^^^^^^^^^
   = help: remove it: unique constraint `Post_slug_key` (slug) already serves every lookup it serves

schema.prisma:14:3: warning[DB102] Index `Post_id_idx` (id) on `Post` duplicates the primary key (id)
   |
14 |   @@index([id])
   |   ^^^^^^^^^^^^^
   = help: remove it: the primary key (id) already serves every lookup it serves
""")


def test_err_exact_duplicates_report_the_later_one():
    schema = model(
        '\n  @@index([title])\n  @@index([title], map: "again")\n  @@unique([slug], map: "slug_again")\n'
    )
    assert check(schema, "DB102") == snapshot("""\
schema.prisma:12:3: warning[DB102] Index `again` (title) on `Post` duplicates index `Post_title_idx` (title)
   |
12 |   @@index([title], map: "again")
   |   ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
   = help: remove it: index `Post_title_idx` (title) already serves every lookup it serves

schema.prisma:13:3: warning[DB102] Unique constraint `slug_again` (slug) on `Post` duplicates unique constraint `Post_slug_key` (slug)
   |
13 |   @@unique([slug], map: "slug_again")
   |   ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
   = help: remove it: unique constraint `Post_slug_key` (slug) already serves every lookup it serves
""")


def test_fix_deletes_the_line():
    schema = model("\n  @@index([authorId, title])\n  @@index([authorId])\n")
    assert fixed(schema, "DB102") == snapshot("""\
datasource db {
  provider = "postgresql"
}

model Post {
  id       Int    @id
  authorId Int
  slug     String @unique
  title    String

  @@index([authorId, title])
}
""")


def test_fix_for_a_duplicate_unique_is_unsafe():
    schema = POSTGRES + "model A {\n  id Int @id @unique\n}\n"
    (finding,) = lint(schema, "DB102")
    assert finding.fix is not None and finding.fix.applicability == "unsafe"
    assert fixed(schema, "DB102") == snapshot("""\
datasource db {
  provider = "postgresql"
}

model A {
  id Int @id
}
""")

"""Hover texts: keys, fields (column, SQL type, NULL, default as SQL), relations (foreign key,
actions with Prisma's defaults), models, enums, values and problem codes."""

from __future__ import annotations

from schemasense.server.findings import Finding
from schemasense.server.language.hover import code_families, hover
from schemasense.server.sources.prisma.problems import problem

from tests.server.language.schemas import BLOG, at, read

FILE = "schema.prisma"


def _hover(text: str, needle: str, delta: int = 0, findings=()) -> str:
    answer = hover(read(text), FILE, at(text, needle, delta), findings)
    assert answer is not None, needle
    return answer.markdown


def test_index_hover_explains_the_index():
    text = _hover(BLOG, "@@index([authorId])", 3)
    assert "**index** `Post_authorId_idx` on `Post` (btree)" in text
    assert "**Redundant**: `Post_authorId_createdAt_idx` (@@index)" in text
    assert "Backs the foreign key `Post_authorId_fkey` of `author`" in text
    assert 'CREATE INDEX "Post_authorId_idx" ON "Post"("authorId");' in text
    assert 'CREATE INDEX CONCURRENTLY "Post_authorId_idx"' in text


def test_hover_anywhere_in_the_attribute_explains_it():
    text = _hover(BLOG, "@@index([authorId])", len("@@index([authorId]"))
    assert "`Post_authorId_idx`" in text


def test_unique_and_id_hovers():
    unique = _hover(BLOG, "@unique @db", 2)
    assert "**unique index** `User_email_key`" in unique
    assert "NULLs: Every column is required" in unique
    assert "(`findUnique`)" in unique
    primary = _hover(BLOG, "@id @default(autoincrement())", 1)
    assert "**primary key** `User_pkey`" in primary
    assert 'ALTER TABLE "User" ADD CONSTRAINT "User_pkey" PRIMARY KEY ("id");' in primary


def test_field_hover_gives_the_column_type_null_and_default_as_sql():
    email = _hover(BLOG, "email     String", 1)
    assert 'column `"email"`' in email
    assert "`String @db.VarChar(255)` → `VARCHAR(255) NOT NULL` (`@db.VarChar`)" in email
    assert "unique `User_email_key`" in email
    name = _hover(BLOG, "name      String?", 1)
    assert "`String?` → `TEXT NULL` (the Postgres default for `String`)" in name
    title = _hover(BLOG, "title     String", 1)
    assert "Default: `DEFAULT 'untitled'`" in title
    created = _hover(BLOG, "createdAt DateTime @default(now())", 1)
    assert "`TIMESTAMP(3) NOT NULL`" in created and "`DEFAULT CURRENT_TIMESTAMP`" in created
    updated = _hover(BLOG, "updatedAt DateTime", 1)
    assert "Prisma Client sets it on every update" in updated
    role = _hover(BLOG, "role      Role", 1)
    assert '`Role` → `"Role" NOT NULL` (the enum\'s type on Postgres)' in role
    assert "Default: `DEFAULT 'READER'`" in role


def test_mapped_enum_default_is_written_with_its_database_value():
    text = BLOG.replace("@default(READER)", "@default(ADMIN)")
    assert "Default: `DEFAULT 'admin'`" in _hover(text, "role      Role", 1)


def test_relation_hover_spells_out_prisma_defaults_and_the_missing_index():
    text = BLOG.replace("  @@index([authorId, createdAt(sort: Desc)])\n  @@index([authorId])\n", "")
    author = _hover(text, "author    User", 1)
    assert "Foreign key `Post_authorId_fkey`: `Post`(`authorId`) → `User`(`id`)" in author
    assert (
        "`onDelete: Restrict` → `ON DELETE RESTRICT` (not set: Prisma's default for a "
        "required relation)" in author
    )
    assert "`onUpdate: Cascade` → `ON UPDATE CASCADE` (not set: Prisma's default)" in author
    assert "**No index starts with `authorId`**" in author
    assert "Add `@@index([authorId])`." in author
    back = _hover(text, "posts     Post[]", 1)
    assert "The foreign key is on the other side, `Post.author`" in back
    optional = text.replace("authorId  Int\n", "authorId  Int?\n").replace(
        "author    User ", "author    User?"
    )
    assert "`onDelete: SetNull` → `ON DELETE SET NULL`" in _hover(optional, "author    User", 1)


def test_relation_hover_on_an_implicit_many_to_many():
    tags = _hover(BLOG, "tags      Tag[]", 1)
    assert "join table `_PostToTag`" in tags
    assert "primary key `_PostToTag_AB_pkey`" in tags


def test_relation_hover_with_declared_actions_and_mysql_index():
    text = (
        BLOG.replace('"postgresql"', '"mysql"')
        .replace("references: [id])", "references: [id], onDelete: Cascade)")
        .replace("  @@index([authorId, createdAt(sort: Desc)])\n  @@index([authorId])\n", "")
    )
    author = _hover(text, "author    User", 1)
    assert "`onDelete: Cascade` → `ON DELETE CASCADE` (declared)" in author
    assert "MySQL (InnoDB) creates one for the foreign key itself" in author


def test_model_enum_and_value_hovers():
    post = _hover(BLOG, "model Post", 7)
    assert post.startswith('**model** `Post` → table `"Post"` on Postgres')
    assert "Foreign keys: `authorId` → `User`" in post
    role = _hover(BLOG, "enum Role", 6)
    assert "CREATE TYPE \"Role\" AS ENUM ('READER', 'admin');" in role
    assert "used by 1 field: `User.role`" in role
    assert "stored as `'admin'`" in _hover(BLOG, "ADMIN @map", 1)
    assert _hover(BLOG, "author    User", 11).startswith("**model** `User`")


def test_problem_codes_in_comments_and_under_findings():
    text = BLOG.replace("  name      String?", "  name      String? // see DB005")
    assert _hover(text, "DB005", 2).startswith("**DB005**: relations")
    finding = problem("DB002", "Type unknown", FILE, (at(BLOG, "Role     @default"), 0))
    finding = Finding(
        code=finding.code,
        severity="error",
        message=finding.message,
        span=finding.span.model_copy(update={"end": finding.span.start + 4}),
    )
    combined = _hover(BLOG, "Role     @default", 1, findings=[finding])
    assert "**DB002**: a type that names no scalar" in combined
    assert set(code_families()) >= {f"DB{n:03d}" for n in (*range(1, 15), *range(50, 55))}


def test_rule_documentation_in_an_ignore_comment():
    text = BLOG.replace(
        "  authorId  Int", "  authorId  Int // schemasense-ignore foreign-key-without-index"
    )
    assert _hover(text, "foreign-key-without-index", 3).startswith(
        "# foreign-key-without-index (DB101)"
    )


def test_ignore_comment_hover_shows_each_named_rule():
    from schemasense.server.lint.docs import render_markdown
    from schemasense.server.lint.registry import get_rule

    text = BLOG.replace(
        "  authorId  Int", "  authorId  Int // schemasense-ignore DB101, DB104 looked up by author"
    )
    db101 = render_markdown(get_rule("DB101"))
    db104 = render_markdown(get_rule("DB104"))
    assert _hover(text, "DB101", 2) == db101
    assert _hover(text, "DB104", 2) == db104
    both = _hover(text, "schemasense-ignore", 3)
    assert both == f"{db101}\n---\n{db104}"
    assert _hover(text, "looked up", 2) == both

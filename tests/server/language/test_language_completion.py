"""Completion contexts, one line each: the text up to the cursor is what the user has typed
(often not valid yet), the rest of the schema parses."""

from __future__ import annotations

import pytest
from schemasense.server.language.completion import complete, plain_text

from tests.server.language.schemas import BLOG, read

FILE = "schema.prisma"
AUTHOR = "  author    User     @relation(fields: [authorId], references: [id])"
TITLE = '  title     String   @default("untitled")'


def _labels(line: str, typed: str, text: str = BLOG) -> list[str]:
    """Replace `line` of `text` by `typed` and complete at its end."""
    assert line in text
    changed = text.replace(line, typed, 1)
    offset = changed.index(typed) + len(typed)
    answer = complete(read(changed), FILE, offset)
    return [item.label for item in answer.items]


@pytest.mark.parametrize(
    ("line", "typed", "expected"),
    [
        # field types
        (TITLE, "  title     ", ["BigInt", "Boolean", "Bytes", "DateTime", "Decimal"]),
        # native types for the provider, filtered by the scalar
        (TITLE, "  title     String   @db.", ["Inet", "Citext", "VarChar", "Char", "Text"]),
        # field attributes
        (TITLE, "  title     String   @", ["@id", "@unique", "@default", "@map", "@ignore"]),
        (AUTHOR, "  author    User     @", ["@relation", "@relation(name)", "@ignore"]),
        # @relation's arguments, then actions, then fields on either side
        (AUTHOR, "  author    User     @relation(", ["fields", "references", "onDelete"]),
        (
            AUTHOR,
            "  author    User     @relation(fields: [authorId], references: [id], onDelete: ",
            ["Cascade", "Restrict", "NoAction", "SetNull", "SetDefault"],
        ),
        (AUTHOR, "  author    User     @relation(fields: [", ["id", "title", "authorId"]),
        (
            AUTHOR,
            "  author    User     @relation(fields: [authorId], references: [",
            ["id", "email", "name", "role"],
        ),
        # @default for the field's type
        (TITLE, "  title     String   @default(", ["uuid()", "uuid(7)", "cuid()", "cuid(2)"]),
        (
            "  createdAt DateTime @default(now())\n}",
            "  createdAt DateTime @default(",
            ["now()", 'dbgenerated("")'],
        ),
        (
            "  role      Role     @default(READER)",
            "  role      Role     @default(",
            ["READER", "ADMIN"],
        ),
        # block attributes and their field lists (already listed fields left out)
        ("  @@index([authorId])", "  @@", ["@@id", "@@unique", "@@index", "@@map", "@@ignore"]),
        ("  @@index([authorId])", "  @@index([authorId, ", ["id", "title", "updatedAt"]),
        ("  @@index([authorId])", "  @@index([authorId], type: ", ["BTree", "Brin", "Gin"]),
        ("  @@index([authorId])", "  @@index([authorId(", ["sort", "length", "ops"]),
        ("  @@index([authorId])", "  @@index([authorId(sort: ", ["Asc", "Desc"]),
        ("  @@unique([name])", "  @@unique([", ["id", "name"]),
        (TITLE, "  title     String   @unique(", ["map", "sort", "length", "clustered"]),
        (TITLE, "  title     String   @unique(sort: ", ["Asc", "Desc"]),
        # top level and datasource
        ("model Tag {", "mo", ["model", "enum", "type", "view", "datasource", "generator"]),
        ('  provider = "postgresql"', '  provider = "', ["cockroachdb", "mongodb", "mysql"]),
    ],
)
def test_completion_context(line: str, typed: str, expected: list[str]):
    labels = _labels(line, typed)
    assert labels[: len(expected)] == expected or set(expected) <= set(labels), labels


def test_field_lists_leave_out_listed_fields_and_relations():
    labels = _labels("  @@index([authorId])", "  @@index([authorId, ")
    assert "authorId" not in labels and "author" not in labels and "tags" not in labels


def test_referential_actions_follow_provider_and_relation_mode():
    text = BLOG.replace('"postgresql"', '"postgresql"\n  relationMode = "prisma"')
    typed = "  author    User     @relation(fields: [authorId], references: [id], onDelete: "
    assert _labels(AUTHOR, typed, text) == ["Cascade", "Restrict", "SetNull"]
    sqlserver = BLOG.replace('"postgresql"', '"sqlserver"').replace(
        "  role      Role     @default(READER)\n", ""
    )
    assert "Restrict" not in _labels(AUTHOR, typed, sqlserver)


def test_native_types_on_mysql_and_none_on_sqlite():
    mysql = BLOG.replace('"postgresql"', '"mysql"')
    labels = _labels(TITLE, "  title     String   @db.", mysql)
    assert "VarChar" in labels and "LongText" in labels and "Inet" not in labels
    sqlite = BLOG.replace('"postgresql"', '"sqlite"')
    assert _labels(TITLE, "  title     String   @db.", sqlite) == []


def test_nothing_in_comments_strings_or_field_names():
    assert _labels(TITLE, "  title     String   // @") == []
    assert _labels(TITLE, '  title     String   @map("x') == []
    assert _labels(TITLE, "  tit") == []


def test_replace_range_and_snippets():
    typed = "  title     String   @de"
    changed = BLOG.replace(TITLE, typed, 1)
    offset = changed.index(typed) + len(typed)
    answer = complete(read(changed), FILE, offset)
    assert (answer.start, answer.end) == (offset - 3, offset)  # `@de` is replaced
    default = next(i for i in answer.items if i.label == "@default")
    assert default.insert == "@default($1)" and plain_text(default.insert) == "@default()"
    assert plain_text("@relation(fields: [${1:a}], references: [$2])") == (
        "@relation(fields: [a], references: [])"
    )

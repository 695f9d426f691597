"""Rename keeps every database name: the schema the database sees (tables, columns, types,
keys and their names, foreign keys, join tables) is the same before and after."""

from __future__ import annotations

from pathlib import Path

import pytest
from schemasense.codegen.schema import Schema
from schemasense.server.language.rename import RenameError, prepare, rename
from schemasense.server.sources.prisma import read_prisma_schema

from tests.conftest import CORPUS
from tests.server.language.schemas import BLOG, PROJECT_SCHEMA, SPLIT, apply, at, read, read_files

FILE = "schema.prisma"


def database_view(schema: Schema) -> dict:
    """The schema without its Prisma names and spans: what the database holds (an enum
    default by the value's database name)."""
    schema = schema.model_copy(deep=True)
    for table in schema.tables:
        for column in table.columns:
            default = column.default
            enum = schema.enum(column.type.enum or "")
            if default is not None and default.kind == "enum_value" and enum is not None:
                by_name = {v.orm_name or v.name: v.name for v in enum.values}
                default.value = by_name.get(str(default.value), default.value)
    data = schema.model_dump(
        exclude={"sources": True, "datasource": True, "generators": True}, mode="json"
    )

    def strip(value):
        if isinstance(value, dict):
            return {
                k: strip(v)
                for k, v in value.items()
                if k
                not in (
                    "span",
                    "model_name",
                    "field_name",
                    "orm_name",
                    "orm_type",
                    "relations",
                    "doc",
                )
            }
        if isinstance(value, list):
            return [strip(v) for v in value]
        return value

    data = strip(data)
    data["tables"] = sorted(data["tables"], key=lambda t: t["name"])
    return data


def _renamed(text: str, needle: str, new: str, delta: int = 0) -> str:
    index = read(text)
    return apply(text, rename(index, FILE, at(text, needle, delta), new))


def _errors(text: str) -> list[str]:
    return [f.message for f in read_prisma_schema({FILE: text}).findings if f.severity == "error"]


def _same_database(before: str, after: str) -> None:
    assert _errors(after) == []
    old = read_prisma_schema({FILE: before}).schema
    new = read_prisma_schema({FILE: after}).schema
    assert database_view(new) == database_view(old)


def test_rename_a_model_maps_it_and_names_its_join_table():
    after = _renamed(BLOG, "model Post", "Article", 6)
    assert "model Article {" in after and "posts     Article[]" in after
    assert '  @@map("Post")\n}' in after
    assert 'tags      Tag[] @relation("PostToTag")' in after
    assert 'posts Article[] @relation("PostToTag")' in after
    _same_database(BLOG, after)


def test_rename_a_mapped_model_adds_nothing():
    text = BLOG.replace("  @@unique([name])", '  @@unique([name])\n  @@map("tags")')
    after = _renamed(text, "model Tag", "Topic", 6)
    assert after.count("@@map") == 1
    _same_database(text, after)


def test_rename_that_would_swap_a_join_table_is_refused():
    with pytest.raises(RenameError, match="swaps the `A` and `B` columns of `_PostToTag`"):
        _renamed(BLOG, "model Tag", "Label", 6)


def test_rename_a_field_maps_it_and_follows_every_reference():
    after = _renamed(BLOG, "authorId  Int", "writerId")
    assert 'writerId  Int @map("authorId")' in after
    assert "@relation(fields: [writerId], references: [id])" in after
    assert "@@index([writerId, createdAt(sort: Desc)])" in after
    assert "@@index([writerId])" in after
    _same_database(BLOG, after)


def test_rename_a_referenced_field_and_a_relation_field():
    after = _renamed(BLOG, "id        Int      @id @default(autoincrement())\n  email", "userId")
    assert "references: [userId]" in after
    _same_database(BLOG, after)
    after = _renamed(BLOG, "author    User", "writer")
    assert "  writer    User     @relation" in after and "@map" not in after.split("writer")[1][:60]
    _same_database(BLOG, after)


def test_rename_an_enum_and_a_value():
    after = _renamed(BLOG, "enum Role", "Kind", 5)
    assert "role      Kind     @default(READER)" in after and '@@map("Role")' in after
    _same_database(BLOG, after)
    after = _renamed(BLOG, "  READER", "VIEWER", 2)
    assert 'VIEWER @map("READER")' in after and "@default(VIEWER)" in after
    _same_database(BLOG, after)


def test_rename_refuses_taken_and_invalid_names_and_non_names():
    index = read()
    with pytest.raises(RenameError, match="already the name of a type"):
        rename(index, FILE, at(BLOG, "model Post", 6), "User")
    with pytest.raises(RenameError, match="already has a field"):
        rename(index, FILE, at(BLOG, "authorId  Int"), "title")
    with pytest.raises(RenameError, match="not a valid Prisma name"):
        rename(index, FILE, at(BLOG, "authorId  Int"), "9lives")
    assert prepare(index, FILE, at(BLOG, "String", 1)) is None
    assert prepare(index, FILE, at(BLOG, "@@index", 2)) is None
    target = prepare(index, FILE, at(BLOG, "author    User", 11))
    assert (target.name, BLOG[target.start : target.end]) == ("User", "User")


def test_rename_across_the_files_of_a_folder_schema():
    index = read_files(SPLIT)
    post = "/p/schema/post.prisma"
    edits = rename(index, post, at(SPLIT[post], "author   User", 10), "Member")
    assert {e.file for e in edits} == {post, "/p/schema/user.prisma"}


@pytest.mark.corpus
def test_renaming_calcom_models_and_fields_keeps_the_database():
    path = Path(CORPUS) / "calcom" / "packages" / "prisma" / "schema.prisma"
    if not path.is_file():
        pytest.skip(f"{path} not found")
    text = path.read_text(encoding="utf-8")
    index = read(text)
    before = database_view(index.schema)
    db = index.db
    models = [m for m in db.models.values() if m.kind == "model"][::9]
    done = 0
    for model in models:
        for target in (model.ast.name, *(f.ast.name for f in model.fields[:2])):
            try:
                edits = rename(index, FILE, target.span[0], target.name + "Renamed")
            except RenameError:
                continue
            after = apply(text, edits)
            read_after = read_prisma_schema({FILE: after})
            assert [f for f in read_after.findings if f.severity == "error"] == []
            assert database_view(read_after.schema) == before, (model.name, target.name)
            done += 1
    assert done >= 20


def test_database_rename_drops_the_map_of_a_field_or_model():
    from schemasense.server.language.rename import database_rename

    text = (
        PROJECT_SCHEMA.replace("model Post {", "model Article {")
        .replace("  title    String", '  heading  String @map("title")')
        .replace("  posts Post[]", "  posts Article[]")
        .replace("  @@index([authorId])\n", '  @@index([authorId])\n  @@map("Post")\n')
    )
    index = read_files({FILE: text})
    field = database_rename(index, FILE, at(text, "heading", 2))
    assert (field.kind, field.model, field.field, field.old, field.new) == (
        "column",
        "Article",
        "heading",
        "title",
        "heading",
    )
    assert apply(text, field.edits).count("@map(") == 1  # only the model's is left
    assert "  heading  String\n" in apply(text, field.edits)
    model = database_rename(index, FILE, at(text, "model Article", 7))
    assert (model.kind, model.old, model.new) == ("table", "Post", "Article")
    assert "@@map" not in apply(text, model.edits)
    assert "  @@index([authorId])\n}" in apply(text, model.edits)
    assert model.title.startswith("Rename the database table of `Article` too: `Post` → `Article`")
    assert database_rename(index, FILE, at(text, "  authorId", 3)) is None  # not mapped
    assert database_rename(index, FILE, at(text, "model User", 7)) is None

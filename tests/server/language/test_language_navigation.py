"""The position index and navigation: definition, references, symbols, code lenses."""

from __future__ import annotations

from schemasense.server.language import navigation
from schemasense.server.sources.prisma.index import field_key, model_key, value_key

from tests.server.language.schemas import BLOG, SPLIT, at, read, read_files


def _texts(index, locations):
    return [index.texts[loc.file][loc.start : loc.end] for loc in locations]


def test_index_finds_names_and_their_targets():
    index = read()
    token = index.at("schema.prisma", at(BLOG, "author    User", 12))
    assert (token.role, token.key) == ("type", model_key("User"))
    token = index.at("schema.prisma", at(BLOG, "[authorId, createdAt", 2))
    assert (token.role, token.key) == ("reference", field_key("Post", "authorId"))
    token = index.at("schema.prisma", at(BLOG, "createdAt(sort", 3))
    assert token.key == field_key("Post", "createdAt")
    token = index.at("schema.prisma", at(BLOG, "@default(READER)", 10))
    assert token.key == value_key("Role", "READER")
    token = index.at("schema.prisma", at(BLOG, "@@index", 2))
    assert token.role == "attribute" and token.attribute.name.name == "index"
    assert index.at("schema.prisma", at(BLOG, "provider", 2)).role == "property"


def test_a_cursor_just_after_a_name_is_on_it():
    index = read()
    end = at(BLOG, "author    User", len("author    User"))
    assert index.at("schema.prisma", end).key == model_key("User")


def test_definition_of_types_fields_and_values():
    index = read()
    [user] = navigation.definition(index, "schema.prisma", at(BLOG, "author    User", 11))
    assert user.start == at(BLOG, "model User", 6)
    [field] = navigation.definition(index, "schema.prisma", at(BLOG, "fields: [authorId", 10))
    assert field.start == at(BLOG, "authorId  Int")
    [target] = navigation.definition(index, "schema.prisma", at(BLOG, "references: [id", 13))
    assert target.start == at(BLOG, "id        Int") and BLOG[target.start : target.end] == "id"
    [value] = navigation.definition(index, "schema.prisma", at(BLOG, "@default(READER)", 9))
    assert value.start == at(BLOG, "  READER", 2)
    assert navigation.definition(index, "schema.prisma", at(BLOG, "String", 1)) == []


def test_references_across_the_unit_with_and_without_declaration():
    index = read()
    offset = at(BLOG, "authorId  Int")
    assert _texts(index, navigation.references(index, "schema.prisma", offset)) == ["authorId"] * 4
    refs = navigation.references(index, "schema.prisma", offset, include_declaration=False)
    assert len(refs) == 3
    users = navigation.references(index, "schema.prisma", at(BLOG, "model User", 7))
    assert len(users) == 2  # the declaration and `author User`


def test_references_and_definition_span_the_files_of_a_folder_schema():
    index = read_files(SPLIT)
    post = "/p/schema/post.prisma"
    refs = navigation.references(index, post, at(SPLIT[post], "author   User", 10))
    assert sorted({r.file for r in refs}) == ["/p/schema/post.prisma", "/p/schema/user.prisma"]
    [user] = navigation.definition(index, post, at(SPLIT[post], "author   User", 10))
    assert user.file == "/p/schema/user.prisma"
    user_file = SPLIT["/p/schema/user.prisma"]
    [post_model] = navigation.definition(index, "/p/schema/user.prisma", at(user_file, "Post[]"))
    assert post_model.file == post


def test_document_symbols_are_hierarchical():
    index = read()
    symbols = navigation.document_symbols(index, "schema.prisma")
    assert [(s.kind, s.name) for s in symbols] == [
        ("datasource", "db"),
        ("enum", "Role"),
        ("model", "User"),
        ("model", "Post"),
        ("model", "Tag"),
    ]
    assert [c.name for c in symbols[1].children] == ["READER", "ADMIN"]
    user = symbols[2]
    assert [(c.name, c.detail) for c in user.children][:3] == [
        ("id", "Int"),
        ("email", "String"),
        ("name", "String?"),
    ]
    assert BLOG[slice(*user.name_span)] == "User"
    assert BLOG[user.span[0] : user.span[1]].startswith("model User {")


def test_workspace_symbols_match_names_and_qualified_fields():
    index = read()
    names = [(s.kind, s.container, s.name) for s in navigation.workspace_symbols([index], "post")]
    assert ("model", None, "Post") in names
    assert ("field", "User", "posts") in names
    assert ("field", "Post", "title") in names  # as `Post.title`
    assert navigation.workspace_symbols([index], "zzz") == []


def test_code_lens_counts_relations_and_indexes():
    index = read()
    lenses = {lens.model: lens.title for lens in navigation.code_lenses(index, "schema.prisma")}
    assert lenses == {
        "User": "1 relation · 2 indexes",
        "Post": "2 relations · 3 indexes",
        "Tag": "1 relation · 2 indexes",
    }

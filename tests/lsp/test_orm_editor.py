"""The editor features of TypeORM entities and Sequelize models, live over stdio, on copies of
samples/typeorm-nest, samples/typeorm-sqlite, samples/sequelize-js and samples/sequelize-ts:

- document symbols (entity -> columns, relations, indexes at their decorators) and workspace
  symbols;
- a code lens per entity / model (table, counts, the migration that created it, drift);
- definition (`@RelationId` -> the relation; an association's target -> the model) and
  references (an entity -> the relations that target it and the migration statements);
- completion of the driver's column types, decorator options, DataTypes members and
  attribute options, on text typed after the last read;
- an entity opened with the language id "prisma" is still answered as TypeORM (the rename
  code action provider used to raise there).
"""

from __future__ import annotations

import shutil
from pathlib import Path

from lsprotocol import types
from pytest_lsp import LanguageClient

from .conftest import diagnostics_for
from .features import doc, position

SAMPLES = Path(__file__).resolve().parents[2] / "samples"


def _copy(name: str, tmp_path: Path) -> Path:
    target = tmp_path / name
    shutil.copytree(SAMPLES / name, target, ignore=shutil.ignore_patterns("node_modules", "dist"))
    return target


def _open(client: LanguageClient, path: Path, language_id: str = "typescript") -> str:
    text = path.read_text()
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(
                uri=path.as_uri(), language_id=language_id, version=1, text=text
            )
        )
    )
    return text


def _change(client: LanguageClient, path: Path, text: str, version: int) -> None:
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=path.as_uri(), version=version),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text=text)],
        )
    )


async def _complete(client: LanguageClient, path: Path, text: str, marker: str) -> list[str]:
    """The labels offered at `marker`'s end in `text` (already sent to the server)."""
    result = await client.text_document_completion_async(
        types.CompletionParams(
            text_document=doc(path), position=position(text, marker, len(marker))
        )
    )
    assert result is None or isinstance(result, types.CompletionList)
    return [i.label for i in result.items] if result is not None else []


def _where(locations) -> list[tuple[str, str]]:
    out = []
    for loc in locations or []:
        path = Path(types.Location(uri=loc.uri, range=loc.range).uri.removeprefix("file://"))
        lines = path.read_text().split("\n")
        r = loc.range
        out.append((path.name, lines[r.start.line][r.start.character : r.end.character]))
    return out


async def test_typeorm_symbols_lens_navigation(client: LanguageClient, tmp_path: Path):
    project = _copy("typeorm-nest", tmp_path)
    post = project / "src" / "posts" / "post.entity.ts"
    text = _open(client, post)
    await diagnostics_for(client, post, version=1)

    [entity] = await client.text_document_document_symbol_async(
        types.DocumentSymbolParams(text_document=doc(post))
    )
    assert isinstance(entity, types.DocumentSymbol)
    assert (entity.name, entity.kind, entity.detail) == (
        "Post",
        types.SymbolKind.Class,
        "table post",
    )
    assert entity.selection_range.start == position(text, "Post extends")
    children = {c.name: c for c in entity.children or []}
    assert children["slug"].kind == types.SymbolKind.Field
    assert children["slug"].selection_range.start == position(text, "slug: string")
    assert children["author"].detail == "ManyToOne → User (author_id)"
    index = children["IDX_cd1bddce36edc3e766798eab37"]
    assert index.kind == types.SymbolKind.Key
    assert index.range.start == position(text, "@Index({ unique: true })")

    found = await client.workspace_symbol_async(types.WorkspaceSymbolParams(query="profile"))
    names = {(s.name, Path(s.location.uri).name) for s in found or []}  # type: ignore[union-attr]
    assert ("Profile", "profile.entity.ts") in names and ("profile", "user.entity.ts") in names

    lens, queries = await client.text_document_code_lens_async(
        types.CodeLensParams(text_document=doc(post))
    )
    assert lens.range.start == position(text, "Post extends")
    assert queries.range.start == lens.range.start and queries.command is not None
    # src/posts/posts.service.ts: six queries on post (the deleted_at IS NULL TypeORM adds is
    # no obstacle); the range on published_at and the ILIKE on title are not served
    assert queries.command.title == "6 queries · 4 served"
    assert lens.command is not None
    assert lens.command.title == (
        "table post · 11 columns · 4 relations · 3 indexes · created in Init1733500000000"
        " · 1 migration · no drift"
    )
    summary = await client.workspace_execute_command_async(
        types.ExecuteCommandParams(command=lens.command.command, arguments=lens.command.arguments)
    )
    assert summary == {
        "model": "Post",
        "table": "post",
        "columns": 11,
        "relations": 4,
        "indexes": 3,
    }

    # @RelationId((post: Post) => post.author) -> the `author` relation
    definition = await client.text_document_definition_async(
        types.DefinitionParams(text_document=doc(post), position=position(text, "post.author", 6))
    )
    [target] = definition if isinstance(definition, list) else [definition]
    assert target.uri == post.as_uri()  # type: ignore[union-attr]
    assert target.range.start == position(text, "author: User")  # type: ignore[union-attr]

    # `User` of `() => User`: every relation to it and the migrations that built its table
    references = await client.text_document_references_async(
        types.ReferenceParams(
            text_document=doc(post),
            position=position(text, "() => User", 7),
            context=types.ReferenceContext(include_declaration=True),
        )
    )
    where = _where(references)
    assert where[0] == ("user.entity.ts", "User")
    assert ("post.entity.ts", "User") in where and ("profile.entity.ts", "User") in where
    assert ("1733500000000-Init.ts", "user") in where
    assert ("1733700000000-AddLoginCount.ts", "user") in where

    # and back: from the table and a column in a migration's SQL to the entity and property
    init = project / "src" / "migrations" / "1733500000000-Init.ts"
    sql = _open(client, init)
    for anchor, shift, expected in (
        ('CREATE TABLE "post"', 15, "Post extends"),
        ('ON "post" ("slug")', 12, "slug: string"),
    ):
        definition = await client.text_document_definition_async(
            types.DefinitionParams(text_document=doc(init), position=position(sql, anchor, shift))
        )
        [target] = definition if isinstance(definition, list) else [definition]
        assert target.uri == post.as_uri()  # type: ignore[union-attr]
        assert target.range.start == position(text, expected)  # type: ignore[union-attr]


async def test_typeorm_completion_for_the_driver(client: LanguageClient, tmp_path: Path):
    for name, entity, present, absent in (
        ("typeorm-nest", "src/posts/post.entity.ts", "timestamptz", "datetime"),
        ("typeorm-sqlite", "src/entity/Book.ts", "datetime", "timestamptz"),
    ):
        project = _copy(name, tmp_path)
        path = project / entity
        text = _open(client, path)
        await diagnostics_for(client, path, version=1)
        anchor = text.index("@Column(")
        typed = text[:anchor] + '@Column({ type: "ti" })\n  at: Date;\n\n  ' + text[anchor:]
        _change(client, path, typed, 2)
        labels = await _complete(client, path, typed, '@Column({ type: "ti')
        assert present in labels and absent not in labels, (name, labels)

        typed = text[:anchor] + "@Column({ nullable: true,  })\n  at: Date;\n\n  " + text[anchor:]
        _change(client, path, typed, 3)
        labels = await _complete(client, path, typed, "@Column({ nullable: true, ")
        assert {"type", "length", "default", "unique"} <= set(labels)
        assert "nullable" not in labels

        relation = "@ManyToOne(() => "
        at = typed.index(relation)
        options = typed.index("{ onDelete: ", at) + len("{ onDelete: ")
        quote = typed[options]
        end = typed.index(quote, options + 1)
        edited = typed[: options + 1] + typed[end:]  # onDelete: "" with the cursor inside
        _change(client, path, edited, 4)
        labels = await _complete(client, path, edited, edited[at : options + 1])
        assert labels == ["CASCADE", "SET NULL", "RESTRICT", "NO ACTION", "SET DEFAULT"]


async def test_an_entity_opened_as_prisma(client: LanguageClient, tmp_path: Path):
    project = _copy("typeorm-nest", tmp_path)
    user = project / "src" / "users" / "user.entity.ts"
    text = _open(client, user, language_id="prisma")
    at = position(text, "export class User", 14)
    actions = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=doc(user),
            range=types.Range(start=at, end=at),
            context=types.CodeActionContext(diagnostics=[]),
        )
    )
    assert actions is not None  # the DTO generator's action, at least
    assert not [a for a in actions if isinstance(a, types.CodeAction) and "Rename" in a.title]
    hover = await client.text_document_hover_async(
        types.HoverParams(text_document=doc(user), position=position(text, "email: string", 1))
    )
    assert hover is not None and "`user`.`email`" in hover.contents.value  # type: ignore[union-attr]
    [entity] = await client.text_document_document_symbol_async(
        types.DocumentSymbolParams(text_document=doc(user))
    )
    assert entity.name == "User"
    assert client.messages == []  # the guard reported no failure


async def test_sequelize_symbols_lens_navigation_completion(client: LanguageClient, tmp_path: Path):
    project = _copy("sequelize-js", tmp_path)
    post = project / "models" / "post.js"
    user = project / "models" / "user.js"
    text = _open(client, post)
    await diagnostics_for(client, post, version=1)

    [model] = await client.text_document_document_symbol_async(
        types.DocumentSymbolParams(text_document=doc(post))
    )
    assert (model.name, model.detail) == ("Post", "table Posts")  # type: ignore[union-attr]
    children = {c.name: c for c in model.children or []}  # type: ignore[union-attr]
    assert children["slug"].selection_range.start == position(text, "slug: {")
    assert children["posts_slug"].range.start == position(
        text, '{ unique: true, fields: ["slug"] }'
    )
    assert children["author"].detail == "belongsTo → User (authorId)"

    lens, queries = await client.text_document_code_lens_async(
        types.CodeLensParams(text_document=doc(post))
    )
    assert queries.range.start == lens.range.start and queries.command is not None
    # services/posts.js: seven queries on Posts (paranoid); the one by authorId (no index)
    # and the iLike on title are not served
    assert queries.command.title == "7 queries · 5 served"
    assert lens.command is not None and lens.command.title == (
        "table Posts · 13 columns · 3 relations · 4 indexes · created in "
        "20250302090000-create-posts-comments-tags · 1 migration · no drift"
    )

    definition = await client.text_document_definition_async(
        types.DefinitionParams(text_document=doc(post), position=position(text, "models.User", 8))
    )
    [target] = definition if isinstance(definition, list) else [definition]
    assert target.uri == user.as_uri()  # type: ignore[union-attr]
    assert target.range.start == position(user.read_text(), '"User"')  # type: ignore[union-attr]

    references = await client.text_document_references_async(
        types.ReferenceParams(
            text_document=doc(post),
            position=position(text, "slug: {", 1),
            context=types.ReferenceContext(include_declaration=False),
        )
    )
    assert _where(references) == [("20250302090000-create-posts-comments-tags.js", "slug")]

    anchor = text.index("      slug: {")
    typed = (
        text[:anchor]
        + "      subtitle: {\n        type: DataTypes.,\n        \n      },\n"
        + text[anchor:]
    )
    _change(client, post, typed, 2)
    labels = await _complete(client, post, typed, "type: DataTypes.")
    assert {"STRING", "JSONB", "UUID", "NOW"} <= set(labels)
    labels = await _complete(client, post, typed, "type: DataTypes.,\n        ")
    assert {"allowNull", "defaultValue", "unique", "references", "field"} <= set(labels)
    assert "type" not in labels

    # a migration of the same project: queryInterface's attributes take the same options
    migration = project / "migrations" / "20250302090000-create-posts-comments-tags.js"
    sql = _open(client, migration, language_id="javascript")
    anchor = sql.index("      slug: {")
    typed = sql[:anchor] + "      subtitle: { type: Sequelize.TEXT,  },\n" + sql[anchor:]
    _change(client, migration, typed, 2)
    labels = await _complete(client, migration, typed, "subtitle: { type: Sequelize.TEXT, ")
    assert {"allowNull", "defaultValue", "references"} <= set(labels) and "type" not in labels


async def test_sequelize_typescript_classes(client: LanguageClient, tmp_path: Path):
    project = _copy("sequelize-ts", tmp_path)
    event = project / "src" / "models" / "event.model.ts"
    text = _open(client, event)
    await diagnostics_for(client, event, version=1)

    [model] = await client.text_document_document_symbol_async(
        types.DocumentSymbolParams(text_document=doc(event))
    )
    assert (model.name, model.detail) == ("Event", "table events")  # type: ignore[union-attr]
    assert model.selection_range.start == position(text, "Event extends")  # type: ignore[union-attr]
    children = {c.name: c for c in model.children or []}  # type: ignore[union-attr]
    assert children["organizerId"].detail == "organizer_id: DataType.INTEGER NOT NULL"
    assert children["organizerId"].selection_range.start == position(text, "organizerId: number")
    assert children["events_slug"].detail == "unique index (slug)"
    # an unnamed foreign key is called by its detail: VS Code refuses a symbol with no name
    assert all(name for name in children), list(children)

    [lens] = await client.text_document_code_lens_async(
        types.CodeLensParams(text_document=doc(event))
    )
    assert lens.command is not None and lens.command.title.startswith(
        "table events · 9 columns · 3 relations · 3 indexes · created in "
        "20250401090000-create-events-and-tickets"
    )

    # from the migration's column to the property (the column is underscored, the property not)
    migration = project / "migrations" / "20250401090000-create-events-and-tickets.js"
    sql = _open(client, migration, language_id="javascript")
    definition = await client.text_document_definition_async(
        types.DefinitionParams(
            text_document=doc(migration), position=position(sql, "organizer_id: {", 2)
        )
    )
    [target] = definition if isinstance(definition, list) else [definition]
    assert target.uri == event.as_uri()  # type: ignore[union-attr]
    assert target.range.start == position(text, "organizerId: number")  # type: ignore[union-attr]

    anchor = text.index("  @AllowNull(false)\n  @Column(DataType.STRING(200))\n  declare title")
    typed = text[:anchor] + "  @Column({  })\n  declare subtitle: string;\n\n" + text[anchor:]
    _change(client, event, typed, 2)
    labels = await _complete(client, event, typed, "@Column({ ")
    assert {"type", "allowNull", "defaultValue", "field"} <= set(labels)

"""The migrations beside a schema, end to end: a field's hover names the migrations that built
its column, references reach into the SQL, each model's code lens says where it was created
and whether it drifted, and in a `migration.sql` hover explains a statement's lock and
definition goes back to the schema."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from lsprotocol import types
from pytest_lsp import LanguageClient
from schemasense.codegen.dialects import postgresql_locks as locks

from tests.server.language.schemas import MIGRATION_CHANGE, MIGRATION_INIT, write_project

from .conftest import CALCOM, open_document
from .features import doc, position


async def test_schema_side_history_references_and_lens(client: LanguageClient, tmp_path: Path):
    paths = write_project(tmp_path)
    schema = paths["schema"]
    text = open_document(client, schema)
    answer = await client.text_document_hover_async(
        types.HoverParams(text_document=doc(schema), position=position(text, "  name  String", 3))
    )
    init_uri = paths["init"].as_uri()
    assert f"created in [`20240101000000_init`]({init_uri}#L" in answer.contents.value
    assert "(renamed from `fullName`, NOT NULL)" in answer.contents.value
    assert "No drift: the migrations build this column as declared." in answer.contents.value
    key = await client.text_document_hover_async(
        types.HoverParams(text_document=doc(schema), position=position(text, "@unique", 2))
    )
    assert f"created in [`20240101000000_init`]({init_uri}#L" in key.contents.value

    refs = await client.text_document_references_async(
        types.ReferenceParams(
            text_document=doc(schema),
            position=position(text, "  email", 3),
            context=types.ReferenceContext(include_declaration=True),
        )
    )
    [sql] = [r for r in refs if r.uri == init_uri]
    assert sql.range.start == position(MIGRATION_INIT, '"email" TEXT', 1)

    lenses = await client.text_document_code_lens_async(
        types.CodeLensParams(text_document=doc(schema))
    )
    assert [lens.command.title for lens in lenses] == [
        "1 relation · 2 indexes · created in 20240101000000_init · 2 migrations · no drift",
        "1 relation · 2 indexes · created in 20240101000000_init · 2 migrations · no drift",
    ]


async def test_migration_side_hover_and_definition(client: LanguageClient, tmp_path: Path):
    paths = write_project(tmp_path)
    change = paths["change"]
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(
                uri=change.as_uri(), language_id="sql", version=1, text=MIGRATION_CHANGE
            )
        )
    )
    answer = await client.text_document_hover_async(
        types.HoverParams(
            text_document=doc(change), position=position(MIGRATION_CHANGE, "SET NOT NULL", 2)
        )
    )
    value = answer.contents.value
    assert "Makes `name` of `User` NOT NULL." in value
    assert f"Lock: {locks.SET_NOT_NULL.markdown('User')}" in value
    [target] = await client.text_document_definition_async(
        types.DefinitionParams(
            text_document=doc(change), position=position(MIGRATION_CHANGE, 'TO "name"', 5)
        )
    )
    schema_text = paths["schema"].read_text()
    assert target.uri == paths["schema"].as_uri()
    assert target.range.start == position(schema_text, "  name  String", 2)


async def test_hover_on_an_ignore_comment_is_the_rule_documentation(
    client: LanguageClient, tmp_path: Path
):
    from schemasense.server.lint.docs import render_markdown
    from schemasense.server.lint.registry import get_rule

    paths = write_project(tmp_path)
    change = paths["change"]
    sql = MIGRATION_CHANGE.replace("-- AlterColumn", "-- schemasense-ignore DB201 empty table")
    change.write_text(sql)
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(
                uri=change.as_uri(), language_id="sql", version=1, text=sql
            )
        )
    )
    answer = await client.text_document_hover_async(
        types.HoverParams(text_document=doc(change), position=position(sql, "DB201", 2))
    )
    assert answer.contents.value == render_markdown(get_rule("DB201"))

    schema = paths["schema"]
    prisma = schema.read_text().replace(
        "  authorId Int", "  authorId Int // schemasense-ignore DB101 looked up by author"
    )
    schema.write_text(prisma)
    open_document(client, schema)
    answer = await client.text_document_hover_async(
        types.HoverParams(text_document=doc(schema), position=position(prisma, "DB101", 2))
    )
    # the rule's documentation, then the findings on the comment (DB091: nothing to ignore here)
    assert answer.contents.value.startswith(render_markdown(get_rule("DB101")))


@pytest.mark.corpus
async def test_calcom_models_say_where_they_were_created(client: LanguageClient, tmp_path: Path):
    if not CALCOM.is_file():
        pytest.skip(f"the corpus is absent ({CALCOM} not found)")
    prisma = tmp_path / "prisma"
    prisma.mkdir()
    shutil.copyfile(CALCOM, prisma / "schema.prisma")
    shutil.copytree(CALCOM.parent / "migrations", prisma / "migrations")
    schema = prisma / "schema.prisma"
    text = open_document(client, schema)
    lenses = await client.text_document_code_lens_async(
        types.CodeLensParams(text_document=doc(schema))
    )
    by_line = {lens.range.start.line: lens.command.title for lens in lenses}
    host = by_line[position(text, "model Host {").line]
    assert host == (
        "5 relations · 5 indexes · created in 20230111183922_add_host_relation · 9 migrations"
        " · no drift"
    )
    # cal.com's migrations add `Team_slug_parentId_key_null` by hand; the schema does not have it
    team = by_line[position(text, "model Team {").line]
    assert team.endswith("drift: 1")


async def test_rename_the_database_object_too_with_a_migration(
    client: LanguageClient, tmp_path: Path
):
    paths = write_project(tmp_path)
    schema = paths["schema"]
    text = (
        schema.read_text()
        .replace("  title    String", '  heading  String @map("title")')
        .replace("model Post {", "model Article {")
        .replace("  posts Post[]", "  posts Article[]")
        .replace("  @@index([authorId])\n", '  @@index([authorId])\n  @@map("Post")\n')
    )
    schema.write_text(text)
    open_document(client, schema)

    async def actions(needle: str, delta: int) -> list[types.CodeAction]:
        at = position(text, needle, delta)
        found = await client.text_document_code_action_async(
            types.CodeActionParams(
                text_document=doc(schema),
                range=types.Range(start=at, end=at),
                context=types.CodeActionContext(diagnostics=[]),
            )
        )
        return [a for a in found or [] if a.kind == types.CodeActionKind.RefactorRewrite]

    found = await actions("heading", 2)
    [column] = found
    assert column.title == (
        "Rename the database column of `Article.heading` too: `title` → `heading` "
        "(drop the map, with a migration)"
    )
    changes = column.edit.document_changes
    assert changes[0].text_document.uri == schema.as_uri()
    assert [e.new_text for e in changes[0].edits] == [""]
    created = [c.uri for c in changes if isinstance(c, types.CreateFile)]
    assert any(uri.endswith("_rename_title_to_heading/migration.sql") for uri in created)
    sql = next(
        c.edits[0].new_text
        for c in changes[1:]
        if isinstance(c, types.TextDocumentEdit) and c.text_document.uri.endswith("migration.sql")
    )
    assert 'ALTER TABLE "Post" RENAME COLUMN "title" TO "heading";' in sql

    [table] = await actions("model Article", 7)
    changes = table.edit.document_changes
    sql = next(
        c.edits[0].new_text
        for c in changes[1:]
        if isinstance(c, types.TextDocumentEdit) and c.text_document.uri.endswith("migration.sql")
    )
    assert 'ALTER TABLE "Post" RENAME TO "Article";' in sql
    assert 'RENAME CONSTRAINT "Post_pkey" TO "Article_pkey";' in sql
    assert await actions("  authorId", 3) == []


async def test_migration_hover_states_the_configured_mariadb_facts(
    client: LanguageClient, tmp_path: Path
):
    """The hover takes the project config's `database` and `database-version`, as DB231
    does: on MariaDB 10.3.7 a column added in the middle rebuilds the table (10.4+: INSTANT)."""
    prisma = tmp_path / "prisma"
    (prisma / "migrations" / "01_init").mkdir(parents=True)
    (prisma / "migrations" / "02_nick").mkdir()
    (prisma / "migrations" / "migration_lock.toml").write_text('provider = "mysql"\n')
    (prisma / "schema.prisma").write_text(
        'datasource db {\n  provider = "mysql"\n}\n\nmodel User {\n  id   Int     @id\n'
        "  nick String?\n  name String\n}\n"
    )
    (prisma / "migrations" / "01_init" / "migration.sql").write_text(
        "CREATE TABLE `User` (`id` INTEGER NOT NULL, `name` VARCHAR(191) NOT NULL, "
        "PRIMARY KEY (`id`));\n"
    )
    sql = "ALTER TABLE `User` ADD COLUMN `nick` VARCHAR(191) NULL AFTER `id`;\n"
    change = prisma / "migrations" / "02_nick" / "migration.sql"
    change.write_text(sql)
    (tmp_path / "schemasense.toml").write_text(
        'database = "mariadb"\ndatabase-version = "10.3.7"\n'
    )
    open_document(client, prisma / "schema.prisma")
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(
                uri=change.as_uri(), language_id="sql", version=1, text=sql
            )
        )
    )
    answer = await client.text_document_hover_async(
        types.HoverParams(text_document=doc(change), position=position(sql, "ADD COLUMN", 2))
    )
    value = answer.contents.value
    assert "ALGORITHM=INPLACE, LOCK=NONE (reads and writes go on) while it rebuilds `User`" in value
    assert "On MariaDB 10.3.7: adding column `nick` in the middle." in value

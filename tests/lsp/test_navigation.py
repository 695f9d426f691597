"""Definition, references, document symbols, workspace symbols and code lenses, end to end:
cal.com's schema, and the multi-file sample (references that cross files)."""

from __future__ import annotations

from pathlib import Path

import pytest
from lsprotocol import types
from pytest_lsp import LanguageClient

from .conftest import calcom_copy, open_document
from .features import doc, position, sample_copy


@pytest.mark.corpus
async def test_definition_from_a_relation_type_and_its_fields(
    client: LanguageClient, tmp_path: Path
):
    schema = calcom_copy(tmp_path)
    text = open_document(client, schema)
    where = "  user             User        @relation(fields: [userId]"
    [model] = await client.text_document_definition_async(
        types.DefinitionParams(text_document=doc(schema), position=position(text, where, 20))
    )
    assert model.uri == schema.as_uri()
    assert model.range.start == position(text, "model User {", 6)
    [field] = await client.text_document_definition_async(
        types.DefinitionParams(text_document=doc(schema), position=position(text, where, 51))
    )
    assert field.range.start == position(text, "  userId           Int\n", 2)


async def test_references_across_the_files_of_a_schema_folder(
    client: LanguageClient, tmp_path: Path
):
    root = sample_copy("prisma-clean", tmp_path)
    user = root / "prisma" / "schema" / "user.prisma"
    task = root / "prisma" / "schema" / "task.prisma"
    text = open_document(client, user)
    refs = await client.text_document_references_async(
        types.ReferenceParams(
            text_document=doc(user),
            position=position(text, "model User", 7),
            context=types.ReferenceContext(include_declaration=True),
        )
    )
    by_file = sorted(r.uri.rsplit("/", 1)[1] for r in refs)
    assert by_file == ["task.prisma"] * 3 + ["user.prisma"]
    task_text = task.read_text()
    assert {r.range.start.line for r in refs if r.uri == task.as_uri()} == {
        position(task_text, "owner   User").line,
        position(task_text, "assignee    User?").line,
        position(task_text, "creator     User ").line,
    }


async def test_document_symbols_are_hierarchical_and_workspace_symbols_search(
    client: LanguageClient, tmp_path: Path
):
    root = sample_copy("prisma-clean", tmp_path)
    task = root / "prisma" / "schema" / "task.prisma"
    open_document(client, task)
    symbols = await client.text_document_document_symbol_async(
        types.DocumentSymbolParams(text_document=doc(task))
    )
    assert [(s.name, s.kind) for s in symbols] == [
        ("TaskStatus", types.SymbolKind.Enum),
        ("Project", types.SymbolKind.Class),
        ("Task", types.SymbolKind.Class),
    ]
    assert [c.name for c in symbols[0].children] == ["TODO", "DOING", "DONE"]
    assert symbols[2].children[1].name == "title"
    assert symbols[2].children[1].detail == "String"
    found = await client.workspace_symbol_async(types.WorkspaceSymbolParams(query="assign"))
    names = sorted((s.container_name, s.name) for s in found)
    assert names == [("Task", "assignee"), ("Task", "assigneeId"), ("User", "assigned")]


async def test_code_lens_on_each_model(client: LanguageClient, tmp_path: Path):
    root = sample_copy("prisma-clean", tmp_path)
    task = root / "prisma" / "schema" / "task.prisma"
    text = open_document(client, task)
    lenses = await client.text_document_code_lens_async(
        types.CodeLensParams(text_document=doc(task))
    )
    assert [(lens.range.start, lens.command.title) for lens in lenses] == [
        (position(text, "model Project", 6), "2 relations · 2 indexes"),
        (position(text, "model Task", 6), "3 relations · 4 indexes"),
        # services/tasks.ts: one lookup of a project by its unique key; five task queries,
        # of which only the count is served whole (the others: partly, or a range on due_at)
        (position(text, "model Project", 6), "1 query · 1 served"),
        (position(text, "model Task", 6), "5 queries · 1 served"),
    ]
    summary = await client.workspace_execute_command_async(
        types.ExecuteCommandParams(
            command=lenses[0].command.command, arguments=lenses[0].command.arguments
        )
    )
    assert summary == {"model": "Project", "relations": 2, "indexes": 2}

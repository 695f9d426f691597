"""DB401 end to end over stdio: open a TypeScript file of a Prisma project whose config selects
the rule, get the diagnostic on the `where` of the query no index serves; fix the query with a
keystroke (filter by the indexed column) and see it go. The fix ("Add `@@index([status])`")
edits schema.prisma."""

from __future__ import annotations

from pathlib import Path

from lsprotocol import types
from pytest_lsp import LanguageClient

from .conftest import change_document, diagnostics_for, text_edits
from .features import position

SCHEMA = """datasource db {
  provider = "postgresql"
  url      = env("DATABASE_URL")
}

model Post {
  id     Int    @id @default(autoincrement())
  slug   String @unique
  status String
}
"""

CODE = """import { prisma } from "./db";
export async function drafts() {
  return prisma.post.findMany({ where: { status: "draft" } });
}
"""


async def test_db401_in_the_typescript_file(client: LanguageClient, tmp_path: Path):
    (tmp_path / "package.json").write_text("{}")
    (tmp_path / "schemasense.toml").write_text('extend-select = ["DB401"]\n')
    (tmp_path / "prisma").mkdir()
    (tmp_path / "prisma" / "schema.prisma").write_text(SCHEMA)
    code = tmp_path / "src" / "posts.ts"
    code.parent.mkdir()
    code.write_text(CODE)
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(
                uri=code.as_uri(), language_id="typescript", version=1, text=CODE
            )
        )
    )
    diagnostics = await diagnostics_for(client, code, version=1)
    (db401,) = [d for d in diagnostics if str(d.code) == "DB401"]
    assert db401.severity == types.DiagnosticSeverity.Information
    assert db401.range.start == position(CODE, '{ status: "draft" }')
    assert db401.range.end == position(CODE, '{ status: "draft" }', len('{ status: "draft" }'))
    assert "`status`" in db401.message and "@@index([status])" in db401.message
    assert db401.code_description is not None

    # the fix adds the index to the model, in schema.prisma
    actions = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=code.as_uri()),
            range=db401.range,
            context=types.CodeActionContext(diagnostics=[db401]),
        )
    )
    assert [a.title for a in actions][1:] == [
        "Ignore DB401 on this line",
        "Ignore DB401 in this file",
    ]
    schema_uri = (tmp_path / "prisma" / "schema.prisma").as_uri()
    (edit,) = text_edits(actions[0].edit)[schema_uri]
    assert actions[0].title == "Add `@@index([status])` to Post (DB401)"
    assert edit.new_text == "\n  @@index([status])\n"

    # filter by the unique slug instead: served, the diagnostic goes
    start = position(CODE, "status: ")
    end = position(CODE, '"draft"', len('"draft"'))
    change_document(
        client, code, 2, (start.line, start.character), (end.line, end.character), "slug: s"
    )
    assert await diagnostics_for(client, code, version=2) == []

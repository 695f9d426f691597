"""The queries of the code, seen from the schema, end to end over stdio: the hover on an index
or key says which queries it serves and which on its table it does not (with `file:line` links
to them), and each model / entity has a code lens "N queries · M served". A keystroke in the
schema (adding the missing index) changes both; Prisma, TypeORM and Sequelize."""

from __future__ import annotations

import shutil
from pathlib import Path

from lsprotocol import types
from pytest_lsp import LanguageClient

from .conftest import change_document, diagnostics_for, open_document, text_edits
from .features import doc, position

SAMPLES = Path(__file__).resolve().parents[2] / "samples"

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
export const bySlug = (slug: string) => prisma.post.findUnique({ where: { slug } });
export const drafts = () => prisma.post.findMany({ where: { status: "draft" } });
"""


async def _hover(client: LanguageClient, path: Path, text: str, anchor: str) -> str | None:
    pos = position(text, anchor, 1)
    answer = await client.text_document_hover_async(
        types.HoverParams(text_document=doc(path), position=pos)
    )
    if answer is None:
        return None
    assert isinstance(answer.contents, types.MarkupContent)
    return answer.contents.value


async def _lenses(client: LanguageClient, path: Path) -> list[str]:
    lenses = await client.text_document_code_lens_async(
        types.CodeLensParams(text_document=doc(path))
    )
    return [lens.command.title for lens in lenses or [] if lens.command is not None]


async def test_prisma_key_hover_and_model_lens(client: LanguageClient, tmp_path: Path):
    (tmp_path / "package.json").write_text("{}")
    schema = tmp_path / "prisma" / "schema.prisma"
    schema.parent.mkdir()
    schema.write_text(SCHEMA)
    code = tmp_path / "src" / "posts.ts"
    code.parent.mkdir()
    code.write_text(CODE)
    open_document(client, schema)
    uri = code.as_uri()

    text = await _hover(client, schema, SCHEMA, "@unique")
    assert text is not None
    assert "`@unique`" in text  # the key's own hover comes first
    assert "**Queries it serves: 1**" in text
    assert f"- [src/posts.ts:2]({uri}#L2) `prisma.post.findUnique`" in text
    assert "**Queries on this table it does not serve: 1**" in text
    assert f"- [src/posts.ts:3]({uri}#L3) `prisma.post.findMany`" in text
    text = await _hover(client, schema, SCHEMA, "@id")
    assert text is not None and "**Queries it serves: 0**" in text
    assert "does not serve: 2**" in text
    assert "2 queries · 1 served" in await _lenses(client, schema)

    # the index drafts() needs, typed into the model: served, and the lens says so
    end = position(SCHEMA, "status String", len("status String"))
    change_document(
        client,
        schema,
        2,
        (end.line, end.character),
        (end.line, end.character),
        "\n  @@index([status])",
    )
    edited = SCHEMA.replace("status String", "status String\n  @@index([status])")
    text = await _hover(client, schema, edited, "@@index([status])")
    assert text is not None
    assert "**Queries it serves: 1**" in text and f"({uri}#L3)" in text
    assert "2 queries · 2 served" in await _lenses(client, schema)


async def test_no_queries_no_additions(client: LanguageClient, tmp_path: Path):
    """A schema whose project has no code: the hover and the lenses are as they were."""
    (tmp_path / "package.json").write_text("{}")
    schema = tmp_path / "prisma" / "schema.prisma"
    schema.parent.mkdir()
    schema.write_text(SCHEMA)
    open_document(client, schema)
    text = await _hover(client, schema, SCHEMA, "@unique")
    assert text is not None and "Queries" not in text
    assert not any("queries" in t for t in await _lenses(client, schema))


def _open_ts(client: LanguageClient, path: Path) -> str:
    text = path.read_text()
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(
                uri=path.as_uri(), language_id="typescript", version=1, text=text
            )
        )
    )
    return text


async def test_typeorm_index_hover_and_entity_lens(client: LanguageClient, tmp_path: Path):
    nest = tmp_path / "typeorm-nest"
    shutil.copytree(SAMPLES / "typeorm-nest", nest, ignore=shutil.ignore_patterns("node_modules"))
    service = nest / "src" / "posts" / "posts.service.ts"
    service.write_text(
        'import { InjectRepository } from "@nestjs/typeorm";\n'
        'import { Repository } from "typeorm";\n'
        'import { Post } from "./post.entity";\n'
        "export class PostsService {\n"
        "  constructor(@InjectRepository(Post) private readonly posts: Repository<Post>) {}\n"
        "  bySlug(slug: string) {\n"
        "    return this.posts.findOne({ where: { slug } });\n"
        "  }\n"
        "  drafts() {\n"
        '    return this.posts.find({ where: { title: "d" } });\n'
        "  }\n"
        "}\n"
    )
    entity = nest / "src" / "posts" / "post.entity.ts"
    text = _open_ts(client, entity)
    hover = await _hover(client, entity, text, "@Index({ unique: true })")
    assert hover is not None
    uri = service.as_uri()
    assert "**Queries it serves: 1**" in hover
    assert f"- [typeorm-nest/src/posts/posts.service.ts:7]({uri}#L7) `posts.findOne`" in hover
    assert "does not serve: 1**" in hover and f"({uri}#L10)" in hover
    assert "2 queries · 1 served" in await _lenses(client, entity)


async def test_sequelize_index_entry_hover(client: LanguageClient, tmp_path: Path):
    events = tmp_path / "sequelize-ts"
    shutil.copytree(SAMPLES / "sequelize-ts", events, ignore=shutil.ignore_patterns("node_modules"))
    code = events / "src" / "events.ts"
    code.write_text(
        'import { Event } from "./models";\n'
        "export const upcoming = (organizerId: number, from: Date) =>\n"
        "  Event.findAll({ where: { organizerId, startsAt: { [Op.gte]: from } } });\n"
    )
    model = events / "src" / "models" / "event.model.ts"
    text = _open_ts(client, model)
    hover = await _hover(client, model, text, '{ name: "events_organizer_id_starts_at"')
    assert hover is not None
    assert "**Queries it serves: 1**" in hover
    assert f"- [sequelize-ts/src/events.ts:3]({code.as_uri()}#L3) `Event.findAll`" in hover
    assert "1 query · 1 served" in await _lenses(client, model)


async def test_db401_in_a_sequelize_model_file(client: LanguageClient, tmp_path: Path):
    """A model file is part of the Sequelize unit; a query in it gets DB401 as any code file's,
    beside the model's own findings, and goes when the query filters by an indexed column."""
    events = tmp_path / "sequelize-ts"
    shutil.copytree(SAMPLES / "sequelize-ts", events, ignore=shutil.ignore_patterns("node_modules"))
    (events / "schemasense.toml").write_text('extend-select = ["DB401"]\n')
    model = events / "src" / "models" / "event.model.ts"
    call = "Event.findAll({ where: { title } })"
    text = model.read_text() + f"\nexport const byTitle = (title: string) => {call};\n"
    model.write_text(text)
    _open_ts(client, model)
    diagnostics = await diagnostics_for(client, model, version=1)
    (db401,) = [d for d in diagnostics if str(d.code) == "DB401"]
    assert db401.range.start == position(text, "{ title }")
    assert "`title`" in db401.message and "`events`" in db401.message
    # its fix appends the index to the model's `indexes` (`sources/sequelize/editor.py`)
    actions = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=doc(model),
            range=db401.range,
            context=types.CodeActionContext(diagnostics=[db401]),
        )
    )
    fix = actions[0]
    assert fix.title == 'Add `{ fields: ["title"] }` to Event (DB401)'
    (edit,) = text_edits(fix.edit)[model.as_uri()]
    assert edit.new_text == '\n    { fields: ["title"] },'
    last = '["organizer_id", "starts_at"] },'
    assert edit.range.start == position(text, last, len(last))  # after the last entry

    # filter by the unique slug instead: served, the diagnostic goes
    start = position(text, "{ title }", 2)
    change_document(
        client, model, 2, (start.line, start.character), (start.line, start.character + 5), "slug"
    )
    after = await diagnostics_for(client, model, version=2)
    assert [d for d in after if str(d.code) == "DB401"] == []

"""The TypeORM source end to end over stdio: open an entity of a copy of samples/typeorm-nest,
get its diagnostics (a @ManyToOne whose join column has no index: typeorm#7118, on the range of
the decorator), hover the @Index and the relation, go from the relation's target to the entity
class, and see a keystroke that breaks a relation reported as a read problem; the DB211 fix on
a migration class (both files edited) and DB103 as an error on an entity with no primary key."""

from __future__ import annotations

import shutil
from pathlib import Path

from lsprotocol import types
from pytest_lsp import LanguageClient

from .conftest import diagnostics_for, text_edits, wait_until
from .features import position

SAMPLE = Path(__file__).resolve().parents[2] / "samples" / "typeorm-nest"


def _copy(tmp_path: Path) -> Path:
    target = tmp_path / "typeorm-nest"
    shutil.copytree(SAMPLE, target, ignore=shutil.ignore_patterns("node_modules", "dist"))
    return target


def _open(client: LanguageClient, path: Path, text: str | None = None, version: int = 1) -> str:
    text = path.read_text() if text is None else text
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(
                uri=path.as_uri(), language_id="typescript", version=version, text=text
            )
        )
    )
    return text


async def _hover(client: LanguageClient, path: Path, text: str, anchor: str, shift: int = 1):
    pos = position(text, anchor)
    pos = types.Position(line=pos.line, character=pos.character + shift)
    return await client.text_document_hover_async(
        types.HoverParams(
            text_document=types.TextDocumentIdentifier(uri=path.as_uri()), position=pos
        )
    )


async def test_an_entity_in_the_editor(client: LanguageClient, tmp_path: Path):
    project = _copy(tmp_path)
    post = project / "src" / "posts" / "post.entity.ts"
    text = _open(client, post)

    diagnostics = await diagnostics_for(client, post, version=1)
    db101 = [d for d in diagnostics if str(d.code) == "DB101"]
    assert len(db101) == 1, diagnostics
    parent = "@ManyToOne(() => Post, (post) => post.replies"
    assert db101[0].range.start == position(text, parent)
    assert "parent_id" in db101[0].message
    assert not [d for d in diagnostics if d.severity == types.DiagnosticSeverity.Error]

    hover = await _hover(client, post, text, "@Index({ unique: true })")
    assert hover is not None
    value = hover.contents.value  # type: ignore[union-attr]
    assert "IDX_cd1bddce36edc3e766798eab37" in value and "slug" in value

    hover = await _hover(client, post, text, parent)
    assert hover is not None
    value = hover.contents.value  # type: ignore[union-attr]
    assert "FK_502b5d7b881d2474c56195acb83" in value and "No index leads with" in value

    author = "@ManyToOne(() => User"
    definition = await client.text_document_definition_async(
        types.DefinitionParams(
            text_document=types.TextDocumentIdentifier(uri=post.as_uri()),
            position=position(text, author),
        )
    )
    assert definition, "no definition for the relation's target"
    target = definition[0] if isinstance(definition, list) else definition
    user = project / "src" / "users" / "user.entity.ts"
    assert target.uri == user.as_uri()  # type: ignore[union-attr]
    assert target.range.start == position(user.read_text(), "User extends")  # type: ignore[union-attr]


async def test_a_keystroke_that_breaks_a_relation(client: LanguageClient, tmp_path: Path):
    project = _copy(tmp_path)
    post = project / "src" / "posts" / "post.entity.ts"
    text = _open(client, post)
    await diagnostics_for(client, post, version=1)
    broken = text.replace("(user) => user.posts", "(user) => user.articles")
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=post.as_uri(), version=2),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text=broken)],
        )
    )
    diagnostics = await diagnostics_for(client, post, version=2)
    db062 = [d for d in diagnostics if str(d.code) == "DB062"]
    assert len(db062) == 1
    assert db062[0].range.start == position(broken, "(user) => user.articles")
    await wait_until(lambda: True)


def _applied(text: str, edits: list[types.TextEdit]) -> str:
    """`text` with `edits` (LSP ranges) applied, last first."""
    lines = text.split("\n")
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line) + 1)

    def offset(pos: types.Position) -> int:
        return starts[pos.line] + pos.character  # the sample is ASCII: UTF-16 == characters

    for edit in sorted(edits, key=lambda e: offset(e.range.start), reverse=True):
        text = text[: offset(edit.range.start)] + edit.new_text + text[offset(edit.range.end) :]
    return text


async def test_the_bigint_key_fix_through_the_editor(client: LanguageClient, tmp_path: Path):
    """DB108 on `Tag.id` (`@PrimaryGeneratedColumn()`, a 32-bit serial key): the code action
    is a WorkspaceEdit for the open version of the entity that gives the decorator
    `{ type: "bigint" }`; the edited text, sent back, has no DB108 left."""
    project = _copy(tmp_path)
    tag = project / "src" / "posts" / "tag.entity.ts"
    text = _open(client, tag)
    diagnostics = await diagnostics_for(client, tag, version=1)
    [db108] = [d for d in diagnostics if str(d.code) == "DB108"]
    actions = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=tag.as_uri()),
            range=db108.range,
            context=types.CodeActionContext(diagnostics=[db108]),
        )
    )
    titles = [a.title for a in actions or []]
    title = "Make the key bigint (and its references) (DB108) (unsafe)"
    assert title in titles, titles
    [action] = [a for a in actions or [] if a.title == title]
    assert isinstance(action, types.CodeAction) and action.edit is not None
    edits = text_edits(action.edit, {tag.as_uri(): 1})
    assert list(edits) == [tag.as_uri()]  # the join table's tag_id follows the key by itself
    fixed = _applied(text, edits[tag.as_uri()])
    assert '@PrimaryGeneratedColumn({ type: "bigint" })\n  id: number;' in fixed

    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=tag.as_uri(), version=2),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text=fixed)],
        )
    )
    after = await diagnostics_for(client, tag, version=2)
    assert [d for d in after if str(d.code) == "DB108"] == []
    assert not [d for d in after if d.severity == types.DiagnosticSeverity.Error]


RENAME_TAG = """import { MigrationInterface, QueryRunner } from "typeorm";

export class RenameTag1733900000000 implements MigrationInterface {
  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.renameTable("tag", "label");
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.renameTable("label", "tag");
  }
}
"""
SETTING = """import { Column, Entity } from "typeorm";

@Entity()
export class Setting {
  @Column({ length: 100, unique: true })
  key: string;
}
"""


async def test_rename_fix_and_missing_key_error_through_the_editor(
    client: LanguageClient, tmp_path: Path
):
    """DB211 on `queryRunner.renameTable` in a migration class: the code action removes the
    call from `up` and its inverse from `down` and keeps `@Entity("tag")` on the entity (both
    files in one WorkspaceEdit). DB103 on an entity with no primary column is an error
    (TypeORM refuses it at start-up), with its fix. (TypeORM itself judges both in
    tests/oracle/typeorm/test_rename_fixes.py and test_editor_fixes.py.)"""
    project = _copy(tmp_path)
    migration = project / "src" / "migrations" / "1733900000000-RenameTag.ts"
    migration.write_text(RENAME_TAG)
    tag = project / "src" / "posts" / "tag.entity.ts"
    tag.write_text(tag.read_text().replace("@Entity()", '@Entity("label")'))
    setting = project / "src" / "posts" / "setting.entity.ts"
    setting.write_text(SETTING)

    text = _open(client, migration)
    diagnostics = await diagnostics_for(client, migration, version=1)
    [db211] = [d for d in diagnostics if str(d.code) == "DB211"]
    actions = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=migration.as_uri()),
            range=db211.range,
            context=types.CodeActionContext(diagnostics=[db211]),
        )
    )
    title = 'Keep the table: @Entity("tag") on the model, no rename (DB211)'
    titles = [a.title for a in actions or []]
    assert title in titles, titles
    [action] = [a for a in actions or [] if a.title == title]
    assert isinstance(action, types.CodeAction) and action.edit is not None
    edits = text_edits(action.edit, {migration.as_uri(): 1})
    assert sorted(edits) == sorted([migration.as_uri(), tag.as_uri()])
    fixed = _applied(text, edits[migration.as_uri()])
    assert "renameTable" not in fixed and "public async down" in fixed
    assert '@Entity("tag")' in _applied(tag.read_text(), edits[tag.as_uri()])

    _open(client, setting)
    found = await diagnostics_for(client, setting, version=1)
    [db103] = [d for d in found if str(d.code) == "DB103"]
    assert db103.severity == types.DiagnosticSeverity.Error
    assert db103.range.start == position(SETTING, "@Entity()")
    assert client.messages == []

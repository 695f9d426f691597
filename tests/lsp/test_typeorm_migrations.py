"""A TypeORM migration class in the editor: hover on the SQL inside `queryRunner.query(...)`
explains the statement (its lock, what it does) as in a `.sql` migration, and a Table-API call
is a statement too; the folder is read in the dialect its `[migrations]` entry names."""

from __future__ import annotations

from pathlib import Path

from lsprotocol import types
from pytest_lsp import LanguageClient

from .features import doc, position

INIT = """import { MigrationInterface, QueryRunner, Table } from "typeorm";

export class Init1700000000000 implements MigrationInterface {
  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "post" ("id" integer PRIMARY KEY, "title" text)`);
    await queryRunner.createTable(new Table({
      name: "tag", columns: [{ name: "id", type: "int", isPrimary: true }],
    }));
  }
  public async down(queryRunner: QueryRunner): Promise<void> {}
}
"""

INDEX = """import { MigrationInterface, QueryRunner } from "typeorm";

export class Index1700000000001 implements MigrationInterface {
  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX "post_title" ON "post" ("title")`);
  }
  public async down(queryRunner: QueryRunner): Promise<void> {}
}
"""


def _project(root: Path) -> dict[str, Path]:
    folder = root / "src" / "migrations"
    folder.mkdir(parents=True)
    (root / "package.json").write_text('{"name": "p", "dependencies": {"typeorm": "0.3.20"}}')
    (root / "schemasense.toml").write_text(
        '[migrations]\npath = "src/migrations"\ntool = "typeorm"\ndialect = "postgresql"\n'
    )
    paths = {"init": folder / "1700000000000-Init.ts", "index": folder / "1700000000001-Index.ts"}
    paths["init"].write_text(INIT)
    paths["index"].write_text(INDEX)
    return paths


def _open(client: LanguageClient, path: Path, text: str) -> None:
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(
                uri=path.as_uri(), language_id="typescript", version=1, text=text
            )
        )
    )


async def test_hover_inside_a_typeorm_migration(client: LanguageClient, tmp_path: Path):
    paths = _project(tmp_path)
    _open(client, paths["index"], INDEX)
    answer = await client.text_document_hover_async(
        types.HoverParams(text_document=doc(paths["index"]), position=position(INDEX, "INDEX", 2))
    )
    assert answer is not None
    value = answer.contents.value
    assert "post_title" in value and "SHARE" in value, value
    start = INDEX.index('CREATE INDEX "post_title"')
    assert answer.range is not None
    assert answer.range.start == position(INDEX, 'CREATE INDEX "post_title"')
    assert answer.range.end == position(INDEX, '("title")`', len('("title")'))
    assert start > 0
    _open(client, paths["init"], INIT)
    call = await client.text_document_hover_async(
        types.HoverParams(
            text_document=doc(paths["init"]), position=position(INIT, "createTable", 3)
        )
    )
    assert call is not None and "tag" in call.contents.value, call
    outside = await client.text_document_hover_async(
        types.HoverParams(
            text_document=doc(paths["init"]), position=position(INIT, "MigrationInterface {", 2)
        )
    )
    assert outside is None

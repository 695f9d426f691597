"""Migration-safety rules on a TypeORM migration class, through the workspace, with the folder
named by `[migrations] tool = "typeorm"`: the findings land on the SQL inside the template
literal (DB201 on a `CREATE INDEX` without CONCURRENTLY, DB212 on a dropped column), and a fix
that would write SQL into the TypeScript file outside a string is not offered."""

from __future__ import annotations

from pathlib import Path

from schemasense.server.workspace.workspace import Workspace

CLASS = """import {{ MigrationInterface, QueryRunner }} from "typeorm";

export class {name} implements MigrationInterface {{
  public async up(queryRunner: QueryRunner): Promise<void> {{
{body}
  }}
  public async down(queryRunner: QueryRunner): Promise<void> {{}}
}}
"""


def _project(root: Path) -> Path:
    folder = root / "src" / "migrations"
    folder.mkdir(parents=True)
    (root / "package.json").write_text('{"name": "p", "dependencies": {"typeorm": "0.3.20"}}')
    (root / "schemasense.toml").write_text(
        '[migrations]\npath = "src/migrations"\ntool = "typeorm"\ndialect = "postgresql"\n'
    )
    (root / "schema.sql").write_text('CREATE TABLE "post" ("id" integer PRIMARY KEY);\n')
    init = (
        '    await queryRunner.query(`CREATE TABLE "post" ("id" int PRIMARY KEY, "title" text)`);'
    )
    (folder / "1700000000000-Init.ts").write_text(CLASS.format(name="Init1700000000000", body=init))
    body = (
        '    await queryRunner.query(`CREATE INDEX "post_title" ON "post" ("title")`);\n'
        '    await queryRunner.query(`ALTER TABLE "post" DROP COLUMN "title"`);'
    )
    path = folder / "1700000000001-Index.ts"
    path.write_text(CLASS.format(name="Index1700000000001", body=body))
    return path


def test_rules_report_inside_the_template_literal(tmp_path: Path) -> None:
    path = _project(tmp_path)
    text = path.read_text()
    findings = [f for f in Workspace([str(tmp_path)]).check_path(str(tmp_path))]
    on_class = {f.code: f for f in findings if f.span.file == str(path)}
    assert {"DB201", "DB212"} <= set(on_class), sorted(on_class)
    index = on_class["DB201"]
    assert (
        text[index.span.start : index.span.end] == 'CREATE INDEX "post_title" ON "post" ("title")'
    )
    drop = on_class["DB212"]
    assert text[drop.span.start : drop.span.end] == 'ALTER TABLE "post" DROP COLUMN "title"'
    for finding in on_class.values():
        for edit in finding.fix.edits if finding.fix else ():
            # an edit lands inside the SQL of a `queryRunner.query` string, never at the top of
            # the TypeScript file (`SET lock_timeout` there would break it)
            literal = text.index("`CREATE INDEX")
            assert literal < edit.span.start <= edit.span.end < text.index("`);", literal)

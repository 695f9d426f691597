"""TypeORM migration classes read as the replay's pieces: found and ordered as TypeORM's
`MigrationExecutor` orders them, the SQL of `queryRunner.query(...)` placed in the file (escapes,
constants, unknown holes), the Table API read into operations with TypeORM's names, and what
cannot be read (a loop, a helper, a computed SQL) reported while the replay goes on."""

from __future__ import annotations

from pathlib import Path

from schemasense.codegen.orms.typeorm.naming import NamingStrategy
from schemasense.server.migrations.discover import discover_migrations, read_set
from schemasense.server.migrations.model import CallPiece, SqlPiece
from schemasense.server.migrations.replay import replay
from schemasense.server.migrations.tools import detect_tool
from schemasense.server.migrations.typeorm.reader import js_timestamp

HEADER = 'import { MigrationInterface, QueryRunner, Table, TableIndex } from "typeorm";\n'


def _write(folder: Path, files: dict[str, str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(HEADER + text)
    return folder


Q = "await queryRunner.query"


def _cls(name: str, body: str, prop: str | None = None) -> str:
    named = f'  name = "{prop}";\n' if prop else ""
    return (
        f"export class {name} implements MigrationInterface {{\n{named}"
        f"  public async up(queryRunner: QueryRunner): Promise<void> {{\n{body}\n  }}\n"
        "  public async down(queryRunner: QueryRunner): Promise<void> {}\n}\n"
    )


def test_js_timestamp_is_parse_int_of_the_last_13_characters() -> None:
    assert js_timestamp("Init1700000000000") == 1700000000000
    # parseInt reads the leading digits of the last 13 characters (node agrees: 700000000001)
    assert js_timestamp("AddThing1700000000001x") == 700000000001
    assert js_timestamp("NoStamp") is None
    assert js_timestamp("A0000000000000") is None  # 0 is refused too


def test_classes_are_ordered_by_timestamp_stable_and_by_their_name_property(tmp_path) -> None:
    folder = _write(
        tmp_path / "migrations",
        {
            # file order: a, b, c; TypeORM sorts by the timestamp of the NAME, stable
            "a.ts": _cls("Late1700000000300", f'{Q}(`CREATE TABLE "c" (x int)`);'),
            "b.ts": _cls(
                "Renamed1700000000999",
                f'{Q}(`CREATE TABLE "a" (x int)`);',
                prop="First1700000000100",
            ),
            "c.ts": _cls("Same1700000000300", f'{Q}(`CREATE TABLE "d" (x int)`);')
            + _cls("Bad", f'{Q}(`CREATE TABLE "z" (x int)`);'),
        },
    )  # fmt: skip
    assert detect_tool(str(folder)) == "typeorm"
    mset = read_set(str(folder), "typeorm", dialect="postgresql")
    assert [f.name for f in mset.files] == [
        "First1700000000100",
        "Late1700000000300",
        "Same1700000000300",
    ]
    assert [f.version for f in mset.files] == ["1700000000100", "1700000000300", "1700000000300"]
    bad = [p for p in mset.problems if "Bad" in p.message]
    assert len(bad) == 1 and bad[0].span.file.endswith("c.ts")
    text = (folder / "c.ts").read_text()
    assert text[bad[0].span.start : bad[0].span.end] == "Bad"


def test_sql_pieces_point_into_the_file_through_escapes_and_constants(tmp_path) -> None:
    body = (
        "    const T = `post`;\n"
        "    await queryRunner.query(`CREATE TABLE \\`post\\` (\\`id\\` int NOT NULL)`);\n"
        "    await queryRunner.query(`CREATE INDEX \\`IDX_t\\` ON \\`${T}\\` (\\`id\\`)`);\n"
        "    await queryRunner.query('ALTER TABLE `post` ' + 'ADD `title` text NULL');\n"
    )
    folder = _write(tmp_path / "m", {"1-Init.ts": _cls("Init1700000000000", body)})
    mset = read_set(str(folder), "typeorm", dialect="mysql")
    pieces = mset.files[0].pieces
    assert [type(p) for p in pieces] == [SqlPiece, SqlPiece, SqlPiece]
    assert pieces[0].text == "CREATE TABLE `post` (`id` int NOT NULL)"
    assert pieces[1].text == "CREATE INDEX `IDX_t` ON `post` (`id`)"
    assert pieces[2].text == "ALTER TABLE `post` ADD `title` text NULL"
    result = replay(mset)
    assert result.findings == ()
    table = result.schema.table("post")
    assert table is not None and [c.name for c in table.columns] == ["id", "title"]
    text = (folder / "1-Init.ts").read_text()
    spans = [text[s.span.start : s.span.end] for s in result.statements]
    assert spans[0] == "CREATE TABLE \\`post\\` (\\`id\\` int NOT NULL)"
    assert spans[1] == "CREATE INDEX \\`IDX_t\\` ON \\`${T}\\` (\\`id\\`)"
    assert spans[2] == "ALTER TABLE `post` ' + 'ADD `title` text NULL"


def test_an_unknown_hole_is_a_placeholder_and_a_finding_only_in_a_schema_change(tmp_path) -> None:
    body = (
        '    await queryRunner.query(`CREATE TABLE "t" ("id" int, "s" text)`);\n'
        '    await queryRunner.query(`UPDATE "t" SET "s" = \'${value}\'`);\n'
        '    await queryRunner.query(`ALTER TABLE "t" ADD "${column}" int`);\n'
    )
    folder = _write(tmp_path / "m", {"1-Init.ts": _cls("Init1700000000000", body)})
    mset = read_set(str(folder), "typeorm", dialect="postgresql")
    holes = [p for p in mset.files[0].pieces if isinstance(p, SqlPiece) and p.holes]
    assert len(holes) == 2
    assert holes[1].text == 'ALTER TABLE "t" ADD "_________" int'
    text = (folder / "1-Init.ts").read_text()
    said = [text[f.span.start : f.span.end] for f in mset.problems]
    assert said == ["${column}"]


def test_table_api_calls_are_operations_with_typeorm_names(tmp_path) -> None:
    body = """
    await queryRunner.createTable(new Table({
      name: "post",
      columns: [
        { name: "id", type: "int", isPrimary: true, isGenerated: true,
          generationStrategy: "increment" },
        { name: "slug", type: "varchar", length: "80", isUnique: true },
        { name: "rank", type: "int", isNullable: true, default: 0 },
      ],
      indices: [new TableIndex({ columnNames: ["rank"] })],
    }));
    await queryRunner.dropIndex("post", new TableIndex({ columnNames: ["rank"] }));
    await queryRunner.renameColumn("post", "rank", "score");
"""
    folder = _write(tmp_path / "m", {"1-Init.ts": _cls("Init1700000000000", body)})
    mset = read_set(str(folder), "typeorm", dialect="postgresql")
    pieces = mset.files[0].pieces
    assert all(isinstance(p, CallPiece) and p.error is None for p in pieces), pieces
    result = replay(mset)
    assert result.findings == ()
    table = result.schema.table("post")
    assert table is not None
    names = NamingStrategy("1")
    assert [c.name for c in table.columns] == ["id", "slug", "score"]
    slug = next(c for c in table.columns if c.name == "slug")
    assert slug.type.native == "character varying(80)" and not slug.nullable
    assert table.primary_key is not None and table.primary_key.name == names.primary_key_name(
        "post", ["id"]
    )
    assert [u.name for u in table.uniques] == [names.unique_constraint_name("post", ["slug"])]
    assert table.indexes == []  # created with TypeORM's name, then dropped by it
    text = (folder / "1-Init.ts").read_text()
    for record in result.statements:
        assert record.source == "call"
        assert text[record.span.start : record.span.end].startswith("queryRunner.")


def test_what_cannot_be_read_is_reported_and_the_replay_goes_on(tmp_path) -> None:
    body = """
    await queryRunner.query(`CREATE TABLE "a" ("id" int)`);
    for (const t of tables) { await queryRunner.query(`ALTER TABLE "a" ADD "c" int`); }
    for (const r of rows) { await queryRunner.manager.query(`UPDATE "a" SET "id" = 1`); }
    await queryRunner.addColumn(tableName, { name: "x", type: "int" });
    await queryRunner.query(sql);
    await imported(queryRunner);
    await local(queryRunner);
    await queryRunner.query(`CREATE TABLE "b" ("id" int)`);
"""
    helper = (
        '\nasync function local(qr: QueryRunner) { await qr.query(`CREATE TABLE "h" (id int)`); }\n'
    )
    folder = _write(tmp_path / "m", {"1-Init.ts": _cls("Init1700000000000", body) + helper})
    mset = read_set(str(folder), "typeorm", dialect="postgresql")
    result = replay(mset)
    errors = [p.error for p in mset.files[0].pieces if isinstance(p, CallPiece)]
    assert len(errors) == 4 and all(errors)
    assert "loop" in errors[0]
    assert "tableName" in errors[1]
    assert "not known" in errors[2]
    assert "imported" in errors[3]
    assert [f.code for f in result.findings] == ["DB050"] * 4
    assert {"a", "b", "h"} <= {t.name for t in result.schema.tables}
    text = (folder / "1-Init.ts").read_text()
    for finding in result.findings:
        assert 0 <= finding.span.start < finding.span.end <= len(text)


def test_a_step_behind_a_check_is_skipped_where_the_check_would_stop_it(tmp_path) -> None:
    body = """
    await queryRunner.query(`CREATE TABLE "a" ("id" int, "x" int)`);
    if (!(await queryRunner.hasColumn("a", "x"))) {
      await queryRunner.query(`ALTER TABLE "a" ADD "x" int`);
    }
    if (!(await queryRunner.hasColumn("a", "y"))) {
      await queryRunner.query(`ALTER TABLE "a" ADD "y" int`);
    }
"""
    folder = _write(tmp_path / "m", {"1-Init.ts": _cls("Init1700000000000", body)})
    result = replay(read_set(str(folder), "typeorm", dialect="postgresql"))
    assert result.findings == ()
    assert [s.action for s in result.statements] == ["applied", "skipped", "applied"]
    table = result.schema.table("a")
    assert table is not None and [c.name for c in table.columns] == ["id", "x", "y"]


def test_a_configured_typeorm_folder_is_read_in_its_dialect(tmp_path) -> None:
    _write(
        tmp_path / "src" / "migrations",
        {"1-Init.ts": _cls("Init1700000000000", f'{Q}(`CREATE TABLE t (a int)`);')},
    )  # fmt: skip
    (tmp_path / "schemasense.toml").write_text(
        '[migrations]\npath = "src/migrations"\ntool = "typeorm"\ndialect = "sqlite"\n'
    )
    (sets,) = discover_migrations(str(tmp_path))
    assert (sets.tool, sets.dialect, sets.dialect_source) == ("typeorm", "sqlite", "config")
    assert [f.name for f in sets.files] == ["Init1700000000000"]


def test_constants_imported_from_the_project_are_read(tmp_path) -> None:
    """flowise: `import { EnumChatflowType } from '../../entities/ChatFlow'` then
    `SET DEFAULT '${EnumChatflowType.CHATFLOW}'`; a package import stays unknown."""
    (tmp_path / "entities").mkdir()
    (tmp_path / "entities" / "ChatFlow.ts").write_text(
        'export enum EnumChatflowType { CHATFLOW = "CHATFLOW", AGENT = "AGENTFLOW" }\n'
        'export const TABLE = "chat_flow";\n'
    )
    body = (
        '    await queryRunner.query(`CREATE TABLE "${TABLE}" ("type" text)`);\n'
        "    await queryRunner.query(\n"
        '      `ALTER TABLE "chat_flow" ALTER COLUMN "type" SET DEFAULT'
        " '${EnumChatflowType.AGENT}'`);\n"
        '    await queryRunner.query(`ALTER TABLE "chat_flow" ADD "${Pkg.X}" int`);\n'
    )
    folder = tmp_path / "migrations"
    folder.mkdir()
    (folder / "1-Init.ts").write_text(
        "import { EnumChatflowType, TABLE } from '../entities/ChatFlow';\n"
        "import { Pkg } from 'some-package';\n" + _cls("Init1700000000000", body)
    )
    mset = read_set(str(folder), "typeorm", dialect="postgresql")
    pieces = mset.files[0].pieces
    assert pieces[0].text == 'CREATE TABLE "chat_flow" ("type" text)'
    assert pieces[1].text.endswith("SET DEFAULT 'AGENTFLOW'")
    assert pieces[2].holes  # a package's value is not read
    text = (folder / "1-Init.ts").read_text()
    result = replay(mset)
    for record in result.statements:
        assert 0 <= record.span.start <= record.span.end <= len(text)
    column = result.schema.table("chat_flow").columns[0]
    assert column.default is not None and "AGENTFLOW" in str(column.default)


def test_a_guarded_do_block_is_its_statement_where_it_applies(tmp_path) -> None:
    """medusa's `ensure_required_quantity`: a rename in `DO $$ BEGIN ... EXCEPTION WHEN
    undefined_column THEN END; $$` is applied where it can be, skipped where it would fail."""
    block = (
        "DO $$ BEGIN ALTER TABLE t RENAME COLUMN {a} TO {b}; "
        "EXCEPTION WHEN undefined_column THEN END; $$;"
    )
    body = (
        '    await queryRunner.query(`CREATE TABLE t ("quantity" int)`);\n'
        f"    await queryRunner.query(`{block.format(a='quantity', b='required')}`);\n"
        f"    await queryRunner.query(`{block.format(a='quantity', b='other')}`);\n"
    )
    folder = _write(tmp_path / "m", {"1-Init.ts": _cls("Init1700000000000", body)})
    result = replay(read_set(str(folder), "typeorm", dialect="postgresql"))
    assert result.findings == ()
    assert [s.action for s in result.statements] == ["applied", "applied", "skipped"]
    assert [c.name for c in result.schema.table("t").columns] == ["required"]
    text = (folder / "1-Init.ts").read_text()
    assert text[result.statements[1].span.start :].startswith("ALTER TABLE t RENAME")

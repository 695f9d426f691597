"""A migration written in code: SQL strings and calls replayed in order, spans in the file.

TypeORM's `queryRunner.query(...)` and Table API, and Sequelize's queryInterface, give a file
whose steps are scattered through TypeScript; `MigrationFile.pieces` carries them and the replay
records each one where it is in the file.
"""

from __future__ import annotations

from schemasense.codegen.ddl.statements import AddColumn, AlterTable, ColumnDef
from schemasense.codegen.dialects.sql_type import SqlType
from schemasense.server.migrations.model import CallPiece, MigrationFile, MigrationSet, SqlPiece
from schemasense.server.migrations.replay import replay

CODE = """export class Init1700000000000 {
  async up(q) {
    await q.query(`CREATE TABLE "post" ("id" integer PRIMARY KEY)`);
    await q.addColumn("post", new TableColumn({ name: "title", type: "text" }));
    await q.addColumn(tableName, new TableColumn({ name: "body", type: "text" }));
    await q.query(`CREATE INDEX "post_title" ON "post" ("title")`);
  }
}
"""


def _file() -> MigrationFile:
    sql1 = 'CREATE TABLE "post" ("id" integer PRIMARY KEY)'
    sql2 = 'CREATE INDEX "post_title" ON "post" ("title")'
    call1 = 'q.addColumn("post", new TableColumn({ name: "title", type: "text" }))'
    call2 = 'q.addColumn(tableName, new TableColumn({ name: "body", type: "text" }))'
    # the call's range is the record's span (one call, one piece)
    add_title = AlterTable("post", (AddColumn(ColumnDef("title", SqlType(native="text"))),))
    pieces = (
        SqlPiece(sql1, CODE.index(sql1)),
        CallPiece(CODE.index(call1), CODE.index(call1) + len(call1), "alter_table", (add_title,)),
        CallPiece(
            CODE.index(call2),
            CODE.index(call2) + len(call2),
            "alter_table",
            error="the table name `tableName` is not known without running the code",
        ),
        SqlPiece(sql2, CODE.index(sql2)),
    )
    return MigrationFile(
        path="/p/1700000000000-Init.ts", name="Init", version="1700000000000", up_text=CODE,
        pieces=pieces,
    )  # fmt: skip


def test_pieces_are_replayed_in_order_with_file_spans() -> None:
    result = replay(MigrationSet("prisma", "postgresql", "/p", [_file()]))
    table = result.schema.table("post")
    assert table is not None
    assert [c.name for c in table.columns] == ["id", "title"]
    assert [i.name for i in table.indexes] == ["post_title"]
    records = result.files[0].statements
    assert [(r.kind, r.action, r.source) for r in records] == [
        ("create_table", "applied", "sql"),
        ("alter_table", "applied", "call"),
        ("alter_table", "unparsed", "call"),
        ("create_index", "applied", "sql"),
    ]
    assert [r.index for r in records] == [0, 1, 2, 3]
    for record in records:
        assert CODE[record.span.start : record.span.end] == record.text
    assert records[0].text.startswith('CREATE TABLE "post"')
    assert records[1].text.startswith('q.addColumn("post"')


def test_a_call_that_cannot_be_read_is_a_finding_and_the_replay_goes_on() -> None:
    result = replay(MigrationSet("prisma", "postgresql", "/p", [_file()]))
    unread = [f for f in result.findings if "could not be read" in f.message]
    assert len(unread) == 1
    start = CODE.index("q.addColumn(tableName")
    call = 'q.addColumn(tableName, new TableColumn({ name: "body", type: "text" }))'
    assert (unread[0].span.start, unread[0].span.end) == (start, start + len(call))
    assert unread[0].code == "DB050"

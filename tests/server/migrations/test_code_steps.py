"""`migrations/code_steps.py`: removing a rename step from a migration written in code, with
its inverse in `down`; None wherever that cannot be done cleanly. (TypeORM and Sequelize judge
the whole fixes in tests/oracle/typeorm/test_rename_fixes.py and
tests/verify/test_sequelize_rename_fixes.py.)"""

from __future__ import annotations

from schemasense.codegen.ddl import statements as ops
from schemasense.codegen.schema import Span
from schemasense.server.migrations.code_steps import remove_step
from schemasense.server.migrations.model import StatementRecord

RENAME = ops.AlterTable("profile", (ops.RenameColumn("profile", "bio", "about"),))

TYPEORM = """export class R1700000000000 {
  async up(queryRunner) {
    await queryRunner.query(`ALTER TABLE "profile" RENAME COLUMN "bio" TO "about"`);
  }
  async down(queryRunner) {
    await queryRunner.query(`ALTER TABLE "profile" RENAME COLUMN "about" TO "bio"`);
  }
}
"""


def _stmt(text: str, needle: str, op=RENAME) -> StatementRecord:  # type: ignore[no-untyped-def]
    start = text.index(needle)
    span = Span(file="m.ts", start=start, end=start + len(needle))
    return StatementRecord(file="m.ts", span=span, kind="alter_table", action="applied",
                           text=needle, ops=(op,))  # fmt: skip


def _applied(text: str, edits) -> str:  # type: ignore[no-untyped-def]
    for e in sorted(edits, key=lambda e: e.span.start, reverse=True):
        text = text[: e.span.start] + e.new_text + text[e.span.end :]
    return text


def test_the_call_and_its_inverse_go():
    sql = 'ALTER TABLE "profile" RENAME COLUMN "bio" TO "about"'
    edits = remove_step("typeorm", "postgresql", "m.ts", TYPEORM, _stmt(TYPEORM, sql))
    assert edits is not None
    assert _applied(TYPEORM, edits) == (
        "export class R1700000000000 {\n  async up(queryRunner) {\n  }\n"
        "  async down(queryRunner) {\n  }\n}\n"
    )


def test_sequelize_calls():
    text = """module.exports = {
  async up(queryInterface) {
    await queryInterface.renameColumn("profile", "bio", "about");
    await queryInterface.addColumn("profile", "x", { type: "INTEGER" });
  },
  async down(queryInterface) {
    await queryInterface.removeColumn("profile", "x");
    await queryInterface.renameColumn("profile", "about", "bio");
  },
};
"""
    call = 'queryInterface.renameColumn("profile", "bio", "about")'
    edits = remove_step("sequelize", "postgresql", "m.js", text, _stmt(text, call))
    assert edits is not None
    after = _applied(text, edits)
    assert "renameColumn" not in after and after.count("Column(") == 2


def test_none_where_it_cannot_be_done_cleanly():
    # SQL holding more than the rename
    both = TYPEORM.replace(
        '"bio" TO "about"`', '"bio" TO "about"; ALTER TABLE "profile" ADD "x" integer`', 1
    )
    sql = 'ALTER TABLE "profile" RENAME COLUMN "bio" TO "about"'
    assert remove_step("typeorm", "postgresql", "m.ts", both, _stmt(both, sql)) is None
    # a call that is not a statement of its own (a promise chain)
    chained = TYPEORM.replace(
        "    await queryRunner.query(", "    await Promise.all([queryRunner.query(", 1
    )
    chained = chained.replace('"about"`);', '"about"`)]);', 1)
    assert chained != TYPEORM
    assert remove_step("typeorm", "postgresql", "m.ts", chained, _stmt(chained, sql)) is None
    # a SQL file's tool is not code
    assert remove_step("prisma", "postgresql", "m.sql", sql, _stmt(sql, sql)) is None

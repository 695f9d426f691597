"""Ignore comments: on the line, the line above, the whole file, SQL; and unused ignores."""

from __future__ import annotations

from inline_snapshot import snapshot
from schemasense.codegen.schema import Span
from schemasense.server.findings import Finding
from schemasense.server.lint.suppressions import Suppressor, parse_suppressions

from tests.server.rules.helpers import POSTGRES, apply_edits, lint, render

USER = "model User {\n  id    Int    @id\n  posts Post[]\n}\n\n"


def post(relation_line: str, above: str = "", header: str = "") -> str:
    return (
        header
        + POSTGRES
        + USER
        + "model Post {\n  id       Int  @id\n  authorId Int\n"
        + above
        + relation_line
        + "\n}\n"
    )


RELATION = "  author   User @relation(fields: [authorId], references: [id])"


def codes(text: str, select=("DB101", "DB091")) -> list[str]:
    return [f.code for f in lint(text, list(select))]


def test_unsuppressed():
    assert codes(post(RELATION)) == ["DB101"]


def test_trailing_comment():
    assert codes(post(RELATION + " // schemasense-ignore DB101 looked up by author only")) == []


def test_comment_on_the_line_above_and_stacked():
    above = "  // schemasense-ignore DB101: only read through the author\n  // another comment\n"
    assert codes(post(RELATION, above)) == []


def test_by_name_and_by_prefix_and_blanket():
    assert codes(post(RELATION + " // schemasense-ignore foreign-key-without-index")) == []
    assert codes(post(RELATION + " // schemasense-ignore DB1")) == []
    assert codes(post(RELATION + " // schemasense-ignore")) == []


def test_file_level():
    assert codes(post(RELATION, header="// schemasense-ignore-file DB101\n")) == []
    assert codes(post(RELATION, header="// schemasense-ignore-file\n")) == []


def test_other_code_does_not_suppress_and_is_reported_unused():
    text = post(RELATION + " // schemasense-ignore DB199")
    findings = lint(text, ["DB101", "DB091"])
    assert render(findings, text) == snapshot("""\
schema.prisma:13:3: warning[DB101] Foreign key `Post_authorId_fkey` on `Post` (authorId) has no index that leads with its columns
   |
13 |   author   User @relation(fields: [authorId], references: [id]) // schemasense-ignore DB199
   |   ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
   = help: add @@index([authorId]): deleting or updating a `User` row otherwise scans `Post`

schema.prisma:13:65: warning[DB091] Unused ignore for DB199 (no rule has this code or name)
   |
13 |   author   User @relation(fields: [authorId], references: [id]) // schemasense-ignore DB199
   |                                                                 ^^^^^^^^^^^^^^^^^^^^^^^^^^^
   = help: remove it, or fix the code it names
""")


def test_unused_ignore_fix_removes_the_comment():
    text = post(
        RELATION + "\n\n  @@index([authorId])",
        above="  // schemasense-ignore DB101 stale\n",
    )
    (finding,) = lint(text, ["DB101", "DB091"])
    assert finding.code == "DB091" and finding.fix is not None
    assert apply_edits(text, finding.fix.edits) == snapshot("""\
datasource db {
  provider = "postgresql"
}

model User {
  id    Int    @id
  posts Post[]
}

model Post {
  id       Int  @id
  authorId Int
  author   User @relation(fields: [authorId], references: [id])

  @@index([authorId])
}
""")


def test_unused_code_among_used_ones_is_removed_alone():
    text = post(RELATION + " // schemasense-ignore DB101, DB090 reason")
    (finding,) = lint(text, ["DB101", "DB091", "DB090"])
    assert finding.message == snapshot("Unused ignore for DB090 (nothing from DB090 here)")
    assert apply_edits(text, finding.fix.edits).endswith(  # type: ignore[union-attr]
        "// schemasense-ignore DB101 reason\n}\n"
    )


def test_an_ignore_for_a_rule_that_did_not_run_is_not_unused():
    # DB101 is not selected: the ignore is reported as naming a rule that is not enabled
    text = post(RELATION + " // schemasense-ignore DB101")
    (finding,) = lint(text, ["DB091"])
    assert finding.message == "Unused ignore for DB101 (DB101 is not enabled)"


def test_sql_comment_above_the_statement_covers_findings_inside_it():
    sql = (
        "-- schemasense-ignore DB201 the table is empty\n"
        'ALTER TABLE "Post"\n'
        '  ADD CONSTRAINT "x" FOREIGN KEY ("a") REFERENCES "User"("id");\n'
    )
    inner = sql.index("ADD CONSTRAINT")
    finding = Finding("DB201", "warning", "m", Span(file="m.sql", start=inner, end=inner + 5))
    assert not Suppressor({"m.sql": sql}).suppressed(finding)
    statement = sql.index("ALTER")
    suppressor = Suppressor({"m.sql": sql}, {"m.sql": [statement]})
    assert suppressor.suppressed(finding)
    assert suppressor.suppressions[0].used == {"DB201"}


def test_read_errors_cannot_be_suppressed():
    text = "model A { // schemasense-ignore\n"
    finding = Finding("DB001", "error", "m", Span(file="f", start=0, end=1))
    assert not Suppressor({"f": text}).suppressed(finding)
    warning = Finding("DB014", "warning", "m", Span(file="f", start=0, end=1))
    assert Suppressor({"f": text}).suppressed(warning)


def test_parse_codes_and_reason():
    (s,) = parse_suppressions("f", "x // schemasense-ignore DB101, db102 reason: words here\n")
    assert s.codes == ("DB101", "db102") and s.reason == "reason: words here"
    assert not s.own_line and s.line == 0
    assert parse_suppressions("f", 'x = "// schemasense-ignore DB101"\n') == []

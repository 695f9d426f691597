"""The pure part of a feature description: its format, its queries, its merge into a schema."""

from __future__ import annotations

import pytest
from schemasense.codegen.describe.adapt import adapt_tables
from schemasense.codegen.describe.merge import merge
from schemasense.codegen.describe.text import detect_format, line_col, split
from schemasense.codegen.schema import Column, ColumnType, Schema, Table


@pytest.mark.parametrize(
    ("text", "filename", "expected"),
    [
        ("CREATE TABLE a (id int);", None, "sql"),
        ("alter table a add column b int;", None, "sql"),
        ("model A {\n  id Int @id\n}", None, "prisma"),
        ('@Entity("a")\nexport class A {}', None, "typeorm"),
        ('sequelize.define("A", { b: DataTypes.STRING })', None, "sequelize"),
        ("model A { id Int @id }", "a.sql", "sql"),
        ("anything", "a.prisma", "prisma"),
        ('module.exports = (s) => s.define("A", {})', "a.js", "sequelize"),
        ("make me a shop", None, None),
    ],
)
def test_the_format(text, filename, expected):
    assert detect_format(text, filename) == expected


def test_sql_queries_follow_their_line_with_offsets_kept():
    text = "CREATE TABLE a (id int);\n-- queries:\nSELECT * FROM a WHERE id = 1;\nSELECT 1 FROM a\n"
    d = split(text)
    assert d.schema_text == "CREATE TABLE a (id int);\n"
    assert [q.sql for q in d.queries] == ["SELECT * FROM a WHERE id = 1", "SELECT 1 FROM a"]
    assert [line_col(text, q.offset) for q in d.queries] == [(3, 1), (4, 1)]


def test_queries_behind_comments_outside_sql():
    text = "model A {\n  id Int @id\n}\n// queries:\n// SELECT * FROM a WHERE x = ';';\n"
    d = split(text)
    assert [q.sql for q in d.queries] == ["SELECT * FROM a WHERE x = ';'"]
    assert line_col(text, d.queries[0].offset) == (5, 4)


def _table(name: str, *columns: tuple[str, str, bool]) -> Table:
    return Table(
        name=name,
        columns=[
            Column(name=c, type=ColumnType(kind="string", native=t), nullable=n)
            for c, t, n in columns
        ],
    )


def test_merge_adds_creates_and_finds_conflicts():
    project = Schema(tables=[_table("users", ("id", "uuid", False), ("email", "text", False))])
    users = _table(
        "users", ("id", "uuid", False), ("email", "integer", False), ("bio", "text", True)
    )
    described = Schema(tables=[users, _table("brands", ("id", "int", False))])
    merged = merge(project, described)
    assert [t.name for t in merged.created] == ["brands"]
    (change,) = merged.changed
    assert [c.name for c in change.columns] == ["bio"]
    (conflict,) = merged.conflicts
    assert (conflict.column, conflict.described, conflict.declared) == (
        "email",
        "integer NOT NULL",
        "text NOT NULL",
    )
    assert [t.name for t in merged.schema.tables] == ["users", "brands"]


def test_adapt_names_models_and_fields_and_never_reuses_a_model():
    tables = [_table("tags", ("id", "int", False), ("created_at", "timestamptz", False))]
    adapted = adapt_tables(tables, "camel", "@map", taken={"Tag"})
    (t,) = adapted.tables
    assert t.model_name == "Tags"
    assert [c.field_name for c in t.columns] == ["id", "createdAt"]
    assert "table `tags` -> model `Tags` (the project has a model `Tag` already)" in adapted.notes
    snake = adapt_tables(tables, "snake", "field:").tables[0]
    assert snake.model_name == "Tag"
    assert [c.field_name for c in snake.columns] == ["id", "created_at"]

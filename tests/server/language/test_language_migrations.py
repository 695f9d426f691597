"""The migrations in the editor: statement notes (locks, costs, safer ways), the history of
tables and columns across renames, SQL hover and definition, and the schema side (history in
hovers, references into migrations, code lens with drift)."""

from __future__ import annotations

from pathlib import Path

from schemasense.codegen.dialects import postgresql_locks as locks
from schemasense.codegen.schema import Span
from schemasense.server.language import migrations as m
from schemasense.server.language import navigation
from schemasense.server.language.hover import History, hover
from schemasense.server.language.sql import sql_definition, sql_hover
from schemasense.server.migrations import MigrationSet, Replayer, read_set, replay
from schemasense.server.migrations.model import MigrationFile, StatementRecord

from tests.server.language.schemas import (
    MIGRATION_CHANGE,
    MIGRATION_INIT,
    PROJECT_SCHEMA,
    at,
    read_files,
    write_project,
)


def _project(tmp_path: Path):
    paths = write_project(tmp_path)
    result = replay(read_set(str(paths["migrations"])), Replayer())
    index = m.build(result)
    schema = read_files({str(paths["schema"]): PROJECT_SCHEMA})
    return paths, index, schema


def _statement(index: m.MigrationIndex, path: Path, needle: str, text: str) -> StatementRecord:
    return index.statement_at(str(path), at(text, needle, 2))


def test_history_follows_renames(tmp_path: Path):
    _, index, _ = _project(tmp_path)
    history = [(e.verb, e.detail, index.label(e.statement)) for e in index.history("User", "name")]
    assert history == [
        ("create", "", "20240101000000_init"),
        ("rename", "renamed from `fullName`", "20240201000000_name"),
        ("alter", "NOT NULL", "20240201000000_name"),
    ]
    assert index.label(index.created("User")) == "20240101000000_init"
    assert index.history("User", "fullName") == []
    assert [e.verb for e in index.indexes["Post_authorId_idx"]] == ["create"]


def test_statement_notes_name_lock_cost_and_safe_way(tmp_path: Path):
    paths, index, _ = _project(tmp_path)
    change = str(paths["change"])
    not_null = _statement(index, paths["change"], "ALTER COLUMN", MIGRATION_CHANGE)
    [note] = m.statement_notes(not_null, "postgresql")
    assert note.does == "Makes `name` of `User` NOT NULL."
    assert note.fact is locks.SET_NOT_NULL
    assert note.lock == locks.SET_NOT_NULL.markdown("User")
    assert "scans the whole table" in note.lock
    assert "NOT VALID" in note.safe and "12+" in note.version
    create_index = index.statement_at(change, at(MIGRATION_CHANGE, "CREATE INDEX", 2))
    [note] = m.statement_notes(create_index, "postgresql")
    assert note.fact is locks.CREATE_INDEX and "CONCURRENTLY" in note.safe
    [mysql] = m.statement_notes(create_index, "mysql")
    assert "ALGORITHM=INPLACE, LOCK=NONE" in mysql.lock
    rename = _statement(index, paths["change"], "RENAME COLUMN", MIGRATION_CHANGE)
    assert "fails from this moment" in m.statement_notes(rename, "postgresql")[0].safe


def test_operations_on_a_table_created_in_the_same_migration_cost_nothing(tmp_path: Path):
    paths, index, _ = _project(tmp_path)
    fk = _statement(index, paths["init"], 'ALTER TABLE "Post"', MIGRATION_INIT)
    new = index.state_before(fk).new_tables
    assert new == {"User", "Post"}
    [note] = m.statement_notes(fk, "postgresql", new)
    assert note.lock is None and "the table is created by this migration" in note.cost
    [cold] = m.statement_notes(fk, "postgresql")
    assert cold.fact is locks.ADD_FOREIGN_KEY and "NOT VALID" in cold.safe
    assert cold.lock.startswith("**SHARE ROW EXCLUSIVE** on `Post` and `User`")


def test_sql_hover_adds_the_declared_index_explanation(tmp_path: Path):
    paths, index, schema = _project(tmp_path)
    answer = sql_hover(index, schema, str(paths["change"]), at(MIGRATION_CHANGE, "CREATE INDEX", 3))
    assert answer.markdown.startswith("**create index** in `20240201000000_name` (statement 3)")
    assert "Prisma Migrate runs the whole `migration.sql` as one transaction" in answer.markdown
    assert "Declared in the schema on `Post`" in answer.markdown
    assert "**index** `Post_authorId_idx` on `Post`" in answer.markdown
    assert MIGRATION_CHANGE[answer.start : answer.end].startswith("CREATE INDEX")


def test_sql_definition_goes_to_models_fields_and_keys(tmp_path: Path):
    paths, index, schema = _project(tmp_path)
    init = str(paths["init"])
    file = str(paths["schema"])

    def target(needle: str, delta: int) -> str:
        [loc] = sql_definition(
            index, schema, init, MIGRATION_INIT, at(MIGRATION_INIT, needle, delta)
        )
        assert loc.file == file
        return PROJECT_SCHEMA[loc.start : loc.end]

    assert target('CREATE TABLE "Post"', 15) == "Post"
    assert target('"authorId" INTEGER', 3) == "authorId"
    assert target('REFERENCES "User"("id")', 13) == "User"
    assert target('"User_email_key"', 3) == "@unique"
    assert sql_definition(index, schema, init, MIGRATION_INIT, at(MIGRATION_INIT, "SERIAL")) == []


def test_schema_side_history_references_and_code_lens(tmp_path: Path):
    paths, index, schema = _project(tmp_path)
    file = str(paths["schema"])
    history = History(index, lambda f, o: f"{Path(f).parent.name}@{o}")
    name = hover(schema, file, at(PROJECT_SCHEMA, "  name  String", 3), history=history)
    assert "Migrations (2): created in [`20240101000000_init`]" in name.markdown
    assert "renamed in [`20240201000000_name`](20240201000000_name@" in name.markdown
    assert "(renamed from `fullName`, NOT NULL)" in name.markdown
    user = hover(schema, file, at(PROJECT_SCHEMA, "model User", 7), history=history)
    assert "No drift: the migrations build this table as declared." in user.markdown
    refs = navigation.references(schema, file, at(PROJECT_SCHEMA, "  email", 3), True, index)
    sql = [r for r in refs if r.file.endswith(".sql")]
    assert [Path(r.file).parent.name for r in sql] == ["20240101000000_init"]
    assert MIGRATION_INIT[sql[0].start : sql[0].end] == "email"
    drift = m.drift_by_table(schema.schema, index.result.schema, "postgresql")
    lenses = {lens.model: lens.title for lens in navigation.code_lenses(schema, file, index, drift)}
    assert lenses["Post"] == (
        "1 relation · 2 indexes · created in 20240101000000_init · 2 migrations · no drift"
    )


def test_drift_is_reported_per_table(tmp_path: Path):
    paths, index, _ = _project(tmp_path)
    drifted = PROJECT_SCHEMA.replace("  title    String", "  title    String\n  body     String?")
    schema = read_files({str(paths["schema"]): drifted})
    drift = m.drift_by_table(schema.schema, index.result.schema, "postgresql")
    assert list(drift) == ["Post"]
    assert 'column "body"' in drift["Post"][0]
    lenses = navigation.code_lenses(schema, str(paths["schema"]), index, drift)
    assert lenses[1].title.endswith("drift: 1")


def _replayed(dialect: str, *sqls: str) -> m.MigrationIndex:
    """The index of migrations `01.sql`, `02.sql`, ... holding `sqls`, read and replayed as
    the workspace does (no finding: every statement applies)."""
    files = [
        MigrationFile(path=f"/m/{i:02}.sql", name=f"{i:02}", version=f"{i:02}", up_text=sql)
        for i, sql in enumerate(sqls, 1)
    ]
    result = replay(MigrationSet("plain", dialect, "/m", files))
    assert not result.findings
    return m.build(result)


def test_an_index_created_with_its_table_costs_nothing():
    index = _replayed("mysql", "CREATE TABLE session_data (a INT, INDEX i (a));")
    statement = index.statement_at("/m/01.sql", 3)
    create, created_index = m.statement_notes(statement, "mysql")
    assert create.does.startswith("Creates table `session_data` (1 column")
    assert created_index.does == "Creates index `i` on `session_data`."
    assert created_index.lock is None and "created by this migration" in created_index.cost


def test_sql_hover_names_the_findings_inside_the_statement(tmp_path: Path):
    from schemasense.server.findings import Finding

    paths, index, schema = _project(tmp_path)
    change = str(paths["change"])
    start = at(MIGRATION_CHANGE, "SET NOT NULL")
    finding = Finding("DB001", "warning", "x", Span(file=change, start=start, end=start + 3))
    answer = sql_hover(index, schema, change, start, [finding])
    assert answer.markdown.rstrip().endswith(
        "**DB001**: syntax: a line or block the grammar cannot read"
    )
    elsewhere = sql_hover(index, schema, change, at(MIGRATION_CHANGE, "CREATE INDEX"), [finding])
    assert "DB001" not in elsewhere.markdown


def test_sql_hover_on_an_ignore_comment_shows_the_rule(tmp_path: Path):
    from schemasense.server.lint.docs import render_markdown
    from schemasense.server.lint.registry import get_rule

    paths, index, schema = _project(tmp_path)
    change = str(paths["change"])
    text = MIGRATION_CHANGE.replace(
        "-- AlterColumn", "-- schemasense-ignore DB201 the table is empty"
    )
    answer = sql_hover(index, schema, change, at(text, "DB201", 1), text=text)
    assert answer.markdown == render_markdown(get_rule("DB201"))
    assert text[answer.start : answer.end] == "DB201"


def test_key_hovers_link_the_migrations_that_created_and_changed_the_key(tmp_path: Path):
    paths, index, schema = _project(tmp_path)
    file = str(paths["schema"])
    history = History(index, lambda f, o: f"{Path(f).parent.name}@{o}")

    def hovered(needle: str, delta: int) -> str:
        return hover(schema, file, at(PROJECT_SCHEMA, needle, delta), history=history).markdown

    assert "Migrations (1): created in [`20240201000000_name`](20240201000000_name@" in hovered(
        "@@index([authorId])", 3
    )
    init = "Migrations (1): created in [`20240101000000_init`](20240101000000_init@"
    assert init in hovered("@unique", 2)
    primary = hovered("@id @default", 1)
    assert init in primary
    offset = int(primary.split("20240101000000_init@")[1].split(")")[0])
    assert MIGRATION_INIT[offset:].startswith('User_pkey"')
    assert init in hovered("author   User", 3)  # the foreign key `Post_authorId_fkey`


def test_key_history_follows_renames_and_drops():
    index = _replayed(
        "postgresql",
        'CREATE TABLE "User" (id INT PRIMARY KEY); CREATE TABLE "Post" (a INT);',
        'CREATE INDEX old_idx ON "Post" (a);',
        'ALTER TABLE "Post" ADD CONSTRAINT p_fkey FOREIGN KEY (a) REFERENCES "User"(id);',
        "ALTER INDEX old_idx RENAME TO new_idx;",
        'ALTER TABLE "Post" DROP CONSTRAINT p_fkey;',
    )
    assert [(e.verb, e.detail) for e in index.indexes["new_idx"]] == [
        ("create", ""),
        ("rename", "renamed from `old_idx`"),
    ]
    assert "old_idx" not in index.indexes
    assert [e.verb for e in index.indexes["p_fkey"]] == ["create", "drop"]


def test_field_hover_says_the_columns_drift_status(tmp_path: Path):
    paths, index, schema = _project(tmp_path)
    file = str(paths["schema"])
    history = History(index, lambda f, o: f"{Path(f).parent.name}@{o}")
    title = hover(schema, file, at(PROJECT_SCHEMA, "  title", 3), history=history)
    assert "No drift: the migrations build this column as declared." in title.markdown

    drifted = PROJECT_SCHEMA.replace("  title    String", "  title    String?\n  body     String?")
    schema = read_files({file: drifted})
    title = hover(schema, file, at(drifted, "  title", 3), history=history).markdown
    assert "**Drift** from what the migrations build (1):" in title
    assert '- table "Post" column "title":' in title
    body = hover(schema, file, at(drifted, "  body", 3), history=history).markdown
    assert '- table "Post" column "body": only in the' in body
    author = hover(schema, file, at(drifted, "  authorId", 3), history=history).markdown
    assert "No drift: the migrations build this column as declared." in author

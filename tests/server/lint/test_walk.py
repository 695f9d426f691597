"""The one statement walk: the lint engine walks each migration set once per run for every
migration rule, hover asks the same walk for the state before a statement, and a keystroke in
schema.prisma with no migration file open walks nothing (counted on the walk, not timed)."""

from __future__ import annotations

from pathlib import Path

from schemasense.server.language import migrations as m
from schemasense.server.lint.context import MigrationContext, RuleContext
from schemasense.server.lint.walk import WALKS, walk
from schemasense.server.migrations import read_set, replay
from schemasense.server.workspace.workspace import TextChange, Workspace

from tests.prisma_project import INIT, SCHEMA

ADD = (
    'ALTER TABLE "User" ADD COLUMN "name" TEXT;\nCREATE INDEX "User_name_idx" ON "User"("name");\n'
)


def _project(tmp_path: Path) -> tuple[str, str]:
    """schema.prisma beside two migrations; (schema path, second migration path)."""
    prisma = tmp_path / "prisma"
    migrations = prisma / "migrations"
    for name, sql in (("20240101000000_init", INIT), ("20240102000000_add", ADD)):
        (migrations / name).mkdir(parents=True)
        (migrations / name / "migration.sql").write_text(sql)
    (migrations / "migration_lock.toml").write_text('provider = "postgresql"\n')
    schema = prisma / "schema.prisma"
    schema.write_text(SCHEMA)
    return str(schema), str(migrations / "20240102000000_add" / "migration.sql")


def _keystroke(workspace: Workspace, schema: str, text: str, version: int) -> list[str]:
    workspace.change(schema, version, [TextChange(text)])
    return [f.code for f in workspace.analyze(workspace.unit_for(schema)).findings]


def test_a_keystroke_in_the_schema_with_no_migration_open_walks_nothing(tmp_path: Path):
    schema, _ = _project(tmp_path)
    workspace = Workspace([str(tmp_path)])
    workspace.open(schema, SCHEMA, 1)
    workspace.analyze(workspace.unit_for(schema))
    walks, statements = WALKS.walks, WALKS.statements
    codes = _keystroke(workspace, schema, SCHEMA.replace("email String", "email String?"), 2)
    assert "DB306" in codes  # the rules ran: drift is found on the edit
    assert (WALKS.walks, WALKS.statements) == (walks, statements)  # 2 walks before the change


def test_with_a_migration_open_every_migration_rule_shares_one_walk(tmp_path: Path):
    schema, added = _project(tmp_path)
    workspace = Workspace([str(tmp_path)])
    workspace.open(schema, SCHEMA, 1)
    workspace.open(added, ADD, 1)
    workspace.analyze(workspace.unit_for(schema))
    walks, statements = WALKS.walks, WALKS.statements
    codes = _keystroke(workspace, schema, SCHEMA.replace("email String", "email String?"), 2)
    assert {"DB201", "DB222"} <= set(codes)  # CREATE INDEX, and no lock_timeout
    assert WALKS.walks == walks + 1
    assert WALKS.statements == statements + 3  # the history, then the open file's two


def test_hover_judges_a_statement_by_the_walks_state(tmp_path: Path):
    _, added = _project(tmp_path)
    index = m.build(replay(read_set(str(Path(added).parent.parent))))
    create_index = index.files[added][1]
    walks = WALKS.walks
    before = index.state_before(create_index)
    assert WALKS.walks == walks + 1
    assert before.column_types[("User", "name")] == "text"  # the statement before it, same file
    assert before.index_tables == {"User_pkey": "User"}
    assert before.new_tables == frozenset()


def test_hover_and_rules_see_the_same_state_before_every_statement(tmp_path: Path):
    _, added = _project(tmp_path)
    result = replay(read_set(str(Path(added).parent.parent)))
    index = m.build(result)
    rules_view = MigrationContext.of(result, "per-file", {added})
    seen = []
    for stmt, state in walk(RuleContext(migrations=[rules_view]), ("postgresql",)):
        assert m.Before.of(state) == index.state_before(stmt), stmt.text
        seen.append(stmt.index)
    assert seen == [0, 1]

"""The migration tools (`server/migrations/tools/`): one module each, one line per behaviour.

What a tool writes (`write`, `file_name`, `after`) is what it finds again, in the order it runs;
the Prisma tool places "a migration after this one" exactly where the multi-step fixes
(`server/lint/migration_fixes.py`, `later_migration`) place it today.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace

import pytest
from schemasense.codegen.emit.migration import generate
from schemasense.server.lint.migration_fixes import later_migration
from schemasense.server.migrations import read_set, replay
from schemasense.server.migrations.model import TOOLS, MigrationFile
from schemasense.server.migrations.tools import all_tools, detect_tool, get_tool
from schemasense.server.sources.prisma import read_prisma_schema

NOW = datetime(2024, 1, 31, 12, 0, 0, tzinfo=UTC)
SQL_TOOLS = ["prisma", "flyway", "golang-migrate", "dbmate", "plain"]

BEFORE = 'datasource db {\n  provider = "postgresql"\n}\n\nmodel User {\n  id Int @id\n}\n'
AFTER = BEFORE.replace("id Int @id\n", "id Int @id\n  name String?\n")


def _tool(name: str):
    tool = get_tool(name)
    assert tool is not None, name
    return tool


def _write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def test_every_tool_of_the_configuration_has_a_module():
    assert sorted(t.name for t in all_tools()) == sorted(TOOLS)
    detection_order = [
        "prisma",
        "golang-migrate",
        "flyway",
        "dbmate",
        "sequelize",
        "typeorm",
        "plain",
    ]
    assert [t.name for t in all_tools()] == detection_order


@pytest.mark.parametrize("name", SQL_TOOLS)
def test_files_named_by_the_tool_are_found_in_the_order_they_run(name: str, tmp_path: Path):
    tool = _tool(name)
    stamps = ["20240101000009", "20240101000010", "20240102000000"]
    body = "-- migrate:up\nSELECT 1;\n" if name == "dbmate" else "SELECT 1;\n"
    _write(tmp_path, {tool.file_name(v, f"Step {i}!"): body for i, v in enumerate(stamps)})
    found = read_set(str(tmp_path), name)
    assert found is not None and found.tool == name
    assert [Path(f.path).relative_to(tmp_path).as_posix() for f in found.files] == [
        tool.file_name(v, f"Step {i}!") for i, v in enumerate(stamps)
    ]
    assert detect_tool(str(tmp_path)) == (None if name == "plain" else name)


@pytest.mark.parametrize("name", SQL_TOOLS)
def test_what_a_tool_writes_it_reads_back(name: str, tmp_path: Path):
    schema = read_prisma_schema({"schema.prisma": BEFORE}).schema
    declared = read_prisma_schema({"schema.prisma": AFTER}).schema
    files = _tool(name).write(generate(schema, declared, name="add name"), "m", NOW)
    _write(tmp_path, {f.path: f.text for f in files})
    found = read_set(str(tmp_path / "m"), name)
    assert found is not None
    (migration,) = found.files
    assert 'ALTER TABLE "User" ADD COLUMN     "name" TEXT;' in migration.up_text
    assert "DROP COLUMN" not in migration.up_text
    assert [s.action for s in replay(found).statements] == ["failed"]  # no table "User" yet
    if name in ("golang-migrate", "dbmate", "plain"):
        assert 'DROP COLUMN "name"' in (migration.down_text or "")


def test_read_gives_the_up_section_and_where_it_starts():
    text = "-- migrate:up\nCREATE TABLE t (a INT);\n-- migrate:down\nDROP TABLE t;\n"
    read = _tool("dbmate").read("x.sql", text)
    assert read is not None
    assert text[read.up_offset :].startswith(read.up_text) and "CREATE" in read.up_text
    assert read.down_text == "\nDROP TABLE t;\n"
    assert _tool("dbmate").read("x.sql", "SELECT 1;") is None
    assert _tool("flyway").read("V1__a.sql", "SELECT 1;").up_text == "SELECT 1;"


def _prisma_file(root: Path, folder: str) -> MigrationFile:
    return MigrationFile(
        path=str(root / folder / "migration.sql"), name=folder, version=folder, up_text=""
    )


@pytest.mark.parametrize(
    ("current", "following", "name"),
    [
        ("20240101000000_init", None, "Post authorId idx"),
        ("20240101000000_init", "20240101000005_next", "CONCURRENTLY: index!"),
        ("20240101000000_init", "20240101000001_next", "step"),  # no room before the next
        ("20240101235959_init", None, "x" * 80),  # the day turns; long names cut at 60
        ("20240101000000_init", None, "a" * 59 + " b"),  # cut right after a separator
        ("01_init", None, "umami names"),  # not a timestamp: no fix
        ("20241301000000_init", None, "month 13"),
    ],
)
def test_prisma_places_a_migration_after_as_the_fixes_do(
    current: str, following: str | None, name: str, tmp_path: Path
):
    file = _prisma_file(tmp_path, current)
    after = _prisma_file(tmp_path, following) if following else None
    state = SimpleNamespace(is_prisma=True, file=file, next_file=after)
    expected = later_migration(state, name)  # type: ignore[arg-type]
    assert _tool("prisma").after(file, after, name) == expected


def test_after_for_the_other_tools_sorts_right_after(tmp_path: Path):
    def file(name: str, version: str) -> MigrationFile:
        return MigrationFile(path=str(tmp_path / name), name=name, version=version, up_text="")

    golang = _tool("golang-migrate")
    first = file("20240101000000_a.up.sql", "20240101000000")
    assert golang.after(first, None, "Index") == str(tmp_path / "20240101000001_index.up.sql")
    assert golang.after(first, file("20240101000001_b.up.sql", "20240101000001"), "i") is None
    assert golang.after(file("9_a.up.sql", "9"), None, "i") is None  # not a timestamp
    flyway = _tool("flyway")
    v = file("V20240101000000__a.sql", "20240101000000")
    assert flyway.after(v, None, "i") == str(tmp_path / "V20240101000001__i.sql")
    assert flyway.after(v, file("R__view.sql", None), "i") is not None  # repeatables run last
    dbmate = _tool("dbmate")
    d = file("20240101000000_a.sql", "20240101000000")
    assert dbmate.after(d, file("20240101000000_b.sql", "20240101000000"), "i") is None


@pytest.mark.parametrize("transactional", [True, False])
def test_a_dbmate_file_written_after_is_read_back(transactional: bool):
    dbmate = _tool("dbmate")
    text = dbmate.up_file_text('CREATE INDEX CONCURRENTLY "i" ON "t"("a");', transactional)
    read = dbmate.read("x.sql", text)
    assert read is not None and read.up_text.strip() == 'CREATE INDEX CONCURRENTLY "i" ON "t"("a");'
    assert ("transaction:false" in text) is not transactional
    assert _tool("prisma").up_file_text("SELECT 1;") == "SELECT 1;"


def test_a_folder_of_sequelize_cli_migrations_is_detected(tmp_path: Path):
    _write(
        tmp_path,
        {
            "20240101000000-a.js": "module.exports = { up: async (queryInterface) => {} };",
            "readme.md": "",
        },
    )
    from schemasense.server.migrations.tools import detect_tool

    assert detect_tool(str(tmp_path)) == "sequelize"

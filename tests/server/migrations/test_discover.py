"""Finding migration sets: each tool's layout, order and dialect, one line per behaviour."""

from __future__ import annotations

from pathlib import Path

from schemasense.server.migrations import discover_migrations, read_set
from schemasense.server.migrations.discover import flyway_version_key, split_dbmate


def write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def test_prisma_folders_in_lexical_order_with_the_lock_files_provider(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "prisma/migrations/migration_lock.toml": 'provider = "mysql"\n',
            "prisma/migrations/20210102_b/migration.sql": "SELECT 2;",
            "prisma/migrations/20210101_a/migration.sql": "SELECT 1;",
        },
    )
    (mset,) = discover_migrations(str(tmp_path))
    assert (mset.tool, mset.dialect, mset.dialect_source) == (
        "prisma",
        "mysql",
        "migration_lock.toml",
    )
    assert [f.name for f in mset.files] == ["20210101_a", "20210102_b"]


def test_umami_style_names_order_lexically(tmp_path: Path) -> None:
    write(tmp_path, {f"m/{n}/migration.sql": "" for n in ("10_x", "02_b", "01_init")})
    assert [f.name for f in read_set(str(tmp_path / "m"), "prisma").files] == [
        "01_init",
        "02_b",
        "10_x",
    ]


def test_dialect_from_config_then_hint_then_schema_then_default(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "a/01_x/migration.sql": "",
            "b/prisma/schema.prisma": 'datasource db {\n  provider = "sqlite"\n}\n',
            "b/prisma/migrations/01_x/migration.sql": "",
        },
    )
    assert read_set(str(tmp_path / "a"), dialect="mysql").dialect_source == "config"
    assert read_set(str(tmp_path / "a"), dialect_hint="sqlite").dialect == "sqlite"
    assert read_set(str(tmp_path / "b/prisma/migrations")).dialect == "sqlite"
    assert read_set(str(tmp_path / "a")).dialect == "postgresql"


def test_unknown_lock_provider_is_a_warning(tmp_path: Path) -> None:
    write(tmp_path, {"m/migration_lock.toml": 'provider = "sqlserver"\n', "m/01/migration.sql": ""})
    mset = read_set(str(tmp_path / "m"))
    assert (mset.dialect, [p.code for p in mset.problems]) == ("postgresql", ["DB053"])


def test_flyway_versions_compare_numerically_and_repeatables_come_last(tmp_path: Path) -> None:
    names = [
        "V1.10__c.sql",
        "V1.2__b.sql",
        "V1__a.sql",
        "R__view.sql",
        "V2_1__d.sql",
        "U1__undo.sql",
    ]
    write(tmp_path, {f"db/{n}": "SELECT 1;" for n in names})
    (mset,) = discover_migrations(str(tmp_path))
    assert mset.tool == "flyway"
    assert [f.name for f in mset.files] == [
        "V1__a.sql",
        "V1.2__b.sql",
        "V1.10__c.sql",
        "V2_1__d.sql",
        "R__view.sql",
    ]
    assert flyway_version_key("1.0") == flyway_version_key("1")


def test_golang_migrate_pairs_up_and_down_by_numeric_version(tmp_path: Path) -> None:
    write(tmp_path, {"m/10_b.up.sql": "B", "m/10_b.down.sql": "b", "m/9_a.up.sql": "A"})
    mset = read_set(str(tmp_path / "m"))
    assert mset.tool == "golang-migrate"
    assert [(f.version, f.up_text, f.down_text) for f in mset.files] == [
        ("9", "A", None),
        ("10", "B", "b"),
    ]


def test_dbmate_sections_and_offsets(tmp_path: Path) -> None:
    text = "-- migrate:up\nCREATE TABLE t (a INT);\n\n-- migrate:down\nDROP TABLE t;\n"
    write(tmp_path, {"db/migrations/20200101_t.sql": text})
    (mset,) = discover_migrations(str(tmp_path))
    (f,) = mset.files
    assert (mset.tool, f.version, f.down_text.strip()) == ("dbmate", "20200101", "DROP TABLE t;")
    assert text[f.up_span_offset :].lstrip().startswith("CREATE TABLE t")
    assert split_dbmate("no markers") is None


def test_dbmate_spans_point_into_the_whole_file(tmp_path: Path) -> None:
    from schemasense.server.migrations import replay

    text = "-- migrate:up transaction:false\nCREATE TABLE t (a INT);\n-- migrate:down\n"
    write(tmp_path, {"db/migrations/1_t.sql": text})
    (mset,) = discover_migrations(str(tmp_path))
    (statement,) = replay(mset).statements
    assert text[statement.span.start : statement.span.end] == "CREATE TABLE t (a INT)"


def test_node_modules_and_dot_folders_are_skipped(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "node_modules/x/migrations/01/migration.sql": "",
            ".git/m/01/migration.sql": "",
            "app/migrations/01_a/migration.sql": "",
        },
    )
    assert [Path(s.root).name for s in discover_migrations(str(tmp_path))] == ["migrations"]
    assert "app" in discover_migrations(str(tmp_path))[0].root


def test_config_names_the_folder_tool_and_dialect(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "schemasense.toml": '[migrations]\npath = "sql"\ntool = "golang-migrate"\n'
            'dialect = "sqlite"\n',
            "sql/1_a.up.sql": "",
            "other/01_x/migration.sql": "",
        },
    )
    (mset,) = discover_migrations(str(tmp_path))
    assert (Path(mset.root).name, mset.tool, mset.dialect) == ("sql", "golang-migrate", "sqlite")


def test_bad_config_is_a_warning_not_a_crash(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "schemasense.toml": '[migrations]\npath = "sql"\ntool = "liquibase"\n',
            "sql/1_a.up.sql": "",
        },
    )
    (mset,) = discover_migrations(str(tmp_path))
    assert [p.code for p in mset.problems] == ["DB053"]


def test_editor_text_overrides_the_disk(tmp_path: Path) -> None:
    write(tmp_path, {"m/01_a/migration.sql": "SELECT 1;"})
    path = str(tmp_path / "m/01_a/migration.sql")
    mset = read_set(str(tmp_path / "m"), text_of=lambda p: "SELECT 2;" if p == path else None)
    assert mset.files[0].up_text == "SELECT 2;"

"""The workspace links a schema to its migrations, reads them once, and re-reads what changed.

A project on disk (prisma/schema.prisma beside prisma/migrations/), checked through the
`Workspace` as the editor and the CLI do: drift findings land on schema.prisma and on the
migration files; a keystroke in the schema re-reads no migration and re-parses none; a changed
or new migration file is read and parsed alone.
"""

from __future__ import annotations

import os
from pathlib import Path

from schemasense.server.workspace.workspace import TextChange, Workspace

from tests.prisma_project import INIT, SCHEMA


def project(tmp_path: Path, schema: str = SCHEMA, *migrations: str) -> Path:
    prisma = tmp_path / "prisma"
    (prisma / "migrations").mkdir(parents=True)
    (prisma / "schema.prisma").write_text(schema)
    (prisma / "migrations" / "migration_lock.toml").write_text('provider = "postgresql"\n')
    for i, sql in enumerate(migrations or (INIT,)):
        add_migration(tmp_path, f"2024010100000{i}_m{i}", sql)
    return prisma / "schema.prisma"


def add_migration(root: Path, name: str, sql: str) -> str:
    folder = root / "prisma" / "migrations" / name
    folder.mkdir(exist_ok=True)
    path = folder / "migration.sql"
    path.write_text(sql)
    return str(path)


def drift_codes(workspace: Workspace, schema: Path) -> list[tuple[str, str]]:
    analysis = workspace.analyze(workspace.unit_for(str(schema)))
    return sorted(
        (f.code, os.path.basename(os.path.dirname(f.span.file)) or f.span.file)
        for f in analysis.findings
        if f.code.startswith("DB3")
    )


def test_no_drift_when_the_migrations_build_the_schema(tmp_path: Path) -> None:
    schema = project(tmp_path)
    workspace = Workspace([str(tmp_path)])
    assert drift_codes(workspace, schema) == []
    analysis = workspace.analyze(workspace.unit_for(str(schema)))
    assert [os.path.basename(os.path.dirname(p)) for p in analysis.migration_files] == [
        "20240101000000_m0"
    ]


def test_check_path_reports_drift_on_both_files(tmp_path: Path) -> None:
    schema = project(tmp_path, SCHEMA.replace("email String", "email String?"))
    findings = Workspace([str(tmp_path)]).check_path(str(tmp_path))
    drift = [(f.code, os.path.basename(f.span.file)) for f in findings if f.code == "DB306"]
    assert sorted(drift) == [("DB306", "migration.sql"), ("DB306", "schema.prisma")]
    assert schema.exists()


def test_a_keystroke_in_the_schema_rereads_no_migration(tmp_path: Path) -> None:
    schema = project(tmp_path)
    workspace = Workspace([str(tmp_path)])
    workspace.open(str(schema), SCHEMA, 1)
    assert drift_codes(workspace, schema) == []
    reads, parses = workspace.migrations.reads, workspace.migrations.replayer.parses
    edited = SCHEMA.replace("email String", "email String?")
    workspace.change(str(schema), 2, [TextChange(edited)])
    assert drift_codes(workspace, schema) == [("DB306", "20240101000000_m0"), ("DB306", "prisma")]
    assert workspace.migrations.reads == reads
    assert workspace.migrations.replayer.parses == parses


def test_a_new_migration_on_disk_is_read_alone(tmp_path: Path) -> None:
    schema = project(tmp_path, SCHEMA.replace("email String", "email String?"))
    workspace = Workspace([str(tmp_path)])
    assert drift_codes(workspace, schema) != []
    parses = workspace.migrations.replayer.parses
    path = add_migration(
        tmp_path,
        "20240102000000_optional",
        'ALTER TABLE "User" ALTER COLUMN "email" DROP NOT NULL;\n',
    )
    workspace.files_changed([path])
    assert drift_codes(workspace, schema) == []
    assert workspace.migrations.replayer.parses == parses + 1


def test_a_changed_migration_on_disk_is_parsed_alone(tmp_path: Path) -> None:
    later = 'ALTER TABLE "User" ADD COLUMN "name" TEXT;\n'
    schema = project(tmp_path, SCHEMA, INIT, later)
    workspace = Workspace([str(tmp_path)])
    assert drift_codes(workspace, schema) == [("DB304", "20240101000001_m1"), ("DB304", "prisma")]
    parses = workspace.migrations.replayer.parses
    path = add_migration(tmp_path, "20240101000001_m1", "-- nothing left\n")
    workspace.files_changed([path], structure=False)
    assert drift_codes(workspace, schema) == []
    assert workspace.migrations.replayer.parses == parses + 1


def test_an_unsaved_migration_buffer_counts(tmp_path: Path) -> None:
    schema = project(tmp_path)
    workspace = Workspace([str(tmp_path)])
    workspace.open(str(schema), SCHEMA, 1)
    assert drift_codes(workspace, schema) == []
    path = str(tmp_path / "prisma" / "migrations" / "20240101000000_m0" / "migration.sql")
    workspace.open(path, INIT + 'ALTER TABLE "User" ADD COLUMN "name" TEXT;\n', 1, "sql")
    assert ("DB304", "prisma") in drift_codes(workspace, schema)


def test_the_configured_folder_wins(tmp_path: Path) -> None:
    schema = project(tmp_path, SCHEMA.replace("email String", "email String?"))
    other = tmp_path / "db" / "migrations" / "20240101000000_init"
    other.mkdir(parents=True)
    (other / "migration.sql").write_text(INIT.replace('"email" TEXT NOT NULL', '"email" TEXT'))
    (tmp_path / "schemasense.toml").write_text('[migrations]\npath = "db/migrations"\n')
    workspace = Workspace([str(tmp_path)])
    assert drift_codes(workspace, schema) == []


def test_prisma_config_ts_names_the_folder(tmp_path: Path) -> None:
    schema = project(tmp_path, SCHEMA.replace("email String", "email String?"))
    other = tmp_path / "sql" / "20240101000000_init"
    other.mkdir(parents=True)
    (other / "migration.sql").write_text(INIT.replace('"email" TEXT NOT NULL', '"email" TEXT'))
    (tmp_path / "prisma.config.ts").write_text(
        'import { defineConfig } from "prisma/config";\n'
        'export default defineConfig({\n  schema: "prisma/schema.prisma",\n'
        '  migrations: { path: "sql" },\n});\n'
    )
    workspace = Workspace([str(tmp_path)])
    assert drift_codes(workspace, schema) == []


def test_a_schema_with_errors_gets_no_drift(tmp_path: Path) -> None:
    schema = project(tmp_path, SCHEMA.replace("email String", "email Strin"))
    assert drift_codes(Workspace([str(tmp_path)]), schema) == []


def test_an_open_migration_file_brings_its_schema_in(tmp_path: Path) -> None:
    schema = project(tmp_path)
    workspace = Workspace([str(tmp_path)])
    path = str(tmp_path / "prisma" / "migrations" / "20240101000000_m0" / "migration.sql")
    workspace.open(path, INIT, 1, "sql")
    assert [u.files for u in workspace.open_units()] == [(str(schema),)]

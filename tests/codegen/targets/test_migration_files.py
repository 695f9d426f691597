"""Migration files in each tool's format: named as the tool expects, checked by the real tools.

- every format's file names and layout, and that the SQL inside is the migration's;
- TypeORM classes compile with `tsc` (TypeScript 7, the nodenext tsconfig of
  ../shared/notes/environment.md) for PostgreSQL and MySQL, safe splits included;
- Sequelize modules load in Node;
- on a real PostgreSQL, TypeORM's own `DataSource.runMigrations()` runs the compiled classes and
  Sequelize's `queryInterface` runs the modules: the catalog is the plain migration's, and
  `undoLastMigration()` / `down` bring back the base catalog.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import pytest
from schemasense.codegen.emit.migration import generate
from schemasense.codegen.emit.migrations.files import FORMATS, migration_files
from schemasense.codegen.schema import Schema
from schemasense.server.sources.prisma import read_prisma_schema
from schemasense.server.verify.compare import compare, format_differences

from tests.codegen.prisma_wasm import REPO_ROOT, migration_sql, oracle_missing
from tests.codegen.targets.cases import EDITS, Edit, from_schema, to_schema
from tests.codegen.targets.sandbox import Sandbox

NOW = datetime(2024, 1, 31, 12, 0, 0, tzinfo=UTC)
RUNNER = Path(__file__).with_name("run_migrations.cjs")
TSC = REPO_ROOT / "node_modules" / ".bin" / "tsc"
TSCONFIG = {
    "compilerOptions": {
        "target": "ES2022",
        "module": "nodenext",
        "moduleResolution": "nodenext",
        "strict": True,
        "experimentalDecorators": True,
        "emitDecoratorMetadata": True,
        "esModuleInterop": True,
        "skipLibCheck": True,
        "outDir": "dist",
        "rootDir": "src",
        "types": ["node"],
    },
    "include": ["src"],
}


def _read(text: str) -> Schema:
    return read_prisma_schema({"schema.prisma": text}).schema


def _edit(name: str) -> Edit:
    return next(e for e in EDITS if e.name == name)


def _migration(name: str, provider: str = "postgresql", safe: bool = False):
    e = _edit(name)
    return generate(
        _read(from_schema(e, provider)), _read(to_schema(e, provider)), name=name, safe=safe
    )


def _node() -> str:
    node = os.environ.get("SCHEMASENSE_NODE") or shutil.which("node")
    if node is None:
        pytest.skip("node is not on PATH")
    return node


def _need_node_modules(*packages: str) -> None:
    for package in packages:
        if not (REPO_ROOT / "node_modules" / package).exists():
            pytest.skip(f"node_modules/{package} is missing (run `npm install` at the repo root)")


# -- names and layout ------------------------------------------------------------------------------


def test_every_tool_has_a_format() -> None:
    migration_files(_migration("add optional column"), "prisma", "m", NOW)  # loads the formats
    assert set(FORMATS) >= {
        "prisma",
        "typeorm",
        "sequelize",
        "flyway",
        "golang-migrate",
        "dbmate",
        "plain",
    }


@pytest.mark.parametrize(
    ("tool", "paths"),
    [
        (
            "prisma",
            [
                "db/migrations/20240131120000_add_avatar/migration.sql",
                "db/migrations/20240131120000_add_avatar/down.sql",
            ],
        ),
        ("typeorm", ["db/migrations/1706702400000-AddAvatar.ts"]),
        ("sequelize", ["db/migrations/20240131120000-add-avatar.js"]),
        (
            "flyway",
            [
                "db/migrations/V20240131120000__add_avatar.sql",
                "db/migrations/U20240131120000__add_avatar.sql",
            ],
        ),
        (
            "golang-migrate",
            [
                "db/migrations/20240131120000_add_avatar.up.sql",
                "db/migrations/20240131120000_add_avatar.down.sql",
            ],
        ),
        ("dbmate", ["db/migrations/20240131120000_add_avatar.sql"]),
        (
            "plain",
            [
                "db/migrations/20240131120000_add_avatar.sql",
                "db/migrations/20240131120000_add_avatar.down.sql",
            ],
        ),
    ],
)
def test_file_names(tool: str, paths: list[str]) -> None:
    e = _edit("add optional column")
    m = generate(
        _read(from_schema(e, "postgresql")), _read(to_schema(e, "postgresql")), name="Add avatar"
    )
    files = migration_files(m, tool, "db/migrations", NOW)
    assert [f.path for f in files] == paths


def test_prisma_folder_holds_the_sql() -> None:
    m = _migration("drop column")
    up, down = migration_files(m, "prisma", "prisma/migrations", NOW)
    assert up.text == m.up.render(with_warnings=True)
    assert "Warnings:" in up.text and "will be lost" in up.text
    assert down.text.startswith("-- Down migration for 20240131120000_drop_column (")
    assert "--file prisma/migrations/20240131120000_drop_column/down.sql" in down.text
    assert m.down.text.rstrip("\n") in down.text


def test_safe_split_files_are_ordered() -> None:
    m = _migration("foreign key added to an existing column", safe=True)
    files = migration_files(m, "prisma", "m", NOW)
    assert [f.path for f in files] == [
        "m/20240131120000_foreign_key_added_to_an_existing_column/migration.sql",
        "m/20240131120000_foreign_key_added_to_an_existing_column/down.sql",
        "m/20240131120001_foreign_key_added_to_an_existing_column_validate_foreign_keys/migration.sql",
        "m/20240131120001_foreign_key_added_to_an_existing_column_validate_foreign_keys/down.sql",
    ]
    assert "Undone by 20240131120001_" in files[1].text


def test_dbmate_sections() -> None:
    m = _migration("add single index", safe=True)
    files = migration_files(m, "dbmate", "db", NOW)
    concurrent = [f for f in files if "concurrent_index" in f.path]
    assert concurrent and concurrent[0].text.startswith("-- migrate:up transaction:false\n")
    plain = migration_files(_migration("drop column"), "dbmate", "db", NOW)[0].text
    assert plain.startswith("-- migrate:up\n") and "\n-- migrate:down\n" in plain


def test_template_literals_are_escaped() -> None:
    from schemasense.codegen.emit.migrations.typeorm import template_literal

    assert template_literal("SELECT `a`, '${x}' \\n") == "SELECT \\`a\\`, '\\${x}' \\\\n"


# -- the real tools --------------------------------------------------------------------------------

COMPILED = [
    ("postgresql", "add optional column", False),
    ("postgresql", "foreign key added to an existing column", True),
    ("postgresql", "add single index", True),
    ("postgresql", "enum value removed", False),
    ("postgresql", "model added", False),
    ("mysql", "add required column with default", False),
    ("mysql", "varchar length down", False),
    ("mysql", "model renamed", False),
]


def test_typeorm_classes_compile(tmp_path: Path) -> None:
    _node()
    _need_node_modules("typescript", "typeorm", "@types/node")
    src = tmp_path / "src"
    src.mkdir()
    written = 0
    for i, (provider, name, safe) in enumerate(COMPILED):
        m = _migration(name, provider, safe)
        for f in migration_files(m, "typeorm", f"m{i}", NOW):
            path = src / f.path
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(f.text, encoding="utf-8")
            written += 1
    (tmp_path / "tsconfig.json").write_text(json.dumps(TSCONFIG), encoding="utf-8")
    (tmp_path / "node_modules").symlink_to(REPO_ROOT / "node_modules")
    proc = subprocess.run(
        [str(TSC), "-p", str(tmp_path)], capture_output=True, text=True, timeout=300, check=False
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert len(list((tmp_path / "dist").rglob("*.js"))) == written


def test_sequelize_modules_load(tmp_path: Path) -> None:
    node = _node()
    for i, (provider, name, safe) in enumerate(COMPILED):
        for f in migration_files(_migration(name, provider, safe), "sequelize", f"m{i}", NOW):
            path = tmp_path / f.path
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(f.text, encoding="utf-8")
            proc = subprocess.run(
                [
                    node,
                    "-e",
                    f"const m = require({json.dumps(str(path))}); "
                    "if (typeof m.up !== 'function' || typeof m.down !== 'function') "
                    "process.exit(2)",
                ],
                capture_output=True,
                text=True,
                timeout=60,
                check=False,
            )
            assert proc.returncode == 0, f.text + proc.stderr


RUN = [
    "add optional column",
    "foreign key added to an existing column",
    "add single index",
    "enum value added",
    "drop column",
    "model added",
    "1:n relation added",
]


@pytest.fixture(scope="module")
def pg_box(request: pytest.FixtureRequest):
    server = request.getfixturevalue("postgres_server")
    with server.scratch(prefix="ss_orm") as url:
        box = Sandbox("postgresql", url)
        try:
            yield box
        finally:
            box.close()


def _run(tool: str, url: str, direction: str, files: list[Path]) -> None:
    proc = subprocess.run(
        [_node(), str(RUNNER), str(REPO_ROOT), tool, url, direction, *map(str, files)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]


@pytest.mark.oracle
@pytest.mark.parametrize("tool", ["typeorm", "sequelize"])
@pytest.mark.parametrize("safe", [False, True], ids=["plain", "safe"])
@pytest.mark.parametrize("name", RUN)
def test_orm_runs_the_migration(
    tool: str, safe: bool, name: str, pg_box: Sandbox, tmp_path: Path
) -> None:
    _need_node_modules(tool, "pg", "typescript")
    if (reason := oracle_missing()) is not None:
        pytest.skip(reason)
    e = _edit(name)
    base = migration_sql(from_schema(e, "postgresql"), "postgresql")
    m = _migration(name, "postgresql", safe)
    expected = pg_box.build(
        [
            base,
            generate(
                _read(from_schema(e, "postgresql")), _read(to_schema(e, "postgresql"))
            ).up.text,
        ]
    )
    before = pg_box.build([base])
    folder = tmp_path / "src"
    files = migration_files(m, tool, "", NOW)
    for f in files:
        (folder / f.path).parent.mkdir(parents=True, exist_ok=True)
        (folder / f.path).write_text(f.text, encoding="utf-8")
    if tool == "typeorm":
        (tmp_path / "tsconfig.json").write_text(json.dumps(TSCONFIG), encoding="utf-8")
        (tmp_path / "node_modules").symlink_to(REPO_ROOT / "node_modules")
        proc = subprocess.run(
            [str(TSC), "-p", str(tmp_path)],
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        assert proc.returncode == 0, proc.stdout
        runnable = sorted((tmp_path / "dist").glob("*.js"))
    else:
        runnable = sorted(folder.glob("*.js"))
    _run(tool, pg_box.url or "", "up", runnable)
    differences = compare(
        expected,
        _without_runner_tables(pg_box.introspect()),
        provider="postgresql",
        left_name="plain",
        right_name=tool,
    )
    assert not differences, format_differences(differences, 30)
    _run(tool, pg_box.url or "", "down", runnable)
    back = _without_runner_tables(pg_box.introspect())
    differences = [
        d for d in compare(before, back, provider="postgresql") if d.what != "column order"
    ]
    assert not differences, format_differences(differences, 30)


def _without_runner_tables(schema: Schema) -> Schema:
    """Leave out TypeORM's `migrations` table (Sequelize's own runner, sequelize-cli, would
    add `SequelizeMeta`; ours calls up/down directly)."""
    return schema.model_copy(
        update={"tables": [t for t in schema.tables if t.name not in ("migrations",)]}
    )

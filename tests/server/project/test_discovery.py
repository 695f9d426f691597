"""Schema units: one file, a multi-file folder, side-by-side schemas, package.json, skips."""

from __future__ import annotations

from pathlib import Path

import pytest
from schemasense.server.workspace.workspace import Workspace

MAIN = 'datasource db {\n  provider = "postgresql"\n}\n'
MODEL = "model {name} {{\n  id Int @id\n}}\n"


def write(path: Path, text: str) -> str:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return str(path)


def test_a_single_schema_file(tmp_path):
    path = write(tmp_path / "prisma" / "schema.prisma", MAIN + MODEL.format(name="A"))
    unit = Workspace().unit_for(path)
    assert unit.key == path and unit.files == (path,) and not unit.folder


def test_a_multi_file_folder_with_subfolders(tmp_path):
    folder = tmp_path / "prisma" / "schema"
    main = write(folder / "main.prisma", MAIN)
    a = write(folder / "a.prisma", MODEL.format(name="A"))
    nested = write(folder / "billing" / "b.prisma", MODEL.format(name="B"))
    write(folder / "node_modules" / "x.prisma", MODEL.format(name="X"))
    write(folder / ".cache" / "y.prisma", MODEL.format(name="Y"))
    workspace = Workspace()
    for path in (main, a, nested):
        unit = workspace.unit_for(path)
        assert unit.folder and unit.key == str(folder)
        assert unit.files == tuple(sorted((main, a, nested)))


def test_side_by_side_schemas_are_separate_units(tmp_path):
    one = write(tmp_path / "schema.prisma", MAIN)
    two = write(tmp_path / "schema.test.prisma", MAIN)
    workspace = Workspace()
    assert workspace.unit_for(one).files == (one,)
    assert workspace.unit_for(two).files == (two,)


def test_package_json_names_the_schema_folder(tmp_path):
    write(tmp_path / "package.json", '{"prisma": {"schema": "db/schema"}}')
    folder = tmp_path / "db" / "schema"
    # Two datasources would make them separate schemas, but the folder is named explicitly.
    a = write(folder / "a.prisma", MAIN)
    b = write(folder / "b.prisma", MAIN)
    unit = Workspace().unit_for(a)
    assert unit.folder and unit.files == (a, b)


def test_units_under_a_project(tmp_path):
    calendar = write(tmp_path / "apps" / "calendar" / "prisma" / "schema.prisma", MAIN)
    folder = tmp_path / "apps" / "web" / "prisma" / "schema"
    write(folder / "main.prisma", MAIN)
    write(folder / "user.prisma", MODEL.format(name="User"))
    write(tmp_path / "node_modules" / "pkg" / "schema.prisma", MAIN)
    units = Workspace().units_at(str(tmp_path))
    assert [u.key for u in units] == [calendar, str(folder)]


def test_an_unsaved_open_file_joins_its_folder(tmp_path):
    folder = tmp_path / "schema"
    main = write(folder / "main.prisma", MAIN)
    workspace = Workspace()
    new = str(folder / "new.prisma")
    workspace.open(new, MODEL.format(name="New"), 1)
    assert workspace.unit_for(new).files == (main, new)
    assert workspace.unit_for(main).files == (main, new)


def test_files_created_on_disk_are_seen_after_files_changed(tmp_path):
    folder = tmp_path / "schema"
    main = write(folder / "main.prisma", MAIN)
    workspace = Workspace()
    assert workspace.unit_for(main).files == (main,)
    other = write(folder / "other.prisma", MODEL.format(name="B"))
    workspace.files_changed([other])
    assert workspace.unit_for(main).files == (main, other)


def test_corpus_units(corpus_dir):
    units = {
        Path(u.key).relative_to(corpus_dir).as_posix(): u
        for u in Workspace().units_at(str(corpus_dir))
    }
    assert sorted(units) == [
        "calcom/packages/prisma/schema.prisma",
        "dub/apps/web/prisma/schema",
        "epic-stack/prisma/schema.prisma",
        "pingvin-share/backend/prisma/schema.prisma",
        # the Sequelize projects: keyed by their set-up (config, ah-sequelize-plugin's config,
        # package.json, new Sequelize)
        "sequelize/gladys/server/config/config.js",
        "sequelize/grouparoo/core/src/config/sequelize.ts",
        "sequelize/opencollective-api/server/lib/sequelize.ts",
        "typeorm/awesome-nest-boilerplate/ormconfig.ts",
        "typeorm/express-typescript-boilerplate/src/loaders/typeormLoader.ts",
        "typeorm/flowise/packages/server/src/DataSource.ts",
        "typeorm/jellyseerr/server/datasource.ts",
        "typeorm/medusa-v1/packages/medusa/src/loaders/database.ts",
        "umami/db/mysql/schema.prisma",
        "umami/db/postgresql/schema.prisma",
    ]
    assert len(units["dub/apps/web/prisma/schema"].files) == 37
    assert units["sequelize/gladys/server/config/config.js"].kind == "sequelize"
    assert len(units["sequelize/gladys/server/config/config.js"].files) == 28
    assert {u.kind for k, u in units.items() if k.startswith("typeorm/")} == {"typeorm"}


@pytest.mark.parametrize("path", ["untitled:Untitled-1", "/not/a/schema.txt"])
def test_anything_else_is_a_unit_of_its_own(path):
    assert Workspace().unit_for(path).files == (path,)


# -- SQL DDL schema files --------------------------------------------------------------------

DDL = "CREATE TABLE t (id bigint PRIMARY KEY);\n"


def test_ddl_schema_files_are_units_of_their_own(tmp_path):
    dbmate = write(tmp_path / "db" / "schema.sql", DDL)
    rails = write(tmp_path / "legacy" / "db" / "structure.sql", DDL)
    plain = write(tmp_path / "svc" / "schema.sql", DDL)
    write(tmp_path / "svc" / "structure.sql", DDL)  # not in db/: not a schema file
    write(tmp_path / "seeds" / "schema.sql", "INSERT INTO t VALUES (1);\n")  # no table
    write(tmp_path / "db" / "migrations" / "20240101_init.sql", DDL)
    units = Workspace([str(tmp_path)]).units()
    assert [(u.key, u.kind) for u in units] == [
        (dbmate, "sql_ddl"),
        (rails, "sql_ddl"),
        (plain, "sql_ddl"),
    ]
    assert Workspace().unit_for(dbmate).files == (dbmate,)


def test_the_configuration_names_a_ddl_schema_file(tmp_path):
    write(tmp_path / "schemasense.toml", '[schema]\npath = "sql/tables.sql"\n')
    tables = write(tmp_path / "sql" / "tables.sql", DDL)
    workspace = Workspace([str(tmp_path)])
    assert [(u.key, u.kind) for u in workspace.units()] == [(tables, "sql_ddl")]
    assert workspace.unit_for(tables).kind == "sql_ddl"
    assert workspace.units_at(tables)[0].kind == "sql_ddl"


def test_prisma_and_ddl_side_by_side(tmp_path):
    prisma = write(tmp_path / "prisma" / "schema.prisma", MAIN + MODEL.format(name="A"))
    ddl = write(tmp_path / "schema.sql", DDL)
    units = Workspace([str(tmp_path)]).units()
    assert {(u.key, u.kind) for u in units} == {(prisma, "prisma"), (ddl, "sql_ddl")}


def test_a_sql_file_that_is_no_schema_is_refused_as_a_cli_argument(tmp_path):
    other = write(tmp_path / "queries.sql", "SELECT 1;\n")
    with pytest.raises(ValueError):
        Workspace().units_at(other)

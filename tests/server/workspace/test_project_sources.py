"""The seam for sources whose units span a project (TypeORM entity sets, Sequelize models).

A stand-in source, registered for these tests only, finds its unit through `find_units` (the
file that declares it plus the files it names) and says where its migrations are through
`migration_places`; discovery, the workspace and the migration links do the rest as for any
source. The stand-in reads its declaring file as DDL, so everything below it is real.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import ClassVar

import pytest
from schemasense.server.sources import base
from schemasense.server.sources.base import MigrationPlace, ProjectFiles, UnitFiles
from schemasense.server.sources.sql_ddl.reader import DdlRead, read_ddl
from schemasense.server.sources.sql_ddl.source import SqlDdlSource
from schemasense.server.workspace.workspace import Workspace


class StandIn(SqlDdlSource):
    """Units: `app.standin` (the declaring file, DDL) and every other `.standin` file below
    the project; migrations: the folder its first line names, in PostgreSQL."""

    kind: ClassVar[str] = "stand_in"
    code_suffixes: ClassVar[tuple[str, ...]] = (".standin",)

    def claims(self, path, text_of, language_id=None) -> bool:  # type: ignore[override]
        return path.endswith(".standin")

    def find_units(self, root: str, project: ProjectFiles) -> list[UnitFiles]:
        key = os.path.join(root, "app.standin")
        text = project.text_of(key)
        if text is None or not text.startswith("-- migrations:"):
            return []
        files = project.files_under(root, self.code_suffixes)
        return [UnitFiles(key, files, inputs=(key,))]

    def read(self, texts: Mapping[str, str], config=None) -> DdlRead:  # type: ignore[override]
        key = next(p for p in texts if p.endswith("app.standin"))
        return read_ddl({key: texts[key]}, config)

    def migration_places(self, read: DdlRead) -> list[MigrationPlace]:  # type: ignore[override]
        folder = read.text.splitlines()[0].removeprefix("-- migrations: ").strip()
        return [MigrationPlace(os.path.join(os.path.dirname(read.file), folder), "plain")]


@pytest.fixture
def stand_in() -> Iterator[None]:
    base._load()
    base.register(StandIn())
    try:
        yield
    finally:
        del base._REGISTRY["stand_in"]


def project(tmp_path: Path) -> Path:
    (tmp_path / "package.json").write_text("{}")
    (tmp_path / "app.standin").write_text(
        "-- migrations: db/chain\nCREATE TABLE post (id integer PRIMARY KEY, title text);\n"
    )
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "post.standin").write_text("-- an entity file\n")
    (tmp_path / "node_modules" / "x").mkdir(parents=True)
    (tmp_path / "node_modules" / "x" / "skip.standin").write_text("")
    chain = tmp_path / "db" / "chain"
    chain.mkdir(parents=True)
    (chain / "001_init.sql").write_text("CREATE TABLE post (id integer PRIMARY KEY);\n")
    return tmp_path


def test_discovery_finds_the_unit_and_every_file_of_it(stand_in: None, tmp_path: Path) -> None:
    root = project(tmp_path)
    workspace = Workspace([str(root)])
    units = [u for u in workspace.units() if u.kind == "stand_in"]
    assert [(u.key, u.files) for u in units] == [
        (str(root / "app.standin"), (str(root / "app.standin"), str(root / "src/post.standin")))
    ]
    assert workspace.unit_for(str(root / "src" / "post.standin")) == units[0]
    # a file no unit names stays a unit of its own
    assert workspace.unit_for(str(root / "node_modules/x/skip.standin")).kind != "stand_in"


def test_the_unit_links_the_migrations_its_files_name(stand_in: None, tmp_path: Path) -> None:
    root = project(tmp_path)
    workspace = Workspace([str(root)])
    analysis = workspace.analyze(workspace.unit_for(str(root / "app.standin")))
    assert analysis.migration_files == (str(root / "db/chain/001_init.sql"),)
    drift = [f for f in analysis.findings if f.code.startswith("DB3")]
    assert drift, "the chain lacks post.title: drift must be reported"
    assert any("title" in f.message for f in drift)


def test_an_edit_to_the_declaring_file_is_seen(stand_in: None, tmp_path: Path) -> None:
    root = project(tmp_path)
    workspace = Workspace([str(root)])
    key = str(root / "app.standin")
    assert workspace.unit_for(key).kind == "stand_in"
    (root / "app.standin").write_text("-- not one any more\n")
    workspace.files_changed([key], structure=False)
    assert workspace.unit_for(str(root / "src/post.standin")).kind != "stand_in"


def test_an_open_file_of_the_unit_makes_it_an_open_unit(stand_in: None, tmp_path: Path) -> None:
    root = project(tmp_path)
    workspace = Workspace([str(root)])
    entity = str(root / "src" / "post.standin")
    assert workspace.open_units() == []
    workspace.open(entity, (root / "src" / "post.standin").read_text(), 1, "stand_in")
    assert [u.key for u in workspace.open_units()] == [str(root / "app.standin")]

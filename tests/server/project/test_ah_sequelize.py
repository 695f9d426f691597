"""actionhero's `ah-sequelize-plugin` config (`server/project/ah_sequelize.py`): its `models` and
`migrations` folders are found with no schemasense.toml, read statically from the function the
config exports. A project that keeps its indexes in the plugin's migrations (grouparoo) had every
query those indexes serve flagged by DB401, because the migrations were never found."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from schemasense.codegen.queries.serve import judge
from schemasense.server.project.sequelize import detect
from schemasense.server.queries.read import read_project_queries
from schemasense.server.sources.sequelize.source import SequelizeSource
from schemasense.server.workspace.workspace import TextChange, Workspace

FIXTURE = Path(__file__).resolve().parents[2] / "fixtures" / "sequelize_ah_plugin"


def _text(path: str) -> str | None:
    try:
        return Path(path).read_text(encoding="utf-8")
    except OSError:
        return None


def _code(root: Path) -> list[str]:
    return [str(p) for p in sorted(root.rglob("*.ts"))]


def test_the_plugin_config_gives_models_migrations_and_dialect() -> None:
    setup = detect(str(FIXTURE), _text, _code(FIXTURE))
    assert setup is not None
    assert setup.plugin_config == str(FIXTURE / "src" / "config" / "sequelize.ts")
    assert str(FIXTURE / "src" / "models") in setup.models_dirs
    # the project's folder; not the spread (unknown), not the one outside the project, not the
    # nested function's `return`
    assert [d for d in setup.migrations_dirs if d.startswith(str(FIXTURE / "src"))] == [
        str(FIXTURE / "src" / "migrations")
    ]
    assert not any("elsewhere" in d or "decoy" in d for d in setup.migrations_dirs)
    assert setup.dialect == "mysql" and "ah-sequelize-plugin" in (setup.dialect_from or "")
    assert setup.plugin_config in setup.inputs


def test_the_unit_and_its_migration_place() -> None:
    source = SequelizeSource()

    class Files:
        text_of = staticmethod(_text)

        def files_under(self, root: str, suffixes: tuple[str, ...]) -> tuple[str, ...]:
            return tuple(p for p in _code(Path(root)) if p.endswith(suffixes))

    [unit] = source.find_units(str(FIXTURE), Files())
    assert unit.key == str(FIXTURE / "src" / "config" / "sequelize.ts")
    read = source.read({p: Path(p).read_text(encoding="utf-8") for p in unit.files})
    assert read.dialect == "mysql" and [t.name for t in read.schema.tables] == ["accounts"]
    places = source.migration_places(read)
    assert [(p.folder, p.tool, p.dialect) for p in places] == [
        (str(FIXTURE / "src" / "migrations"), "sequelize", "mysql")
    ]


def test_older_exports_default_form(tmp_path: Path) -> None:
    (tmp_path / "package.json").write_text(
        '{"dependencies": {"sequelize": "5", "ah-sequelize-plugin": "2"}}'
    )
    config = tmp_path / "config" / "sequelize.js"
    config.parent.mkdir()
    config.write_text(
        "exports.default = {\n"
        "  sequelize: function (api) {\n"
        "    return { dialect: 'sqlite', models: 'db/models', migrations: ['db/migrations'] };\n"
        "  },\n"
        "};\n"
    )
    setup = detect(str(tmp_path), _text, [str(config)])
    assert setup is not None and setup.dialect == "sqlite"
    assert str(tmp_path / "db" / "models") in setup.models_dirs
    assert str(tmp_path / "db" / "migrations") in setup.migrations_dirs


def test_without_the_plugin_dependency_the_file_is_not_read(tmp_path: Path) -> None:
    root = tmp_path / "app"
    shutil.copytree(FIXTURE, root)
    package = root / "package.json"
    package.write_text(package.read_text().replace('"ah-sequelize-plugin"', '"other-plugin"'))
    setup = detect(str(root), _text, _code(root))
    assert setup is not None and setup.plugin_config is None
    assert str(root / "src" / "migrations") not in setup.migrations_dirs


def _verdict(root: Path) -> tuple[str, list[str]]:
    found = read_project_queries(Workspace([str(root)], incremental=False), str(root))
    [item] = [q for q in found.queries if q.file.endswith("accounts.ts")]
    table = item.unit.schema.table("accounts")
    assert table is not None
    judged = judge(item.query, table, item.unit.dialect)
    return judged.verdict, [u.index for u in judged.uses]


def test_the_index_the_plugins_migration_creates_serves_the_query(tmp_path: Path) -> None:
    """The same project with the plugin's dependency renamed (so its config is not read) is the
    control: the query is then judged against the model alone."""
    assert _verdict(FIXTURE) == ("served", ["accounts_email"])
    control = tmp_path / "control"
    shutil.copytree(FIXTURE, control)
    package = control / "package.json"
    package.write_text(package.read_text().replace('"ah-sequelize-plugin"', '"other-plugin"'))
    assert _verdict(control)[0] == "not_served"


def _check(root: Path, toml: str) -> list[dict]:
    (root / "schemasense.toml").write_text(toml)
    proc = subprocess.run(
        [sys.executable, "-m", "schemasense.server", "check", ".", "--format", "json"],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode in (0, 1), proc.stderr
    return json.loads(proc.stdout)


@pytest.mark.corpus
def test_grouparoo_migrations_are_found_without_configuration(
    corpus_dir: Path, tmp_path: Path
) -> None:
    """grouparoo (actionhero + ah-sequelize-plugin): with nothing configured, the findings are
    the ones `[migrations] path` set by hand gives (DB070's list of where it looked aside), and
    DB401 drops from the 35 it was when the migrations were not found."""
    root = tmp_path / "core"
    shutil.copytree(corpus_dir / "sequelize" / "grouparoo" / "core", root)
    found = _check(root, 'extend-select = ["DB401"]\n')
    by_hand = _check(root, 'extend-select = ["DB401"]\n[migrations]\npath = "src/migrations"\n')

    def key(f: dict) -> str:
        return json.dumps({**f, "message": ""} if f["code"] == "DB070" else f, sort_keys=True)

    counts = Counter(f["code"] for f in found)
    assert counts["DB401"] < 35 and counts["DB305"] > 0  # migration rules ran on its files
    assert Counter(f["code"] for f in by_hand) == counts
    assert sorted(map(key, found)) == sorted(map(key, by_hand))
    print(f"\n[grouparoo] DB401: {counts['DB401']}, {len(found)} findings")


def test_an_edit_of_the_plugin_config_is_seen(tmp_path: Path) -> None:
    """The config is one of the unit's inputs: a keystroke in it re-reads the set-up (the
    incremental read does not keep the previous one)."""
    root = tmp_path / "app"
    shutil.copytree(FIXTURE, root)
    config = str(root / "src" / "config" / "sequelize.ts")
    text = Path(config).read_text()
    workspace = Workspace([str(root)])
    workspace.open(config, text, 1, "typescript")
    read = workspace.analyze(workspace.unit_for(config)).read
    assert (
        read.dialect == "mysql" and str(root / "src" / "migrations") in read.setup.migrations_dirs
    )
    edited = text.replace('"..", "migrations"', '"..", "db"').replace('"mysql"', '"sqlite"')
    workspace.change(config, 2, [TextChange(edited)])
    read = workspace.analyze(workspace.unit_for(config)).read
    assert read.dialect == "sqlite" and str(root / "src" / "db") in read.setup.migrations_dirs
    assert str(root / "src" / "migrations") not in read.setup.migrations_dirs

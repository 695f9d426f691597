"""The Sequelize config file's environments (server/project/sequelize.py, `[sequelize] env`):
every environment read, `development` by default, another chosen in schemasense.toml (never
from NODE_ENV), and a DB075 note where the environments disagree on the dialect."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from schemasense.server.project import sequelize as setup_of
from schemasense.server.project.config import parse_config
from schemasense.server.sources.sequelize.source import SequelizeSource

PACKAGE = json.dumps({"dependencies": {"sequelize": "^6.37.0", "sequelize-cli": "^6.6.0"}})
CONFIG_JSON = json.dumps(
    {
        "development": {"dialect": "postgres", "define": {"underscored": True}},
        "test": {"dialect": "sqlite", "storage": ":memory:"},
        "production": {"dialect": "mysql"},
    }
)
CONFIG_JS = """const development = { dialect: "postgres" };
module.exports = {
  development,
  test: { dialect: "sqlite", storage: ":memory:" },
  production: { use_env_variable: "DATABASE_URL", dialect: "postgres" },
};
"""
MODEL = """const { Model, DataTypes } = require("sequelize");
module.exports = (sequelize) => {
  class User extends Model {}
  User.init({ email: DataTypes.STRING(120) }, { sequelize, modelName: "User" });
  return User;
};
"""


def _project(root: Path, config_name: str, config_text: str) -> dict[str, str]:
    files = {
        "package.json": PACKAGE,
        f"config/{config_name}": config_text,
        "models/user.js": MODEL,
    }
    return {str(root / k): v for k, v in files.items()}


def _detect(texts: dict[str, str], root: Path, env: str | None = None):
    code = [p for p in texts if p.endswith(".js")]
    return setup_of.detect(str(root), texts.get, code, env)


@pytest.mark.parametrize("name,text", [("config.json", CONFIG_JSON), ("config.js", CONFIG_JS)])
def test_every_environment_is_read(name: str, text: str, tmp_path: Path) -> None:
    setup = _detect(_project(tmp_path, name, text), tmp_path)
    assert setup is not None
    assert list(setup.environments) == ["development", "test", "production"]
    assert setup.environments["test"] == "sqlite"
    assert (setup.env, setup.dialect) == ("development", "postgres")


def test_the_chosen_environment_gives_the_dialect_and_define(tmp_path: Path) -> None:
    texts = _project(tmp_path, "config.json", CONFIG_JSON)
    assert _detect(texts, tmp_path).define == {"underscored": True}
    production = _detect(texts, tmp_path, "production")
    assert (production.dialect, production.define) == ("mysql", {})
    assert production.dialect_from.endswith("(production)")


def test_node_env_is_never_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NODE_ENV", "production")
    assert _detect(_project(tmp_path, "config.json", CONFIG_JSON), tmp_path).dialect == "postgres"


def _read(tmp_path: Path, config_text: str, toml: str | None):
    texts = _project(tmp_path, "config.json", config_text)
    loaded = parse_config(str(tmp_path / "schemasense.toml"), toml) if toml is not None else None
    if loaded is not None:
        assert loaded.findings == []
    return SequelizeSource().read(texts, loaded)


def test_environments_that_disagree_are_a_note(tmp_path: Path) -> None:
    read = _read(tmp_path, CONFIG_JSON, None)
    (note,) = [f for f in read.findings if f.code == "DB075"]
    assert note.severity == "info"
    assert note.span.file == os.path.join(str(tmp_path), "config", "config.json")
    assert "development: postgres, test: sqlite, production: mysql" in note.message
    assert "'development'" in note.message and 'env = "production"' in note.message


def test_env_chosen_in_schemasense_toml(tmp_path: Path) -> None:
    read = _read(tmp_path, CONFIG_JSON, '[sequelize]\nenv = "production"\n')
    assert read.dialect in ("mysql",)
    (note,) = [f for f in read.findings if f.code == "DB075"]
    assert "read as 'production'" in note.message


def test_an_environment_the_file_has_not_is_a_note(tmp_path: Path) -> None:
    read = _read(tmp_path, CONFIG_JSON, '[sequelize]\nenv = "staging"\n')
    (note,) = [f for f in read.findings if f.code == "DB075"]
    assert "no environment 'staging'" in note.message


def test_environments_that_agree_say_nothing(tmp_path: Path) -> None:
    same = json.dumps({"development": {"dialect": "postgres"}, "test": {"dialect": "postgres"}})
    assert [f for f in _read(tmp_path, same, None).findings if f.code == "DB075"] == []


def test_an_unknown_sequelize_key_is_a_config_problem(tmp_path: Path) -> None:
    loaded = parse_config(str(tmp_path / "schemasense.toml"), '[sequelize]\nenvironment = "x"\n')
    assert [f.code for f in loaded.findings] != []

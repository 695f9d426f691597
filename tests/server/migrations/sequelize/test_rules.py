"""The migration-safety rules report on a sequelize-cli migration's calls, with the call's span,
for a project that names its chain in `schemasense.toml` (`tool = "sequelize"`)."""

from __future__ import annotations

import json
from pathlib import Path

from schemasense.server import cli

CONFIG = '[migrations]\npath = "migrations"\ntool = "sequelize"\ndialect = "postgresql"\n'

FIRST = """module.exports = {
  up: async (queryInterface, Sequelize) => {
    await queryInterface.createTable('Users', {
      id: { type: Sequelize.INTEGER, primaryKey: true, autoIncrement: true },
      email: { type: Sequelize.STRING, allowNull: false },
      age: { type: Sequelize.INTEGER },
    });
    await queryInterface.addIndex('Users', ['email']);
  },
};
"""

SECOND = """module.exports = {
  up: async (queryInterface, Sequelize) => {
    await queryInterface.addIndex('Users', ['email']);
    await queryInterface.addIndex('Users', ['age'], { concurrently: true });
    await queryInterface.changeColumn('Users', 'age', { type: Sequelize.BIGINT });
    await queryInterface.addColumn('Users', 'name', { type: Sequelize.STRING, allowNull: false });
    await queryInterface.addColumn('Users', 'nick', {
      type: Sequelize.STRING, allowNull: false, defaultValue: '',
    });
  },
};
"""

SCHEMA = """CREATE TABLE "Users" ("id" SERIAL PRIMARY KEY, "email" varchar(255) NOT NULL,
  "age" bigint, "name" varchar(255) NOT NULL, "nick" varchar(255) NOT NULL DEFAULT '');
"""


def test_safety_rules_point_at_the_calls(tmp_path: Path, capsys) -> None:
    (tmp_path / "schemasense.toml").write_text(CONFIG)
    (tmp_path / "package.json").write_text('{"name": "p"}')
    (tmp_path / "schema.sql").write_text(SCHEMA)
    folder = tmp_path / "migrations"
    folder.mkdir()
    (folder / "20240101000000-create-users.js").write_text(FIRST)
    (folder / "20240201000000-tune-users.js").write_text(SECOND)
    cli.main(["check", str(tmp_path), "--format", "json"])
    findings = json.loads(capsys.readouterr().out)
    assert not [f for f in findings if f["code"] in ("DB090", "DB050", "DB051")]
    on_calls = {}
    for f in findings:
        if f["path"].endswith(".js"):
            name = Path(f["path"]).name
            line = (folder / name).read_text().splitlines()[f["range"]["start"]["line"] - 1]
            on_calls.setdefault(f["code"], []).append((name, line.strip()))
    tune = "20240201000000-tune-users.js"
    # an index on a table created in the same migration is fine; a later one is not, unless
    # `concurrently: true`
    assert on_calls["DB201"] == [(tune, "await queryInterface.addIndex('Users', ['email']);")]
    assert on_calls["DB209"] == [
        (tune, "await queryInterface.changeColumn('Users', 'age', { type: Sequelize.BIGINT });")
    ]
    assert on_calls["DB207"] == [
        (
            tune,
            "await queryInterface.addColumn('Users', 'name', "
            "{ type: Sequelize.STRING, allowNull: false });",
        )
    ]
    for f in findings:
        if f["path"].endswith(".js"):
            assert f["range"]["start"]["column"] == 11  # the call, after `await `

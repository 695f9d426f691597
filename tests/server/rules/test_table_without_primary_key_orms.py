"""DB103 on TypeORM and Sequelize models: an error where the ORM refuses the model, a warning
where it does not, and a `[severity]` in schemasense.toml still the last word.

TypeORM throws `MissingPrimaryColumnError` from `EntityMetadataValidator` when a DataSource with
an entity that has no primary column starts (TypeORM itself says so in
tests/oracle/typeorm/test_editor_fixes.py); Sequelize adds an `id` to a model that declares no
key, so only a model whose `id` is removed (`removeAttribute('id')`) has none."""

from __future__ import annotations

import contextlib
import io
import json
from pathlib import Path

from schemasense.server.cli import main

ENTITY = """import { Column, Entity } from "typeorm";

@Entity()
export class Setting {
  @Column({ length: 100, unique: true })
  key: string;

  @Column({ type: "text" })
  value: string;
}
"""
DATA_SOURCE = """import { DataSource } from "typeorm";
import { Setting } from "./setting";
export const ds = new DataSource({ type: "postgres", entities: [Setting] });
"""
MODELS = """const { DataTypes } = require("sequelize");
module.exports = (sequelize) => {
  const Setting = sequelize.define("Setting", {
    key: { type: DataTypes.STRING(100), unique: true },
  });
  const Pair = sequelize.define("Pair", { a: DataTypes.INTEGER });
  Pair.removeAttribute("id");
  return Setting;
};
"""


def _check(project: Path) -> list[dict]:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        main(["check", str(project), "--format", "json"])
    return [f for f in json.loads(out.getvalue()) if f["code"] == "DB103"]


def _typeorm(tmp_path: Path, config: str = "") -> Path:
    (tmp_path / "src").mkdir(parents=True)
    (tmp_path / "package.json").write_text('{"dependencies": {"typeorm": "^0.3.20", "pg": "^8"}}')
    (tmp_path / "src" / "data-source.ts").write_text(DATA_SOURCE)
    (tmp_path / "src" / "setting.ts").write_text(ENTITY)
    if config:
        (tmp_path / "schemasense.toml").write_text(config)
    return tmp_path


def test_an_entity_without_a_primary_column_is_an_error_with_its_fix(tmp_path: Path):
    (finding,) = _check(_typeorm(tmp_path))
    assert finding["code"] == "DB103"
    assert finding["severity"] == "error"
    assert finding["message"] == "Table `setting` has no primary key"
    assert "@PrimaryColumn" in finding["help"]
    assert finding["fix"]["title"] == "Make the unique key the primary key"


def test_a_configured_severity_is_the_last_word(tmp_path: Path):
    (finding,) = _check(_typeorm(tmp_path, '[severity]\n"table-without-primary-key" = "info"\n'))
    assert finding["severity"] == "info"
    assert _check(_typeorm(tmp_path / "off", '[severity]\nDB103 = "off"\n')) == []


def test_sequelize_adds_its_id_and_a_removed_id_is_a_warning(tmp_path: Path):
    (tmp_path / "models").mkdir()
    (tmp_path / "config").mkdir()
    (tmp_path / "package.json").write_text('{"dependencies": {"sequelize": "6.37.8"}}')
    (tmp_path / "config" / "config.json").write_text('{"development": {"dialect": "postgres"}}')
    (tmp_path / "models" / "setting.js").write_text(MODELS)
    (finding,) = _check(tmp_path)
    assert (finding["message"], finding["severity"]) == (
        "Table `Pairs` has no primary key",
        "warning",
    )

"""A Sequelize model set is read in database form (the SQL `sync()` writes, replayed), so drift
compares it as it is: the sample's models and migrations build the same tables, and a changed
type is drift on both sides, worded for model code rather than schema.prisma."""

from __future__ import annotations

import shutil
from pathlib import Path

from schemasense.server.workspace.workspace import Workspace

SAMPLE = Path(__file__).resolve().parents[4] / "samples" / "sequelize-js"


def _drift(root: Path) -> list:
    findings = Workspace([str(root)]).check_path(str(root))
    return [f for f in findings if f.code.startswith("DB3")]


def test_the_samples_models_and_migrations_agree(tmp_path: Path) -> None:
    root = tmp_path / "app"
    shutil.copytree(SAMPLE, root, ignore=shutil.ignore_patterns("node_modules"))
    assert _drift(root) == []


def test_a_changed_type_is_drift_named_in_the_model_codes_words(tmp_path: Path) -> None:
    root = tmp_path / "app"
    shutil.copytree(SAMPLE, root, ignore=shutil.ignore_patterns("node_modules"))
    tag = root / "models" / "tag.js"
    text = tag.read_text()
    assert "type: DataTypes.CHAR(7)," in text
    tag.write_text(text.replace("type: DataTypes.CHAR(7),", "type: DataTypes.STRING(7),"))
    drift = _drift(root)
    assert sorted((f.code, Path(f.span.file).name) for f in drift) == [
        ("DB305", "20250302090000-create-posts-comments-tags.js"),
        ("DB305", "tag.js"),
    ]
    on_model = next(f for f in drift if f.span.file.endswith("tag.js"))
    assert "in the model code but `character(7)` in the migrations" in on_model.message
    assert "schema.prisma" not in on_model.message + (on_model.help or "")

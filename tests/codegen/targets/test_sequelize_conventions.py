"""A generated Sequelize migration is written the way the project writes its migrations: the
extension of its last migration (`.js`, `.cjs`, `.ts`), CommonJS or `export default`, its
quote, indent and semicolons (`detect_style` on its migration files); with no migrations yet,
as `sequelize-cli migration:generate` writes them. A TypeScript one compiles with `tsc`."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from schemasense.server.workflows.generate_migration import run_cli

from tests.oracle.prisma import REPO_ROOT

SAMPLE = REPO_ROOT / "samples" / "sequelize-js"
NICKNAME = "lastSeenAt: DataTypes.DATE,\n      nickname: { type: DataTypes.STRING(40) },"


def _project(tmp_path: Path, convert=None, suffix: str = ".js") -> Path:
    project = tmp_path / "app"
    shutil.copytree(SAMPLE, project, ignore=shutil.ignore_patterns("node_modules"))
    user = project / "models" / "user.js"
    user.write_text(user.read_text().replace("lastSeenAt: DataTypes.DATE,", NICKNAME))
    for path in sorted((project / "migrations").glob("*.js")):
        text = convert(path.read_text()) if convert else path.read_text()
        path.unlink()
        path.with_suffix(suffix).write_text(text)
    return project


def _generate(project: Path) -> Path:
    before = set((project / "migrations").iterdir())
    out, err = io.StringIO(), io.StringIO()
    assert run_cli(str(project), None, out=out, err=err) == 0, err.getvalue()
    [made] = sorted(set((project / "migrations").iterdir()) - before)
    return made


def _typescript_esm(text: str) -> str:
    """The sample's migrations as a TypeScript project with Prettier's `singleQuote` and no
    semicolons writes them."""
    text = text.replace('"use strict";\n\n', "").replace("module.exports = {", "export default {")
    text = text.replace('"', "'")
    return re.sub(r";$", "", text, flags=re.M)


def test_commonjs_in_the_projects_style(tmp_path: Path) -> None:
    made = _generate(_project(tmp_path))
    text = made.read_text()
    assert made.suffix == ".js" and re.fullmatch(r"\d{14}-add-nickname-to-users\.js", made.name)
    assert text.startswith('"use strict";\n\n/** @type {import("sequelize-cli").Migration} */\n')
    assert "module.exports = {\n  async up(queryInterface, Sequelize) {\n" in text
    assert "{ type: Sequelize.STRING(40) }" in text


def test_cjs_files(tmp_path: Path) -> None:
    made = _generate(_project(tmp_path, suffix=".cjs"))
    assert made.suffix == ".cjs" and "module.exports = {" in made.read_text()


def test_typescript_es_module_single_quotes_no_semicolons(tmp_path: Path) -> None:
    project = _project(tmp_path, _typescript_esm, suffix=".ts")
    made = _generate(project)
    text = made.read_text()
    assert made.suffix == ".ts"
    assert text.startswith("import type { QueryInterface } from 'sequelize'\n")
    assert "export default {\n" in text and "module.exports" not in text
    assert "async up(queryInterface: QueryInterface, Sequelize: typeof import('sequelize'))" in text
    assert "await queryInterface.removeColumn('Users', 'nickname', { transaction })\n" in text
    assert not re.search(r";$", text, flags=re.M)
    tsc = REPO_ROOT / "node_modules" / ".bin" / "tsc"
    if not tsc.exists():
        pytest.skip("node_modules/.bin/tsc is missing (npm install at the repo root)")
    (project / "node_modules").symlink_to(REPO_ROOT / "node_modules")
    run = subprocess.run(
        [
            str(tsc), "--noEmit", "--strict", "--skipLibCheck", "--module", "nodenext",
            "--moduleResolution", "nodenext", "--target", "es2022", "--types", "node",
            str(made),
        ],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=300,
    )  # fmt: skip
    assert run.returncode == 0, run.stdout + run.stderr


def test_no_migrations_yet_is_what_sequelize_cli_writes(tmp_path: Path) -> None:
    project = _project(tmp_path)
    for path in (project / "migrations").iterdir():
        path.unlink()
    made = _generate(project)
    text = made.read_text()
    assert made.suffix == ".js"
    assert text.startswith("'use strict';\n\n/** @type {import('sequelize-cli').Migration} */\n")
    assert "await queryInterface.createTable(\n        'Users',\n        {\n" in text
    assert "createSchema" not in text

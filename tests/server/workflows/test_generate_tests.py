"""`schemasense generate tests`: the samples' committed tests are what the generator writes
(kept in sync), a second run keeps hand edits, a file that is not ours is written beside, the
CLI writes all or nothing and refuses what it cannot do with a usage error."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from schemasense.server import cli
from schemasense.server.workflows.generate_migration import GenerateError
from schemasense.server.workflows.generate_tests import prepare, settle
from schemasense.server.workspace.workspace import Workspace

REPO = Path(__file__).resolve().parents[3]
SAMPLES = REPO / "samples"

SAMPLE_UNITS = {
    "prisma-clean": "prisma/schema",
    "typeorm-nest": "src/data-source.ts",
    "typeorm-sqlite": "src/data-source.ts",
    "sequelize-js": "models/index.js",
    "sequelize-ts": "src/models",
}


@pytest.mark.parametrize("name", sorted(SAMPLE_UNITS))
def test_committed_sample_tests_are_in_sync(name):
    """Regenerate with `schemasense generate tests samples/<name>/<unit>` when this fails."""
    sample = SAMPLES / name
    prepared = prepare(Workspace([str(sample)]), str(sample / SAMPLE_UNITS[name]))
    stale = {str(Path(f.path).relative_to(REPO)): f.action for f in prepared.changed}
    assert not stale, (
        f"samples/{name}: the committed tests differ from what the generator writes: {stale}; "
        f"run `schemasense generate tests samples/{name}/{SAMPLE_UNITS[name]}`"
    )
    files = [f.path for f in prepared.files]
    assert any(p.endswith(".test.ts") for p in files)
    package = json.loads((sample / "package.json").read_text())
    assert "vitest" in package["devDependencies"]


def test_a_schema_with_errors_is_refused():
    sample = SAMPLES / "prisma-blog"
    with pytest.raises(GenerateError, match="error"):
        prepare(Workspace([str(sample)]), str(sample / "prisma" / "schema.prisma"))


def _copy(tmp_path: Path, name: str = "typeorm-nest") -> Path:
    """The sample as it was before its tests were generated (no test folder, no Vitest)."""
    dest = tmp_path / name
    shutil.copytree(SAMPLES / name, dest, ignore=shutil.ignore_patterns("test", "node_modules"))
    package = json.loads((dest / "package.json").read_text())
    for key in ("vitest", "umzug"):
        package.get("devDependencies", {}).pop(key, None)
    package.get("scripts", {}).pop("test:db", None)
    (dest / "package.json").write_text(json.dumps(package, indent=2) + "\n")
    return dest


def test_second_run_keeps_hand_edits_and_writes_beside_a_foreign_file(tmp_path, capsys):
    dest = _copy(tmp_path)
    unit = str(dest / "src" / "data-source.ts")
    assert cli.main(["generate", "tests", unit, "--model", "Post"]) == 0
    made = capsys.readouterr().out
    assert "create" in made and "post.test.ts" in made and "user.test.ts" not in made
    assert "package.json: added vitest" in made
    post = dest / "test" / "db" / "post.test.ts"
    mine = "\n// my own test\n"
    post.write_text("// my header\n" + post.read_text() + mine)
    (dest / "test" / "db" / "user.test.ts").write_text("// a hand-written file\n")

    assert cli.main(["generate", "tests", unit]) == 0
    out = capsys.readouterr().out
    assert "beside" in out and "user.generated.test.ts" in out
    assert (dest / "test" / "db" / "user.test.ts").read_text() == "// a hand-written file\n"
    assert (dest / "test" / "db" / "user.generated.test.ts").is_file()
    text = post.read_text()
    assert text.startswith("// my header\n") and text.endswith(mine)
    assert "post.test.ts" not in out, "an unchanged file is not rewritten"


def test_settle_actions(tmp_path):
    path = tmp_path / "x.ts"
    assert settle(str(path), "a").action == "create"
    region = "// head\n// schemasense:begin\nA\n// schemasense:end\n"
    path.write_text(region + "mine\n")
    same = settle(str(path), region)
    assert same.action == "unchanged"
    new = settle(str(path), region.replace("A", "B"))
    assert new.action == "update" and new.text.endswith("B\n// schemasense:end\nmine\n")


def test_dry_run_writes_nothing_and_usage_errors(tmp_path, capsys):
    dest = _copy(tmp_path, "sequelize-js")
    before = (dest / "package.json").read_text()
    assert cli.main(["generate", "tests", str(dest / "models" / "index.js"), "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "==> " in out and "umzug" in out
    assert not (dest / "test").exists()
    assert (dest / "package.json").read_text() == before
    unit = str(dest / "models" / "index.js")
    assert cli.main(["generate", "tests", unit, "--model", "Nope"]) == 2
    assert "no model named Nope" in capsys.readouterr().err
    assert cli.main(["generate", "tests", unit, "--runner", "jest", "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "jest.config.cjs (create)" in out and '"@swc/jest"' in out
    assert 'from "@jest/globals"' in out and "vitest" not in out
    assert cli.main(["generate", "tests", unit, "--out", "../outside"]) == 2
    assert "outside the project" in capsys.readouterr().err
    assert not (dest / "test").exists()


def test_notes_say_what_running_the_tests_needs(tmp_path):
    dest = _copy(tmp_path, "prisma-clean")
    package = json.loads((dest / "package.json").read_text())
    package["devDependencies"]["jest"] = "^30.0.0"
    (dest / "package.json").write_text(json.dumps(package))
    notes = " ".join(prepare(Workspace([str(dest)]), str(dest)).notes)
    assert "no migrations yet" in notes
    assert "@prisma/client ^6.8.0" in notes
    assert "through @swc/jest" in notes  # a Jest project: Jest's tests
    _package(dest, lambda package: package["devDependencies"].update(vitest="^4.1.12"))
    notes = " ".join(prepare(Workspace([str(dest)]), str(dest)).notes)
    assert "declares both Vitest and Jest" in notes


def _package(dest: Path, edit) -> None:
    package = json.loads((dest / "package.json").read_text())
    edit(package)
    (dest / "package.json").write_text(json.dumps(package))


@pytest.mark.parametrize(
    "how",
    ["devDependency", "script", "config file"],
)
def test_a_jest_project_gets_jest_tests(tmp_path, how):
    """A project that runs Jest (as a NestJS project does by default) and declares no Vitest
    gets Jest's config, imports and devDependencies; the test:db script Vitest's run wrote
    becomes Jest's."""
    dest = _copy(tmp_path, "typeorm-nest")

    def edit(package):
        if how == "devDependency":
            package["devDependencies"]["jest"] = "^30.0.0"
        if how == "script":
            package["scripts"]["test"] = "jest --passWithNoTests"

    _package(dest, edit)
    if how == "config file":
        (dest / "jest.config.js").write_text("module.exports = {};\n")
    prepared = prepare(Workspace([str(dest)]), str(dest))
    by_name = {Path(f.path).name: f for f in prepared.files}
    assert "jest.config.cjs" in by_name and "vitest.config.ts" not in by_name
    config = by_name["jest.config.cjs"].text
    assert "legacyDecorator: true" in config and "decoratorMetadata: true" in config
    assert 'from "@jest/globals"' in by_name["post.test.ts"].text
    package = json.loads(by_name["package.json"].text)
    assert package["scripts"]["test:db"] == "jest --config test/db/jest.config.cjs"
    assert {"jest", "@swc/jest", "@swc/core", "@jest/globals"} <= set(package["devDependencies"])
    assert "vitest" not in package["devDependencies"]
    assert any("@swc/jest" in n for n in prepared.notes)


def test_the_runner_asked_for_wins(tmp_path):
    dest = _copy(tmp_path, "typeorm-nest")

    def vitest_run(package):
        package["devDependencies"]["vitest"] = "^4.1.12"
        package["scripts"]["test:db"] = "vitest run --config test/db/vitest.config.ts"

    _package(dest, vitest_run)
    prepared = prepare(Workspace([str(dest)]), str(dest), runner="jest")
    package = json.loads(next(f for f in prepared.files if f.path.endswith("package.json")).text)
    # the script the Vitest run wrote is the generator's own: it now runs Jest
    assert package["scripts"]["test:db"] == "jest --config test/db/jest.config.cjs"
    assert "vitest" in package["devDependencies"]  # what is declared stays
    with pytest.raises(GenerateError):
        prepare(Workspace([str(dest)]), str(dest), runner="mocha")

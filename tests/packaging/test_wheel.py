"""The built wheel installs into a fresh virtual environment and works there.

An editable install can hide packaging mistakes (a subpackage missing from `packages`, a file
left out of the wheel, `server`/`codegen` landing as top-level names): build the wheel, install
it alone in a new venv, and run the console script on a bundled sample.
"""

from __future__ import annotations

import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SAMPLE = REPO / "samples" / "prisma-blog"


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--outdir", str(out), str(REPO)],
        check=True,
        capture_output=True,
    )
    [built] = out.glob("schemasense-*.whl")
    return built


def test_wheel_holds_only_the_schemasense_namespace(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    top = {n.split("/")[0] for n in names if not n.startswith("schemasense-")}
    assert top == {"schemasense"}
    packages = {n.rsplit("/", 1)[0] for n in names if n.endswith("/__init__.py")}
    local = {
        "schemasense/" + str(p.parent.relative_to(REPO))
        for p in REPO.glob("*/**/__init__.py")
        if p.parts[len(REPO.parts)] in ("server", "codegen")
    }
    assert local <= packages, f"left out of the wheel: {sorted(local - packages)}"


def test_wheel_holds_every_template(wheel: Path) -> None:
    """The emitters' jinja2 templates, at every depth, are package data of the wheel."""
    names = set(zipfile.ZipFile(wheel).namelist())
    templates = {
        "schemasense/" + str(p.relative_to(REPO)) for p in (REPO / "codegen").rglob("*.j2")
    }
    assert templates, "no templates found"
    assert templates <= names, f"left out of the wheel: {sorted(templates - names)}"


def test_wheel_runs_in_a_fresh_venv(wheel: Path, tmp_path: Path) -> None:
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    pip = [str(env_dir / "bin" / "python"), "-m", "pip", "install", "-q", str(wheel)]
    subprocess.run(pip, check=True, capture_output=True, timeout=600)
    exe = env_dir / "bin" / "schemasense"
    version = subprocess.run([str(exe), "--version"], capture_output=True, text=True, check=True)
    assert "0.1.0" in version.stdout
    check = subprocess.run(
        [str(exe), "check", str(SAMPLE), "--format", "json"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert check.returncode == 1, check.stderr
    assert '"code"' in check.stdout

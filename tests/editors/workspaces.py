"""Workspaces for the editor tests: a sample copied with its own `.venv/bin/schemasense`, and an
environment in which `schemasense` is not on the PATH (so the editor must find the workspace's)."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SAMPLES = REPO / "samples"


def env_without_server() -> dict[str, str]:
    """This environment without `schemasense` on the PATH, so the editor must find the server in
    the workspace (and say so when it cannot)."""
    env = dict(os.environ)
    dirs = env.get("PATH", "").split(os.pathsep)
    env["PATH"] = os.pathsep.join(d for d in dirs if d and not (Path(d) / "schemasense").exists())
    return env


def workspace_with_venv(sample: Path, target: Path) -> Path:
    """A copy of `sample` with a `.venv/bin/schemasense` that is this test run's server, so the
    editor finds it as it finds a project's own virtual environment."""
    shutil.copytree(sample, target)
    script = Path(sys.executable).parent / "schemasense"
    venv_bin = target / ".venv" / "bin"
    venv_bin.mkdir(parents=True)
    if script.exists():
        (venv_bin / "schemasense").symlink_to(script)
    else:  # an interpreter without the console script (e.g. not a venv): a wrapper
        wrapper = venv_bin / "schemasense"
        wrapper.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m schemasense.server "$@"\n')
        wrapper.chmod(0o755)
    return target

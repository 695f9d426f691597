"""Hostile project trees (robustness issue, items 4 and 7): scans follow no symbolic link twice
and none out of the project, read only regular files, and print nothing from outside the project.

Measured before: two links back into the project made `check` report the same schema many times
(one loop: 41 times), a link to `/` made it walk the disk, a FIFO named `schema.prisma` blocked it
forever, and a `schema.prisma` linked to `/proc/self/environ` printed the environment."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.prisma_project import INIT, SCHEMA

SECRET = "SCHEMASENSE_TEST_SECRET_4c1b"


def _project(root: Path) -> Path:
    prisma = root / "prisma"
    (prisma / "migrations" / "20240101000000_init").mkdir(parents=True)
    (prisma / "schema.prisma").write_text(SCHEMA.replace("email String", "email Strin"))
    (prisma / "migrations" / "20240101000000_init" / "migration.sql").write_text(INIT)
    return root


def _check(path: Path, timeout: float = 60, fmt: str = "json") -> tuple[int, list[dict], str]:
    proc = subprocess.run(
        [sys.executable, "-m", "schemasense.server", "check", str(path), "--format", fmt],
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, SECRET: "do-not-print-me"},
    )
    findings = json.loads(proc.stdout) if fmt == "json" and proc.stdout.strip() else []
    return proc.returncode, findings, proc.stdout + proc.stderr


def test_links_back_into_the_project_are_scanned_once(tmp_path: Path):
    root = _project(tmp_path / "app")
    (root / "prisma" / "loop").symlink_to(root, target_is_directory=True)
    (root / "again").symlink_to(root / "prisma", target_is_directory=True)
    status, findings, _ = _check(root)
    assert status == 1
    type_errors = [f for f in findings if f["code"] == "DB002"]
    assert len(type_errors) == 1, type_errors


def test_a_link_to_the_root_of_the_disk_is_not_followed(tmp_path: Path):
    root = _project(tmp_path / "app")
    (root / "everything").symlink_to("/", target_is_directory=True)
    status, findings, _ = _check(root, timeout=60)
    assert status == 1
    assert {Path(f["path"]).name for f in findings} <= {"schema.prisma", "migration.sql"}


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this system")
def test_a_fifo_named_like_a_schema_is_not_read(tmp_path: Path):
    root = _project(tmp_path / "app")
    os.mkfifo(root / "prisma" / "other.prisma")
    status, findings, _ = _check(root, timeout=60)
    assert status == 1
    assert [f for f in findings if f["code"] == "DB002"]


def test_a_schema_linked_out_of_the_project_is_not_printed(tmp_path: Path):
    outside = tmp_path / "outside"
    outside.mkdir()
    secret = outside / "secrets.prisma"
    secret.write_text(f"model Leak {{\n  id Int @id\n  {SECRET} Strin\n}}\n")
    root = _project(tmp_path / "app")
    (root / "prisma" / "leak.prisma").symlink_to(secret)
    if Path("/proc/self/environ").exists():
        (root / "prisma" / "env.prisma").symlink_to("/proc/self/environ")
    _, _, output = _check(root, fmt="text")  # text quotes the source lines of its findings
    assert "prisma/schema.prisma" in output, "the project's own findings are printed"
    assert SECRET not in output
    assert "do-not-print-me" not in output


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("schemasense.toml", "a = " + "[" * 3000 + "]" * 3000 + "\n"),
        ("package.json", '{"schemasense": ' + "[" * 5000 + "]" * 5000 + "}"),
    ],
)
def test_a_configuration_nested_too_deeply_is_a_finding(tmp_path: Path, name: str, text: str):
    """Measured before: "internal error: RecursionError" (exit 2) and nothing checked."""
    root = _project(tmp_path / "app")
    (root / name).write_text(text)
    status, findings, output = _check(root)
    assert status == 1, output
    assert [f for f in findings if f["code"] == "DB090" and "too deeply" in f["message"]]
    assert [f for f in findings if f["code"] == "DB002"], "the schema is still checked"

"""Budgets of a scan and of a read (robustness issue, item 4): past `[limits] max-file-mb`,
`max-folders` or `scan-seconds` the user gets one message naming the limit and the setting to
raise, and the rest of the project is checked as usual (`server/workspace/workspace.py`,
`server/project/discovery.py`; docs/configuration.md, "Limits")."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from schemasense.server.workspace.workspace import Workspace

from tests.prisma_project import INIT, SCHEMA


def _project(root: Path, limits: str = "") -> Path:
    prisma = root / "prisma"
    (prisma / "migrations" / "20240101000000_init").mkdir(parents=True)
    (prisma / "schema.prisma").write_text(SCHEMA.replace("email String", "email Strin"))
    (prisma / "migrations" / "20240101000000_init" / "migration.sql").write_text(INIT)
    if limits:
        (root / "schemasense.toml").write_text(f"[limits]\n{limits}\n")
    return root


def _check(path: Path) -> tuple[int, list[dict], str]:
    proc = subprocess.run(
        [sys.executable, "-m", "schemasense.server", "check", str(path), "--format", "json"],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "SCHEMASENSE_NO_CACHE": "1"},
    )
    return proc.returncode, json.loads(proc.stdout or "[]"), proc.stderr


def test_a_file_over_max_file_mb_is_one_message_and_the_rest_is_checked(tmp_path: Path):
    root = _project(tmp_path, "max-file-mb = 0.001")  # 1 KB: the schema fits, not the SQL
    migration = root / "prisma" / "migrations" / "20240101000000_init" / "migration.sql"
    migration.write_text(INIT + "-- padding\n" * 200)
    status, findings, stderr = _check(root)
    assert status == 1
    assert [f for f in findings if f["code"] == "DB002"], "the schema is still checked"
    notices = [line for line in stderr.splitlines() if "not read" in line]
    assert len(notices) == 1, stderr
    assert "migration.sql" in notices[0] and "max-file-mb" in notices[0]
    assert "over the limit of 0.001 MB" in notices[0]


def test_without_the_limit_the_same_file_is_read(tmp_path: Path):
    root = _project(tmp_path)
    migration = root / "prisma" / "migrations" / "20240101000000_init" / "migration.sql"
    migration.write_text(INIT + "-- padding\n" * 200)
    status, _, stderr = _check(root)
    assert status == 1
    assert "not read" not in stderr


def _many_schemas(root: Path, count: int) -> None:
    for i in range(count):
        folder = root / f"app{i:02d}" / "prisma"
        folder.mkdir(parents=True)
        (folder / "schema.prisma").write_text(SCHEMA.replace("email String", "email Strin"))


def test_a_scan_stops_at_max_folders_with_one_message(tmp_path: Path):
    _many_schemas(tmp_path, 6)
    (tmp_path / "schemasense.toml").write_text("[limits]\nmax-folders = 5\n")
    workspace = Workspace([str(tmp_path)], incremental=False)
    units = workspace.units_at(str(tmp_path))
    # the root, app00, app00/prisma, app01, app01/prisma: two schemas found, in order
    assert [Path(u.key).parent.parent.name for u in units] == ["app00", "app01"]
    assert all(workspace.analyze(u).findings for u in units), "what was found is checked"
    workspace.units_at(str(tmp_path))  # a second search below the root: the same folders
    notices = workspace.take_notices()
    assert len(notices) == 1, notices
    assert "after 5 folders" in notices[0] and "`[limits] max-folders = 5`" in notices[0]
    assert workspace.take_notices() == []


def test_without_the_limit_every_schema_is_found(tmp_path: Path):
    _many_schemas(tmp_path, 6)
    workspace = Workspace([str(tmp_path)], incremental=False)
    assert len(workspace.units_at(str(tmp_path))) == 6
    assert workspace.take_notices() == []


def test_a_scan_past_scan_seconds_stops_with_one_message(tmp_path: Path):
    _many_schemas(tmp_path, 2)
    (tmp_path / "schemasense.toml").write_text("[limits]\nscan-seconds = 1e-9\n")
    status, findings, stderr = _check(tmp_path)
    assert "scan-seconds" in stderr and "stopped searching" in stderr, stderr
    assert stderr.count("stopped searching") == 1
    assert status == 2 and not findings  # nothing found in time: said, never a silent pass


def test_a_fifo_asked_for_is_named_in_a_message(tmp_path: Path):
    """A scan lists no FIFO (tests/server/project/test_hostile_trees.py); one named by the
    editor or a CLI argument is not read, and the message says why."""
    root = _project(tmp_path)
    fifo = root / "prisma" / "other.prisma"
    os.mkfifo(fifo)
    workspace = Workspace([str(root)])
    assert workspace.text(str(fifo)) is None
    assert workspace.take_notices() == [
        f"schemasense: {fifo} not read: it is not a regular file (a FIFO, a device or a socket)"
    ]


def test_limits_are_validated_like_every_key(tmp_path: Path):
    root = _project(tmp_path, "max-file-mb = -1\nmax-folders = 0")
    status, findings, _ = _check(root)
    assert status == 1
    problems = [f["message"] for f in findings if f["code"] == "DB090"]
    assert problems and all("limits" in m for m in problems), problems
    assert [f for f in findings if f["code"] == "DB002"], "the schema is still checked"


class _FakeClock:
    """A clock one second further on at every look: the budget's tests count looks, not time."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        self.now += 1.0
        return self.now


def _analyze(root: Path, monkeypatch, limits: str | None):  # type: ignore[no-untyped-def]
    from schemasense.server.lint import engine

    if limits is not None:
        (root / "schemasense.toml").write_text(f"[limits]\n{limits}\n")
    monkeypatch.setattr(engine, "clock", _FakeClock())
    workspace = Workspace([str(root)], incremental=False)
    [unit] = workspace.units_at(str(root))
    return workspace.analyze(unit).findings


def test_an_analysis_past_analysis_seconds_is_one_finding_and_what_ran_is_kept(
    tmp_path: Path, monkeypatch
):
    root = _project(tmp_path)
    (root / "prisma" / "schema.prisma").write_text(
        SCHEMA.replace("email String", "email String\n  price Float")
    )  # DB104 (float-for-money) would be said if its rule ran
    # the first look at the budget, in the migration walk, is already past it
    findings = _analyze(root, monkeypatch, "analysis-seconds = 0.5")
    over = [f for f in findings if f.code == "DB092"]
    assert len(over) == 1, [f.code for f in findings]
    message = over[0].message
    assert "`[limits] analysis-seconds = 0.5`" in message
    assert "20240101000000_init/migration.sql" in message  # where the walk stopped
    assert "DB104" in message and "did not run" in message
    assert over[0].severity == "error"
    assert not [f for f in findings if f.code == "DB104"]
    assert over[0].span.file.endswith("schema.prisma")


def test_a_budget_passed_between_rules_keeps_the_rules_that_ran(tmp_path: Path, monkeypatch):
    root = _project(tmp_path)
    (root / "prisma" / "schema.prisma").write_text(
        SCHEMA.replace("email String", "email String\n  price Float")
    )
    everything = {f.code for f in _analyze(root, monkeypatch, None)}
    assert "DB104" in everything and "DB092" not in everything
    # a budget of a few looks: the walk and the first rules run, the rest are named
    findings = _analyze(root, monkeypatch, "analysis-seconds = 20")
    [over] = [f for f in findings if f.code == "DB092"]
    cut = over.message.split("rules (")[1].split(")")[0].split(", ")
    assert cut and "migration rules from" not in over.message
    ran = {f.code for f in findings} - {"DB092"}
    assert ran == {c for c in everything if c not in cut}, (ran, cut)


def test_check_cut_by_analysis_seconds_exits_1_with_the_finding(tmp_path: Path):
    root = _project(tmp_path, "analysis-seconds = 1e-9")
    status, findings, _ = _check(root)
    assert status == 1
    codes = [f["code"] for f in findings]
    assert codes.count("DB092") == 1 and "DB002" in codes, codes

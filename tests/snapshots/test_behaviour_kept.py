"""Behaviour kept across refactors: `check --format json`, `schema --json` and
`schema --migrated --json` for every corpus project and every sample, against a recorded snapshot.

The snapshot (`behaviour.json`) was recorded before the "one house for every ORM" redesign and
must stay equal through it; a change is either a fixed bug (named in its commit, and the snapshot
re-recorded with `UPDATE_SNAPSHOTS=1`) or a regression.

The corpus is third-party data that must not be copied into the project, so the snapshot holds
digests, not outputs: one per file's findings (with the count of each code), one per table and
enum of a schema, one for the rest of the schema. A mismatch names the file, table or enum that
changed, and the actual outputs are written to `test-artifacts/snapshots/` for a diff against a
run of the previous commit.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from tests.conftest import CORPUS, corpus_available

REPO = Path(__file__).resolve().parents[2]
SNAPSHOT = Path(__file__).with_name("behaviour.json")
ARTIFACTS = REPO / "test-artifacts" / "snapshots"

SAMPLES = sorted(p.name for p in (REPO / "samples").iterdir() if p.is_dir())
CORPUS_PROJECTS = ["calcom", "umami", "dub", "pingvin-share", "epic-stack"]


def _schemas(folder: Path) -> list[Path]:
    """The schema units under `folder` as `schema` takes them: a `schema.prisma` file, or a
    multi-file schema folder (`prisma/schema/`)."""
    found: list[Path] = []
    for path in sorted(folder.rglob("*.prisma")):
        if "node_modules" in path.parts:
            continue
        if path.parent.name == "schema":
            if path.parent not in found:
                found.append(path.parent)
        else:
            found.append(path)
    return found


def _migration_folders(folder: Path) -> list[Path]:
    """Every `migrations` folder under `folder` (what `schema --migrated` replays)."""
    return sorted(
        p for p in folder.rglob("migrations") if p.is_dir() and "node_modules" not in p.parts
    )


def _run(*args: str, cwd: Path) -> tuple[int, str]:
    env = {**os.environ, "PYTHONHASHSEED": "0"}
    proc = subprocess.run(
        [sys.executable, "-m", "schemasense.server", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    # 2: a usage error (a folder with no schema the CLI can read yet: the TypeORM sample)
    assert proc.returncode in (0, 1, 2), proc.stderr
    if proc.returncode == 2:
        return 2, ""
    return proc.returncode, proc.stdout


def _digest(value: object) -> str:
    text = json.dumps(value, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:20]


def _check_digests(stdout: str) -> dict[str, object]:
    findings = json.loads(stdout) if stdout.strip() else []
    by_file: dict[str, list] = {}
    for finding in findings:
        by_file.setdefault(finding["path"], []).append(finding)
    out: dict[str, object] = {
        f"file {path}": _digest(items) for path, items in sorted(by_file.items())
    }
    out["codes"] = dict(sorted(Counter(f["code"] for f in findings).items()))
    return out


def _schema_digests(stdout: str) -> dict[str, object]:
    if not stdout.strip():
        return {}
    model = json.loads(stdout)
    out: dict[str, object] = {}
    for table in model.pop("tables", []):
        out[f"table {table.get('db_schema')}.{table['name']}"] = _digest(table)
    for enum in model.pop("enums", []):
        out[f"enum {enum.get('db_schema')}.{enum['name']}"] = _digest(enum)
    out["rest"] = _digest(model)
    return out


def _targets() -> list[tuple[str, Path, Path]]:
    """(id, folder to check, cwd) for every sample and corpus project."""
    targets = [(f"samples/{name}", REPO / "samples" / name, REPO) for name in SAMPLES]
    if corpus_available() is None:
        targets += [(f"corpus/{name}", CORPUS / name, CORPUS) for name in CORPUS_PROJECTS]
    return targets


def _record(target_id: str, folder: Path, cwd: Path) -> dict[str, dict[str, object]]:
    rel = os.path.relpath(folder, cwd)
    outputs: dict[str, str] = {}
    record: dict[str, dict[str, object]] = {}
    status, out = _run("check", rel, "--format", "json", cwd=cwd)
    outputs["check"] = out
    record["check"] = {"exit": status, **_check_digests(out)}
    runs = [("schema", schema, ()) for schema in _schemas(folder)]
    runs += [("schema --migrated", m, ("--migrated",)) for m in _migration_folders(folder)]
    for name, path, flags in runs:
        key = f"{name} {os.path.relpath(path, folder)}"
        status, out = _run("schema", os.path.relpath(path, cwd), "--json", *flags, cwd=cwd)
        outputs[key] = out
        record[key] = {"exit": status, **_schema_digests(out)}
    artifacts = ARTIFACTS / target_id.replace("/", "__")
    artifacts.mkdir(parents=True, exist_ok=True)
    for key, out in outputs.items():
        (artifacts / (key.replace("/", "__").replace(" ", "_") + ".json")).write_text(out)
    return record


@pytest.mark.parametrize(("target_id", "folder", "cwd"), _targets(), ids=[t[0] for t in _targets()])
def test_outputs_equal_the_recorded_snapshot(target_id: str, folder: Path, cwd: Path) -> None:
    actual = _record(target_id, folder, cwd)
    recorded = json.loads(SNAPSHOT.read_text()) if SNAPSHOT.exists() else {}
    if os.environ.get("UPDATE_SNAPSHOTS") == "1":
        recorded[target_id] = actual
        SNAPSHOT.write_text(json.dumps(recorded, indent=1, sort_keys=True) + "\n")
        return
    assert target_id in recorded, f"no snapshot for {target_id}: run with UPDATE_SNAPSHOTS=1"
    expected = recorded[target_id]
    changed = []
    for output in sorted(set(expected) | set(actual)):
        want, got = expected.get(output, {}), actual.get(output, {})
        for key in sorted(set(want) | set(got)):
            if want.get(key) != got.get(key):
                changed.append(f"{output}: {key}: {want.get(key)!r} -> {got.get(key)!r}")
    assert not changed, "\n".join(changed[:40])

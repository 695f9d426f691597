"""Benchmark: drift on cal.com, cold and per keystroke.

    .venv/bin/python tests/bench/bench_drift.py [--runs 30] [--project DIR]

DIR holds `schema.prisma` and `migrations/` (cal.com's `packages/prisma` by default). Prints,
in milliseconds:

- cold: replaying the migrations, and the first drift check (every table's database form built);
- per keystroke: the drift check alone (`DriftChecker.check`) after a one-character-per-run edit
  (a new field in `Booking`, a large model with many relations; in `Attendee`, a small one; a
  comment between models), each on a freshly read and lowered schema, as the editor does it;
  beside it the read and lowering of the schema itself, which every keystroke pays anyway;
- a new migration file: re-reading the set and replaying (one file parsed) plus the drift check.

Median, p90 and min of `--runs` runs each (GC is left on, as in the server). Not collected by
pytest; no timed assertions.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from schemasense.server.drift.report import DriftChecker
from schemasense.server.migrations import read_set
from schemasense.server.migrations.replay import Replayer
from schemasense.server.sources.prisma import read_prisma_schema

CALCOM = (
    Path(
        os.environ.get(
            "SCHEMASENSE_CORPUS", Path(__file__).resolve().parents[3] / "shared" / "corpus"
        )
    )
    / "calcom"
    / "packages"
    / "prisma"
)


def ms(values: list[float]) -> str:
    values = sorted(values)
    p90 = values[min(len(values) - 1, int(len(values) * 0.9))]
    return (
        f"median {statistics.median(values) * 1000:7.2f}  p90 {p90 * 1000:7.2f}  "
        f"min {values[0] * 1000:7.2f}"
    )


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--project", default=str(CALCOM))
    args = parser.parse_args()
    project = Path(args.project)
    if not (project / "schema.prisma").is_file() or not (project / "migrations").is_dir():
        print(f"{project}: needs schema.prisma and migrations/", file=sys.stderr)
        return 2
    tmp = Path(tempfile.mkdtemp(prefix="bench-drift-"))
    try:
        shutil.copytree(project / "migrations", tmp / "migrations")
        schema_path = str(tmp / "schema.prisma")
        text = (project / "schema.prisma").read_text(encoding="utf-8")

        replayer = Replayer()
        started = time.perf_counter()
        migration_set = read_set(str(tmp / "migrations"))
        assert migration_set is not None
        result = replayer.replay(migration_set)
        replay_cold = time.perf_counter() - started

        checker = DriftChecker()
        schema = read_prisma_schema({schema_path: text}).schema
        started = time.perf_counter()
        report = checker.check(schema, result, {schema_path: text})
        drift_cold = time.perf_counter() - started
        print(f"{project.name}: {len(migration_set.files)} migrations, {len(report.items)} drift")
        print(f"cold: replay {replay_cold * 1000:.0f} ms, first drift {drift_cold * 1000:.0f} ms")

        def edits(anchor: str, line: str):
            at = text.index(anchor)
            at = text.index("\n", at) + 1
            for run in range(args.runs):
                yield text[:at] + line.format(run) + text[at:]

        cases = {
            "field in Booking": edits("model Booking {", "  benchField{} Int?\n"),
            "field in Attendee": edits("model Attendee {", "  benchField{} Int?\n"),
            "comment between models": edits("model Booking {", "// bench {}\n"),
        }
        print("per keystroke (ms):")
        for name, texts in cases.items():
            read_times, drift_times = [], []
            for edited in texts:
                started = time.perf_counter()
                schema = read_prisma_schema({schema_path: edited}).schema
                read_times.append(time.perf_counter() - started)
                started = time.perf_counter()
                checker.check(schema, result, {schema_path: edited})
                drift_times.append(time.perf_counter() - started)
            print(f"  {name:24s} drift   {ms(drift_times)}")
            print(f"  {'':24s} read+lower {ms(read_times)}")

        times = []
        schema = read_prisma_schema({schema_path: text}).schema
        for run in range(min(args.runs, 10)):
            folder = tmp / "migrations" / f"99999999999999_bench_{run}"
            folder.mkdir()
            (folder / "migration.sql").write_text(
                f'ALTER TABLE "Booking" ADD COLUMN "b{run}" INT;\n'
            )
            started = time.perf_counter()
            migration_set = read_set(str(tmp / "migrations"))
            assert migration_set is not None
            result = replayer.replay(migration_set)
            checker.check(schema, result, {schema_path: text})
            times.append(time.perf_counter() - started)
        print(f"  {'new migration file':24s} read+replay+drift {ms(times)}")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

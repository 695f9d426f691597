"""Benchmark: replaying cal.com's 471 migrations, beside Squawk linting the same files.

    .venv/bin/python tests/bench/bench_replay.py [--runs 7] [--folder PATH]

Measured in one run, on the same files:
- Squawk (`squawk-cli` from PyPI, a Rust binary that parses with its own PostgreSQL grammar)
  linting every `migration.sql`: wall time of the process, the best of N runs;
- our cold replay: a fresh `Replayer` (no cached parse, no checkpoint) reading and replaying
  every file, modules already imported, as in a running language server; best of N;
- one changed file, replayed again: the newest migration edited (the usual case in an
  editor), and one in the middle of the history (every later file is re-applied from cached
  parses); median of N;
- the same files again, unchanged (a check with nothing to do).

Prints the figures and the ratios to Squawk (below 1 is faster). Not collected by pytest
(tests/bench is excluded); no timed assertions anywhere.
"""

from __future__ import annotations

import argparse
import dataclasses
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
CALCOM = REPO.parent / "shared" / "corpus" / "calcom" / "packages" / "prisma" / "migrations"


def squawk_binary() -> str | None:
    local = Path(sys.executable).parent / "squawk"
    if local.exists():
        return str(local)
    return shutil.which("squawk")


def time_squawk(binary: str, files: list[str], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([binary, "--reporter", "json", *files], capture_output=True, check=False)
        times.append(time.perf_counter() - start)
    return min(times)


def edited(mset, index: int, n: int):
    files = list(mset.files)
    f = files[index]
    files[index] = dataclasses.replace(f, up_text=f.up_text + f"\n-- edit {n}\n")
    return dataclasses.replace(mset, files=files)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--folder", default=str(CALCOM))
    args = parser.parse_args()

    from schemasense.server.migrations import Replayer, read_set

    folder = Path(args.folder)
    if not folder.is_dir():
        print(f"skipped: {folder} is not here (the corpus is absent)")
        return 0
    mset = read_set(str(folder))
    assert mset is not None and mset.files, f"no migrations in {folder}"
    paths = [f.path for f in mset.files]
    statements = None

    # warm the imports (a running server has them) on a small set
    Replayer().replay(dataclasses.replace(mset, files=mset.files[:3]))

    cold = []
    for _ in range(args.runs):
        fresh = read_set(str(folder))
        replayer = Replayer()
        start = time.perf_counter()
        result = replayer.replay(fresh)
        cold.append(time.perf_counter() - start)
        statements = len(result.statements)
        assert not [f for f in result.findings if f.severity == "error"]

    replayer = Replayer()
    replayer.replay(mset)
    unchanged, last, middle = [], [], []
    for _ in range(args.runs):
        start = time.perf_counter()
        replayer.replay(mset)
        unchanged.append(time.perf_counter() - start)
    for n in range(args.runs):
        changed = edited(mset, len(mset.files) - 1, n)
        before = replayer.parses
        start = time.perf_counter()
        replayer.replay(changed)
        last.append(time.perf_counter() - start)
        assert replayer.parses == before + 1, "one changed file must be parsed alone"
    for n in range(args.runs):
        changed = edited(mset, len(mset.files) // 2, n)
        start = time.perf_counter()
        replayer.replay(changed)
        middle.append(time.perf_counter() - start)

    ms = 1000.0
    print(f"{len(paths)} migrations, {statements} statements ({folder})")
    binary = squawk_binary()
    squawk = time_squawk(binary, paths, args.runs) if binary else None
    rows = [
        ("replay, cold (best)", min(cold)),
        ("replay, newest file changed (median)", statistics.median(last)),
        ("replay, middle file changed (median)", statistics.median(middle)),
        ("replay, nothing changed (median)", statistics.median(unchanged)),
    ]
    if squawk is not None:
        print(f"  {'squawk lint, whole process (best)':40s} {squawk * ms:8.1f} ms")
    else:
        print("  squawk: not installed (pip install squawk-cli); no ratios")
    for label, value in rows:
        ratio = f"  {value / squawk:5.2f}x squawk" if squawk else ""
        print(f"  {label:40s} {value * ms:8.1f} ms{ratio}")
    goal_cold = squawk is not None and min(cold) <= 3 * squawk
    print(
        f"goals: cold within 3x squawk: {'yes' if goal_cold else 'no'}; "
        f"newest file changed under 20 ms: {'yes' if statistics.median(last) < 0.020 else 'no'}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Rewrite the trailing ``// expect:`` block of every Prisma fixture from the live oracle.

    .venv/bin/python -m tests.oracle.update_expectations          # rewrite the blocks
    .venv/bin/python -m tests.oracle.update_expectations --check  # exit 1 if any would change
    UPDATE_EXPECT=1 .venv/bin/pytest -m oracle tests/oracle       # same rewrite, from pytest

The oracle sees each fixture whole, block included (so does an editor); the rewrite is checked
to be a fixed point (rewriting again changes nothing).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from tests.oracle.expectations import Expectation, replace_expectations
from tests.oracle.prisma import OracleResult, oracle_available, run_oracle

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "prisma"


def fixture_paths(root: Path = FIXTURES) -> list[Path]:
    return sorted(root.glob("*/*.prisma"))


def expectations_from(result: OracleResult) -> list[Expectation]:
    """What the oracle reported, as expectations, in the block's order."""
    if result.panic is not None:
        raise RuntimeError(f"the wasm panicked: {result.panic}")
    ordered = sorted(
        result.diagnostics, key=lambda d: (d.line, d.character, d.severity, d.first_line)
    )
    return [Expectation(d.severity, d.line + 1, d.first_line.rstrip()) for d in ordered]


def compute(texts: dict[Path, str]) -> dict[Path, list[Expectation]]:
    """One oracle batch over the given fixture texts."""
    paths = list(texts)
    results = run_oracle([{p.name: texts[p]} for p in paths], ops=("lint",))
    return {p: expectations_from(r) for p, r in zip(paths, results, strict=True)}


def rewrite(paths: list[Path]) -> dict[Path, str]:
    """The new text of each fixture (the fixed point of oracle -> block)."""
    texts = {p: p.read_text(encoding="utf-8") for p in paths}
    for _ in range(3):
        found = compute(texts)
        new = {p: replace_expectations(texts[p], found[p]) for p in paths}
        if new == texts:
            return new
        texts = new
    raise RuntimeError("expectation blocks do not settle: the block changes what Prisma reports")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="report drift, write nothing")
    parser.add_argument("paths", nargs="*", type=Path, help="fixtures (default: all)")
    args = parser.parse_args(argv)
    reason = oracle_available()
    if reason is not None:
        print(f"oracle unavailable: {reason}", file=sys.stderr)
        return 2
    paths = [p.resolve() for p in args.paths] or fixture_paths()
    new = rewrite(paths)
    changed = [p for p in paths if p.read_text(encoding="utf-8") != new[p]]
    for p in changed:
        print(f"{'would update' if args.check else 'updated'} {p.relative_to(FIXTURES)}")
        if not args.check:
            p.write_text(new[p], encoding="utf-8")
    return 1 if args.check and changed else 0


if __name__ == "__main__":
    sys.exit(main())

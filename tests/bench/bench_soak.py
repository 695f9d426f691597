"""Soak: RSS while typing into cal.com's schema for a long time (robustness issue, item 5).

    .venv/bin/python tests/bench/bench_soak.py [--edits 10000]

In process, as the server does on each keystroke: one character typed (multi-byte ones among
them: emoji, CJK, accents) into a comment in the middle of the schema, then the unit analysed.
Prints RSS after the first 100 edits and at each quarter, and the growth; the goal is within
10 % of the RSS after 100 edits. Not collected by pytest; no assertions.
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
from pathlib import Path

from schemasense.server.workspace.workspace import TextChange, Workspace

CALCOM = (
    Path(__file__).resolve().parents[3] / "shared" / "corpus" / "calcom" / "packages" / "prisma"
)


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--edits", type=int, default=10_000)
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp())
    shutil.copytree(CALCOM, tmp / "prisma", ignore=shutil.ignore_patterns("node_modules"))
    schema = str(tmp / "prisma" / "schema.prisma")
    text = Path(schema).read_text()
    workspace = Workspace([str(tmp)])
    workspace.open(schema, text, 1, "prisma")
    workspace.analyze(workspace.unit_for(schema))
    lines = text.split("\n")
    line = next(i for i in range(len(lines) // 2, len(lines)) if lines[i].strip() == "}") - 1
    column = len(lines[line].encode("utf-16-le")) // 2
    workspace.change(schema, 2, [TextChange(" //", (line, column), (line, column))])
    column += 3
    typed = "a😀日é "
    marks = {100, args.edits // 4, args.edits // 2, 3 * args.edits // 4, args.edits}
    first = None
    for n in range(1, args.edits + 1):
        ch = typed[n % len(typed)]
        workspace.change(schema, n + 2, [TextChange(ch, (line, column), (line, column))])
        column += 2 if ord(ch) > 0xFFFF else 1
        if n % 200 == 0:  # a new line now and then keeps lines short, as a typist's are
            workspace.change(schema, n + 2, [TextChange("\n //", (line, column), (line, column))])
            line, column = line + 1, 3
        workspace.analyze(workspace.unit_for(schema))
        if n in marks:
            now = rss_mb()
            first = first if first is not None else now
            print(f"{n:>7} edits: {now:8.1f} MB", flush=True)
    if first:
        print(f"growth after the first 100 edits: {rss_mb() / first - 1:+.1%} (goal within 10%)")
    shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

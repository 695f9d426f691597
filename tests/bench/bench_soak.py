"""Soak: RSS while typing into one file for a long time (robustness issue, item 5).

    .venv/bin/python tests/bench/bench_soak.py [--edits 10000]
        [--project calcom|umami|cart|collective] [--migrations] [--trees] [--mark N] [--trace]
        [--no-pause]

In process, as the server does on each keystroke: one character typed (multi-byte ones among
them: emoji, CJK, accents) into a comment in the middle of the file, then the unit analysed.
The projects: cal.com's Prisma schema (default), umami's (PostgreSQL, 14 migrations),
medusa-v1's TypeORM entity `models/cart.ts` (opened in its package's root) and
opencollective-api's Sequelize model `models/Collective.ts` (139 KB, opened in the project's
root); the corpus is copied to a temporary folder first.
Prints RSS (after a full collection) and CPU ms per edit after the first 100 edits, at each
quarter and every `--mark` edits, and the growth; the goal is within 10 % of the RSS after 100
edits. `--trees` also prints the tree-sitter trees and nodes held by tracked objects (C memory
tracemalloc does not see), the live objects and pymalloc blocks; glibc's bytes in use and free
in its heap are printed always (RSS that grows while these stay flat is dead cycles' heap, not
a leak). `--trace`: the 15 largest Python allocation growths between edit 100 and the end
(tracemalloc: slow). `--no-pause`: the cyclic collector runs during an analysis too.
`--migrations` (Prisma projects): every other edit goes to the newest migration file instead
(opened in the editor too, a character typed into an SQL comment at its end), so the replay of
the migrations, its checkpoints and the drift are soaked as well as the schema's read.
Not collected by pytest; no assertions. The counted CI version is
tests/server/workspace/test_soak_memory.py.
"""

from __future__ import annotations

import argparse
import ctypes
import gc
import os
import shutil
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

from schemasense.server.workspace.workspace import TextChange, Workspace

CORPUS = Path(
    os.environ.get("SCHEMASENSE_CORPUS") or Path(__file__).resolve().parents[3] / "shared/corpus"
)
# name -> (folder copied, file typed into relative to it, language id, a comment's opening)
PROJECTS = {
    "calcom": (CORPUS / "calcom" / "packages" / "prisma", "schema.prisma", "prisma", "//"),
    "umami": (CORPUS / "umami" / "db" / "postgresql", "schema.prisma", "prisma", "//"),
    "cart": (
        CORPUS / "typeorm" / "medusa-v1" / "packages" / "medusa",
        "src/models/cart.ts",
        "typescript",
        "//",
    ),
    "collective": (
        CORPUS / "sequelize" / "opencollective-api",
        "server/models/Collective.ts",
        "typescript",
        "//",
    ),
}


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def live_trees() -> str:
    """tree-sitter `Tree`s held by a Python object the collector tracks, and `Node`s so held
    (each keeps its tree alive): their memory is C memory, which tracemalloc does not see.
    Trees and nodes are not tracked themselves, so they are found as referents."""
    from tree_sitter import Node, Tree

    trees: set[int] = set()
    nodes = 0
    for o in gc.get_objects():
        for r in gc.get_referents(o):
            if type(r) is Tree:
                trees.add(id(r))
            elif type(r) is Node:
                nodes += 1
    return f"{len(trees):>6} trees {nodes:>8} nodes"


class _MallInfo2(ctypes.Structure):
    _fields_ = [
        (name, ctypes.c_size_t)
        for name in (
            "arena",
            "ordblks",
            "smblks",
            "hblks",
            "hblkhd",
            "usmblks",
            "fsmblks",
            "uordblks",
            "fordblks",
            "keepcost",
        )
    ]


def malloc_mb() -> str:
    """glibc's own view: bytes in use, free inside its heap (held, not returned: RSS that is
    not a leak) and in mmapped blocks; '' where mallinfo2 is not there (not glibc)."""
    try:
        libc = ctypes.CDLL(None)
        libc.mallinfo2.restype = _MallInfo2
        info = libc.mallinfo2()
    except (OSError, AttributeError):
        return ""
    mb = 1024 * 1024
    return (
        f"  malloc: {info.uordblks / mb:6.1f} in use, {info.fordblks / mb:6.1f} free in heap,"
        f" {info.hblkhd / mb:6.1f} mmapped"
    )


class Migration:
    """The migration file typed into: its path and where the next character goes."""

    def __init__(self, path: str, line: int, column: int) -> None:
        self.path, self.line, self.column = path, line, column

    def type(self, workspace: Workspace, version: int, ch: str) -> None:
        if self.column > 80:  # a new comment line now and then
            at = (self.line, self.column)
            workspace.change(self.path, version, [TextChange("\n-- ", at, at)])
            self.line, self.column = self.line + 1, 3
        at = (self.line, self.column)
        workspace.change(self.path, version, [TextChange(ch, at, at)])
        self.column += 2 if ord(ch) > 0xFFFF else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--edits", type=int, default=10_000)
    parser.add_argument("--project", choices=sorted(PROJECTS), default="calcom")
    parser.add_argument("--trace", action="store_true", help="tracemalloc growth, 100 -> end")
    parser.add_argument("--trees", action="store_true", help="count trees, nodes, objects")
    parser.add_argument("--mark", type=int, default=0, help="also print every N edits")
    parser.add_argument(
        "--migrations", action="store_true", help="every other edit in the newest migration"
    )
    parser.add_argument(
        "--no-pause",
        action="store_true",
        help="the cyclic collector runs during an analysis too (the workspace pauses it)",
    )
    args = parser.parse_args()
    if args.no_pause:
        import types

        from schemasense.server.workspace import workspace as module

        module.gc = types.SimpleNamespace(isenabled=lambda: False, disable=lambda: None)  # type: ignore[assignment]
    folder, relative, language, comment = PROJECTS[args.project]
    tmp = Path(tempfile.mkdtemp(prefix="soak-"))
    root = tmp / folder.name
    ignore = shutil.ignore_patterns("node_modules", ".git")
    shutil.copytree(folder, root, ignore=ignore, symlinks=True)
    path = str(root / relative)
    text = Path(path).read_text()
    workspace = Workspace([str(root)])
    workspace.open(path, text, 1, language)
    workspace.analyze(workspace.unit_for(path))
    lines = text.split("\n")
    line = next(i for i in range(len(lines) // 2, len(lines)) if lines[i].strip() == "}") - 1
    column = len(lines[line].encode("utf-16-le")) // 2
    opening = f" {comment}"
    workspace.change(path, 2, [TextChange(opening, (line, column), (line, column))])
    column += len(opening)
    migration = None
    if args.migrations:
        newest = sorted(root.rglob("migrations/*/migration.sql"))[-1]
        migration_text = newest.read_text() + "\n-- "
        migration = Migration(str(newest), migration_text.count("\n"), 3)
        workspace.open(migration.path, migration_text, 1, "sql")
    typed = "a😀日é "
    marks = {100, args.edits // 4, args.edits // 2, 3 * args.edits // 4, args.edits}
    first = None
    snapshot = None
    version = 2
    cpu, since = time.process_time(), 0
    for n in range(1, args.edits + 1):
        ch = typed[n % len(typed)]
        version += 1
        if migration is not None and n % 2:
            migration.type(workspace, version, ch)
            workspace.analyze(workspace.unit_for(path))
            continue
        workspace.change(path, version, [TextChange(ch, (line, column), (line, column))])
        column += 2 if ord(ch) > 0xFFFF else 1
        if n % 200 == 0:  # a new line now and then keeps lines short, as a typist's are
            new_line = f"\n{opening}"
            version += 1
            workspace.change(path, version, [TextChange(new_line, (line, column), (line, column))])
            line, column = line + 1, len(opening)
        workspace.analyze(workspace.unit_for(path))
        if n in marks or (args.mark and n % args.mark == 0):
            gc.collect()
            now = rss_mb()
            first = first if first is not None else now
            trees = f"  {live_trees()}" if args.trees else ""
            objects = f"  {len(gc.get_objects()):>8} objects" if args.trees else ""
            objects += f"  {sys.getallocatedblocks():>8} blocks" if args.trees else ""
            per_edit = (time.process_time() - cpu) * 1000 / (n - since)
            cpu, since = time.process_time(), n
            print(
                f"{n:>7} edits: {now:8.1f} MB {per_edit:6.1f} ms CPU/edit{trees}{objects}"
                f"{malloc_mb()}",
                flush=True,
            )
            if n == 100 and args.trace:
                tracemalloc.start(12)
                snapshot = tracemalloc.take_snapshot()
    if first:
        print(f"growth after the first 100 edits: {rss_mb() / first - 1:+.1%} (goal within 10%)")
    if snapshot is not None:
        after = tracemalloc.take_snapshot()
        for stat in after.compare_to(snapshot, "traceback")[:15]:
            print(f"{stat.size_diff / 1024:+10.1f} KiB {stat.count_diff:+8d} blocks")
            for frame in stat.traceback.format()[-8:]:
                print("   ", frame)
    shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

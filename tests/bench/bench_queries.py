"""Benchmark: reading the queries of a generated 500-file Prisma project (issue 16, item 5).

    .venv/bin/python tests/bench/bench_queries.py [--files 500] [--runs 5]

A temporary project: `prisma/schema.prisma` (tests/server/queries/schema_fixture.prisma) and
FILES service files of ~70 lines, each with nine Prisma Client queries (local `where`
constants and spreads, includes, a compound unique, an OR inside `Promise.all(ids.map(...))`,
raw SQL). Timed, median / min / max of RUNS:
- cold: `schemasense queries PROJECT --json` in a new process (parse, read, judge, print);
- one file again: `read_file_queries` of one file after a change (what the editor does on a
  keystroke in a TypeScript file: that file only, the schema's read reused).

Not collected by pytest (tests/bench is excluded); no timed assertions anywhere.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SCHEMA = REPO / "tests" / "server" / "queries" / "schema_fixture.prisma"

SERVICE = """import {{ prisma }} from "../db";
export class Service{i} {{
  constructor(private readonly prisma: any) {{}}
  async list(authorId: number, q: string) {{
    const where = {{ authorId, published: true }};
    return this.prisma.post.findMany({{
      where: {{ ...where, title: {{ contains: q }} }},
      orderBy: {{ createdAt: "desc" }},
      take: 20,
      include: {{ tags: true, author: true }},
    }});
  }}
  async one(id: number) {{
    const posts = {{ where: {{ published: true }} }};
    return prisma.user.findUnique({{ where: {{ id }}, include: {{ posts }} }});
  }}
  async byEmail(email: string, tenantId: number) {{
    return prisma.user.findUnique({{ where: {{ email_tenantId: {{ email, tenantId }} }} }});
  }}
  async count(ids: number[]) {{
    const popular = {{ views: {{ gt: 10 }} }};
    return Promise.all(
      ids.map((id) => prisma.post.count({{ where: {{ OR: [{{ authorId: id }}, popular] }} }})),
    );
  }}
  async raw(id: number) {{
    return prisma.$queryRaw`SELECT * FROM posts WHERE id = ${{id}}`;
  }}
}}
"""


def make_project(root: Path, files: int) -> None:
    (root / "prisma").mkdir(parents=True)
    (root / "prisma" / "schema.prisma").write_text(SCHEMA.read_text())
    (root / "package.json").write_text("{}")
    src = root / "src"
    src.mkdir()
    padding = "\n".join(f"export const pad{j} = {j};" for j in range(40))
    for i in range(files):
        (src / f"service{i}.ts").write_text(SERVICE.format(i=i) + padding + "\n")


def timed(fn, runs: int) -> list[float]:
    out = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        out.append(time.perf_counter() - started)
    return out


def show(name: str, times: list[float]) -> None:
    print(
        f"{name}: median {statistics.median(times) * 1000:.0f} ms "
        f"(min {min(times) * 1000:.0f}, max {max(times) * 1000:.0f})"
    )


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--files", type=int, default=500)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    from schemasense.server.queries.read import project_units, read_file_queries
    from schemasense.server.workspace.workspace import Workspace

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        make_project(root, args.files)
        command = [sys.executable, "-m", "schemasense.server", "queries", str(root), "--json"]
        result = subprocess.run(command, capture_output=True, text=True, check=True)
        count = result.stdout.count('"line"')
        print(f"{args.files} files, {count} queries")
        show(
            "cold, new process",
            timed(lambda: subprocess.run(command, capture_output=True, check=True), args.runs),
        )
        workspace = Workspace([str(root)])
        units = project_units(workspace, str(root))
        path = str(root / "src" / "service0.ts")
        text = (root / "src" / "service0.ts").read_text()
        edits = iter(range(10**6))
        show(
            "one changed file again",
            timed(lambda: read_file_queries(path, text + f"// {next(edits)}\n", units), args.runs),
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

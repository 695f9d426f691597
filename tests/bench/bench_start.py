"""Benchmark: starting the language server and opening cal.com's schema, beside Prisma's server.

    .venv/bin/python tests/bench/bench_start.py [--runs 5] [--schema PATH]

Each run spawns a fresh server, answers nothing but what `bench_lsp.Client` answers, and
measures spawn -> `initialize` answered and `didOpen` -> first `publishDiagnostics` (with every
rule and drift over the migrations: the default), both as wall time and as the CPU time the
server process used (from /proc: on a shared machine the load of other processes inflates the
wall time, not the CPU time), and the peak RSS after the first diagnostics. The two servers
alternate, run after run, so a change in the machine's load hits both alike. Prints the
medians, every run's CPU figures, and the ratios (below 1 is better).

To compare two versions of schemasense, run it with `PYTHONPATH` pointing at a folder that
holds the other version as `schemasense/server` and `schemasense/codegen` (a path on
`PYTHONPATH` comes before the editable install). Not collected by pytest.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib.util
import os
import statistics
import sys
import time
from pathlib import Path

_HERE = Path(__file__).resolve().parent


def _load(name: str):
    spec = importlib.util.spec_from_file_location(name, _HERE / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


bench_lsp = _load("bench_lsp")


async def start_and_open(command: list[str], schema: Path) -> dict:
    """One run: spawn, initialize, open; the figures of `main`'s table."""
    workdir = schema.parent
    started = time.perf_counter()
    proc = await asyncio.create_subprocess_exec(
        *command,
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.DEVNULL,
        cwd=workdir,
    )
    client = bench_lsp.Client(proc, {})
    root = workdir.resolve().as_uri()
    await client.request(
        "initialize",
        {
            "processId": os.getpid(),
            "rootUri": root,
            "capabilities": {
                "textDocument": {"publishDiagnostics": {"versionSupport": True}},
                "workspace": {"configuration": True},
            },
            "workspaceFolders": [{"uri": root, "name": "bench"}],
            "initializationOptions": {},
        },
    )
    initialized = time.perf_counter()
    initialize_cpu = bench_lsp.cpu_seconds(proc.pid)
    client.notify("initialized", {})
    uri = schema.resolve().as_uri()
    opened = time.perf_counter()
    client.notify(
        "textDocument/didOpen",
        {
            "textDocument": {
                "uri": uri,
                "languageId": "prisma",
                "version": 1,
                "text": schema.read_text(encoding="utf-8"),
            }
        },
    )
    first = await client.diagnostics_for(uri, 1)
    open_cpu = bench_lsp.cpu_seconds(proc.pid) - initialize_cpu
    rss = bench_lsp.peak_rss_mb(proc.pid)
    await client.request("shutdown", {})
    client.notify("exit", {})
    try:
        await asyncio.wait_for(proc.wait(), 5)
    except TimeoutError:
        proc.kill()
    client.reader.cancel()
    return {
        "initialize_ms": (initialized - started) * 1000,
        "initialize_cpu_ms": initialize_cpu * 1000,
        "first_diagnostics_ms": (first - opened) * 1000,
        "first_diagnostics_cpu_ms": open_cpu * 1000,
        "peak_rss_mb": rss,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--schema", type=Path, default=bench_lsp.CALCOM)
    args = parser.parse_args()
    if not args.schema.is_file():
        print(f"schema not found: {args.schema}", file=sys.stderr)
        return 2
    if not bench_lsp.PRISMA_LS.is_file():
        print(f"Prisma's language server is not installed ({bench_lsp.PRISMA_LS}); run `npm ci`")
        return 2
    servers = {
        "schemasense": [sys.executable, "-m", "schemasense.server", "serve"],
        "prisma-language-server": ["node", str(bench_lsp.PRISMA_LS), "--stdio"],
    }
    runs: dict[str, list[dict]] = {name: [] for name in servers}
    for _ in range(args.runs):
        for name, command in servers.items():
            runs[name].append(asyncio.run(start_and_open(command, args.schema)))
    keys = list(runs["schemasense"][0])
    print(f"schema: {args.schema}, {args.runs} runs each, medians; load {os.getloadavg()}")
    print(f"{'':24}" + "".join(f"{k:>26}" for k in keys))
    medians = {
        name: {k: statistics.median(r[k] for r in results) for k in keys}
        for name, results in runs.items()
    }
    for name, row in medians.items():
        print(f"{name[:24]:24}" + "".join(f"{row[k]:>26.1f}" for k in keys))
    ours, theirs = medians["schemasense"], medians["prisma-language-server"]
    print(f"{'ratio':24}" + "".join(f"{ours[k] / theirs[k]:>26.2f}" for k in keys))
    for name, results in runs.items():
        for k in ("initialize_cpu_ms", "first_diagnostics_cpu_ms"):
            print(f"{name} {k}: {[round(r[k]) for r in results]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

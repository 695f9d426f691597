"""Benchmark: hover, definition and completion on cal.com, schemasense beside Prisma's server.

    .venv/bin/python tests/bench/bench_features.py [--runs 50] [--schema PATH]

Both servers get the same session from bench_lsp.py's minimal client: initialize, open the
schema, wait for the first diagnostics, a few warm-up requests, then `--runs` requests of each
kind at the same positions, one at a time (each timed from send to answer). Positions are found
in the text, not hard-coded lines:

- hover: on `@@index` of the first single-column `@@index([...])`;
- definition: on the type of the first relation field (`User` in `user User @relation(...)`);
- completion: just inside `[` of that `@@index([` (the model's fields).

Prints median / p90 / min / max milliseconds per request kind, the answer sizes, and
schemasense / Prisma ratios. Not collected by pytest; no timed assertions.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib.util
import json
import os
import re
import statistics
import sys
import time
from pathlib import Path

_HERE = Path(__file__).resolve().parent
_spec = importlib.util.spec_from_file_location("bench_lsp", _HERE / "bench_lsp.py")
assert _spec is not None and _spec.loader is not None
bench_lsp = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bench_lsp)

CALCOM = bench_lsp.CALCOM
PRISMA_LS = bench_lsp.PRISMA_LS
WARMUP = 5


def positions(text: str) -> dict[str, tuple[int, int]]:
    """(line, character) of each request, found in the text (all ASCII, so UTF-16 = chars)."""
    lines = text.split("\n")
    found: dict[str, tuple[int, int]] = {}
    for i, line in enumerate(lines):
        if "hover" not in found and re.fullmatch(r"\s*@@index\(\[\w+\]\)\s*", line):
            col = line.index("@@index")
            found["hover"] = (i, col + 3)
            found["completion"] = (i, line.index("[") + 1)
        m = re.match(r"^\s*\w+\s+(\w+)\??\s+@relation\(", line)
        if "definition" not in found and m:
            found["definition"] = (i, m.start(1) + 1)
    return found


def requests(uri: str, where: dict[str, tuple[int, int]]) -> dict[str, tuple[str, dict]]:
    def at(kind: str) -> dict:
        line, character = where[kind]
        return {"textDocument": {"uri": uri}, "position": {"line": line, "character": character}}

    return {
        "hover": ("textDocument/hover", at("hover")),
        "definition": ("textDocument/definition", at("definition")),
        "completion": ("textDocument/completion", at("completion")),
    }


def _size(answer) -> str:
    if answer is None:
        return "null"
    if isinstance(answer, dict) and "items" in answer:
        return f"{len(answer['items'])} items"
    if isinstance(answer, list):
        return f"{len(answer)} items"
    if isinstance(answer, dict) and "contents" in answer:
        contents = answer["contents"]
        value = contents.get("value", "") if isinstance(contents, dict) else str(contents)
        return f"{len(value)} chars"
    return f"{len(json.dumps(answer))} bytes"


async def measure(name: str, command: list[str], schema: Path, runs: int) -> dict:
    text = schema.read_text(encoding="utf-8")
    workdir = schema.parent
    uri = schema.resolve().as_uri()
    proc = await asyncio.create_subprocess_exec(
        *command,
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.DEVNULL,
        cwd=workdir,
    )
    client = bench_lsp.Client(proc)
    await client.request(
        "initialize",
        {
            "processId": os.getpid(),
            "rootUri": workdir.resolve().as_uri(),
            "capabilities": {
                "textDocument": {
                    "publishDiagnostics": {"versionSupport": True},
                    "hover": {"contentFormat": ["markdown", "plaintext"]},
                    "completion": {"completionItem": {"snippetSupport": True}},
                },
                "workspace": {"configuration": True},
            },
            "workspaceFolders": [{"uri": workdir.resolve().as_uri(), "name": "bench"}],
        },
    )
    client.notify("initialized", {})
    client.notify(
        "textDocument/didOpen",
        {"textDocument": {"uri": uri, "languageId": "prisma", "version": 1, "text": text}},
    )
    await client.diagnostics_for(uri, 1)
    result: dict = {"name": name}
    for kind, (method, params) in requests(uri, positions(text)).items():
        for _ in range(WARMUP):
            await client.request(method, params)
        times = []
        answer = None
        for _ in range(runs):
            sent = time.perf_counter()
            answer = await client.request(method, params)
            times.append((time.perf_counter() - sent) * 1000)
        times.sort()
        result[kind] = {
            "median": statistics.median(times),
            "p90": times[int(len(times) * 0.9) - 1],
            "min": times[0],
            "max": times[-1],
            "answer": _size(answer),
        }
    result["completion_after_edit"] = await _after_edits(client, uri, text, runs)
    await client.request("shutdown", {})
    client.notify("exit", {})
    try:
        await asyncio.wait_for(proc.wait(), 5)
    except TimeoutError:
        proc.kill()
    client.reader.cancel()
    return result


KINDS = ("hover", "definition", "completion")
EXTRA = ("completion_after_edit",)


async def _after_edits(client, uri: str, text: str, runs: int) -> dict:
    """Completion right after a one-character edit (what typing feels like): type a space at
    the end of a `@@index([...])` line, then ask for completion inside its `[`; the space is
    deleted again before the next run. Both servers re-read the schema after each edit."""
    line, character = positions(text)["completion"]
    end = len(text.split("\n")[line])
    version = 100
    times = []
    answer = None
    for n in range(runs):
        version += 1
        change = (
            {"range": _range(line, end, line, end), "text": " "}
            if n % 2 == 0
            else {"range": _range(line, end, line, end + 1), "text": ""}
        )
        client.notify(
            "textDocument/didChange",
            {"textDocument": {"uri": uri, "version": version}, "contentChanges": [change]},
        )
        sent = time.perf_counter()
        answer = await client.request(
            "textDocument/completion",
            {"textDocument": {"uri": uri}, "position": {"line": line, "character": character}},
        )
        times.append((time.perf_counter() - sent) * 1000)
        await asyncio.sleep(0.15)  # let diagnostics settle before the next keystroke
    times.sort()
    return {
        "median": statistics.median(times),
        "p90": times[int(len(times) * 0.9) - 1],
        "min": times[0],
        "max": times[-1],
        "answer": _size(answer),
    }


def _range(l1: int, c1: int, l2: int, c2: int) -> dict:
    return {"start": {"line": l1, "character": c1}, "end": {"line": l2, "character": c2}}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--schema", type=Path, default=CALCOM)
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args()
    if not args.schema.is_file():
        print(f"schema not found: {args.schema}", file=sys.stderr)
        return 2
    ours_cmd = [sys.executable, "-m", "schemasense.server", "serve"]
    results = [asyncio.run(measure("schemasense", ours_cmd, args.schema, args.runs))]
    if PRISMA_LS.is_file():
        prisma_cmd = ["node", str(PRISMA_LS), "--stdio"]
        results.append(
            asyncio.run(measure("prisma-language-server", prisma_cmd, args.schema, args.runs))
        )
    else:
        print(f"Prisma's language server is not installed ({PRISMA_LS}); run `npm ci`")
    lines = len(args.schema.read_text(encoding="utf-8").splitlines())
    print(f"schema: {args.schema} ({lines} lines), {args.runs} requests of each kind")
    print(f"{'':24}" + "".join(f"{k + ' median / p90 ms':>30}" for k in KINDS))
    for r in results:
        cells = [f"{r[k]['median']:.2f} / {r[k]['p90']:.2f} ({r[k]['answer']})" for k in KINDS]
        print(f"{r['name']:24}" + "".join(f"{c:>30}" for c in cells))
    for kind in EXTRA:
        cells = "".join(
            f"{r['name']}: {r[kind]['median']:.2f} / {r[kind]['p90']:.2f}".rjust(40)
            for r in results
        )
        print(f"{kind + ' median / p90 ms':30}{cells}")
    if len(results) == 2:
        ours, theirs = results
        ratios = [f"{ours[k]['median'] / theirs[k]['median']:.3f}" for k in KINDS]
        print(f"{'ratio ours/prisma':24}" + "".join(f"{r:>30}" for r in ratios))
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

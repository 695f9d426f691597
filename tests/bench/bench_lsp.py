"""Benchmark: schemasense's language server beside Prisma's, on cal.com's schema, in one run.

    .venv/bin/python tests/bench/bench_lsp.py [--edits 40] [--burst 1000] [--schema PATH]
        [--error] [--scale N]

Both servers are driven by the same minimal JSON-RPC client over stdio, one after the other,
on the same machine and text. Measured for each: spawn -> `initialize` answered, `didOpen` ->
first `publishDiagnostics`, a one-character edit (incremental `didChange`) -> the next
`publishDiagnostics` for that version (median, min, max of N edits, alternating insert and
delete so the text stays valid; with `--error` an `x` typed after a field type `Boolean` and
deleted again, so every other version has an error: `error_median_ms` is the median of
those edits alone), the CPU time the server process used per
edit (from /proc: the load of other processes does not count; with `--error` also that of the
error edits alone), the CPU time it used up to `initialize` answered (its start and imports)
and from then to the first diagnostics, and peak RSS (VmHWM of the
server process; for Prisma's server the node process). With `--burst N`, N more
one-character edits are sent without waiting, and `burst_settle_ms` is the time from the last
one sent to the last diagnostics published (once nothing more comes for 1.5 s): a server that
checks every intermediate version falls behind.
Prints the figures and schemasense / Prisma ratios (below 1 is better).

`--scale N` measures a synthetic schema N times cal.com's instead (`scaled_schema`): cal.com's
models and enums copied N - 1 times with new names, written to a temporary project whose
`migrations` folder links to cal.com's, so drift runs as it does on cal.com (the copies are
tables no migration creates); the edit is the same, in a model in the middle of the schema.

Not collected by pytest (tests/bench is excluded); no timed assertions anywhere.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
CORPUS = Path(os.environ.get("SCHEMASENSE_CORPUS") or REPO.parent / "shared" / "corpus")
CALCOM = CORPUS / "calcom" / "packages" / "prisma" / "schema.prisma"
PRISMA_LS = REPO / "node_modules" / "@prisma" / "language-server" / "dist" / "bin.js"


class Client:
    """Just enough of an LSP client: requests, notifications, and answering server requests."""

    def __init__(self, proc: asyncio.subprocess.Process, settings: dict | None = None) -> None:
        self.proc = proc
        self.settings = settings or {}
        self.next_id = 0
        self.pending: dict[int, asyncio.Future] = {}
        self.diagnostics: asyncio.Queue = asyncio.Queue()
        self.reader = asyncio.create_task(self._read())

    async def _read(self) -> None:
        stdout = self.proc.stdout
        assert stdout is not None
        while True:
            headers = {}
            while True:
                line = await stdout.readline()
                if not line:
                    return
                line = line.strip()
                if not line:
                    break
                key, _, value = line.decode().partition(":")
                headers[key.lower()] = value.strip()
            body = json.loads(await stdout.readexactly(int(headers["content-length"])))
            if "id" in body and "method" in body:  # a request from the server
                # settings: an empty object per item (Prisma's server reads fields off it)
                result = None
                if body["method"] == "workspace/configuration":
                    result = [self.settings for _ in body["params"].get("items", [])]
                self._send({"jsonrpc": "2.0", "id": body["id"], "result": result})
            elif "id" in body:
                future = self.pending.pop(body["id"], None)
                if future is not None:
                    future.set_result(body.get("result"))
            elif body.get("method") == "textDocument/publishDiagnostics":
                self.diagnostics.put_nowait((time.perf_counter(), body["params"]))

    def _send(self, message: dict) -> None:
        data = json.dumps(message).encode()
        assert self.proc.stdin is not None
        self.proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(data) + data)

    async def request(self, method: str, params: dict):
        self.next_id += 1
        future = asyncio.get_running_loop().create_future()
        self.pending[self.next_id] = future
        self._send({"jsonrpc": "2.0", "id": self.next_id, "method": method, "params": params})
        return await future

    def notify(self, method: str, params: dict) -> None:
        self._send({"jsonrpc": "2.0", "method": method, "params": params})

    async def diagnostics_for(self, uri: str, version: int | None) -> float:
        """Time at which diagnostics for `uri` (and `version`, when the server sends one) came."""
        while True:
            at, params = await self.diagnostics.get()
            if params["uri"] != uri:
                continue
            if version is not None and params.get("version") not in (None, version):
                continue
            return at


def peak_rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of process `pid` so far (its threads included)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return float("nan")
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _edit(n: int, line_no: int, column: int, char: str = " ") -> dict:
    """Insert `char` at (line_no, column) on even n, delete it on odd n."""
    end = column if n % 2 == 0 else column + 1
    return {
        "range": {
            "start": {"line": line_no, "character": column},
            "end": {"line": line_no, "character": end},
        },
        "text": char if n % 2 == 0 else "",
    }


def edit_place(text: str, error: bool) -> tuple[int, int, str]:
    """Where the edits go and what is typed: the end of the first `}` line in the second half
    of the schema (a space), or with `error`, just after the first field type `Boolean` there
    (an `x`: `Booleanx` is no type)."""
    lines = text.split("\n")
    half = range(len(lines) // 2, len(lines))
    if error:
        line_no = next(i for i in half if re.search(r"^\s+\w+\s+Boolean\b", lines[i]))
        return line_no, lines[line_no].index(" Boolean") + len(" Boolean"), "x"
    line_no = next(i for i in half if lines[i].strip() == "}")
    return line_no, len(lines[line_no]), " "


_BLOCK = re.compile(r"^(model|enum|view|type)\s+(\w+)\s*\{.*?^\}", re.M | re.S)
_NAMED = re.compile(r'(@relation\(|@@map\(|@map\(|map:\s*|name:\s*)"([^"]*)"')


def scaled_schema(schema: Path, times: int, folder: Path) -> Path:
    """A Prisma project in `folder` whose schema is `schema`'s, with its models, enums and views
    copied `times - 1` more times: copy k renames every block `X` to `Xk` (and every type
    reference to it), and suffixes the database names it gives (`@@map`, `@map`, `map:`,
    `name:`, relation names), so the copies are valid and distinct. The project's `migrations`
    folder is a link to `schema`'s, when it has one. Returns the new schema's path."""
    text = schema.read_text(encoding="utf-8")
    blocks = [m.group(0) for m in _BLOCK.finditer(text)]
    names = sorted({m.group(2) for m in _BLOCK.finditer(text)}, key=len, reverse=True)
    word = re.compile(r"\b(" + "|".join(map(re.escape, names)) + r")\b")
    copies = [text]
    for k in range(2, times + 1):
        for block in blocks:
            renamed = word.sub(lambda m, k=k: f"{m.group(1)}{k}", block)
            copies.append(_NAMED.sub(lambda m, k=k: f'{m.group(1)}"{m.group(2)}_{k}"', renamed))
    folder.mkdir(parents=True, exist_ok=True)
    out = folder / "schema.prisma"
    out.write_text("\n\n".join(copies) + "\n", encoding="utf-8")
    migrations = schema.parent / "migrations"
    if migrations.is_dir() and not (folder / "migrations").exists():
        (folder / "migrations").symlink_to(migrations, target_is_directory=True)
    return out


async def settle(client: Client, uri: str, quiet: float = 1.5) -> float | None:
    """The time of the last diagnostics for `uri` published before `quiet` seconds of silence."""
    last = None
    while True:
        try:
            at, params = await asyncio.wait_for(client.diagnostics.get(), quiet)
        except TimeoutError:
            return last
        if params["uri"] == uri:
            last = at


async def measure(
    name: str,
    command: list[str],
    schema: Path,
    edits: int,
    settings: dict | None = None,
    burst: int = 0,
    *,
    language_id: str = "prisma",
    root: Path | None = None,
    error: bool = False,
) -> dict:
    text = schema.read_text(encoding="utf-8")
    workdir = root or schema.parent
    uri = schema.resolve().as_uri()
    start = time.perf_counter()
    proc = await asyncio.create_subprocess_exec(
        *command,
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.DEVNULL,
        cwd=workdir,
    )
    client = Client(proc, settings)
    await client.request(
        "initialize",
        {
            "processId": os.getpid(),
            "rootUri": workdir.resolve().as_uri(),
            "capabilities": {
                "textDocument": {"publishDiagnostics": {"versionSupport": True}},
                "workspace": {"configuration": True},
            },
            "workspaceFolders": [{"uri": workdir.resolve().as_uri(), "name": "bench"}],
            "initializationOptions": settings or {},
        },
    )
    initialized = time.perf_counter()
    initialize_cpu = cpu_seconds(proc.pid)
    client.notify("initialized", {})
    opened = time.perf_counter()
    client.notify(
        "textDocument/didOpen",
        {"textDocument": {"uri": uri, "languageId": language_id, "version": 1, "text": text}},
    )
    first = await client.diagnostics_for(uri, 1)
    first_cpu = cpu_seconds(proc.pid) - initialize_cpu
    # one-character edits at the end of a line in the middle of the schema (edit_place)
    line_no, column, char = edit_place(text, error)
    latencies = []
    cpu = 0.0
    error_cpu = 0.0
    version = 1
    for n in range(edits):
        version += 1
        change = _edit(n, line_no, column, char)
        before = cpu_seconds(proc.pid)
        sent = time.perf_counter()
        client.notify(
            "textDocument/didChange",
            {"textDocument": {"uri": uri, "version": version}, "contentChanges": [change]},
        )
        at = await client.diagnostics_for(uri, version)
        latencies.append((at - sent) * 1000)
        used = cpu_seconds(proc.pid) - before
        cpu += used
        if n % 2 == 0:
            error_cpu += used
        await asyncio.sleep(0.05)  # a typist, not a flood: each edit measured on its own
    burst_settle_ms = float("nan")
    if burst:
        await settle(client, uri)
        sent = time.perf_counter()
        for n in range(burst):
            version += 1
            sent = time.perf_counter()
            client.notify(
                "textDocument/didChange",
                {
                    "textDocument": {"uri": uri, "version": version},
                    "contentChanges": [_edit(n, line_no, column, char)],
                },
            )
        last = await settle(client, uri)
        burst_settle_ms = (last - sent) * 1000 if last is not None else float("nan")
    rss = peak_rss_mb(proc.pid)
    await client.request("shutdown", {})
    client.notify("exit", {})
    try:
        await asyncio.wait_for(proc.wait(), 5)
    except TimeoutError:
        proc.kill()
    client.reader.cancel()
    return {
        "name": name,
        "initialize_ms": (initialized - start) * 1000,
        "first_diagnostics_ms": (first - opened) * 1000,
        "edit_median_ms": statistics.median(latencies),
        "edit_min_ms": min(latencies),
        "edit_max_ms": max(latencies),
        # with --error: the edits that make the error (typing the `x`), on their own
        "error_median_ms": statistics.median(latencies[::2]) if error else float("nan"),
        "cpu_per_edit_ms": cpu * 1000 / len(latencies),
        # with --error: the CPU time of the edits that make the error, on their own
        "error_cpu_ms": error_cpu * 1000 / len(latencies[::2]) if error else float("nan"),
        "initialize_cpu_ms": initialize_cpu * 1000,
        "first_diagnostics_cpu_ms": first_cpu * 1000,
        "peak_rss_mb": rss,
        "burst_settle_ms": burst_settle_ms,
        "edits": len(latencies),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--edits", type=int, default=40)
    parser.add_argument("--burst", type=int, default=0)
    parser.add_argument("--schema", type=Path, default=CALCOM)
    parser.add_argument("--error", action="store_true", help="edits that make an error")
    parser.add_argument("--scale", type=int, default=1, help="a schema N times the schema")
    args = parser.parse_args()
    if not args.schema.is_file():
        print(f"schema not found: {args.schema}", file=sys.stderr)
        return 2
    if args.scale > 1:
        folder = Path(tempfile.mkdtemp(prefix="schemasense-bench-")) / "prisma"
        args.schema = scaled_schema(args.schema, args.scale, folder)
    ours_cmd = [sys.executable, "-m", "schemasense.server", "serve"]
    # the same checks Prisma's server makes (its parser and validator), then everything
    # schemasense does on a keystroke (design rules, migration rules, drift over 471 migrations)
    prisma_scope = {"schemasense": {"select": []}}
    results = [
        asyncio.run(
            measure(
                "schemasense (Prisma's checks)",
                ours_cmd,
                args.schema,
                args.edits,
                prisma_scope,
                args.burst,
                error=args.error,
            )
        ),
        asyncio.run(
            measure(
                "schemasense (all rules, drift)",
                ours_cmd,
                args.schema,
                args.edits,
                burst=args.burst,
                error=args.error,
            )
        ),
    ]
    if PRISMA_LS.is_file():
        prisma_cmd = ["node", str(PRISMA_LS), "--stdio"]
        results.append(
            asyncio.run(
                measure(
                    "prisma-language-server",
                    prisma_cmd,
                    args.schema,
                    args.edits,
                    burst=args.burst,
                    error=args.error,
                )
            )
        )
    else:
        print(f"Prisma's language server is not installed ({PRISMA_LS}); run `npm ci`")
    keys = [
        "initialize_ms",
        "first_diagnostics_ms",
        "edit_median_ms",
        "edit_min_ms",
        "edit_max_ms",
        *(["error_median_ms"] if args.error else []),
        "cpu_per_edit_ms",
        *(["error_cpu_ms"] if args.error else []),
        "initialize_cpu_ms",
        "first_diagnostics_cpu_ms",
        "peak_rss_mb",
    ]
    if args.burst:
        keys.append("burst_settle_ms")
    print(
        f"schema: {args.schema} ({len(args.schema.read_text().splitlines())} lines), "
        f"{args.edits} edits" + (" (each other one an error)" if args.error else "")
    )
    print(f"{'':24}" + "".join(f"{k:>22}" for k in keys))
    print("(rows: " + "; ".join(r["name"] for r in results) + ")")
    for r in results:
        print(f"{r['name'][:24]:24}" + "".join(f"{r[k]:>22.1f}" for k in keys))
    if len(results) == 3:
        theirs = results[-1]
        for ours, label in ((results[0], "ratio (Prisma's checks)"), (results[1], "ratio (all)")):
            print(f"{label:24}" + "".join(f"{ours[k] / theirs[k]:>22.2f}" for k in keys))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

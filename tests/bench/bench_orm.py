"""Benchmark: a keystroke in a TypeORM entity and in a Sequelize model, beside Prisma's language
server on cal.com, in one run (there is no TypeORM or Sequelize language server to compare with).

    .venv/bin/python tests/bench/bench_orm.py [--edits 20] [--typing]

Driven with `bench_lsp.py`'s client: medusa-v1's `models/cart.ts` (86 entity files, 82
migration classes) and opencollective-api's `models/Collective.ts` (54 model files, 321
migrations), each opened in its project's root; cal.com's schema for Prisma's server. Each
server is started and opened on its own (spawn -> `initialize`, `didOpen` -> first diagnostics),
then the three are kept running and the keystrokes are interleaved: edit n goes to each server
in turn, and waits for its diagnostics, so a machine shared with other work slows all three
alike. A keystroke is a one-character edit at the end of a line in the middle of the file;
by default a space inserted then deleted (as `bench_lsp.py` does, so the text alternates
between two versions), with `--typing` a new character each time (a text never seen before).
Printed per server: the median, min and max latency (edit sent -> its diagnostics) and the
CPU time the server process used per keystroke (from /proc, so the load of other processes
does not count), and the ratios to Prisma's. The issues' goal: a keystroke in an entity or a
model below half Prisma's keystroke on cal.com. Not collected by pytest; no timed assertions.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_lsp import CALCOM, PRISMA_LS, Client, peak_rss_mb

CORPUS = Path(os.environ.get("SCHEMASENSE_CORPUS") or CALCOM.parents[3])
CALCOM = CORPUS / "calcom" / "packages" / "prisma" / "schema.prisma"
MEDUSA = CORPUS / "typeorm" / "medusa-v1" / "packages" / "medusa"
OPENCOLLECTIVE = CORPUS / "sequelize" / "opencollective-api"

CASES = [
    ("TypeORM entity (medusa cart.ts)", MEDUSA / "src" / "models" / "cart.ts", MEDUSA),
    (
        "Sequelize model (opencollective Collective.ts)",
        OPENCOLLECTIVE / "server" / "models" / "Collective.ts",
        OPENCOLLECTIVE,
    ),
]


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of process `pid` so far."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return float("nan")
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class Server:
    """One language server with one document open, edited at the end of one line."""

    def __init__(self, name: str, command: list[str], path: Path, root: Path, language: str):
        self.name, self.command, self.path, self.root = name, command, path, root
        self.language = language
        self.uri = path.resolve().as_uri()
        self.latencies: list[float] = []
        self.cpu = 0.0

    async def start(self) -> None:
        text = self.path.read_text(encoding="utf-8")
        started = time.perf_counter()
        self.proc = await asyncio.create_subprocess_exec(
            *self.command,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.DEVNULL,
            cwd=self.root,
        )
        self.client = Client(self.proc)
        root_uri = self.root.resolve().as_uri()
        await self.client.request(
            "initialize",
            {
                "processId": os.getpid(),
                "rootUri": root_uri,
                "capabilities": {
                    "textDocument": {"publishDiagnostics": {"versionSupport": True}},
                    "workspace": {"configuration": True},
                },
                "workspaceFolders": [{"uri": root_uri, "name": "bench"}],
                "initializationOptions": {},
            },
        )
        initialized = time.perf_counter()
        self.client.notify("initialized", {})
        opened = time.perf_counter()
        self.client.notify(
            "textDocument/didOpen",
            {
                "textDocument": {
                    "uri": self.uri,
                    "languageId": self.language,
                    "version": 1,
                    "text": text,
                }
            },
        )
        first = await self.client.diagnostics_for(self.uri, 1)
        self.initialize_ms = (initialized - started) * 1000
        self.first_ms = (first - opened) * 1000
        lines = text.split("\n")
        self.line = next(i for i in range(len(lines) // 2, len(lines)) if lines[i].strip() == "}")
        self.column = len(lines[self.line])
        self.version = 1

    async def keystroke(self, n: int, typing: bool) -> None:
        self.version += 1
        line, column = self.line, self.column
        if typing:  # a new character at the end of the line each time: " a", " ab", ...
            text = " " if n == 0 else "abcdefghij"[n % 10]
            change = {"range": _range(line, column, line, column), "text": text}
            self.column += 1
        elif n % 2 == 0:
            change = {"range": _range(line, column, line, column), "text": " "}
        else:
            change = {"range": _range(line, column, line, column + 1), "text": ""}
        cpu = cpu_seconds(self.proc.pid)
        sent = time.perf_counter()
        document = {"uri": self.uri, "version": self.version}
        self.client.notify(
            "textDocument/didChange", {"textDocument": document, "contentChanges": [change]}
        )
        at = await self.client.diagnostics_for(self.uri, self.version)
        self.latencies.append((at - sent) * 1000)
        self.cpu += cpu_seconds(self.proc.pid) - cpu

    async def stop(self) -> None:
        self.rss = peak_rss_mb(self.proc.pid)
        await self.client.request("shutdown", {})
        self.client.notify("exit", {})
        try:
            await asyncio.wait_for(self.proc.wait(), 5)
        except TimeoutError:
            self.proc.kill()
        self.client.reader.cancel()


def _range(l1: int, c1: int, l2: int, c2: int) -> dict:
    return {"start": {"line": l1, "character": c1}, "end": {"line": l2, "character": c2}}


async def run(edits: int, typing: bool) -> list[Server]:
    ours = [sys.executable, "-m", "schemasense.server", "serve"]
    servers = [
        Server(f"schemasense: {name}", ours, path, root, "typescript")
        for name, path, root in CASES
        if path.is_file()
    ]
    if PRISMA_LS.is_file() and CALCOM.is_file():
        prisma = ["node", str(PRISMA_LS), "--stdio"]
        servers.append(
            Server("prisma-language-server (cal.com)", prisma, CALCOM, CALCOM.parent, "prisma")
        )
    for server in servers:  # one at a time: start-up is measured alone
        await server.start()
    for n in range(edits):
        for server in servers:
            await server.keystroke(n, typing)
            await asyncio.sleep(0.05)  # a typist, not a flood
    for server in servers:
        await server.stop()
    return servers


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--edits", type=int, default=20)
    parser.add_argument("--typing", action="store_true", help="a new character each keystroke")
    args = parser.parse_args()
    servers = asyncio.run(run(args.edits, args.typing))
    kind = "typing a new character" if args.typing else "a space inserted, then deleted"
    print(f"{args.edits} keystrokes each, interleaved ({kind})")
    keys = ["initialize_ms", "first_diag_ms", "edit_median_ms", "edit_min_ms", "edit_max_ms"]
    keys += ["cpu_per_edit_ms", "peak_rss_mb"]
    rows = []
    for s in servers:
        rows.append(
            (
                s.name,
                [
                    s.initialize_ms,
                    s.first_ms,
                    statistics.median(s.latencies),
                    min(s.latencies),
                    max(s.latencies),
                    s.cpu * 1000 / len(s.latencies),
                    s.rss,
                ],
            )
        )
    print(f"{'':48}" + "".join(f"{k:>17}" for k in keys))
    for name, values in rows:
        print(f"{name[:48]:48}" + "".join(f"{v:>17.1f}" for v in values))
    if servers and servers[-1].name.startswith("prisma"):
        prisma = rows[-1][1]
        for name, values in rows[:-1]:
            print(
                f"{name}: keystroke / Prisma's on cal.com: median {values[2] / prisma[2]:.2f}, "
                f"CPU {values[5] / prisma[5]:.2f} (goal < 0.5)"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Feature-by-feature comparison with Prisma's language server, from running both on cal.com.

    .venv/bin/python tests/bench/compare_lsp.py [--schema PATH] [--out docs/lsp-comparison.md]

Both servers get the same session (bench_lsp.py's minimal client): initialize, open the
schema, then the same requests at the same places: hovers on each kind of name, definitions,
references, document and workspace symbols, code lenses, completions while typing (each a
full-text change that both servers receive, then the request, then the text put back) and
renames. Every answer is summarised (the first line of a hover, the target of a definition,
the count and first labels of a completion...) into a Markdown table, together with each
server's advertised capabilities and bench_features.py's latency medians from the same run.
Not collected by pytest.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime
import importlib.util
import json
import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path

_HERE = Path(__file__).resolve().parent


def _load(name: str):
    spec = importlib.util.spec_from_file_location(name, _HERE / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


bench_lsp = _load("bench_lsp")
bench_features = _load("bench_features")

REPO = _HERE.parents[1]


@dataclass
class Case:
    """One request: `method` at `needle` (+`delta`) in the text, after optionally replacing
    `edit[0]` by `edit[1]` (the cursor then goes to the end of `edit[1]` unless a needle is
    given)."""

    feature: str
    what: str
    method: str
    needle: str | None = None
    delta: int = 0
    edit: tuple[str, str] | None = None
    extra: dict | None = None


CASES = [
    Case("hover", "model name (`model Booking`)", "textDocument/hover", "model Booking {", 7),
    Case(
        "hover", "enum name (`enum BookingStatus`)", "textDocument/hover", "enum BookingStatus", 6
    ),
    Case(
        "hover",
        "relation type (`User?` in Booking.user)",
        "textDocument/hover",
        "  user                         User?",
        31,
    ),
    Case(
        "hover",
        "scalar field name (`Booking.uid`)",
        "textDocument/hover",
        "  uid                          String",
        3,
    ),
    Case(
        "hover",
        "scalar type (`String` of Booking.uid)",
        "textDocument/hover",
        "  uid                          String",
        32,
    ),
    Case("hover", "native type (`@db.Time`)", "textDocument/hover", "@db.Time", 2),
    Case(
        "hover",
        "`@id`",
        "textDocument/hover",
        "  id                           Int                               @id",
        68,
    ),
    Case(
        "hover",
        "`@unique`",
        "textDocument/hover",
        "  uid                          String                            @unique",
        68,
    ),
    Case("hover", "`@@unique([email])`", "textDocument/hover", "  @@unique([email])", 4),
    Case(
        "hover",
        "`@@index([userId])` (redundant with `@@id`)",
        "textDocument/hover",
        "  @@index([memberId])\n  @@index([userId])",
        26,
    ),
    Case(
        "hover",
        "`@@id([userId, eventTypeId])`",
        "textDocument/hover",
        "  @@id([userId, eventTypeId])",
        4,
    ),
    Case(
        "hover",
        "`@relation(...)`",
        "textDocument/hover",
        "@relation(fields: [userId], references: [id], onDelete: Cascade)",
        3,
    ),
    Case("hover", "`@default(ACCEPTED)` value", "textDocument/hover", "@default(ACCEPTED)", 11),
    Case("hover", "`@default(now())`", "textDocument/hover", "@default(now())", 3),
    Case(
        "definition",
        "relation type → model",
        "textDocument/definition",
        "  user                         User?",
        31,
    ),
    Case(
        "definition",
        "enum type → enum",
        "textDocument/definition",
        "  status                       BookingStatus",
        33,
    ),
    Case(
        "definition",
        "`@relation(fields: [userId])` → field",
        "textDocument/definition",
        "@relation(fields: [userId], references: [id], onDelete: Cascade)",
        20,
    ),
    Case(
        "definition",
        "`references: [id]` → field of the target",
        "textDocument/definition",
        "@relation(fields: [userId], references: [id], onDelete: Cascade)",
        41,
    ),
    Case(
        "definition",
        "`@@index([userId])` → field",
        "textDocument/definition",
        "  @@index([memberId])\n  @@index([userId])",
        33,
    ),
    Case(
        "definition",
        "`@default(ACCEPTED)` → enum value",
        "textDocument/definition",
        "@default(ACCEPTED)",
        11,
    ),
    Case(
        "references",
        "model `User`",
        "textDocument/references",
        "model User {",
        7,
        extra={"context": {"includeDeclaration": True}},
    ),
    Case(
        "references",
        "field `Booking.userId`",
        "textDocument/references",
        "  userId                       Int?",
        3,
        extra={"context": {"includeDeclaration": True}},
    ),
    Case(
        "references",
        "enum `BookingStatus`",
        "textDocument/references",
        "enum BookingStatus",
        6,
        extra={"context": {"includeDeclaration": True}},
    ),
    Case("documentSymbol", "whole file", "textDocument/documentSymbol"),
    Case("workspaceSymbol", "query `Booking`", "workspace/symbol"),
    Case("codeLens", "whole file", "textDocument/codeLens"),
    Case(
        "completion",
        "field type (`  foo |`)",
        "textDocument/completion",
        edit=(
            "  uid                          String",
            "  foo \n  uid                          String",
        ),
    ),
    Case(
        "completion",
        "`@` after a scalar type",
        "textDocument/completion",
        edit=("  userPrimaryEmail             String?", "  userPrimaryEmail             String? @"),
    ),
    Case(
        "completion",
        "`@db.` on a String",
        "textDocument/completion",
        edit=(
            "  userPrimaryEmail             String?",
            "  userPrimaryEmail             String? @db.",
        ),
    ),
    Case(
        "completion",
        "`@@` block attribute",
        "textDocument/completion",
        edit=("  @@index([memberId])", "  @@"),
    ),
    Case(
        "completion",
        "inside `@relation(`",
        "textDocument/completion",
        edit=(
            "@relation(fields: [userId], references: [id], onDelete: Cascade)\n  userId   ",
            "@relation(\n  userId   ",
        ),
    ),
    Case(
        "completion",
        "after `onDelete: `",
        "textDocument/completion",
        edit=(
            "@relation(fields: [userId], references: [id], onDelete: Cascade)\n  userId   ",
            "@relation(fields: [userId], references: [id], onDelete: \n  userId   ",
        ),
    ),
    Case(
        "completion",
        "inside `@relation(fields: [`",
        "textDocument/completion",
        edit=(
            "@relation(fields: [userId], references: [id], onDelete: Cascade)\n  userId   ",
            "@relation(fields: [\n  userId   ",
        ),
    ),
    Case(
        "completion",
        "inside `references: [`",
        "textDocument/completion",
        edit=(
            "@relation(fields: [userId], references: [id], onDelete: Cascade)\n  userId   ",
            "@relation(fields: [userId], references: [\n  userId   ",
        ),
    ),
    Case(
        "completion",
        "inside `@@index([`",
        "textDocument/completion",
        edit=("  @@index([memberId])", "  @@index(["),
    ),
    Case(
        "completion",
        "`@default(` on an enum field",
        "textDocument/completion",
        edit=("@default(ACCEPTED)", "@default("),
    ),
    Case(
        "completion",
        "`@default(` on a DateTime",
        "textDocument/completion",
        edit=(
            "  createdAt        DateTime    @default(now())",
            "  createdAt        DateTime    @default(",
        ),
    ),
    Case(
        "completion",
        "`@@index([userId], type: `",
        "textDocument/completion",
        edit=("  @@index([memberId])", "  @@index([memberId], type: "),
    ),
    Case("prepareRename", "model `Booking`", "textDocument/prepareRename", "model Booking {", 7),
    Case(
        "rename",
        "model `Booking` → `Reservation`",
        "textDocument/rename",
        "model Booking {",
        7,
        extra={"newName": "Reservation"},
    ),
    Case(
        "rename",
        "field `Booking.uid` → `publicId`",
        "textDocument/rename",
        "  uid      ",
        3,
        extra={"newName": "publicId"},
    ),
]


def _position(text: str, offset: int) -> dict:
    line = text.count("\n", 0, offset)
    return {"line": line, "character": offset - (text.rfind("\n", 0, offset) + 1)}


def _line_of(text: str, position: dict) -> str:
    return text.split("\n")[position["line"]].strip()


def summarize(case: Case, answer, text: str) -> str:
    if answer is None or answer == [] or answer == {}:
        return "—"
    if case.method == "textDocument/hover":
        contents = answer.get("contents")
        value = contents.get("value", "") if isinstance(contents, dict) else str(contents)
        first = next(
            (line for line in value.splitlines() if line.strip() and "```" not in line), ""
        )
        first = first.strip().replace("|", "\\|")
        return f"{len(value)} chars: {first[:90]}"
    if case.method == "textDocument/definition":
        targets = answer if isinstance(answer, list) else [answer]
        out = []
        for t in targets:
            rng = t.get("targetSelectionRange") or t.get("range")
            out.append(f"line {rng['start']['line'] + 1}: `{_line_of(text, rng['start'])[:50]}`")
        return "; ".join(out)
    if case.method == "textDocument/references":
        files = {r["uri"] for r in answer}
        return f"{len(answer)} locations in {len(files)} file(s)"
    if case.method == "textDocument/documentSymbol":
        children = sum(len(s.get("children") or []) for s in answer)
        return f"{len(answer)} top-level symbols, {children} children"
    if case.method == "workspace/symbol":
        return f"{len(answer)} symbols: " + ", ".join(s["name"] for s in answer[:5])
    if case.method == "textDocument/codeLens":
        titles = [(lens.get("command") or {}).get("title", "") for lens in answer]
        return f"{len(answer)} lenses, e.g. “{titles[0]}”" if titles else "—"
    if case.method == "textDocument/completion":
        items = answer.get("items", []) if isinstance(answer, dict) else answer
        labels = ", ".join(str(i["label"]) for i in items[:6])
        return f"{len(items)}: {labels}" + (" …" if len(items) > 6 else "")
    if case.method == "textDocument/prepareRename":
        if "placeholder" in answer:
            return f"placeholder `{answer['placeholder']}`"
        return "range" if "start" in answer else str(answer)[:60]
    if case.method == "textDocument/rename":
        changes = answer.get("changes") or {}
        edits = [e for file_edits in changes.values() for e in file_edits]
        if not edits and answer.get("documentChanges"):
            edits = [e for dc in answer["documentChanges"] for e in dc.get("edits", [])]
        maps = [e["newText"].strip() for e in edits if "map(" in e["newText"]]
        return f"{len(edits)} edits" + (f"; adds {', '.join(maps)}" if maps else "")
    return str(answer)[:80]


async def run_server(name: str, command: list[str], schema: Path) -> dict:
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
    init = await client.request(
        "initialize",
        {
            "processId": os.getpid(),
            "rootUri": workdir.resolve().as_uri(),
            "capabilities": {
                "textDocument": {
                    "publishDiagnostics": {"versionSupport": True},
                    "hover": {"contentFormat": ["markdown", "plaintext"]},
                    "completion": {"completionItem": {"snippetSupport": True}},
                    "documentSymbol": {"hierarchicalDocumentSymbolSupport": True},
                    "definition": {"linkSupport": True},
                    "rename": {"prepareSupport": True},
                },
                "workspace": {"configuration": True, "symbol": {}},
            },
            "workspaceFolders": [{"uri": workdir.resolve().as_uri(), "name": "compare"}],
        },
    )
    client.notify("initialized", {})
    client.notify(
        "textDocument/didOpen",
        {"textDocument": {"uri": uri, "languageId": "prisma", "version": 1, "text": text}},
    )
    await client.diagnostics_for(uri, 1)
    answers = []
    version = 1
    for case in CASES:
        current = text
        if case.edit is not None:
            old, new = case.edit
            assert old in text, old
            current = text.replace(old, new, 1)
            version += 1
            client.notify(
                "textDocument/didChange",
                {
                    "textDocument": {"uri": uri, "version": version},
                    "contentChanges": [{"text": current}],
                },
            )
            offset = text.index(old) + len(new.split("\n")[0])
        elif case.needle is not None:
            assert case.needle in text, case.needle
            offset = text.index(case.needle) + case.delta
        else:
            offset = 0
        params: dict = {"textDocument": {"uri": uri}}
        if case.method == "workspace/symbol":
            params = {"query": "Booking"}
        elif case.method not in ("textDocument/documentSymbol", "textDocument/codeLens"):
            params["position"] = _position(current, offset)
        params.update(case.extra or {})
        started = time.perf_counter()
        try:
            answer = await asyncio.wait_for(client.request(case.method, params), 10)
        except TimeoutError:
            answer = None
        elapsed = (time.perf_counter() - started) * 1000
        answers.append((summarize(case, answer, current), elapsed))
        if case.edit is not None:
            version += 1
            client.notify(
                "textDocument/didChange",
                {
                    "textDocument": {"uri": uri, "version": version},
                    "contentChanges": [{"text": text}],
                },
            )
    await client.request("shutdown", {})
    client.notify("exit", {})
    try:
        await asyncio.wait_for(proc.wait(), 5)
    except TimeoutError:
        proc.kill()
    client.reader.cancel()
    return {"name": name, "capabilities": init.get("capabilities", {}), "answers": answers}


CAPABILITIES = [
    ("hoverProvider", "hover"),
    ("definitionProvider", "definition"),
    ("referencesProvider", "references"),
    ("documentSymbolProvider", "document symbols"),
    ("workspaceSymbolProvider", "workspace symbols"),
    ("codeLensProvider", "code lens"),
    ("completionProvider", "completion"),
    ("renameProvider", "rename"),
    ("codeActionProvider", "code actions"),
    ("documentFormattingProvider", "formatting"),
    ("semanticTokensProvider", "semantic tokens"),
]


def _version() -> str:
    package = REPO / "node_modules" / "@prisma" / "language-server" / "package.json"
    try:
        return json.loads(package.read_text(encoding="utf-8")).get("version", "?")
    except (OSError, ValueError):
        return "?"


def _summary(ours: dict, theirs: dict) -> str:
    """Counts computed from the answers below, per feature: how many requests each server
    answered with something."""
    rows = []
    for feature in dict.fromkeys(c.feature for c in CASES):
        picked = [i for i, c in enumerate(CASES) if c.feature == feature]
        mine = sum(1 for i in picked if ours["answers"][i][0] != "—")
        prisma = sum(1 for i in picked if theirs["answers"][i][0] != "—")
        rows.append(f"{feature} {mine}/{prisma} of {len(picked)}")
    return (
        "Requests answered with something (schemasense/Prisma of the total), per feature: "
        + "; ".join(rows)
        + "."
    )


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def render(schema: Path, ours: dict, theirs: dict, bench: list[dict] | None) -> str:
    lines = len(schema.read_text(encoding="utf-8").splitlines())
    out = [
        "# schemasense and Prisma's language server, feature by feature",
        "",
        "Generated by `tests/bench/compare_lsp.py` from running both servers on cal.com's schema "
        f"({lines} lines) on {datetime.date.today().isoformat()}: the same session, the same "
        "requests at the same places. Prisma's server is `@prisma/language-server` "
        f"{_version()}. Each cell summarises the answer (— is null or "
        "empty); the millisecond figure is that single request's round trip.",
        "",
        "## Summary",
        "",
        _summary(ours, theirs),
        "",
        "## Advertised capabilities (in the `initialize` result)",
        "",
        "| capability | schemasense | Prisma |",
        "| --- | --- | --- |",
    ]
    for key, label in CAPABILITIES:
        mine = "yes" if ours["capabilities"].get(key) else "no"
        prisma = "yes" if theirs["capabilities"].get(key) else "no"
        out.append(f"| {label} | {mine} | {prisma} |")
    if bench:
        out += [
            "",
            "## Latency (bench_features.py, same run)",
            "",
            "Median and p90 of "
            f"{bench[0].get('runs', 50)} requests of each kind, one at a time, after warm-up, "
            "on the unchanged text; `completion_after_edit` asks right after a one-character "
            "edit, so it also waits for each server's re-read of the schema after the edit.",
            "",
            "| request | schemasense median / p90 ms | Prisma median / p90 ms |",
            "| --- | --- | --- |",
        ]
        for kind in ("hover", "definition", "completion", "completion_after_edit"):
            cells = [
                f"{r[kind]['median']:.2f} / {r[kind]['p90']:.2f} ({r[kind]['answer']})"
                for r in bench
            ]
            out.append(f"| {kind} | " + " | ".join(cells) + " |")
    out += [
        "",
        "## Answers",
        "",
        "| feature | request | schemasense | Prisma |",
        "| --- | --- | --- | --- |",
    ]
    for case, (mine, my_ms), (prisma, their_ms) in zip(
        CASES, ours["answers"], theirs["answers"], strict=True
    ):
        mine_cell = f"{_cell(mine)} ({my_ms:.1f} ms)"
        prisma_cell = f"{_cell(prisma)} ({their_ms:.1f} ms)"
        out.append(f"| {case.feature} | {case.what} | {mine_cell} | {prisma_cell} |")
    return "\n".join(out) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--schema", type=Path, default=bench_lsp.CALCOM)
    parser.add_argument("--out", type=Path, default=REPO / "docs" / "lsp-comparison.md")
    parser.add_argument("--runs", type=int, default=50)
    args = parser.parse_args()
    if not args.schema.is_file():
        print(f"schema not found: {args.schema}", file=sys.stderr)
        return 2
    if not bench_lsp.PRISMA_LS.is_file():
        print(f"Prisma's language server is not installed ({bench_lsp.PRISMA_LS})", file=sys.stderr)
        return 2
    ours_cmd = [sys.executable, "-m", "schemasense.server", "serve"]
    prisma_cmd = ["node", str(bench_lsp.PRISMA_LS), "--stdio"]
    ours = asyncio.run(run_server("schemasense", ours_cmd, args.schema))
    theirs = asyncio.run(run_server("prisma", prisma_cmd, args.schema))
    bench = [
        asyncio.run(bench_features.measure("schemasense", ours_cmd, args.schema, args.runs)),
        asyncio.run(bench_features.measure("prisma", prisma_cmd, args.schema, args.runs)),
    ]
    for b in bench:
        b["runs"] = args.runs
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(render(args.schema, ours, theirs, bench), encoding="utf-8")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Prisma's own parser and validator (``@prisma/prisma-schema-wasm``) as a test oracle.

One Node process per batch runs ``prisma_oracle.mjs`` beside this file; the wasm is loaded once
for the whole batch. Usage::

    from tests.oracle.prisma import oracle_available, run_oracle, strip_for_prisma7

    if (reason := oracle_available()) is None:
        [result] = run_oracle([{"schema.prisma": strip_for_prisma7(text)}])
        for d in result.diagnostics:
            print(d.severity, d.file, d.line + 1, d.message)

Lint offsets from the wasm are UTF-16 code units into the file they name; this module turns
them into 0-based lines and UTF-16 columns (LSP's default position encoding).
"""

from __future__ import annotations

import bisect
import json
import os
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

REPO_ROOT = Path(__file__).resolve().parents[2]
SCRIPT = Path(__file__).with_name("prisma_oracle.mjs")
WASM_PACKAGE = REPO_ROOT / "node_modules" / "@prisma" / "prisma-schema-wasm"

ALL_OPS = ("lint", "validate", "config", "datamodel")

Severity = Literal["error", "warning"]


class OracleError(RuntimeError):
    """The Node process failed (not: the schema was invalid; that is a normal result)."""


def _node() -> str | None:
    return os.environ.get("SCHEMASENSE_NODE") or shutil.which("node")


def oracle_available() -> str | None:
    """None when the oracle can run here; otherwise the reason it cannot (for pytest.skip)."""
    if _node() is None:
        return "node is not on PATH (set SCHEMASENSE_NODE to a node binary)"
    if not (WASM_PACKAGE / "package.json").is_file():
        missing = WASM_PACKAGE.relative_to(REPO_ROOT)
        return f"{missing} is missing (run `npm install` at the repo root)"
    return None


def wasm_version() -> str:
    """The version of @prisma/prisma-schema-wasm the oracle runs."""
    return json.loads((WASM_PACKAGE / "package.json").read_text())["version"]


@dataclass(frozen=True)
class OracleDiagnostic:
    """One entry of ``lint()``: what Prisma's language server shows as a diagnostic."""

    file: str
    severity: Severity
    message: str
    start: int  # UTF-16 offset into ``file``'s content, as the wasm gives it
    end: int
    line: int  # 0-based
    character: int  # 0-based, UTF-16 code units
    end_line: int
    end_character: int

    @property
    def first_line(self) -> str:
        """The message up to its first newline (the whole message, for every one seen so far)."""
        return self.message.split("\n", 1)[0]


@dataclass
class OracleResult:
    datamodel: dict[str, Any] | None  # DMMF ``datamodel``; None when the schema is invalid
    diagnostics: list[OracleDiagnostic]  # lint(): errors and warnings, oracle order
    validate_error: str | None  # validate()'s message (plain text), None when valid
    config: dict[str, Any] | None  # get_config(): {"config": {...}, "errors": [...]}
    panic: str | None = None  # the wasm panicked on this request
    raw_lint: list[dict[str, Any]] = field(default_factory=list, repr=False)

    @property
    def errors(self) -> list[OracleDiagnostic]:
        return [d for d in self.diagnostics if d.severity == "error"]

    @property
    def warnings(self) -> list[OracleDiagnostic]:
        return [d for d in self.diagnostics if d.severity == "warning"]

    @property
    def ok(self) -> bool:
        return self.panic is None and not self.errors


def utf16_line_starts(text: str) -> list[int]:
    """UTF-16 offset of the start of each line of ``text``."""
    starts = [0]
    pos16 = 0
    for ch in text:
        pos16 += 2 if ord(ch) > 0xFFFF else 1
        if ch == "\n":
            starts.append(pos16)
    return starts


def utf16_position(text: str, offset: int, starts: list[int] | None = None) -> tuple[int, int]:
    """(0-based line, UTF-16 column) of a UTF-16 ``offset`` into ``text``."""
    starts = starts if starts is not None else utf16_line_starts(text)
    line = bisect.bisect_right(starts, offset) - 1
    return line, offset - starts[line]


def _diagnostic(raw: dict[str, Any], files: dict[str, str]) -> OracleDiagnostic:
    name = raw.get("file_name") or ""
    text = files.get(name)
    if text is None and len(files) == 1:
        text = next(iter(files.values()))
    text = text or ""
    starts = utf16_line_starts(text)
    line, character = utf16_position(text, raw["start"], starts)
    end_line, end_character = utf16_position(text, raw["end"], starts)
    return OracleDiagnostic(
        file=name,
        severity="warning" if raw.get("is_warning") else "error",
        message=raw["text"],
        start=raw["start"],
        end=raw["end"],
        line=line,
        character=character,
        end_line=end_line,
        end_character=end_character,
    )


def run_oracle(
    requests: list[dict[str, str]],
    *,
    ops: tuple[str, ...] | list[str] = ALL_OPS,
    timeout: float = 600.0,
) -> list[OracleResult]:
    """Run Prisma on each request (file path -> content; several files = one schema).

    One Node process for the whole batch. ``ops`` picks what to compute: "lint", "validate",
    "config", "datamodel" (the DMMF datamodel costs the most on big schemas).
    """
    if not requests:
        return []
    reason = oracle_available()
    if reason is not None:
        raise OracleError(reason)
    payload = json.dumps([{"files": [[p, c] for p, c in req.items()]} for req in requests])
    proc = subprocess.run(
        [_node(), str(SCRIPT), "--ops", ",".join(ops)],
        input=payload.encode("utf-8"),
        capture_output=True,
        timeout=timeout,
        cwd=REPO_ROOT,
        check=False,
    )
    if proc.returncode != 0:
        raise OracleError(
            f"prisma_oracle.mjs exited with {proc.returncode}: "
            f"{proc.stderr.decode('utf-8', 'replace')[-4000:]}"
        )
    raw_results = json.loads(proc.stdout)
    if len(raw_results) != len(requests):
        raise OracleError(f"asked {len(requests)} schemas, got {len(raw_results)} answers")
    results = []
    for req, raw in zip(requests, raw_results, strict=True):
        lint = raw.get("lint") or []
        results.append(
            OracleResult(
                datamodel=raw.get("datamodel"),
                diagnostics=[_diagnostic(d, req) for d in lint],
                validate_error=raw.get("validate_error"),
                config=raw.get("config"),
                panic=raw.get("panic"),
                raw_lint=lint,
            )
        )
    return results


# --- Prisma 7 copies of Prisma 5/6 schemas ------------------------------------------------------

_BLOCK_START = re.compile(r"^[ \t]*(datasource|view)[ \t]+\w+[ \t]*\{", re.MULTILINE)
_URL_PROPERTY = re.compile(r"^[ \t]*(url|directUrl|shadowDatabaseUrl)[ \t]*=")
_ID_ATTRIBUTE = re.compile(r"@@?id(?![\w.])")


def _blank(s: str) -> str:
    """Spaces in place of ``s``, keeping newlines and the UTF-16 length (so offsets survive)."""
    return "".join(ch if ch == "\n" else " " * (2 if ord(ch) > 0xFFFF else 1) for ch in s)


def _skip_string(text: str, i: int) -> int:
    """``text[i]`` is a quote: the index just past the closing quote (or end of line)."""
    i += 1
    while i < len(text) and text[i] not in '"\n':
        i += 2 if text[i] == "\\" else 1
    return min(i + 1, len(text))


def _block_end(text: str, i: int) -> int:
    """``text[i]`` is just after a block's ``{``: the index of its closing ``}`` (or len)."""
    while i < len(text):
        ch = text[i]
        if ch == '"':
            i = _skip_string(text, i)
        elif text.startswith("//", i):
            nl = text.find("\n", i)
            i = len(text) if nl < 0 else nl
        elif ch == "}":
            return i
        else:
            i += 1
    return i


def _code_mask(text: str) -> list[bool]:
    """True for each character outside comments and string literals."""
    mask = [True] * len(text)
    i = 0
    while i < len(text):
        if text[i] == '"':
            j = _skip_string(text, i)
            mask[i:j] = [False] * (j - i)
            i = j
        elif text.startswith("//", i):
            nl = text.find("\n", i)
            j = len(text) if nl < 0 else nl
            mask[i:j] = [False] * (j - i)
            i = j
        else:
            i += 1
    return mask


def _attribute_end(text: str, i: int) -> int:
    """Just past an attribute whose name ends at ``i``: its balanced ``( ... )`` if any."""
    j = i
    while j < len(text) and text[j] in " \t":
        j += 1
    if j >= len(text) or text[j] != "(":
        return i
    depth = 0
    while j < len(text):
        ch = text[j]
        if ch == '"':
            j = _skip_string(text, j)
            continue
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
            if depth == 0:
                return j + 1
        j += 1
    return j


def _strip_view(body: str) -> str:
    mask = _code_mask(body)
    out = []
    pos = 0
    for m in _ID_ATTRIBUTE.finditer(body):
        if m.start() < pos or not mask[m.start()]:
            continue
        end = _attribute_end(body, m.end())
        out.append(body[pos : m.start()])
        out.append(_blank(body[m.start() : end]))
        pos = end
    out.append(body[pos:])
    return "".join(out)


def _strip_datasource(body: str) -> str:
    lines = body.split("\n")
    return "\n".join(_blank(line) if _URL_PROPERTY.match(line) else line for line in lines)


def strip_for_prisma7(text: str) -> str:
    """A copy of a Prisma 5/6 schema that Prisma 7 validates fully, with the same offsets.

    Blanks (with spaces, so every line, column and UTF-16 offset maps to the original) the
    ``url``, ``directUrl`` and ``shadowDatabaseUrl`` lines of datasource blocks, which Prisma 7
    rejects (P1012, "no longer supported in schema files"), and ``@id`` / ``@@id(...)`` inside
    ``view`` blocks ("Views cannot have primary keys").
    """
    mask = _code_mask(text)
    out = []
    pos = 0
    for m in _BLOCK_START.finditer(text):
        if m.start() < pos or not mask[m.start(1)]:
            continue
        body_start = m.end()
        body_end = _block_end(text, body_start)
        body = text[body_start:body_end]
        out.append(text[pos:body_start])
        out.append(_strip_datasource(body) if m.group(1) == "datasource" else _strip_view(body))
        pos = body_end
    out.append(text[pos:])
    return "".join(out)

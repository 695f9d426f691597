"""The trailing ``// expect:`` block of a Prisma fixture: parse, render, replace.

The block is the last thing in the file (format in ``tests/fixtures/prisma/README.md``)::

    // expect:
    // error 12: Error validating field `author` in model `Post`: ...
    // warning 5: Preview feature "fullTextIndex" is deprecated. ...

or, when Prisma reports nothing::

    // expect:
    // (none)

Lines are 1-based; messages are the first line of Prisma's message, right-stripped. Entries are
sorted by position (line, then column), then severity and message. The block is written by
``update_expectations.py`` from the live oracle, never by hand.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

HEADER = "// expect:"
NONE = "// (none)"
_ENTRY = re.compile(r"^// (error|warning) (\d+): (.*)$")

Severity = Literal["error", "warning"]


@dataclass(frozen=True, order=True)
class Expectation:
    severity: Severity
    line: int  # 1-based
    message: str  # first line of the message

    def render(self) -> str:
        return f"// {self.severity} {self.line}: {self.message}"


def _header_index(lines: list[str]) -> int | None:
    for i in range(len(lines) - 1, -1, -1):
        if lines[i].rstrip() == HEADER:
            return i
    return None


def split_expectations(text: str) -> tuple[str, list[Expectation] | None]:
    """(the schema above the block, the parsed block); None when the file has no block."""
    lines = text.split("\n")
    i = _header_index(lines)
    if i is None:
        return text, None
    body = "\n".join(lines[:i])
    expectations: list[Expectation] = []
    saw_none = False
    for number, raw in enumerate(lines[i + 1 :], start=i + 2):
        line = raw.rstrip()
        if not line:
            continue
        if line == NONE:
            saw_none = True
            continue
        m = _ENTRY.match(line)
        if m is None:
            raise ValueError(f"line {number}: not an expectation: {raw!r}")
        severity: Severity = "error" if m.group(1) == "error" else "warning"
        expectations.append(Expectation(severity, int(m.group(2)), m.group(3).rstrip()))
    if saw_none and expectations:
        raise ValueError("`// (none)` together with expectations")
    return body, expectations


def parse_expectations(text: str) -> list[Expectation]:
    """The expectations of a fixture, in file order. A file without a block raises ValueError."""
    _, expectations = split_expectations(text)
    if expectations is None:
        raise ValueError(f"no `{HEADER}` block")
    return expectations


def render_expectations(expectations: Iterable[Expectation]) -> str:
    """The block, header included, ending with a newline."""
    entries = [e.render() for e in expectations]
    return "\n".join([HEADER, *(entries or [NONE])]) + "\n"


def replace_expectations(text: str, expectations: Iterable[Expectation]) -> str:
    """``text`` with its trailing block replaced (or appended after one blank line)."""
    body, _ = split_expectations(text)
    body = body.rstrip("\n")
    return f"{body}\n\n{render_expectations(expectations)}"

"""Suppression comments: `schemasense-ignore` on a line, `schemasense-ignore-file` in a file.

    model Post {
      authorId Int // schemasense-ignore DB101 looked up through the author only
      // schemasense-ignore DB104: float is fine for a rating
      rating   Float
    }

    -- schemasense-ignore DB201 the table is empty when this runs
    CREATE INDEX "Post_authorId_idx" ON "Post"("authorId");

    // schemasense-ignore-file DB103

The comment is `//` in Prisma and TypeScript, `--` in SQL. Codes (or rule names, or prefixes
like `DB2`) come first, separated by commas or spaces; the rest is the reason. No code at all
ignores every code. A trailing comment covers its own line; a comment on a line of its own
covers the next line that is not blank or a comment (so several can stack). In SQL, a finding
is also covered by a comment above the statement it is in.

Read errors (what Prisma itself would refuse) cannot be suppressed; read warnings can.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field

from schemasense.server.findings import Finding
from schemasense.server.positions import LineMap

MARKER = "schemasense-ignore"

_COMMENT = re.compile(
    r"(?P<lead>//|--)[ \t]*(?P<kind>schemasense-ignore(?:-file)?)\b(?P<rest>[^\r\n]*)"
)
_CODE = re.compile(r"(?:DB\d{1,3}|[a-z][a-z0-9]*(?:-[a-z0-9]+)+)$", re.I)


@dataclass(slots=True)
class Suppression:
    """One ignore comment. `codes` empty means every code; `used` collects the codes it
    suppressed (`*` for a blanket one)."""

    file: str
    kind: str  # "line" | "file"
    codes: tuple[str, ...]
    code_spans: tuple[tuple[int, int], ...]
    reason: str
    span: tuple[int, int]
    """The whole comment, from its `//` or `--` to the end of the line."""
    line: int
    """The 0-based line it covers (for a file-level one, the line it is on)."""
    own_line: bool
    used: set[str] = field(default_factory=set)


def parse_suppressions(file: str, text: str, index: LineMap | None = None) -> list[Suppression]:
    """Every ignore comment in `text` (cheap when there is none: one substring search)."""
    if MARKER not in text:
        return []
    index = index or LineMap(text)
    found: list[Suppression] = []
    for m in _COMMENT.finditer(text):
        line, column = index.position(m.start(), "utf-32")
        line_text = index.line_text(line)
        before = line_text[:column]
        if not _outside_string(before):
            continue
        own_line = not before.strip()
        codes: list[str] = []
        code_spans: list[tuple[int, int]] = []
        rest = m.group("rest")
        offset = m.start("rest")
        pos = 0
        reason = ""
        for token in re.finditer(r"[^\s,:]+|[,:]", rest):
            word = token.group(0)
            if word == ",":
                pos = token.end()
                continue
            if word == ":" or not _CODE.match(word):
                reason = rest[token.start() :].lstrip(":").strip()
                break
            codes.append(word)
            code_spans.append((offset + token.start(), offset + token.end()))
            pos = token.end()
        else:
            reason = rest[pos:].strip()
        kind = "file" if m.group("kind").endswith("-file") else "line"
        target = line
        if kind == "line" and own_line:
            target = _next_code_line(index, line, m.group("lead"))
        found.append(
            Suppression(
                file=file,
                kind=kind,
                codes=tuple(codes),
                code_spans=tuple(code_spans),
                reason=reason,
                span=(m.start(), m.end()),
                line=target,
                own_line=own_line,
            )
        )
    return found


def _outside_string(before: str) -> bool:
    """Whether a comment marker preceded by `before` (on its line) is outside a string."""
    return before.count('"') % 2 == 0 and before.count("'") % 2 == 0


def _next_code_line(index: LineMap, line: int, lead: str) -> int:
    total = index.line_count
    nxt = line + 1
    while nxt < total:
        stripped = index.line_text(nxt).strip()
        if stripped and not stripped.startswith(lead):
            return nxt
        nxt += 1
    return line + 1


class Suppressor:
    """Applies the suppressions of a set of files to findings, and remembers what was used.

    `statement_starts[file]` are the offsets where SQL statements begin, so a comment above a
    statement covers findings anywhere in it."""

    def __init__(
        self,
        texts: dict[str, str],
        statement_starts: dict[str, Sequence[int]] | None = None,
    ) -> None:
        self.texts = texts
        self.statement_starts = statement_starts or {}
        self._by_file: dict[str, list[Suppression]] = {}
        self._indexes: dict[str, LineMap] = {}
        for path, text in texts.items():
            if MARKER in text:
                index = self._indexes[path] = LineMap(text)
                self._by_file[path] = parse_suppressions(path, text, index)

    @property
    def suppressions(self) -> list[Suppression]:
        return [s for items in self._by_file.values() for s in items]

    def suppressed(self, finding: Finding) -> bool:
        """Whether an ignore comment covers `finding` (and, if so, mark it used)."""
        items = self._by_file.get(finding.span.file)
        if not items or (finding.severity == "error" and _is_read_problem(finding.code)):
            return False
        index = self._indexes[finding.span.file]
        lines = {index.position(finding.span.start, "utf-32")[0]}
        starts = self.statement_starts.get(finding.span.file)
        if starts:
            i = bisect_right(starts, finding.span.start) - 1
            if i >= 0:
                lines.add(index.position(starts[i], "utf-32")[0])
        hit = False
        for s in items:
            if s.kind == "line" and s.line not in lines:
                continue
            matched = _matching(s, finding.code)
            if matched is not None:
                s.used.add(matched)
                hit = True
        return hit


def _is_read_problem(code: str) -> bool:
    return bool(re.fullmatch(r"DB0[0-8]\d", code))


def _matching(s: Suppression, code: str) -> str | None:
    """The entry of `s` that covers `code` (`*` for a blanket comment), else None."""
    from schemasense.server.lint.registry import resolve_code

    if not s.codes:
        return "*"
    for entry in s.codes:
        upper = entry.upper()
        if upper == code or resolve_code(entry) == code:
            return entry
        if re.fullmatch(r"DB\d{1,2}", upper) and code.startswith(upper):
            return entry
    return None

"""Offsets <-> LSP positions, in whichever position encoding the client and server agreed on.

LSP counts lines at `\\n`, `\\r\\n` and `\\r` only, and counts columns in UTF-16 code units
unless the client offered UTF-8 or UTF-32 in `general.positionEncodings` (pygls picks the
client's first supported choice). The CLI, which prints columns in characters as compilers do,
uses the same map with `"utf-32"` (one unit per code point), so a finding sits on the same line
in the terminal and in the editor, and a document with a form feed, a U+2028 or an emoji in a
comment still gets edits applied and diagnostics placed where the editor thinks they are.
(pygls's own `TextDocument` splits lines with `str.splitlines`, which also breaks at U+2028,
U+0085 and form feeds, and so applies incremental edits in the wrong place in such documents.)

Plain data: no LSP types here, positions are `(line, character)` tuples.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from itertools import accumulate
from typing import Literal

from schemasense.codegen.schema import Span

Encoding = Literal["utf-8", "utf-16", "utf-32"]

_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def _units(ch: str, encoding: Encoding) -> int:
    """Code units one character takes in `encoding`."""
    if encoding == "utf-32":
        return 1
    cp = ord(ch)
    if encoding == "utf-16":
        return 2 if cp > 0xFFFF else 1
    if cp < 0x80:
        return 1
    if cp < 0x800:
        return 2
    return 3 if cp < 0x10000 else 4


def units_of(text: str, encoding: Encoding) -> int:
    """Length of `text` in `encoding`'s code units."""
    if encoding == "utf-32" or text.isascii():
        return len(text)
    return sum(_units(ch, encoding) for ch in text)


class LineMap:
    """The lines of one text as LSP sees them, for offset <-> (line, character) both ways.

    Built for every published file on every keystroke, so it is cheap: line starts come from
    `str.split` (C speed) when the text has only `\n` and `\r\n` breaks, and from a regex
    only when it also has a lone `\r`.
    """

    __slots__ = ("_ascii", "_ends", "_starts", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        self._ascii = text.isascii()
        """An ASCII text counts one unit per character in every encoding: a column is then a
        subtraction (a keystroke places every finding of a file; most schemas are ASCII)."""
        if "\r" not in text or text.count("\r") == text.count("\r\n"):
            starts = [0]
            starts.extend(
                offset + i
                for i, offset in enumerate(accumulate(map(len, text.split("\n")[:-1])), 1)
            )
            self._ends: list[int] | None = None  # derived from the starts when needed
        else:
            starts = [0]
            ends = []
            for m in _LINE_BREAK.finditer(text):
                ends.append(m.start())
                starts.append(m.end())
            ends.append(len(text))
            self._ends = ends
        self._starts = starts

    @property
    def line_count(self) -> int:
        return len(self._starts)

    def _end(self, line: int) -> int:
        """Offset of the end of `line`'s content (before its line break)."""
        if self._ends is not None:
            return self._ends[line]
        if line + 1 >= len(self._starts):
            return len(self.text)
        end = self._starts[line + 1] - 1
        if end > self._starts[line] and self.text[end - 1] == "\r":
            end -= 1
        return end

    def line_text(self, line: int) -> str:
        """The content of `line`, without its line break."""
        return self.text[self._starts[line] : self._end(line)]

    def offset(self, line: int, character: int, encoding: Encoding = "utf-16") -> int:
        """Character offset of an LSP position, clamped to the text as the spec asks.

        A line past the end means the end of the text; a character past the end of its line
        means the end of that line (never the line break), and a position inside a surrogate
        pair or a multi-byte sequence snaps forward to the next character.
        """
        if line < 0:
            return 0
        if line >= len(self._starts):
            return len(self.text)
        start, end = self._starts[line], self._end(line)
        if character <= 0:
            return start
        segment = self.text[start:end]
        if encoding == "utf-32" or segment.isascii():
            return start + min(character, len(segment))
        units = 0
        for i, ch in enumerate(segment):
            if units >= character:
                return start + i
            units += _units(ch, encoding)
        return end

    def position(self, offset: int, encoding: Encoding = "utf-16") -> tuple[int, int]:
        """LSP (line, character) of a character offset, clamped to the text.

        An offset inside a `\r\n` pair, or on a line break, is placed at the end of its line.
        """
        offset = max(0, min(offset, len(self.text)))
        line = bisect_right(self._starts, offset) - 1
        start = self._starts[line]
        offset = min(offset, self._end(line))
        if self._ascii:
            return line, offset - start
        return line, units_of(self.text[start:offset], encoding)


def apply_edit(
    text: str,
    start: tuple[int, int],
    end: tuple[int, int],
    new_text: str,
    encoding: Encoding = "utf-16",
) -> str:
    """`text` with the LSP range `[start, end)` replaced by `new_text`.

    A reversed range is read as its two ends in order, as VS Code does. This runs once per
    keystroke, so in the common case (no lone `\r` in the text) it walks only the lines up to
    the edit instead of indexing the whole text.
    """
    start = start if start[0] >= 0 else (0, 0)
    end = end if end[0] >= 0 else (0, 0)
    if start > end:
        start, end = end, start
    if "\r" in text and text.count("\r") != text.count("\r\n"):
        lines = LineMap(text)
        a = lines.offset(*start, encoding)
        b = lines.offset(*end, encoding)
    else:
        first = _line_start_lf(text, 0, 0, start[0])
        last = _line_start_lf(text, first, start[0], end[0]) if first is not None else None
        a = _column_lf(text, first, start[1], encoding)
        b = _column_lf(text, last, end[1], encoding)
    return text[:a] + new_text + text[max(a, b) :]


def _line_start_lf(text: str, pos: int | None, line: int, target: int) -> int | None:
    """Offset where line `target` starts, scanning from `pos` (the start of line `line`), in a
    text whose line breaks are all `\n` or `\r\n`; None past the last line."""
    if pos is None:
        return None
    find = text.find
    while line < target:
        nl = find("\n", pos)
        if nl < 0:
            return None
        pos = nl + 1
        line += 1
    return pos


def _column_lf(text: str, start: int | None, character: int, encoding: Encoding) -> int:
    """Offset of `character` (in `encoding` units) on the line starting at `start`, clamped to
    the line's end (before its `\r\n`); the end of the text when `start` is None."""
    if start is None:
        return len(text)
    end = text.find("\n", start)
    if end < 0:
        end = len(text)
    elif end > start and text[end - 1] == "\r":
        end -= 1
    if character <= 0:
        return start
    segment = text[start:end]
    if encoding == "utf-32" or segment.isascii():
        return start + min(character, len(segment))
    units = 0
    for i, ch in enumerate(segment):
        if units >= character:
            return start + i
        units += _units(ch, encoding)
    return end


def column_line(text: str, span: Span, name: str) -> Span | None:
    """The line inside `span` (a CREATE TABLE) that starts with the column `name` (quoted or
    not), trimmed: where a finding about one column of a DDL table points."""
    body = text[span.start : span.end]
    pattern = re.compile(
        rf"""^[ \t(]*(?:["`\[]?){re.escape(name)}(?:["`\]]?)[ \t]+[^\n]*""",
        re.M | re.I,
    )
    for match in pattern.finditer(body):
        if match.start() == 0 and not body.lstrip().startswith("("):
            continue  # the CREATE TABLE line itself
        line = match.group(0)
        lead = len(line) - len(line.lstrip(" \t("))
        start = span.start + match.start() + lead
        end = span.start + match.end()
        stripped = text[start:end].rstrip().rstrip(",")
        return Span(file=span.file, start=start, end=start + len(stripped))
    return None

"""Offsets <-> LSP positions, in whichever position encoding the client and server agreed on.

LSP counts lines at `\\n`, `\\r\\n` and `\\r` only, and counts columns in UTF-16 code units
unless the client offered UTF-8 or UTF-32 in `general.positionEncodings` (pygls picks the
client's first supported choice). `server/text.py`'s `LineIndex` is the compiler-style view (lines
at `\\n`, columns in characters) that the CLI prints; this is the editor's view, so that a
document with a form feed, a U+2028 or an emoji in a comment still gets edits applied and
diagnostics placed where the editor thinks they are. (pygls's own `TextDocument` splits lines
with `str.splitlines`, which also breaks at U+2028, U+0085 and form feeds, and so applies
incremental edits in the wrong place in such documents.)

Plain data: no LSP types here, positions are `(line, character)` tuples.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from typing import Literal

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
    """The lines of one text as LSP sees them, for offset <-> (line, character) both ways."""

    __slots__ = ("_ends", "_starts", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        starts = [0]
        ends = []
        for m in _LINE_BREAK.finditer(text):
            ends.append(m.start())
            starts.append(m.end())
        ends.append(len(text))
        self._starts = starts
        self._ends = ends

    @property
    def line_count(self) -> int:
        return len(self._starts)

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
        start, end = self._starts[line], self._ends[line]
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

        An offset inside a `\\r\\n` pair, or on a line break, is placed at the end of its line.
        """
        offset = max(0, min(offset, len(self.text)))
        line = bisect_right(self._starts, offset) - 1
        start = self._starts[line]
        offset = min(offset, self._ends[line])
        return line, units_of(self.text[start:offset], encoding)


def apply_edit(
    text: str,
    start: tuple[int, int],
    end: tuple[int, int],
    new_text: str,
    encoding: Encoding = "utf-16",
) -> str:
    """`text` with the LSP range `[start, end)` replaced by `new_text`.

    A reversed range is read as its two ends in order, as VS Code does.
    """
    lines = LineMap(text)
    a = lines.offset(*start, encoding)
    b = lines.offset(*end, encoding)
    if b < a:
        a, b = b, a
    return text[:a] + new_text + text[b:]

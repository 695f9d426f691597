"""Offsets <-> (line, column) for a text, computed once per text.

Spans are character offsets into the text as Python holds it. The CLI prints 1-based lines and
columns counted in characters (as compilers do); `server/features/` converts the same offsets to
LSP's UTF-16 positions with `utf16_column`.
"""

from __future__ import annotations

from bisect import bisect_right


class LineIndex:
    """Line starts of a text, for offset -> (line, column) and back in O(log n)."""

    __slots__ = ("line_starts", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        starts = [0]
        find = text.find
        pos = find("\n")
        while pos != -1:
            starts.append(pos + 1)
            pos = find("\n", pos + 1)
        self.line_starts = starts

    def position(self, offset: int) -> tuple[int, int]:
        """0-based (line, character column) of `offset`, clamped to the text."""
        offset = max(0, min(offset, len(self.text)))
        line = bisect_right(self.line_starts, offset) - 1
        return line, offset - self.line_starts[line]

    def offset(self, line: int, column: int) -> int:
        """Offset of 0-based (line, character column), clamped to the text."""
        if line < 0:
            return 0
        if line >= len(self.line_starts):
            return len(self.text)
        start = self.line_starts[line]
        end = self.line_starts[line + 1] - 1 if line + 1 < len(self.line_starts) else len(self.text)
        return min(start + max(column, 0), end)

    def line_text(self, line: int) -> str:
        start = self.line_starts[line]
        end = self.line_starts[line + 1] - 1 if line + 1 < len(self.line_starts) else len(self.text)
        return self.text[start:end].rstrip("\r")

    def utf16_column(self, line: int, column: int) -> int:
        """The UTF-16 code-unit column LSP expects for a character column on `line`."""
        start = self.line_starts[line]
        segment = self.text[start : start + column]
        return column + sum(1 for ch in segment if ord(ch) > 0xFFFF)

    def from_utf16(self, line: int, utf16_column: int) -> int:
        """Offset of an LSP (line, UTF-16 column) position."""
        if line >= len(self.line_starts):
            return len(self.text)
        start = self.line_starts[line]
        units = 0
        offset = start
        text = self.text
        while units < utf16_column and offset < len(text) and text[offset] != "\n":
            units += 2 if ord(text[offset]) > 0xFFFF else 1
            offset += 1
        return offset

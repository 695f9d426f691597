"""LSP positions: LSP's own line breaks, and columns in UTF-16 / UTF-8 / UTF-32 code units."""

from __future__ import annotations

import pytest
from schemasense.server.positions import LineMap, apply_edit

TEXT = "// 😀 émoji\r\nmodel A {\rid Int\n}\u2028x\n"


def test_lines_break_at_lsp_line_breaks_only():
    lines = LineMap(TEXT)
    # \r\n, \r and \n break lines; U+2028 does not.
    assert lines.line_count == 5
    assert lines.position(TEXT.index("model")) == (1, 0)
    assert lines.position(TEXT.index("id")) == (2, 0)
    assert lines.position(TEXT.index("x")) == (3, 2)


@pytest.mark.parametrize(("encoding", "column"), [("utf-16", 6), ("utf-8", 8), ("utf-32", 5)])
def test_columns_in_each_encoding(encoding, column):
    lines = LineMap(TEXT)
    offset = TEXT.index("émoji")
    assert lines.position(offset, encoding) == (0, column)
    assert lines.offset(0, column, encoding) == offset


def test_positions_are_clamped():
    lines = LineMap(TEXT)
    assert lines.offset(0, 999) == TEXT.index("\r\n")  # end of line, not past the break
    assert lines.offset(99, 0) == len(TEXT)
    assert lines.offset(-1, 0) == 0
    assert lines.position(TEXT.index("\r\n") + 1) == (0, 11)  # inside \r\n: end of line
    # Inside a surrogate pair: snap to the next character.
    assert lines.offset(0, 4) == TEXT.index("😀") + 1


def test_apply_edit_after_an_emoji_and_on_a_line_after_u2028():
    text = "// 😀x\nmodel A {}\u2028// b\nmodel B {}\n"
    assert apply_edit(text, (0, 5), (0, 6), "y") == "// 😀y\nmodel A {}\u2028// b\nmodel B {}\n"
    # pygls's TextDocument would count U+2028 as a line break here and edit the wrong line.
    assert apply_edit(text, (2, 6), (2, 7), "C") == "// 😀x\nmodel A {}\u2028// b\nmodel C {}\n"


def test_apply_edit_at_the_very_end_and_with_a_reversed_range():
    assert apply_edit("a\n", (1, 0), (1, 0), "b") == "a\nb"
    assert apply_edit("abc", (0, 2), (0, 1), "") == "ac"

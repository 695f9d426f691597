"""Diagnostics on cal.com's schema as the user types: clean, broken, fixed, and a fast burst.

The expected diagnostics are what Prisma itself reports for the same mistakes (checked against
`@prisma/prisma-schema-wasm`): the message, the code family and the line.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from lsprotocol import types
from pytest_lsp import LanguageClient
from schemasense.server.positions import LineMap
from schemasense.server.sources.prisma import read_prisma_schema
from schemasense.server.workspace.workspace import Workspace

from .conftest import (
    calcom_copy,
    change_document,
    diagnostics_for,
    errors,
    open_document,
)

# TravelSchedule's relation to User, as cal.com writes it (0-based line 322).
RELATION_LINE = (
    "  user         User      @relation(fields: [userId], references: [id], onDelete: Cascade)"
)
# The other side, in User (0-based line 344).
OPPOSITE_LINE = "  travelSchedules     TravelSchedule[]"


pytestmark = pytest.mark.corpus


def _line_of(text: str, line: str) -> int:
    lines = text.split("\n")
    assert lines.count(line) == 1, f"expected exactly one {line!r} in the schema"
    return lines.index(line)


async def test_calcom_schema_has_no_errors(client: LanguageClient, tmp_path: Path):
    schema = calcom_copy(tmp_path)
    open_document(client, schema)
    diagnostics = await diagnostics_for(client, schema, version=1)
    assert errors(diagnostics) == []
    assert all(d.source == "schemasense" for d in diagnostics)


async def test_unknown_relation_type_is_reported_then_cleared(
    client: LanguageClient, tmp_path: Path
):
    schema = calcom_copy(tmp_path)
    text = open_document(client, schema)
    await diagnostics_for(client, schema, version=1)
    line = _line_of(text, RELATION_LINE)
    col = RELATION_LINE.index("User ")

    # `User` -> `Usr`: delete one character.
    change_document(client, schema, 2, (line, col + 2), (line, col + 3), "")
    [diagnostic] = errors(await diagnostics_for(client, schema, version=2))
    assert diagnostic.code == "DB002"
    assert diagnostic.message == (
        'Type "Usr" is neither a built-in type, nor refers to another model, composite type, '
        "or enum."
    )
    assert diagnostic.range == types.Range(
        start=types.Position(line=line, character=col),
        end=types.Position(line=line, character=col + 3),
    )

    # Type the `e` back: the error goes away.
    change_document(client, schema, 3, (line, col + 2), (line, col + 2), "e")
    assert errors(await diagnostics_for(client, schema, version=3)) == []


async def test_missing_opposite_relation_field_is_reported_then_cleared(
    client: LanguageClient, tmp_path: Path
):
    schema = calcom_copy(tmp_path)
    text = open_document(client, schema)
    await diagnostics_for(client, schema, version=1)
    relation = _line_of(text, RELATION_LINE)
    opposite = _line_of(text, OPPOSITE_LINE)
    assert opposite > relation

    # Delete User's `travelSchedules TravelSchedule[]` line (line break included).
    change_document(client, schema, 2, (opposite, 0), (opposite + 1, 0), "")
    [diagnostic] = errors(await diagnostics_for(client, schema, version=2))
    assert diagnostic.code == "DB005"
    assert diagnostic.range.start == types.Position(line=relation, character=2)
    assert (
        "The relation field `user` on model `TravelSchedule` is missing an opposite relation "
        "field on the model `User`." in diagnostic.message
    )

    # Put it back.
    change_document(client, schema, 3, (opposite, 0), (opposite, 0), OPPOSITE_LINE + "\n")
    assert errors(await diagnostics_for(client, schema, version=3)) == []


async def test_burst_of_edits_ends_with_the_diagnostics_of_the_final_text(
    client: LanguageClient, tmp_path: Path
):
    """30 incremental edits sent without waiting, some after an emoji on the same line (two
    UTF-16 code units): the last diagnostics are those of the last text, at UTF-16 columns."""
    schema = calcom_copy(tmp_path)
    text = open_document(client, schema)
    await diagnostics_for(client, schema, version=1)

    line = _line_of(text, RELATION_LINE) + 1  # a new line after TravelSchedule.user
    typed = "  nickname Strin // 😀 typed fast"
    version = 2
    # A new, empty line.
    change_document(client, schema, version, (line, 0), (line, 0), "\n")
    lines = text.split("\n")
    lines.insert(line, "")
    column16 = 0
    for ch in typed[:29]:
        version += 1
        change_document(client, schema, version, (line, column16), (line, column16), ch)
        lines[line] += ch
        column16 += 2 if ord(ch) > 0xFFFF else 1
    final_text = "\n".join(lines)
    assert version == 31

    diagnostics = await diagnostics_for(client, schema, version=version)
    # Nothing older may arrive after the final version's diagnostics.
    await asyncio.sleep(0.5)
    last = [p for p in client.published if p.uri == schema.as_uri()][-1]  # type: ignore[attr-defined]
    assert last.version == version

    expected = _expected(final_text, str(schema))
    got = sorted(
        (d.code, d.range.start.line, d.range.start.character, d.message) for d in diagnostics
    )
    assert got == expected
    assert any(code == "DB002" and '"Strin"' in message for code, _, _, message in got)


def _expected(text: str, file: str) -> list[tuple[str, int, int, str]]:
    """What the reader says about `text`, in LSP terms (UTF-16 columns)."""
    read = read_prisma_schema({file: text})
    index = LineMap(text)
    out = []
    for f in read.findings:
        line, col = index.position(f.span.start, "utf-16")
        message = f.message + (f"\nhelp: {f.help}" if f.help else "")
        out.append((f.code, line, col, message))
    return sorted(out)


# What the burst below types, one character per edit: astral emoji (two UTF-16 units), CJK,
# combining marks, U+2028 (a line break for Python's `splitlines`, not for LSP or Prisma) and
# U+0085, all inside a comment after a field whose type is misspelt.
BURST_TEXT = "😀 日本語 e\u0301 ñ \u2028 \u0085 Ω 🇫🇷 "


async def test_a_thousand_edit_burst_ends_with_a_fresh_checks_diagnostics(
    client: LanguageClient, tmp_path: Path
):
    """1,000 one-character edits sent without waiting: the last published version is the
    last edit's, and its diagnostics equal a fresh `check` of the final text on disk."""
    schema = calcom_copy(tmp_path)
    text = open_document(client, schema)
    await diagnostics_for(client, schema, version=1)

    line = _line_of(text, RELATION_LINE) + 1
    version = 2
    change_document(client, schema, version, (line, 0), (line, 0), "\n")
    lines = text.split("\n")
    lines.insert(line, "")
    typed = "  nickname Strin // "
    while len(typed) < 999:
        typed += BURST_TEXT
    typed = typed[:999]
    column16 = 0
    for ch in typed:
        version += 1
        change_document(client, schema, version, (line, column16), (line, column16), ch)
        lines[line] += ch
        column16 += 2 if ord(ch) > 0xFFFF else 1
    assert version == 1001
    final_text = "\n".join(lines)

    diagnostics = await diagnostics_for(client, schema, version=version)
    await asyncio.sleep(0.5)
    last = [p for p in client.published if p.uri == schema.as_uri()][-1]  # type: ignore[attr-defined]
    assert last.version == version

    schema.write_text(final_text, encoding="utf-8")
    fresh = Workspace([str(tmp_path)]).check_path(str(schema))
    lines_map = LineMap(final_text)

    def where(start: int, end: int) -> tuple[int, int, int, int]:
        return (*lines_map.position(start, "utf-16"), *lines_map.position(end, "utf-16"))

    expected = sorted(
        (f.code, *where(f.span.start, f.span.end)) for f in fresh if f.span.file == str(schema)
    )
    got = sorted(
        (
            str(d.code),
            d.range.start.line,
            d.range.start.character,
            d.range.end.line,
            d.range.end.character,
        )
        for d in diagnostics
    )
    assert got == expected
    assert any(code == "DB002" and row == line for code, row, *_ in got)

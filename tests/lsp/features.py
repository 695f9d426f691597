"""Helpers for the end-to-end feature tests: copies of samples/ and positions in a text."""

from __future__ import annotations

import shutil
from pathlib import Path

from lsprotocol import types

SAMPLES = Path(__file__).resolve().parents[2] / "samples"


def sample_copy(name: str, folder: Path) -> Path:
    """A copy of `samples/<name>` as `folder` (the session's workspace root)."""
    shutil.copytree(SAMPLES / name, folder, dirs_exist_ok=True)
    return folder


def position(text: str, needle: str, delta: int = 0, nth: int = 0) -> types.Position:
    """The LSP position of the `nth` occurrence of `needle` plus `delta` characters (ASCII
    lines, so characters are UTF-16 units)."""
    offset = -1
    for _ in range(nth + 1):
        offset = text.index(needle, offset + 1)
    offset += delta
    line = text.count("\n", 0, offset)
    return types.Position(line=line, character=offset - (text.rfind("\n", 0, offset) + 1))


def doc(path: Path) -> types.TextDocumentIdentifier:
    return types.TextDocumentIdentifier(uri=path.as_uri())

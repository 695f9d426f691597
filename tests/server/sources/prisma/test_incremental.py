"""The reader's caches never change an answer.

A keystroke reuses the syntax trees of unchanged blocks (moved in place when an edit above
shifts them) and the lowered tables of unchanged models. After every edit in a sequence, the
findings and the schema model must equal what a read with every cache emptied gives.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from schemasense.server.sources.prisma import lower as lower_module
from schemasense.server.sources.prisma import parser as parser_module
from schemasense.server.sources.prisma import read_prisma_schema

CALCOM = (
    Path(__file__).resolve().parents[5]
    / "shared"
    / "corpus"
    / "calcom"
    / "packages"
    / "prisma"
    / "schema.prisma"
)
SAMPLE = (
    Path(__file__).resolve().parents[4] / "samples" / "prisma-blog" / "prisma" / "schema.prisma"
)


def _fresh(files: dict[str, str]):
    parser_module._BLOCKS.entries.clear()
    lower_module._TABLES.clear()
    read = read_prisma_schema(files)
    return read.findings, read.schema.model_dump_json()


def _edits(text: str) -> list[str]:
    """Edits a user makes: typing inside a model, above others, breaking and fixing a
    relation, adding and removing a block, a duplicate block."""
    first_model = text.index("\nmodel ") + 1
    brace = text.index("{", first_model) + 2
    steps = [
        text[:brace] + "  extra Int?\n" + text[brace:],
        text[:brace] + "  extra Int? @unique\n" + text[brace:],
        text,
        "\n\n" + text,
        text.replace("\nmodel ", "\nmodel  ", 1),
        text + "\nmodel Zed {\n  id Int @id\n}\n",
        text + "\nmodel Zed {\n  id Int @id\n}\n\nmodel Zed {\n  id Int @id\n}\n",
        text,
    ]
    relation = text.find(" @relation(")
    if relation != -1:
        line_start = text.rfind("\n", 0, relation) + 1
        steps.insert(3, text[:line_start] + "  broken Nope\n" + text[line_start:])
    return steps


@pytest.mark.parametrize("path", [SAMPLE, CALCOM], ids=["blog", "calcom"])
def test_cached_reads_equal_fresh_reads(path: Path) -> None:
    if not path.is_file():
        pytest.skip(f"{path} is absent")
    text = path.read_text(encoding="utf-8")
    assert read_prisma_schema({"s.prisma": text}).schema.tables  # warms every cache
    for step, edited in enumerate(_edits(text)):
        read = read_prisma_schema({"s.prisma": edited})
        cached = (read.findings, read.schema.model_dump_json())
        assert cached == _fresh({"s.prisma": edited}), f"edit {step} differs from a fresh read"

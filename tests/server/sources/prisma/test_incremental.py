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
    parser_module.BLOCK_CACHE.entries.clear()
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


def test_typing_keeps_a_few_parses_per_file_not_every_text_typed() -> None:
    """The whole-file parse cache keeps the last three texts of a file: typing 40 characters
    into a schema leaves three parses of it (memory stayed flat over a 600-edit soak of
    cal.com's schema, tests/bench/bench_soak.py), while another file's parse stays cached."""
    from schemasense.server.sources.prisma import reader

    other = "model Other {\n  id Int @id\n}\n"
    reader.parse_cached(other, "/soak/other.prisma")
    text = "model A {\n  id Int @id\n}\n"
    for ch in "a comment typed one character at a time.":
        text = (
            text.replace("\n}", f" // {ch}\n}}", 1)
            if "//" not in text
            else text.replace("\n}", f"{ch}\n}}", 1)
        )
        reader.parse_cached(text, "/soak/schema.prisma")
    kept = [key for key in reader._PARSE_CACHE if key[0] == "/soak/schema.prisma"]
    assert len(kept) == reader._VERSIONS_PER_FILE == 3
    assert ("/soak/schema.prisma", text) in reader._PARSE_CACHE
    assert ("/soak/other.prisma", other) in reader._PARSE_CACHE
    # the cache still answers a text it holds with the same parse
    assert (
        reader.parse_cached(text, "/soak/schema.prisma")
        is reader._PARSE_CACHE[("/soak/schema.prisma", text)]
    )

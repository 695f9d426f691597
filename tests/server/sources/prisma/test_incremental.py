"""The reader's caches never change an answer.

A keystroke reuses the syntax trees of unchanged blocks (moved in place when an edit above
shifts them) and the lowered tables of unchanged models. After every edit in a sequence, the
findings and the schema model must equal what a read with every cache emptied gives.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from schemasense.server.sources.prisma import read_prisma_schema
from schemasense.server.sources.prisma.caches import VERSIONS_PER_FILE, PrismaCaches

CORPUS = Path(
    os.environ.get("SCHEMASENSE_CORPUS") or Path(__file__).resolve().parents[5] / "shared/corpus"
)
CALCOM = CORPUS / "calcom/packages/prisma/schema.prisma"
SAMPLE = (
    Path(__file__).resolve().parents[4] / "samples" / "prisma-blog" / "prisma" / "schema.prisma"
)


def _fresh(files: dict[str, str]):
    read = read_prisma_schema(files)  # no caches: every block parsed, every model lowered
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
    caches = PrismaCaches()
    before = read_prisma_schema({"s.prisma": text}, caches=caches).schema.tables  # warms them
    assert before and caches.tables and caches.blocks.entries
    reused = 0
    for step, edited in enumerate(_edits(text)):
        read = read_prisma_schema({"s.prisma": edited}, caches=caches)
        assert read.caches is caches
        cached = (read.findings, read.schema.model_dump_json())
        assert cached == _fresh({"s.prisma": edited}), f"edit {step} differs from a fresh read"
        reused += sum(any(t is b for b in before) for t in read.schema.tables)
    assert reused, "no lowered table was reused: the caches were not used"


def test_typing_keeps_a_few_parses_per_file_not_every_text_typed() -> None:
    """The whole-file parse cache keeps the last three texts of a file: typing 40 characters
    into a schema leaves three parses of it (memory stayed flat over a 600-edit soak of
    cal.com's schema, tests/bench/bench_soak.py), while another file's parse stays cached."""
    caches = PrismaCaches()
    other = "model Other {\n  id Int @id\n}\n"
    caches.parse(other, "/soak/other.prisma")
    text = "model A {\n  id Int @id\n}\n"
    for ch in "a comment typed one character at a time.":
        text = (
            text.replace("\n}", f" // {ch}\n}}", 1)
            if "//" not in text
            else text.replace("\n}", f"{ch}\n}}", 1)
        )
        caches.parse(text, "/soak/schema.prisma")
    kept = [key for key in caches.parses if key[0] == "/soak/schema.prisma"]
    assert len(kept) == VERSIONS_PER_FILE == 3
    assert ("/soak/schema.prisma", text) in caches.parses
    assert ("/soak/other.prisma", other) in caches.parses
    # the cache still answers a text it holds with the same parse
    assert caches.parse(text, "/soak/schema.prisma") is caches.parses[("/soak/schema.prisma", text)]


def test_two_schemas_never_share_caches() -> None:
    """Each read without caches starts empty, and a unit's caches are its own: the same file
    name in two workspaces is two entries in two objects, never one."""
    one, two = PrismaCaches(), PrismaCaches()
    text = "model A {\n  id Int @id\n}\n"
    first = read_prisma_schema({"s.prisma": text}, caches=one)
    second = read_prisma_schema({"s.prisma": text}, caches=two)
    assert first.asts["s.prisma"] is not second.asts["s.prisma"]
    assert read_prisma_schema({"s.prisma": text}).caches is not one
    assert (
        read_prisma_schema({"s.prisma": text}, caches=one).asts["s.prisma"]
        is (first.asts["s.prisma"])
    )

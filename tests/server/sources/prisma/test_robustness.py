"""A reader never raises: any text gives a model plus read problems with ranges.

Half-typed lines, junk bytes, unbalanced braces and quotes, a 10 MB file: reading always
returns, every finding's range lies inside its file, and reading goes on after each problem
(a good model after a broken one is still read).
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemasense.codegen.schema import Schema
from schemasense.server.sources.prisma import read_prisma_schema

from tests.fuzz.mutations import KINDS, mutate

SAMPLE = (
    Path(__file__).resolve().parents[4] / "samples" / "prisma-blog" / "prisma" / "schema.prisma"
)
PRISMA_ALPHABET = st.sampled_from(
    [
        *list("model enum view type datasource generator {}[]()@@?!:=,.\"'/\\\n\t \r"),
        "@id",
        "@relation(",
        "fields: [",
        "references:",
        "@@index([",
        "String",
        "Int?",
        "///",
        "/*",
        "*/",
        "\x00",
        "\ufeff",
        "😀",
        "é",
        "\u2028",
    ]
)


def _check(text: str) -> None:
    read = read_prisma_schema({"f.prisma": text})
    for finding in read.findings:
        assert 0 <= finding.span.start <= finding.span.end <= len(text), finding
        assert finding.code.startswith("DB")
    schema = read.schema
    assert Schema.model_validate_json(schema.model_dump_json()) == schema


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(PRISMA_ALPHABET, max_size=200).map("".join))
def test_prisma_like_noise_never_raises(text: str) -> None:
    _check(text)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=500))
def test_any_text_never_raises(text: str) -> None:
    _check(text)


@settings(max_examples=150, deadline=None)
@given(st.integers(min_value=0), st.integers(min_value=0), st.text(max_size=20))
def test_every_edit_of_a_real_schema_reads(at: int, length: int, inserted: str) -> None:
    """Every position of a real schema, cut or typed into, as an editor would send it."""
    text = SAMPLE.read_text(encoding="utf-8")
    start = at % (len(text) + 1)
    end = min(len(text), start + length % 40)
    _check(text[:start] + inserted + text[end:])


def test_junk_bytes_decoded_leniently() -> None:
    junk = bytes(range(256)).decode("latin-1") * 40
    _check(junk)
    _check(junk + "\nmodel A {\n  id Int @id\n}\n")


def test_reading_goes_on_after_a_broken_block() -> None:
    text = "model Broken {\n  id Int @id @@@\n  ???\n}\n\nmodel Good {\n  id Int @id\n}\n"
    read = read_prisma_schema({"f.prisma": text})
    assert any(f.code == "DB001" for f in read.findings)
    assert read.schema.model("Good") is not None


def test_unclosed_block_at_the_end() -> None:
    read = read_prisma_schema({"f.prisma": "model A {\n  id Int @id\n"})
    assert [f.code for f in read.findings if f.severity == "error"]


def test_a_ten_megabyte_file_reads() -> None:
    block = SAMPLE.read_text(encoding="utf-8")
    text = ""
    n = 0
    while len(text) < 10_000_000:
        text += block.replace(
            "model ",
            f"model M{n}_",
        ).replace("enum ", f"enum E{n}_")
        n += 1
    read = read_prisma_schema({"big.prisma": text})
    # the sample's problems many times over, and Prisma's error for repeated datasources
    assert len([f for f in read.findings if f.severity == "error"]) >= n
    assert len(read.schema.tables) >= n


@pytest.mark.parametrize("kind", KINDS)
def test_mutations_of_a_real_schema_never_raise(kind: str) -> None:
    """Every kind of mutation (tests/fuzz/mutations.py) of a real schema: a model and ranged
    problems, never an exception; `python -m tests.fuzz.run` runs the long version."""
    rng = random.Random(kind)
    text = SAMPLE.read_text()
    for _ in range(10 if kind not in ("long_line", "nesting") else 2):
        _check(mutate(text, rng, kind))

"""The oracle plumbing itself: spans, panics, batches, the Prisma 7 strip, the block format."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.oracle.expectations import (
    Expectation,
    parse_expectations,
    render_expectations,
    replace_expectations,
    split_expectations,
)
from tests.oracle.prisma import run_oracle, strip_for_prisma7, utf16_position

PG = 'datasource db {\n  provider = "postgresql"\n}\n'


# --- pure helpers ---------------------------------------------------------------------------


def test_utf16_position_counts_astral_characters_twice() -> None:
    text = "// 😀é\nmodel A {\n"
    assert utf16_position(text, 0) == (0, 0)
    assert utf16_position(text, 7) == (1, 0)  # "// " 3 + 😀 2 + é 1 + "\n" 1
    assert utf16_position(text, 9) == (1, 2)


def test_strip_keeps_every_offset() -> None:
    text = (
        "datasource db {\n"
        '  provider  = "postgresql"\n'
        '  url       = env("DATABASE_URL") // 😀\n'
        '  directUrl = env("DIRECT")\n'
        '  shadowDatabaseUrl = env("SHADOW")\n'
        "}\n"
        "view V {\n"
        "  id Int @id @default(1) // @id stays in comments\n"
        '  a  String @map("@id")\n'
        '  @@id([id, a], map: "v)pk")\n'
        "}\n"
        "model M {\n"
        "  id Int @id\n"
        "}\n"
    )
    stripped = strip_for_prisma7(text)
    assert len(stripped.encode("utf-16-le")) == len(text.encode("utf-16-le"))
    assert stripped.count("\n") == text.count("\n")
    assert "url" not in stripped.lower()
    assert "  id Int     @default(1) // @id stays in comments" in stripped
    assert '@map("@id")' in stripped
    assert "@@id" not in stripped
    assert "model M {\n  id Int @id\n}" in stripped  # models keep their ids


def test_strip_leaves_prisma7_schema_alone() -> None:
    text = PG + "model A {\n  id Int @id\n}\n"
    assert strip_for_prisma7(text) == text


def test_expectation_block_round_trip() -> None:
    found = [Expectation("error", 3, "Boom."), Expectation("warning", 7, "Careful: `x`.")]
    text = replace_expectations("model A {\n}\n", found)
    assert text.endswith("\n\n// expect:\n// error 3: Boom.\n// warning 7: Careful: `x`.\n")
    assert parse_expectations(text) == found
    assert replace_expectations(text, found) == text
    assert split_expectations(text)[0] == "model A {\n}\n"
    assert render_expectations([]) == "// expect:\n// (none)\n"
    assert parse_expectations("x\n\n// expect:\n// (none)\n") == []


def test_expectation_block_rejects_junk() -> None:
    with pytest.raises(ValueError):
        parse_expectations("model A {\n}\n")
    with pytest.raises(ValueError):
        parse_expectations("// expect:\n// fatal 3: nope\n")


# --- the live oracle ------------------------------------------------------------------------


@pytest.mark.oracle
def test_batch_spans_are_utf16_and_per_file() -> None:
    schema = PG + "// é日😀\nmodel A {\n  id Int @id\n  b  Strin\n}\n"
    other = "model B {\n  id Int @id\n  c  Foo\n}\n"
    valid = PG + "model A {\n  id Int @id\n}\n"
    multi, single = run_oracle([{"a.prisma": schema, "b.prisma": other}, {"s.prisma": valid}])

    by_file = {d.file: d for d in multi.diagnostics}
    a, b = by_file["a.prisma"], by_file["b.prisma"]
    assert (a.line, a.character, a.end_character) == (6, 5, 10)
    assert schema.encode("utf-16-le")[2 * a.start : 2 * a.end].decode("utf-16-le") == "Strin"
    assert (b.line, b.character) == (2, 5)
    assert multi.datamodel is None
    assert multi.validate_error is not None and "Validation Error Count: 2" in multi.validate_error

    assert single.ok and single.diagnostics == [] and single.validate_error is None
    assert [m["name"] for m in single.datamodel["models"]] == ["A"]
    assert single.config["config"]["datasources"][0]["provider"] == "postgresql"


@pytest.mark.oracle
def test_a_panic_does_not_poison_the_batch() -> None:
    import json
    import subprocess

    from tests.oracle.prisma import REPO_ROOT, SCRIPT, _node

    bad = PG + "model A {\n  id Strin @id\n}\n"
    payload = json.dumps(
        [{"files": [["a.prisma", bad]], "ops": ["debug_panic"]}, {"files": [["a.prisma", bad]]}]
    )
    out = subprocess.run(
        [_node(), str(SCRIPT), "--ops", "lint"],
        input=payload,
        capture_output=True,
        text=True,
        check=True,
        cwd=REPO_ROOT,
    )
    first, second = json.loads(out.stdout)
    assert "debug_panic" in first["panic"]
    assert [d["text"][:11] for d in second["lint"]] == ['Type "Strin']


@pytest.mark.oracle
@pytest.mark.corpus
def test_corpus_validates_once_stripped_for_prisma7(corpus_dir: Path) -> None:
    schemas: dict[str, dict[str, str]] = {}
    for path in sorted(corpus_dir.glob("**/*.prisma")):
        key = str(path.parent) if path.parent.name == "schema" else str(path)  # dub: one folder
        schemas.setdefault(key, {})[str(path)] = strip_for_prisma7(path.read_text("utf-8"))
    assert len(schemas) >= 6
    results = run_oracle(list(schemas.values()), ops=("lint", "datamodel"))
    for key, result in zip(schemas, results, strict=True):
        assert result.errors == [], key
        assert result.datamodel is not None and result.datamodel["models"], key


@pytest.mark.oracle
def test_any_stage_one_error_hides_every_stage_two_error() -> None:
    relation = (
        "model User {\n  id Int @id\n}\n"
        "model Post {\n  id Int @id\n  authorId Int\n"
        "  author User @relation(fields: [authorId], references: [id])\n}\n"
    )
    stage_one = {
        "url": 'datasource db {\n  provider = "postgresql"\n  url = env("X")\n}\n',
        "attribute": PG + "model T {\n  id Int @id @foo\n}\n",
        "default": PG + 'model T {\n  id Int @id @default("x")\n}\n',
    }
    alone, *gated = run_oracle(
        [{"s.prisma": PG + relation}]
        + [{"s.prisma": text + relation} for text in stage_one.values()],
        ops=("lint",),
    )
    assert [d.first_line[:40] for d in alone.errors] == ["Error validating field `author` in model"]
    for name, result in zip(stage_one, gated, strict=True):
        assert len(result.errors) == 1, name
        assert "author" not in result.errors[0].message, name

"""An incremental parse (a keystroke's tree made from the tree before it) is the parse from
nothing: every node, its kind, bytes, rows and columns, errors and missing tokens the same.

Edits typed into a small entity (inserts, deletes, new lines, non-ASCII characters, a brace
that breaks the file and the one that mends it, the whole text replaced) and into the corpus's
largest models (medusa's cart.ts, opencollective's Collective.ts).
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from schemasense.server.sources.typescript.kept import PerFile, kept_module
from schemasense.server.sources.typescript.parse import ParsedFile, parse

ENTITY = """import { Column, Entity, PrimaryGeneratedColumn } from "typeorm";

@Entity("cart")
export class Cart {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: "varchar", nullable: true }) // café
  email: string | null;

  @Column({ default: `tmpl ${1 + 2}` })
  note: string;
}
"""


def _nodes(parsed: ParsedFile) -> list[tuple]:
    found = []
    cursor = parsed.tree.walk()
    while True:
        node = cursor.node
        assert node is not None
        found.append(
            (
                node.type,
                node.start_byte,
                node.end_byte,
                node.start_point,
                node.end_point,
                node.is_error,
                node.is_missing,
                cursor.field_name,
            )
        )
        if cursor.goto_first_child():
            continue
        while not cursor.goto_next_sibling():
            if not cursor.goto_parent():
                return found


def _typed(path: str, texts: list[str]) -> None:
    """Parse `texts` in turn, each from the one before, and compare with a fresh parse."""
    parsed = parse(path, texts[0])
    before = _nodes(parsed)
    for text in texts[1:]:
        again = parse(path, text, parsed)
        fresh = parse(path, text)
        nodes = _nodes(again)
        assert nodes == _nodes(fresh), text
        assert _nodes(parsed) == before, "the previous parse's tree must not change"
        assert again.syntax_errors() == fresh.syntax_errors()
        parsed, before = again, nodes


def _edit(text: str, at: int, remove: int, insert: str) -> str:
    return text[:at] + insert + text[at + remove :]


def test_edits_to_an_entity_parse_as_from_nothing():
    at = ENTITY.index("email:")
    brace = ENTITY.index("note:")
    texts = [ENTITY]
    for step in (
        lambda t: _edit(t, at, 0, "x"),  # an insert
        lambda t: _edit(t, at, 1, ""),  # and its delete
        lambda t: _edit(t, at, 0, "\n\n  "),  # new lines
        lambda t: _edit(t, 10, 0, "é😀"),  # characters of 2 and 4 bytes before everything
        lambda t: _edit(t, 10, 2, ""),
        lambda t: _edit(t, brace, 0, "{ "),  # a broken file
        lambda t: _edit(t, brace, 2, ""),  # mended
        lambda t: _edit(t, len(t) - 2, 2, ""),  # the last brace gone
        lambda t: t + "}\n",
        lambda t: t.replace("Cart", "Basket"),  # several places at once
        lambda t: "",  # everything gone
        lambda t: ENTITY,  # and back
    ):
        texts.append(step(texts[-1]))
    _typed("/p/src/models/cart.ts", texts)
    _typed("/p/src/models/cart.js", texts)  # the TSX grammar


def test_kept_modules_parse_from_the_latest_text():
    """`PerFile` hands the latest text's module to `make_from`; the module made from it reads
    as the one made from nothing."""
    seen: list[tuple[str, str | None]] = []

    def make(path: str, text: str) -> str:
        seen.append((text, None))
        return text

    def make_from(path: str, text: str, latest: str) -> str:
        seen.append((text, latest))
        return text

    kept = PerFile(make, make_from=make_from)
    kept.get("a.ts", "one")
    kept.get("a.ts", "two")
    kept.get("a.ts", "one")  # kept: nothing made
    kept.get("a.ts", "three")
    kept.get("b.ts", "one")
    assert seen == [("one", None), ("two", "one"), ("three", "one"), ("one", None)]
    path = "/p/entity_kept_test.ts"
    first = kept_module(path, ENTITY)
    second = kept_module(path, _edit(ENTITY, ENTITY.index("email:"), 0, "x"))
    assert _nodes(second.parsed) == _nodes(parse(path, second.text))
    assert [c.name for c in second.classes] == [c.name for c in first.classes] == ["Cart"]


@pytest.mark.corpus
@pytest.mark.oracle  # seconds: a tree of 100,000 nodes walked in Python per edit
@pytest.mark.parametrize(
    "relative",
    [
        "typeorm/medusa-v1/packages/medusa/src/models/cart.ts",
        "sequelize/opencollective-api/server/models/Collective.ts",
    ],
)
def test_typing_into_corpus_models_parses_as_from_nothing(corpus_dir: Path, relative: str):
    path = corpus_dir / relative
    text = path.read_text(encoding="utf-8")
    pick = random.Random(relative)
    texts = [text]
    for _ in range(5):
        current = texts[-1]
        at = pick.randrange(len(current))
        insert = pick.choice(["a", " ", "\n", "{", "}", "(", "'", "é", ""])
        texts.append(_edit(current, at, pick.choice([0, 0, 1, 3]), insert))
    _typed(str(path), texts)

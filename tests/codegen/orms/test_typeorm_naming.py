"""Our TypeORM names equal TypeORM's own, computed by TypeORM 1.1 and 0.3.28 and by
`typeorm-naming-strategies` 4.1 (npm packages of the repository's package.json) on the same inputs:
the corpus's real names plus a few thousand generated ones (camel humps, acronyms, digits, spaces,
quotes, dots, non-ASCII, astral characters)."""

from __future__ import annotations

import json
import random
import subprocess
from pathlib import Path

import pytest
from schemasense.codegen.orms.typeorm.naming import (
    NamingStrategy,
    SnakeNamingStrategy,
    camel_case,
    js_sorted,
    snake_case,
)

from tests.oracle.prisma import REPO_ROOT, _node

pytestmark = pytest.mark.oracle
SCRIPT = Path(__file__).with_name("typeorm_naming.cjs")

OURS = {"1": NamingStrategy("1"), "0.3": NamingStrategy("0.3"), "snake": SnakeNamingStrategy("1")}
METHODS = {
    "tableName": ("table_name", 2),
    "columnName": ("column_name", 3),
    "relationName": ("relation_name", 1),
    "joinColumnName": ("join_column_name", 2),
    "joinTableName": ("join_table_name", 4),
    "joinTableColumnName": ("join_table_column_name", 3),
    "primaryKeyName": ("primary_key_name", 2),
    "uniqueConstraintName": ("unique_constraint_name", 2),
    "relationConstraintName": ("relation_constraint_name", 3),
    "foreignKeyName": ("foreign_key_name", 2),
    "indexName": ("index_name", 3),
    "checkConstraintName": ("check_constraint_name", 3),
    "exclusionConstraintName": ("exclusion_constraint_name", 2),
    "closureJunctionTableName": ("closure_junction_table_name", 1),
}

REAL = [
    "UserProfileAPI",
    "product_collection",
    "public.product_collection",
    "OAuthToken",
    "user",
    "moneyAmount",
    "created_at",
    "deleted_at IS NOT NULL",
    '"price" >= 0',
    "\"kind\" IN ('a','b')",
    "café",
    "naïve",
    "HTMLParser2Thing",
    "ID",
    "a.b.c",
    "with space",
    "line\nbreak",
    "",
]
PIECES = [
    "user",
    "User",
    "API",
    "HTML",
    "Id",
    "id",
    "2",
    "_",
    "-",
    " ",
    ".",
    "é",
    "É",
    "ß",
    "İ",
    "Σ",
    "😀",
    "\u2028",
    "\ufeff",
    "\x1f",
    "'",
    '"',
    "=",
    "<",
    "(",
    ")",
    "!",
    "~",
    "*",
    "%",
    "\t",
]


def _generated(count: int) -> list[str]:
    rng = random.Random(20261207)
    return ["".join(rng.choice(PIECES) for _ in range(rng.randint(1, 6))) for _ in range(count)]


def _cases() -> list[list]:
    words = REAL + _generated(300)
    rng = random.Random(7)
    cases: list[list] = []
    for strategy in OURS:
        for word in words:
            other = rng.choice(words)
            columns = rng.sample(words, rng.randint(1, 3))
            cases += [
                [strategy, "tableName", [word, None]],
                [strategy, "tableName", [word, other]],
                [strategy, "columnName", [word, "", []]],
                [strategy, "columnName", [word, other, [other]]],
                [strategy, "columnName", [word, "", [other, word]]],
                [strategy, "relationName", [word]],
                [strategy, "joinColumnName", [word, other]],
                [strategy, "joinTableName", [word, other, other + "." + word, word]],
                [strategy, "joinTableColumnName", [word, other, None]],
                [strategy, "joinTableColumnName", [word, other, word]],
                [strategy, "primaryKeyName", [word, columns]],
                [strategy, "uniqueConstraintName", ["s." + word, columns]],
                [strategy, "relationConstraintName", [word, columns, other or None]],
                [strategy, "foreignKeyName", [word, columns]],
                [strategy, "indexName", [word, columns, None]],
                [strategy, "indexName", [word, columns, other]],
                [strategy, "checkConstraintName", [word, other, False]],
                [strategy, "checkConstraintName", [word, other, True]],
                [strategy, "exclusionConstraintName", [word, other]],
                [strategy, "closureJunctionTableName", [word]],
            ]
    return cases


def _theirs(cases: list[list]) -> list:
    node = _node()
    if node is None or not (REPO_ROOT / "node_modules" / "typeorm-0.3").is_dir():
        pytest.skip("node or the npm packages (npm ci at the repo root) are missing")
    proc = subprocess.run(
        [node, str(SCRIPT), str(REPO_ROOT)],
        input=json.dumps(cases),
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    return json.loads(proc.stdout)


def _ours(strategy: str, method: str, args: list):
    name, arity = METHODS[method]
    args = list(args)[:arity]
    if method == "tableName" and args[1] is None:
        args = args[:1]
    return getattr(OURS[strategy], name)(*args)


def test_every_name_equals_typeorms():
    cases = _cases()
    theirs = _theirs(cases)
    wrong = []
    for (strategy, method, args), expected in zip(cases, theirs, strict=True):
        if isinstance(expected, dict):  # TypeORM threw (0.3 on a lone surrogate): not a name
            continue
        got = _ours(strategy, method, args)
        if got != expected:
            wrong.append(f"{strategy} {method}{tuple(args)!r}: ours {got!r}, TypeORM {expected!r}")
    assert not wrong, f"{len(wrong)} of {len(cases)} differ:\n" + "\n".join(wrong[:30])
    assert len(cases) > 10_000


@pytest.mark.parametrize(
    ("text", "snake", "camel"),
    [
        ("UserProfileAPI", "user_profile_api", "userProfileAPI"),
        ("OAuthToken", "o_auth_token", "oAuthToken"),
        ("author_id", "author_id", "authorId"),
        ("home address", "home address", "homeAddress"),
    ],
)
def test_helpers_one_line_each(text, snake, camel):
    assert snake_case(text) == snake
    assert camel_case(text) == camel


def test_versions_differ_exactly_where_the_notes_say():
    partial = ("product_collection", ["handle"], "deleted_at IS NOT NULL")
    assert NamingStrategy("0.3").index_name(*partial) == "IDX_e08af711f3493df1e921c4c9ef"
    assert NamingStrategy("1").index_name(*partial) == "IDX_b8413c685dfe95cc18cafe8d31"
    plain = ("product_collection", ["handle"])
    assert NamingStrategy("0.3").index_name(*plain) == NamingStrategy("1").index_name(*plain)
    assert js_sorted(["a", "Z", "😀", "\ue000"]) == ["Z", "a", "😀", "\ue000"]

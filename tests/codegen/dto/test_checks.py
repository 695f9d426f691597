"""CHECK constraints read into DTO rules: one line per spelling (the database's, the ORM's)."""

from __future__ import annotations

import pytest
from schemasense.codegen.emit.dto.checks import read_check

COLUMNS = {"price", "slug", "email", "stars", "format", "name", "a", "b", "code"}


def _rules(expression: str, dialect: str = "postgresql"):
    read = read_check(expression, COLUMNS, dialect)
    return {
        c: [(r.kind, r.value, r.exclusive, r.flags) for r in rs] for c, rs in read.rules.items()
    }


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("CHECK ((price >= 0))", {"price": [("min", 0, False, "")]}),
        ('"price" > 0', {"price": [("min", 0, True, "")]}),
        ("CHECK ((price > (0)::numeric))", {"price": [("min", 0, True, "")]}),
        ("0 <= price", {"price": [("min", 0, False, "")]}),
        (
            "CHECK (((stars >= 1) AND (stars <= 5)))",
            {"stars": [("min", 1, False, ""), ("max", 5, False, "")]},
        ),
        ("stars BETWEEN 1 AND 5", {"stars": [("min", 1, False, ""), ("max", 5, False, "")]}),
        (
            "CHECK ((slug ~* '^[a-z0-9-]+$'::text))",
            {"slug": [("pattern", "^[a-z0-9-]+$", False, "i")]},
        ),
        (
            "CHECK (((email)::text ~~ '%@%'::text))",
            {"email": [("pattern", "^[\\s\\S]*@[\\s\\S]*$", False, "")]},
        ),
        ("\"format\" IN ('a', 'b')", {"format": [("one_of", ["a", "b"], False, "")]}),
        (
            "CHECK (((format)::text = ANY ((ARRAY['a'::character varying, "
            "'b'::character varying])::text[])))",
            {"format": [("one_of", ["a", "b"], False, "")]},
        ),
        ("char_length(name) >= 3", {"name": [("min_length", 3, False, "")]}),
        ('"code" IS NULL OR length("code") > 0', {"code": [("min_length", 1, False, "")]}),
        ("name <> ''", {"name": [("min_length", 1, False, "")]}),
    ],
)
def test_said(expression, expected):
    assert _rules(expression) == expected


def test_like_compares_without_case_on_mysql_and_sqlite():
    assert _rules("email LIKE '%@%'", "sqlite")["email"][0][3] == "i"
    assert _rules("email LIKE '%@%'", "postgresql")["email"][0][3] == ""


@pytest.mark.parametrize(
    "expression",
    [
        '"a" IS NOT NULL OR "b" IS NOT NULL',  # two columns
        "a <= b",
        "lower(slug) = slug",  # a function of the column
        "slug ~ '[[:alpha:]]+'",  # POSIX classes JavaScript reads differently
        "slug !~ 'x'",  # negated
    ],
)
def test_unsaid_is_named_never_guessed(expression):
    read = read_check(expression, COLUMNS)
    assert read.rules == {}
    assert read.unsaid == [expression]


def test_the_part_of_a_check_not_said_is_named():
    read = read_check("price >= 0 AND a <= b", COLUMNS)
    assert [r.kind for r in read.rules["price"]] == ["min"]
    assert read.unsaid == ["a <= b"]

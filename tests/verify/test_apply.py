"""server/verify/apply.py: statements split as the mysql client splits them."""

from __future__ import annotations

import pytest
from schemasense.server.verify.apply import split_statements

CASES = [
    (
        "CREATE TABLE a (x INT); CREATE TABLE b (y INT);",
        ["CREATE TABLE a (x INT)", " CREATE TABLE b (y INT)"],
    ),
    ("INSERT INTO a VALUES ('x;y');", ["INSERT INTO a VALUES ('x;y')"]),
    ("INSERT INTO a VALUES ('it''s; fine');", ["INSERT INTO a VALUES ('it''s; fine')"]),
    ("INSERT INTO a VALUES ('back\\'slash;');", ["INSERT INTO a VALUES ('back\\'slash;')"]),
    ("SELECT `a;b` FROM t;", ["SELECT `a;b` FROM t"]),
    ("-- note; here\nSELECT 1;", ["-- note; here\nSELECT 1"]),
    ("# note; here\nSELECT 1;", ["# note; here\nSELECT 1"]),
    ("/* a; b */ SELECT 1;", ["/* a; b */ SELECT 1"]),
    ("SELECT 1;\n-- trailing comment\n", ["SELECT 1"]),
    ("SELECT 1", ["SELECT 1"]),
    (";;", []),
]


@pytest.mark.parametrize(("sql", "expected"), CASES)
def test_split_statements(sql: str, expected: list[str]) -> None:
    assert split_statements(sql, "mysql") == expected

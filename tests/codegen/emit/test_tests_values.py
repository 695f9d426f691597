"""The pieces of the test generator that need no database: the value that breaks a CHECK, the
marked region merge, the package.json edit."""

from __future__ import annotations

import json

import pytest
from schemasense.codegen.emit.tests import package_json, prisma_flavour
from schemasense.codegen.emit.tests.regions import merge
from schemasense.codegen.emit.tests.values import check_violation

COLUMNS = {"price", "title", "email", "status", "a", "b"}


@pytest.mark.parametrize(
    ("expression", "column", "bad"),
    [
        ('"price" >= 0', "price", "-1"),
        ("CHECK ((price >= 0))", "price", "-1"),
        ("price > 10", "price", "10"),
        ("price <= 5.5", "price", "6.5"),
        ("CHECK ((char_length((title)::text) > 0))", "title", "''"),
        ("length(title) >= 3", "title", "'xx'"),
        ("CHECK (((email)::text ~~ '%@%'::text))", "email", "''"),
        ("\"email\" LIKE '%@%'", "email", "''"),
        ("title <> ''", "title", "''"),
        ("status IN ('a', 'b')", "status", "'schemasense-not-allowed'"),
    ],
)
def test_check_violation(expression, column, bad):
    found = check_violation(expression, COLUMNS)
    assert not isinstance(found, str), found
    assert (found.column, found.sql) == (column, bad)


@pytest.mark.parametrize("expression", ["a > b", "lower(email) = email", "price >= 0 AND b > 1"])
def test_check_without_a_known_violation_says_why(expression):
    found = check_violation(expression, COLUMNS)
    assert isinstance(found, str) and expression in found


def test_merge_keeps_what_is_outside_the_region():
    old = "// mine above\n// schemasense:begin\nold\n// schemasense:end\n// mine below\n"
    new = "// header\n// schemasense:begin\nnew\n// schemasense:end\n"
    assert merge(old, new) == (
        "// mine above\n// schemasense:begin\nnew\n// schemasense:end\n// mine below\n"
    )
    assert merge("no markers\n", new) is None


def test_package_json_adds_only_what_is_missing():
    text = json.dumps({"name": "x", "devDependencies": {"vitest": "^4.0.0"}})
    new, added = package_json(text, prisma_flavour("@prisma/client"), "test/db")
    data = json.loads(new)
    assert data["devDependencies"]["vitest"] == "^4.0.0"
    assert "@prisma/adapter-pg" in data["devDependencies"]
    assert data["scripts"]["test:db"] == "vitest run --config test/db/vitest.config.ts"
    assert "vitest@^4.1.12" not in added and "script test:db" in added
    again, added_again = package_json(new, prisma_flavour("@prisma/client"), "test/db")
    assert again == new and added_again == []


def test_requote_to_single_quotes():
    from schemasense.codegen.emit.tests.restyle import requote

    text = (
        'import { a } from "x"; // "kept"\n'
        'const s = `"${String(t.name)}" ${f("y", { k: "z" })}`;\n'
        'it("it\'s", () => sql(\'SELECT "a"\', ["b"]));\n'
    )
    assert requote(text, "'") == (
        "import { a } from 'x'; // \"kept\"\n"
        "const s = `\"${String(t.name)}\" ${f('y', { k: 'z' })}`;\n"
        "it(\"it's\", () => sql('SELECT \"a\"', ['b']));\n"
    )
    assert requote(text, '"') == text


def test_a_value_for_a_column_held_to_a_regular_expression():
    """A slug CHECK (`~ '^[a-z0-9]+(-[a-z0-9]+)*$'`) refuses the e-mail shape; the first shape
    every pattern accepts is taken, and without a pattern the e-mail shape stays."""
    from schemasense.codegen.emit.tests.values import valid_value
    from schemasense.codegen.schema import Column, ColumnType, Schema

    column = Column(name="slug", type=ColumnType(kind="string", length=120))
    slug = "CHECK (((slug)::text ~ '^[a-z0-9]+(-[a-z0-9]+)*$'::text))"
    assert valid_value(column, Schema(), in_check=True, checks=(slug,)) == "`v${n}`"
    upper = "CHECK ((slug ~ '^[A-Z][0-9]+$'))"
    assert valid_value(column, Schema(), in_check=True, checks=(upper,)) == "`V${n}`"
    email = "CHECK ((slug ~~ '%@%'::text))"
    assert valid_value(column, Schema(), in_check=True, checks=(email,)) == "`v${n}@example.com`"

"""Expressions read statically: one line per behaviour (`evaluate.py`)."""

from __future__ import annotations

import pytest
from schemasense.server.sources.typescript import read_module
from schemasense.server.sources.typescript.values import (
    Array,
    Bool,
    Call,
    Fragment,
    Func,
    Hole,
    Null,
    Num,
    Obj,
    Ref,
    Str,
    Unknown,
)


def value_of(expr: str, prelude: str = "", path: str = "x.ts"):
    """The value of `expr`, written as `const __ = <expr>;` after `prelude`."""
    text = f"{prelude}\nconst __ = {expr};\n"
    module = read_module(path, text)
    value = module.constant("__")
    assert value is not None
    return value


@pytest.mark.parametrize(
    ("expr", "expected"),
    [
        ('"users"', "users"),
        ("'users'", "users"),
        ("`users`", "users"),
        (r'"a\nb"', "a\nb"),
        (r'"it\'s"', "it's"),
        (r'"\u00e9\x41\u{1F600}"', "éA😀"),
        ('"a" + "b" + "c"', "abc"),
        ('"n" + 1', "n1"),
        ("`id ${1 + 2}`", "id 3"),
        ("('x' as const)", "x"),
        ('"x" satisfies string', "x"),
    ],
)
def test_known_strings(expr, expected):
    value = value_of(expr)
    assert isinstance(value, Str) and value.value == expected


@pytest.mark.parametrize(
    ("expr", "expected"),
    [
        ("42", 42),
        ("-1", -1),
        ("1_000", 1000),
        ("0x10", 16),
        ("2.5", 2.5),
        ("10n", 10),
        ("1 + 2", 3),
    ],
)
def test_numbers(expr, expected):
    value = value_of(expr)
    assert isinstance(value, Num) and value.value == expected


def test_literals():
    assert value_of("true") == Bool(value_of("true").start, value_of("true").end, True)
    assert isinstance(value_of("null"), Null) and not value_of("null").undefined
    assert value_of("undefined").undefined
    assert [i.value for i in value_of("[1, 'a']").items] == [1, "a"]  # type: ignore[union-attr]


def test_object_keys_in_every_form_and_the_last_one_wins():
    obj = value_of("{ a: 1, 'b-c': 2, [\"d\"]: 3, 4: 'four', a: 5, ...rest, [k]: 6, e }")
    assert isinstance(obj, Obj)
    assert obj.keys() == ["a", "b-c", "d", "4", "e"]
    assert obj.get("a").value == 5  # type: ignore[union-attr]
    assert obj.spreads and isinstance(obj.spreads[0], Ref) and obj.spreads[0].path == ("rest",)
    assert len(obj.unknown_keys) == 1
    assert isinstance(obj.get("e"), Ref)


def test_constants_enums_and_members_resolve():
    prelude = (
        'const TABLE = "users";\n'
        "const T = { name: TABLE, cols: ['id'] };\n"
        'enum Status { Active = "active", Gone = "gone" }\n'
        "enum Level { Low, High }\n"
    )
    assert value_of("TABLE", prelude).value == "users"  # type: ignore[union-attr]
    assert value_of("T.name", prelude).value == "users"  # type: ignore[union-attr]
    assert value_of('T["name"]', prelude).value == "users"  # type: ignore[union-attr]
    assert value_of("T.cols[0]", prelude).value == "id"  # type: ignore[union-attr]
    assert value_of("Status.Gone", prelude).value == "gone"  # type: ignore[union-attr]
    assert value_of("Level.High", prelude).value == 1  # type: ignore[union-attr]
    assert value_of("`${TABLE}_id`", prelude).value == "users_id"  # type: ignore[union-attr]


def test_a_constant_seen_at_its_use_has_the_use_s_range():
    text = 'const T = "users";\nconst __ = T;\n'
    value = read_module("x.ts", text).constant("__")
    assert isinstance(value, Str) and text[value.start : value.end] == "T"


def test_names_from_elsewhere_stay_references():
    value = value_of("DataTypes.STRING(255)")
    assert isinstance(value, Call) and value.callee_path == ("DataTypes", "STRING")
    assert [a.value for a in value.args] == [255]  # type: ignore[union-attr]
    assert value_of("Sequelize.NOW") == Ref(*_span(value_of("Sequelize.NOW")), ("Sequelize", "NOW"))
    assert isinstance(value_of("new Table({ name: 'x' })"), Call)
    assert value_of("new Table({ name: 'x' })").new  # type: ignore[union-attr]


def test_functions_say_what_they_return():
    assert value_of('() => "now()"').returns.value == "now()"  # type: ignore[union-attr]
    func = value_of("(type) => Photo")
    assert isinstance(func, Func) and func.params == ("type",)
    assert func.returns == Ref(*_span(func.returns), ("Photo",))
    assert value_of("function () { return 'x'; }").returns.value == "x"  # type: ignore[union-attr]
    assert value_of("() => { a(); return 1; }").returns is None  # type: ignore[union-attr]


def test_a_self_referencing_constant_does_not_loop():
    value = value_of("A", "const A = B;\nconst B = A;\n")
    assert isinstance(value, Ref)


def test_what_cannot_be_read_is_unknown_with_its_range():
    text = "const __ = a ? b : c;\n"
    value = read_module("x.ts", text).constant("__")
    assert isinstance(value, Unknown) and "ternary" in value.reason
    assert text[value.start : value.end] == "a ? b : c"


def test_nesting_past_the_limit_is_unknown_not_a_crash():
    deep = "[" * 600 + "]" * 600
    value = value_of(deep)
    found = value
    while isinstance(found, Array) and found.items:
        found = found.items[0]
    assert isinstance(found, Unknown)


def _span(value):
    return value.start, value.end


def test_template_holes_keep_their_ranges_and_fragments_map_to_file_offsets():
    text = 'const __ = `ALTER TABLE "${table}" ADD \\n x`;\n'
    value = read_module("x.ts", text).constant("__")
    assert isinstance(value, Str) and value.value is None
    fragments = [p for p in value.parts if isinstance(p, Fragment)]
    holes = [p for p in value.parts if isinstance(p, Hole)]
    assert text[holes[0].start : holes[0].end] == "${table}"
    assert isinstance(holes[0].value, Ref)
    head, tail = fragments
    assert text[head.start : head.end] == 'ALTER TABLE "'
    assert tail.text == '" ADD \n x'
    # each character of the decoded text points at its place in the file
    at = tail.text.index("x")
    assert text[tail.offset_of(at)] == "x"
    assert text[tail.offset_of(tail.text.index("\n"))] == "\\"


def test_offsets_count_characters_not_bytes():
    text = 'const é = "ü";\nconst __ = "naïve" + `${"ß"}`;\n'
    value = read_module("x.ts", text).constant("__")
    assert isinstance(value, Str) and value.value == "naïveß"
    assert text[value.start : value.end] == '"naïve" + `${"ß"}`'

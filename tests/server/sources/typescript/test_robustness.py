"""Hostile and broken input never makes the TypeScript layer raise, and ranges stay in the text."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemasense.server.sources.typescript import read_module
from schemasense.server.sources.typescript.values import Array, Call, Func, Obj, Str, Value

SEED = """import { Entity, Column } from "typeorm";
const T = "users";
@Entity(T)
export class User {
  @Column({ type: "varchar", length: 255, default: () => "now()" }) name: string;
  async up(q) {
    await q.query(`CREATE TABLE "${T}" (id int)`); [1].forEach(() => q.query("x" + 1));
  }
}
module.exports = { up: async (qi, S) => qi.addColumn("a", "b", { type: S.STRING(3) }) };
"""


def _walk(value: Value, text_length: int) -> None:
    assert 0 <= value.start <= value.end <= text_length, value
    children: list[Value] = []
    if isinstance(value, Array):
        children = list(value.items)
    elif isinstance(value, Obj):
        children = [p.value for p in value.props] + list(value.spreads)
    elif isinstance(value, Call):
        children = [value.callee, *value.args]
    elif isinstance(value, Func) and value.returns is not None:
        children = [value.returns]
    for child in children:
        _walk(child, text_length)
    if isinstance(value, Str):
        for part in value.parts:
            assert 0 <= part.start <= part.end <= text_length


def _exercise(path: str, text: str) -> None:
    module = read_module(path, text)
    n = len(text)
    for problem in module.syntax_errors:
        assert 0 <= problem.start <= problem.end <= n
    for cls in module.classes:
        for deco in cls.decorators:
            for arg in deco.args:
                _walk(arg, n)
        for member in cls.members:
            assert 0 <= member.start <= member.end <= n
            for deco in member.decorators:
                for arg in deco.args:
                    _walk(arg, n)
    for call in module.calls():
        _walk(call.callee, n)
        for arg in call.args:
            _walk(arg, n)
    if module.default_export is not None:
        _walk(module.default_export, n)
    for name in module.constants:
        value = module.constant(name)
        if value is not None:
            _walk(value, n)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    cut=st.integers(0, len(SEED)),
    insert=st.text(
        alphabet=st.sampled_from([*"{}[]()`'\"$\\@/*;:,.=>+\n\x00é😀\u2028", "\udcff"]),
        max_size=12,
    ),
    drop=st.integers(0, 20),
    suffix=st.sampled_from([".ts", ".js", ".tsx"]),
)
def test_mutations_of_a_real_file_never_raise(cut, insert, drop, suffix):
    text = SEED[:cut] + insert + SEED[cut + drop :]
    _exercise("file" + suffix, text)


@pytest.mark.parametrize(
    ("opening", "closing"),
    [("(", ")"), ("[", "]"), ("{", "}"), ("`${", "}`"), ("f(", ")"), ("a + (", ")")],
)
def test_deep_nesting_of_every_bracket_kind(opening, closing):
    text = "const x = " + opening * 500 + "1" + closing * 500 + ";\n"
    _exercise("deep.ts", text)
    _exercise("deep.ts", text[: len(text) // 2])

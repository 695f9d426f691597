"""The rule registry: discovery, metadata, documentation sections, codes never reused."""

from __future__ import annotations

import importlib
import re

import pytest
from schemasense.server.lint import docs
from schemasense.server.lint.registry import (
    REDIRECTS,
    Rule,
    all_rules,
    get_rule,
    kebab_name,
    matches,
    resolve_code,
    snake_name,
)

RULES = all_rules()


def test_rules_are_discovered_without_a_list():
    codes = {r.code for r in RULES}
    assert {"DB090", "DB091", "DB101"} <= codes


def test_codes_are_unique():
    codes = [r.code for r in RULES]
    assert len(codes) == len(set(codes)), sorted(c for c in codes if codes.count(c) > 1)
    names = [r.name for r in RULES]
    assert len(names) == len(set(names))


def test_redirects_point_at_rules_and_never_at_a_live_code():
    live = {r.code for r in RULES} | {r.name for r in RULES}
    for old, new in REDIRECTS.items():
        assert old not in live, f"{old} is redirected but still a rule's code or name"
        assert new in live


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_metadata(rule: type[Rule]):
    assert re.fullmatch(r"DB\d{3}", rule.code)
    assert rule.code[2] in "01234", (
        "DB0xx read/config, DB1xx design, DB2xx migrations, DB3xx drift, DB4xx queries"
    )
    assert rule.severity in ("error", "warning", "info")
    assert rule.fix in ("never", "sometimes", "always")
    assert rule.status.kind in ("preview", "stable", "deprecated")
    assert re.fullmatch(r"\d+\.\d+\.\d+", rule.status.since)
    # one module per rule, named after it
    assert rule.__module__.rsplit(".", 1)[-1] == snake_name(rule.name)


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_docstring_has_every_section(rule: type[Rule]):
    assert docs.doc_problems(rule) == []


def test_doc_problems_names_missing_sections():
    class NoDocs(Rule):
        """## What it does
        Something.

        ## Example
        no code here
        """

        code = "DB999"

    problems = docs.doc_problems(NoDocs)
    assert "missing section `## Why is this bad?`" in problems
    assert "missing section `## Fix safety`" in problems
    assert "`## Example` has no code block" in problems


def test_kebab_names():
    assert kebab_name("ForeignKeyWithoutIndex") == "foreign-key-without-index"
    assert kebab_name("JSONInsteadOfJsonb") == "json-instead-of-jsonb"
    assert kebab_name("IntPrimaryKeyOverflow") == "int-primary-key-overflow"


def test_lookup_by_code_name_and_prefix():
    rule = get_rule("DB101")
    assert rule is get_rule("foreign-key-without-index") is get_rule("db101")
    assert resolve_code("nope") is None
    assert matches("DB1", rule) and matches("ALL", rule) and matches("DB101", rule)
    assert not matches("DB2", rule) and not matches("DB102", rule)


def test_module_scan_is_the_source_of_truth():
    # every module of the package that defines a rule class is found, and nothing else
    package = importlib.import_module("schemasense.server.rules")
    assert package.__name__ == "schemasense.server.rules"
    modules = {r.__module__ for r in RULES}
    assert len(modules) == len(RULES)

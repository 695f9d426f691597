"""`schemasense rules [CODE]` and `schemasense dev gen-docs | new-rule NAME`.

The CLI (`server/cli.py`) parses the arguments and calls these; they print to the stream
they are given and return an exit code.
"""

from __future__ import annotations

import os
import re
import textwrap
from typing import TextIO

from schemasense.server.lint import docs
from schemasense.server.lint.registry import all_rules, get_rule, kebab_name, snake_name

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def list_rules(out: TextIO, *, as_json: bool = False) -> int:
    """One line per rule: code, name, severity, fix, status, what it flags."""
    rules = all_rules()
    if as_json:
        import json

        data = [
            {
                "code": r.code,
                "name": r.name,
                "severity": r.severity,
                "fix": r.fix,
                "status": r.status.kind,
                "since": r.status.since,
                "checks": list(r.applies_to),
                "summary": r.summary(),
            }
            for r in rules
        ]
        out.write(json.dumps(data, indent=2) + "\n")
        return 0
    width = max(len(r.name) for r in rules)
    for r in rules:
        fix = {"never": " ", "sometimes": "~", "always": "*"}[r.fix]
        status = "" if r.status.kind == "stable" else f" [{r.status.kind}]"
        out.write(f"{r.code} {fix} {r.name:<{width}}  {r.severity:<7} {r.summary()}{status}\n")
    out.write("\n* fix always available, ~ fix sometimes available\n")
    return 0


def show_rule(code: str, out: TextIO) -> int | str:
    """The rule's documentation, or an error message (a usage error) when none matches."""
    rule = get_rule(code)
    if rule is None:
        return f"no rule {code!r} (`schemasense rules` lists them)"
    out.write(docs.render_terminal(rule))
    return 0


def gen_docs(folder: str | None, out: TextIO, *, check: bool = False) -> int:
    """Write `docs/rules/<name>.md` and `docs/rules/README.md` from the docstrings; with
    `check`, write nothing and return 1 when a page would change."""
    folder = folder or os.path.join(REPO, "docs", "rules")
    rules = all_rules()
    for rule in rules:
        problems = docs.doc_problems(rule)
        if problems:
            out.write(f"{rule.code} {rule.name}: {'; '.join(problems)}\n")
            return 1
    if check:
        stale = stale_pages(folder)
        for name in stale:
            out.write(f"out of date: {os.path.join(folder, name)}\n")
        return 1 if stale else 0
    changed = docs.write_docs(folder, rules)
    for path in changed:
        out.write(f"wrote {path}\n")
    out.write(f"{len(rules)} rules, {len(changed)} page(s) changed\n")
    return 0


def stale_pages(folder: str) -> list[str]:
    pages = docs.generated_pages(all_rules())
    stale = []
    for name, content in pages.items():
        try:
            with open(os.path.join(folder, name), encoding="utf-8") as f:
                if f.read() == content:
                    continue
        except OSError:
            pass
        stale.append(name)
    if os.path.isdir(folder):
        stale += [n for n in sorted(os.listdir(folder)) if n.endswith(".md") and n not in pages]
    return stale


_TEMPLATE = '''"""{code}: {summary}"""

from __future__ import annotations

from collections.abc import Iterator

from schemasense.server.findings import Finding
from schemasense.server.lint.context import RuleContext, SchemaTarget
from schemasense.server.lint.registry import SchemaRule, Status, Subject


class {cls}(SchemaRule):
    """## What it does
    {summary}

    ## Why is this bad?
    TODO

    ## Example
    ```prisma
    TODO
    ```

    ## Use instead
    ```prisma
    TODO
    ```

    ## Fix safety
    There is no fix.
    """

    code = "{code}"
    severity = "warning"
    status = Status.preview("0.1.0")

    def check_schema(
        self, target: SchemaTarget, ctx: RuleContext
    ) -> Iterator[tuple[Subject, Finding]]:
        for table in target.schema.tables:
            if False and table.span is not None:
                yield ("table", table.name), self.finding("TODO", table.span)
'''

_TEST_TEMPLATE = '''"""{code} {name}."""

from __future__ import annotations

from inline_snapshot import snapshot

from tests.server.rules.helpers import POSTGRES, check, lint


def test_ok():
    assert lint(POSTGRES + "model A {{\\n  id Int @id\\n}}\\n", "{code}") == []


def test_err():
    assert check(POSTGRES + "model A {{\\n  id Int @id\\n}}\\n", "{code}") == snapshot()
'''


def new_rule(name: str, code: str, out: TextIO) -> int | str:
    """Scaffold `server/rules/<name>.py` and its test from a template (STYLE.md 7)."""
    if not re.fullmatch(r"[a-z][a-z0-9]*(-[a-z0-9]+)+", name):
        return f"rule names are kebab-case words, like foreign-key-without-index (got {name!r})"
    if not re.fullmatch(r"DB[123]\d\d", code):
        return f"codes look like DB1xx (design), DB2xx (migrations), DB3xx (drift); got {code!r}"
    if get_rule(code) is not None:
        return f"{code} is taken by {get_rule(code).name}; codes are never reused"  # type: ignore[union-attr]
    cls = "".join(part.capitalize() for part in name.split("-"))
    if kebab_name(cls) != name:
        return f"{name!r} does not round-trip through a class name ({cls})"
    module = os.path.join(REPO, "server", "rules", f"{snake_name(name)}.py")
    test = os.path.join(REPO, "tests", "server", "rules", f"test_{snake_name(name)}.py")
    for path in (module, test):
        if os.path.exists(path):
            return f"{path} exists"
    summary = "TODO: what it flags, in one sentence."
    with open(module, "w", encoding="utf-8") as f:
        f.write(_TEMPLATE.format(code=code, cls=cls, summary=summary))
    with open(test, "w", encoding="utf-8") as f:
        f.write(textwrap.dedent(_TEST_TEMPLATE.format(code=code, name=name)))
    out.write(f"wrote {module}\nwrote {test}\n")
    return 0

"""DB090: the configuration file cannot be read or says something schemasense does not know."""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

from schemasense.server.findings import Finding
from schemasense.server.lint.context import RuleContext
from schemasense.server.lint.registry import Input, Rule, Status


class InvalidConfiguration(Rule):
    """## What it does
    Reports a `schemasense.toml` (or `[tool.schemasense]` in pyproject.toml, or the
    `"schemasense"` key of package.json) that is not valid TOML or JSON, names an unknown key,
    a rule that does not exist, or a value of the wrong kind.

    ## Why is this bad?
    A mistyped rule code in `ignore` or a misspelled `database-version` is silently ignored by
    most linters, so the check you think you configured is not the one that runs. schemasense
    never stops on a bad configuration: it drops the bad entry, applies the rest, and says so
    here.

    ## Example
    ```toml
    database-version = "15"
    ignore = ["DB1O1"]          # the letter O, not a zero

    [severity]
    foreign-key-without-idx = "error"
    ```

    ## Use instead
    ```toml
    database-version = "15"
    ignore = ["DB101"]

    [severity]
    foreign-key-without-index = "error"
    ```

    ## Fix safety
    There is no automatic fix: the intended value cannot be guessed. `schemasense rules`
    lists every code and name.
    """

    code = "DB090"
    severity = "error"
    status = Status.stable("0.1.0")
    applies_to: ClassVar[tuple[Input, ...]] = ("project",)

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        # The configuration loader reports these (`rules/config.py`); nothing to do per check.
        return iter(())

"""The rule registry: the `Rule` base class, its metadata, and discovery by package scan.

A rule is one module of `schemasense.server.rules` named after it (`foreign_key_without_index.py`
holds `class ForeignKeyWithoutIndex(Rule)`). Everything about it is declared once, on the class:

    class ForeignKeyWithoutIndex(Rule):
        \"\"\"## What it does ... (the documentation, see `docs.py`)\"\"\"

        code = "DB101"
        severity = "warning"
        fix = "always"
        status = Status.stable("0.1.0")
        applies_to = ("declared", "migrated")

        def check(self, ctx: RuleContext) -> Iterator[Finding]:
            ...
            yield self.finding("message", span, help="...", fix=Fix(...))

The kebab-case name is derived from the class name (`foreign-key-without-index`). The registry
imports every module of the package (`pkgutil`) and keeps the `Rule` subclasses defined there,
so adding a rule touches its module and its test, nothing else. Codes are never reused: a
renamed or merged rule leaves its old code (or name) in `REDIRECTS`.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from functools import cache
from typing import TYPE_CHECKING, ClassVar, Literal

from pydantic import BaseModel, ConfigDict
from schemasense.codegen.schema import Span
from schemasense.server.findings import Finding, Fix, Severity

if TYPE_CHECKING:
    from schemasense.server.lint.context import RuleContext, SchemaTarget

FixAvailability = Literal["never", "sometimes", "always"]
Input = Literal["declared", "migrated", "migrations", "project", "queries"]
"""What a rule reads: the schema the models declare, the schema the migrations build, the
migration statements themselves, the project as a whole (configuration, suppressions), or the
queries the code makes (`server/queries/`: run by `server/queries/lint.py`, not the engine)."""

REDIRECTS: dict[str, str] = {}
"""Old code or name -> current code, for rules that were renamed or merged. `select`,
`ignore`, `severity` and suppression comments that name an old code keep working."""

_PACKAGE = "schemasense.server.rules"


@dataclass(frozen=True, slots=True)
class Status:
    """preview (off unless `preview = true` or selected by its exact code), stable, or
    deprecated; `since` is the version the rule entered that status in."""

    kind: Literal["preview", "stable", "deprecated"]
    since: str

    @classmethod
    def preview(cls, since: str) -> Status:
        return cls("preview", since)

    @classmethod
    def stable(cls, since: str) -> Status:
        return cls("stable", since)

    @classmethod
    def deprecated(cls, since: str) -> Status:
        return cls("deprecated", since)

    def __str__(self) -> str:
        return f"{self.kind} since {self.since}"


class NoOptions(BaseModel):
    """The options of a rule that has none: any key under `[rules.<name>]` is an error."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Rule:
    """Base class of every rule. Subclasses set the class attributes and implement `check`."""

    code: ClassVar[str] = ""
    name: ClassVar[str] = ""
    """kebab-case, derived from the class name by `__init_subclass__`."""
    severity: ClassVar[Severity] = "warning"
    fix: ClassVar[FixAvailability] = "never"
    status: ClassVar[Status] = Status.preview("0.1.0")
    applies_to: ClassVar[tuple[Input, ...]] = ("declared",)
    options_model: ClassVar[type[BaseModel]] = NoOptions
    """A pydantic model of the rule's options (`[rules.<name>]` in schemasense.toml)."""

    def __init_subclass__(cls, **kwargs: object) -> None:
        super().__init_subclass__(**kwargs)
        cls.name = kebab_name(cls.__name__)

    def __init__(self, options: BaseModel | None = None) -> None:
        self.options = options if options is not None else self.options_model()

    def check(self, ctx: RuleContext) -> Iterable[Finding]:
        raise NotImplementedError

    # -- helpers for subclasses -----------------------------------------------------------------

    def finding(
        self,
        message: str,
        span: Span,
        *,
        help: str | None = None,
        fix: Fix | None = None,
        related: tuple[Span, ...] = (),
        severity: Severity | None = None,
    ) -> Finding:
        """A finding of this rule at its default severity (the engine applies the config's)."""
        return Finding(
            code=self.code,
            severity=severity or self.severity,
            message=message,
            span=span,
            help=help,
            fix=fix,
            related=related,
        )

    @classmethod
    def doc(cls) -> str:
        """The rule's documentation: its docstring, dedented."""
        import inspect

        return inspect.cleandoc(cls.__doc__ or "")

    @classmethod
    def summary(cls) -> str:
        """The first sentence of "What it does", for listings."""
        from schemasense.server.lint.docs import parse_sections

        what = parse_sections(cls.doc()).get("What it does", "")
        paragraph = what.strip().split("\n\n")[0].replace("\n", " ")
        match = re.match(r"(.+?[.:])(\s|$)", paragraph)
        return match.group(1) if match else paragraph


def kebab_name(class_name: str) -> str:
    """`ForeignKeyWithoutIndex` -> `foreign-key-without-index`; `JSONColumn` -> `json-column`."""
    words = re.findall(r"[A-Z]+(?=[A-Z][a-z]|\d|\b)|[A-Z]?[a-z]+|[A-Z]+|\d+", class_name)
    return "-".join(w.lower() for w in words)


def snake_name(kebab: str) -> str:
    return kebab.replace("-", "_")


def _rule_modules() -> Iterator[str]:
    package = importlib.import_module(_PACKAGE)
    for info in pkgutil.walk_packages(package.__path__, prefix=_PACKAGE + "."):
        yield info.name


@cache
def all_rules() -> tuple[type[Rule], ...]:
    """Every rule class of the package, sorted by code."""
    found: list[type[Rule]] = []
    for module_name in _rule_modules():
        module = importlib.import_module(module_name)
        for value in vars(module).values():
            if (
                isinstance(value, type)
                and issubclass(value, Rule)
                and value is not Rule
                and value.__module__ == module.__name__
                and value.code
            ):
                found.append(value)
    return tuple(sorted(found, key=lambda r: r.code))


@cache
def _index() -> dict[str, type[Rule]]:
    index: dict[str, type[Rule]] = {}
    for rule in all_rules():
        index[rule.code] = rule
        index[rule.name] = rule
    return index


def resolve_code(code_or_name: str) -> str | None:
    """The current code of a rule named by its code, its name, or a redirected old one."""
    key = code_or_name.strip()
    key = REDIRECTS.get(key.upper(), REDIRECTS.get(key, key))
    rule = _index().get(key.upper()) or _index().get(key.lower())
    return rule.code if rule is not None else None


def get_rule(code_or_name: str) -> type[Rule] | None:
    code = resolve_code(code_or_name)
    return _index()[code] if code is not None else None


def matches(selector: str, rule: type[Rule]) -> bool:
    """Whether a `select`/`ignore` entry names `rule`: `ALL`, a code prefix (`DB1`, `DB10`),
    an exact code, a name, or a redirected old code or name."""
    sel = selector.strip()
    if sel.upper() == "ALL":
        return True
    code = resolve_code(sel)
    if code is not None:
        return code == rule.code
    return bool(re.fullmatch(r"DB\d{0,3}", sel.upper())) and rule.code.startswith(sel.upper())


def is_known_selector(selector: str) -> bool:
    sel = selector.strip()
    if sel.upper() == "ALL" or resolve_code(sel) is not None:
        return True
    upper = sel.upper()
    if upper in ("DB", "DB0", "DB1", "DB2", "DB3", "DB4"):  # the code families, even if empty yet
        return True
    return bool(re.fullmatch(r"DB\d{0,2}", upper)) and any(
        r.code.startswith(upper) for r in all_rules()
    )


Subject = tuple[str, ...]
"""What a schema finding is about (`("fk", table, name)`), so a problem the declared schema
and the migrated schema share is reported once, on the declared one."""


def shift_finding(finding: Finding, delta: int) -> Finding:
    """The same finding `delta` characters further on (its span, fix edits and related spans)."""

    def moved(span: Span) -> Span:
        return Span(file=span.file, start=span.start + delta, end=span.end + delta)

    fix = finding.fix
    if fix is not None:
        fix = replace(fix, edits=tuple(replace(e, span=moved(e.span)) for e in fix.edits))
    return replace(
        finding,
        span=moved(finding.span),
        fix=fix,
        related=tuple(moved(s) for s in finding.related),
    )


class SchemaRule(Rule):
    """A design rule: checks each schema (declared, then migrated) on its own.

    Subclasses implement `check_schema(target)` yielding `(subject, finding)` pairs; a finding
    on the migrated schema whose subject was also found on the declared one is dropped (the
    declared model is where the developer fixes it)."""

    applies_to: ClassVar[tuple[Input, ...]] = ("declared", "migrated")

    table_local: ClassVar[bool] = False
    """True when `check_schema` looks at each table on its own (and at enums, which are
    checked apart): the declared schema's findings are then kept per table and a keystroke
    re-checks only the tables it changed (the reader hands out the same table object for an
    unchanged model)."""

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        seen: set[Subject] = set()
        for target in ctx.schema_targets(self.applies_to):
            if not self.applies(target, ctx):
                continue
            if target.origin == "declared" and self.table_local:
                found = self._declared_by_table(target, ctx)
            elif target.origin == "declared":
                found = list(self.check_schema(target, ctx))
            else:
                found = self._migrated(target, ctx)
            for subject, finding in found:
                if target.origin == "declared":
                    seen.add(subject)
                elif subject in seen:
                    continue
                yield finding

    def _migrated(self, target: SchemaTarget, ctx: RuleContext) -> list[tuple[Subject, Finding]]:
        """The findings on a migrated schema, kept while the same replay is in use: a
        keystroke in schema.prisma changes the declared schema only, so the migrated one's
        findings are reused (`RuleCaches.migrated`, while the schema is the same object)."""
        kept = ctx.caches.migrated
        first = target.schema.sources[0] if target.schema.sources else ""
        key = (self.code, repr(self.options), ctx.database, ctx.version, first)
        hit = kept.get(key)
        if hit is not None and hit[0] is target.schema:
            return hit[1]
        found = list(self.check_schema(target, ctx))
        if len(kept) > 256:
            kept.clear()
        kept[key] = (target.schema, found)
        return found

    def _declared_by_table(
        self, target: SchemaTarget, ctx: RuleContext
    ) -> list[tuple[Subject, Finding]]:
        schema = target.schema
        base = (
            self.code,
            repr(self.options),
            ctx.database,
            ctx.version,
            schema.provider,
            schema.relation_mode,
        )
        found: list[tuple[Subject, Finding]] = []
        kept = ctx.caches.tables
        for table in schema.tables:
            start = table.span.start if table.span is not None else 0
            key = (*base, table.db_schema, table.name)
            entry = kept.get(key)
            if entry is None or entry[0] is not table:
                part = replace(
                    target, schema=schema.model_copy(update={"tables": [table], "enums": []})
                )
                part.cache = target.cache
                entry = [table, start, list(self.check_schema(part, ctx))]
                if len(kept) > 50_000:
                    kept.clear()
                kept[key] = entry
            elif entry[1] != start:  # the model moved: so do its findings
                delta = start - entry[1]
                entry[1], entry[2] = start, [(s, shift_finding(f, delta)) for s, f in entry[2]]
            found.extend(entry[2])
        if schema.enums:
            enums_only = replace(target, schema=schema.model_copy(update={"tables": []}))
            enums_only.cache = target.cache
            found.extend(self.check_schema(enums_only, ctx))
        return found

    def applies(self, target: SchemaTarget, ctx: RuleContext) -> bool:
        """Whether the rule means anything for this schema (e.g. its provider)."""
        return True

    def check_schema(
        self, target: SchemaTarget, ctx: RuleContext
    ) -> Iterable[tuple[Subject, Finding]]:
        raise NotImplementedError

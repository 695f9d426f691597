"""Running the rules: selection and severities from the config, suppressions, unused ignores.

`run_rules(ctx, loaded)` is the one entry point, shared by the editor and the CLI:
1. every rule enabled for some path (config, then per-path overrides) runs once on the context;
   the migration rules (`MigrationRule`) run together in the engine's one walk over each
   migration set (`check_statements`: each gets `(statement, state)`); a rule that raises
   becomes one DB000 finding and the others go on;
2. each finding gets the severity the config gives its rule for its file (or is dropped where the
   rule is off for that file); where the config names no severity for the rule, the finding
   keeps the one its rule gave it (the rule's default, or a higher one for a case: DB103 on
   a TypeORM entity);
3. ignore comments remove what they cover (rule findings and the read warnings passed in);
4. the configuration's own problems (DB090) and the ignores that covered nothing (DB091) are
   added.

Every run has a time budget (`[limits] analysis-seconds`): it is looked at before each rule and
each migration statement, and past it the rest is not run and ONE DB092 finding names what was
cut (the rules, the migration file the walk stopped in). What ran is kept: a 5,000-migration
folder or a slow rule never holds the editor or `check` without an answer.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from schemasense.codegen.schema import Span
from schemasense.server.findings import Finding, Fix, Severity, TextEdit
from schemasense.server.lint.context import MigrationContext, RuleCaches, RuleContext
from schemasense.server.lint.migration_rule import Dispatch, MigrationRule
from schemasense.server.lint.registry import Rule, all_rules, get_rule, resolve_code
from schemasense.server.lint.suppressions import Suppression, Suppressor
from schemasense.server.lint.walk import walk
from schemasense.server.project.config import (
    LoadedConfig,
    effective_severity,
    rule_options,
    severity_configured,
)

if TYPE_CHECKING:
    from schemasense.server.lint.context import MigrationContext, RuleCaches
    from schemasense.server.migrations.model import StatementRecord
    from schemasense.server.sources.base import SchemaEditor, Source, SourceRead
    from schemasense.server.sources.prisma import PrismaRead

UNUSED_IGNORE = "DB091"
OVER_BUDGET = "DB092"

clock = time.monotonic
"""The budget's clock; a test puts a fake one here (budgets are tested by behaviour, not time)."""


@dataclass
class Budget:
    """The time an analysis may take (`[limits] analysis-seconds`), from its start, and what
    was not run because it ran out."""

    seconds: float
    started: float = field(default_factory=lambda: clock())
    cut_rules: list[str] = field(default_factory=list)
    cut_at: str | None = None
    """The migration file the statement walk stopped in."""

    def over(self) -> bool:
        return clock() - self.started > self.seconds


@dataclass
class RuleRun:
    """The outcome of one run: every finding kept, and how long each rule took (seconds)."""

    findings: list[Finding] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)


def enabled_rules(loaded: LoadedConfig) -> list[type[Rule]]:
    """Rules on for at least one path: by the config, or by one of its overrides."""
    config = loaded.config
    out = []
    for rule in all_rules():
        if effective_severity(rule, config, []) is not None or any(
            effective_severity(rule, config, [o]) is not None for o in config.overrides
        ):
            out.append(rule)
    return out


def run_rules(
    ctx: RuleContext,
    loaded: LoadedConfig | None = None,
    *,
    read_findings: Iterable[Finding] = (),
    statement_starts: Mapping[str, Sequence[int]] | None = None,
    inputs: Sequence[str] = ("declared", "migrated", "migrations", "project"),
    timings: bool = False,
) -> RuleRun:
    """Every finding for `ctx`, with `read_findings` (the readers' own) passed through the
    same suppressions. `inputs` limits which rules run (the editor skips migration rules when
    no migration file is involved)."""
    loaded = loaded or LoadedConfig(config=ctx.config)
    config = loaded.config
    run = RuleRun()
    severities: dict[tuple[str, tuple[int, ...]], tuple[Severity | None, bool]] = {}
    rule_findings: list[Finding] = []
    ran: set[str] = set()
    rules = [
        rule_cls(rule_options(config, rule_cls))
        for rule_cls in enabled_rules(loaded)
        if any(i in inputs for i in rule_cls.applies_to)
    ]
    budget = Budget(config.limits.analysis_seconds)
    walked = check_statements(
        ctx,
        [r for r in rules if isinstance(r, MigrationRule)],
        run.timings if timings else None,
        budget,
    )
    for rule in rules:
        rule_cls = type(rule)
        if rule_cls.code not in walked and budget.over():
            budget.cut_rules.append(rule_cls.code)
            continue
        ran.add(rule_cls.code)
        started = time.perf_counter()
        if rule_cls.code in walked:
            produced = walked[rule_cls.code]
        else:
            try:
                produced = list(rule.check(ctx))
            except Exception as exc:  # one broken rule must not hide the others
                produced = [_rule_failed(rule_cls, ctx, exc)]
        if timings:
            run.timings[rule_cls.code] = run.timings.get(rule_cls.code, 0.0) + (
                time.perf_counter() - started
            )
        for finding in produced:
            if finding.code != rule_cls.code:
                rule_findings.append(finding)
                continue
            overrides = loaded.overrides_for(finding.span.file) if config.overrides else []
            key = (rule_cls.code, tuple(id(o) for o in overrides))
            if key not in severities:
                severities[key] = (
                    effective_severity(rule_cls, config, overrides),
                    severity_configured(rule_cls, config, overrides),
                )
            severity, configured = severities[key]
            if severity is None:
                continue
            if configured and severity != finding.severity:
                finding = dataclasses.replace(finding, severity=severity)
            rule_findings.append(finding)

    texts = dict(ctx.texts)
    for m in ctx.migrations:
        for f in m.files:
            texts.setdefault(f.path, f.text)
    suppressor = Suppressor(texts, dict(statement_starts or {}))
    for finding in [*read_findings, *rule_findings]:
        if not suppressor.suppressed(finding):
            run.findings.append(finding)
    run.findings.extend(loaded.findings)
    unused = get_rule(UNUSED_IGNORE)
    if unused is not None and suppressor.suppressions:
        severity = effective_severity(unused, config, [])
        if severity is not None:
            run.findings.extend(_unused_ignores(suppressor, severity, loaded, ran))
    if budget.cut_rules or budget.cut_at is not None:
        run.findings.append(_over_budget(ctx, budget))
    return run


def _over_budget(ctx: RuleContext, budget: Budget) -> Finding:
    """The one finding of a run cut by its budget: what was not run, and the key to raise."""
    cut = []
    if budget.cut_at is not None:
        cut.append(f"the migration rules from {budget.cut_at} on")
    if budget.cut_rules:
        cut.append(f"{len(budget.cut_rules)} rules ({', '.join(budget.cut_rules)})")
    return Finding(
        code=OVER_BUDGET,
        severity="error",
        message=f"schemasense stopped this analysis after {budget.seconds:g} s "
        f"(`[limits] analysis-seconds = {budget.seconds:g}`): {' and '.join(cut)} did not run.",
        span=Span(file=_first_file(ctx), start=0, end=0),
        help="The findings above are those of what ran. Raise `analysis-seconds` in "
        "schemasense.toml's `[limits]` to check everything.",
    )


def _first_file(ctx: RuleContext) -> str:
    return next(iter(ctx.texts), "") or (ctx.migrations[0].root if ctx.migrations else "")


def check_statements(
    ctx: RuleContext,
    rules: Sequence[MigrationRule],
    timings: dict[str, float] | None = None,
    budget: Budget | None = None,
) -> dict[str, list[Finding]]:
    """The findings of every migration rule in `rules` (by code) from ONE walk over each
    migration set: each statement that parsed goes to the rules of its dialect that watch one
    of its operations, with the state before it. A rule that raises gets one DB000 finding
    and is not asked again; the others go on. `timings` adds each rule's time. Past `budget`,
    the walk stops and the budget records the file it stopped in."""
    found: dict[str, list[Finding]] = {r.code: [] for r in rules}
    if not rules:
        return found
    dialects = tuple(dict.fromkeys(d for r in rules for d in r.dialects))
    by_dialect = {d: Dispatch([r for r in rules if d in r.dialects]) for d in dialects}
    failed: set[str] = set()
    for stmt, state in walk(ctx, dialects):
        if budget is not None and budget.over():
            budget.cut_at = stmt.file
            break
        if stmt.error is not None:
            continue
        for rule in by_dialect[state.dialect].rules_for(stmt):
            if rule.code in failed:
                continue
            started = time.perf_counter() if timings is not None else 0.0
            try:
                said = rule.check_statement(stmt, state)
                if stmt.source == "call":  # a fix edits SQL text; a call is code
                    said = (_code_fix_only(f) for f in said)
                found[rule.code].extend(said)
            except Exception as exc:  # one broken rule must not hide the others
                failed.add(rule.code)
                found[rule.code] = [_rule_failed(type(rule), ctx, exc)]
            if timings is not None:
                timings[rule.code] = timings.get(rule.code, 0.0) + time.perf_counter() - started
    code = _code_migrations(ctx)
    if code:
        for findings in found.values():
            findings[:] = [_fit_fix(f, code) for f in findings]
    return found


def _code_migrations(ctx: RuleContext) -> dict[str, tuple[str, list[StatementRecord]]]:
    """The migration files written in code (TypeORM classes): path -> (text, SQL records)."""
    found: dict[str, tuple[str, list[StatementRecord]]] = {}
    for m in ctx.migrations:
        for replayed in m.replay.files if m.replay is not None else ():
            if replayed.file.pieces is not None:
                sql = [s for s in replayed.statements if s.source == "sql"]
                found[replayed.file.path] = (replayed.file.up_text, sql)
    return found


def _code_fix_only(finding: Finding) -> Finding:
    """A finding on a call step keeps only a fix written for code (`Fix.edits_code`)."""
    if finding.fix is None or finding.fix.edits_code:
        return finding
    return dataclasses.replace(finding, fix=None)


def _fit_fix(finding: Finding, code: dict[str, tuple[str, list[StatementRecord]]]) -> Finding:
    """A fix on a migration written in code keeps only edits of SQL that stands as written
    inside its string (an edit there is an edit of the string); a fix that would write SQL
    elsewhere in a TypeScript file (a `SET lock_timeout` at its top, a new migration in the
    tool's format) is left out, and the finding stays."""
    fix = finding.fix
    if fix is None or fix.edits_code or not any(e.span.file in code for e in fix.edits):
        return finding
    for edit in fix.edits:
        text, records = code.get(edit.span.file, ("", []))
        inside = any(
            r.span.start <= edit.span.start <= edit.span.end <= r.span.end
            and text[r.span.start : r.span.end] == r.text
            for r in records
        )
        if not inside or any(c in edit.new_text for c in ("`", "${", "\\")):
            return dataclasses.replace(finding, fix=None)
    return finding


def _rule_failed(rule: type[Rule], ctx: RuleContext, exc: Exception) -> Finding:
    file = _first_file(ctx)
    return Finding(
        code="DB000",
        severity="error",
        message=f"schemasense's rule {rule.code} ({rule.name}) failed: "
        f"{type(exc).__name__}: {exc}. This is a bug in schemasense; please report it.",
        span=Span(file=file, start=0, end=0),
        help="The other rules still ran.",
    )


def _unused_ignores(
    suppressor: Suppressor, severity: Severity, loaded: LoadedConfig, ran: set[str]
) -> Iterable[Finding]:
    """Ignores that covered nothing, judged only by rules that ran: an ignore for a
    migration rule is not unused because only the schema was checked."""
    checked = any(not code.startswith("DB09") for code in ran)
    for s in suppressor.suppressions:
        text = suppressor.texts[s.file]
        overrides = loaded.overrides_for(s.file) if loaded.config.overrides else []
        if not s.codes:
            if "*" not in s.used and checked:
                yield _unused(s, text, severity, "This ignore comment suppresses nothing", None)
            continue
        unused = [
            (c, span)
            for c, span in zip(s.codes, s.code_spans, strict=True)
            if c not in s.used and _judged(c, ran, loaded, overrides)
        ]
        if not unused:
            continue
        if len(unused) == len(s.codes):
            names = ", ".join(c for c, _ in unused)
            detail = _why_unused(unused[0][0], loaded, overrides) if len(unused) == 1 else ""
            yield _unused(s, text, severity, f"Unused ignore for {names}{detail}", None)
            continue
        for code, span in unused:
            detail = _why_unused(code, loaded, overrides)
            yield _unused(s, text, severity, f"Unused ignore for {code}{detail}", span)


def _judged(code: str, ran: set[str], loaded: LoadedConfig, overrides: list) -> bool:
    """Whether an ignored code can be called unused: its rule ran (or is off, or does not
    exist); read problem codes (DB0xx) always count as checked."""
    rule = get_rule(code)
    if rule is None:
        return True
    if rule.code in ran or rule.code.startswith("DB0"):
        return True
    return effective_severity(rule, loaded.config, overrides) is None


def _why_unused(code: str, loaded: LoadedConfig, overrides: list) -> str:
    rule = get_rule(code)
    if rule is None:
        if resolve_code(code) is None and not code.upper().startswith("DB0"):
            return " (no rule has this code or name)"
        return ""
    if effective_severity(rule, loaded.config, overrides) is None:
        return f" ({rule.code} is not enabled)"
    return f" (nothing from {rule.code} here)"


def _unused(
    s: Suppression, text: str, severity: Severity, message: str, code_span: tuple[int, int] | None
) -> Finding:
    if code_span is None:
        start, end = s.span
        if s.own_line:
            line_start = text.rfind("\n", 0, start) + 1
            line_end = text.find("\n", end)
            start, end = line_start, (line_end + 1 if line_end != -1 else len(text))
        else:
            while start > 0 and text[start - 1] in " \t":
                start -= 1
        edit = TextEdit(Span(file=s.file, start=start, end=end), "")
        span = Span(file=s.file, start=s.span[0], end=s.span[1])
        title = "Remove the unused ignore comment"
    else:
        start, end = code_span
        index = s.code_spans.index(code_span)
        if index > 0:  # `DB101, DB102` -> `DB101`: take the separator before it
            start = s.code_spans[index - 1][1]
        else:  # `DB101, DB102` -> `DB102`: take the separator after it
            after = text[end:]
            end += len(after) - len(after.lstrip(", "))
        edit = TextEdit(Span(file=s.file, start=start, end=end), "")
        span = Span(file=s.file, start=code_span[0], end=code_span[1])
        title = f"Remove {text[code_span[0] : code_span[1]]} from the ignore comment"
    return Finding(
        code=UNUSED_IGNORE,
        severity=severity,
        message=message,
        span=span,
        help="remove it, or fix the code it names",
        fix=Fix(title, (edit,), "safe"),
    )


def lint_prisma(
    read: PrismaRead,
    texts: Mapping[str, str],
    loaded: LoadedConfig | None = None,
    *,
    migrations: Sequence[MigrationContext] = (),
    caches: RuleCaches | None = None,
    editor: SchemaEditor | None = None,
) -> list[Finding]:
    """The findings of one Prisma schema unit: the read's own, then the rules' (which run
    only on a schema Prisma accepts: on one with errors, the model is partial and the rules
    would report what the next keystroke fixes), all through the same suppressions.
    `editor` writes the fixes (the Prisma source's editor of `read` when None)."""
    loaded = loaded or LoadedConfig()
    ctx = RuleContext(
        config=loaded.config,
        texts=texts,
        read=read,
        migrations=migrations,
        root=loaded.root,
        caches=caches or RuleCaches(),
        editor=editor,
    )
    return lint_read(ctx, loaded, read.findings)


def lint_read(
    ctx: RuleContext, loaded: LoadedConfig, read_findings: Sequence[Finding]
) -> list[Finding]:
    """Any source's findings: its read's own, then the rules', which run only on a read
    without errors (on one with errors the model is partial, and the rules would report what
    the next keystroke fixes), all through the same suppressions."""
    has_errors = any(f.severity == "error" for f in read_findings)
    inputs = ("project",) if has_errors else ("declared", "migrated", "migrations", "project")
    return run_rules(ctx, loaded, read_findings=read_findings, inputs=inputs).findings


def lint_declared(
    source: Source,
    read: SourceRead,
    texts: Mapping[str, str],
    loaded: LoadedConfig,
    migrations: Sequence[MigrationContext] = (),
    caches: RuleCaches | None = None,
) -> list[Finding]:
    """`Source.lint` for a source whose rules read only its declared schema (not Prisma's
    syntax trees): the read's findings, then the rules over `read.schema` and the linked
    migrations, with the source's editor for fixes and its word on whether the schema is
    already in database form."""
    from schemasense.server.lint.context import RuleCaches, RuleContext

    schema = read.schema
    ctx = RuleContext(
        config=loaded.config,
        texts=texts,
        migrations=migrations,
        root=loaded.root,
        _declared=lambda: schema,
        caches=caches or RuleCaches(),
        editor=source.editor(read, texts),
        declared_is_database_form=source.database_form,
        checks_declared_on=source.checks_declared_on,
        primary_key_required=source.primary_key_required,
    )
    return lint_read(ctx, loaded, read.findings)

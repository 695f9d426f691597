"""The feature report: `# Database Layer: {Feature}` and the sections people expect.

The workflow (`server/workflows/generate_feature.py`) gathers plain data into a `FeatureReport`;
this module only renders it: `markdown(report)` and `as_json(report)` (the same content, for
tools). Sections: Project (what was detected and what was adapted), Schema Design (tables
created and modified, relationships, indexes with their purpose), Migration Scripts (up and
down), Models/Entities, Validation (DTOs), Testing (what each test checks), Migration Commands
(the project's own), Performance Considerations (locks on existing tables, index builds, write
costs). With `--verify`, Testing also shows each verification step (pass/fail, time) and each
test's result; on a failure, the database's error, what the constraint means, and the rollback.
Paths are relative to the project, so a report reads the same on every machine.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field


@dataclass(frozen=True)
class TableReport:
    name: str
    model: str | None
    action: str
    """`create` or `modify`."""
    columns: tuple[str, ...] = ()
    """`name type [NOT NULL] [DEFAULT x]` lines, as the database will hold them."""
    checks: tuple[str, ...] = ()


@dataclass(frozen=True)
class IndexReport:
    table: str
    name: str
    definition: str
    purpose: str


@dataclass(frozen=True)
class FileReport:
    path: str
    action: str
    text: str = ""


@dataclass(frozen=True)
class TestReport:
    path: str
    checks: tuple[str, ...] = ()


@dataclass(frozen=True)
class StepReport:
    name: str
    ok: bool
    seconds: float
    detail: str = ""


@dataclass(frozen=True)
class TestResultReport:
    name: str
    status: str
    message: str = ""


@dataclass(frozen=True)
class VerifyReport:
    """`--verify`: where it ran, each step (pass/fail, time), each test's result, and on a
    failure the database's error, what it means, and the rollback."""

    database: str
    ok: bool
    steps: tuple[StepReport, ...]
    tests: tuple[TestResultReport, ...] = ()
    failed_step: str | None = None
    error: str | None = None
    statement: str | None = None
    explanation: tuple[str, ...] = ()
    down: str = ""
    rollback: str = ""
    differences: tuple[str, ...] = ()
    error_step: str | None = None

    @property
    def passed(self) -> int:
        return sum(t.status == "passed" for t in self.tests)

    @property
    def failed(self) -> int:
        return sum(t.status not in ("passed", "skipped", "pending", "todo") for t in self.tests)


@dataclass(frozen=True)
class FeatureReport:
    feature: str
    orm: str
    detected: tuple[tuple[str, str], ...]
    adapted: tuple[str, ...]
    tables: tuple[TableReport, ...]
    relationships: tuple[str, ...]
    indexes: tuple[IndexReport, ...]
    migration_files: tuple[FileReport, ...]
    up: str
    down: str
    models: tuple[FileReport, ...]
    dtos: tuple[FileReport, ...]
    tests: tuple[TestReport, ...]
    commands: tuple[tuple[str, str], ...]
    """(what, command)."""
    performance: tuple[str, ...]
    queries: tuple[str, ...] = ()
    notes: tuple[str, ...] = field(default_factory=tuple)
    written: bool = True
    verify: VerifyReport | None = None


def markdown(r: FeatureReport) -> str:
    out = [f"# Database Layer: {r.feature}", ""]
    out += ["## Project", ""]
    out += [f"- **{k}**: {v}" for k, v in r.detected]
    if r.adapted:
        out += ["", "Adapted to the project's conventions:", ""]
        out += [f"- {a}" for a in r.adapted]
    out += ["", "## Schema Design", ""]
    for t in r.tables:
        verb = "Created" if t.action == "create" else "Modified"
        model = f" (model `{t.model}`)" if t.model else ""
        out += [f"### {verb}: `{t.name}`{model}", ""]
        out += [f"- `{c}`" for c in t.columns]
        out += [f"- check: `{c}`" for c in t.checks]
        out.append("")
    if r.relationships:
        out += ["### Relationships", ""] + [f"- {x}" for x in r.relationships] + [""]
    out += ["### Indexes", ""]
    if r.indexes:
        out += ["| table | index | definition | purpose |", "| --- | --- | --- | --- |"]
        out += [f"| {i.table} | `{i.name}` | `{_cell(i.definition)}` | {_cell(i.purpose)} |"
                for i in r.indexes]  # fmt: skip
    else:
        out.append("None beyond the primary keys.")
    out.append("")
    if r.queries:
        out += ["### Queries served", ""] + [f"- `{q}`" for q in r.queries] + [""]
    out += ["## Migration Scripts", ""]
    out += [f"- {f.action}: `{f.path}`" for f in r.migration_files]
    out += ["", "### Up", "", "```sql", r.up.rstrip(), "```", ""]
    out += ["### Down", "", "```sql", r.down.rstrip(), "```", ""]
    out += ["## Models/Entities", ""] + [f"- {f.action}: `{f.path}`" for f in r.models] + [""]
    out += ["## Validation", ""] + [f"- {f.action}: `{f.path}`" for f in r.dtos] + [""]
    out += ["## Testing", ""]
    for t in r.tests:
        out.append(f"- `{t.path}`")
        out += [f"  - {c}" for c in t.checks]
    if r.verify is not None:
        out += ["", *verify_markdown(r.verify)]
    out += ["", "## Migration Commands", ""]
    out += [f"- {what}: `{cmd}`" for what, cmd in r.commands]
    out += ["", "## Performance Considerations", ""] + [f"- {p}" for p in r.performance]
    if r.notes:
        out += ["", "## Notes", ""] + [f"- {n}" for n in r.notes]
    if not r.written:
        if r.verify is not None and not r.verify.ok:
            out += ["", "_Verification failed: nothing was written._"]
        else:
            out += ["", "_Dry run: nothing was written._"]
    return "\n".join(out).rstrip() + "\n"


def verify_markdown(v: VerifyReport) -> list[str]:
    """The Testing section's `--verify` part: steps, test results, and on a failure the
    error, its explanation and the rollback."""
    verdict = "passed" if v.ok else f"FAILED at step `{v.failed_step}`"
    out = [f"### Verification ({v.database}): {verdict}", ""]
    out += ["| step | result | time |", "| --- | --- | --- |"]
    for s in v.steps:
        result = ("pass" if s.ok else "FAIL") + (f": {_cell(s.detail)}" if s.detail else "")
        out.append(f"| {s.name} | {result} | {s.seconds:.1f} s |")
    out.append("")
    if v.tests:
        out += [f"Tests: {v.passed} passed, {v.failed} failed, {len(v.tests)} in all.", ""]
        for t in v.tests:
            mark = "pass" if t.status == "passed" else t.status.upper()
            out.append(f"- {mark}: {t.name}")
            if t.status not in ("passed", "skipped", "pending", "todo") and t.message:
                first = t.message.strip().splitlines()[0]
                out.append(f"  - {first}")
        out.append("")
    if v.ok:
        return out
    if v.error:
        step = v.error_step or v.failed_step
        said = (
            "The first failing test said:"
            if step == "tests"
            else f"The database said (step `{step}`):"
        )
        out += [said, "", "```", v.error.rstrip(), "```", ""]
    if v.statement:
        out += ["In:", "", "```sql", v.statement.strip()[:2000], "```", ""]
    if v.explanation:
        out += [*(f"- {e}" for e in v.explanation), ""]
    if v.differences:
        out += ["Left behind by the down migration:", ""]
        out += [f"- {d}" for d in v.differences] + [""]
    out += ["#### Rollback", "", "Nothing was written, and the scratch databases were dropped. "
            "Where this migration was applied, undo it with:", ""]  # fmt: skip
    if v.rollback:
        out += [f"- `{v.rollback}`", ""]
    if v.down.strip():
        out += ["The down migration:", "", "```sql", v.down.rstrip(), "```", ""]
    return out


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def as_json(r: FeatureReport) -> str:
    data = asdict(r)
    if r.verify is not None:
        data["verify"]["passed"] = r.verify.passed
        data["verify"]["failed"] = r.verify.failed
    return json.dumps(data, indent=2) + "\n"

"""The database layer of a feature from one description: `schemasense generate description:"…"`.

One use case, for the CLI (and, next, the editor's "Generate database layer…" command):

1. `analyse` the project (`server/project/analysis.py`): its ORM, database, conventions,
   migration tool, DTO style, test runner;
2. read the description through the sources (`describe.py`) and merge it into the project's
   declared schema (`codegen.describe.merge`): problems (with line and column) and conflicts
   (naming both places) stop everything here, before anything is generated;
3. name the new tables the project's way (`codegen.describe.adapt`) and write them as the
   project's models with the model generator's emitters (`generate_model`: a Prisma schema
   edit or file, TypeORM entity files where the DataSource's `entities` find them, Sequelize
   model files);
4. put those files in the workspace as unsaved documents and let the other generators read the
   project as it will be: the migration (`generate_migration`: the diff from the replayed
   migrations to the models, up and down, in the project's tool), the DTOs (`generate_dto`)
   and the tests (`generate_tests`). Reading the new models back is also the proof they are
   where the project's configuration finds them;
5. `write(feature)`: every file or none (`files.py`); `--dry-run` prints them instead.

The report (`codegen.emit.report.feature`) is built from `Feature.report()`.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime

from schemasense.codegen.describe.adapt import adapt_tables
from schemasense.codegen.describe.merge import Merged, merge
from schemasense.codegen.emit.migrations.files import GeneratedFile
from schemasense.codegen.schema import Schema, Table
from schemasense.server.project.analysis import AnalysisError, ProjectAnalysis, analyse
from schemasense.server.project.conventions import detect_style
from schemasense.server.workflows import generate_dto, generate_migration, generate_model
from schemasense.server.workflows import generate_tests
from schemasense.server.workflows.describe import (
    Described,
    Problem,
    _place,
    load_text,
    project_form,
    read_description,
)
from schemasense.server.workflows.files import write_all_or_none
from schemasense.server.workspace.workspace import Workspace


class FeatureError(Exception):
    """What stops the feature: an unclear project, an unreadable description, a conflict."""

    def __init__(self, message: str, problems: tuple[Problem, ...] = ()) -> None:
        super().__init__(message)
        self.problems = problems


@dataclass(frozen=True)
class FeatureFile:
    path: str
    """Absolute."""
    text: str
    kind: str
    """`model`, `migration`, `dto`, `test` or `package`."""
    action: str = "create"
    """`create` or `edit` (an existing file, `before` its text now)."""
    before: str | None = None


@dataclass(frozen=True)
class Feature:
    name: str
    project: ProjectAnalysis
    described: Described
    merged: Merged
    created: tuple[Table, ...]
    """The new tables with their model and field names."""
    adaptations: tuple[str, ...]
    migration: generate_migration.Prepared
    files: tuple[FeatureFile, ...]
    dto_models: tuple[str, ...] = ()
    notes: tuple[str, ...] = field(default_factory=tuple)

    def by_kind(self, kind: str) -> list[FeatureFile]:
        return [f for f in self.files if f.kind == kind]


def feature_title(name: str | None, tables: list[Table]) -> str:
    """`add_product_catalog` -> `Product Catalog`; else the first new table's words."""
    base = name or (tables[0].name if tables else "feature")
    words = [w for w in re.split(r"[_\-\s]+", re.sub(r"(?<=[a-z])(?=[A-Z])", " ", base)) if w]
    if words and words[0].lower() in ("add", "create", "new"):
        words = words[1:] or words
    return " ".join(w.capitalize() for w in words)


def prepare(
    root: str,
    description: str,
    *,
    migration_name: str | None = None,
    orm: str | None = None,
    cwd: str | None = None,
    now: datetime | None = None,
) -> Feature:
    """Everything the feature writes, not written (see the module docstring)."""
    root = os.path.abspath(root)
    workspace = Workspace([root])
    try:
        project = analyse(workspace, root, orm)
    except AnalysisError as exc:
        raise FeatureError(str(exc)) from None
    try:
        text, filename = load_text(description, cwd or os.getcwd())
    except OSError as exc:
        raise FeatureError(f"the description {description}: {exc.strerror or exc}") from None
    described = read_description(text, filename, project)
    if described.problems:
        where = os.path.relpath(filename, cwd or os.getcwd()) if filename else "description"
        raise FeatureError(
            f"the {where} cannot be read ({len(described.problems)} problem(s)); nothing was "
            "written",
            tuple(described.problems),
        )
    form = project_form(project)
    merged = merge(form, described.schema)
    if merged.conflicts:
        problems = []
        for c in merged.conflicts:
            line, col = _line_col(described, c.described_span)
            problems.append(Problem(line, col, (
                f"conflict: {c.table}.{c.column} is {c.described} here but {c.declared} in the "
                f"project ({_place(c.declared_span, root)})"
            )))  # fmt: skip
        raise FeatureError("the description conflicts with the project; nothing was written",
                           tuple(problems))  # fmt: skip
    if not merged.created and not merged.changed:
        raise FeatureError("the project declares everything the description does; nothing to do")
    if merged.changed:
        listed = ", ".join(c.table for c in merged.changed)
        raise FeatureError(
            f"the description changes tables the project has ({listed}); writing changes to "
            "existing models is not supported yet: describe new tables only; nothing was written"
        )
    conv = project.conventions
    mapping = {"prisma": "@map", "typeorm": f"{conv.naming_strategy or 'default'} naming strategy",
               "sequelize": "field:"}[project.orm]  # fmt: skip
    field_case = "camel" if project.orm == "typeorm" else conv.field_case
    named = generate_model.with_class_names(project.schema, project.read)
    taken = {t.model_name or t.name for t in named.tables} | {
        t.model_name for t in form.tables if t.model_name}
    adapted = adapt_tables(merged.created, field_case, mapping, taken)
    created = {t.name: t for t in adapted.tables}
    schema = merged.schema.model_copy(
        update={"tables": [created.get(t.name, t) for t in merged.schema.tables]}
    )
    model_files = _model_files(workspace, project, schema, list(adapted.tables))
    for f in model_files:
        workspace.open(f.path, f.text)
    workspace.files_changed()
    unit = _unit_again(workspace, project, adapted.tables)
    proj = generate_migration.project_of(workspace, unit)
    title = feature_title(migration_name, list(adapted.tables))
    name = migration_name or generate_migration.slug_name("add " + title)
    migration = generate_migration.prepare(proj, name, now=now or datetime.now(UTC))
    files = list(model_files)
    files += [FeatureFile(f.path, f.text, "migration") for f in migration.files]
    models = [t.model_name for t in adapted.tables if t.model_name and t.kind == "table"]
    declared = workspace.analyze(unit).read.schema
    dto_names = [m for m in models if _model_known(declared, m)]
    files += _dto_files(workspace, unit, project, dto_names)
    files += _test_files(workspace, unit, root, tuple(dto_names))
    notes = [f"unsupported in the migration: {u}" for u in migration.migration.unsupported]
    return Feature(
        title,
        project,
        described,
        merged,
        tuple(adapted.tables),
        adapted.notes,
        migration,
        tuple(files),
        tuple(dto_names),
        tuple(notes),
    )


def _line_col(described: Described, span) -> tuple[int, int]:
    from schemasense.codegen.describe.text import line_col

    if span is None or span.file != described.path:
        return 1, 1
    return line_col(described.text.text, span.start)


def _model_known(schema: Schema, model: str) -> bool:
    return any(t.model_name == model for t in schema.tables)


_CODE = (".ts", ".js", ".cjs", ".mjs", ".mts", ".cts")


def _model_files(
    workspace: Workspace, project: ProjectAnalysis, schema: Schema, tables: list[Table]
) -> list[FeatureFile]:
    """The new tables as the project's models (the model generator's emitters and places)."""
    code = [p for p in project.unit.files if p.endswith(_CODE) and not p.endswith(".d.ts")]
    code = [p for p in code if "config" not in os.path.basename(p)]
    style = detect_style(project.root, code) if code else detect_style(project.root)
    gm = generate_model.Project(project.unit, schema, project.root, style, project.read)
    try:
        if project.orm == "prisma":
            new, appends = generate_model._prisma(workspace, gm, tables, None)
            out = [FeatureFile(f.path, f.text, "model") for f in new]
            out += [FeatureFile(a.path, a.expected + a.text, "model", "edit", a.expected)
                    for a in appends]  # fmt: skip
            return out
        if project.orm == "typeorm":
            made: list[GeneratedFile] = generate_model._typeorm(workspace, gm, tables, None)
        else:
            made = generate_model._sequelize(workspace, gm, tables, None)
    except generate_migration.GenerateError as exc:
        raise FeatureError(str(exc)) from None
    return [FeatureFile(f.path, f.text, "model") for f in made]


def _unit_again(workspace: Workspace, project: ProjectAnalysis, tables) -> object:
    """The project's model set read again with the new files: they must be in it."""
    units = [u for u in workspace.units_at(project.root) if u.kind == project.orm]
    unit = next((u for u in units if u.key == project.unit.key), units[0] if units else None)
    if unit is None:
        raise FeatureError("the project's models could not be read again with the new files")
    analysis = workspace.analyze(unit)
    have = {t.name for t in analysis.read.schema.tables}
    missing = [t.name for t in tables if t.name not in have]
    if missing:
        where = {"typeorm": "the DataSource's `entities`", "sequelize": "the models folder",
                 "prisma": "the Prisma schema"}[project.orm]  # fmt: skip
        raise FeatureError(
            f"the generated models of {', '.join(missing)} are not found by {where}; "
            "nothing was written"
        )
    errors = [f for f in analysis.read.findings if f.severity == "error"]
    if errors:
        first = errors[0]
        raise FeatureError(
            f"the generated models do not read cleanly ({first.code} {first.message}); "
            "nothing was written"
        )
    return unit


def _dto_files(workspace, unit, project: ProjectAnalysis, models: list[str]) -> list[FeatureFile]:
    if not models:
        return []
    styles = tuple(project.dto_styles) or generate_dto.STYLES
    try:
        prepared = generate_dto.prepare(workspace, unit, models=models, styles=styles)
    except generate_dto.DtoError as exc:
        raise FeatureError(f"DTOs: {exc}") from None
    if prepared.conflicts:
        raise FeatureError(f"{prepared.conflicts[0]} exists and is not schemasense's; nothing "
                           "was written")  # fmt: skip
    return [FeatureFile(f.path, f.text, "dto", "edit" if f.existing is not None else "create",
                        f.existing) for f in prepared.files if f.changed]  # fmt: skip


def _test_files(workspace, unit, root: str, models: tuple[str, ...]) -> list[FeatureFile]:
    if not models:
        return []
    try:
        prepared = generate_tests.prepare(workspace, root, models=models, unit=unit)
    except generate_migration.GenerateError as exc:
        raise FeatureError(f"tests: {exc}") from None
    out = []
    for f in prepared.changed:
        kind = "package" if f.path.endswith("package.json") else "test"
        before = _read(f.path) if f.action in ("edit", "update") else None
        out.append(FeatureFile(f.path, f.text, kind, "edit" if before is not None else "create",
                               before))  # fmt: skip
    return out


def _read(path: str) -> str | None:
    try:
        with open(path, encoding="utf-8", newline="") as f:
            return f.read()
    except OSError:
        return None


def write(feature: Feature) -> list[str]:
    """Every file or none; a new file must not exist, an edited one must be as read."""
    for f in feature.files:
        now = _read(f.path)
        if f.action == "create" and now is not None:
            raise FeatureError(f"{f.path} exists already; nothing was written")
        if f.action == "edit" and now != f.before:
            raise FeatureError(f"{f.path} changed while generating; nothing was written")
    return write_all_or_none((f.path, f.text) for f in feature.files)

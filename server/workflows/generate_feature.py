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

Beside it: `feature_models.py` (the new models, where the configuration finds them),
`feature_edits.py` (new columns and indexes in models the project has), `feature_by_hand.py`
(what the models cannot declare, kept in the migration), `feature_files.py` (what is written,
what stops it) and `feature_report.py` (the report's data; `codegen.emit.report.feature`
renders it).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime

from schemasense.codegen.describe.adapt import adapt_tables
from schemasense.codegen.describe.merge import Merged, merge
from schemasense.codegen.queries.design import IndexDesign, design_indexes
from schemasense.codegen.queries.sql import read_sql_queries
from schemasense.codegen.schema import Schema, Table
from schemasense.server.project.analysis import AnalysisError, ProjectAnalysis, analyse
from schemasense.server.workflows import (
    generate_dto,
    generate_migration,
    generate_model,
    generate_tests,
)
from schemasense.server.workflows.describe import (
    Described,
    Problem,
    _place,
    load_text,
    project_form,
    read_description,
)
from schemasense.server.workflows.feature_by_hand import by_hand as indexes_by_hand
from schemasense.server.workflows.feature_by_hand import (
    kept_by_hand,
    raw_steps,
    sequelize_by_hand,
    sequelize_check_comments,
    sequelize_checks,
    typeorm_by_hand,
    typeorm_checks,
    with_raw,
)
from schemasense.server.workflows.feature_edits import (
    prisma_changes,
    sequelize_changes,
    typeorm_changes,
)
from schemasense.server.workflows.feature_files import FeatureError, FeatureFile, read_text
from schemasense.server.workflows.feature_models import as_declared, listed_entities
from schemasense.server.workflows.feature_models import model_files as new_model_files
from schemasense.server.workflows.files import OutsideProject, write_all_or_none
from schemasense.server.workspace.workspace import Workspace

__all__ = [
    "Feature",
    "FeatureError",
    "FeatureFile",
    "key_value_form",
    "prepare",
    "run_cli",
    "write",
]


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
    design: IndexDesign | None = None
    """The indexes designed from the queries and the foreign keys (`codegen.queries.design`)."""
    raw: tuple[str, ...] = ()
    """Statements added to the migration by hand (what the ORM's models cannot declare)."""
    notes: tuple[str, ...] = field(default_factory=tuple)

    def by_kind(self, kind: str) -> list[FeatureFile]:
        return [f for f in self.files if f.kind == kind]


_LEAD_COMMENT = re.compile(r"^\s*(?:--|//|#|/\*+)\s*([^\n:.;]{3,60}):")


def feature_title(name: str | None, tables: list[Table], text: str = "") -> str:
    """`add_product_catalog` -> `Product Catalog`; else the description's first comment
    (`-- A product catalog: ...`, up to its colon); else the first new table's words."""
    lead = _LEAD_COMMENT.match(text)
    said = re.sub(r"^(?:an?|the)\s+", "", lead.group(1).strip(), flags=re.I) if lead else None
    base = name or said or (tables[0].name if tables else "feature")
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
    conv = project.conventions
    mapping = {"prisma": "@map", "typeorm": f"{conv.naming_strategy or 'default'} naming strategy",
               "sequelize": "field:"}[project.orm]  # fmt: skip
    field_case = "camel" if project.orm == "typeorm" else conv.field_case
    named = generate_model.with_class_names(project.schema, project.read)
    taken = {t.model_name or t.name for t in named.tables} | {
        t.model_name for t in form.tables if t.model_name
    }
    adapted = adapt_tables(merged.created, field_case, mapping, taken)
    adapted = _database_names_kept(adapted, merged.created, conv)
    if project.orm == "typeorm":
        adapted = _typeorm_key_names(project, adapted)
    design = _design(project, described, merged, adapted.tables)
    adapted = _with_designed(adapted, design)
    created = {t.name: t for t in adapted.tables}
    changes = _with_designed_changes(_named_changes(merged, field_case), design)
    if project.orm == "typeorm":
        changes = _typeorm_change_keys(project, changes)
    created.update({c.table: _apply_change(merged.schema.table(c.table), c) for c in changes})
    schema = merged.schema.model_copy(
        update={"tables": [created.get(t.name, t) for t in merged.schema.tables]}
    )
    title = feature_title(migration_name, list(adapted.tables), text)
    emitted = list(adapted.tables)
    if project.orm == "prisma" and described.text.format == "prisma":
        emitted = as_declared(emitted, described.declared)
        schema = schema.model_copy(update={"tables": [
            next((e for e in emitted if e.name == t.name), t) for t in schema.tables]})  # fmt: skip
    model_files = new_model_files(workspace, project, schema, emitted, title)
    if project.orm == "prisma":
        model_files += prisma_changes(
            workspace, project, form, schema, changes, model_files, emitted
        )
    elif project.orm == "typeorm" and (changes or _points_at_project(adapted.tables, form)):
        model_files += typeorm_changes(
            workspace, project, form, schema, changes, model_files, adapted.tables
        )
    elif changes:
        model_files += sequelize_changes(workspace, project, form, schema, changes)
    if project.orm == "prisma":
        model_files = kept_by_hand(
            model_files, [*adapted.tables, *(created[c.table] for c in changes)]
        )
    elif project.orm == "typeorm":
        model_files = typeorm_by_hand(model_files, adapted.tables)
    else:
        model_files = sequelize_by_hand(model_files, adapted.tables)
        model_files = sequelize_check_comments(model_files, [
            (t.model_name, c.checks) for c in changes if c.checks
            and (t := form.table(c.table)) is not None and t.model_name])  # fmt: skip
    for f in model_files:
        workspace.open(f.path, f.text)
    workspace.files_changed()
    if project.orm == "typeorm":
        model_files += listed_entities(workspace, project, model_files, adapted.tables)
    unit = _unit_again(workspace, project, adapted.tables)
    touched = [*adapted.tables, *(created[c.table] for c in changes)]
    base = generate_migration.project_of(workspace, unit)
    proj = with_extras(base, touched)
    name = migration_name or generate_migration.slug_name("add " + title)
    migration = generate_migration.prepare(
        proj, name, now=now or datetime.now(UTC), safe=_needs_safe_steps(project, changes)
    )
    raw = raw_steps(project, proj, touched) if project.orm == "prisma" else []
    files = list(model_files)
    by_hand = indexes_by_hand(touched, expressions_only=project.orm != "prisma")
    files += [FeatureFile(f.path, with_raw(f, raw, by_hand), "migration") for f in migration.files]
    if project.orm == "typeorm" and touched and not proj.declares_checks:
        # where the entities declare their CHECKs (`checks_declared_on`), the diff already
        # adds them; elsewhere (MySQL, whose CHECKs TypeORM ignores) they are raw steps, for
        # the new tables and the ones that gain them
        checks = raw_steps(project, proj, touched)
        drop = raw_steps(project, proj, [created[c.table] for c in changes])
        files = [typeorm_checks(f, checks, drop) if f.kind == "migration" else f for f in files]
        raw = checks
    if project.orm == "sequelize" and any(c.checks for c in changes):
        # a Sequelize model cannot declare a CHECK, so the diff has none: added by hand
        checks = raw_steps(project, proj, [created[c.table] for c in changes if c.checks])
        files = sequelize_checks(files, checks)
        raw = checks
    for f in files[len(model_files) :]:  # the tests read the CHECKs the migrations build
        workspace.open(f.path, f.text)
    workspace.files_changed()
    models = [t.model_name for t in adapted.tables if t.model_name and t.kind == "table"]
    models += [t.model_name for c in changes if (t := form.table(c.table)) and t.model_name]
    read = workspace.analyze(unit).read
    declared = generate_model.with_class_names(read.schema, read)
    dto_names = [m for m in models if _model_known(declared, m)]
    files += _dto_files(workspace, unit, project, dto_names)
    migrated = replace(base, migrated=_with_checks(base.migrated, proj.declared))
    files += _test_files(
        workspace, unit, root, tuple(dto_names), [f for f in files if f.kind == "migration"],
        migrated,
    )  # fmt: skip
    notes = [f"unsupported in the migration: {u}" for u in migration.migration.unsupported]
    if project.orm == "prisma" and (raw or by_hand):
        notes.append(
            "Prisma's schema cannot declare CHECK constraints, partial or expression indexes: "
            "the migration has them (its indexes marked `schemasense-ignore DB309`: `prisma "
            "migrate dev` would drop them), the models keep them as comments"
        )
    elif by_hand:
        notes.append(
            f"{project.title} models cannot declare an index on an expression ("
            + ", ".join(sorted(by_hand))
            + "): the migration creates it, marked `schemasense-ignore DB309` there and on the "
            + ("entity, which also declares it `synchronize: false` so TypeORM's schema sync "
               "keeps it" if project.orm == "typeorm" else "model")
        )  # fmt: skip
    if project.orm == "sequelize" and any(t.checks for t in touched):
        notes.append(
            "Sequelize models cannot declare CHECK constraints: the migration adds them, the "
            "models say so in a comment"
        )
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
        design,
        tuple(raw),
        tuple(notes),
    )


def _needs_safe_steps(project: ProjectAnalysis, changes) -> bool:
    """A foreign key or unique constraint added to a table the project has (which may hold rows
    and be in use): on PostgreSQL the migration takes the safe plan's steps
    (`codegen.ddl.safe`, DB0xx's advice): the key added `NOT VALID` then validated in a
    migration of its own, the unique built as an index `CONCURRENTLY` then attached."""
    return project.dialect in ("postgresql", "cockroachdb") and any(
        c.foreign_keys or c.uniques for c in changes
    )


def with_extras(proj: generate_migration.Project, tables) -> generate_migration.Project:
    """The migration's target: the models as the ORM reads them, plus what the description
    says of its new tables that the ORM cannot declare (a Prisma schema has no CHECK, no
    expression index), so the migration builds all of it."""
    from dataclasses import replace

    from schemasense.server.drift.database_form import database_form

    if proj.declared_is_database_form:
        form = proj.declared
    else:
        form = generate_migration.with_declared_names(
            database_form(proj.declared).schema, proj.declared
        )
    wanted = {t.name: t for t in tables}
    out = []
    for t in form.tables:
        d = wanted.get(t.name)
        if d is None:
            out.append(t)
            continue
        have = {_squash(c.expression) for c in t.checks}
        checks = [*t.checks, *(c for c in d.checks if _squash(c.expression) not in have)]
        names = {i.name for i in t.indexes} | {u.name for u in t.uniques}
        keys = {_index_key(i) for i in t.indexes}
        extra = [i for i in d.indexes if i.name not in names and _index_key(i) not in keys]
        out.append(t.model_copy(update={"checks": checks, "indexes": [*t.indexes, *extra]}))
    return replace(proj, declared=form.model_copy(update={"tables": out}),
                   declared_is_database_form=True)  # fmt: skip


def _squash(text: str) -> str:
    return re.sub(r"[\s()]+", "", text).lower()


def _index_key(index) -> tuple:
    cols = tuple((c.column, _squash(c.expression or "")) for c in index.columns)
    return cols, index.unique, index.method or "btree", _squash(index.predicate or "")


def _line_col(described: Described, span) -> tuple[int, int]:
    from schemasense.codegen.describe.text import line_col

    if span is None or span.file != described.path:
        return 1, 1
    return line_col(described.text.text, span.start)


def _model_known(schema: Schema, model: str) -> bool:
    return any(t.model_name == model for t in schema.tables)


def _database_names_kept(adapted, tables, conv):
    """Say where the description's database names differ from the project's habits: they are
    kept (the description says what the database holds), and the report says so."""
    from dataclasses import replace

    columns = [c.name for t in tables for c in t.columns]
    snake = sum(1 for c in columns if "_" in c and c == c.lower())
    camel = sum(1 for c in columns if c != c.lower() and "_" not in c)
    case = "snake" if snake >= camel else "camel"
    notes = list(adapted.notes)
    if columns and (snake or camel) and case != conv.column_case:
        notes.append(
            f"the description's columns are {case}_case, the project's {conv.column_case}Case: "
            "the database names are kept as the description says them".replace(
                "camel_case", "camelCase").replace("snakeCase", "snake_case")
        )  # fmt: skip
    plural = [t.name.endswith("s") for t in tables]
    if conv.plural_tables is not None and plural and all(plural) != conv.plural_tables:
        what = "plural" if all(plural) else "singular"
        theirs = "plural" if conv.plural_tables else "singular"
        notes.append(
            f"the description's table names are {what}, the project's {theirs}: kept as the "
            "description says them"
        )
    return replace(adapted, notes=tuple(notes))


def _typeorm_key_names(project: ProjectAnalysis, adapted):
    """Foreign keys named as the project's TypeORM names them (`FK_<sha1>`): TypeORM compares
    its own names with the database's, so a key of another name would be renamed by its
    schema sync, and `foreignKeyConstraintName` is not read by every TypeORM tool."""
    from dataclasses import replace

    from schemasense.codegen.orms.typeorm.naming import NamingStrategy, SnakeNamingStrategy
    from schemasense.server.project.typeorm import typeorm_version

    version = typeorm_version(read_text(os.path.join(project.root, "package.json")))
    snake = getattr(getattr(project.read, "datasource", None), "naming", None) == "snake"
    naming = (SnakeNamingStrategy if snake else NamingStrategy)(version)  # type: ignore[arg-type]
    tables, renamed = [], []
    for t in adapted.tables:
        fks = []
        for fk in t.foreign_keys:
            name = naming.foreign_key_name(t.name, fk.columns)
            if name != fk.name:
                renamed.append(f"`{fk.name}` -> `{name}`")
            fks.append(fk.model_copy(update={"name": name}))
        tables.append(t.model_copy(update={"foreign_keys": fks}))
    notes = adapted.notes
    if renamed:
        notes += (f"foreign keys take TypeORM's names: {', '.join(renamed)}",)
    return replace(adapted, tables=tuple(tables), notes=notes)


def _typeorm_change_keys(project: ProjectAnalysis, changes):
    """The foreign keys an existing entity gains, named as TypeORM names them (as the new
    tables' are, `_typeorm_key_names`)."""
    from dataclasses import replace

    out = []
    for c in changes:
        if not c.foreign_keys:
            out.append(c)
            continue
        renamed = _typeorm_key_names(project, _Tables((Table(name=c.table, columns=list(
            c.columns), foreign_keys=list(c.foreign_keys)),)))  # fmt: skip
        out.append(replace(c, foreign_keys=tuple(renamed.tables[0].foreign_keys)))
    return out


@dataclass(frozen=True)
class _Tables:
    tables: tuple[Table, ...]
    notes: tuple[str, ...] = ()


_PLANNER_DIALECTS = {"postgresql": "postgresql", "cockroachdb": "postgresql", "mysql": "mysql",
                     "mariadb": "mysql", "sqlite": "sqlite"}  # fmt: skip


def _design(project: ProjectAnalysis, described: Described, merged: Merged, created) -> IndexDesign:
    """The indexes the description's queries and its foreign keys need (the planner's design,
    `codegen.queries.design`), on the merged schema, for the tables the feature creates or
    changes. An index the description declares itself is part of the schema it designs on."""
    dialect = _PLANNER_DIALECTS.get(project.dialect, "postgresql")
    text = ";\n".join(q.sql for q in described.text.queries)
    queries = read_sql_queries(text, dialect, merged.schema) if text else []
    scope = {t.name for t in created} | {c.table for c in merged.changed}
    keys = {(t.name, "*") for t in created} | {
        (c.table, fk.name) for c in merged.changed for fk in c.foreign_keys
    }
    return design_indexes(merged.schema, queries, dialect, scope, foreign_keys=keys)


def _with_designed(adapted, design: IndexDesign):
    from dataclasses import replace

    by_table: dict[str, list] = {}
    for d in design.indexes:
        by_table.setdefault(d.table, []).append(d.index)
    tables = tuple(
        t.model_copy(update={"indexes": [*t.indexes, *by_table.get(t.name, [])]})
        for t in adapted.tables
    )
    return replace(adapted, tables=tables)


def _with_designed_changes(changes, design: IndexDesign):
    from dataclasses import replace

    out = []
    for c in changes:
        extra = tuple(d.index for d in design.indexes if d.table == c.table)
        out.append(replace(c, indexes=c.indexes + extra) if extra else c)
    return out


def _named_changes(merged: Merged, field_case: str):
    """The changes to existing tables, their new columns named in the project's case."""
    from dataclasses import replace

    out = []
    for c in merged.changed:
        adapted = adapt_tables([Table(name=c.table, columns=list(c.columns))], field_case, "")
        out.append(replace(c, columns=tuple(adapted.tables[0].columns)))
    return out


def _apply_change(table: Table | None, change) -> Table:
    assert table is not None
    names = {c.name for c in change.columns}
    new_keys = {_fk_key(f) for f in change.foreign_keys}
    return table.model_copy(
        update={
            "columns": [*(c for c in table.columns if c.name not in names), *change.columns],
            "indexes": [*(i for i in table.indexes if i not in change.indexes), *change.indexes],
            "checks": [*(c for c in table.checks if c not in change.checks), *change.checks],
            "uniques": [*(u for u in table.uniques if u not in change.uniques), *change.uniques],
            "foreign_keys": [
                *(f for f in table.foreign_keys if _fk_key(f) not in new_keys),
                *change.foreign_keys,
            ],
        }
    )


def _points_at_project(tables, form: Schema) -> bool:
    """A new table has a foreign key to a table the project has (whose entity gains the
    relation's other side)."""
    return any(form.table(f.referenced_table) for t in tables for f in t.foreign_keys)


def _fk_key(fk) -> tuple:
    return tuple(fk.columns), fk.referenced_table


def _unit_again(workspace: Workspace, project: ProjectAnalysis, tables) -> object:
    """The project's model set read again with the new files: they must be in it."""
    units = [u for u in workspace.units_at(project.root) if u.kind == project.orm]
    unit = next((u for u in units if u.key == project.unit.key), units[0] if units else None)
    if len(units) > 1:
        listed = ", ".join(os.path.relpath(u.key, project.root) for u in units)
        raise FeatureError(
            f"with the new models the project's {project.title} configurations no longer agree "
            f"on the entities ({listed}); nothing was written"
        )
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


def _with_checks(migrated: Schema, target: Schema) -> Schema:
    """What the migrations build once the feature's has run, as far as the tests generator asks
    (the CHECKs): each table's checks from the migration's target."""
    tables = {t.name: t for t in migrated.tables}
    for t in target.tables:
        have = tables.get(t.name)
        tables[t.name] = (have or t).model_copy(update={"checks": list(t.checks)})
    return migrated.model_copy(update={"tables": list(tables.values())})


def _test_files(
    workspace,
    unit,
    root: str,
    models: tuple[str, ...],
    migrations: list[FeatureFile] = (),
    project=None,
) -> list[FeatureFile]:
    if not models:
        return []
    try:
        prepared = generate_tests.prepare(
            workspace, root, models=models, unit=unit, project=project
        )
    except generate_migration.GenerateError as exc:
        raise FeatureError(f"tests: {exc}") from None
    out = []
    for f in prepared.files:
        text = _with_migration_classes(f.path, f.text, migrations)
        if f.action == "unchanged" and text == f.text:
            continue
        kind = "package" if f.path.endswith("package.json") else "test"
        before = read_text(f.path)
        out.append(FeatureFile(f.path, text, kind, "edit" if before is not None else "create",
                               before))  # fmt: skip
    return out


_MIGRATION_CLASS = re.compile(r"export\s+class\s+(\w+)\s+implements\s+MigrationInterface")


def _listed(match: re.Match, name: str) -> str:
    items = match.group(2).rstrip().rstrip(",")
    return match.group(1) + (items + ", " if items.strip() else "") + name + match.group(3)


def _with_migration_classes(path: str, text: str, migrations: list[FeatureFile]) -> str:
    """The tests' TypeORM set-up lists the project's migration classes as the disk has them:
    the feature's new one is added (imported, and last in `migrations: [...]`)."""
    if not path.endswith(("db.ts", "db.js")) or "migrations: [" not in text:
        return text
    for m in migrations:
        cls = _MIGRATION_CLASS.search(m.text)
        if cls is None or re.search(rf"\b{cls.group(1)}\b", text):
            continue
        spec = os.path.relpath(os.path.splitext(m.path)[0], os.path.dirname(path))
        spec = spec if spec.startswith(".") else "./" + spec
        imports = list(re.finditer(r"^import\b[^\n]*;?$", text, re.M))
        line = f'import {{ {cls.group(1)} }} from "{spec}";\n'
        at = imports[-1].end() + 1 if imports else 0
        text = text[:at] + line + text[at:]
        name = cls.group(1)
        text = re.sub(
            r"(migrations: \[)([^\]]*)(\])",
            lambda x, name=name: _listed(x, name),
            text,
            count=1,
        )
    return text


def write(feature: Feature) -> list[str]:
    """Every file or none; a new file must not exist, an edited one must be as read."""
    for f in feature.files:
        now = read_text(f.path)
        if f.action == "create" and now is not None:
            raise FeatureError(f"{f.path} exists already; nothing was written")
        if f.action == "edit" and now != f.before:
            raise FeatureError(f"{f.path} changed while generating; nothing was written")
    try:
        return write_all_or_none(
            ((f.path, f.text) for f in feature.files), root=feature.project.root
        )
    except OutsideProject as exc:
        raise FeatureError(str(exc)) from None


# -- the command line ----------------------------------------------------------------------------

KEYS = ("description", "migration", "orm", "project", "format", "verify")


def key_value_form(argv: list[str]) -> list[str]:
    """`generate description:"…" [migration:"…"] [orm:"…"]` -> `generate feature --description
    … --migration … --orm …`: the issue's short form, given to argparse as flags. Tokens are
    taken as `key:value` only right after `generate`, and only for the keys above."""
    if len(argv) < 2 or argv[0] != "generate" or not _is_key_value(argv[1]):
        return argv
    out = ["generate", "feature"]
    rest = argv[1:]
    while rest and _is_key_value(rest[0]):
        key, _, value = rest.pop(0).partition(":")
        out += [f"--{key}", value]
    return out + rest


def _is_key_value(token: str) -> bool:
    key, sep, _ = token.partition(":")
    return bool(sep) and key in KEYS


def run_cli(
    description: str,
    *,
    project: str = ".",
    migration: str | None = None,
    orm: str | None = None,
    dry_run: bool = False,
    fmt: str = "markdown",
    out=None,
    err=None,
    now: datetime | None = None,
    verify: str | None = None,
) -> int:
    """`schemasense generate feature`: 0 written (or shown), 2 when it cannot be done, 3 when
    `verify` (None: no verification; "": the default database; else a URL) failed a step;
    then nothing is written (`feature_verify.py`)."""
    import json
    import sys

    from schemasense.codegen.emit.report.feature import as_json, markdown
    from schemasense.server.workflows.feature_report import build

    out = out or sys.stdout
    err = err or sys.stderr
    verified = None
    try:
        feature = prepare(project, description, migration_name=migration, orm=orm, now=now)
        if verify is not None:
            verified = _verify(feature, verify, err)
            if verified is None:
                return 2
        if not dry_run and (verified is None or verified.ok):
            write(feature)
    except FeatureError as exc:
        print(f"schemasense: {exc}", file=err)
        for p in exc.problems:
            print(f"  {p}", file=err)
        return 2
    failed = verified is not None and not verified.ok
    report = build(feature, written=not dry_run and not failed)
    if verified is not None:
        report = replace(report, verify=verified)
    code = 0
    if failed:
        print(
            f"schemasense: verification failed at step `{verified.failed_step}`; nothing was "
            "written (the report has the error and the rollback)",
            file=err,
        )
        code = 3
    if fmt == "json":
        data = json.loads(as_json(report))
        if dry_run:
            root = feature.project.root
            data["files"] = [{"path": os.path.relpath(f.path, root), "action": f.action,
                              "text": f.text} for f in feature.files]  # fmt: skip
        out.write(json.dumps(data, indent=2) + "\n")
        return code
    if dry_run and not failed:
        for f in feature.files:
            out.write(f"--- {os.path.relpath(f.path, feature.project.root)} ({f.action})\n")
            out.write(f.text if f.text.endswith("\n") else f.text + "\n")
        out.write("\n")
    out.write(markdown(report))
    return code


def _verify(feature: Feature, url: str, err):
    """The feature proved on a scratch database (`feature_verify.verify`), as the report's
    part; None (and why, on `err`) when verification cannot start."""
    from schemasense.server.workflows.feature_verify import VerifyUnavailable, as_report
    from schemasense.server.workflows.feature_verify import verify as run

    try:
        return as_report(run(feature, url or None))
    except VerifyUnavailable as exc:
        print(f"schemasense: cannot verify: {exc}; nothing was written", file=err)
        return None

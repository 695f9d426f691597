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
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime

from schemasense.codegen.describe.adapt import adapt_tables
from schemasense.codegen.describe.merge import Merged, merge
from schemasense.codegen.emit.migrations.files import GeneratedFile
from schemasense.codegen.queries.design import IndexDesign, design_indexes
from schemasense.codegen.queries.sql import read_sql_queries
from schemasense.codegen.schema import Schema, Table
from schemasense.server.project.analysis import AnalysisError, ProjectAnalysis, analyse
from schemasense.server.project.conventions import detect_style
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
    checked = [c.table for c in merged.changed if c.checks]
    if checked and project.orm == "sequelize":
        raise FeatureError(
            f"the description adds CHECK constraints to {', '.join(checked)}, which the project "
            "has: not written yet for Sequelize (new columns and indexes are); nothing was "
            "written"
        )
    refused = [c.table for c in merged.changed if c.foreign_keys or c.uniques]
    if refused:
        raise FeatureError(
            f"the description adds foreign keys or unique constraints to {', '.join(refused)}, "
            "which the project has: not written yet (new columns, indexes and checks are); "
            "nothing was written"
        )
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
    created.update({c.table: _apply_change(merged.schema.table(c.table), c) for c in changes})
    schema = merged.schema.model_copy(
        update={"tables": [created.get(t.name, t) for t in merged.schema.tables]}
    )
    title = feature_title(migration_name, list(adapted.tables), text)
    emitted = list(adapted.tables)
    if project.orm == "prisma" and described.text.format == "prisma":
        emitted = _as_declared(emitted, described.declared)
        schema = schema.model_copy(update={"tables": [
            next((e for e in emitted if e.name == t.name), t) for t in schema.tables]})  # fmt: skip
    model_files = _model_files(workspace, project, schema, emitted, title)
    if project.orm == "prisma":
        model_files += _prisma_changes(workspace, project, form, schema, changes, model_files)
    elif changes and project.orm == "typeorm":
        model_files += _typeorm_changes(workspace, project, form, schema, changes, model_files)
    elif changes:
        model_files += _sequelize_changes(workspace, project, form, schema, changes)
    if project.orm == "prisma":
        model_files = _kept_by_hand(
            model_files, [*adapted.tables, *(created[c.table] for c in changes)]
        )
    elif project.orm == "typeorm":
        model_files = _typeorm_by_hand(model_files, adapted.tables)
    else:
        model_files = _sequelize_by_hand(model_files, adapted.tables)
    for f in model_files:
        workspace.open(f.path, f.text)
    workspace.files_changed()
    if project.orm == "typeorm":
        model_files += _listed_entities(workspace, project, model_files, adapted.tables)
    unit = _unit_again(workspace, project, adapted.tables)
    touched = [*adapted.tables, *(created[c.table] for c in changes)]
    base = generate_migration.project_of(workspace, unit)
    proj = with_extras(base, touched)
    name = migration_name or generate_migration.slug_name("add " + title)
    migration = generate_migration.prepare(proj, name, now=now or datetime.now(UTC))
    raw = raw_steps(project, proj, touched) if project.orm == "prisma" else []
    files = list(model_files)
    by_hand = _by_hand(touched, expressions_only=project.orm != "prisma")
    files += [FeatureFile(f.path, _with_raw(f, raw, by_hand), "migration") for f in migration.files]
    if project.orm == "typeorm" and changes:
        checks = raw_steps(project, proj, [created[c.table] for c in changes])
        files = [_typeorm_checks(f, checks) if f.kind == "migration" else f for f in files]
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


def raw_steps(project: ProjectAnalysis, proj, tables) -> list[str]:
    """What Prisma's migration SQL leaves out and the description asks for: its CHECK
    constraints, as statements added to `migration.sql` (a Prisma migration is SQL the developer
    may extend; `prisma migrate deploy` runs it as it is). Partial and expression indexes, which
    a Prisma schema cannot declare either, are in the migration's target (`with_extras`), so
    the migration writes them itself."""
    from schemasense.codegen.dialects import get_dialect

    dialect = get_dialect(project.dialect)
    target: Schema = proj.declared
    out = []
    for t in tables:
        after = target.table(t.name)
        if after is None:
            continue
        before = proj.migrated.table(t.name)
        had_checks = {c.name for c in before.checks} if before else set()
        q = dialect.quote
        for c in after.checks:
            if c.name in had_checks:
                continue
            expression = c.expression if c.expression.upper().startswith("CHECK") else (
                f"CHECK ({c.expression})")  # fmt: skip
            out.append(f"ALTER TABLE {q(t.name)} ADD CONSTRAINT {q(c.name)} {expression};")
    return out


_ADD_CHECK = re.compile(r'^ALTER TABLE ("[^"]+") ADD CONSTRAINT ("[^"]+") CHECK .*;$')


def _typeorm_checks(f: FeatureFile, checks: list[str]) -> FeatureFile:
    """A TypeORM migration class with the CHECKs added to tables that exist (the diff carries
    a table's checks only when it writes the table whole): each a `queryRunner.query` at the
    end of `up`, and dropped first in `down`."""
    from dataclasses import replace

    if not checks or not f.path.endswith((".ts", ".js")):
        return f
    text = f.text
    up = re.search(r"async up\([^)]*\)[^{]*\{", text)
    down = re.search(r"async down\([^)]*\)[^{]*\{", text)
    if up is None or down is None:
        return f
    indent = "        "
    adds = "".join(f"{indent}await queryRunner.query(`{c.rstrip(';')}`);\n" for c in checks)
    drops = ""
    for c in checks:
        m = _ADD_CHECK.match(c)
        if m:
            drops += (f"{indent}await queryRunner.query(`ALTER TABLE {m.group(1)} DROP CONSTRAINT "
                      f"IF EXISTS {m.group(2)}`);\n")  # fmt: skip
    up_end = _body_end(text, up.end() - 1)
    text = text[:up_end].rstrip(" ") + adds + text[up_end:]
    down = re.search(r"async down\([^)]*\)[^{]*\{\n?", text)
    assert down is not None
    text = text[: down.end()] + drops + text[down.end() :]
    return replace(f, text=text)


def _body_end(text: str, open_at: int) -> int:
    """The offset of the line holding the `}` that closes the brace at `open_at`."""
    depth = 0
    for i in range(open_at, len(text)):
        if text[i] == "{":
            depth += 1
        elif text[i] == "}":
            depth -= 1
            if depth == 0:
                return text.rfind("\n", 0, i) + 1
    return len(text)


def _kept_by_hand(files: list[FeatureFile], tables) -> list[FeatureFile]:
    """Above each Prisma model whose table has indexes only the migration can say (partial,
    expression), the suppression DB309's docs ask for: they are kept by hand, on purpose."""
    from dataclasses import replace

    models = {t.model_name for t in tables if t.model_name and _by_hand([t])}
    out = []
    for f in files:
        text = f.text
        for model in models:
            text = re.sub(
                rf"^(model {re.escape(model)} \{{)",
                "// schemasense-ignore DB309 its partial and expression indexes are kept by hand "
                "in the migration\n\\1",
                text,
                flags=re.M,
            )
        out.append(replace(f, text=text) if text != f.text else f)
    return out


def _typeorm_by_hand(files: list[FeatureFile], tables) -> list[FeatureFile]:
    """An entity whose table has an index on an expression (full-text search), which TypeORM
    cannot declare: `@Index(name, { synchronize: false })` so TypeORM's schema sync leaves the
    index alone, and the DB309 suppression, since only the migration creates it."""
    from dataclasses import replace

    out = []
    for f in files:
        text = f.text
        for t in tables:
            names = [i.name for i in t.indexes if any(c.expression for c in i.columns)]
            entity = re.search(rf"^@Entity\(\s*[\"']{re.escape(t.name)}[\"']", text, re.M)
            if not names or entity is None:
                continue
            lines = "".join(f'@Index("{n}", {{ synchronize: false }})\n' for n in names)
            lines += (
                "// schemasense-ignore DB309 kept by hand: TypeORM cannot declare an index on "
                "an expression\n"
            )
            text = text[: entity.start()] + lines + text[entity.start() :]
        out.append(replace(f, text=text) if text != f.text else f)
    return out


_ADD_INDEX = re.compile(r"^([ \t]*)(await [\w.]*addIndex\()", re.M)


def _sequelize_mark(text: str, name: str) -> str:
    """The `addIndex(` call of a sequelize-cli migration that names index `name`, marked."""
    at = text.find(f'name: "{name}"')
    if at < 0:
        at = text.find(f"name: '{name}'")
    calls = [m for m in _ADD_INDEX.finditer(text) if m.start() < at]
    if at < 0 or not calls:
        return text
    m = calls[-1]
    mark = (f"{m.group(1)}// schemasense-ignore DB309 kept by hand: the models cannot declare "
            "this index\n")  # fmt: skip
    return text[: m.start()] + mark + text[m.start() :]


def _sequelize_by_hand(files: list[FeatureFile], tables) -> list[FeatureFile]:
    """A Sequelize model whose table has an index on an expression, which its `indexes` option
    does not say here: the DB309 suppression above its `modelName`, since only the migration
    creates it."""
    from dataclasses import replace

    out = []
    for f in files:
        text = f.text
        for t in tables:
            if not any(any(c.expression for c in i.columns) for i in t.indexes) or not t.model_name:
                continue
            m = re.search(
                rf"^([ \t]*)(modelName:\s*[\"']{re.escape(t.model_name)}[\"'])", text, re.M
            )
            if m is not None:
                mark = (f"{m.group(1)}// schemasense-ignore DB309 kept by hand in the migration: "
                        "an index on an expression\n")  # fmt: skip
                text = text[: m.start()] + mark + text[m.start() :]
        out.append(replace(f, text=text) if text != f.text else f)
    return out


def _by_hand(tables, expressions_only: bool = False) -> set[str]:
    return {
        i.name
        for t in tables
        for i in t.indexes
        if (i.predicate and not expressions_only) or any(c.expression for c in i.columns)
    }


def _with_raw(f: GeneratedFile, raw: list[str], by_hand: set[str] = frozenset()) -> str:
    """A migration file with each index its models cannot declare (`by_hand`: partial or
    expression indexes in Prisma, expression indexes in TypeORM) marked as kept by hand, as
    DB309's docs say to; a Prisma `migration.sql` also gets the CHECKs (`raw`)."""
    text = f.text
    lead = "--" if f.path.endswith(".sql") else "//"
    for name in sorted(by_hand):
        text = _sequelize_mark(text, name)
        text = re.sub(
            rf'^([ \t]*)(.*CREATE (?:UNIQUE )?INDEX "{re.escape(name)}")',
            rf"\1{lead} schemasense-ignore DB309 kept by hand: the models cannot declare this "
            r"index\n\1\2",
            text,
            count=1,
            flags=re.M,
        )
    if not f.path.endswith("migration.sql"):
        return text
    if not raw:
        return text
    body = "\n\n".join(raw)
    note = "-- Added by schemasense: the CHECK constraints, which Prisma's schema cannot declare"
    return text.rstrip("\n") + f"\n\n{note}\n{body}\n"


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


_CODE = (".ts", ".js", ".cjs", ".mjs", ".mts", ".cts")


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

    version = typeorm_version(_read(os.path.join(project.root, "package.json")))
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
    return design_indexes(merged.schema, queries, dialect, scope)


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
    return table.model_copy(
        update={
            "columns": [*(c for c in table.columns if c.name not in names), *change.columns],
            "indexes": [*(i for i in table.indexes if i not in change.indexes), *change.indexes],
            "checks": [*(c for c in table.checks if c not in change.checks), *change.checks],
        }
    )


def _prisma_changes(
    workspace: Workspace,
    project: ProjectAnalysis,
    form: Schema,
    schema: Schema,
    changes,
    files: list[FeatureFile],
) -> list[FeatureFile]:
    """New columns and indexes of existing Prisma models, written into their model blocks: the
    lines the Prisma emitter writes for the changed table that it does not write for the table
    as it is (fields before the block attributes, `@@index` lines before the `}`). Blocks are
    edited from the end of each file, so the offsets read stay true."""
    from schemasense.codegen.emit.models.prisma import prisma_models

    todo: dict[str, list] = {}
    for change in changes:
        declared = project.schema.table(change.table)
        if declared is None or declared.span is None:
            raise FeatureError(f"{change.table}: its model could not be found")
        todo.setdefault(declared.span.file, []).append((declared, change))
    out = []
    for path, items in todo.items():
        before = workspace.text(path) or ""
        text = before
        for declared, change in sorted(items, key=lambda i: -i[0].span.start):
            old = {
                " ".join(x.split())
                for x in _lines(prisma_models(schema, [form.table(change.table)]))
            }
            new = [x for x in _lines(prisma_models(schema, [schema.table(change.table)]))
                   if " ".join(x.split()) not in old]  # fmt: skip
            fields = [" ".join(x.split()) for x in new if not x.lstrip().startswith(("@@", "//"))]
            attributes = [x.strip() for x in new if x.lstrip().startswith("@@")]
            text = _into_block(text, declared.span.start, declared.span.end, fields, attributes)
        out.append(FeatureFile(path, text, "model", "edit", before))
    return out


def _typeorm_changes(
    workspace: Workspace,
    project: ProjectAnalysis,
    form: Schema,
    schema: Schema,
    changes,
    files: list[FeatureFile],
) -> list[FeatureFile]:
    """New columns and indexes of existing TypeORM entities, written into their classes: the
    members (decorators and property, a blank line apart) and class decorators the entity
    emitter writes for the changed table that it does not write for the table as it is, with
    the decorators they use added to the `typeorm` import."""
    from schemasense.codegen.emit.models.typeorm import EntityOptions, typeorm_entity_files
    from schemasense.codegen.orms.typeorm.naming import NamingStrategy, SnakeNamingStrategy
    from schemasense.server.project.typeorm import typeorm_version

    version = typeorm_version(_read(os.path.join(project.root, "package.json")))
    snake = getattr(getattr(project.read, "datasource", None), "naming", None) == "snake"
    options = EntityOptions(naming=(SnakeNamingStrategy if snake else NamingStrategy)(version))  # type: ignore[arg-type]
    metas = {m.name: m for m in getattr(getattr(project.read, "entities", None), "tables", [])}
    named = generate_model.with_class_names(schema, project.read)
    named_form = generate_model.with_class_names(form, project.read)
    out: dict[str, FeatureFile] = {}
    for change in changes:
        meta = metas.get(change.table)
        if meta is None or not getattr(meta, "span", None):
            raise FeatureError(f"{change.table}: its entity class could not be found")
        path = meta.span[0]
        before = out[path].before if path in out else (workspace.text(path) or "")
        text = out[path].text if path in out else before
        old_t = named_form.table(change.table)
        new_t = named.table(change.table)
        (old,) = typeorm_entity_files(named_form, [old_t], None, options)
        (new,) = typeorm_entity_files(named, [new_t], None, options)
        members = [
            m for m in _members(new.text) if _norm(m) not in {_norm(x) for x in _members(old.text)}
        ]
        heads = [
            h
            for h in _class_decorators(new.text)
            if _norm(h) not in {_norm(x) for x in _class_decorators(old.text)}
        ]
        text = _into_class(text, meta.class_name, members, heads)
        used = {d for chunk in [*members, *heads] for d in re.findall(r"@(\w+)\(", chunk)}
        text = _imported(text, used)
        out[path] = FeatureFile(path, text, "model", "edit", before)
    return list(out.values())


def _sequelize_changes(
    workspace: Workspace, project: ProjectAnalysis, form: Schema, schema: Schema, changes
) -> list[FeatureFile]:
    """New columns and indexes of existing Sequelize models, written into their `init` /
    `define` call: the attribute entries and `indexes` entries the model emitter writes for the
    changed table that it does not write for the table as it is."""
    from schemasense.codegen.emit.models.sequelize import sequelize_flavour, sequelize_model_files
    from schemasense.server.project.sequelize import versions_of

    setup = getattr(project.read, "setup", None)
    versions = getattr(setup, "versions", None) or versions_of(
        _read(os.path.join(project.root, "package.json"))
    )
    code = [p for p in project.unit.files if p.endswith(_CODE)]
    style = detect_style(project.root, [p for p in code if "config" not in os.path.basename(p)])

    def emitted(s: Schema, table: str) -> str:
        (f,) = sequelize_model_files(s, [table], style, flavour=sequelize_flavour(versions),
                                     dialect=getattr(setup, "dialect", None), folder="",
                                     define=getattr(setup, "define", None))  # fmt: skip
        return f.text

    out: dict[str, FeatureFile] = {}
    for change in changes:
        declared = project.schema.table(change.table)
        if declared is None or declared.span is None:
            raise FeatureError(f"{change.table}: its model could not be found")
        path = declared.span.file
        before = out[path].before if path in out else (workspace.text(path) or "")
        text = out[path].text if path in out else before
        old_attrs, old_indexes = _init_parts(emitted(form, change.table))
        new_attrs, new_indexes = _init_parts(emitted(schema, change.table))
        attrs = [a for a in new_attrs if _norm(a) not in {_norm(x) for x in old_attrs}]
        indexes = [i for i in new_indexes if _norm(i) not in {_norm(x) for x in old_indexes}]
        at = declared.span.start
        text = _into_init(text, at, attrs, indexes)
        out[path] = FeatureFile(path, text, "model", "edit", before)
    return list(out.values())


_INIT = re.compile(r"\.(?:init|define)\s*\(")


def _init_parts(text: str, at: int = 0) -> tuple[list[str], list[str]]:
    """The attribute entries and the `indexes` entries of the first `init`/`define` call."""
    attrs_span, options_span = _init_objects(text, at)
    if attrs_span is None:
        return [], []
    attrs = _entries(text, *attrs_span)
    indexes: list[str] = []
    if options_span is not None:
        m = re.search(r"\bindexes\s*:\s*\[", text[options_span[0] : options_span[1]])
        if m is not None:
            open_at = options_span[0] + m.end() - 1
            indexes = _entries(text, open_at, _closing(text, open_at))
    return attrs, indexes


def _init_objects(text: str, at: int):
    m = _INIT.search(text, at)
    if m is None:
        return None, None
    first = text.find("{", m.end())
    if first < 0:
        return None, None
    end = _closing(text, first)
    second = text.find("{", end + 1)
    close_call = text.find(")", end + 1)
    options = (second, _closing(text, second)) if 0 <= second < close_call or (
        second >= 0 and text[end + 1 : second].strip() in (",", "")) else None  # fmt: skip
    return (first, end), options


def _closing(text: str, open_at: int) -> int:
    """The offset of the bracket closing the one at `open_at` (strings skipped)."""
    pairs = {"{": "}", "[": "]", "(": ")"}
    stack, i, quote = [], open_at, None
    while i < len(text):
        ch = text[i]
        if quote:
            if ch == "\\":
                i += 1
            elif ch == quote:
                quote = None
        elif ch in "'\"`":
            quote = ch
        elif ch in pairs:
            stack.append(pairs[ch])
        elif stack and ch == stack[-1]:
            stack.pop()
            if not stack:
                return i
        i += 1
    return len(text) - 1


def _entries(text: str, open_at: int, close_at: int) -> list[str]:
    """The top-level entries between two brackets, each stripped of its trailing comma."""
    out, start, i, quote, depth = [], open_at + 1, open_at + 1, None, 0
    while i < close_at:
        ch = text[i]
        if quote:
            if ch == "\\":
                i += 1
            elif ch == quote:
                quote = None
        elif ch in "'\"`":
            quote = ch
        elif ch in "{[(":
            depth += 1
        elif ch in "}])":
            depth -= 1
        elif ch == "," and depth == 0:
            out.append(text[start:i].strip())
            start = i + 1
        i += 1
    tail = text[start:close_at].strip()
    return [e for e in [*out, tail] if e]


def _into_init(text: str, at: int, attrs: list[str], indexes: list[str]) -> str:
    calls = [m.start() for m in _INIT.finditer(text)]
    before = [c for c in calls if c <= at]
    start = before[-1] if before else next((c for c in calls if c > at), len(text))
    attrs_span, options_span = _init_objects(text, start)
    if attrs_span is None:
        raise FeatureError("the model's init/define call could not be found")
    if indexes and options_span is not None:
        body = text[options_span[0] : options_span[1]]
        m = re.search(r"\bindexes\s*:\s*\[", body)
        pad = _indent_at(text, options_span[1]) + "  "
        if m is not None:
            open_at = options_span[0] + m.end() - 1
            close = _closing(text, open_at)
            add = "".join(f"{pad}  {_reindent(i, pad + '  ')},\n" for i in indexes)
            head = text[:close].rstrip()
            head += "" if head.endswith((",", "[")) else ","
            text = head + "\n" + add + pad + text[close:]
        else:
            close = options_span[1]
            entries = "".join(f"{pad}  {_reindent(i, pad + '  ')},\n" for i in indexes)
            add = f"{pad}indexes: [\n{entries}{pad}],\n"
            head = text[:close].rstrip()
            head += "" if head.endswith((",", "{")) else ","
            text = head + "\n" + add + _indent_at(text, close) + text[close:]
    if attrs:
        close = attrs_span[1]
        pad = _indent_at(text, close) + "  "
        add = "".join(f"{pad}{_reindent(a, pad)},\n" for a in attrs)
        head = text[:close].rstrip()
        head += "" if head.endswith((",", "{")) else ","
        text = head + "\n" + add + _indent_at(text, close) + text[close:]
    return text


def _indent_at(text: str, offset: int) -> str:
    line_start = text.rfind("\n", 0, offset) + 1
    line = text[line_start:offset]
    return line[: len(line) - len(line.lstrip())]


def _reindent(entry: str, pad: str) -> str:
    """A multi-line entry with its inner lines indented relative to `pad`."""
    lines = entry.split("\n")
    if len(lines) == 1:
        return entry
    inner = [ln for ln in lines[1:] if ln.strip()]
    base = min((len(ln) - len(ln.lstrip()) for ln in inner), default=0)
    close_base = len(lines[-1]) - len(lines[-1].lstrip())
    shift = base - 2 if close_base < base else base
    return "\n".join([lines[0], *(pad + ln[shift:] if ln.strip() else ln for ln in lines[1:])])


def _norm(text: str) -> str:
    return " ".join(text.split())


def _class_body(text: str, class_name: str) -> tuple[int, int] | None:
    """Offsets of `{` and its `}` of `class <class_name>` (braces in strings not expected)."""
    m = re.search(rf"\bclass\s+{re.escape(class_name)}\b[^{{]*\{{", text)
    if m is None:
        return None
    depth, i = 0, m.end() - 1
    while i < len(text):
        if text[i] == "{":
            depth += 1
        elif text[i] == "}":
            depth -= 1
            if depth == 0:
                return m.end() - 1, i
        i += 1
    return None


def _members(text: str) -> list[str]:
    m = re.search(r"\bclass\s+(\w+)", text)
    body = _class_body(text, m.group(1)) if m else None
    if body is None:
        return []
    inner = text[body[0] + 1 : body[1]]
    return [c.strip("\n") for c in re.split(r"\n[ \t]*\n", inner) if c.strip()]


def _class_decorators(text: str) -> list[str]:
    m = re.search(r"^@Entity\(", text, re.M)
    c = re.search(r"^export\s+class\b", text, re.M)
    if m is None or c is None:
        return []
    before = text[m.start() : c.start()]
    return [
        d
        for d in re.split(r"\n(?=@)", before.strip())
        if d.startswith("@") and not d.startswith("@Entity(")
    ]


def _into_class(text: str, class_name: str, members: list[str], heads: list[str]) -> str:
    body = _class_body(text, class_name)
    if body is None:
        raise FeatureError(f"class {class_name} could not be found to add its new columns")
    close = body[1]
    head = text[:close].rstrip() + "\n"
    added = "".join(f"\n{m}\n" for m in members)
    text = head + added + text[close:]
    if heads:
        at = re.search(r"^@Entity\(", text, re.M)
        if at is not None:
            text = text[: at.start()] + "".join(f"{h}\n" for h in heads) + text[at.start() :]
    return text


def _imported(text: str, names: set[str]) -> str:
    m = re.search(r"import\s*\{([^}]*)\}\s*from\s*([\"'])typeorm\2", text)
    if m is None or not names:
        return text
    have = [n.strip() for n in m.group(1).split(",") if n.strip()]
    missing = sorted(n for n in names if n not in have and n != "Entity")
    if not missing:
        return text
    allnames = sorted({*have, *missing})
    multiline = "\n" in m.group(1)
    inner = (
        ("\n" + "".join(f"  {n},\n" for n in allnames))
        if multiline
        else " " + ", ".join(allnames) + " "
    )
    return text[: m.start(1)] + inner + text[m.end(1) :]


def _into_block(text: str, start: int, end: int, fields: list[str], attributes: list[str]) -> str:
    open_at = text.find("{", start)
    close_at = text.rfind("}", start, end + 1)
    body = text[open_at + 1 : close_at]
    first = re.search(r"^[ \t]*@@", body, re.M)
    split_at = first.start() if first else len(body.rstrip())
    field_part = body[:split_at].rstrip()
    attr_part = body[split_at:].strip("\n")
    lines = _aligned([*field_part.split("\n"), *(f"  {f}" for f in fields)])
    out = "\n".join(lines) + "\n"
    attrs = [a for a in attr_part.splitlines() if a.strip()] + [f"  {a}" for a in attributes]
    if attrs:
        out += "\n" + "\n".join(attrs) + "\n"
    return text[: open_at + 1] + out + text[close_at:]


_FIELD = re.compile(r"^[ \t]+(\w+)[ \t]+(\S+)(?:[ \t]+(.*?))?[ \t]*$")


def _aligned(lines: list[str]) -> list[str]:
    """Field lines in columns, as `prisma format` writes them (comments and blanks kept)."""
    rows = [_FIELD.match(x) if not x.strip().startswith(("//", "@@")) else None for x in lines]
    name_w = max((len(m.group(1)) for m in rows if m), default=0)
    type_w = max((len(m.group(2)) for m in rows if m), default=0)
    out = []
    for line, m in zip(lines, rows, strict=True):
        if m is None:
            out.append(line)
        elif m.group(3):
            out.append(f"  {m.group(1).ljust(name_w)} {m.group(2).ljust(type_w)} {m.group(3)}")
        else:
            out.append(f"  {m.group(1).ljust(name_w)} {m.group(2)}".rstrip())
    return out


def _lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.strip()]


def _named(path: str, title: str) -> str:
    """A new file of a multi-file Prisma schema, named after the feature (`product-catalog.prisma`)
    where no file has that name."""
    stem = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")
    wanted = os.path.join(os.path.dirname(path), f"{stem}.prisma")
    return wanted if stem and not os.path.exists(wanted) else path


def _feature_folder(project: ProjectAnalysis, title: str) -> str | None:
    """A folder of the feature's own where the project keeps its entities one folder per
    feature (NestJS: `src/users/`, `src/posts/`): `src/product-catalog/`; None (the model
    generator's choice) otherwise."""
    metas = getattr(getattr(project.read, "entities", None), "tables", None) or []
    folders = {os.path.dirname(m.span[0]) for m in metas if getattr(m, "span", None)}
    if len(folders) < 2:
        return None
    common = os.path.commonpath(sorted(folders))
    if any(os.path.dirname(f) != common for f in folders):
        return None
    stem = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")
    return os.path.join(common, stem) if stem else None


def _as_declared(tables: list[Table], declared: Schema) -> list[Table]:
    """Prisma models described in Prisma, into a Prisma project: their columns as declared
    (what only the ORM knows stays: `@default(uuid())`, `@updatedAt`), with the indexes
    designed for them."""
    out = []
    for t in tables:
        d = next((x for x in declared.tables if x.model_name == t.model_name), None)
        if d is None:
            out.append(t)
            continue
        names = {i.name for i in d.indexes} | {u.name for u in d.uniques}
        extra = [i for i in t.indexes if i.name not in names and not i.unique]
        out.append(d.model_copy(update={"indexes": [*d.indexes, *extra]}))
    return out


def _model_files(
    workspace: Workspace,
    project: ProjectAnalysis,
    schema: Schema,
    tables: list[Table],
    title: str = "",
) -> list[FeatureFile]:
    """The new tables as the project's models (the model generator's emitters and places)."""
    if not tables:
        return []
    code = [p for p in project.unit.files if p.endswith(_CODE) and not p.endswith(".d.ts")]
    code = [p for p in code if "config" not in os.path.basename(p)]
    style = detect_style(project.root, code) if code else detect_style(project.root)
    gm = generate_model.Project(project.unit, schema, project.root, style, project.read)
    try:
        if project.orm == "prisma":
            new, appends = generate_model._prisma(workspace, gm, tables, None)
            out = [FeatureFile(_named(f.path, title), f.text, "model") for f in new]
            out += [FeatureFile(a.path, a.expected + a.text, "model", "edit", a.expected)
                    for a in appends]  # fmt: skip
            return out
        if project.orm == "typeorm":
            folder = _feature_folder(project, title)
            made: list[GeneratedFile] = generate_model._typeorm(workspace, gm, tables, folder)
        else:
            made = generate_model._sequelize(workspace, gm, tables, None)
    except generate_migration.GenerateError as exc:
        raise FeatureError(str(exc)) from None
    return [FeatureFile(f.path, f.text, "model") for f in made]


_ENTITIES = re.compile(r"\bentities\s*:\s*\[([^\]]*)\]")
_FOR_FEATURE = re.compile(r"\bforFeature\s*\(\s*\[([^\]]*)\]")
_IMPORT = re.compile(r"^import\b[^;]*?from\s*(['\"])[^'\"]+\1;?[ \t]*$", re.M)


def _listed_entities(
    workspace: Workspace, project: ProjectAnalysis, files: list[FeatureFile], tables
) -> list[FeatureFile]:
    """A DataSource that lists its entity classes (Nest's `TypeOrmModule.forRoot({ entities:
    [User, Post] })`) is edited to list the new ones too (and its `forFeature([...])`), with
    their imports: the app must see what the migration creates."""
    by_table = {t.name: t.model_name for t in tables}
    files_of = {}
    for f in files:
        for cls in by_table.values():
            if cls and re.search(rf"\bclass\s+{re.escape(cls)}\b", f.text):
                files_of[cls] = f.path
    edits: list[FeatureFile] = []
    for unit in [u for u in workspace.units_at(project.root) if u.kind == "typeorm"]:
        read = workspace.analyze(unit).read
        decl = getattr(read, "datasource", None)
        if decl is None or decl.entity_classes is None:
            continue
        have = {t.name for t in read.schema.tables}
        missing = [by_table[t.name] for t in tables if t.name not in have and by_table[t.name]]
        if not missing:
            continue
        before = workspace.text(decl.file) or ""
        text = before
        for pattern in (_FOR_FEATURE, _ENTITIES):
            text = pattern.sub(lambda m, names=missing: _extended(m, names), text, count=1)
        style = detect_style(project.root, [decl.file])
        lines = []
        for cls in missing:
            spec = os.path.relpath(files_of[cls], os.path.dirname(decl.file))
            spec = spec.removesuffix(".ts")
            spec = spec if spec.startswith(".") else "./" + spec
            lines.append(f"import {{ {cls} }} from {style.string(spec)}{style.end()}")
        imports = list(_IMPORT.finditer(text))
        at = imports[-1].end() if imports else 0
        text = (
            text[:at] + ("\n" if at else "") + "\n".join(lines) + ("" if at else "\n") + text[at:]
        )
        if text != before:
            workspace.open(decl.file, text)
            edits.append(FeatureFile(decl.file, text, "model", "edit", before))
    if edits:
        workspace.files_changed()
    return edits


def _extended(match: re.Match, names: list[str]) -> str:
    inner = match.group(1)
    body = inner.rstrip()
    sep = "" if not body.strip() else (" " if body.endswith(",") else ", ")
    added = body + sep + ", ".join(names) + inner[len(body) :]
    return match.group(0)[: match.start(1) - match.start(0)] + added + "]" + (
        match.group(0)[match.end(1) - match.start(0) + 1:])  # fmt: skip


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
        before = _read(f.path)
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


# -- the command line ----------------------------------------------------------------------------

KEYS = ("description", "migration", "orm", "project", "format")


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
) -> int:
    """`schemasense generate feature`: 0 written (or shown), 2 when it cannot be done."""
    import json
    import sys

    from schemasense.codegen.emit.report.feature import as_json, markdown
    from schemasense.server.workflows.feature_report import build

    out = out or sys.stdout
    err = err or sys.stderr
    try:
        feature = prepare(project, description, migration_name=migration, orm=orm, now=now)
        if not dry_run:
            write(feature)
    except FeatureError as exc:
        print(f"schemasense: {exc}", file=err)
        for p in exc.problems:
            print(f"  {p}", file=err)
        return 2
    report = build(feature, written=not dry_run)
    if fmt == "json":
        data = json.loads(as_json(report))
        if dry_run:
            root = feature.project.root
            data["files"] = [{"path": os.path.relpath(f.path, root), "action": f.action,
                              "text": f.text} for f in feature.files]  # fmt: skip
        out.write(json.dumps(data, indent=2) + "\n")
        return 0
    if dry_run:
        for f in feature.files:
            out.write(f"--- {os.path.relpath(f.path, feature.project.root)} ({f.action})\n")
            out.write(f.text if f.text.endswith("\n") else f.text + "\n")
        out.write("\n")
    out.write(markdown(report))
    return 0

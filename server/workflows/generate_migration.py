"""Generate a migration for a project: the gap between its models and its migrations, as files.

One path serves the CLI (`schemasense generate migration`) and the editor (the "Generate
migration…" code action and the `schemasense.generateMigration` command):

1. `project(workspace, path)`: the schema unit at `path`, what it declares (its source's read:
   Prisma, or a DDL schema file), and its linked migration set (`Workspace.migrations`:
   Prisma's own rules for where migrations live, `migrations` beside a DDL file) with what
   replaying it builds; with no migration folder yet, an empty schema and the default folder
   and tool (`project/detection.default_migrations`: Prisma's `migrations` beside the schema,
   dbmate's `db/migrations` beside `db/schema.sql`);
2. `prepare(project, ...)`: the declared schema in database form (`server/drift`'s
   `database_form`, the same the drift diagnostics compare, with the declared names and spans
   put back so `@map` renames are known for certain and operations point at the schema; a
   schema read from DDL is its own database form), diffed
   against the replay (`codegen.diff`) and rendered up and down (`codegen.migration`), in the
   migration tool's own format (`codegen.targets.files`);
3. `write_all(files)`: every file or none.

Rename candidates the schema does not settle (a field renamed without `@map`) are a choice:
`Prepared.renames` lists them; `renames=` decides (a mapping from `RenameCandidate.label`,
`User.name -> User.title`, to True/False, or True/False for all); undecided ones are dropped
and added, as Prisma's engine does.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Literal

from schemasense.codegen.ddl.diff import dialect_name
from schemasense.codegen.ddl.operations import (
    AddColumn,
    AlterEnum,
    AlterTable,
    CreateEnum,
    CreateIndex,
    CreateSchema,
    CreateTable,
    DropColumn,
    DropIndex,
    DropTable,
    Operation,
    RedefineTables,
    RenameCandidate,
    RenameColumn,
    RenameTable,
)
from schemasense.codegen.emit.migration import Migration, generate
from schemasense.codegen.emit.migrations.files import (
    FileConventions,
    GeneratedFile,
    migration_files,
)
from schemasense.codegen.emit.migrations.names import slug
from schemasense.codegen.emit.style import CodeStyle
from schemasense.codegen.schema import Schema, Table
from schemasense.server.drift.database_form import database_form
from schemasense.server.project.conventions import detect_style
from schemasense.server.project.detection import PRISMA, default_migrations
from schemasense.server.project.discovery import SchemaUnit, nothing_found
from schemasense.server.sources.base import migration_places
from schemasense.server.workflows.files import OutsideProject, write_all_or_none
from schemasense.server.workspace.workspace import Workspace

DRIFT_CODES = frozenset(f"DB3{n:02d}" for n in range(1, 20))
"""The drift rules' codes (DB301-...): where one fires, a migration is due."""


class GenerateError(Exception):
    """What stops a migration from being generated (no schema, an unreadable schema, ...)."""


@dataclass(frozen=True)
class Project:
    unit: SchemaUnit
    declared: Schema
    migrated: Schema
    folder: str
    """The migrations folder (absolute)."""
    tool: str
    has_migrations: bool
    root: str
    """The project folder paths are shown relative to."""
    texts: Mapping[str, str] = field(default_factory=dict)
    declared_is_database_form: bool = False
    """The declared schema is already what a database holds (read from DDL by the replay)."""
    declares_checks: bool = False
    """The declared schema says every CHECK its tables have (`Source.checks_declared_on`), so
    the migration adds, drops and changes them."""


@dataclass(frozen=True)
class Prepared:
    project: Project
    migration: Migration
    files: tuple[GeneratedFile, ...]
    """Absolute paths."""

    @property
    def renames(self) -> tuple[RenameCandidate, ...]:
        return self.migration.plan.renames

    @property
    def undecided(self) -> tuple[RenameCandidate, ...]:
        return tuple(c for c in self.renames if not c.certain)

    @property
    def is_empty(self) -> bool:
        return self.migration.is_empty


def project(workspace: Workspace, path: str) -> Project:
    """The schema at `path` (a `.prisma` file, a DDL schema file, or a folder holding one
    schema) and its migrations. `FILE#Export` names one DataSource of a file that declares
    several (the unit keys `schemasense check` and the error below list: the first one is the
    file itself, each other `FILE#<its export>`)."""
    named = _named_unit(workspace, path)
    if named is not None:
        return project_of(workspace, named)
    try:
        units = workspace.units_at(path)
    except (FileNotFoundError, ValueError) as exc:
        raise GenerateError(str(exc)) from None
    if not units:
        raise GenerateError(nothing_found(path))
    if len(units) > 1:
        listed = ", ".join(u.key for u in units)
        raise GenerateError(f"{path} holds {len(units)} schemas ({listed}); give one of them")
    return project_of(workspace, units[0])


def _named_unit(workspace: Workspace, path: str) -> SchemaUnit | None:
    """The unit a `FILE#Export` key names (None for any other path); GenerateError when the
    file has no such DataSource."""
    base, sep, name = path.rpartition("#")
    if not sep or not name or not os.path.isfile(base):
        return None
    base = os.path.abspath(base)
    units = workspace.units_at(os.path.dirname(base))
    for unit in units:
        if unit.key == f"{base}#{name}":
            return unit
    listed = ", ".join(u.key for u in units if u.key.partition("#")[0] == base) or "none"
    raise GenerateError(f"{path}: {base} declares no other DataSource `{name}` (its: {listed})")


def project_of(workspace: Workspace, unit: SchemaUnit, strict_replay: bool = True) -> Project:
    """`strict_replay=False` (the test generator, which only takes CHECKs from the replay)
    keeps a replay that could not run every statement instead of refusing it."""
    analysis = workspace.analyze(unit)
    errors = [f for f in analysis.read.findings if f.severity == "error"]
    if errors:
        first = errors[0]
        raise GenerateError(
            f"the schema has {len(errors)} error(s) (first: {first.code} {first.message}); "
            "fix them before generating a migration"
        )
    declared = analysis.read.schema
    database_form_read = analysis.source.database_form
    dialect = dialect_name(declared.provider)
    declares_checks = dialect in analysis.source.checks_declared_on
    if declared.provider not in ("postgresql", "postgres", "cockroachdb", "mysql", "sqlite"):
        raise GenerateError(f"no SQL migrations for provider {declared.provider!r}")
    hint = dialect if unit.kind != PRISMA else None
    places = migration_places(unit.kind, analysis.read)
    links = workspace.migrations.links(unit.files, analysis.texts, analysis.config, hint, places)
    link = next((k for k in links if k.migration_set.dialect == dialect), None)
    main = next((p for p in unit.files if "datasource" in analysis.texts.get(p, "")), unit.files[0])
    schema_folder = os.path.dirname(main)
    if unit.folder and os.path.basename(schema_folder) == "schema":
        schema_folder = os.path.dirname(schema_folder)
    if link is not None:
        replay_errors = [f for f in link.replay.findings if f.severity == "error"]
        if replay_errors and strict_replay:
            raise GenerateError(
                f"{link.folder}: {len(replay_errors)} migration statement(s) could not be "
                f"replayed (first: {replay_errors[0].message}); the migration would be wrong"
            )
        migrated = link.replay.schema.model_copy(update={"provider": declared.provider})
        return Project(
            unit,
            declared,
            migrated,
            link.folder,
            link.migration_set.tool,
            True,
            os.path.dirname(schema_folder),
            analysis.texts,
            database_form_read,
            declares_checks,
        )
    folder, tool = default_migrations(main, unit.kind)
    if unit.kind == PRISMA:
        folder = os.path.join(schema_folder, "migrations")
    elif unit.kind == "typeorm":  # a TypeORM class, where the DataSource's `migrations` look
        folder = places[0].folder if places else os.path.join(schema_folder, "migrations")
        tool = "typeorm"
    return Project(
        unit,
        declared,
        Schema(provider=declared.provider),
        folder,
        tool,
        False,
        os.path.dirname(schema_folder),
        analysis.texts,
        database_form_read,
        declares_checks,
    )


RenameDecision = bool | Mapping[str, bool] | None


def prepare(
    proj: Project,
    name: str | None = None,
    *,
    safe: bool = False,
    renames: RenameDecision = None,
    tool: str | None = None,
    now: datetime | None = None,
) -> Prepared:
    """The migration from the migrations to the models, as the tool's files (not written)."""
    if proj.declared_is_database_form:
        after = proj.declared
    else:
        after = with_declared_names(database_form(proj.declared).schema, proj.declared)
    migration = generate(
        proj.migrated,
        after,
        renames=renames,
        safe=safe,
        name=slug_name(name) if name else "migration",
        declared_types=proj.unit.kind == "typeorm",  # TypeORM reads SQLite types as declared
        checks=proj.declares_checks,
        # an ORM's migration keeps the rows where PostgreSQL casts explicitly (Prisma's engine
        # drops and adds the column, and Prisma's format follows it)
        using_casts=proj.unit.kind in ("typeorm", "sequelize"),
    )
    if not name:
        migration = replace(migration, name=default_name(migration.plan.operations))
    relative = os.path.relpath(proj.folder, proj.root)
    fmt = tool or proj.tool
    files = migration_files(
        migration, fmt, relative, now or datetime.now(UTC), file_conventions(proj, fmt)
    )
    absolute = [GeneratedFile(os.path.join(proj.root, f.path), f.text) for f in files]
    return Prepared(proj, migration, tuple(absolute))


_CODE_MIGRATIONS = (".js", ".cjs", ".mjs", ".ts", ".cts", ".mts")


def file_conventions(proj: Project, tool: str) -> FileConventions | None:
    """How the project writes its code migrations (sequelize-cli's): the style of its last
    migration files (`detect_style`) and the extension of the last one; None where it has none
    (the format's own default) or the format is not code."""
    if tool != "sequelize" or not os.path.isdir(proj.folder):
        return None
    names = sorted(
        n
        for n in os.listdir(proj.folder)
        if n.endswith(_CODE_MIGRATIONS) and not n.endswith(".d.ts")
    )
    if not names:
        return None
    recent = [os.path.join(proj.folder, n) for n in names[-5:]]
    # the migrations folder's parent: the project whose tsconfig and Prettier settings apply
    # (`proj.root` is where paths are shown from, above a project-wide unit's folder)
    style = _as_written(detect_style(os.path.dirname(proj.folder), recent), recent)
    extension = names[-1].rsplit(".", 1)[1]
    if extension == "mjs":
        extension = "js"
    return FileConventions(style, extension)


_LITERAL = re.compile(r"""(['"])[A-Za-z0-9_ .,-]*\1""")
_STATEMENT_END = re.compile(r"[)\]};]$")


def _as_written(style: CodeStyle, paths: list[str]) -> CodeStyle:
    """The quote and semicolons the migration files themselves use, where they say it
    plainly (migrations have few `import` lines for `detect_style` to go by)."""
    texts = []
    for p in paths:
        try:
            with open(p, encoding="utf-8", errors="replace") as handle:
                texts.append(handle.read(100_000))
        except OSError:
            continue
    quotes = [m.group(1) for t in texts for m in _LITERAL.finditer(t)]
    single, double = quotes.count("'"), quotes.count('"')
    if single + double >= 5 and max(single, double) >= 3 * min(single, double):
        style = replace(style, quote="'" if single > double else '"')
    ends = [
        line.rstrip()[-1]
        for t in texts
        for line in t.splitlines()
        if _STATEMENT_END.search(line.rstrip()) and line.strip() not in ("{", "}", ")")
    ]
    with_semicolon = ends.count(";")
    if len(ends) >= 5:
        style = replace(style, semicolons=with_semicolon * 2 >= len(ends))
    return style


def with_declared_names(form: Schema, declared: Schema) -> Schema:
    """The database form with the declared schema's model and field names and spans put back
    (it is built from SQL, which has neither), matched by database names."""
    by_name = {(t.db_schema, t.name): t for t in declared.tables}
    by_plain = {t.name: t for t in declared.tables}
    tables: list[Table] = []
    for t in form.tables:
        source = by_name.get((t.db_schema, t.name)) or by_plain.get(t.name)
        if source is None:
            tables.append(t)
            continue
        columns = []
        for c in t.columns:
            sc = source.column(c.name)
            columns.append(
                c.model_copy(update={"field_name": sc.field_name, "span": sc.span}) if sc else c
            )
        spans = {u.name: u.span for u in source.uniques} | {i.name: i.span for i in source.indexes}
        indexes = [i.model_copy(update={"span": spans.get(i.name, i.span)}) for i in t.indexes]
        uniques = [u.model_copy(update={"span": spans.get(u.name, u.span)}) for u in t.uniques]
        fk_spans = {f.name: f.span for f in source.foreign_keys}
        fks = [f.model_copy(update={"span": fk_spans.get(f.name, f.span)}) for f in t.foreign_keys]
        pk = t.primary_key
        if pk is not None and source.primary_key is not None:
            pk = pk.model_copy(update={"span": source.primary_key.span})
        tables.append(
            t.model_copy(
                update={
                    "model_name": source.model_name,
                    "span": source.span,
                    "columns": columns,
                    "indexes": indexes,
                    "uniques": uniques,
                    "foreign_keys": fks,
                    "primary_key": pk,
                }
            )
        )
    enums = {e.name: e for e in declared.enums}
    out_enums = [
        e.model_copy(update={"model_name": enums[e.name].model_name, "span": enums[e.name].span})
        if e.name in enums
        else e
        for e in form.enums
    ]
    return form.model_copy(
        update={
            "tables": tables,
            "enums": out_enums,
            "provider": declared.provider,
            "datasource": declared.datasource,
        }
    )


# -- names ----------------------------------------------------------------------------------------


def slug_name(name: str) -> str:
    """A migration name as the files spell it (`codegen/emit/migrations/names.slug`)."""
    return slug(name)


def _snake(name: str) -> str:
    text = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", name)
    return slug_name(text)


def _table_name(op: Operation) -> str | None:
    """The name of the table an operation works on, where it names one (a `DropTable` holds
    the whole table as well, which is no name)."""
    table = getattr(op, "table", None)
    return table if isinstance(table, str) else None


def default_name(operations: tuple[Operation, ...] | list[Operation]) -> str:
    """A name from the change, as a developer would write it: `add_avatar_to_user`,
    `create_comment`, `drop_legacy_token`, `rename_name_to_full_name`, `update_user_post`."""
    phrases: list[str] = []
    tables: list[str] = []
    created = {op.table.name for op in operations if isinstance(op, CreateTable)}

    def note(phrase: str, table: str | None = None) -> None:
        if phrase not in phrases:
            phrases.append(phrase)
        if table and table not in tables:
            tables.append(table)

    for op in operations:
        if isinstance(op, CreateTable):
            note(f"create_{_snake(op.table.name)}", op.table.name)
        elif isinstance(op, CreateSchema) or _table_name(op) in created:
            continue  # a new table's indexes and keys go with it
        elif isinstance(op, DropTable):
            note(f"drop_{_snake(op.name)}", op.name)
        elif isinstance(op, RenameTable):
            note(f"rename_{_snake(op.old)}_to_{_snake(op.new)}", op.new)
        elif isinstance(op, RenameColumn):
            note(f"rename_{_snake(op.old)}_to_{_snake(op.new)}", op.table)
        elif isinstance(op, AlterTable):
            added = [c.column.name for c in op.changes if isinstance(c, AddColumn)]
            dropped = [c.name for c in op.changes if isinstance(c, DropColumn)]
            if added and not dropped and len(op.changes) == len(added):
                note(
                    f"add_{'_'.join(_snake(a) for a in added[:2])}_to_{_snake(op.table)}", op.table
                )
            elif dropped and not added and len(op.changes) == len(dropped):
                note(
                    f"drop_{'_'.join(_snake(d) for d in dropped[:2])}_from_{_snake(op.table)}",
                    op.table,
                )
            else:
                note(f"update_{_snake(op.table)}", op.table)
        elif isinstance(op, CreateIndex | DropIndex):
            verb = "add" if isinstance(op, CreateIndex) else "drop"
            note(f"{verb}_{_snake(op.index.name)}", op.table)
        elif isinstance(op, RedefineTables):
            for t in op.tables:
                note(f"update_{_snake(t.after.name)}", t.after.name)
        elif isinstance(op, CreateEnum):
            note(f"update_{_snake(op.name[1])}_enum")
        elif isinstance(op, AlterEnum):
            note(f"update_{_snake(op.enum.name)}_enum")
        elif hasattr(op, "table") and isinstance(op.table, str):
            note(f"update_{_snake(op.table)}", op.table)
    if len(phrases) == 1:
        return phrases[0][:60]
    if tables:
        return ("update_" + "_".join(_snake(t) for t in tables[:3]))[:60]
    return "migration"


# -- writing ---------------------------------------------------------------------------------------

Overwrite = Literal["refuse", "replace"]


def write_all(
    files: tuple[GeneratedFile, ...] | list[GeneratedFile], root: str | None = None
) -> list[str]:
    """Write every file or none: refuse if any exists (`workflows/files.py` writes them). With
    the project's `root`, a file whose real place is outside it (a migrations folder that is a
    link out of the project) is a `GenerateError` and nothing is written."""
    existing = [f.path for f in files if os.path.exists(f.path)]
    if existing:
        raise GenerateError(f"{existing[0]} exists already; nothing was written")
    try:
        return write_all_or_none(((f.path, f.text) for f in files), root=root)
    except OutsideProject as exc:
        raise GenerateError(str(exc)) from None


def project_root(proj: Project) -> str:
    """The folder nothing may be written outside of: the nearest package.json's above the
    schema's key file, else `proj.root` (the folder above the schema's own)."""
    key = proj.unit.key
    current = key if os.path.isdir(key) else os.path.dirname(os.path.abspath(key))
    while True:
        if os.path.isfile(os.path.join(current, "package.json")):
            return current
        parent = os.path.dirname(current)
        if parent == current:
            return proj.root
        current = parent


# -- the command line ----------------------------------------------------------------------------


def run_cli(
    path: str,
    name: str | None,
    *,
    dry_run: bool = False,
    safe: bool = False,
    renames: list[str] = (),  # type: ignore[assignment]
    drop_and_add: list[str] = (),  # type: ignore[assignment]
    tool: str | None = None,
    out=None,
    err=None,
    ask=None,
) -> int:
    """`schemasense generate migration`: 0 written (or nothing to do, or shown with
    `--dry-run`), 1 when a rename needs a decision nobody gave, 2 when it cannot be done."""
    import sys

    out = out or sys.stdout
    err = err or sys.stderr
    workspace = Workspace([path] if os.path.isdir(path) else [os.path.dirname(path) or "."])
    proj = project(workspace, path)
    decided: dict[str, bool] = {}
    for value, take in [(v, True) for v in renames] + [(v, False) for v in drop_and_add]:
        decided[_label(value)] = take
    prepared = prepare(proj, name, safe=safe, renames=decided or None, tool=tool)
    undecided = [c for c in prepared.undecided if c.label not in decided]
    if undecided and ask is not None:
        for c in undecided:
            decided[c.label] = ask(c)
        prepared = prepare(proj, name, safe=safe, renames=decided, tool=tool)
        undecided = []
    if undecided:
        print("schemasense: these look renamed; say which (nothing was written):", file=err)
        for c in undecided:
            what = {"column": "column", "table": "table", "enum_value": "enum value"}[c.kind]
            print(f"  {what} {c.label}", file=err)
            arg = f"{c.parent}.{c.old}={c.new}" if c.parent else f"{c.old}={c.new}"
            print(f"    --rename {arg}   or   --drop-and-add {arg}", file=err)
        return 1
    if prepared.is_empty:
        print(
            "schemasense: the migrations already build what the schema declares; "
            "nothing to generate",
            file=err,
        )
        return 0
    for u in prepared.migration.unsupported:
        print(f"schemasense: unsupported: {u}", file=err)
    root = os.getcwd()
    if dry_run:
        for f in prepared.files:
            print(f"--- {os.path.relpath(f.path, root)}", file=out)
            out.write(f.text if f.text.endswith("\n") else f.text + "\n")
        return 0
    written = write_all(prepared.files, root=project_root(proj))
    for path_written in written:
        print(os.path.relpath(path_written, root), file=out)
    return 0


def _label(value: str) -> str:
    """`User.name=title` -> `User.name -> User.title`; `Old=New` -> `Old -> New`."""
    old, _, new = value.partition("=")
    if "." in old and "." not in new:
        parent, _, old_name = old.rpartition(".")
        return f"{parent}.{old_name} -> {parent}.{new}"
    return f"{old} -> {new}"

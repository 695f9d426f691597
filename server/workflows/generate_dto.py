"""Generate DTOs for a project's models: class-validator classes and zod schemas, as files.

One path serves the CLI (`schemasense generate dto`) and the editor (the "Generate DTOs" code
action on a model or entity):

1. `prepare(workspace, path, ...)`: the unit at `path` (a `schema.prisma`, an entity or model
   file, a project folder), its read, the schema in its database form (a Prisma schema is put
   through `server/drift/database_form` with the declared names put back, as the migration
   generator does; TypeORM and Sequelize reads are already in that form), and the hints only
   the source knows (`codegen.emit.dto.Hints`: which columns the ORM fills, doc comments,
   Sequelize's `validate:`, the key column of a TypeORM relation). A Prisma schema holds no
   CHECK constraints: those of its migrations (the replay) are added. Then the files, one per
   model and style, in the project's conventions (`server/project/conventions.detect_style`),
   with `@ApiProperty` where the project depends on `@nestjs/swagger`.
2. A file that exists already is merged: its generated region (between the
   `// <schemasense-generated>` markers) is replaced, everything outside it is kept (hand
   edits); a file there without markers is not ours, and nothing is written (`conflicts`).
3. `write_all(files)`: every file or none.

DTO files are TypeScript even in a JavaScript project (the decorators and `z.infer` types
need it); the project compiles them with the rest of its TypeScript or not at all.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from schemasense.codegen.emit.dto import (
    STYLES,
    ColumnHint,
    DtoModel,
    DtoOptions,
    DtoStyle,
    Hints,
    TableHint,
    dto_file,
    dto_models,
    merge,
)
from schemasense.codegen.emit.dto.model import camel
from schemasense.codegen.schema import Schema
from schemasense.server.project.conventions import detect_style
from schemasense.server.project.detection import PRISMA
from schemasense.server.project.discovery import SchemaUnit
from schemasense.server.workflows.files import OutsideProject, write_all_or_none
from schemasense.server.workspace.workspace import Analysis, Workspace


class DtoError(Exception):
    """What stops DTOs from being generated (no schema, no such model, a file not ours...)."""


@dataclass(frozen=True)
class DtoFile:
    path: str
    """Absolute."""
    text: str
    """The whole text the file will hold (merged with what is there)."""
    existing: str | None = None
    """The file's text now, when it exists."""

    @property
    def changed(self) -> bool:
        return self.existing != self.text


@dataclass(frozen=True)
class Prepared:
    unit: SchemaUnit
    root: str
    models: tuple[DtoModel, ...]
    files: tuple[DtoFile, ...]
    conflicts: tuple[str, ...] = ()
    """Files that exist without schemasense's markers: nothing is written while there are."""
    schema: Schema = field(default_factory=Schema)


_ORM_FILLED_FUNCTIONS = {"uuid", "cuid", "nanoid", "ulid"}
_TYPEORM_FILLED = {
    "CreateDateColumn": "TypeORM sets it (@CreateDateColumn)",
    "UpdateDateColumn": "TypeORM sets it (@UpdateDateColumn)",
    "DeleteDateColumn": "TypeORM sets it on soft delete (@DeleteDateColumn)",
    "VersionColumn": "TypeORM counts it (@VersionColumn)",
}
_RELATION_DECORATOR = re.compile(r"@(ManyToOne|OneToOne|JoinColumn)\b")


def units(workspace: Workspace, path: str) -> list[SchemaUnit]:
    try:
        found = workspace.units_at(path)
    except (FileNotFoundError, ValueError) as exc:
        raise DtoError(str(exc)) from None
    if not found:
        raise DtoError(
            f"{path}: no models found (a schema.prisma, TypeORM entities or Sequelize models)"
        )
    if len(found) > 1:
        listed = ", ".join(u.key for u in found)
        raise DtoError(f"{path} holds {len(found)} schemas ({listed}); give one of them")
    return found


def prepare(
    workspace: Workspace,
    unit: SchemaUnit,
    *,
    models: Sequence[str] | None = None,
    styles: Sequence[DtoStyle] = STYLES,
    out: str | None = None,
    options: DtoOptions | None = None,
) -> Prepared:
    """The DTO files of `unit`'s models (all, or `models` by name), not written."""
    analysis = workspace.analyze(unit)
    schema, hints = schema_and_hints(workspace, analysis)
    root = project_root(unit)
    if options is None:
        options = DtoOptions(swagger=_depends_on(root, "@nestjs/swagger"))
    wanted = list(models) if models else None
    built = dto_models(schema, hints, options, wanted)
    if wanted:
        missing = [m for m in wanted if m not in {b.name for b in built}]
        if missing:
            known = ", ".join(b.name for b in dto_models(schema, hints, options)) or "none"
            raise DtoError(f"no model named {', '.join(missing)} (models: {known})")
    if not built:
        raise DtoError(f"{unit.key}: no models to write DTOs for")
    style = detect_style(root)
    folder = out if out is not None else default_folder(root)
    folder = folder if os.path.isabs(folder) else os.path.join(root, folder)
    relative = os.path.relpath(folder, root)
    if relative.startswith(".."):
        raise DtoError(f"{folder}: outside the project ({root}); nothing was written")
    files: list[DtoFile] = []
    conflicts: list[str] = []
    for model in built:
        source = _source_of(schema, model, root, unit)
        for dto_style in styles:
            generated = dto_file(model, dto_style, style, options, "", source)
            path = os.path.join(folder, generated.path)
            existing = workspace.text(path) if os.path.exists(path) else None
            text = generated.text
            if existing is not None:
                merged = merge(existing, generated.text)
                if merged is None:
                    conflicts.append(path)
                    continue
                text = merged
            files.append(DtoFile(path, text, existing))
    return Prepared(unit, root, tuple(built), tuple(files), tuple(conflicts), schema)


def default_folder(root: str) -> str:
    """`src/dto` in a project with a `src` folder, else `dto`."""
    return os.path.join("src", "dto") if os.path.isdir(os.path.join(root, "src")) else "dto"


def project_root(unit: SchemaUnit) -> str:
    """The folder of the nearest package.json above the unit's key file (its schema, its
    DataSource, its Sequelize config), else that file's folder."""
    start = unit.key if os.path.isdir(unit.key) else os.path.dirname(unit.key)
    current = start
    while True:
        if os.path.exists(os.path.join(current, "package.json")):
            return current
        parent = os.path.dirname(current)
        if parent == current:
            break
        current = parent
    if unit.kind == PRISMA and os.path.basename(start) in ("prisma", "schema"):
        return os.path.dirname(start)
    return start


def _depends_on(root: str, package: str) -> bool:
    try:
        with open(os.path.join(root, "package.json"), encoding="utf-8") as handle:
            data = json.load(handle)
    except (OSError, ValueError):
        return False
    if not isinstance(data, dict):
        return False
    return any(
        isinstance(data.get(k), dict) and package in data[k]
        for k in ("dependencies", "devDependencies", "peerDependencies")
    )


def _source_of(schema: Schema, model: DtoModel, root: str, unit: SchemaUnit) -> str:
    table = schema.table(model.table)
    path = table.span.file if table is not None and table.span is not None else unit.key
    return os.path.relpath(path, root).replace(os.sep, "/") if os.path.isabs(path) else path


def model_at(analysis: Analysis, path: str, offset: int) -> str | None:
    """The model declared in `path` around `offset` (for the editor's code action; cheap: no
    database form is built). A Prisma model's span is its block; a TypeORM entity's is its
    `@Entity` decorator and a Sequelize model's its name in `init`/`define`, so there the model
    is the last one declared before `offset` (or the file's first)."""
    names = {
        meta.name: meta.class_name
        for meta in getattr(analysis.read, "tables", ())
        if getattr(meta, "class_name", None)
    }
    declared: list[tuple[int, str]] = []
    for table in analysis.read.schema.tables:
        span = table.span
        name = table.model_name or names.get(table.name)
        if span is None or span.file != path or table.kind != "table" or not name:
            continue
        if span.start <= offset <= span.end:
            return name
        declared.append((span.start, name))
    if analysis.unit.kind == PRISMA or not declared:
        return None
    before = [d for d in declared if d[0] <= offset]
    return max(before)[1] if before else min(declared)[1]


# -- the schema and what only the source knows ------------------------------------------------


def schema_and_hints(workspace: Workspace, analysis: Analysis) -> tuple[Schema, Hints]:
    read = analysis.read
    declared = read.schema
    kind = analysis.unit.kind
    if kind == PRISMA:
        return _prisma(workspace, analysis, declared)
    if kind == "typeorm":
        return declared, _typeorm_hints(read, analysis.texts)
    if kind == "sequelize":
        return declared, _sequelize_hints(read)
    return declared, Hints()


def _prisma(workspace: Workspace, analysis: Analysis, declared: Schema) -> tuple[Schema, Hints]:
    from schemasense.server.drift.database_form import database_form
    from schemasense.server.workflows.generate_migration import (
        GenerateError,
        project_of,
        with_declared_names,
    )

    if declared.provider in ("postgresql", "cockroachdb", "mysql", "sqlite"):
        form = with_declared_names(database_form(declared).schema, declared)
    else:
        form = declared
    columns: dict[tuple[str, str], ColumnHint] = {}
    tables: dict[str, TableHint] = {}
    for t in declared.tables:
        tables[t.name] = TableHint(model_name=t.model_name, doc=t.doc)
        for c in t.columns:
            filled = None
            d = c.default
            if d is not None and d.kind == "function" and d.function in _ORM_FILLED_FUNCTIONS:
                filled = f"Prisma Client fills it (@default({d.function}()))"
            elif c.updated_at:
                filled = "Prisma Client sets it (@updatedAt)"
            columns[(t.name, c.name)] = ColumnHint(filled_by=filled, doc=c.doc)
    checks: dict[str, tuple[str, ...]] = {}
    try:
        project = project_of(workspace, analysis.unit)
    except GenerateError:
        project = None
    if project is not None and project.has_migrations:
        for t in project.migrated.tables:
            if t.checks:
                checks[t.name] = tuple(c.expression for c in t.checks)
    return form, Hints(columns=columns, tables=tables, checks=checks)


def _typeorm_hints(read: Any, texts: Mapping[str, str]) -> Hints:
    columns: dict[tuple[str, str], ColumnHint] = {}
    tables: dict[str, TableHint] = {}
    for meta in getattr(read, "tables", ()):
        if meta.class_name:
            tables[meta.name] = TableHint(
                model_name=meta.class_name, doc=_doc_before(texts, meta.span)
            )
        for col in meta.columns:
            decorator = _span_text(texts, col.span)
            filled = None
            m = re.match(r"@(\w+)", decorator)
            if m and m.group(1) in _TYPEORM_FILLED:
                filled = _TYPEORM_FILLED[m.group(1)]
            elif col.generation == "uuid" and not col.default:
                filled = "TypeORM generates it (@PrimaryGeneratedColumn('uuid'))"
            prop = camel(col.name) if _RELATION_DECORATOR.match(decorator) else None
            columns[(meta.name, col.name)] = ColumnHint(
                filled_by=filled, property=prop, doc=_doc_before(texts, col.span)
            )
    return Hints(columns=columns, tables=tables)


def _span_text(texts: Mapping[str, str], span: tuple[str, int, int] | None) -> str:
    if span is None:
        return ""
    return texts.get(span[0], "")[span[1] : span[2]]


_DOC_BEFORE = re.compile(r"/\*\*((?:[^*]|\*(?!/))*)\*/\s*((?:@[^;]*?)?)$")


def _doc_before(texts: Mapping[str, str], span: tuple[str, int, int] | None) -> str | None:
    """The `/** ... */` comment above a decorated member or class (other decorators between)."""
    if span is None:
        return None
    before = texts.get(span[0], "")[max(0, span[1] - 2000) : span[1]]
    before = re.sub(r"export\s+(default\s+)?$", "", before.rstrip()).rstrip()
    m = _DOC_BEFORE.search(before)
    if m is None or re.search(r"[;]|\bclass\b", m.group(2)):
        return None
    lines = [re.sub(r"^\s*\*\s?", "", line).rstrip() for line in m.group(1).splitlines()]
    text = "\n".join(line for line in lines).strip()
    return text or None


def _sequelize_hints(read: Any) -> Hints:
    columns: dict[tuple[str, str], ColumnHint] = {}
    for (table, column), a in getattr(read, "attributes", {}).items():
        filled = None
        if a.added_by == "timestamps":
            filled = "Sequelize sets it (timestamps)"
        elif a.added_by == "version":
            filled = "Sequelize counts it (version)"
        validate = a.validate if isinstance(a.validate, dict) else None
        columns[(table, column)] = ColumnHint(
            filled_by=filled,
            client_default=a.client_default,
            doc=a.comment,
            validate=validate,
        )
    return Hints(columns=columns)


# -- writing ---------------------------------------------------------------------------------------


def write_all(files: Sequence[DtoFile], root: str | None = None) -> list[str]:
    """Write every changed file or none (`workflows/files.py`); a file replaced gets its old
    text back if a later one fails. With the project's `root`, a file whose real place is
    outside it (a DTO folder that is a link out) is a `DtoError` and nothing is written."""
    try:
        return write_all_or_none(((f.path, f.text) for f in files if f.changed), root=root)
    except OutsideProject as exc:
        raise DtoError(str(exc)) from None


# -- the command line ----------------------------------------------------------------------------


def run_cli(
    path: str,
    *,
    models: Sequence[str] = (),
    style: str | None = None,
    out: str | None = None,
    decimal: str | None = None,
    dry_run: bool = False,
    stdout=None,
    stderr=None,
) -> int:
    """`schemasense generate dto PATH`: 0 written (or shown with `--dry-run`), 2 when it
    cannot be done (nothing written)."""
    import sys

    stdout = stdout or sys.stdout
    stderr = stderr or sys.stderr
    workspace = Workspace([path] if os.path.isdir(path) else [os.path.dirname(path) or "."])
    [unit] = units(workspace, path)
    styles: tuple[DtoStyle, ...] = (style,) if style else STYLES  # type: ignore[assignment]
    options = None
    if decimal:
        root = project_root(unit)
        options = DtoOptions(decimal=decimal, swagger=_depends_on(root, "@nestjs/swagger"))  # type: ignore[arg-type]
    out_dir = os.path.abspath(out) if out else None
    prepared = prepare(
        workspace, unit, models=list(models) or None, styles=styles, out=out_dir, options=options
    )
    if prepared.conflicts:
        listed = ", ".join(os.path.relpath(p) for p in prepared.conflicts)
        raise DtoError(
            f"{listed}: exists and was not written by schemasense (no generated markers); "
            "nothing was written (move it, or pass --out)"
        )
    cwd = os.getcwd()
    if dry_run:
        for f in prepared.files:
            print(f"--- {os.path.relpath(f.path, cwd)}", file=stdout)
            stdout.write(f.text)
        return 0
    written = write_all(prepared.files, root=prepared.root)
    for p in written:
        print(os.path.relpath(p, cwd), file=stdout)
    if not written:
        print("schemasense: the DTOs are up to date; nothing written", file=stderr)
    return 0

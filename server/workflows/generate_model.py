"""Generate the models of one ORM from those of another: Prisma models, TypeORM entities or
Sequelize models that name the same database objects, in the project's own conventions.

One path serves the CLI (`schemasense generate model PATH --to typeorm|prisma|sequelize
[--model NAME ...] [--out DIR] [--dry-run]`) and the editor (the "Generate TypeORM entity" /
"Generate Prisma model" / "Generate Sequelize model" code actions):

1. `load(workspace, path)`: the schema unit at `path` (a project folder or a model file), its
   schema model (whatever the source: Prisma, TypeORM, Sequelize, SQL DDL), the project folder
   (the nearest package.json above it), and the project's code style (`detect_style`);
2. `prepare(project, target, models, out)`: the tables picked (`--model`: model, class or table
   names; all by default), the target's folder (the project's own entity / model folder or
   Prisma schema, else the ORM's usual place), and the files: new files, plus an append to an
   existing Prisma schema (or a new file in a Prisma schema folder);
3. `write(prepared)`: every file or none; an existing file is never overwritten (the one
   exception is the Prisma schema the models are appended to, which must not already declare
   them), and nothing is written outside the project, links followed (`workflows/files.py`).

The emitters are `codegen.emit.models.{prisma,typeorm,sequelize}`; TypeORM's names come from
the project's naming strategy and TypeORM version where it has TypeORM already.
"""

from __future__ import annotations

import json
import os
import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TextIO

from schemasense.codegen.emit.migrations.files import GeneratedFile
from schemasense.codegen.emit.style import CodeStyle
from schemasense.codegen.orms.typeorm.naming import NamingStrategy, SnakeNamingStrategy
from schemasense.codegen.schema import Schema, Table
from schemasense.server.project.conventions import detect_style
from schemasense.server.project.detection import PRISMA
from schemasense.server.project.discovery import SchemaUnit
from schemasense.server.project.typeorm import typeorm_version
from schemasense.server.workflows.files import outside
from schemasense.server.workflows.generate_migration import GenerateError, write_all
from schemasense.server.workspace.workspace import Workspace

TARGETS = ("typeorm", "prisma", "sequelize")
TARGET_TITLES = {
    "typeorm": "TypeORM entity",
    "prisma": "Prisma model",
    "sequelize": "Sequelize model",
}
SOURCE_NAMES = {
    "prisma": "Prisma models",
    "typeorm": "TypeORM entities",
    "sequelize": "Sequelize models",
    "sql_ddl": "SQL tables",
}


@dataclass(frozen=True)
class Project:
    unit: SchemaUnit
    schema: Schema
    root: str
    """The project folder (the nearest package.json above the models); files go below it."""
    style: CodeStyle
    read: object = None
    """The source's read (a TypeORM read says the naming strategy and the entity files)."""


@dataclass(frozen=True)
class Append:
    """Text added at the end of an existing file (`expected` is its text when read)."""

    path: str
    text: str
    expected: str


@dataclass(frozen=True)
class Prepared:
    project: Project
    target: str
    tables: tuple[str, ...]
    """The model names generated."""
    files: tuple[GeneratedFile, ...]
    """New files (absolute paths)."""
    appends: tuple[Append, ...] = ()
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def paths(self) -> list[str]:
        return [f.path for f in self.files] + [a.path for a in self.appends]


# -- 1. the project ------------------------------------------------------------------------------


def load(workspace: Workspace, path: str) -> Project:
    """The models at `path` (a project folder or a model file) and the project around them."""
    try:
        units = workspace.units_at(path)
    except (FileNotFoundError, ValueError) as exc:
        raise GenerateError(str(exc)) from None
    if not units:
        raise GenerateError(
            f"{path}: no models found (a Prisma schema, TypeORM entities, Sequelize models or "
            "a schema.sql)"
        )
    if len(units) > 1:
        real = [u for u in units if not any(p.endswith((".cjs", ".mjs")) for p in u.files)]
        units = real if len(real) == 1 else units
    if len(units) > 1:
        listed = ", ".join(u.key for u in units)
        raise GenerateError(f"{path} holds {len(units)} schemas ({listed}); give one of them")
    return project_of(workspace, units[0])


def project_of(workspace: Workspace, unit: SchemaUnit) -> Project:
    analysis = workspace.analyze(unit)
    errors = [f for f in analysis.read.findings if f.severity == "error"]
    if errors:
        first = errors[0]
        raise GenerateError(
            f"the models have {len(errors)} error(s) (first: {first.code} {first.message}); "
            "fix them before generating models from them"
        )
    schema = with_class_names(analysis.read.schema, analysis.read)
    root = project_root(unit.key)  # (a TypeORM unit's files start with the package.json)
    return Project(unit, schema, root, detect_style(root), analysis.read)


def project_root(path: str) -> str:
    """The nearest folder from `path` (a file or a folder) up with a package.json (else the
    models' own folder)."""
    path = os.path.abspath(path)
    start = path if os.path.isdir(path) else os.path.dirname(path)
    folder = start
    while True:
        if os.path.isfile(os.path.join(folder, "package.json")):
            return folder
        parent = os.path.dirname(folder)
        if parent == folder:
            # no package.json: the folder of the models, above the ORM's own folder
            return os.path.dirname(start) if os.path.basename(start) in ("prisma", "db") else start
        folder = parent


def with_class_names(schema: Schema, read: object) -> Schema:
    """A TypeORM read knows each table's class (`TableMeta.class_name`) where the schema model
    keeps only the table: put it back as the model name."""
    entities = getattr(read, "entities", None)
    metas = getattr(entities, "tables", None) or []
    classes = {m.name: m.class_name for m in metas if getattr(m, "class_name", None)}
    if not classes:
        return schema
    tables = [
        t.model_copy(update={"model_name": classes[t.name]})
        if t.model_name is None and t.name in classes
        else t
        for t in schema.tables
    ]
    return schema.model_copy(update={"tables": tables})


# -- 2. the files --------------------------------------------------------------------------------


def pick(schema: Schema, models: Sequence[str]) -> list[Table]:
    """The tables named by `models` (model, class or table names, any case); all by default."""
    tables = [t for t in schema.tables if t.kind not in ("view", "composite_type")]
    if not models:
        return tables
    out = []
    for name in models:
        found = [t for t in tables if name in (t.model_name, t.name)]
        found = found or [
            t for t in tables if name.lower() in ((t.model_name or "").lower(), t.name.lower())
        ]
        if not found:
            known = ", ".join(t.model_name or t.name for t in tables[:20])
            raise GenerateError(f"no model {name!r} in the schema (it has: {known})")
        out += [t for t in found if t not in out]
    return out


def prepare(
    workspace: Workspace,
    project: Project,
    target: str,
    models: Sequence[str] = (),
    out: str | None = None,
) -> Prepared:
    """The files `target` models of the picked tables are (nothing written)."""
    if target not in TARGETS:
        raise GenerateError(f"unknown target {target!r} (one of {', '.join(TARGETS)})")
    if project.unit.kind == target:
        raise GenerateError(f"the models are {SOURCE_NAMES[target]} already")
    provider = project.schema.provider
    if provider in ("mongodb", "sqlserver"):
        raise GenerateError(f"no {TARGET_TITLES[target]}s for provider {provider!r} yet")
    tables = pick(project.schema, models)
    if not tables:
        raise GenerateError("the schema has no tables to generate models for")
    folder = _inside(project.root, out) if out else None
    names = tuple(t.model_name or t.name for t in tables)
    if target == "prisma":
        files, appends = _prisma(workspace, project, tables, folder)
        return Prepared(project, target, names, tuple(files), tuple(appends))
    if target == "typeorm":
        files = _typeorm(workspace, project, tables, folder)
    else:
        files = _sequelize(workspace, project, tables, folder)
    for f in files:
        _inside(project.root, f.path)
    return Prepared(project, target, names, tuple(files))


def _inside(root: str, path: str) -> str:
    full = os.path.normpath(os.path.join(root, path))
    if os.path.commonpath([full, os.path.normpath(root)]) != os.path.normpath(root):
        raise GenerateError(f"{path} is outside the project ({root}); nothing was written")
    return full


def _units(workspace: Workspace, project: Project, kind: str) -> list[SchemaUnit]:
    try:
        return [u for u in workspace.units_at(project.root) if u.kind == kind]
    except (FileNotFoundError, ValueError):
        return []


def _package_json(root: str) -> str | None:
    try:
        with open(os.path.join(root, "package.json"), encoding="utf-8") as f:
            return f.read()
    except OSError:
        return None


def _typeorm(
    workspace: Workspace, project: Project, tables: list[Table], folder: str | None
) -> list[GeneratedFile]:
    from schemasense.codegen.emit.models.typeorm import EntityOptions, typeorm_entity_files

    version = typeorm_version(_package_json(project.root))
    naming: NamingStrategy = NamingStrategy(version)  # type: ignore[arg-type]
    entity_files: list[str] = []
    for unit in _units(workspace, project, "typeorm"):
        read = workspace.analyze(unit).read
        decl = getattr(read, "datasource", None)
        version = getattr(read, "version", version)
        naming = NamingStrategy(version)  # type: ignore[arg-type]
        if decl is not None and decl.naming == "snake":
            naming = SnakeNamingStrategy(version)  # type: ignore[arg-type]
        metas = getattr(getattr(read, "entities", None), "tables", None) or []
        entity_files = sorted({m.span[0] for m in metas if getattr(m, "span", None)})
        break
    suffix = "entity"
    if entity_files:
        suffix = "entity" if any(".entity." in os.path.basename(f) for f in entity_files) else ""
        if folder is None:
            folder = os.path.commonpath([os.path.dirname(f) for f in entity_files])
    if folder is None:
        src = os.path.join(project.root, "src")
        folder = os.path.join(src if os.path.isdir(src) else project.root, "entities")
    style = project.style
    if entity_files:
        style = detect_style(project.root, entity_files)
    options = EntityOptions(naming=naming, suffix=suffix, folder=folder)
    return typeorm_entity_files(project.schema, tables, style, options)


def _sequelize(
    workspace: Workspace, project: Project, tables: list[Table], folder: str | None
) -> list[GeneratedFile]:
    from schemasense.codegen.emit.models.sequelize import sequelize_flavour, sequelize_model_files
    from schemasense.server.project.sequelize import versions_of

    units = _units(workspace, project, "sequelize")
    setup = getattr(workspace.analyze(units[0]).read, "setup", None) if units else None
    if folder is None:
        models = [
            t.span.file
            for u in units[:1]
            for t in workspace.analyze(u).read.schema.tables
            if t.span is not None
        ]
        if models:  # where the project's models are (its unit's files include package.json)
            folder = os.path.commonpath([os.path.dirname(f) for f in models])
        else:
            src = os.path.join(project.root, "src")
            folder = os.path.join(src if os.path.isdir(src) else project.root, "models")
    versions = getattr(setup, "versions", None) or versions_of(_package_json(project.root))
    files = sequelize_model_files(
        project.schema,
        [t.name for t in tables],
        project.style,
        flavour=sequelize_flavour(versions),
        dialect=getattr(setup, "dialect", None),
        folder=os.path.relpath(folder, project.root),
        define=getattr(setup, "define", None),
        index=not units and not os.path.exists(os.path.join(folder, "index.js")),
    )
    return [GeneratedFile(os.path.join(project.root, f.path), f.text) for f in files]


_DECLARED = re.compile(r"^[ \t]*(model|enum|view|type)[ \t]+(\w+)", re.M)
_MAPPED = re.compile(r"@@map\(\s*\"([^\"]+)\"\s*\)")


def _prisma(
    workspace: Workspace,
    project: Project,
    tables: list[Table],
    folder: str | None,
    targets: list[Table] = (),  # type: ignore[assignment]
) -> tuple[list[GeneratedFile], list[Append]]:
    """`targets`: models the project has that the new ones point at; emitted with them so each
    foreign key is a relation, then left out (their side is the caller's to add)."""
    from schemasense.codegen.emit.models.prisma import prisma_models, prisma_schema

    schema = project.schema
    units = [] if folder else _units(workspace, project, PRISMA)
    if not units:
        path = os.path.join(folder or os.path.join(project.root, "prisma"), "schema.prisma")
        return [GeneratedFile(path, prisma_schema(schema, tables))], []
    unit = units[0]
    text = prisma_models(schema, [*tables, *targets])
    for t in targets:
        text = _without_block(text, t)
    texts = {p: workspace.text(p) or "" for p in unit.files}
    _refuse_conflicts(text, texts, tables)
    in_folder = unit.folder or os.path.basename(os.path.dirname(unit.files[0])) == "schema"
    if in_folder:  # a multi-file schema (`prisma/schema/*.prisma`): a file of its own
        stem = re.sub(r"[^a-z0-9]+", "-", (tables[0].model_name or tables[0].name).lower())
        base = os.path.dirname(unit.files[0])
        target = next(
            (os.path.join(base, f"{stem}{n}.prisma") for n in ("", *map(str, range(2, 99)))
             if not os.path.exists(os.path.join(base, f"{stem}{n}.prisma"))),
            os.path.join(base, f"{stem}.prisma"),
        )  # fmt: skip
        return [GeneratedFile(target, text)], []
    path = unit.files[0]
    current = texts[path]
    lead = "" if current.endswith("\n\n") else "\n" if current.endswith("\n") else "\n\n"
    return [], [Append(path, lead + text, current)]


def _without_block(text: str, table: Table) -> str:
    """`text` without the `model` block of `table` (by its `@@map`, else its name)."""
    for m in re.finditer(r"^model\s+(\w+)\s*\{.*?^\}\n*", text, re.M | re.S):
        if f'@@map("{table.name}")' in m.group(0) or m.group(1) in (table.model_name, table.name):
            return text[: m.start()] + text[m.end() :]
    return text


def _refuse_conflicts(text: str, texts: dict[str, str], tables: list[Table]) -> None:
    """Generated blocks must not declare a model, enum or table the schema already has."""
    have = {m.group(2): p for p, t in texts.items() for m in _DECLARED.finditer(t)}
    mapped = {m.group(1): p for p, t in texts.items() for m in _MAPPED.finditer(t)}
    for m in _DECLARED.finditer(text):
        if m.group(2) in have:
            raise GenerateError(
                f"{m.group(1)} {m.group(2)} is already declared in {have[m.group(2)]}; "
                "nothing was written (use --model to leave it out)"
            )
    for t in tables:
        if t.name in mapped:
            raise GenerateError(
                f"table {t.name} is already mapped by a model in {mapped[t.name]}; nothing "
                "was written"
            )


# -- 3. writing ----------------------------------------------------------------------------------


def write(prepared: Prepared) -> list[str]:
    """Every file or none: new files never replace one, an appended file must be as read."""
    existing = [f.path for f in prepared.files if os.path.exists(f.path)]
    if existing:
        raise GenerateError(f"{existing[0]} exists already; nothing was written")
    root = prepared.project.root
    if (out := outside(root, [a.path for a in prepared.appends])) is not None:
        raise GenerateError(
            f"{out} is outside the project ({root}) once its links are followed; "
            "nothing was written"
        )
    for a in prepared.appends:
        try:
            with open(a.path, encoding="utf-8", newline="") as f:
                now = f.read()
        except OSError as exc:
            raise GenerateError(f"{a.path}: {exc}; nothing was written") from None
        if now != a.expected:
            raise GenerateError(f"{a.path} changed while generating; nothing was written")
    written = write_all(list(prepared.files), root=root)
    done: list[Append] = []
    try:
        for a in prepared.appends:
            with open(a.path, "a", encoding="utf-8", newline="") as f:
                f.write(a.text)
            done.append(a)
    except OSError as exc:
        for a in done:
            with open(a.path, "w", encoding="utf-8", newline="") as f:
                f.write(a.expected)
        for path in written:
            os.remove(path)
        raise GenerateError(f"{exc}; nothing was written") from None
    return written + [a.path for a in prepared.appends]


# -- the command line ------------------------------------------------------------------------------


def run_cli(
    path: str,
    target: str,
    models: Sequence[str] = (),
    out: str | None = None,
    *,
    dry_run: bool = False,
    stdout: TextIO | None = None,
    as_json: bool = False,
) -> int:
    """`schemasense generate model`: print or write the files; 0 when done."""
    stdout = stdout or sys.stdout
    workspace = Workspace()
    project = load(workspace, path)
    prepared = prepare(workspace, project, target, models, out)
    cwd = os.getcwd()

    def shown(p: str) -> str:
        rel = os.path.relpath(p, cwd)
        return p if rel.startswith("..") else rel

    if as_json:
        data = {
            "target": target,
            "models": list(prepared.tables),
            "files": [{"path": shown(f.path), "text": f.text} for f in prepared.files],
            "appends": [{"path": shown(a.path), "text": a.text} for a in prepared.appends],
            "written": not dry_run,
        }
    if dry_run:
        if as_json:
            stdout.write(json.dumps(data, indent=2) + "\n")
            return 0
        for f in prepared.files:
            stdout.write(f"--- {shown(f.path)} (new)\n{f.text}")
        for a in prepared.appends:
            stdout.write(f"--- {shown(a.path)} (appended)\n{a.text}")
        return 0
    write(prepared)
    if as_json:
        stdout.write(json.dumps(data, indent=2) + "\n")
        return 0
    what = TARGET_TITLES[target]
    if len(prepared.tables) > 1:
        what = what[:-1] + "ies" if what.endswith("y") else what + "s"
    stdout.write(f"{len(prepared.tables)} {what} ({', '.join(prepared.tables)}):\n")
    for f in prepared.files:
        stdout.write(f"  created  {shown(f.path)}\n")
    for a in prepared.appends:
        stdout.write(f"  appended {shown(a.path)}\n")
    return 0

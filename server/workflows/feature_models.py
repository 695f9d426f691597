"""The feature's new tables as the project's models, where its configuration finds them.

The model generator's emitters and places (`generate_model`), a Prisma file named after the
feature, TypeORM entities in a folder of the feature's own where the project keeps one folder
per feature, and a DataSource that lists its entity classes edited to list the new ones.
"""

from __future__ import annotations

import os
import re

from schemasense.codegen.emit.migrations.files import GeneratedFile
from schemasense.codegen.schema import Schema, Table
from schemasense.server.project.analysis import ProjectAnalysis
from schemasense.server.project.conventions import detect_style
from schemasense.server.workflows import generate_migration, generate_model
from schemasense.server.workflows.feature_files import FeatureError, FeatureFile
from schemasense.server.workspace.workspace import Workspace

CODE = (".ts", ".js", ".cjs", ".mjs", ".mts", ".cts")


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


def as_declared(tables: list[Table], declared: Schema) -> list[Table]:
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


def model_files(
    workspace: Workspace,
    project: ProjectAnalysis,
    schema: Schema,
    tables: list[Table],
    title: str = "",
) -> list[FeatureFile]:
    """The new tables as the project's models (the model generator's emitters and places)."""
    if not tables:
        return []
    code = [p for p in project.unit.files if p.endswith(CODE) and not p.endswith(".d.ts")]
    code = [p for p in code if "config" not in os.path.basename(p)]
    style = detect_style(project.root, code) if code else detect_style(project.root)
    gm = generate_model.Project(project.unit, schema, project.root, style, project.read)
    try:
        names = {t.name for t in tables}
        targets = [x for t in tables for f in t.foreign_keys
                   if f.referenced_table not in names
                   and (x := schema.table(f.referenced_table)) is not None]  # fmt: skip
        targets = list({t.name: t for t in targets}.values())
        if project.orm == "prisma":
            new, appends = generate_model._prisma(workspace, gm, tables, None, targets)
            out = [FeatureFile(_named(f.path, title), f.text, "model") for f in new]
            out += [FeatureFile(a.path, a.expected + a.text, "model", "edit", a.expected)
                    for a in appends]  # fmt: skip
            return out
        if project.orm == "typeorm":
            folder = _feature_folder(project, title)
            # emitted with the project's entities they point at, so each foreign key is a
            # relation; only the new tables' files are kept, their imports of those fixed
            made: list[GeneratedFile] = generate_model._typeorm(
                workspace, gm, [*tables, *targets], folder
            )[: len(tables)]
            if targets:
                made = [_project_imports(f, project, targets) for f in made]
        else:
            made = generate_model._sequelize(workspace, gm, tables, None)
    except generate_migration.GenerateError as exc:
        raise FeatureError(str(exc)) from None
    return [FeatureFile(f.path, f.text, "model") for f in made]


def _project_imports(f: GeneratedFile, project: ProjectAnalysis, targets) -> GeneratedFile:
    """A new entity's import of a project entity, from where that entity's file is."""
    from dataclasses import replace

    metas = {m.name: m for m in getattr(getattr(project.read, "entities", None), "tables", [])}
    text = f.text
    for t in targets:
        meta = metas.get(t.name)
        if meta is None or not getattr(meta, "span", None):
            continue
        cls = meta.class_name
        spec = os.path.relpath(os.path.splitext(meta.span[0])[0], os.path.dirname(f.path))
        spec = spec if spec.startswith(".") else "./" + spec
        text = re.sub(
            rf"^(import\s*\{{\s*{re.escape(cls)}\s*\}}\s*from\s*)(['\"])[^'\"]+\2",
            lambda m, spec=spec: f"{m.group(1)}{m.group(2)}{spec}{m.group(2)}",
            text,
            count=1,
            flags=re.M,
        )
    return replace(f, text=text)


_ENTITIES = re.compile(r"\bentities\s*:\s*\[([^\]]*)\]")

_FOR_FEATURE = re.compile(r"\bforFeature\s*\(\s*\[([^\]]*)\]")

_IMPORT = re.compile(r"^import\b[^;]*?from\s*(['\"])[^'\"]+\1;?[ \t]*$", re.M)


def listed_entities(
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

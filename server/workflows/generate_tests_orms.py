"""What only each ORM's source knows, for the test generator: the flavour of a project.

`generate_tests.prepare` builds the schema the database will hold; this module adds what the
generated files need from the project itself and returns the ORM's flavour
(`codegen.emit.tests.orm`): for Prisma, where its generator puts the client; for TypeORM, the
entity classes and their modules, the exported DataSource, the migration classes in order and
which columns are `@UpdateDateColumn` / `@DeleteDateColumn`; for Sequelize, each model's
defining file (sequelize-cli's layout), its paranoid `deletedAt` and the migrations glob.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field

from schemasense.codegen.emit.tests import prisma_flavour, sequelize_flavour, typeorm_flavour
from schemasense.codegen.emit.tests.orm import Flavour
from schemasense.codegen.schema import Schema
from schemasense.server.project.detection import PRISMA
from schemasense.server.workflows.generate_migration import GenerateError, Project
from schemasense.server.workspace.workspace import Workspace


def _read(path: str) -> str | None:
    try:
        with open(path, encoding="utf-8", newline="") as f:
            return f.read()
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
        return None


@dataclass(frozen=True)
class Adapted:
    """The schema with what only the ORM's source knows put on it, and the ORM's flavour."""

    schema: Schema
    flavour: Flavour
    dialect: str = "postgresql"
    soft_delete: dict[str, str] = field(default_factory=dict)
    relation_fks: frozenset[str] = frozenset()


def adapt(workspace: Workspace, proj: Project, schema: Schema, root: str, out_abs: str) -> Adapted:
    """The schema and flavour for `proj`'s ORM; `out_abs` is the test folder (imports are
    relative to it)."""
    if proj.unit.kind == "typeorm":
        return typeorm_adapted(workspace, proj, schema, out_abs)
    if proj.unit.kind == "sequelize":
        return sequelize_adapted(workspace, proj, schema, root, out_abs)
    flavour = flavour_of(proj)
    module = flavour.client_module  # type: ignore[attr-defined]
    dialect = flavour.dialect  # type: ignore[attr-defined]
    if not module.startswith("@"):
        module = os.path.relpath(module, out_abs).replace(os.sep, "/")
        flavour = prisma_flavour(module if module.startswith(".") else "./" + module, dialect)
    return Adapted(schema, flavour, dialect)


_PRISMA_DIALECTS = {
    "postgresql": "postgresql",
    "postgres": "postgresql",
    "mysql": "mysql",
    "sqlite": "sqlite",
}


def flavour_of(proj: Project) -> Flavour:
    if proj.unit.kind == PRISMA:
        dialect = _PRISMA_DIALECTS.get(str(proj.declared.provider))
        if dialect is None:
            raise GenerateError(
                f"tests for Prisma on {proj.declared.provider} are not generated yet "
                "(PostgreSQL, MySQL / MariaDB and SQLite are)"
            )
        return prisma_flavour(_client_module(proj), dialect)
    raise GenerateError(f"tests for {proj.unit.kind} projects are not generated yet")


_EXPORTED_DATASOURCE = re.compile(
    r"export\s+const\s+(\w+)\s*(?::\s*[\w.]+\s*)?=\s*new\s+DataSource\b"
)
_EXPORTED_CLASS = re.compile(r"export\s+(?:default\s+)?class\s+(\w+)")


def typeorm_adapted(workspace: Workspace, proj: Project, schema: Schema, out_abs: str) -> Adapted:
    """A TypeORM project: entity classes and their modules, the exported DataSource, the
    migration classes in order, and which columns are `@UpdateDateColumn` /
    `@DeleteDateColumn` (read from the decorator each column's span covers)."""
    analysis = workspace.analyze(proj.unit)
    read = analysis.read
    decl = getattr(read, "datasource", None)
    provider = {"mariadb": "mysql"}.get(str(schema.provider), schema.provider)
    if provider not in ("postgresql", "sqlite", "mysql"):
        raise GenerateError(f"tests for TypeORM on {provider} are not generated yet")
    if decl is None or decl.how != "DataSource":
        raise GenerateError("tests need the project's DataSource (`new DataSource({...})`)")
    ds_text = analysis.texts.get(decl.file) or _read(decl.file) or ""
    exported = _EXPORTED_DATASOURCE.search(ds_text)
    if exported is None:
        raise GenerateError(
            f"{decl.file}: the DataSource is not exported as a const; the tests import it"
        )
    classes = {t.name: t.class_name for t in read.tables if t.class_name}
    tables = []
    modules: dict[str, str] = {}
    soft: dict[str, str] = {}
    relation_fks: set[str] = set()
    for t in schema.tables:
        cls = classes.get(t.name)
        if cls is None or t.span is None:
            tables.append(t)
            continue
        modules[cls] = _module(t.span.file, out_abs)
        for fk in t.foreign_keys:
            spans = [t.column(c).span for c in fk.columns if t.column(c) is not None]
            if not {_decorator_at(analysis.texts, s) for s in spans} & {"Column", "PrimaryColumn"}:
                relation_fks.add(fk.name)
        columns = []
        for c in t.columns:
            decorator = _decorator_at(analysis.texts, c.span)
            if decorator == "UpdateDateColumn":
                c = c.model_copy(update={"updated_at": True})
            if decorator == "DeleteDateColumn":
                soft[t.name] = c.name
            columns.append(c)
        tables.append(t.model_copy(update={"model_name": cls, "columns": columns}))
    migrations = []
    folder = proj.folder
    if os.path.isdir(folder):
        for name in sorted(os.listdir(folder)):
            if not name.endswith(".ts") or name.endswith(".d.ts"):
                continue
            path = os.path.join(folder, name)
            found = _EXPORTED_CLASS.search(analysis.texts.get(path) or _read(path) or "")
            if found:
                migrations.append((found.group(1), _module(path, out_abs)))
    flavour = typeorm_flavour(
        entity_modules=modules,
        datasource_module=_module(decl.file, out_abs),
        datasource_export=exported.group(1),
        migrations=tuple(migrations),
        sqlite=provider == "sqlite",
    )
    return Adapted(
        schema.model_copy(update={"tables": tables}),
        flavour,
        provider or "postgresql",
        soft,
        frozenset(relation_fks),
    )


_DEFINE = re.compile(r"module\.exports\s*=\s*(?:async\s+)?(?:function\b|\(|\w+\s*=>)")
_MODEL_CLASS = re.compile(r"export\s+(default\s+)?(?:abstract\s+)?class\s+(\w+)\s+extends\b")


def sequelize_adapted(
    workspace: Workspace, proj: Project, schema: Schema, root: str, out_abs: str
) -> Adapted:
    """A Sequelize project: each model's defining file (sequelize-cli's `module.exports =
    (sequelize, DataTypes) => ...`) or sequelize-typescript's model class, its paranoid
    `deletedAt`, the migrations folder, and the database (PostgreSQL, MySQL / MariaDB or a SQLite
    file)."""
    analysis = workspace.analyze(proj.unit)
    read = analysis.read
    if schema.provider not in ("postgresql", "sqlite", "mysql"):
        raise GenerateError(f"tests for Sequelize on {schema.provider} are not generated yet")
    built = getattr(read, "built", None)
    if built is None:
        raise GenerateError("the Sequelize models could not be read")
    modules: dict[str, str] = {}
    classes: list[tuple[str, str, bool]] = []
    soft: dict[str, str] = {}
    for model in built.models:
        if model.through_of is not None or not model.file:
            continue
        text = analysis.texts.get(model.file) or _read(model.file) or ""
        decorated = model.decl is not None and model.decl.decorated is not None
        if decorated:
            known = model.decl.known_as | {model.name}
            found = [m for m in _MODEL_CLASS.finditer(text) if m.group(2) in known]
            if not found:
                raise GenerateError(
                    f"{model.file}: tests load sequelize-typescript models exported as classes "
                    f"(export class {model.name} extends ...)"
                )
            classes.append(
                (found[0].group(2), _module(model.file, out_abs), bool(found[0].group(1)))
            )
        elif not _DEFINE.search(text):
            raise GenerateError(
                f"{model.file}: tests load models written as sequelize-cli writes them "
                "(module.exports = (sequelize, DataTypes) => ...)"
            )
        else:
            modules[model.name] = _module(model.file, out_abs)
        table = schema.model(model.name)
        if table is not None and model.naming.paranoid:
            attribute = model.naming.timestamp_attributes().get("deletedAt")
            column = table.field(attribute) if attribute else None
            if column is not None:
                soft[table.name] = column.name
    if classes and modules:
        raise GenerateError(
            "tests load either sequelize-cli model files or sequelize-typescript classes, "
            "not both in one model set"
        )
    folder = os.path.relpath(proj.folder, root).replace(os.sep, "/")
    flavour = sequelize_flavour(
        model_modules=modules,
        migrations_glob=f"{folder}/*.js",
        classes=tuple(classes),
        sqlite=schema.provider == "sqlite",
        mysql=schema.provider == "mysql",
    )
    return Adapted(schema, flavour, schema.provider, soft)


def _decorator_at(texts, span) -> str | None:
    """The name of the TypeORM decorator a column's span covers."""
    if span is None:
        return None
    text = texts.get(span.file) or ""
    found = re.search(r"@(\w+)\s*\(", text[span.start : span.end + 1])
    return found.group(1) if found else None


def _module(path: str, out_abs: str) -> str:
    """An import specifier for `path` from the test folder (no extension)."""
    rel = os.path.relpath(os.path.splitext(path)[0], out_abs).replace(os.sep, "/")
    return rel if rel.startswith(".") else "./" + rel


def _client_module(proj: Project) -> str:
    """Where the project's Prisma generator puts the client, as the tests import it."""
    for gen in proj.declared.generators:
        provider = gen.properties.get("provider")
        if provider is None or provider.value not in ("prisma-client", "prisma-client-js"):
            continue
        output = gen.properties.get("output")
        if provider.value == "prisma-client-js" and (output is None or output.value is None):
            return "@prisma/client"
        if output is None or not isinstance(output.value, str):
            continue
        schema_dir = os.path.dirname(gen.span.file) if gen.span else proj.root
        target = os.path.normpath(os.path.join(schema_dir, output.value))
        return target + ("/client" if provider.value == "prisma-client" else "")
    return "@prisma/client"

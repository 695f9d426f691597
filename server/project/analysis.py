"""A project as a person sizing up a feature would see it: ORM, database, conventions, tools.

`analyse(workspace, root, orm=None)` answers, from the project's own files: which ORM (the
schema units below `root`: a Prisma schema, a TypeORM DataSource with its entities, Sequelize
models; several is a question `orm=` answers), which database and version (the read's provider,
`schemasense.toml`'s `database_version`), the naming conventions its models follow (field and
column case, plural table names, `@map`s, the naming strategy, `underscored`, the id type,
timestamp and soft-delete columns), the migration tool and folder, the DTO style (class-validator
or zod, from package.json), the test runner (Vitest or Jest) and where things live. Nothing here
writes or runs anything.
"""

from __future__ import annotations

import json
import os
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from schemasense.codegen.schema import Schema
from schemasense.server.project.config import load_config
from schemasense.server.project.discovery import SchemaUnit

if TYPE_CHECKING:  # the workspace is handed in by the workflow; project/ never builds one
    from schemasense.server.workspace.workspace import Workspace

ORMS = ("prisma", "typeorm", "sequelize")
ORM_TITLES = {"prisma": "Prisma", "typeorm": "TypeORM", "sequelize": "Sequelize"}


class AnalysisError(Exception):
    """The project does not say what the feature needs (which ORM, which database)."""


@dataclass(frozen=True)
class Conventions:
    """How the project's models name things (what a new model should follow)."""

    field_case: str = "camel"
    """`camel` (createdAt) or `snake` (created_at): the ORM-side names."""
    column_case: str = "snake"
    """`snake` or `camel`: the database column names."""
    plural_tables: bool | None = None
    maps_names: bool = False
    """Field names differ from column names (`@map`, a naming strategy, `underscored`)."""
    naming_strategy: str | None = None
    """TypeORM's (`default`, `snake`, `custom:X`); Sequelize: `underscored` or None."""
    id_type: str | None = None
    """The most common primary-key type (`uuid`, `int`, `bigint`)."""
    timestamps: tuple[str, ...] = ()
    """The created/updated column names most tables have."""
    soft_delete: str | None = None
    """The soft-delete column (`deleted_at`), where tables have one."""


@dataclass(frozen=True)
class ProjectAnalysis:
    root: str
    orm: str
    unit: SchemaUnit
    dialect: str
    dialect_from: str
    version: str | None
    conventions: Conventions
    dto_styles: tuple[str, ...]
    test_runner: str | None
    schema: Schema
    read: object = None
    found: tuple[str, ...] = field(default_factory=tuple)
    """Every ORM found below the root."""

    @property
    def title(self) -> str:
        return ORM_TITLES[self.orm]


def analyse(workspace: Workspace, root: str, orm: str | None = None) -> ProjectAnalysis:
    """The project at `root`; `orm` picks one where it has several."""
    try:
        units = [u for u in workspace.units_at(root) if u.kind in ORMS]
    except (FileNotFoundError, ValueError) as exc:
        raise AnalysisError(str(exc)) from None
    units = [u for u in units if not any(p.endswith((".cjs", ".mjs")) for p in u.files)] or units
    kinds = tuple(dict.fromkeys(u.kind for u in units))
    if orm is not None:
        if orm not in ORMS:
            raise AnalysisError(f"orm:{orm} is not one of {', '.join(ORMS)}")
        picked = [u for u in units if u.kind == orm]
        if not picked:
            found = ", ".join(f"{ORM_TITLES[k]} ({_where(units, k, root)})" for k in kinds)
            raise AnalysisError(
                f"orm:{orm} was asked for, but {root} has no {ORM_TITLES[orm]} models"
                + (f" (it has: {found})" if found else "")
            )
        units = picked
        kinds = (orm,)
    if not units:
        raise AnalysisError(
            f"{root}: no ORM found (looked for a Prisma schema, a TypeORM DataSource with "
            "entities, Sequelize models); the feature is written into an existing model set"
        )
    if len(kinds) > 1 or len(units) > 1:
        listed = "; ".join(f"{ORM_TITLES[u.kind]}: {os.path.relpath(u.key, root)}" for u in units)
        options = " or ".join(f"orm:{k}" for k in kinds) if len(kinds) > 1 else ""
        raise AnalysisError(
            f"{root} uses more than one model set ({listed}); say which the feature goes to"
            + (f" with {options} (--orm {'|'.join(kinds)})" if options else "")
        )
    unit = units[0]
    analysis = workspace.analyze(unit)
    read = analysis.read
    schema = read.schema
    loaded = load_config(root)
    dialect = loaded.config.database or schema.provider
    dialect_from = "schemasense.toml" if loaded.config.database else _dialect_from(unit, read)
    dialect_from = dialect_from.replace(root.rstrip(os.sep) + os.sep, "")
    guessed = [
        f for f in getattr(read, "findings", []) if f.code == "DB070" and "dialect" in f.message
    ]
    if guessed and not loaded.config.database:
        raise AnalysisError(
            f"{root}: which database the Sequelize models are for is not said (no dialect in "
            "the config sequelize-cli reads, nor in `new Sequelize(...)`); set it in "
            'schemasense.toml: database = "postgresql" (or "mysql", "mariadb", "sqlite")'
        )
    if not dialect:
        raise AnalysisError(
            f"{root}: which database the {ORM_TITLES[unit.kind]} models are for is not said "
            'anywhere; set it in schemasense.toml: database = "postgresql" (or "mysql", '
            '"mariadb", "sqlite")'
        )
    package = _package(root)
    deps = {**package.get("dependencies", {}), **package.get("devDependencies", {})}
    dto = tuple(
        s for s, dep in (("class-validator", "class-validator"), ("zod", "zod")) if dep in deps
    )
    runner = test_runner(root, package)
    return ProjectAnalysis(
        root=root,
        orm=unit.kind,
        unit=unit,
        dialect=str(dialect),
        dialect_from=dialect_from,
        version=loaded.config.database_version,
        conventions=conventions(schema, unit.kind, read),
        dto_styles=dto,
        test_runner=runner,
        schema=schema,
        read=read,
        found=kinds,
    )


def _where(units: list[SchemaUnit], kind: str, root: str) -> str:
    return ", ".join(os.path.relpath(u.key, root) for u in units if u.kind == kind)


def _dialect_from(unit: SchemaUnit, read: object) -> str:
    if unit.kind == "prisma":
        return "the datasource's provider"
    if unit.kind == "typeorm":
        decl = getattr(read, "datasource", None)
        return f"the DataSource's type ({getattr(decl, 'type', None)})"
    setup = getattr(read, "setup", None)
    return f"Sequelize's dialect ({getattr(setup, 'dialect_from', None) or 'default'})"


JEST_CONFIGS = tuple(f"jest.config.{ext}" for ext in ("js", "ts", "mjs", "cjs", "cts", "json"))


def test_runner(root: str, package: dict | None = None) -> str | None:
    """The project's test runner: Vitest when package.json declares `vitest`, else Jest when it
    declares `jest`, has a `jest` key, a script that runs `jest`, or a `jest.config.*` sits at
    the root (a NestJS project's default set-up); None when neither is there."""
    package = _package(root) if package is None else package
    deps = {**package.get("dependencies", {}), **package.get("devDependencies", {})}
    if "vitest" in deps:
        return "vitest"
    scripts = package.get("scripts", {})
    scripts = scripts if isinstance(scripts, dict) else {}
    if (
        "jest" in deps
        or "jest" in package
        or any(re.search(r"(^|[\s/])jest\b", str(s)) for s in scripts.values())
        or any(os.path.isfile(os.path.join(root, name)) for name in JEST_CONFIGS)
    ):
        return "jest"
    return None


def _package(root: str) -> dict:
    try:
        with open(os.path.join(root, "package.json"), encoding="utf-8") as f:
            data = json.load(f)
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


_SNAKE = re.compile(r"^[a-z0-9]+(_[a-z0-9]+)+$")
_CAMEL = re.compile(r"^[a-z][a-z0-9]*([A-Z][a-z0-9]*)+$")
_CREATED = re.compile(r"^created_?at$", re.I)
_UPDATED = re.compile(r"^updated_?at$", re.I)
_DELETED = re.compile(r"^deleted_?at$", re.I)


def conventions(schema: Schema, orm: str, read: object = None) -> Conventions:
    """The conventions the project's tables follow (majorities; ties go to the ORM's default)."""
    tables = [t for t in schema.tables if t.kind == "table"]
    columns = [c for t in tables for c in t.columns]
    column_case = Counter(
        "snake" if _SNAKE.match(c.name) else "camel" for c in columns if _SNAKE.match(c.name)
        or _CAMEL.match(c.name)
    )  # fmt: skip
    fields = [c.field_name or c.name for c in columns]
    field_case = Counter(
        "snake" if _SNAKE.match(f) else "camel"
        for f in fields
        if _SNAKE.match(f) or _CAMEL.match(f)
    )
    plural = [t.name.lower().endswith("s") for t in tables if t.kind == "table"]
    ids = Counter(
        (t.column(t.primary_key.columns[0].column or "") or t.columns[0]).type.kind
        for t in tables
        if t.primary_key and len(t.primary_key.columns) == 1 and t.columns
    )
    stamps = []
    for pattern in (_CREATED, _UPDATED):
        names = Counter(c.name for c in columns if pattern.match(c.name))
        if names and names.most_common(1)[0][1] * 2 >= max(1, len(tables)):
            stamps.append(names.most_common(1)[0][0])
    deleted = Counter(c.name for c in columns if _DELETED.match(c.name))
    strategy = None
    if orm == "typeorm":
        strategy = getattr(getattr(read, "datasource", None), "naming", None)
    elif orm == "sequelize":
        define = getattr(getattr(read, "setup", None), "define", None) or {}
        strategy = "underscored" if define.get("underscored") else None
    maps = any(c.field_name and c.field_name != c.name for c in columns)
    return Conventions(
        field_case=field_case.most_common(1)[0][0] if field_case else "camel",
        column_case=column_case.most_common(1)[0][0] if column_case else "snake",
        plural_tables=(sum(plural) * 2 > len(plural)) if plural else None,
        maps_names=maps,
        naming_strategy=strategy,
        id_type=ids.most_common(1)[0][0] if ids else None,
        timestamps=tuple(stamps),
        soft_delete=deleted.most_common(1)[0][0] if deleted else None,
    )

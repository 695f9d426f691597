"""The queries of a project: every query file read by the reader of each schema unit's ORM.

A project's schema units come from the workspace (`Workspace.units_at`: a `schema.prisma`, a
TypeORM DataSource's entities, a Sequelize model set); each unit's kind names the reader of
its queries (`readers()`). Each query file (`files.py`) is parsed once and offered to the
units nearest it first; a call read by one unit is not read again by another.

A monorepo whose schema sits in another package (`packages/db/prisma/schema.prisma`, the code
in `apps/web/`): when PATH holds no schema, the folders above it are searched up to the
repository root. Queries are then assigned by model: a Prisma call on `prisma.user` goes to
the nearest unit whose schema declares a model `User` (nearest: the longest folder path in
common with the file), whatever name or path the client is imported under (`@prisma/client`,
`@acme/db`, a generated client folder); raw SQL goes to the nearest Prisma unit.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from schemasense.codegen.queries.model import Query
from schemasense.codegen.schema import Schema
from schemasense.server.project.config import LoadedConfig, find_config_file, parse_config
from schemasense.server.project.discovery import SchemaUnit
from schemasense.server.queries.files import query_files
from schemasense.server.queries.migrated_keys import migrated_schemas, with_migrated_keys
from schemasense.server.sources.typescript.declarations import Module, read_module
from schemasense.server.workspace.workspace import Workspace

QueryReader = Callable[[Module, Schema, str], list[Query]]
"""`reader(module, schema, file)`: the queries of one parsed file on one unit's schema."""


def readers() -> dict[str, QueryReader]:
    """The query reader of each unit kind (`SchemaUnit.kind`)."""
    from schemasense.server.queries.prisma_client import read_prisma_queries
    from schemasense.server.queries.sequelize import read_sequelize_queries
    from schemasense.server.queries.typeorm import read_typeorm_queries

    return {
        "prisma": read_prisma_queries,
        "typeorm": read_typeorm_queries,
        "sequelize": read_sequelize_queries,
    }


@dataclass(frozen=True)
class UnitSchema:
    """A unit whose queries are read, with its declared schema (plus the keys only its
    migrations create: `migrated_keys.py`) and SQL dialect."""

    unit: SchemaUnit
    schema: Schema
    dialect: str
    editor: Any = field(default=None, compare=False)
    """The unit's `SchemaEditor` (`sources/base.py`), for a rule's fix (add an index), or
    None where its source has none."""


@dataclass(frozen=True)
class FoundQuery:
    query: Query
    file: str
    unit: UnitSchema


@dataclass
class ProjectQueries:
    files: list[str] = field(default_factory=list)
    units: list[UnitSchema] = field(default_factory=list)
    queries: list[FoundQuery] = field(default_factory=list)


def dialect_of(schema: Schema, loaded: LoadedConfig) -> str:
    """The unit's SQL dialect: the configuration's `database`, else the schema's provider,
    else PostgreSQL."""
    database = loaded.config.database or schema.provider or "postgresql"
    return {"mariadb": "mysql", "cockroachdb": "postgresql"}.get(database, database)


def project_units(workspace: Workspace, path: str) -> list[UnitSchema]:
    """The units PATH names, or those of the folders above it (a package of a monorepo whose
    schema sits in another package), with their schemas."""
    try:
        units = workspace.units_at(path)
    except (FileNotFoundError, ValueError):
        units = []
    folder = os.path.abspath(path if os.path.isdir(path) else os.path.dirname(path))
    while not units:
        if os.path.exists(os.path.join(folder, ".git")):
            break
        parent = os.path.dirname(folder)
        if parent == folder:
            break
        folder = parent
        units = workspace.units_at(folder)
    kinds = readers()
    found: list[UnitSchema] = []
    for unit in units:
        if unit.kind not in kinds:
            continue
        analysis = workspace.analyze(unit)
        schema = analysis.read.schema
        editor = analysis.source.editor(analysis.read, analysis.texts)
        # judged against the keys the database has: the declared ones and those only the
        # linked migrations create (`migrated_keys.py`)
        judged = with_migrated_keys(schema, migrated_schemas(workspace, analysis))
        found.append(UnitSchema(unit, judged, dialect_of(schema, analysis.config), editor))
    return found


def read_project_queries(workspace: Workspace, path: str) -> ProjectQueries:
    """Every query of the code below `path` (a folder or one file). Never raises on the
    files' contents (a file that cannot be parsed gives what could be read)."""
    units = project_units(workspace, path)
    result = ProjectQueries(units=units)
    if not units:
        return result
    root = os.path.abspath(path)
    config_file = find_config_file(root if os.path.isdir(root) else os.path.dirname(root))
    loaded = parse_config(*config_file) if config_file else None
    result.files = query_files(root, loaded, extra=workspace.open_paths())
    for file in result.files:
        text = workspace.text(file)
        if text is None:
            continue
        result.queries.extend(read_file_queries(file, text, units))
    return result


def read_file_queries(
    file: str, text: str, units: list[UnitSchema], module: Module | None = None
) -> list[FoundQuery]:
    """The queries of one file, each read by the nearest unit that reads it; `module`: the
    file already parsed (the editor keeps parses by content: `sources/typescript/kept.py`)."""
    module = module if module is not None else read_module(file, text)
    kinds = readers()
    seen: set[tuple[int, int, str, str]] = set()
    found: list[FoundQuery] = []
    for unit in sorted(units, key=lambda u: -_common(file, u.unit.key)):
        reader = kinds.get(unit.unit.kind)
        if reader is None:
            continue
        for query in reader(module, unit.schema, file):
            span = query.span
            key = (span.start if span else -1, span.end if span else -1, query.label, query.table)
            if key in seen:
                continue
            seen.add(key)
            found.extend(FoundQuery(q, file, unit) for q in with_sql(query, unit))
    found.sort(key=lambda f: f.query.span.start if f.query.span else 0)
    return found


def with_sql(query: Query, unit: UnitSchema) -> list[Query]:
    """A raw SQL call read as the queries its statements make (`codegen/queries/sql.py`), each
    placed on the call (`label`, `span`, `in_loop` of the call, the SQL kept in `sql`); the
    raw query itself when its SQL is not known or makes no query (`SET ...`, `TRUNCATE ...`)."""
    if query.operation != "raw" or not query.sql:
        return [query]
    from schemasense.codegen.queries.sql import read_sql_queries

    read = read_sql_queries(query.sql, unit.dialect, unit.schema)
    if not read:
        return [query]
    placed: list[Query] = []
    for statement in read:
        placed.append(
            statement.model_copy(
                update={
                    "label": query.label if not statement.implied_by else statement.label,
                    "implied_by": query.label if statement.implied_by else None,
                    "span": query.span,
                    "where_span": query.span,
                    "order_span": None,
                    "in_loop": query.in_loop,
                    "sql": query.sql,
                    "unknown": [*query.unknown, *statement.unknown],
                }
            )
        )
    return placed


def _common(file: str, key: str) -> int:
    """How many folders `file` and the unit keyed `key` have in common."""
    a = os.path.dirname(os.path.abspath(file)).split(os.sep)
    b = os.path.abspath(key).split(os.sep)
    count = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        count += 1
    return count

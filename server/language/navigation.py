"""Navigation: definition, references, document and workspace symbols, code lenses.

All answers are offsets into the unit's files (`Location`), read off the position index: a
definition is the declaration of the key under the cursor, references are every occurrence of
it across the unit's files (a multi-file `prisma/schema/` folder included).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal

from schemasense.server.sources.prisma import ast
from schemasense.server.sources.prisma.index import SchemaIndex

from .migrations import MigrationIndex

SymbolKind = Literal[
    "model",
    "view",
    "type",
    "enum",
    "field",
    "value",
    "datasource",
    "generator",
    "property",
    "relation",
    "key",
]


@dataclass(frozen=True, slots=True)
class Location:
    file: str
    start: int
    end: int


@dataclass(slots=True)
class Symbol:
    """A declaration: `span` is the whole of it, `name_span` its name."""

    name: str
    kind: SymbolKind
    detail: str
    file: str
    span: tuple[int, int]
    name_span: tuple[int, int]
    container: str | None = None
    children: list[Symbol] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Lens:
    """A line of text above a model's name."""

    file: str
    start: int
    end: int
    title: str
    model: str


def definition(index: SchemaIndex, file: str, offset: int) -> list[Location]:
    """Where the model, enum, composite type, field or value under the cursor is declared."""
    token = index.at(file, offset)
    if token is None or token.key is None:
        return []
    decl = index.declaration(token.key)
    if decl is None:
        return []
    return [Location(decl.file, decl.start, decl.end)]


def references(
    index: SchemaIndex,
    file: str,
    offset: int,
    include_declaration: bool = True,
    migrations: MigrationIndex | None = None,
) -> list[Location]:
    """Every occurrence, across the unit, of what is under the cursor; with `migrations`,
    also every migration statement that created, changed, renamed or dropped its table or
    column (at the name in the statement)."""
    token = index.at(file, offset)
    if token is None or token.key is None or token.key[0] == "scalar":
        return []
    found = [
        Location(o.file, o.start, o.end)
        for o in index.occurrences(token.key)
        if include_declaration or not o.is_declaration
    ]
    if migrations is not None:
        found += migration_references(index, token.key, migrations)
    return found


def migration_references(index: SchemaIndex, key, migrations: MigrationIndex) -> list[Location]:
    """Where the migrations name the table or column of a model or field key."""
    if key[0] not in ("model", "field"):
        return []
    table = index.table(key[1])
    if table is None or table.kind != "table":
        return []
    column = None
    if key[0] == "field":
        f = index.field_info(key[1], key[2])
        if f is None or f.kind == "relation":
            return []
        column = f.db_name
    name = column if column is not None else table.name
    seen: set[tuple[str, int]] = set()
    found = []
    for statement, at in migrations.occurrences(table.name, column):
        if (statement.file, at) in seen:
            continue
        seen.add((statement.file, at))
        found.append(Location(statement.file, at, at + len(name)))
    return found


# -- symbols -------------------------------------------------------------------------------------


def _field_detail(f: ast.Field) -> str:
    if f.type is None:
        return ""
    suffix = {"optional": "?", "list": "[]"}.get(f.arity, "")
    name = f'Unsupported("{f.type.name}")' if f.type.unsupported else f.type.name
    return name + suffix


def _top_symbol(file: str, top: ast.Top) -> Symbol:
    name = top.name.name
    if isinstance(top, ast.Model):
        symbol = Symbol(name, top.kind, top.kind, file, top.span, top.name.span)
        for f in top.fields:
            symbol.children.append(
                Symbol(f.name.name, "field", _field_detail(f), file, f.span, f.name.span, name)
            )
        return symbol
    if isinstance(top, ast.Enum):
        symbol = Symbol(name, "enum", "enum", file, top.span, top.name.span)
        for value in top.values:
            symbol.children.append(
                Symbol(value.name.name, "value", "", file, value.span, value.name.span, name)
            )
        return symbol
    symbol = Symbol(name, top.kind, top.kind, file, top.span, top.name.span)
    for prop in top.properties:
        symbol.children.append(
            Symbol(prop.name.name, "property", "", file, prop.span, prop.name.span, name)
        )
    return symbol


def document_symbols(index: SchemaIndex, file: str) -> list[Symbol]:
    """Models, views and composite types with their fields, enums with their values,
    datasources and generators with their properties, in text order."""
    return [_top_symbol(file, top) for top in index.tops(file)]


def workspace_symbols(indexes: Iterable[SchemaIndex], query: str, limit: int = 500) -> list[Symbol]:
    """Blocks and fields of every unit whose name contains `query` (case-insensitive; a field
    also matches as `Model.field`)."""
    needle = query.lower()
    found: list[Symbol] = []
    seen: set[str] = set()
    for index in indexes:
        for file in index.file_ids:
            if file in seen:
                continue
            seen.add(file)
            for symbol in document_symbols(index, file):
                if needle in symbol.name.lower():
                    found.append(symbol)
                if symbol.kind in ("datasource", "generator"):
                    continue
                for child in symbol.children:
                    if needle in child.name.lower() or needle in (
                        f"{symbol.name}.{child.name}".lower()
                    ):
                        found.append(child)
                if len(found) >= limit:
                    return found[:limit]
    return found


# -- code lenses ---------------------------------------------------------------------------------


def code_lenses(
    index: SchemaIndex,
    file: str,
    migrations: MigrationIndex | None = None,
    drift: dict[str, list[str]] | None = None,
) -> list[Lens]:
    """One lens per model and view: "N relations · M indexes" (primary key, uniques and
    indexes, each an index in the database); with `migrations`, then "created in <migration>
    · K migrations · no drift" (`drift`: the differences per table)."""
    lenses = []
    for top in index.tops(file):
        if not isinstance(top, ast.Model) or top.kind == "type":
            continue
        model = index.model(top.name.name)
        if model is None:
            continue
        relations = len(model.relation_fields)
        indexes = len(model.indexes) + (1 if model.id is not None else 0)
        title = (
            f"{relations} relation{'' if relations == 1 else 's'} · "
            f"{indexes} index{'' if indexes == 1 else 'es'}"
        )
        if migrations is not None and model.kind == "model":
            title += " · " + _migration_summary(index, model.name, migrations, drift or {})
        lenses.append(Lens(file, top.name.span[0], top.name.span[1], title, model.name))
    return lenses


def _migration_summary(
    index: SchemaIndex, model: str, migrations: MigrationIndex, drift: dict[str, list[str]]
) -> str:
    table = index.table(model)
    if table is None:
        return "not in the migrations"
    created = migrations.created(table.name)
    if created is None:
        return "no migration creates it"
    touched = {e.statement.file for e in migrations.history(table.name)}
    differences = len(drift.get(table.name, []))
    status = "no drift" if not differences else f"drift: {differences}"
    count = len(touched)
    return (
        f"created in {migrations.label(created)} · {count} migration{'' if count == 1 else 's'}"
        f" · {status}"
    )

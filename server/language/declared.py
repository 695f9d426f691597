"""Symbols, code lenses and migration references for the sources whose files are code (TypeORM
entities, Sequelize models), from the declared schema model and the source's own outline.

Prisma's navigation (`navigation.py`) walks Prisma's syntax trees; an ORM written in
TypeScript has no such tree of ours, but each source knows where its entity classes / models
are (`Outline`) and the schema model carries the span of every column, index, unique, check
and foreign key it declared. Putting the two side by side gives the same answers Prisma's
files get: an outline of the file (entity -> columns, relations, keys), a search across the
workspace, a lens per entity with the counts and the migrations' story, and the migration
statements that built a table or a column. Plain data: `server/features/` makes LSP of it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from schemasense.codegen.schema import Schema, Table

from .migrations import MigrationIndex
from .navigation import Lens, Location, Symbol


@dataclass(frozen=True, slots=True)
class Member:
    """A property of an entity / attribute of a model: a column or a relation."""

    name: str
    kind: str
    """`column` or `relation`."""
    detail: str
    span: tuple[int, int]
    name_span: tuple[int, int]
    column: str | None = None
    """The database column it stores (a relation's join column), if any."""


@dataclass(frozen=True, slots=True)
class Outline:
    """One entity class / model as its source found it in `file`."""

    name: str
    table: str
    file: str
    span: tuple[int, int]
    name_span: tuple[int, int]
    members: tuple[Member, ...] = ()
    view: bool = False
    extra: tuple[str, ...] = field(default=())
    """Tables the declaration makes besides its own (a `@JoinTable`'s join table)."""
    relation_count: int | None = None
    """Its relations wherever they are declared (Sequelize associations are often in another
    file, `models/index.js`); None: those among `members`."""

    @property
    def relations(self) -> int:
        if self.relation_count is not None:
            return self.relation_count
        return sum(1 for m in self.members if m.kind == "relation")


def _plural(n: int, word: str, many: str | None = None) -> str:
    return f"{n} {word if n == 1 else (many or word + 's')}"


def _keys(table: Table, file: str, span: tuple[int, int]) -> list[Symbol]:
    """The table's indexes, uniques, checks and foreign keys declared inside `span` of `file`."""
    out: list[Symbol] = []
    for kind, items in (
        ("index", table.indexes),
        ("unique", table.uniques),
        ("check", table.checks),
        ("foreign key", table.foreign_keys),
    ):
        for item in items:
            s = item.span
            if s is None or s.file != file or s.start == s.end:
                continue  # an object the ORM adds, with no text of its own
            if not (span[0] <= s.start and s.end <= span[1]):
                continue
            detail = kind
            if kind == "index" and getattr(item, "unique", False):
                detail = "unique index"
            columns = getattr(item, "columns", None)
            if kind == "foreign key":
                detail += f" ({', '.join(item.columns)}) → {item.referenced_table}"  # type: ignore[attr-defined]
            elif columns:
                names = [c.column or c.expression or "?" for c in columns]
                detail += f" ({', '.join(names)})"
            # an unnamed object (a Sequelize foreign key the database names) is called by what
            # it is: editors refuse a symbol with an empty name (VS Code drops the outline)
            name = item.name or detail
            out.append(Symbol(name, "key", detail, file, (s.start, s.end), (s.start, s.end)))
    return out


def document_symbols(schema: Schema, outlines: Sequence[Outline], file: str) -> list[Symbol]:
    """Each entity / model of `file`, with its columns and relations (in text order), then the
    indexes, uniques, checks and foreign keys it declares (at their decorators / options)."""
    found: list[Symbol] = []
    for o in outlines:
        if o.file != file:
            continue
        kind = "view" if o.view else "model"
        symbol = Symbol(o.name, kind, f"table {o.table}", file, o.span, o.name_span)
        for m in sorted(o.members, key=lambda m: m.span):
            symbol.children.append(
                Symbol(
                    m.name,
                    "field" if m.kind == "column" else "relation",
                    m.detail,
                    file,
                    m.span,
                    m.name_span,
                    o.name,
                )
            )
        for name in (o.table, *o.extra):
            table = schema.table(name)
            if table is not None:
                for key in _keys(table, file, o.span):
                    key.container = o.name
                    symbol.children.append(key)
        found.append(symbol)
    return found


def workspace_symbols(
    units: Iterable[tuple[Schema, Sequence[Outline]]], query: str, limit: int = 500
) -> list[Symbol]:
    """Entities / models and their members whose name (or `Entity.member`) contains `query`,
    case-insensitive; the entity also matches by its table's name."""
    needle = query.lower()
    found: list[Symbol] = []
    seen: set[tuple[str, int]] = set()
    for schema, outlines in units:
        for file in dict.fromkeys(o.file for o in outlines):
            for symbol in document_symbols(schema, outlines, file):
                if (file, symbol.span[0]) in seen:
                    continue
                seen.add((file, symbol.span[0]))
                if needle in symbol.name.lower() or needle in symbol.detail.lower():
                    found.append(symbol)
                for child in symbol.children:
                    if needle in child.name.lower() or needle in (
                        f"{symbol.name}.{child.name}".lower()
                    ):
                        found.append(child)
                if len(found) >= limit:
                    return found[:limit]
    return found


def code_lenses(
    schema: Schema,
    outlines: Sequence[Outline],
    file: str,
    migrations: MigrationIndex | None = None,
    drift: dict[str, list[str]] | None = None,
) -> list[Lens]:
    """One lens per entity / model of `file`, as Prisma's: "table <name> · N columns ·
    R relations · M indexes" (primary key, uniques and indexes, each an index in the
    database); with `migrations`, then "created in <migration> · K migrations · no drift"."""
    lenses = []
    for o in outlines:
        if o.file != file:
            continue
        table = schema.table(o.table)
        if table is None:
            continue
        relations = o.relations
        indexes = len(table.indexes) + len(table.uniques) + (1 if table.primary_key else 0)
        title = (
            f"table {table.name} · {_plural(len(table.columns), 'column')} · "
            f"{_plural(relations, 'relation')} · {_plural(indexes, 'index', 'indexes')}"
        )
        if migrations is not None and table.kind == "table" and not o.view:
            title += " · " + migration_summary(table.name, migrations, drift or {})
        lenses.append(Lens(file, o.name_span[0], o.name_span[1], title, o.name))
    return lenses


def migration_summary(table: str, migrations: MigrationIndex, drift: dict[str, list[str]]) -> str:
    """ "created in <migration> · K migrations · no drift" (or what is missing)."""
    created = migrations.created(table)
    if created is None:
        return "no migration creates it"
    touched = {e.statement.file for e in migrations.history(table)}
    differences = len(drift.get(table, []))
    status = "no drift" if not differences else f"drift: {differences}"
    return (
        f"created in {migrations.label(created)} · {_plural(len(touched), 'migration')} · {status}"
    )


def migration_references(
    migrations: MigrationIndex, table: str, column: str | None = None
) -> list[Location]:
    """Where the migrations name `table` (or its `column`): every statement that created,
    changed, renamed or dropped it, at the name in the statement."""
    name = column if column is not None else table
    seen: set[tuple[str, int]] = set()
    found = []
    for statement, at in migrations.occurrences(table, column):
        if (statement.file, at) in seen:
            continue
        seen.add((statement.file, at))
        found.append(Location(statement.file, at, at + len(name)))
    return found


def drift_by_table(schema: Schema, migrations: MigrationIndex) -> dict[str, list[str]]:
    """The declared schema (already in database form) against what the migrations build, per
    table: each difference in words."""
    from schemasense.server.drift import DriftComparer
    from schemasense.server.drift.report import managed_schemas

    result = migrations.result
    if result is None:
        return {}
    provider = schema.provider or result.schema.provider or "postgresql"
    by_table: dict[str, list[str]] = {}
    drifts = DriftComparer().compare(
        schema, result.schema, provider=provider, managed_schemas=managed_schemas(schema)
    )
    for drift in drifts:
        by_table.setdefault(drift.table, []).append(str(drift))
    return by_table


def outline_at(outlines: Sequence[Outline], file: str, offset: int) -> Outline | None:
    """The entity / model of `file` whose declaration holds `offset`."""
    for o in outlines:
        if o.file == file and o.span[0] <= offset <= o.span[1]:
            return o
    return None


def member_at(outline: Outline, offset: int) -> Member | None:
    """The member of `outline` whose declaration holds `offset` (the narrowest)."""
    best: Member | None = None
    for m in outline.members:
        if m.span[0] <= offset <= m.span[1] and (
            best is None or m.span[1] - m.span[0] < best.span[1] - best.span[0]
        ):
            best = m
    return best


def migration_definition(
    schema: Schema, outlines: Sequence[Outline], tables: Sequence[str | None], name: str
) -> list[Location]:
    """From a name in a migration statement to its declaration: the entity / model whose
    table is `name`, else the member storing column `name` of one of the statement's
    `tables` (the tables its operations work on), else that column's declaration (a base
    class's property)."""
    for o in outlines:
        if o.table == name:
            return [Location(o.file, *o.name_span)]
    found = []
    for o in outlines:
        if o.table not in tables:
            continue
        for m in o.members:
            if m.column == name:
                found.append(Location(o.file, *m.name_span))
    if found:
        return found
    for table in tables:
        t = schema.table(table) if table else None
        column = t.column(name) if t is not None else None
        if column is not None and column.span is not None:
            found.append(Location(column.span.file, column.span.start, column.span.end))
    return found

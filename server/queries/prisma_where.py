"""A Prisma Client `where` / `orderBy` argument -> column filters in DNF and sort keys.

What is read (Prisma's filter vocabulary, field names turned into column names by the schema,
`@map` included):
- a scalar field: a value is equality (`null`: IS NULL; `undefined`: no filter, as Prisma
  ignores it), an object of operators ANDed: `equals`, `in`, `notIn`, `lt/lte/gt/gte`,
  `contains` / `startsWith` / `endsWith` (with `mode: 'insensitive'`), `not` (a value, or a
  nested filter negated), `search` (full text); array and JSON operators are `other`;
- `AND` / `OR` / `NOT` (an object or a list), expanded to DNF (`dnf.py`, bounded);
- a compound unique input (`email_tenantId: { email, tenantId }`, or its `name:`);
- a relation field: `some` / `every` / `none` (lists), `is` / `isNot` or a bare filter
  (to-one), `null`: the parent filtered by its joining columns (IN for `some`/`is`, NOT IN for
  the others) and a query of its own on the related table (`implied`).
A value that is a name (a parameter, a variable of another function) is taken as a value to
compare with, since a scalar filter is nearly always one; an expression that cannot be read
(`cond ? {...} : undefined`) makes the filter unknown, said in `unknown`, never guessed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from schemasense.codegen.queries.model import ColumnFilter, Conjunction, FilterKind, SortKey
from schemasense.codegen.schema import Schema, Span, Table
from schemasense.server.queries import dnf
from schemasense.server.queries.dnf import Dnf
from schemasense.server.queries.prisma_relations import Link, link_of, relation_of
from schemasense.server.sources.typescript.values import (
    Array,
    Bool,
    Call,
    Null,
    Num,
    Obj,
    Prop,
    Ref,
    Str,
    Unknown,
    Value,
)

_RANGES = ("lt", "lte", "gt", "gte")
_PATTERNS: dict[str, FilterKind] = {
    "contains": "contains",
    "startsWith": "prefix",
    "endsWith": "suffix",
}
_OTHER_OPERATORS = (
    "has",
    "hasSome",
    "hasEvery",
    "isEmpty",
    "path",
    "string_contains",
    "string_starts_with",
    "string_ends_with",
    "array_contains",
    "array_starts_with",
    "array_ends_with",
    "isSet",
)
_TO_MANY = ("some", "every", "none")
_TO_ONE = ("is", "isNot")
MAX_NESTING = 8
"""Relation filters and includes nested deeper than this are not followed."""


@dataclass
class Implied:
    """A query on a related table that a filter or an include implies (`prisma_client.py`
    turns it into a `Query`)."""

    table: Table
    where: Dnf
    field_name: str
    span: Span
    where_span: Span | None = None
    order_by: list[SortKey] = field(default_factory=list)
    limited: bool = False
    limit: int | None = None
    operation: str = "find_many"


@dataclass
class Context:
    """What reading one call's arguments collects besides its own filters."""

    schema: Schema
    file: str
    unknown: list[str] = field(default_factory=list)
    implied: list[Implied] = field(default_factory=list)
    text: Callable[[int, int], str] = lambda s, e: ""

    def span(self, start: int, end: int) -> Span:
        return Span(file=self.file, start=start, end=end)

    def note(self, reason: str) -> None:
        if reason not in self.unknown:
            self.unknown.append(reason)


def literal(value: Value) -> str | None:
    """A value as SQL literal text, when known."""
    if isinstance(value, Str) and value.value is not None:
        return "'" + value.value.replace("'", "''") + "'"
    if isinstance(value, Num):
        return str(value.value)
    if isinstance(value, Bool):
        return "true" if value.value else "false"
    if isinstance(value, Null) and not value.undefined:
        return "NULL"
    return None


def merged_props(obj: Obj, ctx: Context, what: str) -> list[Prop]:
    """The object's entries with the spreads of local objects folded in (later keys win, as
    in JavaScript); a spread or computed key that cannot be read is said in `unknown`."""
    props: dict[str, Prop] = {}
    for spread in obj.spreads:
        if isinstance(spread, Obj):
            for prop in merged_props(spread, ctx, what):
                props[prop.key] = prop
        elif not isinstance(spread, Null):
            ctx.note(f"{what} spreads `{_short(ctx, spread)}`, built elsewhere")
    for prop in obj.props:
        props.pop(prop.key, None)
        props[prop.key] = prop
    if obj.unknown_keys:
        ctx.note(f"{what} has a computed key")
    # spreads come first in the written order only approximately; the keys are what matter
    return list(props.values())


def _short(ctx: Context, value: Value) -> str:
    text = " ".join(ctx.text(value.start, value.end).split())
    return text if len(text) <= 40 else text[:37] + "..."


def read_where(value: Value, table: Table, ctx: Context, depth: int = 0) -> Dnf:
    """A `where` object -> DNF over `table`'s columns."""
    if isinstance(value, Null):
        return dnf.TRUE
    if not isinstance(value, Obj):
        what = "where" if depth == 0 else "a nested filter"
        if isinstance(value, Ref):
            ctx.note(f"{what} passed in as `{value.dotted}`")
        else:
            ctx.note(f"{what} built elsewhere (`{_short(ctx, value)}`)")
        return dnf.TRUE
    parts: list[Dnf] = []
    for prop in merged_props(value, ctx, "where"):
        parts.append(_entry(prop, table, ctx, depth))
    return dnf.and_(*parts)


def _each(value: Value) -> list[Value]:
    return list(value.items) if isinstance(value, Array) else [value]


def _entry(prop: Prop, table: Table, ctx: Context, depth: int) -> Dnf:
    key, value = prop.key, prop.value
    if key == "AND":
        return dnf.and_(*(read_where(v, table, ctx, depth + 1) for v in _each(value)))
    if key == "OR":
        if not isinstance(value, Array):
            ctx.note(f"OR given as `{_short(ctx, value)}`")
            return dnf.TRUE
        if not value.items:
            return dnf.TRUE
        return dnf.or_(read_where(v, table, ctx, depth + 1) for v in value.items)
    if key == "NOT":
        return dnf.and_(*(dnf.not_(read_where(v, table, ctx, depth + 1)) for v in _each(value)))
    column = table.field(key)
    if column is not None:
        return _scalar(prop, column.name, key, ctx)
    relation = relation_of(table, key)
    if relation is not None:
        return _relation(prop, table, ctx, depth)
    compound = _compound(table, key)
    if compound is not None and isinstance(value, Obj):
        filters = []
        for field_name, column_name in compound:
            inner = value.prop(field_name)
            if inner is not None:
                filters.append(_filter(column_name, field_name, "equal", inner.value, ctx, inner))
        return [filters]
    return dnf.TRUE


def _compound(table: Table, key: str) -> list[tuple[str, str]] | None:
    """The (field, column) pairs of the unique or primary key named `key` in a where input:
    its `name:` or its fields joined by `_` (Prisma's `email_tenantId`)."""
    keys = [*([table.primary_key] if table.primary_key else []), *table.uniques]
    for unique in keys:
        fields = [c.field_name or c.column or "" for c in unique.columns]
        if unique.orm_name == key or "_".join(fields) == key:
            return [(f, c.column or f) for f, c in zip(fields, unique.columns, strict=True)]
    return None


def _filter(
    column: str,
    field_name: str,
    kind: FilterKind,
    value: Value | None,
    ctx: Context,
    prop: Prop,
    insensitive: bool = False,
) -> ColumnFilter:
    return ColumnFilter(
        column=column,
        kind=kind,
        insensitive=insensitive,
        value=literal(value) if value is not None and kind in ("equal", "not_equal") else None,
        field_name=field_name,
        span=ctx.span(prop.key_start, max(prop.key_end, prop.value.end)),
    )


def _scalar(prop: Prop, column: str, field_name: str, ctx: Context) -> Dnf:
    value = prop.value
    if isinstance(value, Null):
        if value.undefined:
            return dnf.TRUE
        return [[_filter(column, field_name, "is_null", None, ctx, prop)]]
    if isinstance(value, Obj):
        return _operators(value, column, field_name, ctx, prop)
    if isinstance(value, (Str, Num, Bool, Ref, Call)) or _read_value(value):
        return [[_filter(column, field_name, "equal", value, ctx, prop)]]
    if isinstance(value, Array):
        ctx.note(f"the filter on `{field_name}` is a list")
        return [[_filter(column, field_name, "other", None, ctx, prop)]]
    ctx.note(f"the filter on `{field_name}` cannot be read (`{_short(ctx, value)}`)")
    return dnf.TRUE


_VALUE_REASONS = ("the member ", "an index ", *(f"the operator `{op}`" for op in "+-*/%"))
"""Unknown expressions that are values all the same: a property of a variable (`row.id`,
`input.email`, `ids[0]`) or arithmetic. A conditional (`c ? {...} : undefined`) or `a ?? b`
may be a filter object as well as a value: those stay unknown."""


def _read_value(value: Value) -> bool:
    return isinstance(value, Unknown) and value.reason.startswith(_VALUE_REASONS)


def _operators(obj: Obj, column: str, field_name: str, ctx: Context, prop: Prop) -> Dnf:
    props = merged_props(obj, ctx, f"the filter on `{field_name}`")
    mode = next((p.value for p in props if p.key == "mode"), None)
    insensitive = isinstance(mode, Str) and mode.value == "insensitive"
    if mode is not None and not isinstance(mode, Str):
        ctx.note(f"the `mode` of the filter on `{field_name}` is not known")
    parts: list[Dnf] = []

    def one(kind: FilterKind, value: Value | None, ci: bool = False) -> None:
        parts.append([[_filter(column, field_name, kind, value, ctx, prop, ci)]])

    for op in props:
        key, value = op.key, op.value
        if isinstance(value, Null) and value.undefined:
            continue
        if key == "equals":
            kind: FilterKind = "is_null" if isinstance(value, Null) else "equal"
            one(kind, value, insensitive)
        elif key == "in":
            one("in", None, insensitive)
        elif key == "notIn":
            one("not_equal", None, insensitive)
        elif key in _RANGES:
            one("range", None)
        elif key in _PATTERNS:
            one(_PATTERNS[key], None, insensitive)
        elif key == "search":
            one("fulltext", None)
        elif key == "not":
            if isinstance(value, Null):
                one("not_null", None)
            elif isinstance(value, Obj):
                parts.append(dnf.not_(_operators(value, column, field_name, ctx, op)))
            else:
                one("not_equal", value, insensitive)
        elif key in _OTHER_OPERATORS:
            one("other", None)
        elif key != "mode":
            ctx.note(f"the operator `{key}` on `{field_name}` is not known")
    return dnf.and_(*parts)


def _relation(prop: Prop, table: Table, ctx: Context, depth: int) -> Dnf:
    """A relation filter: the parent's joining columns, and the related table's query."""
    relation = relation_of(table, prop.key)
    link = link_of(ctx.schema, table, relation) if relation is not None else None
    if relation is None or link is None:
        ctx.note(f"the relation `{prop.key}` cannot be followed in the schema")
        return dnf.TRUE
    value = prop.value
    if depth >= MAX_NESTING:
        ctx.note(f"relation filters nested deeper than {MAX_NESTING}")
        return dnf.TRUE
    if isinstance(value, Null) and not value.undefined:
        # `author: null`: the foreign key is NULL (on the side that holds it)
        if relation.fields:
            return [_join_filter(link, "is_null", prop, ctx)]
        return [_join_filter(link, "not_equal", prop, ctx)]
    if not isinstance(value, Obj):
        ctx.note(f"the filter on the relation `{prop.key}` cannot be read")
        return dnf.TRUE
    keys = {p.key for p in merged_props(value, ctx, f"the filter on `{prop.key}`")}
    wrapped = keys & {*_TO_MANY, *_TO_ONE}
    parts: list[Dnf] = []
    if not wrapped:
        parts.append(_related(prop, value, "is", link, ctx, depth))
    for p in merged_props(value, ctx, f"the filter on `{prop.key}`"):
        if p.key in wrapped:
            parts.append(_related(prop, p.value, p.key, link, ctx, depth))
    return dnf.and_(*parts)


def _related(prop: Prop, inner: Value, how: str, link: Link, ctx: Context, depth: int) -> Dnf:
    positive = how in ("some", "is")
    if isinstance(inner, Null) and how in _TO_ONE:
        kind: FilterKind = "is_null" if how == "is" else "not_null"
        return [_join_filter(link, kind, prop, ctx)]
    target = link.target
    where = read_where(inner, target.table, ctx, depth + 1)
    if how == "every":
        where = dnf.not_(where)  # `every`: NOT IN the related rows that fail the filter
    hop_filters = [
        ColumnFilter(column=c, kind="in", span=ctx.span(prop.key_start, prop.key_end))
        for c in target.columns
    ]
    span = ctx.span(prop.key_start, prop.key_end)
    where_span = ctx.span(inner.start, inner.end)
    for hop in link.hops[:-1]:
        ctx.implied.append(
            Implied(hop.table, [[_in(c, prop, ctx) for c in hop.columns]], prop.key, span)
        )
    ctx.implied.append(
        Implied(target.table, dnf.and_([hop_filters], where), prop.key, span, where_span)
    )
    return [_join_filter(link, "in" if positive else "not_equal", prop, ctx)]


def _in(column: str, prop: Prop, ctx: Context) -> ColumnFilter:
    return ColumnFilter(column=column, kind="in", span=ctx.span(prop.key_start, prop.key_end))


def _join_filter(link: Link, kind: FilterKind, prop: Prop, ctx: Context) -> list[ColumnFilter]:
    """The parent's side of a relation filter: one filter on each of its joining columns (a
    compound foreign key's columns are compared together, `(a, b) IN (SELECT ...)`, so an
    index on all of them narrows by all of them)."""
    return [
        ColumnFilter(
            column=column,
            kind=kind,
            field_name=prop.key,
            span=ctx.span(prop.key_start, prop.value.end),
        )
        for column in link.parent_columns
    ]


def read_order(value: Value, table: Table, ctx: Context) -> list[SortKey]:
    """`orderBy`: an object or a list of objects, each `{ field: 'asc' | 'desc' }` or
    `{ field: { sort, nulls } }`. A sort by a relation's field or an aggregate (`_count`,
    `_relevance`) is said in `unknown`: no index of this table serves it."""
    keys: list[SortKey] = []
    for item in _each(value):
        if not isinstance(item, Obj):
            ctx.note(f"orderBy given as `{_short(ctx, item)}`")
            continue
        for prop in merged_props(item, ctx, "orderBy"):
            column = table.field(prop.key)
            if column is None:
                ctx.note(f"sorted by `{prop.key}`, not a column of {table.model_name}")
                continue
            direction, nulls = prop.value, None
            if isinstance(direction, Obj):
                nulls_value = direction.get("nulls")
                if isinstance(nulls_value, Str) and nulls_value.value in ("first", "last"):
                    nulls = nulls_value.value
                direction = direction.get("sort") or Unknown(0, 0)
            descending = False
            if isinstance(direction, Str) and direction.value in ("asc", "desc"):
                descending = direction.value == "desc"
            else:
                ctx.note(f"the direction of the sort by `{prop.key}` is not known")
            keys.append(
                SortKey(
                    column=column.name,
                    descending=descending,
                    nulls=nulls,  # type: ignore[arg-type]
                    field_name=prop.key,
                    span=ctx.span(prop.key_start, prop.value.end),
                )
            )
    return keys


def conjunctions(where: Dnf) -> list[Conjunction]:
    if where == dnf.TRUE:
        return []
    return [Conjunction(filters=branch) for branch in where]

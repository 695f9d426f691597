"""Prisma Client calls in one TypeScript / JavaScript file -> `Query` records.

How a call is recognised as Prisma Client's (the code is never run, and the client's variable
may have any name: `prisma`, `this.prisma`, `ctx.db`, `db`, the `tx` of `$transaction(async
(tx) => ...)`, `(await getClient())`):
- the callee is a member chain `<client>.<accessor>.<method>(...)` whose `<method>` is a
  Prisma Client model method (`METHODS`) and whose `<accessor>` is the client accessor of a
  model of the schema (the model's name with its first letter lowercased: `user` for `User`,
  `blogPost` for `BlogPost`, as Prisma generates it);
- for the methods whose names are common elsewhere (`count`, `update`, `delete`), the first
  argument must also look like Prisma's: absent for `count`, else an object literal (or a
  local constant holding one) with a key of Prisma's arguments (`where`, `data`, `select`, ...).
  `cache.user.delete(key)` or `map.user.update(x)` are then not taken for queries; a
  `findMany` / `findUnique` / `upsert` / ... on a model accessor is, whatever the receiver.
- `$queryRaw` / `$executeRaw` (tagged templates, or `Prisma.sql` templates) and
  `$queryRawUnsafe` / `$executeRawUnsafe` (strings) on any receiver are raw SQL: a `Query`
  with `operation="raw"` and `sql` holding the text, each `${}` hole a `$1`, `$2`, ...
  parameter (as Prisma sends it); the planner reads that SQL (`codegen/queries/sql.py`).

Field and model names become column and table names through the declared schema (`@map`,
`@@map`). A `where` in a local constant or spread from one is followed (`evaluate.py` resolves
a function's `const`s); one passed in as a parameter is `unknown`. `select` / `include` of a
relation and relation filters give queries of their own on the related table
(`implied_by`).
"""

from __future__ import annotations

from schemasense.codegen.queries.model import Query, QueryOperation, SortKey
from schemasense.codegen.schema import Schema, Span, Table
from schemasense.server.queries import dnf
from schemasense.server.queries.prisma_relations import link_of, relation_of
from schemasense.server.queries.prisma_where import (
    MAX_NESTING,
    Context,
    Implied,
    conjunctions,
    merged_props,
    read_order,
    read_where,
)
from schemasense.server.sources.typescript.declarations import CallSite, Module
from schemasense.server.sources.typescript.values import Array, Bool, Num, Obj, Ref, Str, Value
from tree_sitter import Node

METHODS: dict[str, QueryOperation] = {
    "findMany": "find_many",
    "findFirst": "find_first",
    "findFirstOrThrow": "find_first",
    "findUnique": "find_unique",
    "findUniqueOrThrow": "find_unique",
    "count": "count",
    "aggregate": "aggregate",
    "groupBy": "group_by",
    "update": "update",
    "updateMany": "update",
    "updateManyAndReturn": "update",
    "delete": "delete",
    "deleteMany": "delete",
    "upsert": "upsert",
}
"""Prisma Client model methods that read rows by a filter (`create*` filter nothing)."""

COMMON_NAMES = ("count", "update", "delete")
"""Methods whose names other objects have too: their argument must look like Prisma's."""

PRISMA_ARGS = (
    "where",
    "data",
    "select",
    "include",
    "omit",
    "orderBy",
    "take",
    "skip",
    "cursor",
    "distinct",
)

RAW_METHODS = ("$queryRaw", "$executeRaw", "$queryRawUnsafe", "$executeRawUnsafe")

_WRAPPERS = ("non_null_expression", "parenthesized_expression", "await_expression")
"""Read through: tree-sitter parses `await x.m<T>(...)` as a call of `await x.m`."""


def client_accessor(model_name: str) -> str:
    """The client property of a model: `User` -> `user`, `BlogPost` -> `blogPost`."""
    return model_name[:1].lower() + model_name[1:]


def read_prisma_queries(module: Module, schema: Schema, file: str | None = None) -> list[Query]:
    """Every Prisma Client query of `module` on a model of `schema` (and every raw SQL call),
    in text order, with the relation queries each implies after it. Never raises."""
    file = file or module.path
    models = {client_accessor(t.model_name): t for t in schema.tables if t.model_name}
    wanted = set(METHODS) | set(RAW_METHODS)
    found: list[Query] = []
    for site in module.calls(where=lambda s: s.method in wanted and not s.new):
        node = module.node_at(site.start, site.end)
        if node is None or node.type != "call_expression":
            continue
        found.extend(_read_call(module, site, node, models, schema, file))
    return found


def _strip(node: Node | None) -> Node | None:
    while node is not None and node.type in _WRAPPERS:
        node = next((c for c in node.named_children if c.type != "comment"), None)
    return node


def _chain(module: Module, node: Node) -> tuple[str, str, str] | None:
    """`(receiver text, accessor, method)` of `<receiver>.<accessor>.<method>(...)`, or
    `(receiver text, "", method)` for `<receiver>.<method>(...)`."""
    callee = _strip(node.child_by_field_name("function"))
    if callee is None or callee.type != "member_expression":
        return None
    prop = callee.child_by_field_name("property")
    obj = _strip(callee.child_by_field_name("object"))
    if prop is None or obj is None:
        return None
    method = module.parsed.node_text(prop)
    if obj.type == "member_expression" and method in METHODS:
        accessor = obj.child_by_field_name("property")
        receiver = obj.child_by_field_name("object")
        if accessor is None or receiver is None:
            return None
        return _text(module, receiver), module.parsed.node_text(accessor), method
    return _text(module, obj), "", method


def _text(module: Module, node: Node) -> str:
    text = " ".join(module.parsed.node_text(node).split())
    return text if len(text) <= 40 else text[:37] + "..."


def _read_call(
    module: Module,
    site: CallSite,
    node: Node,
    models: dict[str, Table],
    schema: Schema,
    file: str,
) -> list[Query]:
    chain = _chain(module, node)
    if chain is None:
        return []
    receiver, accessor, method = chain
    span = Span(file=file, start=site.start, end=site.end)
    if method in RAW_METHODS:
        if accessor:
            return []
        return [_raw(module, site, node, receiver, method, span)]
    table = models.get(accessor)
    if table is None:
        return []
    args = site.args.get(0)
    if method in COMMON_NAMES and not _looks_like_prisma(args, method):
        return []
    label = f"{receiver}.{accessor}.{method}"
    ctx = Context(schema=schema, file=file, text=lambda s, e: module.text[s:e])
    query = _query(args, table, METHODS[method], label, ctx, span, site.in_loop)
    return [query, *_implied_queries(ctx.implied, query, schema, ctx)]


def _looks_like_prisma(args: Value | None, method: str) -> bool:
    if args is None:
        return method == "count"
    return isinstance(args, Obj) and any(k in PRISMA_ARGS for k in args.keys())  # noqa: SIM118 (a list)


def _query(
    args: Value | None,
    table: Table,
    operation: QueryOperation,
    label: str,
    ctx: Context,
    span: Span,
    in_loop: bool,
) -> Query:
    fields: dict[str, object] = {}
    where = dnf.TRUE
    order: list[SortKey] = []
    where_span = order_span = None
    limit: int | None = 1 if operation in ("find_first", "find_unique") else None
    limited = limit is not None
    if args is not None and not isinstance(args, Obj):
        ctx.note(f"the arguments are passed in as `{_describe(args, ctx)}`")
    props = merged_props(args, ctx, "the arguments") if isinstance(args, Obj) else []
    for prop in props:
        key, value = prop.key, prop.value
        if key == "where":
            where_span = ctx.span(value.start, value.end)
            try:
                where = read_where(value, table, ctx)
            except dnf.TooManyBranches:
                where = dnf.TRUE
                ctx.note(f"where expands to more than {dnf.MAX_BRANCHES} OR branches")
        elif key == "orderBy":
            order_span = ctx.span(value.start, value.end)
            order = read_order(value, table, ctx)
        elif key == "take":
            limited = True
            limit = abs(int(value.value)) if isinstance(value, Num) else None
        elif key == "skip":
            fields["offset_given"] = True
            fields["offset"] = abs(int(value.value)) if isinstance(value, Num) else None
        elif key == "cursor":
            fields["cursor"] = _cursor(value, table, ctx)
        elif key == "distinct":
            fields["distinct"] = _columns(value, table, ctx, "distinct")
        elif key == "by" and operation == "group_by":
            fields["group_by"] = _columns(value, table, ctx, "groupBy")
        elif key in ("include", "select"):
            _includes(value, table, ctx, 0)
    if (
        not order
        and operation == "find_many"
        and (limited or fields.get("offset_given") or fields.get("cursor"))
    ):
        order = _primary_key_order(table)
    return Query(
        table=table.name,
        db_schema=table.db_schema,
        model_name=table.model_name,
        operation=operation,
        origin="prisma",
        where=conjunctions(where),
        order_by=order,
        limit=limit,
        limited=limited,
        unknown=list(ctx.unknown),
        label=label,
        span=span,
        where_span=where_span,
        order_span=order_span,
        in_loop=in_loop,
        **fields,  # type: ignore[arg-type]
    )


def _primary_key_order(table: Table) -> list[SortKey]:
    """The order Prisma gives a page of `findMany` (`take`, `skip` or `cursor`) that names
    none: the primary key, ascending (`ORDER BY "id" ASC` in the SQL Prisma 7 sends,
    tests/verify/test_query_chain_explain.py), so that pages are stable."""
    if table.primary_key is None:
        return []
    keys = []
    for key in table.primary_key.columns:
        if key.column is None:
            return []
        column = table.column(key.column)
        keys.append(SortKey(column=key.column, field_name=column.field_name if column else None))
    return keys


def _describe(value: Value, ctx: Context) -> str:
    if isinstance(value, Ref):
        return value.dotted
    text = " ".join(ctx.text(value.start, value.end).split())
    return text if len(text) <= 40 else text[:37] + "..."


def _cursor(value: Value, table: Table, ctx: Context) -> list[str]:
    if not isinstance(value, Obj):
        ctx.note("the cursor is built elsewhere")
        return []
    found: list[str] = []
    for prop in value.props:
        column = table.field(prop.key)
        if column is not None:
            found.append(column.name)
        elif isinstance(prop.value, Obj):  # a compound unique: `email_tenantId: {...}`
            for inner in prop.value.props:
                inner_column = table.field(inner.key)
                if inner_column is not None:
                    found.append(inner_column.name)
    return found


def _columns(value: Value, table: Table, ctx: Context, what: str) -> list[str]:
    items = value.items if isinstance(value, Array) else (value,)
    found: list[str] = []
    for item in items:
        name = item.value if isinstance(item, Str) else None
        column = table.field(name) if name else None
        if column is None:
            ctx.note(f"{what} names `{_describe(item, ctx)}`")
            continue
        found.append(column.name)
    return found


def _includes(value: Value, table: Table, ctx: Context, depth: int) -> None:
    """`include` / `select` entries that are relations: a query on the related table by its
    joining columns, with the entry's own `where` / `orderBy` / `take`; nested includes too.
    `_count: { select: { posts: true } }` counts the related rows the same way."""
    if not isinstance(value, Obj) or depth >= MAX_NESTING:
        return
    for prop in value.props:
        if prop.key == "_count":
            inner = prop.value.get("select") if isinstance(prop.value, Obj) else None
            if isinstance(inner, Obj):
                for counted in inner.props:
                    _include(counted, table, ctx, depth, "count")
            continue
        _include(prop, table, ctx, depth, "find_many")


def _include(prop, table: Table, ctx: Context, depth: int, operation: str) -> None:
    relation = relation_of(table, prop.key)
    value = prop.value
    if relation is None or (isinstance(value, Bool) and not value.value):
        return
    if not isinstance(value, (Bool, Obj)):
        return
    link = link_of(ctx.schema, table, relation)
    if link is None:
        ctx.note(f"the relation `{prop.key}` cannot be followed in the schema")
        return
    span = ctx.span(prop.key_start, prop.key_end)
    for hop in link.hops[:-1]:
        keys = [_in_filter(c, span) for c in hop.columns]
        ctx.implied.append(Implied(hop.table, [keys], prop.key, span))
    target = link.target
    keys = [_in_filter(c, span) for c in target.columns]
    where = [keys]
    implied = Implied(target.table, where, prop.key, span, operation=operation)
    if isinstance(value, Obj):
        for inner in value.props:
            if inner.key == "where":
                implied.where_span = ctx.span(inner.value.start, inner.value.end)
                try:
                    implied.where = dnf.and_(where, read_where(inner.value, target.table, ctx))
                except dnf.TooManyBranches:
                    ctx.note(f"the where of `{prop.key}` expands to too many OR branches")
            elif inner.key == "orderBy":
                implied.order_by = read_order(inner.value, target.table, ctx)
            elif inner.key == "take":
                implied.limited = True
                if isinstance(inner.value, Num):
                    implied.limit = abs(int(inner.value.value))
    ctx.implied.append(implied)
    if isinstance(value, Obj):
        for inner in value.props:
            if inner.key in ("include", "select"):
                _includes(inner.value, target.table, ctx, depth + 1)


def _in_filter(column: str, span: Span):
    from schemasense.codegen.queries.model import ColumnFilter

    return ColumnFilter(column=column, kind="in", span=span)


def _implied_queries(
    implied: list[Implied], parent: Query, schema: Schema, ctx: Context
) -> list[Query]:
    return [
        Query(
            table=item.table.name,
            db_schema=item.table.db_schema,
            model_name=item.table.model_name,
            operation=item.operation,  # type: ignore[arg-type]
            origin="prisma",
            where=conjunctions(item.where),
            order_by=item.order_by,
            limit=item.limit,
            limited=item.limited,
            implied_by=parent.label,
            label=f"{parent.label} → {item.field_name}",
            span=item.span,
            where_span=item.where_span,
            in_loop=parent.in_loop,
        )
        for item in implied
    ]


# -- raw SQL ------------------------------------------------------------------------------------


def _raw(
    module: Module, site: CallSite, node: Node, receiver: str, method: str, span: Span
) -> Query:
    """`$queryRaw` / `$executeRaw` with a tagged template or `Prisma.sql`, or the `Unsafe`
    forms with a string; each `${}` hole of a template is a parameter `$n`."""
    label = f"{receiver}.{method}"
    args = node.child_by_field_name("arguments")
    sql: str | None = None
    unknown: list[str] = []
    if args is not None and args.type == "template_string":
        sql = _template_sql(module, args)
    elif args is not None:
        first = next((a for a in args.named_children if a.type != "comment"), None)
        template = _sql_template(first)
        if template is not None:
            sql = _template_sql(module, template)
        elif first is not None:
            value = module.value(first)
            if isinstance(value, Str) and value.value is not None:
                sql = value.value
            elif first.type == "template_string":
                sql = _template_sql(module, first)
                unknown.append("the SQL is built with `${}` at run time")
            else:
                unknown.append(f"the SQL is built elsewhere (`{_text(module, first)}`)")
    return Query(
        table="",
        operation="raw",
        origin="prisma",
        sql=sql,
        unknown=unknown,
        label=label,
        span=span,
        in_loop=site.in_loop,
    )


def _sql_template(node: Node | None) -> Node | None:
    """The template of `Prisma.sql\\`...\\`` / `sql\\`...\\``, or None."""
    node = _strip(node)
    if node is None or node.type != "call_expression":
        return None
    args = node.child_by_field_name("arguments")
    return args if args is not None and args.type == "template_string" else None


def _template_sql(module: Module, template: Node) -> str:
    """A template's text with each `${...}` replaced by `$1`, `$2`, ... in order."""
    text = module.parsed.node_text(template)
    start = module.parsed.span(template)[0]
    pieces: list[str] = []
    cursor = start + 1
    count = 0
    for child in template.named_children:
        if child.type != "template_substitution":
            continue
        c_start, c_end = module.parsed.span(child)
        pieces.append(text[cursor - start : c_start - start])
        count += 1
        pieces.append(f"${count}")
        cursor = c_end
    pieces.append(text[cursor - start : len(text) - 1])
    return "".join(pieces)

"""Sequelize queries read from a JavaScript or TypeScript file: `Model.findAll | findOne |
findByPk | findAndCountAll | findOrCreate | count | max | min | sum | update | destroy` with
`where` (attributes, `Op.*` and the older `$gt` keys), `order`, `include` (each included model a
query of its own by its foreign key) and `limit`; and raw `sequelize.query('SELECT ...')`.

A model is known by the name it is called through when the schema has a model of that name:
`User.findAll`, `models.User`, `db.User`, `this.sequelize.models.User`, `sequelize.model("User")`,
a local `const User = sequelize.define("User", ...)`, and `this` in a model's static method.
Anything else (`user.update(...)` on an instance, an array's `find`) is left out, never guessed.

Paranoid models: the Sequelize source marks the `deletedAt` column of a `paranoid` model
(`Table.soft_delete`: the attribute's column, renamed by `deletedAt: 'x'`, `underscored` or
`field`); the reads, counts, updates and soft destroys of such a model, and each include of
one, get `<column> IS NULL` (`ColumnFilter.soft_delete`) unless they say `paranoid: false`
(`force: true` for `destroy`).
"""

from __future__ import annotations

import contextlib

from schemasense.codegen.queries.model import (
    ColumnFilter,
    FilterKind,
    Query,
    QueryOperation,
    SortKey,
)
from schemasense.codegen.schema import Column, Schema, Table
from schemasense.server.queries.orm_calls import (
    MAX_BRANCHES,
    Branches,
    Context,
    TooManyBranches,
    as_where,
    changed_before,
    column_of,
    conj,
    disj,
    find_column,
    follow,
    implied_queries,
    literal,
    not_deleted,
    pattern_kind,
    primary_key,
    raw_query,
    relation_join,
)
from schemasense.server.sources.typescript.declarations import CallSite, Module
from schemasense.server.sources.typescript.values import (
    Array,
    Bool,
    Call,
    Null,
    Num,
    Obj,
    Ref,
    Str,
    Value,
)
from tree_sitter import Node

_OPERATIONS: dict[str, QueryOperation] = {
    "findAll": "find_many",
    "findAndCountAll": "find_many",
    "findOne": "find_first",
    "findOrCreate": "find_first",
    "findCreateFind": "find_first",
    "findByPk": "find_unique",
    "count": "count",
    "max": "aggregate",
    "min": "aggregate",
    "sum": "aggregate",
    "aggregate": "aggregate",
    "update": "update",
    "increment": "update",
    "decrement": "update",
    "restore": "update",
    "destroy": "delete",
}
_OPTIONS_AT = {
    "max": 1,
    "min": 1,
    "sum": 1,
    "aggregate": 2,
    "update": 1,
    "increment": 1,
    "decrement": 1,
    "findByPk": 1,
}
"""Where a method's options object is among its arguments (0 when not listed)."""

_OPERATORS: dict[str, FilterKind] = {
    "in": "in",
    "any": "in",
    "notIn": "not_equal",
    "gt": "range",
    "gte": "range",
    "lt": "range",
    "lte": "range",
    "between": "range",
    "startsWith": "prefix",
    "endsWith": "suffix",
    "substring": "contains",
    "match": "fulltext",
}
_SQL_HELPERS = {"literal", "fn", "col", "where", "cast", "json"}


def read_sequelize_queries(module: Module, schema: Schema, file: str | None = None) -> list[Query]:
    """Every Sequelize query the file makes on a model of `schema` (included models as queries
    of their own, `implied_by` the call); spans name `file` (default: the module's path).
    Never raises."""
    ctx = Context(module, schema, "sequelize", file)
    reader = _Reader(ctx)
    with contextlib.suppress(RecursionError):  # a pathological file: what was read stands
        reader.read()
    return sorted(ctx.queries, key=lambda q: q.span.start if q.span else 0)


class _Reader:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.module = ctx.module

    def read(self) -> None:
        wanted = {*_OPERATIONS, "query"}
        for site in self.module.calls(where=lambda s: s.method in wanted):
            if site.method == "query":
                self._raw(site)
            else:
                self._model_call(site)

    def _receiver(self, site: CallSite) -> Node | None:
        node = self.ctx.node_of(site.start, site.end)
        callee = node.child_by_field_name("function") if node is not None else None
        if callee is None or callee.type != "member_expression":
            return None
        return callee.child_by_field_name("object")

    def _raw(self, site: CallSite) -> None:
        query = raw_query(self.ctx, site, self._receiver(site))
        if query is not None:
            self.ctx.queries.append(query)

    def _model_call(self, site: CallSite) -> None:
        receiver = self._receiver(site)
        if receiver is None:
            return
        model = self._model_of(receiver)
        table = self._table(model) if model else None
        if table is None or model is None:
            return
        model = table.model_name or model
        owner = self.ctx.text(*self.module.parsed.span(receiver)).removeprefix("this.")
        method = site.method
        draft = _Draft(self.ctx, table, model, _OPERATIONS[method], f"{owner}.{method}")
        draft.span = (site.start, site.end)
        draft.in_loop = site.in_loop
        args = list(site.args)
        if method == "findOne":
            draft.limit = 1
        if method == "findByPk":
            draft.by_primary_key(args[0] if args else None)
        at = _OPTIONS_AT.get(method, 0)
        options = args[at] if len(args) > at else None
        draft.paranoid = method in _PARANOID_METHODS
        draft.read_options(options, needs_where=method in ("update", "destroy", "restore"))
        if changed_before(self.ctx, options, site.start):
            draft.unknown.append("options or where changed after they were built")
        draft.emit()

    def _table(self, model: str) -> Table | None:
        """The model's table; a model imported under a `...Model` name (`UserModel`) is
        looked for without the suffix too."""
        found = self.ctx.schema.model(model) or self.ctx.table_of(model)
        if found is None and model.endswith("Model") and len(model) > 5:
            found = self.ctx.schema.model(model[:-5])
        return found

    def _model_of(self, node: Node) -> str | None:
        value = self.module.value(node)
        if isinstance(value, Ref):
            if value.path == ("this",):
                return self._static_class(node)
            name = value.path[-1]
            if self.ctx.schema.model(name) is not None:
                return name
            if name[:1].isupper() and self._table(name) is not None:
                return name
            return None
        if isinstance(value, Call) and value.callee_path[-1:] in (("define",), ("model",)):
            first = value.args[0] if value.args else None
            if isinstance(first, Str) and first.value and self._table(first.value):
                return first.value
        return None

    def _static_class(self, node: Node) -> str | None:
        """`this` in a static method of a model class: that class."""
        current: Node | None = node
        method: Node | None = None
        while current is not None:
            if current.type == "method_definition" and method is None:
                method = current
            if current.type in ("class_declaration", "class", "abstract_class_declaration"):
                break
            current = current.parent
        if current is None or method is None:
            return None
        if not any(c.type == "static" for c in method.children):
            return None
        name = current.child_by_field_name("name")
        text = self.module.parsed.node_text(name) if name is not None else None
        return text if text and self._table(text) is not None else None


_PARANOID_METHODS = frozenset(
    {"findAll", "findAndCountAll", "findOne", "findOrCreate", "findCreateFind", "findByPk"}
    | {"count", "max", "min", "sum", "aggregate", "update", "destroy"}
)
"""The calls whose SQL gets the paranoid `deletedAt IS NULL` (Sequelize 6's model.js:
`findAll` and `aggregate` call `_paranoidClause`, so does `update`; `destroy` without `force`
updates only the rows not yet deleted); `increment`, `decrement` and `restore` do not."""


class _Draft:
    def __init__(
        self, ctx: Context, table: Table, model: str, op: QueryOperation, label: str
    ) -> None:
        self.ctx = ctx
        self.table = table
        self.model = model
        self.operation = op
        self.label = label
        self.branches: Branches = [[]]
        self.order: list[SortKey] = []
        self.limit: int | None = None
        self.limited = False
        self.offset: int | None = None
        self.offset_given = False
        self.unknown: list[str] = []
        self.span: tuple[int, int] | None = None
        self.where_span: tuple[int, int] | None = None
        self.order_span: tuple[int, int] | None = None
        self.in_loop = False
        self.implied: list[Query] = []
        self.paranoid = True
        self.group_by: list[str] = []

    def by_primary_key(self, value: Value | None) -> None:
        key = primary_key(self.table)
        if value is None or not key:
            self.unknown.append("the primary key looked up")
            return
        self.where_span = (value.start, value.end)
        self.branches = conj(
            self.branches,
            [
                [
                    ColumnFilter(
                        column=c,
                        kind="equal",
                        value=literal(value),
                        field_name=_field(self.table, c),
                        span=self.ctx.value_span(value),
                    )
                    for c in key
                ]
            ],
        )

    def read_options(self, value: Value | None, needs_where: bool) -> None:
        if value is None:
            return
        if not isinstance(value, Obj):
            self.unknown.append("options built elsewhere")
            return
        options = _merged(value, self.unknown, "options")
        if _false(options.get("paranoid")):
            self.paranoid = False
        if self.operation == "delete" and _true(options.get("force")):
            self.paranoid = False  # `destroy({ force: true })` deletes the rows for good
        named_where = options.get("where")
        if (
            named_where is not None
            and self.span
            and changed_before(self.ctx, named_where, self.span[0])
        ):
            self.unknown.append("options or where changed after they were built")
        where = follow(self.ctx, named_where)
        if where is not None:
            self.where_span = (where.start, where.end)
            branches, unknown = where_of(self.ctx, where, self.table)
            self.unknown.extend(unknown)
            try:
                self.branches = conj(self.branches, branches)
            except TooManyBranches:
                self.unknown.append(f"a where of more than {MAX_BRANCHES} OR branches")
        order = follow(self.ctx, options.get("order"))
        if order is not None:
            self.read_order(order)
        limit = options.get("limit")
        if limit is not None and not isinstance(limit, Null):
            self.limited = True
            if isinstance(limit, Num) and isinstance(limit.value, int):
                self.limit = limit.value if self.limit is None else min(self.limit, limit.value)
        offset = options.get("offset")
        if offset is not None and not isinstance(offset, Null):
            self.offset_given = True
            if isinstance(offset, Num) and isinstance(offset.value, int):
                self.offset = offset.value
        group = follow(self.ctx, options.get("group"))
        if group is not None:
            for item in group.items if isinstance(group, Array) else (group,):
                column = column_of(self.table, _qualified(item, self.table))
                if column is None:
                    self.unknown.append("a group by an expression or built elsewhere")
                else:
                    self.group_by.append(column)
        include = follow(self.ctx, options.get("include"))
        if include is not None:
            self.read_include(include, self.table, self.label)

    def read_order(self, value: Value) -> None:
        self.order_span = (value.start, value.end)
        items = value.items if isinstance(value, Array) else (value,)
        for item in items:
            if isinstance(item, Str) and item.value:
                name, _, rest = item.value.partition(" ")
                self._sort(name, rest or None, item.start, item.end)
            elif isinstance(item, Array) and item.items:
                *head, last = item.items
                if any(not isinstance(h, Str) for h in head) or len(head) > 1:
                    self.unknown.append("a sort by an included model's column or an expression")
                    continue
                if head:
                    name, direction = _text(head[0]), _text(last)
                    if direction is None:
                        self.unknown.append("the direction of a sort")
                else:
                    name, direction = _text(last), None
                if name is None:
                    self.unknown.append("a sort by an expression")
                    continue
                self._sort(name, direction or "ASC", item.start, item.end)
            else:
                self.unknown.append("a sort built elsewhere or by an expression")

    def _sort(self, name: str, direction: str | None, start: int, end: int) -> None:
        column = column_of(self.table, name)
        if column is None:
            self.unknown.append(f"the sort by `{name}`")
            return
        text = (direction or "").lower()
        self.order.append(
            SortKey(
                column=column,
                descending=text.startswith("desc"),
                nulls="first"
                if "nulls first" in text
                else "last"
                if "nulls last" in text
                else None,
                field_name=name,
                span=self.ctx.span(start, end),
            )
        )

    def read_include(self, value: Value, source: Table, parent: str, depth: int = 0) -> None:
        items = value.items if isinstance(value, Array) else (value,)
        for item in items:
            model: str | None = None
            prop: str | None = None
            where: Value | None = None
            nested: Value | None = None
            if isinstance(item, Ref):
                model = item.path[-1]
                if self.ctx.table_of(model) is None or not model[:1].isupper():
                    self.unknown.append("an include built elsewhere")
                    continue
            elif isinstance(item, Str):
                prop = item.value
            elif isinstance(item, Obj):
                if item.get("all") is not None:
                    self.unknown.append("`include: { all: true }`")
                    continue
                target = item.get("model")
                model = target.path[-1] if isinstance(target, Ref) else None
                prop = _text(item.get("as")) or _text(item.get("association"))
                where, nested = item.get("where"), item.get("include")
            if model is None and prop is None:
                self.unknown.append("an included model named elsewhere")
                continue
            join = relation_join(self.ctx.schema, source, prop or model or "", model)
            name = prop or model or ""
            if join is None:
                self.unknown.append(f"the include `{name}` (no such association in the schema)")
                continue
            branches: Branches = [[]]
            if where is not None:
                branches, unknown = where_of(self.ctx, where, join.target)
                self.unknown.extend(unknown)
            # `_paranoidClause` runs on each include with its own options
            with_deleted = isinstance(item, Obj) and _false(item.get("paranoid"))
            self.implied.extend(
                implied_queries(
                    self.ctx, join, name, branches, parent, self.span, self.in_loop, with_deleted
                )
            )
            if nested is not None and depth < 8:
                self.read_include(nested, join.target, f"{parent} → {name}", depth + 1)

    def emit(self) -> None:
        branches = not_deleted(self.branches, self.table) if self.paranoid else self.branches
        ctx = self.ctx
        self.ctx.queries.append(
            Query(
                table=self.table.name,
                db_schema=self.table.db_schema,
                model_name=self.model,
                operation=self.operation,
                origin="sequelize",
                where=as_where(branches),
                order_by=self.order,
                group_by=self.group_by,
                limit=self.limit,
                limited=self.limited or self.limit is not None,
                offset=self.offset,
                offset_given=self.offset_given,
                unknown=list(dict.fromkeys(self.unknown)),
                label=self.label,
                span=ctx.span(*self.span) if self.span else None,
                where_span=ctx.span(*self.where_span) if self.where_span else None,
                order_span=ctx.span(*self.order_span) if self.order_span else None,
                in_loop=self.in_loop,
            )
        )
        self.ctx.queries.extend(self.implied)


def _false(value: Value | None) -> bool:
    return isinstance(value, Bool) and not value.value


def _true(value: Value | None) -> bool:
    return isinstance(value, Bool) and bool(value.value)


# -- where ------------------------------------------------------------------------------------


def where_of(ctx: Context, value: Value, table: Table) -> tuple[Branches, list[str]]:
    """A Sequelize `where` on `table` as DNF, and what could not be read."""
    unknown: list[str] = []
    try:
        return _where(ctx, value, table, unknown, 0), unknown
    except TooManyBranches:
        return [[]], [*unknown, f"a where of more than {MAX_BRANCHES} OR branches"]


def _where(ctx: Context, value: Value, table: Table, unknown: list[str], depth: int) -> Branches:
    if depth > 16:
        unknown.append("a where nested too deeply")
        return [[]]
    if isinstance(value, Array):  # `[Op.and]: [...]` items, or a where given as a list
        return conj(*(_where(ctx, v, table, unknown, depth + 1) for v in value.items))
    if isinstance(value, Call) and value.callee_path[-1:] and value.callee_path[-1] in _SQL_HELPERS:
        unknown.append(f"a `{value.callee_path[-1]}(...)` condition")
        return [[]]
    if not isinstance(value, Obj):
        unknown.append("where built elsewhere")
        return [[]]
    obj = _merged(value, unknown, "where")
    parts: list[Branches] = []
    for key in _keys(obj):
        prop = obj.prop(key)
        assert prop is not None
        logical = _logical(key)
        if logical is not None:
            parts.append(_logical_where(ctx, logical, prop.value, table, unknown, depth))
            continue
        column = find_column(table, key)
        if column is None:
            if key.startswith("$") and key.endswith("$"):
                unknown.append(f"the condition on `{key}` (an included model's column)")
            else:
                unknown.append(f"`{key}` is not an attribute of {table.model_name or table.name}")
            continue
        parts.append(_column(ctx, column, key, prop.value, unknown))
    for ref, inner in obj.named_keys:
        op = ref.path[-1]
        if op in ("or", "and", "not"):
            parts.append(_logical_where(ctx, op, inner, table, unknown, depth))
        else:
            unknown.append(f"the operator `{ref.dotted}` on no attribute")
    return conj(*parts)


def _logical(key: str) -> str | None:
    return {"$or": "or", "$and": "and", "$not": "not"}.get(key)


def _logical_where(
    ctx: Context, op: str, value: Value, table: Table, unknown: list[str], depth: int
) -> Branches:
    if op == "and":
        return _where(ctx, value, table, unknown, depth + 1)
    if op == "or":
        if isinstance(value, Array):
            return disj(_where(ctx, v, table, unknown, depth + 1) for v in value.items)
        if isinstance(value, Obj):  # `{ [Op.or]: { a: 1, b: 2 } }`: a = 1 OR b = 2
            return disj(
                _where(ctx, Obj(p.value.start, p.value.end, (p,)), table, unknown, depth + 1)
                for p in value.props
            )
        unknown.append("an OR built elsewhere")
        return [[]]
    inner = _where(ctx, value, table, unknown, depth + 1)
    return [[f.model_copy(update={"kind": "other", "value": None}) for b in inner for f in b]]


def _column(ctx: Context, column: Column, field: str, value: Value, unknown: list[str]) -> Branches:
    span = ctx.value_span(value)

    def one(kind: FilterKind, text: str | None = None, insensitive: bool = False) -> Branches:
        return [
            [
                ColumnFilter(
                    column=column.name,
                    kind=kind,
                    insensitive=insensitive,
                    value=text,
                    field_name=field,
                    span=span,
                )
            ]
        ]

    if isinstance(value, Null):
        return one("is_null", "NULL")
    if isinstance(value, (Str, Num, Bool)):
        return one("equal", literal(value))
    if isinstance(value, Array):
        return one("in")
    if isinstance(value, Call) and value.callee_path[-1:] and value.callee_path[-1] in _SQL_HELPERS:
        return one("other")
    if not isinstance(value, Obj):
        return one("equal")  # a variable: compared for equality, its value unknown
    parts: list[Branches] = []
    ops = [(p.key.removeprefix("$"), p.value) for p in value.props if p.key.startswith("$")]
    ops += [(ref.path[-1], inner) for ref, inner in value.named_keys]
    if not ops:
        return one("other")  # a JSON column's nested keys, or something we cannot read
    for op, inner in ops:
        if op in ("or", "and"):
            items = inner.items if isinstance(inner, Array) else (inner,)
            branches = [_column(ctx, column, field, i, unknown) for i in items]
            parts.append(disj(branches) if op == "or" else conj(*branches))
        elif op in ("eq", "is"):
            if isinstance(inner, Null):
                parts.append(one("is_null", "NULL"))
            else:
                parts.append(one("equal" if op == "eq" else "other", literal(inner)))
        elif op in ("ne", "not"):
            if isinstance(inner, Null):
                parts.append(one("not_null"))
            elif isinstance(inner, Bool) and op == "not":
                parts.append(one("other"))  # IS NOT TRUE
            elif isinstance(inner, (Obj, Array)):
                parts.append(one("other"))
            else:
                parts.append(one("not_equal", literal(inner)))
        elif op in ("like", "iLike"):
            kind = pattern_kind(inner)
            parts.append(one(kind, literal(inner) if kind == "equal" else None, op == "iLike"))
        elif op in _OPERATORS:
            parts.append(one(_OPERATORS[op]))
        else:
            parts.append(one("other"))
    return conj(*parts)


# -- small readers ----------------------------------------------------------------------------


def _merged(obj: Obj, unknown: list[str], what: str) -> Obj:
    """An object with the object literals it spreads merged in; a spread of anything else is
    said in `unknown`."""
    named = len(obj.named_keys)
    if not obj.spreads and len(obj.unknown_keys) == named:
        return obj
    props = []
    named_keys = list(obj.named_keys)
    for spread in obj.spreads:
        if isinstance(spread, Obj):
            inner = _merged(spread, unknown, what)
            props.extend(inner.props)
            named_keys.extend(inner.named_keys)
        else:
            unknown.append(f"{what} spread from elsewhere")
    if len(obj.unknown_keys) > named:
        unknown.append(f"a computed key in the {what}")
    return Obj(obj.start, obj.end, (*props, *obj.props), (), (), tuple(named_keys))


def _qualified(value: Value, table: Table) -> str:
    """A column named in a `group` (`'status'`, `'Transaction.currency'`,
    `Sequelize.col('Transaction.currency')`), without the model's own name before it."""
    if isinstance(value, Call) and value.callee_path[-1:] == ("col",) and value.args:
        value = value.args[0]
    text = _text(value) or ""
    model, _, name = text.rpartition(".")
    return name if model in ("", table.name, table.model_name) else ""


def _keys(obj: Obj) -> list[str]:
    return list(dict.fromkeys(p.key for p in obj.props))


def _text(value: Value | None) -> str | None:
    return value.value if isinstance(value, Str) else None


def _field(table: Table, column: str) -> str | None:
    found = table.column(column)
    return found.field_name if found is not None else None

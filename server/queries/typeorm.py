"""TypeORM queries read from a TypeScript file: repository and entity-manager calls
(`repo.find({ where, order, relations, take })`), BaseEntity statics (`User.findBy(...)`), the
QueryBuilder (`createQueryBuilder('u').where('u.email = :email').orderBy(...)`) and raw
`query(...)` SQL.

A repository is known by how the file gets it: `dataSource.getRepository(User)` (also through a
local const), `@InjectRepository(User)` or a `Repository<User>` annotation on the name it is
called through (`this.userRepository`), or an entity manager's first argument
(`manager.find(User, {...})`). A call on anything else is not a query we can place: it is left
out (`settings.list.find(...)` is an array's `find`), never guessed.

What cannot be read statically (a `where` passed in, a spread of a parameter, a `Brackets` whose
function is passed in) is said in `Query.unknown`; a `Brackets` / `NotBrackets` written in
place is read like the builder's own `where`s. Names are mapped to the database through the
declared schema.
"""

from __future__ import annotations

import contextlib
import re

from schemasense.codegen.queries.model import (
    ColumnFilter,
    FilterKind,
    Query,
    QueryOperation,
    SortKey,
)
from schemasense.codegen.schema import Schema, Table
from schemasense.server.queries.orm_calls import (
    MAX_BRANCHES,
    Branches,
    Context,
    Join,
    TooManyBranches,
    Where,
    as_where,
    changed_before,
    column_of,
    condition_branches,
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
    Fragment,
    Func,
    Null,
    Num,
    Obj,
    Ref,
    Str,
    Value,
)
from tree_sitter import Node

_OPERATIONS: dict[str, QueryOperation] = {
    "find": "find_many",
    "findBy": "find_many",
    "findAndCount": "find_many",
    "findAndCountBy": "find_many",
    "findByIds": "find_many",
    "findOne": "find_first",
    "findOneBy": "find_first",
    "findOneOrFail": "find_first",
    "findOneByOrFail": "find_first",
    "count": "count",
    "countBy": "count",
    "exist": "exists",
    "exists": "exists",
    "existsBy": "exists",
    "sum": "aggregate",
    "average": "aggregate",
    "minimum": "aggregate",
    "maximum": "aggregate",
    "update": "update",
    "delete": "delete",
    "softDelete": "update",
    "restore": "update",
    "increment": "update",
    "decrement": "update",
}
_SELECTS: frozenset[QueryOperation] = frozenset(
    {"find_many", "find_first", "find_unique", "count", "exists", "aggregate"}
)
"""The operations TypeORM runs as a select (the find methods, count, exists, sum / average /
minimum / maximum): the ones that get an entity's soft-delete `IS NULL`; update, delete,
softDelete and restore do not."""
_WHERE_FIRST = {"findBy", "findOneBy", "findOneByOrFail", "findAndCountBy", "countBy", "existsBy"}
_CRITERIA_FIRST = {"update", "delete", "softDelete", "restore", "increment", "decrement"}
_WHERE_SECOND = {"sum", "average", "minimum", "maximum"}
_REPOSITORY_GETTERS = {"getRepository", "getTreeRepository", "getMongoRepository"}
_JOINS = {
    "leftJoin",
    "innerJoin",
    "leftJoinAndSelect",
    "innerJoinAndSelect",
    "leftJoinAndMapOne",
    "leftJoinAndMapMany",
    "innerJoinAndMapOne",
    "innerJoinAndMapMany",
}
_QB_RESULTS: dict[str, QueryOperation] = {
    "getOne": "find_first",
    "getOneOrFail": "find_first",
    "getRawOne": "find_first",
    "getCount": "count",
    "getExists": "exists",
}
_OPTION_KEYS = {
    "select",
    "where",
    "relations",
    "relationLoadStrategy",
    "join",
    "order",
    "skip",
    "take",
    "cache",
    "lock",
    "withDeleted",
    "loadRelationIds",
    "loadEagerRelations",
    "transaction",
    "comment",
}
"""The keys of find options: an object with none of them is conditions (TypeORM 0.2's
`FindOptionsUtils.isFindManyOptions`)."""
_RANGE_OPERATORS = {"Between", "LessThan", "LessThanOrEqual", "MoreThan", "MoreThanOrEqual"}
_OTHER_OPERATORS = {
    "Raw",
    "ArrayContains",
    "ArrayContainedBy",
    "ArrayOverlap",
    "JsonContains",
}


def read_typeorm_queries(module: Module, schema: Schema, file: str | None = None) -> list[Query]:
    """Every TypeORM query the file makes on a table of `schema` (relation loads as queries of
    their own, `implied_by` the call); spans name `file` (default: the module's path), as the
    project reader (`server/queries/read.py`) calls it. Never raises."""
    ctx = Context(module, schema, "typeorm", file)
    reader = _Reader(ctx)
    with contextlib.suppress(RecursionError):  # a pathological file: what was read stands
        reader.read()
    return sorted(ctx.queries, key=lambda q: q.span.start if q.span else 0)


class _Reader:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.module = ctx.module
        self.consumed: set[tuple[int, int]] = set()
        self.declared: dict[str, str | None] = {}
        """Names the file holds repositories under, and their entities (found once each)."""

    def read(self) -> None:
        wanted = {*_OPERATIONS, "createQueryBuilder", "query"}
        sites = self.module.calls(where=lambda s: s.method in wanted)
        for site in sites:
            if site.method == "createQueryBuilder":
                self._query_builder(site)
        for site in sites:
            if (site.start, site.end) in self.consumed or site.method == "createQueryBuilder":
                continue
            if site.method == "query":
                self._raw(site)
            else:
                self._repository_call(site)

    # -- raw SQL ------------------------------------------------------------------------------

    def _raw(self, site: CallSite) -> None:
        query = raw_query(self.ctx, site, self._receiver_node(site))
        if query is not None:
            self.ctx.queries.append(query)

    # -- repositories and managers ------------------------------------------------------------

    def _receiver_node(self, site: CallSite) -> Node | None:
        node = self.ctx.node_of(site.start, site.end)
        callee = node.child_by_field_name("function") if node is not None else None
        if callee is None or callee.type != "member_expression":
            return None
        return callee.child_by_field_name("object")

    def _repository_call(self, site: CallSite) -> None:
        receiver = self._receiver_node(site)
        if receiver is None:
            return
        entity = self._entity_of(receiver)
        args = list(site.args)
        if entity is None:
            named = _entity_name(args[0]) if args else None
            if named is None or self.ctx.table_of(named) is None:
                return
            entity, args = named, args[1:]  # manager.find(User, {...})
        table = self.ctx.table_of(entity)
        if table is None:
            return
        owner = _short(self.ctx.text(*self.module.parsed.span(receiver)))
        method = site.method
        query = _Draft(self.ctx, table, entity, _OPERATIONS[method], f"{owner}.{method}")
        query.span = (site.start, site.end)
        query.in_loop = site.in_loop
        if method.startswith("findOne"):
            query.limit = 1
        if method in _WHERE_FIRST:
            query.read_where(args[0] if args else None, table)
        elif method in _CRITERIA_FIRST:
            query.read_criteria(args[0] if args else None)
        elif method in _WHERE_SECOND:
            query.read_where(args[1] if len(args) > 1 else None, table)
        elif method == "findByIds":
            query.pk_in(args[0] if args else None)
        elif args:
            query.read_options(args[0])
        for arg in args[:2]:
            if changed_before(self.ctx, arg, site.start):
                query.unknown.append("options or where changed after they were built")
        query.emit()

    def _entity_of(self, node: Node) -> str | None:
        """The entity class a repository expression is for, or None."""
        value = self.module.value(node)
        return self._entity_of_value(value, node)

    def _entity_of_value(self, value: Value, node: Node | None) -> str | None:
        if isinstance(value, Call) and self._getter_name(value) in _REPOSITORY_GETTERS:
            return _entity_name(value.args[0]) if value.args else None
        if isinstance(value, Ref):
            if value.path == ("this",) and node is not None:
                return self._this_entity(node)
            name = value.path[-1]
            if len(value.path) == 1 and name[:1].isupper() and self.ctx.table_of(name):
                return name  # BaseEntity: User.find(...)
            if name not in self.declared:
                self.declared[name] = _declared_repository(self.module.text, name)
            return self.declared[name]
        return None

    def _getter_name(self, call: Call) -> str | None:
        """The method a call calls: the last name of its callee's path, or, for a callee on an
        object that cannot be read (`ds.getRepository` where `const ds = new DataSource(...)`),
        the member name at the end of the callee's text."""
        if call.callee_path:
            return call.callee_path[-1]
        found = re.search(r"\.\s*(\w+)\s*$", self.module.text[call.callee.start : call.callee.end])
        return found.group(1) if found else None

    def _this_entity(self, node: Node) -> str | None:
        """`this` in a custom repository (`class UserRepository extends Repository<User>`,
        `@EntityRepository(User)`) or in a static method of a BaseEntity class."""
        method: Node | None = None
        current: Node | None = node
        while current is not None and current.type not in (
            "class_declaration",
            "abstract_class_declaration",
            "class",
        ):
            if current.type == "method_definition" and method is None:
                method = current
            current = current.parent
        name_node = current.child_by_field_name("name") if current is not None else None
        decl = (
            self.module.class_named(self.module.parsed.node_text(name_node)) if name_node else None
        )
        if decl is None:
            return None
        marked = decl.decorator("EntityRepository")
        if marked is not None and marked.args:
            return _entity_name(marked.args[0])
        if decl.extends_name in ("Repository", "TreeRepository") and decl.extends_type_args:
            found = re.fullmatch(r"<\s*(\w+)\s*>", decl.extends_type_args.strip())
            return found.group(1) if found else None
        static = method is not None and any(c.type == "static" for c in method.children)
        if static and self.ctx.table_of(decl.name) is not None:
            return decl.name
        return None

    # -- QueryBuilder -------------------------------------------------------------------------

    def _query_builder(self, site: CallSite) -> None:
        node = self.ctx.node_of(site.start, site.end)
        if node is None:
            return
        args = list(site.args)
        entity: str | None = None
        alias: str | None = None
        named = _entity_name(args[0]) if args else None
        if named is not None and self.ctx.table_of(named) is not None:
            entity, alias = named, _text(args[1]) if len(args) > 1 else None
        else:
            receiver = self._receiver_node(site)
            if receiver is not None:
                entity = self._entity_of(receiver)
            alias = _text(args[0]) if args else None
        builder = _Builder(self, site, entity, alias)
        chain = _chain(node)
        holder = _assigned_name(chain[-1][1] if chain else node)
        for method, call in chain:
            builder.step(method, call)
        if holder is not None:
            builder.block = _block_of(node)
            for method, call in self._later_steps(holder, node):
                builder.step(method, call)
        builder.emit()

    def _later_steps(self, name: str, declared: Node) -> list[tuple[str, Node]]:
        """`qb.andWhere(...)`, `qb.orderBy(...)`, `await qb.getMany()` after `const qb =
        ...createQueryBuilder(...)`, in the same block."""
        block = _block_of(declared)
        if block is None:
            return []
        steps: list[tuple[str, Node]] = []
        stack = [block]
        while stack:
            current = stack.pop()
            if current.end_byte <= declared.end_byte:
                continue
            if current.type == "member_expression":
                obj = current.child_by_field_name("object")
                call = current.parent
                if (
                    obj is not None
                    and obj.type == "identifier"
                    and self.module.parsed.node_text(obj) == name
                    and call is not None
                    and call.type == "call_expression"
                    and call.child_by_field_name("function") == current
                    and current.start_byte > declared.end_byte
                ):
                    prop = current.child_by_field_name("property")
                    method = self.module.parsed.node_text(prop) if prop is not None else ""
                    steps.append((method, call))
                    steps.extend(_chain(call))
            stack.extend(current.named_children)
        steps.sort(key=lambda s: s[1].start_byte)
        return steps


class _Draft:
    """A query being read: its table, its `where` as DNF, sort, limit, relation loads."""

    def __init__(
        self, ctx: Context, table: Table, entity: str | None, op: QueryOperation, label: str
    ) -> None:
        self.ctx = ctx
        self.table = table
        self.entity = entity
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
        self.implied: list[tuple[Join, str, Branches]] = []
        """The relations the query joins (`relations`, a `where` on a relation), read into
        queries by `emit` once `withDeleted` is known."""
        self.with_deleted = False
        """`withDeleted: true` (or the QueryBuilder's `.withDeleted()`): no soft-delete
        `IS NULL` on the entity nor on the relations it joins."""

    # -- options ------------------------------------------------------------------------------

    def read_options(self, value: Value) -> None:
        if not isinstance(value, Obj):
            if self.operation == "find_first" and isinstance(value, (Num, Str)):
                self.operation = "find_unique"  # TypeORM 0.2: findOne(id)
                self.pk_in(value, kind="equal")
                return
            self.unknown.append("options built elsewhere")
            return
        options = _merged(value, self.unknown, "options")
        if options.props and not set(options.keys()) & _OPTION_KEYS:
            self.read_where(options, self.table)  # TypeORM 0.2: `findOne({ id })` = conditions
            return
        with_deleted = options.get("withDeleted")
        if isinstance(with_deleted, Bool):
            self.with_deleted = bool(with_deleted.value)
        elif with_deleted is not None and not isinstance(with_deleted, Null):
            self.unknown.append("`withDeleted` decided elsewhere")
        named_where = options.get("where")
        if (
            named_where is not None
            and self.span
            and changed_before(self.ctx, named_where, self.span[0])
        ):
            self.unknown.append("options or where changed after they were built")
        where = follow(self.ctx, named_where)
        if where is not None:
            self.read_where(where, self.table)
        order = follow(self.ctx, options.get("order"))
        if order is not None:
            self.read_order(order)
        for key in ("take", "limit"):
            taken = options.get(key)
            if taken is not None and not isinstance(taken, Null):
                self.limited = True
                if isinstance(taken, Num) and isinstance(taken.value, int):
                    self.limit = taken.value if self.limit is None else min(self.limit, taken.value)
        skipped = options.get("skip")
        if skipped is not None and not isinstance(skipped, Null):
            self.offset_given = True
            if isinstance(skipped, Num) and isinstance(skipped.value, int):
                self.offset = skipped.value
        relations = follow(self.ctx, options.get("relations"))
        if relations is not None:
            self.read_relations(relations)

    def read_where(self, value: Value | None, table: Table) -> None:
        if value is None:
            return
        self.where_span = (value.start, value.end)
        found = self.where_of(value, table)
        self.unknown.extend(found.unknown)
        try:
            self.branches = conj(self.branches, found.branches)
        except TooManyBranches:
            self.unknown.append(f"a where of more than {MAX_BRANCHES} OR branches")

    def where_of(self, value: Value, table: Table) -> Where:
        """A TypeORM `where` (object, or array = OR) on `table` as DNF."""
        unknown: list[str] = []
        try:
            if isinstance(value, Array):
                parts = []
                for item in value.items:
                    found = self.where_of(item, table)
                    unknown.extend(found.unknown)
                    parts.append(found.branches)
                return Where(disj(parts), tuple(unknown))
            if not isinstance(value, Obj):
                return Where([[]], ("where built elsewhere",))
            obj = _merged(value, unknown, "where")
            parts = []
            for key in _keys(obj):
                prop = obj.prop(key)
                assert prop is not None
                column = find_column(table, key)
                if column is not None and not (
                    isinstance(prop.value, Obj) and _is_relation_key(table, key)
                ):
                    parts.append(self._column(column.name, key, prop.value))
                else:
                    parts.append(self._relation_where(table, key, prop.value, unknown))
            return Where(conj(*parts), tuple(unknown))
        except TooManyBranches:
            return Where([[]], (*unknown, f"a where of more than {MAX_BRANCHES} OR branches"))

    def _column(self, column: str, field: str, value: Value) -> Branches:
        span = self.ctx.value_span(value)

        def one(kind: FilterKind, text: str | None = None, insensitive: bool = False) -> Branches:
            return [
                [
                    ColumnFilter(
                        column=column,
                        kind=kind,
                        insensitive=insensitive,
                        value=text,
                        field_name=field,
                        span=span,
                    )
                ]
            ]

        if isinstance(value, Null):
            return [[]]  # TypeORM 0.3 leaves `null` and `undefined` out of a where
        if isinstance(value, (Str, Num, Bool)):
            return one("equal", literal(value))
        if isinstance(value, Call) and value.callee_path:
            op = value.callee_path[-1]
            first = value.args[0] if value.args else None
            if op == "Equal":
                return one("equal", literal(first))
            if op in ("In", "Any"):
                return one("in")
            if op in _RANGE_OPERATORS:
                return one("range")
            if op in ("Like", "ILike"):
                kind = pattern_kind(first)
                return one(kind, literal(first) if kind == "equal" else None, op == "ILike")
            if op == "IsNull":
                return one("is_null", "NULL")
            if op == "Not":
                inner = self._column(column, field, first) if first is not None else [[]]
                return (
                    [[_negated(f) for f in branch] for branch in inner]
                    if len(inner) == 1
                    else (one("other"))
                )
            if op == "And":
                return conj(*(self._column(column, field, a) for a in value.args))
            if op == "Or":
                return disj(self._column(column, field, a) for a in value.args)
            if op in _OTHER_OPERATORS:
                return one("other")
        if isinstance(value, (Array, Obj, Func)):
            return one("other")
        return one("equal")  # a variable: compared for equality, its value unknown

    def _relation_where(self, table: Table, key: str, value: Value, unknown: list[str]) -> Branches:
        """`{ author: { id: 5 } }`: a query on the related table by its join columns; for a
        many-to-one the join column itself is filtered too: by the value when the related key
        is compared, else by the join (`IN` the matching related rows)."""
        join = relation_join(self.ctx.schema, table, key)
        if join is None:
            unknown.append(f"`{key}` is neither a column nor a relation of {table.name}")
            return [[]]
        nested = self.where_of(value, join.target) if isinstance(value, (Obj, Array)) else None
        if nested is None:
            unknown.append(f"the relation filter `{key}` could not be read")
            return [[]]
        unknown.extend(nested.unknown)
        self._implied(join, key, nested.branches)
        fk = next(
            (
                fk
                for fk in table.foreign_keys
                if fk.referenced_table == join.target.name
                and list(join.columns) == fk.referenced_columns
                and join.through is None
            ),
            None,
        )
        if fk is None or not any(nested.branches):
            return [[]]
        by_column = (
            {f.column: f for f in nested.branches[0] if f.kind in ("equal", "in")}
            if len(nested.branches) == 1
            else {}
        )
        if all(c in by_column for c in fk.referenced_columns):
            return [
                [
                    ColumnFilter(
                        column=own,
                        kind=by_column[ref].kind,
                        value=by_column[ref].value,
                        field_name=key,
                        span=by_column[ref].span,
                    )
                    for own, ref in zip(fk.columns, fk.referenced_columns, strict=True)
                ]
            ]
        # any other filter on the related row: TypeORM joins it, and the database can read the
        # matching related rows first and reach these by the join column (the inner side of a
        # nested loop), as Prisma's `author: { ... }` is read (`author_id IN (SELECT ...)`)
        return [
            [
                ColumnFilter(column=own, kind="in", field_name=key, span=self.ctx.value_span(value))
                for own in fk.columns
            ]
        ]

    def read_criteria(self, value: Value | None) -> None:
        """`update(criteria, ...)`, `delete(criteria)`: a where object, an id or a list of
        ids."""
        if isinstance(value, Obj):
            self.read_where(value, self.table)
        elif isinstance(value, Array):
            if any(isinstance(i, Obj) for i in value.items):
                self.read_where(value, self.table)
            else:
                self.pk_in(value)
        elif isinstance(value, (Str, Num)):
            self.pk_in(value, kind="equal")
        else:
            self.unknown.append("criteria built elsewhere")

    def pk_in(self, value: Value | None, kind: FilterKind = "in") -> None:
        if value is not None:
            self.where_span = (value.start, value.end)
        key = primary_key(self.table)
        if not key:
            self.unknown.append(f"{self.table.name} has no primary key")
            return
        filters = [
            ColumnFilter(
                column=c,
                kind=kind,
                value=literal(value) if kind == "equal" else None,
                field_name=_field(self.table, c),
                span=self.ctx.value_span(value),
            )
            for c in key
        ]
        self.branches = conj(self.branches, [filters])

    def read_order(self, value: Value) -> None:
        self.order_span = (value.start, value.end)
        if not isinstance(value, Obj):
            self.unknown.append("order built elsewhere")
            return
        obj = _merged(value, self.unknown, "order")
        for key in _keys(obj):
            prop = obj.prop(key)
            assert prop is not None
            column = column_of(self.table, key)
            nested = isinstance(prop.value, Obj) and not {"direction", "nulls"} & set(
                prop.value.keys()
            )
            if column is None or nested:
                self.unknown.append(f"the sort by `{key}` (a relation's column)")
                continue
            direction, nulls = _direction(prop.value)
            if direction is None:
                self.unknown.append(f"the direction of the sort by `{key}`")
            self.order.append(
                SortKey(
                    column=column,
                    descending=direction == "desc",
                    nulls=nulls,
                    field_name=key,
                    span=self.ctx.span(prop.key_start, prop.value.end),
                )
            )

    def read_relations(self, value: Value) -> None:
        paths: list[tuple[str, ...]] = []
        if isinstance(value, Array):
            for item in value.items:
                text = _text(item)
                if text is None:
                    self.unknown.append("a relation named elsewhere")
                else:
                    paths.append(tuple(text.split(".")))
        elif isinstance(value, Obj):
            paths.extend(_object_paths(value, ()))
        else:
            self.unknown.append("relations named elsewhere")
        seen: set[tuple[str, ...]] = set()
        for path in paths:
            table = self.table
            for depth in range(len(path)):
                prefix = path[: depth + 1]
                join = relation_join(self.ctx.schema, table, path[depth])
                if join is None:
                    self.unknown.append(f"the relation `{'.'.join(prefix)}` (not in the schema)")
                    break
                if prefix not in seen:
                    seen.add(prefix)
                    self._implied(join, ".".join(prefix), [[]])
                table = join.target

    def _implied(self, join: Join, name: str, branches: Branches) -> None:
        self.implied.append((join, name, branches))

    # -- out ----------------------------------------------------------------------------------

    def emit(self) -> None:
        self.ctx.queries.append(self.query())
        # a select joins each relation with the target's soft-delete `IS NULL` in the join's
        # condition (SelectQueryBuilder.join), unless `withDeleted`
        with_deleted = self.with_deleted or self.operation not in _SELECTS
        for join, name, branches in self.implied:
            self.ctx.queries.extend(
                implied_queries(
                    self.ctx,
                    join,
                    name,
                    branches,
                    self.label,
                    self.span,
                    self.in_loop,
                    with_deleted,
                )
            )

    def query(self) -> Query:
        ctx = self.ctx
        branches = self.branches
        if not self.with_deleted and self.operation in _SELECTS:
            # QueryBuilder.createWhereExpression: a select of an entity with a
            # @DeleteDateColumn gets `<alias>.<column> IS NULL`
            branches = not_deleted(branches, self.table)
        return Query(
            table=self.table.name,
            db_schema=self.table.db_schema,
            model_name=self.entity or self.table.model_name,
            operation=self.operation,
            origin=ctx.origin,  # type: ignore[arg-type]
            where=as_where(branches),
            order_by=self.order,
            limit=self.limit,
            limited=self.limited or self.limit is not None,
            offset=self.offset,
            offset_given=self.offset_given or self.offset is not None,
            unknown=list(dict.fromkeys(self.unknown)),
            label=self.label,
            span=ctx.span(*self.span) if self.span else None,
            where_span=ctx.span(*self.where_span) if self.where_span else None,
            order_span=ctx.span(*self.order_span) if self.order_span else None,
            in_loop=self.in_loop,
        )


class _Builder:
    """A QueryBuilder chain read step by step: its aliases, `where` per alias as DNF, joins,
    sort, limit, and the method that runs it."""

    def __init__(self, reader: _Reader, site: CallSite, entity: str | None, alias: str | None):
        self.reader = reader
        self.ctx = reader.ctx
        self.site = site
        self.entity = entity
        self.main = alias
        self.tables: dict[str, Table] = {}
        self.joins: dict[str, tuple] = {}
        table = self.ctx.table_of(entity) if entity else None
        if table is not None and alias:
            self.tables[alias] = table
        self.table = table
        self.branches: list[list[tuple[str, ColumnFilter]]] = [[]]
        self.join_filters: dict[str, list[tuple[str, ColumnFilter]]] = {}
        self.order: list[SortKey] = []
        self.limit: int | None = None
        self.limited = False
        self.offset: int | None = None
        self.offset_given = False
        self.unknown: list[str] = []
        self.operation: QueryOperation = "find_many"
        self.where_span: tuple[int, int] | None = None
        self.order_span: tuple[int, int] | None = None
        self.end = site.end
        self.insert = False
        self.group_by: list[str] = []
        self.block: Node | None = None
        """Set once the chain is read: the block of `const qb = ...`, for the later steps."""
        self.with_deleted = False
        """`.withDeleted()` anywhere in the chain (the SQL is made at the end)."""

    def step(self, method: str, call: Node) -> None:
        reader = self.reader
        self.reader.consumed.add(reader.module.parsed.span(call))
        self.end = max(self.end, reader.module.parsed.span(call)[1])
        args_node = call.child_by_field_name("arguments")
        args = [
            reader.module.value(a)
            for a in (args_node.named_children if args_node is not None else [])
            if a.type != "comment"
        ]
        conditional = self.block is not None and _conditional(call, self.block)
        if method in ("from", "update", "delete", "softDelete", "restore", "insert"):
            if method == "insert":
                self.insert = True
            if method in ("update", "softDelete", "restore"):
                self.operation = "update"
            if method == "delete":
                self.operation = "delete"
            named = _entity_name(args[0]) if args else None
            if self.table is None and named is not None:
                self.entity = named
                self.table = self.ctx.table_of(named)
                alias = _text(args[1]) if len(args) > 1 else None
                self.main = self.main or alias or named
                if self.table is not None:
                    self.tables[self.main] = self.table
                    self.tables.setdefault(named, self.table)
            return
        if method in ("where", "andWhere", "orWhere"):
            if conditional:
                self.unknown.append(f"a `{method}` added only under a condition")
                return
            if args and self.where_span is None:
                self.where_span = (args[0].start, args[0].end)
            found = self._condition(args[0] if args else None, args[1] if len(args) > 1 else None)
            try:
                if method == "where":
                    self.branches = found
                elif method == "andWhere":
                    self.branches = _product(self.branches, found)
                else:
                    self.branches = self.branches + found
                    if len(self.branches) > MAX_BRANCHES:
                        raise TooManyBranches
            except TooManyBranches:
                self.unknown.append(f"a where of more than {MAX_BRANCHES} OR branches")
                self.branches = [[]]
            return
        if method in ("whereInIds", "andWhereInIds"):
            if self.table is not None and self.main:
                pk = [
                    (self.main, ColumnFilter(column=c, kind="in", field_name=_field(self.table, c)))
                    for c in primary_key(self.table)
                ]
                self.branches = _product(self.branches, [pk])
            return
        if method in ("orderBy", "addOrderBy"):
            if conditional:
                self.unknown.append(f"an `{method}` added only under a condition")
                return
            if method == "orderBy":
                self.order = []
            if args and self.order_span is None:
                self.order_span = (args[0].start, args[0].end)
            self._order(args)
            return
        if method in ("take", "limit"):
            self.limited = True
            if args and isinstance(args[0], Num) and isinstance(args[0].value, int):
                self.limit = args[0].value
            return
        if method in ("skip", "offset"):
            self.offset_given = True
            if args and isinstance(args[0], Num) and isinstance(args[0].value, int):
                self.offset = args[0].value
            return
        if method in ("groupBy", "addGroupBy"):
            for arg in args:
                hit = self._column_ref(_text(arg))
                if hit is not None and hit[0] == self.main:
                    self.group_by.append(hit[1])
            return
        if method in _JOINS:
            self._join(method, args)
            return
        if method == "withDeleted":
            if conditional:
                self.unknown.append("a `withDeleted` added only under a condition")
            self.with_deleted = True
            return
        if method in _QB_RESULTS:
            self.operation = _QB_RESULTS[method]
            if self.operation == "find_first" and self.limit is None:
                self.limit = 1

    def _condition(
        self, value: Value | None, params: Value | None = None
    ) -> list[list[tuple[str, ColumnFilter]]]:
        if isinstance(value, Str) and value.value is not None:
            sql = _with_parameters(value.value, params)
            found, reason = condition_branches(sql, self._column_ref_parts)
            if reason:
                self.unknown.append(reason)
            return found
        if isinstance(value, (Obj, Array)) and self.table is not None and self.main:
            draft = _Draft(self.ctx, self.table, self.entity, "find_many", "")
            where = draft.where_of(value, self.table)
            self.unknown.extend(where.unknown)
            return [[(self.main, f) for f in branch] for branch in where.branches]
        if isinstance(value, Call) and value.callee_path[-1:] in (("Brackets",), ("NotBrackets",)):
            found = self._brackets(value)
            if found is not None and value.callee_path[-1] == "NotBrackets":
                found = _negated_branches(found)
            if found is not None:
                return found
            self.unknown.append("a condition in `Brackets` that could not be read")
        else:
            self.unknown.append("a condition built elsewhere")
        return [[]]

    def _brackets(self, call: Call) -> list[list[tuple[str, ColumnFilter]]] | None:
        """`new Brackets((qb) => qb.where(...).orWhere(...))` (or a block calling `qb.where`,
        `qb.andWhere`, `qb.orWhere` in turn; a nested `Brackets` too): its condition as OR
        branches, read like the builder's own `where`s; None when the function is not a literal
        or a step runs only under a condition."""
        func = call.args[0] if call.args else None
        if not isinstance(func, Func) or not func.params:
            return None
        node = self.ctx.node_of(func.start, func.end)
        body = node.child_by_field_name("body") if node is not None else None
        if body is None:
            return None
        param = func.params[0]
        steps: list[tuple[str, Node]] = []

        def walk(current: Node) -> None:
            for child in current.named_children:
                if child.type in ("arrow_function", "function_expression", "function"):
                    continue  # a nested Brackets is read when its own `where` is
                if child.type == "call_expression":
                    callee = child.child_by_field_name("function")
                    prop = callee.child_by_field_name("property") if callee else None
                    name = self.reader.module.parsed.node_text(prop) if prop is not None else ""
                    if name in ("where", "andWhere", "orWhere") and _root_name(callee) == param:
                        steps.append((name, child))
                walk(child)

        walk(body if body.type != "call_expression" else node)
        if not steps or any(_conditional(step, body) for _, step in steps):
            return None
        steps.sort(key=lambda s: self.reader.module.parsed.span(s[1])[1])
        saved, saved_span = self.branches, self.where_span
        self.branches = [[]]
        try:
            for name, step in steps:
                self.step(name, step)
            return self.branches
        finally:
            self.branches, self.where_span = saved, saved_span

    def _column_ref_parts(self, alias: str | None, name: str) -> tuple[str, str, str | None] | None:
        alias = alias or self.main
        table = self.tables.get(alias) if alias else None
        if table is None:
            return None
        column = table.field(name) or table.column(name)
        if column is None:
            return None
        return alias, column.name, column.field_name  # type: ignore[return-value]

    def _column_ref(self, text: str | None) -> tuple[str, str, str | None] | None:
        if not text:
            return None
        text = text.strip().replace('"', "").replace("`", "")
        alias, _, name = text.rpartition(".")
        return self._column_ref_parts(alias or None, name)

    def _order(self, args: list[Value]) -> None:
        first = args[0] if args else None
        if isinstance(first, Obj):
            for prop in first.props:
                self._sort(prop.key, prop.value, None, prop.key_start, prop.value.end)
            return
        text = _text(first) if first is not None else None
        if first is None or text is None:
            self.unknown.append("a sort built elsewhere")
            return
        direction = args[1] if len(args) > 1 else None
        nulls = args[2] if len(args) > 2 else None
        self._sort(text, direction, nulls, first.start, (args[-1] if args else first).end)

    def _sort(
        self, text: str, direction: Value | None, nulls: Value | None, s: int, e: int
    ) -> None:
        hit = self._column_ref(text)
        if hit is None:
            self.unknown.append(f"the sort by `{text}`")
            return
        if isinstance(direction, Obj):
            direction, nulls = direction.get("order"), direction.get("nulls")
        way, _ = _direction(direction) if direction is not None else ("asc", None)
        if way is None:
            self.unknown.append(f"the direction of the sort by `{text}`")
        nulls_text = (_text(nulls) or "").lower() if nulls is not None else ""
        placed = "first" if "first" in nulls_text else "last" if "last" in nulls_text else None
        if hit[0] != self.main:
            self.unknown.append(f"the sort by `{text}` (a joined table's column)")
            return
        self.order.append(
            SortKey(
                column=hit[1],
                descending=way == "desc",
                nulls=placed,
                field_name=hit[2],
                span=self.ctx.span(s, e),
            )
        )

    def _join(self, method: str, args: list[Value]) -> None:
        if "AndMap" in method:
            args = args[1:]
        target = _text(args[0]) if args else None
        alias = _text(args[1]) if len(args) > 1 else None
        if alias is None:
            self.unknown.append(f"a `{method}` whose alias cannot be read")
            return
        condition = args[2] if len(args) > 2 else None
        named = _entity_name(args[0]) if args else None
        if target is not None and "." in target:
            parent, _, prop = target.partition(".")
            source = self.tables.get(parent)
            join = relation_join(self.ctx.schema, source, prop) if source is not None else None
            if join is None:
                self.unknown.append(f"the join `{target}` (not in the schema)")
                return
            self.tables[alias] = join.target
            self.joins[alias] = (join, target)
        elif named is not None and self.ctx.table_of(named) is not None:
            table = self.ctx.table_of(named)
            assert table is not None
            self.tables[alias] = table
            self.joins[alias] = (None, named)
        else:
            self.unknown.append(f"a `{method}` of a subquery or an unknown entity")
            return
        if isinstance(condition, Str) and condition.value is not None:
            sql = _with_parameters(condition.value, args[3] if len(args) > 3 else None)
            found, reason = condition_branches(sql, self._column_ref_parts)
            if reason:
                self.unknown.append(reason)
            if len(found) == 1:
                self.join_filters.setdefault(alias, []).extend(found[0])

    def emit(self) -> None:
        if self.insert:
            return
        if self.table is None or self.main is None:
            return
        ctx = self.ctx
        site = self.site
        label = "qb: " + _short(re.sub(r"\s*\.\s*", ".", ctx.text(site.start, site.end)))
        span = (site.start, self.end)
        draft = _Draft(ctx, self.table, self.entity, self.operation, label)
        draft.span = span
        draft.in_loop = site.in_loop
        draft.branches = [[f for a, f in branch if a == self.main] for branch in self.branches]
        draft.order, draft.limit, draft.limited = self.order, self.limit, self.limited
        draft.offset, draft.offset_given = self.offset, self.offset_given
        draft.unknown = list(self.unknown)
        draft.where_span, draft.order_span = self.where_span, self.order_span
        draft.with_deleted = self.with_deleted
        query = draft.query()
        if self.group_by:
            query = query.model_copy(update={"group_by": self.group_by})
        ctx.queries.append(query)
        for alias, (join, name) in self.joins.items():
            on = [f for a, f in self.join_filters.get(alias, []) if a == alias]
            mine = [on + [f for a, f in branch if a == alias] for branch in self.branches]
            if join is not None:
                ctx.queries.extend(
                    implied_queries(
                        ctx, join, name, mine, label, span, site.in_loop, self.with_deleted
                    )
                )
            else:
                table = self.tables[alias]
                if not self.with_deleted:  # SelectQueryBuilder.join: in the join's condition
                    mine = not_deleted(mine, table)
                ctx.queries.append(
                    Query(
                        table=table.name,
                        db_schema=table.db_schema,
                        model_name=table.model_name or name,
                        operation="find_many",
                        origin="typeorm",
                        where=as_where(mine),
                        implied_by=label,
                        label=f"{label} → {alias}",
                        span=ctx.span(*span),
                        in_loop=site.in_loop,
                    )
                )


def _product(
    a: list[list[tuple[str, ColumnFilter]]], b: list[list[tuple[str, ColumnFilter]]]
) -> list[list[tuple[str, ColumnFilter]]]:
    out = [x + y for x in a for y in b]
    if len(out) > MAX_BRANCHES:
        raise TooManyBranches
    return out


# -- small readers --------------------------------------------------------------------------


def _chain(node: Node) -> list[tuple[str, Node]]:
    """The calls chained on `node`: `x.where(...).orderBy(...)` from `x`, in order."""
    steps: list[tuple[str, Node]] = []
    current = node
    while True:
        parent = current.parent
        if parent is None or parent.type != "member_expression":
            break
        if parent.child_by_field_name("object") != current:
            break
        call = parent.parent
        if call is None or call.type != "call_expression":
            break
        prop = parent.child_by_field_name("property")
        steps.append((prop.text.decode() if prop is not None and prop.text else "", call))
        current = call
    return steps


def _block_of(node: Node) -> Node | None:
    block = node.parent
    while block is not None and block.type not in ("statement_block", "program"):
        block = block.parent
    return block


def _assigned_name(node: Node) -> str | None:
    """`const qb = <node>` / `let qb = <node>`: `qb`."""
    parent = node.parent
    while parent is not None and parent.type in ("await_expression", "parenthesized_expression"):
        parent = parent.parent
    if parent is not None and parent.type == "variable_declarator":
        name = parent.child_by_field_name("name")
        if name is not None and name.type == "identifier" and name.text:
            return name.text.decode()
    return None


def _root_name(node: Node | None) -> str | None:
    """The identifier a member chain starts from: `qb` of `qb.where(...).orWhere`."""
    while node is not None and node.type in ("member_expression", "call_expression"):
        field = "object" if node.type == "member_expression" else "function"
        node = node.child_by_field_name(field)
    if node is not None and node.type == "identifier" and node.text:
        return node.text.decode()
    return None


def _negated_branches(
    branches: list[list[tuple[str, ColumnFilter]]],
) -> list[list[tuple[str, ColumnFilter]]] | None:
    """NOT of a condition in DNF (`NotBrackets`): each branch negated (an OR of its filters
    negated), the branches then ANDed; None for NOT of no condition or past the bound."""
    out: list[list[tuple[str, ColumnFilter]]] = [[]]
    try:
        for branch in branches:
            if not branch:
                return None
            out = _product(out, [[(alias, _negated(f))] for alias, f in branch])
    except TooManyBranches:
        return None
    return out


def _conditional(call: Node, stop: Node | None) -> bool:
    """`call` runs only under an `if` / `switch` / `? :` / `&&` between it and `stop` (the
    block the builder was declared in)."""
    node, parent = call, call.parent
    while parent is not None and parent != stop:
        kind = parent.type
        if kind in ("else_clause", "switch_case", "switch_default", "catch_clause"):
            return True
        if (
            kind in ("if_statement", "ternary_expression")
            and parent.child_by_field_name("condition") != node
        ):
            return True
        if kind == "binary_expression" and parent.child_by_field_name("right") == node:
            return True
        node, parent = parent, parent.parent
    return False


def _entity_name(value: Value | None) -> str | None:
    """`User` or `"User"` as an entity argument."""
    if isinstance(value, Ref) and len(value.path) == 1 and value.path[0][:1].isupper():
        return value.path[0]
    if isinstance(value, Str) and value.value and value.value[:1].isupper():
        return value.value
    return None


def _declared_repository(text: str, name: str) -> str | None:
    """The entity of the repository a file holds as `name`: `name: Repository<User>`,
    `name = <...>.getRepository(User)`, `@InjectRepository(User) ... name`."""
    n = re.escape(name)
    patterns = (
        rf"\b{n}\s*[?!]?\s*:\s*(?:Repository|TreeRepository|MongoRepository)\s*<\s*(\w+)\s*>",
        rf"\b{n}\s*(?::[^=;\n]*)?=\s*(?:await\s+)?[\w.]*get(?:Tree|Mongo)?Repository\s*(?:<\w+>)?"
        rf"\(\s*['\"]?(\w+)",
        rf"@InjectRepository\(\s*(\w+)\s*(?:,[^)]*)?\)\s*(?:(?:private|public|protected|readonly)"
        rf"\s+)*{n}\b",
    )
    found = {m.group(1) for p in patterns for m in re.finditer(p, text)}
    return found.pop() if len(found) == 1 else None


def _merged(obj: Obj, unknown: list[str], what: str) -> Obj:
    """An object with the object literals it spreads merged in (theirs first, as JavaScript
    does); a spread of anything else is said in `unknown`."""
    if not obj.spreads and not obj.unknown_keys:
        return obj
    props = []
    for spread in obj.spreads:
        if isinstance(spread, Obj):
            props.extend(_merged(spread, unknown, what).props)
        else:
            unknown.append(f"{what} spread from elsewhere")
    if obj.unknown_keys:
        unknown.append(f"a computed key in the {what}")
    return Obj(obj.start, obj.end, (*props, *obj.props))


def _is_relation_key(table: Table, key: str) -> bool:
    """A property that is a relation's join column (`author` of `authorId`), not a column."""
    column = table.field(key)
    return (
        column is not None
        and column.name != key
        and any(column.name in fk.columns for fk in table.foreign_keys)
    )


def _negated(f: ColumnFilter) -> ColumnFilter:
    kind: FilterKind = {"is_null": "not_null", "equal": "not_equal", "in": "not_equal"}.get(
        f.kind, "other"
    )  # type: ignore[assignment]
    return f.model_copy(update={"kind": kind, "value": f.value if kind == "not_equal" else None})


def _direction(value: Value | None) -> tuple[str | None, str | None]:
    """`'DESC'`, `'asc'`, `1`, `-1`, `{ direction, nulls }` -> ("asc"|"desc"|None, nulls)."""
    if isinstance(value, Obj):
        nulls = (_text(value.get("nulls")) or "").lower()
        way, _ = _direction(value.get("direction"))
        return way, "first" if "first" in nulls else "last" if "last" in nulls else None
    if isinstance(value, Num):
        return ("desc" if value.value < 0 else "asc"), None
    text = _text(value)
    if text is None:
        return None, None
    return ("desc" if text.lower().startswith("desc") else "asc"), None


def _object_paths(obj: Obj, prefix: tuple[str, ...]) -> list[tuple[str, ...]]:
    paths = []
    for prop in obj.props:
        if isinstance(prop.value, Bool) and not prop.value.value:
            continue
        path = (*prefix, prop.key)
        paths.append(path)
        if isinstance(prop.value, Obj):
            paths.extend(_object_paths(prop.value, path))
    return paths


def _with_parameters(sql: str, params: Value | None) -> str:
    """The condition with the parameters whose values are known put in as literals
    (`:t` with `{ t: "%x%" }`: a LIKE's pattern decides its kind); a pattern known only at its
    ends (`` `%${q}%` ``) as `'%' || $1 || '%'`."""
    if not isinstance(params, Obj):
        return sql
    for prop in params.props:
        value = prop.value
        text = literal(value) if not isinstance(value, Null) else None
        if text is None and isinstance(value, Str) and value.parts:
            pieces = [
                literal(Str(0, 0, p.text)) if isinstance(p, Fragment) else "$1" for p in value.parts
            ]
            text = "(" + " || ".join(x or "$1" for x in pieces) + ")"
        if text is not None:
            sql = re.sub(rf"(?<![:\w]):{re.escape(prop.key)}\b", lambda _m, t=text: t, sql)
    return sql


def _keys(obj: Obj) -> list[str]:
    return list(dict.fromkeys(p.key for p in obj.props))


def _text(value: Value | None) -> str | None:
    return value.value if isinstance(value, Str) else None


def _field(table: Table, column: str) -> str | None:
    found = table.column(column)
    return found.field_name if found is not None else None


def _short(owner: str) -> str:
    return owner.removeprefix("this.")

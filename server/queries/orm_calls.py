"""What the TypeORM and Sequelize query readers share: where a call sits, values as SQL literal
text, `where` trees in disjunctive normal form, a model's table and a property's column through
the declared schema, the foreign keys a relation joins by, and a SQL condition (a QueryBuilder's
`where('u.email = :email')`) read into column filters.

The two readers differ in how a call names its model and how its options are spelled; once they
know the table and hold a filter, the rest is the same, and is here.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import sqlglot
from schemasense.codegen.queries.model import ColumnFilter, Conjunction, FilterKind, Query
from schemasense.codegen.schema import Column, Schema, Span, Table
from schemasense.server.sources.typescript.declarations import CallSite, Module
from schemasense.server.sources.typescript.values import (
    Bool,
    Fragment,
    Null,
    Num,
    Ref,
    Str,
    Value,
)
from sqlglot import exp
from tree_sitter import Node

MAX_BRANCHES = 32
"""A `where` whose OR-expansion passes this many branches is not expanded (`unknown` says so)."""

Branches = list[list[ColumnFilter]]
"""A `where` in disjunctive normal form: OR of ANDs. `[[]]` is "no condition" (true)."""


class TooManyBranches(Exception):
    """The expansion passed `MAX_BRANCHES`."""


def conj(*parts: Branches) -> Branches:
    """AND of DNFs: the product of their branches."""
    out: Branches = [[]]
    for part in parts:
        out = [a + b for a in out for b in part]
        if len(out) > MAX_BRANCHES:
            raise TooManyBranches
    return out


def disj(parts: Iterable[Branches]) -> Branches:
    """OR of DNFs: their branches side by side."""
    out: Branches = []
    for part in parts:
        out.extend(part)
        if len(out) > MAX_BRANCHES:
            raise TooManyBranches
    return out or [[]]


def as_where(branches: Branches) -> list[Conjunction]:
    """The model's form, each branch's repeated filters and repeated branches dropped; no
    condition at all is an empty list (and a branch with no condition makes the OR true)."""
    if any(not b for b in branches):
        return []
    out: list[Conjunction] = []
    seen: set[tuple] = set()
    for branch in branches:
        filters: list[ColumnFilter] = []
        keys: set[tuple] = set()
        for f in branch:
            key = (f.column, f.kind, f.value, f.insensitive)
            if key not in keys:
                keys.add(key)
                filters.append(f)
        signature = tuple(sorted(keys, key=repr))
        if signature not in seen:
            seen.add(signature)
            out.append(Conjunction(filters=filters))
    return out


def literal(value: Value | None) -> str | None:
    """A statically known value as SQL literal text (`'active'`, `3`, `TRUE`, `NULL`)."""
    if isinstance(value, Str) and value.value is not None:
        return "'" + value.value.replace("'", "''") + "'"
    if isinstance(value, Bool):
        return "TRUE" if value.value else "FALSE"
    if isinstance(value, Num):
        return str(value.value)
    if isinstance(value, Null):
        return "NULL"
    return None


def pattern_kind(value: Value | None) -> FilterKind:
    """What a LIKE pattern asks for, from its literal pieces (`` `%${q}%` `` is `contains` even
    though `q` is unknown); `other` when not even its ends are known."""
    if not isinstance(value, Str) or not value.parts:
        return "other"
    if value.value is not None and "%" not in value.value and "_" not in value.value:
        return "equal"
    first, last = value.parts[0], value.parts[-1]
    if not isinstance(first, Fragment):
        return "other"  # `${q}%`: q itself may begin with a wildcard
    leading = first.text.startswith(("%", "_"))
    trailing = isinstance(last, Fragment) and last.text.endswith("%")
    if leading:
        return "contains" if trailing else "suffix"
    return "prefix"


@dataclass(frozen=True, slots=True)
class Where:
    """A read `where`: its DNF and what could not be read."""

    branches: Branches
    unknown: tuple[str, ...] = ()


class Context:
    """One file read against one schema: spans, loops, and the lookups both readers need."""

    def __init__(self, module: Module, schema: Schema, origin: str, file: str | None) -> None:
        self.module = module
        self.schema = schema
        self.origin = origin
        self.file = file if file is not None else module.path
        self.queries: list[Query] = []

    def span(self, start: int, end: int) -> Span:
        return Span(file=self.file, start=start, end=end)

    def value_span(self, value: Value | None) -> Span | None:
        if value is None or value.end <= value.start:
            return None
        return self.span(value.start, value.end)

    def text(self, start: int, end: int, limit: int = 60) -> str:
        text = " ".join(self.module.text[start:end].split())
        return text if len(text) <= limit else text[: limit - 1] + "…"

    def table_of(self, model: str) -> Table | None:
        return table_of(self.schema, model)

    def node_of(self, start: int, end: int) -> Node | None:
        """The call (or expression) node that spans exactly `[start, end)`."""
        node = self.module.node_at(start, end)
        while node is not None and self.module.parsed.span(node) != (start, end):
            node = node.parent
        return node


def table_of(schema: Schema, model: str) -> Table | None:
    """The table of an entity class / model name: its `model_name`, else TypeORM's and
    Sequelize's default table names (`UserProfile` -> `user_profile`, `Users`)."""
    found = schema.model(model)
    if found is not None:
        return found
    candidates = {model, snake(model), model + "s", snake(model) + "s", model.lower()}
    return next((t for t in schema.tables if t.name in candidates), None)


def snake(name: str) -> str:
    """TypeORM's `snakeCase`: `UserProfileAPI` -> `user_profile_api`."""
    text = re.sub(r"([A-Z]+)([A-Z][a-z])", r"\1_\2", name)
    text = re.sub(r"([a-z\d])([A-Z])", r"\1_\2", text)
    return text.replace("-", "_").lower()


def find_column(table: Table, name: str) -> Column | None:
    """The column of an ORM property, or of a column named directly; a join column's own
    property (`authorId` beside the relation `author`, whose field the column carries) is
    found by its database name, also in snake case (`author_id`)."""
    return table.field(name) or table.column(name) or table.column(snake(name))


def column_of(table: Table, name: str) -> str | None:
    """The database column of an ORM property (or a column named directly)."""
    column = find_column(table, name)
    return column.name if column is not None else None


def primary_key(table: Table) -> list[str]:
    if table.primary_key is None:
        return []
    return [c.column for c in table.primary_key.columns if c.column]


@dataclass(frozen=True, slots=True)
class Join:
    """How a relation of `source` reaches `target`: the columns of `target` a joined row is
    found by (its primary key for a many-to-one, its foreign key for a one-to-many), and for a
    many-to-many the join table with its columns that point at `source`."""

    target: Table
    columns: tuple[str, ...]
    through: Table | None = None
    through_columns: tuple[str, ...] = ()


def relation_join(
    schema: Schema, source: Table, prop: str, target_model: str | None = None
) -> Join | None:
    """The join of relation `prop` of `source` (or, for Sequelize's `include: [Model]`, the one
    relation to `target_model`), from the schema's relations and foreign keys."""
    relation = next((r for r in source.relations if r.field_name == prop), None)
    if relation is None and target_model is not None:
        to_model = [r for r in source.relations if r.target_model == target_model]
        relation = to_model[0] if len(to_model) == 1 else None
    if relation is not None:
        target = table_of(schema, relation.target_model)
        if target is None:
            return None
        if relation.join_table:
            through = schema.table(relation.join_table) or table_of(schema, relation.join_table)
            if through is None:
                return None
            back = _fk_columns(through, source.name)
            return Join(target, tuple(primary_key(target)), through, back)
        if relation.fields:
            columns = [column_of(source, f) for f in relation.fields]
            fk = next(
                (
                    fk
                    for fk in source.foreign_keys
                    if fk.columns == columns and fk.referenced_table == target.name
                ),
                None,
            )
            if fk is not None:
                return Join(target, tuple(fk.referenced_columns))
            return Join(target, tuple(primary_key(target)))
        back = _fk_columns(target, source.name, relation.foreign_key)
        return Join(target, back) if back else None
    return _join_by_keys(schema, source, prop, target_model)


def _fk_columns(table: Table, referenced: str, column: str | None = None) -> tuple[str, ...]:
    """The columns of `table`'s foreign key to `referenced` (the one over `column` if named)."""
    fks = [fk for fk in table.foreign_keys if fk.referenced_table == referenced]
    if column is not None:
        named = [fk for fk in fks if column in fk.columns or column_of(table, column) in fk.columns]
        fks = named or fks
    return tuple(fks[0].columns) if len(fks) == 1 else ()


def _join_by_keys(
    schema: Schema, source: Table, prop: str, target_model: str | None
) -> Join | None:
    """Without relation metadata (the TypeORM reader keeps none): a many-to-one's join column
    carries the relation's name as its field (`authorId` is the property `author`); a
    one-to-many or many-to-many is found by the foreign keys that point back at `source` from
    the one table whose name matches the property (`posts` -> `post`), or from a join table
    TypeORM named `<source>_<prop>_<target>`."""
    lowered = prop.lower()
    for column in source.columns:
        names = {(column.field_name or "").lower(), column.name.lower()}
        if column.field_name != prop and not names & {lowered + "id", lowered + "_id"}:
            continue
        fk = next((fk for fk in source.foreign_keys if column.name in fk.columns), None)
        target = schema.table(fk.referenced_table) if fk is not None else None
        if fk is not None and target is not None:
            return Join(target, tuple(fk.referenced_columns))
    if target_model is not None:
        target = table_of(schema, target_model)
        if target is not None:
            out = [fk for fk in source.foreign_keys if fk.referenced_table == target.name]
            if len(out) == 1:
                return Join(target, tuple(out[0].referenced_columns))
            back = _fk_columns(target, source.name)
            if back:
                return Join(target, back)
    wanted = {_singular(snake(prop)), snake(prop)}
    if target_model is not None:
        wanted |= {snake(target_model), target_model}
    join_name = f"{source.name}_{snake(prop)}_"
    for table in schema.tables:
        if table.name.startswith(join_name):
            back = _fk_columns(table, source.name)
            others = [fk for fk in table.foreign_keys if fk.referenced_table != source.name]
            target = schema.table(others[0].referenced_table) if len(others) == 1 else None
            if back and target is not None:
                return Join(target, tuple(primary_key(target)), table, back)
    matches = [
        table
        for table in schema.tables
        if (
            table.name in wanted
            or snake(table.model_name or "") in wanted
            or _singular(table.name) in wanted
            or any(table.name.endswith("_" + w) or table.name.startswith(w + "_") for w in wanted)
        )
        and _fk_columns(table, source.name)
    ]
    if len(matches) == 1:
        return Join(matches[0], _fk_columns(matches[0], source.name))
    return None


def _singular(name: str) -> str:
    if name.endswith("ies"):
        return name[:-3] + "y"
    if name.endswith(("ses", "xes", "ches", "shes")):
        return name[:-2]
    if name.endswith("s") and not name.endswith("ss"):
        return name[:-1]
    return name


# -- SQL conditions -------------------------------------------------------------------------

_PARAM = re.compile(r"(?<![:\w]):(?:\.\.\.)?[A-Za-z_]\w*")
_COMPARE: dict[type, FilterKind] = {
    exp.EQ: "equal",
    exp.NullSafeEQ: "equal",
    exp.NEQ: "not_equal",
    exp.GT: "range",
    exp.GTE: "range",
    exp.LT: "range",
    exp.LTE: "range",
}

ColumnName = Callable[[str | None, str], "tuple[str, str, str | None] | None"]
"""(alias, name as written) -> (alias it belongs to, database column, ORM field), or None."""


def condition_branches(
    sql: str, column: ColumnName, dialect: str = "postgres"
) -> tuple[list[list[tuple[str, ColumnFilter]]], str | None]:
    """A SQL condition (`u.email = :email AND u.age > :age`) as DNF of (alias, filter); the
    reason it could not be read, if so. TypeORM's parameters (`:name`, `:...names`) are read as
    unknown values."""
    text = _PARAM.sub("$1", sql)
    try:
        tree = sqlglot.parse_one(f"SELECT 1 WHERE {text}", read=dialect)
    except Exception:  # sqlglot raises many kinds; a condition it cannot read is `unknown`
        return [[]], "a condition that could not be read as SQL"
    where = tree.args.get("where") if isinstance(tree, exp.Select) else None
    if where is None:
        return [[]], "a condition that could not be read as SQL"
    try:
        return _sql_dnf(where.this, column), None
    except TooManyBranches:
        return [[]], f"a condition of more than {MAX_BRANCHES} OR branches"


def _sql_dnf(node: exp.Expression, column: ColumnName) -> list[list[tuple[str, ColumnFilter]]]:
    if isinstance(node, exp.Paren):
        return _sql_dnf(node.this, column)
    if isinstance(node, exp.And):
        left, right = _sql_dnf(node.left, column), _sql_dnf(node.right, column)
        out = [a + b for a in left for b in right]
        if len(out) > MAX_BRANCHES:
            raise TooManyBranches
        return out
    if isinstance(node, exp.Or):
        out = _sql_dnf(node.left, column) + _sql_dnf(node.right, column)
        if len(out) > MAX_BRANCHES:
            raise TooManyBranches
        return out
    return [_sql_filters(node, column)]


def _sql_filters(node: exp.Expression, column: ColumnName) -> list[tuple[str, ColumnFilter]]:
    """One predicate: a filter on the column it compares, `other` on columns it uses some other
    way."""
    negated = isinstance(node, exp.Not)
    inner = node.this if negated else node
    while isinstance(inner, exp.Paren):
        inner = inner.this
    kind: FilterKind = "other"
    target: exp.Expression | None = None
    value: exp.Expression | None = None
    insensitive = False
    if isinstance(inner, exp.Is):
        target, value = inner.this, inner.expression
        is_null = isinstance(value, exp.Null)
        kind = ("not_null" if negated else "is_null") if is_null else "other"
    elif isinstance(inner, tuple(_COMPARE)):
        target, value = inner.this, inner.expression
        if not isinstance(_strip(target), exp.Column) and isinstance(_strip(value), exp.Column):
            target, value = value, target
        kind = _COMPARE[type(inner)]
        if negated:
            kind = "not_equal" if kind == "equal" else "other"
    elif isinstance(inner, exp.In):
        target = inner.this
        kind = "not_equal" if negated else "in"
        if inner.args.get("query") is not None:
            kind = "other"
    elif isinstance(inner, exp.Between):
        target, kind = inner.this, "other" if negated else "range"
    elif isinstance(inner, (exp.Like, exp.ILike)):
        target, value = inner.this, inner.expression
        insensitive = isinstance(inner, exp.ILike)
        kind = "other" if negated else _sql_pattern(value)
    if target is not None:
        stripped = _strip(target)
        if isinstance(stripped, exp.Column):
            while isinstance(target, exp.Paren):
                target = target.this
            function = None
            if isinstance(target, (exp.Lower, exp.Upper)) and _strip(target.this) is stripped:
                function = "lower" if isinstance(target, exp.Lower) else "upper"
                insensitive = True
            elif stripped is not target:
                kind = "other"  # a cast or a function of the column
            found = column(stripped.table or None, stripped.name)
            if found is not None:
                alias, name, field = found
                if function is not None and kind in ("not_equal", "other"):
                    function = None
                text = value.sql("postgres") if isinstance(value, exp.Literal | exp.Null) else None
                if isinstance(value, exp.Boolean):
                    text = value.sql("postgres")
                out = [
                    (
                        alias,
                        ColumnFilter(
                            column=name,
                            kind=kind,
                            insensitive=insensitive,
                            value=text,
                            field_name=field,
                            expression=f"{function}({name})" if function else None,
                            expression_columns=[name] if function else [],
                        ),
                    )
                ]
                other = _strip(value) if value is not None else None
                if isinstance(other, exp.Column) and kind == "equal":
                    joined = column(other.table or None, other.name)
                    if joined is not None:
                        out.append(
                            (
                                joined[0],
                                ColumnFilter(column=joined[1], kind="equal", field_name=joined[2]),
                            )
                        )
                return out
    found_columns = []
    for col in node.find_all(exp.Column):
        hit = column(col.table or None, col.name)
        if hit is not None:
            found_columns.append(
                (hit[0], ColumnFilter(column=hit[1], kind="other", field_name=hit[2]))
            )
    return found_columns


def _strip(node: exp.Expression | None) -> exp.Expression | None:
    """The column under `lower(...)`, `upper(...)`, a cast (a function of the column: not
    served by a plain index, but said about that column)."""
    while isinstance(node, (exp.Lower, exp.Upper, exp.Cast, exp.Paren)):
        node = node.this
    return node


def _sql_pattern(value: exp.Expression | None) -> FilterKind:
    if isinstance(value, exp.Literal) and value.is_string:
        text = value.this
        if "%" not in text and "_" not in text:
            return "equal"
        leading, trailing = text.startswith(("%", "_")), text.endswith("%")
        return "contains" if leading and trailing else "suffix" if leading else "prefix"
    if isinstance(value, exp.DPipe):  # '%' || :q || '%'
        parts = list(value.flatten())
        leading = isinstance(parts[0], exp.Literal) and parts[0].this.startswith("%")
        trailing = isinstance(parts[-1], exp.Literal) and parts[-1].this.endswith("%")
        return "contains" if leading and trailing else "suffix" if leading else "prefix"
    return "other"


def sql_text(value: Value | None) -> str | None:
    """The SQL of a raw query's first argument, holes as `$1`, `$2`, ...; None if not a
    string."""
    if not isinstance(value, Str):
        return None
    if value.value is not None:
        return value.value
    out, hole = [], 0
    for part in value.parts:
        if isinstance(part, Fragment):
            out.append(part.text)
        else:
            hole += 1
            out.append(f"${hole}")
    return "".join(out)


_SQL_START = re.compile(r"^\s*(\(\s*)?(select|with|insert|update|delete|explain)\b", re.I)


def looks_like_sql(value: Value | None) -> bool:
    """A raw query's text starts like a statement (`req.query(...)` and friends do not)."""
    if not isinstance(value, Str) or not value.parts:
        return False
    first = value.parts[0]
    return isinstance(first, Fragment) and bool(_SQL_START.match(first.text))


def soft_delete_filter(table: Table) -> ColumnFilter | None:
    """The `<column> IS NULL` the ORM adds to a read of a table with a soft-delete column
    (`Table.soft_delete`, set by the TypeORM and Sequelize readers), or None."""
    if table.soft_delete is None:
        return None
    return ColumnFilter(
        column=table.soft_delete,
        kind="is_null",
        value="NULL",
        field_name=_field(table, table.soft_delete),
        soft_delete=True,
    )


def not_deleted(branches: Branches, table: Table) -> Branches:
    """`branches` with the table's soft-delete `IS NULL` ANDed to each (unchanged without
    one); the code's own `IS NULL` on that column is the same condition, taken as the ORM's."""
    added = soft_delete_filter(table)
    if added is None:
        return branches

    def same(f: ColumnFilter) -> bool:
        return f.column == added.column and f.kind == "is_null" and f.expression is None

    return [[f for f in b if not same(f)] + [added] for b in branches]


def implied_queries(
    ctx: Context,
    join: Join,
    name: str,
    branches: Branches,
    label: str,
    span: tuple[int, int] | None,
    in_loop: bool,
    with_deleted: bool = True,
) -> list[Query]:
    """The queries a relation load implies: on the join table by its columns back to the
    source (many-to-many), and on the target by the columns a joined row is found by, with
    the filters given on the relation (`branches`) and, unless `with_deleted`, the target's
    soft-delete `IS NULL` (both ORMs put it in the join's condition)."""
    if not with_deleted:
        branches = not_deleted(branches, join.target)
    out = []
    where_span = ctx.span(*span) if span else None
    if join.through is not None:
        out.append(
            Query(
                table=join.through.name,
                db_schema=join.through.db_schema,
                model_name=join.through.model_name,
                operation="find_many",
                origin=ctx.origin,  # type: ignore[arg-type]
                where=as_where(
                    [[ColumnFilter(column=c, kind="equal") for c in join.through_columns]]
                ),
                implied_by=label,
                label=f"{label} → {name} (join table)",
                span=where_span,
                in_loop=in_loop,
            )
        )
    keys = [
        ColumnFilter(column=c, kind="equal", field_name=_field(join.target, c))
        for c in join.columns
    ]
    out.append(
        Query(
            table=join.target.name,
            db_schema=join.target.db_schema,
            model_name=join.target.model_name,
            operation="find_many",
            origin=ctx.origin,  # type: ignore[arg-type]
            where=as_where([keys + branch for branch in branches]),
            implied_by=label,
            label=f"{label} → {name}",
            span=where_span,
            in_loop=in_loop,
        )
    )
    return out


def _field(table: Table, column: str) -> str | None:
    found = table.column(column)
    return found.field_name if found is not None else None


def follow(ctx: Context, value: Value | None) -> Value | None:
    """A name's value when it is a `const` of the enclosing blocks declared before its use:
    the evaluator follows local constants for plain names, not yet for shorthand properties
    (`{ where }` after `const where = {...}`), which the readers meet all the time."""
    if not isinstance(value, Ref) or len(value.path) != 1:
        return value
    name = value.path[0].encode()
    node = ctx.module.node_at(value.start, value.end)
    block = node.parent if node is not None else None
    while block is not None:
        if block.type in ("statement_block", "program"):
            for statement in block.named_children:
                if statement.start_byte >= (node.start_byte if node is not None else 0):
                    break
                if statement.type != "lexical_declaration":
                    continue
                if not any(c.type == "const" for c in statement.children):
                    continue
                for declarator in statement.named_children:
                    ident = declarator.child_by_field_name("name")
                    init = declarator.child_by_field_name("value")
                    if ident is not None and init is not None and ident.text == name:
                        return ctx.module.value(init)  # its range: where it is written
        block = block.parent
    return value


_DB_RECEIVER = re.compile(
    r"(?i)(data_?source|manager|query_?runner|connection|sequelize|\bem\b|\bdb\b|\btx\b"
    r"|\btrx\b|\bclient\b|\bpool\b)"
)
"""A receiver whose `.query(...)` is a database's (`dataSource`, `this.manager`,
`queryRunner`, `db.sequelize`, `tx`), as opposed to `req.query`."""


def raw_query(ctx: Context, site: CallSite, receiver: Node | None) -> Query | None:
    """`x.query("SELECT ...")`: a raw query, its SQL as written (holes as `$1`, ...). Read
    when the text starts like a statement, or when the receiver is plainly a database's (then
    SQL that cannot be read statically is said in `unknown`)."""
    first = site.args.get(0)
    owner = ctx.text(*ctx.module.parsed.span(receiver)) if receiver is not None else ""
    owner = owner.removeprefix("this.")
    sql = sql_text(first)
    unknown: list[str] = []
    if not looks_like_sql(first):
        if not owner or _DB_RECEIVER.search(owner) is None:
            return None
        if sql is None:
            unknown.append("SQL built elsewhere")
    return Query(
        table="",
        operation="raw",
        origin=ctx.origin,  # type: ignore[arg-type]
        sql=sql,
        unknown=unknown,
        label=f"{owner or 'query'}.query",
        span=ctx.span(site.start, site.end),
        in_loop=site.in_loop,
    )


_FUNCTIONS = (
    "function_declaration",
    "function_expression",
    "arrow_function",
    "method_definition",
    "generator_function_declaration",
    "program",
)


def changed_before(ctx: Context, value: Value | None, before: int) -> bool:
    """Whether the object a call is handed by name (`findOne(query)`, `{ where }`) is changed
    between its making and the call (`query.where.confirmedAt = ...`, `query.order = ...`,
    `Object.assign(query, ...)`, `where[Op.or] = ...`): what it holds then is not what its
    literal says."""
    if value is None:
        return False
    name = ctx.module.text[value.start : value.end]
    if re.fullmatch(r"[A-Za-z_$][\w$]*", name) is None:
        return False
    node = ctx.module.node_at(value.start, value.end)
    while node is not None and node.type not in _FUNCTIONS:
        node = node.parent
    start = ctx.module.parsed.span(node)[0] if node is not None else 0
    text = ctx.module.text[start:before]
    n = re.escape(name)
    pattern = (
        rf"(?<![\w$.]){n}\s*(?:\.[\w$]+|\[[^\]\n]*\])+\s*(?:[-+*/|&?]?=(?!=))"
        rf"|Object\.assign\(\s*{n}\b|(?<![\w$.]){n}(?:\.[\w$]+)*\.(?:push|unshift|splice)\("
    )
    return re.search(pattern, text) is not None

"""SQL statements read into query shapes: what a SELECT, UPDATE or DELETE asks of each table.

PostgreSQL is read with PostgreSQL's own parser (libpg_query, through postgast, as the migration
reader does), MySQL and SQLite with sqlglot. Both are first turned into one small neutral tree
(`_And`, `_Cmp`, `_In`, ...), and one function turns that into a `Query`: the `where` in
disjunctive normal form (NOT pushed down to the comparisons, at most `MAX_BRANCHES` branches),
the sort, the limit. Each `JOIN`'s `ON` columns of the joined table become a query of their own
on that table (equality, `implied_by` the statement's label): that is the lookup a nested loop
makes.

What is read: `=`, `<>`, `<` `<=` `>` `>=`, `BETWEEN`, `IN` (a list or a sub-select), `IS [NOT]
NULL`, `LIKE` / `ILIKE` with a literal pattern (`'x%'` prefix, `'%x'` suffix, `'%x%'` contains, no
wildcard = equality; a pattern given as a parameter is `other`: its shape is unknown),
`lower(col)` / `upper(col)` compared (case-insensitive), `to_tsvector(...) @@ ...` and
MySQL's `MATCH (...) AGAINST (...)` (full text), a boolean column alone (`= true`), parameters
`$1`, `?`, `:name` (value unknown). A comparison of anything else (a function of a column, a
sub-select) is `other` on the first column it reads; a condition that reads no column of the
table (`EXISTS (...)`, `1 = 1`) is left out.

Never raises: a statement the parser rejects becomes a `Query` with `operation="raw"`, its text
in `sql`, and the parser's message in `unknown` when its table can be seen (`FROM x`, `UPDATE x`,
`DELETE FROM x`), else nothing. Statements other than SELECT, UPDATE and DELETE give nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from schemasense.codegen.queries.model import ColumnFilter, Conjunction, Query, SortKey
from schemasense.codegen.schema import Schema, Span

MAX_BRANCHES = 32
"""OR branches past which the `where` is not expanded (it becomes `unknown`)."""


# --- the neutral tree --------------------------------------------------------------------------


@dataclass
class _Col:
    qualifier: str | None
    name: str


@dataclass
class _Call:
    name: str
    args: list[Any]
    text: str


@dataclass
class _Value:
    text: str | None
    """SQL literal text, or None for a parameter / an unknown value."""


@dataclass
class _Opaque:
    """An expression the reader does not take apart; the columns it reads."""

    text: str
    columns: list[_Col] = field(default_factory=list)


@dataclass
class _And:
    items: list[Any]


@dataclass
class _Or:
    items: list[Any]


@dataclass
class _Not:
    item: Any


@dataclass
class _Cmp:
    op: str
    """`=`, `<>`, `<`, `<=`, `>`, `>=`, `like`, `ilike`, `@@`, or another operator's text."""
    left: Any
    right: Any


@dataclass
class _In:
    left: Any
    negated: bool = False


@dataclass
class _Between:
    left: Any
    negated: bool = False


@dataclass
class _IsNull:
    left: Any
    negated: bool = False


@dataclass
class _Match:
    """MySQL's MATCH (cols) AGAINST (...)."""

    columns: list[_Col]


@dataclass
class _Table:
    name: str
    schema: str | None
    alias: str | None


@dataclass
class _Stmt:
    kind: str
    """`select`, `update` or `delete`."""
    table: _Table
    joins: list[tuple[_Table, Any]] = field(default_factory=list)
    others: list[_Table] = field(default_factory=list)
    """More tables in FROM (`FROM a, b`): joined by the `where`."""
    where: Any = None
    order: list[tuple[Any, bool, str | None]] = field(default_factory=list)
    limit: int | None = None
    limited: bool = False
    offset: int | None = None
    offset_given: bool = False
    text: str = ""
    start: int | None = None
    end: int | None = None
    nested: bool = False
    """A sub-select of a condition: labelled as such, implied by the statement."""


# --- PostgreSQL: libpg_query's tree --------------------------------------------------------------


def _pg_statements(text: str) -> tuple[list[_Stmt], str | None]:
    import postgast
    from postgast import pg_query_pb2 as pb

    try:
        tree = postgast.parse(text)
    except Exception as error:  # postgast.PgQueryError, or a protobuf decode error
        return [], str(error).strip().splitlines()[0] if str(error) else type(error).__name__
    data = text.encode("utf-8")
    statements: list[_Stmt] = []
    for raw in tree.stmts:
        start = raw.stmt_location
        end = start + raw.stmt_len if raw.stmt_len else len(data)
        piece = data[start:end].decode("utf-8", errors="replace").strip()
        char_start = len(data[:start].decode("utf-8", errors="replace"))
        char_end = len(data[:end].decode("utf-8", errors="replace"))
        reader = _PgReader(pb)
        top = reader.statement(raw.stmt)
        for stmt in reader.nested:
            stmt.nested = True
        for stmt in top + reader.nested:
            stmt.text, stmt.start, stmt.end = piece, char_start, char_end
            statements.append(stmt)
    return statements, None


class _PgReader:
    def __init__(self, pb: Any) -> None:
        self.pb = pb
        self.nested: list[_Stmt] = []
        """Sub-selects of conditions (`IN (SELECT ...)`, `EXISTS (...)`): queries of their own."""

    def text(self, node: Any) -> str:
        import postgast

        pb = self.pb
        try:
            select = pb.SelectStmt(target_list=[pb.Node(res_target=pb.ResTarget(val=node))])
            tree = pb.ParseResult(stmts=[pb.RawStmt(stmt=pb.Node(select_stmt=select))])
            return postgast.deparse(tree).removeprefix("SELECT ").strip()
        except Exception:  # deparse fails on a node it cannot print: the text is only a label
            return "?"

    def statement(self, node: Any) -> list[_Stmt]:
        which = node.WhichOneof("node")
        if which == "select_stmt":
            return self.select(node.select_stmt)
        if which == "update_stmt":
            u = node.update_stmt
            return [_Stmt("update", self.range_var(u.relation), where=self.expr(u.where_clause))]
        if which == "delete_stmt":
            d = node.delete_stmt
            return [_Stmt("delete", self.range_var(d.relation), where=self.expr(d.where_clause))]
        if which == "explain_stmt":
            return self.statement(node.explain_stmt.query)
        return []

    def range_var(self, rv: Any) -> _Table:
        alias = rv.alias.aliasname if rv.HasField("alias") else None
        return _Table(rv.relname, rv.schemaname or None, alias)

    def select(self, s: Any) -> list[_Stmt]:
        out: list[_Stmt] = []
        if s.op and self.pb.SetOperation.Name(s.op) != "SETOP_NONE":
            return self.select(s.larg) + self.select(s.rarg)
        if s.HasField("with_clause"):
            for cte in s.with_clause.ctes:
                out.extend(self.statement(cte.common_table_expr.ctequery))
        tables: list[_Table] = []
        joins: list[tuple[_Table, Any]] = []
        for item in s.from_clause:
            self.from_item(item, tables, joins, out)
        if not tables:
            return out
        stmt = _Stmt("select", tables[0], joins=joins, others=tables[1:])
        stmt.where = self.expr(s.where_clause) if s.HasField("where_clause") else None
        for sort in s.sort_clause:
            by = sort.sort_by
            direction = self.pb.SortByDir.Name(by.sortby_dir)
            nulls = self.pb.SortByNulls.Name(by.sortby_nulls)
            stmt.order.append(
                (
                    self.expr(by.node),
                    direction == "SORTBY_DESC",
                    {"SORTBY_NULLS_FIRST": "first", "SORTBY_NULLS_LAST": "last"}.get(nulls),
                )
            )
        if s.HasField("limit_count"):
            stmt.limited = True
            value = self.expr(s.limit_count)
            if isinstance(value, _Value) and value.text and value.text.isdigit():
                stmt.limit = int(value.text)
        if s.HasField("limit_offset"):
            stmt.offset_given = True
            value = self.expr(s.limit_offset)
            if isinstance(value, _Value) and value.text and value.text.isdigit():
                stmt.offset = int(value.text)
        out.insert(0, stmt)
        return out

    def from_item(self, item: Any, tables: list, joins: list, out: list) -> None:
        which = item.WhichOneof("node")
        if which == "range_var":
            tables.append(self.range_var(item.range_var))
        elif which == "join_expr":
            j = item.join_expr
            self.from_item(j.larg, tables, joins, out)
            right: list[_Table] = []
            self.from_item(j.rarg, right, joins, out)
            for table in right:
                on = self.expr(j.quals) if j.HasField("quals") else None
                joins.append((table, on))
        elif which == "range_subselect":
            out.extend(self.statement(item.range_subselect.subquery))

    def expr(self, node: Any) -> Any:
        which = node.WhichOneof("node")
        value = getattr(node, which) if which else None
        if which == "bool_expr":
            op = self.pb.BoolExprType.Name(value.boolop)
            items = [self.expr(a) for a in value.args]
            if op == "AND_EXPR":
                return _And(items)
            if op == "OR_EXPR":
                return _Or(items)
            return _Not(items[0])
        if which == "column_ref":
            names = [f.string.sval for f in value.fields if f.WhichOneof("node") == "string"]
            if not names:
                return _Opaque(self.text(node))
            return _Col(names[-2] if len(names) > 1 else None, names[-1])
        if which == "a_const":
            if value.isnull:
                return _Value("NULL")
            kind = value.WhichOneof("val")
            if kind == "sval":
                return _Value("'" + value.sval.sval.replace("'", "''") + "'")
            if kind == "ival":
                return _Value(str(value.ival.ival))
            if kind == "fval":
                return _Value(value.fval.fval)
            if kind == "boolval":
                return _Value("true" if value.boolval.boolval else "false")
            return _Value(None)
        if which == "param_ref":
            return _Value(None)
        if which == "type_cast":
            return self.expr(value.arg)
        if which == "null_test":
            negated = self.pb.NullTestType.Name(value.nulltesttype) == "IS_NOT_NULL"
            return _IsNull(self.expr(value.arg), negated)
        if which == "boolean_test":
            kind = self.pb.BoolTestType.Name(value.booltesttype)
            arg = self.expr(value.arg)
            if kind == "IS_TRUE":
                return _Cmp("=", arg, _Value("true"))
            if kind == "IS_FALSE":
                return _Cmp("=", arg, _Value("false"))
            return _Opaque(self.text(node), _columns_of(arg))
        if which == "func_call":
            name = value.funcname[-1].string.sval.lower() if value.funcname else ""
            return _Call(name, [self.expr(a) for a in value.args], self.text(node))
        if which == "a_expr":
            return self.a_expr(value, node)
        if which == "sub_link":
            self.nested.extend(self.statement(value.subselect))
            kind = self.pb.SubLinkType.Name(value.sub_link_type)
            if kind == "ANY_SUBLINK" and value.HasField("testexpr"):
                return _In(self.expr(value.testexpr))
            return _Opaque(self.text(node))
        return _Opaque(self.text(node), self.columns_in(node))

    def columns_in(self, node: Any) -> list[_Col]:
        import postgast

        found: list[_Col] = []
        try:
            for ref in postgast.find_nodes(node, self.pb.ColumnRef):
                names = [f.string.sval for f in ref.fields if f.WhichOneof("node") == "string"]
                if names:
                    found.append(_Col(names[-2] if len(names) > 1 else None, names[-1]))
        except Exception:  # an opaque expression's columns are a best effort
            pass
        return found

    def a_expr(self, e: Any, node: Any) -> Any:
        kind = self.pb.A_Expr_Kind.Name(e.kind)
        op = e.name[-1].string.sval if e.name else ""
        left = self.expr(e.lexpr) if e.HasField("lexpr") else None
        if kind == "AEXPR_IN":
            return _In(left, negated=op == "<>")
        if kind in {"AEXPR_BETWEEN", "AEXPR_BETWEEN_SYM"}:
            return _Between(left)
        if kind in {"AEXPR_NOT_BETWEEN", "AEXPR_NOT_BETWEEN_SYM"}:
            return _Between(left, negated=True)
        right = self.expr(e.rexpr) if e.HasField("rexpr") else None
        if kind == "AEXPR_LIKE":
            return _Cmp("like" if op == "~~" else "notlike", left, right)
        if kind == "AEXPR_ILIKE":
            return _Cmp("ilike" if op == "~~*" else "notlike", left, right)
        if kind == "AEXPR_OP_ANY" and op == "=":
            return _In(left)
        if kind == "AEXPR_OP_ALL" and op == "<>":
            return _In(left, negated=True)
        if kind == "AEXPR_DISTINCT":
            return _Cmp("<>", left, right)
        if kind == "AEXPR_NOT_DISTINCT":
            return _Cmp("=", left, right)
        if kind == "AEXPR_OP":
            return _Cmp({"!=": "<>"}.get(op, op), left, right)
        return _Opaque(self.text(node), self.columns_in(node))


# --- MySQL and SQLite: sqlglot's tree ------------------------------------------------------------


def _glot_statements(text: str, dialect: str) -> tuple[list[_Stmt], str | None]:
    import sqlglot

    try:
        trees = sqlglot.parse(text, read=dialect)
    except Exception as error:  # sqlglot.ParseError / TokenError
        message = str(error).strip().splitlines()[0] if str(error) else type(error).__name__
        return [], message
    out: list[_Stmt] = []
    for tree in trees:
        if tree is not None:
            reader = _GlotReader(dialect)
            out.extend(reader.statement(tree))
            text = tree.sql(dialect=dialect)
            for stmt in reader.nested:
                stmt.nested, stmt.text = True, text
                out.append(stmt)
    return out, None


class _GlotReader:
    def __init__(self, dialect: str) -> None:
        self.dialect = dialect
        self.nested: list[_Stmt] = []
        """Sub-selects of conditions (`IN (SELECT ...)`, `EXISTS (...)`): queries of their own."""
        from sqlglot import expressions as exp

        self.exp = exp

    def statement(self, node: Any) -> list[_Stmt]:
        exp = self.exp
        text = node.sql(dialect=self.dialect)
        out: list[_Stmt] = []
        if isinstance(node, exp.Union):
            return self.statement(node.this) + self.statement(node.expression)
        if isinstance(node, exp.Select):
            with_ = node.args.get("with_") or node.args.get("with")
            if with_ is not None:
                for cte in with_.expressions:
                    out.extend(self.statement(cte.this))
            from_ = node.args.get("from_") or node.args.get("from")
            if from_ is None:
                return out
            tables = [self.table(from_.this, out)] + [
                self.table(t, out) for t in from_.expressions or []
            ]
            tables = [t for t in tables if t is not None]
            joins = []
            for join in node.args.get("joins") or []:
                table = self.table(join.this, out)
                if table is None:
                    continue
                on = join.args.get("on")
                if (
                    join.args.get("on") is None
                    and join.args.get("kind") is None
                    and not (join.args.get("side"))
                ):
                    tables.append(table)  # `FROM a, b` arrives as a join without ON
                    continue
                joins.append((table, self.expr(on) if on is not None else None))
            if not tables:
                return out
            stmt = _Stmt("select", tables[0], joins=joins, others=tables[1:], text=text)
            self.where(node, stmt)
            order = node.args.get("order")
            for ordered in order.expressions if order is not None else []:
                desc = bool(ordered.args.get("desc"))
                nulls_first = ordered.args.get("nulls_first")
                default_first = not desc  # NULL is the smallest value in MySQL and SQLite
                nulls = None
                if nulls_first is not None and bool(nulls_first) != default_first:
                    nulls = "first" if nulls_first else "last"
                stmt.order.append((self.expr(ordered.this), desc, nulls))
            limit = node.args.get("limit")
            if limit is not None:
                stmt.limited = True
                value = limit.args.get("expression") or limit.this
                if isinstance(value, exp.Literal) and str(value.this).isdigit():
                    stmt.limit = int(value.this)
            offset = node.args.get("offset")
            if offset is not None:
                stmt.offset_given = True
                value = offset.args.get("expression") or offset.this
                if isinstance(value, exp.Literal) and str(value.this).isdigit():
                    stmt.offset = int(value.this)
            return [stmt, *out]
        if isinstance(node, (exp.Update, exp.Delete)):
            table = self.table(node.this, out)
            if table is None:
                return out
            stmt = _Stmt("update" if isinstance(node, exp.Update) else "delete", table, text=text)
            self.where(node, stmt)
            return [stmt, *out]
        return out

    def where(self, node: Any, stmt: _Stmt) -> None:
        where = node.args.get("where")
        if where is not None:
            stmt.where = self.expr(where.this)

    def table(self, node: Any, out: list[_Stmt]) -> _Table | None:
        exp = self.exp
        if isinstance(node, exp.Table) and isinstance(node.this, exp.Identifier):
            return _Table(node.name, node.db or None, node.alias or None)
        if isinstance(node, exp.Subquery):
            out.extend(self.statement(node.this))
        return None

    def columns_in(self, node: Any) -> list[_Col]:
        return [_Col(c.table or None, c.name) for c in node.find_all(self.exp.Column)]

    def expr(self, node: Any) -> Any:
        exp = self.exp
        while isinstance(node, (exp.Paren, exp.Cast)):
            node = node.this
        if isinstance(node, exp.And):
            return _And([self.expr(node.this), self.expr(node.expression)])
        if isinstance(node, exp.Or):
            return _Or([self.expr(node.this), self.expr(node.expression)])
        if isinstance(node, exp.Not):
            return _Not(self.expr(node.this))
        if isinstance(node, exp.Column) and isinstance(node.this, exp.Identifier):
            return _Col(node.table or None, node.name)
        if isinstance(node, exp.Null):
            return _Value("NULL")
        if isinstance(node, exp.Boolean):
            return _Value("true" if node.this else "false")
        if isinstance(node, exp.Literal):
            return _Value(f"'{node.this}'" if node.is_string else str(node.this))
        if isinstance(node, (exp.Placeholder, exp.Parameter)):
            return _Value(None)
        comparisons = {
            exp.EQ: "=",
            exp.NEQ: "<>",
            exp.LT: "<",
            exp.LTE: "<=",
            exp.GT: ">",
            exp.GTE: ">=",
            exp.Like: "like",
            exp.ILike: "ilike",
            exp.NullSafeEQ: "=",
        }
        for cls, op in comparisons.items():
            if type(node) is cls:
                return _Cmp(op, self.expr(node.this), self.expr(node.expression))
        if isinstance(node, exp.In):
            query = node.args.get("query")
            if query is not None:
                self.nested.extend(self.statement(query.this if query.this else query))
            return _In(self.expr(node.this))
        if isinstance(node, exp.Exists):
            self.nested.extend(self.statement(node.this))
            return _Opaque(node.sql(dialect=self.dialect))
        if isinstance(node, exp.Between):
            return _Between(self.expr(node.this))
        if isinstance(node, exp.Is):
            target = node.expression
            negated = bool(node.args.get("negate"))
            if isinstance(target, exp.Null):
                return _IsNull(self.expr(node.this), negated)
            if isinstance(target, exp.Boolean) and not negated:
                return _Cmp("=", self.expr(node.this), _Value("true" if target.this else "false"))
        if isinstance(node, exp.MatchAgainst):
            cols = [self.expr(c) for c in node.expressions]
            return _Match([c for c in cols if isinstance(c, _Col)])
        if isinstance(node, (exp.Lower, exp.Upper)):
            name = "lower" if isinstance(node, exp.Lower) else "upper"
            return _Call(name, [self.expr(node.this)], node.sql(dialect=self.dialect))
        if isinstance(node, exp.Func) and not isinstance(node, exp.Anonymous):
            return _Opaque(node.sql(dialect=self.dialect), self.columns_in(node))
        return _Opaque(node.sql(dialect=self.dialect), self.columns_in(node))


# --- the neutral tree to queries ---------------------------------------------------------------


class _TooMany(Exception):
    pass


def _columns_of(node: Any) -> list[_Col]:
    if isinstance(node, _Col):
        return [node]
    if isinstance(node, _Call):
        return [c for a in node.args for c in _columns_of(a)]
    if isinstance(node, _Opaque):
        return list(node.columns)
    if isinstance(node, _Match):
        return list(node.columns)
    if isinstance(node, _Cmp):
        return _columns_of(node.left) + _columns_of(node.right)
    if isinstance(node, (_In, _Between, _IsNull)):
        return _columns_of(node.left)
    if isinstance(node, (_And, _Or)):
        return [c for item in node.items for c in _columns_of(item)]
    if isinstance(node, _Not):
        return _columns_of(node.item)
    return []


_FLIP = {"<": ">", "<=": ">=", ">": "<", ">=": "<=", "=": "=", "<>": "<>", "@@": "@@"}
_NEGATE = {"=": "<>", "<>": "=", "<": ">=", "<=": ">", ">": "<=", ">=": "<"}


class _Resolver:
    """Which table a column reference belongs to."""

    def __init__(self, stmt: _Stmt, schema: Schema | None) -> None:
        self.stmt = stmt
        self.schema = schema
        self.tables = [stmt.table] + stmt.others + [t for t, _ in stmt.joins]
        self.by_name: dict[str, _Table] = {}
        for t in self.tables:
            self.by_name.setdefault(t.name.lower(), t)
            if t.alias:
                self.by_name[t.alias.lower()] = t

    def table_of(self, col: _Col) -> _Table | None:
        if col.qualifier:
            return self.by_name.get(col.qualifier.lower())
        if len(self.tables) == 1 or self.schema is None:
            return self.tables[0]
        owners = [
            t
            for t in self.tables
            if (known := self.schema.table(t.name)) is not None and known.column(col.name)
        ]
        return owners[0] if len(owners) == 1 else self.tables[0]


def _strip_qualifiers(text: str, resolver: _Resolver) -> str:
    for name in resolver.by_name:
        text = re.sub(rf'(?i)(?<![\w."]){re.escape(name)}\.', "", text)
        text = re.sub(rf'(?i)"{re.escape(name)}"\.', "", text)
    return text


def _pattern_kind(pattern: str | None) -> str:
    if pattern is None or not pattern.startswith("'"):
        return "other"
    body = pattern[1:-1]
    inner = body.strip("%")
    if "%" in inner or "_" in inner.replace("\\_", ""):
        if not body.startswith("%") and not body.startswith("_"):
            return "prefix"
        return "contains"
    starts, ends = body.startswith("%"), body.endswith("%")
    if starts and ends:
        return "contains"
    if starts:
        return "suffix"
    if ends:
        return "prefix"
    return "equal"


def _leaf(node: Any, table: _Table, resolver: _Resolver, negated: bool) -> list[list[ColumnFilter]]:
    """A leaf condition as DNF over `table`'s columns: a list of branches (usually one)."""

    def mine(col: Any) -> bool:
        return isinstance(col, _Col) and resolver.table_of(col) is table

    def first_column(*nodes: Any) -> str | None:
        for n in nodes:
            for c in _columns_of(n):
                if resolver.table_of(c) is table:
                    return c.name
        return None

    def other(*nodes: Any) -> list[list[ColumnFilter]]:
        column = first_column(*nodes)
        return [[ColumnFilter(column=column, kind="other")]] if column else [[]]

    if isinstance(node, _Col) and mine(node):  # a boolean column alone
        value = "false" if negated else "true"
        return [[ColumnFilter(column=node.name, kind="equal", value=value)]]
    if isinstance(node, _IsNull):
        if not mine(node.left):
            return other(node.left)
        kind = "not_null" if node.negated != negated else "is_null"
        return [[ColumnFilter(column=node.left.name, kind=kind, value="NULL")]]
    if isinstance(node, _In):
        if not mine(node.left):
            return _insensitive(node.left, "in", None, resolver, table) or other(node.left)
        kind = "not_equal" if node.negated != negated else "in"
        return [[ColumnFilter(column=node.left.name, kind=kind)]]
    if isinstance(node, _Between):
        if not mine(node.left):
            return other(node.left)
        if node.negated != negated:
            return [[ColumnFilter(column=node.left.name, kind="range")]] * 2
        return [[ColumnFilter(column=node.left.name, kind="range")]]
    if isinstance(node, _Match):
        cols = [c.name for c in node.columns if mine(c)]
        if not cols or negated:
            return other(node)
        expression = f"MATCH ({', '.join(cols)})"
        return [
            [
                ColumnFilter(
                    column=cols[0], kind="fulltext", expression=expression, expression_columns=cols
                )
            ]
        ]
    if isinstance(node, _Cmp):
        left, right, op = node.left, node.right, node.op
        if not _anchored(left, mine) and _anchored(right, mine):
            left, right, op = right, left, _FLIP.get(op, op)
        if isinstance(right, _Col) and resolver.table_of(right) is None:
            right = _Value(None)  # an outer query's column (a correlated sub-select): a value
        if op == "@@" and not negated:
            return _fulltext(left, right, resolver, table) or other(left, right)
        if isinstance(right, _Col) or (isinstance(left, _Col) and not mine(left)):
            return other(left, right)  # a column compared with a column: a join condition
        if op in {"like", "ilike", "notlike"}:
            value = right.text if isinstance(right, _Value) else None
            kind = _pattern_kind(value) if op != "notlike" and not negated else "other"
            if mine(left):
                return [
                    [
                        ColumnFilter(
                            column=left.name, kind=kind, insensitive=op == "ilike", value=value
                        )
                    ]
                ]
            return _insensitive(left, kind, value, resolver, table) or other(left)
        if negated:
            op = _NEGATE.get(op, "?")
        kind = {"=": "equal", "<>": "not_equal", "<": "range", "<=": "range", ">": "range"}.get(
            op, "range" if op == ">=" else "other"
        )
        value = right.text if isinstance(right, _Value) else None
        if kind == "equal" and value == "NULL":
            kind = "other"  # `= NULL` is never true
        if mine(left):
            return [[ColumnFilter(column=left.name, kind=kind, value=value)]]
        return _insensitive(left, kind, value, resolver, table) or other(left, right)
    if isinstance(node, _Opaque):
        return other(node)
    return [[]]


def _anchored(node: Any, mine: Any) -> bool:
    """The side of a comparison an index could hold: a column of the table, `lower(col)`,
    `to_tsvector(...)`."""
    return mine(node) or (
        isinstance(node, _Call) and node.name in {"lower", "upper", "to_tsvector"}
    )


def _is_fts(node: Any) -> bool:
    return isinstance(node, _Call) and node.name == "to_tsvector"


def _insensitive(
    node: Any, kind: str, value: str | None, resolver: _Resolver, table: _Table
) -> list[list[ColumnFilter]] | None:
    """`lower(col)` / `upper(col)` compared: a case-insensitive filter on the column."""
    if not (isinstance(node, _Call) and node.name in {"lower", "upper"} and len(node.args) == 1):
        return None
    arg = node.args[0]
    if not (isinstance(arg, _Col) and resolver.table_of(arg) is table):
        return None
    if kind in {"not_equal", "other"}:
        return [[ColumnFilter(column=arg.name, kind=kind)]]
    expression = _strip_qualifiers(node.text, resolver)
    filt = ColumnFilter(
        column=arg.name,
        kind=kind,  # type: ignore[arg-type]
        insensitive=True,
        value=value,
        expression=expression,
        expression_columns=[arg.name],
    )
    return [[filt]]


def _fulltext(
    left: Any, right: Any, resolver: _Resolver, table: _Table
) -> list[list[ColumnFilter]] | None:
    """`to_tsvector(...) @@ query` or `tsvector_column @@ query`."""
    if isinstance(left, _Col) and resolver.table_of(left) is table:
        return [[ColumnFilter(column=left.name, kind="fulltext")]]
    if not _is_fts(left):
        return None
    cols = [c.name for c in _columns_of(left) if resolver.table_of(c) is table]
    if not cols:
        return None
    unique = list(dict.fromkeys(cols))
    expression = _strip_qualifiers(left.text, resolver)
    filt = ColumnFilter(
        column=unique[0], kind="fulltext", expression=expression, expression_columns=unique
    )
    return [[filt]]


def _dnf(node: Any, table: _Table, resolver: _Resolver, negated: bool = False) -> list[list]:
    """Disjunctive normal form of a condition over `table`'s columns (NOT pushed down)."""
    if node is None:
        return [[]]
    if isinstance(node, _Not):
        return _dnf(node.item, table, resolver, not negated)
    if isinstance(node, (_And, _Or)):
        conjunctive = isinstance(node, _And) != negated
        parts = [_dnf(item, table, resolver, negated) for item in node.items]
        if not conjunctive:
            out = [branch for part in parts for branch in part]
        else:
            out = [[]]
            for part in parts:
                out = [a + b for a in out for b in part]
                if len(out) > MAX_BRANCHES:
                    raise _TooMany
        if len(out) > MAX_BRANCHES:
            raise _TooMany
        return out
    return _leaf(node, table, resolver, negated)


def _where(node: Any, table: _Table, resolver: _Resolver) -> tuple[list[Conjunction], list[str]]:
    try:
        branches = _dnf(node, table, resolver)
    except _TooMany:
        return [], [f"the where has more than {MAX_BRANCHES} OR branches"]
    if any(not branch for branch in branches) and len(branches) > 1:
        # a branch with no condition on this table: the OR reads every row of it
        return [Conjunction(filters=[])], []
    unique: list[Conjunction] = []
    for branch in branches:
        conj = Conjunction(filters=branch)
        if conj not in unique:
            unique.append(conj)
    if all(not c.filters for c in unique):
        return [], []
    return unique, []


def _label(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= 80 else flat[:77] + "..."


def _queries(stmt: _Stmt, schema: Schema | None, file: str | None) -> list[Query]:
    resolver = _Resolver(stmt, schema)
    label = _label(stmt.text)
    implied_by = None
    if stmt.nested:
        implied_by, label = label, f"sub-select on {stmt.table.name} ({label})"
    span = (
        Span(file=file, start=stmt.start, end=stmt.end)
        if file is not None and stmt.start is not None and stmt.end is not None
        else None
    )
    operation = {"select": "select", "update": "update", "delete": "delete"}[stmt.kind]
    where, unknown = _where(stmt.where, stmt.table, resolver)
    order: list[SortKey] = []
    for expr, desc, nulls in stmt.order:
        if isinstance(expr, _Col) and resolver.table_of(expr) is stmt.table:
            order.append(SortKey(column=expr.name, descending=desc, nulls=nulls))  # type: ignore[arg-type]
            continue
        if isinstance(expr, _Value):
            unknown.append("the sort names a column by its position")
        else:
            unknown.append("the sort is on an expression or another table's column")
        break
    queries = [
        Query(
            table=stmt.table.name,
            db_schema=stmt.table.schema,
            operation=operation,  # type: ignore[arg-type]
            origin="sql",
            where=where,
            order_by=order,
            limit=stmt.limit,
            limited=stmt.limited,
            offset=stmt.offset,
            offset_given=stmt.offset_given,
            unknown=unknown,
            implied_by=implied_by,
            label=label,
            span=span,
        )
    ]
    joined = [(t, on) for t, on in stmt.joins] + [(t, stmt.where) for t in stmt.others]
    for table, on in joined:
        filters = _join_filters(on, table, resolver)
        if not filters:
            continue
        queries.append(
            Query(
                table=table.name,
                db_schema=table.schema,
                operation=operation,  # type: ignore[arg-type]
                origin="sql",
                where=[Conjunction(filters=filters)],
                implied_by=label,
                label=f"join {table.name} ({label})",
                span=span,
            )
        )
    return queries


def _join_filters(on: Any, table: _Table, resolver: _Resolver) -> list[ColumnFilter]:
    """The joined table's columns its ON condition fixes: compared with another table's
    column (the lookup of a nested loop), or with a constant. Only the AND part is read."""
    items = on.items if isinstance(on, _And) else [on]
    out: list[ColumnFilter] = []
    for item in items:
        if isinstance(item, _And):
            out.extend(_join_filters(item, table, resolver))
            continue
        if isinstance(item, _Cmp) and item.op == "=":
            pair = [item.left, item.right]
            mine = [c for c in pair if isinstance(c, _Col) and resolver.table_of(c) is table]
            theirs = [c for c in pair if isinstance(c, _Col) and resolver.table_of(c) is not table]
            if len(mine) == 1 and len(theirs) == 1:
                out.append(ColumnFilter(column=mine[0].name, kind="equal"))
                continue
        if isinstance(item, (_Cmp, _IsNull, _In, _Between)):
            branches = _leaf(item, table, resolver, False)
            if len(branches) == 1:
                out.extend(f for f in branches[0] if f.kind != "other")
    return out


_TABLE_AFTER = re.compile(
    r'\b(?:from|update|into|join)\s+((?:"[^"]+"|`[^`]+`|[A-Za-z_][\w$]*)(?:\.(?:"[^"]+"|`[^`]+`|[A-Za-z_][\w$]*))?)',
    re.IGNORECASE,
)


def _unreadable(text: str, message: str, file: str | None) -> list[Query]:
    match = _TABLE_AFTER.search(text)
    if match is None:
        return []
    name = match.group(1).split(".")[-1].strip('"`')
    return [
        Query(
            table=name,
            operation="raw",
            origin="sql",
            sql=text,
            unknown=[f"the SQL could not be read: {message}"],
            label=_label(text),
            span=Span(file=file, start=0, end=len(text)) if file is not None else None,
        )
    ]


def _shift(query: Query, offset: int) -> Query:
    if query.span is None or offset == 0:
        return query
    span = Span(file=query.span.file, start=query.span.start + offset, end=query.span.end + offset)
    return query.model_copy(update={"span": span})


def split_statements(text: str) -> list[tuple[int, str]]:
    """`text` cut at each `;` outside quotes, dollar quotes and comments: (offset, piece) for
    each non-blank piece. Used only when the whole text does not parse, so that one bad
    statement leaves the others readable."""
    pieces: list[tuple[int, str]] = []
    start, i, n = 0, 0, len(text)
    while i < n:
        ch = text[i]
        if ch in "'\"`":
            end = text.find(ch, i + 1)
            while end != -1 and text[end + 1 : end + 2] == ch:
                end = text.find(ch, end + 2)
            i = n if end == -1 else end + 1
            continue
        if text.startswith("--", i):
            end = text.find("\n", i)
            i = n if end == -1 else end + 1
            continue
        if text.startswith("/*", i):
            end = text.find("*/", i + 2)
            i = n if end == -1 else end + 2
            continue
        if ch == "$":
            tag = re.match(r"\$[A-Za-z_]*\$", text[i:])
            if tag:
                end = text.find(tag.group(0), i + len(tag.group(0)))
                i = n if end == -1 else end + len(tag.group(0))
                continue
        if ch == ";":
            pieces.append((start, text[start:i]))
            start = i + 1
        i += 1
    pieces.append((start, text[start:]))
    return [(offset, piece) for offset, piece in pieces if piece.strip()]


_GLOT = {"mysql": "mysql", "mariadb": "mysql", "sqlite": "sqlite", "sqlserver": "tsql"}


MAX_OPERATORS = 2000
"""Operator and bracket characters past which a text is not parsed: libpg_query overflows the C
stack on expressions nested some 20,000 deep (a crash no `except` catches; the migration reader
parses such text in a child process, server/migrations/sql/pg_parse.py), and no query a person
writes comes near."""


def _too_complex(text: str) -> bool:
    return sum(text.count(c) for c in "()+-*/|&[]<>=") > MAX_OPERATORS


def _read(text: str, dialect: str) -> tuple[list[_Stmt], str | None]:
    if _too_complex(text):
        return [], f"the SQL is too complex to read (more than {MAX_OPERATORS} operators)"
    try:
        if dialect.lower() in {"postgresql", "postgres", "cockroachdb"}:
            return _pg_statements(text)
        return _glot_statements(text, _GLOT.get(dialect.lower(), dialect.lower()))
    except Exception as error:  # a reader never raises: a bug here is an unknown, not a crash
        return [], f"{type(error).__name__}: {error}"


def read_sql_queries(
    text: str, dialect: str, schema: Schema | None = None, *, file: str | None = None
) -> list[Query]:
    """The queries the SELECT, UPDATE and DELETE statements of `text` make, one per table read
    (the statement's own table first, then its joins). `dialect` is `postgresql`, `mysql` or
    `sqlite`; `schema` (optional) tells which table an unqualified column of a join belongs
    to; `file` (optional) is the file id for spans (PostgreSQL only: statement offsets)."""
    statements, problem = _read(text, dialect)
    if problem is not None:
        pieces = split_statements(text)
        if len(pieces) <= 1:
            return _unreadable(text, problem, file)
        queries: list[Query] = []
        for offset, piece in pieces:
            for query in read_sql_queries(piece, dialect, schema, file=file):
                queries.append(_shift(query, offset))
        return queries
    queries = []
    for stmt in statements:
        try:
            queries.extend(_queries(stmt, schema, file))
        except Exception as error:  # same: one statement's failure is its own unknown
            queries.extend(_unreadable(stmt.text or text, f"{type(error).__name__}", file))
    return queries

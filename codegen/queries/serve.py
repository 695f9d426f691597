"""Which index serves a query: the planner's rules that hold in PostgreSQL, MySQL and SQLite alike.

A query (`model.Query`, read from the code or a description) is joined to the indexes of its table
(the primary key and unique constraints count as indexes) without a database and without
statistics: the judgement is about *shape*, what an index *can* do for the query, never about
whether the database will find it cheaper than reading the table. The rules (docs/query-planner.md
has them with examples, and tests/verify/test_query_planner_explain.py checks them against
PostgreSQL's EXPLAIN):

- leftmost prefix: a B-tree narrows by its key columns in order, as long as each is compared;
- equality (`=`, `IN`, `IS NULL`) columns first; the first range (`<`, `BETWEEN`, a prefix match
  where one can be served) ends the usable prefix: later key columns filter, they do not narrow;
- the sort is served only when every key column before the sorted ones is fixed by a single-value
  equality and the directions all match the key's or are all reversed (NULLS FIRST/LAST too, on
  a nullable column);
- `contains` / `endsWith` (`LIKE '%x%'`, `'%x'`) are never served by a B-tree: a trigram GIN/GiST
  (`gin_trgm_ops`) serves them on PostgreSQL, nothing on MySQL (FULLTEXT serves whole words written
  as `MATCH ... AGAINST`) or SQLite;
- a prefix match (`LIKE 'x%'`, `startsWith`) is a range on MySQL's B-tree; on PostgreSQL only on a
  key column with `text_pattern_ops` / `varchar_pattern_ops` / `bpchar_pattern_ops` (or the "C"
  collation, which the schema model does not carry: such an index is judged as not serving it)
  or a trigram index; on SQLite never (its LIKE is case-insensitive, a plain index is not);
- a comparison of `lower(col)` / `upper(col)` is served only by that expression as a key; an
  ORM's case-insensitive filter (ILIKE on PostgreSQL) only by a trigram index there, by a plain
  index on MySQL (case-insensitive collations), by nothing on SQLite;
- `OR` is served only if each branch is (a bitmap OR of indexes on PostgreSQL, index merge on
  MySQL); the sort of an `OR` is never served;
- a partial index counts only when the query implies its predicate (`deleted_at IS NULL`,
  `col IS NOT NULL`, `col = 'v'`, a boolean column); anything else in a predicate is not proved;
- the ORM's own soft-delete `IS NULL` (TypeORM's `@DeleteDateColumn`, Sequelize's `paranoid`:
  `ColumnFilter.soft_delete`) implies such a predicate and may be narrowed, but need not be:
  nearly every row passes it, so it is checked on the rows the other filters' index finds (a
  query with no other filter is judged as one with no filter);
- full-text search is served by a GIN index on the same `to_tsvector(...)` expression
  (PostgreSQL) or a FULLTEXT index on exactly the `MATCH` columns (MySQL).

The verdicts:
- `served`: for every OR branch, one index narrows all the equality columns and (when there is a
  range) one range column, or fixes every column of a unique key; every pattern / full-text filter
  is narrowed by some index; and the sort, if any, is served (or at most one row is read).
- `partly`: not served, but every branch has an index that narrows some of its filters (e.g. the
  leading column only, or the filter but not the sort).
- `not_served`: some branch (or the whole `where`) has filters no index narrows.
- `no_filter`: the query has no `where`; an index that gives the sort counts (`served`) only when
  the query is limited (without a limit the database reads the whole table and sorts it).
- `unknown`: part of the query is unknown to the reader (`Query.unknown`) and what is known is
  not already served.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from schemasense.codegen.queries.model import ColumnFilter, Query, SortKey, _Model
from schemasense.codegen.schema import Index, IndexColumn, Table

if TYPE_CHECKING:
    from sqlglot import expressions as exp

Verdict = Literal["served", "partly", "not_served", "no_filter", "unknown"]


class IndexUse(_Model):
    """One index (or key) that serves a query."""

    index: str
    """The index or constraint name (the primary key's is `<table>_pkey` when unnamed)."""
    kind: Literal["primary_key", "unique", "index"]
    columns: list[str]
    """The key's columns in order; an expression as its text."""
    filter_columns: list[str]
    """The key columns the query's `where` narrows by: its leading columns for a B-tree."""
    serves_sort: bool


class SuggestedIndex(_Model):
    """The index that would serve a query no index serves (or only partly)."""

    table: str
    columns: list[IndexColumn]
    method: str | None = None
    """`gin` etc. when a B-tree cannot serve the query; `fulltext` for MySQL's FULLTEXT."""
    predicate: str | None = None
    """A partial index's predicate (soft delete: `"deleted_at" IS NULL`)."""
    ops: str | None = None
    """The operator class of the key (`gin_trgm_ops`); also set on the column it applies to."""
    reason: str = ""


class Judgement(_Model):
    verdict: Literal["served", "partly", "not_served", "no_filter", "unknown"]
    uses: list[IndexUse]
    """Every index that serves the query (narrows a filter, or gives the sort), best first."""
    reasons: list[str]
    """Why not, or what is not served, as sentences; also what is unknown."""
    suggestion: SuggestedIndex | None = None


# --- the table's keys, normalised ------------------------------------------------------------

_PATTERN_OPS = frozenset({"text_pattern_ops", "varchar_pattern_ops", "bpchar_pattern_ops"})
_TRGM_OPS = frozenset({"gin_trgm_ops", "gist_trgm_ops"})
_EQUALITY = frozenset({"equal", "is_null"})
_RANGE = frozenset({"range", "prefix"})
_PATTERN = frozenset({"contains", "suffix", "fulltext"})
_SOFT_DELETE = frozenset(
    {"deleted_at", "deletedat", "deleted_on", "deleted_date", "removed_at", "archived_at"}
)


@dataclass(frozen=True)
class _Part:
    text: str
    """The column name, or the expression as written."""
    column: str | None
    expression: str | None
    """The expression in comparison form (`expression_key`)."""
    descending: bool
    ops: str | None


@dataclass(frozen=True)
class _Key:
    name: str
    kind: Literal["primary_key", "unique", "index"]
    parts: tuple[_Part, ...]
    method: str
    predicate: str | None
    unique: bool


def expression_key(text: str) -> str:
    """An expression in a form two spellings of it compare equal in: lower case, no quotes, no
    casts (`::text`), no parentheses, no blanks. `lower((email)::text)` (as PostgreSQL prints an
    index) and `LOWER("email")` (as a query says it) are both `loweremail`. Lossy on purpose: it
    is only compared, never printed."""
    text = text.lower().replace('"', "").replace("`", "")
    text = re.sub(r"::\s*[a-z_][a-z0-9_ ]*(\(\s*\d+(\s*,\s*\d+)?\s*\))?(\[\])?", "", text)
    return re.sub(r"[\s()]", "", text)


def _part(column: IndexColumn) -> _Part:
    if column.column is not None:
        return _Part(column.column, column.column, None, column.sort == "desc", column.ops)
    text = column.expression or ""
    simple = re.fullmatch(r'\s*\(*\s*"?([A-Za-z_][A-Za-z0-9_$]*)"?\s*\)*\s*', text)
    if simple:  # an "expression" that is a bare (quoted) column
        name = simple.group(1)
        return _Part(name, name, None, column.sort == "desc", column.ops)
    return _Part(text, None, expression_key(text), column.sort == "desc", column.ops)


def table_keys(table: Table) -> list[tuple[_Key, Index | None]]:
    """The primary key, unique constraints and indexes of `table` as the planner sees them."""
    keys: list[tuple[_Key, Index | None]] = []
    if table.primary_key is not None and table.primary_key.columns:
        name = table.primary_key.name or f"{table.name}_pkey"
        parts = tuple(_part(c) for c in table.primary_key.columns)
        keys.append((_Key(name, "primary_key", parts, "btree", None, True), None))
    for unique in table.uniques:
        parts = tuple(_part(c) for c in unique.columns)
        keys.append((_Key(unique.name, "unique", parts, "btree", None, True), None))
    for index in table.indexes:
        parts = tuple(_part(c) for c in index.columns)
        kind: Literal["unique", "index"] = "unique" if index.unique else "index"
        method = index.method or "btree"
        keys.append((_Key(index.name, kind, parts, method, index.predicate, index.unique), index))
    return keys


# --- partial index predicates ----------------------------------------------------------------

_SQLGLOT_DIALECT = {"postgresql": "postgres", "mysql": "mysql", "sqlite": "sqlite"}


def _strip(node: exp.Expression) -> exp.Expression:
    from sqlglot import expressions as exp

    while isinstance(node, (exp.Paren, exp.Cast)):
        node = node.this
    return node


def _literal_text(text: str | None) -> str | None:
    """A compared value in comparison form: `'active'::text` and `'active'` alike; booleans
    and NULL lower case."""
    if text is None:
        return None
    text = re.sub(r"::\s*[a-z_][a-z0-9_ ]*$", "", text.strip(), flags=re.IGNORECASE).strip()
    while text.startswith("(") and text.endswith(")"):
        text = text[1:-1].strip()
    if text.startswith("'"):
        return text
    low = text.lower()
    return {"t": "true", "1": "true", "f": "false", "0": "false"}.get(low, low)


def _conjuncts(node: exp.Expression) -> list[exp.Expression]:
    from sqlglot import expressions as exp

    node = _strip(node)
    if isinstance(node, exp.And):
        return _conjuncts(node.this) + _conjuncts(node.expression)
    return [node]


def _implied(conjunct: exp.Expression, filters: list[ColumnFilter]) -> str | None:
    """The column a predicate conjunct is about when the branch's filters imply it, else None."""
    from sqlglot import expressions as exp

    node = _strip(conjunct)
    negated = False
    if isinstance(node, exp.Not):
        negated, node = True, _strip(node.this)
    if isinstance(node, exp.Is) and isinstance(_strip(node.expression), exp.Null):
        target = _strip(node.this)
        if not isinstance(target, exp.Column):
            return None
        column = target.name
        not_null = negated != bool(node.args.get("negate"))
        for f in filters:
            if f.column != column or f.expression is not None:
                continue
            if not not_null and f.kind == "is_null":
                return column
            if not_null and (
                f.kind in {"not_null", "in", "range", "prefix", "suffix", "contains"}
                or (f.kind == "equal" and _literal_text(f.value) != "null")
            ):
                return column
        return None
    if isinstance(node, exp.Column):  # a boolean column: `WHERE published` / `NOT published`
        wanted = "false" if negated else "true"
        for f in filters:
            if f.column == node.name and f.kind == "equal" and _literal_text(f.value) == wanted:
                return node.name
        return None
    if negated:
        return None
    if isinstance(node, exp.EQ):
        left, right = _strip(node.this), _strip(node.expression)
        if not isinstance(left, exp.Column):
            left, right = right, left
        if not isinstance(left, exp.Column) or isinstance(right, exp.Column):
            return None
        value = _literal_text(right.sql(dialect="postgres"))
        for f in filters:
            if (
                f.column == left.name
                and f.kind == "equal"
                and not f.insensitive
                and f.expression is None
                and _literal_text(f.value) == value
            ):
                return left.name
    return None


def predicate_columns(predicate: str, filters: list[ColumnFilter], dialect: str) -> set[str] | None:
    """The columns of a partial index's predicate when `filters` imply it; None when they do
    not (or the predicate cannot be read: not proved is not implied). sqlglot is imported
    here, not with the module: the rules import this module, and a PostgreSQL project's first
    diagnostics never read a predicate with it."""
    import sqlglot

    try:
        tree = sqlglot.parse_one(predicate, read=_SQLGLOT_DIALECT.get(dialect, "postgres"))
    except Exception:  # sqlglot raises several error types; an unreadable predicate is unproved
        return None
    columns: set[str] = set()
    for conjunct in _conjuncts(tree):
        column = _implied(conjunct, filters)
        if column is None:
            return None
        columns.add(column)
    return columns


# --- one index against one branch -------------------------------------------------------------


@dataclass
class _Fit:
    key: _Key
    narrowed_parts: list[str] = field(default_factory=list)
    narrowed: set[int] = field(default_factory=set)
    """Indexes (positions in the branch) of the filters the index narrows."""
    handled: set[int] = field(default_factory=set)
    """Filters the index makes true by its predicate (a partial index)."""
    constant_parts: set[int] = field(default_factory=set)
    stop: str | None = None
    """Why the key's walk stopped (for reasons)."""
    unique_hit: bool = False
    serves_sort: bool = False


def _category(f: ColumnFilter, dialect: str) -> str | None:
    """What kind of index can narrow a filter: `eq` and `range` a B-tree (as the key allows),
    `pattern` only a special one (trigram, full text), None none at all (`<>`, `IS NOT NULL`).

    A case-insensitive filter with no expression is what the ORMs send as ILIKE (Prisma's
    `mode: 'insensitive'`, TypeORM's `ILike`, Sequelize's `Op.iLike`): on PostgreSQL only a
    trigram index serves it (an index on lower(col) does not: ILIKE is not lower() =), on
    SQLite nothing; on MySQL the column's collation is case-insensitive already (the default
    `_ci` collations), so a plain index serves it."""
    if f.kind in {"contains", "suffix", "fulltext"}:
        return "pattern"
    if f.insensitive and f.expression is None and dialect != "mysql":
        return "pattern" if f.kind in {"equal", "prefix", "in"} else None
    if f.kind in _EQUALITY or f.kind == "in":
        return "eq"
    if f.kind in _RANGE:
        return "range"
    return None


def _matches(part: _Part, f: ColumnFilter, dialect: str) -> bool:
    """The filter compares what this key part holds (the column, or the same expression)."""
    if part.column is not None:
        plain = not f.insensitive or dialect == "mysql"
        return f.column == part.column and f.expression is None and plain
    if f.expression is not None:
        return expression_key(f.expression) == part.expression
    return False


def _btree_role(part: _Part, f: ColumnFilter, dialect: str) -> str | None:
    """How a B-tree key part can use a filter: `eq` (one value), `in`, `range`, or None."""
    if not _matches(part, f, dialect):
        return None
    pattern_ops = dialect == "postgresql" and part.ops in _PATTERN_OPS
    if f.kind in _EQUALITY:
        return "eq"
    if f.kind == "in":
        return "in"
    if f.kind == "range" and not pattern_ops:  # text_pattern_ops has ~<~, not <
        return "range"
    if f.kind == "prefix" and (dialect == "mysql" or pattern_ops):
        return "range"
    return None


def _fit_btree(key: _Key, filters: list[ColumnFilter], dialect: str, fit: _Fit) -> None:
    for position, part in enumerate(key.parts):
        roles = {
            i: role
            for i, f in enumerate(filters)
            if i not in fit.handled and (role := _btree_role(part, f, dialect))
        }
        if not roles:
            first = " (its first column)" if position == 0 else ""
            fit.stop = f"the key's column `{part.text}`{first} is not filtered by = or a range"
            break
        fit.narrowed_parts.append(part.text)
        fit.narrowed.update(roles)
        values = set(roles.values())
        if "eq" in values:
            fit.constant_parts.add(position)
            continue
        if "in" in values and "range" not in values:
            continue
        fit.stop = f"after the range on `{part.text}` no further key column narrows"
        break
    else:
        fit.stop = None
    covered = {p.text for i, p in enumerate(key.parts) if i in fit.constant_parts}
    if key.unique and len(covered) == len(key.parts) and not key.predicate:
        fit.unique_hit = True


def _fit_other(key: _Key, filters: list[ColumnFilter], dialect: str, fit: _Fit) -> None:
    """GIN / GiST / hash / FULLTEXT: no leftmost rule and no order."""
    for part in key.parts:
        for i, f in enumerate(filters):
            if i in fit.handled:
                continue
            ok = False
            if key.method == "hash":
                ok = _matches(part, f, dialect) and f.kind in {"equal", "in"}
                ok = ok and len(key.parts) == 1
            elif part.ops in _TRGM_OPS and dialect == "postgresql":
                same = part.column == f.column and f.expression is None
                ok = same and f.kind in {"contains", "suffix", "prefix", "equal"}
            elif key.method in {"gin", "gist"} and f.kind == "fulltext" and part.column:
                ok = part.column == f.column and f.expression is None  # a tsvector column
            elif key.method in {"gin", "gist"} and f.kind == "fulltext" and part.expression:
                if f.expression is not None:
                    ok = expression_key(f.expression) == part.expression
                else:
                    ok = f.column.lower() in part.expression
            if ok:
                fit.narrowed.add(i)
                if part.text not in fit.narrowed_parts:
                    fit.narrowed_parts.append(part.text)
    if key.method == "fulltext":
        columns = {p.column for p in key.parts}
        for i, f in enumerate(filters):
            wanted = set(f.expression_columns or [f.column])
            if f.kind == "fulltext" and wanted == columns and i not in fit.handled:
                fit.narrowed.add(i)
                fit.narrowed_parts = [p.text for p in key.parts]


def _nulls_first(descending: bool, dialect: str) -> bool:
    """Where a key or sort puts NULLs by default: PostgreSQL treats NULL as larger than every
    value, MySQL and SQLite as smaller."""
    return descending if dialect == "postgresql" else not descending


def _sort_served(
    fit: _Fit, order_by: list[SortKey], filters: list[ColumnFilter], table: Table, dialect: str
) -> bool:
    if fit.key.method != "btree":
        return False
    fixed = {
        f.column
        for f in filters
        if f.kind in _EQUALITY and f.expression is None and not f.insensitive
    }
    keys = [k for k in order_by if k.column not in fixed]
    if not keys:
        return True
    matched, direction = 0, None
    for position, part in enumerate(fit.key.parts):
        if matched == len(keys):
            break
        wanted = keys[matched]
        if part.column == wanted.column:
            if part.ops in _PATTERN_OPS:
                return False  # ordered by bytes, not by the column's collation
            column = table.column(wanted.column)
            nullable = column is None or column.nullable
            key_nulls = (
                wanted.nulls == "first"
                if wanted.nulls
                else _nulls_first(wanted.descending, dialect)
            )
            part_nulls = _nulls_first(part.descending, dialect)
            forward = wanted.descending == part.descending and (
                not nullable or key_nulls == part_nulls
            )
            backward = wanted.descending != part.descending and (
                not nullable or key_nulls != part_nulls
            )
            here = "forward" if forward else "backward" if backward else None
            if here is None or (direction is not None and here != direction):
                return False
            direction = here
            matched += 1
            continue
        if position in fit.constant_parts or part.column in fixed:
            continue
        return False
    return matched == len(keys)


def _fit(
    key: _Key,
    index: Index | None,
    filters: list[ColumnFilter],
    order_by: list[SortKey],
    table: Table,
    dialect: str,
) -> _Fit | None:
    """How `key` serves one branch; None when it cannot be used at all (a partial index whose
    predicate the branch does not imply)."""
    fit = _Fit(key)
    if key.predicate:
        columns = predicate_columns(key.predicate, filters, dialect)
        if columns is None:
            return None
        fit.handled = {
            i
            for i, f in enumerate(filters)
            if f.column in columns and f.kind in {"is_null", "not_null", "equal"}
        }
    if key.method == "btree":
        _fit_btree(key, filters, dialect, fit)
        if order_by:
            fit.serves_sort = fit.unique_hit or _sort_served(fit, order_by, filters, table, dialect)
    else:
        _fit_other(key, filters, dialect, fit)
    return fit


# --- a branch, then the query ------------------------------------------------------------------


def _target(f: ColumnFilter) -> str:
    return f.expression or f.column


def _describe(f: ColumnFilter) -> str:
    what = {
        "equal": "=",
        "in": "IN",
        "range": "a range",
        "prefix": "a prefix match",
        "suffix": "a suffix match",
        "contains": "a substring match",
        "is_null": "IS NULL",
        "fulltext": "a full-text search",
    }.get(f.kind, f.kind)
    how = ", case-insensitive" if f.insensitive else ""
    return f"the filter on `{f.expression or f.column}` ({what}{how})"


def _insensitive_reason(f: ColumnFilter, dialect: str) -> str:
    if dialect == "postgresql":
        return (
            f"{_describe(f)}: PostgreSQL compares it with ILIKE, which no B-tree serves (nor an "
            f"index on lower({f.column})); a trigram GIN index (USING gin ({f.column} "
            f"gin_trgm_ops), extension pg_trgm) does, or compare lower({f.column}) and index that."
        )
    return (
        f"{_describe(f)}: SQLite compares it with LIKE, which a plain index does not serve; "
        f"compare lower({f.column}) and index that expression."
    )


def _pattern_reason(f: ColumnFilter, dialect: str) -> str:
    if f.kind == "fulltext":
        if dialect == "postgresql":
            return f"{_describe(f)}: served only by a GIN index on the same to_tsvector expression."
        if dialect == "mysql":
            return f"{_describe(f)}: served only by a FULLTEXT index on exactly the MATCH columns."
        return f"{_describe(f)}: SQLite has no full-text index (an FTS5 virtual table would)."
    if dialect == "postgresql":
        if f.kind == "prefix" and not f.insensitive:
            return (
                f"{_describe(f)}: a B-tree serves LIKE 'x%' on PostgreSQL only with "
                "text_pattern_ops (or the C collation); a trigram GIN index (gin_trgm_ops) "
                "also does."
            )
        return (
            f"{_describe(f)}: a B-tree cannot serve it; a trigram GIN index "
            f"(USING gin ({f.column} gin_trgm_ops), extension pg_trgm) would."
        )
    if dialect == "mysql":
        return (
            f"{_describe(f)}: no index serves it on MySQL; a FULLTEXT index serves whole-word "
            "searches written as MATCH ... AGAINST."
        )
    if f.kind == "prefix":
        return (
            f"{_describe(f)}: SQLite's LIKE is case-insensitive, so a plain index does not serve "
            "it (an index with COLLATE NOCASE, or GLOB, would)."
        )
    return f"{_describe(f)}: no index serves it on SQLite (an FTS5 virtual table would)."


@dataclass
class _Branch:
    verdict: Verdict
    fits: list[_Fit]
    reasons: list[str]
    suggestion: SuggestedIndex | None


def _rank(fit: _Fit, full: bool) -> tuple:
    kind_rank = {"primary_key": 0, "unique": 1, "index": 2}[fit.key.kind]
    return (
        not fit.unique_hit,
        not full,
        -len(fit.narrowed),
        not fit.serves_sort,
        kind_rank,
        len(fit.key.parts),
    )


def _full(fit: _Fit, filters: list[ColumnFilter], indexable: list[int], dialect: str) -> bool:
    """The index narrows every equality filter and one range filter (if any) of the branch."""
    if fit.unique_hit:
        return True
    needed = [i for i in indexable if i not in fit.handled]
    equal = [i for i in needed if _category(filters[i], dialect) == "eq"]
    ranges = [i for i in needed if _category(filters[i], dialect) == "range"]
    if not set(equal) <= fit.narrowed:
        return False
    return not ranges or bool(set(ranges) & fit.narrowed)


def _judge_branch(
    filters: list[ColumnFilter],
    query: Query,
    keys: list[tuple[_Key, Index | None]],
    table: Table,
    dialect: str,
    sort_possible: bool,
) -> _Branch:
    order_by = query.order_by if sort_possible else []
    fits = [
        fit
        for key, index in keys
        if (fit := _fit(key, index, filters, order_by, table, dialect)) is not None
    ]
    # the ORM's soft-delete `IS NULL` may make a partial index apply and may be narrowed, but
    # is not required (model.ColumnFilter.soft_delete): `indexable` is what must be narrowed
    soft = {i for i, f in enumerate(filters) if f.soft_delete}
    every = [i for i, f in enumerate(filters) if _category(f, dialect) is not None]
    indexable = [i for i in every if i not in soft]
    limited = query.limited or query.limit is not None or query.operation in {"find_first"}
    if not indexable:
        sorted_by = [f for f in fits if f.serves_sort and query.order_by]
        required = [f for f in filters if not f.soft_delete]
        if required:
            text = ", ".join(_describe(f) for f in required)
            reasons = [f"no filter an index can narrow ({text})."]
            if sorted_by and limited:
                return _Branch("partly", sorted_by, reasons, None)
            return _Branch("not_served", [], reasons, None)
        if sorted_by and limited:
            return _Branch("served", sorted_by, [], None)
        return _Branch("no_filter", [], [], None)

    full = {id(f): _full(f, filters, indexable, dialect) for f in fits}
    # a partial index whose key narrows nothing would be read whole (every row its predicate
    # keeps): it serves only by giving the order under a limit
    used = [f for f in fits if f.narrowed - soft or (f.handled and f.serves_sort and limited)]
    if limited and not any(f.narrowed - soft for f in fits):
        # no index narrows the filter: one that gives the order serves a limited query partly,
        # the filter checked on each row read in that order until the limit is reached (with
        # an index that narrows, the database weighs the two by cost: only the narrowing
        # counts)
        used += [f for f in fits if f not in used and f.serves_sort and f.key.predicate is None]
    used.sort(key=lambda f: _rank(f, full[id(f)]))
    narrowed_anywhere = set().union(*(f.narrowed | f.handled for f in used)) if used else set()
    best_full = [f for f in used if full[id(f)]]
    patterns = [i for i in indexable if _category(filters[i], dialect) == "pattern"]
    reasons: list[str] = []
    for i in indexable:
        f = filters[i]
        if i in narrowed_anywhere:
            continue
        if f.insensitive and f.expression is None and dialect != "mysql":
            reasons.append(_insensitive_reason(f, dialect))
        elif f.kind in _PATTERN or (f.kind == "prefix" and dialect != "mysql"):
            reasons.append(_pattern_reason(f, dialect))
        else:
            reasons.append(f"{_describe(f)}: no index leads with `{_target(f)}`.")
    served = bool(best_full) and all(i in narrowed_anywhere for i in patterns)
    if not best_full and used:
        best = used[0]
        missing = [
            filters[i] for i in indexable if i not in best.narrowed and i not in best.handled
        ]
        missing_names = ", ".join(_describe(f) for f in missing if f.kind not in _PATTERN)
        if missing_names and not best.narrowed_parts:
            reasons.append(
                f"index `{best.key.name}` gives the order only; each row read in that order is "
                f"checked ({missing_names} not narrowed)."
            )
        elif missing_names and best.stop:
            reasons.append(
                f"index `{best.key.name}` narrows by {', '.join(best.narrowed_parts)} only: "
                f"{best.stop} ({missing_names} not narrowed)."
            )
        elif missing_names:
            reasons.append(
                f"index `{best.key.name}` narrows by {', '.join(best.narrowed_parts)} only "
                f"({missing_names} not narrowed)."
            )
    sort_ok = True
    if query.order_by and not any(f.unique_hit for f in used):
        sorters = best_full or used
        sort_ok = sort_possible and any(f.serves_sort for f in sorters)
        if not sort_ok:
            sort_text = ", ".join(
                f"{k.column}{' DESC' if k.descending else ''}" for k in query.order_by
            )
            why = (
                "an OR is read by several index scans, whose rows are not in order"
                if not sort_possible
                else "no index used for the filter has these columns right after its "
                "equality columns, in these directions"
            )
            reasons.append(f"the sort ({sort_text}) is not served: {why}.")
    if served and sort_ok:
        verdict: Verdict = "served"
    elif used:
        verdict = "partly"
    else:
        verdict = "not_served"
    suggestion = None
    if verdict != "served":
        suggestion = _suggest(filters, every, query, table, dialect, sort_possible, keys)
    return _Branch(verdict, used, reasons, suggestion)


def covered(
    columns: list[IndexColumn],
    predicate: str | None,
    keys: list[tuple[_Key, Index | None]],
    fixed: int = 0,
) -> str | None:
    """The name of an existing B-tree key that leads with `columns` (same expressions, operator
    classes where one is asked for; either direction) and has no predicate, or the same one;
    None when there is none. An index on (a, b) covers one on (a). The direction of the first
    `fixed` columns (compared by equality) does not matter."""
    wanted = [_part(c) for c in columns]
    for key, _index in keys:
        if key.method != "btree" or len(key.parts) < len(wanted):
            continue
        if key.predicate and (
            predicate is None or expression_key(key.predicate) != expression_key(predicate)
        ):
            continue
        same = all(
            (w.column == k.column if w.column else w.expression == k.expression)
            and (w.ops is None or w.ops == k.ops)
            for w, k in zip(wanted, key.parts, strict=False)
        )
        pairs = list(zip(wanted, key.parts, strict=False))[fixed:]
        directions = {w.descending == k.descending for w, k in pairs}
        if same and len(directions) <= 1:
            return key.name
    return None


def _soft_delete(f: ColumnFilter) -> bool:
    """The ORM's soft-delete filter, or an `IS NULL` on a column named like one."""
    return f.soft_delete or (
        f.kind == "is_null" and f.expression is None and f.column.lower() in _SOFT_DELETE
    )


def _quote(name: str, dialect: str) -> str:
    return f"`{name}`" if dialect == "mysql" else f'"{name}"'


def _suggest(
    filters: list[ColumnFilter],
    indexable: list[int],
    query: Query,
    table: Table,
    dialect: str,
    sort_possible: bool,
    keys: list[tuple[_Key, Index | None]],
) -> SuggestedIndex | None:
    """The index the branch needs: equality columns, then one range column, then the sort when
    it can still be served (no range, or the range is on the first sort column); a soft-delete
    `IS NULL` becomes the predicate of a partial index where the dialect has them."""
    wanted = [filters[i] for i in indexable]
    predicate = None
    if dialect != "mysql" and len(wanted) > 1:
        soft = [f for f in wanted if _soft_delete(f)]
        if soft:
            predicate = f"{_quote(soft[0].column, dialect)} IS NULL"
            wanted = [f for f in wanted if f is not soft[0]]
    columns: list[IndexColumn] = []
    seen: set[str] = set()

    def add(f: ColumnFilter | None, column: str, sort: str | None = None, ops=None) -> None:
        if f is not None and f.expression:
            expression = f.expression
            text = expression_key(expression)
            if text not in seen:
                seen.add(text)
                columns.append(IndexColumn(expression=expression, ops=ops))
            return
        if column not in seen:
            seen.add(column)
            columns.append(IndexColumn(column=column, sort=sort, ops=ops))  # type: ignore[arg-type]

    equal = [f for f in wanted if _category(f, dialect) == "eq"]
    ranges = [f for f in wanted if _category(f, dialect) == "range"]
    patterns = [f for f in wanted if _category(f, dialect) == "pattern"]
    if dialect == "sqlite":
        ranges = [f for f in ranges if f.kind != "prefix"]
    if not equal and not ranges and patterns:
        return _pattern_index(patterns[0], table, dialect, predicate)
    if not equal and not ranges:
        return None
    for f in equal:
        add(f, f.column)
    sort = [k for k in query.order_by if k.column not in {f.column for f in equal}]
    range_filter = None
    if ranges:
        first_sort = sort[0].column if sort else None
        range_filter = next((f for f in ranges if f.column == first_sort), ranges[0])
        ops = None
        if range_filter.kind == "prefix" and dialect == "postgresql":
            column = table.column(range_filter.column)
            native = (column.type.native or "").lower() if column else ""
            ops = (
                "bpchar_pattern_ops"
                if native.startswith(("char", "bpchar"))
                else ("text_pattern_ops")
            )
        add(range_filter, range_filter.column, ops=ops)
    serves_sort = range_filter is None or bool(sort and sort[0].column == range_filter.column)
    if sort_possible and sort and serves_sort:
        for k in sort:
            add(None, k.column, "desc" if k.descending else None)
    reason = "equality columns first, then the range, then the sort"
    fixed = len([f for f in equal if f.kind in _EQUALITY])
    trade = sort_possible and bool(sort) and range_filter is not None
    if trade and covered(columns, predicate, keys, fixed):
        # the filter's index exists: the one that reads in the sort's order instead (equality,
        # then the sort; the range filtered while reading) is the other way to serve it
        columns = columns[: len(equal)]
        for k in sort:
            add(None, k.column, "desc" if k.descending else None)
        reason = "equality columns, then the sort (the range is filtered while reading in order)"
    if covered(columns, predicate, keys, fixed):
        return None
    reason += f": ({', '.join(c.column or c.expression or '' for c in columns)})"
    if predicate:
        reason += f", only over rows where {predicate}"
    return SuggestedIndex(table=table.name, columns=columns, predicate=predicate, reason=reason)


def _pattern_index(
    f: ColumnFilter, table: Table, dialect: str, predicate: str | None
) -> SuggestedIndex | None:
    if f.kind == "fulltext":
        if dialect == "postgresql":
            expression = f.expression or f"to_tsvector('simple', {_quote(f.column, dialect)})"
            return SuggestedIndex(
                table=table.name,
                columns=[IndexColumn(expression=expression)],
                method="gin",
                predicate=predicate,
                reason="full-text search is served by a GIN index on the same to_tsvector "
                "expression",
            )
        if dialect == "mysql":
            cols = f.expression_columns or [f.column]
            return SuggestedIndex(
                table=table.name,
                columns=[IndexColumn(column=c) for c in cols],
                method="fulltext",
                reason="MATCH ... AGAINST is served by a FULLTEXT index on exactly its columns",
            )
        return None
    if dialect == "postgresql":
        return SuggestedIndex(
            table=table.name,
            columns=[IndexColumn(column=f.column, ops="gin_trgm_ops")],
            method="gin",
            ops="gin_trgm_ops",
            predicate=predicate,
            reason="a trigram GIN index serves LIKE/ILIKE with any pattern (extension pg_trgm)",
        )
    return None


_DIALECTS = {
    "postgres": "postgresql",
    "cockroachdb": "postgresql",
    "mariadb": "mysql",
    "sqlite3": "sqlite",
}


def rules_dialect(dialect: str) -> str:
    """The dialect whose rules apply: `postgresql`, `mysql` or `sqlite` (Prisma's
    `cockroachdb` reads as PostgreSQL, `mariadb` as MySQL). Any other name gets MySQL's rules
    for NULL order and prefix matches (SQL Server's too) and no dialect-specific index."""
    low = dialect.lower()
    return _DIALECTS.get(low, low)


def judge(query: Query, table: Table, dialect: str) -> Judgement:
    """Which indexes of `table` serve `query`, by the rules in this module's docstring."""
    dialect = rules_dialect(dialect)
    keys = table_keys(table)
    branches = [b.filters for b in query.where if b.filters]
    cursor = [
        ColumnFilter(column=c, kind="range") for c in query.cursor if c
    ]  # a cursor is a range on its columns
    if cursor:
        branches = [list(b) + cursor for b in branches] or [cursor]
    sort_possible = len(branches) <= 1
    results = [
        _judge_branch(list(b), query, keys, table, dialect, sort_possible) for b in branches
    ] or [_judge_branch([], query, keys, table, dialect, True)]
    verdicts = [r.verdict for r in results]
    if len(results) == 1:
        verdict = verdicts[0]
    elif "not_served" in verdicts:
        verdict = "not_served"
    elif all(v == "served" for v in verdicts):
        verdict = "served"
    else:
        verdict = "partly"
    reasons: list[str] = []
    for number, r in enumerate(results, 1):
        prefix = f"OR branch {number}: " if len(results) > 1 else ""
        reasons.extend(prefix + text for text in r.reasons)
    if len(results) > 1 and verdict == "not_served":
        reasons.append("an OR is served only when each of its branches is.")
    uses: list[IndexUse] = []
    seen: set[str] = set()
    for r in results:
        for fit in r.fits:
            if fit.key.name in seen:
                continue
            seen.add(fit.key.name)
            uses.append(
                IndexUse(
                    index=fit.key.name,
                    kind=fit.key.kind,
                    columns=[p.text for p in fit.key.parts],
                    filter_columns=fit.narrowed_parts,
                    serves_sort=fit.serves_sort,
                )
            )
    if verdict == "not_served":
        uses = []
    if query.offset_given and query.order_by and not any(u.serves_sort for u in uses):
        skipped = f"{query.offset} rows" if query.offset is not None else "rows"
        reasons.append(
            f"the offset: every call reads and sorts the skipped {skipped} before its page, so "
            "a deep page costs what reading up to it costs (an index that gives the sort, or a "
            "cursor on the sort columns, keeps pages cheap)."
        )
    suggestion = next((r.suggestion for r in results if r.suggestion is not None), None)
    if query.unknown:
        reasons.extend(f"unknown: {text}" for text in query.unknown)
        if verdict != "served":
            verdict, suggestion = "unknown", None
    return Judgement(verdict=verdict, uses=uses, reasons=reasons, suggestion=suggestion)

"""`AND` / `OR` / `NOT` of column filters in disjunctive normal form, bounded.

A `where` is kept as a list of branches joined by OR, each a list of filters joined by AND
(`codegen/queries/model.py`). Every ORM's reader builds it with these few operations, so the
bound and the negation rules are the same for all of them. `TRUE` (one empty branch) is "no
condition"; a product that would pass `MAX_BRANCHES` raises `TooManyBranches`, which a reader
turns into an `unknown` reason rather than a guess.
"""

from __future__ import annotations

from collections.abc import Iterable

from schemasense.codegen.queries.model import ColumnFilter, FilterKind

Dnf = list[list[ColumnFilter]]

MAX_BRANCHES = 64
"""More OR branches than this are not expanded (`(a OR b) AND (c OR d) AND ...` grows as a
product): the reader says it gave up."""

TRUE: Dnf = [[]]


class TooManyBranches(Exception):
    """The expansion passed `MAX_BRANCHES`."""


def and_(*parts: Dnf) -> Dnf:
    """The conjunction of `parts`: every choice of one branch from each, joined."""
    result: Dnf = [[]]
    for part in parts:
        if not part:  # FALSE: Prisma's `OR: []`; kept as no condition
            continue
        if len(result) * len(part) > MAX_BRANCHES:
            raise TooManyBranches
        result = [[*a, *b] for a in result for b in part]
    return result


def or_(parts: Iterable[Dnf]) -> Dnf:
    result: Dnf = []
    for part in parts:
        if part == TRUE or [] in part:
            return [[]]  # `x OR true` is true: no filter an index could use
        result.extend(part)
        if len(result) > MAX_BRANCHES:
            raise TooManyBranches
    return result or [[]]


_NEGATED: dict[FilterKind, FilterKind] = {
    "equal": "not_equal",
    "not_equal": "equal",
    "in": "not_equal",  # NOT IN
    "is_null": "not_null",
    "not_null": "is_null",
    "range": "range",  # NOT (x > 1) is x <= 1
}


def negate_filter(f: ColumnFilter) -> ColumnFilter:
    """`NOT f` as one filter: a pattern or full-text search negated is `other` (no index
    serves `NOT LIKE`)."""
    kind = _NEGATED.get(f.kind, "other")
    value = f.value if kind in ("equal", "not_equal") and f.kind != "in" else None
    return f.model_copy(update={"kind": kind, "value": value})


def not_(part: Dnf) -> Dnf:
    """`NOT (b1 OR b2 ...)` = `NOT b1 AND NOT b2 ...`, each `NOT b` an OR of negated
    filters (De Morgan)."""
    negated = [[[negate_filter(f)] for f in branch] for branch in part if branch]
    if not negated:
        return [[]]
    return and_(*negated)

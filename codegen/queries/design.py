"""Index design for a set of queries (issue 15, item 3): the indexes a feature needs, each with
its purpose, and the ones it has that another already covers.

The design follows the planner (`serve.py`), so what it adds is exactly what the planner would
then judge as serving the query:
- each query not already served gets the planner's suggestion: equality columns first, then the
  range column, then the sort (when a range does not stand between them: the sort is then not
  served by any order of the columns, see `serve._suggest`); a soft-deleted filter (`deleted_at
  IS NULL`) becomes the predicate of a partial index (PostgreSQL, SQLite; MySQL has none);
- queries are merged where the leftmost-prefix rule allows: the longest needs are placed first,
  equality columns ordered so that the columns most queries fix come first, and an index whose
  key a later one extends is replaced by it; a need an index (existing or designed) already leads
  with adds no index, only the query to that index's purposes;
- full-text search gets a GIN index on the query's `to_tsvector(...)` expression (PostgreSQL) or
  a FULLTEXT index on the MATCH columns (MySQL); on SQLite a note (FTS5 is a virtual table, not
  an index); a substring search gets a trigram GIN index on PostgreSQL, a note elsewhere;
- every foreign key that no key (primary key, unique constraint, index, designed index) leads
  with gets an index, its purpose "foreign key X" (deletes in the parent table, and joins);
- an existing index whose key is the leading part of another key (same columns, expressions,
  operator classes, directions or all reversed, no predicate or the same one) is redundant;
  unique indexes are kept (they enforce a rule), unless another unique key has the same columns.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from schemasense.codegen.queries.model import Query, _Model
from schemasense.codegen.queries.serve import (
    SuggestedIndex,
    _Key,
    covered,
    expression_key,
    judge,
    rules_dialect,
    table_keys,
)
from schemasense.codegen.schema import Index, IndexColumn, Schema, Table

NameIndex = Callable[[str, list[str]], str]

MAX_NAME = 63
"""PostgreSQL's identifier length (MySQL's is 64): longer names are cut, keeping them unique."""


class DesignedIndex(_Model):
    table: str
    index: Index
    purpose: str
    """Why it exists: the queries it serves, or `foreign key X`."""
    queries: list[str]
    """The labels of the queries it serves."""


class RedundantIndex(_Model):
    table: str
    index: str
    covered_by: str
    reason: str


class IndexDesign(_Model):
    indexes: list[DesignedIndex]
    redundant: list[RedundantIndex]
    notes: list[str]


def default_index_name(table: str, columns: list[str]) -> str:
    """Prisma's default: `<table>_<col1>_<col2>_idx`."""
    return f"{table}_{'_'.join(columns)}_idx"


def _name_part(column: IndexColumn) -> str:
    if column.column:
        return column.column
    words = re.findall(r"[A-Za-z_][A-Za-z0-9_]*", column.expression or "")
    skip = {"lower", "upper", "to_tsvector", "english", "simple", "coalesce", "text"}
    return "_".join(w for w in words if w.lower() not in skip) or "expr"


class _Work:
    """The tables as the design goes: existing keys plus the indexes designed so far."""

    def __init__(self, schema: Schema, dialect: str, name_index: NameIndex | None) -> None:
        self.schema = schema
        self.dialect = dialect
        self.name_index = name_index or default_index_name
        self.tables: dict[str, Table] = {}
        self.designed: dict[str, list[DesignedIndex]] = {}
        self.names: set[str] = {
            n
            for t in schema.tables
            for n in [i.name for i in t.indexes] + [u.name for u in t.uniques]
        }

    def table(self, name: str) -> Table | None:
        if name not in self.tables:
            found = self.schema.table(name)
            if found is None:
                return None
            self.tables[name] = found
        return self.tables[name]

    def name(self, table: str, columns: list[IndexColumn]) -> str:
        base = self.name_index(table, [_name_part(c) for c in columns])
        name, n = base[:MAX_NAME], 1
        while name in self.names:
            n += 1
            suffix = f"_{n}"
            name = base[: MAX_NAME - len(suffix)] + suffix
        self.names.add(name)
        return name

    def add(self, table: str, index: Index, purpose: str, labels: list[str]) -> DesignedIndex:
        current = self.tables[table]
        self.tables[table] = current.model_copy(update={"indexes": [*current.indexes, index]})
        designed = DesignedIndex(table=table, index=index, purpose=purpose, queries=labels)
        self.designed.setdefault(table, []).append(designed)
        return designed

    def replace(self, table: str, old: DesignedIndex, index: Index, label: str) -> None:
        current = self.tables[table]
        indexes = [index if i.name == old.index.name else i for i in current.indexes]
        self.tables[table] = current.model_copy(update={"indexes": indexes})
        labels = [*old.queries, label]
        new = DesignedIndex(table=table, index=index, purpose=_purpose(labels), queries=labels)
        self.designed[table] = [new if d is old else d for d in self.designed[table]]

    def serve(self, table: str, index_name: str, label: str) -> None:
        for i, d in enumerate(self.designed.get(table, [])):
            if d.index.name == index_name and label not in d.queries:
                labels = [*d.queries, label]
                self.designed[table][i] = d.model_copy(
                    update={"queries": labels, "purpose": _purpose(labels)}
                )


def _purpose(labels: list[str]) -> str:
    if len(labels) == 1:
        return f"serves {labels[0]}"
    return f"serves {len(labels)} queries: " + "; ".join(labels)


def _label(query: Query, number: int) -> str:
    return query.label or f"query {number} on {query.table}"


def _equality_columns(query: Query) -> set[str]:
    return {
        f.column
        for b in query.where
        for f in b.filters
        if f.kind in {"equal", "in", "is_null"} and not f.insensitive and f.expression is None
    }


def _reorder(suggestion: SuggestedIndex, query: Query, frequency: dict[str, int]) -> SuggestedIndex:
    """Equality columns are interchangeable at the head of a key: put first the ones most of the
    queries fix, so shorter needs are served by the leading part of this index."""
    if suggestion.method is not None:
        return suggestion
    equal = _equality_columns(query)
    head = 0
    while (
        head < len(suggestion.columns)
        and suggestion.columns[head].column in equal
        and suggestion.columns[head].sort is None
    ):
        head += 1
    ordered = sorted(
        enumerate(suggestion.columns[:head]),
        key=lambda item: (-frequency.get(item[1].column or "", 0), item[0]),
    )
    columns = [c for _, c in ordered] + list(suggestion.columns[head:])
    return suggestion.model_copy(update={"columns": columns})


def _extends(designed: DesignedIndex, suggestion: SuggestedIndex) -> bool:
    """`suggestion` starts with all of `designed`'s key (so it serves what that one served)."""
    old = designed.index
    if old.method is not None or suggestion.method is not None:
        return False
    if (old.predicate or None) != (suggestion.predicate or None):
        return False
    if len(old.columns) >= len(suggestion.columns):
        return False
    return all(a == b for a, b in zip(old.columns, suggestion.columns, strict=False))


def _same_special(designed: DesignedIndex, suggestion: SuggestedIndex) -> bool:
    old = designed.index
    if old.method != suggestion.method or suggestion.method is None:
        return False
    a = [(c.column, expression_key(c.expression or ""), c.ops) for c in old.columns]
    b = [(c.column, expression_key(c.expression or ""), c.ops) for c in suggestion.columns]
    return a == b


def _design_query(
    work: _Work, query: Query, label: str, notes: list[str], frequency: dict[str, int]
) -> None:
    table = work.table(query.table)
    if table is None:
        notes.append(f"{label}: table `{query.table}` is not in the schema; no index designed.")
        return
    judgement = judge(query, table, work.dialect)
    if judgement.verdict == "served":
        for use in judgement.uses[:1]:
            work.serve(query.table, use.index, label)
        return
    if judgement.verdict in {"no_filter", "unknown"}:
        if judgement.verdict == "unknown":
            notes.append(f"{label}: not designed for ({'; '.join(query.unknown)}).")
        return
    suggestion = judgement.suggestion
    if suggestion is None:
        why = " ".join(judgement.reasons) or "no index would serve it"
        notes.append(f"{label}: no index added: {why}")
        return
    suggestion = _reorder(suggestion, query, frequency)
    fixed = len(_equality_columns(query))
    if suggestion.method is None:
        keys = table_keys(work.tables[query.table])
        name = covered(list(suggestion.columns), suggestion.predicate, keys, fixed)
        if name is not None:
            work.serve(query.table, name, label)
            return
    for designed in work.designed.get(query.table, []):
        if _extends(designed, suggestion):
            index = designed.index.model_copy(update={"columns": list(suggestion.columns)})
            work.replace(query.table, designed, index, label)
            return
        if _same_special(designed, suggestion):
            work.serve(query.table, designed.index.name, label)
            return
    index = Index(
        name=work.name(query.table, list(suggestion.columns)),
        columns=list(suggestion.columns),
        method=suggestion.method,  # type: ignore[arg-type]
        predicate=suggestion.predicate,
    )
    work.add(query.table, index, _purpose([label]), [label])
    if suggestion.method == "gin" and suggestion.ops == "gin_trgm_ops":
        notes.append(f"{index.name} needs the pg_trgm extension (CREATE EXTENSION pg_trgm).")
    after = judge(query, work.tables[query.table], work.dialect)
    if after.verdict != "served":
        rest = " ".join(after.reasons)
        notes.append(f"{label}: {index.name} serves it partly: {rest}")


def _foreign_keys(work: _Work, scope: set[str], only: set[tuple[str, str]] | None) -> None:
    every = {t for t, k in only if k == "*"} if only is not None else set()
    for name in sorted(scope):
        table = work.table(name)
        if table is None:
            continue
        for fk in table.foreign_keys:
            if only is not None and name not in every and (name, fk.name) not in only:
                continue
            columns = [IndexColumn(column=c) for c in fk.columns]
            keys = table_keys(work.tables[name])
            if _leads_with(keys, fk.columns):
                continue
            index = Index(name=work.name(name, columns), columns=columns)
            work.add(name, index, f"foreign key {fk.name}", [])


def _leads_with(keys: list[tuple[_Key, Index | None]], columns: list[str]) -> bool:
    """Some B-tree key (no predicate) has these columns, in any order, as its leading part."""
    wanted = set(columns)
    for key, _index in keys:
        if key.method != "btree" or key.predicate or len(key.parts) < len(columns):
            continue
        if {p.column for p in key.parts[: len(columns)]} == wanted:
            return True
    return False


def _redundant(table: Table) -> list[RedundantIndex]:
    keys = table_keys(table)
    out: list[RedundantIndex] = []
    dropped: set[str] = set()
    for position, (key, index) in enumerate(keys):
        if index is None or key.method != "btree":
            continue  # constraints enforce a rule; other methods are judged by hand
        for other_position, (other, other_index) in enumerate(keys):
            if other_position == position or other.name in dropped:
                continue
            exact = len(other.parts) == len(key.parts)
            if key.unique and not (other.unique and exact):
                continue
            plain_twins = exact and other_index is not None and other.unique == key.unique
            if plain_twins and other_position > position:
                continue  # two identical indexes: the later one is the redundant one
            if (key.predicate or None) != (other.predicate or None):
                continue
            if covered(list(index.columns), key.predicate, [(other, other_index)]) is None:
                continue
            what = "the same key as" if exact else "a leading part of"
            out.append(
                RedundantIndex(
                    table=table.name,
                    index=key.name,
                    covered_by=other.name,
                    reason=f"`{key.name}` ({', '.join(p.text for p in key.parts)}) is {what} "
                    f"`{other.name}` ({', '.join(p.text for p in other.parts)}), which serves "
                    "every query it serves.",
                )
            )
            dropped.add(key.name)
            break
    return out


def design_indexes(
    schema: Schema,
    queries: list[Query],
    dialect: str,
    tables: set[str] | None = None,
    name_index: NameIndex | None = None,
    foreign_keys: set[tuple[str, str]] | None = None,
) -> IndexDesign:
    """The indexes `queries` and the foreign keys need, beyond what `schema` has; and the
    redundant ones. `tables` limits foreign-key indexes and redundancy to the feature's tables
    (queries on other tables are still designed for); `name_index(table, columns)` names an
    index as the project's ORM would (default: Prisma's `<table>_<cols>_idx`); `foreign_keys`,
    when given, limits the foreign-key indexes to those `(table, key name)` pairs (`(table,
    "*")`: all of a table's), so a table a feature changes gets an index for the key it gains,
    not for the keys it had."""
    dialect = rules_dialect(dialect)
    work = _Work(schema, dialect, name_index)
    notes: list[str] = []
    labelled = [(q, _label(q, n)) for n, q in enumerate(queries, 1)]
    frequency: dict[str, int] = {}
    needs: list[tuple[int, Query, str]] = []
    for query, label in labelled:
        for column in _equality_columns(query):
            frequency[f"{query.table}.{column}"] = frequency.get(f"{query.table}.{column}", 0) + 1
        table = work.table(query.table)
        suggestion = judge(query, table, dialect).suggestion if table else None
        needs.append((len(suggestion.columns) if suggestion else 0, query, label))
    needs.sort(key=lambda item: -item[0])  # the longest needs first: shorter ones merge into them
    for _length, query, label in needs:
        per_table = {
            k.split(".", 1)[1]: v for k, v in frequency.items() if k.startswith(f"{query.table}.")
        }
        _design_query(work, query, label, notes, per_table)
    if dialect == "sqlite" and any(
        f.kind == "fulltext" for q in queries for b in q.where for f in b.filters
    ):
        notes.append(
            "SQLite has no full-text index: an FTS5 virtual table serves full-text search."
        )
    scope = tables if tables is not None else {t.name for t in schema.tables}
    _foreign_keys(work, scope, foreign_keys)
    redundant = [r for name in sorted(scope) if (t := schema.table(name)) for r in _redundant(t)]
    designed = [d for name in work.designed for d in work.designed[name]]
    return IndexDesign(indexes=designed, redundant=redundant, notes=notes)

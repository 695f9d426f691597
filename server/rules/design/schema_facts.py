"""Facts about a schema that several design rules share: a table's keys and indexes as one
list, what an index can serve, name words.

Plain functions over `codegen.schema` objects; no rule logic here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from schemasense.codegen.schema import Index, IndexColumn, PrimaryKey, Span, Table, UniqueConstraint

KeyKind = Literal["primary key", "unique", "index"]


@dataclass(frozen=True, slots=True)
class Key:
    """A primary key, unique constraint or index, reduced to what coverage depends on."""

    kind: KeyKind
    name: str | None
    parts: tuple[tuple[str | None, str | None, str | None, int | None, str | None], ...]
    """(column, expression, sort, length, ops) per part."""
    unique: bool
    method: str
    predicate: str | None
    include: tuple[str, ...]
    span: Span | None
    source: PrimaryKey | UniqueConstraint | Index

    @property
    def columns(self) -> list[str | None]:
        return [p[0] for p in self.parts]

    @property
    def plain_columns(self) -> bool:
        """Every part is a column, with no prefix length or operator class."""
        return all(p[0] is not None and p[3] is None and p[4] is None for p in self.parts)

    def label(self) -> str:
        cols = ", ".join(p[0] or p[1] or "?" for p in self.parts)
        if self.kind == "primary key":
            return f"the primary key ({cols})"
        what = (
            "unique constraint"
            if self.kind == "unique"
            else ("unique index" if self.unique else "index")
        )
        return f"{what} `{self.name}` ({cols})" if self.name else f"{what} ({cols})"


def _parts(columns: list[IndexColumn]) -> tuple:
    return tuple((c.column, c.expression, c.sort, c.length, c.ops) for c in columns)


def keys(table: Table, cache: dict | None = None) -> list[Key]:
    """The table's primary key, unique constraints and indexes, in that order (kept in
    `cache`, a `SchemaTarget.cache`, when given: under the table's name, with the table they
    were made of, so another table of the same name is never answered from it)."""
    if cache is not None:
        key = ("keys", table.db_schema, table.name)
        held = cache.get(key)
        if held is None or held[0] is not table:
            held = cache[key] = (table, keys(table))
        return held[1]
    out: list[Key] = []
    if table.primary_key is not None:
        pk = table.primary_key
        out.append(
            Key("primary key", pk.name, _parts(pk.columns), True, "btree", None, (), pk.span, pk)
        )
    for u in table.uniques:
        out.append(Key("unique", u.name, _parts(u.columns), True, "btree", None, (), u.span, u))
    for i in table.indexes:
        out.append(
            Key(
                "index",
                i.name,
                _parts(i.columns),
                i.unique,
                i.method or "btree",
                i.predicate,
                tuple(i.include),
                i.span,
                i,
            )
        )
    return out


def leads_with(key: Key, columns: list[str]) -> bool:
    """Whether `key` can find rows by equality on `columns`: its first len(columns) parts are
    exactly those columns (in any order), as plain columns, with no partial predicate, in a
    method that supports equality lookups (btree; hash for a single column)."""
    n = len(columns)
    parts = key.parts
    if n == 0 or len(parts) < n or parts[0][0] not in columns or key.predicate is not None:
        return False
    if key.method == "hash":
        if n != 1 or len(key.parts) != 1:
            return False
    elif key.method != "btree":
        return False
    lead = key.parts[:n]
    if any(p[0] is None for p in lead):
        return False
    return sorted(p[0] for p in lead) == sorted(columns)  # type: ignore[type-var]


_WORD = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])|\d+")


def words(name: str) -> list[str]:
    """`totalAmountCents` -> ["total", "amount", "cents"]; `unit_price` -> ["unit", "price"]."""
    return [w.lower() for w in _WORD.findall(name)]

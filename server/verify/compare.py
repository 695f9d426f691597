"""Compare two schemas of the same database (what the migrations replay to, and what a real
database built from them) and list every difference in words.

`compare(replayed, introspected)` returns `Difference`s; `str(d)` reads
`table "User" column "email": type varchar(191) (replay) != varchar(255) (database)`.

What is compared: tables and views (views by name and kind only); columns in order, with
their canonical type (`native`, `kind`, `array`), nullability, default and auto-increment;
primary keys (columns; name); foreign keys (columns, referenced table and columns, actions,
NOT VALID; name); unique constraints (columns; name); indexes (columns or expressions, sort
order, prefix length, operator class, uniqueness, method, predicate, INCLUDE; name); check
constraints (name; condition, where both sides have one); enums with their values in order.

Texts that two sources spell differently go through `codegen.dialects.normalize` on both
sides (defaults, expressions, predicates, MySQL types). Absent and default settings count as
equal: no default and `DEFAULT NULL`, no sort and `asc`, no method and `btree`, MySQL's
primary key name `PRIMARY` and None. MySQL and SQLite compare column and index names
without regard to case, as those databases do.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from schemasense.codegen.dialects.normalize import (
    normalize_default,
    normalize_expression,
    normalize_type,
)
from schemasense.codegen.schema import (
    Column,
    ForeignKey,
    Index,
    IndexColumn,
    PrimaryKey,
    Schema,
    Table,
    UniqueConstraint,
)

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Difference:
    """One way the two schemas differ. `where` names the object (`table "User" column
    "email"`); `what` the property (`type`), or `only` when the object exists on one side,
    which `left`/`right` then say (the other is None)."""

    where: str
    what: str
    left: str | None
    right: str | None
    left_name: str = "replay"
    right_name: str = "database"

    def __str__(self) -> str:
        if self.what == "only":
            side = self.left_name if self.left is not None else self.right_name
            return f"{self.where}: only in the {side}"
        return (
            f"{self.where}: {self.what} {self.left} ({self.left_name}) "
            f"!= {self.right} ({self.right_name})"
        )


def compare(
    replayed: Schema,
    introspected: Schema,
    *,
    provider: str | None = None,
    exact: bool = False,
    left_name: str = "replay",
    right_name: str = "database",
) -> list[Difference]:
    """Every difference between two schemas of one database family (`provider`, else the
    schemas' own), in a stable order. `exact` compares types, defaults, expressions,
    predicates and checks as written, without `normalize` (what a replay that reproduces the
    database's own text can be held to)."""
    return _Comparer(
        provider or introspected.provider or replayed.provider or "postgresql",
        left_name,
        right_name,
        exact,
    ).schemas(replayed, introspected)


def format_differences(differences: Sequence[Difference], limit: int | None = None) -> str:
    """The differences one per line (the first `limit`, and how many more)."""
    shown = differences if limit is None else differences[:limit]
    lines = [str(d) for d in shown]
    if limit is not None and len(differences) > limit:
        lines.append(f"... and {len(differences) - limit} more")
    return "\n".join(lines)


def _quote(name: str | None) -> str:
    return f'"{name}"'


def _show(value: object) -> str:
    if value is None:
        return "none"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list | tuple):
        return "(" + ", ".join(_show(v) for v in value) + ")"
    return str(value)


class _Comparer:
    def __init__(self, provider: str, left_name: str, right_name: str, exact: bool) -> None:
        self.exact = exact
        self.provider = "postgresql" if provider in ("postgres", "cockroachdb") else provider
        self.fold_names = self.provider in ("mysql", "sqlite")
        self.left_name = left_name
        self.right_name = right_name
        self.out: list[Difference] = []

    # -- helpers -----------------------------------------------------------------------------

    def differ(self, where: str, what: str, left: object, right: object) -> None:
        self.out.append(
            Difference(where, what, _show(left), _show(right), self.left_name, self.right_name)
        )

    def only(self, where: str, on_left: bool) -> None:
        mark = "present"
        self.out.append(
            Difference(
                where,
                "only",
                mark if on_left else None,
                None if on_left else mark,
                self.left_name,
                self.right_name,
            )
        )

    def check(self, where: str, what: str, left: object, right: object) -> None:
        if left != right:
            self.differ(where, what, left, right)

    def name_key(self, name: str | None) -> str:
        name = name or ""
        return name.lower() if self.fold_names else name

    def pair(
        self, where: str, kind: str, left: Iterable[T], right: Iterable[T], key: Callable[[T], str]
    ) -> list[tuple[str, T, T]]:
        """Match two lists by `key`; report what is on one side only; the matched pairs."""
        lmap = {key(x): x for x in left}
        rmap = {key(x): x for x in right}
        pairs = []
        for k in sorted(lmap.keys() | rmap.keys()):
            label = f"{where} {kind} {_quote(k)}".strip()
            if k not in rmap:
                self.only(label, True)
            elif k not in lmap:
                self.only(label, False)
            else:
                pairs.append((label, lmap[k], rmap[k]))
        return pairs

    def expression(self, text: str | None) -> str | None:
        if text is None or self.exact:
            return text
        return normalize_expression(self.provider, text)

    def check_text(self, text: str) -> str | None:
        """A check's condition: `CHECK (...)` and a trailing `NOT VALID` taken off."""
        if self.exact:
            return text
        text = re.sub(r"^\s*check\b", "", text.strip(), flags=re.I)
        text = re.sub(r"\bnot\s+valid\s*$", "", text, flags=re.I)
        return self.expression(text)

    def default(self, column: Column) -> str | None:
        if column.default is None:
            return None
        d = column.default
        value = d.value if d.value is not None else d.function
        if value is None:
            return None
        if self.exact:
            return str(value)
        text = normalize_default(self.provider, str(value))
        return None if text == "null" else text

    # -- the schema --------------------------------------------------------------------------

    def schemas(self, left: Schema, right: Schema) -> list[Difference]:
        def table_key(t: Table) -> str:
            return f"{t.db_schema}.{t.name}" if t.db_schema else t.name

        for label, lt, rt in self.pair("", "table", left.tables, right.tables, table_key):
            if lt.kind != rt.kind and "view" in (lt.kind, rt.kind):
                self.differ(label, "kind", lt.kind, rt.kind)
            elif lt.kind != "view":
                self.table(label, lt, rt)

        def enum_key(e) -> str:
            return f"{e.db_schema}.{e.name}" if e.db_schema else e.name

        for label, le, re_ in self.pair("", "enum", left.enums, right.enums, enum_key):
            self.check(label, "values", [v.name for v in le.values], [v.name for v in re_.values])
        return self.out

    def table(self, where: str, left: Table, right: Table) -> None:
        def column_key(c: Column) -> str:
            return self.name_key(c.name)

        for label, lc, rc in self.pair(where, "column", left.columns, right.columns, column_key):
            self.column(label, lc, rc)
        lorder = [column_key(c) for c in left.columns]
        rorder = [column_key(c) for c in right.columns]
        if sorted(lorder) == sorted(rorder) and lorder != rorder:
            self.differ(where, "column order", lorder, rorder)

        self.primary_key(where, left.primary_key, right.primary_key)

        def fk_key(fk: ForeignKey) -> str:
            if fk.name:
                return self.name_key(fk.name)
            columns = ", ".join(self.name_key(c) for c in fk.columns)
            return f"({columns}) -> {fk.referenced_table}"

        for label, lf, rf in self.pair(
            where, "foreign key", left.foreign_keys, right.foreign_keys, fk_key
        ):
            self.foreign_key(label, lf, rf)

        def unique_key(u: UniqueConstraint) -> str:
            return self.name_key(u.name)

        for label, lu, ru in self.pair(where, "unique", left.uniques, right.uniques, unique_key):
            self.check(label, "columns", self.parts(lu.columns), self.parts(ru.columns))

        def index_key(i: Index) -> str:
            return self.name_key(i.name)

        for label, li, ri in self.pair(where, "index", left.indexes, right.indexes, index_key):
            self.index(label, li, ri)

        for label, lc, rc in self.pair(
            where, "check", left.checks, right.checks, lambda c: self.name_key(c.name)
        ):
            if lc.expression and rc.expression:
                self.check(label, "expression", self.check_text(lc.expression),
                           self.check_text(rc.expression))  # fmt: skip

    def column(self, where: str, left: Column, right: Column) -> None:
        lt, rt = left.type, right.type
        lnative, rnative = lt.native, rt.native
        if not self.exact:
            lnative = normalize_type(self.provider, lnative) if lnative else None
            rnative = normalize_type(self.provider, rnative) if rnative else None
        self.check(where, "type", lnative, rnative)
        if lnative == rnative:  # the kind follows from the type; say it only when that agrees
            self.check(where, "kind", lt.kind, rt.kind)
            self.check(where, "array", lt.array, rt.array)
        self.check(where, "nullable", left.nullable, right.nullable)
        self.check(where, "default", self.default(left), self.default(right))
        self.check(where, "auto-increment", left.auto_increment, right.auto_increment)
        if self.fold_names and left.name != right.name:
            self.differ(where, "name", left.name, right.name)

    def parts(self, columns: list[IndexColumn]) -> list[str]:
        """Key parts as comparable text: `name`, `lower(x)`, with ` desc`, `(10)`, ` ops`."""
        out = []
        for c in columns:
            text = (
                self.name_key(c.column) if c.column is not None else self.expression(c.expression)
            )
            if c.length is not None:
                text = f"{text}({c.length})"
            if c.sort == "desc":
                text = f"{text} desc"
            if c.ops:
                text = f"{text} {c.ops}"
            out.append(text or "")
        return out

    def primary_key(self, where: str, left: PrimaryKey | None, right: PrimaryKey | None) -> None:
        label = f"{where} primary key"
        if left is None or right is None:
            if left is not right:
                self.only(label, left is not None)
            return
        self.check(label, "columns", self.parts(left.columns), self.parts(right.columns))

        def name(pk: PrimaryKey) -> str | None:
            if self.provider == "mysql" and pk.name == "PRIMARY":
                return None
            return pk.name

        self.check(label, "name", name(left), name(right))

    def foreign_key(self, where: str, left: ForeignKey, right: ForeignKey) -> None:
        def folded(names: list[str]) -> list[str]:
            return [self.name_key(n) for n in names]

        self.check(where, "columns", folded(left.columns), folded(right.columns))
        ltarget = f"{left.referenced_schema}.{left.referenced_table}"
        rtarget = f"{right.referenced_schema}.{right.referenced_table}"
        if left.referenced_schema is None:
            ltarget = left.referenced_table
        if right.referenced_schema is None:
            rtarget = right.referenced_table
        self.check(where, "references", ltarget, rtarget)
        self.check(
            where,
            "referenced columns",
            folded(left.referenced_columns),
            folded(right.referenced_columns),
        )
        self.check(where, "on delete", left.on_delete, right.on_delete)
        self.check(where, "on update", left.on_update, right.on_update)
        self.check(where, "not valid", left.not_valid, right.not_valid)

    def index(self, where: str, left: Index, right: Index) -> None:
        self.check(where, "columns", self.parts(left.columns), self.parts(right.columns))
        self.check(where, "unique", left.unique, right.unique)
        self.check(where, "method", left.method or "btree", right.method or "btree")
        self.check(
            where, "predicate", self.expression(left.predicate), self.expression(right.predicate)
        )
        self.check(
            where,
            "include",
            [self.name_key(c) for c in left.include],
            [self.name_key(c) for c in right.include],
        )

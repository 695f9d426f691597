"""Drift between two schemas in database form: the declared one and the migrated one.

`DriftComparer().compare(declared_form, migrated)` lists every `Drift`: an object on one side
only (table, view, column, primary key, index or unique, foreign key, enum, enum value), or a
property that differs (a column's type, nullability, default or auto-increment; a key's or an
index's columns, order, uniqueness, method, predicate, INCLUDE; a foreign key's target and
actions; a view that is a table). `str(drift)` reads like `server.verify.compare`'s
differences (`table "User" column "email": type text (schema) != character varying(255)
(migrations)`), and the objects are named the same way.

Texts go through `codegen.dialects.normalize` on both sides, as `server.verify.compare` does.
What is *not* drift, because Prisma's schema cannot say it or Prisma's own migrate does not
count it, is left out on purpose (`NOT_DRIFT` lists it, for the truth test and the docs):

- the order of a table's columns, and of an enum's values (Prisma compares them as sets);
- check constraints (a Prisma schema cannot declare one);
- `NOT VALID` on a foreign key (a state of the data, not of the schema);
- the name of a serial column's sequence (`autoincrement()` names none; a renamed table keeps
  its old sequence), and `now()` against `CURRENT_TIMESTAMP` on PostgreSQL (one function);
- a unique constraint against a unique index of the same name and columns (both are
  `@unique` to Prisma);
- objects in database schemas the Prisma schema does not manage (without `multiSchema`, every
  schema but the default one; with it, those not in `schemas`).

Per table the result is cached under the two table objects, which stay the same while neither
side changes (`database_form` hands out the same table for an unchanged model, the replay the
same schema until a migration changes), so a keystroke compares the one table it touched.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from typing import Literal, TypeVar

from schemasense.codegen.dialects.normalize import (
    normalize_default,
    normalize_expression,
    normalize_type,
)
from schemasense.codegen.schema import (
    Column,
    Enum,
    ForeignKey,
    Index,
    IndexColumn,
    PrimaryKey,
    Schema,
    Table,
)

T = TypeVar("T")

DriftKind = Literal["table", "column", "primary_key", "index", "foreign_key", "enum", "enum_value"]

NOT_DRIFT: dict[str, str] = {
    "column order": "Prisma compares a table's columns as a set; migrate never reorders them",
    "enum value order": "Prisma compares an enum's values as a set",
    "check": "a Prisma schema cannot declare a check constraint",
    "not valid": "NOT VALID is a state of the data (not yet validated), not of the schema",
    "sequence name": "autoincrement() names no sequence; a renamed table keeps its old one",
    "now()": "now() and CURRENT_TIMESTAMP are one PostgreSQL function",
    "unique constraint": "a unique constraint and a unique index are both @unique to Prisma",
    "other schemas": "objects in database schemas the Prisma schema does not manage",
}
"""Kinds of catalog difference that are not drift, and why (see the module docstring)."""

LEFT = "schema"
RIGHT = "migrations"


@dataclass(frozen=True, slots=True)
class Drift:
    """One difference. `table` is the key (`schema.name`, or the name in the default schema)
    of the table, or of the enum for `enum` / `enum_value`; `name` the object inside it (a
    column, index, foreign key or enum value; None for the table, its primary key or the
    enum). `what` is `only` when the object exists on one side (`left` or `right` is then
    `present`, the other None), else the property that differs, with both sides' values."""

    kind: DriftKind
    table: str
    name: str | None
    what: str
    left: str | None
    right: str | None

    @property
    def only_declared(self) -> bool:
        return self.what == "only" and self.left is not None

    @property
    def only_migrated(self) -> bool:
        return self.what == "only" and self.right is not None

    @property
    def where(self) -> str:
        """The object, named as `server.verify.compare` names it."""
        if self.kind in ("enum", "enum_value"):
            base = f'enum "{self.table}"'
            return base if self.kind == "enum" else f'{base} value "{self.name}"'
        base = f'table "{self.table}"'
        if self.kind == "table":
            return base
        if self.kind == "primary_key":
            return f"{base} primary key"
        label = {"column": "column", "index": "index", "foreign_key": "foreign key"}[self.kind]
        return f'{base} {label} "{self.name}"'

    def __str__(self) -> str:
        if self.what == "only":
            return f"{self.where}: only in the {LEFT if self.left is not None else RIGHT}"
        return f"{self.where}: {self.what} {self.left} ({LEFT}) != {self.right} ({RIGHT})"


def _show(value: object) -> str:
    if value is None:
        return "none"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list | tuple):
        return "(" + ", ".join(_show(v) for v in value) + ")"
    return str(value)


_NEXTVAL = re.compile(r"^nextval\('.*'\)$")


class DriftComparer:
    """Compares schemas in database form; keeps per-table results between calls."""

    def __init__(self) -> None:
        self._tables: dict[tuple[int, int, str], tuple[Table, Table, tuple[Drift, ...]]] = {}

    def compare(
        self,
        declared: Schema,
        migrated: Schema,
        *,
        provider: str | None = None,
        managed_schemas: Collection[str | None] | None = None,
    ) -> list[Drift]:
        """Every drift between `declared` (left) and `migrated` (right), in a stable order.

        `managed_schemas` are the database schemas the Prisma schema manages (None for the
        default schema); objects elsewhere are left out. None means the default schema plus
        every schema the declared side uses."""
        provider = provider or declared.provider or migrated.provider or "postgresql"
        run = _Run(provider)
        if managed_schemas is None:
            managed = {None, *(t.db_schema for t in declared.tables)}
            managed |= {e.db_schema for e in declared.enums}
        else:
            managed = set(managed_schemas)
        left = {run.table_key(t): t for t in declared.tables}
        right = {run.table_key(t): t for t in migrated.tables if t.db_schema in managed}
        cache: dict[tuple[int, int, str], tuple[Table, Table, tuple[Drift, ...]]] = {}
        out: list[Drift] = []
        for key in sorted(left.keys() | right.keys()):
            lt, rt = left.get(key), right.get(key)
            if lt is None or rt is None:
                out.append(_only("table", key, None, lt is not None))
                continue
            if (lt.kind == "view") != (rt.kind == "view"):
                out.append(Drift("table", key, None, "kind", _kind(lt), _kind(rt)))
                continue
            if lt.kind == "view":
                continue
            ck = (id(lt), id(rt), provider)
            hit = self._tables.get(ck)
            if hit is None or hit[0] is not lt or hit[1] is not rt:
                hit = (lt, rt, tuple(run.table(key, lt, rt)))
            cache[ck] = hit
            out.extend(hit[2])
        self._tables = cache
        lenums = {_enum_key(e): e for e in declared.enums}
        renums = {_enum_key(e): e for e in migrated.enums if e.db_schema in managed}
        for key in sorted(lenums.keys() | renums.keys()):
            le, re_ = lenums.get(key), renums.get(key)
            if le is None or re_ is None:
                out.append(_only("enum", key, None, le is not None))
                continue
            lvalues = {v.name for v in le.values}
            rvalues = {v.name for v in re_.values}
            for value in [v.name for v in le.values if v.name not in rvalues]:
                out.append(_only("enum_value", key, value, True))
            for value in [v.name for v in re_.values if v.name not in lvalues]:
                out.append(_only("enum_value", key, value, False))
        return out


def _only(kind: DriftKind, table: str, name: str | None, on_left: bool) -> Drift:
    return Drift(kind, table, name, "only", "present" if on_left else None,
                 None if on_left else "present")  # fmt: skip


def _kind(table: Table) -> str:
    return "view" if table.kind == "view" else "table"


def _enum_key(enum: Enum) -> str:
    return f"{enum.db_schema}.{enum.name}" if enum.db_schema else enum.name


class _Run:
    """One comparison's settings (the provider decides name folding and spellings)."""

    def __init__(self, provider: str) -> None:
        self.provider = "postgresql" if provider in ("postgres", "cockroachdb") else provider
        self.fold = self.provider in ("mysql", "sqlite")

    def table_key(self, t: Table) -> str:
        return f"{t.db_schema}.{t.name}" if t.db_schema else t.name

    def name_key(self, name: str | None) -> str:
        name = name or ""
        return name.lower() if self.fold else name

    def pair(
        self, left: Iterable[T], right: Iterable[T], key: Callable[[T], str]
    ) -> list[tuple[str, T | None, T | None]]:
        lmap = {key(x): x for x in left}
        rmap = {key(x): x for x in right}
        return [(k, lmap.get(k), rmap.get(k)) for k in sorted(lmap.keys() | rmap.keys())]

    # -- a table ------------------------------------------------------------------------------

    def table(self, key: str, left: Table, right: Table) -> Iterable[Drift]:
        for _name, lc, rc in self.pair(
            left.columns, right.columns, lambda c: self.name_key(c.name)
        ):
            if lc is None or rc is None:
                yield _only("column", key, (lc or rc).name, lc is not None)  # type: ignore[union-attr]
            else:
                yield from self.column(key, lc, rc)
        yield from self.primary_key(key, left.primary_key, right.primary_key)
        for name, lf, rf in self.pair(left.foreign_keys, right.foreign_keys, self.fk_key):
            if lf is None or rf is None:
                yield _only("foreign_key", key, (lf or rf).name or name, lf is not None)  # type: ignore[union-attr]
            else:
                yield from self.foreign_key(key, lf.name or name, lf, rf)
        lindexes = _with_uniques(left)
        rindexes = _with_uniques(right)
        for _name, li, ri in self.pair(lindexes, rindexes, lambda i: self.name_key(i.name)):
            if li is None or ri is None:
                yield _only("index", key, (li or ri).name, li is not None)  # type: ignore[union-attr]
            else:
                yield from self.index(key, li.name, li, ri)

    def fk_key(self, fk: ForeignKey) -> str:
        if fk.name:
            return self.name_key(fk.name)
        columns = ", ".join(self.name_key(c) for c in fk.columns)
        return f"({columns}) -> {fk.referenced_table}"

    def column(self, table: str, left: Column, right: Column) -> Iterable[Drift]:
        def differ(what: str, lv: object, rv: object) -> Drift:
            return Drift("column", table, left.name, what, _show(lv), _show(rv))

        lt, rt = left.type, right.type
        lnative = normalize_type(self.provider, lt.native) if lt.native else None
        rnative = normalize_type(self.provider, rt.native) if rt.native else None
        if lnative != rnative:
            yield differ("type", lnative, rnative)
        else:
            if lt.kind != rt.kind:
                yield differ("kind", lt.kind, rt.kind)
            if lt.array != rt.array:
                yield differ("array", lt.array, rt.array)
        if left.nullable != right.nullable:
            yield differ("nullable", left.nullable, right.nullable)
        ld, rd = self.default(left), self.default(right)
        if ld != rd:
            yield differ("default", ld, rd)
        if left.auto_increment != right.auto_increment:
            yield differ("auto-increment", left.auto_increment, right.auto_increment)
        if self.fold and left.name != right.name:
            yield differ("name", left.name, right.name)

    def default(self, column: Column) -> str | None:
        d = column.default
        if d is None:
            return None
        value = d.value if d.value is not None else d.function
        if value is None:
            return None
        text = normalize_default(self.provider, str(value))
        if text == "null":
            return None
        if _NEXTVAL.match(text):
            return "nextval(sequence)"
        if self.provider == "postgresql" and text == "now()":
            return "current_timestamp"
        return text

    def parts(self, columns: list[IndexColumn]) -> list[str]:
        out = []
        for c in columns:
            if c.column is not None:
                text = self.name_key(c.column)
            else:
                text = normalize_expression(self.provider, c.expression or "")
            if c.length is not None:
                text = f"{text}({c.length})"
            if c.sort == "desc":
                text = f"{text} desc"
            if c.ops:
                text = f"{text} {c.ops}"
            out.append(text)
        return out

    def primary_key(
        self, table: str, left: PrimaryKey | None, right: PrimaryKey | None
    ) -> Iterable[Drift]:
        if left is None or right is None:
            if left is not right:
                yield _only("primary_key", table, None, left is not None)
            return
        lparts, rparts = self.parts(left.columns), self.parts(right.columns)
        if lparts != rparts:
            yield Drift("primary_key", table, None, "columns", _show(lparts), _show(rparts))

        def name(pk: PrimaryKey) -> str | None:
            return None if self.provider == "mysql" and pk.name == "PRIMARY" else pk.name

        if name(left) != name(right):
            yield Drift("primary_key", table, None, "name", _show(name(left)), _show(name(right)))

    def foreign_key(
        self, table: str, name: str, left: ForeignKey, right: ForeignKey
    ) -> Iterable[Drift]:
        def differ(what: str, lv: object, rv: object) -> Drift:
            return Drift("foreign_key", table, name, what, _show(lv), _show(rv))

        lcols = [self.name_key(c) for c in left.columns]
        rcols = [self.name_key(c) for c in right.columns]
        if lcols != rcols:
            yield differ("columns", lcols, rcols)
        ltarget = self.target(left)
        rtarget = self.target(right)
        if ltarget != rtarget:
            yield differ("references", ltarget, rtarget)
        lref = [self.name_key(c) for c in left.referenced_columns]
        rref = [self.name_key(c) for c in right.referenced_columns]
        if lref != rref:
            yield differ("referenced columns", lref, rref)
        if left.on_delete != right.on_delete:
            yield differ("on delete", left.on_delete, right.on_delete)
        if left.on_update != right.on_update:
            yield differ("on update", left.on_update, right.on_update)

    def target(self, fk: ForeignKey) -> str:
        name = fk.referenced_table.lower() if self.fold else fk.referenced_table
        return f"{fk.referenced_schema}.{name}" if fk.referenced_schema else name

    def index(self, table: str, name: str, left: Index, right: Index) -> Iterable[Drift]:
        def differ(what: str, lv: object, rv: object) -> Drift:
            return Drift("index", table, name, what, _show(lv), _show(rv))

        lparts, rparts = self.parts(left.columns), self.parts(right.columns)
        if lparts != rparts:
            yield differ("columns", lparts, rparts)
        if left.unique != right.unique:
            yield differ("unique", left.unique, right.unique)
        if (left.method or "btree") != (right.method or "btree"):
            yield differ("method", left.method or "btree", right.method or "btree")
        lpred = normalize_expression(self.provider, left.predicate) if left.predicate else None
        rpred = normalize_expression(self.provider, right.predicate) if right.predicate else None
        if lpred != rpred:
            yield differ("predicate", lpred, rpred)
        linc = [self.name_key(c) for c in left.include]
        rinc = [self.name_key(c) for c in right.include]
        if linc != rinc:
            yield differ("include", linc, rinc)


def _with_uniques(table: Table) -> list[Index]:
    """The table's indexes, its unique constraints among them (as unique indexes)."""
    if not table.uniques:
        return table.indexes
    return [
        *table.indexes,
        *(Index.model_construct(name=u.name, columns=u.columns, unique=True, method=None,
                                predicate=None, include=[], span=u.span, orm_name=u.orm_name,
                                clustered=u.clustered) for u in table.uniques),
    ]  # fmt: skip

"""One comparison core: two schemas paired object by object, and what differs, as plain data.

Three callers compare schemas, each with its own idea of what counts:

- `codegen.ddl.diff` (schema x schema -> operations) pairs tables, columns, enums and enum
  values by identity with `pair`, and indexes and foreign keys by shape with `pair_by_shape`
  (an index that only changed its name is a rename); what differs in a paired column is its
  own policy (Prisma's engine's notion of equal types and defaults, per dialect);
- `server.drift` (declared vs migrated) runs `Comparer` under a policy that leaves out what a
  Prisma schema cannot say (column order, checks, NOT VALID, ...);
- `server.verify` (a replay vs a real database's catalog) runs `Comparer` under a policy that
  compares everything the catalog has.

`Comparer(policy).compare(left, right)` pairs tables (by schema and name), columns, primary
keys, foreign keys (by name, else columns and target), unique constraints and indexes (by
name), checks, enums and enum values, and lists every `Difference`: an object on one side only
(`what == "only"`), or one property that differs, with both sides' values as text. The order is
stable: tables by key, inside a table columns, (column order), primary key, foreign keys,
uniques, indexes, checks, each by key; then enums by key.

A `Policy` is data (flags) plus two small hooks a subclass may override (`default_text`, and
which of the right side's objects take part: `keeps`). Type and default normalisation are not
here: they live in `codegen.dialects.normalize` (and, for drift, in its database form).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Hashable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Literal, TypeVar

from schemasense.codegen.dialects.normalize import (
    normalize_default,
    normalize_expression,
    normalize_type,
)
from schemasense.codegen.schema import (
    CheckConstraint,
    Column,
    Enum,
    ForeignKey,
    Index,
    IndexColumn,
    PrimaryKey,
    Schema,
    Table,
    UniqueConstraint,
)

T = TypeVar("T")
K = TypeVar("K", bound=Hashable)

# -- pairing: the one place objects are matched -------------------------------------------------


@dataclass(frozen=True, slots=True)
class Pairing:
    """Two lists matched by a key, as positions: `pairs` `(i, j)` in the right list's order
    (a right item whose key the left has twice pairs with the last), `left_only` and
    `right_only` in their own list's order."""

    pairs: tuple[tuple[int, int], ...]
    left_only: tuple[int, ...]
    right_only: tuple[int, ...]


def pair(left: Sequence[T], right: Sequence[T], key: Callable[[T], Hashable]) -> Pairing:
    """Match `left` and `right` by identity (`key`), keeping both lists' order."""
    lpos = {key(x): i for i, x in enumerate(left)}
    rkeys = [key(y) for y in right]
    rset = set(rkeys)
    pairs: list[tuple[int, int]] = []
    right_only: list[int] = []
    for j, k in enumerate(rkeys):
        i = lpos.get(k)
        if i is None:
            right_only.append(j)
        else:
            pairs.append((i, j))
    left_only = tuple(i for i, x in enumerate(left) if key(x) not in rset)
    return Pairing(tuple(pairs), left_only, tuple(right_only))


def pair_sorted(
    left: Iterable[T], right: Iterable[T], key: Callable[[T], K]
) -> list[tuple[K, T | None, T | None]]:
    """Match by `key` and list every key once, sorted, with its item on each side (or None)."""
    lmap = {key(x): x for x in left}
    rmap = {key(x): x for x in right}
    return [(k, lmap.get(k), rmap.get(k)) for k in sorted(lmap.keys() | rmap.keys())]  # type: ignore[type-var]


def pair_by_shape(
    left: Sequence[T], right: Sequence[T], same: Callable[[T, T], bool], *, one_to_one: bool = True
) -> Pairing:
    """Match by shape (`same`) rather than by name, so an object that only changed its name
    pairs up (the diff's renames). `pairs`: each left item, in order, with the first right item
    that is the same (and, `one_to_one`, not yet taken); `left_only` / `right_only`: the items
    the same as nothing on the other side (an item the same as one already taken is neither:
    Prisma's engine leaves two equal indexes against one alone)."""
    taken: set[int] = set()
    pairs = []
    for i, x in enumerate(left):
        for j, y in enumerate(right):
            if (not one_to_one or j not in taken) and same(x, y):
                taken.add(j)
                pairs.append((i, j))
                break
    left_only = tuple(i for i, x in enumerate(left) if not any(same(x, y) for y in right))
    right_only = tuple(j for j, y in enumerate(right) if not any(same(x, y) for x in left))
    return Pairing(tuple(pairs), left_only, tuple(right_only))


# -- differences --------------------------------------------------------------------------------

ObjectKind = Literal[
    "table",
    "column",
    "primary_key",
    "foreign_key",
    "unique",
    "index",
    "check",
    "enum",
    "enum_value",
]

_LABEL = {
    "column": "column",
    "foreign_key": "foreign key",
    "unique": "unique",
    "index": "index",
    "check": "check",
}


@dataclass(frozen=True, slots=True)
class Difference:
    """One difference. `table` is the key of the table (`schema.name`, or the name alone), or
    of the enum for `enum` / `enum_value`; `key` the identity of the object inside it (a
    column's, index's, key's or check's name, folded where the database folds names; an
    unnamed foreign key's `(columns) -> target`; None for the table, its primary key or the
    enum) and `name` the same object's own spelling (the left side's, else the right's).
    `what` is `only` when the object exists on one side (`left` or `right` is then
    `present`, the other None), else the property that differs, with both sides' values."""

    kind: ObjectKind
    table: str
    key: str | None
    name: str | None
    what: str
    left: str | None
    right: str | None

    def where(self, by_key: bool = True) -> str:
        """The object in words, named by `key` (else by `name`): see `describe`."""
        return describe(self.kind, self.table, self.key if by_key else self.name)


def describe(kind: ObjectKind, table: str, name: str | None) -> str:
    """An object in words: `table "User" column "email"`, `enum "Role" value "A"`."""
    if kind in ("enum", "enum_value"):
        base = f'enum "{table}"'
        return base if kind == "enum" else f'{base} value "{name}"'
    base = f'table "{table}"'
    if kind == "table":
        return base
    if kind == "primary_key":
        return f"{base} primary key"
    return f'{base} {_LABEL[kind]} "{name}"'


def show(value: object) -> str:
    """A value as a difference prints it: `none`, `yes` / `no`, `(a, b)`, else `str`."""
    if value is None:
        return "none"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list | tuple):
        return "(" + ", ".join(show(v) for v in value) + ")"
    return str(value)


def table_key(t: Table | Enum) -> str:
    """A table's or an enum's identity: `schema.name`, or the name where it has no schema."""
    return f"{t.db_schema}.{t.name}" if t.db_schema else t.name


# -- policies -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Policy:
    """What counts as a difference. The defaults compare everything a catalog holds."""

    provider: str = "postgresql"
    normalize: bool = True
    """Texts (types, defaults, expressions, predicates, checks) through `dialects.normalize`
    on both sides; False compares them as written."""
    column_order: bool = True
    """Say when a table has the same columns in another order (`what == "column order"`)."""
    enum_value_order: bool = True
    """True: an enum's values as one ordered list (`what == "values"`); False: as a set,
    one `enum_value` difference per value on one side only."""
    uniques_as_indexes: bool = False
    """Compare unique constraints as unique indexes (kind `index`), else apart (`unique`,
    their columns only)."""
    checks: bool = True
    not_valid: bool = True
    """Compare a foreign key's NOT VALID."""
    fold_referenced_table: bool = False
    """Where names fold (MySQL, SQLite), fold a foreign key's referenced table name too."""
    right_schemas: Collection[str | None] | None = None
    """The database schemas whose tables and enums the right side brings (None: all)."""

    @property
    def dialect(self) -> str:
        return "postgresql" if self.provider in ("postgres", "cockroachdb") else self.provider

    @property
    def fold(self) -> bool:
        """Whether names compare without regard to case, as MySQL's and SQLite's do."""
        return self.dialect in ("mysql", "sqlite")

    def keeps(self, obj: Table | Enum) -> bool:
        """Whether an object of the right side takes part in the comparison."""
        return self.right_schemas is None or obj.db_schema in self.right_schemas

    def default_text(self, text: str) -> str | None:
        """A default's comparable text, after `normalize` (a subclass's hook)."""
        return text


_CHECK_HEAD = re.compile(r"^\s*check\b", re.I)
_NOT_VALID_TAIL = re.compile(r"\bnot\s+valid\s*$", re.I)


class Comparer:
    """Compares two schemas under a `Policy`; `table` compares one pair of tables (which a
    caller may cache: its result depends on the two tables and the policy only)."""

    def __init__(self, policy: Policy) -> None:
        self.policy = policy
        self.dialect = policy.dialect
        self.fold = policy.fold

    # -- the schema ------------------------------------------------------------------------------

    def compare(self, left: Schema, right: Schema) -> list[Difference]:
        """Every difference between `left` and `right`, in a stable order."""
        keeps = self.policy.keeps
        out: list[Difference] = []
        rtables = [t for t in right.tables if keeps(t)]
        for key, lt, rt in pair_sorted(left.tables, rtables, table_key):
            out.extend(self.table_pair(key, lt, rt))
        renums = [e for e in right.enums if keeps(e)]
        for key, le, re_ in pair_sorted(left.enums, renums, table_key):
            out.extend(self.enum(key, le, re_))
        return out

    def table_pair(self, key: str, left: Table | None, right: Table | None) -> list[Difference]:
        """A table on one side only, a view against a table, else `table` (views compare by
        name and kind only)."""
        if left is None or right is None:
            return [_only("table", key, None, None, left is not None)]
        if (left.kind == "view") != (right.kind == "view"):
            return [Difference("table", key, None, None, "kind", _kind(left), _kind(right))]
        if left.kind == "view":
            return []
        return list(self.table(key, left, right))

    def enum(self, key: str, left: Enum | None, right: Enum | None) -> Iterator[Difference]:
        if left is None or right is None:
            yield _only("enum", key, None, None, left is not None)
            return
        lvalues = [v.name for v in left.values]
        rvalues = [v.name for v in right.values]
        if self.policy.enum_value_order:
            if lvalues != rvalues:
                yield Difference("enum", key, None, None, "values", show(lvalues), show(rvalues))
            return
        values = pair(lvalues, rvalues, str)
        for i in values.left_only:
            yield _only("enum_value", key, lvalues[i], lvalues[i], True)
        for j in values.right_only:
            yield _only("enum_value", key, rvalues[j], rvalues[j], False)

    # -- a table ---------------------------------------------------------------------------------

    def table(self, key: str, left: Table, right: Table) -> Iterator[Difference]:
        for ckey, lc, rc in pair_sorted(left.columns, right.columns, self.column_key):
            if lc is None or rc is None:
                yield _only("column", key, ckey, (lc or rc).name, lc is not None)  # type: ignore[union-attr]
            else:
                yield from self.column(key, ckey, lc, rc)
        if self.policy.column_order:
            lorder = [self.column_key(c) for c in left.columns]
            rorder = [self.column_key(c) for c in right.columns]
            if lorder != rorder and sorted(lorder) == sorted(rorder):
                yield Difference("table", key, None, None, "column order", show(lorder),
                                 show(rorder))  # fmt: skip
        yield from self.primary_key(key, left.primary_key, right.primary_key)
        for fkey, lf, rf in pair_sorted(left.foreign_keys, right.foreign_keys, self.fk_key):
            name = (lf or rf).name or fkey  # type: ignore[union-attr]
            if lf is None or rf is None:
                yield _only("foreign_key", key, fkey, name, lf is not None)
            else:
                yield from self.foreign_key(key, fkey, lf.name or fkey, lf, rf)
        if self.policy.uniques_as_indexes:
            lindexes, rindexes = _with_uniques(left), _with_uniques(right)
        else:
            lindexes, rindexes = left.indexes, right.indexes
            for ukey, lu, ru in pair_sorted(left.uniques, right.uniques, self.unique_key):
                if lu is None or ru is None:
                    yield _only("unique", key, ukey, (lu or ru).name, lu is not None)  # type: ignore[union-attr]
                else:
                    lparts, rparts = self.parts(lu.columns), self.parts(ru.columns)
                    if lparts != rparts:
                        yield Difference("unique", key, ukey, lu.name, "columns", show(lparts),
                                         show(rparts))  # fmt: skip
        for ikey, li, ri in pair_sorted(lindexes, rindexes, self.index_key):
            if li is None or ri is None:
                yield _only("index", key, ikey, (li or ri).name, li is not None)  # type: ignore[union-attr]
            else:
                yield from self.index(key, ikey, li, ri)
        if self.policy.checks:
            for ckey, lk, rk in pair_sorted(left.checks, right.checks, self.check_key):
                if lk is None or rk is None:
                    yield _only("check", key, ckey, (lk or rk).name, lk is not None)  # type: ignore[union-attr]
                elif lk.expression and rk.expression:
                    ltext, rtext = self.check_text(lk.expression), self.check_text(rk.expression)
                    if ltext != rtext:
                        yield Difference("check", key, ckey, lk.name, "expression", show(ltext),
                                         show(rtext))  # fmt: skip

    # -- identities ------------------------------------------------------------------------------

    def name_key(self, name: str | None) -> str:
        name = name or ""
        return name.lower() if self.fold else name

    def column_key(self, c: Column) -> str:
        return self.name_key(c.name)

    def unique_key(self, u: UniqueConstraint) -> str:
        return self.name_key(u.name)

    def index_key(self, i: Index) -> str:
        return self.name_key(i.name)

    def check_key(self, c: CheckConstraint) -> str:
        return self.name_key(c.name)

    def fk_key(self, fk: ForeignKey) -> str:
        """By name; an unnamed key (SQLite) by its columns and target."""
        if fk.name:
            return self.name_key(fk.name)
        columns = ", ".join(self.name_key(c) for c in fk.columns)
        return f"({columns}) -> {fk.referenced_table}"

    # -- texts -----------------------------------------------------------------------------------

    def type_text(self, native: str | None) -> str | None:
        if not self.policy.normalize:
            return native
        return normalize_type(self.dialect, native) if native else None

    def expression(self, text: str | None) -> str | None:
        """An expression or a predicate, normalised (an empty one is none)."""
        if text is None or not self.policy.normalize:
            return text
        return normalize_expression(self.dialect, text) if text else None

    def default(self, column: Column) -> str | None:
        d = column.default
        if d is None:
            return None
        value = d.value if d.value is not None else d.function
        if value is None:
            return None
        if not self.policy.normalize:
            return str(value)
        text = normalize_default(self.dialect, str(value))
        return None if text == "null" else self.policy.default_text(text)

    def check_text(self, text: str) -> str | None:
        """A check's condition: `CHECK (...)` and a trailing `NOT VALID` taken off."""
        if not self.policy.normalize:
            return text
        text = _NOT_VALID_TAIL.sub("", _CHECK_HEAD.sub("", text.strip()))
        return self.expression(text)

    def parts(self, columns: list[IndexColumn]) -> list[str]:
        """Key parts as comparable text: `name`, `lower(x)`, with `(10)`, ` desc`, ` ops`."""
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

    # -- objects ---------------------------------------------------------------------------------

    def column(self, table: str, key: str, left: Column, right: Column) -> Iterator[Difference]:
        def differ(what: str, lv: object, rv: object) -> Difference:
            return Difference("column", table, key, left.name, what, show(lv), show(rv))

        lt, rt = left.type, right.type
        lnative, rnative = self.type_text(lt.native), self.type_text(rt.native)
        if lnative != rnative:
            yield differ("type", lnative, rnative)
        else:  # the kind follows from the type; say it only when that agrees
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

    def primary_key(
        self, table: str, left: PrimaryKey | None, right: PrimaryKey | None
    ) -> Iterator[Difference]:
        if left is None or right is None:
            if left is not right:
                yield _only("primary_key", table, None, None, left is not None)
            return
        lparts, rparts = self.parts(left.columns), self.parts(right.columns)
        if lparts != rparts:
            yield Difference("primary_key", table, None, None, "columns", show(lparts),
                             show(rparts))  # fmt: skip
        lname, rname = self.pk_name(left), self.pk_name(right)
        if lname != rname:
            yield Difference("primary_key", table, None, None, "name", show(lname), show(rname))

    def pk_name(self, pk: PrimaryKey) -> str | None:
        """MySQL names every primary key `PRIMARY`: the same as none."""
        return None if self.dialect == "mysql" and pk.name == "PRIMARY" else pk.name

    def foreign_key(
        self, table: str, key: str, name: str, left: ForeignKey, right: ForeignKey
    ) -> Iterator[Difference]:
        def differ(what: str, lv: object, rv: object) -> Difference:
            return Difference("foreign_key", table, key, name, what, show(lv), show(rv))

        lcols = [self.name_key(c) for c in left.columns]
        rcols = [self.name_key(c) for c in right.columns]
        if lcols != rcols:
            yield differ("columns", lcols, rcols)
        ltarget, rtarget = self.target(left), self.target(right)
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
        if self.policy.not_valid and left.not_valid != right.not_valid:
            yield differ("not valid", left.not_valid, right.not_valid)

    def target(self, fk: ForeignKey) -> str:
        name = fk.referenced_table
        if self.fold and self.policy.fold_referenced_table:
            name = name.lower()
        return f"{fk.referenced_schema}.{name}" if fk.referenced_schema else name

    def index(self, table: str, key: str, left: Index, right: Index) -> Iterator[Difference]:
        def differ(what: str, lv: object, rv: object) -> Difference:
            return Difference("index", table, key, left.name, what, show(lv), show(rv))

        lparts, rparts = self.parts(left.columns), self.parts(right.columns)
        if lparts != rparts:
            yield differ("columns", lparts, rparts)
        if left.unique != right.unique:
            yield differ("unique", left.unique, right.unique)
        if (left.method or "btree") != (right.method or "btree"):
            yield differ("method", left.method or "btree", right.method or "btree")
        lpred, rpred = self.expression(left.predicate), self.expression(right.predicate)
        if lpred != rpred:
            yield differ("predicate", lpred, rpred)
        linc = [self.name_key(c) for c in left.include]
        rinc = [self.name_key(c) for c in right.include]
        if linc != rinc:
            yield differ("include", linc, rinc)


def compare(left: Schema, right: Schema, policy: Policy | None = None) -> list[Difference]:
    """Every difference between two schemas under `policy` (the default compares all)."""
    provider = left.provider or right.provider or "postgresql"
    return Comparer(policy or Policy(provider=provider)).compare(left, right)


def _only(
    kind: ObjectKind, table: str, key: str | None, name: str | None, on_left: bool
) -> Difference:
    mark = "present"
    return Difference(kind, table, key, name, "only", mark if on_left else None,
                      None if on_left else mark)  # fmt: skip


def _kind(table: Table) -> str:
    return "view" if table.kind == "view" else "table"


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

"""Drift between two schemas in database form: the declared one and the migrated one.

`DriftComparer().compare(declared_form, migrated)` lists every `Drift`: an object on one side
only (table, view, column, primary key, index or unique, foreign key, enum, enum value), or a
property that differs (a column's type, nullability, default or auto-increment; a key's or an
index's columns, order, uniqueness, method, predicate, INCLUDE; a foreign key's target and
actions; a view that is a table). `str(drift)` reads like `server.verify.compare`'s
differences (`table "User" column "email": type text (schema) != character varying(255)
(migrations)`), and the objects are named the same way.

The comparison is `codegen.ddl.compare`'s, the one core `server.verify.compare` and the diff
use too, under drift's policy (`DriftPolicy`); texts go through `codegen.dialects.normalize` on
both sides. What is *not* drift, because Prisma's schema cannot say it or Prisma's own migrate
does not count it, is left out on purpose (`NOT_DRIFT` lists it, for the truth test and the docs):

- the order of a table's columns, and of an enum's values (Prisma compares them as sets);
- check constraints where the source cannot declare one (a Prisma schema, a Sequelize model
  set); where it can (`Source.checks_declared_on`: TypeORM's `@Check` on PostgreSQL and
  SQLite), `compare(..., checks=True)` pairs them as the migration diff does
  (`codegen.ddl.checks.check_changes`: by name, then by normalised condition), so drift is
  exactly what "Generate migration" would write: a check on one side only, a condition that
  differs (`what == "condition"`), a check under another name (`what == "name"`);
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
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from typing import Literal

from schemasense.codegen.ddl.checks import check_changes, condition
from schemasense.codegen.ddl.compare import Comparer, Difference, Policy, describe
from schemasense.codegen.ddl.diff import _check_body  # the diff's CHECK body, one spelling
from schemasense.codegen.ddl.operations import ConstraintDef, TableDef
from schemasense.codegen.schema import Schema, Table

DriftKind = Literal[
    "table", "column", "primary_key", "index", "foreign_key", "check", "enum", "enum_value"
]

NOT_DRIFT: dict[str, str] = {
    "column order": "Prisma compares a table's columns as a set; migrate never reorders them",
    "enum value order": "Prisma compares an enum's values as a set",
    "check": "a Prisma schema (or a Sequelize model set) cannot declare a check constraint",
    "not valid": "NOT VALID is a state of the data (not yet validated), not of the schema",
    "sequence name": "autoincrement() names no sequence; a renamed table keeps its old one",
    "now()": "now() and CURRENT_TIMESTAMP are one PostgreSQL function",
    "unique constraint": "a unique constraint and a unique index are both @unique to Prisma",
    "other schemas": "objects in database schemas the Prisma schema does not manage",
}
"""Kinds of catalog difference that are not drift, and why (see the module docstring)."""

LEFT = "schema"
RIGHT = "migrations"

_NEXTVAL = re.compile(r"^nextval\('.*'\)$")


@dataclass(frozen=True)
class DriftPolicy(Policy):
    """`NOT_DRIFT` as a policy of the comparison core: columns and enum values as sets, no
    checks, no NOT VALID, a unique constraint as a unique index, a sequence's name and
    PostgreSQL's `now()` spelling left out; a foreign key's target folded with the names."""

    column_order: bool = False
    enum_value_order: bool = False
    uniques_as_indexes: bool = True
    checks: bool = False
    not_valid: bool = False
    fold_referenced_table: bool = True

    def default_text(self, text: str) -> str | None:
        if _NEXTVAL.match(text):
            return "nextval(sequence)"
        if self.dialect == "postgresql" and text == "now()":
            return "current_timestamp"
        return text


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

    @classmethod
    def of(cls, d: Difference) -> Drift:
        """The core's difference as drift (named by its own spelling)."""
        return cls(d.kind, d.table, d.name, d.what, d.left, d.right)  # type: ignore[arg-type]

    @property
    def only_declared(self) -> bool:
        return self.what == "only" and self.left is not None

    @property
    def only_migrated(self) -> bool:
        return self.what == "only" and self.right is not None

    @property
    def where(self) -> str:
        """The object, named as `server.verify.compare` names it."""
        return describe(self.kind, self.table, self.name)

    def __str__(self) -> str:
        if self.what == "only":
            return f"{self.where}: only in the {LEFT if self.left is not None else RIGHT}"
        return f"{self.where}: {self.what} {self.left} ({LEFT}) != {self.right} ({RIGHT})"


_TableResults = dict[tuple[str, str], tuple[Table, Table, tuple[Difference, ...]]]
"""(table key, provider) -> (the two tables compared, their differences): used again while
both are the same objects."""


class DriftComparer:
    """Compares schemas in database form; keeps per-table results between calls."""

    def __init__(self) -> None:
        self._tables: _TableResults = {}

    def compare(
        self,
        declared: Schema,
        migrated: Schema,
        *,
        provider: str | None = None,
        managed_schemas: Collection[str | None] | None = None,
        checks: bool = False,
    ) -> list[Drift]:
        """Every drift between `declared` (left) and `migrated` (right), in a stable order.

        `managed_schemas` are the database schemas the Prisma schema manages (None for the
        default schema); objects elsewhere are left out. None means the default schema plus
        every schema the declared side uses. `checks`: compare CHECK constraints too (where
        the declared side can declare them; see the module docstring)."""
        provider = provider or declared.provider or migrated.provider or "postgresql"
        if managed_schemas is None:
            managed = {None, *(t.db_schema for t in declared.tables)}
            managed |= {e.db_schema for e in declared.enums}
        else:
            managed = set(managed_schemas)
        comparer = _CachedComparer(DriftPolicy(provider=provider, right_schemas=managed),
                                   self._tables, checks)  # fmt: skip
        differences = comparer.compare(declared, migrated)
        self._tables = comparer.cache
        return [Drift.of(d) for d in differences]


class _CachedComparer(Comparer):
    """The core, with each pair of tables' result kept under the table's key and used while
    both table objects are the same (they stay so while neither side changes), so a keystroke
    compares the one table it touched."""

    def __init__(self, policy: DriftPolicy, previous: _TableResults, checks: bool) -> None:
        super().__init__(policy)
        self.previous = previous
        self.cache: _TableResults = {}
        self.checks = checks

    def table(self, key: str, left: Table, right: Table) -> Iterator[Difference]:
        ck = (key, self.policy.provider, self.checks)
        hit = self.previous.get(ck)
        if hit is None or hit[0] is not left or hit[1] is not right:
            found = tuple(super().table(key, left, right))
            if self.checks:
                found += tuple(check_drift(self.dialect, key, left, right))
            hit = (left, right, found)
        self.cache[ck] = hit
        return iter(hit[2])


def _checks_of(t: Table) -> TableDef:
    """The table's CHECKs as the migration diff reads them (`codegen.ddl.diff`)."""
    checks = tuple(ConstraintDef("check", c.name, raw=_check_body(c.expression)) for c in t.checks)
    return TableDef(t.name, (), constraints=checks)


def condition_of(dialect: str, expression: str) -> str:
    """A check's condition as `check_drift` shows it (an unnamed check's name)."""
    return condition(dialect, ConstraintDef("check", None, raw=_check_body(expression)))


def check_drift(dialect: str, key: str, declared: Table, migrated: Table) -> Iterator[Difference]:
    """The CHECK differences of one pair of tables, paired by `codegen.ddl.checks` exactly as
    the diff pairs them (migrated -> declared): a check dropped and added under one name is a
    changed condition; one renamed (same condition) is a `name` difference; the rest are on
    one side only (an unnamed check is named by its condition)."""
    changes = check_changes(dialect, _checks_of(migrated), _checks_of(declared))
    if not changes.any:
        return
    fold = dialect in ("mysql", "sqlite")

    def ident(c: ConstraintDef) -> str:
        name = c.name or condition(dialect, c)
        return name.lower() if fold else name

    added = {ident(c): c for c in changes.added if c.name}
    changed: set[str] = set()
    for old in changes.dropped:
        new = added.get(ident(old)) if old.name else None
        if new is not None:
            changed.add(ident(old))
            yield Difference("check", key, ident(old), new.name, "condition",
                             str(new.raw), str(old.raw))  # fmt: skip
        else:
            yield Difference("check", key, ident(old), old.name or condition(dialect, old),
                             "only", None, "present")  # fmt: skip
    for new in changes.added:
        if ident(new) not in changed:
            yield Difference("check", key, ident(new), new.name or condition(dialect, new),
                             "only", "present", None)  # fmt: skip
    for old, new in changes.renamed:
        yield Difference("check", key, ident(new), new.name or condition(dialect, new), "name",
                         new.name or "none", old.name or "none")  # fmt: skip

"""CHECK constraints of one table on two sides: which were dropped, added, changed or renamed.

`diff` asks this only where the declared side can say what CHECKs a table has (a TypeORM
entity's `@Check` on PostgreSQL and SQLite, a DDL schema file): a Prisma schema or a Sequelize
model set declares none, so a CHECK a migration wrote by hand is no difference there (dropping
it would lose what the developer added on purpose).

Pairing, as TypeORM's schema builder does it and one step further:
- by name first (TypeORM's `dropOldChecks` / `createNewChecks` match checks by name only): a
  check of the same name whose condition changed is dropped and added again (TypeORM would not
  notice a changed condition under a name given by hand; the database would keep the old one);
- the rest by their condition (`dialects.normalize`, so `(a >= 0)` and `a >= 0` are one): the
  same condition under a new name is a rename (TypeORM's `CHK_<sha1>` names hash the table's
  name, so a renamed table's checks get new names; PostgreSQL renames a constraint in place);
- what is left is dropped or added.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from schemasense.codegen.ddl.operations import ConstraintDef, TableDef
from schemasense.codegen.dialects.normalize import normalize_expression


@dataclass(frozen=True, slots=True)
class CheckChanges:
    """One table's check changes: `dropped` (before's), `added` (after's), and `renamed`
    (before's, after's) pairs with the same condition."""

    dropped: tuple[ConstraintDef, ...] = ()
    added: tuple[ConstraintDef, ...] = ()
    renamed: tuple[tuple[ConstraintDef, ConstraintDef], ...] = ()

    @property
    def any(self) -> bool:
        return bool(self.dropped or self.added or self.renamed)


def table_checks(t: TableDef) -> list[ConstraintDef]:
    """The table's CHECKs as `diff` reads them (the body in `raw`, as text)."""
    return [c for c in t.constraints if c.kind == "check" and isinstance(c.raw, str)]


def condition(dialect: str, c: ConstraintDef) -> str:
    """A check's condition, comparable across spellings."""
    return normalize_expression(dialect, str(c.raw)) or ""


def check_changes(dialect: str, before: TableDef, after: TableDef) -> CheckChanges:
    """What changed in the CHECKs from `before` to `after` (see the module docstring)."""
    left, right = table_checks(before), table_checks(after)
    if not left and not right:
        return CheckChanges()
    fold = dialect in ("mysql", "sqlite")

    def key(name: str | None) -> str | None:
        if not name:
            return None
        return name.lower() if fold else name

    dropped: list[ConstraintDef] = []
    added: list[ConstraintDef] = []
    renamed: list[tuple[ConstraintDef, ConstraintDef]] = []
    right_by_name = {key(c.name): c for c in right if key(c.name)}
    unpaired_left: list[ConstraintDef] = []
    taken: set[int] = set()
    for c in left:
        partner = right_by_name.get(key(c.name))
        if partner is None:
            unpaired_left.append(c)
            continue
        taken.add(id(partner))
        if condition(dialect, c) != condition(dialect, partner):
            dropped.append(c)
            added.append(partner)
    unpaired_right = [c for c in right if id(c) not in taken]
    by_condition: dict[str, list[ConstraintDef]] = {}
    for c in unpaired_right:
        by_condition.setdefault(condition(dialect, c), []).append(c)
    for c in unpaired_left:
        same = by_condition.get(condition(dialect, c))
        if same:
            partner = same.pop(0)
            if not c.name and not partner.name:
                continue  # two unnamed checks with one condition: the same check
            renamed.append((c, partner))
        else:
            dropped.append(c)
    for rest in by_condition.values():
        added.extend(rest)
    order = {id(c): i for i, c in enumerate(right)}
    added.sort(key=lambda c: order.get(id(c), len(order)))
    return CheckChanges(tuple(dropped), tuple(added), tuple(renamed))


_TOKEN = re.compile(r"'(?:[^']|'')*'|\"((?:[^\"]|\"\")*)\"|([A-Za-z_]\w*)")


def rename_columns(body: str, renames: Mapping[str, str]) -> str:
    """A check's body with its columns renamed (`"old"` and a bare `old`, never inside a
    string literal): what the database does to a check when a column is renamed."""
    if not renames:
        return body

    def swap(m: re.Match[str]) -> str:
        quoted, bare = m.group(1), m.group(2)
        if quoted is not None and quoted in renames:
            return '"' + renames[quoted].replace('"', '""') + '"'
        if bare is not None and bare in renames:
            new = renames[bare]
            return new if re.fullmatch(r"[a-z_][a-z0-9_]*", new) else f'"{new}"'
        return m.group(0)

    return _TOKEN.sub(swap, body)

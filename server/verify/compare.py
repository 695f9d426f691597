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

The comparison is `codegen.ddl.compare`'s core under its default policy (everything the catalog
holds counts), the one drift and the diff use too; this module names the objects in words.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from schemasense.codegen.ddl.compare import Comparer, Policy
from schemasense.codegen.schema import Schema


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
    policy = Policy(
        provider=provider or introspected.provider or replayed.provider or "postgresql",
        normalize=not exact,
    )
    return [
        Difference(d.where(), d.what, d.left, d.right, left_name, right_name)
        for d in Comparer(policy).compare(replayed, introspected)
    ]


def format_differences(differences: Sequence[Difference], limit: int | None = None) -> str:
    """The differences one per line (the first `limit`, and how many more)."""
    shown = differences if limit is None else differences[:limit]
    lines = [str(d) for d in shown]
    if limit is not None and len(differences) > limit:
        lines.append(f"... and {len(differences) - limit} more")
    return "\n".join(lines)

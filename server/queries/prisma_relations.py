"""How one Prisma relation field joins two tables, in database names.

A relation filter (`posts: { some: {...} }`), an `include` or a `select` of a relation is a
query of its own on the related table, which looks the related rows up by the columns that
join them: `include: { posts: true }` on `User` reads `Post` by `authorId IN (...)`; `author:
true` on `Post` reads `User` by `id IN (...)`; `tags: true` through Prisma's implicit
many-to-many table reads `_PostToTag` by `A IN (...)` and then `Tag` by `id IN (...)`. The
schema model keeps the foreign key on one side only (`Relation.fields`), so the back side is
found through the relation's name on the other model.
"""

from __future__ import annotations

from dataclasses import dataclass

from schemasense.codegen.schema import Relation, Schema, Table


@dataclass(frozen=True, slots=True)
class Hop:
    """One lookup: rows of `table` found by `columns` (database names)."""

    table: Table
    columns: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Link:
    """What a relation field of `parent` reads: `hops`, in order (one, or two through a
    join table; the last is the related model's table), and `parent_columns`, the parent's
    columns the lookup starts from (its foreign key, or the columns the other side
    references)."""

    parent_columns: tuple[str, ...]
    hops: tuple[Hop, ...]

    @property
    def target(self) -> Hop:
        return self.hops[-1]


def relation_of(table: Table, field_name: str) -> Relation | None:
    return next((r for r in table.relations if r.field_name == field_name), None)


def link_of(schema: Schema, table: Table, relation: Relation) -> Link | None:
    """How `relation` (a relation field of `table`) reaches its model, or None when the
    schema does not say (a relation whose other side is missing)."""
    target = schema.model(relation.target_model)
    if target is None:
        return None
    if relation.join_table:
        join = schema.table(relation.join_table)
        if join is None:
            return None
        keys = [fk for fk in join.foreign_keys if fk.referenced_table == table.name]
        others = [fk for fk in join.foreign_keys if fk.referenced_table == target.name]
        if not keys or not others:
            return None
        mine = keys[0]
        other = next((fk for fk in others if fk is not mine), others[-1])
        return Link(
            tuple(mine.referenced_columns),
            (Hop(join, tuple(mine.columns)), Hop(target, tuple(other.referenced_columns))),
        )
    if relation.fields:
        parent_cols = _columns(table, relation.fields)
        target_cols = _columns(target, relation.references)
        if parent_cols is None or target_cols is None:
            return None
        return Link(parent_cols, (Hop(target, target_cols),))
    opposite = next(
        (
            r
            for r in target.relations
            if r.name == relation.name
            and r.target_model == table.model_name
            and r.fields
            and not (target is table and r.field_name == relation.field_name)
        ),
        None,
    )
    if opposite is None:
        return None
    target_cols = _columns(target, opposite.fields)
    parent_cols = _columns(table, opposite.references)
    if parent_cols is None or target_cols is None:
        return None
    return Link(parent_cols, (Hop(target, target_cols),))


def _columns(table: Table, fields: list[str]) -> tuple[str, ...] | None:
    names: list[str] = []
    for name in fields:
        column = table.field(name)
        if column is None:
            return None
        names.append(column.name)
    return tuple(names)

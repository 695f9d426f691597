"""What to test for each model, whatever the ORM: the plan the templates render.

From a table of the schema model (database truth with the ORM's names): how to make a valid
row (`Factory`: a value per column the database or ORM does not fill, and a parent row per
required foreign key), and one case per constraint: each unique constraint or unique index,
each NOT NULL column, each one-column CHECK, each foreign key (a missing parent, and what
deleting the parent does), `@updatedAt`, and each index (the query it serves). Every case is
built so that it fails when its constraint is gone. A case the generator cannot write is kept
as a `Skipped` with the reason, which the test file shows as `it.todo`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from schemasense.codegen.schema import Column, ForeignKey, Schema, Table

from .values import Violation, check_violation, missing_value, valid_value


@dataclass(frozen=True, slots=True)
class Value:
    column: str
    field: str
    ts: str


@dataclass(frozen=True, slots=True)
class Parent:
    """A foreign key as the factory and the tests see it."""

    name: str
    model: str
    table: str
    fields: tuple[str, ...]
    """The child's fields (FK columns)."""
    columns: tuple[str, ...]
    parent_fields: tuple[str, ...]
    parent_columns: tuple[str, ...]
    on_delete: str
    nullable: bool
    missing: tuple[str, ...] | None
    """A value per FK column no parent has; None when the type has none."""
    scalar: bool = True
    """The ORM sets the key through its own fields (Prisma's `authorId`, a TypeORM `@Column`
    on the join column), not through a relation property holding the parent."""


@dataclass(frozen=True, slots=True)
class Unique:
    name: str
    fields: tuple[str, ...]
    columns: tuple[str, ...]
    parents: tuple[Parent, ...]
    """Parents whose key is part of the unique constraint (the duplicate shares them)."""


@dataclass(frozen=True, slots=True)
class Check:
    name: str
    field: str
    violation: Violation


@dataclass(frozen=True, slots=True)
class IndexCase:
    name: str
    fields: tuple[str, ...]
    columns: tuple[str, ...]
    predicate: str | None
    optional_parents: tuple[Parent, ...]
    set_aside: tuple[str, ...] = ()
    """The table's other plain (non-unique) indexes: on PostgreSQL the plan is read with them
    dropped inside a transaction that is rolled back, since on a table of a few rows another
    index with the same partial predicate can cost the same and be read instead (a coin toss
    the test would otherwise lose now and then). The claim stays the one tested: this index
    serves the lookup; without it the plan uses none, so the test still fails when it goes."""


@dataclass(frozen=True, slots=True)
class Skipped:
    what: str
    reason: str


@dataclass(frozen=True, slots=True)
class UpdatedAt:
    field: str
    bump_field: str
    bump_value: str


@dataclass
class ModelPlan:
    model: str
    table: str
    key: list[tuple[str, str]]
    """(column, field) of the primary key."""
    fields: dict[str, str] = field(default_factory=dict)
    """Column -> the ORM's field for it."""
    nullable: set[str] = field(default_factory=set)
    values: list[Value] = field(default_factory=list)
    parents: list[Parent] = field(default_factory=list)
    """Required foreign keys: the factory makes their parent rows."""
    optional_parents: list[Parent] = field(default_factory=list)
    uniques: list[Unique] = field(default_factory=list)
    not_nulls: list[tuple[str, str]] = field(default_factory=list)
    checks: list[Check] = field(default_factory=list)
    foreign_keys: list[Parent] = field(default_factory=list)
    updated_at: UpdatedAt | None = None
    indexes: list[IndexCase] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    soft_delete: tuple[str, str] | None = None
    """(column, field) the ORM sets instead of deleting the row (TypeORM @DeleteDateColumn)."""
    unusable: str | None = None
    """Why no row of this model can be made (then only the reason is written)."""


def testable_tables(schema: Schema) -> list[Table]:
    """The tables a model declares (not views, not derived join tables, not ignored)."""
    return [
        t
        for t in schema.tables
        if t.kind == "table" and t.model_name and not t.ignored and t.primary_key is not None
    ]


def plan_model(
    table: Table,
    schema: Schema,
    soft_delete: str | None = None,
    as_string: frozenset[str] = frozenset(),
    relation_fks: frozenset[str] = frozenset(),
) -> ModelPlan:
    """`relation_fks`: the foreign keys (by name) the ORM sets through a relation property."""
    assert table.primary_key is not None and table.model_name is not None
    key = [(c.column or "", _field(table, c.column or "")) for c in table.primary_key.columns]
    plan = ModelPlan(table.model_name, table.name, key)
    plan.fields = {c.name: c.field_name or c.name for c in table.columns}
    plan.nullable = {c.name for c in table.columns if c.nullable}
    models = {t.name: t for t in testable_tables(schema)}
    fk_columns = {c for fk in table.foreign_keys for c in fk.columns}
    check_columns = {
        c.name for c in table.columns if any(_mentions(k.expression, c.name) for k in table.checks)
    }
    for column in table.columns:
        if column.name in fk_columns or _filled_for_us(column) or column.name == soft_delete:
            continue
        checks = tuple(k.expression for k in table.checks if _mentions(k.expression, column.name))
        ts = valid_value(
            column,
            schema,
            in_check=column.name in check_columns,
            as_string=as_string,
            checks=checks,
        )
        if ts is None:
            if not column.nullable:
                plan.unusable = (
                    f"{column.field_name or column.name} ({column.type.kind}) has no value the "
                    "generator can write"
                )
            continue
        plan.values.append(Value(column.name, column.field_name or column.name, ts))
    for fk in table.foreign_keys:
        parent = _parent(fk, table, models, fk.name not in relation_fks)
        if parent is None:
            plan.skipped.append(Skipped(f"foreign key {fk.name}", "its parent is not a model"))
            if not all(_nullable(table, c) for c in fk.columns):
                plan.unusable = f"the parent of {fk.name} ({fk.referenced_table}) is not a model"
            continue
        plan.foreign_keys.append(parent)
        (plan.optional_parents if parent.nullable else plan.parents).append(parent)
    if soft_delete is not None and table.column(soft_delete) is not None:
        plan.soft_delete = (soft_delete, _field(table, soft_delete))
    _plan_uniques(plan, table)
    _plan_not_nulls(plan, table, fk_columns)
    _plan_checks(plan, table)
    _plan_updated_at(plan, table, fk_columns)
    _plan_indexes(plan, table)
    return plan


def _field(table: Table, column: str) -> str:
    c = table.column(column)
    return (c.field_name or c.name) if c is not None else column


def _nullable(table: Table, column: str) -> bool:
    c = table.column(column)
    return c is not None and c.nullable


def _filled_for_us(column: Column) -> bool:
    """The database or the ORM gives it a value: a default, an identity, `@updatedAt`."""
    return column.default is not None or column.auto_increment or column.updated_at


def _mentions(expression: str, column: str) -> bool:
    import re

    return (
        re.search(rf'(?<![A-Za-z0-9_])"?{re.escape(column)}"?(?![A-Za-z0-9_])', expression)
        is not None
    )


def _parent(
    fk: ForeignKey, table: Table, models: dict[str, Table], scalar: bool = True
) -> Parent | None:
    target = models.get(fk.referenced_table)
    if target is None or target.model_name is None:
        return None
    columns = [table.column(c) for c in fk.columns]
    if any(c is None for c in columns):
        return None
    missing = [missing_value(c) for c in columns if c is not None]
    return Parent(
        name=fk.name,
        model=target.model_name,
        table=target.name,
        fields=tuple(_field(table, c) for c in fk.columns),
        columns=tuple(fk.columns),
        parent_fields=tuple(_field(target, c) for c in fk.referenced_columns),
        parent_columns=tuple(fk.referenced_columns),
        on_delete=fk.on_delete,
        nullable=all(c.nullable for c in columns if c is not None),
        missing=None if any(m is None for m in missing) else tuple(m for m in missing if m),
        scalar=scalar,
    )


def _plan_uniques(plan: ModelPlan, table: Table) -> None:
    groups: list[tuple[str, list[str | None]]] = [
        (u.name, [c.column for c in u.columns]) for u in table.uniques
    ]
    groups += [(i.name, [c.column for c in i.columns]) for i in table.indexes if i.unique]
    settable = {c.name for c in table.columns if c.field_name or c.name}
    for name, columns in groups:
        if any(c is None for c in columns):
            plan.skipped.append(Skipped(f"unique {name}", "it is on an expression"))
            continue
        cols = [c for c in columns if c]
        if not all(c in settable for c in cols):
            plan.skipped.append(
                Skipped(f"unique {name}", "a column of it is filled by the database or the ORM")
            )
            continue
        parents = tuple(p for p in plan.foreign_keys if set(p.columns) & set(cols))
        plan.uniques.append(
            Unique(name, tuple(_field(table, c) for c in cols), tuple(cols), parents)
        )


def _plan_not_nulls(plan: ModelPlan, table: Table, fk_columns: set[str]) -> None:
    key = {c for c, _ in plan.key}
    for column in table.columns:
        if column.nullable or column.name in key:
            continue
        plan.not_nulls.append((column.name, column.field_name or column.name))


def _plan_checks(plan: ModelPlan, table: Table) -> None:
    columns = {c.name for c in table.columns}
    for check in table.checks:
        found = check_violation(check.expression, columns)
        if isinstance(found, str):
            plan.skipped.append(Skipped(f"check {check.name}", found))
            continue
        plan.checks.append(Check(check.name, _field(table, found.column), found))


def _plan_updated_at(plan: ModelPlan, table: Table, fk_columns: set[str]) -> None:
    stamp = next((c for c in table.columns if c.updated_at), None)
    if stamp is None:
        return
    unique_cols = {c.column for u in table.uniques for c in u.columns} | {
        c.column for i in table.indexes if i.unique for c in i.columns
    }
    check_cols = {c.violation.column for c in plan.checks}
    key_cols = {c for c, _ in plan.key}
    for value in plan.values:
        if value.column in unique_cols | check_cols | key_cols:
            continue
        plan.updated_at = UpdatedAt(stamp.field_name or stamp.name, value.field, value.ts)
        return
    plan.skipped.append(
        Skipped(f"{stamp.field_name or stamp.name} moving", "no plain column to change")
    )


def _plan_indexes(plan: ModelPlan, table: Table) -> None:
    settable = {c.name for c in table.columns}
    for index in table.indexes:
        if any(c.column is None for c in index.columns):
            plan.skipped.append(Skipped(f"index {index.name}", "it is on an expression"))
            continue
        if index.method not in (None, "btree", "hash"):
            plan.skipped.append(
                Skipped(f"index {index.name}", f"a {index.method} index serves no equality query")
            )
            continue
        cols = tuple(c.column or "" for c in index.columns)
        if not all(c in settable for c in cols):
            plan.skipped.append(
                Skipped(
                    f"index {index.name}", "a column of it is filled by the database or the ORM"
                )
            )
            continue
        optional = tuple(p for p in plan.optional_parents if set(p.columns) & set(cols))
        set_aside = tuple(i.name for i in table.indexes if i is not index and not i.unique)
        plan.indexes.append(
            IndexCase(
                index.name,
                tuple(_field(table, c) for c in cols),
                cols,
                index.predicate,
                optional,
                set_aside,
            )
        )


def settle_parents(plans: list[ModelPlan]) -> list[ModelPlan]:
    """A model whose required parent cannot be made cannot be made either; a test that would
    make an optional parent that cannot be made is skipped."""
    unusable = {p.model for p in plans if p.unusable}
    changed = True
    while changed:
        changed = False
        for p in plans:
            if p.unusable:
                continue
            blocked = next((x for x in p.parents if x.model in unusable), None)
            if blocked is not None:
                p.unusable = f"its parent {blocked.model} ({blocked.name}) cannot be made"
                unusable.add(p.model)
                changed = True
    for p in plans:
        if p.unusable:
            continue
        dropped = [x for x in p.optional_parents if x.model in unusable]
        for x in dropped:
            p.skipped.append(Skipped(f"foreign key {x.name}", f"{x.model} cannot be made"))
        gone = {x.name for x in dropped}
        p.optional_parents = [x for x in p.optional_parents if x.name not in gone]
        p.foreign_keys = [x for x in p.foreign_keys if x.name not in gone]
        p.uniques = [u for u in p.uniques if not any(x.name in gone for x in u.parents)]
        p.indexes = [i for i in p.indexes if not any(x.name in gone for x in i.optional_parents)]
    return plans

"""What a description adds to a project's schema, and where the two disagree.

Both schemas are in database form (names as the database has them, types as a replay spells
them), so a column is the same column when its table and name are, and the same type when the
database would say the same type. A table the project lacks is created whole; a table it has
may gain columns, indexes, unique constraints, foreign keys and checks; a column both declare
with different types (or nullability) is a conflict, with both places, and nothing is merged.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from schemasense.codegen.schema import (
    CheckConstraint,
    Column,
    ForeignKey,
    Index,
    Schema,
    Span,
    Table,
    UniqueConstraint,
)


@dataclass(frozen=True)
class TableChange:
    """What the description adds to a table the project has."""

    table: str
    columns: tuple[Column, ...] = ()
    indexes: tuple[Index, ...] = ()
    uniques: tuple[UniqueConstraint, ...] = ()
    foreign_keys: tuple[ForeignKey, ...] = ()
    checks: tuple[CheckConstraint, ...] = ()

    @property
    def is_empty(self) -> bool:
        return not (
            self.columns or self.indexes or self.uniques or self.foreign_keys or self.checks
        )


@dataclass(frozen=True)
class Conflict:
    """The description and the project say different things about one column."""

    table: str
    column: str
    described: str
    declared: str
    described_span: Span | None
    declared_span: Span | None


@dataclass(frozen=True)
class Merged:
    schema: Schema
    """The project's schema with the description merged in."""
    created: tuple[Table, ...] = ()
    changed: tuple[TableChange, ...] = ()
    conflicts: tuple[Conflict, ...] = field(default_factory=tuple)


def type_text(column: Column) -> str:
    """A column's type as the database spells it (what two declarations are compared by)."""
    t = column.type
    text = (t.native or t.kind).lower()
    return text + ("[]" if t.array and not text.endswith("[]") else "")


def merge(project: Schema, described: Schema) -> Merged:
    """`described` merged into `project` (see the module docstring)."""
    tables = {t.name: t for t in project.tables}
    created: list[Table] = []
    changed: list[TableChange] = []
    conflicts: list[Conflict] = []
    for table in described.tables:
        have = tables.get(table.name)
        if have is None:
            created.append(table)
            tables[table.name] = table
            continue
        change, found = _change(have, table)
        conflicts += found
        if not change.is_empty:
            changed.append(change)
            tables[table.name] = _apply(have, change)
    order = [t.name for t in project.tables] + [t.name for t in created]
    enums = list(project.enums) + [e for e in described.enums if project.enum(e.name) is None]
    schema = project.model_copy(update={"tables": [tables[n] for n in order], "enums": enums})
    return Merged(schema, tuple(created), tuple(changed), tuple(conflicts))


def _change(have: Table, table: Table) -> tuple[TableChange, list[Conflict]]:
    conflicts = []
    columns = []
    for column in table.columns:
        old = have.column(column.name)
        if old is None:
            columns.append(column)
            continue
        a, b = type_text(column), type_text(old)
        if a != b or column.nullable != old.nullable:
            conflicts.append(
                Conflict(
                    table.name,
                    column.name,
                    a + (" NULL" if column.nullable else " NOT NULL"),
                    b + (" NULL" if old.nullable else " NOT NULL"),
                    column.span,
                    old.span,
                )
            )
    index_keys = {_key(i.columns) for i in have.indexes} | {_key(u.columns) for u in have.uniques}
    names = (
        {i.name for i in have.indexes}
        | {u.name for u in have.uniques}
        | {f.name for f in have.foreign_keys}
        | {c.name for c in have.checks}
    )
    indexes = [
        i for i in table.indexes if i.name not in names and (_key(i.columns), i.unique) not in
        {(_key(x.columns), x.unique) for x in have.indexes}
    ]  # fmt: skip
    uniques = [
        u for u in table.uniques if u.name not in names and _key(u.columns) not in index_keys
    ]
    fk_keys = {(tuple(f.columns), f.referenced_table) for f in have.foreign_keys}
    fks = [
        f
        for f in table.foreign_keys
        if f.name not in names and (tuple(f.columns), f.referenced_table) not in fk_keys
    ]
    check_texts = {c.expression for c in have.checks}
    checks = [c for c in table.checks if c.name not in names and c.expression not in check_texts]
    change = TableChange(
        table.name, tuple(columns), tuple(indexes), tuple(uniques), tuple(fks), tuple(checks)
    )
    return change, conflicts


def _key(columns) -> tuple:
    return tuple((c.column, c.expression) for c in columns)


def _apply(have: Table, change: TableChange) -> Table:
    return have.model_copy(
        update={
            "columns": [*have.columns, *change.columns],
            "indexes": [*have.indexes, *change.indexes],
            "uniques": [*have.uniques, *change.uniques],
            "foreign_keys": [*have.foreign_keys, *change.foreign_keys],
            "checks": [*have.checks, *change.checks],
        }
    )

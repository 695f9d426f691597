"""Give a description's new tables and columns the project's ORM names.

A description in SQL names only database objects; the project's models name them their own
way. Its new models get the project's habits: model names in PascalCase singular (`products` ->
`Product`), fields in the project's case (camelCase fields mapped to snake_case columns with
`@map` in a Prisma project that does so, or through a TypeORM naming strategy or Sequelize's
`underscored`; the column's own name where the project's fields are its columns). Database
names are never changed: they are what the description says the database holds. Names the
description gave itself (a Prisma model, a TypeORM entity) are kept. Each change is said, for
the report.
"""

from __future__ import annotations

from dataclasses import dataclass

from schemasense.codegen.emit.models.facts import camel, model_name
from schemasense.codegen.schema import Column, Table


@dataclass(frozen=True)
class Adapted:
    tables: tuple[Table, ...]
    notes: tuple[str, ...]


def adapt_tables(
    tables: tuple[Table, ...] | list[Table],
    field_case: str,
    mapping: str,
    taken: set[str] | frozenset[str] = frozenset(),
) -> Adapted:
    """`tables` with model and field names in the project's conventions; `mapping` says how
    the ORM ties a field to a differently named column (`@map`, `naming strategy`, `field:`)."""
    out: list[Table] = []
    notes: list[str] = []
    used = set(taken)
    for table in tables:
        update: dict = {}
        if table.model_name is None and table.kind == "table":
            name = _free(model_name(table), table, used)
            update["model_name"] = name
            note = f"table `{table.name}` -> model `{name}`"
            if name != model_name(table):
                note += f" (the project has a model `{model_name(table)}` already)"
            notes.append(note)
        used.add(update.get("model_name") or table.model_name or table.name)
        columns = [_field(c, field_case) for c in table.columns]
        renamed = [f"`{c.name}` -> `{c.field_name}`" for c in columns
                   if c.field_name and c.field_name != c.name and not _given(table, c)]  # fmt: skip
        if renamed:
            notes.append(f"{table.name}: fields {', '.join(renamed)} ({mapping})")
        update["columns"] = columns
        out.append(table.model_copy(update=update))
    return Adapted(tuple(out), tuple(notes))


def _free(name: str, table: Table, used: set[str]) -> str:
    """`name`, else the table's name in PascalCase, else `name` numbered: never a model the
    project (or an earlier new table) has."""
    if name not in used:
        return name
    plural = "".join(w[:1].upper() + w[1:] for w in table.name.split("_") if w)
    if plural and plural not in used:
        return plural
    n = 2
    while f"{name}{n}" in used:
        n += 1
    return f"{name}{n}"


def _given(table: Table, column: Column) -> bool:
    old = table.column(column.name)
    return old is not None and old.field_name is not None


def _field(column: Column, field_case: str) -> Column:
    if column.field_name is not None:
        return column
    name = camel(column.name) if field_case == "camel" else column.name
    return column.model_copy(update={"field_name": name})

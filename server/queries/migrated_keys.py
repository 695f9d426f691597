"""The keys a query is judged against: the declared schema's, plus the indexes the project's
migrations build that the models do not declare.

A Sequelize or TypeORM project often creates its indexes in migrations only (`addIndex(...)`,
`CREATE INDEX ...` in a migration's SQL) and never writes them on the model: the database has
them, the declared schema does not. Judged against the declared schema alone, every query those
indexes serve would be flagged (DB401) although the database serves it (grouparoo: 26 of 35
findings). So the queries are judged against each declared table with the indexes and unique
constraints of the same table in the replay of the linked migrations added, when the column
they lead with is a column of the declared table (a replay that lost track of a rename adds
nothing; a later key column the model does not declare, as grouparoo's `permissions.topic`, is
still the database's). Drift between the two is the DB3xx rules' business, not this one's.
"""

from __future__ import annotations

from collections.abc import Sequence

from schemasense.codegen.schema import Index, Schema, Table, UniqueConstraint
from schemasense.server.project.detection import PRISMA, unit_database
from schemasense.server.sources.base import migration_places
from schemasense.server.workspace.workspace import Analysis, Workspace


def migrated_schemas(workspace: Workspace, analysis: Analysis) -> list[Schema]:
    """The replays of the migration sets linked to the unit (cached by the workspace); empty
    when it has none or they cannot be read."""
    unit = analysis.unit
    texts = {p: t for p, t in analysis.texts.items() if p in unit.files}
    try:
        database = None
        if unit.kind != PRISMA:
            database = unit_database(unit.kind, texts, analysis.config)
        places = migration_places(unit.kind, analysis.read)
        links = workspace.migrations.links(unit.files, texts, analysis.config, database, places)
    except Exception:
        return []
    return [link.replay.schema for link in links if link.replay is not None]


def with_migrated_keys(schema: Schema, migrated: Sequence[Schema]) -> Schema:
    """`schema` with, on each table, the indexes and unique constraints the migrated schemas
    hold on the same table and the declared table does not (by name, then by columns)."""
    if not migrated:
        return schema
    tables = []
    changed = False
    for table in schema.tables:
        extra_indexes: list[Index] = []
        extra_uniques: list[UniqueConstraint] = []
        for other in migrated:
            found = _same_table(other, table)
            if found is None:
                continue
            extra_indexes.extend(_new(table, found.indexes, extra_indexes, extra_uniques))
            extra_uniques.extend(_new(table, found.uniques, extra_indexes, extra_uniques))
        if extra_indexes or extra_uniques:
            changed = True
            table = table.model_copy(
                update={
                    "indexes": [*table.indexes, *extra_indexes],
                    "uniques": [*table.uniques, *extra_uniques],
                }
            )
        tables.append(table)
    return schema.model_copy(update={"tables": tables}) if changed else schema


def _same_table(schema: Schema, table: Table) -> Table | None:
    for other in schema.tables:
        if other.name == table.name and (other.db_schema or None) in (None, table.db_schema):
            return other
    return None


def _new(table: Table, keys: Sequence, *added: Sequence) -> list:
    """The keys of `keys` the declared table lacks: not named as one of its keys (or one added
    already), not on the same columns as one, and leading with a column the table has."""
    names = {k.name for k in (*table.indexes, *table.uniques) if k.name}
    names |= {k.name for group in added for k in group if k.name}
    shapes = {_shape(k) for k in (*table.indexes, *table.uniques)}
    if table.primary_key is not None:
        shapes.add(_shape(table.primary_key))
    out = []
    for key in keys:
        if key.name in names or _shape(key) in shapes:
            continue
        first = key.columns[0].column if key.columns else None
        if first is not None and table.column(first) is None:
            continue  # its leading column is not the model's: a rename the replay lost
        out.append(key.model_copy(update={"span": None}))
    return out


def _shape(key: Index | UniqueConstraint) -> tuple:
    return (
        tuple((c.column, c.expression) for c in key.columns),
        getattr(key, "predicate", None),
        getattr(key, "unique", True),
        getattr(key, "method", "btree"),
    )

"""A Sequelize model set -> the declared schema, in the database's form. Never raises.

The models are read statically (`declared.py`), given Sequelize's meaning (`build.py`), written
as the SQL `sync()` runs (`codegen/orms/sequelize/sync_sql.py`) and replayed by the migration
reader in the project's dialect, so the schema holds exactly what a database built by `sync()`
would (tests/verify/test_sequelize_sync.py proves it against real databases). The ORM's names
are then put back on it: each table's model, each column's attribute, the relations, and the
spans of the model text every object came from, so findings point at the models.

What Sequelize computes on insert and the database never sees (`defaultValue: DataTypes.NOW`,
`UUIDV4`, a function) and each attribute's `validate` are kept on the read (`attributes`), for
hover and for DTOs, since the schema model only holds what the database does.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from schemasense.codegen.orms.sequelize.sync_sql import enum_type, sync_statements
from schemasense.codegen.schema import Relation, Schema, Span, Table
from schemasense.server.findings import Finding
from schemasense.server.migrations import MigrationFile, MigrationSet
from schemasense.server.migrations.replay import Replayer
from schemasense.server.sources.sequelize.build import Attribute, Built, build, sync_tables
from schemasense.server.sources.sequelize.declared import Declared, read_declared

FILE = "<Sequelize models as SQL>"
"""The file id of the SQL `sync()` would run (a finding on it would be our bug)."""

REPLAY_DIALECT = {
    "postgres": "postgresql",
    "mysql": "mysql",
    "mariadb": "mysql",
    "sqlite": "sqlite",
}


@dataclass
class SequelizeRead:
    dialect: str
    """Sequelize's dialect name (`postgres`, `mysql`, `mariadb`, `sqlite`)."""
    texts: Mapping[str, str]
    declared: Declared
    built: Built
    sql: list[tuple[str, str]]
    findings: list[Finding] = field(default_factory=list)
    declared_schema: Schema = field(default_factory=Schema)
    setup: Any = None
    """The project's Sequelize set-up (`server/project/sequelize.py`) the read used."""

    @property
    def schema(self) -> Schema:
        return self.declared_schema

    @property
    def attributes(self) -> dict[tuple[str, str], Attribute]:
        """(table, column) -> the attribute as Sequelize holds it (client-side defaults,
        `validate`, the DataType as written)."""
        return {
            (m.naming.table, a.field): a for m in self.built.models for a in m.attributes.values()
        }


def read_models(
    texts: Mapping[str, str], dialect: str = "postgres", define: dict[str, Any] | None = None
) -> SequelizeRead:
    """Read the models of `texts` (file id -> text) for Sequelize's `dialect`."""
    declared = read_declared(texts)
    built = build(declared, dialect, define)  # type: ignore[arg-type]
    findings = [
        Finding(
            code=p.code,
            severity=p.severity,  # type: ignore[arg-type]
            message=p.message,
            span=Span(file=p.file, start=p.start, end=p.end),
        )
        for p in built.problems
    ]
    sql = sync_statements(sync_tables(built, dialect), dialect)  # type: ignore[arg-type]
    read = SequelizeRead(dialect, texts, declared, built, sql, findings)
    read.declared_schema = _schema(read)
    return read


def _schema(read: SequelizeRead) -> Schema:
    replay_dialect = REPLAY_DIALECT.get(read.dialect, "postgresql")
    text = "\n".join(statement for _, statement in read.sql) + "\n"
    mset = MigrationSet(
        tool="plain",
        dialect=replay_dialect,  # type: ignore[arg-type]
        root="",
        files=[MigrationFile(FILE, FILE, None, text)],
    )
    try:
        result = Replayer(incremental=False).replay(mset)
    except Exception as exc:  # the replay never raises on bad SQL; a bug must not stop the editor
        read.findings.append(
            Finding(
                code="DB000",
                severity="error",
                message=f"schemasense could not build these models: {type(exc).__name__}: {exc}",
                span=Span(file=next(iter(read.texts), ""), start=0, end=0),
                help="This is a bug in schemasense; please report it.",
            )
        )
        return Schema(sources=sorted(read.texts))
    for finding in result.findings:  # our SQL the replay could not take: a gap of ours
        read.findings.append(
            Finding(
                code="DB000",
                severity="warning",
                message=f"schemasense could not model part of these models: {finding.message}",
                span=Span(file=next(iter(read.texts), ""), start=0, end=0),
            )
        )
    provider = {"postgresql": "postgresql", "mysql": "mysql", "sqlite": "sqlite"}[replay_dialect]
    tables = [_decorate(t, read) for t in result.schema.tables]
    spans = {
        enum_type(t.name, c.name): c.span
        for t in tables
        for c in t.columns
        if c.type.kind == "enum" and c.span is not None
    }
    enums = [e.model_copy(update={"span": spans.get(e.name, e.span)}) for e in result.schema.enums]
    return result.schema.model_copy(
        update={
            "tables": tables,
            "enums": enums,
            "sources": sorted(read.texts),
            "provider": provider,
        }
    )


def _decorate(table: Table, read: SequelizeRead) -> Table:
    models = [m for m in read.built.models if m.naming.table == table.name]
    if not models:
        return table
    model = models[0]
    by_field: dict[str, Attribute] = {}
    for other in models:  # several models on one table (a shim): `sync` creates it once
        for a in other.attributes.values():
            by_field.setdefault(a.field, a)
    updated_at = model.naming.timestamp_attributes().get("updatedAt")
    columns = []
    for column in table.columns:
        attr = by_field.get(column.name)
        if attr is None:
            columns.append(column)
            continue
        columns.append(
            column.model_copy(
                update={
                    "field_name": attr.name,
                    "span": Span(file=attr.file, start=attr.start, end=attr.end),
                    "updated_at": attr.name == updated_at,
                }
            )
        )
    model_span = Span(file=model.file, start=model.start, end=model.end)
    foreign_keys = []
    for fk in table.foreign_keys:
        attr = by_field.get(fk.columns[0]) if len(fk.columns) == 1 else None
        span = Span(file=attr.file, start=attr.start, end=attr.end) if attr else model_span
        foreign_keys.append(fk.model_copy(update={"span": span}))
    index_spans = {index.name: (s, e) for index, s, e in model.indexes}
    indexes = []
    for index in table.indexes:
        where = index_spans.get(index.name)
        span = Span(file=model.file, start=where[0], end=where[1]) if where else model_span
        indexes.append(index.model_copy(update={"span": span}))
    uniques = [
        u.model_copy(update={"span": _unique_span(u.columns, by_field, model_span)})
        for u in table.uniques
    ]
    relations = [
        Relation(
            field_name=r.as_ or (r.target if r.source == model.name else r.source),
            target_model=r.target if r.source == model.name else r.source,
            name=f"{r.source}.{r.kind}({r.target})",
            kind=_relation_kind(r.kind, r.source == model.name),
            is_list=r.kind in ("hasMany", "belongsToMany"),
            optional=True,
            fields=[r.foreign_key] if r.holder == model.name and r.kind != "belongsToMany" else [],
            join_table=r.through,
            span=Span(file=r.decl.file, start=r.decl.start, end=r.decl.end),
        )
        for r in read.built.relations
        if model.name in (r.source, r.target) and r.source == model.name
    ]
    kind = "join_table" if model.through_of is not None else table.kind
    return table.model_copy(
        update={
            "model_name": model.name,
            "kind": kind,
            "columns": columns,
            "foreign_keys": foreign_keys,
            "indexes": indexes,
            "uniques": uniques,
            "relations": relations,
            "span": model_span,
            "primary_key": table.primary_key.model_copy(update={"span": model_span})
            if table.primary_key
            else None,
        }
    )


def _unique_span(columns, by_field, model_span: Span) -> Span:
    if len(columns) >= 1 and columns[0].column in by_field:
        attr = by_field[columns[0].column]
        return Span(file=attr.file, start=attr.start, end=attr.end)
    return model_span


def _relation_kind(kind: str, from_source: bool) -> str:
    return {
        "belongsTo": "many-to-one",
        "hasMany": "one-to-many",
        "hasOne": "one-to-one",
        "belongsToMany": "many-to-many",
    }[kind]

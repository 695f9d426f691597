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
from schemasense.server.sources.sequelize.build import (
    Attribute,
    Built,
    BuiltModel,
    build,
    sync_tables,
)
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
    kept: Kept | None = field(default=None, repr=False)
    """What the next read of the unit may reuse (`previous`)."""
    setup_reads: Any = None
    """What finding the set-up read (the source's, for the next read)."""

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


@dataclass
class Kept:
    """What a read leaves for the next read of the unit: the replay of its SQL (handed out
    again for the same statements), the replayer that made it (its checkpoints make a replay
    after one table changed start near that table), and each table as decorated from its
    replayed table and the models' names and spans (handed out again, the same object, when
    both are equal: the rules keep their findings per table object)."""

    statements: tuple[str, ...] = ()
    result: Any = None
    replayer: Replayer | None = None
    limit: int = 0
    """How many parses the replayer keeps (a few more than there are statements)."""
    decorated: dict[str, tuple[Table, tuple | None, Table]] = field(default_factory=dict)


def read_models(
    texts: Mapping[str, str],
    dialect: str = "postgres",
    define: dict[str, Any] | None = None,
    previous: SequelizeRead | None = None,
) -> SequelizeRead:
    """Read the models of `texts` (file id -> text) for Sequelize's `dialect`. `previous`:
    the unit's last read, whose work is reused where its inputs are unchanged (the result is
    the same as without it)."""
    declared = read_declared(texts)
    before = previous.built if previous is not None and previous.dialect == dialect else None
    built = build(declared, dialect, define, before)  # type: ignore[arg-type]
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
    kept = previous.kept if previous is not None and previous.dialect == dialect else None
    read.declared_schema = _schema(read, kept)
    return read


def _replay(statements: tuple[str, ...], dialect: str, kept: Kept | None) -> tuple[Any, Kept]:
    """The replay of the statements `sync()` runs: the kept one for the same statements;
    else each statement replayed as a file of its own (at its offset in the text of them
    all, so every span is what one file would give) by the kept replayer, which applies
    again only from its last checkpoint before the first statement that changed."""
    if kept is not None and kept.statements == statements and kept.result is not None:
        return kept.result, Kept(statements, kept.result, kept.replayer, kept.limit)
    files = []
    offset = 0
    for i, statement in enumerate(statements):
        files.append(MigrationFile(FILE, str(i), str(i), statement + "\n", up_span_offset=offset))
        offset += len(statement) + 1
    mset = MigrationSet(tool="plain", dialect=dialect, root="", files=files)  # type: ignore[arg-type]
    replayer, limit = (kept.replayer, kept.limit) if kept is not None else (None, 0)
    if replayer is None or limit < len(files) + 64:
        replayer, limit = Replayer(max_parsed=2 * len(files) + 64), 2 * len(files) + 64
    result = replayer.replay(mset)
    return result, Kept(statements, result, replayer, limit)


def _schema(read: SequelizeRead, kept: Kept | None = None) -> Schema:
    replay_dialect = REPLAY_DIALECT.get(read.dialect, "postgresql")
    statements = tuple(statement for _, statement in read.sql)
    try:
        result, read.kept = _replay(statements, replay_dialect, kept)
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
    by_table: dict[str, list[BuiltModel]] = {}
    for model in read.built.models:
        by_table.setdefault(model.naming.table, []).append(model)
    before = kept.decorated if kept is not None else {}
    tables = []
    for replayed in result.schema.tables:
        decoration = _decoration(by_table.get(replayed.name, []), read)
        held = before.get(replayed.name)
        if held is None or held[1] != decoration or held[0] != replayed:
            held = (replayed, decoration, _decorate(replayed, decoration))
        read.kept.decorated.setdefault(replayed.name, held)
        tables.append(held[2])
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


def _decoration(models: list[BuiltModel], read: SequelizeRead) -> tuple | None:
    """Everything `_decorate` puts on a replayed table, as plain data: the model's name and
    span, each column's attribute (name, span, whether it is `updatedAt`), the indexes'
    spans, the relations and the `deletedAt` attribute of a paranoid model (None: no model
    has the table). Equal decorations on an equal table give an equal table."""
    if not models:
        return None
    model = models[0]
    by_field: dict[str, tuple[str, str, int, int]] = {}
    for other in models:  # several models on one table (a shim): `sync` creates it once
        for a in other.attributes.values():
            by_field.setdefault(a.field, (a.name, a.file, a.start, a.end))
    stamps = model.naming.timestamp_attributes()
    updated_at = stamps.get("updatedAt")
    relations = tuple(
        (
            r.as_ or (r.target if r.source == model.name else r.source),
            r.target if r.source == model.name else r.source,
            f"{r.source}.{r.kind}({r.target})",
            _relation_kind(r.kind, r.source == model.name),
            r.kind in ("hasMany", "belongsToMany"),
            (r.foreign_key,) if r.holder == model.name and r.kind != "belongsToMany" else (),
            r.through,
            (r.decl.file, r.decl.start, r.decl.end),
        )
        for r in read.built.relations
        if model.name in (r.source, r.target) and r.source == model.name
    )
    return (
        model.name,
        model.through_of is not None,
        (model.file, model.start, model.end),
        tuple(by_field.items()),
        updated_at,
        tuple((index.name, s, e) for index, s, e in model.indexes),
        relations,
        stamps.get("deletedAt"),
    )


def _decorate(table: Table, decoration: tuple | None) -> Table:
    """The replayed table with the ORM's names and the models' spans put back on it."""
    if decoration is None:
        return table
    name, through, (file, start, end), fields, updated_at, index_spans, relations, deleted_at = (
        decoration
    )
    by_field = dict(fields)
    columns = []
    soft_delete = None
    for column in table.columns:
        attr = by_field.get(column.name)
        if attr is None:
            columns.append(column)
            continue
        if deleted_at is not None and attr[0] == deleted_at:
            soft_delete = column.name  # paranoid: reads add `<column> IS NULL`
        columns.append(
            column.model_copy(
                update={
                    "field_name": attr[0],
                    "span": Span(file=attr[1], start=attr[2], end=attr[3]),
                    "updated_at": attr[0] == updated_at,
                }
            )
        )
    model_span = Span(file=file, start=start, end=end)
    foreign_keys = []
    for fk in table.foreign_keys:
        attr = by_field.get(fk.columns[0]) if len(fk.columns) == 1 else None
        span = Span(file=attr[1], start=attr[2], end=attr[3]) if attr else model_span
        foreign_keys.append(fk.model_copy(update={"span": span}))
    spans = {index: (s, e) for index, s, e in index_spans}
    indexes = []
    for index in table.indexes:
        where = spans.get(index.name)
        span = Span(file=file, start=where[0], end=where[1]) if where else model_span
        indexes.append(index.model_copy(update={"span": span}))
    uniques = [
        u.model_copy(update={"span": _unique_span(u.columns, by_field, model_span)})
        for u in table.uniques
    ]
    relations_ = [
        Relation(
            field_name=field_name,
            target_model=target,
            name=relation_name,
            kind=kind,
            is_list=is_list,
            optional=True,
            fields=list(keys),
            join_table=join_table,
            span=Span(file=where[0], start=where[1], end=where[2]),
        )
        for field_name, target, relation_name, kind, is_list, keys, join_table, where in relations
    ]
    kind = "join_table" if through else table.kind
    return table.model_copy(
        update={
            "model_name": name,
            "kind": kind,
            "columns": columns,
            "foreign_keys": foreign_keys,
            "indexes": indexes,
            "uniques": uniques,
            "relations": relations_,
            "soft_delete": soft_delete,
            "span": model_span,
            "primary_key": table.primary_key.model_copy(update={"span": model_span})
            if table.primary_key
            else None,
        }
    )


def _unique_span(columns, by_field, model_span: Span) -> Span:
    if len(columns) >= 1 and columns[0].column in by_field:
        attr = by_field[columns[0].column]
        return Span(file=attr[1], start=attr[2], end=attr[3])
    return model_span


def _relation_kind(kind: str, from_source: bool) -> str:
    return {
        "belongsTo": "many-to-one",
        "hasMany": "one-to-many",
        "hasOne": "one-to-one",
        "belongsToMany": "many-to-many",
    }[kind]

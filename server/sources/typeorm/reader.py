"""A TypeORM unit (a DataSource and its entity files) -> the declared schema, in database form.
Never raises.

The entities are read into TypeORM's table metadata (`entities.py`), written as the SQL
TypeORM's own `createTable` writes (`codegen/orms/typeorm/create_sql.py`) and replayed by the
migration reader: so the schema is what a database holds after TypeORM synchronizes the
entities, in the same canonical form the migrations replay to, and drift compares like with
like (`database_form = True`: the schema is its own database form). Each table is replayed on
its own and kept under the text of its statements, so a keystroke in one entity replays one
table. Foreign keys on PostgreSQL are `ALTER TABLE` statements that need the other table; they
are taken from the metadata as they are (as `server/drift/database_form.py` does for Prisma).

Every object of the schema carries the span of the decorator (or class) that declared it;
columns carry their property name (`field_name`).
"""

from __future__ import annotations

import os
import threading
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass, field

from schemasense.codegen.orms.typeorm.create_sql import table_statements
from schemasense.codegen.orms.typeorm.metadata import TableMeta
from schemasense.codegen.orms.typeorm.naming import NamingStrategy, SnakeNamingStrategy
from schemasense.codegen.orms.typeorm.types import DRIVER_FAMILY, PROVIDER, Family
from schemasense.codegen.schema import (
    Enum,
    ForeignKey,
    Schema,
    Span,
    Table,
)
from schemasense.server.findings import Finding
from schemasense.server.migrations.model import MigrationFile, MigrationSet
from schemasense.server.migrations.replay import Replayer
from schemasense.server.project import typeorm as project
from schemasense.server.sources.typeorm import problems as P
from schemasense.server.sources.typeorm.entities import EntitySet, finish, read_entities
from schemasense.server.sources.typeorm.modules import Modules

FILE = "<TypeORM entities as SQL>"
_ACTIONS = {
    "CASCADE": "Cascade",
    "SET NULL": "SetNull",
    "RESTRICT": "Restrict",
    "NO ACTION": "NoAction",
    "SET DEFAULT": "SetDefault",
}


@dataclass
class TypeOrmRead:
    """One unit read: its DataSource, the entity metadata, the schema and the findings."""

    datasource: project.DataSourceDecl | None
    type: str
    family: Family
    version: str
    entities: EntitySet
    declared: Schema
    findings: list[Finding] = field(default_factory=list)
    modules: Modules | None = None
    built: dict[tuple, _Built] = field(default_factory=dict, repr=False)
    """(dialect, schema, table) -> each table as built from its metadata, for the next read:
    a table whose metadata is the same is handed out again as the same object (the rules
    keep their findings per table object)."""

    @property
    def schema(self) -> Schema:
        return self.declared

    @property
    def tables(self) -> list[TableMeta]:
        return self.entities.tables


_CONFIG_DATABASE = {
    "postgresql": "postgres",
    "cockroachdb": "cockroachdb",
    "mysql": "mysql",
    "mariadb": "mariadb",
    "sqlite": "sqlite",
}


def read_typeorm(
    texts: Mapping[str, str],
    package_json: str | None = None,
    config_database: str | None = None,
    type_override: str | None = None,
    previous: TypeOrmRead | None = None,
    unit_key: str | None = None,
) -> TypeOrmRead:
    """Read the unit made of `texts` (its DataSource file, entity files and the files they
    import; the project's package.json among them, or given as `package_json`).
    `config_database`: schemasense.toml's `database`, used when no DataSource says `type`;
    `type_override`: the DataSource type to read the entities as, whatever the DataSource
    says (one entity set several DataSources share, one per database). `previous`: the same
    unit's last read, whose work is reused where its inputs are unchanged (the result is the
    same as without it). `unit_key`: the unit's key, which names the DataSource of a file
    that declares several (`project.unit_key`); else the first found."""
    package_path = next((p for p in texts if os.path.basename(p) == "package.json"), None)
    if package_json is None and package_path is not None:
        package_json = texts[package_path]
    files = tuple(p for p in texts if p != package_path)
    root = os.path.dirname(package_path) if package_path else _root(files)
    modules = Modules(texts, previous.modules if previous is not None else None, root=root)
    files = tuple(p for p in files if modules.inside(p))  # nothing above the project is read
    found = project.find_datasources(root, files, texts, modules.module)
    decl = project.chosen(found, unit_key)
    findings: list[Finding] = []
    if decl is None and package_path is not None:
        findings.append(
            P.problem(
                P.NO_DATASOURCE,
                "No TypeORM DataSource found (looked for " + project.LOOKED_FOR + "); the "
                "entities are read with TypeORM's defaults",
                package_path,
                0,
                0,
                severity="warning",
                help='Say the database in schemasense.toml (`database = "postgresql"`) and '
                'where the migrations are (`[migrations] path = "src/migrations"`), or declare '
                "the DataSource in code: `new DataSource({ type, entities, migrations })`.",
            )
        )
    if decl is not None:
        for start, end, message in decl.problems:
            findings.append(P.problem(P.UNREAD, message, decl.file, start, end, severity="warning"))
    type_ = (
        type_override
        or (decl.type if decl is not None else None)
        or _CONFIG_DATABASE.get(config_database or "")
        or project.driver_from_package(package_json)
    )
    if type_ is None or type_ not in DRIVER_FAMILY:
        if decl is not None and type_ is not None:
            s, e = decl.type_span or (decl.start, decl.end)
            findings.append(
                P.problem(
                    P.BAD_TYPE,
                    f'schemasense does not read DataSources of type "{type_}"; the entities '
                    "are read as PostgreSQL",
                    decl.file,
                    s,
                    e,
                    severity="warning",
                )
            )
        type_ = "postgres"
    family = DRIVER_FAMILY[type_]
    version = project.typeorm_version(package_json)
    naming: NamingStrategy = NamingStrategy(version)  # type: ignore[arg-type]
    if decl is not None and decl.naming == "snake":
        naming = SnakeNamingStrategy(version)  # type: ignore[arg-type]
    elif decl is not None and decl.naming.startswith("custom"):
        s, e = decl.naming_span or (decl.start, decl.end)
        findings.append(
            P.problem(
                P.UNREAD,
                f"The naming strategy `{decl.naming.split(':', 1)[1]}` is the project's own: "
                "schemasense does not run it and names tables and columns as TypeORM's "
                "DefaultNamingStrategy does",
                decl.file,
                s,
                e,
                severity="warning",
            )
        )
    entity_files = [f for f in files if f.endswith(project.CODE_SUFFIXES)]
    only = decl.entity_classes if decl is not None else None
    entities = read_entities(
        modules,
        entity_files,
        family,
        naming,
        mariadb=type_ == "mariadb",
        only=only,
        previous=previous.entities if previous is not None else None,
    )
    finish(entities.tables, naming)
    findings.extend(entities.findings)
    built: dict[tuple, _Built] = {}
    schema, problems = _schema(entities, family, previous.built if previous else {}, built)
    findings.extend(problems)
    schema.sources = list(files)
    return TypeOrmRead(decl, type_, family, version, entities, schema, findings, modules, built)


def failed_read(texts: Mapping[str, str], exc: Exception) -> TypeOrmRead:
    """The read of a unit the reader failed on (a bug of ours): empty, with a DB000."""
    file = next(iter(texts), "")
    finding = P.problem(
        "DB000",
        f"schemasense could not read these TypeORM entities: {type(exc).__name__}: {exc}",
        file,
        0,
        0,
        help="This is a bug in schemasense; please report it.",
    )
    empty = EntitySet([], {}, [])
    return TypeOrmRead(None, "postgres", "postgres", "1", empty, Schema(), [finding])


def _root(files: tuple[str, ...]) -> str:
    if not files:
        return ""
    common = os.path.commonpath(files) if len(files) > 1 else os.path.dirname(files[0])
    return common


# -- the schema ------------------------------------------------------------------------------------


class _Tables:
    """Replayed tables kept under the text of their statements (a bounded LRU)."""

    def __init__(self, size: int = 4096) -> None:
        self._cache: OrderedDict[tuple, tuple[Table, list[Enum], tuple[Finding, ...]]] = (
            OrderedDict()
        )
        self._size = size
        self._lock = threading.Lock()
        self._replayer = Replayer(incremental=False)

    def table(self, dialect: str, statements: tuple[str, ...]):  # type: ignore[no-untyped-def]
        key = (dialect, statements)
        with self._lock:
            hit = self._cache.get(key)
            if hit is not None:
                self._cache.move_to_end(key)
                return hit
            files = [
                MigrationFile(path=FILE, name=str(i), version=str(i), up_text=sql + ";")
                for i, sql in enumerate(statements)
            ]
            mset = MigrationSet(tool="plain", dialect=dialect, root=FILE, files=files)  # type: ignore[arg-type]
            result = self._replayer.replay(mset)
            self._replayer.forget(FILE)
            tables = result.schema.tables
            built = (
                tables[0] if tables else Table(name=""),
                list(result.schema.enums),
                tuple(result.findings),
            )
            self._cache[key] = built
            if len(self._cache) > self._size:
                self._cache.popitem(last=False)
            return built


_TABLES = _Tables()


@dataclass(frozen=True, slots=True)
class _Built:
    """One table built from its metadata: the metadata, the annotated table, the enums its
    replay made, and the problems of building it."""

    meta: TableMeta
    table: Table
    enums: tuple[Enum, ...]
    problems: tuple[Finding, ...]


def _schema(
    entities: EntitySet,
    family: Family,
    before: Mapping[tuple, _Built] | None = None,
    built: dict[tuple, _Built] | None = None,
) -> tuple[Schema, list[Finding]]:
    """The schema of the entities' tables; `before`: the tables the previous read built, by
    key (one whose metadata is equal is taken as it is), and `built` gets this read's."""
    dialect = PROVIDER[family]
    inline = family != "postgres"
    tables: list[Table] = []
    enums: dict[str, Enum] = {}
    problems: list[Finding] = []
    before = before or {}
    for meta in entities.tables:
        key = (dialect, meta.schema, meta.name, meta.class_name)
        held = before.get(key)
        if held is None or held.meta != meta:
            held = _build(meta, family, dialect, inline)
        if built is not None:
            built.setdefault(key, held)
        problems.extend(held.problems)
        for enum in held.enums:
            if enum.name not in enums:
                enums[enum.name] = enum
        tables.append(held.table)
    for info in entities.entities.values():
        if info.view:  # a @ViewEntity: kept by name (its SQL is the user's to write)
            tables.append(Table(name=info.table.name, kind="view", span=_span(info.table.span)))
    schema = Schema(provider=dialect, tables=tables, enums=list(enums.values()))  # type: ignore[arg-type]
    return schema, problems


def _build(meta: TableMeta, family: Family, dialect: str, inline: bool) -> _Built:
    """Build one table: its CREATE TABLE as TypeORM writes it, replayed, annotated."""
    statements = tuple(table_statements(family, meta, foreign_keys=inline))
    table, table_enums, findings = _TABLES.table(dialect, statements)
    problems: list[Finding] = []
    enums: list[Enum] = []
    for finding in findings:
        if meta.span is not None:
            problems.append(
                P.problem(
                    "DB000",
                    f"schemasense could not build table {meta.name!r} as TypeORM would: "
                    f"{finding.message}",
                    meta.span[0],
                    meta.span[1],
                    meta.span[2],
                    help="This is a bug in schemasense; please report it.",
                )
            )
    for enum in table_enums:
        column = next((c for c in meta.columns if c.enum is not None and c.span is not None), None)
        span = _span(column.span) if column is not None else _span(meta.span)
        enums.append(enum.model_copy(update={"span": span}))
    return _Built(meta, _annotated(table, meta, inline), tuple(enums), tuple(problems))


def _span(span: tuple[str, int, int] | None) -> Span | None:
    return Span(file=span[0], start=span[1], end=span[2]) if span is not None else None


def _annotated(table: Table, meta: TableMeta, inline: bool) -> Table:
    """The replayed table with the entity's spans and property names (a copy: the cached
    table is shared)."""
    columns = []
    for column in table.columns:
        m = meta.column(column.name)
        update: dict = {"span": _span(m.span) if m is not None else None}
        if m is not None and m.property is not None:
            update["field_name"] = m.property
        if m is not None and m.updated_at:  # `@UpdateDateColumn`, as Prisma's `@updatedAt`
            update["updated_at"] = True
        columns.append(column.model_copy(update=update))
    by_name = {
        **{i.name: i.span for i in meta.indexes},
        **{u.name: u.span for u in meta.uniques},
        **{c.name: c.span for c in meta.checks},
        **{f.name: f.span for f in meta.foreign_keys},
    }
    indexes = [i.model_copy(update={"span": _span(by_name.get(i.name))}) for i in table.indexes]
    uniques = [u.model_copy(update={"span": _span(by_name.get(u.name))}) for u in table.uniques]
    checks = [c.model_copy(update={"span": _span(by_name.get(c.name))}) for c in table.checks]
    if inline:
        fks = [
            f.model_copy(update={"span": _span(by_name.get(f.name))}) for f in table.foreign_keys
        ]
    else:
        fks = [
            ForeignKey(
                name=f.name,
                columns=f.columns,
                referenced_table=f.referenced_table,
                referenced_schema=f.referenced_schema,
                referenced_columns=f.referenced_columns,
                on_delete=_ACTIONS.get(f.on_delete, "NoAction"),  # type: ignore[arg-type]
                on_update=_ACTIONS.get(f.on_update, "NoAction"),  # type: ignore[arg-type]
                span=_span(f.span),
            )
            for f in meta.foreign_keys
        ]
    pk = table.primary_key
    if pk is not None:
        first = next((c for c in meta.columns if c.primary), None)
        pk = pk.model_copy(update={"span": _span(first.span) if first is not None else None})
    return table.model_copy(
        update={
            "columns": columns,
            "indexes": indexes,
            "uniques": uniques,
            "checks": checks,
            "foreign_keys": fks,
            "primary_key": pk,
            "soft_delete": meta.soft_delete,
            "span": _span(meta.span),
            # the entity class, as code names it (`getRepository(User)`, messages)
            "model_name": meta.class_name or table.model_name,
        }
    )

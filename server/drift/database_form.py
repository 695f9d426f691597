"""The declared schema in its database form: what Prisma's own SQL for it would build.

`schema.prisma` says `String @db.VarChar(255) @default("x")`; a database, and the migration
replay, say `character varying(255)` with default `'x'::character varying`. To compare the two,
the declared schema is written as the SQL Prisma's schema engine writes for it
(`codegen.create_sql`, checked statement for statement against the engine) and that SQL is
replayed by the migration reader (checked against real databases), so both sides of a drift
comparison are in the same canonical form by construction, with nothing re-implemented here.

Per keystroke only what changed is replayed: each table's statements (the table with its
indexes, and its foreign keys where they need no other table) are replayed on their own, after
the enums, and the resulting table is cached under the text of its statements. A keystroke in
one model re-replays that model's table; the others come from the cache.

Foreign keys on PostgreSQL are `ALTER TABLE ... ADD CONSTRAINT ... REFERENCES "Other"`, which the
replay (like PostgreSQL) refuses while "Other" does not exist; they are taken from the declared
schema as they are (names, columns and actions need no canonical spelling there; a target in
the default schema has no schema, as the replay writes it). MySQL's and SQLite's are replayed
with their table (MySQL gives a foreign key an index of its own, which only the replay knows).

Views are kept by name and kind only (Prisma writes no SQL for them).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass, field

from schemasense.codegen.dialects import get_dialect
from schemasense.codegen.orms.prisma.create_sql import (
    DEFAULT_SCHEMA,
    create_statements,
    table_statements,
)
from schemasense.codegen.schema import ForeignKey, Schema, Table
from schemasense.server.findings import Finding
from schemasense.server.migrations.discover import dialect_of_provider
from schemasense.server.migrations.model import MigrationFile, MigrationSet
from schemasense.server.migrations.replay import Replayer

BATCH = 8
"""From this many tables to replay, they are replayed together (see `_replay_together`)."""

FILE = "<declared schema as SQL>"
"""The file id of the generated SQL: its findings (which would be our bugs) name it."""


@dataclass(frozen=True, slots=True)
class DatabaseForm:
    """The declared schema as the database holds it (`schema`), and what went wrong while
    replaying its SQL (`problems`: empty unless the writer or the replay has a gap)."""

    schema: Schema
    problems: tuple[Finding, ...] = ()


@dataclass(slots=True)
class _Built:
    table: Table
    enums: list
    problems: tuple[Finding, ...]
    with_keys: dict[tuple, Table] = field(default_factory=dict)
    """The table with foreign keys taken from the declared schema (PostgreSQL), by keys."""


class DatabaseForms:
    """Builds database forms, keeping each table's replay under the text of its statements
    (and, while the Prisma reader hands out the same `Table` object for an unchanged model,
    under that object, so an unchanged model costs a dictionary lookup)."""

    def __init__(self, max_tables: int = 4096) -> None:
        # each replay is forgotten right after it (only parses are worth keeping)
        self._replayer = Replayer(max_parsed=max_tables * 2, incremental=False)
        self._tables: OrderedDict[tuple[str, str, tuple[str, ...]], _Built] = OrderedDict()
        self._seen: dict[tuple[str | None, str], tuple[Table, str, Table]] = {}
        """(schema, name) of a declared table -> (that table, the prelude, its form): used
        while the reader hands out the same table object again (an unchanged model)."""
        self._rendered: dict[tuple, tuple[str, ...]] = {}
        self._max = max_tables
        self._lock = threading.Lock()
        self.replays = 0
        """How many tables were replayed (not found in the cache): for tests and benchmarks."""

    def form(
        self,
        declared: Schema,
        texts: Mapping[str, str] | None = None,
        *,
        database_form: bool | None = None,
    ) -> DatabaseForm:
        """The database form of `declared` (a lowered Prisma schema). With the schema's
        `texts`, a model whose source text (and what it depends on) is unchanged is not even
        rendered again (see `_source_key`). A schema its source says is in database form
        (`database_form`; where unsaid, one read from SQL: `is_database_form`) is its own."""
        if database_form if database_form is not None else is_database_form(declared):
            return DatabaseForm(declared)
        with self._lock:
            return self._form(declared, texts)

    def _form(self, declared: Schema, texts: Mapping[str, str] | None) -> DatabaseForm:
        provider = declared.provider or ""
        dialect = get_dialect(provider)
        sql_dialect = dialect_of_provider(provider)
        out = Schema(provider=sql_dialect or provider)  # type: ignore[arg-type]
        if dialect is None or not dialect.IS_SQL or sql_dialect is None:
            return DatabaseForm(out)
        default_schema = DEFAULT_SCHEMA.get(dialect.NAME)
        prelude = "\n\n".join(
            s.sql for s in create_statements(_enums_only(declared)) if s.kind in ("schema", "enum")
        )
        inline_fks = dialect.NAME not in ("postgresql", "cockroachdb")
        sources = _Sources(declared, texts, sql_dialect, prelude, inline_fks)
        problems: list[Finding] = []
        seen: dict[tuple[str | None, str], tuple[Table, str, Table]] = {}
        rendered: dict[tuple, tuple[str, ...]] = {}
        # each table: its database form, or the statements to replay for it
        slots: list[tuple[Table, Table | tuple[str, ...]]] = []
        for table in declared.tables:
            hit = self._seen.get((table.db_schema, table.name))
            if hit is not None and hit[0] is table and hit[1] == prelude:
                seen[(table.db_schema, table.name)] = hit
                slots.append((table, hit[2]))
                continue
            if table.kind == "view":
                view = Table(
                    name=table.name, db_schema=_schema(table.db_schema, default_schema), kind="view"
                )
                slots.append((table, view))
                continue
            source = sources.key(table)
            statements = self._rendered.get(source) if source is not None else None
            if statements is None:
                statements = tuple(
                    s.sql
                    for s in table_statements(declared, table, dialect)
                    if inline_fks or s.kind != "foreign_key"
                )
            if source is not None:
                rendered[source] = statements
            slots.append((table, statements))
        missing = [
            st
            for _, st in slots
            if isinstance(st, tuple) and st and (sql_dialect, prelude, st) not in self._tables
        ]
        if len(missing) >= BATCH:
            problems.extend(self._replay_together(sql_dialect, prelude, missing))
        tables: list[Table] = []
        for table, slot in slots:
            if isinstance(slot, Table):
                result: Table | None = slot
            else:
                result = self._table_form(
                    table, slot, sql_dialect, prelude, inline_fks, default_schema, problems
                )
            if result is None:
                continue
            seen[(table.db_schema, table.name)] = (table, prelude, result)
            tables.append(result)
        self._seen = seen
        if texts is not None:
            self._rendered = rendered
        out.tables = tables
        out.enums = self._table(sql_dialect, prelude, ()).enums if prelude else []
        return DatabaseForm(out, tuple(problems))

    def _table_form(
        self,
        table: Table,
        statements: tuple[str, ...],
        sql_dialect: str,
        prelude: str,
        inline_fks: bool,
        default_schema: str | None,
        problems: list[Finding],
    ) -> Table | None:
        if not statements:
            return None
        built = self._table(sql_dialect, prelude, statements)
        problems.extend(built.problems)
        if inline_fks or not table.foreign_keys:
            return built.table
        # the same keys give the same table object, so comparisons stay cached
        key = tuple(_foreign_key_key(fk, default_schema) for fk in table.foreign_keys)
        merged = built.with_keys.get(key)
        if merged is None:
            fks = [_foreign_key(fk, default_schema) for fk in table.foreign_keys]
            merged = built.table.model_copy(update={"foreign_keys": fks})
            if len(built.with_keys) > 8:
                built.with_keys.clear()
            built.with_keys[key] = merged
        return merged

    def _table(self, dialect: str, prelude: str, statements: tuple[str, ...]) -> _Built:
        key = (dialect, prelude, statements)
        built = self._tables.get(key)
        if built is not None:
            self._tables.move_to_end(key)
            return built
        built = self._replay(dialect, prelude, statements)
        self._tables[key] = built
        if len(self._tables) > self._max:
            self._tables.popitem(last=False)
        return built

    def _replay_together(
        self, dialect: str, prelude: str, missing: list[tuple[str, ...]]
    ) -> list[Finding]:
        """Replay many tables at once (a first check: one parse and one pass instead of one
        per table) and cache each table's form as if replayed alone (tables do not depend on
        each other here: foreign keys across tables are not replayed). Returns the findings."""
        self.replays += 1
        files = [MigrationFile(path=FILE, name="prelude", version="0", up_text=prelude)]
        for i, statements in enumerate(missing):
            files.append(
                MigrationFile(path=FILE, name=str(i), version=str(i + 1),
                              up_text="\n\n".join(statements))
            )  # fmt: skip
        mset = MigrationSet(tool="plain", dialect=dialect, root=FILE, files=files)  # type: ignore[arg-type]
        result = self._replayer.replay(mset)
        self._replayer.forget(FILE)
        tables = {t.name: t for t in result.schema.tables}
        for statements, file_replay in zip(missing, result.files[1:], strict=True):
            name = next(
                (t.name for s in file_replay.statements for t in s.touches
                 if t.kind == "table" and t.verb == "create"),
                None,
            )  # fmt: skip
            table = tables.get(name or "")
            if table is not None:
                built = _Built(table, result.schema.enums, file_replay.findings)
                self._tables[(dialect, prelude, statements)] = built
        while len(self._tables) > self._max:
            self._tables.popitem(last=False)
        return list(result.files[0].findings)  # each table's own are kept with it

    def _replay(self, dialect: str, prelude: str, statements: tuple[str, ...]) -> _Built:
        """Replay the prelude and the statements, each statement as a file of its own, so a
        changed column re-parses the CREATE TABLE and none of the table's indexes."""
        self.replays += 1
        texts = ([prelude] if prelude else []) + list(statements)
        files = [
            MigrationFile(path=FILE, name=str(i), version=str(i), up_text=sql)
            for i, sql in enumerate(texts)
        ]
        mset = MigrationSet(tool="plain", dialect=dialect, root=FILE, files=files)  # type: ignore[arg-type]
        result = self._replayer.replay(mset)
        self._replayer.forget(FILE)
        schema = result.schema
        table = schema.tables[0] if schema.tables else Table(name="")
        return _Built(table, schema.enums, result.findings)


class _Sources:
    """A model's source-text key: what its statements are rendered from, as text.

    A model table's CREATE TABLE and indexes depend on its own block (fields, attributes,
    `@@map`, `@@schema`), the enums (in `prelude`: their database names, values and schemas)
    and the datasource and generator blocks (provider, relation mode, preview features); where
    foreign keys are written with the table (SQLite, MySQL), also on the blocks of the models
    they reference (their table and column names). Equal keys render equal statements, so
    rendering is skipped; implicit many-to-many tables are always rendered (they are small).
    """

    def __init__(
        self,
        declared: Schema,
        texts: Mapping[str, str] | None,
        dialect: str,
        prelude: str,
        inline_fks: bool,
    ) -> None:
        self.texts = texts
        self.inline_fks = inline_fks
        self.by_name = {t.name: t for t in declared.tables} if inline_fks else {}
        context = [dialect, prelude]
        if texts is not None:
            blocks = [declared.datasource.span if declared.datasource else None]
            blocks += [g.span for g in declared.generators]
            context += [self.text(span) for span in blocks]
        self.context = tuple(context)

    def text(self, span) -> str | None:
        if span is None or self.texts is None:
            return None
        text = self.texts.get(span.file)
        return text[span.start : span.end] if text is not None else None

    def key(self, table: Table) -> tuple | None:
        if self.texts is None or table.kind != "table" or table.span is None:
            return None
        own = self.text(table.span)
        if own is None:
            return None
        extra: list[str | None] = []
        if self.inline_fks:
            for fk in table.foreign_keys:
                target = self.by_name.get(fk.referenced_table)
                extra.append(self.text(target.span) if target is not None else fk.referenced_table)
        return (*self.context, own, *extra)


def is_database_form(schema: Schema) -> bool:
    """Whether `schema` is already what a database holds: read from SQL (a DDL schema file
    replayed by the migration reader), so no ORM named a table, a column or a datasource;
    an ORM's declaration (Prisma's lowered schema) always has model names and a datasource."""
    return (
        schema.datasource is None
        and bool(schema.tables)
        and all(t.model_name is None for t in schema.tables)
    )


def _enums_only(schema: Schema) -> Schema:
    return Schema(provider=schema.provider, datasource=schema.datasource, enums=schema.enums)


def _schema(db_schema: str | None, default: str | None) -> str | None:
    return None if db_schema == default else db_schema


def _foreign_key_key(fk: ForeignKey, default_schema: str | None) -> tuple:
    return (
        fk.name,
        tuple(fk.columns),
        fk.referenced_table,
        None if fk.referenced_schema == default_schema else fk.referenced_schema,
        tuple(fk.referenced_columns),
        fk.on_delete,
        fk.on_update,
    )


def _foreign_key(fk: ForeignKey, default_schema: str | None) -> ForeignKey:
    if fk.referenced_schema is None or fk.referenced_schema != default_schema:
        return fk.model_copy(update={"span": None})
    return fk.model_copy(update={"referenced_schema": None, "span": None})


_DEFAULT = DatabaseForms()


def database_form(
    declared: Schema, texts: Mapping[str, str] | None = None, forms: DatabaseForms | None = None
) -> DatabaseForm:
    """The database form of `declared` (see the module docstring); cached per table."""
    return (forms or _DEFAULT).form(declared, texts)


__all__ = ["DatabaseForm", "DatabaseForms", "database_form", "is_database_form"]

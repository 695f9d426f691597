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
from dataclasses import dataclass

from schemasense.codegen.create_sql import DEFAULT_SCHEMA, create_statements, table_statements
from schemasense.codegen.dialects import get_dialect
from schemasense.codegen.schema import ForeignKey, Schema, Table
from schemasense.server.findings import Finding
from schemasense.server.readers.migrations.discover import dialect_of_provider
from schemasense.server.readers.migrations.model import MigrationFile, MigrationSet
from schemasense.server.readers.migrations.replay import Replayer

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


class DatabaseForms:
    """Builds database forms, keeping each table's replay under the text of its statements
    (and, while the Prisma reader hands out the same `Table` object for an unchanged model,
    under that object, so an unchanged model costs a dictionary lookup)."""

    def __init__(self, max_tables: int = 4096) -> None:
        self._replayer = Replayer(max_parsed=max_tables * 2)
        self._tables: OrderedDict[tuple[str, str, str], _Built] = OrderedDict()
        self._seen: dict[int, tuple[Table, str, Table]] = {}
        self._max = max_tables
        self._lock = threading.Lock()
        self.replays = 0
        """How many tables were replayed (not found in the cache): for tests and benchmarks."""

    def form(self, declared: Schema) -> DatabaseForm:
        """The database form of `declared` (a lowered Prisma schema)."""
        with self._lock:
            return self._form(declared)

    def _form(self, declared: Schema) -> DatabaseForm:
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
        problems: list[Finding] = []
        tables: list[Table] = []
        seen: dict[int, tuple[Table, str, Table]] = {}
        for table in declared.tables:
            hit = self._seen.get(id(table))
            if hit is not None and hit[0] is table and hit[1] == prelude:
                seen[id(table)] = hit
                tables.append(hit[2])
                continue
            if table.kind == "view":
                result: Table | None = Table(
                    name=table.name, db_schema=_schema(table.db_schema, default_schema), kind="view"
                )
            else:
                result = self._table_form(
                    declared, table, dialect, sql_dialect, prelude, inline_fks, default_schema,
                    problems,
                )  # fmt: skip
            if result is None:
                continue
            seen[id(table)] = (table, prelude, result)
            tables.append(result)
        self._seen = seen
        out.tables = tables
        out.enums = self._table(sql_dialect, prelude, "").enums if prelude else []
        return DatabaseForm(out, tuple(problems))

    def _table_form(
        self,
        declared: Schema,
        table: Table,
        dialect,
        sql_dialect: str,
        prelude: str,
        inline_fks: bool,
        default_schema: str | None,
        problems: list[Finding],
    ) -> Table | None:
        statements = table_statements(declared, table, dialect)
        if not statements:
            return None
        text = "\n\n".join(s.sql for s in statements if inline_fks or s.kind != "foreign_key")
        built = self._table(sql_dialect, prelude, text)
        problems.extend(built.problems)
        if inline_fks or not table.foreign_keys:
            return built.table
        fks = [_foreign_key(fk, default_schema) for fk in table.foreign_keys]
        return built.table.model_copy(update={"foreign_keys": fks})

    def _table(self, dialect: str, prelude: str, text: str) -> _Built:
        key = (dialect, prelude, text)
        built = self._tables.get(key)
        if built is not None:
            self._tables.move_to_end(key)
            return built
        built = self._replay(dialect, prelude, text)
        self._tables[key] = built
        if len(self._tables) > self._max:
            self._tables.popitem(last=False)
        return built

    def _replay(self, dialect: str, prelude: str, text: str) -> _Built:
        self.replays += 1
        files = [
            MigrationFile(path=FILE, name=name, version=name, up_text=sql)
            for name, sql in (("prelude", prelude), ("table", text))
            if sql
        ]
        mset = MigrationSet(tool="plain", dialect=dialect, root=FILE, files=files)  # type: ignore[arg-type]
        result = self._replayer.replay(mset)
        self._replayer.forget(FILE)
        schema = result.schema
        table = schema.tables[0] if schema.tables else Table(name="")
        return _Built(table, schema.enums, result.findings)


def _enums_only(schema: Schema) -> Schema:
    return Schema(provider=schema.provider, datasource=schema.datasource, enums=schema.enums)


def _schema(db_schema: str | None, default: str | None) -> str | None:
    return None if db_schema == default else db_schema


def _foreign_key(fk: ForeignKey, default_schema: str | None) -> ForeignKey:
    if fk.referenced_schema is None or fk.referenced_schema != default_schema:
        return fk.model_copy(update={"span": None})
    return fk.model_copy(update={"referenced_schema": None, "span": None})


_DEFAULT = DatabaseForms()


def database_form(declared: Schema, forms: DatabaseForms | None = None) -> DatabaseForm:
    """The database form of `declared` (see the module docstring); cached per table."""
    return (forms or _DEFAULT).form(declared)


__all__ = ["DatabaseForm", "DatabaseForms", "database_form"]

"""The migration reader's data: what was found on disk, and what replaying it built.

Everything here is plain frozen data. Offsets are character offsets into the file's text (the
whole file, not the `up` section), so a `Span` points straight into the editor's document.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from schemasense.codegen.schema import Schema, Span
from schemasense.server.findings import Finding

Tool = Literal["prisma", "flyway", "golang-migrate", "dbmate", "plain"]
SqlDialect = Literal["postgresql", "mysql", "sqlite"]

TOOLS: tuple[Tool, ...] = ("prisma", "flyway", "golang-migrate", "dbmate", "plain")
DIALECTS: tuple[SqlDialect, ...] = ("postgresql", "mysql", "sqlite")

_PROVIDER_DIALECT: dict[str, SqlDialect] = {
    "postgresql": "postgresql",
    "postgres": "postgresql",
    "cockroachdb": "postgresql",
    "mysql": "mysql",
    "mariadb": "mysql",
    "sqlite": "sqlite",
}


def dialect_of_provider(provider: str | None) -> SqlDialect | None:
    """The SQL dialect for a Prisma provider (or our own dialect name); None if unknown."""
    return _PROVIDER_DIALECT.get((provider or "").strip().lower())


@dataclass(frozen=True, slots=True)
class SqlPiece:
    """SQL inside a file that is not SQL itself: the string of a TypeORM
    `queryRunner.query(`...`)` or a Sequelize `queryInterface.sequelize.query("...")`.

    `text` is the SQL as the replay reads it and `offset` where it starts in the file, so a
    statement at offset `i` of `text` is at `offset + i` in the file. A `${...}` hole whose value
    is unknown is already replaced in `text` by a placeholder of the same length (`holes` says
    where, in `text` offsets), so every offset after it still points at the file.
    """

    text: str
    offset: int
    holes: tuple[tuple[int, int], ...] = ()


@dataclass(frozen=True, slots=True)
class CallPiece:
    """A call that is a migration step with no SQL: TypeORM's Table API
    (`queryRunner.addColumn(...)`) or Sequelize's `queryInterface.addIndex(...)`.

    `start`/`end` is the call in file offsets; `kind` what it does, in the replay's words
    (`create_table`, `alter_table`, `create_index`, ...); `ops` the operations its arguments
    say (`codegen.ddl.statements`); clause spans inside them are file offsets. `error` says why
    the call could not be read (a computed table name, an unknown option): the replay then
    skips it with a finding and goes on. `opaque` marks a call that changes nothing the
    replay models (`bulkInsert`, a data fix).
    """

    start: int
    end: int
    kind: str
    ops: tuple[Any, ...] = ()
    error: str | None = None
    opaque: bool = False


Piece = SqlPiece | CallPiece


@dataclass(frozen=True, slots=True)
class MigrationFile:
    """One migration: the SQL its tool applies going up (and down, where the tool has that).

    `path` is the file's absolute path and the file id of every span into it. `name` is the
    migration's name as its tool shows it (Prisma's folder name, Flyway's file name), `version`
    the part that orders it (None for a Flyway repeatable). `up_text` is the text applied going
    up; it starts at character `up_span_offset` of the file (dbmate keeps both directions in
    one file), so a statement at offset `i` of `up_text` is at `up_span_offset + i` in the file.
    """

    path: str
    name: str
    version: str | None
    up_text: str
    down_text: str | None = None
    up_span_offset: int = 0
    repeatable: bool = False
    pieces: tuple[Piece, ...] | None = None
    """For a migration written in code (TypeORM, Sequelize): the steps `up` takes, in order,
    each SQL text or a call; `up_text` is then the whole file. None for a SQL file, whose
    `up_text` is read as SQL."""


@dataclass(frozen=True, slots=True)
class MigrationSet:
    """The migrations of one folder, in the order their tool applies them.

    `dialect_source` says where the dialect came from: `migration_lock.toml`, `config`
    (schemasense.toml), `hint` (the Prisma schema's datasource) or `default`. `problems` are
    what discovery itself found wrong (an unknown provider in a lock file, a bad config entry).
    """

    tool: Tool
    dialect: SqlDialect
    root: str
    files: list[MigrationFile]
    dialect_source: str = "default"
    lock_file: str | None = None
    problems: tuple[Finding, ...] = ()


StatementAction = Literal["applied", "opaque", "skipped", "unparsed", "failed"]


@dataclass(frozen=True, slots=True)
class Touch:
    """An object a statement created, changed or dropped: `kind` is table, view, column,
    index, constraint, enum, sequence, schema, extension or type; `table` is set for a column
    or constraint; `verb` is create, alter, rename, drop or comment."""

    kind: str
    name: str
    verb: str
    table: str | None = None


StatementSource = Literal["sql", "call"]


@dataclass(frozen=True, slots=True)
class StatementRecord:
    """One statement of a migration file: what it says, what the reader made of it, and what
    the replay did with it. Rules, hover, navigation and drift all read this one record.

    Where it is: `file` (the file id), `span` (the statement in FILE offsets, so it points
    straight into the editor's document), `text` (the file's text at `span`) and `index` (its
    place among the file's statements). A file's statements need not be one contiguous SQL
    text: a TypeORM migration class holds several `queryRunner.query(`...`)` fragments, each
    a record whose span is the SQL inside its string, and Table-API calls
    (`queryRunner.addColumn(...)`) that are operations with no SQL at all (`source` "call":
    `text` is the call's own source, `ops` come from its arguments).

    What it says: `kind` (`create_table`, `alter_table`, `create_function`, `insert`, ...),
    `ops` (the dialect-neutral operations, `codegen.ddl.statements`; empty for an opaque or
    unparsed statement), `error` (the grammar's message when it did not parse). Clause spans
    inside `ops` are offsets into the text the reader parsed (a SQL file's `up` section, or a
    fragment's string): `clause_offset` is where that text starts in the file, so a clause is
    at `clause_offset + start` (see `clause_span`).

    What the replay did: `action` is `applied` (it changed the schema model), `opaque` (kept
    as it is: functions, triggers, DO blocks, data statements, grants, settings), `skipped`
    (IF [NOT] EXISTS made it a no-op), `unparsed` (the grammar could not read it) or `failed`
    (read but impossible: it names a table that does not exist); `touches` says what it
    worked on.
    """

    file: str
    span: Span
    kind: str
    action: StatementAction
    text: str = ""
    ops: tuple[Any, ...] = ()
    error: str | None = None
    touches: tuple[Touch, ...] = ()
    index: int = 0
    clause_offset: int = 0
    source: StatementSource = "sql"

    @property
    def opaque(self) -> bool:
        return self.action == "opaque"

    @property
    def start(self) -> int:
        return self.span.start

    @property
    def end(self) -> int:
        return self.span.end

    def clause_span(self, clause: tuple[int, int] | None) -> Span:
        """The span of a clause of one of its operations (`clause`: offsets into the parsed
        text), or of the whole statement when there is none."""
        if clause is None:
            return self.span
        return Span(
            file=self.span.file,
            start=clause[0] + self.clause_offset,
            end=clause[1] + self.clause_offset,
        )


@dataclass(frozen=True, slots=True)
class FileReplay:
    """What replaying one migration file did: its statements in order (each with its
    operations: nothing parses the file again), and its findings."""

    file: MigrationFile
    statements: tuple[StatementRecord, ...]
    findings: tuple[Finding, ...]


@dataclass(frozen=True, slots=True)
class ReplayResult:
    """The schema the migrations build, what each statement did, and what went wrong.

    `schema.sources` lists the migration files in order. `opaque` is every statement kept
    as opaque, across all files, for callers that want to show them.
    """

    migration_set: MigrationSet
    schema: Schema
    files: tuple[FileReplay, ...]
    findings: tuple[Finding, ...] = field(default=())

    @property
    def statements(self) -> list[StatementRecord]:
        return [s for f in self.files for s in f.statements]

    @property
    def opaque(self) -> list[StatementRecord]:
        return [s for f in self.files for s in f.statements if s.action == "opaque"]

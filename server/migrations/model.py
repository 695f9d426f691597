"""The migration reader's data: what was found on disk, and what replaying it built.

Everything here is plain frozen data. Offsets are character offsets into the file's text (the
whole file, not the `up` section), so a `Span` points straight into the editor's document.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

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


@dataclass(frozen=True, slots=True)
class StatementRecord:
    """One statement of a migration and what the replay did with it.

    `kind` is the statement's own kind (`create_table`, `alter_table`, `create_function`,
    `insert`, ...); `action` is `applied` (it changed the schema model), `opaque` (kept as it
    is: functions, triggers, DO blocks, data statements, grants, settings), `skipped` (IF
    [NOT] EXISTS made it a no-op), `unparsed` (the grammar could not read it) or `failed` (read
    but impossible: it names a table that does not exist). `touches` says what it worked on.
    """

    span: Span
    kind: str
    action: StatementAction
    touches: tuple[Touch, ...] = ()

    @property
    def opaque(self) -> bool:
        return self.action == "opaque"


@dataclass(frozen=True, slots=True)
class FileReplay:
    """What replaying one migration file did: its statements in order, and its findings."""

    file: MigrationFile
    statements: tuple[StatementRecord, ...]
    findings: tuple[Finding, ...]
    parsed: tuple = field(default=(), compare=False, repr=False)
    """The reader's parse of the file (`ops.Parsed`, one per statement), kept so the
    migration rules read the same parse instead of parsing the file again."""


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

"""The seam between a kind of model file and everything above the schema model.

A *source* turns the files of one schema unit (one `schema.prisma`, a folder of `.prisma` files,
one `schema.sql` kept as DDL, later a set of TypeORM entities) into what the rest of the server
reads: the schema model (`codegen.schema.Schema`), findings, a position index for the editor and
an editor of its own text for fixes. The workspace asks the unit's source by the unit's `kind`;
nothing above this file names a reader. Sources share this module (and, later,
`sources/typescript/`); one source never imports another (tests/test_layers.py).

The registry is filled once, on first use, by `server/project/sources.py` (the one module that
names every source), so importing a source never imports the others and there is no import
cycle between the readers and the rules their fixes serve. A source's `lint` runs the rules on
its read (`server/lint/`); hover and definition are asked of the source only where
`server/language/` does not serve it (it knows Prisma's syntax trees).
"""

from __future__ import annotations

import importlib
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar, Protocol, runtime_checkable

from schemasense.codegen.schema import Column, ColumnType, Schema, Span, Table, UniqueConstraint
from schemasense.server.findings import Finding, TextEdit

if TYPE_CHECKING:
    from schemasense.server.lint.context import MigrationContext, RuleCaches
    from schemasense.server.project.config import LoadedConfig

TextOf = Callable[[str], "str | None"]


@runtime_checkable
class SourceRead(Protocol):
    """What reading one unit gave. Never partial in type: a read with errors still has a
    (possibly empty) schema and says what went wrong in `findings`."""

    findings: list[Finding]
    """The source's own findings (read problems, DB0xx), with ranges in the unit's files."""

    @property
    def schema(self) -> Schema:
        """The declared schema model (may be built on first use)."""
        ...


@dataclass(frozen=True, slots=True)
class HoverAnswer:
    """Markdown for the range `[start, end)` of `file` (plain data; `features/` makes LSP)."""

    markdown: str
    file: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Place:
    """A place in a file a navigation request answers with."""

    file: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class SchemaChange:
    """What a `SchemaEditor` wrote for one change: plain text edits in the source's files, and
    `label`, how the source spells what it wrote, which a rule puts in its fix's title: the
    declaration it added or removed (`@@index([authorId])`, `@updatedAt`, `@map("name")`,
    `@id`), or for `set_column_type` the ORM's name of the new type (`BigInt`, `Decimal`)."""

    edits: tuple[TextEdit, ...]
    label: str


@runtime_checkable
class SchemaEditor(Protocol):
    """An editor of one source's model text, asked by the rules for their fixes, so that no
    rule knows which ORM it is fixing. One editor serves one read of one unit (`Source.editor`).

    Every method names what to change in schema-model terms (a `Table` and a `Column` of the
    declared schema the read built, with both their database and ORM names; columns by
    database name) and returns the edits, or None where the source cannot say the change
    (then the rule offers no fix and its finding stays). A method never raises. An editor that
    supports only some changes returns None from the others."""

    def add_index(self, table: Table, columns: Sequence[str]) -> SchemaChange | None:
        """A plain (non-unique, B-tree) index on `columns` (database names, in order) of
        `table`, declared where the source declares indexes."""
        ...

    def set_column_type(
        self, table: Table, column: Column, type: ColumnType, *, references: bool = False
    ) -> SchemaChange | None:
        """Make `column` of `table` hold `type` in the database: `type.kind` is the logical
        type (`timestamp` with `timezone`/`precision`, `uuid`, `bigint`, `decimal` with
        `precision`/`scale`, `json` with `native="jsonb"`), the source writes its own type
        and native-type annotation for it; the label is the ORM's name of the new type. With
        `references`, the columns that reference this one (through a relation or foreign
        key) change with it, where they have the same type as it had. None for a type the
        source cannot write there."""
        ...

    def make_primary_key(self, table: Table, unique: UniqueConstraint) -> SchemaChange | None:
        """Turn the unique constraint `unique` of `table` (one of `table.uniques`) into the
        table's primary key (the table has none)."""
        ...

    def mark_updated_at(self, table: Table, column: Column) -> SchemaChange | None:
        """Have the ORM set `column` (a timestamp) to the current time on every update."""
        ...

    def drop_index(self, table: Table, span: Span) -> SchemaChange | None:
        """Delete the index or unique constraint of `table` declared at `span` (the span the
        schema model gives it)."""
        ...

    def keep_table_name(self, table: Table, old_name: str) -> SchemaChange | None:
        """Keep `table` (declared under its new name) stored as `old_name`: the model keeps
        its name, the database table its old one (Prisma's `@@map`); None when the model
        already names its table."""
        ...

    def keep_column_name(self, table: Table, column: Column, old_name: str) -> SchemaChange | None:
        """Keep `column` of `table` (declared under its new name) stored as `old_name`
        (Prisma's `@map`); None when the field already names its column."""
        ...


class EditsNothing:
    """A `SchemaEditor` that can say no change: every method answers None. A source's editor
    that writes only some changes extends it (TypeORM's and Sequelize's do, for a protocol
    method a later change adds) and overrides those, so the other fixes are not offered."""

    def add_index(self, table: Table, columns: Sequence[str]) -> SchemaChange | None:
        return None

    def set_column_type(
        self, table: Table, column: Column, type: ColumnType, *, references: bool = False
    ) -> SchemaChange | None:
        return None

    def make_primary_key(self, table: Table, unique: UniqueConstraint) -> SchemaChange | None:
        return None

    def mark_updated_at(self, table: Table, column: Column) -> SchemaChange | None:
        return None

    def drop_index(self, table: Table, span: Span) -> SchemaChange | None:
        return None

    def keep_table_name(self, table: Table, old_name: str) -> SchemaChange | None:
        return None

    def keep_column_name(self, table: Table, column: Column, old_name: str) -> SchemaChange | None:
        return None


@dataclass(frozen=True, slots=True)
class UnitFiles:
    """A schema unit a project-wide source found (`ProjectSource.find_units`): `key` names it
    (the file that declares it: a TypeORM DataSource, a Sequelize config), `files` are every
    file the source reads for it (the key's file too), and `inputs` the files whose text
    decided which files those are, so discovery asks again when one of them changes."""

    key: str
    files: tuple[str, ...]
    inputs: tuple[str, ...] = ()


class ProjectFiles(Protocol):
    """What discovery lends a project-wide source to find its units with: texts (the editor's
    copy when open) and cached folder listings (node_modules and dot folders never entered)."""

    def text_of(self, path: str) -> str | None: ...

    def files_under(self, root: str, suffixes: tuple[str, ...]) -> tuple[str, ...]:
        """Every file below `root` whose name ends with one of `suffixes`, sorted."""
        ...


@dataclass(frozen=True, slots=True)
class MigrationPlace:
    """Where a unit's migrations are, as its own files say (a TypeORM DataSource's
    `migrations`): a folder, the tool that reads it, and its SQL dialect. Several places are
    several chains (one per dialect, as real projects keep)."""

    folder: str
    tool: str
    dialect: str | None = None


@runtime_checkable
class ProjectSource(Protocol):
    """A source whose units are found across a project rather than by file name: a TypeORM
    entity set (its DataSource names the entities), a Sequelize model set. Discovery asks it
    for the units of a project folder (one with a package.json) and caches the answer until
    a folder listing or one of the `inputs` changes."""

    code_suffixes: ClassVar[tuple[str, ...]]
    """The file suffixes its units are made of (`.ts`, `.js`, ...): only such a file is asked
    about."""

    def find_units(self, root: str, project: ProjectFiles) -> list[UnitFiles]: ...

    def migration_places(self, read: SourceRead) -> list[MigrationPlace]:
        """The unit's migration chains as its files declare them (empty: look beside it)."""
        ...


class Source(Protocol):
    """One kind of model source. Every method is total: bad input is a finding, never an
    exception (an exception is a bug, which the server's guard reports once)."""

    kind: ClassVar[str]
    """The unit kind this source reads (`SchemaUnit.kind`): `prisma`, `sql_ddl`, ..."""

    file_globs: ClassVar[tuple[str, ...]]
    """What the editor should watch and the extensions should open as this source's files
    (`**/*.prisma`); the claim itself is `claims`."""

    language_ids: ClassVar[tuple[str, ...]]
    """Editor language ids whose unsaved buffers are this source's (`prisma`)."""

    database_form: ClassVar[bool]
    """True when `schema` is already what a database holds (a DDL file, read through the
    migration replay); False when it is an ORM's declaration whose database form is found by
    writing its SQL and replaying it (`server/drift/database_form.py`)."""

    checks_declared_on: ClassVar[frozenset[str]]
    """The dialects (`postgresql`, `mysql`, `sqlite`) on which the source says every CHECK a
    table has (TypeORM's `@Check`, but on MySQL, where TypeORM neither writes nor compares
    them): there a generated migration adds, drops and changes CHECKs (`codegen.ddl.checks`).
    Elsewhere a CHECK a migration wrote is the developer's and no difference."""

    primary_key_required: ClassVar[bool]
    """True when the ORM refuses, at start-up, a table its models declare without a primary
    key (TypeORM's `MissingPrimaryColumnError`): DB103 is then an error on the declared
    schema, not a design warning."""

    def claims(self, path: str, text_of: TextOf, language_id: str | None = None) -> bool:
        """Whether `path` is one of this source's files (by name, then by content)."""
        ...

    def read(self, texts: Mapping[str, str], config: LoadedConfig | None = None) -> SourceRead:
        """Read the unit made of `texts` (file id -> text).

        A source whose class says `reads_incrementally = True` also takes `previous=`: the
        same unit's last read (the workspace's), whose parts it may reuse where their inputs
        did not change; the result must be the same as without it."""
        ...

    def lint(
        self,
        read: SourceRead,
        texts: Mapping[str, str],
        loaded: LoadedConfig,
        migrations: Sequence[MigrationContext] = (),
        *,
        caches: RuleCaches | None = None,
    ) -> list[Finding]:
        """The read's findings and the rules' over it, through the same suppressions;
        `caches`: what the rules keep between runs (the workspace's), None for a run alone."""
        ...

    def index(self, read: SourceRead, texts: Mapping[str, str]) -> Any:
        """The position index the editor's requests look names up in."""
        ...

    def editor(self, read: SourceRead, texts: Mapping[str, str]) -> SchemaEditor | None:
        """An editor of this source's text (`texts`, the unit's files as `read` read them)
        for rule fixes (add an index, change a type), or None where the source has none yet
        (rules then offer no fix)."""
        ...

    def hover(
        self,
        read: SourceRead,
        texts: Mapping[str, str],
        file: str,
        offset: int,
        findings: Sequence[Finding] = (),
        history: Any = None,
    ) -> HoverAnswer | None:
        """The hover at `offset` of `file`, for sources whose hover is not served by
        `server/language/hover.py` (which knows Prisma's syntax trees); None otherwise.
        `findings` are the file's; `history` the linked migrations (`language.hover.History`),
        for the migrations that made and changed an object and its drift."""
        ...

    def definition(
        self, read: SourceRead, texts: Mapping[str, str], file: str, offset: int
    ) -> list[Place]:
        """Where the name at `offset` is declared (same split as `hover`)."""
        ...


@runtime_checkable
class NavigableSource(Protocol):
    """A source whose files are code (TypeORM entities, Sequelize models) and that answers the
    editor's outline, references and completion itself (Prisma's are `server/language/`'s).
    Plain data in and out: `server/language/declared.py`'s `Outline`, `Place`s, and
    `server/language/completion.py`'s `Completions`. Every method is total."""

    def outlines(self, read: SourceRead, only: str | None = None) -> list[Any]:
        """Each entity / model the read's files declare (`language.declared.Outline`); with
        `only`, those of that file."""
        ...

    def references(
        self,
        read: SourceRead,
        file: str,
        offset: int,
        include_declaration: bool = True,
        migrations: Any = None,
    ) -> list[Place]:
        """Where what is at `offset` is used: in the unit's files and, with `migrations`
        (`language.migrations.MigrationIndex`), in the statements that built it."""
        ...

    def complete(self, read: SourceRead, file: str, text: str, offset: int) -> Any:
        """The completions at `offset` of `text` (the document as typed now, which `read` may
        be a keystroke behind): `language.completion.Completions`."""
        ...


_REGISTRY: dict[str, Source] = {}
_LOCK = threading.Lock()
_LOADED = False
BUILTIN = "schemasense.server.project.sources"
"""The module that registers the sources shipped with schemasense."""


def register(source: Source) -> Source:
    """Add `source` under its kind (a later registration of the same kind replaces it)."""
    _REGISTRY[source.kind] = source
    return source


def _load() -> None:
    global _LOADED
    if _LOADED:
        return
    with _LOCK:
        if not _LOADED:
            importlib.import_module(BUILTIN)
            _LOADED = True


def all_sources() -> list[Source]:
    """Every registered source, in registration order (the first claim wins)."""
    _load()
    return list(_REGISTRY.values())


def source_of(kind: str) -> Source:
    """The source that reads units of `kind` (KeyError for an unknown kind: a bug)."""
    _load()
    return _REGISTRY[kind]


def project_sources() -> list[ProjectSource]:
    """The registered sources whose units span a project (`ProjectSource`)."""
    return [s for s in all_sources() if isinstance(s, ProjectSource)]  # type: ignore[misc]


def migration_places(kind: str, read: SourceRead) -> list[MigrationPlace]:
    """The migration chains a unit of `kind` names itself (`ProjectSource.migration_places`);
    empty for a source that leaves it to the migrations found beside its files."""
    source = source_of(kind)
    return source.migration_places(read) if isinstance(source, ProjectSource) else []


def source_for(path: str, text_of: TextOf, language_id: str | None = None) -> Source | None:
    """The source that claims `path`, or None when no source does."""
    for source in all_sources():
        if source.claims(path, text_of, language_id):
            return source
    return None


def file_globs() -> tuple[str, ...]:
    """Every source's watch patterns, in registration order."""
    return tuple(g for s in all_sources() for g in s.file_globs)

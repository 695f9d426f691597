"""What a rule sees: the project's schemas, its migrations, the database and the config.

`RuleContext` is built once per check (per schema unit in the editor, per project in the
CLI) and handed to every rule. It is plain data plus lazy views, so a rule that needs nothing
costly costs nothing:

- `declared`: the schema the models declare (the Prisma read, lowered to `codegen.schema`),
  with the read itself (`read`) and the file texts;
- `editor`: the unit's `SchemaEditor` (its source's `editor(read, texts)`), which writes the
  design rules' fixes in the source's own text; None where the source has none (the rules
  then offer no fix);
- `migrations`: one `MigrationContext` per migration set (when the project has migrations and
  the replay ran): the files, every statement with its span, kind and parse tree, what each
  touched, and the schema replaying them builds (`migrated`);
- `database`, `version`: the target database family and server version (config, else the
  datasource's provider), which lock facts and type rules depend on;
- `config`: the validated configuration (for rules' options and the runner's transaction
  mode).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any, Literal

from schemasense.codegen.dialects import Dialect, get_dialect
from schemasense.codegen.schema import Schema, Span
from schemasense.server.migrations.model import MigrationFile, ReplayResult, StatementRecord
from schemasense.server.project.config import Config, Transaction

if TYPE_CHECKING:
    from schemasense.server.drift.report import DriftChecker, DriftReport
    from schemasense.server.sources.base import SchemaEditor
    from schemasense.server.sources.prisma import PrismaRead

Origin = Literal["declared", "migrated"]


@dataclass
class SchemaTarget:
    """One schema a design rule checks: the declared one, or the one a migration set builds."""

    schema: Schema
    origin: Origin
    texts: Mapping[str, str]
    read: PrismaRead | None = None
    """The Prisma read behind a declared schema; None otherwise."""
    cache: dict[Any, Any] = field(default_factory=dict)
    """Facts several rules share (a table's keys), computed once per check."""
    editor: SchemaEditor | None = None
    """The editor of the text this schema was read from, for fixes (the declared schema's
    unit's; None for a schema the migrations build, and for a source without one)."""
    primary_key_required: bool = False
    """Whether the ORM refuses a table of this schema without a primary key
    (`Source.primary_key_required`; only ever True for a declared schema)."""

    @property
    def provider(self) -> str | None:
        return self.schema.provider

    @cached_property
    def dialect(self) -> Dialect | None:
        return get_dialect(self.schema.provider)

    def header_span(self, span: Span) -> Span:
        """For a block (`model X { ... }`, `enum E { ... }`), the span of its header only,
        so a finding about the whole block underlines one line."""
        text = self.text_at(span)
        brace = text.find("{")
        if brace > 0:
            return span.model_copy(update={"end": span.start + len(text[:brace].rstrip())})
        return span

    def text_at(self, span: Span | None) -> str:
        if span is None:
            return ""
        return self.texts.get(span.file, "")[span.start : span.end]


@dataclass
class MigrationFileContext:
    """One migration file as the rules see it: its statements are the replay's own records
    (`migrations.model.StatementRecord`), not copies."""

    path: str
    name: str
    text: str
    """The file's whole text (spans are offsets into it)."""
    statements: Sequence[StatementRecord]
    undeployed: bool = True
    """Whether this file is part of the batch being checked (added since `--since`, or every
    file when no ref is given). Rules report only on undeployed files; tables created earlier
    in the same undeployed batch count as new."""


@dataclass
class MigrationContext:
    """One migration set: its files and statements in order, and what the replay built."""

    root: str
    tool: str
    dialect: str
    transaction: Transaction
    files: list[MigrationFileContext]
    migrated: Schema | None = None
    replay: ReplayResult | None = None
    """The migration reader's `ReplayResult`, for rules that need more than the above."""
    batched: bool = False
    """The undeployed files form one batch (`--since`): a table created by one of them is
    new for the ones after it."""
    states_after: dict[tuple[str, int], Any] = field(default_factory=dict, repr=False)
    """(file, statement index) -> the schema state replaying up to that statement builds, for
    the rules that plan against it (`type_change_plan.schema_after`); the last few only. It
    lives as long as this view, which the workspace keeps per replay."""

    @classmethod
    def of(
        cls,
        replay: ReplayResult,
        transaction: Transaction,
        undeployed: Collection[str] | None = None,
        *,
        batched: bool = False,
    ) -> MigrationContext:
        """The rules' view of a replayed set: its files with the replay's statement records
        as they are; `undeployed` are the files the rules report on (None: every file)."""
        files = [
            MigrationFileContext(
                path=fr.file.path,
                name=fr.file.name,
                text=full_text(fr.file),
                statements=fr.statements,
                undeployed=undeployed is None or fr.file.path in undeployed,
            )
            for fr in replay.files
        ]
        mset = replay.migration_set
        return cls(
            root=mset.root,
            tool=mset.tool,
            dialect=mset.dialect,
            transaction=transaction,
            files=files,
            migrated=replay.schema,
            replay=replay,
            batched=batched,
        )

    @property
    def statements(self) -> list[StatementRecord]:
        return [s for f in self.files for s in f.statements]


def full_text(file: MigrationFile) -> str:
    """A migration file's text as spans count it: its up text at its offset (a dbmate file's
    down section is not read, so it is blanked)."""
    return " " * file.up_span_offset + file.up_text if file.up_span_offset else file.up_text


@dataclass
class RuleCaches:
    """What the rules keep from one run to the next in one workspace: what a keystroke in
    schema.prisma reuses. The workspace holds it on its caches object
    (`WorkspaceCaches.rules`).

    Entries hold the object they were computed from and are used only while the run's object
    is that same one (`is`), so a changed model or a new replay is never answered from here.
    """

    drift: DriftChecker = field(default_factory=lambda: _drift_checker())
    """The drift check's caches (the declared schema's database form, the statement index of
    the last replay)."""
    tables: dict[tuple, list] = field(default_factory=dict)
    """(rule, options, database, version, provider, relation mode, table name) -> [the
    declared table, its start offset then, its findings]: a design rule that looks at one
    table at a time re-checks only the tables a keystroke changed (the reader hands out the
    same table object for an unchanged model)."""
    migrated: dict[tuple, tuple[Schema, list]] = field(default_factory=dict)
    """(rule, options, database, version, first migration file) -> (the migrated schema, the
    rule's findings on it): a keystroke in schema.prisma leaves the replay, so these stay."""


def _drift_checker() -> DriftChecker:
    from schemasense.server.drift.report import DriftChecker

    return DriftChecker()


@dataclass
class RuleContext:
    config: Config = field(default_factory=Config)
    texts: Mapping[str, str] = field(default_factory=dict)
    read: PrismaRead | None = None
    migrations: Sequence[MigrationContext] = ()
    root: str | None = None
    _declared: Callable[[], Schema | None] | None = None
    caches: RuleCaches = field(default_factory=lambda: RuleCaches())
    """What the rules keep between runs: the workspace's (`WorkspaceCaches.rules`), so a
    keystroke reuses it; a run on its own (the CLI, a test) gets fresh ones."""
    drift: tuple[DriftReport, ...] | None = None
    """The run's drift reports, computed by the first drift rule that asks
    (`rules/drift/base.drift_reports`) and shared by the others."""
    editor: SchemaEditor | None = None
    """The unit's editor for fixes (`Source.editor(read, texts)`); given a Prisma `read` and
    no editor, the Prisma source's."""
    declared_is_database_form: bool | None = None
    """The source's `database_form`: True when `declared` is already what a database holds
    (a DDL file, a Sequelize model set read through the SQL `sync()` writes), so drift
    compares it as it is; None: judged from the schema (`drift.database_form.is_database_form`)."""
    checks_declared_on: Collection[str] = ()
    """The dialects whose CHECK constraints the source declares (`Source.checks_declared_on`):
    there drift compares checks too, as the migration diff does (`diff(checks=True)`)."""
    primary_key_required: bool = False
    """The source's `primary_key_required`: its ORM refuses a declared table with no primary
    key at start-up, so DB103 reports it on the declared schema as an error."""

    def __post_init__(self) -> None:
        if self.editor is None and self.read is not None:
            from schemasense.server.sources.base import source_of

            self.editor = source_of("prisma").editor(self.read, self.texts)

    @cached_property
    def declared(self) -> Schema | None:
        """The declared schema (lowered on first use), None when the project has none."""
        if self._declared is not None:
            return self._declared()
        if getattr(self.read, "database", None) is not None:
            return self.read.schema  # type: ignore[union-attr]
        return None

    @cached_property
    def database(self) -> str | None:
        """The target database family: the config's, else the declared schema's provider,
        else the first migration set's dialect."""
        if self.config.database:
            return self.config.database
        database = getattr(self.read, "database", None)
        if database is not None:
            provider = database.provider
            if provider:
                return "postgresql" if provider == "postgres" else provider
        for m in self.migrations:
            return m.dialect
        return None

    @property
    def version(self) -> tuple[int, ...] | None:
        """The server version from the config (`database-version`), None when unknown."""
        return self.config.version_tuple()

    def version_at_least(self, *wanted: int, unknown: bool = True) -> bool:
        """Whether the target server is at least `wanted`; `unknown` when no version is set
        (rules assume a currently supported release unless told otherwise)."""
        version = self.version
        if version is None:
            return unknown
        return version[: len(wanted)] >= wanted

    @cached_property
    def _targets(self) -> list[SchemaTarget]:
        targets: list[SchemaTarget] = []
        if self.declared is not None:
            targets.append(
                SchemaTarget(
                    self.declared,
                    "declared",
                    self.texts,
                    self.read,
                    editor=self.editor,
                    primary_key_required=self.primary_key_required,
                )
            )
        for m in self.migrations:
            if m.migrated is not None:
                texts = {f.path: f.text for f in m.files}
                targets.append(SchemaTarget(m.migrated, "migrated", texts))
        return targets

    def schema_targets(self, inputs: Sequence[str]) -> list[SchemaTarget]:
        """The schemas design rules check (the same objects for every rule, so facts cached
        on a target are shared): the declared one, then each migration set's."""
        return [t for t in self._targets if t.origin in inputs]

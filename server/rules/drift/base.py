"""What the drift rules (DB301-DB312, one module each in `server/rules/`) share.

A drift rule reports the drift items of its code (`report.code_of`) from the one drift check of
a rule run: `drift_reports(ctx)` compares the declared schema with each migration set linked to
it (`RuleContext.migrations`, whose `replay` is the migration reader's `ReplayResult`) and is
computed once per run (kept on the run's context, `RuleContext.drift`), however many drift
rules ask. Each item becomes two findings, each
pointing at the other (`related`):

- one in `schema.prisma`, on the object that declares it (or its model, or the datasource, when
  only the migrations have it);
- one in the migration file, on the statement that created, changed or dropped it, where there
  is one.

A subclass sets the rule's metadata and writes `describe(item)`: the message in the schema, the
message in the migration, and the help, in Prisma's words; `Wording` says them in the words of
the declared schema's own source where that is not Prisma (a SQL DDL file: its file name, and
help that names SQL rather than `@@index` or `prisma migrate dev`).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from typing import ClassVar

from schemasense.server.drift.report import DriftReport, LocatedDrift
from schemasense.server.findings import Finding
from schemasense.server.lint.context import RuleContext
from schemasense.server.lint.registry import Input, Rule, Status
from schemasense.server.migrations.discover import dialect_of_provider

MIGRATE_HELP = (
    "create a migration for it (`prisma migrate dev --create-only`), or change the schema back"
)


DDL_MIGRATE_HELP = (
    'write a migration for it ("Generate migration…" in the editor, or `schemasense generate '
    "migration`), or change the schema back"
)

_DDL_HELP = (
    (MIGRATE_HELP, DDL_MIGRATE_HELP),
    ("; otherwise the next `prisma migrate dev` drops it", ""),
    (
        "add a model for it (`prisma db pull` writes one)",
        "add its `CREATE TABLE` to the schema file",
    ),
    (
        "declare it in the model (`@@index` / `@@unique` with `map:`)",
        "add its `CREATE INDEX` to the schema file",
    ),
    ("declare it (`@id` / `@@id`)", "declare it in the table's `PRIMARY KEY`"),
    ("add the field to the model", "add the column to the table"),
    (' (with `relationMode = "prisma"` the database keeps no foreign keys)', ""),
    ("declare the relation", "add the `FOREIGN KEY` to the table"),
)
"""Prisma's remedies and what replaces them for a schema kept as SQL DDL."""


@dataclass(frozen=True, slots=True)
class Described:
    """A drift item in words: `schema` is the message shown in schema.prisma, `migration` the
    one shown on the migration statement, `help` what to do."""

    schema: str
    migration: str
    help: str


@dataclass(frozen=True, slots=True)
class Wording:
    """How findings name the declared schema: `schema.prisma` and Prisma's remedies, or a SQL
    DDL file by its name (an ORM's model files: "the model code") with SQL remedies."""

    file: str = "schema.prisma"
    prisma: bool = True

    @classmethod
    def of(cls, ctx: RuleContext) -> Wording:
        if ctx.read is not None:
            return cls()
        declared = ctx.declared
        sources = declared.sources if declared is not None else []
        if len(sources) == 1:
            return cls(os.path.basename(sources[0]), prisma=False)
        # an entity or model set (TypeORM, Sequelize): no one file is "the schema"
        return cls("the model code" if sources else "the schema file", prisma=False)

    def say(self, words: Described) -> Described:
        if self.prisma:
            return words
        help_ = words.help
        for prisma, sql in _DDL_HELP:
            help_ = help_.replace(prisma, sql)
        return Described(
            words.schema.replace("schema.prisma", self.file),
            words.migration.replace("schema.prisma", self.file),
            help_,
        )


class DriftRule(Rule):
    """Base of the drift rules: reports `drift_reports(ctx)` items of this rule's code."""

    severity = "warning"
    fix = "never"
    status = Status.stable("0.1.0")
    applies_to: ClassVar[tuple[Input, ...]] = ("declared", "migrated")

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        wording = Wording.of(ctx)
        checker = ctx.caches.drift
        said = (wording, repr(self.options))
        for report in drift_reports(ctx):
            for item in report.by_code(self.code):
                yield from checker.findings_of(
                    self.code,
                    item,
                    said,
                    report.root,
                    lambda item=item: self.findings(item, wording),
                )

    def findings(self, item: LocatedDrift, wording: Wording | None = None) -> Iterator[Finding]:
        words = (wording or Wording()).say(self.describe(item))
        schema_span, migration_span = item.declared_span, item.migration_span
        if schema_span is not None:
            yield self.finding(
                words.schema,
                schema_span,
                help=words.help,
                related=(migration_span,) if migration_span is not None else (),
            )
        if migration_span is not None:
            yield self.finding(
                words.migration,
                migration_span,
                help=words.help,
                related=(schema_span,) if schema_span is not None else (),
            )

    def describe(self, item: LocatedDrift) -> Described:
        raise NotImplementedError


# -- one drift check per rule run -------------------------------------------------------------


def drift_reports(ctx: RuleContext) -> tuple[DriftReport, ...]:
    """The drift between `ctx.declared` and each linked migration set of its dialect;
    computed once per run (`ctx.drift`), however many rules ask, with the workspace's drift
    caches (`ctx.caches.drift`)."""
    if ctx.drift is None:
        ctx.drift = _reports(ctx)
    return ctx.drift


def _reports(ctx: RuleContext) -> tuple[DriftReport, ...]:
    declared = ctx.declared
    if declared is None or not ctx.migrations:
        return ()
    dialect = dialect_of_provider(declared.provider)
    replays = tuple(
        m.replay for m in ctx.migrations if m.replay is not None and m.dialect == dialect
    )
    if dialect is None or not replays:
        return ()
    as_is = ctx.declared_is_database_form
    checks = dialect in ctx.checks_declared_on  # where the migration diff compares them too
    return tuple(
        ctx.caches.drift.check(declared, r, ctx.texts, database_form=as_is, checks=checks)
        for r in replays
    )


# -- words ----------------------------------------------------------------------------------------


def table_name(item: LocatedDrift) -> str:
    return f'"{item.drift.table}"'


def model_phrase(item: LocatedDrift) -> str:
    """`model `User` (table "users")`, or the table alone when no model declares it."""
    table = item.drift.table
    if item.model is None and table.split(".")[-1].startswith("_"):
        return f'the many-to-many table "{table}"'
    if item.model and item.model != table.split(".")[-1]:
        return f'model `{item.model}` (table "{table}")'
    if item.model:
        return f"model `{item.model}`"
    return f'table "{table}"'


def field_phrase(item: LocatedDrift) -> str:
    """`` `User.email` `` (column "email_address") where the schema names it, else the column."""
    column = item.drift.name or ""
    if item.field and item.model:
        mapped = f' (column "{column}")' if item.field != column else ""
        return f"`{item.model}.{item.field}`{mapped}"
    return f'column "{column}" of {table_name(item)}'

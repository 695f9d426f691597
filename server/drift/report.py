"""Drift, located: each difference with its place in `schema.prisma` and in the migrations.

`DriftChecker.check(declared, replay, texts)` compares the declared schema (in database form)
with what the migration replay built and gives a `DriftReport`: one `LocatedDrift` per
difference, with its rule code and two places:

- `declared_span`: in the Prisma schema, the object that declares it (the field, the `@@index`
  or `@unique`, the `@id`, the relation field of a foreign key, the enum value), else the line
  that opens its model or enum (an object only the migrations have, inside a declared model),
  else the datasource block (a table or an enum only the migrations have);
- `migration_span`: the migration statement that last created, altered or renamed the object
  (`ALTER TABLE ... ALTER COLUMN`, `CREATE INDEX`, `ALTER TYPE ... ADD VALUE`), or the statement
  that dropped something the schema still declares; None when no statement ever touched it.

The checker keeps its caches between calls (database forms per table, comparisons per table
pair, the statement index per replay), so checking again after a keystroke in `schema.prisma`
costs what the keystroke changed, and re-reads no migration.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from dataclasses import dataclass

from schemasense.codegen.orms.prisma.create_sql import DEFAULT_SCHEMA
from schemasense.codegen.schema import Enum, Schema, Span, Table
from schemasense.server.drift.compare import Drift, DriftComparer, DriftPolicy
from schemasense.server.drift.compare import condition_of as _condition
from schemasense.server.drift.database_form import DatabaseForms
from schemasense.server.findings import Finding
from schemasense.server.migrations.model import ReplayResult, StatementRecord

CODES = {
    "table-missing-from-migrations": "DB301",
    "table-missing-from-schema": "DB302",
    "column-missing-from-migrations": "DB303",
    "column-missing-from-schema": "DB304",
    "column-type-drift": "DB305",
    "column-nullability-drift": "DB306",
    "column-default-drift": "DB307",
    "primary-key-drift": "DB308",
    "index-drift": "DB309",
    "foreign-key-drift": "DB310",
    "enum-drift": "DB311",
    "check-drift": "DB312",
}
"""Rule name -> code, for every drift rule (each is a module of `server/rules/`)."""


def code_of(drift: Drift) -> str:
    """The code of the rule that reports `drift`."""
    kind, what = drift.kind, drift.what
    if kind == "table":
        if what == "only":
            return CODES[
                "table-missing-from-schema" if drift.right else "table-missing-from-migrations"
            ]
        return CODES["table-missing-from-migrations"]  # a view that is a table, or the reverse
    if kind == "column":
        if what == "only":
            return CODES[
                "column-missing-from-schema" if drift.right else "column-missing-from-migrations"
            ]
        if what == "nullable":
            return CODES["column-nullability-drift"]
        if what in ("default", "auto-increment"):
            return CODES["column-default-drift"]
        return CODES["column-type-drift"]  # type, kind, array, name
    if kind == "primary_key":
        return CODES["primary-key-drift"]
    if kind == "index":
        return CODES["index-drift"]
    if kind == "foreign_key":
        return CODES["foreign-key-drift"]
    if kind == "check":
        return CODES["check-drift"]
    return CODES["enum-drift"]


@dataclass(frozen=True, slots=True)
class LocatedDrift:
    """A drift with its code and places (see the module docstring). `model` and `field` are
    the Prisma names where the schema has them (`User`, `email`), for messages; `enum` the
    Prisma enum name for enum drift."""

    drift: Drift
    code: str
    declared_span: Span | None
    migration_span: Span | None
    model: str | None = None
    field: str | None = None
    exact: bool = True
    """Whether `declared_span` is the object itself (False: its model, enum or datasource)."""
    view: bool = False
    """Whether the schema declares the table as a view."""


@dataclass(frozen=True)
class DriftReport:
    """Every drift between one declared schema and one migration set (`root`)."""

    root: str
    items: tuple[LocatedDrift, ...]
    problems: tuple[Finding, ...] = ()
    """What went wrong building the declared schema's database form (a bug of ours)."""

    def by_code(self, code: str) -> list[LocatedDrift]:
        return [i for i in self.items if i.code == code]


class DriftChecker:
    """Checks drift, keeping its caches between calls (one per workspace, or the default)."""

    def __init__(self) -> None:
        self.forms = DatabaseForms()
        self.comparer = DriftComparer()
        self._statements: tuple[ReplayResult, _StatementIndex] | None = None
        self._lock = threading.Lock()
        self._located: dict[tuple, tuple[tuple, LocatedDrift]] = {}
        """(migrations folder, drift) -> what locating it read and where it was found, from
        the last check: a keystroke locates again only the drifts whose tables changed."""
        self._findings: dict[tuple, tuple[LocatedDrift, object, tuple[Finding, ...]]] = {}
        """(rule, migrations folder, drift) -> the findings a drift rule made of a located
        drift (`findings_of`), kept while the located drift is the same object."""

    def check(
        self,
        declared: Schema,
        replay: ReplayResult,
        texts: Mapping[str, str] = {},
        *,
        database_form: bool | None = None,
        checks: bool = False,
    ) -> DriftReport:
        """Drift between `declared` (a lowered Prisma schema, or a schema already in database
        form: `database_form`) and `replay`; `texts` are the schema's files (to narrow a
        model's span to its first line). `checks`: the declared side declares every CHECK
        its tables have (`Source.checks_declared_on`), so checks are compared too."""
        with self._lock:
            form = self.forms.form(declared, texts or None, database_form=database_form)
            migrated = replay.schema
            provider = form.schema.provider or migrated.provider or "postgresql"
            drifts = self.comparer.compare(
                form.schema,
                migrated,
                provider=provider,
                managed_schemas=managed_schemas(declared),
                checks=checks,
            )
            if not drifts:
                return DriftReport(replay.migration_set.root, (), form.problems)
            statements = self._statement_index(replay)
            locator = _Locator(declared, migrated, provider, texts, statements, replay)
            root = replay.migration_set.root
            located = {k: v for k, v in self._located.items() if k[0] != root}
            items_: list[LocatedDrift] = []
            for d in drifts:
                inputs = locator.inputs(d)
                held = self._located.get((root, d))
                if held is not None and _same_inputs(held[0], inputs):
                    item = held[1]
                else:
                    item = locator.locate(d)
                located[(root, d)] = (inputs, item)
                items_.append(item)
            self._located = located
            return DriftReport(root, tuple(items_), form.problems)

    def findings_of(self, code: str, item: LocatedDrift, wording: object, root: str, make):  # type: ignore[no-untyped-def]
        """`make()`, the findings of rule `code` for `item`: the same objects again while the
        item is (so the editor converts only what changed)."""
        key = (code, root, item.drift)
        with self._lock:
            held = self._findings.get(key)
            if held is not None and held[0] is item and held[1] == wording:
                return held[2]
        found = tuple(make())
        with self._lock:
            if len(self._findings) > 4 * max(len(self._located), 256):
                live = {(k[0], k[1]) for k in self._located}
                self._findings = {k: v for k, v in self._findings.items() if k[1:] in live}
            self._findings[key] = (item, wording, found)
        return found

    def _statement_index(self, replay: ReplayResult) -> _StatementIndex:
        if self._statements is not None and self._statements[0] is replay:
            return self._statements[1]
        index = _StatementIndex(replay)
        self._statements = (replay, index)
        return index


def _same_inputs(a: tuple, b: tuple) -> bool:
    return len(a) == len(b) and all(x is y or x == y for x, y in zip(a, b, strict=True))


def managed_schemas(declared: Schema) -> set[str | None]:
    """The database schemas the Prisma schema manages (None: the default one): with
    `multiSchema`, those in the datasource's `schemas`; else only the default schema."""
    default = DEFAULT_SCHEMA.get(declared.provider or "")
    managed: set[str | None] = {None}
    if declared.datasource is not None:
        listed = declared.datasource.properties.get("schemas")
        if listed is not None and isinstance(listed.value, list):
            managed |= {None if s == default else s for s in listed.value}
    managed |= {None if t.db_schema == default else t.db_schema for t in declared.tables}
    return managed


# -- the migrations' side -------------------------------------------------------------------------


class _StatementIndex:
    """For every object, the last statement that created, altered, renamed or dropped it."""

    def __init__(self, replay: ReplayResult) -> None:
        self.last: dict[tuple[str, str | None, str], tuple[StatementRecord, str]] = {}
        self.texts: dict[str, tuple[str, int]] = {}
        for file in replay.files:
            self.texts[file.file.path] = (file.file.up_text, file.file.up_span_offset)
            for statement in file.statements:
                for touch in statement.touches:
                    if touch.verb == "comment":
                        continue
                    kind = (
                        "table"
                        if touch.kind in ("table", "view", "materialized_view")
                        else touch.kind
                    )
                    self.last[(kind, touch.table, touch.name)] = (statement, touch.verb)

    def find(self, kind: str, table: str | None, name: str, fold: bool) -> tuple[Span, str] | None:
        hit = self.last.get((kind, table, name))
        if hit is None and fold:
            for (k, t, n), value in self.last.items():
                if (
                    k == kind
                    and (t or "").lower() == (table or "").lower()
                    and n.lower() == name.lower()
                ):
                    hit = value
        if hit is None:
            return None
        return hit[0].span, hit[1]

    def line_naming(self, span: Span, name: str) -> Span:
        """The line of a multi-line statement that names `name` (a column in its CREATE
        TABLE), trimmed; the span itself when it is one line or no line names it."""
        found = self.texts.get(span.file)
        if found is None:
            return span
        text, offset = found
        body = text[span.start - offset : span.end - offset]
        if "\n" not in body:
            return span
        pos = 0
        for line in body.splitlines(keepends=True):
            stripped = line.strip()
            if stripped and any(
                stripped.startswith(q) for q in (f'"{name}"', f"`{name}`", f"[{name}]", f"{name} ")
            ):
                start = span.start + pos + (len(line) - len(line.lstrip()))
                return Span(file=span.file, start=start, end=start + len(stripped.rstrip(",")))
            pos += len(line)
        return span

    def head(self, span: Span) -> Span:
        """The first line of a statement (a CREATE TABLE is long)."""
        found = self.texts.get(span.file)
        if found is None:
            return span
        text, offset = found
        start = span.start - offset
        end = text.find("\n", start, span.end - offset)
        if end == -1:
            return span
        return Span(file=span.file, start=span.start, end=end + offset)


# -- locating ------------------------------------------------------------------------------------


class _Locator:
    def __init__(
        self,
        declared: Schema,
        migrated: Schema,
        provider: str,
        texts: Mapping[str, str],
        statements: _StatementIndex,
        replay: ReplayResult,
    ) -> None:
        self.provider = provider
        self.fold = DriftPolicy(provider=provider).fold  # names fold as the comparison folds them
        self.default = DEFAULT_SCHEMA.get(declared.provider or "")
        self.texts = texts
        self.statements = statements
        self.declared_tables = {self._key(t): t for t in declared.tables}
        self.declared_enums = {self._enum_key(e): e for e in declared.enums}
        self.migrated_tables = {self._key(t): t for t in migrated.tables}
        self.migrated_enums = {self._enum_key(e): e for e in migrated.enums}
        self.datasource = declared.datasource.span if declared.datasource else None
        self.replay = replay
        self._settings: tuple | None = None

    def _key(self, t: Table) -> str:
        schema = None if t.db_schema == self.default else t.db_schema
        return f"{schema}.{t.name}" if schema else t.name

    def _enum_key(self, e: Enum) -> str:
        schema = None if e.db_schema == self.default else e.db_schema
        return f"{schema}.{e.name}" if schema else e.name

    def _same(self, a: str | None, b: str | None) -> bool:
        if a is None or b is None:
            return False
        return a.lower() == b.lower() if self.fold else a == b

    def inputs(self, d: Drift) -> tuple:
        """What `locate(d)` reads: equal inputs, the same located drift."""
        if self._settings is None:
            self._settings = (self.provider, self.default, self.head(self.datasource))
        datasource = self._settings
        if d.kind in ("enum", "enum_value"):
            enum = self.declared_enums.get(d.table)
            head = self.head(enum.span) if enum is not None else None
            return (self.statements, datasource, enum, self.migrated_enums.get(d.table), head)
        table = self.declared_tables.get(d.table)
        head = self.head(table.span) if table is not None else None
        return (self.statements, datasource, table, self.migrated_tables.get(d.table), head)

    def head(self, span: Span | None) -> Span | None:
        """A block's first line (`model User {`), where the text is known."""
        if span is None:
            return None
        text = self.texts.get(span.file)
        if text is None:
            return span
        end = text.find("\n", span.start, span.end)
        return span if end == -1 else Span(file=span.file, start=span.start, end=end)

    def locate(self, d: Drift) -> LocatedDrift:
        if d.kind in ("enum", "enum_value"):
            return self._enum(d)
        table = self.declared_tables.get(d.table)
        migrated = self.migrated_tables.get(d.table)
        model = table.model_name if table is not None else None  # None: a join table
        table_span = None
        if table is not None:  # a join table's span is its relation field: keep it whole
            table_span = table.span if table.kind == "join_table" else self.head(table.span)
        declared_span: Span | None = None
        exact = False
        field = None
        migration = None
        if d.kind == "table":
            if table is not None:
                declared_span, exact = table_span, True
            migration = self._statement("table", None, d.table.split(".")[-1], migrated, d)
            if migration is not None and migration[1] == "create":
                migration = (self.statements.head(migration[0]), migration[1])
        elif d.kind == "column":
            column = (
                next((c for c in table.columns if self._same(c.name, d.name)), None)
                if table
                else None
            )
            if column is not None and column.span is not None:
                declared_span, exact, field = column.span, True, column.field_name
            mcol = (
                next((c for c in migrated.columns if self._same(c.name, d.name)), None)
                if migrated
                else None
            )
            migration = self._statement("column", migrated, d.name or "", mcol, d)
        elif d.kind == "primary_key":
            pk = table.primary_key if table is not None else None
            if pk is not None and pk.span is not None:
                declared_span, exact = pk.span, True
            mpk = migrated.primary_key if migrated is not None else None
            name = (mpk.name if mpk is not None else None) or (pk.name if pk is not None else None)
            migration = self._statement("constraint", migrated, name or "", mpk, d)
        elif d.kind == "index":
            obj = None
            if table is not None:
                obj = next((u for u in table.uniques if self._same(u.name, d.name)), None) or next(
                    (i for i in table.indexes if self._same(i.name, d.name)), None
                )
            if obj is not None and obj.span is not None:
                declared_span, exact = obj.span, True
            mobj = None
            if migrated is not None:
                mobj = next(
                    (i for i in migrated.indexes if self._same(i.name, d.name)), None
                ) or next((u for u in migrated.uniques if self._same(u.name, d.name)), None)
            migration = self._statement(
                "index", migrated, d.name or "", mobj, d
            ) or self._statement("constraint", migrated, d.name or "", None, d)
        elif d.kind == "check":
            check = self._check(table, d.name, d.left if d.what == "name" else None)
            if check is not None and check.span is not None:
                declared_span, exact = check.span, True
            mname = d.right if d.what == "name" else d.name
            mcheck = self._check(migrated, mname, None)
            name = mcheck.name if mcheck is not None else (mname or "")
            migration = self._statement("constraint", migrated, name, mcheck, d)
        elif d.kind == "foreign_key":
            fk = (
                next((f for f in table.foreign_keys if self._same(f.name, d.name)), None)
                if table
                else None
            )
            if fk is not None and fk.span is not None:
                declared_span, exact = fk.span, True
            mfk = (
                next((f for f in migrated.foreign_keys if self._same(f.name, d.name)), None)
                if migrated
                else None
            )
            migration = self._statement("constraint", migrated, d.name or "", mfk, d)
        if declared_span is None:
            declared_span, exact = table_span, False
        if declared_span is None:
            declared_span, exact = self.head(self.datasource), False
        return LocatedDrift(
            drift=d,
            code=code_of(d),
            declared_span=declared_span,
            migration_span=migration[0] if migration else None,
            model=model,
            field=field,
            exact=exact,
            view=table is not None and table.kind == "view",
        )

    def _check(self, table: Table | None, name: str | None, alt: str | None):
        """A table's check by name (`alt` first, when given), else by condition (an unnamed
        check's drift is named by its condition)."""
        if table is None or name is None:
            return None
        for wanted in (alt, name):
            found = next((c for c in table.checks if self._same(c.name, wanted)), None)
            if found is not None:
                return found
        dialect = DriftPolicy(provider=self.provider).dialect
        return next(
            (c for c in table.checks if not c.name and _condition(dialect, c.expression) == name),
            None,
        )

    def _statement(self, kind: str, table: Table | None, name: str, obj, d: Drift):
        """The statement for an object: the last one that touched it (a drop only when the
        object is gone from the migrations), else where the replay says it was created."""
        table_name = table.name if table is not None else d.table.split(".")[-1]
        found = self.statements.find(kind, None if kind == "table" else table_name, name, self.fold)
        own = getattr(obj, "span", None) if obj is not None else None
        if found is not None:
            span, verb = found
            if (verb == "drop") == d.only_declared:  # a drop explains only what is gone
                if verb == "create" and own is not None and _inside(own, span) and own != span:
                    return own, verb  # the constraint's own clause in its CREATE TABLE
                if verb == "create":
                    return self.statements.head(span), verb  # a CREATE TABLE is long
                return span, verb
        span = own
        if span is None and kind == "table" and table is not None:
            span = table.span
        if span is None or d.only_declared:
            return None
        if kind == "column":  # SQLite's and MySQL's column clauses have no span of their own
            return self.statements.line_naming(span, name), "create"
        return span, "create"

    def _enum(self, d: Drift) -> LocatedDrift:
        enum = self.declared_enums.get(d.table)
        menum = self.migrated_enums.get(d.table)
        declared_span: Span | None = None
        exact = False
        if enum is not None:
            if d.kind == "enum_value":
                value = next((v for v in enum.values if v.name == d.name), None)
                if value is not None and value.span is not None:
                    declared_span, exact = value.span, True
            else:
                declared_span, exact = self.head(enum.span), True
            if declared_span is None:
                declared_span = self.head(enum.span)
        if declared_span is None:
            declared_span = self.head(self.datasource)
        name = d.table.split(".")[-1]
        migration = None
        found = self.statements.find("enum", None, name, False)
        if (
            found is not None
            and (found[1] == "drop") == d.only_declared
            and not (d.kind == "enum_value" and d.only_declared)
        ):
            migration = found[0]
        elif menum is not None and not d.only_declared:
            migration = menum.span
        if migration is not None and d.kind == "enum":
            migration = self.statements.head(migration)
        return LocatedDrift(
            drift=d,
            code=code_of(d),
            declared_span=declared_span,
            migration_span=migration,
            model=enum.model_name if enum is not None else None,
            field=d.name if d.kind == "enum_value" else None,
            exact=exact,
        )


def _inside(inner: Span, outer: Span) -> bool:
    return inner.file == outer.file and outer.start <= inner.start and inner.end <= outer.end

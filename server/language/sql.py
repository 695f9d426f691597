"""Hover and definition inside a migration's SQL.

Hover on a statement says what it does and what running it on a live database locks and costs
(`migrations.statement_notes`, with the migration rules' lock facts for the configured database
and version); on a `CREATE INDEX` of an index the schema declares, the
index's own explanation follows (`explain.py`). Definition on a table, column or index name
goes to the model, field or attribute that declares it in the Prisma schema (by the database
names Prisma derives: `@@map`, `@map`, `map:`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from schemasense.codegen.ddl import statements as o
from schemasense.server.findings import Finding
from schemasense.server.sources.prisma.index import SchemaIndex, field_key, model_key

from . import explain
from .hover import HoverText, finding_notes, ignore_comment_hover
from .migrations import (
    MigrationIndex,
    Target,
    op_table,
    render_notes,
    statement_notes,
)
from .navigation import Location

_IDENT = re.compile(r"[A-Za-z0-9_.$]")


def sql_hover(
    migrations: MigrationIndex,
    schema: SchemaIndex | None,
    file: str,
    offset: int,
    findings: Sequence[Finding] = (),
    text: str | None = None,
    target: Target | None = None,
) -> HoverText | None:
    """The statement at `offset`: what it does and costs, on `target` (the configured
    database and version: the lock facts are the migration rules'); `findings` are the
    file's (one line per code of those inside the statement is added). On an ignore comment
    (`-- schemasense-ignore DB201 reason`) in `text` (the file's), the documentation of its
    rules instead."""
    if text is not None:
        ignored = ignore_comment_hover(file, text, offset)
        if ignored is not None:
            return HoverText(ignored[0], file, ignored[1][0], ignored[1][1])
    statement = migrations.statement_at(file, offset)
    if statement is None:
        return None
    dialect = migrations.dialect
    before = migrations.state_before(statement)
    notes = statement_notes(statement, dialect, target=target, before=before)
    text = render_notes(statement, notes, dialect, migrations.label(statement))
    if schema is not None:
        for op in statement.ops:
            if isinstance(op, o.CreateIndex) and op.index.name:
                declared = _declared_key(schema, op.table, op.index.name)
                if declared is not None:
                    text += "\n---\n" + declared
    inside = [f for f in findings if statement.start <= f.span.start < statement.end]
    notes = finding_notes(inside)
    if notes:
        text += "\n---\n" + notes
    return HoverText(text, file, statement.start, statement.end)


def _declared_key(schema: SchemaIndex, table_name: str, name: str) -> str | None:
    table = next((t for t in schema.schema.tables if t.name == table_name), None)
    if table is None or table.model_name is None:
        return None
    model = schema.model(table.model_name)
    keys = explain.table_keys(table, model, schema.provider)
    key = next((k for k in keys if k.name == name), None)
    if key is None:
        return None
    links = explain.table_links(table, model)
    result = explain.explain(key, keys, links, table, schema.provider)
    return explain.render(result, f"Declared in the schema on `{table.model_name}`")


def word_at(text: str, offset: int) -> tuple[str, int, int] | None:
    """The identifier at `offset` (without its quotes) and its range."""
    start = offset
    while start > 0 and _IDENT.match(text[start - 1]):
        start -= 1
    end = offset
    while end < len(text) and _IDENT.match(text[end]):
        end += 1
    if start == end:
        return None
    return text[start:end], start, end


def sql_definition(
    migrations: MigrationIndex, schema: SchemaIndex | None, file: str, text: str, offset: int
) -> list[Location]:
    """The schema declaration of the table, column or index named at `offset`."""
    if schema is None:
        return []
    statement = migrations.statement_at(file, offset)
    found = word_at(text, offset)
    if statement is None or found is None:
        return []
    word = found[0]
    tables = {t.name: t for t in schema.schema.tables}
    if word in tables and tables[word].model_name:
        return _declared(schema, model_key(tables[word].model_name))
    names = []
    for op in statement.ops:
        table = op_table(op)
        if table is not None:
            names.append(table)
        if isinstance(op, o.AlterTable):
            for action in op.changes:
                if isinstance(action, o.AddConstraint) and action.constraint.ref_table:
                    names.append(action.constraint.ref_table[1])
        if isinstance(op, o.CreateTable):
            names += [c.ref_table[1] for c in op.constraints if c.ref_table]
    for name in names:
        table = tables.get(name)
        if table is None or table.model_name is None:
            continue
        column = table.column(word)
        if column is not None and column.field_name:
            return _declared(schema, field_key(table.model_name, column.field_name))
        for key in (*table.indexes, *table.uniques):
            if key.name == word and key.span is not None:
                return [Location(key.span.file, key.span.start, key.span.end)]
        pk = table.primary_key
        if pk is not None and pk.name == word and pk.span is not None:
            return [Location(pk.span.file, pk.span.start, pk.span.end)]
    return []


def _declared(schema: SchemaIndex, key) -> list[Location]:
    decl = schema.declaration(key)
    return [Location(decl.file, decl.start, decl.end)] if decl is not None else []

"""DB209's fix: a column type change made expand / backfill / contract.

The plan itself (the operations of each migration) is the safe plan's, `codegen.ddl.safe.
column_type_change`; this module reads what it needs from the migrations replayed up to the
statement (`ColumnTypeChange`), declines where the plan would be wrong, and lays the plan's
migrations out as files, with the notes and the suppressions of the rules its own steps would
trip.
"""

from __future__ import annotations

import re

from schemasense.codegen.ddl import statements as ops
from schemasense.codegen.ddl.operations import (
    AlterTable,
    DropColumn,
    Operation,
    RenameColumn,
)
from schemasense.codegen.ddl.safe import (
    BATCH_ROWS,
    ColumnTypeChange,
    IndexOnColumn,
    TypeChangePlan,
    column_type_change,
)
from schemasense.codegen.emit.sql.base import render_statements
from schemasense.server.findings import Fix, TextEdit
from schemasense.server.lint import migration_fixes as mf
from schemasense.server.lint.migration_rule import MigrationState, single_action
from schemasense.server.migrations.apply import Context, apply
from schemasense.server.migrations.model import StatementRecord
from schemasense.server.migrations.state import ColumnState, SchemaState, TableState


def expand_backfill_contract(stmt: StatementRecord, state: MigrationState) -> Fix | None:
    """The expand / backfill / contract migrations for a statement that changes one
    column's type (Prisma on PostgreSQL 11+ only; None where the plan would be wrong)."""
    if state.dialect != "postgresql" or not state.is_prisma:
        return None
    if not state.ctx.version_at_least(11):
        return None
    found = single_action(stmt)
    if found is None or not isinstance(found[1], ops.AlterColumnType):
        return None
    op, action = found
    schema = schema_after(state, stmt)
    if schema is None:
        return None
    table = schema.tables.get(schema.qkey(op.qname))
    if table is None:
        return None
    column = table.columns.get(schema.rules.key(action.name))
    if column is None:
        return None
    change = _change(schema, table, column, action, op.qname)
    return None if change is None else _fix(change, stmt, state)


def _declines(
    schema: SchemaState, table: TableState, column: ColumnState, using: str | None
) -> bool:
    """Where the plan would be wrong: the new column's name taken or too long, an identity,
    serial or generated column, no single-purpose primary key to walk, the column in a key, a
    check, a generated column, an expression index or a predicate, or a `USING` with `$$`."""
    key = schema.rules.key
    col = key(column.name)
    if len(f"{column.name}_new".encode()) > 63 or key(f"{column.name}_new") in table.columns:
        return True
    if column.identity or column.auto_increment or column.generated:
        return True
    if table.primary_key is None:
        return True
    pk = table.primary_key.column_names()
    if not pk or len(pk) != len(table.primary_key.columns) or col in map(key, pk):
        return True

    named = re.compile(rf'(?<![\w$])"?{re.escape(column.name)}"?(?![\w$])', re.I)

    def uses(text: str | None) -> bool:
        return text is not None and named.search(text) is not None

    if column.default and uses_sequence(schema.render_parts(column.default)):
        return True
    for c in table.uniques + table.foreign_keys:
        if col in map(key, c.column_names()) or col in map(key, c.include):
            return True
    if any(uses(c.expression) for c in table.checks):
        return True
    if any(uses(c.generated) for c in table.columns.values()):
        return True
    tkey = (table.schema, key(table.name))
    for other in schema.tables.values():
        for fk in other.foreign_keys:
            if fk.ref_table == tkey and col in map(key, fk.ref_columns):
                return True
    for index in table.indexes:
        expressions = [p.expression for p in index.parts if p.expression is not None]
        if any(uses(e) for e in expressions) or uses(index.predicate):
            return True
    return using is not None and "$$" in using


def _change(
    schema: SchemaState,
    table: TableState,
    column: ColumnState,
    action: ops.AlterColumnType,
    name: ops.QName,
) -> ColumnTypeChange | None:
    """What the plan needs of the column, from the migrations (None where it declines)."""
    using = (
        schema.rules.generated_text(action.using, table, schema)
        if action.using is not None
        else None
    )
    if _declines(schema, table, column, using):
        return None
    key = schema.rules.key
    col = key(column.name)
    indexes = tuple(
        IndexOnColumn(
            index.name,
            tuple(
                ops.IndexPart(
                    column=p.column,
                    expression=p.expression if p.column is None else None,
                    ops=p.ops,
                    sort=p.sort,
                    nulls=p.nulls,
                )
                for p in index.parts
            ),
            unique=index.unique,
            method=index.method,
            include=tuple(index.include),
            predicate=index.predicate,
        )
        for index in table.indexes
        if col in map(key, index.column_names()) or col in map(key, index.include)
    )
    assert table.primary_key is not None  # _declines checked it
    return ColumnTypeChange(
        name[1],
        column.name,
        schema.rules.column_type_text(column.type, schema),
        tuple(table.primary_key.column_names()),
        schema=name[0],
        row=table.name,
        using=using,
        not_null=not column.nullable,
        default=schema.render_parts(column.default) if column.default else None,
        indexes=indexes,
    )


def _sql(op: Operation) -> str:
    """One operation as its statements, each but the last ending in `;` and a new line
    (codegen.emit.sql renders them): the last `;` is the caller's."""
    return ";\n".join(render_statements([op], "postgresql"))


def _suppression(op: Operation, old: str, new: str) -> str | None:
    """The rule a contract step trips, and why it does no harm here."""
    if isinstance(op, AlterTable) and isinstance(op.changes[0], DropColumn):
        return f"-- schemasense-ignore DB212 its data is in {new}, which takes its name next"
    if isinstance(op, RenameColumn):
        return f"-- schemasense-ignore DB210 no app selects {new}; {old} is back at once"
    if isinstance(op, AlterTable) and isinstance(op.changes[0], ops.SetNotNull):
        return "-- schemasense-ignore DB204 the check validated above proves it: no scan"
    return None


def _files(change: ColumnTypeChange, plan: TypeChangePlan) -> list[tuple[str, str]]:
    """(name, text) of each migration, the first (the expand) in place of the statement."""
    old, new = mf.quote(change.column), mf.quote(plan.new)
    add, sync = plan.expand
    expand = [
        _sql(add) + ";",
        f"-- {new} follows {old} while the running app writes the old "
        "column (DB209: expand, backfill, contract)",
        _sql(sync),
    ]
    if plan.check is not None and plan.check_in_expand:
        expand[-1] += ";"
        expand.append(_sql(plan.check))
    row = change.row or change.table
    files = [("", "\n".join(expand))]
    backfill = [
        f"-- Backfill {new} in batches of {BATCH_ROWS} rows along the primary key, each "
        "committed on its own.",
        "-- Alone in its file, this statement runs outside a transaction block, which "
        "COMMIT in DO needs.",
        "-- If it stops half-way, run it again.",
        _sql(plan.backfill) + ";",
        "",
    ]
    files.append((f"{row}_{change.column}_backfill", "\n".join(backfill)))
    if plan.check is not None and not plan.check_in_expand:
        files.append((plan.check.constraint.name or "", _sql(plan.check) + ";\n"))
    for index in plan.indexes:
        files.append((f"{index.index.name}_concurrently", _sql(index) + ";\n"))
    contract = [f"-- {new} takes the place of {old} (DB209: expand, backfill, contract)"]
    for op in plan.contract:
        note = _suppression(op, old, new)
        if note is not None:
            contract.append(note)
        contract.append(_sql(op) + ";")
    files.append((f"{row}_{change.column}_type_contract", "\n".join(contract) + "\n"))
    return files


def _fix(change: ColumnTypeChange, stmt: StatementRecord, state: MigrationState) -> Fix | None:
    files = _files(change, column_type_change(change))
    (_, expand), later = files[0], files[1:]
    edits: list[TextEdit] = [mf.replace_statement(stmt, expand)]
    for seconds, (name, text) in enumerate(later, start=1):
        path = mf.later_migration(state, name, seconds)
        if path is None:
            return None
        edits.append(mf.new_file(path, text))
    return Fix(
        f"Expand, backfill, contract: {len(later) + 1} migrations, no table rewrite",
        tuple(edits),
        "unsafe",
    )


_NEXTVAL = re.compile(r"\bnextval\s*\(", re.I)


def uses_sequence(default: str) -> bool:
    return _NEXTVAL.search(default) is not None


# -- the schema as it stands after a statement ----------------------------------------------------


def schema_after(state: MigrationState, stmt: StatementRecord) -> SchemaState | None:
    """What replaying the migration set up to and including `stmt` builds (the column's
    nullability, default, indexes and keys at that point). Kept on the set's view
    (`MigrationContext.states_after`, which lives as long as the replay it was made from)."""
    kept = state.migration.states_after
    key = (stmt.file, stmt.index)
    if key in kept:
        return kept[key]
    files = state.migration.files
    here = next((i for i, f in enumerate(files) if f.path == stmt.file), None)
    if here is None:
        return None
    from schemasense.server.migrations.sql.postgresql import RULES

    schema = SchemaState(RULES)
    found = None
    for f in files[: here + 1]:
        for s in f.statements:
            if s.error is None:
                start = s.span.start - s.clause_offset
                ctx = Context(f.path, s.clause_offset, (start, start + len(s.text)))
                for op in s.ops:
                    apply(schema, op, ctx)
            if s is stmt:
                found = schema
                break
    kept[key] = found
    while len(kept) > 8:  # a state is a whole schema: keep the last few asked about
        del kept[next(iter(kept))]
    return found

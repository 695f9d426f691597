"""The expand / backfill / contract plan that DB209's fix writes for a column type change.

Kept apart from the rule (`change_column_type.py`), which only decides what to flag: the plan
needs the column's facts (replayed up to the statement), writes four migrations, and has its
own list of cases where it declines.
"""

from __future__ import annotations

import re

from schemasense.codegen.ddl import statements as ops
from schemasense.codegen.ddl.operations import (
    AddColumnSql,
    AddNotNullCheck,
    AlterTable,
    BackfillColumn,
    ColumnConversion,
    ColumnDef,
    CreateIndexSql,
    DefaultDef,
    DropCheck,
    DropColumn,
    DropSyncTrigger,
    IndexKeySql,
    LockTable,
    Operation,
    RenameColumn,
    RenameIndex,
    RequireColumn,
    SetDefault,
    SyncColumnTrigger,
    TableChange,
    ValidateCheck,
)
from schemasense.codegen.emit.sql.base import render_statements
from schemasense.server.findings import Fix, TextEdit
from schemasense.server.lint import migration_fixes as mf
from schemasense.server.lint.migration_rule import MigrationState, single_action
from schemasense.server.migrations.apply import Context, apply
from schemasense.server.migrations.model import StatementRecord
from schemasense.server.migrations.state import (
    ColumnState,
    IndexState,
    SchemaState,
    TableState,
)

BATCH_ROWS = 10_000
"""Rows the backfill updates per committed batch."""


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
    plan = _Plan.make(schema, table, column, action, op.qname)
    if plan is None:
        return None
    return plan.fix(stmt, state)


class _Plan:
    """What the migrations say, and the names they use."""

    def __init__(
        self,
        schema: SchemaState,
        table: TableState,
        column: ColumnState,
        action: ops.AlterColumnType,
        name: ops.QName,
        pk: list[str],
        indexes: list[IndexState],
    ) -> None:
        self.schema_state = schema
        self.column = column
        self.pk = pk
        self.indexes = indexes
        self.schema = name[0]
        self.table_name = table.name
        self.name = name[1]
        self.old = column.name
        self.new = f"{column.name}_new"
        self.type = schema.rules.column_type_text(column.type, schema)
        self.using = (
            schema.rules.generated_text(action.using, table, schema)
            if action.using is not None
            else None
        )
        self.not_null = not column.nullable
        self.default = schema.render_parts(column.default) if column.default else None
        base = f"{table.name}_{column.name}_new"
        self.sync = _name(f"{base}_sync")
        self.check = _name(f"{base}_not_null")

    @classmethod
    def make(
        cls,
        schema: SchemaState,
        table: TableState,
        column: ColumnState,
        action: ops.AlterColumnType,
        name: ops.QName,
    ) -> _Plan | None:
        key = schema.rules.key
        col = key(column.name)
        if len(f"{column.name}_new".encode()) > 63 or key(f"{column.name}_new") in table.columns:
            return None
        if column.identity or column.auto_increment or column.generated:
            return None
        if table.primary_key is None:
            return None
        pk = table.primary_key.column_names()
        if not pk or len(pk) != len(table.primary_key.columns) or col in map(key, pk):
            return None

        named = re.compile(rf'(?<![\w$])"?{re.escape(column.name)}"?(?![\w$])', re.I)

        def uses(text: str | None) -> bool:
            return text is not None and named.search(text) is not None

        if column.default and uses_sequence(schema.render_parts(column.default)):
            return None
        for c in table.uniques + table.foreign_keys:
            if col in map(key, c.column_names()) or col in map(key, c.include):
                return None
        if any(uses(c.expression) for c in table.checks):
            return None
        if any(uses(c.generated) for c in table.columns.values()):
            return None
        tkey = (table.schema, key(table.name))
        for other in schema.tables.values():
            for fk in other.foreign_keys:
                if fk.ref_table == tkey and col in map(key, fk.ref_columns):
                    return None
        indexes = []
        for index in table.indexes:
            expressions = [p.expression for p in index.parts if p.expression is not None]
            if any(uses(e) for e in expressions) or uses(index.predicate):
                return None
            if col in map(key, index.column_names()) or col in map(key, index.include):
                indexes.append(index)
        plan = cls(schema, table, column, action, name, pk, indexes)
        if plan.using is not None and "$$" in plan.using:
            return None
        return plan

    # the conversion, in the places it runs (the trigger, the backfill)

    def conversion(self) -> ColumnConversion:
        """The new value from a row of the table: the statement's USING, else a cast."""
        return ColumnConversion(self.old, self.type, self.using, self.table_name)

    def column_def(self, default: DefaultDef | None = None) -> ColumnDef:
        """The column as the replay has it, for an operation on it."""
        return ColumnDef(self.old, self.column.type, self.column.nullable, default)

    def alter(self, change: TableChange) -> AlterTable:
        return AlterTable(self.name, (change,), schema=self.schema)

    @staticmethod
    def sql(op: Operation) -> str:
        """One operation as its statements, each but the last ending in `;` and a new line
        (codegen.emit.sql renders them): the last `;` is the caller's."""
        return ";\n".join(render_statements([op], "postgresql"))

    # the steps

    def expand(self, check_here: bool) -> str:
        new = mf.quote(self.new)
        sync = SyncColumnTrigger(self.name, self.new, self.conversion(), self.sync, self.schema)
        lines = [
            self.sql(AddColumnSql(self.name, self.type, self.new, self.schema)) + ";",
            f"-- {new} follows {mf.quote(self.old)} while the running app writes the old "
            "column (DB209: expand, backfill, contract)",
            self.sql(sync),
        ]
        if check_here:
            lines[-1] += ";"
            lines.append(self.add_check())
        return "\n".join(lines)

    def add_check(self) -> str:
        return self.sql(AddNotNullCheck(self.name, self.check, self.new, self.schema))

    def backfill(self) -> str:
        new = mf.quote(self.new)
        backfill = BackfillColumn(
            self.name, self.new, self.conversion(), tuple(self.pk), BATCH_ROWS, self.schema
        )
        return "\n".join(
            [
                f"-- Backfill {new} in batches of {BATCH_ROWS} rows along the primary key, each "
                "committed on its own.",
                "-- Alone in its file, this statement runs outside a transaction block, which "
                "COMMIT in DO needs.",
                "-- If it stops half-way, run it again.",
                self.sql(backfill) + ";",
                "",
            ]
        )

    def index_name(self, index: IndexState) -> str:
        return _name(index.name, "_new")

    def create_index(self, index: IndexState) -> str:
        key = self.schema_state.rules.key

        def col(name: str) -> str:
            return self.new if key(name) == key(self.old) else name

        keys = tuple(
            IndexKeySql(
                column=col(p.column) if p.column is not None else None,
                expression=p.expression if p.column is None else None,
                ops=p.ops,
                sort=p.sort,
                nulls=p.nulls,
            )
            for p in index.parts
        )
        op = CreateIndexSql(
            self.name,
            self.index_name(index),
            keys,
            unique=index.unique,
            method=index.method,
            include=tuple(col(c) for c in index.include),
            predicate=index.predicate,
            schema=self.schema,
        )
        return self.sql(op) + ";\n"

    def contract(self) -> str:
        old, new = mf.quote(self.old), mf.quote(self.new)
        lines = [
            f"-- {new} takes the place of {mf.quote(self.old)} (DB209: expand, backfill, contract)",
        ]
        if self.not_null:
            validate = ValidateCheck(self.name, self.check, self.schema)
            lines.append(self.sql(validate) + ";")
        lines += [
            self.sql(LockTable(self.name, "ACCESS EXCLUSIVE", self.schema)) + ";",
            self.sql(DropSyncTrigger(self.name, self.sync, self.schema)) + ";",
            f"-- schemasense-ignore DB212 its data is in {new}, which takes its name next",
            self.sql(self.alter(DropColumn(self.old, self.column_def()))) + ";",
            f"-- schemasense-ignore DB210 no app selects {new}; {old} is back at once",
            self.sql(RenameColumn(self.name, self.new, self.old, self.schema)) + ";",
        ]
        if self.not_null:
            lines += [
                "-- schemasense-ignore DB204 the check validated above proves it: no scan",
                self.sql(RequireColumn(self.name, self.old, self.schema)) + ";",
                self.sql(DropCheck(self.name, self.check, self.schema)) + ";",
            ]
        if self.default is not None:
            default = DefaultDef("value", self.default)
            lines.append(self.sql(self.alter(SetDefault(self.column_def(default)))) + ";")
        for index in self.indexes:
            rename = RenameIndex(self.name, self.index_name(index), index.name, self.schema)
            lines.append(self.sql(rename) + ";")
        return "\n".join(lines) + "\n"

    def fix(self, stmt: StatementRecord, state: MigrationState) -> Fix | None:
        check_here = self.not_null and self.using is None
        later: list[tuple[str, str]] = [(f"{self.table_name}_{self.old}_backfill", self.backfill())]
        if self.not_null and not check_here:
            later.append((self.check, self.add_check() + ";\n"))
        for index in self.indexes:
            later.append((f"{self.index_name(index)}_concurrently", self.create_index(index)))
        later.append((f"{self.table_name}_{self.old}_type_contract", self.contract()))
        edits: list[TextEdit] = [mf.replace_statement(stmt, self.expand(check_here))]
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


def _name(name: str, suffix: str = "") -> str:
    """A PostgreSQL name of at most 63 bytes, ending with `suffix`."""
    room = 63 - len(suffix.encode())
    head = name.encode()[:room].decode(errors="ignore")
    return head + suffix


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

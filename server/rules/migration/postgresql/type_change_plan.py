"""The expand / backfill / contract plan that DB209's fix writes for a column type change.

Kept apart from the rule (`change_column_type.py`), which only decides what to flag: the plan
needs the column's facts (replayed up to the statement), writes four migrations, and has its
own list of cases where it declines.
"""

from __future__ import annotations

import re

from schemasense.codegen.ddl import statements as ops
from schemasense.codegen.ddl.operations import (
    AddNotNullCheck,
    AlterTable,
    ColumnDef,
    DefaultDef,
    DropCheck,
    DropColumn,
    Operation,
    RenameColumn,
    RenameIndex,
    RequireColumn,
    SetDefault,
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
        self.t = mf.qualified(name)
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

    # the conversion, in the three places it runs

    def convert(self) -> str:
        """The new value from a row of the table (the backfill's UPDATE)."""
        if self.using is not None:
            return self.using
        return f"{mf.quote(self.old)}::{self.type}"

    def convert_new(self) -> str:
        """The new value from the trigger's NEW row."""
        if self.using is not None:
            return f"(SELECT {self.using} FROM (SELECT NEW.*) AS {mf.quote(self.table_name)})"
        return f"NEW.{mf.quote(self.old)}::{self.type}"

    def q(self, name: str) -> str:
        return mf.qualified((self.schema, name))

    def column_def(self, default: DefaultDef | None = None) -> ColumnDef:
        """The column as the replay has it, for an operation on it."""
        return ColumnDef(self.old, self.column.type, self.column.nullable, default)

    def alter(self, change: TableChange) -> AlterTable:
        return AlterTable(self.name, (change,), schema=self.schema)

    @staticmethod
    def sql(op: Operation) -> str:
        """One operation as its statement, without its `;` (codegen.emit.sql renders it)."""
        (text,) = render_statements([op], "postgresql")
        return text

    # the steps

    def expand(self, check_here: bool) -> str:
        t, new, sync = self.t, mf.quote(self.new), self.q(self.sync)
        lines = [
            f"ALTER TABLE {t} ADD COLUMN {new} {self.type};",
            f"-- {new} follows {mf.quote(self.old)} while the running app writes the old "
            "column (DB209: expand, backfill, contract)",
            f"CREATE FUNCTION {sync}() RETURNS trigger LANGUAGE plpgsql AS $$",
            "BEGIN",
            f"  NEW.{new} := {self.convert_new()};",
            "  RETURN NEW;",
            "END",
            "$$;",
            f"CREATE TRIGGER {mf.quote(self.sync)} BEFORE INSERT OR UPDATE ON {t}",
            f"  FOR EACH ROW EXECUTE FUNCTION {sync}()",
        ]
        if check_here:
            lines[-1] += ";"
            lines.append(self.add_check())
        return "\n".join(lines)

    def add_check(self) -> str:
        return self.sql(AddNotNullCheck(self.name, self.check, self.new, self.schema))

    def backfill(self) -> str:
        t, new = self.t, mf.quote(self.new)
        keys = [mf.quote(c) for c in self.pk]
        n = range(1, len(keys) + 1)
        key_list = ", ".join(keys)
        row = f"({key_list})"
        lo = "(" + ", ".join(f"from_{i}" for i in n) + ")"
        hi = "(" + ", ".join(f"to_{i}" for i in n) + ")"
        desc = ", ".join(f"{k} DESC" for k in keys)
        declare = [f"  from_{i} {t}.{k}%TYPE;" for i, k in zip(n, keys, strict=True)]
        declare += [f"  to_{i} {t}.{k}%TYPE;" for i, k in zip(n, keys, strict=True)]
        into_lo = ", ".join(f"from_{i}" for i in n)
        into_hi = ", ".join(f"to_{i}" for i in n)
        return "\n".join(
            [
                f"-- Backfill {new} in batches of {BATCH_ROWS} rows along the primary key, each "
                "committed on its own.",
                "-- Alone in its file, this statement runs outside a transaction block, which "
                "COMMIT in DO needs.",
                "-- If it stops half-way, run it again.",
                "DO $$",
                "DECLARE",
                *declare,
                "BEGIN",
                f"  SELECT {key_list} INTO {into_lo} FROM {t} ORDER BY {key_list} LIMIT 1;",
                "  WHILE FOUND LOOP",
                f"    SELECT {key_list} INTO {into_hi} FROM (",
                f"      SELECT {key_list} FROM {t} WHERE {row} >= {lo} ORDER BY {key_list} "
                f"LIMIT {BATCH_ROWS}",
                f"    ) AS batch ORDER BY {desc} LIMIT 1;",
                f"    UPDATE {t} SET {new} = {self.convert()}",
                f"      WHERE {row} >= {lo} AND {row} <= {hi};",
                "    COMMIT;",
                f"    SELECT {key_list} INTO {into_lo} FROM {t} WHERE {row} > {hi} "
                f"ORDER BY {key_list} LIMIT 1;",
                "  END LOOP;",
                "END",
                "$$;",
                "",
            ]
        )

    def index_name(self, index: IndexState) -> str:
        return _name(index.name, "_new")

    def create_index(self, index: IndexState) -> str:
        key = self.schema_state.rules.key

        def col(name: str) -> str:
            return mf.quote(self.new if key(name) == key(self.old) else name)

        parts = []
        for p in index.parts:
            text = col(p.column) if p.column is not None else f"({p.expression})"
            if p.ops:
                text += f" {p.ops}"
            if p.sort == "desc":
                text += " DESC"
            if p.nulls:
                text += f" NULLS {p.nulls.upper()}"
            parts.append(text)
        sql = "CREATE UNIQUE INDEX" if index.unique else "CREATE INDEX"
        sql += f" CONCURRENTLY {mf.quote(self.index_name(index))} ON {self.t}"
        if index.method and index.method != "btree":
            sql += f" USING {index.method}"
        sql += f"({', '.join(parts)})"
        if index.include:
            sql += f" INCLUDE ({', '.join(col(c) for c in index.include)})"
        if index.predicate:
            sql += f" WHERE {index.predicate}"
        return sql + ";\n"

    def contract(self) -> str:
        t, old, new = self.t, mf.quote(self.old), mf.quote(self.new)
        lines = [
            f"-- {new} takes the place of {mf.quote(self.old)} (DB209: expand, backfill, contract)",
        ]
        if self.not_null:
            validate = ValidateCheck(self.name, self.check, self.schema)
            lines.append(self.sql(validate) + ";")
        lines += [
            f"LOCK TABLE {t} IN ACCESS EXCLUSIVE MODE;",
            f"DROP TRIGGER {mf.quote(self.sync)} ON {t};",
            f"DROP FUNCTION {self.q(self.sync)}();",
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

"""DB209: ALTER COLUMN ... TYPE on an existing table."""

from __future__ import annotations

import re
from collections import OrderedDict
from collections.abc import Iterator

from schemasense.server.findings import Finding, Fix, TextEdit
from schemasense.server.readers.migrations import ops
from schemasense.server.readers.migrations.apply import Context, apply
from schemasense.server.readers.migrations.state import (
    ColumnState,
    IndexState,
    SchemaState,
    TableState,
)
from schemasense.server.rules import locks
from schemasense.server.rules import migration_fixes as mf
from schemasense.server.rules.context import Statement
from schemasense.server.rules.migration_rule import (
    MigrationRule,
    MigrationState,
    single_action,
    table_key,
)
from schemasense.server.rules.registry import Status

_NO_REWRITE_TARGETS = ("text", "character varying", "varchar")

BATCH_ROWS = 10_000
"""Rows the backfill updates per committed batch."""


class ChangeColumnType(MigrationRule):
    """## What it does
    Flags `ALTER TABLE ... ALTER COLUMN ... TYPE` on a table that existed before this
    migration, except changes to `text` or an unbounded `varchar` (which PostgreSQL does in
    place from `varchar(n)`).

    ## Why is this bad?
    Most type changes rewrite the table and rebuild every index on it while holding an
    ACCESS EXCLUSIVE lock: no read and no write goes through until it is done, and the old
    application code may not understand the new type. Only binary-coercible changes
    (`varchar(n)` to a longer `varchar` or `text`, `numeric(p,s)` to a wider precision,
    `timestamp` to `timestamptz` on PostgreSQL 12+ with a UTC session) skip the rewrite.

    ## Example
    ```sql
    ALTER TABLE "Payment" ALTER COLUMN "amount" SET DATA TYPE BIGINT;
    ```

    ## Use instead
    Expand, backfill, contract, each in a migration of its own (what the fix writes):
    ```sql
    -- prisma/migrations/20240301000000_amount_bigint/migration.sql: expand. A new column,
    -- kept in step by a trigger while the running app still writes the old one
    ALTER TABLE "Payment" ADD COLUMN "amount_new" bigint;
    CREATE FUNCTION "Payment_amount_new_sync"() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      NEW."amount_new" := NEW."amount"::bigint;
      RETURN NEW;
    END
    $$;
    CREATE TRIGGER "Payment_amount_new_sync" BEFORE INSERT OR UPDATE ON "Payment"
      FOR EACH ROW EXECUTE FUNCTION "Payment_amount_new_sync"();
    ALTER TABLE "Payment" ADD CONSTRAINT "Payment_amount_new_not_null"
      CHECK ("amount_new" IS NOT NULL) NOT VALID;

    -- prisma/migrations/20240301000001_payment_amount_backfill/migration.sql: backfill.
    -- Batches along the primary key, each committed on its own: alone in its file, the DO
    -- block runs outside a transaction block, where it may COMMIT (PostgreSQL 11+)
    DO $$
    DECLARE
      from_1 "Payment"."id"%TYPE;
      to_1 "Payment"."id"%TYPE;
    BEGIN
      SELECT "id" INTO from_1 FROM "Payment" ORDER BY "id" LIMIT 1;
      WHILE FOUND LOOP
        SELECT "id" INTO to_1 FROM (
          SELECT "id" FROM "Payment" WHERE ("id") >= (from_1) ORDER BY "id" LIMIT 10000
        ) AS batch ORDER BY "id" DESC LIMIT 1;
        UPDATE "Payment" SET "amount_new" = "amount"::bigint
          WHERE ("id") >= (from_1) AND ("id") <= (to_1);
        COMMIT;
        SELECT "id" INTO from_1 FROM "Payment" WHERE ("id") > (to_1) ORDER BY "id" LIMIT 1;
      END LOOP;
    END
    $$;

    -- prisma/migrations/20240301000002_payment_amount_type_contract/migration.sql: contract.
    -- The check is validated without blocking writes; then a short lock swaps the columns
    ALTER TABLE "Payment" VALIDATE CONSTRAINT "Payment_amount_new_not_null";
    LOCK TABLE "Payment" IN ACCESS EXCLUSIVE MODE;
    DROP TRIGGER "Payment_amount_new_sync" ON "Payment";
    DROP FUNCTION "Payment_amount_new_sync"();
    ALTER TABLE "Payment" DROP COLUMN "amount";
    ALTER TABLE "Payment" RENAME COLUMN "amount_new" TO "amount";
    ALTER TABLE "Payment" ALTER COLUMN "amount" SET NOT NULL;
    ALTER TABLE "Payment" DROP CONSTRAINT "Payment_amount_new_not_null";
    ```

    ## Fix safety
    For Prisma migrations on PostgreSQL 11 or later (or an unknown version), when the
    statement changes one column's type and nothing else, the fix writes that plan: the
    expand step in place of the statement, then new migrations right after this one, in
    order: the backfill; when the column is NOT NULL and the statement has a `USING`
    expression (which may give NULL where the old value was not), the `CHECK ... NOT
    VALID` in a migration of its own after the backfill instead of in the expand step;
    each index on the column built again on the new column `CREATE [UNIQUE] INDEX
    CONCURRENTLY`, one per migration (alone in its file, outside a transaction); and the
    contract step, which also sets the default again and gives the indexes their old
    names. The conversion is the statement's `USING` expression (in the trigger, over the
    new row), else a cast to the new type.

    It is marked unsafe; read it before applying it:
    - the contract step still takes an ACCESS EXCLUSIVE lock, briefly (no rewrite, no
      scan: the validated check proves NOT NULL), and waits for it behind running
      transactions (DB222 adds a lock_timeout);
    - from the contract step on the column has its new type: deploy the app built for the
      new type with it or right after it; until then the old app works on the old column.
      `prisma migrate deploy` runs all the steps in one go (still no rewrite under lock);
      to keep the old app running past the backfill, ship the contract migration in a
      later release;
    - the value is converted with an explicit cast where `ALTER TYPE` uses an assignment
      cast, so a conversion that `ALTER TYPE` refuses may go through;
    - the column moves to the end of the table (`SELECT *` order) and loses its comment,
      statistics target and privileges; a view or rule that uses it makes the contract
      step fail (and roll back);
    - if the backfill or an index build fails half-way, run it again (a failed `CREATE
      INDEX CONCURRENTLY` leaves an INVALID index to drop first, after `prisma migrate
      resolve --rolled-back`).

    There is no fix, and the plan is yours to write, when the column is in the primary
    key, a foreign key (at either end), a unique or check constraint (a unique index is
    fine: it is built again), an index expression
    or predicate, or a generated column; when it is an identity or serial column; or when
    the table has no primary key to batch the backfill along.

    ## References
    - https://www.postgresql.org/docs/current/sql-altertable.html#SQL-ALTERTABLE-NOTES
    - https://www.postgresql.org/docs/current/plpgsql-transactions.html
    """

    code = "DB209"
    severity = "warning"
    fix = "sometimes"
    status = Status.stable("0.1.0")
    watches = (ops.AlterColumnType,)

    def check_statement(self, stmt: Statement, state: MigrationState) -> Iterator[Finding]:
        for op, action in self.actions(stmt):
            if not isinstance(action, ops.AlterColumnType) or state.is_new(op.table):
                continue
            native = action.type.native.lower()
            if native in _NO_REWRITE_TARGETS and action.using is None:
                continue
            table = table_key(op.table)
            yield self.finding(
                f'Changing the type of "{action.name}" to {action.type.native} '
                f"{locks.ALTER_TYPE_REWRITE.describe(table)} (unless the change is "
                f"binary-coercible)",
                self.sub_span(stmt, action.span),
                help="expand (new column), backfill in batches, contract (drop the old one)",
                fix=expand_backfill_contract(stmt, state),
            )


# -- the fix --------------------------------------------------------------------------------------


def expand_backfill_contract(stmt: Statement, state: MigrationState) -> Fix | None:
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
    table = schema.tables.get(schema.qkey(op.table))
    if table is None:
        return None
    column = table.columns.get(schema.rules.key(action.name))
    if column is None:
        return None
    plan = _Plan.make(schema, table, column, action, op.table)
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
        return (
            f"ALTER TABLE {self.t} ADD CONSTRAINT {mf.quote(self.check)} "
            f"CHECK ({mf.quote(self.new)} IS NOT NULL) NOT VALID"
        )

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
            lines.append(f"ALTER TABLE {t} VALIDATE CONSTRAINT {mf.quote(self.check)};")
        lines += [
            f"LOCK TABLE {t} IN ACCESS EXCLUSIVE MODE;",
            f"DROP TRIGGER {mf.quote(self.sync)} ON {t};",
            f"DROP FUNCTION {self.q(self.sync)}();",
            f"-- schemasense-ignore DB212 its data is in {new}, which takes its name next",
            f"ALTER TABLE {t} DROP COLUMN {old};",
            f"-- schemasense-ignore DB210 no app selects {new}; {old} is back at once",
            f"ALTER TABLE {t} RENAME COLUMN {new} TO {old};",
        ]
        if self.not_null:
            lines += [
                "-- schemasense-ignore DB204 the check validated above proves it: no scan",
                f"ALTER TABLE {t} ALTER COLUMN {old} SET NOT NULL;",
                f"ALTER TABLE {t} DROP CONSTRAINT {mf.quote(self.check)};",
            ]
        if self.default is not None:
            lines.append(f"ALTER TABLE {t} ALTER COLUMN {old} SET DEFAULT {self.default};")
        for index in self.indexes:
            lines.append(
                f"ALTER INDEX {self.q(self.index_name(index))} RENAME TO {mf.quote(index.name)};"
            )
        return "\n".join(lines) + "\n"

    def fix(self, stmt: Statement, state: MigrationState) -> Fix | None:
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

_STATES: OrderedDict[tuple, SchemaState | None] = OrderedDict()


def schema_after(state: MigrationState, stmt: Statement) -> SchemaState | None:
    """What replaying the migration set up to and including `stmt` builds (the column's
    nullability, default, indexes and keys at that point). Kept for the last few
    statements asked about, by the texts of the files up to it."""
    files = state.migration.files
    here = next((i for i, f in enumerate(files) if f.path == stmt.file), None)
    if here is None:
        return None
    key = (state.migration.root, stmt.file, stmt.index, tuple(f.text for f in files[: here + 1]))
    if key in _STATES:
        _STATES.move_to_end(key)
        return _STATES[key]
    from schemasense.server.readers.migrations.postgres import RULES

    schema = SchemaState(RULES)
    found = None
    for f in files[: here + 1]:
        for s in f.statements:
            if s.error is None:
                start = s.span.start - s.up_offset
                ctx = Context(f.path, s.up_offset, (start, start + len(s.text)))
                for op in s.ops:
                    apply(schema, op, ctx)
            if s is stmt:
                found = schema
                break
    _STATES[key] = found
    if len(_STATES) > 8:
        _STATES.popitem(last=False)
    return found

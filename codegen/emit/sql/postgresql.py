"""PostgreSQL: the statements Prisma's schema engine writes (`flavour/postgres/renderer.rs`).

Tables, columns and constraints are double-quoted and schema-qualified where they have a
schema; all changes to one table are one `ALTER TABLE` with its clauses on separate lines;
dropping an enum value recreates the type inside `BEGIN`/`COMMIT`, as the engine does.
Besides the engine's steps: renames (`RENAME TO`, `RENAME COLUMN`, `RENAME VALUE`) and the
safe mode's `CONCURRENTLY` indexes, `NOT VALID` foreign keys and their `VALIDATE`.
"""

from __future__ import annotations

from schemasense.codegen.ddl.operations import (
    AddColumn,
    AddConstraint,
    AddSequence,
    AlterColumnType,
    AlterEnum,
    AlterEnumAddValue,
    AlterTable,
    BackfillColumn,
    ColumnConversion,
    ColumnDef,
    ConstraintDef,
    CreateEnum,
    CreateIndex,
    CreateSchema,
    CreateTable,
    DropAndRecreateColumn,
    DropColumn,
    DropConstraint,
    DropDefault,
    DropEnum,
    DropIndex,
    DropNotNull,
    DropSyncTrigger,
    DropTable,
    ForeignKeyDef,
    IndexDef,
    LockTable,
    RenameColumn,
    RenameConstraint,
    RenameEnum,
    RenameEnumValue,
    RenameIndex,
    RenameTable,
    SetDefault,
    SetLockTimeout,
    SetNotNull,
    SyncColumnTrigger,
    TableDef,
    ValidateConstraint,
)
from schemasense.codegen.dialects.ddl_types import ddl
from schemasense.codegen.emit.sql.base import SqlTarget, UnsupportedOperation

ACTIONS = {
    "Cascade": "CASCADE",
    "Restrict": "RESTRICT",
    "NoAction": "NO ACTION",
    "SetNull": "SET NULL",
    "SetDefault": "SET DEFAULT",
}

MULTIPLE_ENUM_VALUES = """-- This migration adds more than one value to an enum.
-- With PostgreSQL versions 11 and earlier, this is not possible
-- in a single migration. This can be worked around by creating
-- multiple migrations, each migration adding only one value to
-- the enum.
"""


class PostgreSQLTarget(SqlTarget):
    NAME = "postgresql"
    NON_TRANSACTIONAL = (
        "CREATE INDEX CONCURRENTLY",
        "CREATE UNIQUE INDEX CONCURRENTLY",
        "DROP INDEX CONCURRENTLY",
        "DO $$",
    )

    # pieces

    def column(self, c: ColumnDef) -> str:
        out = f"{self.quote(c.name)} {ddl('postgresql', c.type, c.autoincrement)}"
        if not c.nullable and not c.type.array:
            out += " NOT NULL"
        if c.default is not None and c.default.sql:
            out += f" DEFAULT {c.default.sql}"
        return out

    def index_columns(self, index: IndexDef) -> str:
        parts = []
        for c in index.columns:
            text = c.name if c.column is None else self.quote(c.column)
            if c.ops:
                text += f" {c.ops}"
            if c.sort:
                text += f" {c.sort.upper()}"
            parts.append(text)
        return "(" + ", ".join(parts) + ")"

    def foreign_key(self, fk: ForeignKeyDef) -> str:
        return (
            f"CONSTRAINT {self.quote(fk.name or '')} FOREIGN KEY ({self.join(fk.columns)}) "
            f"REFERENCES {self.qualified(fk.referenced_table, fk.referenced_schema)}"
            f"({self.join(fk.referenced_columns)}) ON DELETE {ACTIONS[fk.on_delete]} "
            f"ON UPDATE {ACTIONS[fk.on_update]}"
        )

    def create_table_as(self, table: TableDef, name: str) -> str:
        body = ",\n".join(f"{self.INDENT}{self.column(c)}" for c in table.columns)
        pk = table.primary_key
        if pk is not None:
            pk_name = pk.name or f"{table.name}_pkey"
            columns = ",".join(self.quote(c.name) for c in pk.columns)
            body += f",\n\n{self.INDENT}CONSTRAINT {self.quote(pk_name)} PRIMARY KEY ({columns})"
        return f"CREATE TABLE {name} (\n{body}\n)"

    def create_index(self, table: str, schema: str | None, index: IndexDef, concurrently=False):
        unique = "UNIQUE " if index.unique else ""
        how = "CONCURRENTLY " if concurrently else ""
        head = (
            f"CREATE {unique}INDEX {how}{self.quote(index.name)} ON {self.qualified(table, schema)}"
        )
        if index.method and index.method not in ("BTREE", "FULLTEXT"):
            sql = f"{head} USING {index.method} {self.index_columns(index)}"
        elif index.method == "FULLTEXT":
            raise UnsupportedOperation("PostgreSQL has no FULLTEXT index (MySQL's @@fulltext)")
        else:
            sql = f"{head}{self.index_columns(index)}"
        if index.include:
            sql += f" INCLUDE ({self.join(index.include)})"
        if index.predicate:
            sql += f" WHERE ({index.predicate})"
        return sql

    # operations

    def create_schema_sql(self, op: CreateSchema) -> list[str]:
        exists = "IF NOT EXISTS " if op.if_not_exists else ""
        return [f"CREATE SCHEMA {exists}{self.quote(op.name)}"]

    def create_enum_sql(self, op: CreateEnum) -> list[str]:
        schema, name = op.name
        values = ", ".join(self.literal(v) for v in op.values)
        return [f"CREATE TYPE {self.qualified(name, schema)} AS ENUM ({values})"]

    def drop_enum_sql(self, op: DropEnum) -> list[str]:
        return [f"DROP TYPE {self.qualified(op.enum.name, op.enum.schema)}"]

    def alter_enum_add_value_sql(self, op: AlterEnumAddValue) -> list[str]:
        schema, name = op.name
        exists = "IF NOT EXISTS " if op.if_not_exists else ""
        sql = (
            f"ALTER TYPE {self.qualified(name, schema)} ADD VALUE {exists}{self.literal(op.value)}"
        )
        if op.before is not None:
            sql += f" BEFORE {self.literal(op.before)}"
        elif op.after is not None:
            sql += f" AFTER {self.literal(op.after)}"
        return [sql]

    def alter_enum_sql(self, op: AlterEnum) -> list[str]:
        enum = op.enum
        name = self.qualified(enum.name, enum.schema)
        if not op.dropped:
            stmts = [f"ALTER TYPE {name} ADD VALUE {self.literal(v)}" for v in op.added]
            if len(stmts) > 1:
                stmts[0] = f"{MULTIPLE_ENUM_VALUES}\n\n{stmts[0]}"
            return stmts
        tmp = self.qualified(f"{enum.name}_new", enum.schema)
        values = ", ".join(self.literal(v) for v in enum.values)
        stmts = ["BEGIN", f"CREATE TYPE {tmp} AS ENUM ({values})"]
        for u in op.defaults:
            stmts.append(
                f"ALTER TABLE {self.qualified(u.table, u.table_schema)} "
                f"ALTER COLUMN {self.quote(u.column)} DROP DEFAULT"
            )
        for u in op.columns:
            array = "[]" if u.array else ""
            col = self.quote(u.column)
            stmts.append(
                f"ALTER TABLE {self.qualified(u.table, u.table_schema)} ALTER COLUMN {col} "
                f"TYPE {tmp}{array} USING ({col}::text::{tmp}{array})"
            )
        stmts.append(f"ALTER TYPE {name} RENAME TO {self.quote(enum.name + '_old')}")
        stmts.append(f"ALTER TYPE {tmp} RENAME TO {self.quote(enum.name)}")
        stmts.append(f"DROP TYPE {self.qualified(enum.name + '_old', enum.schema)}")
        for u in op.defaults:
            if u.exists_after and u.default_after:
                stmts.append(
                    f"ALTER TABLE {self.qualified(u.table, u.table_schema)} "
                    f"ALTER COLUMN {self.quote(u.column)} SET DEFAULT {u.default_after}"
                )
        stmts.append("COMMIT")
        return stmts

    def rename_enum_sql(self, op: RenameEnum) -> list[str]:
        return [
            f"ALTER TYPE {self.qualified(op.name[1], op.name[0])} RENAME TO {self.quote(op.new)}"
        ]

    def rename_enum_value_sql(self, op: RenameEnumValue) -> list[str]:
        name = self.qualified(op.name[1], op.name[0])
        return [f"ALTER TYPE {name} RENAME VALUE {self.literal(op.old)} TO {self.literal(op.new)}"]

    def create_table_sql(self, op: CreateTable) -> list[str]:
        t = op.table
        return [self.create_table_as(t, self.qualified(t.name, t.schema))]

    def drop_table_sql(self, op: DropTable) -> list[str]:
        return [f"DROP TABLE {self.qualified(op.name, op.schema)}"]

    def rename_table_sql(self, op: RenameTable) -> list[str]:
        out = [f"ALTER TABLE {self.qualified(op.old, op.schema)} RENAME TO {self.quote(op.new)}"]
        for old, new in op.sequences:
            out.append(
                f"ALTER SEQUENCE IF EXISTS {self.qualified(old, op.schema)} "
                f"RENAME TO {self.quote(new)}"
            )
        return out

    def rename_column_sql(self, op: RenameColumn) -> list[str]:
        return [
            f"ALTER TABLE {self.qualified(op.table, op.schema)} "
            f"RENAME COLUMN {self.quote(op.old)} TO {self.quote(op.new)}"
        ]

    def create_index_sql(self, op: CreateIndex) -> list[str]:
        if op.printed:
            return [self.printed_index(op)]
        return [self.create_index(op.table, op.schema, op.index, op.concurrently)]

    def drop_index_sql(self, op: DropIndex) -> list[str]:
        how = "CONCURRENTLY " if op.concurrently else ""
        return [f"DROP INDEX {how}{self.qualified(op.index.name, op.schema)}"]

    def rename_index_sql(self, op: RenameIndex) -> list[str]:
        return [f"ALTER INDEX {self.qualified(op.old, op.schema)} RENAME TO {self.quote(op.new)}"]

    def add_constraint_sql(self, op: AddConstraint) -> list[str]:
        """A constraint added on its own: a foreign key (after the tables), the safe plan's
        NOT NULL check and unique constraint on an index."""
        table = self.qualified(op.table or "", op.schema)
        return [f"ALTER TABLE {table} {self.add_constraint(op.constraint)}"]

    def add_constraint(self, c: ConstraintDef) -> str:
        """`ADD ...` of `c`, as a clause of an ALTER TABLE."""
        named = f"CONSTRAINT {self.quote(c.name)} " if c.name else ""
        valid = " NOT VALID" if c.not_valid else ""
        if c.kind == "primary_key":
            return f"ADD {named}PRIMARY KEY ({self.join([p.column or '' for p in c.columns])})"
        if c.kind == "foreign_key":
            return f"ADD {self.foreign_key(c.as_foreign_key())}{valid}"
        if c.kind == "check" and c.not_null_of is not None:
            return f"ADD {named}CHECK ({self.quote(c.not_null_of)} IS NOT NULL){valid}"
        if c.kind == "check" and isinstance(c.raw, str):  # `diff`'s: the body as text
            return f"ADD {named}CHECK ({c.raw}){valid}"
        if c.kind == "unique" and c.using_index is not None:
            return f"ADD {named}UNIQUE USING INDEX {self.quote(c.using_index)}"
        raise UnsupportedOperation(f"a {c.kind} constraint read from SQL is rendered by the replay")

    def set_lock_timeout_sql(self, op: SetLockTimeout) -> list[str]:
        scope = "LOCAL " if op.local else ""
        return [f"SET {scope}lock_timeout = {self.literal(op.value)}"]

    def alter_table_sql(self, op: AlterTable) -> list[str]:
        table = self.qualified(op.table, op.schema)
        before: list[str] = []
        clauses: list[str] = []
        after: list[str] = []
        for change in op.changes:
            if isinstance(change, RenameConstraint):
                clauses.append(
                    f"RENAME CONSTRAINT {self.quote(change.name)} TO {self.quote(change.new_name)}"
                )
            elif isinstance(change, AddConstraint):
                clauses.append(self.add_constraint(change.constraint))
            elif isinstance(change, AddColumn) and change.source is not None:
                clauses.append(f"ADD COLUMN {change.source}")
            elif isinstance(change, AddColumn):
                clauses.append(f"ADD COLUMN {self.INDENT}{self.column(change.column)}")
            elif isinstance(change, DropColumn):
                clauses.append(f"DROP COLUMN {self.quote(change.name)}")
            elif isinstance(change, DropAndRecreateColumn):
                clauses.append(f"DROP COLUMN {self.quote(change.before.name)}")
                clauses.append(f"ADD COLUMN {self.INDENT}{self.column(change.after)}")
            else:
                self.alter_column(op, change, table, before, clauses, after)
        if not clauses:
            return before + after
        return [*before, f"ALTER TABLE {table} " + ",\n".join(clauses), *after]

    def alter_column(self, op, change, table, before, clauses, after) -> None:
        if isinstance(change, SetNotNull):
            clauses.append(f"ALTER COLUMN {self.quote(change.name)} SET NOT NULL")
        elif isinstance(change, DropNotNull):
            clauses.append(f"ALTER COLUMN {self.quote(change.name)} DROP NOT NULL")
        elif isinstance(change, SetDefault):
            if change.default.sql is None:
                raise UnsupportedOperation("a default read from SQL is rendered by the replay")
            clauses.append(
                f"ALTER COLUMN {self.quote(change.name)} SET DEFAULT {change.default.sql}"
            )
        elif isinstance(change, DropDefault):
            clauses.append(f"ALTER COLUMN {self.quote(change.name)} DROP DEFAULT")
            if change.drop_sequence:
                after.append(f"DROP SEQUENCE {self.quote(change.drop_sequence)}")
        elif isinstance(change, ValidateConstraint):
            clauses.append(f"VALIDATE CONSTRAINT {self.quote(change.name)}")
        elif isinstance(change, DropConstraint):
            clauses.append(f"DROP CONSTRAINT {self.quote(change.name or '')}")
        elif isinstance(change, AlterColumnType):
            using = f" USING {change.using}" if isinstance(change.using, str) else ""
            clauses.append(
                f"ALTER COLUMN {self.quote(change.after.name)} SET DATA TYPE "
                f"{ddl('postgresql', change.after.type)}{using}"
            )
        elif isinstance(change, AddSequence):
            known = change.column.default.sequence if change.column.default else None
            serial = f"{op.table}_{change.column.name}_seq"
            if known and known != serial:  # a name of its own (a down migration puts it back)
                sequence = self.qualified(known, op.schema)
            else:  # the engine's: the serial name, lower case, unquoted
                prefix = f"{self.quote(op.schema)}." if op.schema else ""
                sequence = f"{prefix}{serial}".lower()
            before.append(f"CREATE SEQUENCE {sequence}")
            clauses.append(
                f"ALTER COLUMN {self.quote(change.column.name)} SET DEFAULT "
                f"nextval({self.literal(sequence)})"
            )
            after.append(
                f"ALTER SEQUENCE {sequence} OWNED BY {table}.{self.quote(change.column.name)}"
            )
        else:
            raise UnsupportedOperation(f"PostgreSQL cannot express {change.kind}")

    # the migration-safety fixes' steps (the type change's column swap), in the database's
    # own spelling

    def convert(self, conversion: ColumnConversion, row: str | None = None) -> str:
        """The new value: from the row being written when `row` is `NEW` (a trigger), else
        from the row the statement reads (an UPDATE)."""
        if conversion.using is None:
            prefix = f"{row}." if row else ""
            return f"{prefix}{self.quote(conversion.source)}::{conversion.type}"
        if row is None:
            return conversion.using
        alias = self.quote(conversion.row or "")
        return f"(SELECT {conversion.using} FROM (SELECT {row}.*) AS {alias})"

    def sync_column_trigger_sql(self, op: SyncColumnTrigger) -> list[str]:
        table = self.qualified(op.table, op.schema)
        function = self.qualified(op.name, op.schema)
        column = self.quote(op.column)
        return [
            f"CREATE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS $$\n"
            "BEGIN\n"
            f"  NEW.{column} := {self.convert(op.conversion, 'NEW')};\n"
            "  RETURN NEW;\n"
            "END\n"
            "$$",
            f"CREATE TRIGGER {self.quote(op.name)} BEFORE INSERT OR UPDATE ON {table}\n"
            f"  FOR EACH ROW EXECUTE FUNCTION {function}()",
        ]

    def drop_sync_trigger_sql(self, op: DropSyncTrigger) -> list[str]:
        table = self.qualified(op.table, op.schema)
        return [
            f"DROP TRIGGER {self.quote(op.name)} ON {table}",
            f"DROP FUNCTION {self.qualified(op.name, op.schema)}()",
        ]

    def backfill_column_sql(self, op: BackfillColumn) -> list[str]:
        t = self.qualified(op.table, op.schema)
        keys = [self.quote(c) for c in op.key]
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
        lines = [
            "DO $$",
            "DECLARE",
            *declare,
            "BEGIN",
            f"  SELECT {key_list} INTO {into_lo} FROM {t} ORDER BY {key_list} LIMIT 1;",
            "  WHILE FOUND LOOP",
            f"    SELECT {key_list} INTO {into_hi} FROM (",
            f"      SELECT {key_list} FROM {t} WHERE {row} >= {lo} ORDER BY {key_list} "
            f"LIMIT {op.batch_rows}",
            f"    ) AS batch ORDER BY {desc} LIMIT 1;",
            f"    UPDATE {t} SET {self.quote(op.column)} = {self.convert(op.conversion)}",
            f"      WHERE {row} >= {lo} AND {row} <= {hi};",
            "    COMMIT;",
            f"    SELECT {key_list} INTO {into_lo} FROM {t} WHERE {row} > {hi} "
            f"ORDER BY {key_list} LIMIT 1;",
            "  END LOOP;",
            "END",
            "$$",
        ]
        return ["\n".join(lines)]

    def lock_table_sql(self, op: LockTable) -> list[str]:
        return [f"LOCK TABLE {self.qualified(op.table, op.schema)} IN {op.mode} MODE"]

    def printed_index(self, op: CreateIndex) -> str:
        """`op` as PostgreSQL prints an index (`CreateIndex.printed`)."""
        index = op.index
        parts = []
        for key in index.columns:
            text = self.quote(key.column) if key.column is not None else f"({key.expression})"
            if key.ops:
                text += f" {key.ops}"
            if key.sort == "desc":
                text += " DESC"
            if key.nulls:
                text += f" NULLS {key.nulls.upper()}"
            parts.append(text)
        sql = "CREATE UNIQUE INDEX" if index.unique else "CREATE INDEX"
        if op.concurrently:
            sql += " CONCURRENTLY"
        sql += f" {self.quote(index.name or '')} ON {self.qualified(op.table, op.schema)}"
        if index.method and index.method != "btree":
            sql += f" USING {index.method}"
        sql += f"({', '.join(parts)})"
        if index.include:
            sql += f" INCLUDE ({self.join(index.include)})"
        if index.predicate:
            sql += f" WHERE {index.predicate}"
        return sql

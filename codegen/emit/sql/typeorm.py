"""Operations -> SQL in TypeORM's own spelling, for a TypeORM project's migration classes.

    script = render_typeorm(plan.operations, "postgresql")
    script.statements      # ['ALTER TABLE "user" ADD "nickname" character varying(40)', ...]

What `typeorm migration:generate` would write for the same change, ported from TypeORM 1.1's
query runners (0.3.28 writes the same): `driver/postgres/PostgresQueryRunner.js`
(`buildCreateColumnSql`, `createTableSql`, `addColumn`, `dropColumn`, `changeColumn`,
`createIndexSql`, `createUniqueConstraintSql`, `createForeignKeySql`, `renameTable`, enum
changes), `driver/mysql/MysqlQueryRunner.js` and
`driver/sqlite-abstract/AbstractSqliteQueryRunner.js` (`recreateTable`: every table change is
`temporary_<t>` created, rows copied, the old table dropped, the new one renamed, its indexes
dropped before and created after). Column types in TypeORM's spelling: PostgreSQL's canonical
names (`character varying(40)`, `timestamp with time zone`, what TypeORM's `normalizeType`
gives), MySQL's `COLUMN_TYPE`, SQLite's lower-cased declared type.

Where TypeORM itself would lose data we do not follow it: it drops and re-adds a column whose
type or length changes ("to avoid data conversion"); we write its own `ALTER COLUMN ... TYPE`
(the statement it writes for a precision change). Each dialect is a subclass of the Prisma
target of that dialect, so what TypeORM has no statement for (the safe plan's `NOT VALID`,
`VALIDATE`, `lock_timeout`) is still written, in the database's spelling.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from schemasense.codegen.ddl.operations import (
    AddColumn,
    AddConstraint,
    AlterColumnType,
    AlterEnum,
    AlterTable,
    ColumnDef,
    CreateEnum,
    CreateIndex,
    CreateTable,
    DropAndRecreateColumn,
    DropColumn,
    DropConstraint,
    DropDefault,
    DropEnum,
    DropIndex,
    DropNotNull,
    DropTable,
    ForeignKeyDef,
    IndexDef,
    ModifyColumn,
    Operation,
    RedefineIndex,
    RedefineTables,
    RenameColumn,
    RenameConstraint,
    RenameIndex,
    RenameTable,
    SetDefault,
    SetNotNull,
    TableDef,
)
from schemasense.codegen.dialects.ddl_types import canonical, ddl
from schemasense.codegen.emit.sql.base import Script, UnsupportedOperation
from schemasense.codegen.emit.sql.mysql import MySQLTarget
from schemasense.codegen.emit.sql.postgresql import ACTIONS, PostgreSQLTarget
from schemasense.codegen.emit.sql.sqlite import SQLiteTarget

__all__ = ["render_typeorm"]


def _index_columns(quote, index: IndexDef) -> str:
    """`"a", "b"`: TypeORM's index columns (an expression as written)."""
    return ", ".join(c.name if c.column is None else quote(c.column) for c in index.columns)


def _predicate(index: IndexDef) -> str | None:
    p = index.predicate
    if p is None:
        return None
    text = str(p).strip()
    return text or None


# -- PostgreSQL -----------------------------------------------------------------------------------


class TypeOrmPostgres(PostgreSQLTarget):
    """PostgresQueryRunner's statements."""

    NAME = ""  # not a dialect of its own: not registered

    def type_sql(self, c: ColumnDef) -> str:
        t = c.type
        if t.enum:
            name = self.qualified(t.enum, t.enum_schema)
            return name + (" array" if t.array else "")
        if t.user is not None:
            return self.qualified(t.user[1], t.user[0]) + (" array" if t.array else "")
        if not t.name:
            return t.raw or t.native or "text"
        base = canonical("postgresql", t.__class__(t.name, t.args))
        return base + (" array" if t.array else "")

    def column(self, c: ColumnDef) -> str:
        """`buildCreateColumnSql`: SERIAL for an increment key, IDENTITY, the type, NOT NULL,
        DEFAULT."""
        out = self.quote(c.name)
        serial = {"INTEGER": "SERIAL", "SMALLINT": "SMALLSERIAL", "BIGINT": "BIGSERIAL"}
        if c.identity:
            out += f" {self.type_sql(c)} GENERATED {c.identity.upper()} AS IDENTITY"
        elif c.autoincrement and c.type.name in serial:
            out += " " + serial[c.type.name]
        else:
            out += " " + self.type_sql(c)
        if not c.nullable:
            out += " NOT NULL"
        default = c.default.sql if c.default is not None else None
        if default and not (c.autoincrement and default.startswith("nextval(")):
            out += f" DEFAULT {default}"
        return out

    def table_path(self, table: str, schema: str | None) -> str:
        return self.qualified(table, schema)

    def foreign_key_tail(self, fk: ForeignKeyDef) -> str:
        ref = self.qualified(fk.referenced_table, fk.referenced_schema)
        return (
            f"FOREIGN KEY ({self.join(fk.columns)}) REFERENCES {ref}"
            f"({','.join(self.quote(c) for c in fk.referenced_columns)}) "
            f"ON DELETE {ACTIONS[fk.on_delete]} ON UPDATE {ACTIONS[fk.on_update]}"
        )

    def create_index(self, table: str, schema: str | None, index: IndexDef, concurrently=False):
        """`createIndexSql` (1.1: `ON "t" <USING type> (cols) <WHERE ...>`)."""
        method = (index.method or "").lower()
        using = f"USING {method}" if method and method != "btree" else ""
        where = _predicate(index)
        return (
            f"CREATE {'UNIQUE ' if index.unique else ''}INDEX"
            f"{' CONCURRENTLY' if concurrently else ''} {self.quote(index.name or '')} ON "
            f"{self.table_path(table, schema)} {using} ({_index_columns(self.quote, index)}) "
            f"{'WHERE ' + where if where else ''}"
        )

    # operations

    def create_enum_sql(self, op: CreateEnum) -> list[str]:
        schema, name = op.name
        values = ", ".join(self.literal(v) for v in op.values)
        return [f"CREATE TYPE {self.qualified(name, schema)} AS ENUM({values})"]

    def alter_enum_sql(self, op: AlterEnum) -> list[str]:
        """Values added: `ALTER TYPE ... ADD VALUE`. Values dropped: TypeORM's enum change in
        `changeColumn`, the old type renamed `_old`, the new one created, each column cast to
        it through text (its default dropped and set again), the old type dropped."""
        if not op.dropped:  # values only added: `ADD VALUE` (the columns are not listed then)
            return super().alter_enum_sql(op)
        enum = op.enum
        name = self.qualified(enum.name, enum.schema)
        values = ", ".join(self.literal(v) for v in enum.values)
        out = [
            f"ALTER TYPE {name} RENAME TO {self.quote(enum.name + '_old')}",
            f"CREATE TYPE {name} AS ENUM({values})",
        ]
        defaults = {(u.table, u.column): u for u in op.defaults}
        for u in op.columns:
            table = self.qualified(u.table, u.table_schema)
            col = self.quote(u.column)
            d = defaults.get((u.table, u.column))
            if d is not None:
                out.append(f"ALTER TABLE {table} ALTER COLUMN {col} DROP DEFAULT")
            array = "[]" if u.array else ""
            out.append(
                f"ALTER TABLE {table} ALTER COLUMN {col} TYPE {name}{array} "
                f'USING {col}::"text"::{name}{array}'
            )
            if d is not None and d.exists_after and d.default_after:
                out.append(f"ALTER TABLE {table} ALTER COLUMN {col} SET DEFAULT {d.default_after}")
        out.append(f"DROP TYPE {self.qualified(enum.name + '_old', enum.schema)}")
        return out

    def drop_enum_sql(self, op: DropEnum) -> list[str]:
        return [f"DROP TYPE {self.qualified(op.enum.name, op.enum.schema)}"]

    def create_schema_sql(self, op) -> list[str]:
        """TypeORM creates a schema only when it is not the default one."""
        return [] if op.name == "public" else super().create_schema_sql(op)

    def create_table_sql(self, op: CreateTable) -> list[str]:
        """`createTableSql`: columns, then UNIQUE and CHECK constraints, then the primary key,
        on one line; indexes and foreign keys are operations of their own."""
        t = op.table
        parts = [self.column(c) for c in t.columns]
        for i in t.indexes:
            if i.constraint:
                parts.append(
                    f"CONSTRAINT {self.quote(i.name or '')} UNIQUE ({self.join(_cols(i))})"
                )
        for c in t.constraints:
            if c.kind == "check" and c.raw is not None:
                named = f"CONSTRAINT {self.quote(c.name)} " if c.name else ""
                parts.append(f"{named}CHECK ({c.raw})")
        if t.primary_key is not None:
            pk = t.primary_key
            name = pk.name or f"{t.name}_pkey"
            parts.append(
                f"CONSTRAINT {self.quote(name)} PRIMARY KEY ({self.join(pk.column_names)})"
            )
        return [f"CREATE TABLE {self.qualified(t.name, t.schema)} ({', '.join(parts)})"]

    def drop_table_sql(self, op: DropTable) -> list[str]:
        return [f"DROP TABLE {self.qualified(op.name, op.schema)}"]

    def rename_table_sql(self, op: RenameTable) -> list[str]:
        out = [f"ALTER TABLE {self.qualified(op.old, op.schema)} RENAME TO {self.quote(op.new)}"]
        for old, new in op.sequences:
            out.append(
                f"ALTER SEQUENCE {self.qualified(old, op.schema)} RENAME TO {self.quote(new)}"
            )
        return out

    def create_index_sql(self, op: CreateIndex) -> list[str]:
        """A UNIQUE constraint as `createUniqueConstraintSql` writes it; built CONCURRENTLY
        (`--safe`), its index first and then the constraint on it (`UNIQUE USING INDEX`, a
        moment's lock), so the catalog is the same either way."""
        if op.printed:
            return super().create_index_sql(op)
        name = self.quote(op.index.name or "")
        table = self.qualified(op.table, op.schema)
        if op.index.constraint and not op.concurrently:
            return [
                f"ALTER TABLE {table} ADD CONSTRAINT {name} UNIQUE ({self.join(_cols(op.index))})"
            ]
        sql = self.create_index(op.table, op.schema, op.index, op.concurrently)
        if op.index.constraint:
            return [sql, f"ALTER TABLE {table} ADD CONSTRAINT {name} UNIQUE USING INDEX {name}"]
        return [sql]

    def drop_index_sql(self, op: DropIndex) -> list[str]:
        if op.index.constraint:
            return [
                f"ALTER TABLE {self.qualified(op.table, op.schema)} "
                f"DROP CONSTRAINT {self.quote(op.index.name or '')}"
            ]
        how = "CONCURRENTLY " if op.concurrently else ""
        return [f"DROP INDEX {how}{self.qualified(op.index.name or '', op.schema)}"]

    def rename_index_sql(self, op: RenameIndex) -> list[str]:
        if op.index is not None and op.index.constraint:
            return [
                f"ALTER TABLE {self.qualified(op.table, op.schema)} "
                f"RENAME CONSTRAINT {self.quote(op.old)} TO {self.quote(op.new)}"
            ]
        return [f"ALTER INDEX {self.qualified(op.old, op.schema)} RENAME TO {self.quote(op.new)}"]

    def redefine_index_sql(self, op: RedefineIndex) -> list[str]:
        drop = DropIndex(op.table, op.before)
        return self.drop_index_sql(drop) + self.create_index_sql(CreateIndex(op.table, op.after))

    def add_constraint_sql(self, op: AddConstraint) -> list[str]:
        if op.constraint.kind != "foreign_key":
            return super().add_constraint_sql(op)
        fk = op.constraint.as_foreign_key()
        sql = (
            f"ALTER TABLE {self.qualified(op.table or '', op.schema)} ADD CONSTRAINT "
            f"{self.quote(fk.name or '')} {self.foreign_key_tail(fk)}"
        )
        return [sql + (" NOT VALID" if op.constraint.not_valid else "")]

    def alter_table_sql(self, op: AlterTable) -> list[str]:
        """One statement per change, as `addColumn` / `dropColumn` / `changeColumn` write
        them."""
        table = self.qualified(op.table, op.schema)
        out: list[str] = []
        for change in op.changes:
            if isinstance(change, DropConstraint):
                name = self.quote(change.name or "")
                out.append(f"ALTER TABLE {table} DROP CONSTRAINT {name}")
            elif isinstance(change, RenameConstraint):
                out.append(
                    f"ALTER TABLE {table} RENAME CONSTRAINT {self.quote(change.name)} "
                    f"TO {self.quote(change.new_name)}"
                )
            elif isinstance(change, AddConstraint) and change.constraint.kind == "check":
                # `createCheckConstraintSql`
                out.append(f"ALTER TABLE {table} {self.add_constraint(change.constraint)}")
            elif isinstance(change, AddConstraint) and change.constraint.kind == "primary_key":
                pk = change.constraint
                name = pk.name or f"{op.table}_pkey"
                out.append(
                    f"ALTER TABLE {table} ADD CONSTRAINT {self.quote(name)} "
                    f"PRIMARY KEY ({self.join([p.column or '' for p in pk.columns])})"
                )
            elif isinstance(change, AddColumn):
                column = change.source or self.column(change.column)  # a fix's: as written
                out.append(f"ALTER TABLE {table} ADD {column}")
            elif isinstance(change, DropColumn):
                out.append(f"ALTER TABLE {table} DROP COLUMN {self.quote(change.name)}")
            elif isinstance(change, DropAndRecreateColumn):
                out.append(f"ALTER TABLE {table} DROP COLUMN {self.quote(change.before.name)}")
                out.append(f"ALTER TABLE {table} ADD {self.column(change.after)}")
            elif isinstance(change, AlterColumnType):
                column = change.after or ColumnDef(change.name, change.type)
                using = f" USING {change.using}" if isinstance(change.using, str) else ""
                out.append(
                    f"ALTER TABLE {table} ALTER COLUMN {self.quote(change.name)} "
                    f"TYPE {self.type_sql(column)}{using}"
                )
            elif isinstance(change, SetNotNull):
                out.append(
                    f"ALTER TABLE {table} ALTER COLUMN {self.quote(change.name)} SET NOT NULL"
                )
            elif isinstance(change, DropNotNull):
                out.append(
                    f"ALTER TABLE {table} ALTER COLUMN {self.quote(change.name)} DROP NOT NULL"
                )
            elif isinstance(change, SetDefault):
                out.append(
                    f"ALTER TABLE {table} ALTER COLUMN {self.quote(change.name)} "
                    f"SET DEFAULT {change.default.sql}"
                )
            elif isinstance(change, DropDefault):
                out.append(
                    f"ALTER TABLE {table} ALTER COLUMN {self.quote(change.name)} DROP DEFAULT"
                )
                if change.drop_sequence:
                    out.append(f"DROP SEQUENCE {self.quote(change.drop_sequence)}")
            elif isinstance(change, DropIndex):
                out += self.drop_index_sql(change)
            elif isinstance(change, RenameColumn):
                out += self.rename_column_sql(change)
            else:
                before: list[str] = []
                clauses: list[str] = []
                after: list[str] = []
                self.alter_column(op, change, table, before, clauses, after)
                out += before + [f"ALTER TABLE {table} {c}" for c in clauses] + after
        return out


def _cols(index: IndexDef) -> list[str]:
    return [c.column or c.name for c in index.columns]


# -- MySQL / MariaDB ------------------------------------------------------------------------------


class TypeOrmMySQL(MySQLTarget):
    """MysqlQueryRunner's statements: `ADD`, `DROP COLUMN`, `CHANGE`, `CREATE INDEX ... ON`,
    `DROP INDEX ... ON`, foreign keys by `ADD CONSTRAINT` / `DROP FOREIGN KEY`."""

    NAME = ""

    def type_sql(self, c: ColumnDef) -> str:
        t = c.type
        if t.values:
            return "enum (" + ", ".join(self.literal(v) for v in t.values) + ")"
        if not t.name:
            return t.raw or t.native or "text"
        return canonical("mysql", t)

    def column(self, c: ColumnDef) -> str:
        """`buildCreateColumnSql`: type, NULL / NOT NULL, AUTO_INCREMENT, DEFAULT."""
        out = f"{self.quote(c.name)} {self.type_sql(c)}"
        out += " NOT NULL" if not c.nullable else " NULL"
        if c.autoincrement:
            out += " AUTO_INCREMENT"
        if c.default is not None and c.default.sql:
            out += f" DEFAULT {c.default.sql}"
        return out

    def index_sql(self, table: str, index: IndexDef) -> str:
        kind = "UNIQUE " if index.unique else ""
        if index.fulltext:
            kind = "FULLTEXT "
        return (
            f"CREATE {kind}INDEX {self.quote(index.name or '')} ON {self.quote(table)} "
            f"({_index_columns(self.quote, index)})"
        )

    def create_table_sql(self, op: CreateTable) -> list[str]:
        t = op.table
        parts = [self.column(c) for c in t.columns]
        for i in t.indexes:
            kind = "UNIQUE " if i.unique else ""
            parts.append(
                f"{kind}INDEX {self.quote(i.name or '')} ({_index_columns(self.quote, i)})"
            )
        if t.primary_key is not None:
            parts.append(f"PRIMARY KEY ({self.join(t.primary_key.column_names)})")
        return [f"CREATE TABLE {self.quote(t.name)} ({', '.join(parts)}) ENGINE=InnoDB"]

    def create_index_sql(self, op: CreateIndex) -> list[str]:
        if op.printed:
            return super().create_index_sql(op)
        return [self.index_sql(op.table, op.index)]

    def drop_index_sql(self, op: DropIndex) -> list[str]:
        return [f"DROP INDEX {self.quote(op.index.name or '')} ON {self.quote(op.table)}"]

    def add_constraint_sql(self, op: AddConstraint) -> list[str]:
        if op.constraint.kind != "foreign_key":
            return super().add_constraint_sql(op)
        fk = op.constraint.as_foreign_key()
        return [
            f"ALTER TABLE {self.quote(op.table or '')} ADD CONSTRAINT {self.quote(fk.name or '')} "
            f"FOREIGN KEY ({self.join(fk.columns)}) REFERENCES {self.quote(fk.referenced_table)}"
            f"({', '.join(self.quote(c) for c in fk.referenced_columns)}) "
            f"ON DELETE {ACTIONS[fk.on_delete]} ON UPDATE {ACTIONS[fk.on_update]}"
        ]

    def alter_table_sql(self, op: AlterTable) -> list[str]:
        table = self.quote(op.table)
        after = {c.name: c for c in op.after.columns} if op.after else {}
        positions = {c.name: i for i, c in enumerate(op.after.columns)} if op.after else {}
        adds = sorted(
            (c for c in op.changes if isinstance(c, AddColumn)),
            key=lambda c: positions.get(c.column.name, len(positions)),
        )
        changes = [c for c in op.changes if not isinstance(c, AddColumn)]
        first_add = next((i for i, c in enumerate(op.changes) if isinstance(c, AddColumn)), None)
        if first_add is not None:
            changes[first_add:first_add] = adds
        out: list[str] = []
        for change in changes:
            if isinstance(change, AddColumn):
                # where the entity declares it (`AFTER`; nothing for the last column, as
                # TypeORM writes it), so a down that adds a column back restores the order
                place = self.place(op, change)
                column = change.source or self.column(change.column)  # a fix's: as written
                out.append(f"ALTER TABLE {table} ADD {column}{place}")
            elif isinstance(change, DropColumn):
                out.append(f"ALTER TABLE {table} DROP COLUMN {self.quote(change.name)}")
            elif isinstance(change, DropAndRecreateColumn):
                out.append(f"ALTER TABLE {table} DROP COLUMN {self.quote(change.before.name)}")
                out.append(f"ALTER TABLE {table} ADD {self.column(change.after)}")
            elif isinstance(change, ModifyColumn):
                c = change.after
                out.append(f"ALTER TABLE {table} CHANGE {self.quote(c.name)} {self.column(c)}")
            elif isinstance(change, SetNotNull | DropNotNull | SetDefault):
                c = after.get(change.name, change.column)
                if c is None:
                    raise UnsupportedOperation(f"the column {change.name} is not known whole")
                out.append(f"ALTER TABLE {table} CHANGE {self.quote(c.name)} {self.column(c)}")
            elif isinstance(change, DropDefault):
                out.append(
                    f"ALTER TABLE {table} ALTER COLUMN {self.quote(change.name)} DROP DEFAULT"
                )
            elif isinstance(change, DropConstraint) and change.kind == "primary_key":
                out.append(f"ALTER TABLE {table} DROP PRIMARY KEY")
            elif isinstance(change, DropConstraint) and change.kind == "foreign_key":
                out.append(f"ALTER TABLE {table} DROP FOREIGN KEY {self.quote(change.name or '')}")
            elif isinstance(change, DropConstraint) and change.kind == "check":
                out.append(f"ALTER TABLE {table} DROP CONSTRAINT {self.quote(change.name or '')}")
            elif isinstance(change, AddConstraint) and change.constraint.kind == "check":
                out.append(f"ALTER TABLE {table} {self.add_constraint(change.constraint)}")
            elif isinstance(change, AddConstraint) and change.constraint.kind == "primary_key":
                cols = self.join([p.column or "" for p in change.constraint.columns])
                out.append(f"ALTER TABLE {table} ADD PRIMARY KEY ({cols})")
            elif isinstance(change, DropIndex):
                out += self.drop_index_sql(change)
            else:
                raise UnsupportedOperation(f"MySQL cannot express {change.kind}")
        return out


# -- SQLite ---------------------------------------------------------------------------------------


class TypeOrmSQLite(SQLiteTarget):
    """AbstractSqliteQueryRunner's statements: every change to a table is `recreateTable`."""

    NAME = ""

    def type_sql(self, c: ColumnDef) -> str:
        t = c.type
        if not t.name:
            return (t.raw or t.native or "text").lower()
        return ddl("sqlite", t).lower().replace(", ", ",")

    def column(self, c: ColumnDef, table: TableDef | None = None) -> str:
        """`buildCreateColumnSql`: type, PRIMARY KEY (a one-column key), AUTOINCREMENT,
        NOT NULL, DEFAULT (in parentheses)."""
        out = f"{self.quote(c.name)} {self.type_sql(c)}"
        pk = table.primary_key if table is not None else None
        if pk is not None and len(pk.columns) == 1 and pk.columns[0].name == c.name:
            out += " PRIMARY KEY"
        if c.autoincrement:
            out += " AUTOINCREMENT"
        if not c.nullable:
            out += " NOT NULL"
        if c.default is not None and c.default.sql:
            out += f" DEFAULT ({_unwrap(c.default.sql)})"
        return out

    def create_table_as(self, table: TableDef, name: str) -> str:
        """`createTableSql`: columns, UNIQUE, CHECK, FOREIGN KEY constraints, a composite key.
        A `simple-enum`'s unnamed `"c" IN (...)` check goes on its column, where TypeORM
        writes it (and reads the enum back from)."""
        enums: dict[str, list[str]] = {}
        checks = []
        for c in table.constraints:
            if c.kind != "check" or c.raw is None:
                continue
            m = _ENUM_CHECK.match(str(c.raw).strip())
            if not c.name and m and table.column(m.group(1)) is not None:
                enums[m.group(1)] = _SQL_STRING.findall(m.group(2))
            else:
                named = f"CONSTRAINT {self.quote(c.name)} " if c.name else ""
                checks.append(f"{named}CHECK ({c.raw})")
        parts = []
        for c in table.columns:
            sql = self.column(c, table)
            if c.name in enums:
                values = ",".join(enums[c.name])
                head = f"{self.quote(c.name)} {self.type_sql(c)}"
                sql = f"{head} CHECK( {self.quote(c.name)} IN ({values}) ){sql[len(head) :]}"
            parts.append(sql)
        for i in table.indexes:
            if i.constraint:
                parts.append(
                    f"CONSTRAINT {self.quote(i.name or '')} UNIQUE ({self.join(_cols(i))})"
                )
        parts += checks
        for fk in table.foreign_keys:
            parts.append(
                f"CONSTRAINT {self.quote(fk.name or '')} FOREIGN KEY ({self.join(fk.columns)}) "
                f"REFERENCES {self.quote(fk.referenced_table)} "
                f"({self.join(fk.referenced_columns)}) ON DELETE {ACTIONS[fk.on_delete]} "
                f"ON UPDATE {ACTIONS[fk.on_update]}"
            )
        pk = table.primary_key
        if pk is not None and len(pk.columns) > 1:
            parts.append(f"PRIMARY KEY ({self.join(pk.column_names)})")
        return f"CREATE TABLE {name} ({', '.join(parts)})"

    def create_index(self, table: str, index: IndexDef) -> str:
        """`createIndexSql`: `CREATE INDEX "i" ON "t" ("a") <WHERE ...>`."""
        where = _predicate(index)
        return (
            f"CREATE {'UNIQUE ' if index.unique else ''}INDEX {self.quote(index.name or '')} "
            f"ON {self.quote(table)} ({_index_columns(self.quote, index)}) "
            f"{'WHERE ' + where if where else ''}"
        )

    def create_table_sql(self, op: CreateTable) -> list[str]:
        return [self.create_table_as(op.table, self.quote(op.table.name))]

    def drop_table_sql(self, op: DropTable) -> list[str]:
        return [f"DROP TABLE {self.quote(op.name)}"]

    recreated: set[str] = set()
    """Tables the same script recreates: their UNIQUE constraints come with the new table."""

    def render(self, operations: Iterable[Operation]) -> Script:
        ops = list(operations)
        self.recreated = {op.table for op in ops if isinstance(op, AlterTable)} | {
            t.after.name for op in ops if isinstance(op, RedefineTables) for t in op.tables
        }
        return super().render(ops)

    def constraint_change(self, table: str) -> list[str]:
        """A UNIQUE constraint added, dropped or renamed: SQLite keeps it inside the table, so
        only `recreateTable` changes it. Done when the script recreates the table anyway."""
        if table in self.recreated:
            return []
        raise UnsupportedOperation(
            f'SQLite changes a UNIQUE constraint of "{table}" only by recreating the table '
            "(TypeORM's schema builder does not compare the names of one-column unique keys)"
        )

    def create_index_sql(self, op: CreateIndex) -> list[str]:
        if op.printed:
            return super().create_index_sql(op)
        if op.index.constraint:
            return self.constraint_change(op.table)
        return [self.create_index(op.table, op.index)]

    def drop_index_sql(self, op: DropIndex) -> list[str]:
        if op.index.constraint:
            return self.constraint_change(op.table)
        return [f"DROP INDEX {self.quote(op.index.name or '')}"]

    def redefine_index_sql(self, op: RedefineIndex) -> list[str]:
        if op.before.constraint or op.after.constraint:
            return self.constraint_change(op.table)
        return [
            f"DROP INDEX {self.quote(op.before.name or '')}",
            self.create_index(op.table, op.after),
        ]

    def recreate(self, before: TableDef, after: TableDef, copied: Sequence[tuple[str, str]]):
        """`recreateTable`: the old indexes dropped, `temporary_<t>` created, the rows copied,
        the old table dropped, the new one renamed, its indexes created."""
        out = [f"DROP INDEX {self.quote(i.name or '')}" for i in before.indexes if not i.constraint]
        temporary = f"temporary_{after.name}"
        out.append(self.create_table_as(after, self.quote(temporary)))
        if copied:
            targets = ", ".join(self.quote(t) for _, t in copied)
            sources = ", ".join(self.quote(s) for s, _ in copied)
            out.append(
                f"INSERT INTO {self.quote(temporary)}({targets}) SELECT {sources} "
                f"FROM {self.quote(before.name)}"
            )
        out.append(f"DROP TABLE {self.quote(before.name)}")
        out.append(f"ALTER TABLE {self.quote(temporary)} RENAME TO {self.quote(after.name)}")
        out += [self.create_index(after.name, i) for i in after.indexes if not i.constraint]
        return out

    def alter_table_sql(self, op: AlterTable) -> list[str]:
        if op.before is None or op.after is None:
            return super().alter_table_sql(op)
        old = {c.name for c in op.before.columns}
        copied = [(c.name, c.name) for c in op.after.columns if c.name in old]
        return self.recreate(op.before, op.after, copied)

    def redefine_tables_sql(self, op: RedefineTables) -> list[str]:
        out: list[str] = []
        for t in op.tables:
            copied = [(c.source, c.target) for c in t.copied]
            out += self.recreate(t.before, t.after, copied)
        return out


_ENUM_CHECK = re.compile(r'^\(?\s*"([^"]+)"\s+IN\s*\((.*)\)\s*\)?$', re.S)
_SQL_STRING = re.compile(r"'(?:[^']|'')*'")


def _unwrap(sql: str) -> str:
    """`(x)` -> `x`: TypeORM puts a SQLite default in parentheses itself."""
    text = sql.strip()
    if text.startswith("(") and text.endswith(")"):
        depth = 0
        for i, ch in enumerate(text):
            depth += ch == "("
            depth -= ch == ")"
            if depth == 0 and i < len(text) - 1:
                return text
        return text[1:-1].strip()
    return text


class _Created:
    """Mixin: the tables created earlier in the same script, whose UNIQUE constraints their
    `CREATE TABLE` already holds (TypeORM's `createTable` writes them inline)."""

    created: set[str]

    def render(self, operations: Iterable[Operation]) -> Script:
        ops = list(operations)
        self.created = {op.table.name for op in ops if isinstance(op, CreateTable)}
        return super().render(ops)  # type: ignore[misc]

    def create_index_sql(self, op: CreateIndex) -> list[str]:
        if op.index.constraint and op.table in self.created:
            return []
        return super().create_index_sql(op)  # type: ignore[misc]


class TypeOrmPostgresScript(_Created, TypeOrmPostgres):
    pass


class TypeOrmSQLiteScript(_Created, TypeOrmSQLite):
    pass


_TARGETS = {
    "postgresql": TypeOrmPostgresScript,
    "mysql": TypeOrmMySQL,
    "sqlite": TypeOrmSQLiteScript,
}


def render_typeorm(operations: Iterable[Operation], dialect: str) -> Script:
    """`operations` as TypeORM would write them for `dialect` (`postgresql`, `mysql`,
    `sqlite`; Prisma's provider names accepted)."""
    name = {"postgres": "postgresql", "cockroachdb": "postgresql", "mariadb": "mysql"}.get(
        dialect, dialect
    )
    return _TARGETS[name]().render(operations)

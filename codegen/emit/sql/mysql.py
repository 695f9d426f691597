"""MySQL / MariaDB: the statements Prisma's schema engine writes (`flavour/mysql/renderer.rs`).

Backtick-quoted names; indexes and the primary key inside `CREATE TABLE` (which ends with the
utf8mb4 character set); a changed column is a `MODIFY` with its whole definition; enums are
column types (`ENUM('A', 'B')`), so enum changes are column changes. Prisma's engine has no
MySQL in its wasm build, so this follows its renderer, and the proof is the catalog a real
MariaDB builds (tests/codegen/targets). Unlike the engine, an added column goes where the
schema declares it (`AFTER`), and an index a foreign key stands on is replaced rather than
left behind, so the catalog is the declared model's.
"""

from __future__ import annotations

from schemasense.codegen.ddl.operations import (
    AddColumn,
    AddConstraint,
    AlterTable,
    ColumnDef,
    ConstraintDef,
    CreateIndex,
    CreateTable,
    DropAndRecreateColumn,
    DropColumn,
    DropConstraint,
    DropDefault,
    DropIndex,
    DropTable,
    ForeignKeyDef,
    IndexDef,
    ModifyColumn,
    RenameColumn,
    RenameIndex,
    RenameTable,
    TableDef,
)
from schemasense.codegen.dialects.ddl_types import ddl
from schemasense.codegen.emit.sql.base import SqlTarget, UnsupportedOperation
from schemasense.codegen.emit.sql.postgresql import ACTIONS

TABLE_OPTIONS = "DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"


class MySQLTarget(SqlTarget):
    NAME = "mysql"
    QUOTE = ("`", "`")

    def column(self, c: ColumnDef) -> str:
        out = f"{self.quote(c.name)} {ddl('mysql', c.type)}"
        out += " NOT NULL" if not c.nullable else " NULL"
        if c.default is not None and c.default.sql:
            out += f" DEFAULT {c.default.sql}"
        if c.autoincrement:
            out += " AUTO_INCREMENT"
        return out

    def place(self, op: AlterTable, change: AddColumn) -> str:
        """`AFTER <the column before>` (or `FIRST`): MySQL can put an added column where the
        schema declares it (columns are added in the schema's order, so the one before it is
        already there); nothing for the last column."""
        if op.after is None:
            return ""
        names = [c.name for c in op.after.columns]
        i = names.index(change.column.name) if change.column.name in names else -1
        if i < 0 or i == len(names) - 1:
            return ""
        return f" AFTER {self.quote(names[i - 1])}" if i > 0 else " FIRST"

    def parts(self, index: IndexDef | None, columns) -> str:
        out = []
        for c in columns:
            text = c.name if c.column is None else self.quote(c.column)
            if c.length is not None:
                text += f"({c.length})"
            if c.sort:
                text += f" {c.sort.upper()}"
            out.append(text)
        return "(" + ", ".join(out) + ")"

    def index_kind(self, index: IndexDef) -> str:
        if index.method == "FULLTEXT":
            return "FULLTEXT INDEX"
        if index.method not in (None, "BTREE", "HASH"):
            raise UnsupportedOperation(f"MySQL has no {index.method} index")
        if index.predicate:
            raise UnsupportedOperation("MySQL has no partial indexes (WHERE)")
        return "UNIQUE INDEX" if index.unique else "INDEX"

    def foreign_key(self, fk: ForeignKeyDef) -> str:
        return (
            f"CONSTRAINT {self.quote(fk.name or '')} FOREIGN KEY ({self.join(fk.columns)}) "
            f"REFERENCES {self.quote(fk.referenced_table)}({self.join(fk.referenced_columns)}) "
            f"ON DELETE {ACTIONS[fk.on_delete]} ON UPDATE {ACTIONS[fk.on_update]}"
        )

    # operations

    def create_table_sql(self, op: CreateTable) -> list[str]:
        t: TableDef = op.table
        items = [self.column(c) for c in t.columns]
        for index in t.indexes:
            items.append(
                f"{self.index_kind(index)} {self.quote(index.name)}"
                f"{self.parts(index, index.columns)}"
            )
        if t.primary_key is not None:
            items.append(f"PRIMARY KEY {self.parts(None, t.primary_key.columns)}")
        columns = ",\n".join(f"{self.INDENT}{c}" for c in items[: len(t.columns)])
        rest = ",\n".join(f"{self.INDENT}{c}" for c in items[len(t.columns) :])
        body = columns + (f",\n\n{rest}" if rest else "")
        return [f"CREATE TABLE {self.quote(t.name)} (\n{body}\n) {TABLE_OPTIONS}"]

    def drop_table_sql(self, op: DropTable) -> list[str]:
        return [f"DROP TABLE {self.quote(op.name)}"]

    def rename_table_sql(self, op: RenameTable) -> list[str]:
        return [f"ALTER TABLE {self.quote(op.old)} RENAME TO {self.quote(op.new)}"]

    def rename_column_sql(self, op: RenameColumn) -> list[str]:
        return [
            f"ALTER TABLE {self.quote(op.table)} RENAME COLUMN {self.quote(op.old)} "
            f"TO {self.quote(op.new)}"
        ]

    def create_index_sql(self, op: CreateIndex) -> list[str]:
        if op.printed:
            raise UnsupportedOperation("an index as PostgreSQL prints it")
        kind = self.index_kind(op.index)
        return [
            f"CREATE {kind} {self.quote(op.index.name)} ON {self.quote(op.table)}"
            f"{self.parts(op.index, op.index.columns)}"
        ]

    def drop_index_sql(self, op: DropIndex) -> list[str]:
        return [f"DROP INDEX {self.quote(op.index.name)} ON {self.quote(op.table)}"]

    def rename_index_sql(self, op: RenameIndex) -> list[str]:
        return [
            f"ALTER TABLE {self.quote(op.table)} RENAME INDEX {self.quote(op.old)} "
            f"TO {self.quote(op.new)}"
        ]

    def add_constraint_sql(self, op: AddConstraint) -> list[str]:
        """A constraint added on its own (a foreign key, after the tables)."""
        return [f"ALTER TABLE {self.quote(op.table or '')} {self.add_constraint(op.constraint)}"]

    def add_constraint(self, c: ConstraintDef) -> str:
        """`ADD ...` of `c`, as a clause of an ALTER TABLE."""
        if c.kind == "primary_key":
            return f"ADD PRIMARY KEY {self.parts(None, c.columns)}"
        if c.kind == "foreign_key":
            return f"ADD {self.foreign_key(c.as_foreign_key())}"
        if c.kind == "check" and isinstance(c.raw, str):  # `diff`'s: the body as text
            named = f"CONSTRAINT {self.quote(c.name)} " if c.name else ""
            return f"ADD {named}CHECK ({c.raw})"
        raise UnsupportedOperation(f"MySQL: a {c.kind} constraint is not written here")

    def alter_table_sql(self, op: AlterTable) -> list[str]:
        lines = []
        positions = {c.name: i for i, c in enumerate(op.after.columns)} if op.after else {}
        adds = sorted(
            (c for c in op.changes if isinstance(c, AddColumn)),
            key=lambda c: positions.get(c.column.name, len(positions)),
        )
        changes = [c for c in op.changes if not isinstance(c, AddColumn)]
        first_add = next((i for i, c in enumerate(op.changes) if isinstance(c, AddColumn)), None)
        if first_add is not None:
            changes[first_add:first_add] = adds
        for change in changes:
            if isinstance(change, DropConstraint) and change.kind == "primary_key":
                lines.append("DROP PRIMARY KEY")
            elif isinstance(change, DropConstraint) and change.kind == "foreign_key":
                lines.append(f"DROP FOREIGN KEY {self.quote(change.name or '')}")
            elif isinstance(change, DropConstraint) and change.kind == "check":
                # MariaDB and MySQL >= 8.0.19 (`DROP CHECK` is MySQL's alone)
                lines.append(f"DROP CONSTRAINT {self.quote(change.name or '')}")
            elif isinstance(change, AddConstraint):
                lines.append(self.add_constraint(change.constraint))
            elif isinstance(change, CreateIndex):  # `ADD INDEX`, as the replay reads it
                index = change.index
                name = f" {self.quote(index.name)}" if index.name else ""
                parts = self.parts(index, index.columns)
                lines.append(f"ADD {self.index_kind(index)}{name}{parts}")
            elif isinstance(change, AddColumn) and change.source is not None:
                lines.append(f"ADD COLUMN {change.source}")
            elif isinstance(change, AddColumn):
                lines.append(f"ADD COLUMN {self.column(change.column)}{self.place(op, change)}")
            elif isinstance(change, DropColumn):
                lines.append(f"DROP COLUMN {self.quote(change.name)}")
            elif isinstance(change, DropAndRecreateColumn):
                lines.append(f"DROP COLUMN {self.quote(change.before.name)}")
                lines.append(f"ADD COLUMN {self.column(change.after)}")
            elif isinstance(change, ModifyColumn):
                lines.append(f"MODIFY {self.column(change.after)}")
            elif isinstance(change, DropDefault):
                lines.append(f"ALTER COLUMN {self.quote(change.name)} DROP DEFAULT")
            else:
                raise UnsupportedOperation(f"MySQL cannot express {change.kind}")
        if not lines:
            return []
        return [f"ALTER TABLE {self.quote(op.table)} " + ",\n    ".join(lines)]

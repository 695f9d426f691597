"""SQLite: the statements Prisma's schema engine writes (`flavour/sqlite/renderer.rs`).

SQLite's `ALTER TABLE` adds a nullable column and renames; everything else rebuilds the table
(`RedefineTables`: a new table, the rows copied, the old one dropped, the new one renamed, its
indexes created again, with foreign key checks deferred). Foreign keys are written inside
`CREATE TABLE`; indexes cannot be renamed (dropped and created again); there are no enums.
"""

from __future__ import annotations

from schemasense.codegen.ddl.operations import (
    AddColumn,
    AlterTable,
    ColumnDef,
    CreateIndex,
    CreateTable,
    DropColumn,
    DropIndex,
    DropTable,
    ForeignKeyDef,
    IndexDef,
    RedefineIndex,
    RedefineTables,
    RenameColumn,
    RenameTable,
    TableDef,
)
from schemasense.codegen.dialects.ddl_types import ddl
from schemasense.codegen.emit.sql.base import SqlTarget, UnsupportedOperation
from schemasense.codegen.emit.sql.postgresql import ACTIONS


class SQLiteTarget(SqlTarget):
    NAME = "sqlite"

    def column(self, c: ColumnDef, table: TableDef | None = None) -> str:
        out = f"{self.quote(c.name)} {ddl('sqlite', c.type)}"
        if not c.nullable:
            out += " NOT NULL"
        pk = table.primary_key if table is not None else None
        if pk is not None and len(pk.columns) == 1 and pk.columns[0].name == c.name:
            out += " PRIMARY KEY"
            if c.autoincrement and c.type.name == "INTEGER":
                out += " AUTOINCREMENT"
        if c.default is not None and c.default.sql:
            out += f" DEFAULT {c.default.sql}"
        return out

    def foreign_key(self, fk: ForeignKeyDef) -> str:
        name = f"CONSTRAINT {self.quote(fk.name)} " if fk.name else ""
        return (
            f"{name}FOREIGN KEY ({self.join(fk.columns)}) REFERENCES "
            f"{self.quote(fk.referenced_table)} ({self.join(fk.referenced_columns)}) "
            f"ON DELETE {ACTIONS[fk.on_delete]} ON UPDATE {ACTIONS[fk.on_update]}"
        )

    def create_table_as(self, table: TableDef, name: str) -> str:
        body = ",\n".join(f"{self.INDENT}{self.column(c, table)}" for c in table.columns)
        pk = table.primary_key
        if pk is not None and len(pk.columns) > 1:
            body += f",\n\n{self.INDENT}PRIMARY KEY ({self.join(pk.column_names)})"
        for fk in table.foreign_keys:
            body += f",\n{self.INDENT}{self.foreign_key(fk)}"
        return f"CREATE TABLE {name} (\n{body}\n)"

    def create_index(self, table: str, index: IndexDef) -> str:
        if index.method == "FULLTEXT":
            raise UnsupportedOperation("SQLite has no FULLTEXT index (MySQL's @@fulltext)")
        parts = []
        for c in index.columns:
            text = c.name if c.column is None else self.quote(c.column)
            if c.sort:
                text += f" {c.sort.upper()}"
            parts.append(text)
        unique = "UNIQUE " if index.unique else ""
        name, on = self.quote(index.name), self.quote(table)
        sql = f"CREATE {unique}INDEX {name} ON {on}({', '.join(parts)})"
        if index.predicate:
            sql += f" WHERE {index.predicate}"
        return sql

    # operations

    def create_table_sql(self, op: CreateTable) -> list[str]:
        return [self.create_table_as(op.table, self.quote(op.table.name))]

    def drop_table_sql(self, op: DropTable) -> list[str]:
        return [
            "PRAGMA foreign_keys=off",
            f"DROP TABLE {self.quote(op.name)}",
            "PRAGMA foreign_keys=on",
        ]

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
        return [self.create_index(op.table, op.index)]

    def drop_index_sql(self, op: DropIndex) -> list[str]:
        return [f"DROP INDEX {self.quote(op.index.name)}"]

    def redefine_index_sql(self, op: RedefineIndex) -> list[str]:
        return [f"DROP INDEX {self.quote(op.before.name)}", self.create_index(op.table, op.after)]

    def alter_table_sql(self, op: AlterTable) -> list[str]:
        out = []
        for change in op.changes:
            if isinstance(change, DropColumn):  # SQLite 3.35+ (a fix's in-place ALTER TABLE)
                table = self.quote(op.table)
                out.append(f"ALTER TABLE {table} DROP COLUMN {self.quote(change.name)}")
                continue
            if not isinstance(change, AddColumn):
                raise UnsupportedOperation(f"SQLite's ALTER TABLE cannot {change.kind}")
            column = change.source or self.column(change.column)  # DB242: as written
            out.append(f"ALTER TABLE {self.quote(op.table)} ADD COLUMN {column}")
        return out

    def redefine_tables_sql(self, op: RedefineTables) -> list[str]:
        out = ["PRAGMA defer_foreign_keys=ON", "PRAGMA foreign_keys=OFF"]
        for t in op.tables:
            new = t.after
            temporary = f"new_{new.name}"
            out.append(self.create_table_as(new, self.quote(temporary)))
            if t.copied:
                targets = ", ".join(self.quote(c.target) for c in t.copied)
                sources = ", ".join(
                    f"coalesce({self.quote(c.source)}, {c.coalesce}) AS {self.quote(c.source)}"
                    if c.coalesce
                    else self.quote(c.source)
                    for c in t.copied
                )
                out.append(
                    f'INSERT INTO "{temporary}" ({targets}) SELECT {sources} FROM "{t.before.name}"'
                )
            out.append(f'DROP TABLE "{t.before.name}"')
            out.append(f'ALTER TABLE "{temporary}" RENAME TO "{new.name}"')
            for index in new.indexes:
                out.append(self.create_index(new.name, index))
        out += ["PRAGMA foreign_keys=ON", "PRAGMA defer_foreign_keys=OFF"]
        return out

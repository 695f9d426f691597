"""What running one migration operation costs on a live database: the one question the migration
rules and the hover on a migration statement both ask.

This module says which database fact an operation is; the facts themselves are the dialects'
(`codegen.dialects.postgresql_locks`, `codegen.dialects.mysql_online_ddl`), which know the
databases and nothing of the operation classes (`codegen.ddl` imports `codegen.dialects`, never
the reverse).

`fact_for(operation, server, before)` takes a statement's operation (`CreateIndex`,
`DropIndex`, `DropTable`, `RenameTable`, `CreateTable`) or one ALTER TABLE action (`AddColumn`,
`AddConstraint`, ...) and the server it runs on, and answers with the fact the two databases'
tables hold:

- PostgreSQL: a `postgresql_locks.LockFact` (the lock level, what it blocks, whether it scans or
  rewrites the table), for the configured version (11's non-volatile defaults, 12's index
  rename);
- MySQL and MariaDB: a `mysql_online_ddl.Online` (InnoDB's algorithm, lock and rebuild) for the
  configured flavour and version;
- None where the facts say nothing (SQLite, an operation with no lock worth naming, a MODIFY of
  a column the migrations never declared).

A rule's message and a hover's "Lock:" line are rendered from the same fact, so they cannot
disagree. `before` is what the migrations built before the statement (`Before`): a type change's
old type, MySQL's columns of the table, `foreign_key_checks`, the statement's other actions.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field

from schemasense.codegen.ddl import statements as ops
from schemasense.codegen.dialects import mysql_online_ddl as online_ddl
from schemasense.codegen.dialects import postgresql_locks as locks

Fact = locks.LockFact | online_ddl.Online


@dataclass(frozen=True, slots=True)
class Server:
    """The database a migration runs on: its family (`dialect`: postgresql, mysql, sqlite) and
    what the configuration says of it (`database`: mysql or mariadb for the MySQL family;
    `version`), None where it is not configured (a current release is assumed)."""

    dialect: str
    database: str | None = None
    version: tuple[int, ...] | None = None

    def at_least(self, *wanted: int) -> bool:
        """Whether the server is at least `wanted` (True when the version is unknown)."""
        return self.version is None or self.version[: len(wanted)] >= wanted

    @property
    def online(self) -> online_ddl.Server:
        """The MySQL or MariaDB server the online DDL facts are for."""
        return online_ddl.Server.of(self.database, self.version)


@dataclass(frozen=True)
class Before:
    """What the migrations built before the statement, as far as a fact depends on it."""

    columns: Mapping[str, ops.ColumnDef] = field(default_factory=dict)
    """MySQL: the table's columns in order, each with its last definition."""
    foreign_key_checks: bool = True
    """MySQL: the session's `foreign_key_checks` (SETs earlier in the file)."""
    siblings: tuple[ops.TableChange, ...] = ()
    """Every action of the same ALTER TABLE statement."""
    table: str = ""
    """The table the ALTER TABLE works on."""
    column_types: Mapping[tuple[str, str], str] = field(default_factory=dict)
    """(table, column) -> the column's type as declared so far (lower case): what a type
    change changes from (PostgreSQL)."""

    def online(self) -> online_ddl.Before:
        adds_primary_key = any(
            isinstance(a, ops.AddConstraint) and a.constraint.kind == "primary_key"
            for a in self.siblings
        )
        return online_ddl.Before(self.columns, self.foreign_key_checks, adds_primary_key)


def fact_for(
    operation: ops.Op | ops.TableChange,
    server: Server,
    before: Before | None = None,
    *,
    concurrently: bool = False,
) -> Fact | None:
    """The fact of `operation` on `server` (see the module docstring). `concurrently` says a
    `DROP INDEX` names CONCURRENTLY (the operation does not carry it)."""
    before = before or Before()
    if server.dialect == "postgresql":
        return _postgresql(operation, server, before, concurrently)
    if server.dialect == "mysql":
        return _mysql(operation, server, before)
    return None


def _postgresql(
    op: ops.Op | ops.TableChange, server: Server, before: Before, concurrently: bool
) -> locks.LockFact | None:
    if isinstance(op, ops.CreateIndex):
        return locks.CREATE_INDEX_CONCURRENTLY if op.concurrently else locks.CREATE_INDEX
    if isinstance(op, ops.AddColumn):
        return locks.add_column(op.column, server.at_least(11))
    if isinstance(op, ops.DropColumn):
        return locks.DROP_COLUMN
    if isinstance(op, ops.AlterColumnType):
        old = before.column_types.get((before.table, op.name))
        return locks.alter_type(op.type.native, op.using, old)
    if isinstance(op, ops.SetNotNull):
        return locks.SET_NOT_NULL
    if isinstance(op, ops.DropNotNull):
        return locks.DROP_NOT_NULL
    if isinstance(op, ops.SetDefault | ops.DropDefault):
        return locks.SET_DEFAULT
    if isinstance(op, ops.RenameColumn | ops.RenameTable | ops.RenameConstraint):
        return locks.RENAME
    if isinstance(op, ops.AddConstraint):
        return _constraint(op.constraint)
    if isinstance(op, ops.DropConstraint):
        return locks.DROP_CONSTRAINT
    if isinstance(op, ops.ValidateConstraint):
        return locks.VALIDATE
    if isinstance(op, ops.IgnoredAction) and op.what == "AT_DetachPartition":
        return locks.DETACH_PARTITION
    if isinstance(op, ops.DropIndex):
        dropped_concurrently = concurrently or op.concurrently
        return locks.DROP_INDEX_CONCURRENTLY if dropped_concurrently else locks.DROP_INDEX
    if isinstance(op, ops.DropTable):
        return locks.DROP_TABLE
    if isinstance(op, ops.RenameIndex):
        return locks.rename_index(server.version)
    if isinstance(op, ops.RenameObject):
        return locks.RENAME if op.kind in ("view", "materialized_view") else None
    if isinstance(op, ops.CreateTable):
        refers = any(c.kind == "foreign_key" and c.ref_table for c in op.constraints) or any(
            c.kind == "foreign_key" and c.ref_table for col in op.columns for c in col.constraints
        )
        return locks.CREATE_TABLE_REFERENCES if refers else None
    return None


def _constraint(c: ops.ConstraintDef) -> locks.LockFact | None:
    if c.kind == "foreign_key":
        return locks.ADD_FOREIGN_KEY_NOT_VALID if c.not_valid else locks.ADD_FOREIGN_KEY
    if c.kind in ("unique", "primary_key"):
        if c.using_index:
            return locks.ADD_CONSTRAINT_USING_INDEX
        return locks.ADD_PRIMARY_KEY if c.kind == "primary_key" else locks.ADD_UNIQUE
    if c.kind == "check":
        return locks.ADD_CHECK_NOT_VALID if c.not_valid else locks.ADD_CHECK
    return None


def _mysql(
    op: ops.Op | ops.TableChange, server: Server, before: Before
) -> online_ddl.Online | None:
    if isinstance(op, ops.CreateIndex):
        return online_ddl.create_index(op.index, server.online)
    if isinstance(op, ops.RenameTable):
        return online_ddl.rename_table(server.online)
    if isinstance(op, ops.TableChange):
        return classify(op, server.online, before.online())
    return None


def classify(
    action: ops.TableChange, server: online_ddl.Server, before: online_ddl.Before | None = None
) -> online_ddl.Online | None:
    """How a MySQL or MariaDB `server` runs one ALTER TABLE `action` on an existing InnoDB
    table; None when unknown (an action the facts do not cover, or a MODIFY of a column the
    migrations never declared)."""
    before = before or online_ddl.Before()
    if isinstance(action, ops.AddColumn):
        return online_ddl.add_column(action.column, server, before)
    if isinstance(action, ops.DropColumn):
        return online_ddl.drop_column(action.name, server)
    if isinstance(action, ops.RenameColumn):
        return online_ddl.rename_column(action.old, action.new, server)
    if isinstance(action, ops.SetDefault | ops.DropDefault):
        dropping = isinstance(action, ops.DropDefault)
        return online_ddl.set_default(action.name, server, dropping=dropping)
    if isinstance(action, ops.AlterColumnType):
        return online_ddl.change_type(action.name, server)
    if isinstance(action, ops.ModifyColumn):
        return online_ddl.modify_column(action.name, action.after, server, before)
    if isinstance(action, ops.CreateIndex):
        return online_ddl.add_index(action.index, server)
    if isinstance(action, ops.AddConstraint):
        return online_ddl.add_constraint(action.constraint, server, before)
    if isinstance(action, ops.DropIndex):
        return online_ddl.drop_index(action.name or "", server)
    if isinstance(action, ops.DropConstraint):
        return online_ddl.drop_constraint(action.kind, action.name, server, before)
    if isinstance(action, ops.RenameIndex):
        return online_ddl.rename_index(action.old, server)
    if isinstance(action, ops.RenameTable):
        return online_ddl.rename_table(server)
    if isinstance(action, ops.IgnoredAction):
        return online_ddl.table_option(action.what, server)
    return None


def statement_facts(
    statement_ops: Iterable[ops.Op],
    server: Server,
    tables: Mapping[str, Mapping[str, ops.ColumnDef]],
    *,
    foreign_key_checks: bool = True,
) -> Iterator[tuple[str, ops.TableChange | None, Fact]]:
    """(table, action, fact) for every ALTER TABLE action of a statement the facts cover, plus
    `CREATE INDEX` (action None), by `fact_for`. `tables` are MySQL's columns before the
    statement (table, lower case -> its columns)."""
    for op in statement_ops:
        if isinstance(op, ops.AlterTable):
            table = op.qname[1]
            before = Before(tables.get(table.lower(), {}), foreign_key_checks, op.changes, table)
            for action in op.changes:
                fact = fact_for(action, server, before)
                if fact is not None:
                    yield table, action, fact
        elif isinstance(op, ops.CreateIndex):
            fact = fact_for(op, server)
            if fact is not None:
                yield op.qname[1], None, fact

"""Our operations as Sequelize `queryInterface` calls: what a developer writes in a sequelize-cli
migration by hand.

`QueryInterfaceWriter(dialect, style, ...).statements(script)` turns each step of a rendered
script (`codegen.emit.sql.base.Script`, whose steps keep their operation) into `await
queryInterface.<call>(...)` statements: `createTable` with Sequelize attribute objects
(`type: Sequelize.STRING(40)`, `allowNull`, `defaultValue`, `primaryKey`, `autoIncrement`,
`unique`, `references` with `onDelete` / `onUpdate`), `dropTable`, `renameTable`, `addColumn`,
`removeColumn`, `changeColumn`, `renameColumn`, `addIndex` / `removeIndex`, `addConstraint` /
`removeConstraint` (unique, foreign key, primary key), `dropEnum`, `createSchema`, each given
`{ transaction }` when the migration runs in one. A step no call can say exactly (an enum's
values changed on PostgreSQL, a `NOT VALID` key, a sequence renamed with its table, a
`SET LOCAL lock_timeout`, ...) keeps its SQL, run through `queryInterface.sequelize.query`.

The calls must build what the SQL would, object for object, so each is chosen from what
Sequelize 6.37.8 writes for it (`lib/dialects/*/query-generator.js`):
- a column's `unique: true` is PostgreSQL's constraint `<table>_<column>_key`, and
  `references` its `<table>_<column>_fkey`: used inline in `createTable` only where the
  constraint has exactly that name (and the referenced table exists by then); every other
  unique constraint or key is an `addConstraint` with its name;
- `changeColumn` on PostgreSQL sets or drops NOT NULL and the default and sets the type, all
  from the one attribute: it is given the whole column as it is after (never for an
  auto-increment column, whose sequence default it would drop, nor for an enum type, whose
  values it would create again);
- `Sequelize.ENUM(...)` on PostgreSQL creates `enum_<table>_<column>` itself
  (`ensureEnums` / `pgEnum`): an enum type of that name made for a new table or column goes
  with the column and is not created apart;
- an index or constraint name is left out where Sequelize gives the same name itself
  (`naming.add_index_name`, `naming.constraint_name`), and written out where it differs;
- on MySQL / MariaDB (no transactional DDL, so no transaction): `MODIFY` is `changeColumn`
  (its `CHANGE` writes the whole column), an added column keeps its place (`after` / `first`,
  the columns added in the models' order), a new table's indexes follow its `createTable`
  (the diff writes them inside `CREATE TABLE` there), and a foreign key's NO ACTION is
  written out (MariaDB prints RESTRICT where nothing was said).

Which unique keys are constraints (not unique indexes) is read from the schemas the operations
go between (`source`, `target`), as the diff flattens both into `IndexDef`s.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from schemasense.codegen.ddl.operations import (
    AddColumn,
    AddConstraint,
    AlterColumnType,
    AlterEnum,
    AlterTable,
    ColumnDef,
    ConstraintDef,
    CreateEnum,
    CreateIndex,
    CreateSchema,
    CreateTable,
    DefaultDef,
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
    IndexPart,
    ModifyColumn,
    Operation,
    RenameColumn,
    RenameTable,
    SetDefault,
    SetNotNull,
    TableDef,
)
from schemasense.codegen.emit.migrations.js_values import (
    SHORTHAND,
    Js,
    call,
    template_literal,
)
from schemasense.codegen.emit.sql.base import Script, Step
from schemasense.codegen.emit.style import CodeStyle
from schemasense.codegen.orms.sequelize import naming
from schemasense.codegen.orms.sequelize.data_types import data_type
from schemasense.codegen.schema import Schema

ACTIONS = {
    "Cascade": "CASCADE",
    "Restrict": "RESTRICT",
    "SetNull": "SET NULL",
    "SetDefault": "SET DEFAULT",
}
"""Referential actions as Sequelize takes them (NO ACTION, the database's default, left out)."""

_NUMBER = re.compile(r"^-?\d+(\.\d+)?$")
_STRING = re.compile(r"^'((?:[^']|'')*)'$")


class CannotSay(Exception):
    """No call says this step exactly: its SQL is kept."""


@dataclass
class QueryInterfaceWriter:
    """One script's steps as `queryInterface` statements (see the module's docstring)."""

    dialect: str
    style: CodeStyle
    source: Schema | None = None
    """The schema the operations start from (what a dropped key was)."""
    target: Schema | None = None
    """The schema they lead to (what a created key is)."""
    transaction: bool = True
    qi: str = "queryInterface"
    types: str = "Sequelize"
    _folded: set[tuple[str, str]] = field(default_factory=set)
    _indexed: set[tuple[str, str | None]] = field(default_factory=set)
    _created_order: list[str] = field(default_factory=list)
    _dropped: set[str] = field(default_factory=set)

    # -- the script ---------------------------------------------------------------------------

    def statements(self, script: Script) -> list[str]:
        """Every step as statements, in order (each statement one string, maybe of several
        lines, not indented)."""
        steps = _children_dropped_first(list(script.steps))
        self._plan(steps)
        out: list[str] = []
        for step in steps:
            out.extend(self.step(step))
        return out

    def step(self, step: Step) -> list[str]:
        op = step.operation
        if isinstance(op, AlterEnum) and op.dropped and self._pg():
            return self._enum_made_again(step, op)
        method: Callable[[Operation], list[str]] | None = getattr(
            self, "_" + _snake(type(op).__name__), None
        )
        if method is not None:
            try:
                return method(op)
            except CannotSay:
                pass
        return [self.query(s) for s in _statements(step)]

    def query(self, sql: str) -> str:
        args: list[object] = [Js(template_literal(sql))]
        if self.transaction:
            args.append({"transaction": SHORTHAND})
        return call(f"{self.qi}.sequelize.query", args, self.style)

    # -- what is said inline ------------------------------------------------------------------

    def _plan(self, steps: list[Step]) -> None:
        """Find the enum types, unique constraints and foreign keys that go inline with their
        table or column (`_folded`), so their own steps are left out."""
        self._folded = set()
        self._indexed = {
            (op.table, op.index.name) for s in steps if isinstance(op := s.operation, CreateIndex)
        }
        self._dropped = {op.name for s in steps if isinstance(op := s.operation, DropTable)}
        created_tables: list[str] = []
        enums = {op.name[1]: op for s in steps if isinstance(op := s.operation, CreateEnum)}
        for s in steps:
            op = s.operation
            if isinstance(op, CreateTable):
                created_tables.append(op.table.name)
                table = op.table
                for c in table.columns:
                    if self._enum_inline(table.name, c, enums, table.schema):
                        self._folded.add(("enum", c.type.enum or ""))
                for u in self._inline_uniques(table):
                    self._folded.add(("index", f"{table.name}.{u}"))
            elif isinstance(op, AlterTable):
                for change in op.changes:
                    if isinstance(change, AddColumn) and self._enum_inline(
                        op.table, change.column, enums, op.schema
                    ):
                        self._folded.add(("enum", change.column.type.enum or ""))
        self._created_order = created_tables

    def _pg(self) -> bool:
        return self.dialect in ("postgresql", "postgres", "cockroachdb")

    def _enum_inline(
        self,
        table: str,
        column: ColumnDef,
        enums: dict[str, CreateEnum],
        schema: str | None,
    ) -> bool:
        t = column.type
        if not self._pg() or t.name != "ENUM" or not t.enum or t.array or schema or t.enum_schema:
            return False
        if t.enum != naming.generate_enum_name(table, column.name):
            return False
        return t.enum in enums or self._enum_values(t.enum) is not None

    def _enum_values(self, name: str) -> tuple[str, ...] | None:
        for schema in (self.target, self.source):
            if schema is None:
                continue
            for e in schema.enums:
                if e.name == name:
                    return tuple(v.name for v in e.values)
        return None

    def _uniques(self, schema: Schema | None, table: str) -> set[str] | None:
        if schema is None:
            return None
        t = next((t for t in schema.tables if t.name == table), None)
        return {u.name for u in t.uniques} if t is not None else set()

    def _is_constraint(self, schema: Schema | None, table: str, index: IndexDef) -> bool:
        """A unique key that is a constraint (not a unique index), on PostgreSQL."""
        if not index.unique or not self._pg():
            return False
        names = self._uniques(schema, table)
        if names is None:  # no schema to ask: PostgreSQL's own naming says it
            return bool(index.name and index.name.endswith("_key"))
        return index.name in names

    def _inline_uniques(self, table: TableDef) -> list[str]:
        """The unique constraints of a new table a column's `unique: true` says (PostgreSQL
        names them `<table>_<column>_key`; SQLite `sqlite_autoindex_<table>_<n>`, numbered in
        the order of the table's definition, which `createTable` keeps; a primary key's own
        is the key's)."""
        if self.dialect == "sqlite":
            prefix = f"sqlite_autoindex_{table.name}_"
            return [
                i.name
                for i in table.indexes
                if i.name and i.name.startswith(prefix) and len(i.columns) == 1 and _plain(i)
            ]
        if not self._pg() or table.schema:
            return []
        out = []
        for index in table.indexes:
            if (
                index.unique
                and len(index.columns) == 1
                and index.columns[0].column
                and index.name == f"{table.name}_{index.columns[0].column}_key"
                and self._is_constraint(self.target, table.name, index)
                and _plain(index)
            ):
                out.append(index.name)
        return out

    # -- values -------------------------------------------------------------------------------

    def table_ref(self, name: str, schema: str | None) -> object:
        return {"tableName": name, "schema": schema} if schema else name

    def options(self, **values: object) -> dict[str, object]:
        out = {k: v for k, v in values.items() if v is not None and v is not False}
        if self.transaction:
            out["transaction"] = SHORTHAND
        return out

    def qcall(self, method: str, *args: object, **options: object) -> str:
        opts = self.options(**options)
        if method == "addConstraint":  # (tableName, options): the transaction goes in them
            spec = dict(args[-1])  # type: ignore[call-overload]
            spec.update(opts)
            return call(f"{self.qi}.{method}", [*args[:-1], spec], self.style)
        return call(f"{self.qi}.{method}", [*args, *([opts] if opts else [])], self.style)

    def column_type(self, table: str, column: ColumnDef, schema: str | None) -> Js:
        t = column.type
        if t.name == "ENUM" and t.enum and self._pg():
            if self._enum_inline(table, column, {}, schema) or ("enum", t.enum) in self._folded:
                values = self._enum_values(t.enum)
                if values is not None:
                    listed = ", ".join(self.style.string(v) for v in values)
                    return Js(f"{self.types}.ENUM({listed})")
            raise CannotSay("an enum type of its own name")
        js = data_type(t, self.dialect, self.types, self.style.string)
        return Js(js.expression) if not js.is_raw else Js(self.style.string(js.expression))

    def default(self, d: DefaultDef | None) -> object:
        if d is None or d.kind in ("sequence", "dbgenerated_empty"):
            return None
        sql = d.sql
        if sql is None:
            raise CannotSay("a default known only as its parse node")
        if d.kind == "value":
            m = _STRING.match(sql)
            if m:
                return m.group(1).replace("''", "'")
            if _NUMBER.match(sql) and abs(float(sql)) < 2**53:
                return int(sql) if "." not in sql else float(sql)
            if sql.lower() in ("true", "false"):
                return sql.lower() == "true"
        if sql.lower() == "now()":
            return Js(f"{self.types}.fn({self.style.string('now')})")
        return Js(f"{self.types}.literal({self.style.string(sql)})")

    def attributes(
        self, table: str, column: ColumnDef, schema: str | None, *, change: bool = False
    ) -> dict[str, object]:
        """A column as a Sequelize attribute object (`changeColumn` gets `allowNull: true`
        written out: it drops NOT NULL where the attribute says nothing)."""
        out: dict[str, object] = {"type": self.column_type(table, column, schema)}
        if not column.nullable:
            out["allowNull"] = False
        elif change:
            out["allowNull"] = True
        default = self.default(column.default)
        if default is not None:
            out["defaultValue"] = default
        if column.autoincrement:
            out["autoIncrement"] = True
        return out

    # -- tables -------------------------------------------------------------------------------

    def _create_table(self, op: CreateTable) -> list[str]:
        table = op.table
        if op.as_select or op.if_not_exists:
            raise CannotSay("CREATE TABLE AS / IF NOT EXISTS")
        pk = table.primary_key
        pk_columns = set(pk.column_names) if pk else set()
        if pk and self._pg() and pk.name not in (None, f"{table.name}_pkey"):
            raise CannotSay("a primary key of its own name")
        inline_uniques = {
            u for kind, u in self._folded if kind == "index" and u.startswith(f"{table.name}.")
        }
        position = self._created_order.index(table.name) if table.name in self._created_order else 0
        existing_before = set(self._created_order[: position + 1])
        unique_columns = {
            i.columns[0].column
            for i in table.indexes
            if f"{table.name}.{i.name}" in inline_uniques and i.columns
        }
        attributes: dict[str, object] = {}
        for c in table.columns:
            a = self.attributes(table.name, c, table.schema)
            if c.name in pk_columns:
                a = {"type": a.pop("type"), "primaryKey": True, **a}
            if c.name in unique_columns and c.name not in pk_columns:
                a["unique"] = True
            fk = self._inline_fk(table, c.name, existing_before)
            if fk is not None:
                a["references"] = {
                    "model": self.table_ref(fk.referenced_table, fk.referenced_schema),
                    "key": fk.referenced_columns[0],
                }
                if fk.on_update in ACTIONS:
                    a["onUpdate"] = ACTIONS[fk.on_update]
                if fk.on_delete in ACTIONS:
                    a["onDelete"] = ACTIONS[fk.on_delete]
                self._folded.add(("fk", f"{table.name}.{fk.name}"))
            attributes[c.name] = a
        out = [self.qcall("createTable", self.table_ref(table.name, table.schema), attributes)]
        out += self._checks(table)
        for index in table.indexes:  # MySQL's and SQLite's go with the table, not apart
            inline = f"{table.name}.{index.name}" in inline_uniques
            if (table.name, index.name) not in self._indexed and not inline:
                out.extend(self._create_index(CreateIndex(table.name, index, table.schema)))
        return out

    def _checks(self, table: TableDef) -> list[str]:
        """The table's CHECK constraints (carried by `diff` for a table written whole):
        `createTable` has no word for them, so each is its own `ALTER TABLE` query (SQLite
        cannot add one to a table: there they stay unsaid, as before)."""
        if self.dialect == "sqlite":
            return []
        quote = "`" if not self._pg() else '"'
        name = (f"{quote}{table.schema}{quote}." if table.schema else "") + (
            f"{quote}{table.name}{quote}")  # fmt: skip
        return [
            self.query(f"ALTER TABLE {name} ADD CONSTRAINT {quote}{c.name}{quote} CHECK ({c.raw})")
            for c in table.constraints
            if c.kind == "check" and c.name and c.raw
        ]

    def _inline_fk(self, table: TableDef, column: str, existing: set[str]) -> ForeignKeyDef | None:
        """The foreign key a column's `references` says: on PostgreSQL where it has the
        name PostgreSQL would give it and its table exists by then; on SQLite always (a key
        is part of the table there, unnamed, and checked only when rows are written)."""
        if self.dialect == "sqlite":
            return next(
                (
                    fk
                    for fk in table.foreign_keys
                    if fk.columns == (column,) and len(fk.referenced_columns) == 1
                ),
                None,
            )
        if not self._pg() or table.schema:
            return None
        for fk in table.foreign_keys:
            if (
                fk.columns == (column,)
                and fk.name == f"{table.name}_{column}_fkey"
                and len(fk.referenced_columns) == 1
                and (fk.referenced_table in existing or fk.referenced_table not in self._created())
            ):
                return fk
        return None

    def _created(self) -> set[str]:
        return set(self._created_order)

    def _drop_table(self, op: DropTable) -> list[str]:
        return [self.qcall("dropTable", self.table_ref(op.name, op.schema))]

    def _rename_table(self, op: RenameTable) -> list[str]:
        out = [self.qcall("renameTable", self.table_ref(op.old, op.schema), op.new)]
        for old, new in op.sequences:  # no call renames a serial's sequence
            out.append(self.query(f'ALTER SEQUENCE IF EXISTS "{old}" RENAME TO "{new}"'))
        return out

    def _create_schema(self, op: CreateSchema) -> list[str]:
        if not self._pg():
            raise CannotSay("schemas")
        if op.name == "public" and op.if_not_exists:
            return []  # the connection's own schema is there
        return [self.qcall("createSchema", op.name)]

    # -- enums --------------------------------------------------------------------------------

    def _create_enum(self, op: CreateEnum) -> list[str]:
        if ("enum", op.name[1]) in self._folded and op.name[0] is None:
            return []  # Sequelize.ENUM on the column creates it
        raise CannotSay("an enum type on its own")

    def _alter_enum(self, op: AlterEnum) -> list[str]:
        """Values added (none dropped) on PostgreSQL: `ADD VALUE ... BEFORE` the value each
        comes before, so the type's order is the declared one, as `sync()` creates it (no call
        adds a value; `ALTER TYPE ... ADD VALUE` may run in a transaction since PostgreSQL
        12)."""
        if op.dropped or not self._pg():
            raise CannotSay("values dropped: the type is made again")
        values = list(op.enum.values)
        added = set(op.added)
        name = f'"{op.enum.schema}"."{op.enum.name}"' if op.enum.schema else f'"{op.enum.name}"'
        out = []
        for i, v in enumerate(values):
            if v not in added:
                continue
            before = next((w for w in values[i + 1 :] if w not in added), None)
            sql = f"ALTER TYPE {name} ADD VALUE {_sql_string(v)}"
            if before is not None:
                sql += f" BEFORE {_sql_string(before)}"
            out.append(self.query(sql))
        return out

    def _enum_made_again(self, step: Step, op: AlterEnum) -> list[str]:
        """Values dropped on PostgreSQL: the type is made again and its columns converted
        (the step's SQL), which PostgreSQL refuses while an index's predicate compares a
        column with the old type: those indexes are dropped before and created after."""
        quoted = f'"{op.enum.name}"'
        around: list[tuple[str, str]] = []
        for t in self.source.tables if self.source is not None else []:
            for i in t.indexes:
                if i.predicate and (quoted in i.predicate or op.enum.name in i.predicate):
                    around.append((t.name, i.name))
        out = [self.qcall("removeIndex", table, name) for table, name in around]
        out += [self.query(sql) for sql in _statements(step)]
        for table, name in around:
            index = self._schema_index(self.target, table, name)
            if index is not None:
                out.extend(self._create_index(CreateIndex(table, index)))
        return out

    @staticmethod
    def _schema_index(schema: Schema | None, table: str, name: str) -> IndexDef | None:
        t = next((t for t in schema.tables if t.name == table), None) if schema else None
        i = next((i for i in t.indexes if i.name == name), None) if t else None
        if i is None:
            return None
        parts = tuple(
            IndexPart(c.column, sort=c.sort, ops=c.ops, length=c.length, expression=c.expression)
            for c in i.columns
        )
        method = None if i.method in (None, "btree") else i.method.upper()
        return IndexDef(i.name, parts, i.unique, method, i.predicate, tuple(i.include))

    def _drop_enum(self, op: DropEnum) -> list[str]:
        if not self._pg() or op.enum.schema:
            raise CannotSay("a schema's enum")
        return [self.qcall("dropEnum", op.enum.name)]

    # -- columns ------------------------------------------------------------------------------

    def _rename_column(self, op: RenameColumn) -> list[str]:
        table = self.table_ref(op.table, op.schema)
        return [self.qcall("renameColumn", table, op.old, op.new)]

    def _alter_table(self, op: AlterTable) -> list[str]:
        table = self.table_ref(op.table, op.schema)
        out: list[str] = []
        changed: list[str] = []
        for change in _in_model_order(op):
            if isinstance(change, AddColumn):
                c = change.column
                if change.if_not_exists:
                    raise CannotSay("ADD COLUMN IF NOT EXISTS")
                if change.source is not None:
                    raise CannotSay("a column as SQL text")
                attrs = self.attributes(op.table, c, op.schema)
                if self.dialect == "mysql":
                    attrs.update(_place(op, c.name))
                out.append(self.qcall("addColumn", table, c.name, attrs))
            elif isinstance(change, DropColumn):
                out.append(self.qcall("removeColumn", table, change.name))
            elif isinstance(change, DropAndRecreateColumn):
                out.append(self.qcall("removeColumn", table, change.before.name))
                attrs = self.attributes(op.table, change.after, op.schema)
                out.append(self.qcall("addColumn", table, change.after.name, attrs))
            elif isinstance(
                change, AlterColumnType | SetNotNull | DropNotNull | SetDefault | DropDefault
            ):
                name = change.name
                if isinstance(change, DropDefault) and change.drop_sequence:
                    raise CannotSay("a sequence dropped with the default")
                if name not in changed:
                    changed.append(name)
                    out.extend(self._change_column(op, name))
            elif isinstance(change, ModifyColumn):  # MySQL: the whole column again
                if change.before.name != change.after.name:
                    raise CannotSay("a column renamed by MODIFY")
                attrs = self.attributes(op.table, change.after, op.schema, change=True)
                out.append(self.qcall("changeColumn", table, change.after.name, attrs))
            elif isinstance(change, RenameColumn):
                out.append(self.qcall("renameColumn", table, change.old, change.new))
            elif isinstance(change, AddConstraint) and change.constraint.kind == "primary_key":
                pk = change.constraint
                columns = [p.column or "" for p in pk.columns]
                out.append(
                    self.qcall(
                        "addConstraint",
                        table,
                        self.constraint(op.table, "primary key", columns, pk.name, op.schema),
                    )
                )
            elif isinstance(change, AddConstraint) and change.constraint.kind == "check":
                out.append(self._add_check(op.table, change.constraint, op.schema, op.after))
            elif isinstance(change, DropConstraint):  # a primary or foreign key, a check
                if not change.name:
                    raise CannotSay(f"a {change.kind or 'constraint'} without a name")
                out.append(self.qcall("removeConstraint", table, change.name))
            elif isinstance(change, DropIndex):
                out.extend(self._drop_index(change))
            else:
                raise CannotSay(change.kind)
        return out

    def _change_column(self, op: AlterTable, name: str) -> list[str]:
        after = op.after.column(name) if op.after is not None else None
        if after is None:
            raise CannotSay("the column after the change is not known")
        if after.autoincrement or (after.default and after.default.kind == "sequence"):
            raise CannotSay("changeColumn drops a sequence default")
        if after.type.name == "ENUM" and self._pg():
            raise CannotSay("changeColumn creates the enum type again")
        if any(
            isinstance(c, AlterColumnType) and c.name == name and isinstance(c.using, str)
            for c in op.changes
        ):
            raise CannotSay("a type change USING a cast (changeColumn writes no USING)")
        attrs = self.attributes(op.table, after, op.schema, change=True)
        out = [self.qcall("changeColumn", self.table_ref(op.table, op.schema), name, attrs)]
        retyped = any(isinstance(c, AlterColumnType) and c.name == name for c in op.changes)
        if retyped and after.default is not None and after.default.sql:
            # changeColumn sets the default before the type, so PostgreSQL keeps it cast to
            # the old type (`'member'::character varying`): set it again for the new one
            table = f'"{op.schema}"."{op.table}"' if op.schema else f'"{op.table}"'
            out.append(
                self.query(
                    f'ALTER TABLE {table} ALTER COLUMN "{name}" SET DEFAULT {after.default.sql}'
                )
            )
        return out

    # -- indexes and constraints --------------------------------------------------------------

    def constraint(
        self,
        table: str,
        kind: str,
        fields: list[str],
        name: str | None,
        schema: str | None,
        **more: object,
    ) -> dict[str, object]:
        out: dict[str, object] = {"type": kind, "fields": fields}
        default = None
        if kind in ("unique", "primary key", "check"):
            sequelize_kind = {"unique": "UNIQUE", "primary key": "PRIMARY KEY", "check": "CHECK"}
            try:
                default = naming.constraint_name(
                    table,
                    sequelize_kind[kind],  # type: ignore[arg-type]
                    fields,
                    dialect=_orm(self.dialect),
                )
            except Exception:  # a name Sequelize would refuse: give ours
                default = None
        if name and name != default:
            out["name"] = name
        out.update(more)
        return out

    def _create_index(self, op: CreateIndex) -> list[str]:
        index = op.index
        if ("index", f"{op.table}.{index.name}") in self._folded:
            return []
        table = self.table_ref(op.table, op.schema)
        if op.if_not_exists or index.include or index.fulltext:
            raise CannotSay("IF NOT EXISTS / INCLUDE / FULLTEXT")
        if self._is_constraint(self.target, op.table, index):
            if not _plain(index):
                raise CannotSay("a unique constraint over expressions")
            fields = [p.column or "" for p in index.columns]
            if op.concurrently:  # the safe plan: built without a lock, then the constraint
                qualified = f'"{op.schema}"."{op.table}"' if op.schema else f'"{op.table}"'
                return [
                    self.qcall(
                        "addIndex", table, fields, name=index.name, unique=True, concurrently=True
                    ),
                    self.query(
                        f'ALTER TABLE {qualified} ADD CONSTRAINT "{index.name}" '
                        f'UNIQUE USING INDEX "{index.name}"'
                    ),
                ]
            return [
                self.qcall(
                    "addConstraint",
                    table,
                    self.constraint(op.table, "unique", fields, index.name, op.schema),
                )
            ]
        fields: list[object] = []
        for part in index.columns:
            if part.nulls or part.collation or part.raw is not None:
                raise CannotSay("NULLS FIRST / LAST, COLLATE")
            if part.column is None:
                fields.append(Js(f"{self.types}.literal({self.style.string(part.name)})"))
                continue
            extra: dict[str, object] = {}
            if part.sort == "desc":
                extra["order"] = "DESC"
            if part.length:
                extra["length"] = part.length
            if part.ops:
                extra["operator"] = part.ops
            fields.append({"name": part.column, **extra} if extra else part.column)
        names = [f if isinstance(f, str) else None for f in fields]
        default = None
        if all(names):
            default = naming.add_index_name(op.table, names, _orm(self.dialect))  # type: ignore[arg-type]
        name = index.name if index.name != default else None
        predicate = index.predicate
        if predicate is not None and not isinstance(predicate, str):
            raise CannotSay("a predicate known only as its parse node")
        where = Js(f"{self.types}.literal({self.style.string(predicate)})") if predicate else None
        opts: dict[str, object] = {}
        if name:
            opts["name"] = name
        if index.unique:
            opts["unique"] = True
        if index.method:
            opts["using"] = index.method
        if where is not None:
            opts["where"] = where
        if op.concurrently:
            opts["concurrently"] = True
        return [self.qcall("addIndex", table, fields, **opts)]

    def _drop_index(self, op: DropIndex) -> list[str]:
        if not op.index.name:
            raise CannotSay("an index without a name")
        if op.index.name.startswith("sqlite_autoindex_") and op.table in self._dropped:
            return []  # a UNIQUE's own index, gone with its table (it cannot be dropped)
        table = self.table_ref(op.table, op.schema)
        if self._is_constraint(self.source, op.table, op.index):
            return [self.qcall("removeConstraint", table, op.index.name)]
        if op.if_exists:
            raise CannotSay("DROP INDEX IF EXISTS")
        return [self.qcall("removeIndex", table, op.index.name, concurrently=op.concurrently)]

    def _add_check(
        self, table: str, check: ConstraintDef, schema: str | None, after: TableDef | None
    ) -> str:
        """`addConstraint(table, { type: "check", fields, where: Sequelize.literal(...) })`:
        Sequelize writes `CONSTRAINT name CHECK (<where>)`, a literal as it is; `fields` (which
        it requires, and names a nameless check after) are the table's columns the condition
        names."""
        if not isinstance(check.raw, str) or check.not_null_of is not None:
            raise CannotSay("a check known only as its parse node")
        if self.dialect == "sqlite":
            raise CannotSay("a CHECK added to a SQLite table")
        columns = [c.name for c in after.columns] if after is not None else []
        named = set(_CHECK_WORD.findall(check.raw)) | {
            q.replace('""', '"') for q in _CHECK_QUOTED.findall(check.raw)
        }
        fields = [c for c in columns if c in named] or columns[:1]
        if not fields:
            raise CannotSay("a check on a table whose columns are not known")
        where = Js(f"{self.types}.literal({self.style.string(check.raw)})")
        spec = self.constraint(table, "check", fields, check.name, schema, where=where)
        if "name" not in spec and check.name:
            spec = {"name": check.name, **spec}
        return self.qcall("addConstraint", self.table_ref(table, schema), spec)

    def _add_constraint(self, op: AddConstraint) -> list[str]:
        """A foreign key added after the tables (`addConstraint`); another kind is its SQL."""
        if op.constraint.kind != "foreign_key" or op.table is None:
            raise CannotSay(f"{op.constraint.kind} constraint")
        fk = op.constraint.as_foreign_key()
        if ("fk", f"{op.table}.{fk.name}") in self._folded:
            return []
        if op.constraint.not_valid:
            raise CannotSay("NOT VALID")
        references: dict[str, object] = {
            "table": self.table_ref(fk.referenced_table, fk.referenced_schema)
        }
        if len(fk.referenced_columns) == 1:
            references["field"] = fk.referenced_columns[0]
        else:
            references["fields"] = list(fk.referenced_columns)
        more: dict[str, object] = {"references": references}
        # MySQL prints NO ACTION as it was written and RESTRICT where nothing was: say it
        actions = ACTIONS if self._pg() else {**ACTIONS, "NoAction": "NO ACTION"}
        if fk.on_delete in actions:
            more["onDelete"] = actions[fk.on_delete]
        if fk.on_update in actions:
            more["onUpdate"] = actions[fk.on_update]
        spec = self.constraint(
            op.table, "foreign key", list(fk.columns), fk.name, op.schema, **more
        )
        if "name" not in spec and fk.name:
            spec = {"name": fk.name, **spec}
        table = self.table_ref(op.table, op.schema)
        return [self.qcall("addConstraint", table, spec)]


_CHECK_WORD = re.compile(r"(?<![\w'\"])([A-Za-z_]\w*)")
_CHECK_QUOTED = re.compile(r'"((?:[^"]|"")+)"')


def _statements(step: Step) -> list[str]:
    """A step's SQL for a migration that runs in its own transaction (or none): the
    engine's `BEGIN` / `COMMIT` around an enum change left out."""
    return [s for s in step.statements if s.strip().upper() not in ("BEGIN", "COMMIT")]


def _children_dropped_first(steps: list[Step]) -> list[Step]:
    """Each run of dropped tables reordered so that a table goes after those whose foreign
    keys point at it (their keys are not dropped apart where a key is part of its table, as
    on SQLite, which checks them when the parent goes)."""
    out: list[Step] = []
    run: list[Step] = []
    for step in [*steps, None]:
        if step is not None and isinstance(step.operation, DropTable):
            run.append(step)
            continue
        while run:
            names = {s.operation.name for s in run}  # type: ignore[union-attr]
            referenced = {
                fk.referenced_table
                for s in run
                if s.operation.table is not None  # type: ignore[union-attr]
                for fk in s.operation.table.foreign_keys  # type: ignore[union-attr]
                if fk.referenced_table != s.operation.name  # type: ignore[union-attr]
            }
            ready = [s for s in run if s.operation.name not in referenced & names]  # type: ignore[union-attr]
            ready = ready or run[:1]  # a cycle: as the diff ordered them
            out.extend(ready)
            run = [s for s in run if s not in ready]
        if step is not None:
            out.append(step)
    return out


def _in_model_order(op: AlterTable) -> list[object]:
    """The changes, the columns added in the models' order (MySQL's `AFTER` names the column
    before, which must be there by then)."""
    changes = list(op.changes)
    if op.after is None:
        return changes
    order = {c.name: i for i, c in enumerate(op.after.columns)}
    added = sorted(
        (c for c in changes if isinstance(c, AddColumn)),
        key=lambda c: order.get(c.column.name, len(order)),
    )
    it = iter(added)
    return [next(it) if isinstance(c, AddColumn) else c for c in changes]


def _place(op: AlterTable, column: str) -> dict[str, object]:
    """MySQL's `after` / `first` attribute: where the models put the column (columns are
    added in their order, so the one before it is there already), as the SQL target's
    `AFTER`; nothing for the last one."""
    if op.after is None:
        return {}
    names = [c.name for c in op.after.columns]
    i = names.index(column) if column in names else -1
    if i < 0 or i == len(names) - 1:
        return {}
    return {"after": names[i - 1]} if i > 0 else {"first": True}


def _sql_string(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _plain(index: IndexDef) -> bool:
    return all(
        p.column and not (p.sort == "desc" or p.length or p.ops or p.nulls or p.collation)
        for p in index.columns
    )


def _orm(dialect: str) -> str:
    return {"postgresql": "postgres", "cockroachdb": "postgres"}.get(dialect, dialect)


def _snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def transactional(dialect: str) -> bool:
    """Whether DDL can run in the migration's transaction (MySQL commits each statement)."""
    return dialect not in ("mysql", "mariadb")

"""Applying operations to the replay's state, the same way for every dialect.

What differs between databases is asked of the dialect's `Rules` (name folding, how a default
or an expression renders, whether a foreign key brings its own index, whether index names are
per table). Something impossible at that point of the history (altering a table that does not
exist, creating one that does) is a finding on the statement, and the replay goes on, as the
statement had done nothing.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace

from schemasense.codegen.ddl import statements as ops
from schemasense.codegen.schema import Span
from schemasense.server.findings import Finding
from schemasense.server.migrations import problems
from schemasense.server.migrations.model import Touch
from schemasense.server.migrations.state import (
    ColumnState,
    ConstraintState,
    EnumState,
    IndexState,
    Key,
    KeyPart,
    SchemaState,
    SeqRef,
    SequenceState,
    TableState,
    TypeRef,
    make,
)


class Context:
    """One statement being applied: where it is, what it touched, what went wrong."""

    __slots__ = ("failed", "file", "findings", "offset", "skipped", "span", "touches")

    def __init__(self, file: str, offset: int, span: tuple[int, int]) -> None:
        self.file = file
        self.offset = offset
        self.span = span
        self.findings: list[Finding] = []
        self.touches: list[Touch] = []
        self.failed = False
        self.skipped = False

    def range(self, sub: tuple[int, int] | None = None) -> tuple[int, int]:
        start, end = sub or self.span
        return (start + self.offset, end + self.offset)

    def to_span(self, sub: tuple[int, int] | None = None) -> Span:
        start, end = self.range(sub)
        return make(Span, file=self.file, start=start, end=end)

    def missing(self, kind: str, name: str, context: str = "", sub=None) -> None:
        self.failed = True
        self.findings.append(problems.missing(self.file, self.range(sub), kind, name, context))

    def exists(self, kind: str, name: str, sub=None) -> None:
        self.failed = True
        self.findings.append(problems.already_exists(self.file, self.range(sub), kind, name))

    def touch(self, kind: str, name: str, verb: str, table: str | None = None) -> None:
        self.touches.append(Touch(kind, name, verb, table))


def _display(name: ops.QName) -> str:
    return name[1] if name[0] is None else f"{name[0]}.{name[1]}"


# -- tables ---------------------------------------------------------------------------------------


def _new_column(
    state: SchemaState, table: TableState, col: ops.ColumnDef, ctx: Context, seq_owner: bool = True
) -> ColumnState:
    rules = state.rules
    column = ColumnState(col.name, col.type, not col.not_null, ctx.to_span(col.span))
    column.identity = col.identity
    column.auto_increment = col.autoincrement
    column.comment = col.comment
    if col.generated is not None:
        column.generated = rules.generated_text(col.generated, table, state)
    if col.identity is not None:
        column.nullable = False
    if col.type.serial is not None:
        column.type = ops.SqlType(native=col.type.serial)
        column.nullable = False
        column.auto_increment = True
        if seq_owner:
            seq = _serial_sequence(state, table, col.name)
            state.sequences[seq] = SequenceState(
                seq[0],
                _seq_name(state, seq),
                owned_by=((table.schema, rules.key(table.name)), rules.key(col.name)),
            )
            column.default = ("nextval('", SeqRef(seq), "'::regclass)")
    elif col.default is not None:
        column.default = rules.cook_default(col.default.raw, column, table, state)
    return column


def _seq_name(state: SchemaState, key: Key) -> str:
    return key[1]


def _serial_sequence(state: SchemaState, table: TableState, column: str) -> Key:
    """PostgreSQL's name for a serial column's sequence: `<table>_<column>_seq`, shortened to
    63 bytes the way `makeObjectName` does, then made unique with a number."""
    base = _object_name(table.name, column, "seq")
    name = base
    n = 0
    # each mapping asked on its own: a union of their keys costs the whole schema per column
    # (quadratic in the number of tables: 17 s of a 3,000-table replay)
    taken = (state.index_owner, state.sequences, state.tables)
    while any((table.schema, name) in names for names in taken):
        n += 1
        name = _object_name(table.name, column, f"seq{n}")
    return (table.schema, name)


def _object_name(name1: str, name2: str | None, label: str, limit: int = 63) -> str:
    """PostgreSQL's `makeObjectName`: `name1_name2_label`, the longer of the two names cut
    first until the whole fits in `limit` bytes."""
    overhead = len(label.encode()) + 1 + (1 if name2 else 0)
    b1 = name1.encode()
    b2 = (name2 or "").encode()
    avail = limit - overhead
    while len(b1) + len(b2) > avail:
        if len(b1) > len(b2):
            b1 = b1[:-1]
        else:
            b2 = b2[:-1]
    n1 = b1.decode(errors="ignore")
    n2 = b2.decode(errors="ignore")
    return f"{n1}_{n2}_{label}" if name2 else f"{n1}_{label}"


def _create_table(state: SchemaState, op: ops.CreateTable, ctx: Context) -> None:
    name = op.qname
    key = state.qkey(name)
    if key in state.tables or key in state.index_owner or key in state.sequences:
        if op.if_not_exists:
            ctx.skipped = True
            return
        ctx.exists("table", _display(name))
        return
    schema = key[0] if name[0] is None else name[0]
    if name[0] is None:
        schema = state.rules.default_schema
    table = TableState(schema, name[1], "table", ctx.to_span())
    state.tables[key] = table
    ctx.touch("table", name[1], "create")
    for col in op.columns:
        ckey = state.rules.key(col.name)
        if ckey in table.columns:
            ctx.exists("column", col.name, col.span)
            continue
        table.columns[ckey] = _new_column(state, table, col, ctx)
    constraints = [c for col in op.columns for c in col.constraints] + list(op.constraints)
    if state.rules.name in ("postgresql", "sqlite"):
        constraints = _without_redundant_keys(constraints)
    for constraint in constraints:
        _add_constraint(state, table, constraint, ctx)


def _without_redundant_keys(constraints: list[ops.ConstraintDef]) -> list[ops.ConstraintDef]:
    """PostgreSQL's CREATE TABLE drops a UNIQUE / PRIMARY KEY that repeats an earlier one of
    the same statement (the primary key counts as the first), and a dropped named one gives
    its name to the unnamed one it repeats (`transformIndexConstraints`, parse_utilcmd.c:
    "remove any redundant index specifications"): `UNIQUE (a, b), PRIMARY KEY (a, b)` is
    the primary key alone. SQLite's does the same (build.c, `sqlite3CreateIndex`: "two or
    more UNIQUE or PRIMARY KEY constraints on the same set of columns" make one index, the
    primary key's). Sequelize writes both for a join table paired twice (tests/verify/
    test_sequelize_sync.py sees it on both databases)."""

    def shape(c: ops.ConstraintDef) -> tuple:
        parts = tuple(
            (p.column, str(p.raw) if p.raw is not None else None, p.sort, p.ops, p.collation)
            for p in c.columns
        )
        return (parts, c.include, c.using_index)

    keys = [c for c in constraints if c.kind == "primary_key"][:1]
    keys += [c for c in constraints if c.kind == "unique"]
    kept: list[ops.ConstraintDef] = []
    renamed: dict[int, ops.ConstraintDef] = {}
    dropped: set[int] = set()
    for c in keys:
        prior = next((k for k in kept if shape(k) == shape(c)), None)
        if prior is None or c.using_index is not None:
            kept.append(c)
            continue
        dropped.add(id(c))
        if prior.name is None and c.name is not None:
            renamed[id(prior)] = replace(renamed.get(id(prior), prior), name=c.name)
    return [renamed.get(id(c), c) for c in constraints if id(c) not in dropped]


def _table(
    state: SchemaState,
    name: ops.QName,
    ctx: Context,
    if_exists: bool = False,
    kinds: tuple[str, ...] = ("table",),
) -> TableState | None:
    table = state.tables.get(state.qkey(name))
    if table is None or table.kind not in kinds:
        if if_exists:
            ctx.skipped = True
        else:
            ctx.missing(kinds[0].replace("_", " "), _display(name))
        return None
    return table


def _drop_table(state: SchemaState, table: TableState, cascade: bool) -> None:
    rules = state.rules
    key = (table.schema, rules.key(table.name))
    del state.tables[key]
    for owner_key, owner in list(state.index_owner.items()):
        if owner == key:
            del state.index_owner[owner_key]
    for seq_key, seq in list(state.sequences.items()):
        if seq.owned_by is not None and seq.owned_by[0] == key:
            del state.sequences[seq_key]
    if rules.name == "postgresql":
        # CASCADE (and Prisma's order, which drops the keys first) removes the foreign keys
        # pointing here; SQLite and MySQL keep them, by name.
        for other in state.tables.values():
            if any(fk.ref_table == key for fk in other.foreign_keys):
                other.foreign_keys = [fk for fk in other.foreign_keys if fk.ref_table != key]


def _drop_relation(
    state: SchemaState, kind: str, name: ops.QName, if_exists: bool, cascade: bool, ctx: Context
) -> None:
    """`DROP TABLE` / `DROP VIEW` / `DROP MATERIALIZED VIEW` of `name` (`kind`)."""
    table = state.tables.get(state.qkey(name))
    if table is None or table.kind != kind:
        if if_exists:
            ctx.skipped = True
        else:
            ctx.missing(kind.replace("_", " "), _display(name))
        return
    _drop_table(state, table, cascade)
    ctx.touch(kind, table.name, "drop")


def _drop_table_op(state: SchemaState, op: ops.DropTable, ctx: Context) -> None:
    _drop_relation(state, "table", op.qname, op.if_exists, op.cascade, ctx)


def _drop_index_op(state: SchemaState, op: ops.DropIndex, ctx: Context) -> None:
    on_table = (op.schema, op.table) if op.table is not None else None
    _drop_index(state, (op.schema, op.name or ""), on_table, op.if_exists, ctx)


def _drop_objects(state: SchemaState, op: ops.DropObjects, ctx: Context) -> None:
    rules = state.rules
    for name in op.names:
        key = state.qkey(name)
        if op.kind in ("view", "materialized_view"):
            _drop_relation(state, op.kind, name, op.if_exists, op.cascade, ctx)
        elif op.kind in ("type", "domain"):
            if key in state.enums:
                enum = state.enums.pop(key)
                ctx.touch("enum", enum.name, "drop")
            elif key in state.other_types:
                state.other_types.discard(key)
                ctx.touch("type", name[1], "drop")
            elif op.if_exists:
                ctx.skipped = True
            else:
                ctx.missing("type", _display(name))
        elif op.kind == "sequence":
            if key in state.sequences:
                del state.sequences[key]
                for table in state.tables.values():
                    for col in table.columns.values():
                        if col.default and any(p == SeqRef(key) for p in col.default):
                            col.default = None
                            if col.identity is None:
                                col.auto_increment = False
                ctx.touch("sequence", name[1], "drop")
            elif op.if_exists:
                ctx.skipped = True
            else:
                ctx.missing("sequence", _display(name))
        elif op.kind == "schema":
            skey = rules.key(name[1])
            if skey in state.schemas:
                state.schemas.discard(skey)
                ctx.touch("schema", name[1], "drop")
            elif op.if_exists:
                ctx.skipped = True
            else:
                ctx.missing("schema", name[1])
        elif op.kind == "extension":
            state.extensions.discard(name[1])
            ctx.touch("extension", name[1], "drop")


def _rename_table_op(state: SchemaState, op: ops.RenameTable, ctx: Context) -> None:
    """`ALTER TABLE old RENAME TO new` on its own (PostgreSQL: a view's name too)."""
    kinds = ("table", "view", "materialized_view")
    table = _table(state, op.qname, ctx, op.if_exists, kinds)
    if table is not None:
        _rename_table(state, table, op.new, ctx)


def _rename_index_op(state: SchemaState, op: ops.RenameIndex, ctx: Context) -> None:
    """`ALTER INDEX old RENAME TO new` (the table found by the index's name)."""
    owner = state.index_owner.get(state.qkey((op.schema, op.old)))
    if owner is None:
        if op.if_exists:
            ctx.skipped = True
        else:
            ctx.missing("index", _display((op.schema, op.old)))
        return
    _rename_index(state, state.tables[owner], op.old, op.new, ctx)


def _add_constraint_op(state: SchemaState, op: ops.AddConstraint, ctx: Context) -> None:
    """An `AddConstraint` on its own (what `diff` writes for a foreign key): the one-clause
    `ALTER TABLE` it renders as."""
    _alter_table(state, ops.AlterTable(op.table or "", (op,), schema=op.schema), ctx)


def _rename_object(state: SchemaState, op: ops.RenameObject, ctx: Context) -> None:
    rules = state.rules
    key = state.qkey(op.name)
    if op.kind in ("view", "materialized_view"):
        table = _table(state, op.name, ctx, op.if_exists, (op.kind,))
        if table is not None:
            _rename_table(state, table, op.new_name, ctx)
    elif op.kind == "type":
        enum = state.enums.get(key)
        if enum is None:
            if key in state.other_types:
                state.other_types.discard(key)
                state.other_types.add((key[0], rules.key(op.new_name)))
                return
            ctx.missing("type", _display(op.name))
            return
        new_key = (key[0], rules.key(op.new_name))
        if new_key in state.enums:
            ctx.exists("type", op.new_name)
            return
        del state.enums[key]
        enum.name = op.new_name
        state.enums[new_key] = enum
        _retarget_type(state, key, new_key)
        ctx.touch("enum", op.new_name, "rename")
    elif op.kind == "sequence":
        seq = state.sequences.get(key)
        if seq is None:
            if op.if_exists:
                ctx.skipped = True
            else:
                ctx.missing("sequence", _display(op.name))
            return
        new_key = (key[0], rules.key(op.new_name))
        del state.sequences[key]
        seq.name = op.new_name
        state.sequences[new_key] = seq
        old, new = SeqRef(key), SeqRef(new_key)
        for table in state.tables.values():
            for col in table.columns.values():
                if col.default and old in col.default:
                    col.default = tuple(new if p == old else p for p in col.default)
        ctx.touch("sequence", op.new_name, "rename")
    elif op.kind == "schema":
        ctx.touch("schema", op.new_name, "rename")


def _retarget_type(state: SchemaState, old: Key, new: Key) -> None:
    """After a type's rename or move, columns and defaults that name it follow."""
    rules = state.rules
    for table in state.tables.values():
        for col in table.columns.values():
            t = col.type
            if t.user is not None and state.qkey(t.user) == old:
                user = (None if new[0] == rules.default_schema else new[0], _type_name(state, new))
                col.type = ops.SqlType(native=t.native, user=user, array=t.array)
            if col.default:
                col.default = tuple(
                    TypeRef(new, p.array) if isinstance(p, TypeRef) and p.key == old else p
                    for p in col.default
                )


def _type_name(state: SchemaState, key: Key) -> str:
    enum = state.enums.get(key)
    return enum.name if enum is not None else key[1]


def _rename_table(state: SchemaState, table: TableState, new_name: str, ctx: Context) -> None:
    rules = state.rules
    old_key = (table.schema, rules.key(table.name))
    new_key = (table.schema, rules.key(new_name))
    if new_key != old_key and (new_key in state.tables or new_key in state.index_owner):
        ctx.exists("table", new_name)
        return
    del state.tables[old_key]
    old_name = table.name
    table.name = new_name
    state.tables[new_key] = table
    for owner_key, owner in state.index_owner.items():
        if owner == old_key:
            state.index_owner[owner_key] = new_key
    for seq in state.sequences.values():
        if seq.owned_by is not None and seq.owned_by[0] == old_key:
            seq.owned_by = (new_key, seq.owned_by[1])
    for other in state.tables.values():
        for fk in other.foreign_keys:
            if fk.ref_table == old_key:
                fk.ref_table = new_key
                fk.ref_name = new_name
    hook = getattr(rules, "table_renamed", None)
    if hook is not None:
        hook(table, old_name)
    ctx.touch("table", new_name, "rename")


def _set_schema(state: SchemaState, op: ops.SetObjectSchema, ctx: Context) -> None:
    rules = state.rules
    key = state.qkey(op.name)
    new_schema = rules.key(op.new_schema)
    if op.kind in ("table", "view", "materialized_view"):
        table = state.tables.get(key)
        if table is None:
            if op.if_exists:
                ctx.skipped = True
            else:
                ctx.missing(op.kind, _display(op.name))
            return
        new_key = (new_schema, key[1])
        del state.tables[key]
        table.schema = op.new_schema
        state.tables[new_key] = table
        for owner_key, owner in list(state.index_owner.items()):
            if owner == key:
                del state.index_owner[owner_key]
                state.index_owner[(new_schema, owner_key[1])] = new_key
        for other in state.tables.values():
            for fk in other.foreign_keys:
                if fk.ref_table == key:
                    fk.ref_table = new_key
        # sequences the table's columns own move with it
        for seq_key, seq in list(state.sequences.items()):
            if seq.owned_by is not None and seq.owned_by[0] == key:
                del state.sequences[seq_key]
                moved = (new_schema, seq_key[1])
                seq.schema = op.new_schema
                seq.owned_by = (new_key, seq.owned_by[1])
                state.sequences[moved] = seq
                old_ref, new_ref = SeqRef(seq_key), SeqRef(moved)
                for col in table.columns.values():
                    if col.default and old_ref in col.default:
                        col.default = tuple(new_ref if p == old_ref else p for p in col.default)
        ctx.touch(op.kind, table.name, "alter")
    elif op.kind == "type" and key in state.enums:
        enum = state.enums.pop(key)
        enum.schema = op.new_schema
        new_key = (new_schema, key[1])
        state.enums[new_key] = enum
        _retarget_type(state, key, new_key)
        ctx.touch("enum", enum.name, "alter")


# -- ALTER TABLE ----------------------------------------------------------------------------------


def _alter_table(state: SchemaState, op: ops.AlterTable, ctx: Context) -> None:
    kinds = ("table", "view", "materialized_view")
    table = _table(state, op.qname, ctx, op.if_exists, kinds)
    if table is None:
        return
    for action in op.changes:
        handler = _ACTIONS.get(type(action))
        if handler is not None:
            handler(state, table, action, ctx)
            # a rename moves the table under its new key; later actions follow it
            table = state.tables.get((table.schema, state.rules.key(table.name)), table)


def _column(
    state: SchemaState,
    table: TableState,
    name: str,
    ctx: Context,
    sub=None,
    if_exists: bool = False,
) -> ColumnState | None:
    column = table.columns.get(state.rules.key(name))
    if column is None:
        if if_exists:
            return None
        ctx.missing("column", name, f"in table {table.name!r}", sub)
    return column


def _add_column(state: SchemaState, table: TableState, action: ops.AddColumn, ctx: Context) -> None:
    col = action.column
    ckey = state.rules.key(col.name)
    if ckey in table.columns:
        if not action.if_not_exists:
            ctx.exists("column", col.name, action.span)
        return
    column = _new_column(state, table, col, ctx)
    _place(table, ckey, column, col.position, state)
    ctx.touch("column", col.name, "create", table.name)
    for constraint in col.constraints:
        _add_constraint(state, table, constraint, ctx)


def _place(
    table: TableState,
    ckey: str,
    column: ColumnState,
    position: tuple[str, str | None] | None,
    state: SchemaState,
) -> None:
    if position is None:
        table.columns[ckey] = column
        return
    items = [(k, c) for k, c in table.columns.items() if k != ckey]
    if position[0] == "first":
        items.insert(0, (ckey, column))
    else:
        after = state.rules.key(position[1] or "")
        index = next((i for i, (k, _) in enumerate(items) if k == after), len(items) - 1)
        items.insert(index + 1, (ckey, column))
    table.columns = dict(items)


def _drop_column(
    state: SchemaState, table: TableState, action: ops.DropColumn, ctx: Context
) -> None:
    rules = state.rules
    ckey = rules.key(action.name)
    column = table.columns.get(ckey)
    if column is None:
        if not action.if_exists:
            ctx.missing("column", action.name, f"in table {table.name!r}", action.span)
        return
    del table.columns[ckey]
    ctx.touch("column", column.name, "drop", table.name)
    tkey = (table.schema, rules.key(table.name))

    def uses(names: list[str]) -> bool:
        return any(rules.key(n) == ckey for n in names)

    if rules.name == "mysql":
        # MySQL removes the column from every index; an index left with no columns goes
        for index in list(table.indexes):
            index.parts = [
                p for p in index.parts if p.column is None or rules.key(p.column) != ckey
            ]
            if not index.parts:
                _remove_index(state, table, index)
        if table.primary_key is not None:
            table.primary_key.columns = [
                p
                for p in table.primary_key.columns
                if p.column is None or rules.key(p.column) != ckey
            ]
            if not table.primary_key.columns:
                table.primary_key = None
        table.foreign_keys = [fk for fk in table.foreign_keys if not uses(fk.column_names())]
    else:
        for index in list(table.indexes):
            if uses(index.column_names()) or uses(index.include):
                _remove_index(state, table, index)
        if table.primary_key is not None and uses(table.primary_key.column_names()):
            _remove_constraint(state, table, table.primary_key)
        for unique in list(table.uniques):
            if uses(unique.column_names()) or uses(unique.include):
                _remove_constraint(state, table, unique)
        table.foreign_keys = [fk for fk in table.foreign_keys if not uses(fk.column_names())]
        table.checks = [c for c in table.checks if not _mentions(c.expression or "", column.name)]
    # foreign keys elsewhere that point at the dropped column go with it (CASCADE)
    for other in state.tables.values():
        if other.foreign_keys:
            other.foreign_keys = [
                fk
                for fk in other.foreign_keys
                if not (fk.ref_table == tkey and uses(fk.ref_columns))
            ]
    for seq_key, seq in list(state.sequences.items()):
        if seq.owned_by == (tkey, ckey):
            del state.sequences[seq_key]


def _mentions(expression: str, column: str) -> bool:
    import re

    return (
        re.search(rf'(?<![\w"]){re.escape(column)}(?![\w"])|"{re.escape(column)}"', expression)
        is not None
    )


def _alter_column_type(
    state: SchemaState, table: TableState, action: ops.AlterColumnType, ctx: Context
) -> None:
    column = _column(state, table, action.name, ctx, action.span)
    if column is None:
        return
    new_type = action.type
    if new_type.serial is not None:
        new_type = ops.SqlType(native=new_type.serial)
    column.type = new_type
    if column.default is not None:
        column.default = _recast_default(state, column)
    ctx.touch("column", column.name, "alter", table.name)


def _recast_default(state: SchemaState, column: ColumnState):
    recast = getattr(state.rules, "recast_default", None)
    return recast(column, state) if recast else column.default


def _set_default(
    state: SchemaState, table: TableState, action: ops.SetDefault | ops.DropDefault, ctx: Context
) -> None:
    column = _column(state, table, action.name, ctx, action.span)
    if column is None:
        return
    column.default = (
        state.rules.cook_default(action.default.raw, column, table, state)
        if isinstance(action, ops.SetDefault)
        else None
    )
    if state.rules.provider == "postgresql" and column.identity is None:
        # a serial column auto-increments through its nextval() default: dropping or replacing
        # the default ends that (the sequence stays until dropped), and a nextval() default on
        # a column that owns its sequence starts it, as PostgreSQL's catalog reads
        column.auto_increment = _takes_from_own_sequence(state, table, column)
    ctx.touch("column", column.name, "alter", table.name)


def _takes_from_own_sequence(state: SchemaState, table: TableState, column: ColumnState) -> bool:
    """Whether the column's default is `nextval(...)` and a sequence is owned by the column:
    what makes a PostgreSQL column a serial one."""
    if column.default is None or not state.render_parts(column.default).startswith("nextval("):
        return False
    owner = ((table.schema, state.rules.key(table.name)), state.rules.key(column.name))
    return any(seq.owned_by == owner for seq in state.sequences.values())


def _set_not_null(
    state: SchemaState, table: TableState, action: ops.SetNotNull | ops.DropNotNull, ctx: Context
) -> None:
    column = _column(state, table, action.name, ctx, action.span)
    if column is None:
        return
    column.nullable = isinstance(action, ops.DropNotNull)
    ctx.touch("column", column.name, "alter", table.name)


def _set_identity(
    state: SchemaState, table: TableState, action: ops.SetColumnIdentity, ctx: Context
) -> None:
    column = _column(state, table, action.name, ctx, action.span)
    if column is None:
        return
    column.identity = action.identity
    if action.identity is not None:
        column.nullable = False
    ctx.touch("column", column.name, "alter", table.name)


def _rename_column(
    state: SchemaState, table: TableState, action: ops.RenameColumn, ctx: Context
) -> None:
    rules = state.rules
    old = rules.key(action.old)
    new = rules.key(action.new)
    column = table.columns.get(old)
    if column is None:
        ctx.missing("column", action.old, f"in table {table.name!r}", action.span)
        return
    if new != old and new in table.columns:
        ctx.exists("column", action.new, action.span)
        return
    column.name = action.new
    table.columns = {(new if k == old else k): c for k, c in table.columns.items()}
    _rename_column_references(state, table, old, action.new)
    ctx.touch("column", action.new, "rename", table.name)


def _rename_column_references(
    state: SchemaState, table: TableState, old: str, new_name: str
) -> None:
    """Keys, indexes and foreign keys name columns by name here; a rename follows them."""
    rules = state.rules

    def rename(parts: list[KeyPart]) -> None:
        for p in parts:
            if p.column is not None and rules.key(p.column) == old:
                p.column = new_name

    for c in table.constraints():
        rename(c.columns)
    for i in table.indexes:
        rename(i.parts)
        i.include = [new_name if rules.key(n) == old else n for n in i.include]
    if rules.provider == "postgresql":  # PostgreSQL prints the new name in expressions
        for c in table.checks:
            if c.expression:
                c.expression = _renamed_in_expression(c.expression, old, new_name)
        for i in table.indexes:
            for p in i.parts:
                if p.expression:
                    p.expression = _renamed_in_expression(p.expression, old, new_name)
            if i.predicate:
                i.predicate = _renamed_in_expression(i.predicate, old, new_name)
    tkey = (table.schema, rules.key(table.name))
    for other in state.tables.values():
        for fk in other.foreign_keys:
            if fk.ref_table == tkey:
                fk.ref_columns = [new_name if rules.key(n) == old else n for n in fk.ref_columns]


_EXPRESSION_TOKENS = re.compile(r"'(?:[^']|'')*'|\"(?:[^\"]|\"\")*\"|[A-Za-z_][A-Za-z0-9_$]*|\s+|.")


def _renamed_in_expression(text: str, old: str, new_name: str) -> str:
    """A column's name changed in an expression PostgreSQL printed (`CHECK ((amount <> 0))`):
    a bare identifier equal to the old key, or the quoted old name, becomes the new name as
    PostgreSQL quotes it; not in a string, not a function's name, not a type after `::`."""
    from schemasense.server.migrations.sql.pg_text import quote_ident

    tokens = _EXPRESSION_TOKENS.findall(text)
    out: list[str] = []
    for index, token in enumerate(tokens):
        after = next((t for t in tokens[index + 1 :] if not t.isspace()), "")
        before = next((t for t in reversed(out) if not t.isspace()), "")
        quoted = token.startswith('"') and token[1:-1].replace('""', '"') == old
        bare = token == old and after != "(" and before not in (":", "::")
        out.append(quote_ident(new_name) if quoted or bare else token)
    return "".join(out)


def _replace_column(
    state: SchemaState, table: TableState, action: ops.ModifyColumn, ctx: Context
) -> None:
    rules = state.rules
    old = rules.key(action.name)
    existing = table.columns.get(old)
    if existing is None:
        ctx.missing("column", action.name, f"in table {table.name!r}", action.span)
        return
    col = action.after
    new = rules.key(col.name)
    if new != old and new in table.columns:
        ctx.exists("column", col.name, action.span)
        return
    column = _new_column(state, table, col, ctx)
    column.span = existing.span if col.span is None else column.span
    table.columns = {
        (new if k == old else k): (column if k == old else c) for k, c in table.columns.items()
    }
    if new != old:
        _rename_column_references(state, table, old, col.name)
    if col.position is not None:
        _place(table, new, column, col.position, state)
    for constraint in col.constraints:
        _add_constraint(state, table, constraint, ctx)
    ctx.touch("column", col.name, "alter", table.name)


# -- constraints ----------------------------------------------------------------------------------


def _key_parts(
    state: SchemaState, table: TableState, parts: tuple[ops.IndexPart, ...]
) -> list[KeyPart]:
    out = []
    for p in parts:
        if p.column is not None:
            column = table.columns.get(state.rules.key(p.column))
            out.append(
                KeyPart(
                    column=column.name if column else p.column,
                    sort=p.sort,
                    nulls=p.nulls,
                    ops=p.ops,
                    length=p.length,
                )
            )
        else:
            out.append(
                KeyPart(
                    expression=state.rules.expr_text(p.raw, table, state),
                    sort=p.sort,
                    nulls=p.nulls,
                    ops=p.ops,
                    length=p.length,
                )
            )
    return out


def _constraint_names(table: TableState, state: SchemaState) -> set[str]:
    key = state.rules.key
    return {key(c.name) for c in table.constraints() if c.name}


def _add_constraint(
    state: SchemaState, table: TableState, c: ops.ConstraintDef, ctx: Context
) -> None:
    rules = state.rules
    tkey = (table.schema, rules.key(table.name))
    name = c.name or rules.constraint_name(c, table, state)
    if c.kind == "primary_key" and not getattr(rules, "named_primary_keys", True):
        name = None
    if c.name and rules.key(c.name) in _constraint_names(table, state):
        ctx.exists("constraint", c.name, c.span)
        return
    span = ctx.to_span(c.span)
    if c.kind in ("primary_key", "unique"):
        if c.kind == "primary_key" and table.primary_key is not None:
            ctx.exists("primary key", table.name, c.span)
            return
        if c.using_index is not None:
            ikey = (table.schema, rules.key(c.using_index))
            index = next((i for i in table.indexes if rules.key(i.name) == ikey[1]), None)
            if index is None:
                ctx.missing("index", c.using_index, "", c.span)
                return
            table.indexes.remove(index)
            state.index_owner.pop(ikey, None)
            parts = index.parts
            name = c.name or index.name
        else:
            parts = _key_parts(state, table, c.columns)
        if rules.unique_constraint_is_index and c.kind == "unique":
            index = IndexState(name, span)
            index.parts = parts
            index.unique = True
            _attach_index(state, table, index)
            ctx.touch("index", name, "create", table.name)
            return
        constraint = ConstraintState(c.kind, name, span)
        constraint.columns = parts
        constraint.include = list(c.include)
        if c.kind == "primary_key":
            table.primary_key = constraint
            for p in parts:
                col = table.columns.get(rules.key(p.column)) if p.column else None
                if col is not None and rules.primary_key_not_null:
                    col.nullable = False
        else:
            table.uniques.append(constraint)
        if not rules.index_names_per_table and name:
            state.index_owner[(table.schema, rules.key(name))] = tkey
        ctx.touch("constraint", name or "", "create", table.name)
    elif c.kind == "foreign_key":
        constraint = ConstraintState("foreign_key", name, span)
        constraint.columns = [KeyPart(column=p.column) for p in c.columns]
        ref_key = state.qkey(c.ref_table) if c.ref_table else tkey
        ref = state.tables.get(ref_key)
        if ref is None and rules.name == "postgresql":
            ctx.missing(
                "table",
                _display(c.ref_table or (None, table.name)),
                "(the foreign key's target)",
                c.span,
            )
            return
        constraint.ref_table = ref_key
        constraint.ref_name = c.ref_table[1] if c.ref_table else table.name
        ref_columns = list(c.ref_columns)
        if not ref_columns and ref is not None and ref.primary_key is not None:
            ref_columns = ref.primary_key.column_names()
        if ref is not None and not getattr(rules, "fk_reference_by_text", False):
            ref_columns = [
                (col.name if (col := ref.columns.get(rules.key(n))) else n) for n in ref_columns
            ]
        constraint.ref_columns = ref_columns
        constraint.on_delete = c.on_delete
        constraint.on_update = c.on_update
        constraint.not_valid = c.not_valid
        table.foreign_keys.append(constraint)
        if rules.fk_creates_index:
            _ensure_fk_index(state, table, constraint, c.name)
        ctx.touch("constraint", name or "", "create", table.name)
    elif c.kind == "check":
        constraint = ConstraintState("check", name, span)
        constraint.expression = rules.check_text(c.raw, table, state)
        constraint.not_valid = c.not_valid
        table.checks.append(constraint)
        ctx.touch("constraint", name or "", "create", table.name)
    elif c.kind == "exclude":  # known by name (`TableState.exclusions`)
        table.exclusions.append(ConstraintState("exclude", name, span))
        ctx.touch("constraint", name or "", "create", table.name)


def _ensure_fk_index(
    state: SchemaState, table: TableState, fk: ConstraintState, symbol: str | None = None
) -> None:
    """MySQL gives a foreign key an index unless one already starts with its columns (the
    primary key counts), named after the constraint's `CONSTRAINT symbol` when it has one, else
    after its first column (MySQL 8 manual, "FOREIGN KEY Constraints": "the foreign key index
    name is generated using the name of the referencing foreign key column"; MariaDB does the
    same: `FOREIGN KEY (authorId) REFERENCES ...` gives the index `authorId`, not the
    constraint's generated `<table>_ibfk_<n>`)."""
    key = state.rules.key
    cols = [key(n) for n in fk.column_names()]

    def covers(parts: list[KeyPart]) -> bool:
        names = [key(p.column) if p.column else "" for p in parts]
        return names[: len(cols)] == cols

    if table.primary_key is not None and covers(table.primary_key.columns):
        return
    if any(covers(i.parts) for i in table.indexes):
        return
    name = symbol or fk.column_names()[0]
    taken = {key(i.name) for i in table.indexes}
    base, n = name, 1
    while key(name) in taken:
        n += 1
        name = f"{base}_{n}"
    index = IndexState(name, fk.span)
    index.parts = [KeyPart(column=n) for n in fk.column_names()]
    index.auto = True
    _attach_index(state, table, index)


def _remove_constraint(state: SchemaState, table: TableState, c: ConstraintState) -> None:
    rules = state.rules
    if c is table.primary_key:
        table.primary_key = None
    elif c in table.uniques:
        table.uniques.remove(c)
    elif c in table.foreign_keys:
        table.foreign_keys.remove(c)
    elif c in table.checks:
        table.checks.remove(c)
    elif c in table.exclusions:
        table.exclusions.remove(c)
    if c.kind in ("primary_key", "unique") and c.name and not rules.index_names_per_table:
        state.index_owner.pop((table.schema, rules.key(c.name)), None)


def _drop_constraint(
    state: SchemaState, table: TableState, action: ops.DropConstraint, ctx: Context
) -> None:
    rules = state.rules
    if action.kind == "primary_key" and action.name is None:
        if table.primary_key is None:
            ctx.missing("primary key", table.name, "", action.span)
            return
        _remove_constraint(state, table, table.primary_key)
        ctx.touch("constraint", "PRIMARY", "drop", table.name)
        return
    assert action.name is not None
    name = rules.key(action.name)
    found = next((c for c in table.constraints() if c.name and rules.key(c.name) == name), None)
    if found is None and rules.unique_constraint_is_index and action.kind in (None, "unique"):
        index = next((i for i in table.indexes if rules.key(i.name) == name and i.unique), None)
        if index is not None:
            _remove_index(state, table, index)
            ctx.touch("index", index.name, "drop", table.name)
            return
    if found is None or (action.kind is not None and found.kind != action.kind):
        if not action.if_exists:
            ctx.missing("constraint", action.name, f"on table {table.name!r}", action.span)
        return
    _remove_constraint(state, table, found)
    if found.kind in ("primary_key", "unique") and rules.name == "postgresql":
        # with CASCADE (or in Prisma's order, after them) foreign keys on the key go too
        tkey = (table.schema, rules.key(table.name))
        cols = [rules.key(n) for n in found.column_names()]
        for other in state.tables.values():
            other.foreign_keys = [
                fk
                for fk in other.foreign_keys
                if not (
                    fk.ref_table == tkey
                    and [rules.key(n) for n in fk.ref_columns] == cols
                    and action.cascade
                )
            ]
    ctx.touch("constraint", found.name or "", "drop", table.name)


def _validate_constraint(
    state: SchemaState, table: TableState, action: ops.ValidateConstraint, ctx: Context
) -> None:
    key = state.rules.key(action.name)
    found = next(
        (c for c in table.constraints() if c.name and state.rules.key(c.name) == key), None
    )
    if found is None:
        ctx.missing("constraint", action.name, f"on table {table.name!r}", action.span)
        return
    found.not_valid = False
    ctx.touch("constraint", found.name or "", "alter", table.name)


def _rename_constraint(
    state: SchemaState, table: TableState, action: ops.RenameConstraint, ctx: Context
) -> None:
    rules = state.rules
    key = rules.key(action.name)
    found = next((c for c in table.constraints() if c.name and rules.key(c.name) == key), None)
    if found is None:
        ctx.missing("constraint", action.name, f"on table {table.name!r}", action.span)
        return
    if found.kind in ("primary_key", "unique") and not rules.index_names_per_table:
        tkey = state.index_owner.pop((table.schema, key), None)
        if tkey is not None:
            state.index_owner[(table.schema, rules.key(action.new_name))] = tkey
    found.name = action.new_name
    ctx.touch("constraint", action.new_name, "rename", table.name)


# -- indexes --------------------------------------------------------------------------------------


def _attach_index(state: SchemaState, table: TableState, index: IndexState) -> None:
    rules = state.rules
    table.indexes.append(index)
    if not rules.index_names_per_table:
        state.index_owner[(table.schema, rules.key(index.name))] = (
            table.schema,
            rules.key(table.name),
        )
    if rules.fk_creates_index and not index.auto:
        # an index that now serves a foreign key replaces the one MySQL made for it
        cols = [rules.key(p.column) if p.column else "" for p in index.parts]
        for other in list(table.indexes):
            if other.auto and other is not index:
                need = [rules.key(n) for n in other.column_names()]
                if cols[: len(need)] == need:
                    table.indexes.remove(other)


def _remove_index(state: SchemaState, table: TableState, index: IndexState) -> None:
    rules = state.rules
    table.indexes.remove(index)
    if not rules.index_names_per_table:
        state.index_owner.pop((table.schema, rules.key(index.name)), None)
    if rules.fk_creates_index:
        for fk in table.foreign_keys:
            _ensure_fk_index(state, table, fk)


def _build_index(
    state: SchemaState, table: TableState, idx: ops.IndexDef, ctx: Context, if_not_exists=False
) -> IndexState | None:
    rules = state.rules
    name = idx.name or rules.index_name(idx, table, state)
    if rules.index_names_per_table:
        taken = any(rules.key(i.name) == rules.key(name) for i in table.indexes)
    else:
        taken = (table.schema, rules.key(name)) in state.index_owner or (
            table.schema,
            rules.key(name),
        ) in state.tables
    if taken:
        if if_not_exists:
            ctx.skipped = True
        else:
            ctx.exists("index", name, idx.span)
        return None
    for p in idx.columns:
        if p.column is not None and rules.key(p.column) not in table.columns:
            ctx.missing("column", p.column, f"in table {table.name!r}", idx.span)
            return None
    index = IndexState(name, ctx.to_span(idx.span))
    index.parts = _key_parts(state, table, idx.columns)
    index.unique = idx.unique
    index.method = None if idx.fulltext else rules.index_method(idx)
    index.include = [
        (col.name if (col := table.columns.get(rules.key(n))) else n) for n in idx.include
    ]
    index.fulltext = idx.fulltext
    if idx.predicate is not None:
        index.predicate = rules.predicate_text(idx.predicate, table, state)
    return index


def _create_index(state: SchemaState, op: ops.CreateIndex, ctx: Context) -> None:
    table = _table(state, op.qname, ctx, kinds=("table", "materialized_view"))
    if table is None:
        return
    index = _build_index(state, table, op.index, ctx, op.if_not_exists)
    if index is None:
        return
    _attach_index(state, table, index)
    ctx.touch("index", index.name, "create", table.name)


def _add_index(
    state: SchemaState, table: TableState, action: ops.CreateIndex, ctx: Context
) -> None:
    """MySQL's `ALTER TABLE t ADD INDEX` clause (the table is the statement's)."""
    index = _build_index(state, table, action.index, ctx, action.if_not_exists)
    if index is None:
        return
    _attach_index(state, table, index)
    ctx.touch("index", index.name, "create", table.name)


def _drop_index(
    state: SchemaState, name: ops.QName, on_table: ops.QName | None, if_exists: bool, ctx: Context
) -> None:
    rules = state.rules
    if on_table is not None or rules.index_names_per_table:
        table = state.tables.get(state.qkey(on_table)) if on_table else None
        if table is None:
            if not if_exists:
                ctx.missing("table", _display(on_table or (None, "?")))
            else:
                ctx.skipped = True
            return
        index = next((i for i in table.indexes if rules.key(i.name) == rules.key(name[1])), None)
    else:
        owner = state.index_owner.get(state.qkey(name))
        table = state.tables.get(owner) if owner else None
        index = None
        if table is not None:
            index = next(
                (i for i in table.indexes if rules.key(i.name) == rules.key(name[1])), None
            )
    if index is None or table is None:
        if if_exists:
            ctx.skipped = True
        else:
            ctx.missing("index", _display(name))
        return
    _remove_index(state, table, index)
    ctx.touch("index", index.name, "drop", table.name)


def _drop_index_action(
    state: SchemaState, table: TableState, action: ops.DropIndex, ctx: Context
) -> None:
    rules = state.rules
    name = action.name or ""
    index = next((i for i in table.indexes if rules.key(i.name) == rules.key(name)), None)
    if index is None:
        if not action.if_exists:
            ctx.missing("index", name, f"on table {table.name!r}", action.span)
        return
    _remove_index(state, table, index)
    ctx.touch("index", index.name, "drop", table.name)


def _rename_index(
    state: SchemaState, table: TableState, old: str, new: str, ctx: Context, sub=None
) -> None:
    rules = state.rules
    okey, nkey = rules.key(old), rules.key(new)
    index = next((i for i in table.indexes if rules.key(i.name) == okey), None)
    constraint = None
    if index is None:
        constraint = next(
            (
                c
                for c in (table.primary_key, *table.uniques)
                if c and c.name and rules.key(c.name) == okey
            ),
            None,
        )
        if constraint is None:
            ctx.missing("index", old, f"on table {table.name!r}", sub)
            return
    if rules.index_names_per_table:
        if nkey != okey and any(rules.key(i.name) == nkey for i in table.indexes):
            ctx.exists("index", new, sub)
            return
    else:
        if nkey != okey and (table.schema, nkey) in state.index_owner:
            ctx.exists("index", new, sub)
            return
        tkey = state.index_owner.pop((table.schema, okey), None)
        state.index_owner[(table.schema, nkey)] = tkey or (table.schema, rules.key(table.name))
    if index is not None:
        index.name = new
    else:
        assert constraint is not None
        constraint.name = new
    ctx.touch("index", new, "rename", table.name)


def _rename_index_action(
    state: SchemaState, table: TableState, action: ops.RenameIndex, ctx: Context
) -> None:
    _rename_index(state, table, action.old, action.new, ctx, action.span)


def _rename_table_action(
    state: SchemaState, table: TableState, action: ops.RenameTable, ctx: Context
) -> None:
    _rename_table(state, table, action.new, ctx)


def _set_table_schema_action(
    state: SchemaState, table: TableState, action: ops.SetTableSchema, ctx: Context
) -> None:
    _set_schema(
        state,
        ops.SetObjectSchema(
            kind=table.kind, name=(table.schema, table.name), new_schema=action.new_schema
        ),
        ctx,
    )


# -- types, views, sequences, the rest ------------------------------------------------------------


def _create_enum(state: SchemaState, op: ops.CreateEnum, ctx: Context) -> None:
    key = state.qkey(op.name)
    if key in state.enums or key in state.other_types:
        ctx.exists("type", _display(op.name))
        return
    schema = op.name[0] or state.rules.default_schema
    state.enums[key] = EnumState(schema, op.name[1], list(op.values), ctx.to_span())
    ctx.touch("enum", op.name[1], "create")


def _add_enum_value(state: SchemaState, op: ops.AlterEnumAddValue, ctx: Context) -> None:
    enum = state.enums.get(state.qkey(op.name))
    if enum is None:
        ctx.missing("enum", _display(op.name))
        return
    if op.value in enum.values:
        if op.if_not_exists:
            ctx.skipped = True
        else:
            ctx.exists("enum value", op.value)
        return
    neighbour = op.before or op.after
    if neighbour is not None and neighbour not in enum.values:
        ctx.missing("enum value", neighbour, f"in enum {enum.name!r}")
        return
    if op.before is not None:
        enum.values.insert(enum.values.index(op.before), op.value)
    elif op.after is not None:
        enum.values.insert(enum.values.index(op.after) + 1, op.value)
    else:
        enum.values.append(op.value)
    ctx.touch("enum", enum.name, "alter")


def _rename_enum_value(state: SchemaState, op: ops.RenameEnumValue, ctx: Context) -> None:
    enum = state.enums.get(state.qkey(op.name))
    if enum is None:
        ctx.missing("enum", _display(op.name))
        return
    if op.old not in enum.values:
        ctx.missing("enum value", op.old, f"in enum {enum.name!r}")
        return
    if op.new in enum.values:
        ctx.exists("enum value", op.new)
        return
    enum.values[enum.values.index(op.old)] = op.new
    ctx.touch("enum", enum.name, "alter")


def _create_view(state: SchemaState, op: ops.CreateView, ctx: Context) -> None:
    key = state.qkey(op.name)
    kind = "materialized_view" if op.materialized else "view"
    existing = state.tables.get(key)
    if existing is not None:
        if op.or_replace and existing.kind == kind:
            existing.span = ctx.to_span()
            ctx.touch(kind, op.name[1], "alter")
            return
        if op.if_not_exists:
            ctx.skipped = True
            return
        ctx.exists(kind.replace("_", " "), _display(op.name))
        return
    schema = op.name[0] or state.rules.default_schema
    state.tables[key] = TableState(schema, op.name[1], kind, ctx.to_span())
    ctx.touch(kind, op.name[1], "create")


def _create_domain(state: SchemaState, op: ops.CreateDomain, ctx: Context) -> None:
    key = state.qkey(op.name)
    if key in state.enums or key in state.other_types:
        ctx.exists("type", _display(op.name))
        return
    state.other_types.add(key)
    ctx.touch("type", op.name[1], "create")


def _create_sequence(state: SchemaState, op: ops.CreateSequence, ctx: Context) -> None:
    key = state.qkey(op.name)
    if key in state.sequences:
        if op.if_not_exists:
            ctx.skipped = True
        else:
            ctx.exists("sequence", _display(op.name))
        return
    state.sequences[key] = SequenceState(
        op.name[0] or state.rules.default_schema, op.name[1], _owner_key(state, op.owned_by)
    )
    ctx.touch("sequence", op.name[1], "create")


def _set_sequence_owner(state: SchemaState, op: ops.SetSequenceOwner, ctx: Context) -> None:
    seq = state.sequences.get(state.qkey(op.name))
    if seq is None:
        ctx.missing("sequence", _display(op.name))
        return
    seq.owned_by = _owner_key(state, op.owned_by)
    ctx.touch("sequence", op.name[1], "alter")


def _owner_key(
    state: SchemaState, owned_by: tuple[ops.QName, str] | None
) -> tuple[Key, str] | None:
    if owned_by is None:
        return None
    table, column = owned_by
    return state.qkey(table), state.rules.key(column)


def _create_schema(state: SchemaState, op: ops.CreateSchema, ctx: Context) -> None:
    key = state.rules.key(op.name)
    if key in state.schemas:
        if op.if_not_exists:
            ctx.skipped = True
        else:
            ctx.exists("schema", op.name)
        return
    state.schemas.add(key)
    ctx.touch("schema", op.name, "create")


def _create_extension(state: SchemaState, op: ops.CreateExtension, ctx: Context) -> None:
    if op.name in state.extensions:
        if op.if_not_exists:
            ctx.skipped = True
        else:
            ctx.exists("extension", op.name)
        return
    state.extensions.add(op.name)
    ctx.touch("extension", op.name, "create")


def _comment(state: SchemaState, op: ops.Comment, ctx: Context) -> None:
    key = state.qkey(op.target)
    if op.kind in ("table", "view", "materialized_view", "column"):
        table = state.tables.get(key)
        if table is None:
            ctx.missing("table", _display(op.target))
            return
        if op.column is not None:
            column = _column(state, table, op.column, ctx)
            if column is not None:
                column.comment = op.text
                ctx.touch("column", column.name, "comment", table.name)
        else:
            table.comment = op.text
            ctx.touch(table.kind, table.name, "comment")
    elif op.kind == "type" and key in state.enums:
        state.enums[key].comment = op.text
        ctx.touch("enum", op.target[1], "comment")
    else:
        comment_key = (op.kind, key)
        if op.text is None:
            state.comments.pop(comment_key, None)
        else:
            state.comments[comment_key] = op.text
        ctx.touch(op.kind, op.target[1], "comment")


def _pragma(state: SchemaState, op: ops.Pragma, ctx: Context) -> None:
    if op.value is not None:
        state.settings[op.name.lower()] = op.value


def _ignored(
    state: SchemaState, table: TableState, action: ops.IgnoredAction, ctx: Context
) -> None:
    return None


_ACTIONS: dict[type, Callable[..., None]] = {
    ops.AddColumn: _add_column,
    ops.DropColumn: _drop_column,
    ops.AlterColumnType: _alter_column_type,
    ops.SetDefault: _set_default,
    ops.DropDefault: _set_default,
    ops.SetNotNull: _set_not_null,
    ops.DropNotNull: _set_not_null,
    ops.SetColumnIdentity: _set_identity,
    ops.RenameColumn: _rename_column,
    ops.ModifyColumn: _replace_column,
    ops.AddConstraint: lambda s, t, a, c: _add_constraint(s, t, a.constraint, c),
    ops.DropConstraint: _drop_constraint,
    ops.ValidateConstraint: _validate_constraint,
    ops.RenameConstraint: _rename_constraint,
    ops.CreateIndex: _add_index,
    ops.DropIndex: _drop_index_action,
    ops.RenameIndex: _rename_index_action,
    ops.RenameTable: _rename_table_action,
    ops.SetTableSchema: _set_table_schema_action,
    ops.IgnoredAction: _ignored,
}

_OPS: dict[type, Callable[..., None]] = {
    ops.CreateTable: _create_table,
    ops.DropTable: _drop_table_op,
    ops.DropIndex: _drop_index_op,
    ops.RenameTable: _rename_table_op,
    ops.RenameIndex: _rename_index_op,
    ops.DropObjects: _drop_objects,
    ops.RenameObject: _rename_object,
    ops.SetObjectSchema: _set_schema,
    ops.AlterTable: _alter_table,
    ops.CreateIndex: _create_index,
    ops.AddConstraint: _add_constraint_op,
    ops.CreateEnum: _create_enum,
    ops.AlterEnumAddValue: _add_enum_value,
    ops.RenameEnumValue: _rename_enum_value,
    ops.CreateView: _create_view,
    ops.CreateDomain: _create_domain,
    ops.CreateSequence: _create_sequence,
    ops.SetSequenceOwner: _set_sequence_owner,
    ops.CreateSchema: _create_schema,
    ops.CreateExtension: _create_extension,
    ops.Comment: _comment,
    ops.Pragma: _pragma,
}


def apply(state: SchemaState, op: ops.Op, ctx: Context) -> None:
    """Apply one operation to `state`; problems go to `ctx`."""
    handler = _OPS.get(type(op))
    if handler is not None:
        handler(state, op, ctx)

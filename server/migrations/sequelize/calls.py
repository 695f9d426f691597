"""A queryInterface call -> the pieces the replay applies: the one place replay operations are
made for a Sequelize migration.

Each call is printed as the SQL Sequelize's query generator writes for it
(`codegen/orms/sequelize/column_sql.py`) and that SQL is read by the dialect's own grammar, so a
call and the same step written as SQL build the same schema. The operations' clause spans are
then moved from the printed SQL to the file: a clause printed from one attribute points at that
attribute (`email: { ... }`), anything else at the whole call. SQL written by the user
(`queryInterface.sequelize.query("...")`) stays a `SqlPiece` where its text lies in the file as
it is read, so every statement inside it has its own span.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence

from schemasense.codegen.ddl.statements import AlterTable, DropConstraint, ModifyColumn
from schemasense.codegen.orms.sequelize import column_sql as gen
from schemasense.codegen.orms.sequelize.column_sql import Dialect, IndexField, Raw, Statement
from schemasense.server.migrations.model import CallPiece, Piece, SqlPiece
from schemasense.server.migrations.replay import parse_file
from schemasense.server.migrations.sequelize.attributes import (
    Unreadable,
    attribute,
    table_name,
    text,
)
from schemasense.server.sources.typescript.values import (
    Array,
    Bool,
    Hole,
    Obj,
    Str,
    Value,
)

DATA_CALLS = {
    "bulkInsert": "insert",
    "bulkDelete": "delete",
    "bulkUpdate": "update",
    "insert": "insert",
    "upsert": "insert",
    "update": "update",
    "delete": "delete",
    "increment": "update",
    "decrement": "update",
    "createFunction": "create_function",
    "dropFunction": "drop_function",
    "renameFunction": "alter_function",
    "createTrigger": "create_trigger",
    "dropTrigger": "drop_trigger",
    "renameTrigger": "alter_trigger",
    "createSchema": "create_schema",
}
"""Calls that change data or objects the schema model keeps opaque."""

READ_CALLS = {
    "describeTable", "showAllTables", "showAllSchemas", "tableExists", "showIndex",
    "getForeignKeysForTables", "getForeignKeyReferencesForTable", "rawSelect", "select",
    "quoteIdentifier", "quoteIdentifiers", "quoteTable", "escape", "nameIndexes", "showConstraint",
    "databaseVersion", "pgListEnums",
}  # fmt: skip
"""Calls that only read the database: no step of the migration."""

SCHEMA_CALLS = {
    "createTable", "dropTable", "renameTable", "addColumn", "removeColumn", "changeColumn",
    "renameColumn", "addIndex", "removeIndex", "addConstraint", "removeConstraint", "dropEnum",
    "dropAllTables", "dropAllEnums", "dropSchema", "dropAllSchemas",
}  # fmt: skip


def call_pieces(
    method: str, args: Sequence[Value], span: tuple[int, int], dialect: Dialect
) -> list[Piece]:
    """The pieces of `queryInterface.<method>(...args)` at `span` (file offsets); a call that
    cannot be read is one `CallPiece` with its `error`."""
    if method in READ_CALLS:
        return []
    if method in DATA_CALLS:
        return [CallPiece(span[0], span[1], DATA_CALLS[method], opaque=True)]
    if method not in SCHEMA_CALLS:
        return [_error(span, "alter_table", f"`queryInterface.{method}` is not read")]
    unknown: list[Unreadable] = []
    try:
        pieces = _schema_call(method, list(args), span, dialect, unknown)
        kind = _KINDS.get(method, "alter_table")
        return [*pieces, *(_error(span, kind, problem.message) for problem in unknown)]
    except Unreadable as problem:
        return [_error(span, _KINDS.get(method, "alter_table"), problem.message)]
    except gen.NotKnown as problem:
        return [_error(span, _KINDS.get(method, "alter_table"), str(problem))]
    except gen.SequelizeError as problem:
        return [_error(span, _KINDS.get(method, "alter_table"), f"Sequelize throws: {problem}")]


_KINDS = {
    "createTable": "create_table",
    "dropTable": "drop_table",
    "addIndex": "create_index",
    "removeIndex": "drop_index",
    "dropEnum": "drop_type",
}


def _error(span: tuple[int, int], kind: str, message: str) -> CallPiece:
    return CallPiece(span[0], span[1], kind, error=message)


def _arg(args: list[Value], i: int) -> Value | None:
    return args[i] if i < len(args) else None


def _schema_call(
    method: str,
    args: list[Value],
    span: tuple[int, int],
    dialect: Dialect,
    unknown: list[Unreadable],
) -> list[Piece]:
    """The pieces of one schema call; defaults not known go to `unknown`."""
    table = table_name(_arg(args, 0), span) if method not in ("dropAllTables",) else ""
    spans: dict[str, tuple[int, int]] = {}
    q = gen.quote_table
    if method == "createTable":
        attrs_value = _arg(args, 1)
        if not isinstance(attrs_value, Obj):
            raise Unreadable("the attributes are not an object literal", *_at(attrs_value, span))
        _no_spread(attrs_value)
        attrs = {}
        for prop in attrs_value.props:
            attrs[prop.key] = attribute(prop.value, unknown)
            spans[prop.key] = (prop.key_start, prop.value.end)
        statements = gen.create_table(table, attrs, dialect)
    elif method == "dropTable":
        opts = _arg(args, 1)
        cascade = isinstance(opts, Obj) and any(
            isinstance(opts.get(k), Bool) and opts.get(k).value  # type: ignore[union-attr]
            for k in ("cascade", "force")
        )
        suffix = " CASCADE" if cascade and dialect == "postgresql" else ""
        statements = [Statement(f"DROP TABLE IF EXISTS {q(table, dialect)}{suffix};")]
    elif method == "renameTable":
        new = table_name(_arg(args, 1), span)
        statements = [Statement(f"ALTER TABLE {q(table, dialect)} RENAME TO {q(new, dialect)};")]
    elif method == "addColumn":
        key = text(_arg(args, 1), "the column name", span)
        value = _arg(args, 2)
        if value is None:
            raise Unreadable("the column's attribute is missing", *span)
        spans[key] = (value.start, value.end)
        statements = gen.add_column(table, key, attribute(value, unknown), dialect)
    elif method == "removeColumn":
        key = text(_arg(args, 1), "the column name", span)
        statements = [
            Statement(f"ALTER TABLE {q(table, dialect)} DROP COLUMN {gen.quote(key, dialect)};")
        ]
    elif method == "changeColumn":
        key = text(_arg(args, 1), "the column name", span)
        value = _arg(args, 2)
        if value is None:
            raise Unreadable("the column's attribute is missing", *span)
        attr = attribute(value, unknown)
        if not isinstance(value, Obj) or value.get("type") is None:
            attr = dataclasses.replace(attr, allow_null=True)
        if dialect == "sqlite":
            return [_sqlite_change(table, key, attr, span)]
        statements = (
            gen.change_column_pg(table, key, attr)
            if dialect == "postgresql"
            else gen.change_column_mysql(table, key, attr)
        )
    elif method == "renameColumn":
        old = text(_arg(args, 1), "the column name", span)
        new = text(_arg(args, 2), "the new column name", span)
        statements = [
            Statement(
                f"ALTER TABLE {q(table, dialect)} RENAME COLUMN"
                f" {gen.quote(old, dialect)} TO {gen.quote(new, dialect)};"
            )
        ]
    elif method == "addIndex":
        statements = [_add_index(table, args, span, dialect)]
    elif method == "removeIndex":
        target = _arg(args, 1)
        opts = _arg(args, 2)
        if isinstance(target, Array):
            name = gen.index_name(table, [_field_name(v, span) for v in target.items])
        else:
            name = text(target, "the index name", span)
        conc = isinstance(opts, Obj) and _true(opts.get("concurrently"))
        statements = [gen.remove_index(table, name, dialect, concurrently=conc)]
    elif method == "addConstraint":
        statements = [_add_constraint(table, args, span, dialect)]
    elif method == "removeConstraint":
        name = text(_arg(args, 1), "the constraint name", span)
        if dialect == "sqlite":
            op = AlterTable(table, (DropConstraint(name),))
            return [CallPiece(span[0], span[1], "alter_table", (op,))]
        word = "FOREIGN KEY" if dialect == "mysql" and name.endswith("_fk") else "CONSTRAINT"
        statements = [
            Statement(f"ALTER TABLE {q(table, dialect)} DROP {word} {gen.quote(name, dialect)};")
        ]
    elif method == "dropEnum":
        if dialect != "postgresql":
            return []
        statements = [Statement(f"DROP TYPE IF EXISTS {gen.quote(table, dialect)};")]
    else:
        raise Unreadable(f"`queryInterface.{method}` drops what the database holds", *span)
    return [_piece(statements, spans, span, dialect, _KINDS.get(method, "alter_table"))]


def _at(value: Value | None, span: tuple[int, int]) -> tuple[int, int]:
    return (value.start, value.end) if value is not None else span


def _no_spread(value: Obj) -> None:
    if value.spreads:
        spread = value.spreads[0]
        raise Unreadable(
            "a spread whose attributes are not known without running the code",
            spread.start,
            spread.end,
        )
    if value.unknown_keys:
        key = value.unknown_keys[0]
        raise Unreadable("a computed attribute name", key.start, key.end)


def _true(value: Value | None) -> bool:
    return isinstance(value, Bool) and value.value


def _field_name(value: Value, span: tuple[int, int]) -> str:
    if isinstance(value, Obj):
        return text(value.get("name") or value.get("attribute"), "the index field", span)
    return text(value, "the index field", span)


def _index_field(value: Value, span: tuple[int, int]) -> IndexField | Raw:
    if isinstance(value, Obj):
        name = _field_name(value, span)
        order, length = value.get("order"), value.get("length")
        collate, operator = value.get("collate"), value.get("operator")
        return IndexField(
            name,
            order=text(order, "the order", span) if order is not None else None,
            length=getattr(length, "value", None),
            collate=text(collate, "the collation", span) if collate is not None else None,
            operator=text(operator, "the operator", span) if operator is not None else None,
        )
    if isinstance(value, Str):
        return IndexField(text(value, "the index field", span))
    from schemasense.server.migrations.sequelize.attributes import js_value

    raw = js_value(value)
    if isinstance(raw, Raw):
        return raw
    raise Unreadable("an index field that cannot be read", value.start, value.end)


def _add_index(table: str, args: list[Value], span: tuple[int, int], dialect: Dialect) -> Statement:
    second = _arg(args, 1)
    opts = _arg(args, 2)
    if isinstance(second, Obj) and opts is None:
        opts, fields_value = second, second.get("fields")
    else:
        fields_value = second
        if isinstance(opts, Obj) and fields_value is None:
            fields_value = opts.get("fields")
    if not isinstance(fields_value, Array):
        raise Unreadable("the index fields are not known", *_at(fields_value, span))
    fields = [_index_field(v, span) for v in fields_value.items]
    o = opts if isinstance(opts, Obj) else Obj(0, 0)
    where = o.get("where")
    where_sql = _where(where, span, dialect) if where is not None else None
    kind = o.get("type")
    name = o.get("name")
    using = o.get("using") or o.get("method")
    operator = o.get("operator")
    return gen.add_index(
        table,
        fields,
        dialect,
        name=text(name, "the index name", span) if name is not None else None,
        unique=_true(o.get("unique")),
        kind=text(kind, "the index type", span) if kind is not None else None,
        using=text(using, "the index method", span) if using is not None else None,
        operator=text(operator, "the operator", span) if operator is not None else None,
        where=where_sql,
        concurrently=_true(o.get("concurrently")),
    )


def _where(value: Value, span: tuple[int, int], dialect: Dialect) -> str:
    """An index's `where`: a `Sequelize.literal`, or `{ column: null | value }` (what
    `whereItemsQuery` prints for those); anything with operators is not read."""
    from schemasense.server.migrations.sequelize.attributes import js_value

    if isinstance(value, Obj) and not value.unknown_keys and not value.spreads:
        parts = []
        for prop in value.props:
            col = gen.quote(prop.key, dialect)
            if isinstance(prop.value, Obj) and prop.value.named_keys:
                parts.extend(_operators(col, prop.value, dialect))
                continue
            v = js_value(prop.value)
            if v is None:
                parts.append(f"{col} IS NULL")
            elif isinstance(v, Raw):
                parts.append(f"{col} = {v.sql}")
            elif isinstance(v, bool):
                parts.append(f"{col} = {'true' if v else 'false'}")
            elif isinstance(v, (int, float, str)):
                parts.append(f"{col} = {gen.escape_value(v, gen.DataType('TEXT'), dialect)}")
            else:
                raise Unreadable("an index condition that cannot be read", value.start, value.end)
        return " AND ".join(parts)
    raw = js_value(value)
    if isinstance(raw, Raw):
        return raw.sql
    raise Unreadable("an index condition that cannot be read", value.start, value.end)


_OPERATORS = {"eq": "=", "ne": "!=", "gt": ">", "gte": ">=", "lt": "<", "lte": "<="}


def _operators(col: str, value: Obj, dialect: Dialect) -> list[str]:
    """`{ [Op.ne]: null }` as `whereItemsQuery` prints it (`"c" IS NOT NULL`)."""
    from schemasense.server.migrations.sequelize.attributes import js_value

    if value.props or len(value.named_keys) != len(value.unknown_keys):
        raise Unreadable("an index condition that cannot be read", value.start, value.end)
    out = []
    for ref, operand in value.named_keys:
        op = ref.path[-1]
        v = js_value(operand)
        if op in ("eq", "is") and v is None:
            out.append(f"{col} IS NULL")
        elif op in ("ne", "not") and v is None:
            out.append(f"{col} IS NOT NULL")
        elif op in _OPERATORS and isinstance(v, (int, float, str, bool)):
            text = (
                ("true" if v else "false")
                if isinstance(v, bool)
                else gen.escape_value(v, gen.DataType("TEXT"), dialect)
            )
            out.append(f"{col} {_OPERATORS[op]} {text}")
        elif op in ("in", "notIn") and isinstance(v, list) and v:
            items = ", ".join(gen.escape_value(i, gen.DataType("TEXT"), dialect) for i in v)
            out.append(f"{col} {'IN' if op == 'in' else 'NOT IN'} ({items})")
        else:
            raise Unreadable(f"the operator `{ref.dotted}` is not read", value.start, value.end)
    return out


def _add_constraint(
    table: str, args: list[Value], span: tuple[int, int], dialect: Dialect
) -> Statement:
    second = _arg(args, 1)
    if isinstance(second, Array):  # Sequelize 4: addConstraint(table, fields, options)
        fields_value, opts = second, _arg(args, 2)
    else:
        opts = second
        fields_value = opts.get("fields") if isinstance(opts, Obj) else None
    if not isinstance(opts, Obj):
        raise Unreadable("Sequelize throws: Fields must be specified through options.fields", *span)
    if not isinstance(fields_value, Array):
        raise Unreadable("the constraint's fields are not known", *_at(fields_value, span))
    fields = [_field_name(v, span) for v in fields_value.items]
    kind = text(opts.get("type"), "the constraint type", span).upper()
    name = opts.get("name")
    refs = opts.get("references")
    ref_table = ref_fields = None
    if kind == "FOREIGN KEY":
        if not isinstance(refs, Obj):
            raise Unreadable("the references are not known", *_at(refs, span))
        ref_table = table_name(refs.get("table"), span)
        one = refs.get("field")
        if one is not None:
            ref_fields = [text(one, "the referenced field", span)]
        else:
            many = refs.get("fields")
            if not isinstance(many, Array):
                raise Unreadable("the referenced fields are not known", *span)
            ref_fields = [text(v, "the referenced field", span) for v in many.items]
    check = None
    if kind == "CHECK":
        where = opts.get("where")
        if where is None:
            raise Unreadable("the check's condition is missing", *span)
        check = _where(where, span, dialect)
    on_delete, on_update = opts.get("onDelete"), opts.get("onUpdate")
    return gen.add_constraint(
        table,
        kind,
        fields,
        dialect,
        name=text(name, "the constraint name", span) if name is not None else None,
        check=check,
        ref_table=ref_table,
        ref_fields=ref_fields,
        on_delete=text(on_delete, "onDelete", span) if on_delete is not None else None,
        on_update=text(on_update, "onUpdate", span) if on_update is not None else None,
    )


def _sqlite_change(table: str, key: str, attr: gen.Attribute, span: tuple[int, int]) -> CallPiece:
    """SQLite's `changeColumn` rebuilds the table with the column's new definition: the
    replay's `ModifyColumn`, its column read from the definition Sequelize prints."""
    definition = gen.attribute_sql(attr, "sqlite", table=table, key=key, context="changeColumn")
    sql = f'CREATE TABLE "_x" ({gen.quote(key, "sqlite")} {definition});'
    parsed = parse_file("sqlite", sql)
    if not parsed or parsed[0].error or not parsed[0].ops:
        return _error(span, "alter_table", f"Sequelize's SQL `{sql}` could not be read")
    column = parsed[0].ops[0].table.columns[0]
    column = _respan(column, lambda _s: span)
    op = AlterTable(table, (ModifyColumn(key, column),))
    return CallPiece(span[0], span[1], "alter_table", (op,))


def _piece(
    statements: list[Statement],
    attr_spans: dict[str, tuple[int, int]],
    span: tuple[int, int],
    dialect: Dialect,
    kind: str,
) -> CallPiece:
    """One call's statements, read by the dialect's grammar, as one `CallPiece`."""
    ops: list = []
    kinds: list[str] = []
    for st in statements:
        for parsed in parse_file(dialect, st.sql):
            if parsed.error is not None:
                return _error(span, kind, f"Sequelize's SQL `{st.sql}` could not be read")
            if parsed.opaque:
                continue
            kinds.append(parsed.kind)

            def where(s: tuple[int, int], st: Statement = st) -> tuple[int, int]:
                for start, end, name in st.parts:
                    if start <= s[0] and s[1] <= end and name in attr_spans:
                        return attr_spans[name]
                if st.attribute is not None and st.attribute in attr_spans:
                    return attr_spans[st.attribute]
                return span

            ops.extend(_respan(op, where) for op in parsed.ops)
    return CallPiece(span[0], span[1], kinds[-1] if kinds else kind, tuple(ops))


def _respan(value, where):
    """`value` with every clause span moved by `where` (printed SQL -> file offsets)."""
    if isinstance(value, tuple):
        return tuple(_respan(v, where) for v in value)
    if not dataclasses.is_dataclass(value) or isinstance(value, type):
        return value
    changes = {}
    for f in dataclasses.fields(value):
        current = getattr(value, f.name)
        if f.name == "span" and isinstance(current, tuple) and len(current) == 2:
            changes[f.name] = where(current)
        elif isinstance(current, tuple) or dataclasses.is_dataclass(current):
            moved = _respan(current, where)
            if moved is not current:
                changes[f.name] = moved
    return dataclasses.replace(value, **changes) if changes else value


# -- SQL the migration writes ---------------------------------------------------------------


def sql_pieces(
    value: Value | None,
    span: tuple[int, int],
    dialect: Dialect,
    size: int,
    *,
    here: bool = True,
    replacements: bool = False,
) -> list[Piece]:
    """`sequelize.query(<value>)`: a `SqlPiece` where the string's text lies in the file as it
    is read (unknown `${}` holes as same-length placeholders), else the SQL read here and kept
    as one call; a query that is not a string at all is an unreadable call. `here` is False
    for SQL written in another file (a helper module): its offsets are not this file's.
    With `replacements` (the call passes `{ replacements }`), each `:name` Sequelize fills in
    is read as a string literal of the same length."""
    if not isinstance(value, Str):
        if value is None:
            return [_error(span, "query", "the query is missing")]
        return [
            _error(
                span,
                "query",
                f"the SQL `{_short(value)}` is not known without running the code",
            )
        ]
    laid = _lay_out(value, size) if here else None
    if replacements and value.value is not None:
        value = Str(value.start, value.end, named_as_literals(value.value), value.parts)
    if laid is None:
        return _sql_calls(value, span, dialect, size if here else -1)
    sql, positions, holes = laid
    if replacements:
        sql = named_as_literals(sql)
        laid = (sql, positions, holes)
    first = positions[0]
    if all(p == first + i for i, p in enumerate(positions)):
        return [SqlPiece(sql, first, holes)]
    return _sql_calls(value, span, dialect, size, laid)


_NAMED = re.compile(r"(?<![:\w]):([A-Za-z_][\w]*)(?!:)")
_QUOTED = re.compile(
    r"'(?:[^']|'')*'|\"(?:[^\"]|\"\")*\"|--[^\n]*|/\*.*?\*/|(\$[A-Za-z_]*\$).*?\1", re.S
)


def named_as_literals(sql: str) -> str:
    """`:name` (Sequelize's named replacements) outside quotes and comments, as a string
    literal of the same length, so the SQL parses and every offset stays."""
    out = []
    cursor = 0
    for quoted in _QUOTED.finditer(sql):
        out.append(_literals(sql[cursor : quoted.start()]))
        out.append(quoted.group(0))
        cursor = quoted.end()
    out.append(_literals(sql[cursor:]))
    return "".join(out)


def _literals(text: str) -> str:
    return _NAMED.sub(lambda m: "'" + "_" * (len(m.group(0)) - 2) + "'", text)


def _short(value: Value) -> str:
    from schemasense.server.migrations.sequelize.attributes import describe

    return describe(value)


def _sql_calls(
    value: Str,
    span: tuple[int, int],
    dialect: Dialect,
    size: int,
    laid: tuple[str, list[int], tuple] | None = None,
) -> list[Piece]:
    """SQL whose characters do not lie in the file as they are read (escapes such as
    `\\``, constants of other lengths, SQL built in another file): read here, each statement
    one step placed where its characters are in the file (`laid`), else at the call."""
    if laid is None:
        if value.value is None:
            return [_error(span, "query", "the SQL has parts that are not known")]
        sql, positions = value.value, None
    else:
        sql, positions = laid[0], laid[1]
    out: list[Piece] = []
    for parsed in parse_file(dialect, sql):
        where = _mapper(positions, span, size)
        start, end = where(parsed.span)
        if parsed.error is not None:
            out.append(_error((start, end), parsed.kind or "query", f"the SQL {parsed.error}"))
            continue
        ops = tuple(_respan(op, where) for op in parsed.ops)
        out.append(CallPiece(start, end, parsed.kind, ops, opaque=parsed.opaque))
    return out


def _mapper(positions: list[int] | None, span: tuple[int, int], size: int):
    """SQL text offsets -> file offsets through `positions` (one file offset per character)."""

    def where(s: tuple[int, int]) -> tuple[int, int]:
        if not positions or size < 0:
            return span
        a = positions[min(max(s[0], 0), len(positions) - 1)]
        b = positions[min(max(s[1] - 1, 0), len(positions) - 1)] + 1
        if not (0 <= a <= b <= size):
            return span
        return a, b

    return where


def _lay_out(value: Str, size: int) -> tuple[str, list[int], tuple[tuple[int, int], ...]] | None:
    """The string's text with the file offset of each character (unknown `${}` holes as
    underscores of their length, each character at the hole). None when a part lies outside
    the file."""
    chars: list[str] = []
    positions: list[int] = []
    holes: list[tuple[int, int]] = []
    for part in value.parts:
        if not (0 <= part.start <= part.end <= size):
            return None
        if isinstance(part, Hole):
            holes.append((len(chars), len(chars) + part.end - part.start))
            chars.extend("_" * (part.end - part.start))
            positions.extend(range(part.start, part.end))
        elif part.offsets is None and len(part.text) == part.end - part.start:
            chars.extend(part.text)
            positions.extend(range(part.start, part.end))
        elif part.offsets is not None:
            chars.extend(part.text)
            positions.extend(part.offset_of(i) for i in range(len(part.text)))
        else:  # a known hole: its text is not its own length
            chars.extend(part.text)
            last = max(part.start, part.end - 1)
            positions.extend(min(part.start + i, last) for i in range(len(part.text)))
    if not chars:
        return None
    return "".join(chars), positions, tuple(holes)

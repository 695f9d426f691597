"""PostgreSQL migrations: PostgreSQL's own grammar (libpg_query, through postgast) to operations.

postgast (BSD-2-Clause) wraps libpg_query, PostgreSQL's parser as a library, so every statement
PostgreSQL accepts is read exactly as the server reads it (`ALTER TYPE ... ADD VALUE`, functions,
`DO` blocks, `SERIAL`). pglast wraps the same library but is GPL-3.0, which we cannot ship.

libpg_query reports statement positions in UTF-8 bytes; spans here are character offsets
into the text given. A file that does not parse as a whole is split with libpg_query's
scanner and each statement parsed alone, so one bad statement is one finding and the rest
still replay.
"""

from __future__ import annotations

import re
from typing import Any

from postgast import pg_query_pb2 as pb
from postgast.native import lib
from schemasense.codegen.ddl import statements as ops
from schemasense.codegen.ddl.statements import Parsed
from schemasense.server.migrations.sql import pg_parse
from schemasense.server.migrations.sql.pg_text import (
    ExprPrinter,
    format_builtin,
    is_catalog_type,
    quote_ident,
    serial_base,
    type_name_parts,
    without_typmod,
)
from schemasense.server.migrations.state import (
    ColumnState,
    Key,
    Parts,
    SchemaState,
    TableState,
    TypeRef,
)

_AT = {v.number: v.name for v in pb.DESCRIPTOR.enum_types_by_name["AlterTableType"].values}
_OBJ = {v.number: v.name for v in pb.DESCRIPTOR.enum_types_by_name["ObjectType"].values}
_CONSTR = {v.number: v.name for v in pb.DESCRIPTOR.enum_types_by_name["ConstrType"].values}
_ACTION = {
    "a": "NoAction",
    "r": "Restrict",
    "c": "Cascade",
    "n": "SetNull",
    "d": "SetDefault",
    "": "NoAction",
}
_CASCADE = pb.DropBehavior.Value("DROP_CASCADE")
_SORT_DESC = pb.SortByDir.Value("SORTBY_DESC")
_SORT_ASC = pb.SortByDir.Value("SORTBY_ASC")
_NULLS_FIRST = pb.SortByNulls.Value("SORTBY_NULLS_FIRST")
_NULLS_LAST = pb.SortByNulls.Value("SORTBY_NULLS_LAST")

_OBJECT_KINDS = {
    "OBJECT_TABLE": "table",
    "OBJECT_VIEW": "view",
    "OBJECT_MATVIEW": "materialized_view",
    "OBJECT_INDEX": "index",
    "OBJECT_SEQUENCE": "sequence",
    "OBJECT_TYPE": "type",
    "OBJECT_DOMAIN": "domain",
    "OBJECT_SCHEMA": "schema",
    "OBJECT_EXTENSION": "extension",
    "OBJECT_COLUMN": "column",
    "OBJECT_TABCONSTRAINT": "constraint",
    "OBJECT_FOREIGN_TABLE": "table",
}

_KIND_NAMES = {
    "create_stmt": "create_table",
    "alter_table_stmt": "alter_table",
    "index_stmt": "create_index",
    "drop_stmt": "drop",
    "rename_stmt": "rename",
    "create_enum_stmt": "create_type",
    "alter_enum_stmt": "alter_type",
    "view_stmt": "create_view",
    "create_table_as_stmt": "create_table_as",
    "create_seq_stmt": "create_sequence",
    "create_schema_stmt": "create_schema",
    "create_extension_stmt": "create_extension",
    "comment_stmt": "comment",
    "alter_object_schema_stmt": "set_schema",
    "create_function_stmt": "create_function",
    "create_trig_stmt": "create_trigger",
    "do_stmt": "do",
    "insert_stmt": "insert",
    "update_stmt": "update",
    "delete_stmt": "delete",
    "select_stmt": "select",
    "variable_set_stmt": "set",
    "transaction_stmt": "transaction",
    "grant_stmt": "grant",
    "create_domain_stmt": "create_domain",
    "composite_type_stmt": "create_type",
    "create_range_stmt": "create_type",
}


# -- splitting and positions ----------------------------------------------------------------------


class _Offsets:
    """UTF-8 byte offsets to character offsets for one text."""

    __slots__ = ("ascii", "data")

    def __init__(self, text: str, data: bytes) -> None:
        self.ascii = len(data) == len(text)
        self.data = data

    def char(self, byte: int) -> int:
        if self.ascii:
            return byte
        return len(self.data[:byte].decode("utf-8", errors="ignore"))


def _skip_space(text: str, i: int, end: int) -> int:
    """The first offset at or after `i` that is not whitespace or a comment."""
    while i < end:
        ch = text[i]
        if ch in " \t\r\n\f\v\ufeff":
            i += 1
        elif text.startswith("--", i):
            nl = text.find("\n", i, end)
            i = end if nl < 0 else nl + 1
        elif text.startswith("/*", i):
            depth = 0
            while i < end:
                if text.startswith("/*", i):
                    depth += 1
                    i += 2
                elif text.startswith("*/", i):
                    depth -= 1
                    i += 2
                    if depth == 0:
                        break
                else:
                    i += 1
        else:
            break
    return i


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    start = _skip_space(text, start, end)
    while end > start and text[end - 1] in " \t\r\n\f\v;":
        end -= 1
    return start, end


def _scanner_split(data: bytes) -> list[tuple[int, int]]:
    """libpg_query's scanner split: statement byte ranges, tolerant of invalid SQL."""
    result = lib.pg_query_split_with_scanner(data)
    try:
        if result.error:
            return [(0, len(data))]
        out = []
        for i in range(result.n_stmts):
            stmt = result.stmts[i].contents
            out.append((stmt.stmt_location, stmt.stmt_location + stmt.stmt_len))
        return out
    finally:
        lib.pg_query_free_split_result(result)


def _parse(data: bytes) -> tuple[Any | None, str | None, int]:
    """Parse bytes: (ParseResult, None, 0) or (None, message, cursor byte position); a piece
    deep enough to crash the parser is parsed in a child process (`pg_parse.py`)."""
    return pg_parse.parse(data)


_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def parse_sql(text: str) -> list[Parsed]:
    """Every statement of `text` with its character span and what it does."""
    clean = text.replace("\ufeff", " ") if "\ufeff" in text else text
    try:
        data = clean.encode("utf-8")
    except UnicodeEncodeError:
        # a lone surrogate (an editor may send one): U+FFFD keeps every character offset, and
        # libpg_query reads it as the character PostgreSQL would be sent
        clean = _LONE_SURROGATE.sub("\ufffd", clean)
        data = clean.encode("utf-8")
    offsets = _Offsets(clean, data)
    # a file deep enough to need a child process is split first, so only its deep statement
    # goes there (and one crash costs one statement)
    tree = None if pg_parse.risky(data) else _parse(data)[0]
    out: list[Parsed] = []
    if tree is not None:
        for raw in tree.stmts:
            bstart = raw.stmt_location
            bend = bstart + raw.stmt_len if raw.stmt_len else len(data)
            start, end = _trim(clean, offsets.char(bstart), offsets.char(bend))
            out.append(_statement(raw.stmt, (start, end), clean))
        return out
    for bstart, bend in _scanner_split(data):
        start, end = _trim(clean, offsets.char(bstart), offsets.char(bend))
        if start >= end:
            continue
        piece = data[bstart:bend]
        tree, message, _cursor = _parse(piece)
        if tree is None:
            out.append(Parsed(span=(start, end), kind="unknown", error=message))
            continue
        for raw in tree.stmts:
            out.append(_statement(raw.stmt, (start, end), clean))
    return out


# -- statements -----------------------------------------------------------------------------------


def _qname(rv: Any) -> ops.QName:
    return (rv.schemaname or None, rv.relname)


def _names(node: Any) -> list[str]:
    """A List node (or a repeated field) of String nodes as names."""
    items = node.list.items if hasattr(node, "list") and node.HasField("list") else node
    return [i.string.sval for i in items if i.WhichOneof("node") == "string"]


def _qname_of(names: list[str]) -> ops.QName:
    return (names[-2] if len(names) >= 2 else None, names[-1] if names else "")


def sql_type(node: Any) -> ops.SqlType:
    schema, name, mods, array = type_name_parts(node)
    if not array and schema is None and (base := serial_base(name)) is not None:
        return ops.SqlType(native=base, serial=base)
    if is_catalog_type(schema, name):
        native = format_builtin(name, mods)
        if native is not None:
            return ops.SqlType(native=native + ("[]" if array else ""), array=array)
    return ops.SqlType(native=name, user=(schema, name), array=array)


def _statement(node: Any, span: tuple[int, int], text: str) -> Parsed:
    which = node.WhichOneof("node") or "unknown"
    kind = _KIND_NAMES.get(which, which.removesuffix("_stmt"))
    handler = _HANDLERS.get(which)
    if handler is None:
        return Parsed(span=span, kind=kind, opaque=True)
    try:
        result = handler(getattr(node, which), text)
    except Exception as error:  # a reader never raises: the statement is one finding
        return Parsed(span=span, kind=kind, error=f"{type(error).__name__}: {error}")
    if result is None:
        return Parsed(span=span, kind=kind, opaque=True)
    return Parsed(span=span, kind=kind, ops=tuple(result))


def _column_def(cd: Any, text: str) -> ops.ColumnDef:
    typ = sql_type(cd.type_name)
    not_null = cd.is_not_null
    default = cd.raw_default if cd.HasField("raw_default") else None
    identity = None
    generated = None
    constraints: list[ops.ConstraintDef] = []
    for c in cd.constraints:
        con = c.constraint
        ctype = _CONSTR[con.contype]
        if ctype == "CONSTR_NOTNULL":
            not_null = True
        elif ctype == "CONSTR_NULL":
            not_null = False
        elif ctype == "CONSTR_DEFAULT":
            default = con.raw_expr
        elif ctype == "CONSTR_IDENTITY":
            identity = "always" if con.generated_when == "a" else "by default"
        elif ctype == "CONSTR_GENERATED":
            generated = con.raw_expr
        else:
            made = _constraint(con, text, column=cd.colname)
            if made is not None:
                constraints.append(made)
    return ops.ColumnDef(
        name=cd.colname,
        type=typ,
        nullable=not not_null,
        default=ops.DefaultDef.parsed(default),
        identity=identity,
        generated=generated,
        constraints=tuple(constraints),
    )


def _index_part(elem: Any) -> ops.IndexPart:
    sort = (
        "desc" if elem.ordering == _SORT_DESC else ("asc" if elem.ordering == _SORT_ASC else None)
    )
    nulls = (
        "first"
        if elem.nulls_ordering == _NULLS_FIRST
        else "last"
        if elem.nulls_ordering == _NULLS_LAST
        else None
    )
    opclass = _names(elem.opclass) if elem.opclass else []
    return ops.IndexPart(
        column=elem.name or None,
        raw=elem.expr if not elem.name else None,
        sort=sort,
        nulls=nulls,
        ops=opclass[-1] if opclass else None,
    )


def _constraint(con: Any, text: str, column: str | None = None) -> ops.ConstraintDef | None:
    ctype = _CONSTR[con.contype]
    name = con.conname or None
    keys = [k.string.sval for k in con.keys] or ([column] if column else [])
    if ctype in ("CONSTR_PRIMARY", "CONSTR_UNIQUE"):
        return ops.ConstraintDef(
            kind="primary_key" if ctype == "CONSTR_PRIMARY" else "unique",
            name=name,
            columns=tuple(ops.IndexPart(column=k) for k in keys),
            include=tuple(i.string.sval for i in con.including),
            using_index=con.indexname or None,
        )
    if ctype == "CONSTR_FOREIGN":
        fk_cols = [a.string.sval for a in con.fk_attrs] or ([column] if column else [])
        return ops.ConstraintDef(
            kind="foreign_key",
            name=name,
            columns=tuple(ops.IndexPart(column=k) for k in fk_cols),
            ref_table=_qname(con.pktable),
            ref_columns=tuple(a.string.sval for a in con.pk_attrs),
            on_delete=_ACTION.get(con.fk_del_action, "NoAction"),  # type: ignore[arg-type]
            on_update=_ACTION.get(con.fk_upd_action, "NoAction"),  # type: ignore[arg-type]
            not_valid=con.skip_validation,
        )
    if ctype == "CONSTR_CHECK":
        refs = _column_refs(con.raw_expr)
        return ops.ConstraintDef(
            kind="check",
            name=name,
            raw=con.raw_expr,
            not_valid=con.skip_validation,
            columns=(ops.IndexPart(column=refs[0]),) if len(refs) == 1 else (),
            not_null_of=_not_null_of(con.raw_expr),
        )
    if ctype == "CONSTR_EXCLUSION":
        return ops.ConstraintDef(kind="exclude", name=name)
    return None


def _not_null_of(node: Any) -> str | None:
    """The column of a check that is `column IS NOT NULL` (what the safe plan writes), else
    None."""
    if node is None or node.WhichOneof("node") != "null_test":
        return None
    test = node.null_test
    if test.nulltesttype != _IS_NOT_NULL or test.arg.WhichOneof("node") != "column_ref":
        return None
    names = [f.string.sval for f in test.arg.column_ref.fields if f.WhichOneof("node") == "string"]
    return names[0] if len(names) == 1 else None


_IS_NOT_NULL = 2
"""`NullTestType.IS_NOT_NULL` in libpg_query's protobuf (1 is `IS_NULL`)."""


def _column_refs(node: Any) -> list[str]:
    """The distinct columns an expression names (for PostgreSQL's check constraint names)."""
    found: list[str] = []

    def walk(message: Any) -> None:
        for field, value in message.ListFields():
            if field.name == "column_ref":
                names = [f.string.sval for f in value.fields if f.WhichOneof("node") == "string"]
                if names and names[-1] not in found:
                    found.append(names[-1])
            elif field.message_type is not None:
                if hasattr(value, "ListFields"):
                    walk(value)
                else:
                    for item in value:
                        walk(item)

    walk(node)
    return found


def _create(stmt: Any, text: str) -> list[ops.Op] | None:
    columns = []
    constraints = []
    for elt in stmt.table_elts:
        which = elt.WhichOneof("node")
        if which == "column_def":
            columns.append(_column_def(elt.column_def, text))
        elif which == "constraint":
            made = _constraint(elt.constraint, text)
            if made is not None:
                constraints.append(made)
    name = _qname(stmt.relation)
    return [
        ops.CreateTable(
            ops.TableDef(name[1], tuple(columns), schema=name[0], constraints=tuple(constraints)),
            if_not_exists=stmt.if_not_exists,
        )
    ]


def _alter_table(stmt: Any, text: str) -> list[ops.Op] | None:
    objtype = _OBJ.get(stmt.objtype, "")
    table = _qname(stmt.relation)
    if objtype in ("OBJECT_INDEX", "OBJECT_SEQUENCE", "OBJECT_TYPE"):
        return None
    actions: list[ops.TableChange] = []
    for cmd_node in stmt.cmds:
        cmd = cmd_node.alter_table_cmd
        sub = _AT.get(cmd.subtype, "")
        definition = getattr(cmd, "def")
        has_def = cmd.HasField("def")
        if sub == "AT_AddColumn":
            actions.append(
                ops.AddColumn(
                    column=_column_def(definition.column_def, text), if_not_exists=cmd.missing_ok
                )
            )
        elif sub == "AT_DropColumn":
            actions.append(
                ops.DropColumn(
                    name=cmd.name, if_exists=cmd.missing_ok, cascade=cmd.behavior == _CASCADE
                )
            )
        elif sub == "AT_AlterColumnType":
            cd = definition.column_def
            actions.append(
                ops.AlterColumnType(
                    name=cmd.name,
                    type=sql_type(cd.type_name),
                    using=cd.raw_default if cd.HasField("raw_default") else None,
                )
            )
        elif sub == "AT_ColumnDefault":
            actions.append(
                ops.SetDefault(cmd.name, ops.DefaultDef.parsed(definition))
                if has_def
                else ops.DropDefault(cmd.name)
            )
        elif sub == "AT_SetNotNull":
            actions.append(ops.SetNotNull(cmd.name))
        elif sub == "AT_DropNotNull":
            actions.append(ops.DropNotNull(cmd.name))
        elif sub == "AT_AddConstraint":
            made = _constraint(definition.constraint, text)
            if made is not None:
                actions.append(ops.AddConstraint(constraint=made))
        elif sub == "AT_DropConstraint":
            actions.append(
                ops.DropConstraint(
                    name=cmd.name, if_exists=cmd.missing_ok, cascade=cmd.behavior == _CASCADE
                )
            )
        elif sub == "AT_ValidateConstraint":
            actions.append(ops.ValidateConstraint(name=cmd.name))
        elif sub == "AT_AddIdentity":
            con = definition.constraint
            actions.append(
                ops.SetColumnIdentity(
                    name=cmd.name, identity="always" if con.generated_when == "a" else "by default"
                )
            )
        elif sub == "AT_DropIdentity":
            actions.append(
                ops.SetColumnIdentity(name=cmd.name, identity=None, if_exists=cmd.missing_ok)
            )
        else:
            actions.append(ops.IgnoredAction(what=sub))
    kind_if_exists = stmt.missing_ok
    return [ops.AlterTable(table[1], tuple(actions), schema=table[0], if_exists=kind_if_exists)]


def _index(stmt: Any, text: str) -> list[ops.Op]:
    method = stmt.access_method.lower() if stmt.access_method else None
    index = ops.IndexDef(
        name=stmt.idxname or None,
        columns=tuple(_index_part(p.index_elem) for p in stmt.index_params),
        unique=stmt.unique,
        method=method,
        include=tuple(p.index_elem.name for p in stmt.index_including_params),
        predicate=stmt.where_clause if stmt.HasField("where_clause") else None,
    )
    table = _qname(stmt.relation)
    return [
        ops.CreateIndex(
            table[1],
            index,
            schema=table[0],
            concurrently=stmt.concurrent,
            if_not_exists=stmt.if_not_exists,
        )
    ]


def _drop(stmt: Any, text: str) -> list[ops.Op] | None:
    kind = _OBJECT_KINDS.get(_OBJ.get(stmt.remove_type, ""))
    if kind is None:
        return None
    names: list[ops.QName] = []
    for obj in stmt.objects:
        which = obj.WhichOneof("node")
        if which == "list":
            names.append(_qname_of(_names(obj)))
        elif which == "type_name":
            parts = [n.string.sval for n in obj.type_name.names]
            names.append(_qname_of(parts))
        elif which == "string":
            names.append((None, obj.string.sval))
    return ops.drop_objects(
        kind,
        tuple(names),
        if_exists=stmt.missing_ok,
        cascade=stmt.behavior == _CASCADE,
        concurrently=bool(stmt.concurrent),
    )


def _rename(stmt: Any, text: str) -> list[ops.Op] | None:
    kind = _OBJECT_KINDS.get(_OBJ.get(stmt.rename_type, ""))
    if kind is None:
        return None
    if kind == "column":
        relkind = _OBJECT_KINDS.get(_OBJ.get(stmt.relation_type, ""), "table")
        if relkind not in ("table", "view", "materialized_view"):
            return None
        table = _qname(stmt.relation)
        return [
            ops.AlterTable(
                table[1],
                (ops.RenameColumn(table[1], stmt.subname, stmt.newname, table[0]),),
                schema=table[0],
                if_exists=stmt.missing_ok,
            )
        ]
    if kind == "constraint":
        table = _qname(stmt.relation)
        return [
            ops.AlterTable(
                table[1],
                (ops.RenameConstraint(name=stmt.subname, new_name=stmt.newname),),
                schema=table[0],
                if_exists=stmt.missing_ok,
            )
        ]
    if kind in ("table", "view", "materialized_view", "index", "sequence"):
        return [
            ops.rename_object(kind, _qname(stmt.relation), stmt.newname, if_exists=stmt.missing_ok)
        ]
    if kind in ("type", "domain"):
        return [
            ops.RenameObject(
                kind="type",
                name=_qname_of(_names(stmt.object)),
                new_name=stmt.newname,
                if_exists=stmt.missing_ok,
            )
        ]
    if kind == "schema":
        return [ops.RenameObject(kind="schema", name=(None, stmt.subname), new_name=stmt.newname)]
    return None


def _set_schema(stmt: Any, text: str) -> list[ops.Op] | None:
    kind = _OBJECT_KINDS.get(_OBJ.get(stmt.object_type, ""))
    if kind in ("table", "view", "materialized_view", "sequence"):
        return [
            ops.SetObjectSchema(
                kind=kind,
                name=_qname(stmt.relation),
                new_schema=stmt.newschema,
                if_exists=stmt.missing_ok,
            )
        ]
    if kind == "type":
        return [
            ops.SetObjectSchema(
                kind="type",
                name=_qname_of(_names(stmt.object)),
                new_schema=stmt.newschema,
                if_exists=stmt.missing_ok,
            )
        ]
    return None


def _create_enum(stmt: Any, text: str) -> list[ops.Op]:
    names = [n.string.sval for n in stmt.type_name]
    return [ops.CreateEnum(name=_qname_of(names), values=tuple(v.string.sval for v in stmt.vals))]


def _alter_enum(stmt: Any, text: str) -> list[ops.Op]:
    name = _qname_of([n.string.sval for n in stmt.type_name])
    if stmt.old_val:
        return [ops.RenameEnumValue(name=name, old=stmt.old_val, new=stmt.new_val)]
    neighbour = stmt.new_val_neighbor or None
    return [
        ops.AlterEnumAddValue(
            name=name,
            value=stmt.new_val,
            before=neighbour if neighbour and not stmt.new_val_is_after else None,
            after=neighbour if neighbour and stmt.new_val_is_after else None,
            if_not_exists=stmt.skip_if_new_val_exists,
        )
    ]


def _view(stmt: Any, text: str) -> list[ops.Op]:
    return [ops.CreateView(name=_qname(stmt.view), or_replace=stmt.replace)]


def _create_table_as(stmt: Any, text: str) -> list[ops.Op] | None:
    objtype = _OBJ.get(stmt.objtype, "")
    name = _qname(stmt.into.rel)
    if objtype == "OBJECT_MATVIEW":
        return [ops.CreateView(name=name, materialized=True, if_not_exists=stmt.if_not_exists)]
    return None


def _create_seq(stmt: Any, text: str) -> list[ops.Op]:
    owner = _owned_by(stmt.options)
    return [
        ops.CreateSequence(
            name=_qname(stmt.sequence),
            if_not_exists=stmt.if_not_exists,
            owned_by=owner if owner != "none" else None,
        )
    ]


def _alter_seq(stmt: Any, text: str) -> list[ops.Op] | None:
    owner = _owned_by(stmt.options)
    if owner is None:
        return None  # other sequence options change nothing the schema model holds
    return [
        ops.SetSequenceOwner(
            name=_qname(stmt.sequence), owned_by=owner if owner != "none" else None
        )
    ]


def _owned_by(options: Any) -> tuple[ops.QName, str] | str | None:
    """A sequence's `OWNED BY` option: ((schema, table), column), "none", or None if absent."""
    for option in options:
        elem = option.def_elem
        if elem.defname != "owned_by":
            continue
        names = _names(elem.arg)
        if names == ["none"]:
            return "none"
        if len(names) >= 2:
            return (_qname_of(names[:-1]), names[-1])
    return None


def _create_schema(stmt: Any, text: str) -> list[ops.Op]:
    return [ops.CreateSchema(name=stmt.schemaname, if_not_exists=stmt.if_not_exists)]


def _create_extension(stmt: Any, text: str) -> list[ops.Op]:
    return [ops.CreateExtension(name=stmt.extname, if_not_exists=stmt.if_not_exists)]


def _create_domain(stmt: Any, text: str) -> list[ops.Op]:
    names = [n.string.sval for n in stmt.domainname]
    return [ops.CreateDomain(name=_qname_of(names))]


def _composite_type(stmt: Any, text: str) -> list[ops.Op]:
    return [ops.CreateDomain(name=_qname(stmt.typevar))]


def _comment(stmt: Any, text: str) -> list[ops.Op] | None:
    kind = _OBJECT_KINDS.get(_OBJ.get(stmt.objtype, ""))
    if kind is None:
        return None
    obj = stmt.object
    which = obj.WhichOneof("node")
    if which == "list":
        names = _names(obj)
    elif which == "type_name":
        names = [n.string.sval for n in obj.type_name.names]
    elif which == "string":
        names = [obj.string.sval]
    else:
        return None
    comment = stmt.comment if stmt.comment else None
    if kind == "column":
        return [
            ops.Comment(kind="column", target=_qname_of(names[:-1]), column=names[-1], text=comment)
        ]
    return [ops.Comment(kind=kind, target=_qname_of(names), column=None, text=comment)]


_HANDLERS = {
    "create_stmt": _create,
    "alter_table_stmt": _alter_table,
    "index_stmt": _index,
    "drop_stmt": _drop,
    "rename_stmt": _rename,
    "alter_object_schema_stmt": _set_schema,
    "create_enum_stmt": _create_enum,
    "alter_enum_stmt": _alter_enum,
    "view_stmt": _view,
    "create_table_as_stmt": _create_table_as,
    "create_seq_stmt": _create_seq,
    "alter_seq_stmt": _alter_seq,
    "create_schema_stmt": _create_schema,
    "create_extension_stmt": _create_extension,
    "create_domain_stmt": _create_domain,
    "composite_type_stmt": _composite_type,
    "comment_stmt": _comment,
}


# -- the dialect's rules for the replay -----------------------------------------------------------


class PostgresRules:
    """How PostgreSQL names, prints and keeps what the operations build."""

    name = "postgresql"
    provider = "postgresql"
    default_schema = "public"
    fk_creates_index = False
    unique_constraint_is_index = False
    index_names_per_table = False
    primary_key_not_null = True
    named_primary_keys = True

    def key(self, name: str) -> str:
        return name

    # -- types ------------------------------------------------------------------------------------

    def type_text(self, t: ops.SqlType, state: SchemaState) -> str:
        return t.native

    def user_type_text(self, key: Key, state: SchemaState) -> str:
        enum = state.enums.get(key)
        name = enum.name if enum is not None else key[1]
        if key[0] != self.default_schema:
            return f"{quote_ident(key[0])}.{quote_ident(name)}"
        return quote_ident(name)

    def sequence_text(self, key: Key, state: SchemaState) -> str:
        seq = state.sequences.get(key)
        name = seq.name if seq is not None else key[1]
        text = quote_ident(name)
        if key[0] != self.default_schema:
            text = f"{quote_ident(key[0])}.{text}"
        return text.replace("'", "''")

    def column_type_text(self, t: ops.SqlType, state: SchemaState) -> str:
        if t.user is not None:
            return self.user_type_text(state.qkey(t.user), state) + ("[]" if t.array else "")
        return t.native

    def _type_node_text(self, state: SchemaState) -> Any:
        def text(node: Any) -> str:
            return self.column_type_text(sql_type(node), state)

        return text

    # -- expressions ------------------------------------------------------------------------------

    def _printer(
        self, table: TableState | None, state: SchemaState, pretty: bool = False
    ) -> ExprPrinter:
        def type_of(column: str) -> str | None:
            if table is None:
                return None
            col = table.columns.get(column)
            return self.column_type_text(col.type, state) if col is not None else None

        return ExprPrinter(type_of, self._type_node_text(state), pretty)

    def cook_default(
        self, raw: Any, column: ColumnState, table: TableState, state: SchemaState
    ) -> Parts | None:
        printed = self._printer(table, state).expr(raw)
        if printed.text == "NULL" and printed.literal is None:
            return None
        t = column.type
        if t.user is not None:
            key = state.qkey(t.user)
            if printed.literal is not None:
                from schemasense.server.migrations.sql.pg_text import quote_literal

                return (quote_literal(printed.literal) + "::", TypeRef(key, t.array))
        want = self.column_type_text(t, state)
        return (self._printer(table, state).settle(printed, without_typmod(want)),)

    def recast_default(self, column: ColumnState, state: SchemaState) -> Parts | None:
        return column.default

    def expr_text(self, raw: Any, table: TableState | None, state: SchemaState) -> str:
        """An index expression, as `pg_get_indexdef(oid, k, true)` prints it."""
        return self._printer(table, state, pretty=True).index_part(raw)

    def generated_text(self, raw: Any, table: TableState | None, state: SchemaState) -> str:
        return self._printer(table, state).text(raw)

    def predicate_text(self, raw: Any, table: TableState | None, state: SchemaState) -> str:
        return self._printer(table, state).text(raw, "boolean")

    def check_text(self, raw: Any, table: TableState | None, state: SchemaState) -> str:
        """As `pg_get_constraintdef(oid)` prints it (not pretty: every test and operator in
        its own parentheses)."""
        return "CHECK (" + self._printer(table, state).text(raw, "boolean") + ")"

    # -- names ------------------------------------------------------------------------------------

    def index_method(self, idx: ops.IndexDef) -> str | None:
        return idx.method or "btree"

    def constraint_name(self, c: ops.ConstraintDef, table: TableState, state: SchemaState) -> str:
        """PostgreSQL's generated names: `<table>_pkey`, `<table>_<cols>_key`, `_fkey`,
        `_check`, made unique with a number."""
        cols = [p.column for p in c.columns if p.column]
        label = {
            "primary_key": "pkey",
            "unique": "key",
            "foreign_key": "fkey",
            "check": "check",
            "exclude": "excl",
        }.get(c.kind, "key")
        if c.kind == "primary_key":
            base_cols = None
        elif c.kind == "check":
            base_cols = cols[0] if cols else None
        else:
            base_cols = "_".join(cols) if cols else None
        from schemasense.server.migrations.apply import _object_name

        taken = {(c2.name or "") for c2 in table.constraints()}
        name = _object_name(table.name, base_cols, label)
        n = 0
        while name in taken or (
            c.kind in ("primary_key", "unique") and (table.schema, name) in state.index_owner
        ):
            n += 1
            name = _object_name(table.name, base_cols, f"{label}{n}")
        return name

    def index_name(self, idx: ops.IndexDef, table: TableState, state: SchemaState) -> str:
        from schemasense.server.migrations.apply import _object_name

        cols = "_".join(p.column or "expr" for p in idx.columns)
        name = _object_name(table.name, cols, "idx")
        n = 0
        while (table.schema, name) in state.index_owner or (table.schema, name) in state.tables:
            n += 1
            name = _object_name(table.name, cols, f"idx{n}")
        return name


RULES = PostgresRules()

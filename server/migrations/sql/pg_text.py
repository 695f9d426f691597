"""PostgreSQL's own spellings: `quote_ident`, `format_type`, and expressions the way
`pg_get_expr` prints them (ruleutils.c, without pretty-printing).

The replay stores types and defaults as the database prints them, so a replayed column and an
introspected one can be compared as text (`codegen.dialects.normalize` erases what is left:
casts on literals, parentheses around the whole, case). Expressions are printed from the raw
parse tree, so the types PostgreSQL's analysis would attach come from what the replay knows:
a column's type, a literal's own type, a cast, the other side of an operator.
"""

from __future__ import annotations

import contextlib
import json
import re
from collections.abc import Callable
from functools import lru_cache
from typing import Any

import postgast

_SIMPLE = re.compile(r"^[a-z_][a-z0-9_$]*$")


@lru_cache(maxsize=4096)
def quote_ident(name: str) -> str:
    """`quote_ident`: bare when the name is lower-case, simple and not a reserved keyword."""
    if _SIMPLE.match(name) and not _is_keyword(name):
        return name
    return '"' + name.replace('"', '""') + '"'


def _is_keyword(name: str) -> bool:
    try:
        tokens = postgast.scan(name).tokens
    except Exception:
        return False
    if len(tokens) != 1:
        return False
    kind = postgast.pg_query_pb2.KeywordKind.Name(tokens[0].keyword_kind)
    return kind not in ("NO_KEYWORD", "UNRESERVED_KEYWORD")


def quote_literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


# -- types ----------------------------------------------------------------------------------------

# pg_catalog names (and their aliases) -> format_type's spelling; None keeps the name
_BUILTIN: dict[str, str] = {
    "int2": "smallint",
    "smallint": "smallint",
    "int4": "integer",
    "int": "integer",
    "integer": "integer",
    "int8": "bigint",
    "bigint": "bigint",
    "float4": "real",
    "real": "real",
    "float8": "double precision",
    "bool": "boolean",
    "boolean": "boolean",
    "varchar": "character varying",
    "bpchar": "character",
    "char": "character",
    "numeric": "numeric",
    "decimal": "numeric",
    "timestamp": "timestamp",
    "timestamptz": "timestamptz",
    "time": "time",
    "timetz": "timetz",
    "interval": "interval",
    "bit": "bit",
    "varbit": "bit varying",
    "text": "text",
    "jsonb": "jsonb",
    "json": "json",
    "uuid": "uuid",
    "bytea": "bytea",
    "date": "date",
    "inet": "inet",
    "cidr": "cidr",
    "macaddr": "macaddr",
    "macaddr8": "macaddr8",
    "xml": "xml",
    "money": "money",
    "citext": "citext",
    "tsvector": "tsvector",
    "tsquery": "tsquery",
    "oid": "oid",
    "name": "name",
    "point": "point",
    "line": "line",
    "lseg": "lseg",
    "box": "box",
    "path": "path",
    "polygon": "polygon",
    "circle": "circle",
    "int4range": "int4range",
    "int8range": "int8range",
    "numrange": "numrange",
    "tsrange": "tsrange",
    "tstzrange": "tstzrange",
    "daterange": "daterange",
    "regclass": "regclass",
    "hstore": "hstore",
    "vector": "vector",
    "geometry": "geometry",
    "geography": "geography",
}
_SERIAL = {
    "serial": "integer",
    "serial4": "integer",
    "bigserial": "bigint",
    "serial8": "bigint",
    "smallserial": "smallint",
    "serial2": "smallint",
}
# built-in types a user schema cannot shadow in practice; anything else unqualified is a
# user type (an enum, a domain, an extension's type) looked up when the replay ends
_CATALOG_ONLY = {
    "timestamptz",
    "timetz",
    "varbit",
    "bpchar",
    "float4",
    "float8",
    "int2",
    "int4",
    "int8",
    "bool",
}


def _typmods(node: Any) -> list[Any]:
    out: list[Any] = []
    for mod in node.typmods:
        which = mod.WhichOneof("node")
        if which == "a_const":
            const = mod.a_const
            kind = const.WhichOneof("val")
            if kind == "ival":
                out.append(const.ival.ival)
            elif kind == "fval":
                out.append(const.fval.fval)
            elif kind == "sval":
                out.append(const.sval.sval)
            else:
                out.append(0)
        elif which == "column_ref":
            fields = mod.column_ref.fields
            out.append(fields[0].string.sval if fields else "")
        else:
            out.append(None)
    return out


def type_name_parts(node: Any) -> tuple[str | None, str, list[Any], bool]:
    """A TypeName's (schema, name, modifiers, array)."""
    names = [n.string.sval for n in node.names]
    schema = names[-2] if len(names) >= 2 else None
    return schema, names[-1], _typmods(node), len(node.array_bounds) > 0


def format_builtin(name: str, mods: list[Any]) -> str | None:
    """format_type's text for a built-in type with these modifiers; None if not built in."""
    base = _BUILTIN.get(name)
    if base is None:
        return None
    ints = [m for m in mods if isinstance(m, int)]
    if base in ("character varying", "bit varying"):
        return f"{base}({ints[0]})" if ints else base
    if base == "character":
        return f"character({ints[0] if ints else 1})"
    if base == "bit":
        return f"bit({ints[0] if ints else 1})"
    if base == "numeric":
        if not ints:
            return "numeric"
        return f"numeric({ints[0]},{ints[1] if len(ints) > 1 else 0})"
    if base in ("timestamp", "timestamptz", "time", "timetz"):
        word = "timestamp" if base.startswith("timestamp") else "time"
        zone = "with time zone" if base.endswith("tz") else "without time zone"
        return f"{word}({ints[0]}) {zone}" if ints else f"{word} {zone}"
    if base == "interval":
        return f"interval({ints[-1]})" if len(ints) == 1 else "interval"
    if name == "float8" and ints and ints[0] <= 24:
        return "real"
    return base


def serial_base(name: str) -> str | None:
    return _SERIAL.get(name)


def is_catalog_type(schema: str | None, name: str) -> bool:
    return schema == "pg_catalog" or (schema is None and name in _BUILTIN)


# -- expressions ----------------------------------------------------------------------------------

TypeOf = Callable[[str], "str | None"]
"""A column's format_type text by column name (None: unknown)."""

_FUNCTION_TYPES = {
    "now": "timestamp with time zone",
    "lower": "text",
    "upper": "text",
    "gen_random_uuid": "uuid",
    "uuid_generate_v4": "uuid",
    "length": "integer",
    "char_length": "integer",
    "btrim": "text",
    "trim": "text",
    "md5": "text",
    "nextval": "bigint",
    "currval": "bigint",
    "coalesce": None,
}
_FUNCTION_ARGS = {
    "lower": "text",
    "upper": "text",
    "length": "text",
    "char_length": "text",
    "btrim": "text",
    "md5": "text",
    "nextval": "regclass",
    "currval": "regclass",
}
"""The parameter type of one-type functions: an argument of another type shows its cast."""
_ARITHMETIC = frozenset({"+", "-", "*", "/", "%"})
_INEXACT = frozenset({"numeric", "double precision", "real"})


def _int_cast(printed: Printed, other: str | None, text: str) -> str:
    """An integer constant beside a numeric / float operand, as ruleutils prints it."""
    if printed.type != "integer" or printed.literal is not None or not printed.text.isdigit():
        return text
    target = without_typmod(other or "")
    if target == "real":  # real has operators with double precision, not with integer
        target = "double precision"
    return f"({printed.text})::{target}" if target in _INEXACT else text


_VARCHAR = re.compile(r"^character varying(\(\d+\))?$")
_TEXT_MATCH = frozenset({"~~", "!~~", "~~*", "!~~*", "~", "!~", "~*", "!~*"})
_TEXTUAL = re.compile(r"^(character varying|character|bpchar)(\(\d+\))?$")
_SQL_VALUE = {
    "SVFOP_CURRENT_DATE": ("CURRENT_DATE", "date"),
    "SVFOP_CURRENT_TIME": ("CURRENT_TIME", "time with time zone"),
    "SVFOP_CURRENT_TIME_N": ("CURRENT_TIME", "time with time zone"),
    "SVFOP_CURRENT_TIMESTAMP": ("CURRENT_TIMESTAMP", "timestamp with time zone"),
    "SVFOP_CURRENT_TIMESTAMP_N": ("CURRENT_TIMESTAMP", "timestamp with time zone"),
    "SVFOP_LOCALTIME": ("LOCALTIME", "time without time zone"),
    "SVFOP_LOCALTIME_N": ("LOCALTIME", "time without time zone"),
    "SVFOP_LOCALTIMESTAMP": ("LOCALTIMESTAMP", "timestamp without time zone"),
    "SVFOP_LOCALTIMESTAMP_N": ("LOCALTIMESTAMP", "timestamp without time zone"),
    "SVFOP_CURRENT_ROLE": ("CURRENT_ROLE", "name"),
    "SVFOP_CURRENT_USER": ("CURRENT_USER", "name"),
    "SVFOP_USER": ("CURRENT_USER", "name"),
    "SVFOP_SESSION_USER": ("SESSION_USER", "name"),
    "SVFOP_CURRENT_CATALOG": ("CURRENT_CATALOG", "name"),
    "SVFOP_CURRENT_SCHEMA": ("CURRENT_SCHEMA", "name"),
}
_SVF_NAMES = {v: k for k, v in postgast.pg_query_pb2.SQLValueFunctionOp.items()}
_BOOL_NAMES = {
    "true": "true",
    "t": "true",
    "yes": "true",
    "y": "true",
    "on": "true",
    "1": "true",
    "false": "false",
    "f": "false",
    "no": "false",
    "n": "false",
    "off": "false",
    "0": "false",
}
_INT_TYPES = {"integer", "smallint", "bigint"}
_COMPARISON = {"=", "<>", "!=", "<", ">", "<=", ">=", "~~", "!~~", "~~*", "!~~*", "~", "~*"}


class Printed:
    """An expression's text and PostgreSQL type (None while it is an untyped literal).

    `shape` says what kind of node printed it, which decides parentheses in pretty mode:
    `simple` (a column, a constant), `function` (a call, or what prints like one), `op`
    (with `op` its operator), `and`, `or`, `not`, or `test` (IS NULL, IS DISTINCT FROM)."""

    __slots__ = ("literal", "op", "shape", "text", "type")

    def __init__(
        self,
        text: str,
        type: str | None,
        literal: str | None = None,
        shape: str = "simple",
        op: str = "",
    ) -> None:
        self.text = text
        self.type = type
        self.literal = literal
        """The value of an untyped string literal, still waiting for its type."""
        self.shape = shape
        self.op = op


def _is_simple(child: Printed, parent: str, parent_op: str = "", first: bool = False) -> bool:
    """ruleutils' `isSimpleNode` for the shapes we print: whether `child` needs no
    parentheses under `parent` in pretty mode."""
    shape = child.shape
    if shape in ("simple", "function"):
        return True
    if parent == "cast":
        return False
    if shape == "op" and parent == "op":
        low, high = "+-", "*/%"
        op, pop = child.op[:1], parent_op[:1]
        if not op or not pop or op not in low + high or pop not in low + high:
            return False
        if op in high and pop in low:
            return True
        if op in low and pop in high:
            return False
        return first
    if shape in ("op", "test"):
        return parent in ("and", "or", "not")
    if parent in ("and", "or", "not"):
        if shape in ("not", "and"):
            return parent in ("and", "or")
        if shape == "or":
            return parent == "or"
    return False


class ExprPrinter:
    """Prints raw expressions as `pg_get_expr` would after analysis.

    `type_of` gives a column's type; `type_text` turns a TypeName node into format_type text.
    `pretty` follows ruleutils' pretty mode (`pg_get_constraintdef(oid, true)`,
    `pg_get_indexdef(oid, k, true)`): parentheses only where precedence needs them; without
    it every operator, test and boolean expression has its own.
    """

    def __init__(
        self, type_of: TypeOf, type_text: Callable[[Any], str], pretty: bool = False
    ) -> None:
        self.type_of = type_of
        self.type_text = type_text
        self.pretty = pretty

    def text(self, node: Any, want: str | None = None) -> str:
        """The expression as text; an untyped literal takes type `want` (else text)."""
        printed = self.expr(node)
        return self.settle(printed, want)

    def index_part(self, node: Any) -> str:
        """An index key expression as `pg_get_indexdef(oid, k, true)` prints it: in
        parentheses unless it reads as a function call."""
        printed = self.expr(node)
        text = self.settle(printed, None)
        return text if printed.shape == "function" else f"({text})"

    def settle(self, printed: Printed, want: str | None) -> str:
        if printed.literal is None:
            return printed.text
        return literal_of_type(printed.literal, want or "text")

    def expr(self, node: Any) -> Printed:
        which = node.WhichOneof("node")
        method = getattr(self, "_" + which, None) if which else None
        if method is None:
            return Printed(_fallback(node), None)
        return method(getattr(node, which))

    def _own(self, text: str) -> str:
        """A node's own parentheses (non-pretty mode only)."""
        return text if self.pretty else f"({text})"

    def _arg(
        self,
        child: Printed,
        want: str | None,
        parent: str,
        parent_op: str = "",
        first: bool = False,
    ) -> str:
        text = self.settle(child, want)
        if self.pretty and not _is_simple(child, parent, parent_op, first):
            return f"({text})"
        return text

    # -- leaves -----------------------------------------------------------------------------------

    def _a_const(self, c: Any) -> Printed:
        if c.isnull:
            return Printed("NULL", None)
        kind = c.WhichOneof("val")
        if kind is None or kind == "ival":
            value = c.ival.ival
            if value < 0:
                return Printed(f"'{value}'::integer", "integer")
            return Printed(str(value), "integer")
        if kind == "fval":
            text = c.fval.fval
            if re.fullmatch(r"-?\d+", text):
                n = int(text)
                typ = "bigint" if -(2**63) <= n < 2**63 else "numeric"
                return Printed(f"'{text}'::{typ}", typ)
            if text.startswith("-"):
                return Printed(f"'{text}'::numeric", "numeric")
            return Printed(text, "numeric")
        if kind == "boolval":
            return Printed("true" if c.boolval.boolval else "false", "boolean")
        if kind == "sval":
            return Printed(quote_literal(c.sval.sval), None, c.sval.sval)
        if kind == "bsval":
            return Printed(quote_literal(c.bsval.bsval[1:]) + '::"bit"', "bit")
        return Printed(_fallback_const(c), None)

    def _column_ref(self, ref: Any) -> Printed:
        names = []
        for field in ref.fields:
            if field.WhichOneof("node") == "string":
                names.append(field.string.sval)
            else:
                names.append("*")
        text = ".".join(n if n == "*" else quote_ident(n) for n in names)
        return Printed(text, self.type_of(names[-1]) if names else None)

    def _sqlvalue_function(self, f: Any) -> Printed:
        name = _SVF_NAMES.get(f.op, "")
        text, typ = _SQL_VALUE.get(name, (name, None))
        if name.endswith("_N") and f.typmod >= 0:
            text = f"{text}({f.typmod})"
        return Printed(text, typ, shape="function")

    # -- composite -------------------------------------------------------------------------------

    def _type_cast(self, cast: Any) -> Printed:
        target = self.type_text(cast.type_name)
        arg = cast.arg
        which = arg.WhichOneof("node")
        if which == "a_const" and arg.a_const.WhichOneof("val") == "sval":
            return Printed(literal_of_type(arg.a_const.sval.sval, target), target)
        if which == "a_array_expr" and not arg.a_array_expr.elements:
            return Printed(f"ARRAY[]::{target}", target)
        if which == "a_array_expr" and target.endswith("[]"):
            element = target[:-2]
            items = [self.text(e, element) for e in arg.a_array_expr.elements]
            return Printed("ARRAY[" + ", ".join(items) + "]", target)
        inner = self.expr(arg)
        if inner.type == target:
            return inner
        text = self._arg(inner, None, "cast") if self.pretty else f"({self.settle(inner, None)})"
        return Printed(f"{text}::{target}", target)

    def _a_array_expr(self, arr: Any) -> Printed:
        items = [self.expr(e) for e in arr.elements]
        typ = next((i.type for i in items if i.type), "text")
        texts = [self.settle(i, typ) for i in items]
        return Printed("ARRAY[" + ", ".join(texts) + "]", f"{typ}[]")

    def _func_call(self, call: Any) -> Printed:
        names = [n.string.sval for n in call.funcname]
        if names and names[0] == "pg_catalog" and len(names) > 1:
            names = names[1:]
        name = names[-1]
        want = _FUNCTION_ARGS.get(name) if len(names) == 1 else None
        args = [self._call_arg(a, want) for a in call.args]
        sql_syntax = postgast.pg_query_pb2.CoercionForm.Name(call.funcformat) == "COERCE_SQL_SYNTAX"
        if sql_syntax and name == "substring" and len(names) == 1 and len(args) in (2, 3):
            # `substring(x from 1 for 9)` keeps its SQL syntax: SUBSTRING(x FROM 1 FOR 9)
            rest = f" FOR {args[2]}" if len(args) == 3 else ""
            return Printed(
                f"SUBSTRING({args[0]} FROM {args[1]}{rest})", _FUNCTION_TYPES.get(name),
                shape="function",
            )  # fmt: skip
        args_text = "*" if call.agg_star else ", ".join(args)
        text = ".".join(quote_ident(n) for n in names) + f"({args_text})"
        return Printed(text, _FUNCTION_TYPES.get(name), shape="function")

    def _cast_text(self, printed: Printed, text: str) -> str:
        """A varchar operand shown with the implicit cast to text ruleutils prints."""
        if printed.literal is not None or not (printed.type and _VARCHAR.match(printed.type)):
            return text
        inner = self._arg(printed, None, "cast") if self.pretty else f"({printed.text})"
        return f"{inner}::text"

    def _call_arg(self, node: Any, want: str | None) -> str:
        """A function's argument; ruleutils shows implicit casts there (`lower(email::text)`
        for a varchar column), and a literal takes the parameter's type."""
        printed = self.expr(node)
        if printed.literal is not None:
            if want == "regclass":
                return quote_literal(regclass_text(printed.literal)) + "::regclass"
            return self.settle(printed, want)
        if want == "text" and printed.type and _TEXTUAL.match(printed.type):
            inner = self._arg(printed, None, "cast") if self.pretty else f"({printed.text})"
            return f"{inner}::text"
        return printed.text

    def _coalesce_expr(self, c: Any) -> Printed:
        items = [self.expr(a) for a in c.args]
        typ = next((i.type for i in items if i.type), None)
        texts = [self.settle(i, typ) for i in items]
        return Printed("COALESCE(" + ", ".join(texts) + ")", typ, shape="function")

    def _null_test(self, t: Any) -> Printed:
        inner = self._arg(self.expr(t.arg), None, "test")
        test = "IS NULL" if t.nulltesttype == 1 else "IS NOT NULL"
        return Printed(self._own(f"{inner} {test}"), "boolean", shape="test")

    def _boolean_test(self, t: Any) -> Printed:
        words = {
            1: "IS TRUE",
            2: "IS NOT TRUE",
            3: "IS FALSE",
            4: "IS NOT FALSE",
            5: "IS UNKNOWN",
            6: "IS NOT UNKNOWN",
        }
        inner = self._arg(self.expr(t.arg), "boolean", "test")
        return Printed(
            self._own(f"{inner} {words.get(t.booltesttype, '')}"), "boolean", shape="test"
        )

    def _bool_expr(self, b: Any) -> Printed:
        shape = {1: "and", 2: "or", 3: "not"}.get(b.boolop, "and")
        args = [self._arg(self.expr(a), "boolean", shape) for a in b.args]
        if shape == "not":
            return Printed(self._own(f"NOT {args[0]}"), "boolean", shape=shape)
        word = " AND " if shape == "and" else " OR "
        return Printed(self._own(word.join(args)), "boolean", shape=shape)

    def _a_expr(self, e: Any) -> Printed:
        kind = postgast.pg_query_pb2.A_Expr_Kind.Name(e.kind)
        op = e.name[-1].string.sval if e.name else ""
        if kind == "AEXPR_IN":
            left = self.expr(e.lexpr)
            items = [self.expr(i) for i in e.rexpr.list.items]
            typ = left.type or next((i.type for i in items if i.type), "text")
            texts = [self.settle(i, typ) for i in items]
            quant = "ANY" if op == "=" else "ALL"
            ltext = self._arg(left, typ, "op", op, True)
            return Printed(
                self._own(f"{ltext} {op} {quant} (ARRAY[{', '.join(texts)}])"),
                "boolean",
                shape="op",
                op=op,
            )
        if kind in ("AEXPR_OP_ANY", "AEXPR_OP_ALL"):
            left = self.expr(e.lexpr)
            right = self.expr(e.rexpr)
            quant = "ANY" if kind == "AEXPR_OP_ANY" else "ALL"
            element = right.type[:-2] if right.type and right.type.endswith("[]") else None
            ltext = self._arg(left, element, "op", op, True)
            rtext = self.settle(right, f"{left.type}[]" if left.type else None)
            return Printed(
                self._own(f"{ltext} {op} {quant} ({rtext})"), "boolean", shape="op", op=op
            )
        shape = "op"
        if kind == "AEXPR_LIKE":
            op = "~~" if op == "~~" else "!~~"
        elif kind == "AEXPR_ILIKE":
            op = "~~*" if op == "~~*" else "!~~*"
        elif kind == "AEXPR_DISTINCT":
            op, shape = "IS DISTINCT FROM", "test"
        elif kind == "AEXPR_NOT_DISTINCT":
            op, shape = "IS NOT DISTINCT FROM", "test"
        elif kind not in ("AEXPR_OP",):
            return Printed(_fallback_expr(e), None)
        if not e.HasField("lexpr"):
            right = self.expr(e.rexpr)
            rtext = self._arg(right, None, "op", op)
            return Printed(self._own(f"{op} {rtext}"), right.type, shape=shape, op=op)
        left = self.expr(e.lexpr)
        right = self.expr(e.rexpr)
        ltype = left.type or right.type
        rtype = right.type or left.type
        if op == "||" and (left.type or right.type) in ("text", "character varying"):
            ltype = rtype = "text"
        as_text = op in _TEXT_MATCH and bool(_VARCHAR.match(ltype or ""))
        if as_text:
            # no `varchar ~~ varchar` operator: PostgreSQL matches as text, both sides cast
            # (`((email)::text ~~ '%@%'::text)`)
            ltype = rtype = "text"
        elif op in _TEXT_MATCH and _TEXTUAL.match(ltype or ""):
            rtype = "text"  # `character` has its own, `bpchar ~~ text` (bpcharlike)
        ltext = self._arg(left, ltype, shape, op, True)
        rtext = self._arg(right, rtype, shape, op, False)
        if op in _COMPARISON or op in _ARITHMETIC:
            # no `numeric > integer` operator: the integer constant is cast, `(0)::numeric`
            ltext = _int_cast(left, right.type, ltext)
            rtext = _int_cast(right, left.type, rtext)
        if as_text:
            ltext = self._cast_text(left, ltext)
            rtext = self._cast_text(right, rtext)
        typ = "boolean" if op in _COMPARISON or shape == "test" else ltype
        return Printed(self._own(f"{ltext} {op} {rtext}"), typ, shape=shape, op=op)

    def _case_expr(self, c: Any) -> Printed:
        parts = ["CASE"]
        if c.HasField("arg"):
            parts.append(self.text(c.arg))
        typ = None
        for when in c.args:
            w = when.case_when
            result = self.expr(w.result)
            typ = typ or result.type
            parts.append(f"WHEN {self.text(w.expr, 'boolean')} THEN {self.settle(result, typ)}")
        if c.HasField("defresult"):
            parts.append(f"ELSE {self.text(c.defresult, typ)}")
        parts.append("END")
        return Printed(" ".join(parts), typ)


def regclass_text(value: str) -> str:
    """How `regclass` prints a relation named by text: unquoted parts lower-cased, each part
    quoted where it must be, `public.` left out."""
    parts = []
    for match in re.finditer(r'"((?:[^"]|"")*)"|([^."]+)', value):
        if match.group(1) is not None:
            parts.append(match.group(1).replace('""', '"'))
        else:
            parts.append(match.group(2).strip().lower())
    if len(parts) == 2 and parts[0] == "public":
        parts = parts[1:]
    return ".".join(quote_ident(p) for p in parts)


_TYPMOD = re.compile(r"\(\d+(?:,\d+)?\)")


def without_typmod(typ: str) -> str:
    """The type a constant takes when it is coerced to a column: no modifiers
    (`character varying(50)` -> `character varying`, `character(2)` -> `bpchar`)."""
    array = typ.endswith("[]")
    base = typ[:-2] if array else typ
    base = _TYPMOD.sub("", base)
    if base == "character":
        base = "bpchar"
    return base + ("[]" if array else "")


def literal_of_type(value: str, typ: str) -> str:
    """An untyped literal given type `typ`, as the database prints the constant."""
    if typ == "boolean":
        word = _BOOL_NAMES.get(value.strip().lower())
        if word is not None:
            return word
    if typ == "integer" and re.fullmatch(r"\s*\d+\s*", value):
        return str(int(value))
    if typ == "jsonb":
        with contextlib.suppress(ValueError, RecursionError):  # not JSON, or nested too deeply
            value = _jsonb_text(json.loads(value))
    return f"{quote_literal(value)}::{typ}"


def _jsonb_text(value: Any) -> str:
    """jsonb's output: `{"a": 1, "b": [1, 2]}`, keys by length, then bytes."""
    if isinstance(value, dict):
        keys = sorted(value, key=lambda k: (len(k.encode()), k.encode()))
        inner = ", ".join(
            f"{json.dumps(k, ensure_ascii=False)}: {_jsonb_text(value[k])}" for k in keys
        )
        return "{" + inner + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_jsonb_text(v) for v in value) + "]"
    return json.dumps(value, ensure_ascii=False)


def _fallback(node: Any) -> str:
    """libpg_query's own deparse of an expression we do not print ourselves."""
    pb = postgast.pg_query_pb2
    try:
        select = pb.SelectStmt(target_list=[pb.Node(res_target=pb.ResTarget(val=node))])
        tree = pb.ParseResult(stmts=[pb.RawStmt(stmt=pb.Node(select_stmt=select))])
        text = postgast.deparse(tree)
        return text.removeprefix("SELECT ").strip()
    except Exception:
        return "?"


def _fallback_expr(e: Any) -> str:
    return _fallback(postgast.pg_query_pb2.Node(a_expr=e))


def _fallback_const(c: Any) -> str:
    return _fallback(postgast.pg_query_pb2.Node(a_const=c))

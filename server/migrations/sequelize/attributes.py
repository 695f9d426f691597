"""What a queryInterface call's JavaScript arguments say, as the query generator's plain data.

`{ type: Sequelize.STRING(40), allowNull: false, references: { model: "Users", key: "id" } }`
becomes a `column_sql.Attribute`; `DataTypes.ENUM("a", "b")` a `column_sql.DataType`. A value
that cannot be known without running the code raises `Unreadable` with the range of the part
that could not be read, so the call becomes a finding pointing at it.
"""

from __future__ import annotations

from schemasense.codegen.orms.sequelize.column_sql import (
    CLIENT_SIDE,
    MISSING,
    Attribute,
    DataType,
    Raw,
)
from schemasense.server.sources.typescript.values import (
    Array,
    Bool,
    Call,
    Null,
    Num,
    Obj,
    Ref,
    Str,
    Unknown,
    Value,
)


class Unreadable(Exception):
    """A part of a call that cannot be read statically: `message` and its file range."""

    def __init__(self, message: str, start: int, end: int) -> None:
        super().__init__(message)
        self.message = message
        self.start = start
        self.end = end


_TYPE_KEYS = {
    "STRING", "CHAR", "TEXT", "CITEXT", "TINYTEXT", "INTEGER", "BIGINT", "SMALLINT", "TINYINT",
    "MEDIUMINT", "FLOAT", "REAL", "DOUBLE", "DECIMAL", "NUMERIC", "BOOLEAN", "DATE", "DATEONLY",
    "TIME", "NOW", "UUID", "JSON", "JSONB", "BLOB", "ENUM", "ARRAY", "RANGE", "GEOMETRY",
    "GEOGRAPHY", "INET", "CIDR", "MACADDR", "TSVECTOR", "HSTORE", "VIRTUAL", "UUIDV4", "UUIDV1",
    "NUMBER", "ABSTRACT",
}  # fmt: skip
_MODIFIERS = {"UNSIGNED", "ZEROFILL", "BINARY"}
_CLIENT_DEFAULTS = {"NOW", "UUIDV4", "UUIDV1"}


def describe(value: Value) -> str:
    """A short text for a message about `value`."""
    if isinstance(value, Ref):
        return value.dotted
    if isinstance(value, Unknown) and value.text:
        return value.text[:60]
    return type(value).__name__.lower()


def text(value: Value | None, what: str, at: tuple[int, int]) -> str:
    """A known string (`"users"`), else `Unreadable`."""
    if isinstance(value, Str) and value.value is not None:
        return value.value
    if value is None:
        raise Unreadable(f"{what} is missing", *at)
    raise Unreadable(
        f"{what} `{describe(value)}` is not known without running the code", value.start, value.end
    )


def table_name(value: Value | None, at: tuple[int, int]) -> str:
    """A table argument: `"users"` or `{ tableName: "users", schema: "public" }`."""
    if isinstance(value, Obj) and value.get("tableName") is not None:
        schema = value.get("schema")
        name = text(value.get("tableName"), "the table name", at)
        if isinstance(schema, Str) and schema.value not in (None, "public"):
            raise Unreadable(f"the schema `{schema.value}` is not modelled", value.start, value.end)
        return name
    return text(value, "the table name", at)


def _type_key(path: tuple[str, ...]) -> tuple[str, tuple[str, ...]] | None:
    """`("Sequelize", "INTEGER", "UNSIGNED")` -> ("INTEGER", ("UNSIGNED",))."""
    for i, part in enumerate(path):
        if part in _TYPE_KEYS and all(m in _MODIFIERS for m in path[i + 1 :]):
            return part, path[i + 1 :]
    return None


def data_type(value: Value) -> DataType:
    """A `DataTypes.X`, `DataTypes.X(...)` or a type written as a string (`"VARCHAR(20)"`)."""
    if isinstance(value, Str) and value.value is not None:
        return DataType(value.value)
    if isinstance(value, Ref):
        found = _type_key(value.path)
        if found is not None:
            return _modified(DataType(_normal(found[0])), found[1])
    if isinstance(value, Call) and isinstance(value.callee, Ref):
        found = _type_key(value.callee.path)
        if found is not None:
            return _modified(_called(_normal(found[0]), value), found[1])
    raise Unreadable(
        f"the data type `{describe(value)}` is not known without running the code",
        value.start,
        value.end,
    )


def _normal(key: str) -> str:
    return {"NUMERIC": "DECIMAL", "TINYTEXT": "TEXT"}.get(key, key)


def _modified(t: DataType, modifiers: tuple[str, ...]) -> DataType:
    from dataclasses import replace

    for m in modifiers:
        t = replace(t, **{m.lower(): True})
    return t


def _num(value: Value | None) -> int | None:
    if isinstance(value, Num) and isinstance(value.value, int):
        return value.value
    if isinstance(value, Num):
        return int(value.value)
    return None


def _called(key: str, call: Call) -> DataType:
    args = call.args
    first = args[0] if args else None
    if isinstance(first, Obj) and key not in ("ENUM",):
        opts = first
        return DataType(
            key,
            length=_num(opts.get("length")) or _str(opts.get("length")),
            binary=_bool(opts.get("binary")),
            unsigned=_bool(opts.get("unsigned")),
            zerofill=_bool(opts.get("zerofill")),
            decimals=_num(opts.get("decimals")),
            precision=_num(opts.get("precision")),
            scale=_num(opts.get("scale")),
        )
    if key in ("STRING", "CHAR"):
        return DataType(key, length=_num(first), binary=_bool(args[1] if len(args) > 1 else None))
    if key in ("TEXT", "BLOB"):
        return DataType(key, length=_str(first))
    if key == "DECIMAL":
        return DataType(key, precision=_num(first), scale=_num(args[1] if len(args) > 1 else None))
    if key in ("INTEGER", "BIGINT", "SMALLINT", "TINYINT", "MEDIUMINT", "FLOAT", "REAL", "DOUBLE"):
        return DataType(key, length=_num(first), decimals=_num(args[1] if len(args) > 1 else None))
    if key == "DATE":
        return DataType(key, length=_num(first))
    if key == "ENUM":
        values: list[Value] = []
        if isinstance(first, Obj) and isinstance(first.get("values"), Array):
            values = list(first.get("values").items)  # type: ignore[union-attr]
        elif isinstance(first, Array):
            values = list(first.items)
        else:
            values = list(args)
        try:
            known = tuple(text(v, "an ENUM value", (call.start, call.end)) for v in values)
        except Unreadable as problem:  # SQLite prints TEXT without them
            return DataType(key, values_unknown=problem.message)
        return DataType(key, values=known)
    if key in ("ARRAY", "RANGE"):
        return DataType(key, inner=data_type(first) if first is not None else None)
    if key in ("GEOMETRY", "GEOGRAPHY"):
        return DataType(key, geometry=_str(first), srid=_num(args[1] if len(args) > 1 else None))
    return DataType(key)


def _str(value: Value | None) -> str | None:
    return value.value if isinstance(value, Str) else None


def _bool(value: Value | None) -> bool:
    return isinstance(value, Bool) and value.value


def js_value(value: Value) -> object:
    """A default value: a JS literal as Python, `Sequelize.fn`/`literal` as `Raw`, NOW/UUIDV4
    as `CLIENT_SIDE`."""
    if isinstance(value, Str):
        if value.value is None:
            raise Unreadable("a default value with a part not known", value.start, value.end)
        return value.value
    if isinstance(value, (Num, Bool)):
        return value.value
    if isinstance(value, Null):
        return None
    if isinstance(value, Array):
        return [js_value(v) for v in value.items]
    if isinstance(value, Obj) and not value.spreads:
        return {p.key: js_value(p.value) for p in value.props}
    if isinstance(value, Ref) and value.path[-1] in _CLIENT_DEFAULTS:
        return CLIENT_SIDE
    if isinstance(value, Call) and isinstance(value.callee, Ref):
        name = value.callee.path[-1]
        if name in _CLIENT_DEFAULTS:
            return CLIENT_SIDE
        if name == "literal" and value.args:
            return Raw(text(value.args[0], "the literal", (value.start, value.end)))
        if name == "fn" and value.args:
            fn = text(value.args[0], "the function name", (value.start, value.end))
            params = ", ".join(_fn_arg(a) for a in value.args[1:])
            return Raw(f"{fn}({params})")
    raise Unreadable(
        f"the value `{describe(value)}` is not known without running the code",
        value.start,
        value.end,
    )


def _fn_arg(value: Value) -> str:
    v = js_value(value)
    if isinstance(v, Raw):
        return v.sql
    if isinstance(v, str):
        return "'" + v.replace("'", "''") + "'"
    return str(v).lower() if isinstance(v, bool) else str(v)


def merged(value: Value) -> Value:
    """`{ ...base, allowNull: false }` with `base` known: its properties, then the object's
    own (the reader keeps spreads apart; they are written first in what migrations do)."""
    if not isinstance(value, Obj) or not value.spreads:
        return value
    if not all(isinstance(s, Obj) and not s.spreads for s in value.spreads):
        return value
    props = tuple(p for s in value.spreads for p in s.props) + value.props  # type: ignore[union-attr]
    return Obj(value.start, value.end, props, (), value.unknown_keys)


def attribute(value: Value, unknown: list[Unreadable] | None = None) -> Attribute:
    """One attribute: `{ type, allowNull, defaultValue, ... }` or a bare data type. With
    `unknown`, a default that is not known (computed at run time) is left out and said
    there, rather than making the whole attribute unreadable."""
    value = merged(value)
    if not isinstance(value, Obj) or value.get("type") is None:
        return Attribute(data_type(value))
    if value.spreads:
        spread = value.spreads[0]
        raise Unreadable(
            f"the spread `...{describe(spread)}` is not known without running the code",
            spread.start,
            spread.end,
        )
    t = data_type(value.get("type"))  # type: ignore[arg-type]
    values = value.get("values")
    if t.key == "ENUM" and not t.values and isinstance(values, Array):
        from dataclasses import replace

        at = (values.start, values.end)
        t = replace(t, values=tuple(text(v, "an ENUM value", at) for v in values.items))
    allow = value.get("allowNull")
    default = value.get("defaultValue")
    refs = value.get("references")
    references = None
    if refs is not None:
        if not isinstance(refs, Obj):
            raise Unreadable("the references are not known", refs.start, refs.end)
        model = refs.get("model")
        at = (refs.start, refs.end)
        ref_table = table_name(model, at) if model is not None else text(None, "the model", at)
        key = refs.get("key")
        references = (ref_table, text(key, "the referenced key", at) if key is not None else None)
    unique = value.get("unique")
    known_default: object = MISSING
    if default is not None and not (isinstance(default, Null) and default.undefined):
        try:
            known_default = js_value(default)
        except Unreadable as problem:
            if unknown is None:
                raise
            unknown.append(
                Unreadable(
                    f"{problem.message}: the column's default is left out",
                    problem.start,
                    problem.end,
                )
            )
    return Attribute(
        t,
        allow_null=allow.value if isinstance(allow, Bool) else None,
        default=known_default,
        unique=bool(isinstance(unique, Bool) and unique.value),
        primary_key=_bool(value.get("primaryKey")),
        auto_increment=_bool(value.get("autoIncrement")),
        auto_increment_identity=_bool(value.get("autoIncrementIdentity")),
        references=references,
        on_delete=_str(value.get("onDelete")),
        on_update=_str(value.get("onUpdate")),
        comment=_str(value.get("comment")),
    )

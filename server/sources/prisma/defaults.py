"""`@default(...)` while attributes are read (psl's `parser-database/src/attributes/default.rs`):
does the value fit the field's type and arity, and are the functions' arguments right?

Finer checks that need the provider or parse the value (JSON, base64, RFC 3339 dates, 64-bit
integers, unknown functions, `auto()`) run later in the validation pipeline
(`validations/fields.py`), as in Prisma.
"""

from __future__ import annotations

from schemasense.server.sources.prisma import ast, problems
from schemasense.server.sources.prisma.arguments import ArgumentReader
from schemasense.server.sources.prisma.database import Database, FieldInfo

KNOWN_FUNCTIONS = frozenset(
    {"autoincrement", "cuid", "dbgenerated", "nanoid", "now", "uuid", "auto", "ulid"}
)
_FUNCTION_TYPES = {
    "autoincrement": ("Int", "BigInt"),
    "cuid": ("String",),
    "uuid": ("String",),
    "nanoid": ("String",),
    "ulid": ("String",),
    "now": ("DateTime",),
}
_LITERAL_KINDS = {
    "String": (ast.StringValue,),
    "Json": (ast.StringValue,),
    "Bytes": (ast.StringValue,),
    "DateTime": (ast.StringValue,),
    "Int": (ast.NumericValue,),
    "BigInt": (ast.NumericValue,),
    "Float": (ast.NumericValue,),
    "Decimal": (ast.NumericValue, ast.StringValue),
}


class _Default:
    def __init__(self, db: Database, f: FieldInfo, reader: ArgumentReader) -> None:
        self.db = db
        self.f = f
        self.reader = reader

    def error(self, message: str, span=None) -> bool:
        self.reader.error(message, span, code=problems.DEFAULT)
        return False


def check_model_default(
    db: Database, f: FieldInfo, reader: ArgumentReader, value: ast.Expression, mapped: bool
) -> bool:
    """Whether the default of a model field is accepted (errors are reported)."""
    d = _Default(db, f, reader)
    if _trailing_comma(d, value):
        return False
    if isinstance(value, ast.FunctionCall) and value.name == "dbgenerated":
        return _dbgenerated(d, value)
    if f.kind == "composite":
        return d.error(
            "Defaults on fields of type composite are not supported. Please remove the "
            "`@default` attribute."
        )
    if f.kind == "enum":
        return _enum(d, value)
    if f.kind == "unsupported":
        return d.error('Only @default(dbgenerated("...")) can be used for Unsupported types.')
    if isinstance(value, ast.FunctionCall):
        if value.name == "autoincrement" and mapped:
            return d.error("Naming an autoincrement default value is not allowed.")
        return _function(d, value, composite=False)
    return _literal(d, value)


def check_composite_default(
    db: Database, f: FieldInfo, reader: ArgumentReader, value: ast.Expression
) -> bool:
    d = _Default(db, f, reader)
    if _trailing_comma(d, value):
        return False
    if isinstance(value, ast.FunctionCall) and value.name == "dbgenerated":
        return d.error("Fields of composite types cannot have `dbgenerated()` as default.")
    if f.kind == "composite":
        return d.error(
            "Defaults on fields of type composite are not supported. Please remove the "
            "`@default` attribute."
        )
    if f.kind == "enum":
        return _enum(d, value)
    if f.kind == "unsupported":
        return d.error("Composite field of type `Unsupported` cannot have default values.")
    if isinstance(value, ast.FunctionCall):
        if value.name in ("autoincrement", "auto"):
            return d.error(f"The function `{value.name}()` is not supported on composite fields.")
        if value.name not in KNOWN_FUNCTIONS:
            db.findings.append(unknown_function(value, f.file))
            return False
        return _function(d, value, composite=True)
    return _literal(d, value)


def _trailing_comma(d: _Default, value: ast.Expression) -> bool:
    """`@default(uuid(4,))`: psl refuses the function's trailing comma like an attribute's."""
    if isinstance(value, ast.FunctionCall) and value.arguments.trailing_comma is not None:
        d.error(
            "Trailing commas are not valid in attribute arguments, please remove the comma.",
            value.arguments.trailing_comma,
        )
        return True
    return False


def unknown_function(value: ast.FunctionCall, file: str):
    return problems.problem(
        problems.DEFAULT,
        f"Unknown function in @default(): `{value.name}` is not known. You can read about the "
        "available functions here: https://pris.ly/d/attribute-functions",
        file,
        value.span,
    )


def _dbgenerated(d: _Default, call: ast.FunctionCall) -> bool:
    args = call.arguments.arguments
    ok = True
    if len(args) > 1:
        ok = d.error("`dbgenerated()` takes a single String argument")
    first = args[0].value if args else None
    if isinstance(first, ast.StringValue) and not first.value:
        return d.error(
            "dbgenerated() takes either no argument, or a single nonempty string argument."
        )
    if first is None or isinstance(first, ast.StringValue):
        return ok
    return d.error("`dbgenerated()` takes a single String argument")


def _function(d: _Default, call: ast.FunctionCall, composite: bool) -> bool:
    name = call.name
    args = call.arguments.arguments
    if name == "auto":
        if args:
            return d.error("`auto()` takes no arguments")
        return True
    if name not in KNOWN_FUNCTIONS:
        return True  # the provider decides (CockroachDB's `sequence()`), in the pipeline
    if d.f.type_name not in _FUNCTION_TYPES.get(name, ()):
        return d.error(
            f"The function `{name}()` cannot be used on fields of type `{d.f.type_name}`."
        )
    if name in ("autoincrement", "now", "ulid"):
        if args:
            return d.error(
                f"The `{name}` function does not take any argument. Consider changing this "
                f"default to `{name}()`."
            )
        return True
    allowed = {"cuid": (1, 2), "uuid": (4, 7), "nanoid": None}[name]
    ok = True
    if len(args) > 1:
        ok = d.error(f"`{name}()` takes a single Int argument.")
    first = args[0].value if args else None
    if first is None:
        return ok
    if not isinstance(first, ast.NumericValue) or not first.text.isdigit():
        return d.error(f"`{name}()` takes a single Int argument.")
    number = int(first.text)
    if allowed is None and not 2 <= number <= 255:
        return d.error(
            "`nanoid()` takes either no argument, or a single integer argument between 2 and 255."
        )
    if allowed is not None and number not in allowed:
        return d.error(
            f"`{name}()` takes either no argument, or a single integer argument which is either "
            f"{allowed[0]} or {allowed[1]}."
        )
    return ok


def _literal(d: _Default, value: ast.Expression) -> bool:
    if d.f.is_list:
        if not isinstance(value, ast.ArrayExpression):
            return d.error("The default value of a list field must be a list.")
        return all(_scalar_literal(d, item) for item in value.items)
    if isinstance(value, ast.ArrayExpression):
        return d.error("The default value of a non-list field cannot be a list.")
    return _scalar_literal(d, value)


def _scalar_literal(d: _Default, value: ast.Expression) -> bool:
    t = d.f.type_name
    if t == "Boolean" and isinstance(value, ast.ConstantValue):
        if value.name in ("true", "false"):
            return True
        return d.error("A boolean literal must be `true` or `false`.", value.span)
    if isinstance(value, _LITERAL_KINDS.get(t, ())):
        return True
    return d.error(f"Expected a {t} value, but found `{problems.render(value)}`.")


def _enum(d: _Default, value: ast.Expression) -> bool:
    if d.f.is_list:
        if not isinstance(value, ast.ArrayExpression):
            return d.error(f"Expected an enum value, but found `{problems.render(value)}`.")
        return all(_enum_value(d, item) for item in value.items)
    return _enum_value(d, value)


def _enum_value(d: _Default, value: ast.Expression) -> bool:
    if not isinstance(value, ast.ConstantValue):
        return d.error(f"Expected an enum value, but found `{problems.render(value)}`.")
    enum = d.db.enums.get(d.f.type_name)
    if enum is not None and all(v.name.name != value.name for v in enum.ast.values):
        return d.error(
            f"The defined default value `{value.name}` is not a valid value of the enum "
            "specified for the field."
        )
    return True

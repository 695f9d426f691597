"""Scalar field validations (psl's `validations/fields.rs` and `default_value.rs`): what the
provider can store (Json, Decimal, lists), client names that clash with `@@id`/`@@unique`
names, SQL Server's default constraint names, native types (`@db.X`: known to the provider, the
right arguments, a compatible scalar, arguments in range) and defaults that fit their field."""

from __future__ import annotations

from schemasense.server.readers.prisma import ast, problems
from schemasense.server.readers.prisma.arguments import describe
from schemasense.server.readers.prisma.database import Database, FieldInfo, ModelInfo
from schemasense.server.readers.prisma.validations.context import Context, default_constraint_name

_NUMERIC = {"Int", "BigInt", "Float", "Decimal"}
_FUNCTIONS_FOR = {
    "autoincrement": {"Int", "BigInt"},
    "sequence": {"Int", "BigInt"},
    "now": {"DateTime"},
    "uuid": {"String"},
    "cuid": {"String"},
    "nanoid": {"String"},
    "ulid": {"String"},
    "auto": {"String"},
}


def _default_error(db: Database, f: FieldInfo, message: str) -> None:
    span = f.default.attribute.span if f.default else f.ast.span
    db.findings.append(
        problems.attribute_error(problems.DEFAULT, "@default", message, f.file, span)
    )


def _container(model: ModelInfo) -> str:
    return "view" if model.kind == "view" else "model"


def validate_scalar_field(ctx: Context, model: ModelInfo, f: FieldInfo) -> None:
    _connector_specific(ctx, model, f)
    _client_name(ctx, model, f)
    _default_constraint_name(ctx, model, f)
    validate_native_type(ctx, f)
    if f.default is not None:
        _default_name(ctx, f)
        _default(ctx.db, f)
    _unsupported(ctx, f)


def _field_error(ctx: Context, model: ModelInfo, f: FieldInfo, message: str, code: str) -> None:
    ctx.push(
        problems.field_error(
            code, _container(model), model.name, f.name, message, f.file, f.ast.span
        )
    )


def _connector_specific(ctx: Context, model: ModelInfo, f: FieldInfo) -> None:
    container = _container(model)
    code = problems.PROVIDER_FEATURE
    if f.kind == "scalar" and f.type_name == "Json":
        if not ctx.has("Json"):
            _field_error(
                ctx,
                model,
                f,
                f"Field `{f.name}` in {container} `{model.name}` can't be of type Json. The "
                "current connector does not support the Json type.",
                code,
            )
        if f.is_list and not ctx.has("JsonLists"):
            _field_error(
                ctx,
                model,
                f,
                f"Field `{f.name}` in {container} `{model.name}` can't be of type Json[]. The "
                "current connector does not support the Json List type.",
                code,
            )
    if f.kind == "scalar" and f.type_name == "Decimal" and not ctx.has("DecimalType"):
        _field_error(
            ctx,
            model,
            f,
            f"Field `{f.name}` in {container} `{model.name}` can't be of type Decimal. The "
            "current connector does not support the Decimal type.",
            code,
        )
    if f.is_list and not ctx.has("ScalarLists"):
        ctx.push(
            problems.problem(
                code,
                f'Field "{f.name}" in {container} "{model.name}" can\'t be a list. The current '
                "connector does not support lists of primitive types.",
                f.file,
                f.ast.span,
            )
        )


def _client_name(ctx: Context, model: ModelInfo, f: FieldInfo) -> None:
    """psl's `validate_client_name`: a field named like an `@@id` / `@@unique` / `@@index`
    `name:`."""
    validate_client_name(ctx, model, f)


def _client_names(ctx: Context, model: ModelInfo) -> dict[str, list[str]]:
    """`name:` of the model's `@@id` / `@@unique` / `@@index` -> which attributes use it."""
    cache = ctx.cache.setdefault("client_names", {})
    names = cache.get(model.name)
    if names is None:
        names = cache[model.name] = {}
        for index in model.indexes:
            if index.name is not None:
                kind = "@@unique" if index.kind == "unique" else "@@index"
                names.setdefault(index.name, []).append(kind)
        if model.id is not None and model.id.name is not None:
            names.setdefault(model.id.name, []).append("@@id")
    return names


def validate_client_name(ctx: Context, model: ModelInfo, f: FieldInfo) -> None:
    taken = _client_names(ctx, model).get(f.name)
    if not taken:
        return
    for attribute in dict.fromkeys(taken):
        ctx.push(
            problems.problem(
                problems.NAME_COLLISION,
                f'Error validating {_container(model)} "{model.name}": The custom name '
                f"`{f.name}` specified for the `{attribute}` attribute is already used as a name "
                "for a field. Please choose a different name.",
                model.file,
                model.ast.span,
            )
        )


def _default_constraint_name(ctx: Context, model: ModelInfo, f: FieldInfo) -> None:
    if f.default is None or ctx.dialect is None:
        return
    scopes = ctx.dialect.CONSTRAINT_SCOPES
    if "GlobalPrimaryKeyForeignKeyDefault" not in scopes:
        return
    name = default_constraint_name(ctx.db, f)
    for scope in ctx.names.violations(model, "default", name, scopes):
        arg = f.default.attribute.argument("map")
        ctx.push(
            problems.attribute_error(
                problems.NAME_COLLISION,
                "@default",
                ctx.violation_message(name, scope, model),
                f.file,
                arg.span if arg is not None else f.ast.span,
            )
        )


def _default_name(ctx: Context, f: FieldInfo) -> None:
    assert f.default is not None
    if f.default.map is not None and not ctx.has("NamedDefaultValues"):
        _default_error(
            ctx.db,
            f,
            "You defined a database name for the default value of a field on the model. This is "
            "not supported by the provider.",
        )


def validate_native_type(ctx: Context, f: FieldInfo) -> None:
    """psl's `validate_native_type_arguments`, with the provider's tables."""
    native = f.native
    if native is None or f.kind != "scalar":
        return
    span = native.attribute.span
    provider = ctx.dialect.NAME if ctx.dialect is not None else "Default"
    spec = ctx.dialect.native_type(native.name) if ctx.dialect is not None else None
    if spec is None:
        ctx.push(problems.native_type_unknown(native.name, provider, f.file, span))
        return
    args = native.args
    count = len(args)
    if count < spec.required_args or (count > spec.required_args and spec.optional_args == 0):
        ctx.push(
            problems.native_type_argument_count(
                native.name, spec.required_args, count, f.file, span
            )
        )
        return
    if count > spec.required_args + spec.optional_args:
        ctx.push(
            problems.native_type_optional_argument_count(
                native.name, spec.optional_args, count, f.file, span
            )
        )
        return
    if f.type_name not in spec.scalars:
        ctx.push(
            problems.native_type_incompatible(
                native.name, f.type_name, " or ".join(spec.scalars), f.file, span
            )
        )
        return
    if not spec.accepts(args):
        ctx.push(problems.native_type_bad_arguments(_raw_args(native.attribute), f.file, span))
        return
    rendered = f"{native.name}({','.join(args)})" if args else native.name
    assert ctx.dialect is not None
    if spec.args == "optional_precision_scale" and count == 2 and int(args[1]) > int(args[0]):
        ctx.push(problems.native_type_scale(rendered, ctx.dialect.DISPLAY_NAME, f.file, span))
        return
    for check in ctx.dialect.NATIVE_ARG_RANGES.get(native.name, ()):
        if check.fails(args, f.type_name):
            ctx.push(
                problems.native_type_out_of_range(
                    rendered, ctx.dialect.DISPLAY_NAME, check.message, f.file, span
                )
            )
            return


def _raw_args(attribute: ast.Attribute) -> str:
    """The arguments as Prisma prints them in a parse error: `("ten")`."""
    from schemasense.server.readers.prisma.problems import render

    values = [a.value for a in (attribute.arguments.arguments if attribute.arguments else [])]
    return "(" + ", ".join(render(v) for v in values if v is not None) + ")"


def _unsupported(ctx: Context, f: FieldInfo) -> None:
    """An `Unsupported("...")` type Prisma supports as a native type: use the native one."""
    if f.kind != "unsupported" or ctx.dialect is None or ctx.db.config.datasource_name is None:
        return
    text = f.type_name
    prefix, _, rest = text.partition("(")
    prefix = prefix.strip()
    args: list[str] = []
    if rest:
        inner, _, suffix = rest.partition(")")
        if suffix.strip():
            return
        args = [a.strip() for a in inner.split(",")] if inner.strip() else []
    spec = ctx.dialect.native_type(prefix)
    if spec is None or not spec.accepts(args):
        return
    native = f"{prefix}({', '.join(args)})" if args else prefix
    ctx.push(
        problems.validation_error(
            f'The type `Unsupported("{text}")` you specified in the type definition for the field '
            f"`{f.name}` is supported as a native type by Prisma. Please use the native type "
            f"notation `{spec.scalars[0]} @{ctx.db.config.datasource_name}.{native}` for full "
            "support.",
            f.file,
            f.ast.span,
            code=problems.NATIVE_TYPE,
        )
    )


def _default(db: Database, f: FieldInfo) -> None:
    expr = f.default.expression  # type: ignore[union-attr]
    if f.kind == "unsupported":
        if not (isinstance(expr, ast.FunctionCall) and expr.name == "dbgenerated"):
            _default_error(
                db, f, 'Only @default(dbgenerated("...")) can be used for Unsupported types.'
            )
        return
    if isinstance(expr, ast.FunctionCall):
        _default_function(db, f, expr)
        return
    if f.is_list:
        if not isinstance(expr, ast.ArrayExpression):
            _default_error(db, f, f"Expected an array value, but received {describe(expr)}.")
            return
        for item in expr.items:
            if not _literal_fits(db, f, item):
                return
        return
    if isinstance(expr, ast.ArrayExpression):
        _default_error(db, f, f"Expected a {_expected(f)} value, but received array value.")
        return
    _literal_fits(db, f, expr)


def _expected(f: FieldInfo) -> str:
    return {
        "String": "String",
        "Int": "numeric",
        "BigInt": "numeric",
        "Float": "numeric",
        "Decimal": "numeric",
        "Boolean": "boolean",
        "DateTime": "datetime",
        "Json": "JSON",
        "Bytes": "bytes",
    }.get(f.type_name, f.type_name)


def _literal_fits(db: Database, f: FieldInfo, expr: ast.Expression) -> bool:
    if f.kind == "enum":
        enum = db.enums[f.type_name]
        if not isinstance(expr, ast.ConstantValue) or expr.name not in {
            v.name.name for v, _ in enum.values
        }:
            _default_error(
                db,
                f,
                f"The defined default value `{_text(expr)}` is not a valid value of the enum "
                "specified for the field.",
            )
            return False
        return True
    if f.kind == "composite":
        _default_error(db, f, "Defaults on composite type fields are not supported.")
        return False
    t = f.type_name
    ok = True
    if t in _NUMERIC:
        ok = isinstance(expr, ast.NumericValue) and (
            t in ("Float", "Decimal") or "." not in expr.text
        )
    elif t == "Boolean":
        ok = isinstance(expr, ast.ConstantValue) and expr.name in ("true", "false")
    elif t in ("String", "DateTime", "Json", "Bytes"):
        ok = isinstance(expr, ast.StringValue)
    if not ok:
        if t in ("Int", "BigInt") and isinstance(expr, ast.NumericValue):
            _default_error(db, f, f"Expected an integer value, but received {describe(expr)}.")
        else:
            _default_error(
                db, f, f"Expected a {_expected(f)} value, but received {describe(expr)}."
            )
        return False
    if t == "DateTime" and isinstance(expr, ast.StringValue):
        import datetime

        try:
            datetime.datetime.fromisoformat(expr.value.replace("Z", "+00:00"))
        except ValueError:
            _default_error(
                db,
                f,
                f'Parse error: "{expr.value}" is not a valid rfc3339 datetime string. (input '
                "contains invalid characters)",
            )
            return False
    if t == "Json" and isinstance(expr, ast.StringValue):
        import json

        try:
            json.loads(expr.value)
        except ValueError:
            _default_error(db, f, f'Parse error: "{expr.value}" is not a valid JSON string.')
            return False
    return True


def _text(expr: ast.Expression) -> str:
    if isinstance(expr, ast.ConstantValue):
        return expr.name
    if isinstance(expr, ast.StringValue):
        return expr.value
    if isinstance(expr, ast.NumericValue):
        return expr.text
    return "..."


def _default_function(db: Database, f: FieldInfo, call: ast.FunctionCall) -> None:
    name = call.name
    if name == "dbgenerated":
        args = call.arguments.arguments
        if args and not isinstance(args[0].value, ast.StringValue):
            _default_error(db, f, "`dbgenerated()` takes a single String argument")
        return
    if name not in _FUNCTIONS_FOR:
        _default_error(
            db,
            f,
            f"The function `{name}` is not a known function. You can read about the available "
            "functions here: https://pris.ly/d/attribute-functions",
        )
        return
    if name == "auto":
        if db.provider != "mongodb":
            _default_error(db, f, "The current connector does not support the `auto()` function.")
        return
    if name == "sequence" and db.provider != "cockroachdb":
        _default_error(db, f, "The `sequence()` function is only available on CockroachDB.")
        return
    if f.kind != "scalar" or f.type_name not in _FUNCTIONS_FOR[name]:
        _default_error(
            db,
            f,
            f"The function `{name}()` cannot be used on fields of type `{f.type_name}`.",
        )
        return
    args = call.arguments.arguments
    if name in ("uuid", "cuid") and args:
        version = args[0].value
        allowed = ("4", "7") if name == "uuid" else ("1", "2")
        if not isinstance(version, ast.NumericValue) or version.text not in allowed:
            _default_error(
                db,
                f,
                f"`{name}()` takes a single Int argument, {' or '.join(allowed)}.",
            )

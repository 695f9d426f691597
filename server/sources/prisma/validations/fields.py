"""Scalar field validations (psl's `validations/fields.rs` and `default_value.rs`): what the
provider can store (Json, Decimal, lists), client names that clash with `@@id`/`@@unique`
names, SQL Server's default constraint names, native types (`@db.X`: known to the provider, the
right arguments, a compatible scalar, arguments in range) and defaults that fit their field."""

from __future__ import annotations

import base64
import binascii
import datetime
import decimal
import json
import re

from schemasense.server.sources.prisma import ast, problems
from schemasense.server.sources.prisma.database import Database, FieldInfo, ModelInfo
from schemasense.server.sources.prisma.defaults import KNOWN_FUNCTIONS, unknown_function
from schemasense.server.sources.prisma.validations.context import Context, default_constraint_name

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
    # the guards keep the common field (no list, no default, no native type) to a few lookups
    if f.is_list or f.type_name in ("Json", "Decimal"):
        _connector_specific(ctx, model, f)
    if _client_names(ctx, model):
        validate_client_name(ctx, model, f)
    if f.native is not None:
        validate_native_type(ctx, f)
    if f.default is not None:
        _default_constraint_name(ctx, model, f)
        _default_name(ctx, f)
        _default_value(ctx, f)
    if f.kind == "unsupported":
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
    datasource = ctx.db.config.datasource_name
    if datasource is not None and native.datasource != datasource:
        ctx.push(
            problems.native_type_prefix(native.datasource, datasource, native.name, f.file, span)
        )
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
    from schemasense.server.sources.prisma.problems import render

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


def _default_value(ctx: Context, f: FieldInfo) -> None:
    """psl's `default_value.rs`: values that parse as their type, and `auto()` per provider."""
    assert f.default is not None
    expr = f.default.expression
    if isinstance(expr, ast.FunctionCall):
        if expr.name == "auto" and not ctx.has("DefaultValueAuto"):
            ctx.push(
                problems.attribute_error(
                    problems.DEFAULT,
                    "@default",
                    "The current connector does not support the `auto()` function.",
                    f.file,
                    expr.span,
                )
            )
        return
    if f.kind != "scalar":
        return
    items = expr.items if isinstance(expr, ast.ArrayExpression) else [expr]
    for item in items:
        message = _parse_error(f.type_name, item)
        if message is not None:
            name = "default" if f.type_name == "Decimal" else "@default"
            ctx.push(problems.attribute_error(problems.DEFAULT, name, message, f.file, item.span))


def _parse_error(scalar: str, value: ast.Expression) -> str | None:
    if isinstance(value, ast.StringValue):
        text = value.value
        if scalar == "Json":
            try:
                json.loads(text)
            except ValueError as error:
                return f'Parse error: "{text}" is not a valid JSON string. ({error})'
            except RecursionError:
                return f'Parse error: "{text}" is not a valid JSON string. (nested too deeply)'
        elif scalar == "Bytes":
            try:
                base64.b64decode(text, validate=True)
            except (ValueError, binascii.Error):
                return (
                    f'Parse error: "{text}" is not a valid base64 string. (Could not convert '
                    "from `base64 encoded bytes` to `PrismaValue::Bytes`)"
                )
        elif scalar == "DateTime" and not _valid_datetime(text):
            return (
                f'Parse error: "{text}" is not a valid rfc3339 datetime string. (input is out of '
                "range)"
            )
        elif scalar == "Decimal":
            try:
                decimal.Decimal(text)
            except decimal.InvalidOperation:
                return (
                    f'Parse error: "{text}" is not a valid decimal. (invalid digit found in string)'
                )
    elif isinstance(value, ast.NumericValue) and scalar in ("Int", "BigInt"):
        if "." in value.text:
            return (
                f'Parse error: "{value.text}" is not a valid integer. (invalid digit found in '
                "string)"
            )
        if not -(2**63) <= int(value.text) < 2**63:
            return (
                f'Parse error: "{value.text}" is not a valid integer. (number too large to fit in '
                "target type)"
            )
    return None


_RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$")


def _valid_datetime(text: str) -> bool:
    """RFC 3339, as chrono's `parse_from_rfc3339`: a date, a time and an offset."""
    if not _RFC3339.match(text):
        return False
    try:
        datetime.datetime.fromisoformat(text.replace("z", "Z").replace("Z", "+00:00"))
    except ValueError:
        return False
    return True


def unknown_default_functions(ctx: Context) -> None:
    """psl's `validate_scalar_field_unknown_default_functions` (CockroachDB knows `sequence()`)."""
    for model in ctx.db.models.values():
        for f in model.fields:
            if f.default is None or not isinstance(f.default.expression, ast.FunctionCall):
                continue
            call = f.default.expression
            if call.name in KNOWN_FUNCTIONS:
                continue
            if call.name == "sequence" and ctx.db.provider == "cockroachdb":
                _sequence(ctx, f, call)
                continue
            ctx.push(unknown_function(call, f.file))


def _sequence(ctx: Context, f: FieldInfo, call: ast.FunctionCall) -> None:
    for arg in call.arguments.arguments:
        name = arg.name.name if arg.name else None
        if name not in ("virtual", "cache", "increment", "minValue", "maxValue", "start"):
            ctx.push(
                problems.problem(
                    problems.DEFAULT,
                    "Unexpected argument in `sequence()` function call",
                    f.file,
                    arg.span,
                )
            )

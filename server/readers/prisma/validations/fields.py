"""Field validations: defaults that fit their type, `@updatedAt`, lists and autoincrement per
provider, and what a provider cannot store."""

from __future__ import annotations

from schemasense.server.readers.prisma import ast, problems
from schemasense.server.readers.prisma.arguments import describe
from schemasense.server.readers.prisma.database import Database, FieldInfo, ModelInfo

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
_SCALAR_LISTS = {"postgresql", "cockroachdb", "mongodb", None}
_NO_ENUMS = {"sqlserver"}


def _default_error(db: Database, f: FieldInfo, message: str) -> None:
    span = f.default.attribute.span if f.default else f.ast.span
    db.findings.append(
        problems.attribute_error(problems.DEFAULT, "@default", message, f.file, span)
    )


def validate(db: Database) -> None:
    if db.provider in _NO_ENUMS:
        for enum in db.enums.values():
            db.findings.append(
                problems.problem(
                    problems.PROVIDER_FEATURE,
                    f"You defined the enum `{enum.name}`. But the current connector does not "
                    "support enums.",
                    enum.file,
                    enum.ast.span,
                )
            )
    for model in db.models.values():
        autoincrements = [f for f in model.scalar_fields if _function(f) == "autoincrement"]
        for f in model.scalar_fields:
            _field(db, model, f)
        _autoincrement(db, model, autoincrements)


def _function(f: FieldInfo) -> str | None:
    if f.default is not None and isinstance(f.default.expression, ast.FunctionCall):
        return f.default.expression.name
    return None


def _field(db: Database, model: ModelInfo, f: FieldInfo) -> None:
    if f.is_list and f.kind in ("scalar", "enum") and db.provider not in _SCALAR_LISTS:
        container = "model" if model.kind == "model" else model.kind
        db.findings.append(
            problems.problem(
                problems.PROVIDER_FEATURE,
                f'Field "{f.name}" in {container} "{model.name}" can\'t be a list. The current '
                "connector does not support lists of primitive types.",
                f.file,
                f.ast.span,
            )
        )
    if f.is_updated_at and f.type_name != "DateTime":
        attr = f.ast.attribute("updatedAt")
        db.findings.append(
            problems.attribute_error(
                problems.ATTRIBUTE,
                "@updatedAt",
                "Fields that are marked with @updatedAt must be of type DateTime.",
                f.file,
                attr.span if attr else f.ast.span,
            )
        )
    elif f.is_updated_at and f.is_list:
        attr = f.ast.attribute("updatedAt")
        db.findings.append(
            problems.attribute_error(
                problems.ATTRIBUTE,
                "@updatedAt",
                "Fields that are marked with @updatedAt cannot be lists.",
                f.file,
                attr.span if attr else f.ast.span,
            )
        )
    if f.default is not None:
        _default(db, f)


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
            f"The function `{name}()` cannot be used on fields of type `{f.type_name}`."
            if f.kind != "enum"
            else f"The function `{name}()` cannot be used on fields of type `{f.type_name}`.",
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
                f"`{name}()` takes a single Int argument, {' or '.join(allowed)}."
                if name == "uuid"
                else f"`{name}()` takes a single Int argument, {' or '.join(allowed)}.",
            )


def _autoincrement(db: Database, model: ModelInfo, fields: list[FieldInfo]) -> None:
    provider = db.provider
    if not fields or provider is None:
        return
    if provider == "sqlite":
        for f in fields:
            is_id = model.id is not None and [i.name for i in model.id.fields] == [f.name]
            if not is_id:
                db.findings.append(
                    problems.problem(
                        problems.PROVIDER_FEATURE,
                        f'Error validating model "{model.name}": The `autoincrement()` default '
                        "value is used on a non-id field even though the datasource does not "
                        "support this.",
                        model.file,
                        model.ast.span,
                    )
                )
    if provider in ("mysql", "sqlserver") and len(fields) > 1:
        db.findings.append(
            problems.problem(
                problems.PROVIDER_FEATURE,
                f'Error validating model "{model.name}": The `autoincrement()` default value is '
                "used multiple times on this model even though the underlying datasource only "
                "supports one instance per table.",
                model.file,
                model.ast.span,
            )
        )
    if provider == "mysql":
        indexed: set[str] = set()
        if model.id is not None:
            indexed.add(model.id.fields[0].name)
        for index in model.indexes:
            if index.fields:
                indexed.add(index.fields[0].name)
        for f in fields:
            if f.name not in indexed:
                db.findings.append(
                    problems.problem(
                        problems.PROVIDER_FEATURE,
                        f'Error validating model "{model.name}": The `autoincrement()` default '
                        "value is used on a non-indexed field even though the datasource does "
                        "not support this.",
                        model.file,
                        model.ast.span,
                    )
                )

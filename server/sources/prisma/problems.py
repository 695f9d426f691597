"""Every problem the Prisma reader reports, built by named constructors.

Wording follows Prisma's own validator (psl's `DatamodelError`) so a user who knows Prisma's
messages recognises ours, and tests can build the expected values. Codes are per family, so a
user can select or silence a family:

| code  | family |
| ----- | ------ |
| DB001 | syntax: a line or block the grammar cannot read |
| DB002 | a type that names no scalar, model, enum or composite type |
| DB003 | an attribute that does not exist, or is not allowed here |
| DB004 | an attribute's arguments: missing, unknown, duplicated or of the wrong kind |
| DB005 | relations: opposite fields, names, fields / references, referential actions |
| DB006 | duplicates: models, enums, fields, values, attributes |
| DB007 | a model without a unique criterion, or an invalid id |
| DB008 | a default that does not fit its field |
| DB009 | native types (`@db.X`): unknown for the provider, wrong arguments or base type |
| DB010 | datasource and generator blocks |
| DB011 | database names that collide (columns, tables, constraints, indexes) |
| DB012 | indexes, unique constraints and the fields they name |
| DB013 | a feature the provider does not have (scalar lists, enums, composite types, ...) |
| DB014 | a warning Prisma prints, not an error |
"""

from __future__ import annotations

import json

from schemasense.codegen.schema import Span
from schemasense.server.findings import Finding, Severity
from schemasense.server.sources.prisma import ast

SYNTAX = "DB001"
UNKNOWN_TYPE = "DB002"
ATTRIBUTE = "DB003"
ARGUMENT = "DB004"
RELATION = "DB005"
DUPLICATE = "DB006"
UNIQUE_CRITERIA = "DB007"
DEFAULT = "DB008"
NATIVE_TYPE = "DB009"
CONFIG = "DB010"
NAME_COLLISION = "DB011"
INDEX = "DB012"
PROVIDER_FEATURE = "DB013"
WARNING = "DB014"


def problem(
    code: str, message: str, file: str, span: tuple[int, int], severity: Severity = "error"
) -> Finding:
    return Finding(
        code=code,
        severity=severity,
        message=message,
        span=Span(file=file, start=span[0], end=span[1]),
    )


# -- syntax -------------------------------------------------------------------------------------


def invalid_top_level_line(file: str, span: tuple[int, int]) -> Finding:
    return problem(
        SYNTAX,
        "This line is invalid. It does not start with any known Prisma schema keyword.",
        file,
        span,
    )


def invalid_block(file: str, span: tuple[int, int]) -> Finding:
    return problem(
        SYNTAX,
        "This block is invalid. It does not start with any known Prisma schema keyword. "
        "Valid keywords include 'model', 'enum', 'type', 'datasource' and 'generator'.",
        file,
        span,
    )


def invalid_type_alias(file: str, span: tuple[int, int]) -> Finding:
    return problem(
        SYNTAX,
        "Invalid type definition. Please check the documentation in "
        "https://pris.ly/d/composite-types",
        file,
        span,
    )


def invalid_model_line(file: str, span: tuple[int, int]) -> Finding:
    return problem(SYNTAX, "This line is not a valid field or attribute definition.", file, span)


def invalid_enum_line(file: str, span: tuple[int, int]) -> Finding:
    return problem(SYNTAX, "This line is not an enum value definition.", file, span)


def invalid_config_line(kind: str, file: str, span: tuple[int, int]) -> Finding:
    return problem(SYNTAX, f"This line is not a valid definition within a {kind}.", file, span)


def field_missing_type(container: str, name: str, file: str, span: tuple[int, int]) -> Finding:
    return problem(
        SYNTAX,
        f'Error validating {container} "{name}": This field declaration is invalid. '
        "It is either missing a name or a type.",
        file,
        span,
    )


def legacy_syntax(message: str, file: str, span: tuple[int, int]) -> Finding:
    return problem(SYNTAX, message, file, span)


# -- shared validation wording ------------------------------------------------------------------


def model_error(
    container: str, model: str, message: str, file: str, span, code: str | None = None
) -> Finding:
    return problem(
        code or (UNIQUE_CRITERIA if "unique criteria" in message else ATTRIBUTE),
        f'Error validating {container} "{model}": {message}',
        file,
        span,
    )


def field_error(code: str, container: str, model: str, field: str, message: str, file: str, span):
    return problem(
        code,
        f"Error validating field `{field}` in {container} `{model}`: {message}",
        file,
        span,
    )


def attribute_error(code: str, attribute: str, message: str, file: str, span) -> Finding:
    return problem(code, f'Error parsing attribute "{attribute}": {message}', file, span)


def describe(value: ast.Expression) -> str:
    """Prisma's wording for what kind of expression a value is, with the value as written
    (psl's `describe_value_type`), as in "literal value `Cascade`"."""
    kind = {
        ast.StringValue: "string",
        ast.NumericValue: "numeric",
        ast.ConstantValue: "literal",
        ast.FunctionCall: "functional",
        ast.ArrayExpression: "array",
    }[type(value)]
    return f"{kind} value `{render(value)}`"


def render(value: ast.Expression) -> str:
    """An expression as Prisma prints it in messages."""
    if isinstance(value, ast.StringValue):
        return json.dumps(value.value, ensure_ascii=False)
    if isinstance(value, ast.NumericValue):
        return value.text
    if isinstance(value, ast.ConstantValue):
        return value.name
    if isinstance(value, ast.FunctionCall):
        args = ", ".join(
            (f"{a.name.name}: " if a.name else "") + (render(a.value) if a.value else "")
            for a in value.arguments.arguments
        )
        return f"{value.name}({args})"
    return "[" + ", ".join(render(item) for item in value.items) + "]"


def expected_string(value, file: str, span, capital: bool = False) -> Finding:
    kind = "String" if capital else "string"
    return problem(
        ARGUMENT, f"Expected a {kind} value, but received {describe(value)}.", file, span
    )


# -- datasource and generators (psl's datasource and generator loaders) -------------------------


def duplicate_generator(name: str, file: str, span) -> Finding:
    return problem(
        CONFIG,
        f'The generator "{name}" cannot be defined because a generator with that name already '
        "exists.",
        file,
        span,
    )


def more_than_one_datasource(file: str, span) -> Finding:
    return problem(
        CONFIG,
        "You defined more than one datasource. This is not allowed yet because support for "
        "multiple databases has not been implemented yet.",
        file,
        span,
    )


def duplicate_config_key(kind: str, block: str, key: str, file: str, span) -> Finding:
    return problem(CONFIG, f'Key "{key}" is already defined in {kind} "{block}".', file, span)


def config_property_missing_value(key: str, block: str, kind: str, file: str, span) -> Finding:
    return problem(
        CONFIG, f"Property {key} in {kind} {block} needs to be assigned a value", file, span
    )


def datasource_argument_missing(argument: str, block: str, file: str, span) -> Finding:
    return problem(
        CONFIG, f'Argument "{argument}" is missing in data source block "{block}".', file, span
    )


def datasource_provider_env(file: str, span) -> Finding:
    return problem(
        CONFIG,
        "A datasource must not use the env() function in the provider argument.",
        file,
        span,
    )


def datasource_error(source: str, message: str, file: str, span) -> Finding:
    return problem(CONFIG, f"Error validating datasource `{source}`: {message}", file, span)


def datasource_provider_not_known(provider: str, file: str, span) -> Finding:
    return problem(CONFIG, f'Datasource provider not known: "{provider}".', file, span)


def referential_integrity_deprecated(file: str, span) -> Finding:
    return problem(
        WARNING,
        "The `referentialIntegrity` attribute is deprecated. Please use `relationMode` instead. "
        "Learn more at https://pris.ly/d/relation-mode",
        file,
        span,
        severity="warning",
    )


def referential_integrity_and_relation_mode(file: str, span) -> Finding:
    return problem(
        CONFIG,
        "The `referentialIntegrity` and `relationMode` attributes cannot be used together. "
        "Please use only `relationMode` instead.",
        file,
        span,
    )


def invalid_relation_mode(mode: str, supported, file: str, span) -> Finding:
    values = ", ".join(f'"{v}"' for v in supported)
    return datasource_error(
        "relationMode",
        f'Invalid relation mode setting: "{mode}". Supported values: {values}',
        file,
        span,
    )


def datasource_url_unsupported(key: str, file: str, span) -> Finding:
    """Prisma 7: connection URLs live in `prisma.config.ts`, not in the schema."""
    if key == "url":
        advice = (
            "Move connection URLs for Migrate to `prisma.config.ts` and pass either `adapter` "
            "for a direct database connection or `accelerateUrl` for Accelerate to the "
            "`PrismaClient` constructor. See https://pris.ly/d/config-datasource and "
            "https://pris.ly/d/prisma7-client-config"
        )
    else:
        advice = (
            "Move connection URLs to `prisma.config.ts`. See https://pris.ly/d/config-datasource"
        )
    return problem(
        CONFIG,
        f"The datasource property `{key}` is no longer supported in schema files. {advice}",
        file,
        span,
    )


def preview_features_in_datasource(file: str, span) -> Finding:
    return problem(
        CONFIG,
        "Preview features are only supported in the generator block. Please move this field to "
        "the generator block.",
        file,
        span,
    )


def schemas_array_empty(file: str, span) -> Finding:
    return problem(CONFIG, "If provided, the schemas array can not be empty.", file, span)


def duplicated_schema_name(file: str, span) -> Finding:
    return problem(CONFIG, "Duplicated schema names are not allowed", file, span)


def property_not_known(name: str, file: str, span) -> Finding:
    return problem(CONFIG, f'Property not known: "{name}".', file, span)


def preview_feature_not_known(name: str, expected, file: str, span) -> Finding:
    return problem(
        CONFIG,
        f'The preview feature "{name}" is not known. Expected one of: {", ".join(expected)}',
        file,
        span,
    )


def preview_feature_deprecated(name: str, file: str, span) -> Finding:
    return problem(
        WARNING,
        f'Preview feature "{name}" is deprecated. The functionality can be used without '
        "specifying it as a preview feature.",
        file,
        span,
        severity="warning",
    )


def preview_feature_renamed(old: str, new: str, provider: str, link: str, file, span) -> Finding:
    return problem(
        WARNING,
        f'On `provider = "{provider}"`, preview feature "{old}" has been renamed to "{new}". '
        f"Learn more at https://pris.ly/d/{link}.",
        file,
        span,
        severity="warning",
    )


# -- names, types and attributes (psl's parser-database) ----------------------------------------


def validation_error(message: str, file: str, span, code: str = SYNTAX) -> Finding:
    """psl's `new_validation_error`: "Error validating: ..."."""
    return problem(code, f"Error validating: {message}", file, span)


def reserved_scalar_type(name: str, file: str, span) -> Finding:
    return problem(
        DUPLICATE, f'"{name}" is a reserved scalar type name and cannot be used.', file, span
    )


def duplicate_top(kind: str, name: str, existing: str, file: str, span) -> Finding:
    return problem(
        DUPLICATE,
        f'The {kind} "{name}" cannot be defined because a {existing} with that name already '
        "exists.",
        file,
        span,
    )


def reserved_model_name(kind: str, name: str, file: str, span) -> Finding:
    return model_error(
        "model",
        name,
        f"The {kind} name `{name}` is invalid. It is a reserved name. Please change it. "
        "Read more at https://pris.ly/d/naming-models",
        file,
        span,
    )


def reserved_enum_name(name: str, file: str, span) -> Finding:
    return problem(
        DUPLICATE,
        f'Error validating enum "{name}": The enum name `{name}` is invalid. It is a reserved '
        "name. Please change it. Read more at https://www.prisma.io/docs/reference/"
        "tools-and-interfaces/prisma-schema/data-model#naming-enums",
        file,
        span,
    )


def duplicate_enum_value(enum: str, value: str, file: str, span) -> Finding:
    return problem(DUPLICATE, f'Value "{value}" is already defined on enum "{enum}".', file, span)


def duplicate_field(container: str, model: str, field: str, file: str, span) -> Finding:
    return problem(
        DUPLICATE, f'Field "{field}" is already defined on {container} "{model}".', file, span
    )


def attribute_on_composite_field(attribute: str, file: str, span) -> Finding:
    return validation_error(
        f"Defining `@{attribute}` attribute for a field in a composite type is not allowed.",
        file,
        span,
        code=ATTRIBUTE,
    )


def unknown_type(name: str, file: str, span) -> Finding:
    return problem(
        UNKNOWN_TYPE,
        f'Type "{name}" is neither a built-in type, nor refers to another model, composite '
        "type, or enum.",
        file,
        span,
    )


def duplicate_attribute(attribute: str, file: str, span) -> Finding:
    return problem(DUPLICATE, f'Attribute "{attribute}" can only be defined once.', file, span)


def attribute_not_known(attribute: str, file: str, span) -> Finding:
    return problem(ATTRIBUTE, f'Attribute not known: "{attribute}".', file, span)


def ignore_on_ignored_model(file: str, span) -> Finding:
    return attribute_error(
        ATTRIBUTE,
        "@ignore",
        "Fields on an already ignored Model do not need an `@ignore` annotation.",
        file,
        span,
    )


def expected_value(kind: str, value, file: str, span) -> Finding:
    """psl's coercion error: "Expected a numeric value, but received string value `"a"`."."""
    return problem(
        ARGUMENT, f"Expected a {kind} value, but received {describe(value)}.", file, span
    )


def native_type_prefix(prefix: str, datasource: str, type_name: str, file: str, span) -> Finding:
    return problem(
        NATIVE_TYPE,
        f"The prefix {prefix} is invalid. It must be equal to the name of an existing datasource "
        f"e.g. {datasource}. Did you mean to use {datasource}.{type_name}?",
        file,
        span,
    )


# -- native types (`@db.X`) ---------------------------------------------------------------------


def native_type_unknown(name: str, provider: str, file: str, span) -> Finding:
    return problem(
        NATIVE_TYPE, f"Native type {name} is not supported for {provider} connector.", file, span
    )


def native_type_argument_count(name: str, expected: int, got: int, file: str, span) -> Finding:
    return problem(
        NATIVE_TYPE,
        f'Function "{name}" takes {expected} arguments, but received {got}.',
        file,
        span,
    )


def native_type_optional_argument_count(
    name: str, optional: int, got: int, file: str, span
) -> Finding:
    return problem(
        NATIVE_TYPE,
        f"Native type {name} takes {optional} optional arguments, but received {got}.",
        file,
        span,
    )


def native_type_incompatible(name: str, scalar: str, expected: str, file: str, span) -> Finding:
    return problem(
        NATIVE_TYPE,
        f"Native type {name} is not compatible with declared field type {scalar}, expected field "
        f"type {expected}.",
        file,
        span,
    )


def native_type_bad_arguments(raw: str, file: str, span) -> Finding:
    return problem(NATIVE_TYPE, f"Expected a nonnegative integer, but found {raw}.", file, span)


def native_type_scale(native: str, provider: str, file: str, span) -> Finding:
    return problem(
        NATIVE_TYPE,
        f"The scale must not be larger than the precision for the {native} native type in "
        f"{provider}.",
        file,
        span,
    )


def native_type_out_of_range(native: str, provider: str, message: str, file: str, span):
    return problem(
        NATIVE_TYPE,
        f"Argument M is out of range for native type `{native}` of {provider}: {message}",
        file,
        span,
    )

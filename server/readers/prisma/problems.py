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

from schemasense.codegen.schema import Span
from schemasense.server.findings import Finding, Severity

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


def model_error(container: str, model: str, message: str, file: str, span) -> Finding:
    return problem(
        UNIQUE_CRITERIA if "unique criteria" in message else ATTRIBUTE,
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

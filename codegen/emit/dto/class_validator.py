"""class-validator + class-transformer DTO classes: `Create<Model>Dto`, `Update<Model>Dto` (every
field optional, still refusing `null` where the column does) and `<Model>ResponseDto`.

`@IsOptional()` lets both `undefined` and `null` through, so it is kept for nullable columns;
a NOT NULL column that may be left out gets `@ValidateIf((_, value) => value !== undefined)`,
which skips a missing value and still refuses `null`. (`PartialType` from
`@nestjs/mapped-types` puts `@IsOptional()` on every field: the Update DTO it makes accepts
`null` for a NOT NULL column, which the database refuses; so Update is written out here.)
"""

from __future__ import annotations

import math

from schemasense.codegen.emit.dto.checks import Rule
from schemasense.codegen.emit.dto.model import DtoField, DtoModel, DtoOptions
from schemasense.codegen.emit.dto.typescript import (
    DATE,
    DATETIME,
    TIME,
    doc_lines,
    literal,
    property_name,
    regex,
    ts_type,
)
from schemasense.codegen.emit.style import CodeStyle


def class_validator_body(
    model: DtoModel, style: CodeStyle, options: DtoOptions
) -> tuple[list[str], list[str]]:
    """(imports, the code) of a model's class-validator DTO file."""
    used: set[str] = set()
    swagger: set[str] = set()
    end = style.end()
    ind = style.indent
    code: list[str] = []
    for enum in model.enums:
        code += _enum(enum.name, enum.values, style)
    sections = [
        (f"Create{model.name}Dto", model.create_fields, "create"),
        (f"Update{model.name}Dto", model.create_fields, "update"),
    ]
    for class_name, fields, mode in sections:
        code.append(f"export class {class_name} {{")
        for i, f in enumerate(fields):
            if i:
                code.append("")
            code += doc_lines(f, ind)
            optional = mode == "update" or f.presence != "required"
            if options.swagger:
                code.append(ind + _api_property(f, optional, style, swagger))
            code += [ind + d for d in _decorators(f, optional, style, used)]
            mark = "?" if optional else "!"
            null = " | null" if f.nullable else ""
            declared = f"{property_name(f.property, style)}{mark}: {ts_type(f, options.decimal)}"
            code.append(f"{ind}{declared}{null}{end}")
        code.append("}")
        code.append("")
    code.append(f"export class {model.name}ResponseDto {{")
    for i, f in enumerate(model.fields):
        if i:
            code.append("")
        code += doc_lines(f, ind)
        if options.swagger:
            code.append(ind + _api_property(f, False, style, swagger))
        null = " | null" if f.nullable else ""
        code.append(
            f"{ind}{property_name(f.property, style)}!: {ts_type(f, options.decimal)}{null}{end}"
        )
    code.append("}")
    imports = []
    if used:
        imports.append(_import(sorted(used), "class-validator", style))
    if swagger:
        imports.append(_import(sorted(swagger), "@nestjs/swagger", style))
    return imports, code


def _import(names: list[str], module: str, style: CodeStyle) -> str:
    """One import line, or one name a line where it would pass 80 columns (as Prettier)."""
    line = f"import {{ {', '.join(names)} }} from {style.string(module)}{style.end()}"
    if len(line) <= 80:
        return line
    inner = "".join(f"{style.indent}{n},\n" for n in names)
    return f"import {{\n{inner}}} from {style.string(module)}{style.end()}"


def _enum(name: str, values: tuple[str, ...], style: CodeStyle) -> list[str]:
    ind = style.indent
    lines = [f"export const {name} = {{"]
    for v in values:
        key = v if v.isidentifier() else style.string(v)
        lines.append(f"{ind}{key}: {style.string(v)},")
    lines.append(f"}} as const{style.end()}")
    lines.append(f"export type {name} = (typeof {name})[keyof typeof {name}]{style.end()}")
    lines.append("")
    return lines


def _api_property(f: DtoField, optional: bool, style: CodeStyle, used: set[str]) -> str:
    parts = []
    if f.base == "enum" and f.enum:
        parts.append(f"enum: {f.enum}")
    elif f.base in ("int", "number"):
        parts.append("type: Number")
    elif f.base == "boolean":
        parts.append("type: Boolean")
    elif f.base != "json":
        parts.append("type: String")
    if f.array:
        parts.append("isArray: true")
    if f.nullable:
        parts.append("nullable: true")
    for r in f.rules:
        if r.kind == "max_length":
            parts.append(f"maxLength: {r.value}")
        elif r.kind == "min_length":
            parts.append(f"minLength: {r.value}")
        elif r.kind == "min" and not r.exclusive and f.base in ("int", "number"):
            parts.append(f"minimum: {literal(r.value, style)}")
        elif r.kind == "max" and not r.exclusive and f.base in ("int", "number"):
            parts.append(f"maximum: {literal(r.value, style)}")
    if f.base in ("datetime", "date", "uuid"):
        parts.append(
            "format: "
            + style.string({"datetime": "date-time", "date": "date", "uuid": "uuid"}[f.base])
        )
    if f.doc:
        parts.append("description: " + style.string(f.doc.strip()))
    name = "ApiPropertyOptional" if optional else "ApiProperty"
    used.add(name)
    return f"@{name}({{ {', '.join(parts)} }})" if parts else f"@{name}()"


def _decorators(f: DtoField, optional: bool, style: CodeStyle, used: set[str]) -> list[str]:
    out: list[str] = []

    def add(name: str, args: str = "") -> None:
        used.add(name)
        each = "{ each: true }" if f.array else ""
        if each and name not in ("IsOptional", "ValidateIf", "IsArray", "IsDefined", "Allow"):
            args = f"{args}, {each}" if args else each
        out.append(f"@{name}({args})")

    if f.nullable:
        add("IsOptional")
    elif optional:
        used.add("ValidateIf")
        out.append("@ValidateIf((_, value) => value !== undefined)")
    if f.array:
        add("IsArray")
    base = f.base
    if base == "string":
        add("IsString")
    elif base == "int":
        add("IsInt")
    elif base == "number":
        add("IsNumber", "{ allowNaN: false, allowInfinity: false }")
    elif base == "decimal":
        add("IsString")
    elif base == "boolean":
        add("IsBoolean")
    elif base == "uuid":
        add("IsUUID")
    elif base == "datetime":
        add("IsISO8601", "{ strict: true }")
        add("Matches", regex(DATETIME))
    elif base == "date":
        add("IsISO8601", "{ strict: true }")
        add("Matches", regex(DATE))
    elif base == "time":
        add("Matches", regex(TIME))
    elif base == "json":
        add("Allow" if f.nullable else "IsDefined")
    elif base == "bytes":
        add("IsBase64")
    elif base == "enum":
        if f.enum:
            add("IsEnum", f.enum)
        else:
            add("IsString")
    for rule in f.rules:
        _rule(rule, f, style, add, out, used)
    return out


def _rule(rule: Rule, f: DtoField, style: CodeStyle, add, out: list[str], used: set[str]) -> None:
    value = rule.value
    if rule.kind in ("min", "max"):
        if rule.exclusive and f.base == "int" and isinstance(value, int | float):
            value = math.floor(value) + 1 if rule.kind == "min" else math.ceil(value) - 1
        elif rule.exclusive:
            op = ">" if rule.kind == "min" else "<"
            used.add("ValidateBy")
            name = "isAbove" if rule.kind == "min" else "isBelow"
            each = "(Array.isArray(value) ? value : [value])" if f.array else "[value]"
            out.append(
                f"@ValidateBy({{ name: {style.string(name)}, "
                f"constraints: [{literal(value, style)}], "
                f"validator: {{ validate: (value) => {each}.every((v) => typeof v === "
                f"{style.string('number')} && v {op} {literal(value, style)}), "
                f"defaultMessage: () => {style.string(f'$property must be {op} {value}')} }} }})"
            )
            return
        add("Min" if rule.kind == "min" else "Max", literal(value, style))
    elif rule.kind == "max_length":
        add("MaxLength", str(value))
    elif rule.kind == "min_length":
        add("MinLength", str(value))
    elif rule.kind == "max_bytes":
        add("IsByteLength", f"0, {value}")
    elif rule.kind == "pattern":
        add("Matches", regex(str(value), rule.flags))
    elif rule.kind == "one_of":
        items = ", ".join(literal(v, style) for v in value)  # type: ignore[union-attr]
        add("IsIn", f"[{items}]")
    elif rule.kind == "email":
        add("IsEmail")
    elif rule.kind == "url":
        add("IsUrl")
    elif rule.kind == "lowercase":
        add("IsLowercase")
    elif rule.kind == "uppercase":
        add("IsUppercase")

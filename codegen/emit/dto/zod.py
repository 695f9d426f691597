"""zod (4) schemas: `<Model>CreateSchema`, `<Model>UpdateSchema` (`.partial()` of Create: every
field may be left out, and `null` is still refused where the column refuses it) and
`<Model>ResponseSchema`, with their `z.infer` types (`<Model>Create`, `<Model>Update`,
`<Model>Response`).

Dates are `z.iso.datetime()` / `z.iso.date()` strings, never `z.coerce.date()`, which turns
`null` into 1970-01-01 and would accept what a NOT NULL column refuses.
"""

from __future__ import annotations

import math

from schemasense.codegen.emit.dto.model import DtoField, DtoModel, DtoOptions
from schemasense.codegen.emit.dto.typescript import literal, property_name, regex
from schemasense.codegen.emit.style import CodeStyle


def zod_body(model: DtoModel, style: CodeStyle, options: DtoOptions) -> tuple[list[str], list[str]]:
    """(imports, the code) of a model's zod file."""
    end = style.end()
    ind = style.indent
    code: list[str] = []
    for enum in model.enums:
        code.append(f"export const {enum.name} = {{")
        for v in enum.values:
            key = v if v.isidentifier() else style.string(v)
            code.append(f"{ind}{key}: {style.string(v)},")
        code.append(f"}} as const{end}")
        code.append(
            f"export type {enum.name} = (typeof {enum.name})[keyof typeof {enum.name}]{end}"
        )
        code.append("")
    name = model.name
    code.append(f"export const {name}CreateSchema = z.object({{")
    for f in model.create_fields:
        code += _doc(f, ind)
        chain = _schema(f, style, options)
        if f.nullable:
            chain += ".nullable()"
        if f.presence != "required":
            chain += ".optional()"
        code.append(f"{ind}{property_name(f.property, style)}: {chain},")
    code.append(f"}}){end}")
    code.append(f"export type {name}Create = z.infer<typeof {name}CreateSchema>{end}")
    code.append("")
    code.append(f"export const {name}UpdateSchema = {name}CreateSchema.partial(){end}")
    code.append(f"export type {name}Update = z.infer<typeof {name}UpdateSchema>{end}")
    code.append("")
    code.append(f"export const {name}ResponseSchema = z.object({{")
    for f in model.fields:
        code += _doc(f, ind)
        chain = _schema(f, style, options)
        if f.nullable:
            chain += ".nullable()"
        code.append(f"{ind}{property_name(f.property, style)}: {chain},")
    code.append(f"}}){end}")
    code.append(f"export type {name}Response = z.infer<typeof {name}ResponseSchema>{end}")
    return [f"import {{ z }} from {style.string('zod')}{end}"], code


def _doc(f: DtoField, ind: str) -> list[str]:
    if not f.doc:
        return []
    text = " ".join(f.doc.replace("*/", "*\\/").split())
    return [f"{ind}/** {text} */"]


def _schema(f: DtoField, style: CodeStyle, options: DtoOptions) -> str:
    base = f.base
    rules = list(f.rules)
    kinds = {r.kind for r in rules}
    if base == "string":
        s = "z.email()" if "email" in kinds else "z.url()" if "url" in kinds else "z.string()"
    elif base == "int":
        s = "z.int()"
    elif base in ("number",):
        s = "z.number()"
    elif base == "decimal":
        s = "z.string()"
    elif base == "boolean":
        s = "z.boolean()"
    elif base == "uuid":
        s = "z.uuid()"
    elif base == "datetime":
        s = "z.iso.datetime({ offset: true, local: true })"
    elif base == "date":
        s = "z.iso.date()"
    elif base == "time":
        s = "z.iso.time()"
    elif base == "json":
        s = "z.json()" if f.nullable else "z.json().refine((value) => value !== null)"
    elif base == "bytes":
        s = "z.base64()"
    else:  # enum
        s = f"z.enum({f.enum})" if f.enum else "z.string()"
    refinements: list[str] = []
    for r in rules:
        v = r.value
        if r.kind in ("min", "max"):
            if base == "int" and r.exclusive:
                v = math.floor(v) + 1 if r.kind == "min" else math.ceil(v) - 1  # type: ignore[arg-type]
                s += f".{'min' if r.kind == 'min' else 'max'}({literal(v, style)})"
            elif r.exclusive:
                s += f".{'gt' if r.kind == 'min' else 'lt'}({literal(v, style)})"
            else:
                s += f".{'min' if r.kind == 'min' else 'max'}({literal(v, style)})"
        elif r.kind == "max_length":
            s += f".max({v})"
        elif r.kind == "min_length":
            s += f".min({v})"
        elif r.kind == "pattern":
            s += f".regex({regex(str(v), r.flags)})"
        elif r.kind == "lowercase":
            s += ".lowercase()"
        elif r.kind == "uppercase":
            s += ".uppercase()"
        elif r.kind == "max_bytes":
            refinements.append(f".refine((value) => utf8Length(value) <= {v})")
        elif r.kind == "one_of":
            items = ", ".join(literal(x, style) for x in v)  # type: ignore[union-attr]
            refinements.append(f".refine((value) => ([{items}] as unknown[]).includes(value))")
    s += "".join(refinements)
    if f.array:
        s = f"z.array({s})"
    return s


UTF8_LENGTH = [
    "function utf8Length(value: string): number {",
    "  let bytes = 0",
    "  for (const ch of value) {",
    "    const code = ch.codePointAt(0) ?? 0",
    "    bytes += code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4",
    "  }",
    "  return bytes",
    "}",
]
"""The UTF-8 length of a string (MySQL's TEXT limits count bytes), in plain TypeScript."""

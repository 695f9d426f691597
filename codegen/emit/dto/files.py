"""A model's DTO file, per style: the text, its name, and the region a later run rewrites.

Each model gets one file per style (`user.dto.ts` with the class-validator classes,
`user.schema.ts` with the zod schemas), named in the project's file case, written in its quote,
indent and semicolons (`codegen.emit.style.CodeStyle`). What schemasense writes sits between
`// <schemasense-generated>` and `// </schemasense-generated>`: `merge(existing, generated)`
replaces that region of a file written before and keeps everything around it (a method, an
extra import, a class of the user's own), so a second run updates the DTOs without losing hand
edits made outside the markers.
"""

from __future__ import annotations

from typing import Literal

from schemasense.codegen.emit.dto.class_validator import class_validator_body
from schemasense.codegen.emit.dto.model import DtoModel, DtoOptions
from schemasense.codegen.emit.dto.typescript import BEGIN, END, NOTICE, header
from schemasense.codegen.emit.dto.zod import UTF8_LENGTH, zod_body
from schemasense.codegen.emit.migrations.files import GeneratedFile, join, render
from schemasense.codegen.emit.style import CodeStyle

DtoStyle = Literal["class-validator", "zod"]
STYLES: tuple[DtoStyle, ...] = ("class-validator", "zod")
SUFFIX = {"class-validator": "dto", "zod": "schema"}


def file_name(model: DtoModel, dto_style: DtoStyle, style: CodeStyle) -> str:
    return style.file_stem(model.name, SUFFIX[dto_style]) + ".ts"


def dto_file(
    model: DtoModel,
    dto_style: DtoStyle,
    style: CodeStyle,
    options: DtoOptions,
    folder: str = "",
    source: str = "the schema",
) -> GeneratedFile:
    """The DTO file of `model` in `dto_style`, under `folder` (relative to the project)."""
    if dto_style == "zod":
        imports, code = zod_body(model, style, options)
    else:
        imports, code = class_validator_body(model, style, options)
    if any(r.kind == "max_bytes" for f in model.fields for r in f.rules) and dto_style == "zod":
        end = style.end()
        helper = [
            line.replace("  ", style.indent).rstrip() + (end if _statement(line) else "")
            for line in UTF8_LENGTH
        ]
        code = [*helper, "", *code]
    if style.quote == "'":
        pass  # the renderers use style.string for every literal already
    text = render(
        "dto/file.ts.j2",
        notice=NOTICE,
        begin=BEGIN,
        end=END,
        header=header(model, source, options.decimal),
        imports=imports,
        code=[line.rstrip() for line in code],
    )
    return GeneratedFile(join(folder, file_name(model, dto_style, style)), text)


def _statement(line: str) -> bool:
    stripped = line.strip()
    return bool(stripped) and not stripped.endswith(("{", "}")) and not stripped.startswith("for")


def merge(existing: str, generated: str) -> str | None:
    """`existing` with its generated region replaced by `generated`'s (everything outside the
    markers kept), or None when `existing` has no markers (a file schemasense did not write)."""
    start = existing.find(BEGIN)
    stop = existing.find(END, start + 1) if start >= 0 else -1
    g_start = generated.find(BEGIN)
    g_stop = generated.find(END)
    if start < 0 or stop < 0 or g_start < 0 or g_stop < 0:
        return None
    return existing[:start] + generated[g_start : g_stop + len(END)] + existing[stop + len(END) :]

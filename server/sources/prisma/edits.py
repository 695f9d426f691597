"""Text edits on a Prisma schema for rule fixes: add a block attribute, add or change a
field attribute, change a field's type, delete an attribute.

Edits are computed from the syntax tree's spans (the Prisma read behind a declared schema),
follow `prisma format`'s layout (a blank line before the first block attribute, the
fields' indentation), and never touch text outside the model they are about.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Protocol

from schemasense.codegen.schema import Column, Span, Table
from schemasense.server.findings import TextEdit
from schemasense.server.sources.prisma import ast
from schemasense.server.sources.prisma.database import FieldInfo, ModelInfo

if TYPE_CHECKING:
    from schemasense.server.sources.prisma.reader import PrismaRead


class SchemaTarget(Protocol):
    """What an edit reads: the Prisma read (syntax trees and their spans), the texts it was
    read from, and a cache for facts several edits share (`editor.PrismaEditor` is one)."""

    read: PrismaRead | None
    texts: Mapping[str, str]
    cache: dict[Any, Any]


def model_info(target: SchemaTarget, table: Table) -> ModelInfo | None:
    if target.read is None or target.read.database is None or table.model_name is None:
        return None
    return target.read.database.models.get(table.model_name)


def field_info(target: SchemaTarget, table: Table, column: Column) -> FieldInfo | None:
    model = model_info(target, table)
    if model is None or column.field_name is None:
        return None
    return model.field(column.field_name)


def _indent(text: str, model: ast.Model) -> str:
    for f in model.fields:
        line_start = text.rfind("\n", 0, f.span[0]) + 1
        prefix = text[line_start : f.span[0]]
        if not prefix.strip():
            return prefix
    return "  "


def add_block_attribute(target: SchemaTarget, table: Table, attribute: str) -> TextEdit | None:
    """Insert `attribute` (`@@index([authorId])`) as the model's last line."""
    model = model_info(target, table)
    if model is None:
        return None
    text = target.texts.get(model.file)
    if text is None:
        return None
    start, end = model.ast.span
    close = text.rfind("}", start, end)
    if close == -1:
        return None
    line_start = text.rfind("\n", start, close) + 1
    indent = _indent(text, model.ast)
    if text[line_start:close].strip():  # `}` shares its line with something: keep it simple
        return TextEdit(Span(file=model.file, start=close, end=close), f"\n{indent}{attribute}\n")
    has_block_attrs = any(a.block for a in model.ast.attributes)
    lead = "" if has_block_attrs else "\n"
    return TextEdit(
        Span(file=model.file, start=line_start, end=line_start), f"{lead}{indent}{attribute}\n"
    )


def add_field_attribute(target: SchemaTarget, f: FieldInfo, attribute: str) -> TextEdit:
    """Append `attribute` (`@db.Timestamptz(3)`) after the field's last attribute."""
    node = f.ast
    anchor = (
        node.attributes[-1].span[1]
        if node.attributes
        else (node.type.span[1] if node.type is not None else node.name.span[1])
    )
    if node.type is not None and not node.attributes:
        # keep `?` / `[]` with the type
        text = target.texts.get(f.file, "")
        while anchor < len(text) and text[anchor] in "?[]!":
            anchor += 1
    return TextEdit(Span(file=f.file, start=anchor, end=anchor), f" {attribute}")


def replace(file: str, offsets: tuple[int, int], new_text: str) -> TextEdit:
    return TextEdit(Span(file=file, start=offsets[0], end=offsets[1]), new_text)


def delete_attribute(target: SchemaTarget, file: str, attribute: ast.Attribute) -> TextEdit:
    """Delete an attribute: a block attribute with its whole line, a field attribute with the
    space before it."""
    text = target.texts.get(file, "")
    start, end = attribute.span
    if attribute.block:
        line_start = text.rfind("\n", 0, start) + 1
        line_end = text.find("\n", end)
        before = text[line_start:start]
        after = text[end : line_end if line_end != -1 else len(text)]
        if not before.strip() and (not after.strip() or after.strip().startswith("//")):
            return TextEdit(
                Span(file=file, start=line_start, end=line_end + 1 if line_end != -1 else end), ""
            )
    while start > 0 and text[start - 1] in " \t":
        start -= 1
    return TextEdit(Span(file=file, start=start, end=end), "")


def native_attribute(f: FieldInfo) -> ast.Attribute | None:
    """The field's `@db.X` attribute, if any."""
    return f.native.attribute if f.native is not None else None


def delete_attribute_at(target: SchemaTarget, span: Span) -> TextEdit | None:
    """Delete the attribute whose text starts at `span` (`@@index(...)` with its line,
    `@unique` with the space before it); None when the span is not an attribute."""
    text = target.texts.get(span.file)
    if text is None or not text.startswith("@", span.start):
        return None
    block = text.startswith("@@", span.start)
    node = ast.Attribute(
        name=ast.Identifier(name="", span=(span.start, span.start)),
        arguments=None,
        span=(span.start, span.end),
        block=block,
    )
    return delete_attribute(target, span.file, node)


def field_type_span(f: FieldInfo) -> tuple[int, int] | None:
    """The span of the field's type name (without `?` / `[]`)."""
    if f.ast.type is None:
        return None
    return f.ast.type.span


def referencing_fields(target: SchemaTarget, model: str, field: str) -> list[FieldInfo]:
    """The scalar fields that reference `model.field` through a relation's `fields` /
    `references` (indexed once per schema, in `target.cache`)."""
    index = target.cache.get("referencing")
    if index is None:
        index = target.cache["referencing"] = {}
        db = target.read.database if target.read is not None else None
        for info in db.models.values() if db is not None else ():
            for rel in info.relation_fields:
                if not rel.fields or not rel.references:
                    continue
                for local, remote in zip(rel.fields, rel.references, strict=False):
                    local_field = info.field(local)
                    if local_field is not None:
                        index.setdefault((rel.type_name, remote), []).append(local_field)
    return index.get((model, field), [])

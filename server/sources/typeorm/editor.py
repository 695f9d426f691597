"""The TypeORM source's `SchemaEditor` (`sources/base.py`): index changes as entity text.

An index the rules ask for is written as TypeORM users write a composite one, a class decorator
above `@Entity` naming the properties (`@Index(["author", "createdAt"])`; a relation's property
stands for its join columns, as TypeORM's `findColumnsWithPropertyPath` reads it), and `Index`
joins the file's `typeorm` import. An index declared by a decorator on a line of its own is
dropped with its line. Everything else (types, keys, names) is not written yet: None, so the
rule's finding stays without a fix.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from schemasense.codegen.schema import Span, Table
from schemasense.server.findings import TextEdit
from schemasense.server.sources.base import EditsNothing, SchemaChange

_TYPEORM_IMPORT = re.compile(r"""import\s*\{([^}]*)\}\s*from\s*(['"])typeorm\2""")


class TypeOrmEditor(EditsNothing):
    """Edits to the entity files of one read (`texts` are the files it read)."""

    def __init__(self, texts: Mapping[str, str]) -> None:
        self.texts = texts

    def add_index(self, table: Table, columns: Sequence[str]) -> SchemaChange | None:
        span = table.span
        text = self.texts.get(span.file) if span is not None else None
        if span is None or text is None or not text.startswith("@", span.start):
            return None
        line = text.rfind("\n", 0, span.start) + 1
        indent = text[line : span.start]
        if indent.strip():
            return None  # `@Entity()` shares its line with something else: no clean place
        properties = [_property(table, name) for name in columns]
        quote = _quote(text)
        label = f"@Index([{', '.join(f'{quote}{p}{quote}' for p in properties)}])"
        edits = [TextEdit(Span(file=span.file, start=line, end=line), f"{indent}{label}\n")]
        imported = _import_edit(span.file, text, "Index")
        if imported is None:
            return None
        edits += imported
        return SchemaChange(tuple(edits), label)

    def drop_index(self, table: Table, span: Span) -> SchemaChange | None:
        text = self.texts.get(span.file)
        # only an `@Index` of the user's: TypeORM's own indexes (a join table's, from
        # `@JoinTable`; a relation's) point at the decorator that causes them
        if text is None or not re.match(r"@Index\b", text[span.start : span.start + 7]):
            return None
        line = text.rfind("\n", 0, span.start) + 1
        end = text.find("\n", span.end)
        end = len(text) if end < 0 else end + 1
        if text[line : span.start].strip() or text[span.end : end].strip():
            return None  # the decorator shares its line: not removed blindly
        label = text[span.start : span.end]
        return SchemaChange((TextEdit(Span(file=span.file, start=line, end=end), ""),), label)


def _property(table: Table, name: str) -> str:
    column = table.column(name)
    if column is None:
        return name
    # a join column's field is its relation's property, which TypeORM reads as its columns
    return column.field_name or column.name


def _quote(text: str) -> str:
    found = _TYPEORM_IMPORT.search(text)
    return found.group(2) if found else '"'


def _import_edit(file: str, text: str, name: str) -> list[TextEdit] | None:
    """The edit that adds `name` to the file's `import { ... } from "typeorm"`: none when it
    is there; None when the file has no such import to add it to."""
    found = _TYPEORM_IMPORT.search(text)
    if found is None:
        return None
    names = [n.strip() for n in found.group(1).split(",") if n.strip()]
    if name in names:
        return []
    inner = found.group(1)
    if "\n" in inner.strip("\n") or inner.startswith("\n"):  # one name a line
        last = inner.rstrip()
        indent = re.search(r"\n([ \t]*)\S", inner)
        pad = indent.group(1) if indent else "  "
        at = found.start(1) + len(last)
        comma = "" if last.endswith(",") else ","
        return [TextEdit(Span(file=file, start=at, end=at), f"{comma}\n{pad}{name},")]
    at = found.start(1) + len(inner.rstrip())
    return [TextEdit(Span(file=file, start=at, end=at), f", {name}")]

"""The Sequelize source's `SchemaEditor` (`sources/base.py`): an index as model options text.

An index the rules ask for is written where Sequelize users declare theirs: an entry
`{ fields: ["a", "b"] }` of the model options' `indexes` array (`Model.init(attributes,
options)`, `sequelize.define(name, attributes, options)`, sequelize-typescript's
`@Table({ ... })`), the array added when the options have none. The fields are the columns'
database names (the sample writes `organizer_id` under `underscored: true`), on which
Sequelize's `sync()` builds the index (`tests/verify/test_sequelize_add_index.py`). A model
written without an options object literal (options built elsewhere, or spread into it) gets no
edit: None, and the rule's finding stays without a fix. Every other change is not written yet.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from schemasense.codegen.schema import Span, Table
from schemasense.server.findings import TextEdit
from schemasense.server.sources.base import EditsNothing, SchemaChange
from schemasense.server.sources.typescript.values import Array, Obj


class SequelizeEditor(EditsNothing):
    """Edits to the model files of one read (`texts` are the files it read)."""

    def __init__(self, declared: Any, texts: Mapping[str, str]) -> None:
        self.declared = declared
        self.texts = texts

    def add_index(self, table: Table, columns: Sequence[str]) -> SchemaChange | None:
        decl = self._model(table)
        if decl is None or not isinstance(decl.options, Obj) or not columns:
            return None
        if decl.options.spreads or decl.options.unknown_keys:
            return None  # `...shared` may hold `indexes` too: which one wins is not known
        text = self.texts.get(decl.file)
        options: Obj = decl.options
        if text is None or text[options.start : options.start + 1] != "{":
            return None
        quote = "'" if text.count("'") > text.count('"') else '"'
        entry = "{ fields: [" + ", ".join(f"{quote}{c}{quote}" for c in columns) + "] }"
        prop = options.prop("indexes")
        if prop is not None:
            edit = _append_item(decl.file, text, prop.value, entry)
        else:
            edit = _add_prop(decl.file, text, options, f"indexes: [{entry}]")
        if edit is None:
            return None
        return SchemaChange((edit,), entry)

    def _model(self, table: Table) -> Any:
        file = table.span.file if table.span is not None else None
        for decl in getattr(self.declared, "models", ()):
            if decl.name == table.model_name and (file is None or decl.file == file):
                return decl
        return None


def _line_indent(text: str, at: int) -> str:
    line = text.rfind("\n", 0, at) + 1
    end = line
    while end < len(text) and text[end] in " \t":
        end += 1
    return text[line:end]


def _append_item(file: str, text: str, value: Any, entry: str) -> TextEdit | None:
    """`entry` after the last item of the array literal `value` (in its layout)."""
    if not isinstance(value, Array) or text[value.start : value.start + 1] != "[":
        return None
    if not value.items:
        at = value.start + 1
        return TextEdit(Span(file=file, start=at, end=at), entry)
    last = value.items[-1]
    between = text[last.end : value.end - 1]
    has_comma = between.strip().startswith(",")
    if "\n" in text[value.start : last.start]:  # one item a line
        indent = _line_indent(text, last.start)
        if has_comma:
            at = last.end + between.index(",") + 1
            return TextEdit(Span(file=file, start=at, end=at), f"\n{indent}{entry},")
        return TextEdit(Span(file=file, start=last.end, end=last.end), f",\n{indent}{entry}")
    return TextEdit(Span(file=file, start=last.end, end=last.end), f", {entry}")


def _add_prop(file: str, text: str, options: Obj, prop: str) -> TextEdit | None:
    """`prop` as the last property of the object literal `options` (in its layout)."""
    if not options.props:
        at = options.start + 1
        return TextEdit(Span(file=file, start=at, end=at), f" {prop} ")
    last = options.props[-1]
    between = text[last.value.end : options.end - 1]
    has_comma = between.strip().startswith(",")
    if "\n" in text[options.start : last.key_start]:  # one property a line
        indent = _line_indent(text, last.key_start)
        if has_comma:
            at = last.value.end + between.index(",") + 1
            return TextEdit(Span(file=file, start=at, end=at), f"\n{indent}{prop},")
        at = last.value.end
        return TextEdit(Span(file=file, start=at, end=at), f",\n{indent}{prop}")
    at = last.value.end
    return TextEdit(Span(file=file, start=at, end=at), f", {prop}")

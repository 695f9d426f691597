"""Text edits to TypeScript / JavaScript object and array literals, in the layout they are
written in (one property a line, or all on one line), for the ORM sources' editors.

Each function takes the file's text and a literal as the TypeScript layer read it (`values.Obj`,
`values.Array`, with offsets into that text) and returns `TextEdit`s; None where the literal is
not written out in the text (a value built elsewhere), so the caller offers no fix.
"""

from __future__ import annotations

from collections.abc import Mapping

from schemasense.codegen.schema import Span
from schemasense.server.findings import TextEdit
from schemasense.server.sources.typescript.values import Array, Obj, Prop, Value


def line_indent(text: str, at: int) -> str:
    """The blanks that start the line holding `at`."""
    line = text.rfind("\n", 0, at) + 1
    end = line
    while end < len(text) and text[end] in " \t":
        end += 1
    return text[line:end]


def quote_of(text: str) -> str:
    """The quote the file writes strings with (the more frequent of the two)."""
    return "'" if text.count("'") > text.count('"') else '"'


def _edit(file: str, start: int, end: int, new: str) -> TextEdit:
    return TextEdit(Span(file=file, start=start, end=end), new)


def is_literal(text: str, value: Value, opening: str) -> bool:
    """`value` is written out in `text` (an object or array literal), not a constant's value."""
    return text[value.start : value.start + 1] == opening


def append_item(file: str, text: str, value: Value, entry: str) -> TextEdit | None:
    """`entry` after the last item of the array literal `value` (in its layout)."""
    if not isinstance(value, Array) or not is_literal(text, value, "["):
        return None
    if not value.items:
        at = value.start + 1
        return _edit(file, at, at, entry)
    last = value.items[-1]
    between = text[last.end : value.end - 1]
    has_comma = between.strip().startswith(",")
    if "\n" in text[value.start : last.start]:  # one item a line
        indent = line_indent(text, last.start)
        if has_comma:
            at = last.end + between.index(",") + 1
            return _edit(file, at, at, f"\n{indent}{entry},")
        return _edit(file, last.end, last.end, f",\n{indent}{entry}")
    return _edit(file, last.end, last.end, f", {entry}")


def add_prop(file: str, text: str, options: Obj, prop: str) -> TextEdit | None:
    """`prop` (`key: value`) as the last property of the object literal `options`."""
    if not is_literal(text, options, "{"):
        return None
    if not options.props:
        return _edit(file, options.start, options.end, f"{{ {prop} }}")
    last = options.props[-1]
    between = text[last.value.end : options.end - 1]
    has_comma = between.strip().startswith(",")
    if "\n" in text[options.start : last.key_start]:  # one property a line
        indent = line_indent(text, last.key_start)
        if has_comma:
            at = last.value.end + between.index(",") + 1
            return _edit(file, at, at, f"\n{indent}{prop},")
        return _edit(file, last.value.end, last.value.end, f",\n{indent}{prop}")
    return _edit(file, last.value.end, last.value.end, f", {prop}")


def remove_item(file: str, text: str, items: tuple[Value, ...], index: int) -> TextEdit:
    """Delete item `index` of an array (or argument) list with the comma that joins it, and its
    line when it stands on one."""
    item = items[index]
    line = text.rfind("\n", 0, item.start) + 1
    after = item.end
    while after < len(text) and text[after] in " \t":
        after += 1
    if after < len(text) and text[after] == ",":
        after += 1
    eol = text.find("\n", after)
    eol = len(text) if eol < 0 else eol
    if not text[line : item.start].strip() and not text[after:eol].strip():
        return _edit(file, line, eol + 1, "")  # the item's own line
    if index + 1 < len(items):
        return _edit(file, item.start, items[index + 1].start, "")
    if index > 0:
        return _edit(file, items[index - 1].end, item.end, "")
    return _edit(file, item.start, after, "")


def remove_prop(file: str, text: str, options: Obj, prop: Prop) -> TextEdit:
    """Delete `prop` from the object literal `options`."""
    index = options.props.index(prop)
    keys = tuple(
        Value(start=p.key_start, end=p.value.end) for p in options.props
    )  # each property as one item, from its key to the end of its value
    return remove_item(file, text, keys, index)


def set_props(
    file: str, text: str, options: Obj, values: Mapping[str, str | None]
) -> list[TextEdit]:
    """Give the object literal `options` these properties: each key's value text replaces the
    one written (every occurrence), a key not there is added (the new keys first, in the
    order given), None removes the key."""
    edits: list[TextEdit] = []
    new: list[str] = []
    for key, value in values.items():
        found = [p for p in options.props if p.key == key]
        if value is None:
            edits += [remove_prop(file, text, options, p) for p in found]
        elif found:
            edits += [_edit(file, p.value.start, p.value.end, value) for p in found]
        else:
            new.append(f"{key}: {value}")
    if not new:
        return edits
    kept = [p for p in options.props if values.get(p.key, "") is not None]
    if not kept:  # nothing stays: the object is written anew
        return [_edit(file, options.start, options.end, f"{{ {', '.join(new)} }}")]
    first = kept[0]
    if "\n" in text[options.start : first.key_start]:  # one property a line
        indent = line_indent(text, first.key_start)
        inserted = "".join(f"{p},\n{indent}" for p in new)
    else:
        inserted = "".join(f"{p}, " for p in new)
    return [*edits, _edit(file, first.key_start, first.key_start, inserted)]


def object_text(values: Mapping[str, str]) -> str:
    """`{ key: value, ... }` for a new options argument."""
    return "{ " + ", ".join(f"{k}: {v}" for k, v in values.items()) + " }"

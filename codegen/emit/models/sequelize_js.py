"""JavaScript values as text, in a project's code style, for the Sequelize model emitter.

A model's attributes and options are plain Python data (dicts keep their order, lists, strings,
numbers, booleans, None) with `Code` for what is written as is (`DataTypes.STRING(320)`,
`models.User`). `js(value, style, depth)` writes them the way Prettier lays them out: one key a
line with a trailing comma once an object holds an object or is too long, inline otherwise.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from schemasense.codegen.emit.style import CodeStyle

WIDTH = 100
_IDENTIFIER = re.compile(r"^[A-Za-z_$][A-Za-z0-9_$]*$")


@dataclass(frozen=True, slots=True)
class Code:
    """JavaScript text written as it is."""

    text: str


@dataclass(frozen=True, slots=True)
class Literal:
    """`Sequelize.literal("<sql>")`: SQL the database is given as written."""

    sql: str


class Expanded(dict):
    """An object always written one key a line (an attribute, a model's options)."""


def key(name: str, style: CodeStyle) -> str:
    """An object key: bare when it is an identifier, else a string literal."""
    return name if _IDENTIFIER.match(name) else style.string(name)


def scalar(value: object, style: CodeStyle) -> str:
    if isinstance(value, Code):
        return value.text
    if isinstance(value, Literal):
        return f"Sequelize.literal({style.string(value.sql)})"
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return json.dumps(value)
    if isinstance(value, str):
        return style.string(value)
    raise TypeError(f"not a JavaScript value: {value!r}")


def js(value: object, style: CodeStyle, depth: int = 0) -> str:
    """`value` as JavaScript at nesting `depth` (the indent of the line it starts on)."""
    inline = None if isinstance(value, Expanded) and value else _inline(value, style)
    if inline is not None and len(style.indent) * depth + len(inline) <= WIDTH - 20:
        return inline
    pad = style.indent * (depth + 1)
    end = style.indent * depth
    if isinstance(value, dict):
        if not value:
            return "{}"
        lines = [
            f"{pad}{k},"
            if _shorthand(k, v)
            else f"{pad}{key(k, style)}: {js(v, style, depth + 1)},"
            for k, v in value.items()
        ]
        return "{\n" + "\n".join(lines) + f"\n{end}}}"
    if isinstance(value, list | tuple):
        if not value:
            return "[]"
        lines = [f"{pad}{js(v, style, depth + 1)}," for v in value]
        return "[\n" + "\n".join(lines) + f"\n{end}]"
    return scalar(value, style)


def _inline(value: object, style: CodeStyle) -> str | None:
    """`value` on one line, or None when it holds an object with an object in it (written one
    key a line, as the sequelize-cli templates and Prettier do)."""
    if isinstance(value, dict):
        if not value:
            return "{}"
        if isinstance(value, Expanded) or any(isinstance(v, dict) and v for v in value.values()):
            return None
        parts = []
        for k, v in value.items():
            text = _inline(v, style)
            if text is None:
                return None
            parts.append(k if _shorthand(k, v) else f"{key(k, style)}: {text}")
        return "{ " + ", ".join(parts) + " }"
    if isinstance(value, list | tuple):
        parts = []
        for v in value:
            text = _inline(v, style)
            if text is None:
                return None
            parts.append(text)
        return "[" + ", ".join(parts) + "]"
    return scalar(value, style)


def _shorthand(name: str, value: object) -> bool:
    """`{ sequelize }` for `{ sequelize: sequelize }`."""
    return isinstance(value, Code) and value.text == name

"""JavaScript values and calls as text, in a project's code style (`CodeStyle`).

What the code-migration writers (Sequelize's `queryInterface` calls) print: strings in the
project's quote, objects with bare keys where JavaScript allows them, short ones on one line and
long ones one property a line with a trailing comma (as Prettier leaves them), and calls whose
arguments go one a line when the call does not fit in the line width.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from schemasense.codegen.emit.style import CodeStyle

WIDTH = 100
_IDENTIFIER = re.compile(r"^[A-Za-z_$][A-Za-z0-9_$]*$")


@dataclass(frozen=True, slots=True)
class Js:
    """A JavaScript expression printed as it is (`Sequelize.STRING(40)`, `transaction`)."""

    text: str


@dataclass(frozen=True, slots=True)
class Shorthand:
    """A property written as its name alone (`{ transaction }`)."""


SHORTHAND = Shorthand()


def template_literal(text: str) -> str:
    """`text` inside a JavaScript template literal (backslashes, backticks and `${` escaped)."""
    return "`" + text.replace("\\", "\\\\").replace("`", "\\`").replace("${", "\\${") + "`"


def key(name: str, style: CodeStyle) -> str:
    return name if _IDENTIFIER.match(name) else style.string(name)


def value(v: object, style: CodeStyle, level: int = 0, *, broken: bool = False) -> str:
    """`v` as JavaScript, its continuation lines indented for nesting `level` (an object one
    property a line when `broken`)."""
    if isinstance(v, Js):
        return v.text
    if isinstance(v, bool):
        return "true" if v else "false"
    if v is None:
        return "null"
    if isinstance(v, int | float):
        return repr(v)
    if isinstance(v, str):
        return style.string(v)
    if isinstance(v, list | tuple):
        items = [value(x, style, level + 1) for x in v]
        flat = f"[{', '.join(items)}]"
        if "\n" not in flat and len(flat) + len(style.indent) * level < WIDTH - 20:
            return flat
        inner = style.indent * (level + 1)
        return "[\n" + "".join(f"{inner}{x},\n" for x in items) + style.indent * level + "]"
    if isinstance(v, dict):
        if not v:
            return "{}"
        parts = []
        for k, x in v.items():
            if isinstance(x, Shorthand):
                parts.append(key(k, style))
            else:
                parts.append(f"{key(k, style)}: {value(x, style, level + 1)}")
        flat = "{ " + ", ".join(parts) + " }"
        nested = any(isinstance(x, dict) and len(x) > 2 for x in v.values())
        short = len(flat) + len(style.indent) * level < WIDTH - 30
        if not broken and not nested and "\n" not in flat and short:
            return flat
        inner = style.indent * (level + 1)
        return "{\n" + "".join(f"{inner}{p},\n" for p in parts) + style.indent * level + "}"
    raise TypeError(f"no JavaScript for {type(v).__name__}")


def call(callee: str, args: list[object], style: CodeStyle, *, prefix: str = "await ") -> str:
    """`await callee(args...);`: on one line when it fits, else one argument a line (the
    last object argument hugged when it is the only long one, as Prettier does)."""
    flat_args = [value(a, style, 0) for a in args]
    flat = f"{prefix}{callee}({', '.join(flat_args)}){style.end()}"
    if "\n" not in flat and len(flat) < WIDTH - 8:
        return flat
    others = flat_args[:-1]
    head_width = len(prefix) + len(callee) + sum(len(a) + 2 for a in others) + 2
    if (
        args
        and isinstance(args[-1], dict)
        and not any("\n" in a for a in others)
        and head_width < WIDTH - 20
    ):
        head = ", ".join(flat_args[:-1])
        last = value(args[-1], style, 0, broken=True)
        return f"{prefix}{callee}({head}, {last}){style.end()}"
    inner = style.indent
    lines = [value(a, style, 1) for a in args]
    body = "".join(f"{inner}{a},\n" for a in lines)
    return f"{prefix}{callee}(\n{body}){style.end()}"

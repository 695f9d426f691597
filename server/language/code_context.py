"""Where the cursor is in TypeScript / JavaScript being typed: inside which calls, objects and
arrays, at which argument, after which key, inside a string or not.

Completion reads the current text, which is often not valid code yet (`@Column({ type: '`),
so it cannot wait for tree-sitter's tree of the last read: one forward pass over the text up
to the cursor keeps a stack of open brackets, skipping strings, template literals and
comments. A `(` remembers the callee written before it (`@Column`, `Post.init`,
`sequelize.define`), a `{` the key it is the value of (`title: {`); each frame counts its
top-level commas (the argument or item index) and the key being written after a `:`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_CALLEE = re.compile(r"(@?[\w$]+(?:\s*\.\s*[\w$]+)*)\s*(?:<[^<>()]*>)?\s*$")
_KEY = re.compile(r"""(?:["']([^"']+)["']|([\w$]+))\s*$""")
_SHORTHAND = re.compile(r"\s*([\w$]+)\s*")
_WORD = re.compile(r"[\w$]*$")


@dataclass(slots=True)
class Frame:
    """An open bracket before the cursor."""

    char: str
    """`(`, `{` or `[`."""
    start: int
    head: str = ""
    """For `(`: the callee (`@Column`, `Post.init`); for `{` and `[`: the key it is the
    value of in the enclosing object (`title`, `indexes`), else ""."""
    index: int = 0
    """Top-level commas seen: the argument / item index."""
    key: str | None = None
    """In an object: the key whose value is being written (None: at a key)."""
    last: int = 0
    """Where the current argument / item / property began."""
    keys: list[str] = field(default_factory=list)
    """In an object: the keys written so far."""

    @property
    def callee(self) -> str:
        """The callee's last name without `@` (`Column` of `@typeorm.Column`)."""
        return self.head.lstrip("@").split(".")[-1].strip()


@dataclass(slots=True)
class CodeContext:
    frames: list[Frame] = field(default_factory=list)
    """Innermost last."""
    string: str | None = None
    """The quote of the string the cursor is in (None: not in one)."""
    string_start: int = 0
    word_start: int = 0
    """Where the identifier (or string content) being typed begins."""
    before: str = ""
    """The text of the current argument / property up to the cursor."""

    def frame(self, depth: int = 0) -> Frame | None:
        """The innermost frame (`depth` 0), its parent (1), ..."""
        return self.frames[-1 - depth] if depth < len(self.frames) else None


def context_at(text: str, offset: int) -> CodeContext:
    """The brackets open at `offset` of `text` and whether it is inside a string."""
    stack: list[Frame] = []
    i = 0
    string: str | None = None
    string_start = 0
    end = min(offset, len(text))
    while i < end:
        c = text[i]
        if string is not None:
            if c == "\\":
                i += 2
                continue
            if c == string or (c == "\n" and string != "`"):
                string = None
            i += 1
            continue
        if c == "/" and text.startswith("//", i):
            nl = text.find("\n", i)
            if nl < 0 or nl >= end:
                return CodeContext(stack, None, 0, end, "")  # in a comment: nothing to complete
            i = nl + 1
            continue
        if c == "/" and text.startswith("/*", i):
            close = text.find("*/", i + 2)
            if close < 0 or close + 2 > end:
                return CodeContext(stack, None, 0, end, "")
            i = close + 2
            continue
        if c in "'\"`":
            string = c
            string_start = i
        elif c in "({[":
            parent = stack[-1] if stack else None
            if c == "(":
                m = _CALLEE.search(text, max(0, i - 200), i)
                head = m.group(1) if m else ""
            else:
                in_object = parent is not None and parent.char == "{"
                head = (parent.key or "") if in_object else ""  # type: ignore[union-attr]
            stack.append(Frame(c, i, head, last=i + 1))
        elif c in ")}]":
            if stack:
                stack.pop()
        elif c == "," and stack:
            top = stack[-1]
            if top.char == "{" and top.key is None:  # a shorthand property (`{ sequelize, `)
                m = _SHORTHAND.fullmatch(text, top.last, i)
                if m is not None:
                    top.keys.append(m.group(1))
            top.index += 1
            top.key = None
            top.last = i + 1
        elif c == ":" and stack and stack[-1].char == "{" and stack[-1].key is None:
            top = stack[-1]
            m = _KEY.search(text, top.last, i)
            if m is not None:
                top.key = m.group(1) or m.group(2)
                top.keys.append(top.key)
        i += 1
    top = stack[-1] if stack else None
    before = text[top.last if top is not None else 0 : end]
    if string is not None:
        return CodeContext(stack, string, string_start, string_start + 1, before)
    m = _WORD.search(text, 0, end)
    start = m.start() if m else end
    return CodeContext(stack, None, 0, start, before)


def at_key(ctx: CodeContext) -> bool:
    """Whether the cursor is where an object's key is written (`{ | }`, `{ a: 1, |`)."""
    top = ctx.frame()
    if top is None or top.char != "{" or top.key is not None or ctx.string is not None:
        return False
    return re.fullmatch(r"\s*[\w$]*", ctx.before) is not None

"""Reuse the syntax tree of a top-level block whose text did not change.

A keystroke changes one block of a 2,500-line schema; the others keep their text but, after
the edit point, move. Cached blocks are keyed by their text, and a hit is moved to its new
offset in place (a walk that rewrites span tuples, several times cheaper than parsing again).
Each cached tree is handed out at most once per parse, so two identical blocks in one file
never share nodes.
"""

from __future__ import annotations

from dataclasses import replace

from schemasense.codegen.schema import Span
from schemasense.server.findings import Finding
from schemasense.server.readers.prisma import ast

_LIMIT = 20_000


class BlockCache:
    """(file, block text, doc) -> (top, problems, offset it was parsed at)."""

    def __init__(self) -> None:
        self.entries: dict[tuple, list] = {}

    def get(self, key: tuple, offset: int, used: set[int]):
        entry = self.entries.get(key)
        if entry is None:
            return None
        top, found, origin = entry
        if id(top) in used:
            return None
        used.add(id(top))
        delta = offset - origin
        if delta:
            shift(top, delta)
            found = [
                replace(
                    f,
                    span=Span(file=f.span.file, start=f.span.start + delta, end=f.span.end + delta),
                )
                for f in found
            ]
            entry[1], entry[2] = found, offset
        return top, found

    def put(self, key: tuple, top: ast.Top, found: list[Finding], offset: int, used: set[int]):
        if len(self.entries) >= _LIMIT:
            self.entries.clear()
        self.entries[key] = [top, found, offset]
        used.add(id(top))


def _s(span: tuple[int, int], d: int) -> tuple[int, int]:
    return (span[0] + d, span[1] + d)


def _expr(e, d: int) -> None:
    e.span = (e.span[0] + d, e.span[1] + d)
    if isinstance(e, ast.FunctionCall):
        e.name_span = _s(e.name_span, d)
        _args(e.arguments, d)
    elif isinstance(e, ast.ArrayExpression):
        for item in e.items:
            _expr(item, d)


def _args(a: ast.ArgumentsList | None, d: int) -> None:
    if a is None:
        return
    a.span = _s(a.span, d)
    if a.trailing_comma is not None:
        a.trailing_comma = _s(a.trailing_comma, d)
    for arg in a.arguments:
        arg.span = _s(arg.span, d)
        if arg.name is not None:
            arg.name.span = _s(arg.name.span, d)
        if arg.value is not None:
            _expr(arg.value, d)


def _attributes(attributes: list[ast.Attribute], d: int) -> None:
    for attr in attributes:
        attr.span = _s(attr.span, d)
        attr.name.span = _s(attr.name.span, d)
        _args(attr.arguments, d)


def shift(top: ast.Top, d: int) -> None:
    """Move every span of `top` by `d` characters, in place."""
    top.span = _s(top.span, d)
    top.name.span = _s(top.name.span, d)
    if isinstance(top, ast.Model):
        for f in top.fields:
            f.span = _s(f.span, d)
            f.name.span = _s(f.name.span, d)
            if f.type is not None:
                f.type.span = _s(f.type.span, d)
            _attributes(f.attributes, d)
        _attributes(top.attributes, d)
    elif isinstance(top, ast.Enum):
        for v in top.values:
            v.span = _s(v.span, d)
            v.name.span = _s(v.name.span, d)
            _attributes(v.attributes, d)
        _attributes(top.attributes, d)
    else:
        for p in top.properties:
            p.span = _s(p.span, d)
            p.name.span = _s(p.name.span, d)
            if p.value is not None:
                _expr(p.value, d)

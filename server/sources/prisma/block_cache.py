"""Reuse the syntax tree of a top-level block whose text did not change.

A keystroke changes one block of a 2,500-line schema; the others keep their text but, after
the edit point, move. Cached blocks are keyed by their text; a hit that did not move is handed
out as it is, and one that moved as a moved copy (cheaper than parsing again). A tree is never
changed once handed out, because an earlier parse result (kept by the reader's whole-file
cache) may still hold it. Each cached tree is handed out at most once per parse, so two
identical blocks in one file never share nodes. A block's `block_key` stays with it (and with
its moved copies), so later stages can reuse what they derived from it.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import replace

from schemasense.codegen.schema import Span
from schemasense.server.findings import Finding
from schemasense.server.sources.prisma import ast

_LIMIT = 20_000
_BLOCK_KEYS = itertools.count(1)
"""Keys are never reused, not even after the cache is emptied."""


class BlockCache:
    """(file, block text, doc) -> (top, problems, offset it was parsed at).

    An entry lives while its block is in one of the last two parses of its file (`end_parse`):
    typing into a model makes a new block text on every keystroke, and keeping each one (up to
    the global limit) made memory grow by about 100 KB per keystroke on cal.com's schema. When
    blocks are forgotten, the `forgotten` listeners get their block keys (the lowering's
    per-block tables go with them)."""

    def __init__(self) -> None:
        self.entries: dict[tuple, list] = {}
        self._touched: dict[str, set[tuple]] = {}
        """file -> the keys the parse under way used or added."""
        self._previous: dict[str, set[tuple]] = {}
        """file -> the keys its previous parse used or added."""
        self.forgotten: list[Callable[[list[int]], None]] = []

    def end_parse(self, file: str) -> None:
        """A parse of `file` ended: forget its blocks that neither it nor the parse before used."""
        touched = self._touched.pop(file, set())
        keep = touched | self._previous.get(file, set())
        self._previous[file] = touched
        dead = [k for k in self.entries if k[0] == file and k not in keep]
        if not dead:
            return
        keys = [self.entries.pop(k)[0].block_key for k in dead]
        for listener in self.forgotten:
            listener(keys)

    def get(self, key: tuple, offset: int, used: set[int]):
        entry = self.entries.get(key)
        if entry is None:
            return None
        self._touched.setdefault(key[0], set()).add(key)
        top, found, origin = entry
        if id(top) in used:
            return None
        used.add(id(top))
        delta = offset - origin
        if delta:
            # a moved copy: the cached tree may still belong to an earlier parse (the reader's
            # whole-file cache keeps those), so it must never change under it
            top = moved(top, delta)
            used.add(id(top))
            entry[0] = top
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
        top.block_key = next(_BLOCK_KEYS)
        self.entries[key] = [top, found, offset]
        self._touched.setdefault(key[0], set()).add(key)
        used.add(id(top))


def _m(span: tuple[int, int], d: int) -> tuple[int, int]:
    return (span[0] + d, span[1] + d)


def _moved_expr(e, d: int):
    if isinstance(e, ast.FunctionCall):
        return ast.FunctionCall(
            e.name, _m(e.name_span, d), _moved_args(e.arguments, d), _m(e.span, d)
        )
    if isinstance(e, ast.ArrayExpression):
        return ast.ArrayExpression([_moved_expr(i, d) for i in e.items], _m(e.span, d))
    if isinstance(e, ast.StringValue):
        return ast.StringValue(e.value, _m(e.span, d))
    if isinstance(e, ast.NumericValue):
        return ast.NumericValue(e.text, _m(e.span, d))
    return ast.ConstantValue(e.name, _m(e.span, d))


def _moved_ident(i: ast.Identifier, d: int) -> ast.Identifier:
    return ast.Identifier(i.name, _m(i.span, d))


def _moved_args(a: ast.ArgumentsList, d: int) -> ast.ArgumentsList:
    return ast.ArgumentsList(
        [
            ast.Argument(
                _moved_ident(arg.name, d) if arg.name is not None else None,
                _moved_expr(arg.value, d) if arg.value is not None else None,
                _m(arg.span, d),
            )
            for arg in a.arguments
        ],
        _m(a.span, d),
        _m(a.trailing_comma, d) if a.trailing_comma is not None else None,
    )


def _moved_attributes(attributes: list[ast.Attribute], d: int) -> list[ast.Attribute]:
    return [
        ast.Attribute(
            _moved_ident(a.name, d),
            _moved_args(a.arguments, d) if a.arguments is not None else None,
            _m(a.span, d),
            a.block,
        )
        for a in attributes
    ]


def moved(top: ast.Top, d: int) -> ast.Top:
    """A copy of `top` with every span moved by `d` characters."""
    if isinstance(top, ast.Model):
        fields = [
            ast.Field(
                _moved_ident(f.name, d),
                ast.FieldType(f.type.name, _m(f.type.span, d), f.type.unsupported)
                if f.type is not None
                else None,
                f.arity,
                _moved_attributes(f.attributes, d),
                f.documentation,
                _m(f.span, d),
            )
            for f in top.fields
        ]
        return ast.Model(
            top.kind,
            _moved_ident(top.name, d),
            fields,
            _moved_attributes(top.attributes, d),
            top.documentation,
            _m(top.span, d),
            top.block_key,
        )
    if isinstance(top, ast.Enum):
        values = [
            ast.EnumValue(
                _moved_ident(v.name, d),
                _moved_attributes(v.attributes, d),
                v.documentation,
                _m(v.span, d),
            )
            for v in top.values
        ]
        return ast.Enum(
            _moved_ident(top.name, d),
            values,
            _moved_attributes(top.attributes, d),
            top.documentation,
            _m(top.span, d),
            top.block_key,
        )
    properties = [
        ast.ConfigProperty(
            _moved_ident(p.name, d),
            _moved_expr(p.value, d) if p.value is not None else None,
            _m(p.span, d),
        )
        for p in top.properties
    ]
    return ast.ConfigBlock(
        top.kind,
        _moved_ident(top.name, d),
        properties,
        top.documentation,
        _m(top.span, d),
        top.block_key,
    )

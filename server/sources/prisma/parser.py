"""Prisma Schema Language text -> `SchemaAst` plus syntax problems. Never raises.

A hand-written recursive-descent reading of psl's PEG grammar (`datamodel.pest`), rule for rule,
including its recovery: a line inside a block that is not a field, attribute or comment becomes
one problem and reading goes on with the next line; a top-level line that starts no known block
likewise; a block with no closing brace is read as a bad top-level line, as Prisma does. The
grammar is line-oriented (whitespace is spaces and tabs only), so every rule here works within
a line and blocks are sequences of lines.
"""

from __future__ import annotations

import bisect
import functools
import json
import re

from schemasense.server.findings import Finding
from schemasense.server.sources.prisma import problems
from schemasense.server.sources.prisma.ast import (
    Argument,
    ArgumentsList,
    ArrayExpression,
    Attribute,
    ConfigBlock,
    ConfigProperty,
    ConstantValue,
    Enum,
    EnumValue,
    Expression,
    Field,
    FieldType,
    FunctionCall,
    Identifier,
    Model,
    NumericValue,
    SchemaAst,
    StringValue,
)
from schemasense.server.sources.prisma.block_cache import BlockCache

_WS = (
    " \t\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a"
    "\u202f\u205f\u3000"
)
_IDENT = re.compile(r"[A-Za-z0-9][A-Za-z0-9_\-]*")
_NUMBER = re.compile(r"-?[0-9]+(?:\.[0-9]+)?")
_PATH = re.compile(r"[A-Za-z0-9][A-Za-z0-9_\-]*(?:\.(?:[A-Za-z0-9][A-Za-z0-9_\-]*)?)*")
_STRING_BODY = re.compile(r'(?:\\.|[^"\\\x00-\x1f])*', re.DOTALL)
_NEWLINE = re.compile(r"\r\n|\n|\r")
_BLOCK_KEYWORDS = ("model", "view", "type", "enum", "datasource", "generator")


class _Fail(Exception):
    """A grammar rule did not match; caught by the rule's caller, never escapes the parser."""


class _Line:
    """One line of text: `start`..`end` excludes the newline; `next` is the next line's start."""

    __slots__ = ("end", "next", "start")

    def __init__(self, start: int, end: int, next_start: int) -> None:
        self.start = start
        self.end = end
        self.next = next_start


class _Cursor:
    """Scans one line of `text` between `pos` and `end`, skipping implicit whitespace."""

    __slots__ = ("end", "pos", "text")

    def __init__(self, text: str, pos: int, end: int) -> None:
        self.text = text
        self.pos = pos
        self.end = end

    def skip_ws(self) -> None:
        text, end, pos = self.text, self.end, self.pos
        while pos < end and text[pos] in _WS:
            pos += 1
        self.pos = pos

    def peek(self, literal: str) -> bool:
        return self.text.startswith(literal, self.pos) and self.pos + len(literal) <= self.end

    def eat(self, literal: str) -> bool:
        self.skip_ws()
        if self.peek(literal):
            self.pos += len(literal)
            return True
        return False

    def expect(self, literal: str) -> None:
        if not self.eat(literal):
            raise _Fail

    def match(self, pattern: re.Pattern[str]) -> re.Match[str] | None:
        self.skip_ws()
        m = pattern.match(self.text, self.pos, self.end)
        if m:
            self.pos = m.end()
        return m

    def at_end(self) -> bool:
        self.skip_ws()
        return self.pos >= self.end


def parse(
    text: str, file: str, blocks: BlockCache | None = None
) -> tuple[SchemaAst, list[Finding]]:
    """Read `text` (the content of file `file`) into a syntax tree plus syntax problems.

    `blocks`: the unchanged blocks of earlier parses to reuse (`block_cache.py`; the reader's
    `PrismaCaches.blocks`); without it every block is parsed."""
    if blocks is None:
        blocks = BlockCache()
    parser = _Parser(text, file, blocks)
    try:
        parser.parse_schema()
    except RecursionError:  # pragma: no cover - defence in depth for pathological nesting
        parser.problems.append(
            problems.problem(problems.SYNTAX, "Nesting too deep to read.", file, (0, len(text)))
        )
    finally:
        blocks.end_parse(file)
    return parser.ast, parser.problems


class _Parser:
    def __init__(self, text: str, file: str, blocks: BlockCache) -> None:
        self.text = text
        self.file = file
        self.blocks = blocks
        self.ast = SchemaAst(file=file)
        self.problems: list[Finding] = []
        self.lines = self._split_lines(text)
        self.line_starts = [line.start for line in self.lines]
        self.used_blocks: set[int] = set()

    @staticmethod
    def _split_lines(text: str) -> list[_Line]:
        lines: list[_Line] = []
        pos = 0
        for m in _NEWLINE.finditer(text):
            lines.append(_Line(pos, m.start(), m.end()))
            pos = m.end()
        if pos < len(text):
            lines.append(_Line(pos, len(text), len(text)))
        return lines

    # -- the schema -------------------------------------------------------------------------------

    def parse_schema(self) -> None:
        self._walk(0, None, self._top_item, top_level=True)

    def _first_non_ws(self, line: _Line, pos: int | None = None) -> int:
        pos, text = (line.start if pos is None else pos), self.text
        while pos < line.end and text[pos] in _WS:
            pos += 1
        return pos

    def _line_of(self, offset: int) -> int:
        """Index of the line holding `offset`."""
        return bisect.bisect_right(self.line_starts, offset) - 1

    def _block_comment_end(self, start: int) -> int | None:
        """`text[start:]` opens a `/* ... */` comment: the offset just past it, or None."""
        close = self.text.find("*/", start + 2)
        return None if close == -1 else close + 2

    def _walk(self, i: int, stop: int | None, item, top_level: bool = False):
        """Walk lines from `i` the way the grammar's repetitions do: empty lines, comment blocks
        (`//` lines and `/* ... */`, which may span lines and be followed by an item on the
        line where they end), items, and, inside a block, the closing `}`.

        `item(i, start, docs)` reads the item starting at offset `start` of line `i` and returns
        where to go on: (line, offset within it or None for its start). `stop` bounds the walk
        (a block's known closing line); without it the walk looks for the closing `}` itself.
        Returns (line, offset) of that `}`, or None.
        """
        lines, text = self.lines, self.text
        limit = len(lines) if stop is None else stop
        pending: list[str] | None = None
        in_comments = False
        pos: int | None = None
        while i < limit:
            line = lines[i]
            start = self._first_non_ws(line, pos)
            pos = None
            if start >= line.end:
                in_comments = False
                if top_level:  # at the top level, an empty line ends a comment's hold on a block
                    pending = None
                i += 1
                continue
            if text.startswith("//", start):
                if not in_comments:
                    pending, in_comments = [], True
                if text.startswith("///", start):
                    pending.append(text[start + 3 : line.end].strip())  # type: ignore[union-attr]
                i += 1
                continue
            if text.startswith("/*", start):
                end = self._block_comment_end(start)
                if end is not None:
                    if not in_comments:
                        pending, in_comments = [], True
                    body = text[start + 2 : end - 2].strip()
                    if body:
                        pending.append(body)  # type: ignore[union-attr]
                    i = self._line_of(end)
                    pos = self._first_non_ws(lines[i], end)
                    if pos >= lines[i].end:  # the comment's own newline: not an empty line
                        i, pos = i + 1, None
                    continue
            if not top_level and text[start] == "}":
                return i, start
            docs = pending or None
            pending, in_comments = None, False
            i, pos = item(i, start, docs)
        return None

    def _top_item(self, i: int, first: int, doc: list[str] | None) -> tuple[int, int | None]:
        line = self.lines[i]
        block = self._top_level_block(i, first, doc)
        if block is not None:
            return block
        if self._type_alias(line, first):
            return i + 1, None
        arbitrary = self._arbitrary_block(i, first)
        if arbitrary is not None:
            return arbitrary, None
        self.problems.append(problems.invalid_top_level_line(self.file, (first, line.end)))
        return i + 1, None

    def _block_header(self, line: _Line, first: int) -> tuple[str, Identifier, int] | None:
        """`keyword Name {...rest of line` -> (keyword, name, offset after `{`) or None."""
        text = self.text
        for keyword in _BLOCK_KEYWORDS:
            if text.startswith(keyword, first) and first + len(keyword) <= line.end:
                cur = _Cursor(text, first + len(keyword), line.end)
                m = cur.match(_IDENT)
                if m is None:
                    continue
                if not cur.eat("{"):
                    continue
                return keyword, Identifier(m.group(), (m.start(), m.end())), cur.pos
        return None

    def _find_block_close(self, i: int) -> int | None:
        """Index of the first line after `i` whose first non-blank character is `}`."""
        for j in range(i + 1, len(self.lines)):
            line = self.lines[j]
            first = self._first_non_ws(line)
            if first < line.end and self.text[first] == "}":
                return j
        return None

    def _top_level_block(
        self, i: int, first: int, doc: list[str] | None
    ) -> tuple[int, int | None] | None:
        line = self.lines[i]
        header = self._block_header(line, first)
        if header is None:
            return None
        if line.next == line.end:  # BLOCK_OPEN needs a newline after `{`
            return None
        close = self._find_block_close(i)
        keyword, name, _ = header
        documentation = "\n".join(doc) if doc else None
        if close is None or "/*" in self.text[line.next : self.lines[close].end]:
            # a block comment may hide a `}` or span the last line: let the body decide
            return self._block_with_comments(i, first, keyword, name, documentation)
        close_line = self.lines[close]
        close_pos = self._first_non_ws(close_line)
        span = (first, close_pos + 1)
        key = (self.file, self.text[first : close_pos + 1], documentation)
        hit = self.blocks.get(key, first, self.used_blocks)
        if hit is not None:
            self.ast.tops.append(hit[0])
            self.problems.extend(hit[1])
        else:
            before = len(self.problems)
            top = self._block_body(keyword, name, i + 1, close, documentation, span)[0]
            self.ast.tops.append(top)
            self.blocks.put(key, top, self.problems[before:], first, self.used_blocks)
        # whatever follows `}` on its line is read as top-level text, as the grammar does
        return close, close_pos + 1

    def _block_with_comments(self, i, first, keyword, name, documentation):
        """A block whose body has `/*`: walk it to find its `}` (None: it has none)."""
        before = len(self.problems)
        top, close = self._block_body(keyword, name, i + 1, None, documentation, (first, first))
        if close is None:
            del self.problems[before:]
            return None
        top.span = (first, close[1] + 1)
        self.ast.tops.append(top)
        return close[0], close[1] + 1

    def _block_body(self, keyword, name, i, stop, documentation, span):
        if keyword in ("model", "view", "type"):
            top = Model(keyword, name, [], [], documentation, span)
            item = functools.partial(self._model_item, top)
        elif keyword == "enum":
            top = Enum(name, [], [], documentation, span)
            item = functools.partial(self._enum_item, top)
        else:
            top = ConfigBlock(keyword, name, [], documentation, span)
            item = functools.partial(self._config_item, top)
        return top, self._walk(i, stop, item)

    def _type_alias(self, line: _Line, first: int) -> bool:
        if not self.text.startswith("type", first):
            return False
        cur = _Cursor(self.text, first + 4, line.end)
        try:
            if cur.match(_IDENT) is None:
                raise _Fail
            cur.expect("=")
            self._base_type(cur)
            while True:
                save = cur.pos
                cur.skip_ws()
                if cur.peek("@") and not cur.peek("@@"):
                    self._attribute(cur, block=False)
                else:
                    cur.pos = save
                    break
        except _Fail:
            return False
        self.problems.append(problems.invalid_type_alias(self.file, (first, cur.pos)))
        if not cur.at_end():
            self.problems.append(problems.invalid_top_level_line(self.file, (cur.pos, line.end)))
        return True

    def _arbitrary_block(self, i: int, first: int) -> int | None:
        line = self.lines[i]
        cur = _Cursor(self.text, first, line.end)
        if cur.match(_IDENT) is None or not cur.eat("{"):
            return None
        close = self.text.find("}", cur.pos)
        if close == -1:
            return None
        self.problems.append(problems.invalid_block(self.file, (first, close + 1)))
        j = i
        while j < len(self.lines) and self.lines[j].next <= close:
            j += 1
        rest = _Cursor(
            self.text, close + 1, self.lines[j].end if j < len(self.lines) else close + 1
        )
        if not rest.at_end() and not self.text.startswith("//", rest.pos):
            self.problems.append(problems.invalid_top_level_line(self.file, (rest.pos, rest.end)))
        return j + 1

    # -- block bodies -----------------------------------------------------------------------------

    def _after_item(self, cur: _Cursor, i: int) -> tuple[int, None]:
        """The line after an item whose trailing comment may have ended on a later line."""
        return (self._line_of(cur.end) if cur.end > self.lines[i].end else i) + 1, None

    def _model_item(self, model: Model, i: int, first: int, pending) -> tuple[int, None]:
        line = self.lines[i]
        cur = _Cursor(self.text, first, line.end)
        if self.text.startswith("@@", first):
            try:
                attribute = self._attribute(cur, block=True)
                self._trailing_comment(cur)
                if not cur.at_end():
                    raise _Fail
                model.attributes.append(attribute)
            except _Fail:
                self.problems.append(problems.invalid_model_line(self.file, (first, line.end)))
                return i + 1, None
            return self._after_item(cur, i)
        try:
            field = self._field(cur, model.kind, model.name.name, pending, (first, line.end))
            if field is not None:
                model.fields.append(field)
        except _Fail:
            self.problems.append(problems.invalid_model_line(self.file, (first, line.end)))
            return i + 1, None
        return self._after_item(cur, i)

    def _field(self, cur: _Cursor, container, model_name, pending, line_span) -> Field | None:
        """One field line. Raises `_Fail` where the grammar fails (the caller reports the line)."""
        start = cur.pos
        m = cur.match(_IDENT)
        if m is None:
            raise _Fail
        name = Identifier(m.group(), (m.start(), m.end()))
        legacy_colon: tuple[int, int] | None = None
        cur.skip_ws()
        if cur.peek(":"):
            legacy_colon = (cur.pos, cur.pos + 1)
            cur.pos += 1
        field_type, arity, legacy = self._field_type(cur)
        attributes: list[Attribute] = []
        while True:
            cur.skip_ws()
            if cur.peek("@") and not cur.peek("@@"):
                attributes.append(self._attribute(cur, block=False))
            else:
                break
        trailing_doc = self._trailing_comment(cur)
        if not cur.at_end():
            raise _Fail
        end = cur.pos
        span = (start, end)
        if legacy_colon is not None:
            self.problems.append(
                problems.legacy_syntax(
                    "Field declarations don't require a `:`.", self.file, legacy_colon
                )
            )
            return None
        if legacy is not None:
            self.problems.append(problems.legacy_syntax(legacy[0], self.file, legacy[1]))
            return None
        doc_parts = [*(pending or []), *([trailing_doc] if trailing_doc is not None else [])]
        documentation = "\n".join(doc_parts) if doc_parts else None
        if field_type is None:
            self.problems.append(
                problems.field_missing_type(container, model_name, self.file, line_span)
            )
            return Field(name, None, "required", attributes, documentation, span)
        return Field(name, field_type, arity, attributes, documentation, span)

    def _field_type(self, cur: _Cursor):
        """-> (FieldType | None, arity, legacy problem (message, span) | None)."""
        save = cur.pos
        cur.skip_ws()
        start = cur.pos
        if cur.peek("["):  # legacy `[Type]`
            cur.pos += 1
            try:
                self._base_type(cur)
                cur.expect("]")
                return (
                    None,
                    "required",
                    (
                        "To specify a list, please use `Type[]` instead of `[Type]`.",
                        (start, cur.pos),
                    ),
                )
            except _Fail:
                cur.pos = save
                return None, "required", None
        try:
            base = self._base_type(cur)
        except _Fail:
            cur.pos = save
            return None, "required", None
        after_base = cur.pos
        if cur.eat("[]"):
            after_list = cur.pos
            if cur.eat("?"):
                return (
                    None,
                    "list",
                    (
                        "Optional lists are not supported. Use either `Type[]` or `Type?`.",
                        (start, cur.pos),
                    ),
                )
            cur.pos = after_list
            return base, "list", None
        cur.pos = after_base
        if cur.eat("?"):
            return base, "optional", None
        cur.pos = after_base
        if cur.eat("!"):
            return (
                None,
                "required",
                (
                    "Fields are required by default, `!` is no longer required.",
                    (start, cur.pos),
                ),
            )
        cur.pos = after_base
        return base, "required", None

    def _base_type(self, cur: _Cursor) -> FieldType:
        cur.skip_ws()
        start = cur.pos
        if cur.peek("Unsupported("):
            cur.pos += len("Unsupported(")
            literal = self._string(cur)
            cur.expect(")")
            return FieldType(literal.value, (start, cur.pos), unsupported=True)
        m = cur.match(_IDENT)
        if m is None:
            raise _Fail
        return FieldType(m.group(), (m.start(), m.end()))

    def _trailing_comment(self, cur: _Cursor) -> str | None:
        """Consumes a trailing `//` comment or one `/* ... */` (which may end on a later line:
        the cursor then moves to that line); returns the text of a `///` one."""
        cur.skip_ws()
        if cur.peek("///"):
            text = self.text[cur.pos + 3 : cur.end].strip()
            cur.pos = cur.end
            return text
        if cur.peek("//"):
            cur.pos = cur.end
        elif cur.peek("/*"):
            end = self._block_comment_end(cur.pos)
            if end is not None:
                if end > cur.end:
                    cur.end = self.lines[self._line_of(end)].end
                cur.pos = end
        return None

    def _enum_item(self, enum: Enum, i: int, first: int, pending) -> tuple[int, None]:
        line = self.lines[i]
        cur = _Cursor(self.text, first, line.end)
        try:
            if self.text.startswith("@@", first):
                attribute = self._attribute(cur, block=True)
                self._trailing_comment(cur)
                if not cur.at_end():
                    raise _Fail
                enum.attributes.append(attribute)
            else:
                m = cur.match(_IDENT)
                if m is None:
                    raise _Fail
                attributes = []
                while True:
                    cur.skip_ws()
                    if cur.peek("@") and not cur.peek("@@"):
                        attributes.append(self._attribute(cur, block=False))
                    else:
                        break
                trailing = self._trailing_comment(cur)
                if not cur.at_end():
                    raise _Fail
                docs = [*(pending or []), *([trailing] if trailing is not None else [])]
                enum.values.append(
                    EnumValue(
                        Identifier(m.group(), (m.start(), m.end())),
                        attributes,
                        "\n".join(docs) if docs else None,
                        (first, cur.pos),
                    )
                )
        except _Fail:
            self.problems.append(problems.invalid_enum_line(self.file, (first, line.end)))
            return i + 1, None
        return self._after_item(cur, i)

    def _config_item(self, block: ConfigBlock, i: int, first: int, pending) -> tuple[int, None]:
        line = self.lines[i]
        cur = _Cursor(self.text, first, line.end)
        try:
            m = cur.match(_IDENT)
            if m is None:
                raise _Fail
            cur.expect("=")
            save = cur.pos
            try:
                value: Expression | None = self._expression(cur)
            except _Fail:  # `key =` with nothing after it: the loader reports it
                cur.pos, value = save, None
            end = cur.pos
            self._trailing_comment(cur)
            if not cur.at_end():
                raise _Fail
            block.properties.append(
                ConfigProperty(Identifier(m.group(), (m.start(), m.end())), value, (first, end))
            )
        except _Fail:
            self.problems.append(
                problems.invalid_config_line(block.kind, self.file, (first, line.end))
            )
            return i + 1, None
        return self._after_item(cur, i)

    # -- attributes and expressions ---------------------------------------------------------------

    def _attribute(self, cur: _Cursor, block: bool) -> Attribute:
        cur.skip_ws()
        start = cur.pos
        cur.expect("@@" if block else "@")
        m = cur.match(_PATH)
        if m is None:
            raise _Fail
        name = Identifier(m.group(), (m.start(), m.end()))
        save = cur.pos
        cur.skip_ws()
        arguments = None
        if cur.peek("("):
            arguments = self._arguments(cur)
        else:
            cur.pos = save
        return Attribute(name, arguments, (start, cur.pos), block)

    def _arguments(self, cur: _Cursor) -> ArgumentsList:
        cur.skip_ws()
        start = cur.pos
        cur.expect("(")
        arguments: list[Argument] = []
        trailing: tuple[int, int] | None = None
        cur.skip_ws()
        if cur.peek(","):  # `(,)`: no arguments, then the grammar's optional trailing comma
            comma = cur.pos
            cur.pos += 1
            cur.expect(")")
            return ArgumentsList(arguments, (start, cur.pos), (comma, comma + 1))
        if not cur.eat(")"):
            arguments.append(self._argument(cur))
            while True:
                cur.skip_ws()
                if cur.peek(","):
                    comma = cur.pos
                    cur.pos += 1
                    if cur.eat(")"):
                        trailing = (comma, comma + 1)
                        break
                    arguments.append(self._argument(cur))
                    continue
                cur.expect(")")
                break
        return ArgumentsList(arguments, (start, cur.pos), trailing)

    def _argument(self, cur: _Cursor) -> Argument:
        cur.skip_ws()
        start = cur.pos
        m = _IDENT.match(cur.text, cur.pos, cur.end)
        if m is not None:
            after = _Cursor(cur.text, m.end(), cur.end)
            if after.eat(":"):
                name = Identifier(m.group(), (m.start(), m.end()))
                cur.pos = after.pos
                save = cur.pos
                try:
                    value = self._expression(cur)
                except _Fail:
                    cur.pos = save
                    return Argument(name, None, (start, cur.pos))
                return Argument(name, value, (start, cur.pos))
        value = self._expression(cur)
        return Argument(None, value, (start, cur.pos))

    def _expression(self, cur: _Cursor) -> Expression:
        cur.skip_ws()
        start = cur.pos
        text = cur.text
        if cur.peek('"'):
            return self._string(cur)
        if cur.peek("["):
            cur.pos += 1
            items: list[Expression] = []
            if not cur.eat("]"):
                items.append(self._expression(cur))
                while cur.eat(","):
                    items.append(self._expression(cur))
                cur.expect("]")
            return ArrayExpression(items, (start, cur.pos))
        path = _PATH.match(text, cur.pos, cur.end)
        if path is not None:
            after = _Cursor(text, path.end(), cur.end)
            after.skip_ws()
            if after.peek("("):
                cur.pos = after.pos
                arguments = self._arguments(cur)
                return FunctionCall(
                    path.group(), (path.start(), path.end()), arguments, (start, cur.pos)
                )
        number = _NUMBER.match(text, cur.pos, cur.end)
        if number is not None:
            cur.pos = number.end()
            return NumericValue(number.group(), (start, cur.pos))
        if path is not None:
            cur.pos = path.end()
            return ConstantValue(path.group(), (start, cur.pos))
        raise _Fail

    def _string(self, cur: _Cursor) -> StringValue:
        cur.skip_ws()
        start = cur.pos
        cur.expect('"')
        m = _STRING_BODY.match(cur.text, cur.pos, cur.end)
        body_end = m.end() if m else cur.pos
        if body_end >= cur.end or cur.text[body_end] != '"':
            raise _Fail
        raw = cur.text[cur.pos : body_end]
        cur.pos = body_end + 1
        return StringValue(_unescape(raw), (start, cur.pos))


def _unescape(raw: str) -> str:
    if "\\" not in raw:
        return raw
    try:
        return json.loads(f'"{raw}"')
    except ValueError:
        return re.sub(r"\\(.)", r"\1", raw)

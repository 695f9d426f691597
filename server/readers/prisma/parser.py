"""Prisma Schema Language text -> `SchemaAst` plus syntax problems. Never raises.

A hand-written recursive-descent reading of psl's PEG grammar (`datamodel.pest`), rule for rule,
including its recovery: a line inside a block that is not a field, attribute or comment becomes
one problem and reading goes on with the next line; a top-level line that starts no known block
likewise; a block with no closing brace is read as a bad top-level line, as Prisma does. The
grammar is line-oriented (whitespace is spaces and tabs only), so every rule here works within
a line and blocks are sequences of lines.
"""

from __future__ import annotations

import json
import re

from schemasense.server.findings import Finding
from schemasense.server.readers.prisma import problems
from schemasense.server.readers.prisma.block_cache import BlockCache
from schemasense.server.readers.prisma.ast import (
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

_WS = " \t\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000"
_IDENT = re.compile(r"[A-Za-z0-9][A-Za-z0-9_\-]*")
_NUMBER = re.compile(r"-?[0-9]+(?:\.[0-9]+)?")
_PATH = re.compile(r"[A-Za-z0-9][A-Za-z0-9_\-]*(?:\.(?:[A-Za-z0-9][A-Za-z0-9_\-]*)?)*")
_STRING_BODY = re.compile(r'(?:\\.|[^"\\\x00-\x1f])*', re.DOTALL)
_NEWLINE = re.compile(r"\r\n|\n|\r")
_BLOCKS = BlockCache()
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


def parse(text: str, file: str) -> tuple[SchemaAst, list[Finding]]:
    """Read `text` (the content of file `file`) into a syntax tree plus syntax problems."""
    parser = _Parser(text, file)
    try:
        parser.parse_schema()
    except RecursionError:  # pragma: no cover - defence in depth for pathological nesting
        parser.problems.append(
            problems.problem(problems.SYNTAX, "Nesting too deep to read.", file, (0, len(text)))
        )
    return parser.ast, parser.problems


class _Parser:
    def __init__(self, text: str, file: str) -> None:
        self.text = text
        self.file = file
        self.ast = SchemaAst(file=file)
        self.problems: list[Finding] = []
        self.lines = self._split_lines(text)
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
        lines, text = self.lines, self.text
        i = 0
        pending_doc: list[str] | None = None
        while i < len(lines):
            line = lines[i]
            first = self._first_non_ws(line)
            if first >= line.end:  # empty line: a comment block before it floats free
                pending_doc = None
                i += 1
                continue
            if text.startswith("//", first):
                i, pending_doc = self._comment_block(i)
                continue
            consumed = self._top_level_block(i, first, pending_doc)
            pending_doc = None
            if consumed is not None:
                i = consumed
                continue
            if self._type_alias(line, first):
                i += 1
                continue
            arbitrary = self._arbitrary_block(i, first)
            if arbitrary is not None:
                i = arbitrary
                continue
            self.problems.append(problems.invalid_top_level_line(self.file, (first, line.end)))
            i += 1

    def _first_non_ws(self, line: _Line) -> int:
        pos, text = line.start, self.text
        while pos < line.end and text[pos] in _WS:
            pos += 1
        return pos

    def _comment_block(self, i: int) -> tuple[int, list[str]]:
        """Consecutive comment lines; returns the next line index and the `///` texts."""
        docs: list[str] = []
        while i < len(self.lines):
            line = self.lines[i]
            first = self._first_non_ws(line)
            if not self.text.startswith("//", first) or first >= line.end:
                break
            if self.text.startswith("///", first):
                docs.append(self.text[first + 3 : line.end].strip())
            i += 1
        return i, docs

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

    def _top_level_block(self, i: int, first: int, doc: list[str] | None) -> int | None:
        line = self.lines[i]
        header = self._block_header(line, first)
        if header is None:
            return None
        if line.next == line.end:  # BLOCK_OPEN needs a newline after `{`
            return None
        close = self._find_block_close(i)
        if close is None:
            return None
        keyword, name, _ = header
        close_line = self.lines[close]
        close_pos = self._first_non_ws(close_line)
        span = (first, close_pos + 1)
        documentation = "\n".join(doc) if doc else None
        key = (self.file, self.text[first : close_pos + 1], documentation)
        hit = _BLOCKS.get(key, first, self.used_blocks)
        if hit is not None:
            self.ast.tops.append(hit[0])
            self.problems.extend(hit[1])
        else:
            body = range(i + 1, close)
            before = len(self.problems)
            if keyword in ("model", "view", "type"):
                top = self._model(keyword, name, body, documentation, span)
            elif keyword == "enum":
                top = self._enum(name, body, documentation, span)
            else:
                top = self._config(keyword, name, body, documentation, span)
            self.ast.tops.append(top)
            _BLOCKS.put(key, top, self.problems[before:], first, self.used_blocks)
        # whatever follows `}` on its line is read as top-level text, as the grammar does
        rest = _Cursor(self.text, close_pos + 1, close_line.end)
        if not rest.at_end():
            if not self.text.startswith("//", rest.pos):
                self.problems.append(
                    problems.invalid_top_level_line(self.file, (rest.pos, close_line.end))
                )
        return close + 1

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

    def _model(self, keyword, name: Identifier, body: range, doc, span) -> Model:
        model = Model(keyword, name, [], [], doc, span)
        pending: list[str] | None = None
        text = self.text
        i = body.start
        while i < body.stop:
            line = self.lines[i]
            first = self._first_non_ws(line)
            if first >= line.end:
                i += 1
                continue
            if text.startswith("//", first):
                i, pending = self._comment_block_within(i, body.stop)
                continue
            cur = _Cursor(text, first, line.end)
            if text.startswith("@@", first):
                try:
                    attribute = self._attribute(cur, block=True)
                    self._trailing_comment(cur)
                    if not cur.at_end():
                        raise _Fail
                    model.attributes.append(attribute)
                except _Fail:
                    self.problems.append(problems.invalid_model_line(self.file, (first, line.end)))
                i += 1
                continue
            try:
                field = self._field(cur, keyword, name.name, pending, (first, line.end))
                pending = None
                if field is not None:
                    model.fields.append(field)
            except _Fail:
                self.problems.append(problems.invalid_model_line(self.file, (first, line.end)))
            i += 1
        return model

    def _comment_block_within(self, i: int, stop: int) -> tuple[int, list[str] | None]:
        docs: list[str] = []
        while i < stop:
            line = self.lines[i]
            first = self._first_non_ws(line)
            if first >= line.end or not self.text.startswith("//", first):
                break
            if self.text.startswith("///", first):
                docs.append(self.text[first + 3 : line.end].strip())
            i += 1
        return i, docs or None

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
        """Consumes a trailing `//` comment; returns the text of a `///` one."""
        cur.skip_ws()
        if cur.peek("///"):
            text = self.text[cur.pos + 3 : cur.end].strip()
            cur.pos = cur.end
            return text
        if cur.peek("//"):
            cur.pos = cur.end
        return None

    def _enum(self, name: Identifier, body: range, doc, span) -> Enum:
        enum = Enum(name, [], [], doc, span)
        pending: list[str] | None = None
        text = self.text
        i = body.start
        while i < body.stop:
            line = self.lines[i]
            first = self._first_non_ws(line)
            if first >= line.end:
                i += 1
                continue
            if text.startswith("//", first):
                i, pending = self._comment_block_within(i, body.stop)
                continue
            cur = _Cursor(text, first, line.end)
            try:
                if text.startswith("@@", first):
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
                    pending = None
            except _Fail:
                self.problems.append(problems.invalid_enum_line(self.file, (first, line.end)))
            i += 1
        return enum

    def _config(self, keyword, name: Identifier, body: range, doc, span) -> ConfigBlock:
        block = ConfigBlock(keyword, name, [], doc, span)
        text = self.text
        i = body.start
        while i < body.stop:
            line = self.lines[i]
            first = self._first_non_ws(line)
            if first >= line.end:
                i += 1
                continue
            if text.startswith("//", first):
                i, _ = self._comment_block_within(i, body.stop)
                continue
            cur = _Cursor(text, first, line.end)
            try:
                m = cur.match(_IDENT)
                if m is None:
                    raise _Fail
                cur.expect("=")
                value = self._expression(cur)
                end = cur.pos
                self._trailing_comment(cur)
                if not cur.at_end():
                    raise _Fail
                block.properties.append(
                    ConfigProperty(Identifier(m.group(), (m.start(), m.end())), value, (first, end))
                )
            except _Fail:
                self.problems.append(
                    problems.invalid_config_line(keyword, self.file, (first, line.end))
                )
            i += 1
        return block

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

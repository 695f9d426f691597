"""TypeScript and JavaScript text -> a tree-sitter tree, with offsets in characters.

tree-sitter counts in UTF-8 bytes; every span in schemasense counts characters
(`codegen.schema.Span`), so a parsed file carries the map between the two. For a file that is all
ASCII (nearly every entity and migration file) the map is the identity and costs nothing.

The grammar is chosen by the file name: `.ts`, `.mts`, `.cts` take the TypeScript grammar; `.tsx`,
`.js`, `.jsx`, `.mjs`, `.cjs` the TSX one, which also reads plain JavaScript and JSX (the TypeScript
grammar refuses JSX, and a Sequelize project written in JavaScript may hold some). Parsing never
raises: tree-sitter always returns a tree, with ERROR and MISSING nodes where the text is broken,
which `syntax_errors` lists with their ranges.
"""

from __future__ import annotations

from array import array
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache

import tree_sitter_typescript
from tree_sitter import Language, Node, Parser, Tree

_TSX_SUFFIXES = (".tsx", ".js", ".jsx", ".mjs", ".cjs")


@cache
def _language(tsx: bool) -> Language:
    if tsx:
        return Language(tree_sitter_typescript.language_tsx())
    return Language(tree_sitter_typescript.language_typescript())


def grammar_for(path: str) -> str:
    """`"tsx"` or `"typescript"`: the grammar that reads the file named `path`."""
    return "tsx" if path.lower().endswith(_TSX_SUFFIXES) else "typescript"


@dataclass(frozen=True, slots=True)
class SyntaxProblem:
    """A place the grammar could not read: an ERROR node (text it skipped) or a MISSING one
    (a token it had to assume, such as a closing brace). Offsets in characters."""

    start: int
    end: int
    message: str


class ParsedFile:
    """One parsed file: its text, its tree, and the byte <-> character offset map."""

    __slots__ = ("_byte_starts", "path", "text", "tree")

    def __init__(self, path: str, text: str, tree: Tree, byte_starts: array | None) -> None:
        self.path = path
        self.text = text
        self.tree = tree
        self._byte_starts = byte_starts
        """For a non-ASCII text: the byte offset at which each character starts."""

    @property
    def root(self) -> Node:
        return self.tree.root_node

    def char(self, byte_offset: int) -> int:
        """The character offset of a byte offset (a character boundary, as tree-sitter gives)."""
        if self._byte_starts is None:
            return byte_offset
        return bisect_right(self._byte_starts, byte_offset) - 1 if byte_offset else 0

    def span(self, node: Node) -> tuple[int, int]:
        """The node's `[start, end)` in characters."""
        return self.char(node.start_byte), self.char(node.end_byte)

    def node_text(self, node: Node) -> str:
        start, end = self.span(node)
        return self.text[start:end]

    def syntax_errors(self, limit: int = 100) -> list[SyntaxProblem]:
        """ERROR and MISSING nodes, outermost first, at most `limit` of them."""
        found: list[SyntaxProblem] = []
        if not self.root.has_error:
            return found
        for node in _error_nodes(self.root):
            start, end = self.span(node)
            if node.is_missing:
                found.append(SyntaxProblem(start, end, f"expected `{node.type}` here"))
            else:
                snippet = self.text[start:end].strip().splitlines()
                shown = snippet[0][:40] if snippet else ""
                found.append(SyntaxProblem(start, end, f"unexpected `{shown}`"))
            if len(found) >= limit:
                break
        return found


def _error_nodes(root: Node) -> Iterator[Node]:
    """ERROR and MISSING nodes, without descending into an ERROR node (one finding each)."""
    stack = [root]
    while stack:
        node = stack.pop()
        if node.is_error or node.is_missing:
            yield node
            continue
        if node.has_error:
            stack.extend(reversed(node.children))


def parse(path: str, text: str, previous: ParsedFile | None = None) -> ParsedFile:
    """Parse `text` (the file `path`, whose name picks the grammar). Never raises.

    `previous`: an earlier parse of the same file (the text before a keystroke). tree-sitter
    then re-parses only around what changed (`_edited`: its tree, copied, told where the texts
    differ), which gives the same tree as parsing from nothing (tests/server/sources/
    typescript/test_incremental_parse.py compares them), in a fraction of the time on a large
    file (opencollective's Collective.ts: 31 ms from nothing)."""
    tsx = grammar_for(path) == "tsx"
    parser = Parser(_language(tsx))
    data = text.encode("utf-8", "surrogatepass")
    old = None
    if previous is not None and grammar_for(previous.path) == grammar_for(path):
        old = _edited(previous, data)
    tree = parser.parse(data, old) if old is not None else parser.parse(data)
    starts = None if len(data) == len(text) else _byte_starts(text)
    return ParsedFile(path, text, tree, starts)


def _edited(previous: ParsedFile, data: bytes) -> Tree | None:
    """A copy of `previous`'s tree, edited to say which bytes of it `data` replaced (the span
    between their common start and their common end); None when nothing changed."""
    before = previous.text.encode("utf-8", "surrogatepass")
    if before == data:
        return None
    start = _common_prefix(before, data)
    tail = _common_prefix(before[start:][::-1], data[start:][::-1])
    old_end, new_end = len(before) - tail, len(data) - tail
    tree = previous.tree.copy()  # the previous parse's tree stays as it was (it may be in use)
    tree.edit(
        start_byte=start,
        old_end_byte=old_end,
        new_end_byte=new_end,
        start_point=_point(before, start),
        old_end_point=_point(before, old_end),
        new_end_point=_point(data, new_end),
    )
    return tree


def _common_prefix(a: bytes, b: bytes) -> int:
    """The length of the longest common prefix of `a` and `b` (slices compared in halves: the
    comparisons run at C speed, a Python loop over bytes would not)."""
    low, high = 0, min(len(a), len(b))
    while low < high:
        middle = (low + high + 1) // 2
        if a[low:middle] == b[low:middle]:
            low = middle
        else:
            high = middle - 1
    return low


def _point(data: bytes, offset: int) -> tuple[int, int]:
    """tree-sitter's (row, column in bytes) of a byte offset."""
    row = data.count(b"\n", 0, offset)
    return row, offset - (data.rfind(b"\n", 0, offset) + 1)


def _byte_starts(text: str) -> array:
    """The byte offset where each character starts, plus one past the end."""
    starts = array("q", bytes(8 * 0))
    offset = 0
    for ch in text:
        starts.append(offset)
        code = ord(ch)
        offset += 1 if code < 0x80 else 2 if code < 0x800 else 3 if code < 0x10000 else 4
    starts.append(offset)
    return starts

"""What a Prisma read may reuse from the reads of the same schema before it, in one object.

A read gets its `PrismaCaches` from the unit's previous read (`source.py`, through the
workspace's `caches.reads`, `workspace/caches.py`), so the caches live exactly as long as the
workspace keeps the unit, and two units, or two workspaces, never share one. A read without
one (the CLI, a one-off read) starts empty: every answer is the same, only slower.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from schemasense.server.findings import Finding
from schemasense.server.sources.prisma import ast
from schemasense.server.sources.prisma.block_cache import BlockCache
from schemasense.server.sources.prisma.parser import parse

PARSES_LIMIT = 256
VERSIONS_PER_FILE = 3
"""Parses kept per file: the current text and the two before it (an undo, a keystroke and its
correction). A whole-file syntax tree of cal.com's schema holds about 0.8 MB; keeping every
text typed (up to the global limit) made memory grow by 200 MB while typing, for parses no
one asks for again. Unchanged blocks are reused through the block cache anyway."""


@dataclass(eq=False)
class PrismaCaches:
    """The reader's caches for one schema unit (see the module docstring); each is bounded.

    - `parses`: (file, text) -> its (syntax tree, syntax problems); at most
      `VERSIONS_PER_FILE` texts per file and `PARSES_LIMIT` in all. A keystroke in one file of
      a multi-file schema re-parses that file only.
    - `texts_of_file`: file -> its texts in `parses`, oldest first.
    - `blocks`: the parser's unchanged blocks (`block_cache.py`): a keystroke re-parses the
      block it touched.
    - `tables`: block key of a model -> [dependencies, its start offset then, the lowered
      table] (`lower.py`); an entry goes with its block when `blocks` forgets it.
    """

    parses: dict[tuple[str, str], tuple[ast.SchemaAst, list[Finding]]] = field(default_factory=dict)
    texts_of_file: dict[str, list[str]] = field(default_factory=dict)
    blocks: BlockCache = field(default_factory=BlockCache)
    tables: dict[int, list] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.blocks.forgotten.append(self._forget_tables)

    def _forget_tables(self, block_keys: list[int]) -> None:
        for key in block_keys:
            self.tables.pop(key, None)

    def parse(self, text: str, file: str) -> tuple[ast.SchemaAst, list[Finding]]:
        """`parser.parse` of `text`, kept (see `parses`)."""
        key = (file, text)
        hit = self.parses.get(key)
        if hit is None:
            hit = parse(text, file, self.blocks)
            if len(self.parses) >= PARSES_LIMIT:
                old_file, old_text = next(iter(self.parses))
                del self.parses[(old_file, old_text)]
                kept = self.texts_of_file.get(old_file, [])
                if old_text in kept:
                    kept.remove(old_text)
            self.parses[key] = hit
            texts = self.texts_of_file.setdefault(file, [])
            texts.append(text)
            while len(texts) > VERSIONS_PER_FILE:
                self.parses.pop((file, texts.pop(0)), None)
        return hit

"""What every editor request starts from: the document's unit, its current read, the position
index, and LSP positions <-> offsets in the agreed encoding.

A request reads the unit's current texts (`Workspace.analyze` re-reads only what changed since
the last keystroke, and usually nothing, because the diagnostics already did), then looks up
the index built once per read.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from lsprotocol import types
from schemasense.server.positions import LineMap
from schemasense.server.project.detection import PRISMA
from schemasense.server.sources.base import Source
from schemasense.server.sources.prisma.index import SchemaIndex, index_for
from schemasense.server.workspace.workspace import Analysis

from .diagnostics import to_range
from .session import Session


@dataclass(slots=True)
class Lookup:
    """One document of one analysed unit."""

    session: Session
    path: str
    analysis: Analysis
    index: SchemaIndex

    def offset(self, position: types.Position) -> int:
        lines = self.index.line_map(self.path)
        return lines.offset(position.line, position.character, self.encoding)

    @property
    def encoding(self):
        return self.session.workspace.position_encoding

    def range(self, file: str, start: int, end: int) -> types.Range:
        return to_range(self.index.line_map(file), start, end, self.encoding)

    def location(self, file: str, start: int, end: int) -> types.Location:
        return types.Location(uri=self.session.uri_of(file), range=self.range(file, start, end))


def is_prisma(session: Session, path: str) -> bool:
    if path.endswith(".prisma"):
        return True
    doc = session.workspace.document(path)
    return doc is not None and doc.language_id == "prisma"


def lookup(session: Session, uri: str) -> Lookup | None:
    """The current analysis of the Prisma document `uri`; None for anything else."""
    path = session.path_of(uri)
    if not is_prisma(session, path):
        return None
    workspace = session.workspace
    unit = workspace.unit_for(path)
    if unit.kind != PRISMA:  # a TypeORM entity opened with the language id "prisma"
        return None
    analysis = workspace.analyze(unit)
    if path not in analysis.texts:
        return None
    index = index_for(analysis.texts, analysis.read)
    workspace.caches.last_indexes[path] = index  # for `typing_lookup`
    return Lookup(session, path, analysis, index)


@dataclass(slots=True)
class Typing:
    """For completion: the document's current text and the names of its last read."""

    path: str
    text: str
    lines: LineMap
    index: SchemaIndex


def typing_lookup(session: Session, uri: str) -> Typing | None:
    """The document as it is now, with the index of the last read of it, which may be a
    keystroke behind: completion reads its context from the current text and only the names
    of models, enums and fields from the index, so it need not wait for a re-read. A stale
    index is refreshed soon after (by then the diagnostics have read the new text)."""
    path = session.path_of(uri)
    if not is_prisma(session, path):
        return None
    text = session.workspace.text(path)
    last = session.workspace.caches.last_indexes.get(path)
    if text is None or last is None or last.texts.get(path) == text:
        found = lookup(session, uri)
        if found is None:
            return None
        return Typing(path, found.index.texts[path], found.index.line_map(path), found.index)
    _refresh_soon(session, uri)
    return Typing(path, text, LineMap(text), last)


def _refresh_soon(session: Session, uri: str) -> None:
    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:
        return
    loop.call_later(0.05, session.guard.run, "refresh", lookup, session, uri)


def indexes(session: Session) -> list[SchemaIndex]:
    """The index of every unit below the roots and of every open unit."""
    workspace = session.workspace
    units = {u.key: u for u in workspace.units()}
    for unit in workspace.open_units():
        units.setdefault(unit.key, unit)
    found = []
    for unit in units.values():
        if unit.kind != PRISMA:
            continue  # another source's index is its own (`SourceLookup`)
        analysis = workspace.analyze(unit)
        found.append(index_for(analysis.texts, analysis.read))
    return found


@dataclass(slots=True)
class SourceLookup:
    """A document of a unit another source than Prisma reads (a DDL schema file): its
    analysis, its source (which answers hover and definition) and its lines."""

    session: Session
    path: str
    analysis: Analysis
    source: Source
    lines: LineMap

    def offset(self, position: types.Position) -> int:
        encoding = self.session.workspace.position_encoding
        return self.lines.offset(position.line, position.character, encoding)

    def range(self, start: int, end: int) -> types.Range:
        return to_range(self.lines, start, end, self.session.workspace.position_encoding)


def source_lookup(session: Session, uri: str) -> SourceLookup | None:
    """The analysis of `uri` when a source other than Prisma reads it; None otherwise (the
    unit's kind decides, not the document's language id)."""
    path = session.path_of(uri)
    if path.endswith(".prisma"):
        return None
    workspace = session.workspace
    unit = workspace.unit_for(path)
    if unit.kind == PRISMA:
        return None
    analysis = workspace.analyze(unit)
    text = analysis.texts.get(path)
    if text is None:
        return None
    return SourceLookup(session, path, analysis, analysis.source, LineMap(text))

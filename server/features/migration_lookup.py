"""The migration set linked to a schema (or holding a `.sql` document), indexed for the editor.

The workspace links each schema unit to its migration sets and keeps their replays
(`server/workspace/migration_links.py`: configuration, `prisma.config.ts`, or `migrations/`
beside the schema); the editor indexes the first linked set's replay once
(`language.migrations.build`) and keeps the index with the schema's read. A `.sql` document
whose folder no schema links is read here on its own (one `Replayer` per workspace; the folder
is looked at again at most every `RECHECK_SECONDS`), for statement hovers without a schema.
"""

from __future__ import annotations

import os
import time
import weakref
from collections.abc import Sequence
from dataclasses import dataclass, field

from schemasense.server.findings import Finding
from schemasense.server.language.migrations import MigrationIndex, build
from schemasense.server.migrations import MigrationSet, Replayer, read_set, replay
from schemasense.server.positions import LineMap
from schemasense.server.project.config import Config, find_config_file, parse_config
from schemasense.server.sources.prisma.index import SchemaIndex
from schemasense.server.workspace.workspace import Workspace

from .lookup import Lookup, lookup
from .session import Session

RECHECK_SECONDS = 2.0


@dataclass(slots=True)
class _Entry:
    checked_at: float
    texts: tuple[str, ...]
    index: MigrationIndex | None


@dataclass(slots=True)
class _State:
    replayer: Replayer = field(default_factory=Replayer)
    sets: dict[str, _Entry] = field(default_factory=dict)
    roots: dict[str, str | None] = field(default_factory=dict)
    """`.sql` path -> the migrations folder holding it (None: none)."""
    replays: dict[int, tuple[object, MigrationIndex]] = field(default_factory=dict)
    """id(replay result) -> (the result, its index), for the last few linked replays."""
    lines: dict[str, LineMap] = field(default_factory=dict)


_STATES: weakref.WeakKeyDictionary[Workspace, _State] = weakref.WeakKeyDictionary()


def _state(workspace: Workspace) -> _State:
    state = _STATES.get(workspace)
    if state is None:
        state = _STATES[workspace] = _State()
    return state


def line_map(workspace: Workspace, path: str) -> LineMap:
    """A migration file's lines (kept while its text is unchanged)."""
    state = _state(workspace)
    text = workspace.text(path) or ""
    lines = state.lines.get(path)
    if lines is None or lines.text is not text:
        lines = state.lines[path] = LineMap(text)
    return lines


def _index_for_root(session: Session, root: str, dialect_hint: str | None) -> MigrationIndex | None:
    workspace = session.workspace
    state = _state(workspace)
    entry = state.sets.get(root)
    now = time.monotonic()
    if (
        entry is not None
        and now - entry.checked_at < RECHECK_SECONDS
        and not _open_changed(workspace, entry)
    ):
        return entry.index
    mset = read_set(root, dialect_hint=dialect_hint, text_of=workspace.text)
    if mset is None or not mset.files:
        state.sets[root] = _Entry(now, (), None)
        return None
    texts = tuple(f.up_text for f in mset.files)
    if entry is not None and entry.index is not None and _same(entry.texts, texts):
        entry.checked_at = now
        return entry.index
    index = _build(state, mset, workspace)
    state.sets[root] = _Entry(now, texts, index)
    return index


def _same(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    return len(a) == len(b) and all(x is y or x == y for x, y in zip(a, b, strict=True))


def _open_changed(workspace: Workspace, entry: _Entry) -> bool:
    """Whether an open document of the set has a text the entry was not built from."""
    if entry.index is None:
        return False
    for path in workspace.open_paths():
        if path in entry.index.files:
            doc = workspace.document(path)
            if doc is not None and not any(doc.text is t or doc.text == t for t in entry.texts):
                return True
    return False


def _build(state: _State, mset: MigrationSet, workspace: Workspace) -> MigrationIndex:
    result = replay(mset, state.replayer)
    return build(result, state.replayer.parsed, _full_texts(mset, workspace))


def migrations_for(session: Session, found: Lookup) -> MigrationIndex | None:
    """The migrations linked to the schema `found` is in (the first linked set), or None."""
    memo = found.index.memo
    if "migrations" in memo:
        return memo["migrations"]  # type: ignore[return-value]
    analysis = found.analysis
    unit_texts = {p: t for p, t in analysis.texts.items() if p in analysis.unit.files}
    links = session.workspace.migrations.links(analysis.unit.files, unit_texts, analysis.config)
    index = None
    if links:
        index = _index_for_replay(session, links[0].replay, session.workspace.migrations.replayer)
    memo["migrations"] = index
    return index


def _index_for_replay(session: Session, result, replayer: Replayer) -> MigrationIndex:
    state = _state(session.workspace)
    hit = state.replays.get(id(result))
    if hit is not None and hit[0] is result:
        return hit[1]
    index = build(result, replayer.parsed, _full_texts(result.migration_set, session.workspace))
    if len(state.replays) >= 4:
        state.replays.pop(next(iter(state.replays)))
    state.replays[id(result)] = (result, index)
    return index


def _full_texts(mset: MigrationSet, workspace: Workspace) -> dict[str, str]:
    return {
        f.path: text for f in mset.files if f.up_span_offset and (text := workspace.text(f.path))
    }


@dataclass(slots=True)
class SqlLookup:
    """A `.sql` migration document: its set's index, and the schema beside it (if any)."""

    path: str
    migrations: MigrationIndex
    lines: LineMap
    schema: SchemaIndex | None
    findings: Sequence[Finding] = ()
    """The document's findings (migration rules, drift), from the schema's analysis."""
    config: Config | None = None
    """The project configuration (its `database` and `database-version` decide the lock
    facts a statement's hover states, as they do the rules')."""


def sql_lookup(session: Session, uri: str) -> SqlLookup | None:
    """The migration set holding the `.sql` document `uri` and the Prisma schema beside it."""
    path = session.path_of(uri)
    if not path.endswith(".sql"):
        return None
    workspace = session.workspace
    state = _state(workspace)
    if path not in state.roots:
        state.roots[path] = _root_of(path)
    root = state.roots[path]
    if root is None:
        return None
    schema_file = _schema_beside(root)
    if schema_file is not None:
        found = lookup(session, session.uri_of(schema_file))
        if found is not None:
            migrations = migrations_for(session, found)
            if migrations is not None and path in migrations.files:
                findings = found.analysis.by_file.get(path, ())
                config = found.analysis.config.config
                lines = line_map(workspace, path)
                return SqlLookup(path, migrations, lines, found.index, findings, config)
    migrations = _index_for_root(session, root, None)
    if migrations is None or path not in migrations.files:
        return None
    return SqlLookup(path, migrations, line_map(workspace, path), None, (), _config(session, root))


def _config(session: Session, root: str) -> Config:
    """The configuration that applies to a migrations folder no schema links (the first
    config file found walking up from it), with the editor's settings over it."""
    workspace = session.workspace
    found = find_config_file(root, workspace.text)
    config = parse_config(*found).config if found else Config()
    return workspace.settings.over(config)


def _root_of(path: str) -> str | None:
    """The migrations folder holding `path`: its folder (Flyway, golang-migrate, dbmate) or the
    folder above (Prisma's `<name>/migration.sql`)."""
    folder = os.path.dirname(path)
    for candidate in (os.path.dirname(folder), folder):
        mset = read_set(candidate)
        if mset is not None and any(f.path == path for f in mset.files):
            return candidate
    return None


def _schema_beside(root: str) -> str | None:
    """The Prisma schema a migrations folder belongs to: `../schema.prisma`, `../*.prisma`,
    or a file of `../schema/`."""
    parent = os.path.dirname(root)
    for folder in (parent, os.path.join(parent, "schema")):
        try:
            names = sorted(n for n in os.listdir(folder) if n.endswith(".prisma"))
        except OSError:
            continue
        if names:
            name = "schema.prisma" if "schema.prisma" in names else names[0]
            return os.path.join(folder, name)
    return None

"""The migration set linked to a schema (or holding a `.sql` document), indexed for the editor.

The workspace links each schema unit to its migration sets and keeps their replays
(`server/workspace/migration_links.py`: configuration, `prisma.config.ts`, or `migrations/`
beside the schema); the editor indexes the first linked set's replay once
(`language.migrations.build`) and keeps the index with the schema's read. A `.sql` document
whose folder no schema links is read here on its own (one `Replayer` per workspace; the folder
is looked at again at most every `RECHECK_SECONDS`), for statement hovers without a schema.
What is kept between requests lives on the workspace's caches (`workspace/caches.py`:
`migration_indexes`, `loose_sets`, `loose_roots`, `loose_replayer`, `line_maps`).
"""

from __future__ import annotations

import os
import time
from collections.abc import Sequence
from dataclasses import dataclass

from schemasense.server.findings import Finding
from schemasense.server.language.migrations import MigrationIndex, build
from schemasense.server.migrations import MigrationSet, Replayer, read_set, replay
from schemasense.server.positions import LineMap
from schemasense.server.project.config import Config, find_config_file, parse_config
from schemasense.server.project.detection import PRISMA, unit_database
from schemasense.server.sources.base import migration_places
from schemasense.server.sources.prisma.index import SchemaIndex
from schemasense.server.workspace.caches import WorkspaceCaches
from schemasense.server.workspace.workspace import Analysis, Workspace

from .lookup import Lookup, lookup
from .session import Session

RECHECK_SECONDS = 2.0


@dataclass(slots=True)
class _Entry:
    checked_at: float
    texts: tuple[str, ...]
    index: MigrationIndex | None


def _replayer(caches: WorkspaceCaches) -> Replayer:
    """The replayer of the migration sets no schema links (made on first use)."""
    if caches.loose_replayer is None:
        caches.loose_replayer = Replayer()
    return caches.loose_replayer


def line_map(workspace: Workspace, path: str) -> LineMap:
    """A migration file's lines (kept while its text is unchanged)."""
    caches = workspace.caches
    text = workspace.text(path) or ""
    lines = caches.line_maps.get(path)
    if lines is None or lines.text is not text:
        lines = caches.line_maps[path] = LineMap(text)
    return lines


def _index_for_root(session: Session, root: str, dialect_hint: str | None) -> MigrationIndex | None:
    workspace = session.workspace
    caches = workspace.caches
    entry = caches.loose_sets.get(root)
    now = time.monotonic()
    if (
        entry is not None
        and now - entry.checked_at < RECHECK_SECONDS
        and not _open_changed(workspace, entry)
    ):
        return entry.index
    mset = read_set(root, dialect_hint=dialect_hint, text_of=workspace.text)
    if mset is None or not mset.files:
        caches.loose_sets[root] = _Entry(now, (), None)
        return None
    texts = tuple(f.up_text for f in mset.files)
    if entry is not None and entry.index is not None and _same(entry.texts, texts):
        entry.checked_at = now
        return entry.index
    index = _build(_replayer(caches), mset, workspace)
    caches.loose_sets[root] = _Entry(now, texts, index)
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


def _build(replayer: Replayer, mset: MigrationSet, workspace: Workspace) -> MigrationIndex:
    result = replay(mset, replayer)
    return build(result)


def migrations_for(session: Session, found: Lookup) -> MigrationIndex | None:
    """The migrations linked to the schema `found` is in (the first linked set), or None."""
    memo = found.index.memo
    if "migrations" in memo:
        return memo["migrations"]  # type: ignore[return-value]
    index = migrations_of(session, found.analysis)
    memo["migrations"] = index
    return index


def migrations_of(session: Session, analysis: Analysis) -> MigrationIndex | None:
    """The migrations linked to the unit of `analysis` (the first linked set), or None."""
    unit = analysis.unit
    unit_texts = {p: t for p, t in analysis.texts.items() if p in unit.files}
    database = None
    if unit.kind != PRISMA:  # a Prisma schema says its database in its datasource
        database = unit_database(unit.kind, unit_texts, analysis.config)
    places = migration_places(unit.kind, analysis.read)
    links = session.workspace.migrations.links(
        unit.files, unit_texts, analysis.config, database, places
    )
    if not links:
        return None
    replayer = session.workspace.migrations.replayer
    return _index_for_replay(session, links[0].folder, links[0].replay, replayer)


def _index_for_replay(session: Session, folder: str, result, replayer: Replayer) -> MigrationIndex:
    """The index of `folder`'s replay `result`, built once per replay (a new replay, after a
    migration file changed, replaces the folder's index)."""
    caches = session.workspace.caches
    hit = caches.migration_indexes.get(folder)
    if hit is not None and hit[0] is result:
        return hit[1]
    index = build(result)
    caches.migration_indexes[folder] = (result, index)
    return index


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
    roots = workspace.caches.loose_roots
    if path not in roots:
        roots[path] = _root_of(path)
    root = roots[path]
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

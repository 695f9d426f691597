"""Which migrations belong to a Prisma schema, read once and kept until a file of theirs changes.

A schema unit is linked to the migration sets Prisma itself would use for it:
1. the `[migrations] path` entries of the project's configuration (`schemasense.toml`, relative to
   its folder), when there are any;
2. else `migrations.path` of a `prisma.config.ts` (Prisma 7's config file) found at or above
   the schema's folder (up to the repository root), relative to that file;
3. else the `migrations` folder beside the file that holds the `datasource` (Prisma's default:
   `prisma/migrations` beside `prisma/schema.prisma`), and for a multi-file schema folder
   also the one beside the folder (`prisma/schema/` -> `prisma/migrations`).

A linked set is read (`read_set`, through the workspace's `text_of`, so an unsaved migration
buffer counts), replayed (`Replayer`: each file parsed once per content, later files re-applied
from a checkpoint) and kept. It is read again only when the workspace reports a change to a
file under its folder (`changed`), or an open document under it holds other text than was read;
so a keystroke in `schema.prisma` reuses the replay as it is, and a new or edited migration
file re-parses that file only. `context(link)` is the rules' view of it (`MigrationContext`),
built once per replay.
"""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from schemasense.server.lint.context import MigrationContext
from schemasense.server.migrations import MigrationSet, ReplayResult, read_set
from schemasense.server.migrations.discover import split_dbmate
from schemasense.server.migrations.replay import Replayer
from schemasense.server.project.config import LoadedConfig, default_transaction
from schemasense.server.project.detection import DATASOURCE_PROVIDER, datasource_provider
from schemasense.server.sources.base import MigrationPlace

TextOf = Callable[[str], "str | None"]

_MIGRATION_SUFFIXES = (".sql", ".ts", ".mts", ".cts", ".js", ".mjs", ".cjs")
"""Files a migration is written in: SQL, or code (TypeORM classes, sequelize-cli files)."""
_PRISMA_CONFIG_NAMES = ("prisma.config.ts", "prisma.config.mts", "prisma.config.js")
_CONFIG_MIGRATIONS_PATH = re.compile(
    r"""migrations\s*:\s*\{[^}]*?\bpath\s*:\s*["'`]([^"'`]+)["'`]""", re.S
)


@dataclass
class Link:
    """One migration set linked to a schema: what was read, what the replay built, and the
    rules' view of it (built on first use)."""

    folder: str
    migration_set: MigrationSet
    replay: ReplayResult
    transaction: str | None = None
    stale: bool = False
    view: tuple[frozenset[str] | None, MigrationContext] | None = field(default=None, repr=False)
    """The rules' view of this replay (`MigrationLinks.context`) and the undeployed files it
    was made for: made again only when those change."""

    @property
    def files(self) -> list[str]:
        return [f.path for f in self.migration_set.files]


@dataclass(frozen=True, slots=True)
class _Wanted:
    folder: str
    tool: str | None = None
    dialect: str | None = None
    transaction: str | None = None


class MigrationLinks:
    """The workspace's linked migration sets, by folder, with their replays."""

    def __init__(
        self,
        text_of: TextOf,
        open_paths: Callable[[], Iterable[str]],
        *,
        incremental: bool = True,
    ) -> None:
        self._text_of = text_of
        self._open_paths = open_paths
        self._links: dict[str, Link] = {}
        self._owners: dict[str, tuple[str, ...]] = {}
        """folder -> the schema files that linked it last."""
        self._replayer = Replayer(incremental=incremental)
        self._lock = threading.Lock()
        self.reads = 0
        """How many times a set was read from its folder: for tests."""

    @property
    def replayer(self) -> Replayer:
        return self._replayer

    def links(
        self,
        files: Iterable[str],
        texts: Mapping[str, str],
        loaded: LoadedConfig,
        provider: str | None = None,
        places: Sequence[MigrationPlace] = (),
    ) -> list[Link]:
        """The migration sets linked to the schema made of `files` (`texts`: their texts);
        `provider` is the schema's database where its text does not hold a Prisma datasource
        (a DDL file's dialect: `project/detection.unit_database`); `places` the chains the
        unit's own files name (a TypeORM DataSource's `migrations`), used where the
        configuration names none."""
        files = list(files)
        wanted = self._wanted(files, texts, loaded, places)
        provider = provider or datasource_provider(texts)
        out = []
        with self._lock:
            for w in wanted:
                link = self._link(w, provider)
                if link is not None:
                    self._set_transaction(link, w, loaded)
                    out.append(link)
                    self._owners[link.folder] = tuple(files)
        return out

    @staticmethod
    def _set_transaction(link: Link, wanted: _Wanted, loaded: LoadedConfig) -> None:
        """The set's transaction mode: its own entry's, else the configuration's
        (`[migrations] transaction = ...` with no path applies to the set found beside the
        schema), else the tool's default (`MigrationLinks.context`)."""
        transaction = wanted.transaction
        if transaction is None and loaded is not None:
            mset = link.migration_set
            for entry in loaded.config.migration_entries():
                if entry.transaction and not entry.path and entry.tool in (None, mset.tool):
                    transaction = entry.transaction
                    break
        if transaction != link.transaction:
            link.transaction = transaction
            link.view = None

    def schema_for(self, path: str) -> str | None:
        """A schema file whose migrations hold `path` (a migration file open in the editor):
        the schema that linked its folder, else `schema.prisma` (or a file of a `schema/`
        folder) beside the `migrations` folder above it."""
        for folder, owners in self._owners.items():
            if path.startswith(folder + os.sep) and owners:
                return owners[0]
        current = os.path.dirname(path)
        for _ in range(3):
            parent = os.path.dirname(current)
            if os.path.basename(current) == "migrations" or os.path.isfile(
                os.path.join(current, "migration_lock.toml")
            ):
                candidate = os.path.join(parent, "schema.prisma")
                if os.path.isfile(candidate):
                    return candidate
                folder = os.path.join(parent, "schema")
                if os.path.isdir(folder):
                    found = sorted(n for n in os.listdir(folder) if n.endswith(".prisma"))
                    if found:
                        return os.path.join(folder, found[0])
                return None
            if parent == current:
                return None
            current = parent
        return None

    def changed(self, paths: Iterable[str] = (), *, everything: bool = False) -> None:
        """Files changed on disk: the sets holding them are read again when next asked for.
        `everything` marks every set (a change the editor could not say where)."""
        with self._lock:
            if everything:
                for link in self._links.values():
                    link.stale = True
                return
            for path in paths:
                for folder, link in self._links.items():
                    if path == folder or path.startswith(folder + os.sep):
                        link.stale = True

    def context(self, link: Link, undeployed: Collection[str] | None = None) -> MigrationContext:
        """The rules' view of a linked set (the replay's statement records as they are), made
        once per replay and `undeployed` (the files the migration rules report on; None: every
        file)."""
        key = frozenset(undeployed) if undeployed is not None else None
        if link.view is not None and link.view[0] == key:
            return link.view[1]
        mset = link.migration_set
        transaction = link.transaction or default_transaction(mset.tool, mset.dialect)
        # a chosen subset (`--since`, the files open in the editor) is one batch, even when
        # it holds every file: a table one of them creates is new for the ones after it
        context = MigrationContext.of(link.replay, transaction, key, batched=key is not None)  # type: ignore[arg-type]
        link.view = (key, context)
        return context

    # -- reading --------------------------------------------------------------------------------

    def _link(self, wanted: _Wanted, provider: str | None) -> Link | None:
        link = self._links.get(wanted.folder)
        if link is not None and not link.stale and not self._edited(link):
            return link
        if not os.path.isdir(wanted.folder):
            self._links.pop(wanted.folder, None)
            return None
        self.reads += 1
        mset = read_set(
            wanted.folder,
            wanted.tool,  # type: ignore[arg-type]
            dialect=wanted.dialect,
            dialect_hint=provider,
            text_of=self._text_of,
        )
        if mset is None:
            self._links.pop(wanted.folder, None)
            return None
        if link is not None and _same_texts(link.migration_set, mset):
            link.stale = False
            return link
        result = self._replayer.replay(mset)
        link = Link(wanted.folder, mset, result, wanted.transaction)
        self._links[wanted.folder] = link
        return link

    def _edited(self, link: Link) -> bool:
        """Whether an open document under the set's folder holds other text than was read."""
        prefix = link.folder + os.sep
        files = None
        for path in self._open_paths():
            if not path.startswith(prefix) or not path.endswith(_MIGRATION_SUFFIXES):
                continue
            if files is None:
                files = {f.path: f for f in link.migration_set.files}
            text = self._text_of(path)
            read = files.get(path)
            if read is None or text is None or not _read_from(read, text):
                return True
        return False

    # -- where -----------------------------------------------------------------------------------

    def _wanted(
        self,
        files: list[str],
        texts: Mapping[str, str],
        loaded: LoadedConfig,
        places: Sequence[MigrationPlace] = (),
    ) -> list[_Wanted]:
        entries = loaded.config.migration_entries() if loaded is not None else []
        configured = [e for e in entries if e.path]
        if not configured and places:
            return [_Wanted(os.path.normpath(p.folder), p.tool, p.dialect) for p in places]
        if configured:
            base = loaded.root or os.path.dirname(files[0])
            return [
                _Wanted(
                    os.path.normpath(os.path.join(base, e.path or "")),
                    e.tool,
                    e.dialect,
                    e.transaction,
                )
                for e in configured
            ]
        main = next((p for p in files if DATASOURCE_PROVIDER.search(texts.get(p, ""))), None)
        main = main or (files[0] if files else None)
        if main is None:
            return []
        folder = os.path.dirname(main)
        from_config = self._prisma_config(folder)
        if from_config is not None:
            return [_Wanted(from_config)]
        candidates = [os.path.join(folder, "migrations")]
        if len(files) > 1 or os.path.basename(folder) == "schema":
            candidates.append(os.path.join(os.path.dirname(folder), "migrations"))
        return [_Wanted(os.path.normpath(c)) for c in candidates if os.path.isdir(c)][:1]

    def _prisma_config(self, folder: str) -> str | None:
        """`migrations.path` of the nearest prisma.config.ts at or above `folder`."""
        current = folder
        for _ in range(8):
            for name in _PRISMA_CONFIG_NAMES:
                path = os.path.join(current, name)
                if os.path.isfile(path):
                    text = self._text_of(path) or ""
                    match = _CONFIG_MIGRATIONS_PATH.search(text)
                    if match is None:
                        return None
                    return os.path.normpath(os.path.join(current, match.group(1)))
            if os.path.isdir(os.path.join(current, ".git")):
                return None
            parent = os.path.dirname(current)
            if parent == current:
                return None
            current = parent
        return None


def _same_texts(a: MigrationSet, b: MigrationSet) -> bool:
    if len(a.files) != len(b.files) or a.dialect != b.dialect:
        return False
    return all(
        x.path == y.path and x.up_text == y.up_text for x, y in zip(a.files, b.files, strict=True)
    )


def _read_from(file, text: str) -> bool:
    """Whether reading `text` gives `file` again (a dbmate file: the same up section)."""
    if file.up_span_offset == 0 and "-- migrate:" not in text:
        return file.up_text == text
    sections = split_dbmate(text)
    if sections is None:
        return file.up_text == text
    return sections[0] == file.up_text and sections[1] == file.up_span_offset

"""The workspace: open documents and files on disk -> cached reads -> the project's schemas.

One object serves both the language server and the CLI. The editor's copy of an open document
wins over the file on disk; a file that is not open is read from disk (and re-read only when its
size or modification time changes). Files are grouped into schema units (`discovery.py`), each
read by the source its kind names (`server/sources/base.py`: Prisma, SQL DDL), and a unit's
read is cached under a digest of its files' contents, so a keystroke re-reads the one unit it
touched, and a change that ends where it began (type, then undo) re-reads nothing. Everything a
keystroke may reuse is on `Workspace.caches` (`caches.py`).

Plain data throughout: positions are tuples, findings are `server.findings.Finding`, and nothing
here imports lsprotocol or pygls. `server/features/` turns what this returns into LSP messages.

Test hook: with `SCHEMASENSE_TEST_PANIC=1` in the environment, every analysis raises
`ArtificialPanic`, so end-to-end tests can check that the server's guard reports the failure
once and keeps serving (Prisma's language-tools has the same kind of artificial-panic test).
"""

from __future__ import annotations

import functools
import gc
import hashlib
import os
import re
import stat
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace

from schemasense.server.findings import Finding
from schemasense.server.positions import Encoding, apply_edit
from schemasense.server.project.config import (
    LoadedConfig,
    find_config_file,
    load_config,
    parse_config,
)
from schemasense.server.project.detection import PRISMA, ddl_schema_beside, unit_database
from schemasense.server.project.discovery import Discovery, SchemaUnit, declares_datasource
from schemasense.server.project.settings import Settings
from schemasense.server.sources.base import (
    Source,
    SourceRead,
    migration_places,
    project_sources,
    source_of,
)
from schemasense.server.workspace.caches import DiskText, WorkspaceCaches
from schemasense.server.workspace.migration_links import MigrationLinks


def unreadable(st: os.stat_result, max_mb: float) -> str | None:
    """Why a file is not read, or None: a FIFO, a device or a socket blocks or never ends, and
    a file over the size budget (`[limits] max-file-mb`) costs minutes and gigabytes."""
    if not stat.S_ISREG(st.st_mode):
        return "it is not a regular file (a FIFO, a device or a socket)"
    if st.st_size > max_mb * 1024 * 1024:
        return (
            f"{st.st_size / (1024 * 1024):.3g} MB is over the limit of {max_mb:g} MB "
            f"(raise `[limits] max-file-mb` in schemasense.toml to read it)"
        )
    return None


TEST_PANIC_ENV = "SCHEMASENSE_TEST_PANIC"
"""Set to "1" to make every analysis raise `ArtificialPanic` (end-to-end tests of the guard)."""


CODE_SUFFIXES = (".ts", ".tsx", ".mts", ".cts", ".js", ".mjs", ".cjs")
"""Files a project-wide source (TypeORM, Sequelize) or a migration written in code is made of."""


class ArtificialPanic(RuntimeError):
    """Raised by the `SCHEMASENSE_TEST_PANIC` test hook, never otherwise."""


@dataclass(slots=True)
class Document:
    """An open document: the editor's text and version, which override the file on disk."""

    path: str
    text: str
    version: int | None = None
    language_id: str | None = None


@dataclass(frozen=True, slots=True)
class TextChange:
    """One content change as an editor sends it: a range (in the workspace's position
    encoding) replaced by `text`, or the whole document when `start` is None."""

    text: str
    start: tuple[int, int] | None = None
    end: tuple[int, int] | None = None


@dataclass(frozen=True)
class Analysis:
    """What reading one unit gave: the read itself and its findings split by file.

    `texts` are the exact texts that were read, so positions can be computed against the text
    a finding's offsets refer to, even if a document has changed since.
    """

    unit: SchemaUnit
    read: SourceRead
    """What the unit's source read (`PrismaRead` for Prisma, `DdlRead` for SQL DDL)."""
    texts: Mapping[str, str]
    by_file: Mapping[str, Sequence[Finding]] = field(default_factory=dict)
    config: LoadedConfig = field(default_factory=LoadedConfig)
    """The project configuration that applied (schemasense.toml & co.); its own problems are
    findings on the config file, which is then in `by_file` and `texts` too."""
    migration_files: tuple[str, ...] = ()
    """The files of the migration sets linked to the unit (`migration_links.py`): the rules
    (drift, DB3xx) report on them too, so they are in `texts` and may be in `by_file`."""
    digest: bytes = b""
    """The digest of the unit's texts, its config file and the editor's settings: equal
    digests, equal reads (caches of what is derived from a read are keyed by it)."""
    replays: tuple = ()
    """The versions of the linked replays (`WorkspaceCaches.replay_version`) and the
    undeployed files this analysis was made with."""

    @property
    def source(self) -> Source:
        """The source that read the unit."""
        return source_of(self.unit.kind)

    @property
    def findings(self) -> list[Finding]:
        extra = [p for p in self.by_file if p not in self.unit.files]
        return [f for path in (*self.unit.files, *extra) for f in self.by_file.get(path, ())]


class Workspace:
    """Open documents, files on disk, schema units and their cached reads.

    `roots` are the project folders (the editor's workspace folders, or the CLI's PATH). The
    `position_encoding` is the one the editor and server agreed on; it only matters for
    `change()`, whose ranges are in it. `incremental=False` is for a workspace read once (the
    CLI): it keeps nothing for a next read that will not come (no replay checkpoints).
    """

    def __init__(
        self,
        roots: Iterable[str] = (),
        *,
        position_encoding: Encoding = "utf-16",
        incremental: bool = True,
    ) -> None:
        self.roots: list[str] = []
        for root in roots:
            self.add_root(root)
        self.position_encoding: Encoding = position_encoding
        self._documents: dict[str, Document] = {}
        self.caches = WorkspaceCaches()
        """Everything a keystroke may reuse (`caches.py` says what survives one)."""
        self._notices: list[str] = []
        self._noticed: set[str] = set()
        self._max_mb: dict[str, float] = {}
        """folder -> `[limits] max-file-mb` of the configuration there."""
        self._discovery = Discovery(self.text, self._documents.keys, self.notice)
        self.migrations = MigrationLinks(self.text, self.open_paths, incremental=incremental)
        """The migration sets linked to each schema, read once and replayed (cached)."""
        self._panic = os.environ.get(TEST_PANIC_ENV) == "1"
        self.settings = Settings()
        """The editor's settings: rule selection and dialect override the project's config."""
        self.added_since: frozenset[str] | None = None
        """`check --since REF`: the migration files added since REF, which the migration
        rules report on (None: see `_undeployed`)."""

    # -- roots ----------------------------------------------------------------------------------

    def add_root(self, path: str) -> None:
        path = _normalize(path)
        if path not in self.roots:
            self.roots.append(path)

    def remove_root(self, path: str) -> None:
        path = _normalize(path)
        if path in self.roots:
            self.roots.remove(path)

    # -- notices --------------------------------------------------------------------------------

    def notice(self, message: str) -> None:
        """Tell the user `message` once (a budget was reached, a file was not read): the CLI
        prints it on stderr, the server shows it (`take_notices`)."""
        if message not in self._noticed:
            self._noticed.add(message)
            self._notices.append(message)

    def take_notices(self) -> list[str]:
        """The notices not taken yet, oldest first."""
        taken, self._notices = self._notices, []
        return taken

    # -- documents ------------------------------------------------------------------------------

    def open(
        self, path: str, text: str, version: int | None = None, language_id: str | None = None
    ) -> Document:
        """The editor opened `path`: its text now overrides the file on disk."""
        path = _normalize(path)
        doc = self._documents[path] = Document(path, text, version, language_id)
        return doc

    def change(self, path: str, version: int | None, changes: Iterable[TextChange]) -> Document:
        """Apply an editor's content changes, in order, to an open document.

        A change to a document that is not open (a client bug) starts from the disk's text.
        """
        path = _normalize(path)
        doc = self._documents.get(path)
        if doc is None:
            doc = self.open(path, self._disk_text(path) or "", version)
        text = doc.text
        for change in changes:
            if change.start is None or change.end is None:
                text = change.text
            else:
                text = apply_edit(
                    text, change.start, change.end, change.text, self.position_encoding
                )
        doc.text = text
        doc.version = version
        return doc

    def close(self, path: str) -> None:
        """The editor closed `path`: from now on the file on disk is what counts, so a migration
        set read from its unsaved buffer is read again (an edit discarded on close must take its
        findings with it)."""
        path = _normalize(path)
        if self._documents.pop(path, None) is not None:
            self.migrations.changed([path])

    def document(self, path: str) -> Document | None:
        return self._documents.get(_normalize(path))

    def open_paths(self) -> list[str]:
        return list(self._documents)

    def version(self, path: str) -> int | None:
        doc = self._documents.get(_normalize(path))
        return doc.version if doc is not None else None

    def text(self, path: str) -> str | None:
        """The current text of `path`: the open document's, else the file's on disk, else None."""
        path = _normalize(path)
        doc = self._documents.get(path)
        if doc is not None:
            return doc.text
        return self._disk_text(path)

    def _disk_text(self, path: str) -> str | None:
        try:
            st = os.stat(path)
        except OSError:
            self.caches.disk.pop(path, None)
            return None
        entry = self.caches.disk.get(path)
        if entry is not None and entry.mtime_ns == st.st_mtime_ns and entry.size == st.st_size:
            return entry.text
        if stat.S_ISDIR(st.st_mode):
            return None
        # a FIFO or a device would block or never end; a link out of the project could print
        # what is not the project's (a schema.prisma linked to /proc/self/environ). Checked
        # only when the file is (re)read: a keystroke reuses what was read.
        why = unreadable(st, self._max_file_mb(path))
        if why is None and self._links_out(path):
            why = "it is a symbolic link to a file outside the project"
        if why is not None:
            self.notice(f"schemasense: {path} not read: {why}")
            return None
        try:
            # utf-8-sig: editors hide a byte-order mark, so offsets must not count it either;
            # newline="": keep \r\n as it is, as the editor does.
            with open(path, encoding="utf-8-sig", errors="replace", newline="") as f:
                text = f.read()
        except OSError:
            return None
        self.caches.disk[path] = DiskText(st.st_mtime_ns, st.st_size, text)
        return text

    def _max_file_mb(self, path: str) -> float:
        """The size budget of a file: `[limits] max-file-mb` of the configuration at the root
        holding it (or at its folder), read from disk once per folder."""
        folder = next(
            (r for r in self.roots if path.startswith(r.rstrip(os.sep) + os.sep)),
            os.path.dirname(path),
        )
        limit = self._max_mb.get(folder)
        if limit is None:
            limit = self._max_mb[folder] = load_config(folder).config.limits.max_file_mb
        return limit

    def _links_out(self, path: str) -> bool:
        """Whether `path` reaches, through a symbolic link, a file outside every root."""
        if not self.roots or _URI.match(path):
            return False
        real = os.path.realpath(path)
        if real == os.path.abspath(path):
            return False
        return not any(
            real == root or real.startswith(root.rstrip(os.sep) + os.sep)
            for root in (os.path.realpath(r) for r in self.roots)
        )

    def files_changed(self, paths: Iterable[str] = (), *, structure: bool = True) -> None:
        """Files changed on disk (the editor's file watcher said so, or a save).

        `structure=False` says only contents changed (no file was created, deleted or renamed,
        and no package.json changed), so the folder listings stay valid.
        """
        paths = [_normalize(path) for path in paths]
        for path in paths:
            self.caches.disk.pop(path, None)
        self._max_mb.clear()  # a configuration may have changed
        if structure:
            self._discovery.invalidate()
            self.caches.loose_roots.clear()
            self.caches.queries.forget_listings()
        self.migrations.changed(paths, everything=structure and not paths)

    # -- schema units ---------------------------------------------------------------------------

    def unit_for(self, path: str) -> SchemaUnit:
        """The schema unit `path` belongs to."""
        return self._discovery.unit_for(_normalize(path))

    def units(self) -> list[SchemaUnit]:
        """Every schema unit below the roots."""
        found: dict[str, SchemaUnit] = {}
        for root in self.roots:
            for unit in self._discovery.units_under(root):
                found.setdefault(unit.key, unit)
        return sorted(found.values(), key=lambda u: u.key)

    def open_units(self) -> list[SchemaUnit]:
        """The units with at least one open schema document (a `.prisma` file, an unsaved
        buffer the editor says is Prisma, a DDL schema file), or an open migration file of
        theirs, each once."""
        found: dict[str, SchemaUnit] = {}
        code_suffixes = CODE_SUFFIXES + tuple(
            suffix for source in project_sources() for suffix in source.code_suffixes
        )
        for path, doc in self._documents.items():
            code = path.endswith(code_suffixes)
            if path.endswith(".sql") or code:
                unit = self.unit_for(path)
                if unit.kind != PRISMA:
                    found.setdefault(unit.key, unit)
                    continue
                owner = self.migrations.schema_for(path)
                if owner is None and code:
                    owner = self._project_owner(path)
                if owner is not None and code:  # a TypeORM / Sequelize migration class
                    project_unit = self._project_unit_holding(owner, path)
                    if project_unit is not None:
                        found.setdefault(project_unit.key, project_unit)
                        continue
                path = owner or (ddl_schema_beside(path) if not code else None) or ""
                if not path:
                    continue
            elif not (path.endswith(".prisma") or doc.language_id == "prisma"):
                continue
            if not any(path in u for u in found.values()):
                unit = self.unit_for(path)
                found.setdefault(unit.key, unit)
        return list(found.values())

    def _project_unit_holding(self, owner: str, path: str) -> SchemaUnit | None:
        """The project-wide unit one of whose files is `owner` (the file a migration chain is
        linked to: a DataSource file, or the project's package.json, which `unit_for` does not
        map to its unit), found from `path` upwards."""
        for root in self._discovery.project_roots_above(path):
            for unit in self._discovery.units_of_project(root):
                if owner in unit.files:
                    return unit
        return None

    def _project_owner(self, path: str) -> str | None:
        """The unit file whose migrations hold `path` (a TypeORM migration class open before
        its entities were read): the project's units are read, which links their chains."""
        for root in self._discovery.project_roots_above(path):
            for unit in self._discovery.units_of_project(root):
                self.analyze(unit)
                owner = self.migrations.schema_for(path)
                if owner is not None:
                    return owner
        return None

    def units_at(self, path: str) -> list[SchemaUnit]:
        """The units a CLI argument names: every unit below a folder, or the unit of a file.

        Raises FileNotFoundError for a path that does not exist and ValueError for a file
        that is not a schema file (`.prisma`, or a DDL schema file).
        """
        path = _normalize(path)
        if os.path.isdir(path):
            return self._discovery.units_under(path)
        if not os.path.exists(path):
            raise FileNotFoundError(f"{path}: no such file or folder")
        if path.endswith(".prisma"):
            return [self.unit_for(path)]
        if path.endswith(".sql") and self._discovery.is_ddl_schema(path):
            return [self.unit_for(path)]
        unit = self.unit_for(path)
        if unit.kind != PRISMA:  # a file of a project-wide unit (an entity, a model)
            return [unit]
        raise ValueError(f"{path}: not a .prisma file (give a project folder or a schema file)")

    # -- reads ----------------------------------------------------------------------------------

    def analyze(self, unit: SchemaUnit) -> Analysis:
        """Read `unit` (or return the cached read of the same contents).

        The cyclic collector waits until the analysis is done: a keystroke makes many small
        objects and frees most by their counts, and a collection in the middle of it walks
        the whole workspace's kept objects again (a third of a keystroke in a large model
        file). It runs as usual once the analysis returns."""
        if self._panic:
            raise ArtificialPanic(f"{TEST_PANIC_ENV} is set: artificial panic in the analysis")
        collecting = gc.isenabled()
        gc.disable()
        try:
            return self._analyze(unit)
        finally:
            if collecting:
                gc.enable()

    def _analyze(self, unit: SchemaUnit) -> Analysis:
        texts = {path: text for path in unit.files if (text := self.text(path)) is not None}
        config_file = find_config_file(os.path.dirname(unit.files[0]), self.text)
        digest = _digest(
            {**texts, **dict([config_file] if config_file else []), "": self.settings.config_key()}
        )
        cached = self.caches.reads.get(unit.key)
        same = cached is not None and cached[0] == digest and cached[2].unit == unit
        if same:
            loaded = cached[2].config  # type: ignore[index]
        else:
            loaded = parse_config(*config_file) if config_file else LoadedConfig()
            loaded = replace(loaded, config=self.settings.over(loaded.config))
        source = source_of(unit.kind)
        database = unit_database(unit.kind, texts, loaded) if unit.kind != PRISMA else None
        # the schema's read is reused when only the migrations changed; else the source may
        # reuse parts of its last read of the unit (what an unchanged file gave)
        if same:
            read = cached[2].read  # type: ignore[index]
        else:
            previous = cached[2].read if cached is not None else None  # type: ignore[index]
            more: dict[str, object] = {}
            if previous is not None and getattr(source, "reads_incrementally", False):
                more["previous"] = previous
            if getattr(source, "reads_by_key", False):  # several units of one file
                more["key"] = unit.key
            read = source.read(texts, loaded, **more)  # type: ignore[call-arg]
        places = migration_places(unit.kind, read)
        links = self.migrations.links(unit.files, texts, loaded, database, places)
        undeployed = self._undeployed(links)
        replays = (
            *(self.caches.replay_version(link.folder, link.replay) for link in links),
            undeployed,
        )
        if same and cached[1] == replays:  # type: ignore[index]
            return cached[2]  # type: ignore[index]
        contexts = [self.migrations.context(link, undeployed) for link in links]
        findings = source.lint(read, texts, loaded, contexts, caches=self.caches.rules)
        migration_files: list[str] = []
        # the texts the same replays were made of: the last analysis's (a keystroke in the
        # unit does not look at its hundreds of migration files on disk again)
        prior = cached[2].texts if cached is not None and cached[1] == replays else {}  # type: ignore[index]
        for link in links:
            findings.extend(link.replay.findings)
            for path in link.files:
                migration_files.append(path)
                if path not in texts:
                    held = prior.get(path)
                    texts[path] = held if held is not None else self.text(path) or ""
        if config_file:
            texts = {**texts, config_file[0]: config_file[1]}
        analysis = Analysis(
            unit=unit,
            read=read,
            texts=texts,
            by_file=_by_file(unit, texts, findings),
            config=loaded,
            migration_files=tuple(migration_files),
            digest=digest,
            replays=replays,
        )
        self.caches.reads[unit.key] = (digest, replays, analysis)
        return analysis

    def _undeployed(self, links: Sequence) -> frozenset[str] | None:
        """The migration files the migration rules report on: those added since `--since`
        (`added_since`); in the editor (documents are open), the open ones; else every one
        (None). Drift is reported on every file either way."""
        if self.added_since is not None:
            return self.added_since
        if not self._documents:
            return None
        files = {path for link in links for path in link.files}
        return frozenset(p for p in self._documents if p in files)

    def check_path(self, path: str) -> list[Finding]:
        """Every finding for the schemas a CLI argument names, sorted by file and position.

        The cyclic collector waits for the sort too, as for an analysis: the sort's keys, made
        just after the analysis, started full collections of everything it kept (2.6 s of a
        3,000-table project's check)."""
        collecting = gc.isenabled()
        gc.disable()
        try:
            findings = [f for unit in self.units_at(path) for f in self.analyze(unit).findings]
            return sorted(findings, key=lambda f: (f.span.file, f.span.start, f.span.end, f.code))
        finally:
            if collecting:
                gc.enable()


def _by_file(
    unit: SchemaUnit, texts: Mapping[str, str], findings: Sequence[Finding]
) -> dict[str, list]:
    """Findings keyed by the file they point into: the unit's files, and the other files read
    for it (the config file). A finding that names no file read (which a reader should never
    produce) is shown on the unit's main file."""
    by_file: dict[str, list[Finding]] = {path: [] for path in unit.files}
    main = next((p for p, t in texts.items() if declares_datasource(t)), unit.files[0])
    for finding in findings:
        file = finding.span.file
        if file in texts and file not in by_file:
            by_file[file] = []
        target = file if file in by_file else main
        by_file[target].append(finding)
    for findings in by_file.values():
        findings.sort(key=lambda f: (f.span.start, f.span.end, f.code))
    return by_file


def _digest(texts: Mapping[str, str]) -> bytes:
    h = hashlib.blake2b(digest_size=16)
    for path, text in texts.items():
        h.update(path.encode("utf-8", "surrogatepass"))
        h.update(b"\0")
        h.update(text.encode("utf-8", "surrogatepass"))
        h.update(b"\0")
    return h.digest()


_URI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]+:")


def _normalize(path: str) -> str:
    """File ids are absolute, normalised paths (symlinks are kept as the editor names them).

    A document with no file behind it (`untitled:Untitled-1`) keeps its URI as its id.
    """
    if os.path.isabs(path):
        return _normalized(path)  # the same answer for the same path: kept
    if _URI.match(path):
        return path
    return os.path.normpath(os.path.abspath(path))


@functools.lru_cache(maxsize=16_384)
def _normalized(path: str) -> str:
    """An absolute path, normalised (a pure function of the path: the workspace asks for the
    same few thousand paths on every keystroke)."""
    return os.path.normpath(path)

"""Everything a keystroke may reuse, in one object the workspace owns.

The server keeps per-workspace state only here (module globals are for pure functions of their
arguments: `tests/test_named_state.py` lists each and says why it is pure). Each field says
what it holds, what it is keyed by, and what survives a keystroke in a schema file; nothing
here is keyed by `id()`: keys are paths, content digests or the versions `replay_version`
hands out.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any

from schemasense.server.lint.context import RuleCaches


@dataclass(slots=True)
class DiskText:
    """A file's text as read from disk, with what it was read at."""

    mtime_ns: int
    size: int
    text: str


@dataclass
class QueryMemo:
    """What the editor keeps of the project's queries (`server/queries/usage.py`).

    - `listings`: root -> its query files (`queries/files.query_files`), dropped when the
      folder structure changes (`Workspace.files_changed`).
    - `files`: code file path -> (the text read, the units' keys, schemas and dialects it was
      read against, its judged queries (`usage.JudgedQuery`)): reused while the text and the
      schemas are the same objects (or equal). A keystroke in a schema makes another schema
      object: the queries are read and judged again over the kept parses; a keystroke in a
      code file re-reads that file only. One entry per code file of the roots.
    - `inputs`: see the field.
    """

    listings: dict[str, list[str]] = field(default_factory=dict)
    files: dict[str, tuple[str, tuple, list[Any]]] = field(default_factory=dict)
    inputs: dict[str, tuple] = field(default_factory=dict)
    """root -> the units' keys, schemas and dialects its files were last read against (an
    equal tuple is replaced by this one, so `files` entries are checked by identity)."""
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def forget_listings(self) -> None:
        with self.lock:
            self.listings.clear()


@dataclass
class WorkspaceCaches:
    """The workspace's caches (see the module docstring). Every dict is bounded or keyed by
    something the workspace has a finite number of (paths, units, migration folders).

    - `disk`: path -> the file's text on disk (`DiskText`). Survives a keystroke (a keystroke
      changes the editor's copy, not the disk); an entry is dropped when the file watcher
      reports the file, and re-read when its size or modification time changes.
    - `reads`: unit key -> (digest of the unit's texts + its config file + the editor's
      settings, the versions of the replays linked to it and the undeployed files, the
      `Analysis`). A keystroke replaces the entry of the one unit it touched; every other unit's
      survives. A keystroke in a migration file keeps the schema's read (only the replay's
      version changes), so the source is not asked again. The read carries what is derived
      from it alone (a DDL file's position index, built on the first hover), and what the
      unit's next read may reuse, handed to it as `previous=` (a Prisma read's
      `PrismaCaches`: parses of the last texts of each file, unchanged blocks, lowered
      tables; a TypeORM or Sequelize read's per-file readings). It lives as long as the entry.
    - `replay_versions`: migrations folder -> (the replay result last seen for it, its version).
      The version grows when the workspace's migration links hand out a different replay (a
      migration file changed); a keystroke in the schema keeps it.
    - `generated_migrations`: (unit key, read digest, replay versions, renames, name, safe,
      tool) -> the prepared "Generate migration" (`workflows.generate_migration.Prepared`):
      code actions come with every cursor move, and survive it; a keystroke in the unit
      changes the digest, so its entries are not found again (at most `LIMIT` are kept).
    - `database_renames`: (unit key, read digest, replay versions, rename target) -> the
      prepared migration of "rename the database column too" (or None: not offered). Same
      life as `generated_migrations`.
    - `declared_drift`: (unit key, read digest, replay versions) -> the drift per table of a
      TypeORM / Sequelize unit against its first linked migrations, for its code lenses (asked
      for again on every scroll of the editor). Same life as `generated_migrations`.
    - `migration_indexes`: migrations folder -> (replay result, its `MigrationIndex` for
      hover and navigation). Rebuilt when the folder's replay is another object (a migration
      file changed); a keystroke in the schema keeps it.
    - `loose_sets`: migrations folder -> (checked at, its files' texts, `MigrationIndex` or
      None), for a `.sql` document whose folder no schema links; looked at again at most every
      `migration_lookup.RECHECK_SECONDS`, or when an open file of it changes.
    - `loose_roots`: `.sql` path -> the migrations folder holding it (None: none). Survives
      everything but a change of the folder structure (`forget_structure`).
    - `loose_replayer`: the replayer of those loose sets (parses by content, checkpoints).
    - `line_maps`: migration file path -> its `LineMap` (kept while its text is the same
      object).
    - `last_indexes`: path -> the position index of its last read (completion answers from
      it while a re-read is on its way); replaced on the next lookup.
    - `queries`: the project's queries read and judged for the hover on an index and the
      code lens on a model (`QueryMemo`).
    - `rules`: what the rules keep from one run to the next (`lint.context.RuleCaches`): the
      per-table findings of the design rules (by rule, options and table name, used while the
      table is the same object: a keystroke re-checks only the models it changed), the
      migrated schema's findings (while the replay is the same), and the drift check's caches.
    """

    LIMIT = 32

    disk: dict[str, DiskText] = field(default_factory=dict)
    reads: dict[str, tuple[bytes, tuple, Any]] = field(default_factory=dict)
    replay_versions: dict[str, tuple[Any, int]] = field(default_factory=dict)
    generated_migrations: dict[tuple, Any] = field(default_factory=dict)
    database_renames: dict[tuple, Any] = field(default_factory=dict)
    declared_drift: dict[tuple, Any] = field(default_factory=dict)
    migration_indexes: dict[str, tuple[Any, Any]] = field(default_factory=dict)
    loose_sets: dict[str, Any] = field(default_factory=dict)
    loose_roots: dict[str, str | None] = field(default_factory=dict)
    loose_replayer: Any = None
    line_maps: dict[str, Any] = field(default_factory=dict)
    last_indexes: dict[str, Any] = field(default_factory=dict)
    rules: RuleCaches = field(default_factory=RuleCaches)
    queries: QueryMemo = field(default_factory=QueryMemo)
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    """Guards the dicts the editor's request threads share (generated migrations, renames)."""

    def replay_version(self, folder: str, replay: Any) -> int:
        """The version of `replay`, the replay of `folder` now: the same as last time when it
        is the same result, else one more."""
        with self.lock:
            held = self.replay_versions.get(folder)
            if held is not None and held[0] is replay:
                return held[1]
            version = held[1] + 1 if held is not None else 1
            self.replay_versions[folder] = (replay, version)
            return version

    def remember(self, table: dict[tuple, Any], key: tuple, value: Any) -> Any:
        """Keep `value` under `key` in `table` (emptied when it holds `LIMIT` entries)."""
        with self.lock:
            if len(table) >= self.LIMIT:
                table.clear()
            table[key] = value
        return value

    def recall(self, table: dict[tuple, Any], key: tuple) -> tuple[bool, Any]:
        """(found, value) of `key` in `table`."""
        with self.lock:
            if key in table:
                return True, table[key]
        return False, None

"""Replay states on disk: the state a migration set's replay reached after its first N files,
so that a run after adding one migration applies that file alone (the CI case).

A state is kept under a digest of every one of its N files, path and text in order, with the
set's folder and dialect: the files 1..N of a later run give the same digest only if they are
the same files, so the state is the one a replay of them builds. A run looks for the longest
prefix of its files that has a state (the files' digests are computed in one pass, the set's
folder is listed once), loads it and replays the rest; then it keeps the state after its last
file. Each set keeps its `KEEP` newest states (a branch switch back finds its own).

These entries are pickles of the replay's own objects (`SchemaState`, `FileReplay`), written
and read only here, in the cache folder: see `server/cache/__init__.py` on trust. The
folder is under the version folder, so a state of another schemasense is never read; one that
cannot be read (torn, or of a class that changed within an editable install) is a miss.
"""

from __future__ import annotations

import os
import pickle
from collections.abc import Sequence
from typing import Any

from schemasense.server.cache import store
from schemasense.server.cache.record import blake2b

KEEP = 3


class DiskStates:
    """The replay states of the migration sets of one cache folder (`folder`: the version
    folder's `states/`)."""

    def __init__(self, root: str, folder: str) -> None:
        self._root = root
        self._folder = folder
        self.loaded = 0
        """How many files the last load skipped (for tests and benchmarks)."""

    def _keys(self, set_root: str, dialect: str, paths: Sequence[str], texts: Sequence[str]):
        """The set's folder name and the digest of each prefix (index k: the first k files)."""
        h = blake2b(f"{set_root}\0{dialect}".encode("utf-8", "surrogatepass"), digest_size=16)
        name = h.hexdigest()
        keys = [name]
        for path, text in zip(paths, texts, strict=True):
            h = blake2b(h.digest(), digest_size=16)
            h.update(path.encode("utf-8", "surrogatepass") + b"\0")
            h.update(text.encode("utf-8", "surrogatepass"))
            keys.append(h.hexdigest())
        return os.path.join(self._folder, name), keys

    def load(
        self, set_root: str, dialect: str, paths: Sequence[str], texts: Sequence[str]
    ) -> tuple[int, Any, tuple] | None:
        """(N, the state after the first N files, their FileReplays) for the longest prefix
        kept, or None."""
        folder, keys = self._keys(set_root, dialect, paths, texts)
        try:
            names = set(os.listdir(folder))
        except OSError:
            return None
        for count in range(len(keys) - 1, 0, -1):
            name = keys[count] + ".pickle"
            if name not in names:
                continue
            data = store.read(os.path.join(folder, name))
            if data is None:
                continue
            try:
                state, results = pickle.loads(data)
            except Exception:  # torn, or a class that changed: a miss
                continue
            self.loaded = count
            return count, state, tuple(results)
        return None

    def save(
        self,
        set_root: str,
        dialect: str,
        paths: Sequence[str],
        texts: Sequence[str],
        state: Any,
        results: Sequence[Any],
    ) -> None:
        """Keep the state after every file of the set; drop the set's oldest beyond `KEEP`."""
        folder, keys = self._keys(set_root, dialect, paths, texts)
        try:
            data = pickle.dumps((state, tuple(results)), protocol=pickle.HIGHEST_PROTOCOL)
        except Exception:  # something in the state that does not pickle: keep nothing
            return
        if not store.write(self._root, os.path.join(folder, keys[-1] + ".pickle"), data):
            return
        try:
            kept = sorted(
                (e for e in os.scandir(folder) if e.name.endswith(".pickle")),
                key=lambda e: e.stat().st_mtime_ns,
                reverse=True,
            )
            for entry in kept[KEEP:]:
                os.unlink(entry.path)
        except OSError:
            pass

"""What a run looked at on disk, and whether it is all still the same.

A command's answer depends on more than the files it read: on which folders hold which names
(a new migration folder), and on files it looked for and did not find (a `schemasense.toml`
created since, a `prisma.config.ts`). So the recorder watches the run at the file-system
calls themselves, wherever in the code they are made: while it is active, `os.stat`,
`os.lstat`, `os.scandir`, `os.listdir` and `open` (for reading) note what they were asked and
what they saw, as observations:

- `("read", path)`: a digest of the file's bytes (None: it could not be read);
- `("stat", path)`: what is there: a file, a folder, something else, or nothing;
- `("lstat", path)`: the same without following a link, and a link's target;
- `("list", path)`: the folder's names, each with whether it is a folder (None: unlisted).

`still_valid` makes each observation again and compares. Validation reads every file the run
read (content, not modification times, decides), which is the cost of a warm run.

Not watched: the schemasense package itself, Python's own folders and the cache folder (the
entry's stamp covers the code), and the imports (the import system does not go through `os`).
The recorder patches module attributes for the duration of one command in a one-shot process;
it is never used in the language server.
"""

from __future__ import annotations

import builtins
import io
import os
import stat as stat_module
import sys
from collections.abc import Iterable
from typing import Any

try:  # blake2 without hashlib, whose OpenSSL costs a warm run 15 ms to load
    from _blake2 import blake2b
except ImportError:  # pragma: no cover - an interpreter built without it
    from hashlib import blake2b

Observation = tuple[tuple[str, str], Any]


def observe(kind: str, path: str, hidden: str = "") -> Any:
    """What `kind` sees at `path` now (the same function records and validates). A listing
    leaves out `hidden` (the cache folder, or the folder holding it: a run that creates it
    must not miss next time)."""
    if kind == "read":
        try:
            with _REAL_OPEN(path, "rb") as f:
                return blake2b(f.read(), digest_size=16).digest()
        except OSError:
            return None
    if kind == "stat":
        try:
            return _kind(_REAL_STAT(path).st_mode)
        except (OSError, ValueError):
            return "-"
    if kind == "lstat":
        try:
            mode = _REAL_LSTAT(path).st_mode
        except (OSError, ValueError):
            return "-"
        if stat_module.S_ISLNK(mode):
            try:
                return "l:" + os.readlink(path)
            except OSError:
                return "l"
        return _kind(mode)
    if kind == "list":
        try:
            with _REAL_SCANDIR(path) as entries:
                skip = _hidden_name(path, hidden)
                return tuple(sorted((e.name, _is_dir(e)) for e in entries if e.name != skip))
        except (OSError, ValueError):
            return None
    raise ValueError(kind)


def still_valid(observations: Iterable[Observation], hidden: str = "") -> bool:
    """Whether every observation is made again the same (`hidden`: as for `observe`)."""
    return all(observe(kind, path, hidden) == seen for (kind, path), seen in observations)


_REAL_OPEN = builtins.open
_REAL_STAT = os.stat
_REAL_LSTAT = os.lstat
_REAL_SCANDIR = os.scandir
_REAL_LISTDIR = os.listdir


class Recorder:
    """Notes the observations of a run (`with Recorder(excluded) as seen: ...`), in the order
    they were first made; `observations()` lists them. Paths at or below one of `excluded`
    are not noted."""

    def __init__(self, excluded: Iterable[str] = (), hidden: str = "") -> None:
        self._seen: dict[tuple[str, str], Any] = {}
        self._hidden = hidden
        self._excluded = tuple(os.path.normpath(p) for p in excluded if p)
        self._saved: list[tuple[Any, str, Any]] = []

    def observations(self) -> list[Observation]:
        return list(self._seen.items())

    def _note(self, kind: str, path: Any, seen: Any = None, *, made: bool = False) -> None:
        if isinstance(path, int):
            return
        try:
            path = os.fspath(path)
        except TypeError:
            return
        if isinstance(path, bytes):
            path = os.fsdecode(path)
        # kept as the run named it (a relative path is relative to the current folder, which
        # is part of the entry's key), so that validating makes the very same call
        key = (kind, path)
        if key in self._seen or (path and self._is_excluded(os.path.abspath(path))):
            return
        self._seen[key] = seen if made else observe(kind, path, self._hidden)

    def _is_excluded(self, path: str) -> bool:
        return any(path == p or path.startswith(p + os.sep) for p in self._excluded)

    # -- the watched calls ---------------------------------------------------------------------

    def _stat(self, path: Any, *args: Any, dir_fd: Any = None, follow_symlinks: bool = True):
        kind = "stat" if follow_symlinks else "lstat"
        try:
            result = _REAL_STAT(path, *args, dir_fd=dir_fd, follow_symlinks=follow_symlinks)
        except OSError:
            if dir_fd is None:
                self._note(kind, path, "-", made=True)
            raise
        if dir_fd is None:
            if follow_symlinks:
                self._note(kind, path, _kind(result.st_mode), made=True)
            else:
                self._note(kind, path)
        return result

    def _lstat(self, path: Any, *args: Any, **kwargs: Any):
        if not args and not kwargs:
            self._note("lstat", path)
        return _REAL_LSTAT(path, *args, **kwargs)

    def _scandir(self, path: Any = "."):
        if not _by_python(sys._getframe(1)):
            self._note("list", path)
        return _REAL_SCANDIR(path)

    def _listdir(self, path: Any = "."):
        if not _by_python(sys._getframe(1)):
            self._note("list", path)
        return _REAL_LISTDIR(path)

    def _open(self, file: Any, mode: str = "r", *args: Any, **kwargs: Any):
        if not any(c in mode for c in "wax+"):
            self._note("read", file)
        return _REAL_OPEN(file, mode, *args, **kwargs)

    def __enter__(self) -> Recorder:
        patches = [
            (os, "stat", self._stat),
            (os, "lstat", self._lstat),
            (os, "scandir", self._scandir),
            (os, "listdir", self._listdir),
            (builtins, "open", self._open),
            (io, "open", self._open),
        ]
        for owner, name, replacement in patches:
            self._saved.append((owner, name, getattr(owner, name)))
            setattr(owner, name, replacement)
        return self

    def __exit__(self, *exc: object) -> None:
        while self._saved:
            owner, name, original = self._saved.pop()
            setattr(owner, name, original)


_PYTHON_LOOKUPS = ("importlib", "pkgutil", "zipimport", "site", "sysconfig")


def _by_python(frame: Any) -> bool:
    """Whether a listing is Python's own search for installed packages (importlib.metadata
    lists every folder of sys.path, the current one too, when a library looks for plugins):
    not something the answer depends on."""
    name = frame.f_globals.get("__name__", "") if frame is not None else ""
    return name.split(".", 1)[0] in _PYTHON_LOOKUPS


def _kind(mode: int) -> str:
    if stat_module.S_ISREG(mode):
        return "f"
    if stat_module.S_ISDIR(mode):
        return "d"
    return "o"


def _hidden_name(folder: str, hidden: str) -> str | None:
    """The name in `folder` that is `hidden` or holds it (a cache folder `build/cache` is
    created, with `build`, by the run itself)."""
    if not hidden:
        return None
    prefix = os.path.abspath(folder).rstrip(os.sep) + os.sep
    if not hidden.startswith(prefix):
        return None
    return hidden[len(prefix) :].split(os.sep, 1)[0]


def _is_dir(entry: os.DirEntry) -> bool:
    try:
        return entry.is_dir()
    except OSError:
        return False

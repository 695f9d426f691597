"""Every file or none: how each workflow writes what it generated (CLI and tests alike).

Each file is written to a temporary file beside it, then all are moved into place; if anything
fails, the temporary files go, the files already moved get their old text back (or go, when
they are new) and the folders made for them are removed again. A new file gets the mode the
umask gives (mkstemp's own file is private); a replaced file keeps its mode.

Given the project's `root`, nothing is written unless every file's real place (its folders'
symbolic links followed) is inside the project's: a `..`, an absolute `--out` or a folder that
is a link out of the project is refused before anything is written (`OutsideProject`).
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable


class OutsideProject(ValueError):
    """A file to write whose real place is outside the project: nothing was written."""


def outside(root: str, paths: Iterable[str]) -> str | None:
    """The first of `paths` whose real place is not inside `root`'s, or None."""
    real_root = os.path.realpath(root)
    for path in paths:
        real = os.path.realpath(path)
        if os.path.commonpath([real, real_root]) != real_root:
            return path
    return None


def write_all_or_none(files: Iterable[tuple[str, str]], root: str | None = None) -> list[str]:
    """Write `files` (path, text); the paths written, in order. Raises what failed, with the
    disk as it was; `OutsideProject`, before anything is written, when `root` is given and a
    file's real place is outside it."""
    todo = list(files)
    if root is not None and (out := outside(root, [path for path, _ in todo])) is not None:
        raise OutsideProject(
            f"{out} is outside the project ({root}) once its links are followed; "
            "nothing was written"
        )
    staged: list[tuple[str, str]] = []
    created_dirs: list[str] = []
    backups: list[tuple[str, str | None]] = []
    try:
        for path, text in todo:
            folder = os.path.dirname(path)
            created_dirs += _make_folders(folder)
            fd, tmp = tempfile.mkstemp(prefix=".schemasense-", dir=folder or ".")
            with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
                handle.write(text)
            os.chmod(tmp, _mode(path))
            staged.append((tmp, path))
        for tmp, path in staged:
            backups.append((path, _read(path)))
            os.replace(tmp, path)
    except BaseException:
        for tmp, _ in staged:
            if os.path.exists(tmp):
                os.remove(tmp)
        for path, old in backups:
            if old is None:
                os.remove(path)
            else:
                with open(path, "w", encoding="utf-8", newline="") as handle:
                    handle.write(old)
        for d in reversed(created_dirs):
            if os.path.isdir(d) and not os.listdir(d):
                os.rmdir(d)
        raise
    return [path for path, _ in todo]


def _make_folders(folder: str) -> list[str]:
    """The missing folders of `folder`, made, outermost first."""
    missing = []
    d = folder
    while d and not os.path.isdir(d):
        missing.append(d)
        d = os.path.dirname(d)
    for d in reversed(missing):
        os.mkdir(d)
    return list(reversed(missing))


def _read(path: str) -> str | None:
    try:
        with open(path, encoding="utf-8", newline="") as handle:
            return handle.read()
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
        return None


def _mode(path: str) -> int:
    """The file's own mode when it exists, else what the umask gives a new file."""
    try:
        return os.stat(path).st_mode & 0o777
    except OSError:
        mask = os.umask(0)
        os.umask(mask)
        return 0o666 & ~mask

"""`schemasense check --since GIT_REF`: which files were added since a git ref.

A migration that is already deployed cannot be changed, so CI checks only the migrations a
branch adds: the files added between GIT_REF and the working tree (committed or not), plus the
untracked ones. Everything else is history: it is replayed (it builds the schema the new
migrations run against) but not reported on.
"""

from __future__ import annotations

import os
import subprocess


def _git(cwd: str, *args: str) -> str:
    try:
        done = subprocess.run(
            ["git", *args], cwd=cwd, capture_output=True, text=True, check=False, timeout=60
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise ValueError(f"--since needs git: {exc}") from None
    if done.returncode != 0:
        raise ValueError(f"--since: git {' '.join(args)}: {done.stderr.strip()}")
    return done.stdout


def added_since(path: str, ref: str) -> frozenset[str]:
    """Absolute paths of the files below `path` added since `ref` (and untracked ones).

    Raises ValueError when `path` is not in a git work tree or `ref` names no commit."""
    path = os.path.abspath(path)
    folder = path if os.path.isdir(path) else os.path.dirname(path)
    top = _git(folder, "rev-parse", "--show-toplevel").strip()
    _git(folder, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}")
    added = _git(folder, "diff", "--name-only", "--diff-filter=A", "-z", ref, "--", ".")
    untracked = _git(folder, "ls-files", "--others", "--exclude-standard", "-z", "--", ".")
    out: set[str] = set()
    for name in added.split("\0"):
        if name:
            out.add(os.path.normpath(os.path.join(top, name)))
    for name in untracked.split("\0"):
        if name:
            out.add(os.path.normpath(os.path.join(folder, name)))
    return frozenset(out)

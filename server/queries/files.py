"""Which files of a project hold the queries the code makes.

Every `.ts .tsx .js .mjs .cjs .mts .cts` file below the project folder, except:
- dependencies and hidden folders (`node_modules`, `.git`, `.next`, ...),
- build output: `dist`, `build`, `out`, `coverage` (and `.next`, hidden),
- tests: `*.spec.*`, `*.test.*`, and whatever sits in a `test`, `tests` or `__tests__` folder
  (they make queries, but not the ones production runs: an index is not wanted for them),
- declaration files (`.d.ts`), which hold no code, and migration and seed folders
  (`migrations`, `migration`, `seeders`, `seeds`), whose SQL is the migration readers' business,
- and what `schemasense.toml`'s `[queries]` says: `include` (only the files its globs match,
  relative to the config file's folder) and `exclude` (globs left out).
"""

from __future__ import annotations

import os
from collections.abc import Iterable

from schemasense.server.project.config import LoadedConfig, glob_match

CODE_SUFFIXES = (".ts", ".tsx", ".js", ".mjs", ".cjs", ".mts", ".cts")
SKIPPED_FOLDERS = frozenset(
    {
        "node_modules",
        "dist",
        "build",
        "out",
        "coverage",
        "test",
        "tests",
        "__tests__",
        "migrations",
        "migration",  # TypeORM's CLI default (`src/migration/`), jellyseerr's per-dialect chains
        "seeders",
        "seeds",
    }
)
_TEST_MARKS = (".spec.", ".test.")
MAX_FILES = 20_000
"""A project with more code files than this is read up to this many (a generated tree)."""


def is_query_file(path: str) -> bool:
    """Whether a file's own name (not its folders) makes it a candidate."""
    name = os.path.basename(path)
    if not name.endswith(CODE_SUFFIXES) or name.endswith((".d.ts", ".d.mts", ".d.cts")):
        return False
    return not any(mark in name for mark in _TEST_MARKS)


def skipped_folder(name: str) -> bool:
    return name in SKIPPED_FOLDERS or name.startswith(".")


def query_files(
    root: str,
    loaded: LoadedConfig | None = None,
    extra: Iterable[str] = (),
) -> list[str]:
    """The query files below `root` (a folder), sorted; `extra` adds paths (the editor's open,
    unsaved documents) that pass the same tests. A file `root` itself is returned alone when
    it is a query file."""
    root = os.path.abspath(root)
    if os.path.isfile(root):
        return [root] if is_query_file(root) else []
    found: set[str] = set()
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not skipped_folder(d))
        for name in files:
            if is_query_file(name):
                found.add(os.path.join(folder, name))
        if len(found) >= MAX_FILES:
            break
    for path in extra:
        if _within(path, root) and not _in_skipped_folder(path, root) and is_query_file(path):
            found.add(os.path.abspath(path))
    return sorted(p for p in found if configured(p, loaded))


def configured(path: str, loaded: LoadedConfig | None) -> bool:
    """Whether `[queries] include` / `exclude` keep `path`."""
    if loaded is None or loaded.config.queries is None:
        return True
    queries = loaded.config.queries
    relative = loaded.relative(path)
    if queries.include is not None and not any(glob_match(relative, g) for g in queries.include):
        return False
    return not any(glob_match(relative, g) for g in queries.exclude)


def _within(path: str, root: str) -> bool:
    path = os.path.abspath(path)
    return path == root or path.startswith(root.rstrip(os.sep) + os.sep)


def _in_skipped_folder(path: str, root: str) -> bool:
    relative = os.path.relpath(os.path.abspath(path), root)
    return any(skipped_folder(part) for part in relative.split(os.sep)[:-1])

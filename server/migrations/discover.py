"""Finding migration sets on disk, in the order and dialect their tool uses.

What each tool's files look like, how they are ordered and read, is the tool's own module in
`tools/` (Prisma, Flyway, golang-migrate, dbmate, plain); this module finds the folders and
puts a set together. Sets are found under a project folder (node_modules and dot folders are
never entered), or named in `schemasense.toml`:

    [migrations]
    path = "db/migrations"    # relative to the project folder
    tool = "dbmate"           # prisma | flyway | golang-migrate | dbmate | plain (else detected)
    dialect = "postgresql"    # postgresql | mysql | sqlite (else detected)

The dialect comes from what the folder declares (Prisma's `migration_lock.toml`), else the
config, else a hint (the Prisma schema's datasource provider, given by the caller or read from
a `schema.prisma` beside the migrations folder), else PostgreSQL.
"""

from __future__ import annotations

import os
import tomllib

from schemasense.server.findings import Finding
from schemasense.server.migrations import problems
from schemasense.server.migrations.model import (
    DIALECTS,
    TOOLS,
    MigrationSet,
    Tool,
    dialect_of_provider,
)
from schemasense.server.migrations.tools import detect_tool, get_tool
from schemasense.server.migrations.tools.base import TextOf, is_skipped_dir, read_disk
from schemasense.server.migrations.tools.dbmate import split as split_dbmate
from schemasense.server.migrations.tools.flyway import version_key as flyway_version_key
from schemasense.server.project.detection import DATASOURCE_PROVIDER

__all__ = [  # kept for their callers: the layouts now live in tools/
    "detect_tool",
    "dialect_of_provider",
    "discover_migrations",
    "find_migration_folders",
    "flyway_version_key",
    "is_skipped_dir",
    "read_set",
    "split_dbmate",
]


def read_set(
    folder: str,
    tool: Tool | None = None,
    *,
    dialect: str | None = None,
    dialect_hint: str | None = None,
    text_of: TextOf | None = None,
) -> MigrationSet | None:
    """The migration set in `folder` (tool detected unless given); None if it holds none."""
    folder = os.path.abspath(folder)
    text_of = text_of or read_disk
    tool = tool or detect_tool(folder)
    if tool is None:
        return None
    runner = get_tool(tool) or get_tool("plain")  # a tool we do not know: its files as they are
    assert runner is not None
    found: list[Finding] = []
    declared: list[Finding] = []
    source = "default"
    chosen, lock_file = runner.declared_dialect(folder, text_of, declared)
    if chosen is not None:
        source = os.path.basename(lock_file or "") or "tool"
    if chosen is None and dialect:
        chosen = dialect_of_provider(dialect)
        source = "config" if chosen else source
    if chosen is None:
        hint = dialect_hint or _provider_beside(folder, text_of)
        chosen = dialect_of_provider(hint)
        source = "hint" if chosen else source
    # the files are read once the dialect is known (a TypeORM call's operations depend on it)
    files = runner.find_in(folder, text_of, found, chosen or "postgresql")
    found.extend(declared)
    return MigrationSet(
        tool=runner.name,
        dialect=chosen or "postgresql",
        root=folder,
        files=files,
        dialect_source=source,
        lock_file=lock_file,
        problems=tuple(found),
    )


def _provider_beside(folder: str, text_of: TextOf) -> str | None:
    """The datasource provider of a `schema.prisma` next to (or one up from) the folder."""
    parent = os.path.dirname(folder)
    for candidate in (
        os.path.join(parent, "schema.prisma"),
        os.path.join(parent, "schema", "schema.prisma"),
        os.path.join(os.path.dirname(parent), "schema.prisma"),
    ):
        text = text_of(candidate) if os.path.exists(candidate) else None
        if text and (match := DATASOURCE_PROVIDER.search(text)):
            return match.group(1)
    return None


# -- a project ------------------------------------------------------------------------------------


def _config(root: str, text_of: TextOf) -> tuple[list[dict], list[Finding]]:
    """The `[migrations]` entries of `<root>/schemasense.toml` (a table or an array of them)."""
    path = os.path.join(root, "schemasense.toml")
    text = text_of(path) if os.path.isfile(path) else None
    if text is None:
        return [], []
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        return [], [problems.invalid_config(path, str(error))]
    entry = data.get("migrations")
    if entry is None:
        return [], []
    entries = entry if isinstance(entry, list) else [entry]
    good: list[dict] = []
    found: list[Finding] = []
    for item in entries:
        if not isinstance(item, dict) or not isinstance(item.get("path"), str):
            found.append(problems.invalid_config(path, '[migrations] needs `path = "..."`'))
            continue
        tool = item.get("tool")
        if tool is not None and tool not in TOOLS:
            found.append(
                problems.invalid_config(
                    path, f"unknown migration tool {tool!r} (one of {', '.join(TOOLS[:4])})"
                )
            )
            tool = None
        dialect = item.get("dialect")
        if dialect is not None and dialect_of_provider(dialect) is None:
            found.append(
                problems.invalid_config(
                    path, f"unknown dialect {dialect!r} (one of {', '.join(DIALECTS)})"
                )
            )
            dialect = None
        good.append({"path": item["path"], "tool": tool, "dialect": dialect})
    return good, found


def find_migration_folders(root: str) -> list[str]:
    """Every folder under `root` that holds migrations (Prisma folders' own subfolders and
    node_modules / dot folders are not searched)."""
    found: list[str] = []

    def walk(folder: str) -> None:
        if detect_tool(folder) is not None:
            found.append(folder)
            return
        try:
            subdirs = sorted(
                e.path for e in os.scandir(folder) if e.is_dir() and not is_skipped_dir(e.name)
            )
        except OSError:
            return
        for sub in subdirs:
            walk(sub)

    walk(os.path.abspath(root))
    return found


def discover_migrations(
    root: str,
    *,
    dialect_hint: str | None = None,
    text_of: TextOf | None = None,
) -> list[MigrationSet]:
    """Every migration set of the project at `root`.

    Folders named in `schemasense.toml` come first and, when there are any, are the only
    ones; otherwise every folder below `root` holding migrations is a set. `text_of(path)`
    gives a file's current text (an editor's unsaved copy); files are read from disk
    otherwise. Problems with the configuration are attached to the first set (or returned in a
    set-less result by `config_problems`).
    """
    root = os.path.abspath(root)
    text_of = text_of or read_disk
    entries, config_problems = _config(root, text_of)
    sets: list[MigrationSet] = []
    for entry in entries:
        folder = os.path.normpath(os.path.join(root, entry["path"]))
        found = read_set(
            folder,
            entry["tool"],
            dialect=entry["dialect"],
            dialect_hint=dialect_hint,
            text_of=text_of,
        )
        if found is None:
            config_problems.append(
                problems.invalid_config(
                    os.path.join(root, "schemasense.toml"),
                    f"no migrations found in {entry['path']!r}",
                )
            )
        else:
            sets.append(found)
    if not entries:
        for folder in find_migration_folders(root):
            found = read_set(folder, dialect_hint=dialect_hint, text_of=text_of)
            if found is not None:
                sets.append(found)
    if config_problems and sets:
        first = sets[0]
        sets[0] = MigrationSet(
            tool=first.tool,
            dialect=first.dialect,
            root=first.root,
            files=first.files,
            dialect_source=first.dialect_source,
            lock_file=first.lock_file,
            problems=(*tuple(config_problems), *first.problems),
        )
    return sets

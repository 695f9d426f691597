"""Finding migration sets on disk, in the order and dialect their tool uses.

Layouts, each by its tool's own rules:
- Prisma: `<root>/<name>/migration.sql` (usually `20210605225044_init`; umami uses `01_init`),
  applied in lexical order of the folder names; `<root>/migration_lock.toml` names the provider.
- Flyway: `V<version>__<description>.sql`, versions compared part by part (`.` or `_` between
  parts, each part as a number, trailing zero parts ignored: `1.1` < `1.10` and `1.0` = `1`);
  repeatables `R__<description>.sql` after every versioned one, by description. `U` (undo)
  files are not applied going up.
- golang-migrate: `<version>_<name>.up.sql` with its `.down.sql`, versions as numbers.
- dbmate: `<version>_<name>.sql` holding `-- migrate:up` and `-- migrate:down` sections,
  applied in lexical order of file names (dbmate's own order).

Sets are found under a project folder (node_modules and dot folders are never entered), or
named in `schemasense.toml`:

    [migrations]
    path = "db/migrations"            # relative to the project folder
    tool = "dbmate"                   # prisma | flyway | golang-migrate | dbmate (else detected)
    dialect = "postgresql"            # postgresql | mysql | sqlite (else detected)

The dialect comes from `migration_lock.toml`, else the config, else a hint (the Prisma
schema's datasource provider, given by the caller or read from a `schema.prisma` beside the
migrations folder), else PostgreSQL.
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Callable

from schemasense.server.findings import Finding
from schemasense.server.migrations import problems
from schemasense.server.migrations.model import (
    DIALECTS,
    TOOLS,
    MigrationFile,
    MigrationSet,
    SqlDialect,
    Tool,
)
from schemasense.server.project.detection import DATASOURCE_PROVIDER

TextOf = Callable[[str], "str | None"]

_FLYWAY = re.compile(r"^(?P<prefix>[VR])(?P<version>[0-9][0-9._]*)?__(?P<desc>.*)\.sql$", re.I)
_GOLANG = re.compile(r"^(?P<version>[0-9]+)_(?P<desc>.*)\.(?P<dir>up|down)\.sql$")
_DBMATE_FILE = re.compile(r"^(?P<version>[0-9]+)_?.*\.sql$")
_DBMATE_MARK = re.compile(r"^--[ \t]*migrate:(?P<dir>up|down)\b[^\n]*$", re.M)
_LOCK_PROVIDER = re.compile(r"""^\s*provider\s*=\s*["']([^"']*)["']""", re.M)

_PROVIDER_DIALECT: dict[str, SqlDialect] = {
    "postgresql": "postgresql",
    "postgres": "postgresql",
    "cockroachdb": "postgresql",
    "mysql": "mysql",
    "mariadb": "mysql",
    "sqlite": "sqlite",
}


def dialect_of_provider(provider: str | None) -> SqlDialect | None:
    """The SQL dialect for a Prisma provider (or our own dialect name); None if unknown."""
    return _PROVIDER_DIALECT.get((provider or "").strip().lower())


def _read_disk(path: str) -> str | None:
    try:
        with open(path, encoding="utf-8", errors="replace", newline="") as fh:
            return fh.read()
    except OSError:
        return None


def is_skipped_dir(name: str) -> bool:
    return name == "node_modules" or name.startswith(".")


# -- ordering -----------------------------------------------------------------------------------


def flyway_version_key(version: str) -> tuple[int, ...]:
    """Flyway's order: parts split on `.` or `_`, compared as numbers, trailing zeros ignored."""
    parts = [int(p) for p in re.split(r"[._]", version) if p.isdigit()]
    while parts and parts[-1] == 0:
        parts.pop()
    return tuple(parts)


# -- one folder -----------------------------------------------------------------------------------


def detect_tool(folder: str) -> Tool | None:
    """Which tool's layout `folder` holds, or None if it holds no migrations."""
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return None
    names = {e.name for e in entries}
    if "migration_lock.toml" in names:
        return "prisma"
    if any(e.is_dir() and os.path.isfile(os.path.join(e.path, "migration.sql")) for e in entries):
        return "prisma"
    files = [e.name for e in entries if e.is_file() and e.name.endswith(".sql")]
    if any(_GOLANG.match(n) for n in files):
        return "golang-migrate"
    if any(_FLYWAY.match(n) and n[0] in "Vv" for n in files):
        return "flyway"
    for n in files:
        if _DBMATE_FILE.match(n):
            text = _read_disk(os.path.join(folder, n)) or ""
            if _DBMATE_MARK.search(text):
                return "dbmate"
    return None


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
    text_of = text_of or _read_disk
    tool = tool or detect_tool(folder)
    if tool is None:
        return None
    found: list[Finding] = []
    if tool == "prisma":
        files = _prisma_files(folder, text_of)
    elif tool == "flyway":
        files = _flyway_files(folder, text_of)
    elif tool == "golang-migrate":
        files = _golang_files(folder, text_of)
    elif tool == "dbmate":
        files = _dbmate_files(folder, text_of, found)
    else:
        files = _plain_files(folder, text_of)

    chosen: SqlDialect | None = None
    source = "default"
    lock = os.path.join(folder, "migration_lock.toml")
    lock_file = None
    if tool == "prisma" and (lock_text := text_of(lock)) is not None:
        lock_file = lock
        match = _LOCK_PROVIDER.search(lock_text)
        if match:
            chosen = dialect_of_provider(match.group(1))
            if chosen is None:
                start = match.start(1)
                found.append(
                    problems.unsupported_provider(lock, (start, match.end(1)), match.group(1))
                )
            else:
                source = "migration_lock.toml"
    if chosen is None and dialect:
        chosen = dialect_of_provider(dialect)
        source = "config" if chosen else source
    if chosen is None:
        hint = dialect_hint or _provider_beside(folder, text_of)
        chosen = dialect_of_provider(hint)
        source = "hint" if chosen else source
    return MigrationSet(
        tool=tool,
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


def _prisma_files(folder: str, text_of: TextOf) -> list[MigrationFile]:
    files = []
    for entry in sorted(os.scandir(folder), key=lambda e: e.name):
        if not entry.is_dir() or is_skipped_dir(entry.name):
            continue
        path = os.path.join(entry.path, "migration.sql")
        text = text_of(path) if os.path.isfile(path) else None
        if text is None:
            continue
        files.append(MigrationFile(path=path, name=entry.name, version=entry.name, up_text=text))
    return files


def _sql_names(folder: str) -> list[str]:
    try:
        return [e.name for e in os.scandir(folder) if e.is_file() and e.name.endswith(".sql")]
    except OSError:
        return []


def _flyway_files(folder: str, text_of: TextOf) -> list[MigrationFile]:
    versioned: list[tuple[tuple[int, ...], str, str]] = []
    repeatable: list[tuple[str, str]] = []
    for name in _sql_names(folder):
        match = _FLYWAY.match(name)
        if not match:
            continue
        if match.group("prefix") in "Rr" and not match.group("version"):
            repeatable.append((match.group("desc"), name))
        elif match.group("prefix") in "Vv" and match.group("version"):
            version = match.group("version").replace("_", ".")
            versioned.append((flyway_version_key(version), version, name))
    files = []
    for _, version, name in sorted(versioned):
        path = os.path.join(folder, name)
        text = text_of(path)
        if text is not None:
            files.append(MigrationFile(path=path, name=name, version=version, up_text=text))
    for _, name in sorted(repeatable):
        path = os.path.join(folder, name)
        text = text_of(path)
        if text is not None:
            files.append(
                MigrationFile(path=path, name=name, version=None, up_text=text, repeatable=True)
            )
    return files


def _golang_files(folder: str, text_of: TextOf) -> list[MigrationFile]:
    ups: dict[int, str] = {}
    downs: dict[int, str] = {}
    for name in _sql_names(folder):
        match = _GOLANG.match(name)
        if match:
            (ups if match.group("dir") == "up" else downs)[int(match.group("version"))] = name
    files = []
    for version in sorted(ups):
        path = os.path.join(folder, ups[version])
        text = text_of(path)
        if text is None:
            continue
        down = text_of(os.path.join(folder, downs[version])) if version in downs else None
        files.append(
            MigrationFile(
                path=path,
                name=ups[version].removesuffix(".up.sql"),
                version=str(version),
                up_text=text,
                down_text=down,
            )
        )
    return files


def split_dbmate(text: str) -> tuple[str, int, str | None] | None:
    """A dbmate file's up text, where it starts, and its down text; None without markers."""
    marks = list(_DBMATE_MARK.finditer(text))
    if not marks:
        return None
    up = next((m for m in marks if m.group("dir") == "up"), None)
    down = next((m for m in marks if m.group("dir") == "down"), None)

    def section(mark: re.Match[str] | None) -> tuple[str, int] | None:
        if mark is None:
            return None
        start = mark.end()
        following = [m.start() for m in marks if m.start() > mark.start()]
        end = min(following) if following else len(text)
        return text[start:end], start

    up_section = section(up) or ("", len(text))
    down_section = section(down)
    return up_section[0], up_section[1], down_section[0] if down_section else None


def _dbmate_files(folder: str, text_of: TextOf, found: list[Finding]) -> list[MigrationFile]:
    files = []
    for name in sorted(_sql_names(folder)):
        match = _DBMATE_FILE.match(name)
        if not match:
            continue
        path = os.path.join(folder, name)
        text = text_of(path)
        if text is None:
            continue
        sections = split_dbmate(text)
        if sections is None:
            found.append(problems.dbmate_without_sections(path))
            continue
        up, offset, down = sections
        files.append(
            MigrationFile(
                path=path,
                name=name.removesuffix(".sql"),
                version=match.group("version"),
                up_text=up,
                down_text=down,
                up_span_offset=offset,
            )
        )
    return files


def _plain_files(folder: str, text_of: TextOf) -> list[MigrationFile]:
    files = []
    for name in sorted(_sql_names(folder)):
        path = os.path.join(folder, name)
        text = text_of(path)
        if text is not None:
            files.append(MigrationFile(path=path, name=name, version=name, up_text=text))
    return files


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
    text_of = text_of or _read_disk
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

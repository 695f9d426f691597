"""Which files make up one schema: the schema units of a project.

A unit has a `kind`, the source that reads it (`server/sources/base.py`): `prisma` for the
`.prisma` files grouped as below, `sql_ddl` for one DDL schema file (`schema.sql`, Rails'
`db/structure.sql`, dbmate's `db/schema.sql`, or a file named by `[schema] path` in
`schemasense.toml`; `project/detection.py` holds the names), which is a unit of its own.

For Prisma:
A schema is one file (`prisma/schema.prisma`) or, since Prisma 5.15's `prismaSchemaFolder`
(standard in Prisma 6.6+), a folder of `.prisma` files read together, one of which holds the
`datasource` (dub's `apps/web/prisma/schema/` has 37). Every file belongs to exactly one unit,
and a unit is what the reader reads at once, so a keystroke in one file of a folder re-checks the
whole folder and nothing else.

The grouping follows Prisma's own language server (`@prisma/schema-files-loader`'s
`loadRelatedSchemaFiles`): from a file's folder, go up while the parent folder holds `.prisma`
files too; every `.prisma` file below the folder reached is part of the schema. Two changes make
it safe on real repositories:
- node_modules and dot folders are never entered;
- a folder whose files declare two or more datasources is not one schema but several
  stand-alone ones side by side (`schema.prisma` next to `schema.test.prisma`), so each file
  there is its own unit. Prisma would report "more than one datasource" instead.
A folder named by package.json's `"prisma": {"schema": "<folder>"}` is always a multi-file unit.

Directory listings and package.json files are cached; `invalidate()` drops the cache when the
editor reports files created or deleted on disk.

A search below a folder has a budget (`[limits]` in the configuration that applies at the
folder: `max-folders`, `scan-seconds`): past it the search stops, the user is told once (the
`notify` callback) which limit and how to raise it, and the units found so far are checked.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from schemasense.server.project import detection
from schemasense.server.project.detection import configured_schema, declares_datasource
from schemasense.server.sources.base import ProjectSource, UnitFiles, project_sources

if TYPE_CHECKING:
    from schemasense.server.project.config import LimitsConfig

__all__ = ["Discovery", "SchemaUnit", "configured_schema", "declares_datasource"]


def nothing_found(path: str) -> str:
    """What to tell a user whose PATH holds no schema we read, and what was looked for."""
    return (
        f"{path}: no schema found (looked below it for a Prisma schema (*.prisma), a TypeORM "
        "DataSource and its entities, Sequelize models, and a SQL DDL schema: schema.sql, "
        "db/structure.sql, or `[schema] path` in schemasense.toml)"
    )


def is_skipped_dir(name: str) -> bool:
    """Folders never searched for schemas: dependencies and hidden folders (.git, .next...)."""
    return name == "node_modules" or name.startswith(".")


def is_schema_file(path: str) -> bool:
    return path.endswith(".prisma")


@dataclass(frozen=True, slots=True)
class SchemaUnit:
    """One schema: the files the reader reads together.

    `key` is the folder for a multi-file schema and the file itself otherwise; `files` are
    absolute paths, sorted; `kind` names the source that reads them (`sources/base.py`).
    """

    key: str
    files: tuple[str, ...]
    folder: bool = False
    kind: str = detection.PRISMA

    def __contains__(self, path: object) -> bool:
        return path in self.files


@dataclass(frozen=True, slots=True)
class _Listing:
    schema_files: tuple[str, ...]
    subdirs: tuple[str, ...]
    has_package_json: bool
    is_repository_root: bool
    ddl_files: tuple[str, ...] = ()
    other_files: tuple[str, ...] = ()
    """Every other regular file (full paths): what project-wide sources look through."""


class Discovery:
    """Finds schema units on disk, seeing open documents (saved or not) as files too.

    `text_of(path)` gives a file's current text (the editor's copy when open, else disk);
    `open_paths()` the paths of open documents, so a new file not yet saved joins its folder.
    """

    def __init__(
        self,
        text_of: Callable[[str], str | None],
        open_paths: Callable[[], Iterable[str]] = tuple,
        notify: Callable[[str], None] = lambda message: None,
    ) -> None:
        self._text_of = text_of
        self._open_paths = open_paths
        self._notify = notify
        """Tells the user once that a search stopped at its budget (`[limits]`)."""
        self._listings: dict[str, _Listing] = {}
        self._folder_lists: dict[str, list[str]] = {}
        """root -> the folders a search below it found (within its budget): every later search
        below the same root sees the same folders."""
        self._trees: dict[str, tuple[str, ...]] = {}
        self._configured: dict[str, tuple[str, ...]] = {}
        self._configured_ddl: dict[str, tuple[str, ...]] = {}
        self._project_units: dict[tuple[str, str], tuple[tuple[str | None, ...], list]] = {}
        """(source kind, project root) -> (the texts of its inputs, its units). A project where
        a source found nothing stays so until the next `invalidate()` (a file created, deleted
        or renamed on disk)."""

    def invalidate(self) -> None:
        """Forget every listing: files were created, deleted or renamed on disk."""
        self._listings.clear()
        self._folder_lists.clear()
        self._trees.clear()
        self._configured.clear()
        self._configured_ddl.clear()
        self._project_units.clear()

    # -- project-wide sources (TypeORM entity sets, Sequelize model sets) ----------------------

    def text_of(self, path: str) -> str | None:
        """A file's current text (`ProjectFiles`)."""
        return self._text_of(path)

    def files_under(self, root: str, suffixes: tuple[str, ...]) -> tuple[str, ...]:
        """Every file below `root` ending with one of `suffixes`, on disk or open, outside
        node_modules and dot folders (`ProjectFiles`)."""
        found = {
            path
            for folder in self._folders_under(root)
            for path in self._listing(folder).other_files
            if path.endswith(suffixes)
        }
        for path in self._open_paths():
            if (
                path.endswith(suffixes)
                and _is_within(path, root)
                and not _under_skipped_dir(path, root)
            ):
                found.add(path)
        return tuple(sorted(found))

    def project_roots_above(self, path: str) -> list[str]:
        """The folders at or above `path`'s folder that hold a package.json, nearest first,
        up to the repository's root (a monorepo's package and its root)."""
        roots: list[str] = []
        folder = os.path.dirname(path)
        while True:
            has_package_json, is_repository_root = self._marks(folder)
            if has_package_json:
                roots.append(folder)
            if is_repository_root:
                break
            parent = os.path.dirname(folder)
            if parent == folder:
                break
            folder = parent
        return roots

    def _marks(self, folder: str) -> tuple[bool, bool]:
        """(holds a package.json, is a repository's root): from the folder's listing when it
        was listed, else by looking for the two names only. A folder above the project is not
        listed whole: `check`'s cache (server/cache/) keeps what a run looked at, and a listing
        of /tmp or a home folder would change with every unrelated file."""
        listing = self._listings.get(folder)
        if listing is not None:
            return listing.has_package_json, listing.is_repository_root
        return (
            os.path.isfile(os.path.join(folder, "package.json")),
            os.path.exists(os.path.join(folder, ".git")),
        )

    def units_of_project(self, root: str) -> list[SchemaUnit]:
        """The units every project-wide source finds in the project at `root`."""
        units: list[SchemaUnit] = []
        for source in project_sources():
            units.extend(self._units_of(source, root))
        return units

    def _units_of(self, source: ProjectSource, root: str) -> list[SchemaUnit]:
        key = (source.kind, root)  # type: ignore[attr-defined]
        cached = self._project_units.get(key)
        if cached is not None:
            inputs, units = cached
            paths = [p for u in units for p in u[1]]
            if tuple(self._text_of(p) for p in paths) == inputs:
                return [u[0] for u in units]
        found: list[UnitFiles] = source.find_units(root, self)
        made = [
            (
                SchemaUnit(key=u.key, files=tuple(sorted(set(u.files))), kind=source.kind),  # type: ignore[attr-defined]
                u.inputs,
            )
            for u in found
        ]
        inputs = tuple(self._text_of(p) for u in made for p in u[1])
        self._project_units[key] = (inputs, made)
        return [u[0] for u in made]

    def _project_unit_for(self, path: str) -> SchemaUnit | None:
        """The project-wide unit `path` is a file of, if any."""
        sources = [s for s in project_sources() if path.endswith(s.code_suffixes)]
        if not sources:
            return None
        for root in self.project_roots_above(path):
            for source in sources:
                for unit in self._units_of(source, root):
                    if path in unit.files:
                        return unit
        return None

    # -- SQL DDL schema files -------------------------------------------------------------------

    def is_ddl_schema(self, path: str) -> bool:
        """Whether `path` is a DDL schema file: named by `[schema] path`, or with a DDL
        schema's name (`detection.is_ddl_schema_name`) and a `CREATE TABLE` in it."""
        if not path.endswith(".sql") or not os.path.isabs(path):
            return False
        if path in self.configured_ddl(os.path.dirname(path)):
            return True
        return detection.is_ddl_schema_name(path) and detection.looks_like_ddl(self._text_of(path))

    def configured_ddl(self, start: str) -> tuple[str, ...]:
        """The DDL files `[schema] path` names in the config that applies at `start`."""
        cached = self._configured_ddl.get(start)
        if cached is None:
            from schemasense.server.project.config import load_config

            loaded = load_config(start, self._text_of)
            cached = tuple(detection.configured_schema_files(loaded))
            self._configured_ddl[start] = cached
        return cached

    # -- the unit of one file -------------------------------------------------------------------

    def unit_for(self, path: str) -> SchemaUnit:
        """The unit `path` belongs to (a non-`.prisma` path is a unit of its own)."""
        path = os.path.normpath(path)
        if not is_schema_file(path) and os.path.isabs(path):
            project_unit = self._project_unit_for(path)
            if project_unit is not None:
                return project_unit
        if not is_schema_file(path) and self.is_ddl_schema(path):
            return SchemaUnit(key=path, files=(path,), kind=detection.SQL_DDL)
        if not is_schema_file(path) or not os.path.isabs(path):
            return SchemaUnit(key=path, files=(path,))
        for folder in self._configured_folders(os.path.dirname(path)):
            if _is_within(path, folder):
                return self._folder_unit(folder)
        root = self._schema_root(path)
        files = self._schema_files_under(root)
        if path not in files:
            files = tuple(sorted((*files, path)))
        if len(files) == 1:
            return SchemaUnit(key=path, files=files)
        main_files = 0
        for f in files:
            text = self._text_of(f)
            if text is not None and declares_datasource(text):
                main_files += 1
                if main_files > 1:
                    return SchemaUnit(key=path, files=(path,))
        return SchemaUnit(key=root, files=files, folder=True)

    def _folder_unit(self, folder: str) -> SchemaUnit:
        return SchemaUnit(key=folder, files=self._schema_files_under(folder), folder=True)

    def _schema_root(self, path: str) -> str:
        """Prisma's schema root: go up while the parent folder also holds `.prisma` files."""
        folder = os.path.dirname(path)
        while True:
            parent = os.path.dirname(folder)
            if parent == folder or is_skipped_dir(os.path.basename(folder)):
                return folder
            if not self._listing(parent).schema_files:
                return folder
            folder = parent

    def _schema_files_under(self, root: str) -> tuple[str, ...]:
        """Every `.prisma` file below `root`, on disk or open, outside node_modules and dot dirs."""
        on_disk = self._trees.get(root)
        if on_disk is None:
            found: list[str] = []
            for folder in self._folders_under(root):
                found.extend(self._listing(folder).schema_files)
            on_disk = self._trees[root] = tuple(sorted(found))
        extra = [
            p
            for p in self._open_paths()
            if is_schema_file(p)
            and _is_within(p, root)
            and p not in on_disk
            and not _under_skipped_dir(p, root)
        ]
        return tuple(sorted((*on_disk, *extra))) if extra else on_disk

    def _folders_under(self, root: str) -> list[str]:
        """`root` and the folders below it, each once: a symbolic link to a folder is followed
        only into the project (its real path inside `root`'s) and never to a folder already
        seen, so links back into the project, loops and a link to `/` cost nothing."""
        listed = self._folder_lists.get(root)
        if listed is not None:
            return listed
        from schemasense.server.project.config import load_config

        limits = load_config(root).config.limits  # the file on disk: the scan needs it first
        deadline = time.monotonic() + limits.scan_seconds
        real_root = os.path.realpath(root)
        seen: set[str] = set()
        folders: list[str] = []
        stack = [root]
        while stack:
            if len(folders) >= limits.max_folders or time.monotonic() > deadline:
                self._notify(_scan_stopped(root, len(folders), limits))
                break
            folder = stack.pop()
            real = os.path.realpath(folder)
            if real in seen or not (real == real_root or _is_within(real, real_root)):
                continue
            seen.add(real)
            folders.append(folder)
            stack.extend(reversed(self._listing(folder).subdirs))
        self._folder_lists[root] = folders
        return folders

    def _listing(self, folder: str) -> _Listing:
        listing = self._listings.get(folder)
        if listing is None:
            files: list[str] = []
            dirs: list[str] = []
            ddl: list[str] = []
            other: list[str] = []
            has_package_json = is_repository_root = False
            try:
                with os.scandir(folder) as entries:
                    for entry in entries:
                        try:
                            if entry.name == ".git":
                                is_repository_root = True
                            elif entry.is_dir():
                                if not is_skipped_dir(entry.name):
                                    dirs.append(entry.path)
                            elif entry.name.endswith(".prisma") and entry.is_file():
                                files.append(entry.path)
                            elif entry.name == "package.json":
                                has_package_json = True
                            elif entry.name in detection.DDL_FILE_NAMES and entry.is_file():
                                ddl.append(entry.path)
                            elif entry.is_file():
                                other.append(entry.path)
                        except OSError:
                            continue
            except OSError:
                pass
            listing = self._listings[folder] = _Listing(
                tuple(sorted(files)),
                tuple(sorted(dirs)),
                has_package_json,
                is_repository_root,
                tuple(sorted(ddl)),
                tuple(sorted(other)),
            )
        return listing

    # -- package.json's "prisma": {"schema": ...} -----------------------------------------------

    def _configured_folders(self, start: str) -> tuple[str, ...]:
        """Schema folders named by the nearest package.json at or above `start` (not above the
        repository's root, where there is a `.git`)."""
        cached = self._configured.get(start)
        if cached is not None:
            return cached
        folder = start
        result: tuple[str, ...] = ()
        while True:
            has_package_json, is_repository_root = self._marks(folder)
            if has_package_json:
                target = configured_schema(folder)
                if target is not None and os.path.isdir(target):
                    result = (target,)
                break
            if is_repository_root:
                break
            parent = os.path.dirname(folder)
            if parent == folder:
                break
            folder = parent
        self._configured[start] = result
        return result

    # -- every unit below a folder --------------------------------------------------------------

    def units_under(self, folder: str) -> list[SchemaUnit]:
        """Every schema unit with a file below `folder`, plus the one its package.json names."""
        folder = os.path.normpath(os.path.abspath(folder))
        paths = list(self._schema_files_under(folder))
        target = configured_schema(folder) if self._listing(folder).has_package_json else None
        if target is not None:
            if os.path.isdir(target):
                paths.extend(self._schema_files_under(target))
            elif os.path.isfile(target):
                paths.append(target)
        units: dict[str, SchemaUnit] = {}
        for path in paths:
            if any(path in u for u in units.values()):
                continue
            unit = self.unit_for(path)
            units.setdefault(unit.key, unit)
        for path in self._ddl_files_under(folder):
            if path not in units and self.is_ddl_schema(path):
                units[path] = SchemaUnit(key=path, files=(path,), kind=detection.SQL_DDL)
        if project_sources():
            roots = {f for f in self._folders_under(folder) if self._listing(f).has_package_json}
            roots.update(self.project_roots_above(os.path.join(folder, "_")))
            for root in sorted(roots):
                for unit in self.units_of_project(root):
                    if any(p == folder or _is_within(p, folder) for p in unit.files):
                        units.setdefault(unit.key, unit)
        return sorted(units.values(), key=lambda u: u.key)

    def _ddl_files_under(self, root: str) -> list[str]:
        """The DDL schema files below `root`: those with a DDL schema's name, and those the
        configuration names (when they are below `root`)."""
        found: list[str] = []
        for folder in self._folders_under(root):
            listing = self._listing(folder)
            found.extend(p for p in listing.ddl_files if detection.is_ddl_schema_name(p))
        for path in self.configured_ddl(root):
            if (path == root or _is_within(path, root)) and os.path.isfile(path):
                found.append(path)
        return sorted(set(found))


def _scan_stopped(root: str, count: int, limits: LimitsConfig) -> str:
    """The one message of a search stopped at its budget: which limit, and the setting."""
    if count >= limits.max_folders:
        what = f"after {count:,} folders (`[limits] max-folders = {limits.max_folders}`)"
    else:
        what = (
            f"after {limits.scan_seconds:g} s (`[limits] scan-seconds = {limits.scan_seconds:g}`)"
        )
    return (
        f"schemasense: stopped searching {root} for schemas {what}; the schemas found so far are "
        "checked. Open a smaller folder, or raise the limit in schemasense.toml."
    )


def _is_within(path: str, folder: str) -> bool:
    return path.startswith(folder.rstrip(os.sep) + os.sep)


def _under_skipped_dir(path: str, root: str) -> bool:
    rel = os.path.relpath(os.path.dirname(path), root)
    return rel != "." and any(is_skipped_dir(part) for part in rel.split(os.sep))

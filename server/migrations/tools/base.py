"""What a migration tool knows about its own files, as one protocol.

A migration tool (Prisma Migrate, Flyway, golang-migrate, dbmate, plain SQL files) is one
module of this package holding one object that answers five questions, each from the tool's
own rules and nowhere else:

- `holds(folder, entries)`: does this folder hold this tool's migrations (detection);
- `find(folder, text_of, problems)`: the migrations of the folder, in the order the tool runs
  them;
- `read(path, text)`: what one file applies going up (and down), and where that starts;
- `file_name(version, name)`: where a new migration goes, relative to the folder (the writers of
  `codegen/emit/migrations/` use the same names, from `codegen/emit/migrations/names.py`);
- `after(file, following, name)`: where a migration that must run right after `file` goes
  (the multi-step fixes: a statement that must run outside the current transaction, or after
  it is deployed), or None when no such name fits before the next migration; and
  `up_file_text(sql, transactional)`, what that file holds (dbmate wants its markers).

`declared_dialect` says which dialect the folder itself declares (Prisma's
`migration_lock.toml`); `write` gives a migration's files in the tool's format. The registry
(`tools/__init__.py`) finds the modules by scanning the package, so a new tool is one module.
"""

from __future__ import annotations

import os
import re
from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, ClassVar, Protocol

from schemasense.codegen.emit.migrations.names import file_names, slug
from schemasense.server.findings import Finding
from schemasense.server.migrations.model import MigrationFile, SqlDialect, Tool

if TYPE_CHECKING:
    from schemasense.codegen.emit.migration import Migration
    from schemasense.codegen.emit.migrations.files import GeneratedFile

TextOf = Callable[[str], "str | None"]

_STAMP = re.compile(r"^(\d{14})(?!\d)")


@dataclass(frozen=True, slots=True)
class ReadFile:
    """One migration file as its tool runs it: `up_text` starts at character `up_offset` of
    the file; `down_text` where the same file holds the way down (dbmate), else None."""

    up_text: str
    up_offset: int = 0
    down_text: str | None = None


class MigrationTool(Protocol):
    """A migration tool's knowledge of its files (see the module's docstring)."""

    name: Tool
    detect_rank: int
    """Detection order: lower first (a Prisma folder is recognised before a plain SQL one)."""

    def holds(self, folder: str, entries: Sequence[os.DirEntry[str]]) -> bool: ...

    def find(self, folder: str, text_of: TextOf, found: list[Finding]) -> list[MigrationFile]: ...

    def find_in(
        self, folder: str, text_of: TextOf, found: list[Finding], dialect: SqlDialect
    ) -> list[MigrationFile]: ...

    def read(self, path: str, text: str) -> ReadFile | None: ...

    def declared_dialect(
        self, folder: str, text_of: TextOf, found: list[Finding]
    ) -> tuple[SqlDialect | None, str | None]: ...

    def file_name(self, version: str, name: str) -> str: ...

    def after(
        self, file: MigrationFile, following: MigrationFile | None, name: str, seconds: int = 1
    ) -> str | None: ...

    def up_file_text(self, sql: str, transactional: bool = True) -> str: ...

    def write(self, migration: Migration, folder: str, now: datetime) -> list[GeneratedFile]: ...


class SqlFileTool(ABC):
    """What the tools share: files named `<version>...` in one folder (Prisma: one folder per
    migration), read whole, named by `codegen/emit/migrations/names.py`, and a migration after
    another one a second later when its version is a UTC timestamp (`20240131120000`)."""

    name: ClassVar[Tool]
    detect_rank: ClassVar[int] = 100

    def holds(self, folder: str, entries: Sequence[os.DirEntry[str]]) -> bool:
        return False

    @abstractmethod
    def find(self, folder: str, text_of: TextOf, found: list[Finding]) -> list[MigrationFile]:
        """The folder's migrations in the order the tool runs them; what is wrong with a file
        goes to `found`."""

    def find_in(
        self, folder: str, text_of: TextOf, found: list[Finding], dialect: SqlDialect
    ) -> list[MigrationFile]:
        """`find` for a set replayed in `dialect`: a tool whose files are code (TypeORM) reads
        its calls into the dialect's operations; a SQL tool's files do not depend on it."""
        return self.find(folder, text_of, found)

    def read(self, path: str, text: str) -> ReadFile | None:
        return ReadFile(text)

    def declared_dialect(
        self, folder: str, text_of: TextOf, found: list[Finding]
    ) -> tuple[SqlDialect | None, str | None]:
        return None, None

    def file_name(self, version: str, name: str) -> str:
        """The up file of a new migration `name` at `version` (POSIX, relative to the folder)."""
        return self.spelled_file_name(version, slug(name))

    def spelled_file_name(self, version: str, spelled: str) -> str:
        """`file_name` for a name already spelled as a file name."""
        return file_names(self.name, version, spelled).up

    def sort_key(self, file: MigrationFile) -> tuple:
        """What orders `file` among the others (the tool's own order; here its file name)."""
        return (os.path.basename(file.path),)

    def after(
        self, file: MigrationFile, following: MigrationFile | None, name: str, seconds: int = 1
    ) -> str | None:
        """The path of a new migration `seconds` after `file`, which the tool runs right after
        it: None when `file`'s version is no UTC timestamp, or the new name would not sort
        before `following`."""
        stamp = timestamp_after(file.version or "", seconds)
        if stamp is None:
            return None
        root = self.root_of(file)
        path = os.path.join(root, *self.spelled_file_name(stamp, short_slug(name)).split("/"))
        new = MigrationFile(path=path, name="", version=stamp, up_text="")
        if following is not None and self.sort_key(new) >= self.sort_key(following):
            return None
        return path

    def up_file_text(self, sql: str, transactional: bool = True) -> str:
        """The text of a new migration file that applies `sql` going up: `sql` itself (the
        runner's transaction mode is the project's, `transaction` in `[migrations]`)."""
        return sql

    def root_of(self, file: MigrationFile) -> str:
        """The migrations folder `file` belongs to."""
        return os.path.dirname(file.path)

    def write(self, migration: Migration, folder: str, now: datetime) -> list[GeneratedFile]:
        """`migration`'s files in this tool's format, under `folder` (relative to the project)."""
        from schemasense.codegen.emit.migrations.files import migration_files

        return migration_files(migration, self.name, folder, now)


def short_slug(name: str) -> str:
    """A fix's step name as a file name: lower case, `_` between words, at most 60 characters
    (the multi-step fixes' names, as they have always been written)."""
    return re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")[:60] or "step"


def timestamp_after(version: str, seconds: int) -> str | None:
    """`20240131120000` plus `seconds`, in the same form; None for a version that does not
    start with a UTC timestamp to the second."""
    match = _STAMP.match(version)
    if match is None:
        return None
    digits = match.group(1)
    try:  # datetime(...) rather than strptime, which is slow and imports a module
        stamp = datetime(
            int(digits[:4]), int(digits[4:6]), int(digits[6:8]),
            int(digits[8:10]), int(digits[10:12]), int(digits[12:14]),
        ) + timedelta(seconds=seconds)  # fmt: skip
    except ValueError:
        return None
    return f"{stamp:%Y%m%d%H%M%S}"


def read_disk(path: str) -> str | None:
    try:
        with open(path, encoding="utf-8", errors="replace", newline="") as fh:
            return fh.read()
    except OSError:
        return None


def is_skipped_dir(name: str) -> bool:
    """node_modules and dot folders are never searched for migrations."""
    return name == "node_modules" or name.startswith(".")


def sql_names(folder: str) -> list[str]:
    """The `.sql` files directly in `folder`."""
    try:
        return [e.name for e in os.scandir(folder) if e.is_file() and e.name.endswith(".sql")]
    except OSError:
        return []

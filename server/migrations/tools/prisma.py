"""Prisma Migrate: `<root>/<name>/migration.sql`, one folder per migration.

Folders are applied in the lexical order of their names (usually `20210605225044_init`; umami
uses `01_init`); a folder without `migration.sql` is not a migration. `<root>/migration_lock.toml`
names the provider. A migration that must run right after another is a folder a second later
(`<timestamp + 1 s>_<name>/migration.sql`), which Prisma applies next, in its own transaction; a
file holding a single statement is sent alone, so PostgreSQL runs it outside any transaction
block (what `CREATE INDEX CONCURRENTLY` needs).
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence

from schemasense.server.findings import Finding
from schemasense.server.migrations import problems
from schemasense.server.migrations.model import (
    MigrationFile,
    SqlDialect,
    Tool,
    dialect_of_provider,
)
from schemasense.server.migrations.tools.base import SqlFileTool, TextOf, is_skipped_dir

LOCK_FILE = "migration_lock.toml"

_LOCK_PROVIDER = re.compile(r"""^\s*provider\s*=\s*["']([^"']*)["']""", re.M)
_FOLDER = re.compile(r"^\d{14}_")


class Prisma(SqlFileTool):
    name: Tool = "prisma"
    detect_rank = 10

    def holds(self, folder: str, entries: Sequence[os.DirEntry[str]]) -> bool:
        if any(e.name == LOCK_FILE for e in entries):
            return True
        return any(
            e.is_dir() and os.path.isfile(os.path.join(e.path, "migration.sql")) for e in entries
        )

    def find(self, folder: str, text_of: TextOf, found: list[Finding]) -> list[MigrationFile]:
        files = []
        for entry in sorted(os.scandir(folder), key=lambda e: e.name):
            if not entry.is_dir() or is_skipped_dir(entry.name):
                continue
            path = os.path.join(entry.path, "migration.sql")
            text = text_of(path) if os.path.isfile(path) else None
            if text is None:
                continue
            files.append(
                MigrationFile(path=path, name=entry.name, version=entry.name, up_text=text)
            )
        return files

    def declared_dialect(
        self, folder: str, text_of: TextOf, found: list[Finding]
    ) -> tuple[SqlDialect | None, str | None]:
        """The dialect `migration_lock.toml` names, and the lock file's path (None without
        one); an unknown provider is a DB053 warning."""
        lock = os.path.join(folder, LOCK_FILE)
        lock_text = text_of(lock)
        if lock_text is None:
            return None, None
        match = _LOCK_PROVIDER.search(lock_text)
        if not match:
            return None, lock
        chosen = dialect_of_provider(match.group(1))
        if chosen is None:
            found.append(
                problems.unsupported_provider(lock, (match.start(1), match.end(1)), match.group(1))
            )
        return chosen, lock

    def sort_key(self, file: MigrationFile) -> tuple:
        return (os.path.basename(os.path.dirname(file.path)),)

    def root_of(self, file: MigrationFile) -> str:
        return os.path.dirname(os.path.dirname(file.path))

    def after(
        self, file: MigrationFile, following: MigrationFile | None, name: str, seconds: int = 1
    ) -> str | None:
        if not _FOLDER.match(os.path.basename(os.path.dirname(file.path))):
            return None
        return super().after(file, following, name, seconds)


TOOL = Prisma()

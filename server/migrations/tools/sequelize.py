"""sequelize-cli (and umzug) migrations: `.js` / `.ts` / `.cjs` files exporting `up`.

sequelize-cli runs every file of the folder whose name matches
`/^(?!.*\\.d\\.ts$).*\\.(cjs|js|cts|ts)$/` (not the sub-folders), in the order of the file
names (umzug sorts them; `SequelizeMeta` records the names), each file's `up(queryInterface,
Sequelize)`. umzug projects pass `up({ context: queryInterface })`; the reading is the same.
A file's steps are read from its code (`server/migrations/sequelize/`) in the set's dialect, so
the pieces are made once the dialect is known (`in_dialect`).
"""

from __future__ import annotations

import os
import re
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime
from typing import TYPE_CHECKING

from schemasense.server.findings import Finding
from schemasense.server.migrations.model import MigrationFile, SqlDialect, Tool
from schemasense.server.migrations.tools.base import SqlFileTool, TextOf, read_disk

if TYPE_CHECKING:
    from schemasense.codegen.emit.migration import Migration
    from schemasense.codegen.emit.migrations.files import GeneratedFile

_FILE = re.compile(r"^(?!.*\.d\.ts$).*\.(cjs|js|cts|ts)$")
_STEP = re.compile(r"\bqueryInterface\b|\bup\s*[:(=]|\bup\s*\(\s*\{\s*context")
_VERSION = re.compile(r"^(\d+)")
_CACHE_SIZE = 4000


def migration_names(folder: str) -> list[str]:
    """The files sequelize-cli runs from `folder`, in its order (by name)."""
    try:
        names = [e.name for e in os.scandir(folder) if e.is_file() and _FILE.match(e.name)]
    except OSError:
        return []
    # umzug compares names with `>`/`<`: UTF-16 code units; sorting by them is the same
    return sorted(names, key=lambda n: n.encode("utf-16-be"))


class Sequelize(SqlFileTool):
    name: Tool = "sequelize"
    detect_rank = 60

    def __init__(self) -> None:
        self._pieces: OrderedDict[tuple[str, str, str], tuple[tuple, dict[str, str | None]]] = (
            OrderedDict()
        )

    def holds(self, folder: str, entries: Sequence[os.DirEntry[str]]) -> bool:
        for entry in sorted(entries, key=lambda e: e.name):
            if entry.is_file() and _FILE.match(entry.name) and entry.name[:1].isdigit():
                text = read_disk(entry.path) or ""
                return "queryInterface" in text or ("context" in text and "up" in text)
        return False

    def find(self, folder: str, text_of: TextOf, found: list[Finding]) -> list[MigrationFile]:
        files = []
        for name in migration_names(folder):
            path = os.path.join(folder, name)
            text = text_of(path)
            if text is None:
                continue
            stem = re.sub(r"\.(cjs|js|cts|ts)$", "", name)
            match = _VERSION.match(name)
            files.append(
                MigrationFile(
                    path=path,
                    name=stem,
                    version=match.group(1) if match else stem,
                    up_text=text,
                    pieces=(),
                )
            )
        return files

    def find_in(
        self, folder: str, text_of: TextOf, found: list[Finding], dialect: SqlDialect
    ) -> list[MigrationFile]:
        """The folder's migrations with their steps read in `dialect`."""
        return self.in_dialect(self.find(folder, text_of, found), dialect, text_of)

    def in_dialect(
        self, files: list[MigrationFile], dialect: SqlDialect, text_of: TextOf
    ) -> list[MigrationFile]:
        """`files` with their steps read in `dialect` (cached by path, text and dialect)."""
        return [replace(f, pieces=self.pieces(f.path, f.up_text, dialect, text_of)) for f in files]

    def pieces(self, path: str, text: str, dialect: SqlDialect, text_of: TextOf) -> tuple:
        """The file's steps: kept by path, text and dialect, with the texts of the files the
        reading looked at (imported helpers), and used again only while those are the same:
        a pure function of all of them, so the tool may be a module global."""
        from schemasense.server.migrations.sequelize.reader import read_pieces

        key = (path, text, dialect)
        held = self._pieces.get(key)
        if held is not None and all(text_of(p) == t for p, t in held[1].items()):
            self._pieces.move_to_end(key)
            return held[0]
        looked: dict[str, str | None] = {}

        def recording(other: str) -> str | None:
            looked[other] = seen = text_of(other)
            return seen

        found = read_pieces(path, text, dialect, recording)
        self._pieces[key] = (found, looked)
        self._pieces.move_to_end(key)
        if len(self._pieces) > _CACHE_SIZE:
            self._pieces.popitem(last=False)
        return found

    def sort_key(self, file: MigrationFile) -> tuple:
        return (os.path.basename(file.path).encode("utf-16-be"),)

    def file_name(self, version: str, name: str) -> str:
        """sequelize-cli's `YYYYMMDDHHMMSS-name.js`."""
        return self.spelled_file_name(version, re.sub(r"[^A-Za-z0-9]+", "-", name).strip("-"))

    def spelled_file_name(self, version: str, spelled: str) -> str:
        return f"{version}-{spelled}.js"

    def up_file_text(self, sql: str, transactional: bool = True) -> str:
        raise NotImplementedError(
            "writing a sequelize-cli migration is not done yet (issue 13, item 5)"
        )

    def write(self, migration: Migration, folder: str, now: datetime) -> list[GeneratedFile]:
        raise NotImplementedError(
            "writing a sequelize-cli migration is not done yet (issue 13, item 5)"
        )


TOOL = Sequelize()

"""golang-migrate: `<version>_<name>.up.sql` with its `<version>_<name>.down.sql`.

Versions are numbers and run in numeric order; a down file pairs with the up file of the same
version.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence

from schemasense.server.findings import Finding
from schemasense.server.migrations.model import MigrationFile, Tool
from schemasense.server.migrations.tools.base import SqlFileTool, TextOf, sql_names

_FILE = re.compile(r"^(?P<version>[0-9]+)_(?P<desc>.*)\.(?P<dir>up|down)\.sql$")


class GolangMigrate(SqlFileTool):
    name: Tool = "golang-migrate"
    detect_rank = 20

    def holds(self, folder: str, entries: Sequence[os.DirEntry[str]]) -> bool:
        return any(e.is_file() and e.name.endswith(".sql") and _FILE.match(e.name) for e in entries)

    def find(self, folder: str, text_of: TextOf, found: list[Finding]) -> list[MigrationFile]:
        ups: dict[int, str] = {}
        downs: dict[int, str] = {}
        for name in sql_names(folder):
            match = _FILE.match(name)
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

    def sort_key(self, file: MigrationFile) -> tuple:
        return (int(file.version or 0),)


TOOL = GolangMigrate()

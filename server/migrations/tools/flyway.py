"""Flyway: `V<version>__<description>.sql`, and repeatables `R__<description>.sql`.

Versions are compared part by part (`.` or `_` between parts, each part as a number, trailing
zero parts ignored: `1.1` < `1.10` and `1.0` = `1`); repeatables run after every versioned one,
by description. `U` (undo) files are not applied going up.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence

from schemasense.server.findings import Finding
from schemasense.server.migrations.model import MigrationFile, Tool
from schemasense.server.migrations.tools.base import SqlFileTool, TextOf, sql_names

_FILE = re.compile(r"^(?P<prefix>[VR])(?P<version>[0-9][0-9._]*)?__(?P<desc>.*)\.sql$", re.I)


def version_key(version: str) -> tuple[int, ...]:
    """Flyway's order: parts split on `.` or `_`, compared as numbers, trailing zeros ignored."""
    parts = [int(p) for p in re.split(r"[._]", version) if p.isdigit()]
    while parts and parts[-1] == 0:
        parts.pop()
    return tuple(parts)


class Flyway(SqlFileTool):
    name: Tool = "flyway"
    detect_rank = 30

    def holds(self, folder: str, entries: Sequence[os.DirEntry[str]]) -> bool:
        return any(
            e.is_file() and e.name.endswith(".sql") and _FILE.match(e.name) and e.name[0] in "Vv"
            for e in entries
        )

    def find(self, folder: str, text_of: TextOf, found: list[Finding]) -> list[MigrationFile]:
        versioned: list[tuple[tuple[int, ...], str, str]] = []
        repeatable: list[tuple[str, str]] = []
        for name in sql_names(folder):
            match = _FILE.match(name)
            if not match:
                continue
            if match.group("prefix") in "Rr" and not match.group("version"):
                repeatable.append((match.group("desc"), name))
            elif match.group("prefix") in "Vv" and match.group("version"):
                version = match.group("version").replace("_", ".")
                versioned.append((version_key(version), version, name))
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

    def sort_key(self, file: MigrationFile) -> tuple:
        """Versioned migrations by version, repeatables after them."""
        if file.version is None:
            return (1, (), os.path.basename(file.path))
        return (0, version_key(file.version), "")


TOOL = Flyway()

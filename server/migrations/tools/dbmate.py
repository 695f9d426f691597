"""dbmate: `<version>_<name>.sql` holding `-- migrate:up` and `-- migrate:down` sections.

Files run in the lexical order of their names (dbmate's own order). The up text is the `up`
section, read where it starts in the file, so every span points into the whole file; a file
without markers is not run (a DB053 warning). A migration written after another one holds its
up section (`transaction:false` when it must run outside a transaction) and an empty down.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence

from schemasense.server.findings import Finding
from schemasense.server.migrations import problems
from schemasense.server.migrations.model import MigrationFile, Tool
from schemasense.server.migrations.tools.base import (
    ReadFile,
    SqlFileTool,
    TextOf,
    read_disk,
    sql_names,
)

_FILE = re.compile(r"^(?P<version>[0-9]+)_?.*\.sql$")
_MARK = re.compile(r"^--[ \t]*migrate:(?P<dir>up|down)\b[^\n]*$", re.M)


def split(text: str) -> tuple[str, int, str | None] | None:
    """A dbmate file's up text, where it starts, and its down text; None without markers."""
    marks = list(_MARK.finditer(text))
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


class Dbmate(SqlFileTool):
    name: Tool = "dbmate"
    detect_rank = 40

    def holds(self, folder: str, entries: Sequence[os.DirEntry[str]]) -> bool:
        for e in entries:
            if e.is_file() and e.name.endswith(".sql") and _FILE.match(e.name):
                text = read_disk(os.path.join(folder, e.name)) or ""
                if _MARK.search(text):
                    return True
        return False

    def read(self, path: str, text: str) -> ReadFile | None:
        sections = split(text)
        if sections is None:
            return None
        up, offset, down = sections
        return ReadFile(up, offset, down)

    def up_file_text(self, sql: str, transactional: bool = True) -> str:
        from schemasense.codegen.emit.migrations.files import render

        return render("dbmate/migration.sql.j2", up=sql, down="", transaction=transactional)

    def find(self, folder: str, text_of: TextOf, found: list[Finding]) -> list[MigrationFile]:
        files = []
        for name in sorted(sql_names(folder)):
            match = _FILE.match(name)
            if not match:
                continue
            path = os.path.join(folder, name)
            text = text_of(path)
            if text is None:
                continue
            read = self.read(path, text)
            if read is None:
                found.append(problems.dbmate_without_sections(path))
                continue
            files.append(
                MigrationFile(
                    path=path,
                    name=name.removesuffix(".sql"),
                    version=match.group("version"),
                    up_text=read.up_text,
                    down_text=read.down_text,
                    up_span_offset=read.up_offset,
                )
            )
        return files


TOOL = Dbmate()

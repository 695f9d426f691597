"""TypeORM: migration classes in `.ts` / `.js` files, each with `up(queryRunner)` and `down`.

A folder holds TypeORM migrations when one of its script files declares a class with an
`up(queryRunner...)` method (most say `implements MigrationInterface`). Every exported migration
class of every file is one migration (`MigrationFile`: `up_text` is the whole file, `pieces` what
`up` does), ordered as TypeORM's `MigrationExecutor` orders them (`typeorm/reader.py`). The Table
API's operations depend on the dialect and on how the project's TypeORM version hashes names,
taken from the nearest `package.json` that depends on `typeorm`.

Writing TypeORM migrations (`file_name`, `write`, `up_file_text`) is not done yet: they raise
`NotImplementedError` saying so, and `after` gives None (no multi-step fix places a class).
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING

from schemasense.codegen.orms.typeorm.naming import NamingStrategy, Version
from schemasense.server.findings import Finding
from schemasense.server.migrations import problems
from schemasense.server.migrations.model import MigrationFile, Piece, SqlDialect, SqlPiece, Tool
from schemasense.server.migrations.replay import parse_file
from schemasense.server.migrations.tools.base import ReadFile, SqlFileTool, TextOf, read_disk

if TYPE_CHECKING:
    from schemasense.codegen.emit.migration import Migration
    from schemasense.codegen.emit.migrations.files import GeneratedFile

SUFFIXES = (".ts", ".js", ".mts", ".cts", ".mjs", ".cjs")
"""The files TypeORM's loader imports from a migrations glob (`.d.ts` excepted)."""

_UP = re.compile(r"\bup\s*\(\s*[A-Za-z_$][\w$]*\s*(?::\s*QueryRunner\b|[,)])")
_NOT_WRITTEN = "writing TypeORM migrations is not supported yet (issue 12, item 5)"


def _scripts(folder: str) -> list[str]:
    try:
        names = [e.name for e in os.scandir(folder) if e.is_file()]
    except OSError:
        return []
    return sorted(n for n in names if n.endswith(SUFFIXES) and not n.endswith(".d.ts"))


def typeorm_version(folder: str, text_of: TextOf = read_disk) -> Version:
    """How the project's TypeORM hashes names: "0.3" for a 0.x dependency in the nearest
    `package.json` (from `folder` up) that names `typeorm`, else "1"."""
    current = os.path.abspath(folder)
    while True:
        path = os.path.join(current, "package.json")
        text = text_of(path) if os.path.isfile(path) else None
        if text:
            try:
                data = json.loads(text)
            except ValueError:
                data = {}
            for key in ("dependencies", "devDependencies", "peerDependencies"):
                deps = data.get(key) if isinstance(data, dict) else None
                spec = deps.get("typeorm") if isinstance(deps, dict) else None
                if isinstance(spec, str):
                    digits = re.search(r"\d+", spec)
                    return "0.3" if digits is None or digits.group(0) == "0" else "1"
        parent = os.path.dirname(current)
        if parent == current:
            return "1"
        current = parent


def _hole_findings(path: str, text: str, pieces: Sequence[Piece], dialect: str) -> list[Finding]:
    """A warning on each unknown `${...}` inside a statement that changes the schema (in a
    data statement, `UPDATE ... WHERE id = '${row.id}'`, it changes nothing the replay builds)."""
    out: list[Finding] = []
    for piece in pieces:
        if not isinstance(piece, SqlPiece) or not piece.holes:
            continue
        for parsed in parse_file(dialect, piece.text):
            if parsed.opaque or parsed.error is not None:
                continue
            for start, end in piece.holes:
                if start < parsed.span[1] and end > parsed.span[0]:
                    a, b = piece.file_offset(start), piece.file_offset(end)
                    out.append(
                        problems.problem(
                            problems.UNPARSED,
                            f"`{text[a:b]}` is computed when the migration runs: the replay "
                            f"reads it as `{piece.text[start:end]}`.",
                            path,
                            (a, b),
                            "warning",
                            help="Name the object with a literal (or a `const` of this file) "
                            "so the replay builds it as the database will.",
                        )
                    )
    return out


class Typeorm(SqlFileTool):
    name: Tool = "typeorm"
    detect_rank = 60

    def holds(self, folder: str, entries: Sequence[os.DirEntry[str]]) -> bool:
        for e in entries:
            if e.is_file() and e.name.endswith(SUFFIXES) and not e.name.endswith(".d.ts"):
                text = read_disk(e.path) or ""
                if "MigrationInterface" in text or _UP.search(text):
                    return True
        return False

    def find(self, folder: str, text_of: TextOf, found: list[Finding]) -> list[MigrationFile]:
        return self.find_in(folder, text_of, found, "postgresql")

    def find_in(
        self, folder: str, text_of: TextOf, found: list[Finding], dialect: SqlDialect
    ) -> list[MigrationFile]:
        # the TypeScript reader is imported here, not with the module: every project's
        # migration discovery imports the tools, and only a TypeORM project reads a class
        from schemasense.server.migrations.typeorm.reader import Imports, read_file, read_method

        naming = NamingStrategy(typeorm_version(folder, text_of))
        imports = Imports(text_of)
        loaded: list[tuple[int, MigrationFile]] = []
        names: dict[str, str] = {}
        for file_name in _scripts(folder):
            path = os.path.join(folder, file_name)
            text = text_of(path)
            if text is None:
                continue
            module, classes = read_file(path, text, imports)
            for migration in classes:
                span = (migration.decl.name_start, migration.decl.name_end)
                if migration.timestamp is None:
                    found.append(
                        problems.problem(
                            problems.DISCOVERY,
                            f"TypeORM refuses the migration name {migration.name!r}: it must end "
                            "with a JavaScript timestamp; the class was not replayed.",
                            path,
                            span,
                            "warning",
                        )
                    )
                    continue
                if migration.name in names:
                    found.append(
                        problems.problem(
                            problems.DISCOVERY,
                            f"Duplicate migration name {migration.name!r} (also in "
                            f"{os.path.basename(names[migration.name])}): TypeORM refuses to run.",
                            path,
                            span,
                            "warning",
                        )
                    )
                names.setdefault(migration.name, path)
                up = read_method(module, migration, migration.up, dialect, naming)
                found.extend(_hole_findings(path, text, up.pieces, dialect))
                loaded.append(
                    (
                        migration.timestamp,
                        MigrationFile(
                            path=path,
                            name=migration.name,
                            version=str(migration.timestamp),
                            up_text=text,
                            pieces=up.pieces,
                        ),
                    )
                )
        loaded.sort(key=lambda pair: pair[0])  # stable: equal timestamps keep the load order
        return [file for _, file in loaded]

    def read(self, path: str, text: str) -> ReadFile | None:
        return ReadFile(text)

    def sort_key(self, file: MigrationFile) -> tuple:
        return (int(file.version or 0),)

    def file_name(self, version: str, name: str) -> str:
        raise NotImplementedError(_NOT_WRITTEN)

    def after(
        self, file: MigrationFile, following: MigrationFile | None, name: str, seconds: int = 1
    ) -> str | None:
        return None

    def up_file_text(self, sql: str, transactional: bool = True) -> str:
        raise NotImplementedError(_NOT_WRITTEN)

    def write(self, migration: Migration, folder: str, now: datetime) -> list[GeneratedFile]:
        raise NotImplementedError(_NOT_WRITTEN)


TOOL = Typeorm()

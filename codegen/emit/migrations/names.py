"""What each migration tool names a migration's files: the one place for these patterns.

The writers beside this module (`prisma`, `plain_sql`, `typeorm`, `sequelize`) put their files
where `file_names` says, and the server's migration tools (`server/migrations/tools/`) name a
new migration the same way, so a file written here is one the tool's reader finds, in the
order it runs. Only the standard library: the language server imports this on every check,
and the templates' jinja2 is not needed to name a file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass(frozen=True, slots=True)
class FileNames:
    """Where one migration's files go, relative to the migrations folder (POSIX): `up`, and
    `down` (None where the up file holds both directions: dbmate, TypeORM, Sequelize)."""

    up: str
    down: str | None


_PATTERNS: dict[str, tuple[str, str | None]] = {
    "prisma": ("{version}_{name}/migration.sql", "{version}_{name}/down.sql"),
    "flyway": ("V{version}__{name}.sql", "U{version}__{name}.sql"),
    "golang-migrate": ("{version}_{name}.up.sql", "{version}_{name}.down.sql"),
    "dbmate": ("{version}_{name}.sql", None),
    "plain": ("{version}_{name}.sql", "{version}_{name}.down.sql"),
    "typeorm": ("{version}-{name}.ts", None),
    "sequelize": ("{version}-{name}.js", None),
}


def file_names(tool: str, version: str, name: str) -> FileNames:
    """The files of migration `name` (already in the tool's spelling: `slug`, `pascal`) at
    `version` (a `timestamp`, or `millis` for TypeORM) for `tool`."""
    up, down = _PATTERNS[tool]
    return FileNames(
        up=up.format(version=version, name=name),
        down=down.format(version=version, name=name) if down is not None else None,
    )


MAX_NAME = 200
"""Characters a migration's name keeps (ASCII once spelled): with the longest version prefix and
suffix the file name stays under the 255 bytes file systems allow."""


def slug(name: str, sep: str = "_") -> str:
    """`Add avatar!` -> `add_avatar` (Prisma's folder names: lower case, one separator)."""
    text = re.sub(r"[^0-9A-Za-z]+", sep, name.strip()).strip(sep).lower()
    return text[:MAX_NAME].rstrip(sep) or "migration"


def pascal(name: str) -> str:
    """`add avatar` -> `AddAvatar` (a TypeORM class name)."""
    words = re.findall(r"[0-9A-Za-z]+", name)
    out = "".join(w[:1].upper() + w[1:] for w in words)[:MAX_NAME] or "Migration"
    return out if not out[0].isdigit() else f"M{out}"


def timestamp(now: datetime, step: int = 0) -> str:
    """`20240131120000`: UTC to the second (Prisma, Sequelize, golang-migrate, dbmate, Flyway),
    `step` seconds later for the later migrations of a safe split."""
    return (now + timedelta(seconds=step)).strftime("%Y%m%d%H%M%S")


def millis(now: datetime, step: int = 0) -> int:
    """Milliseconds since the epoch (TypeORM's migration timestamps)."""
    return int((now + timedelta(seconds=step)).timestamp() * 1000)

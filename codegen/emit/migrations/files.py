"""Migration files in a project's own format: what they share.

`migration_files(migration, tool, folder, now=...)` gives the files one migration
(`codegen.migration.Migration`) becomes for a migration tool (`prisma`, `typeorm`,
`sequelize`, `flyway`, `golang-migrate`, `dbmate`, `plain`), as `GeneratedFile`s (a path
relative to the project and the text). Nothing here writes to disk: the CLI writes them all
or none, the editor gets a WorkspaceEdit.

Each format is one module beside this one (`prisma`, `typeorm`, `sequelize`, `plain_sql`) that
registers itself in `FORMATS` under its tool's name; its text comes from a jinja2 template in
`codegen/templates/<tool>/`, its file names from `names.py`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from schemasense.codegen.emit.migration import Migration, MigrationStep
from schemasense.codegen.emit.style import CodeStyle

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"


@dataclass(frozen=True, slots=True)
class GeneratedFile:
    """A file to create: `path` (POSIX, relative to the project root) and its `text`."""

    path: str
    text: str


@dataclass(frozen=True, slots=True)
class FileConventions:
    """How a project writes its migration files, for the formats that are code: its code
    style and the files' extension (`js`, `cjs`, `ts`)."""

    style: CodeStyle
    extension: str


Format = Callable[..., list[GeneratedFile]]
"""`(migration, folder, now)`, and `conventions` for a format that takes them."""
FORMATS: dict[str, Format] = {}


def register(*tools: str) -> Callable[[Format], Format]:
    def wrap(fn: Format) -> Format:
        for tool in tools:
            FORMATS[tool] = fn
        return fn

    return wrap


_ENV: Environment | None = None


def render(template: str, **values: object) -> str:
    """`codegen/templates/<template>` filled with `values`."""
    global _ENV
    if _ENV is None:
        _ENV = Environment(
            loader=FileSystemLoader(str(TEMPLATES)),
            autoescape=False,
            keep_trailing_newline=True,
            trim_blocks=True,
            lstrip_blocks=True,
            undefined=StrictUndefined,
        )
    return _ENV.get_template(template).render(**values)


def migration_files(
    migration: Migration,
    tool: str,
    folder: str,
    now: datetime | None = None,
    conventions: FileConventions | None = None,
) -> list[GeneratedFile]:
    """The files `migration` is for `tool`, under `folder` (the project's migrations folder,
    relative to its root), dated `now` (UTC; the current time by default), in the project's
    `conventions` where the format is code and they are known."""
    from . import plain_sql, prisma, sequelize, typeorm  # noqa: F401 - they register formats

    fn = FORMATS.get(tool)
    if fn is None:
        raise ValueError(f"no migration format for {tool!r} (known: {', '.join(sorted(FORMATS))})")
    when = (now or datetime.now(UTC)).astimezone(UTC)
    if conventions is not None and tool == "sequelize":
        return fn(migration, folder, when, conventions)
    return fn(migration, folder, when)


# -- shared by the writers ---------------------------------------------------------------------


def join(folder: str, *parts: str) -> str:
    return str(PurePosixPath(folder, *parts)) if folder else str(PurePosixPath(*parts))


def step_name(migration: Migration, step: MigrationStep) -> str:
    return f"{migration.name}_{step.suffix}" if step.suffix else migration.name


def statements(script, transactional: bool = True) -> list[str]:
    """A script's statements for a runner that wraps them in its own transaction (the
    engine's `BEGIN` / `COMMIT` around an enum change are left out there)."""
    out = [s for s in script.statements]
    if transactional:
        out = [s for s in out if s.strip().upper() not in ("BEGIN", "COMMIT")]
    return out


def comment_lines(step: MigrationStep, script, *, down: bool = False) -> list[str]:
    lines = []
    if step.note and not down:
        lines.append(step.note)
    for w in script.warnings:
        lines.append(("Going down: " if down else "Warning: ") + w)
    for u in script.unsupported:
        lines.append(f"Unsupported: {u}")
    return lines


def down_of(migration: Migration, index: int):
    """The down script of step `index`: the whole migration's down goes with its last step
    (undone first); the others say so."""
    if index == len(migration.steps) - 1:
        return migration.down
    return None

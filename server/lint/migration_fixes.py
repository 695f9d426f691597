"""Edits for migration fixes: change a statement, remove it, and add a migration after it.

The multi-step fixes need a later migration (a step that must run outside the current
transaction, or after the current one is deployed). For Prisma that is a new folder
`<timestamp + 1 s>_<name>/migration.sql` next to the current one, which Prisma applies right
after it, each file in its own transaction; a file holding a single statement is sent alone,
so PostgreSQL runs it outside any transaction block (what `CREATE INDEX CONCURRENTLY`
needs). Other runners get no multi-step fix: where their files go is their own convention.
"""

from __future__ import annotations

import os
import re
from datetime import datetime, timedelta

from schemasense.codegen.schema import Span
from schemasense.server.findings import TextEdit
from schemasense.server.lint.context import MigrationFileContext
from schemasense.server.lint.walk import MigrationState
from schemasense.server.migrations.model import StatementRecord

_PRISMA_FOLDER = re.compile(r"^(\d{14})_(.*)$")


def quote(name: str) -> str:
    """A PostgreSQL identifier, quoted as Prisma quotes them."""
    return '"' + name.replace('"', '""') + '"'


def qualified(name: tuple[str | None, str]) -> str:
    schema, table = name
    return f"{quote(schema)}.{quote(table)}" if schema else quote(table)


def replace_statement(stmt: StatementRecord, new_text: str) -> TextEdit:
    """Replace the statement's text (its `;` stays)."""
    return TextEdit(stmt.span, new_text)


def append_to_statement(stmt: StatementRecord, text: str) -> TextEdit:
    """Insert `text` at the end of the statement, before its `;`."""
    at = stmt.span.end
    return TextEdit(Span(file=stmt.file, start=at, end=at), text)


def remove_statement(stmt: StatementRecord, file: MigrationFileContext) -> TextEdit:
    """Delete the statement, its `;`, the rest of its line, and the `-- Comment` line Prisma
    writes right above it."""
    text = file.text
    start, end = stmt.span.start, stmt.span.end
    rest = re.match(r"[ \t]*;?[ \t]*(?:--[^\n]*)?\n?", text[end:])
    end += rest.end() if rest else 0
    line_start = text.rfind("\n", 0, start) + 1
    if not text[line_start:start].strip():
        start = line_start
        prev_end = start - 1
        prev_start = text.rfind("\n", 0, max(prev_end, 0)) + 1
        if prev_end > 0 and text[prev_start:prev_end].lstrip().startswith("--"):
            start = prev_start
    # keep at most one blank line where the statement was, none at the top of the file
    while text[end : end + 1] == "\n" and (start == 0 or text[max(start - 2, 0) : start] == "\n\n"):
        end += 1
    return TextEdit(Span(file=stmt.file, start=start, end=end), "")


def remove_step(stmt: StatementRecord, state: MigrationState) -> tuple[TextEdit, ...] | None:
    """Delete the step `stmt` whatever the file is written in: a SQL file's statement text
    (`remove_statement`), or a migration in code's whole call with the step of `down` that
    undoes it (`migrations.code_steps`: renames today; None where it cannot be done)."""
    from schemasense.server.migrations import code_steps

    if state.migration.tool in code_steps.CODE_TOOLS:
        return code_steps.remove_step(
            state.migration.tool, state.dialect, state.file.path, state.file.text, stmt
        )
    return (remove_statement(stmt, state.file),)


def later_migration(state: MigrationState, name: str, seconds: int = 1) -> str | None:
    """The path of a new Prisma migration that runs right after the current file (None for
    other runners, or when no such name fits before the next existing migration)."""
    if not state.is_prisma:
        return None
    folder = os.path.dirname(state.file.path)
    m = _PRISMA_FOLDER.match(os.path.basename(folder))
    if m is None:
        return None
    digits = m.group(1)
    try:  # datetime(...) rather than strptime, which is slow and imports a module
        stamp = datetime(
            int(digits[:4]), int(digits[4:6]), int(digits[6:8]),
            int(digits[8:10]), int(digits[10:12]), int(digits[12:14]),
        ) + timedelta(seconds=seconds)  # fmt: skip
    except ValueError:
        return None
    slug = re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")[:60] or "step"
    new_folder = f"{stamp:%Y%m%d%H%M%S}_{slug}"
    following = state.next_file
    if following is not None and new_folder >= os.path.basename(os.path.dirname(following.path)):
        return None
    return os.path.join(os.path.dirname(folder), new_folder, "migration.sql")


def new_file(path: str, content: str) -> TextEdit:
    """An edit that creates `path` with `content` (a file no one has read: the code action
    turns it into a CreateFile)."""
    return TextEdit(Span(file=path, start=0, end=0), content)

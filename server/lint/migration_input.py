"""Migration sets -> what the migration rules see (`context.MigrationContext`).

The migration reader finds the sets (`discover_migrations` / `read_set`) and replays them;
this module pairs each replayed statement with the reader's parse of it (its operations), so
rules work on dialect-neutral operations and never parse SQL again. One `Replayer` is kept per
workspace, so a keystroke in one migration file re-parses that file only.

Which files are checked ("undeployed"): with `--since REF`, the files added since REF; in the
editor, the open migration files; otherwise every file. Files before them are replayed (they
build the schema the checked ones run against) but not reported on.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Collection, Sequence

from schemasense.server.lint.context import (
    MigrationContext,
    MigrationFileContext,
    Statement,
)
from schemasense.server.migrations import MigrationSet, Replayer, read_set, replay
from schemasense.server.project.config import Config

TextOf = Callable[[str], "str | None"]


def sets_for_schema(
    schema_files: Sequence[str], text_of: TextOf | None = None, dialect_hint: str | None = None
) -> list[MigrationSet]:
    """The migration folders of a Prisma schema: `migrations/` beside the file that holds the
    datasource (Prisma's own place), or beside the schema folder (`prisma/schema/*.prisma`
    with `prisma/migrations/`)."""
    seen: set[str] = set()
    found: list[MigrationSet] = []
    for file in schema_files:
        folder = os.path.dirname(file)
        for candidate in (
            os.path.join(folder, "migrations"),
            os.path.join(os.path.dirname(folder), "migrations"),
        ):
            if candidate in seen or not os.path.isdir(candidate):
                continue
            seen.add(candidate)
            mset = read_set(candidate, dialect_hint=dialect_hint, text_of=text_of)
            if mset is not None and mset.files:
                found.append(mset)
    return found


def build_contexts(
    sets: Sequence[MigrationSet],
    config: Config,
    *,
    replayer: Replayer | None = None,
    checked: Collection[str] | None = None,
) -> list[MigrationContext]:
    """Replay each set and describe every statement; `checked` limits the files the rules
    report on (None: all of them)."""
    replayer = replayer or Replayer()
    contexts: list[MigrationContext] = []
    for mset in sets:
        result = replay(mset, replayer)
        files: list[MigrationFileContext] = []
        for file_replay in result.files:
            mfile = file_replay.file
            parsed = replayer.parsed(mset.dialect, mfile.up_text)
            records = file_replay.statements
            statements: list[Statement] = []
            full_text = _full_text(mfile)
            for index, (record, p) in enumerate(zip(records, parsed, strict=False)):
                statements.append(
                    Statement(
                        file=mfile.path,
                        span=record.span,
                        text=full_text[record.span.start : record.span.end],
                        kind=record.kind,
                        ops=p.ops,
                        action=record.action,
                        touches=record.touches,
                        error=p.error,
                        index=index,
                        up_offset=mfile.up_span_offset,
                    )
                )
            files.append(
                MigrationFileContext(
                    path=mfile.path,
                    name=mfile.name,
                    text=full_text,
                    statements=statements,
                    undeployed=checked is None or mfile.path in checked,
                )
            )
        contexts.append(
            MigrationContext(
                root=mset.root,
                tool=mset.tool,
                dialect=mset.dialect,
                transaction=config.transaction_for(mset.tool, mset.dialect),
                files=files,
                migrated=result.schema,
                replay=result,
                batched=checked is not None,
            )
        )
    return contexts


def _full_text(mfile) -> str:
    """The file's text as spans count it: the up text at its offset (dbmate files hold both
    directions; the rest of the file is not needed by the rules, so it is blanked)."""
    if mfile.up_span_offset == 0:
        return mfile.up_text
    return " " * mfile.up_span_offset + mfile.up_text

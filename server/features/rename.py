"""textDocument/prepareRename and textDocument/rename: `server/language/rename.py`'s edits as a
WorkspaceEdit. A rename that cannot be done (a taken name, a join table whose columns would
swap) is refused with a message saying why.

The second choice is a code action (`refactor.rewrite`) on a field with `@map("old")` or a
model with `@@map("Old")`, as a rename leaves them: "Rename the database column of `User.name`
too": one WorkspaceEdit that drops the map and creates the migration renaming the column or
table (the generator's rename, taken as certain). It is offered only where the migrations build
what the schema declares now, so the migration holds the rename and nothing else.
"""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime
from typing import Any

from lsprotocol import types
from schemasense.server.language import rename as language
from schemasense.server.sources.prisma import read_prisma_schema
from schemasense.server.workflows.generate_migration import GenerateError, Prepared, prepare

from . import generate_migration
from .edits import workspace_edit as versioned_edit
from .lookup import Lookup, lookup
from .session import Session

KIND = types.CodeActionKind.RefactorRewrite


def prepare_rename(
    session: Session, params: types.PrepareRenameParams
) -> types.PrepareRenamePlaceholder | None:
    found = lookup(session, params.text_document.uri)
    if found is None:
        return None
    target = language.prepare(found.index, found.path, found.offset(params.position))
    if target is None:
        return None
    return types.PrepareRenamePlaceholder(
        range=found.range(target.file, target.start, target.end), placeholder=target.name
    )


def rename(session: Session, params: types.RenameParams) -> types.WorkspaceEdit | None:
    found = lookup(session, params.text_document.uri)
    if found is None:
        return None
    offset = found.offset(params.position)
    try:
        edits = language.rename(found.index, found.path, offset, params.new_name)
    except language.RenameError as error:
        session.show_message(f"schemasense: {error}", types.MessageType.Warning)
        return None
    changes: dict[str, list[types.TextEdit]] = {}
    for edit in edits:
        changes.setdefault(session.uri_of(edit.file), []).append(
            types.TextEdit(
                range=found.range(edit.file, edit.start, edit.end), new_text=edit.new_text
            )
        )
    return versioned_edit(session, changes)


def database_rename_actions(
    session: Session, params: types.CodeActionParams
) -> list[types.CodeAction]:
    """ "Rename the database column (or table) too", on a mapped field or model."""
    only = params.context.only
    if only and not any(str(KIND).startswith(str(k)) for k in only):
        return []
    found = lookup(session, params.text_document.uri)
    if found is None:
        return []
    target = language.database_rename(found.index, found.path, found.offset(params.range.start))
    if target is None:
        return []
    prepared = _migration(session, found, target)
    if prepared is None:
        return []
    by_file: dict[str, list[types.TextEdit]] = {}
    for edit in target.edits:
        by_file.setdefault(edit.file, []).append(
            types.TextEdit(
                range=found.range(edit.file, edit.start, edit.end), new_text=edit.new_text
            )
        )
    changes: list[Any] = [
        types.TextDocumentEdit(
            text_document=types.OptionalVersionedTextDocumentIdentifier(
                uri=session.uri_of(file), version=session.workspace.version(file)
            ),
            edits=edits,  # type: ignore[arg-type]
        )
        for file, edits in by_file.items()
    ]
    changes += generate_migration.workspace_edit(session, prepared).document_changes or []
    return [
        types.CodeAction(
            title=target.title, kind=KIND, edit=types.WorkspaceEdit(document_changes=changes)
        )
    ]


def _migration(session: Session, found: Lookup, target: language.DatabaseRename) -> Prepared | None:
    """The migration that renames the column or table, from the schema with the map dropped;
    None when the migrations drift from the schema already (the migration would hold more) or
    the generator does not see the rename."""
    workspace = session.workspace
    unit = workspace.unit_for(found.path)
    current = generate_migration._prepared(session, unit, None)
    if current is None or not current.is_empty or not current.project.has_migrations:
        return None
    analysis = workspace.analyze(unit)
    caches = workspace.caches
    key = (unit.key, analysis.digest, analysis.replays, target)
    found_, hit = caches.recall(caches.database_renames, key)
    if found_:
        return hit
    proj = current.project
    texts = {path: proj.texts.get(path, "") for path in unit.files}
    for edit in sorted(target.edits, key=lambda e: e.start, reverse=True):
        text = texts.get(edit.file, "")
        texts[edit.file] = text[: edit.start] + edit.new_text + text[edit.end :]
    prepared: Prepared | None = None
    read = read_prisma_schema(texts)
    if not any(f.severity == "error" for f in read.findings):
        try:
            prepared = prepare(
                dataclasses.replace(proj, declared=read.schema, texts={**proj.texts, **texts}),
                f"rename_{target.old}_to_{target.new}",
                renames=True,
                now=datetime.now(UTC),
            )
        except GenerateError:
            prepared = None
    if prepared is not None and not any(
        c.kind == target.kind and c.old == target.old and c.new == target.new
        for c in prepared.renames
    ):
        prepared = None
    return caches.remember(caches.database_renames, key, prepared)

"""textDocument/prepareRename and textDocument/rename: `server/language/rename.py`'s edits as a
WorkspaceEdit. A rename that cannot be done (a taken name, a join table whose columns would
swap) is refused with a message saying why."""

from __future__ import annotations

from lsprotocol import types
from schemasense.server.language import rename as language

from .lookup import lookup
from .session import Session


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
    return types.WorkspaceEdit(changes=changes)

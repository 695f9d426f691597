"""Document sync: didOpen / didChange / didSave / didClose -> the workspace, then a check.

The workspace applies incremental changes itself (`positions.apply_edit`), in the position
encoding agreed at `initialize`, with LSP's own idea of a line; pygls keeps its own copy too,
which nothing here reads.
"""

from __future__ import annotations

from lsprotocol import types
from schemasense.server.workspace.workspace import TextChange

from .session import Session


def did_open(session: Session, params: types.DidOpenTextDocumentParams) -> None:
    doc = params.text_document
    path = session.path_of(doc.uri)
    session.workspace.open(path, doc.text, doc.version, doc.language_id)
    if not session.watching:
        # Without a file watcher, a new file on disk is only noticed when something opens.
        session.workspace.files_changed()
    session.schedule([path])


def did_change(session: Session, params: types.DidChangeTextDocumentParams) -> None:
    path = session.path_of(params.text_document.uri)
    changes = [_change(c) for c in params.content_changes]
    session.workspace.change(path, params.text_document.version, changes)
    session.schedule([path])


def did_save(session: Session, params: types.DidSaveTextDocumentParams) -> None:
    path = session.path_of(params.text_document.uri)
    if params.text is not None and (doc := session.workspace.document(path)) is not None:
        doc.text = params.text
    # A first save creates the file; without a watcher nobody else tells us.
    session.workspace.files_changed([path], structure=not session.watching)
    session.schedule([path])


def did_close(session: Session, params: types.DidCloseTextDocumentParams) -> None:
    path = session.path_of(params.text_document.uri)
    session.workspace.close(path)
    session.schedule([path])


def _change(change: types.TextDocumentContentChangeEvent) -> TextChange:
    if isinstance(change, types.TextDocumentContentChangePartial):
        start, end = change.range.start, change.range.end
        return TextChange(change.text, (start.line, start.character), (end.line, end.character))
    return TextChange(change.text)

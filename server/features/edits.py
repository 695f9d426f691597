"""Workspace edits that name the version of every open document they change.

A fix computed on version 7 of a document must not be applied to version 9: LSP lets a
`TextDocumentEdit` carry the version it was made for, and the client refuses the edit when the
document has moved on (VS Code says "the file has changed"). So every edit to an open document
says its version; an edit to a file that is not open says `null` (the file on disk), and a
new file is created first. A client that cannot take `documentChanges` (it says so at
`initialize`) gets the plain `changes` map, the one form it understands.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from lsprotocol import types

from .session import Session


def workspace_edit(
    session: Session,
    by_uri: Mapping[str, Sequence[types.TextEdit]],
    created: Iterable[str] = (),
) -> types.WorkspaceEdit:
    """`by_uri`'s text edits as a versioned workspace edit; `created`: URIs to create first
    (kept if they exist, as a fix's new migration file may have been made already)."""
    created = list(dict.fromkeys(created))
    if not session.capability("workspace.workspace_edit.document_changes", False) and not created:
        return types.WorkspaceEdit(changes={uri: list(edits) for uri, edits in by_uri.items()})
    changes: list[Any] = [
        types.CreateFile(uri=uri, options=types.CreateFileOptions(ignore_if_exists=True))
        for uri in created
    ]
    for uri, edits in by_uri.items():
        version = session.workspace.version(session.path_of(uri))
        changes.append(
            types.TextDocumentEdit(
                text_document=types.OptionalVersionedTextDocumentIdentifier(
                    uri=uri, version=version
                ),
                edits=list(edits),  # type: ignore[arg-type]
            )
        )
    return types.WorkspaceEdit(document_changes=changes)

"""textDocument/hover: `server/language/hover.py`'s Markdown at the LSP position."""

from __future__ import annotations

from lsprotocol import types
from schemasense.server.language import hover as language

from .lookup import lookup
from .session import Session


def hover(session: Session, params: types.HoverParams) -> types.Hover | None:
    found = lookup(session, params.text_document.uri)
    if found is None:
        return None
    offset = found.offset(params.position)
    findings = found.analysis.by_file.get(found.path, ())
    answer = language.hover(found.index, found.path, offset, findings)
    if answer is None:
        return None
    return types.Hover(
        contents=types.MarkupContent(kind=types.MarkupKind.Markdown, value=answer.markdown),
        range=found.range(answer.file, answer.start, answer.end),
    )

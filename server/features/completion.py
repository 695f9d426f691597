"""textDocument/completion: `server/language/completion.py`'s items as LSP completion items,
each with a text edit over the word being typed (snippets where the client takes them)."""

from __future__ import annotations

from lsprotocol import types
from schemasense.server.language import completion as language
from schemasense.server.positions import LineMap
from schemasense.server.sources.base import NavigableSource

from . import names
from .diagnostics import to_range
from .lookup import source_lookup, typing_lookup
from .navigation import navigable_units
from .session import Session

TRIGGER_CHARACTERS = names.TRIGGER_CHARACTERS

KINDS = {
    "scalar": types.CompletionItemKind.TypeParameter,
    "model": types.CompletionItemKind.Class,
    "enum": types.CompletionItemKind.Enum,
    "composite": types.CompletionItemKind.Struct,
    "native": types.CompletionItemKind.TypeParameter,
    "attribute": types.CompletionItemKind.Property,
    "argument": types.CompletionItemKind.Property,
    "action": types.CompletionItemKind.EnumMember,
    "field": types.CompletionItemKind.Field,
    "value": types.CompletionItemKind.Value,
    "function": types.CompletionItemKind.Function,
    "keyword": types.CompletionItemKind.Keyword,
    "property": types.CompletionItemKind.Property,
}

_RETRIGGER = types.Command(title="", command="editor.action.triggerSuggest")


def completion(session: Session, params: types.CompletionParams) -> types.CompletionList | None:
    found = typing_lookup(session, params.text_document.uri)
    encoding = session.workspace.position_encoding
    if found is None:
        return _source_completion(session, params)
    offset = found.lines.offset(params.position.line, params.position.character, encoding)
    answer = language.complete(found.index, found.path, offset, found.text)
    return _items(session, answer, found.lines)


def _source_completion(
    session: Session, params: types.CompletionParams
) -> types.CompletionList | None:
    """Completion in a TypeORM entity / Sequelize model file (`NavigableSource.complete`), on
    the document's text as typed now."""
    found = source_lookup(session, params.text_document.uri)
    if found is not None and isinstance(found.source, NavigableSource):
        read, source, path = found.analysis.read, found.source, found.path
    else:  # a migration file of a TypeORM / Sequelize unit: the same options and types
        path = session.path_of(params.text_document.uri)
        unit = next(
            ((a, s) for a, s in navigable_units(session) if path in a.migration_files), None
        )
        if unit is None:
            return None
        read, source = unit[0].read, unit[1]
    text = session.workspace.text(path)
    if text is None:
        return None
    lines = found.lines if found is not None and found.lines.text is text else LineMap(text)
    encoding = session.workspace.position_encoding
    offset = lines.offset(params.position.line, params.position.character, encoding)
    answer = source.complete(read, path, text, offset)
    return _items(session, answer, lines)


def _items(
    session: Session, answer: language.Completions, lines: LineMap
) -> types.CompletionList | None:
    encoding = session.workspace.position_encoding
    if not answer.items:
        return None
    snippets = bool(
        session.capability("text_document.completion.completion_item.snippet_support", False)
    )
    edit_range = to_range(lines, answer.start, answer.end, encoding)
    items = []
    for i, item in enumerate(answer.items):
        text = item.insert or item.label
        is_snippet = snippets and item.insert is not None and "$" in text
        if not is_snippet:
            text = language.plain_text(text)
        items.append(
            types.CompletionItem(
                label=item.label,
                kind=KINDS[item.kind],
                detail=item.detail or None,
                documentation=item.documentation,
                sort_text=f"{i:04d}",
                filter_text=item.label,
                text_edit=types.TextEdit(range=edit_range, new_text=text),
                insert_text_format=(
                    types.InsertTextFormat.Snippet
                    if is_snippet
                    else types.InsertTextFormat.PlainText
                ),
                command=_RETRIGGER if item.retrigger else None,
            )
        )
    return types.CompletionList(is_incomplete=False, items=items)

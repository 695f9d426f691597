"""The editor features in LSP's shapes, called without a server: positions in the agreed
encoding, snippets only for clients that take them, refusals as messages, and the guard."""

from __future__ import annotations

from pathlib import Path

from lsprotocol import types
from schemasense.server.features import completion, hover, navigation, rename
from schemasense.server.features.session import Session
from schemasense.server.workspace.workspace import TextChange

TEXT = (
    'datasource db {\n  provider = "postgresql"\n}\n\n'
    "// 😀 users\nmodel User {\n  id    Int    @id\n  posts Post[] // 😀\n}\n\n"
    "model Post {\n  id       Int  @id\n  authorId Int\n"
    "  author   User @relation(fields: [authorId], references: [id])\n\n"
    "  @@index([authorId])\n}\n"
)


def _session(tmp_path: Path, capabilities=None, encoding="utf-16"):
    shown: list[types.ShowMessageParams] = []
    session = Session(
        publish=lambda params: None, show=shown.append, client_capabilities=lambda: capabilities
    )
    session.workspace.position_encoding = encoding
    path = tmp_path / "schema.prisma"
    path.write_text(TEXT, encoding="utf-8")
    session.workspace.add_root(str(tmp_path))
    session.workspace.open(str(path), TEXT, 1, "prisma")
    return session, path.as_uri(), shown


def _pos(line: int, character: int) -> types.Position:
    return types.Position(line=line, character=character)


def test_hover_range_in_utf16_and_utf8(tmp_path: Path):
    # line 7 is `  posts Post[] // 😀`; `Post` starts at character 8 in any encoding
    session, uri, _ = _session(tmp_path)
    answer = hover.hover(session, types.HoverParams(types.TextDocumentIdentifier(uri), _pos(7, 9)))
    assert answer.range == types.Range(start=_pos(7, 8), end=_pos(7, 12))
    assert answer.contents.value.startswith("**model** `Post`")
    session, uri, _ = _session(tmp_path, encoding="utf-8")
    assert hover.hover(session, types.HoverParams(types.TextDocumentIdentifier(uri), _pos(7, 9)))


def test_definition_and_symbols_convert_offsets(tmp_path: Path):
    session, uri, _ = _session(tmp_path)
    [target] = navigation.definition(
        session, types.DefinitionParams(types.TextDocumentIdentifier(uri), _pos(7, 9))
    )
    assert target.range == types.Range(start=_pos(10, 6), end=_pos(10, 10))
    symbols = navigation.document_symbols(
        session, types.DocumentSymbolParams(types.TextDocumentIdentifier(uri))
    )
    assert [s.name for s in symbols] == ["db", "User", "Post"]
    assert symbols[1].range.start == _pos(5, 0)


def test_completion_snippets_follow_the_client(tmp_path: Path):
    params = types.CompletionParams(
        text_document=types.TextDocumentIdentifier(uri=""), position=_pos(15, 4)
    )
    snippets = types.ClientCapabilities(
        text_document=types.TextDocumentClientCapabilities(
            completion=types.CompletionClientCapabilities(
                completion_item=types.ClientCompletionItemOptions(snippet_support=True)
            )
        )
    )
    for caps, expected, fmt in (
        (snippets, "@@index([$1])", types.InsertTextFormat.Snippet),
        (None, "@@index([])", types.InsertTextFormat.PlainText),
    ):
        session, uri, _ = _session(tmp_path, caps)
        session.workspace.change(
            str(tmp_path / "schema.prisma"), 2, [TextChange("@@", (15, 2), (15, 21))]
        )
        params.text_document.uri = uri
        items = completion.completion(session, params).items
        index = next(i for i in items if i.label == "@@index")
        assert (index.text_edit.new_text, index.insert_text_format) == (expected, fmt)


def test_a_refused_rename_is_a_message(tmp_path: Path):
    session, uri, shown = _session(tmp_path)
    params = types.RenameParams(types.TextDocumentIdentifier(uri), _pos(12, 3), "id")
    assert rename.rename(session, params) is None
    assert "already has a field `id`" in shown[0].message


def test_every_feature_degrades_and_reports_once_when_the_analysis_fails(tmp_path: Path):
    session, uri, shown = _session(tmp_path)

    def panic(unit):
        raise RuntimeError("artificial panic")

    session.workspace.analyze = panic  # type: ignore[method-assign]
    doc = types.TextDocumentIdentifier(uri)
    calls = [
        (hover.hover, types.HoverParams(doc, _pos(7, 9))),
        (navigation.definition, types.DefinitionParams(doc, _pos(7, 9))),
        (
            navigation.references,
            types.ReferenceParams(
                text_document=doc,
                position=_pos(7, 9),
                context=types.ReferenceContext(include_declaration=True),
            ),
        ),
        (navigation.document_symbols, types.DocumentSymbolParams(doc)),
        (navigation.code_lens, types.CodeLensParams(doc)),
        (completion.completion, types.CompletionParams(doc, _pos(7, 9))),
        (rename.prepare_rename, types.PrepareRenameParams(doc, _pos(7, 9))),
        (rename.rename, types.RenameParams(doc, _pos(7, 9), "X")),
    ]
    for feature, params in calls:
        assert session.guard(feature.__name__)(feature)(session, params) is None
    assert (
        session.guard("workspace/symbol", default=[])(navigation.workspace_symbols)(
            session, types.WorkspaceSymbolParams(query="")
        )
        == []
    )
    # one message per distinct error (same exception from the same line)
    assert len(shown) == 1 and "artificial panic" in shown[0].message

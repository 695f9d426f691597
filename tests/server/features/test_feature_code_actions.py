"""Code actions without a server: the fix from Diagnostic.data, ignore on the line / in the
file, and fix-all; each applied and the resulting text checked."""

from __future__ import annotations

from pathlib import Path

from lsprotocol import types
from schemasense.server.features import code_actions
from schemasense.server.features.session import Session
from schemasense.server.positions import LineMap

SCHEMA = """datasource db {
  provider = "postgresql"
}

model Author {
  id    Int    @id
  posts Post[]
}

model Post {
  id       Int  @id
  authorId Int
  author   Author @relation(fields: [authorId], references: [id])
}
"""


def _session(tmp_path: Path, text: str = SCHEMA) -> tuple[Session, Path, list]:
    path = tmp_path / "schema.prisma"
    path.write_text(text)
    sent: list[types.PublishDiagnosticsParams] = []
    session = Session(publish=sent.append, show=lambda p: None)
    session.workspace.open(str(path), text, 1, "prisma")
    session.check_now()
    return session, path, sent


def _apply(text: str, edits: list[types.TextEdit]) -> str:
    lines = LineMap(text)
    spans = []
    for e in edits:
        start = lines.offset(e.range.start.line, e.range.start.character, "utf-16")
        end = lines.offset(e.range.end.line, e.range.end.character, "utf-16")
        spans.append((start, end, e.new_text))
    for start, end, new in sorted(spans, reverse=True):
        text = text[:start] + new + text[end:]
    return text


def _actions(session: Session, path: Path, diagnostics, only=None):
    params = types.CodeActionParams(
        text_document=types.TextDocumentIdentifier(uri=path.as_uri()),
        range=types.Range(
            start=types.Position(line=0, character=0), end=types.Position(line=0, character=0)
        ),
        context=types.CodeActionContext(diagnostics=diagnostics, only=only),
    )
    return code_actions.code_actions(session, params) or []


def test_diagnostic_links_its_docs_and_carries_its_fix(tmp_path):
    *_, sent = _session(tmp_path)
    (diagnostic,) = sent[-1].diagnostics
    assert diagnostic.code == "DB101"
    assert diagnostic.code_description is not None
    assert diagnostic.code_description.href.endswith("/docs/rules/foreign-key-without-index.md")
    fix = diagnostic.data["fix"]
    assert fix["title"] == "Add @@index([authorId])" and fix["applicability"] == "safe"


def test_docs_url_from_the_config(tmp_path):
    (tmp_path / "schemasense.toml").write_text('docs-url = "https://example.com/rules"\n')
    _s, _p, sent = _session(tmp_path)
    (diagnostic,) = sent[-1].diagnostics
    assert (
        diagnostic.code_description.href == "https://example.com/rules/foreign-key-without-index.md"
    )


def test_fix_and_ignores(tmp_path):
    session, path, sent = _session(tmp_path)
    diagnostics = sent[-1].diagnostics
    actions = _actions(session, path, diagnostics)
    assert [a.title for a in actions] == [
        "Add @@index([authorId]) (DB101)",
        "Ignore DB101 on this line",
        "Ignore DB101 in this file",
    ]
    fix, line, whole = actions
    assert fix.is_preferred and fix.kind == types.CodeActionKind.QuickFix
    fixed = _apply(SCHEMA, fix.edit.changes[path.as_uri()])
    assert fixed.endswith("references: [id])\n\n  @@index([authorId])\n}\n")
    ignored = _apply(SCHEMA, line.edit.changes[path.as_uri()])
    assert "references: [id]) // schemasense-ignore DB101\n" in ignored
    assert _apply(SCHEMA, whole.edit.changes[path.as_uri()]).startswith(
        "// schemasense-ignore-file DB101\ndatasource db {"
    )
    # each result checks clean
    for text in (fixed, ignored, _apply(SCHEMA, whole.edit.changes[path.as_uri()])):
        session.workspace.change(str(path), 2, [_whole(text)])
        session.check_now()
        assert sent[-1].diagnostics == []


def test_ignore_on_a_line_that_already_has_one_adds_the_code(tmp_path):
    text = SCHEMA.replace(
        "references: [id])\n}", "references: [id]) // schemasense-ignore DB102 why\n}"
    )
    session, path, sent = _session(tmp_path, text)
    ours = [d for d in sent[-1].diagnostics if d.code == "DB101"]
    actions = _actions(session, path, ours)
    line = next(a for a in actions if a.title == "Ignore DB101 on this line")
    assert "// schemasense-ignore DB102, DB101 why\n" in _apply(
        text, line.edit.changes[path.as_uri()]
    )


def test_fix_all(tmp_path):
    session, path, _sent = _session(tmp_path)
    (action,) = _actions(session, path, [], only=[code_actions.FIX_ALL_KIND])
    assert action.kind == code_actions.FIX_ALL_KIND
    assert "@@index([authorId])" in _apply(SCHEMA, action.edit.changes[path.as_uri()])


def test_other_sources_and_read_errors_get_nothing(tmp_path):
    session, path, _sent = _session(tmp_path)
    foreign = types.Diagnostic(
        range=types.Range(
            start=types.Position(line=0, character=0), end=types.Position(line=0, character=1)
        ),
        message="x",
        source="prisma",
        code="P1012",
    )
    read_error = types.Diagnostic(
        range=foreign.range,
        message="x",
        source="schemasense",
        code="DB002",
        severity=types.DiagnosticSeverity.Error,
    )
    assert _actions(session, path, [foreign, read_error]) == []


def _whole(text: str):
    from schemasense.server.workspace.workspace import TextChange

    return TextChange(text)


def test_every_edit_names_the_version_it_was_made_for(tmp_path):
    """A client that takes `documentChanges` gets each fix as an edit of the open document's
    version (here 7), so it refuses the fix once the document has moved on."""
    path = tmp_path / "schema.prisma"
    path.write_text(SCHEMA)
    sent: list[types.PublishDiagnosticsParams] = []
    capabilities = types.ClientCapabilities(
        workspace=types.WorkspaceClientCapabilities(
            workspace_edit=types.WorkspaceEditClientCapabilities(document_changes=True)
        )
    )
    session = Session(
        publish=sent.append, show=lambda p: None, client_capabilities=lambda: capabilities
    )
    session.workspace.open(str(path), SCHEMA, 7, "prisma")
    session.check_now()
    actions = _actions(session, path, sent[-1].diagnostics)
    assert len(actions) == 3
    for action in actions:
        assert action.edit.changes is None
        (change,) = action.edit.document_changes
        assert isinstance(change, types.TextDocumentEdit)
        assert (change.text_document.uri, change.text_document.version) == (path.as_uri(), 7)
    fixed = _apply(SCHEMA, actions[0].edit.document_changes[0].edits)
    assert "@@index([authorId])" in fixed

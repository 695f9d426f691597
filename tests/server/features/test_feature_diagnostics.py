"""Findings -> diagnostics, and what the publisher sends to which file, without a server."""

from __future__ import annotations

from lsprotocol import types
from schemasense.codegen.schema import Span
from schemasense.server.features.diagnostics import DiagnosticsPublisher, to_diagnostic
from schemasense.server.findings import Finding
from schemasense.server.positions import LineMap
from schemasense.server.workspace.workspace import TextChange, Workspace

MAIN = 'datasource db {\n  provider = "postgresql"\n}\n'
USER = "model User {\n  id    Int    @id\n  posts Post[]\n}\n"
POST = (
    "model Post {\n  id     Int  @id\n  userId Int\n"
    "  user   User @relation(fields: [userId], references: [id])\n\n  @@index([userId])\n}\n"
)


def test_utf16_range_code_source_severity_and_help():
    text = "// 😀 note\nmodel A {\n  b Strin // 😀\n}\n"
    start = text.index("Strin")
    finding = Finding(
        "DB002", "warning", "unknown", Span(file="f", start=start, end=start + 5), help="fix it"
    )
    diagnostic = to_diagnostic(finding, LineMap(text))
    assert diagnostic.range == types.Range(
        start=types.Position(line=2, character=4), end=types.Position(line=2, character=9)
    )
    assert (diagnostic.code, diagnostic.source) == ("DB002", "schemasense")
    assert diagnostic.severity == types.DiagnosticSeverity.Warning
    assert diagnostic.message == "unknown\nhelp: fix it"
    # After the emoji on line 0, UTF-16 counts two units for one character.
    after = Finding("DB001", "error", "x", Span(file="f", start=5, end=9))
    assert to_diagnostic(after, LineMap(text)).range.start.character == 6


def _folder(tmp_path):
    folder = tmp_path / "schema"
    folder.mkdir()
    for name, text in (("main", MAIN), ("user", USER), ("post", POST)):
        (folder / f"{name}.prisma").write_text(text)
    return str(folder / "user.prisma"), str(folder / "post.prisma")


def _publisher():
    sent: list[types.PublishDiagnosticsParams] = []
    workspace = Workspace()
    return workspace, DiagnosticsPublisher(workspace, sent.append), sent


def _by_path(sent):
    return {p.uri.rsplit("/", 1)[-1]: (p.version, len(p.diagnostics)) for p in sent}


def test_open_files_always_get_diagnostics_closed_files_only_when_they_have_some(tmp_path):
    _user, post = _folder(tmp_path)
    workspace, publisher, sent = _publisher()
    workspace.open(post, POST, 1)
    publisher.refresh([post])
    assert _by_path(sent) == {"post.prisma": (1, 0)}

    sent.clear()
    workspace.change(post, 2, [TextChange("Article", (0, 6), (0, 10))])
    publisher.refresh([post])
    # user.prisma is not open but now has a problem (`Post[]` names nothing).
    assert _by_path(sent) == {"post.prisma": (2, 0), "user.prisma": (None, 1)}

    sent.clear()
    workspace.change(post, 3, [TextChange("Post", (0, 6), (0, 13))])
    publisher.refresh([post])
    assert _by_path(sent) == {"post.prisma": (3, 0), "user.prisma": (None, 0)}

    sent.clear()
    publisher.refresh([])  # nothing changed: nothing sent
    assert sent == []


def test_closing_the_last_open_file_clears_the_unit(tmp_path):
    _user, post = _folder(tmp_path)
    workspace, publisher, sent = _publisher()
    workspace.open(post, POST.replace("User @", "Usr @"), 1)
    publisher.refresh([post])
    assert _by_path(sent) == {"post.prisma": (1, 1)}
    sent.clear()
    workspace.close(post)
    publisher.refresh([post])
    assert _by_path(sent) == {"post.prisma": (None, 0)}


def test_disabled_publisher_clears_everything(tmp_path):
    _user, post = _folder(tmp_path)
    workspace, publisher, sent = _publisher()
    workspace.open(post, POST.replace("User @", "Usr @"), 1)
    publisher.refresh([post])
    sent.clear()
    publisher.enabled = False
    publisher.refresh()
    assert _by_path(sent) == {"post.prisma": (None, 0)}


SHIFTED = (
    'datasource db {\n  provider = "postgresql"\n}\n\n'
    "model Author {\n  id    Int    @id\n  books Book[]\n  name  String\n}\n\n"
    "model Book {\n  id       Int    @id\n  authorId Int\n  title    String\n  shelves  Shelf[]\n"
    "  author   Author @relation(fields: [authorId], references: [id])\n}\n\n"
    "model Shelf {\n  id     Int   @id\n  bookId Int\n  label  Float\n"
    "  book   Book  @relation(fields: [bookId], references: [id])\n}\n"
)


def test_diagnostics_after_edits_equal_a_fresh_publishers(tmp_path):
    """The publisher reuses a diagnostic for a finding that moved without changing line or
    column (an edit earlier on its line's left, or on a line above that adds no line): after
    each edit, what it sends equals what a publisher that never saw the earlier texts sends."""
    path = str(tmp_path / "schema.prisma")
    (tmp_path / "schema.prisma").write_text(SHIFTED)
    workspace, publisher, sent = _publisher()
    workspace.open(path, SHIFTED, 1)
    publisher.refresh([path])
    assert sent[-1].diagnostics, "the schema must have findings for this test to mean anything"
    line = SHIFTED.split("\n").index("model Author {")
    edits = [
        TextChange(" ", (line, 14), (line, 14)),  # a space after `{`: later offsets move
        TextChange("", (line, 14), (line, 15)),
        TextChange("\n", (line + 1, 0), (line + 1, 0)),  # a new line: later lines move
        TextChange("  age Int\n", (line + 2, 0), (line + 2, 0)),
        TextChange("Strin", (line + 4, 8), (line + 4, 14)),  # an error
        TextChange("String", (line + 4, 8), (line + 4, 13)),
        TextChange("", (line + 1, 0), (line + 3, 0)),
    ]
    for version, edit in enumerate(edits, 2):
        workspace.change(path, version, [edit])
        publisher.refresh([path])
        fresh_workspace, fresh, fresh_sent = _publisher()
        fresh_workspace.open(path, workspace.text(path), version)
        fresh.refresh([path])
        ours = [p for p in sent if p.uri.endswith("schema.prisma")][-1]
        theirs = [p for p in fresh_sent if p.uri.endswith("schema.prisma")][-1]
        assert ours.version == theirs.version == version
        assert ours.diagnostics == theirs.diagnostics, edit


def test_a_diagnostic_sent_again_is_the_same_json(tmp_path):
    """The server's converter keeps the JSON form of each diagnostic object it sent
    (`DiagnosticForms`): a notification with kept and new diagnostics is the JSON the plain
    converter writes, and a diagnostic sent again is not converted again."""
    import json

    from pygls.protocol import default_converter
    from schemasense.server.features.protocol import DiagnosticForms

    path = str(tmp_path / "schema.prisma")
    workspace, publisher, sent = _publisher()
    workspace.open(path, SHIFTED, 1)
    publisher.refresh([path])
    line = SHIFTED.split("\n").index("model Shelf {")
    workspace.change(path, 2, [TextChange("\n", (line, 0), (line, 0))])
    publisher.refresh([path])
    first, second = sent[-2].diagnostics, sent[-1].diagnostics
    assert first and any(d is e for d, e in zip(first, second, strict=False))
    assert any(d is not e for d, e in zip(first, second, strict=False))

    plain = default_converter()
    kept = default_converter()
    forms = DiagnosticForms()
    kept.register_unstructure_hook(types.Diagnostic, forms.form)
    made = []
    convert = forms._plain
    forms._plain = lambda d: made.append(d) or convert(d)  # type: ignore[method-assign]
    for params in sent[-2:]:
        message = types.PublishDiagnosticsNotification(params=params)
        assert json.dumps(kept.unstructure(message)) == json.dumps(plain.unstructure(message))
    assert len(made) == len({id(d) for d in (*first, *second)}) < len(first) + len(second)

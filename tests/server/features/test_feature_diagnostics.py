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

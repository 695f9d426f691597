"""textDocument/codeAction: each diagnostic's fix, and "ignore on this line / in this file".

The fix is not recomputed: the diagnostics feature stored it in `Diagnostic.data` with its
edits already in LSP ranges against the text that was checked (ruff_server and squawk_server
do the same), so this is a lookup. Ignoring is always offered for a schemasense diagnostic
that comes from a rule:
- on this line: `// schemasense-ignore DB101` (`--` in SQL) at the end of the diagnostic's
  first line, or the code added to an ignore comment already there;
- in this file: `// schemasense-ignore-file DB101` as the file's first line.

Edits are WorkspaceEdits; nothing is written to disk (the editor applies and can undo them).
A fix that creates a file (a new migration) uses `documentChanges` with a CreateFile.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from typing import Any

from lsprotocol import types
from schemasense.server.positions import LineMap

from . import names
from .diagnostics import SOURCE
from .edits import workspace_edit as versioned_edit
from .session import Session

_LOG = logging.getLogger(__name__)

FIX_KIND = types.CodeActionKind.QuickFix
FIX_ALL_KIND = names.FIX_ALL_KIND

Provider = Callable[[Session, types.CodeActionParams], "list[types.CodeAction] | None"]
PROVIDERS: list[Provider] = []
"""Other features' code actions (the migration generator's "Generate migration…"), asked
after the fixes; `app.py` registers them."""

_IGNORE_LINE = re.compile(r"(//|--)[ \t]*schemasense-ignore(?!-file)\b(?P<codes>[ \t]+[^\r\n]*)?")


def code_actions(session: Session, params: types.CodeActionParams) -> list[types.CodeAction] | None:
    uri = params.text_document.uri
    path = session.path_of(uri)
    text = session.workspace.text(path)
    if text is None:
        return None
    only = params.context.only
    actions: list[types.CodeAction] = []
    want_quickfix = not only or any(str(k).startswith("quickfix") for k in only)
    want_fix_all = bool(only) and any(
        FIX_ALL_KIND.startswith(str(k)) or str(k).startswith(FIX_ALL_KIND) for k in only
    )
    ours = [d for d in params.context.diagnostics if d.source == SOURCE and d.code]
    if want_quickfix:
        for diagnostic in ours:
            fix = _fix_action(diagnostic, session)
            if fix is not None:
                actions.append(fix)
        comment = _comment_lead(path, session)
        lines = LineMap(text)
        for diagnostic in ours:
            if not _ignorable(str(diagnostic.code), diagnostic.severity):
                continue
            actions.append(_ignore_line(diagnostic, uri, text, lines, comment, session))
            actions.append(_ignore_file(diagnostic, uri, text, comment, session))
    if want_fix_all:
        fix_all = _fix_all(uri, path, session)
        if fix_all is not None:
            actions.append(fix_all)
    for provider in PROVIDERS:
        try:
            actions.extend(provider(session, params) or ())
        except Exception:  # one provider's bug must not take the others' actions away
            _LOG.exception("code action provider %s failed", getattr(provider, "__name__", ""))
    return actions or None


def _ignorable(code: str, severity: types.DiagnosticSeverity | None) -> bool:
    """Read errors (DB0xx that Prisma itself refuses) cannot be ignored; rules can."""
    if code in ("DB090", "DB091"):
        return False
    return not (code.startswith("DB0") and severity == types.DiagnosticSeverity.Error)


def _comment_lead(path: str, session: Session) -> str:
    doc = session.workspace.document(path)
    language = doc.language_id if doc is not None else None
    return "--" if path.endswith(".sql") or language == "sql" else "//"


def _fix_action(diagnostic: types.Diagnostic, session: Session) -> types.CodeAction | None:
    data = diagnostic.data
    fix = data.get("fix") if isinstance(data, dict) else None
    if not isinstance(fix, dict) or not fix.get("edits"):
        return None
    edit = _workspace_edit(fix["edits"], session)
    title = f"{fix['title']} ({diagnostic.code})"
    if fix.get("applicability") == "unsafe":
        title += " (unsafe)"
    return types.CodeAction(
        title=title,
        kind=FIX_KIND,
        diagnostics=[diagnostic],
        edit=edit,
        is_preferred=fix.get("applicability") == "safe",
    )


def _workspace_edit(edits: list[dict[str, Any]], session: Session) -> types.WorkspaceEdit:
    created = [e for e in edits if e.get("create")]
    by_uri: dict[str, list[types.TextEdit]] = {}
    for e in edits:
        r = e["range"]
        by_uri.setdefault(e["uri"], []).append(
            types.TextEdit(
                range=types.Range(
                    start=types.Position(**r["start"]), end=types.Position(**r["end"])
                ),
                new_text=e["newText"],
            )
        )
    return versioned_edit(session, by_uri, created=[e["uri"] for e in created])


def _ignore_line(
    diagnostic: types.Diagnostic,
    uri: str,
    text: str,
    lines: LineMap,
    lead: str,
    session: Session,
) -> types.CodeAction:
    code = str(diagnostic.code)
    line = diagnostic.range.start.line
    encoding = session.workspace.position_encoding
    start = lines.offset(line, 0, encoding)
    end = text.find("\n", start)
    end = len(text) if end == -1 else end
    if end > start and text[end - 1] == "\r":
        end -= 1
    line_text = text[start:end]
    existing = _IGNORE_LINE.search(line_text)
    if existing is not None:
        codes_text = existing.group("codes") or ""
        run = _codes_length(codes_text)
        if codes_text[:run].strip(" \t,"):  # codes already there: add this one after them
            insert_at = start + existing.start("codes") + run
            new_text = f", {code}"
        else:  # a blanket ignore already covers the line; name the code anyway
            insert_at = start + (existing.start("codes") if codes_text else existing.end())
            new_text = f" {code}"
    else:
        insert_at = end
        new_text = f" {lead} schemasense-ignore {code}"
    position = _position(lines, text, insert_at, encoding)
    return types.CodeAction(
        title=f"Ignore {code} on this line",
        kind=FIX_KIND,
        diagnostics=[diagnostic],
        edit=versioned_edit(
            session,
            {
                uri: [
                    types.TextEdit(
                        range=types.Range(start=position, end=position), new_text=new_text
                    )
                ]
            },
        ),
    )


def _codes_length(codes: str) -> int:
    """Length of the leading run of codes (and separators) in the text after the directive."""
    m = re.match(r"(?:[ \t,]*(?:DB\d{1,3}|[a-z][a-z0-9]*(?:-[a-z0-9]+)+))*", codes, re.I)
    return m.end() if m else 0


def _ignore_file(
    diagnostic: types.Diagnostic, uri: str, text: str, lead: str, session: Session
) -> types.CodeAction:
    code = str(diagnostic.code)
    origin = types.Position(line=0, character=0)
    return types.CodeAction(
        title=f"Ignore {code} in this file",
        kind=FIX_KIND,
        diagnostics=[diagnostic],
        edit=versioned_edit(
            session,
            {
                uri: [
                    types.TextEdit(
                        range=types.Range(start=origin, end=origin),
                        new_text=f"{lead} schemasense-ignore-file {code}\n",
                    )
                ]
            },
        ),
    )


def _position(lines: LineMap, text: str, offset: int, encoding) -> types.Position:
    line, character = lines.position(offset, encoding)
    return types.Position(line=line, character=character)


def _fix_all(uri: str, path: str, session: Session) -> types.CodeAction | None:
    """Every safe fix of the document's current findings that does not overlap another."""
    from schemasense.server.features.diagnostics import fix_data

    workspace = session.workspace
    analysis = workspace.analyze(workspace.unit_for(path))
    text = analysis.texts.get(path)
    if text is None:
        return None
    lines = LineMap(text)
    chosen = []
    taken: list[tuple[int, int]] = []
    for finding in analysis.by_file.get(path, ()):
        fix = finding.fix
        if fix is None or fix.applicability != "safe":
            continue
        if any(e.span.file != path for e in fix.edits):
            continue
        spans = [(e.span.start, e.span.end) for e in fix.edits]
        if any((s < te and ts < e) or s == ts for s, e in spans for ts, te in taken):
            continue
        taken.extend(spans)
        chosen.append(finding)
    if not chosen:
        return None
    edits = []
    for finding in chosen:
        data = fix_data(finding, lines, {}, workspace.position_encoding, session.uri_of)
        edits.extend(data["fix"]["edits"] if data else [])
    return types.CodeAction(
        title="schemasense: apply every safe fix",
        kind=FIX_ALL_KIND,
        edit=_workspace_edit(edits, session),
    )

"""Findings -> `textDocument/publishDiagnostics`, for every file of every open schema unit
(and of the migration sets linked to it).

What is published, and when:
- a unit is checked when one of its files changes (in the editor or on disk) and while at least
  one of its files is open; each of its open documents then gets its diagnostics, with the
  version of the text that was read;
- a file of that unit that is not open gets its problems too (version None), so a mistake in
  `user.prisma` caused by an edit to `post.prisma` shows up, and an empty list once it is
  fixed;
- a file that leaves every checked unit (closed with no other file of its schema open,
  deleted, or moved to another schema) gets an empty list, once.
Diagnostics of files nobody touched are sent again only when they changed.

Ranges are LSP positions in the agreed position encoding (UTF-16 unless the client chose
otherwise), computed against the exact text that was read.
"""

from __future__ import annotations

import gc
import logging
from collections.abc import Callable, Iterable, Mapping, Sequence

from lsprotocol import types
from schemasense.server.findings import Finding
from schemasense.server.positions import Encoding, LineMap
from schemasense.server.workspace.workspace import CODE_SUFFIXES, Analysis, Workspace

from .uris import path_to_uri

_CODE_UNITS = frozenset({"typeorm", "sequelize"})
"""The unit kinds whose schema files are code that may make queries too."""

logger = logging.getLogger("schemasense.server")

SOURCE = "schemasense"

SEVERITY = {
    "error": types.DiagnosticSeverity.Error,
    "warning": types.DiagnosticSeverity.Warning,
    "info": types.DiagnosticSeverity.Information,
}


def to_range(lines: LineMap, start: int, end: int, encoding: Encoding) -> types.Range:
    (sl, sc) = lines.position(start, encoding)
    (el, ec) = lines.position(max(start, end), encoding)
    return types.Range(
        start=types.Position(line=sl, character=sc), end=types.Position(line=el, character=ec)
    )


def to_diagnostic(
    finding: Finding,
    lines: LineMap,
    encoding: Encoding = "utf-16",
    related_lines: Mapping[str, LineMap] | None = None,
    docs_base: str | None = None,
    uri_of: Callable[[str], str] = path_to_uri,
) -> types.Diagnostic:
    """One finding as an LSP diagnostic; `lines` is the text its span points into.

    A rule's diagnostic links its docs page (`codeDescription.href`, under `docs_base` or the
    default), and carries its fix in `data` with the edits already in LSP ranges (computed
    against the same text), so `textDocument/codeAction` is a lookup (ruff_server's way):

        {"fix": {"title": ..., "applicability": "safe", "edits": [{"uri", "range", "newText"}]}}
    """
    related = None
    if finding.related and related_lines:
        related = [
            types.DiagnosticRelatedInformation(
                location=types.Location(
                    uri=path_to_uri(span.file),
                    range=to_range(related_lines[span.file], span.start, span.end, encoding),
                ),
                message="see here",
            )
            for span in finding.related
            if span.file in related_lines
        ] or None
    href = rule_docs_url(finding.code, docs_base)
    return types.Diagnostic(
        range=to_range(lines, finding.span.start, finding.span.end, encoding),
        message=finding.message + (f"\nhelp: {finding.help}" if finding.help else ""),
        severity=SEVERITY.get(finding.severity, types.DiagnosticSeverity.Error),
        code=finding.code,
        code_description=types.CodeDescription(href=href) if href else None,
        source=SOURCE,
        related_information=related,
        data=fix_data(finding, lines, related_lines or {}, encoding, uri_of),
    )


def _where(
    finding: Finding, lines: LineMap, related: Mapping[str, LineMap], encoding: Encoding
) -> tuple:
    """The positions of every span a finding's diagnostic shows: equal positions and the same
    finding object give the same diagnostic."""
    spans = [finding.span, *finding.related]
    if finding.fix is not None:
        spans.extend(e.span for e in finding.fix.edits)
    out = []
    for span in spans:
        file_lines = lines if span.file == finding.span.file else related.get(span.file)
        if file_lines is None:
            out.append(None)
        else:
            out.append(
                (file_lines.position(span.start, encoding), file_lines.position(span.end, encoding))
            )
    return tuple(out)


def _same(old: Finding, new: Finding) -> bool:
    """Whether `new` makes the diagnostic `old` made, given equal code, message and positions
    of every span (`_where`): everything else `to_diagnostic` reads is equal too (the files
    the spans point into, severity, help, the fix's title, applicability and texts)."""
    if old.severity != new.severity or old.help != new.help or old.span.file != new.span.file:
        return False
    if [s.file for s in old.related] != [s.file for s in new.related]:
        return False
    if old.fix is None or new.fix is None:
        return old.fix is new.fix
    return (
        old.fix.title == new.fix.title
        and old.fix.applicability == new.fix.applicability
        and [(e.span.file, e.new_text) for e in old.fix.edits]
        == [(e.span.file, e.new_text) for e in new.fix.edits]
    )


def rule_docs_url(code: str, docs_base: str | None) -> str | None:
    from schemasense.server.lint.docs import doc_url
    from schemasense.server.lint.registry import get_rule

    rule = get_rule(code)
    return doc_url(rule, docs_base) if rule is not None else None


def fix_data(
    finding: Finding,
    lines: LineMap,
    other_lines: Mapping[str, LineMap],
    encoding: Encoding,
    uri_of: Callable[[str], str],
) -> dict | None:
    """The fix as `Diagnostic.data`: edits in LSP ranges; an edit in a file that is not read
    (a new migration) is marked `create`."""
    fix = finding.fix
    if fix is None:
        return None
    edits = []
    for edit in fix.edits:
        file = edit.span.file
        file_lines = lines if file == finding.span.file else other_lines.get(file)
        if file_lines is None:
            edits.append(
                {
                    "uri": uri_of(file),
                    "range": _zero_range(),
                    "newText": edit.new_text,
                    "create": True,
                }
            )
            continue
        r = to_range(file_lines, edit.span.start, edit.span.end, encoding)
        edits.append(
            {
                "uri": uri_of(file),
                "range": {
                    "start": {"line": r.start.line, "character": r.start.character},
                    "end": {"line": r.end.line, "character": r.end.character},
                },
                "newText": edit.new_text,
            }
        )
    return {"fix": {"title": fix.title, "applicability": fix.applicability, "edits": edits}}


def _zero_range() -> dict:
    return {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}}


class DiagnosticsPublisher:
    """Checks the open units and sends what changed; remembers what each file last got."""

    def __init__(
        self,
        workspace: Workspace,
        send: Callable[[types.PublishDiagnosticsParams], None],
        uri_of: Callable[[str], str] = path_to_uri,
    ) -> None:
        self.workspace = workspace
        self._send = send
        self._uri_of = uri_of
        self.enabled = True
        self._published: dict[str, list[types.Diagnostic]] = {}
        self._analyses: dict[str, Analysis] = {}
        self._lines: dict[str, LineMap] = {}
        self._settled: dict[str, tuple[tuple, tuple, list[types.Diagnostic]]] = {}
        """path -> (the line maps and settings its last diagnostics were made with, the
        findings, the diagnostics): the same findings over the same texts are the same
        diagnostics (a keystroke leaves most migration files' findings as they were)."""
        self._queries: dict = {}
        """The query rules' last reading of each open code file (`queries/lint.py`): a
        keystroke in one file re-reads that file only."""
        self._converted: dict[str, dict[tuple, tuple]] = {}
        """path -> (code, message, positions of its spans) of a finding -> (the finding, its
        positions, docs base, diagnostic), used while the finding is the same object or one
        that makes the same diagnostic (`_same`: a finding below a keystroke is a moved copy
        whose offsets changed but whose lines and columns did not): a keystroke converts only
        the findings that are new or whose place on screen changed. The memo of the
        conversion before the last one is looked in too (`_converted_before`): a keystroke that
        makes an error hides the rules' findings, and the next one, which mends it, finds them
        again there instead of converting them all."""
        self._converted_before: dict[str, dict[tuple, tuple]] = {}

    def refresh(self, touched: Iterable[str] = ()) -> None:
        """Check every open unit; publish for the units of `touched` paths and for every
        unit whose findings changed; clear files that left them.

        A unit whose analysis fails does not stop the others; the first error is raised at the
        end, for the guard to report.

        The cyclic collector waits until the diagnostics are made, as it does during an
        analysis (`Workspace.analyze`): converting a keystroke's findings allocates enough to
        start collections that walk every object the workspace keeps (on a schema ten times
        cal.com's, seconds of each keystroke went there).
        """
        collecting = gc.isenabled()
        gc.disable()
        try:
            self._refresh(touched)
        finally:
            if collecting:
                gc.enable()

    def _refresh(self, touched: Iterable[str]) -> None:
        touched = set(touched)
        live: set[str] = set()
        failure: Exception | None = None
        units = self.workspace.open_units() if self.enabled else []
        for unit in units:
            live.update(unit.files)
            try:
                analysis = self.workspace.analyze(unit)
            except Exception as exc:
                failure = failure or exc
                continue
            fresh = self._analyses.get(unit.key) is not analysis
            self._analyses[unit.key] = analysis
            unit_touched = fresh or any(p in touched for p in unit.files)
            for path in unit.files:
                try:  # an open entity / model file's own queries (DB4xx) beside its findings
                    extra = self._unit_file_queries(unit.kind, path)
                except Exception as exc:
                    failure, extra = failure or exc, []
                self._publish_file(analysis, path, force=unit_touched, extra=extra)
            for path in analysis.migration_files:  # drift and migration findings
                live.add(path)
                self._publish_file(analysis, path, force=unit_touched)
        for path in self.workspace.open_paths() if self.enabled else []:
            if path in live or not path.endswith(CODE_SUFFIXES):
                continue
            try:  # the queries of an open code file (DB4xx: `server/queries/lint.py`)
                if self._publish_queries(path, force=path in touched):
                    live.add(path)
            except Exception as exc:
                failure = failure or exc
        for key in [k for k in self._analyses if k not in {u.key for u in units}]:
            del self._analyses[key]
        for path in [p for p in self._published if p not in live]:
            self._publish(path, None, [])
        for path in [p for p in self._lines if p not in live]:
            del self._lines[path]
        for path in [p for p in self._converted if p not in live]:
            del self._converted[path]
            self._converted_before.pop(path, None)
        for path in [p for p in self._settled if p not in live]:
            del self._settled[path]
        for path in [p for p in self._queries if p not in self.workspace.open_paths()]:
            del self._queries[path]
        if failure is not None:
            raise failure

    def _unit_file_queries(self, kind: str, path: str) -> list:
        """The query rules' findings in an open code file that is itself part of a TypeORM or
        Sequelize unit (an entity with an active-record method, a model file that queries):
        its queries are read as any open code file's (`queries/lint.py`)."""
        if kind not in _CODE_UNITS or self.workspace.document(path) is None:
            return []
        if not path.endswith(CODE_SUFFIXES):
            return []
        from schemasense.server.queries.lint import file_query_findings

        findings, _loaded = file_query_findings(self.workspace, path, self._queries)
        return findings

    def _publish_file(
        self, analysis: Analysis, path: str, *, force: bool, extra: Sequence[Finding] = ()
    ) -> None:
        doc = self.workspace.document(path)
        findings = analysis.by_file.get(path, ())
        if extra:
            findings = (*findings, *extra)
        if doc is None and not findings and path not in self._published:
            return
        diagnostics: list[types.Diagnostic] = []
        if findings:
            encoding = self.workspace.position_encoding
            lines = self._line_map(path, analysis.texts.get(path, ""))
            related = {
                span.file: self._line_map(span.file, analysis.texts[span.file])
                for f in findings
                for span in (*f.related, *(e.span for e in (f.fix.edits if f.fix else ())))
                if span.file in analysis.texts
            }
            docs_base = analysis.config.docs_base()
            inputs = (lines, *related.values(), docs_base, encoding)
            held = self._settled.get(path)
            if (
                held is not None
                and len(held[0]) == len(inputs)
                and all(a is b or a == b for a, b in zip(held[0], inputs, strict=True))
                and len(held[1]) == len(findings)
                and all(a is b for a, b in zip(held[1], findings, strict=True))
            ):
                if (doc is not None and force) or self._published.get(path) != held[2]:
                    self._publish(path, doc.version if doc is not None else None, held[2])
                return
            memo = self._converted.setdefault(path, {})
            before = self._converted_before.get(path, {})
            kept: dict[tuple, tuple] = {}
            for f in findings:
                where = _where(f, lines, related, encoding)
                key = (f.code, f.message, where)
                hit = memo.get(key) or before.get(key)
                if hit is not None and hit[2] == docs_base and (hit[0] is f or _same(hit[0], f)):
                    diagnostic = hit[3]
                else:
                    diagnostic = to_diagnostic(f, lines, encoding, related, docs_base, self._uri_of)
                kept[key] = (f, where, docs_base, diagnostic)
                diagnostics.append(diagnostic)
            self._converted[path] = kept
            if len(kept) < len(memo):  # findings went: keep them for a keystroke or two
                self._converted_before[path] = memo
            elif kept.keys() != memo.keys():
                self._converted_before.pop(path, None)
            self._settled[path] = (inputs, tuple(findings), diagnostics)
        if (doc is not None and force) or self._published.get(path) != diagnostics:
            self._publish(path, doc.version if doc is not None else None, diagnostics)

    def _publish_queries(self, path: str, *, force: bool) -> bool:
        """Publish the query rules' findings in the open code file `path`; whether it has
        any (or had: it then gets an empty list once)."""
        from schemasense.server.queries.lint import file_query_findings

        findings, loaded = file_query_findings(self.workspace, path, self._queries)
        if not findings and path not in self._published:
            return False
        doc = self.workspace.document(path)
        lines = self._line_map(path, self.workspace.text(path) or "")
        encoding = self.workspace.position_encoding
        docs_base = loaded.docs_base()
        other = {  # the schema files a fix ("Add @@index") edits
            e.span.file: self._line_map(e.span.file, self.workspace.text(e.span.file) or "")
            for f in findings
            for e in (f.fix.edits if f.fix else ())
            if e.span.file != path
        }
        diagnostics = [
            to_diagnostic(f, lines, encoding, other, docs_base, self._uri_of) for f in findings
        ]
        if force or self._published.get(path) != diagnostics:
            self._publish(path, doc.version if doc is not None else None, diagnostics)
        return bool(findings)

    def _publish(self, path: str, version: int | None, diagnostics: list[types.Diagnostic]) -> None:
        if diagnostics or self.workspace.document(path) is not None:
            self._published[path] = diagnostics
        else:
            self._published.pop(path, None)
        self._send(
            types.PublishDiagnosticsParams(
                uri=self._uri_of(path), diagnostics=diagnostics, version=version
            )
        )

    def _line_map(self, path: str, text: str) -> LineMap:
        lines = self._lines.get(path)
        if lines is None or lines.text is not text:
            lines = self._lines[path] = LineMap(text)
        return lines

"""Findings as a terminal and a script see them: compiler-style text and JSON.

The CLI prints these; rule tests snapshot the same text (STYLE.md, "Tests"). Lines and columns
are 1-based and counted in characters, as compilers print them; a range's end is exclusive (the
column just past its last character), so a one-character range at column 3 ends at column 4.

Text, one block per finding, then one summary line:

    prisma/schema.prisma:14:3: error[DB005] Error validating field `author` in model `Post`: ...
       |
    14 |   author   User     @relation(fields: [authorId], references: [id])
       |   ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
       = help: add the opposite field to `User`
"""

from __future__ import annotations

import functools
import logging
import os
import re
from collections.abc import Mapping, Sequence
from typing import Any

from schemasense.server.findings import Finding
from schemasense.server.positions import LineMap

CHARACTERS = "utf-32"
"""Compilers count columns in characters: one per code point, which is LSP's UTF-32."""

SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}

_URL_PASSWORD = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*://[^\s/:@\"'`]*:)([^\s@/\"'`]+)(@)")
_PARAM_PASSWORD = re.compile(r"((?:password|pwd)=)([^;&\s\"'`]+)", re.IGNORECASE)


def mask_credentials(text: str) -> str:
    """`text` with the passwords of connection strings starred out, character for character.

    A finding's message, help and source line are printed to terminals and CI logs, and a
    datasource line may hold a literal URL with its password (`postgresql://app:secret@...`,
    or SQL Server's `password=secret;`). The stars keep the line's length, so the carets under
    it still point at the range. Fix edits are printed as they are: they are the change itself.
    """
    if "://" not in text and "=" not in text:
        return text
    return _PARAM_PASSWORD.sub(_starred, _URL_PASSWORD.sub(_starred, text))


class MaskCredentials(logging.Filter):
    """A log filter that stars out connection-string passwords in every record it passes.

    The language server's log (stderr, which editors keep in an output panel and CI keeps in
    its log) holds what pygls sends and receives at level info and below: a hover that quotes a
    column default, a document's text. Attached to the handler, it sees the records of every
    logger (pygls', asyncio's, ours), and masks the message, its arguments and the traceback.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a record whose arguments do not fit its format: leave it be
            return True
        record.msg, record.args = mask_credentials(message), None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = mask_credentials(record.exc_text)
        if record.stack_info:
            record.stack_info = mask_credentials(record.stack_info)
        return True


def _starred(match: re.Match[str]) -> str:
    rest = match.group(3) if match.lastindex == 3 else ""
    return match.group(1) + "*" * len(match.group(2)) + rest


def display_path(path: str, cwd: str | None = None) -> str:
    """`path` relative to `cwd` (the current folder by default), as the user typed it."""
    return _relative(path, cwd or os.getcwd())


@functools.lru_cache(maxsize=4096)
def _relative(path: str, cwd: str) -> str:
    # a report names the same few hundred files thousands of times
    try:
        return os.path.relpath(path, cwd)
    except ValueError:  # another drive on Windows
        return path


def finding_range(finding: Finding, index: LineMap) -> tuple[tuple[int, int], tuple[int, int]]:
    """1-based ((line, column), (line, column)) of a finding's span; the end is exclusive."""
    start = index.position(finding.span.start, CHARACTERS)
    end = index.position(max(finding.span.end, finding.span.start), CHARACTERS)
    return (start[0] + 1, start[1] + 1), (end[0] + 1, end[1] + 1)


def finding_json(finding: Finding, index: LineMap, path: str) -> dict[str, Any]:
    """One finding as the JSON contract of `schemasense check --format json` has it."""
    (sl, sc), (el, ec) = finding_range(finding, index)
    item: dict[str, Any] = {
        "code": finding.code,
        "severity": finding.severity,
        "message": mask_credentials(finding.message),
        "path": path,
        "range": {"start": {"line": sl, "column": sc}, "end": {"line": el, "column": ec}},
    }
    if finding.help:
        item["help"] = mask_credentials(finding.help)
    if finding.fix is not None:
        item["fix"] = {
            "title": finding.fix.title,
            "applicability": finding.fix.applicability,
            "edits": [
                {
                    "path": path if e.span.file == finding.span.file else display_path(e.span.file),
                    "start": e.span.start,
                    "end": e.span.end,
                    "newText": e.new_text,
                }
                for e in finding.fix.edits
            ],
        }
    return item


def render_finding(finding: Finding, index: LineMap, path: str) -> str:
    """One finding, compiler-style: location and message, the source line, carets, help."""
    (sl, sc), (el, ec) = finding_range(finding, index)
    message = mask_credentials(finding.message)
    out = [f"{path}:{sl}:{sc}: {finding.severity}[{finding.code}] {message}"]
    help_text = mask_credentials(finding.help) if finding.help else None
    if sl - 1 < index.line_count:
        source = mask_credentials(index.line_text(sl - 1))
        gutter = " " * len(str(sl))
        # One line: under the range; several lines: from the start to the end of the line.
        stop = min(ec, len(source) + 1) if el == sl else len(source) + 1
        width = max(1, stop - sc)
        # Keep tabs under tabs so the carets line up whatever the terminal's tab width.
        pad = "".join("\t" if ch == "\t" else " " for ch in source[: sc - 1])
        carets = "^" * width
        if el > sl:
            carets += f" (to line {el})"
        out += [f"{gutter} |", f"{sl} | {source}", f"{gutter} | {pad}{carets}"]
        if help_text:
            out.append(f"{gutter} = help: {help_text}")
    elif help_text:
        out.append(f"  = help: {help_text}")
    return "\n".join(out)


def summary(findings: Sequence[Finding], schemas: int) -> str:
    """The closing line: how many problems of each severity, in how many schemas."""
    where = f"{schemas} schema" + ("" if schemas == 1 else "s")
    if not findings:
        return f"No problems found in {where}."
    counts: dict[str, int] = {}
    for f in findings:
        counts[f.severity] = counts.get(f.severity, 0) + 1
    parts = [
        f"{n} {sev}" + ("" if n == 1 else "s")
        for sev, n in sorted(counts.items(), key=lambda kv: SEVERITY_ORDER.get(kv[0], 9))
    ]
    total = len(findings)
    return f"Found {total} problem{'' if total == 1 else 's'} ({', '.join(parts)}) in {where}."


def render_report(
    findings: Sequence[Finding], texts: Mapping[str, str], schemas: int, cwd: str | None = None
) -> str:
    """The whole text report: every finding, a blank line between them, then the summary."""
    indexes: dict[str, LineMap] = {}
    blocks = []
    for f in findings:
        index = indexes.get(f.span.file)
        if index is None:
            index = indexes[f.span.file] = LineMap(texts.get(f.span.file, ""))
        blocks.append(render_finding(f, index, display_path(f.span.file, cwd)))
    blocks.append(summary(findings, schemas))
    return "\n\n".join(blocks) + "\n"


def report_json(
    findings: Sequence[Finding], texts: Mapping[str, str], cwd: str | None = None
) -> list[dict[str, Any]]:
    indexes: dict[str, LineMap] = {}
    items = []
    for f in findings:
        index = indexes.get(f.span.file)
        if index is None:
            index = indexes[f.span.file] = LineMap(texts.get(f.span.file, ""))
        items.append(finding_json(f, index, display_path(f.span.file, cwd)))
    return items


_SARIF_LEVEL = {"error": "error", "warning": "warning", "info": "note"}


def report_sarif(
    findings: Sequence[Finding],
    texts: Mapping[str, str],
    tool_version: str,
    cwd: str | None = None,
    docs_url: str | None = None,
) -> dict[str, Any]:
    """SARIF 2.1.0 for code scanning (GitHub's upload-sarif): one run, the rules that fired
    with their docs, one result per finding (and its fix, as SARIF replacements)."""
    from schemasense.server.lint.docs import doc_url
    from schemasense.server.lint.registry import get_rule

    indexes: dict[str, LineMap] = {}
    rules: dict[str, dict[str, Any]] = {}
    results = []
    for f in findings:
        index = indexes.get(f.span.file)
        if index is None:
            index = indexes[f.span.file] = LineMap(texts.get(f.span.file, ""))
        rule = get_rule(f.code)
        if f.code not in rules:
            entry: dict[str, Any] = {"id": f.code}
            if rule is not None:
                entry["name"] = rule.name
                entry["shortDescription"] = {"text": rule.summary()}
                entry["fullDescription"] = {"text": rule.doc()}
                entry["defaultConfiguration"] = {"level": _SARIF_LEVEL[rule.severity]}
                url = doc_url(rule, docs_url)
                if url and not url.startswith("file:"):
                    entry["helpUri"] = url
            rules[f.code] = entry
        (sl, sc), (el, ec) = finding_range(f, index)
        uri = display_path(f.span.file, cwd).replace(os.sep, "/")
        result: dict[str, Any] = {
            "ruleId": f.code,
            "level": _SARIF_LEVEL.get(f.severity, "warning"),
            "message": {
                "text": mask_credentials(f.message + (f"\nhelp: {f.help}" if f.help else ""))
            },
            "locations": [
                {
                    "physicalLocation": {
                        "artifactLocation": {"uri": uri},
                        "region": {
                            "startLine": sl,
                            "startColumn": sc,
                            "endLine": el,
                            "endColumn": ec,
                        },
                    }
                }
            ],
        }
        if f.fix is not None and f.fix.edits:
            result["fixes"] = [_sarif_fix(f, indexes, texts, cwd)]
        results.append(result)
    return {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "schemasense",
                        "version": tool_version,
                        "rules": [rules[k] for k in sorted(rules)],
                    }
                },
                "results": results,
            }
        ],
    }


def _sarif_fix(
    f: Finding, indexes: dict[str, LineMap], texts: Mapping[str, str], cwd: str | None
) -> dict[str, Any]:
    assert f.fix is not None
    changes: dict[str, list[dict[str, Any]]] = {}
    for edit in f.fix.edits:
        index = indexes.get(edit.span.file)
        if index is None:
            index = indexes[edit.span.file] = LineMap(texts.get(edit.span.file, ""))
        sl, sc = index.position(edit.span.start, CHARACTERS)
        el, ec = index.position(edit.span.end, CHARACTERS)
        uri = display_path(edit.span.file, cwd).replace(os.sep, "/")
        changes.setdefault(uri, []).append(
            {
                "deletedRegion": {
                    "startLine": sl + 1,
                    "startColumn": sc + 1,
                    "endLine": el + 1,
                    "endColumn": ec + 1,
                },
                "insertedContent": {"text": edit.new_text},
            }
        )
    return {
        "description": {"text": f.fix.title},
        "artifactChanges": [
            {"artifactLocation": {"uri": uri}, "replacements": reps}
            for uri, reps in changes.items()
        ],
    }


def _gh_escape(text: str, property: bool = False) -> str:
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if property:
        text = text.replace(":", "%3A").replace(",", "%2C")
    return text


def report_github(
    findings: Sequence[Finding], texts: Mapping[str, str], cwd: str | None = None
) -> str:
    """GitHub Actions workflow commands, one line per finding (`::warning file=...::...`),
    which the runner turns into annotations on the pull request."""
    from schemasense.server.lint.registry import get_rule

    indexes: dict[str, LineMap] = {}
    lines = []
    for f in findings:
        index = indexes.get(f.span.file)
        if index is None:
            index = indexes[f.span.file] = LineMap(texts.get(f.span.file, ""))
        (sl, sc), (el, ec) = finding_range(f, index)
        level = {"error": "error", "warning": "warning"}.get(f.severity, "notice")
        rule = get_rule(f.code)
        title = f"{f.code} {rule.name}" if rule is not None else f.code
        props = [
            f"file={_gh_escape(display_path(f.span.file, cwd), True)}",
            f"line={sl}",
            f"col={sc}",
            f"endLine={el}",
            f"endColumn={ec}",
            f"title={_gh_escape(title, True)}",
        ]
        message = mask_credentials(f.message + (f"\nhelp: {f.help}" if f.help else ""))
        lines.append(f"::{level} {','.join(props)}::{_gh_escape(message)}")
    return "\n".join(lines) + ("\n" if lines else "")

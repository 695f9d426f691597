"""Helpers for rule tests (squawk-style): run one rule on a text, render what it found
compiler-style, apply its fixes.

    def test_err():
        assert check(SCHEMA, "DB101") == snapshot(\"\"\"...compiler-style text...\"\"\")

    def test_fix():
        assert fixed(SCHEMA, "DB101") == snapshot(\"\"\"...the schema after the fix...\"\"\")
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from schemasense.server.findings import Finding, TextEdit
from schemasense.server.lint.context import MigrationContext
from schemasense.server.lint.engine import lint_prisma
from schemasense.server.positions import LineMap
from schemasense.server.project.config import LoadedConfig, parse_config
from schemasense.server.render import render_finding
from schemasense.server.sources.prisma import read_prisma_schema

FILE = "schema.prisma"

POSTGRES = 'datasource db {\n  provider = "postgresql"\n}\n\n'
MYSQL = 'datasource db {\n  provider = "mysql"\n}\n\n'
SQLITE = 'datasource db {\n  provider = "sqlite"\n}\n\n'
SQLSERVER = 'datasource db {\n  provider = "sqlserver"\n}\n\n'


def config_for(codes: Sequence[str] | None, extra: str = "") -> LoadedConfig:
    """A config selecting exactly `codes` (every rule when None), plus `extra` TOML."""
    select = "" if codes is None else "select = [" + ", ".join(f'"{c}"' for c in codes) + "]\n"
    return parse_config("/project/schemasense.toml", select + extra)


def lint(
    text: str,
    codes: str | Sequence[str] | None = None,
    *,
    config: str = "",
    file: str = FILE,
    migrations: Sequence[MigrationContext] = (),
) -> list[Finding]:
    """Every finding of the selected rules (and the read's own) on one Prisma file."""
    if isinstance(codes, str):
        codes = [codes]
    loaded = config_for(codes, config)
    assert loaded.findings == [], loaded.findings
    read = read_prisma_schema({file: text})
    findings = lint_prisma(read, {file: text}, loaded, migrations=migrations)
    return sorted(findings, key=lambda f: (f.span.file, f.span.start, f.code))


def render(findings: Iterable[Finding], texts: dict[str, str] | str) -> str:
    """Findings as the CLI prints them, one block each, with paths as given."""
    if isinstance(texts, str):
        texts = {FILE: texts}
    blocks = [render_finding(f, LineMap(texts.get(f.span.file, "")), f.span.file) for f in findings]
    return "\n\n".join(blocks) + ("\n" if blocks else "")


def check(text: str, codes: str | Sequence[str], *, config: str = "") -> str:
    """The compiler-style report of the selected rules on `text` ("" when nothing fired)."""
    findings = lint(text, codes, config=config)
    return render(findings, text)


def apply_edits(text: str, edits: Iterable[TextEdit]) -> str:
    """Apply non-overlapping edits (from the end, so offsets stay valid)."""
    ordered = sorted(edits, key=lambda e: (e.span.start, e.span.end), reverse=True)
    last = None
    for edit in ordered:
        if last is not None and edit.span.end > last:
            raise AssertionError(f"overlapping edits: {ordered}")
        text = text[: edit.span.start] + edit.new_text + text[edit.span.end :]
        last = edit.span.start
    return text


def fixed(text: str, codes: str | Sequence[str], *, config: str = "", file: str = FILE) -> str:
    """`text` after applying every fix the selected rules offer (each fix alone would give
    the same text: tests keep fixes from overlapping), and checked to read clean again."""
    findings = [f for f in lint(text, codes, config=config, file=file) if f.fix is not None]
    assert findings, "no fix offered"
    edits = [e for f in findings for e in f.fix.edits if e.span.file == file]  # type: ignore[union-attr]
    result = apply_edits(text, edits)
    errors = [f for f in read_prisma_schema({file: result}).findings if f.severity == "error"]
    assert errors == [], errors
    return result

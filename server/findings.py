"""Findings: what every reader, validator and rule reports, as frozen plain data.

Nothing here is LSP-shaped: `server/features/` turns findings into diagnostics, the CLI into
compiler-style text or JSON. Codes: DB0xx read problems (syntax and validation), DB1xx schema
design, DB2xx migration safety, DB3xx drift.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from schemasense.codegen.schema import Span

Severity = Literal["error", "warning", "info"]
Applicability = Literal["safe", "unsafe", "display_only"]


@dataclass(frozen=True, slots=True)
class TextEdit:
    """Replace `[span.start, span.end)` of `span.file` with `new_text`."""

    span: Span
    new_text: str


@dataclass(frozen=True, slots=True)
class Fix:
    title: str
    edits: tuple[TextEdit, ...]
    applicability: Applicability = "safe"
    edits_code: bool = False
    """True when its edits of a migration written in code (a TypeORM class, a Sequelize
    file) are edits of the code itself (whole calls, `migrations.code_steps`), not of SQL
    inside a string: the engine then keeps the fix as it is (`lint.engine._fit_fix`)."""


@dataclass(frozen=True, slots=True)
class Finding:
    code: str
    severity: Severity
    message: str
    span: Span
    help: str | None = None
    fix: Fix | None = None
    related: tuple[Span, ...] = field(default=())

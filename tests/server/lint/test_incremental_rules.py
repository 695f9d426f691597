"""Per-table reuse of design-rule findings never changes an answer.

After every edit in a sequence (typing in a model, above others so they move, adding and
removing models, changing a relation), the rules' findings equal those of a run with every
cache emptied.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from schemasense.server.lint.context import RuleCaches
from schemasense.server.lint.engine import lint_prisma
from schemasense.server.sources.prisma import read_prisma_schema
from schemasense.server.sources.prisma.caches import PrismaCaches

CORPUS = Path(
    os.environ.get("SCHEMASENSE_CORPUS") or Path(__file__).resolve().parents[4] / "shared/corpus"
)
CALCOM = CORPUS / "calcom/packages/prisma/schema.prisma"
_KEPT = RuleCaches()
_KEPT_READS = PrismaCaches()
"""The caches a workspace keeps between keystrokes."""


def _lint(text: str, fresh: bool):
    read = read_prisma_schema({"s.prisma": text}, caches=None if fresh else _KEPT_READS)
    return lint_prisma(read, {"s.prisma": text}, caches=RuleCaches() if fresh else _KEPT)


def test_cached_rule_findings_equal_fresh_ones() -> None:
    if not CALCOM.is_file():
        pytest.skip(f"{CALCOM} is absent")
    text = CALCOM.read_text(encoding="utf-8")
    middle = text.index("\nmodel ", len(text) // 2) + 1
    brace = text.index("{", middle) + 2
    steps = [
        text[:brace] + "  amount Float\n" + text[brace:],
        "\n" + text[:brace] + "  amount Float\n" + text[brace:],
        text[:brace] + "  amount Decimal\n" + text[brace:],
        text + "\nmodel Zed {\n  id Int @id\n  total Float\n  at DateTime\n}\n",
        text,
    ]
    assert _lint(text, fresh=False)
    for number, edited in enumerate(steps):
        cached = _lint(edited, fresh=False)
        assert cached == _lint(edited, fresh=True), f"edit {number} differs from a fresh run"

"""The fixtures' `// expect:` blocks still say what the live Prisma says (drift check).

With UPDATE_EXPECT=1 the blocks are rewritten instead of compared.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.oracle.expectations import Expectation, parse_expectations
from tests.oracle.update_expectations import FIXTURES, compute, fixture_paths, rewrite

pytestmark = pytest.mark.oracle

PATHS = fixture_paths()
UPDATE = os.environ.get("UPDATE_EXPECT", "") not in ("", "0")


@pytest.fixture(scope="module")
def live() -> dict[Path, list[Expectation]]:
    """What Prisma says about every fixture: one oracle batch for the whole module."""
    if UPDATE:
        for path, text in rewrite(PATHS).items():
            if path.read_text(encoding="utf-8") != text:
                path.write_text(text, encoding="utf-8")
    return compute({p: p.read_text(encoding="utf-8") for p in PATHS})


def test_suite_size() -> None:
    invalid = [p for p in PATHS if p.parent.name == "invalid"]
    valid = [p for p in PATHS if p.parent.name == "valid"]
    assert len(invalid) >= 75
    assert len(valid) >= 15
    assert len(invalid) + len(valid) == len(PATHS)


@pytest.mark.parametrize("path", PATHS, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_expectations_match_oracle(path: Path, live: dict[Path, list[Expectation]]) -> None:
    expected = parse_expectations(path.read_text(encoding="utf-8"))
    assert live[path] == expected, (
        f"{path.relative_to(FIXTURES)} drifted from Prisma; "
        "rerun `python -m tests.oracle.update_expectations` and review the diff"
    )
    if path.parent.name == "valid":
        assert expected == [], "a valid fixture must have no diagnostic at all"
    else:
        assert expected, "an invalid fixture must have at least one diagnostic"

"""The migration readers (PostgreSQL through libpg_query, MySQL and SQLite through sqlglot) and the
replay never raise on mutations of real migrations: every statement keeps a range inside the
text, every finding too, and nothing is an internal error (robustness issue, item 1).

Bounded for CI (a few hundred inputs per dialect); `python -m tests.fuzz.run` runs the long one.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from schemasense.server.migrations.model import MigrationFile, MigrationSet
from schemasense.server.migrations.replay import Replayer, parse_file

from tests.fuzz.mutations import KINDS, in_range, mutate

FIXTURES = Path(__file__).parent / "fixtures"
SEEDS_PER_DIALECT = 12


def seeds(dialect: str) -> list[str]:
    files = sorted((FIXTURES / dialect / "migrations").glob("*/migration.sql"))
    return [f.read_text() for f in files]


def check_migration(dialect: str, text: str) -> None:
    for parsed in parse_file(dialect, text):
        assert in_range(*parsed.span, text), parsed
    file = MigrationFile(path="/fuzz/m.sql", name="m", version="1", up_text=text)
    mset = MigrationSet(tool="plain", dialect=dialect, root="/fuzz", files=[file])
    result = Replayer(incremental=False).replay(mset)
    for finding in result.findings:
        assert finding.code != "DB000", finding
        assert in_range(finding.span.start, finding.span.end, text), finding
    result.schema.model_dump_json()


@pytest.mark.parametrize("dialect", ["postgresql", "mysql", "sqlite"])
@pytest.mark.parametrize("kind", KINDS)
def test_mutations_of_real_migrations_never_raise(dialect: str, kind: str) -> None:
    rng = random.Random(f"{dialect}-{kind}")
    texts = seeds(dialect)
    assert texts
    for _ in range(SEEDS_PER_DIALECT if kind not in ("long_line", "nesting") else 2):
        check_migration(dialect, mutate(rng.choice(texts), rng, kind))

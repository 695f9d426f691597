"""A statement too deep for PostgreSQL's parser is a finding on that statement; the rest of the
file and of the project is read as usual, and nothing crashes (robustness issue, item 4).

Measured before: ~47 terms of `+` made `check` exit 2 ("internal error", no findings at all);
~21,800 terms (87 KB) killed it with a segmentation fault (exit 139)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from schemasense.server.migrations.sql import pg_parse
from schemasense.server.migrations.sql.postgresql import parse_sql

from tests.prisma_project import INIT, SCHEMA


def _deep(terms: int) -> str:
    return "SELECT " + " + ".join(["1"] * terms) + ";"


@pytest.mark.parametrize(
    ("terms", "message"),
    [(60, pg_parse.TOO_DEEP), (3_000, pg_parse.TOO_DEEP), (22_000, pg_parse.CRASHED)],
)
def test_the_deep_statement_is_one_finding_and_the_others_read(terms, message):
    text = f'SELECT 1;\n{_deep(terms)}\nCREATE TABLE "t" ("id" int);\n'
    parsed = parse_sql(text)
    assert [p.kind for p in parsed] == ["select", "unknown", "create_table"]
    assert parsed[1].error == message
    start, end = parsed[1].span
    assert text[start:end].startswith("SELECT 1 + 1")


def test_a_shallow_file_is_parsed_in_process():
    assert not pg_parse.risky(INIT.encode())
    assert pg_parse.risky(_deep(3_000).encode())


def test_check_reports_it_and_goes_on(tmp_path: Path):
    prisma = tmp_path / "prisma"
    (prisma / "migrations" / "20240101000000_init").mkdir(parents=True)
    (prisma / "migrations" / "20240102000000_deep").mkdir(parents=True)
    (prisma / "schema.prisma").write_text(SCHEMA)
    (prisma / "migrations" / "20240101000000_init" / "migration.sql").write_text(INIT)
    (prisma / "migrations" / "20240102000000_deep" / "migration.sql").write_text(
        _deep(22_000) + '\nALTER TABLE "User" ADD COLUMN "name" TEXT;\n'
    )
    proc = subprocess.run(
        [sys.executable, "-m", "schemasense.server", "check", str(tmp_path), "--format", "json"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode in (0, 1), proc.stderr
    findings = json.loads(proc.stdout)
    deep = [f for f in findings if "crashed" in f["message"]]
    assert len(deep) == 1 and deep[0]["path"].endswith("20240102000000_deep/migration.sql")
    # the statement after it was replayed: the column it adds is drift against the schema
    assert any(f["code"].startswith("DB3") and "name" in f["message"] for f in findings)

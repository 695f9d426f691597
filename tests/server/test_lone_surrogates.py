"""Lone surrogates (a client may send `\\udcff` in JSON) never stop the diagnostics (robustness
issue): measured before, one in an open migration raised UnicodeEncodeError in the SQL reader, and
one in a `map:` name made the Prisma reader give up (DB000) in naming's byte truncation."""

from __future__ import annotations

from pathlib import Path

from schemasense.codegen.orms.prisma.naming import name_too_long, truncate_bytes
from schemasense.server.workspace.workspace import Workspace

from tests.prisma_project import INIT, SCHEMA


def test_an_open_schema_and_migration_with_lone_surrogates_are_analysed(tmp_path: Path):
    folder = tmp_path / "prisma" / "migrations" / "20240101000000_init"
    folder.mkdir(parents=True)
    (tmp_path / "prisma" / "schema.prisma").write_text(SCHEMA)
    (folder / "migration.sql").write_text(INIT)
    workspace = Workspace([str(tmp_path)])
    workspace.open(str(folder / "migration.sql"), INIT.replace('"email"', '"em\udcffail"'), 2)
    workspace.open(
        str(tmp_path / "prisma" / "schema.prisma"),
        SCHEMA.replace("email String", 'email String @unique\n  @@index([email], map: "i\udcff")'),
        2,
    )
    (unit,) = workspace.units()
    findings = workspace.analyze(unit).findings
    assert findings, "the rules ran"
    assert not [f for f in findings if f.code == "DB000"]
    # read as the U+FFFD a UTF-8 reader sees in its place, offsets unchanged
    assert any("\ufffd" in f.message for f in findings)


def test_byte_lengths_count_a_lone_surrogate_as_three_bytes():
    assert truncate_bytes("a\udcffbé", 4) == "a\udcff"
    assert truncate_bytes("aé", 2) == "a"
    assert truncate_bytes("abc", 3) == "abc"
    assert name_too_long("\udcff" * 22, "postgresql")
    assert not name_too_long("\udcff" * 21, "postgresql")

"""Helpers for the migration reader's tests: replay SQL given as text, and show the result
compactly so one line can say what a statement builds."""

from __future__ import annotations

from pathlib import Path

import pytest
from schemasense.codegen.schema import Schema, Table
from schemasense.server.migrations import (
    MigrationFile,
    MigrationSet,
    Replayer,
    ReplayResult,
)

FIXTURES = Path(__file__).parent / "fixtures"


def replay_sql(dialect: str, *texts: str) -> ReplayResult:
    """Replay `texts` as migrations 1, 2, ... of one set, with a fresh replayer."""
    files = [
        MigrationFile(
            path=f"/m/{n:02d}/migration.sql", name=f"{n:02d}", version=f"{n:02d}", up_text=text
        )
        for n, text in enumerate(texts, 1)
    ]
    mset = MigrationSet(tool="prisma", dialect=dialect, root="/m", files=files)  # type: ignore[arg-type]
    return Replayer().replay(mset)


def schema_of(dialect: str, *texts: str) -> Schema:
    result = replay_sql(dialect, *texts)
    errors = [f for f in result.findings if f.severity != "info"]
    assert not errors, [f.message for f in errors]
    return result.schema


def table_of(dialect: str, name: str, *texts: str) -> Table:
    table = schema_of(dialect, *texts).table(name)
    assert table is not None, f"no table {name!r}"
    return table


def columns(table: Table) -> dict[str, str]:
    """`name: native [not null] [default X] [auto]` per column."""
    out = {}
    for c in table.columns:
        text = c.type.native or ""
        if not c.nullable:
            text += " not null"
        if c.default is not None:
            text += f" default {c.default.value}"
        if c.auto_increment:
            text += " auto"
        out[c.name] = text
    return out


def parts(columns_: list) -> list[str]:
    out = []
    for p in columns_:
        text = p.column if p.column is not None else p.expression
        if p.length:
            text += f"({p.length})"
        if p.sort == "desc":
            text += " desc"
        if p.ops:
            text += f" {p.ops}"
        out.append(text)
    return out


def indexes(table: Table) -> dict[str, str]:
    """`[unique ][method ](parts)[ where P][ include (...)]` per index."""
    out = {}
    for i in table.indexes:
        text = ("unique " if i.unique else "") + (f"{i.method} " if i.method else "")
        text += "(" + ", ".join(parts(i.columns)) + ")"
        if i.predicate:
            text += f" where {i.predicate}"
        if i.include:
            text += " include (" + ", ".join(i.include) + ")"
        out[i.name] = text
    return out


def foreign_keys(table: Table) -> dict[str, str]:
    return {
        fk.name: f"({', '.join(fk.columns)}) -> {fk.referenced_table}"
        f"({', '.join(fk.referenced_columns)}) {fk.on_delete}/{fk.on_update}"
        + (" not valid" if fk.not_valid else "")
        for fk in table.foreign_keys
    }


@pytest.fixture
def fixtures_dir() -> Path:
    return FIXTURES

"""Cost linear in the number of tables and of columns (robustness issue, item 4), proved by
counting work, not by timing it (no timed assertions in tests).

The work of a `check` is counted as the Python and C function calls it makes (`sys.setprofile`
sees both): the same project at two sizes must cost the same number of calls per table, within
a margin for fixed costs. Quadratic paths the issue named are each kept by a test here:
- SERIAL sequence naming asked whether a name was taken against a union of every index, sequence
  and table name, built again for each column (`migrations/apply._serial_sequence`);
- MySQL / SQLite columns and drift location on a table hundreds of columns wide.
A union of keys is work in C that makes no call, so the sequence naming is also checked directly:
it must only ask whether a name is taken, never walk the schema's names.

The timed figures (2,000 / 5,000 / 10,000 tables per dialect, a 6 MB schema):
tests/bench/bench_scale.py.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from schemasense.server.migrations.apply import _serial_sequence
from schemasense.server.migrations.state import SchemaState, TableState
from schemasense.server.workspace.workspace import Workspace

from tests.bench.bench_scale import write_project

MARGIN = 1.1
"""Calls per table at the larger size over those at the smaller, at most (what is left of the
fixed costs makes the smaller size's calls per table the larger; a path quadratic in the
tables at 4x the tables makes its own share 4x)."""


def count_calls(fn) -> int:  # type: ignore[no-untyped-def]
    """The Python and C function calls `fn()` makes."""
    count = 0

    def profile(frame, event, arg):  # type: ignore[no-untyped-def]
        nonlocal count
        if event in ("call", "c_call"):
            count += 1

    sys.setprofile(profile)
    try:
        fn()
    finally:
        sys.setprofile(None)
    return count


def check_calls(root: Path) -> tuple[int, int]:
    """(calls, findings) of a `check` of `root`, as the CLI makes it."""
    found: list = []

    def run() -> None:
        found.extend(Workspace([str(root)], incremental=False).check_path(str(root)))

    return count_calls(run), len(found)


def warm_up(root: Path) -> None:
    """A check of a small project, uncounted: what happens once per process (imports, a
    parser's first use) would otherwise be counted in the smaller size's calls per table."""
    Workspace([str(root)], incremental=False).check_path(str(root))


@pytest.mark.parametrize("dialect", ["postgresql", "mysql", "sqlite"])
def test_calls_per_table_are_flat_from_60_to_240_tables(dialect: str, tmp_path: Path) -> None:
    write_project(tmp_path / "warm", dialect, 3)
    warm_up(tmp_path / "warm")
    per_table = []
    for count in (60, 240):
        root = tmp_path / str(count)
        write_project(root, dialect, count)
        calls, findings = check_calls(root)
        assert findings >= count - 1  # the project was read: each table has its finding
        per_table.append(calls / count)
    assert per_table[1] / per_table[0] < MARGIN, per_table


def _wide(root: Path, dialect: str, columns: int) -> None:
    """A Prisma project of one model `columns` wide, and the migration that creates it."""
    quote = "`" if dialect == "mysql" else '"'
    text = "String" if dialect != "mysql" else "VARCHAR(191)"
    names = [f"c{i}" for i in range(columns)]
    prisma = root / "prisma"
    (prisma / "migrations" / "20240101000000_init").mkdir(parents=True)
    (prisma / "migrations" / "migration_lock.toml").write_text(f'provider = "{dialect}"\n')
    fields = "".join(f"  {n} String\n" for n in names)
    (prisma / "schema.prisma").write_text(
        f'datasource db {{\n  provider = "{dialect}"\n  url = env("DATABASE_URL")\n}}\n\n'
        f"model Wide {{\n  id Int @id\n{fields}}}\n"
    )
    sql_type = "TEXT" if dialect != "mysql" else text
    cols = "".join(f"    {quote}{n}{quote} {sql_type} NOT NULL,\n" for n in names)
    (prisma / "migrations" / "20240101000000_init" / "migration.sql").write_text(
        f"CREATE TABLE {quote}Wide{quote} (\n    {quote}id{quote} INTEGER NOT NULL,\n{cols}"
        f"    PRIMARY KEY ({quote}id{quote})\n);\n"
    )


@pytest.mark.parametrize("dialect", ["postgresql", "mysql", "sqlite"])
def test_calls_per_column_are_flat_from_150_to_600_columns(dialect: str, tmp_path: Path) -> None:
    _wide(tmp_path / "warm", dialect, 3)
    warm_up(tmp_path / "warm")
    per_column = []
    for count in (150, 600):
        root = tmp_path / str(count)
        _wide(root, dialect, count)
        calls, _ = check_calls(root)
        per_column.append(calls / count)
    assert per_column[1] / per_column[0] < MARGIN, per_column


class _NoWalk(dict):
    """A mapping that may be asked for a key but not walked."""

    def keys(self):  # type: ignore[no-untyped-def]
        raise AssertionError("walked every name to name one sequence")

    __iter__ = items = values = keys  # type: ignore[assignment]


def test_naming_a_serial_sequence_asks_for_names_and_walks_none() -> None:
    state = SchemaState.__new__(SchemaState)
    table = TableState.__new__(TableState)
    table.schema, table.name = "public", "users"
    state.index_owner = _NoWalk({("public", "users_pkey"): ("public", "users")})
    state.sequences = _NoWalk({("public", "users_id_seq"): None})
    state.tables = _NoWalk({("public", "users"): table})
    assert _serial_sequence(state, table, "id") == ("public", "users_id_seq1")
    assert _serial_sequence(state, table, "email") == ("public", "users_email_seq")

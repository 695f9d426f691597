"""A CREATE TABLE that declares the same key twice (Sequelize writes `UNIQUE (a, b), PRIMARY KEY
(a, b)` for a join table two associations share) builds one: PostgreSQL drops the repeat
(parse_utilcmd.c, `transformIndexConstraints`) and SQLite makes one index (build.c); MySQL
keeps both. Checked on real databases by tests/verify/test_sequelize_sync.py."""

from __future__ import annotations

import pytest
from schemasense.server.migrations import MigrationFile, MigrationSet
from schemasense.server.migrations.replay import Replayer

SQL = (
    'CREATE TABLE "j" ("a" INTEGER NOT NULL, "b" INTEGER NOT NULL, "c" INTEGER, '
    'UNIQUE ("a", "b"), UNIQUE ("c"), PRIMARY KEY ("a", "b"));\n'
)


def _table(dialect: str, sql: str = SQL):
    mset = MigrationSet(
        tool="plain", dialect=dialect, root="", files=[MigrationFile("m.sql", "m.sql", None, sql)]
    )
    result = Replayer(incremental=False).replay(mset)
    assert list(result.findings) == []
    return result.schema.table("j")


@pytest.mark.parametrize("dialect", ["postgresql", "sqlite"])
def test_a_unique_that_repeats_the_primary_key_is_not_built(dialect: str) -> None:
    table = _table(
        dialect if dialect == "postgresql" else "sqlite",
        SQL.replace('"', "`") if dialect == "sqlite" else SQL,
    )
    assert [p.column for p in table.primary_key.columns] == ["a", "b"]
    assert [[c.column for c in u.columns] for u in table.uniques] == [["c"]]


def test_the_repeat_gives_its_name_to_the_unnamed_key() -> None:
    sql = 'CREATE TABLE "j" ("a" INTEGER, CONSTRAINT "j_a" UNIQUE ("a"), UNIQUE ("a"));\n'
    table = _table("postgresql", sql)
    assert [u.name for u in table.uniques] == ["j_a"]
    sql = 'CREATE TABLE "j" ("a" INTEGER, UNIQUE ("a"), CONSTRAINT "named" UNIQUE ("a"));\n'
    assert [u.name for u in _table("postgresql", sql).uniques] == ["named"]


def test_mysql_keeps_both() -> None:
    table = _table("mysql", SQL.replace('"', "`"))
    assert [p.column for p in table.primary_key.columns] == ["a", "b"]
    keys = [[c.column for c in k.columns] for k in [*table.uniques, *table.indexes]]
    assert ["a", "b"] in keys and ["c"] in keys

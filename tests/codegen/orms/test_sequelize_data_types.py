"""A column's SQL type back to Sequelize's `DataTypes` (`codegen/orms/sequelize/data_types.py`,
what a generated migration writes): each expression we write, evaluated by npm `sequelize`
6.37.8 itself (`sequelize_type_eval.cjs`, the dialect's own type as a migration gets it), gives
the type we started from, as the database prints it; a type no member writes is the SQL text,
which Sequelize passes through."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from schemasense.codegen.dialects.ddl_types import ddl, parse
from schemasense.codegen.orms.sequelize.data_types import _printed, data_type

from tests.oracle.prisma import REPO_ROOT, _node

SCRIPT = Path(__file__).with_name("sequelize_type_eval.cjs")

CASES = {
    "postgresql": [
        "VARCHAR(40)", "VARCHAR(255)", "CHAR(7)", "TEXT", "INTEGER", "BIGINT", "SMALLINT",
        "REAL", "DOUBLE PRECISION", "DECIMAL(3,2)", "DECIMAL(10)", "DECIMAL", "BOOLEAN",
        "TIMESTAMP WITH TIME ZONE", "DATE", "TIME", "JSON", "JSONB", "UUID", "BYTEA", "INET",
        "CIDR", "MACADDR", "TSVECTOR", "CITEXT", "INTEGER[]", "TEXT[]",
        "VARCHAR(20)[]",
    ],
    "mysql": [
        "VARCHAR(255)", "VARCHAR(12)", "CHAR(36) BINARY", "CHAR(2)", "TINYINT(1)", "TINYINT",
        "INT", "BIGINT", "SMALLINT", "MEDIUMINT", "DOUBLE", "FLOAT", "DECIMAL(10,2)",
        "DATETIME", "DATETIME(3)", "DATE", "TIME", "TEXT", "TINYTEXT", "MEDIUMTEXT",
        "LONGTEXT", "JSON", "BLOB", "TINYBLOB", "LONGBLOB", "ENUM('a', 'it''s')",
    ],
    "sqlite": [
        "VARCHAR(255)", "VARCHAR(30)", "TEXT", "INTEGER", "BIGINT", "DATETIME", "DATE",
        "TINYINT(1)", "REAL", "UUID", "JSON", "BLOB", "DECIMAL(10,2)", "TIME",
    ],
}  # fmt: skip
"""(HSTORE is left out: Sequelize's needs npm `pg-hstore`, which the repository does not
install.)"""

RAW = {
    "postgresql": ["TIMESTAMP(3) WITH TIME ZONE", "VARCHAR", "TIMESTAMP", "MONEY", "INTERVAL"],
    "mysql": ["VARCHAR(20) BINARY", "YEAR"],
    "sqlite": [],
}
"""Types no `DataTypes` member writes on the dialect: written as their SQL."""

_ORM = {"postgresql": "postgres", "mysql": "mariadb", "sqlite": "sqlite"}


def _evaluate(cases: list[tuple[str, str]]) -> list[object]:
    node = _node()
    if node is None or not (REPO_ROOT / "node_modules" / "sequelize").is_dir():
        pytest.skip("node or node_modules/sequelize is missing (npm install at the repo root)")
    run = subprocess.run(
        [node, str(SCRIPT), str(REPO_ROOT)],
        input=json.dumps(cases),
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return json.loads(run.stdout)


@pytest.mark.oracle
def test_every_data_type_we_write_gives_the_type_back_in_sequelize() -> None:
    written = []
    raw = []
    for dialect, texts in CASES.items():
        for text in texts:
            t = parse(dialect, text)
            js = data_type(t, dialect)
            if js.is_raw:
                raw.append(f"{dialect} {text}: no DataTypes member ({js.expression})")
            written.append((dialect, text, t, js.expression))
    assert raw == []
    answers = _evaluate([(_ORM[d], expression) for d, _, _, expression in written])
    wrong = []
    for (dialect, text, t, expression), sql in zip(written, answers, strict=True):
        if not isinstance(sql, str) or _printed(dialect, parse(dialect, sql)) != _printed(
            dialect, t
        ):
            wrong.append(f"{dialect} {text}: {expression} -> {sql}")
    assert wrong == []
    print(f"\n[{len(written)} types, written as DataTypes and given back by Sequelize]")


@pytest.mark.parametrize(("dialect", "text"), [(d, t) for d, texts in RAW.items() for t in texts])
def test_a_type_no_member_writes_is_its_sql(dialect: str, text: str) -> None:
    t = parse(dialect, text)
    js = data_type(t, dialect)
    assert js.is_raw and js.expression == ddl(dialect, t)


def test_strings_in_the_project_quote() -> None:
    t = parse("mysql", "ENUM('a', 'b')")
    js = data_type(t, "mysql", string=lambda s: f"'{s}'")
    assert js.expression == "Sequelize.ENUM('a', 'b')"
    js = data_type(parse("mysql", "MEDIUMTEXT"), "mysql", string=lambda s: f"'{s}'")
    assert js.expression == "Sequelize.TEXT('medium')"

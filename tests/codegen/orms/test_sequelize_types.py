"""Our SQL for Sequelize's `DataTypes` equals Sequelize's own `toSql()` (npm `sequelize`
6.37.8, the repository's package.json) for every type, with arguments, flags and options, on
every dialect we read (`sequelize_types.cjs` builds each type as a model gets it: the abstract
type, then the dialect's own through `normalizeDataType`)."""

from __future__ import annotations

import itertools
import json
import subprocess
from pathlib import Path

import pytest
from schemasense.codegen.orms.sequelize.types import DataType, UnknownType, to_sql

from tests.oracle.prisma import REPO_ROOT, _node

pytestmark = pytest.mark.oracle
SCRIPT = Path(__file__).with_name("sequelize_types.cjs")
DIALECTS = ("postgres", "mysql", "mariadb", "sqlite")

SHAPES: list[tuple[str, list[object], list[str]]] = [
    ("STRING", [], []),
    ("STRING", [20], []),
    ("STRING", [20, True], []),
    ("STRING", [{"length": 12, "binary": True}], []),
    ("STRING", [], ["BINARY"]),
    ("CHAR", [], []),
    ("CHAR", [7], []),
    ("CHAR", [7], ["BINARY"]),
    ("TEXT", [], []),
    ("TEXT", ["tiny"], []),
    ("TEXT", ["medium"], []),
    ("TEXT", [{"length": "long"}], []),
    ("BOOLEAN", [], []),
    ("DATE", [], []),
    ("DATE", [3], []),
    ("DATEONLY", [], []),
    ("TIME", [], []),
    ("UUID", [], []),
    ("JSON", [], []),
    ("BLOB", [], []),
    ("BLOB", ["tiny"], []),
    ("BLOB", ["long"], []),
    ("DECIMAL", [], []),
    ("DECIMAL", [10], []),
    ("DECIMAL", [10, 2], []),
    ("DECIMAL", [{"precision": 6, "scale": 3}], []),
    ("DECIMAL", [10, 2], ["UNSIGNED"]),
    ("DECIMAL", [10, 2], ["UNSIGNED", "ZEROFILL"]),
    ("ENUM", ["a", "b"], []),
    ("ENUM", [["x", "it's"]], []),
    ("ENUM", [{"values": ["p", "q"]}], []),
]
for number in ("TINYINT", "SMALLINT", "INTEGER", "BIGINT", "FLOAT", "REAL", "DOUBLE"):
    SHAPES += [
        (number, [], []),
        (number, [11], []),
        (number, [], ["UNSIGNED"]),
        (number, [8], ["UNSIGNED", "ZEROFILL"]),
        (number, [{"length": 5, "unsigned": True}], []),
    ]
for floating in ("FLOAT", "REAL", "DOUBLE"):
    SHAPES += [(floating, [8, 2], []), (floating, [8, 2], ["UNSIGNED"])]
POSTGRES_ONLY = [
    ("JSONB", [], []),
    ("CITEXT", [], []),
    ("INET", [], []),
    ("CIDR", [], []),
    ("MACADDR", [], []),
    ("TSVECTOR", [], []),
    ("ARRAY", [{"$type": "TEXT", "args": [], "flags": []}], []),
    ("ARRAY", [{"$type": "STRING", "args": [40], "flags": []}], []),
    ("ARRAY", [{"$type": "INTEGER", "args": [], "flags": []}], []),
    ("RANGE", [{"$type": "DATE", "args": [], "flags": []}], []),
    ("RANGE", [], []),
]


def _ours(dialect: str, name: str, args: list[object], flags: list[str]) -> str | None:
    def value(arg: object) -> object:
        if isinstance(arg, dict) and "$type" in arg:
            inner = "DOUBLE PRECISION" if arg["$type"] == "DOUBLE" else arg["$type"]
            return DataType(inner, tuple(arg["args"]), frozenset(arg["flags"]))
        return tuple(arg) if isinstance(arg, list) else arg

    key = "DOUBLE PRECISION" if name == "DOUBLE" else name
    try:
        return to_sql(DataType(key, tuple(value(a) for a in args), frozenset(flags)), dialect)  # type: ignore[arg-type]
    except UnknownType:
        return None


def test_our_type_sql_is_sequelizes_on_every_dialect() -> None:
    node = _node()
    if node is None:
        pytest.skip("node is not on PATH (set SCHEMASENSE_NODE to a node binary)")
    cases = [
        [dialect, name, args, flags]
        for dialect, (name, args, flags) in itertools.product(DIALECTS, SHAPES)
    ] + [["postgres", name, args, flags] for name, args, flags in POSTGRES_ONLY]
    # SQLite takes any type name: what Sequelize writes for PostgreSQL's own types there
    cases += [["sqlite", name, [], []] for name in ("JSONB", "CITEXT", "INET", "CIDR", "MACADDR")]
    run = subprocess.run(
        [node, str(SCRIPT), str(REPO_ROOT)],
        input=json.dumps(cases),
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    theirs = json.loads(run.stdout)
    wrong = [
        (case, ours, their)
        for case, their in zip(cases, theirs, strict=True)
        if (ours := _ours(*case)) != their
    ]
    assert len(cases) > 250
    assert wrong == []


def test_types_a_dialect_does_not_have_are_unknown() -> None:
    with pytest.raises(UnknownType):
        to_sql(DataType("JSONB"), "mysql")
    with pytest.raises(UnknownType):
        to_sql(DataType("ARRAY", (DataType("TEXT"),)), "sqlite")

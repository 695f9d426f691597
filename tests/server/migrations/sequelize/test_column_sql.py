"""The SQL types `codegen/orms/sequelize/column_sql.py` prints equal what Sequelize 6 prints
(`attributesToSQL` on a normalized attribute, per dialect), run under Node."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from schemasense.codegen.orms.sequelize.column_sql import DataType, type_sql

ROOT = Path(__file__).resolve().parents[4]
ORACLE = Path(__file__).with_name("type_sql_oracle.js")

OURS = {
    "STRING": DataType("STRING"),
    "STRING(40)": DataType("STRING", length=40),
    "STRING.BINARY": DataType("STRING", binary=True),
    "CHAR(2)": DataType("CHAR", length=2),
    "TEXT": DataType("TEXT"),
    "TEXT('long')": DataType("TEXT", length="long"),
    "INTEGER": DataType("INTEGER"),
    "INTEGER(11)": DataType("INTEGER", length=11),
    "INTEGER.UNSIGNED": DataType("INTEGER", unsigned=True),
    "BIGINT": DataType("BIGINT"),
    "SMALLINT": DataType("SMALLINT"),
    "TINYINT": DataType("TINYINT"),
    "FLOAT": DataType("FLOAT"),
    "FLOAT(10,2)": DataType("FLOAT", length=10, decimals=2),
    "DOUBLE": DataType("DOUBLE"),
    "REAL": DataType("REAL"),
    "DECIMAL": DataType("DECIMAL"),
    "DECIMAL(10,2)": DataType("DECIMAL", precision=10, scale=2),
    "BOOLEAN": DataType("BOOLEAN"),
    "DATE": DataType("DATE"),
    "DATE(6)": DataType("DATE", length=6),
    "DATEONLY": DataType("DATEONLY"),
    "TIME": DataType("TIME"),
    "UUID": DataType("UUID"),
    "JSON": DataType("JSON"),
    "JSONB": DataType("JSONB"),
    "BLOB": DataType("BLOB"),
    "CITEXT": DataType("CITEXT"),
    "INET": DataType("INET"),
    "TSVECTOR": DataType("TSVECTOR"),
    "ARRAY(STRING)": DataType("ARRAY", inner=DataType("STRING")),
    "ARRAY(INTEGER)": DataType("ARRAY", inner=DataType("INTEGER")),
    "GEOMETRY": DataType("GEOMETRY"),
    "GEOMETRY('POINT',4326)": DataType("GEOMETRY", geometry="POINT", srid=4326),
    "RANGE(DATE)": DataType("RANGE", inner=DataType("DATE")),
}
DIALECTS = {"postgres": "postgresql", "sqlite": "sqlite", "mysql": "mysql"}


@pytest.mark.oracle
def test_every_type_is_printed_as_sequelize_prints_it() -> None:
    modules = ROOT / "node_modules"
    if shutil.which("node") is None or not (modules / "sequelize").is_dir():
        pytest.skip("node or node_modules/sequelize is missing")
    out = subprocess.run(
        ["node", str(ORACLE)],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "NODE_PATH": str(modules)},
        check=True,
    )
    truth = json.loads(out.stdout)
    differences = []
    for theirs, ours_dialect in DIALECTS.items():
        for case, t in OURS.items():
            if type_sql(t, ours_dialect) != truth[theirs][case]:
                differences.append((theirs, case, type_sql(t, ours_dialect), truth[theirs][case]))
    assert set(truth["postgres"]) == set(OURS)
    assert differences == []

"""codegen.dialects.sql_types: a canonical SQL type -> ColumnType, one line per behaviour."""

from __future__ import annotations

import pytest
from schemasense.codegen.dialects.sql_types import column_type

CASES = [
    # (provider, native, enums, expected fields)
    ("postgresql", "integer", (), {"kind": "int"}),
    ("postgresql", "bigint", (), {"kind": "bigint"}),
    ("postgresql", "text", (), {"kind": "text"}),
    ("postgresql", "character varying(191)", (), {"kind": "string", "length": 191}),
    ("postgresql", "character varying", (), {"kind": "string", "length": None}),
    ("postgresql", "character(2)", (), {"kind": "string", "length": 2}),
    ("postgresql", "numeric(65,30)", (), {"kind": "decimal", "precision": 65, "scale": 30}),
    ("postgresql", "double precision", (), {"kind": "double"}),
    ("postgresql", "real", (), {"kind": "float"}),
    (
        "postgresql",
        "timestamp(3) without time zone",
        (),
        {"kind": "timestamp", "precision": 3, "timezone": False},
    ),
    ("postgresql", "timestamp with time zone", (), {"kind": "timestamp", "timezone": True}),
    ("postgresql", "time without time zone", (), {"kind": "time", "timezone": False}),
    ("postgresql", "jsonb", (), {"kind": "json"}),
    ("postgresql", "uuid", (), {"kind": "uuid"}),
    ("postgresql", "bytea", (), {"kind": "bytes"}),
    ("postgresql", "text[]", (), {"kind": "text", "array": True}),
    ("postgresql", '"Role"', ("Role",), {"kind": "enum", "enum": "Role", "enum_schema": None}),
    ("postgresql", '"Role"[]', ("Role",), {"kind": "enum", "array": True}),
    (
        "postgresql",
        'other."Kind"',
        ("other.Kind",),
        {"kind": "enum", "enum": "Kind", "enum_schema": "other"},
    ),
    ("postgresql", "status", ("status",), {"kind": "enum", "enum": "status"}),
    ("postgresql", "tsvector", (), {"kind": "unsupported"}),
    ("mysql", "int", (), {"kind": "int"}),
    ("mysql", "int unsigned", (), {"kind": "int"}),
    ("mysql", "tinyint(1)", (), {"kind": "boolean"}),
    ("mysql", "tinyint", (), {"kind": "smallint"}),
    ("mysql", "varchar(191)", (), {"kind": "string", "length": 191}),
    ("mysql", "char(36)", (), {"kind": "string", "length": 36}),
    ("mysql", "longtext", (), {"kind": "text"}),
    ("mysql", "decimal(19,4)", (), {"kind": "decimal", "precision": 19, "scale": 4}),
    ("mysql", "datetime(3)", (), {"kind": "timestamp", "precision": 3}),
    ("mysql", "timestamp", (), {"kind": "timestamp", "precision": None}),
    ("mysql", "json", (), {"kind": "json"}),
    ("mysql", "enum('A','B')", (), {"kind": "enum"}),
    ("mysql", "longblob", (), {"kind": "bytes"}),
    ("sqlite", "INTEGER", (), {"kind": "int"}),
    ("sqlite", "TEXT", (), {"kind": "text"}),
    ("sqlite", "BOOLEAN", (), {"kind": "boolean"}),
    ("sqlite", "DATETIME", (), {"kind": "timestamp"}),
    ("sqlite", "REAL", (), {"kind": "double"}),
    ("sqlite", "DECIMAL", (), {"kind": "decimal"}),
    ("sqlite", "BLOB", (), {"kind": "bytes"}),
    ("sqlite", "VARCHAR(20)", (), {"kind": "text", "length": 20}),
    ("sqlite", "UNSIGNED BIG INT", (), {"kind": "int"}),
    ("sqlite", "", (), {"kind": "unsupported"}),
]


@pytest.mark.parametrize(("provider", "native", "enums", "expected"), CASES)
def test_column_type(provider: str, native: str, enums: tuple, expected: dict) -> None:
    result = column_type(provider, native, enums)
    assert result.native == native
    assert {k: getattr(result, k) for k in expected} == expected

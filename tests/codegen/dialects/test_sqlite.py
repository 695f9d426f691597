"""SQLite: no native types; each Prisma scalar has one SQL spelling."""

from __future__ import annotations

import pytest
from schemasense.codegen.dialects import get_dialect
from schemasense.codegen.schema import ColumnType as T

D = get_dialect("sqlite")
assert D is not None


@pytest.mark.parametrize(
    ("scalar", "sql"),
    [
        ("String", "TEXT"),
        ("Int", "INTEGER"),
        ("BigInt", "BIGINT"),
        ("Float", "REAL"),
        ("Decimal", "DECIMAL"),
        ("Boolean", "BOOLEAN"),
        ("DateTime", "DATETIME"),
        ("Json", "JSONB"),
        ("Bytes", "BLOB"),
    ],
)
def test_scalar_default(scalar: str, sql: str) -> None:
    default = D.default_native(scalar)
    assert default is not None and (default.native, default.sql) == (None, sql)


@pytest.mark.parametrize(
    ("column_type", "sql"),
    [
        (T(kind="string", length=255), "TEXT"),
        (T(kind="text"), "TEXT"),
        (T(kind="uuid"), "TEXT"),
        (T(kind="int"), "INTEGER"),
        (T(kind="bigint"), "BIGINT"),
        (T(kind="double"), "REAL"),
        (T(kind="decimal", precision=10, scale=2), "DECIMAL"),
        (T(kind="boolean"), "BOOLEAN"),
        (T(kind="timestamp", precision=3), "DATETIME"),
        (T(kind="json"), "JSONB"),
        (T(kind="bytes"), "BLOB"),
        (T(kind="enum", enum="Role"), "TEXT"),
        (T(kind="text", array=True), None),
        (T(kind="xml"), None),
    ],
)
def test_type_sql(column_type: T, sql: str | None) -> None:
    assert D.type_sql(column_type) == sql


@pytest.mark.parametrize(
    ("got", "expected"),
    [
        (D.NATIVE_TYPES, {}),
        (D.native_sql("Text"), None),  # any @db. attribute is an error on SQLite
        (D.MAX_IDENTIFIER_LENGTH, 10_000),
        (D.quote("User"), '"User"'),
        (D.is_reserved("table"), True),
        (D.is_reserved("user"), False),
    ],
)
def test_fact(got: object, expected: object) -> None:
    assert got == expected

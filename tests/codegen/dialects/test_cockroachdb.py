"""CockroachDB: its own native types and spellings on PostgreSQL's quoting."""

from __future__ import annotations

import pytest
from schemasense.codegen.dialects import get_dialect
from schemasense.codegen.schema import ColumnType as T

D = get_dialect("cockroachdb")
assert D is not None


@pytest.mark.parametrize(
    ("native", "args", "sql"),
    [
        ("String", (), "STRING"),
        ("String", ("40",), "STRING(40)"),
        ("Char", ("2",), "CHAR(2)"),
        ("CatalogSingleChar", (), '"char"'),
        ("Bit", ("1",), "BIT(1)"),
        ("VarBit", (), "VARBIT"),
        ("Uuid", (), "UUID"),
        ("Inet", (), "INET"),
        ("Bool", (), "BOOL"),
        ("Int2", (), "INT2"),
        ("Int4", (), "INT4"),
        ("Int8", (), "INT8"),
        ("Oid", (), "OID"),
        ("Float4", (), "FLOAT4"),
        ("Float8", (), "FLOAT8"),
        ("Decimal", ("10", "2"), "DECIMAL(10,2)"),
        ("Date", (), "DATE"),
        ("Time", ("6",), "TIME(6)"),
        ("Timetz", (), "TIMETZ"),
        ("Timestamp", ("3",), "TIMESTAMP(3)"),
        ("Timestamptz", ("3",), "TIMESTAMPTZ(3)"),
        ("JsonB", (), "JSONB"),
        ("Bytes", (), "BYTES"),
        ("Json", (), None),  # only JsonB on CockroachDB
        ("Text", (), None),
        ("Integer", (), None),
    ],
)
def test_native_sql(native: str, args: tuple[str, ...], sql: str | None) -> None:
    assert D.native_sql(native, args) == sql


@pytest.mark.parametrize(
    ("scalar", "native", "sql"),
    [
        ("String", "String", "STRING"),
        ("Int", "Int4", "INT4"),
        ("BigInt", "Int8", "INT8"),
        ("Float", "Float8", "FLOAT8"),
        ("Decimal", "Decimal", "DECIMAL(65,30)"),
        ("Boolean", "Bool", "BOOL"),
        ("DateTime", "Timestamp", "TIMESTAMP(3)"),
        ("Json", "JsonB", "JSONB"),
        ("Bytes", "Bytes", "BYTES"),
    ],
)
def test_scalar_default(scalar: str, native: str, sql: str) -> None:
    default = D.default_native(scalar)
    assert default is not None and (default.native, default.sql) == (native, sql)


@pytest.mark.parametrize(
    ("column_type", "sql"),
    [
        (T(kind="string", length=40), "STRING(40)"),
        (T(kind="text"), "STRING"),
        (T(kind="int"), "INT4"),
        (T(kind="smallint"), "INT2"),
        (T(kind="bigint"), "INT8"),
        (T(kind="double"), "FLOAT8"),
        (T(kind="boolean"), "BOOL"),
        (T(kind="timestamp", precision=3), "TIMESTAMP(3)"),
        (T(kind="timestamp", timezone=True), "TIMESTAMPTZ"),
        (T(kind="bytes"), "BYTES"),
        (T(kind="int", array=True), "INT4[]"),
        (T(kind="enum", enum="Role"), '"Role"'),
        (T(kind="xml"), None),
        (T(kind="money"), None),
    ],
)
def test_type_sql(column_type: T, sql: str | None) -> None:
    assert D.type_sql(column_type) == sql


@pytest.mark.parametrize(
    ("got", "expected"),
    [
        (D.MAX_IDENTIFIER_LENGTH, 63),
        (D.quote("User"), '"User"'),
        (D.is_reserved("select"), True),
        (D.AUTOINCREMENT_SQL, {}),  # autoincrement() is INT8 DEFAULT unique_rowid()
    ],
)
def test_fact(got: object, expected: object) -> None:
    assert got == expected

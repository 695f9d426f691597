"""PostgreSQL: native types, scalar defaults and logical types as Prisma writes them."""

from __future__ import annotations

import pytest
from schemasense.codegen.dialects import get_dialect
from schemasense.codegen.schema import ColumnType as T

D = get_dialect("postgresql")
assert D is not None


@pytest.mark.parametrize(
    ("native", "args", "sql"),
    [
        ("Text", (), "TEXT"),
        ("VarChar", ("255",), "VARCHAR(255)"),
        ("VarChar", (), "VARCHAR"),
        ("Char", ("2",), "CHAR(2)"),
        ("Citext", (), "CITEXT"),
        ("Uuid", (), "UUID"),
        ("Xml", (), "XML"),
        ("Inet", (), "INET"),
        ("Bit", ("3",), "BIT(3)"),
        ("VarBit", (), "VARBIT"),
        ("SmallInt", (), "SMALLINT"),
        ("Integer", (), "INTEGER"),
        ("Oid", (), "OID"),
        ("BigInt", (), "BIGINT"),
        ("Real", (), "REAL"),
        ("DoublePrecision", (), "DOUBLE PRECISION"),
        ("Decimal", ("10", "2"), "DECIMAL(10,2)"),
        ("Decimal", (), "DECIMAL"),
        ("Money", (), "MONEY"),
        ("Timestamp", ("6",), "TIMESTAMP(6)"),
        ("Timestamptz", (), "TIMESTAMPTZ"),
        ("Date", (), "DATE"),
        ("Time", ("3",), "TIME(3)"),
        ("Timetz", ("3",), "TIMETZ(3)"),
        ("Boolean", (), "BOOLEAN"),
        ("Json", (), "JSON"),
        ("JsonB", (), "JSONB"),
        ("ByteA", (), "BYTEA"),
        ("Decimal", ("10",), None),  # psl wants both precision and scale
        ("VarChar", ("max",), None),
        ("NVarChar", ("10",), None),  # SQL Server's, not ours
    ],
)
def test_native_sql(native: str, args: tuple[str, ...], sql: str | None) -> None:
    assert D.native_sql(native, args) == sql


@pytest.mark.parametrize(
    ("native", "sql"),
    [("SmallInt", "SMALLSERIAL"), ("Integer", "SERIAL"), ("BigInt", "BIGSERIAL")],
)
def test_autoincrement_sql(native: str, sql: str) -> None:
    assert D.native_sql(native, autoincrement=True) == sql


@pytest.mark.parametrize(
    ("scalar", "native", "sql"),
    [
        ("String", "Text", "TEXT"),
        ("Int", "Integer", "INTEGER"),
        ("BigInt", "BigInt", "BIGINT"),
        ("Float", "DoublePrecision", "DOUBLE PRECISION"),
        ("Decimal", "Decimal", "DECIMAL(65,30)"),
        ("Boolean", "Boolean", "BOOLEAN"),
        ("DateTime", "Timestamp", "TIMESTAMP(3)"),
        ("Json", "JsonB", "JSONB"),
        ("Bytes", "ByteA", "BYTEA"),
    ],
)
def test_scalar_default(scalar: str, native: str, sql: str) -> None:
    default = D.default_native(scalar)
    assert default is not None and (default.native, default.sql) == (native, sql)


@pytest.mark.parametrize(
    ("column_type", "sql"),
    [
        (T(kind="string", length=255), "VARCHAR(255)"),
        (T(kind="string"), "VARCHAR"),
        (T(kind="text"), "TEXT"),
        (T(kind="uuid"), "UUID"),
        (T(kind="int"), "INTEGER"),
        (T(kind="smallint"), "SMALLINT"),
        (T(kind="bigint"), "BIGINT"),
        (T(kind="float"), "REAL"),
        (T(kind="double"), "DOUBLE PRECISION"),
        (T(kind="decimal", precision=65, scale=30), "DECIMAL(65,30)"),
        (T(kind="decimal", precision=10), "DECIMAL(10,0)"),
        (T(kind="decimal"), "DECIMAL"),
        (T(kind="boolean"), "BOOLEAN"),
        (T(kind="timestamp", precision=3), "TIMESTAMP(3)"),
        (T(kind="timestamp", precision=6, timezone=True), "TIMESTAMPTZ(6)"),
        (T(kind="time", timezone=True), "TIMETZ"),
        (T(kind="date"), "DATE"),
        (T(kind="json"), "JSONB"),
        (T(kind="bytes"), "BYTEA"),
        (T(kind="enum", enum="Role"), '"Role"'),
        (T(kind="enum", enum="Role", array=True), '"Role"[]'),
        (T(kind="text", array=True), "TEXT[]"),
        (T(kind="xml"), "XML"),
        (T(kind="inet"), "INET"),
        (T(kind="bit", length=3), "BIT(3)"),
        (T(kind="money"), "MONEY"),
        (T(kind="string", native="VarChar(32)", length=32), "VARCHAR(32)"),
        (T(kind="json", native="Json"), "JSON"),
        (T(kind="string", native="character varying(9)", length=9), "VARCHAR(9)"),
        (T(kind="object_id"), None),
        (T(kind="composite"), None),
        (T(kind="unsupported", native="circle"), None),
    ],
)
def test_type_sql(column_type: T, sql: str | None) -> None:
    assert D.type_sql(column_type) == sql


@pytest.mark.parametrize(
    ("got", "expected"),
    [
        (D.MAX_IDENTIFIER_LENGTH, 63),
        (D.quote("User"), '"User"'),
        (D.quote('we"ird'), '"we""ird"'),
        (D.is_reserved("user"), True),
        (D.is_reserved("order"), True),
        (D.is_reserved("account"), False),
        (D.IS_SQL, True),
    ],
)
def test_fact(got: object, expected: object) -> None:
    assert got == expected

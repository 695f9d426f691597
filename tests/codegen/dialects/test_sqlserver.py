"""SQL Server: native types with `Max`, scalar defaults and logical types."""

from __future__ import annotations

import pytest
from schemasense.codegen.dialects import get_dialect
from schemasense.codegen.schema import ColumnType as T

D = get_dialect("sqlserver")
assert D is not None


@pytest.mark.parametrize(
    ("native", "args", "sql"),
    [
        ("TinyInt", (), "TINYINT"),
        ("SmallInt", (), "SMALLINT"),
        ("Int", (), "INT"),
        ("BigInt", (), "BIGINT"),
        ("Decimal", ("32", "16"), "DECIMAL(32,16)"),
        ("Decimal", (), "DECIMAL"),
        ("Money", (), "MONEY"),
        ("SmallMoney", (), "SMALLMONEY"),
        ("Bit", (), "BIT"),
        ("Float", ("53",), "FLOAT(53)"),
        ("Float", (), "FLOAT"),
        ("Real", (), "REAL"),
        ("Date", (), "DATE"),
        ("Time", (), "TIME"),
        ("DateTime", (), "DATETIME"),
        ("DateTime2", (), "DATETIME2"),
        ("DateTimeOffset", (), "DATETIMEOFFSET"),
        ("SmallDateTime", (), "SMALLDATETIME"),
        ("Char", ("10",), "CHAR(10)"),
        ("NChar", ("10",), "NCHAR(10)"),
        ("VarChar", ("Max",), "VARCHAR(max)"),
        ("VarChar", ("255",), "VARCHAR(255)"),
        ("Text", (), "TEXT"),
        ("NVarChar", ("1000",), "NVARCHAR(1000)"),
        ("NVarChar", ("Max",), "NVARCHAR(max)"),
        ("NText", (), "NTEXT"),
        ("Binary", ("16",), "BINARY(16)"),
        ("VarBinary", ("Max",), "VARBINARY(max)"),
        ("Image", (), "IMAGE"),
        ("Xml", (), "XML"),
        ("UniqueIdentifier", (), "UNIQUEIDENTIFIER"),
        ("Char", ("Max",), None),  # only the variable-length types take Max
        ("Json", (), None),
    ],
)
def test_native_sql(native: str, args: tuple[str, ...], sql: str | None) -> None:
    assert D.native_sql(native, args) == sql


@pytest.mark.parametrize(
    ("scalar", "native", "sql"),
    [
        ("String", "NVarChar", "NVARCHAR(1000)"),
        ("Int", "Int", "INT"),
        ("BigInt", "BigInt", "BIGINT"),
        ("Float", "Float", "FLOAT(53)"),
        ("Decimal", "Decimal", "DECIMAL(32,16)"),
        ("Boolean", "Bit", "BIT"),
        ("DateTime", "DateTime2", "DATETIME2"),
        ("Bytes", "VarBinary", "VARBINARY(max)"),
    ],
)
def test_scalar_default(scalar: str, native: str, sql: str) -> None:
    default = D.default_native(scalar)
    assert default is not None and (default.native, default.sql) == (native, sql)


@pytest.mark.parametrize(
    ("column_type", "sql"),
    [
        (T(kind="string"), "NVARCHAR(1000)"),
        (T(kind="string", length=50), "NVARCHAR(50)"),
        (T(kind="text"), "NVARCHAR(max)"),
        (T(kind="uuid"), "UNIQUEIDENTIFIER"),
        (T(kind="int"), "INT"),
        (T(kind="double"), "FLOAT(53)"),
        (T(kind="decimal", precision=32, scale=16), "DECIMAL(32,16)"),
        (T(kind="boolean"), "BIT"),
        (T(kind="timestamp"), "DATETIME2"),
        (T(kind="timestamp", timezone=True), "DATETIMEOFFSET"),
        (T(kind="bytes"), "VARBINARY(max)"),
        (T(kind="json"), None),  # no Json on SQL Server
        (T(kind="enum", enum="Role"), None),  # no enums either
        (T(kind="int", array=True), None),
        (T(kind="string", native="NVarChar(Max)"), "NVARCHAR(max)"),
    ],
)
def test_type_sql(column_type: T, sql: str | None) -> None:
    assert D.type_sql(column_type) == sql


@pytest.mark.parametrize(
    ("got", "expected"),
    [
        (D.default_native("Json"), None),
        (D.MAX_IDENTIFIER_LENGTH, 128),
        (D.quote("User"), "[User]"),
        (D.quote("we]ird"), "[we]]ird]"),
        (D.is_reserved("user"), True),
        (D.is_reserved("key"), True),
        (D.JOIN_TABLE_SELF_RELATION_ACTION, "NoAction"),
    ],
)
def test_fact(got: object, expected: object) -> None:
    assert got == expected

"""MySQL: native types (with `DECIMAL(p, s)` and `BOOLEAN` spellings) and logical types."""

from __future__ import annotations

import pytest
from schemasense.codegen.dialects import get_dialect
from schemasense.codegen.schema import ColumnType as T

D = get_dialect("mysql")
assert D is not None


@pytest.mark.parametrize(
    ("native", "args", "scalar", "sql"),
    [
        ("VarChar", ("191",), None, "VARCHAR(191)"),
        ("VarChar", (), None, None),  # MySQL's VarChar needs its length
        ("Char", ("36",), None, "CHAR(36)"),
        ("TinyText", (), None, "TINYTEXT"),
        ("Text", (), None, "TEXT"),
        ("MediumText", (), None, "MEDIUMTEXT"),
        ("LongText", (), None, "LONGTEXT"),
        ("Int", (), None, "INTEGER"),
        ("UnsignedInt", (), None, "INTEGER UNSIGNED"),
        ("SmallInt", (), None, "SMALLINT"),
        ("UnsignedSmallInt", (), None, "SMALLINT UNSIGNED"),
        ("MediumInt", (), None, "MEDIUMINT"),
        ("UnsignedMediumInt", (), None, "MEDIUMINT UNSIGNED"),
        ("TinyInt", (), "Int", "TINYINT"),
        ("TinyInt", (), "Boolean", "BOOLEAN"),
        ("UnsignedTinyInt", (), "Int", "TINYINT UNSIGNED"),
        ("BigInt", (), None, "BIGINT"),
        ("UnsignedBigInt", (), None, "BIGINT UNSIGNED"),
        ("Year", (), None, "YEAR"),
        ("Float", (), None, "FLOAT"),
        ("Double", (), None, "DOUBLE"),
        ("Decimal", ("65", "30"), None, "DECIMAL(65, 30)"),
        ("Decimal", (), None, "DECIMAL"),
        ("Bit", ("1",), None, "BIT(1)"),
        ("Bit", (), None, None),
        ("Binary", ("16",), None, "BINARY(16)"),
        ("VarBinary", ("16",), None, "VARBINARY(16)"),
        ("TinyBlob", (), None, "TINYBLOB"),
        ("Blob", (), None, "BLOB"),
        ("MediumBlob", (), None, "MEDIUMBLOB"),
        ("LongBlob", (), None, "LONGBLOB"),
        ("Date", (), None, "DATE"),
        ("Time", ("3",), None, "TIME(3)"),
        ("DateTime", ("3",), None, "DATETIME(3)"),
        ("DateTime", (), None, "DATETIME"),
        ("Timestamp", ("6",), None, "TIMESTAMP(6)"),
        ("Json", (), None, "JSON"),
        ("JsonB", (), None, None),
    ],
)
def test_native_sql(
    native: str, args: tuple[str, ...], scalar: str | None, sql: str | None
) -> None:
    assert D.native_sql(native, args, scalar=scalar) == sql


@pytest.mark.parametrize(
    ("scalar", "native", "sql"),
    [
        ("String", "VarChar", "VARCHAR(191)"),
        ("Int", "Int", "INTEGER"),
        ("BigInt", "BigInt", "BIGINT"),
        ("Float", "Double", "DOUBLE"),
        ("Decimal", "Decimal", "DECIMAL(65, 30)"),
        ("Boolean", "TinyInt", "BOOLEAN"),
        ("DateTime", "DateTime", "DATETIME(3)"),
        ("Json", "Json", "JSON"),
        ("Bytes", "LongBlob", "LONGBLOB"),
    ],
)
def test_scalar_default(scalar: str, native: str, sql: str) -> None:
    default = D.default_native(scalar)
    assert default is not None and (default.native, default.sql) == (native, sql)


@pytest.mark.parametrize(
    ("column_type", "params", "sql"),
    [
        (T(kind="string"), {}, "VARCHAR(191)"),
        (T(kind="string", length=255), {}, "VARCHAR(255)"),
        (T(kind="text"), {}, "TEXT"),
        (T(kind="uuid"), {}, "CHAR(36)"),
        (T(kind="int"), {}, "INTEGER"),
        (T(kind="double"), {}, "DOUBLE"),
        (T(kind="decimal", precision=65, scale=30), {}, "DECIMAL(65, 30)"),
        (T(kind="boolean"), {}, "BOOLEAN"),
        (T(kind="timestamp", precision=3), {}, "DATETIME(3)"),
        (T(kind="timestamp", precision=3, timezone=True), {}, "DATETIME(3)"),
        (T(kind="json"), {}, "JSON"),
        (T(kind="bytes"), {}, "LONGBLOB"),
        (T(kind="enum", enum="Role"), {"values": "'ADMIN', 'USER'"}, "ENUM('ADMIN', 'USER')"),
        (T(kind="enum", enum="Role"), {}, None),  # the values are needed
        (T(kind="text", array=True), {}, None),  # no scalar lists
        (T(kind="boolean", native="TinyInt", orm_type="Boolean"), {}, "BOOLEAN"),
        (T(kind="smallint", native="TinyInt", orm_type="Int"), {}, "TINYINT"),
        (T(kind="decimal", native="Decimal(10, 2)"), {}, "DECIMAL(10, 2)"),
    ],
)
def test_type_sql(column_type: T, params: dict[str, object], sql: str | None) -> None:
    assert D.type_sql(column_type, **params) == sql


@pytest.mark.parametrize(
    ("got", "expected"),
    [
        (D.MAX_IDENTIFIER_LENGTH, 64),
        (D.quote("order"), "`order`"),
        (D.quote("we`ird"), "`we``ird`"),
        (D.is_reserved("order"), True),
        (D.is_reserved("key"), True),
        (D.is_reserved("user"), False),
    ],
)
def test_fact(got: object, expected: object) -> None:
    assert got == expected

"""MongoDB: BSON native types, no DDL, relations always emulated."""

from __future__ import annotations

import pytest
from schemasense.codegen.dialects import get_dialect
from schemasense.codegen.schema import ColumnType as T

D = get_dialect("mongodb")
assert D is not None


@pytest.mark.parametrize(
    ("native", "scalars", "bson"),
    [
        ("String", ("String",), "string"),
        ("Double", ("Float",), "double"),
        ("BinData", ("Bytes",), "binData"),
        ("ObjectId", ("String", "Bytes"), "objectId"),
        ("Bool", ("Boolean",), "bool"),
        ("Date", ("DateTime",), "date"),
        ("Int", ("Int",), "int"),
        ("Timestamp", ("DateTime",), "timestamp"),
        ("Long", ("Int", "BigInt"), "long"),
        ("Json", ("Json",), "object"),
    ],
)
def test_native_type(native: str, scalars: tuple[str, ...], bson: str) -> None:
    spec = D.native_type(native)
    assert spec is not None and (spec.scalars, spec.sql, spec.args) == (scalars, bson, "none")


@pytest.mark.parametrize(
    ("scalar", "native"),
    [
        ("String", "String"),
        ("Int", "Long"),
        ("BigInt", "Long"),
        ("Float", "Double"),
        ("Boolean", "Bool"),
        ("DateTime", "Date"),
        ("Json", "Json"),
        ("Bytes", "BinData"),
        ("Decimal", None),  # no DecimalType on MongoDB
    ],
)
def test_scalar_default(scalar: str, native: str | None) -> None:
    default = D.default_native(scalar)
    assert (default.native if default else None) == native


@pytest.mark.parametrize(
    ("got", "expected"),
    [
        (D.IS_SQL, False),
        (D.type_sql(T(kind="text")), None),
        (D.MAX_IDENTIFIER_LENGTH, 127),
        (D.RESERVED_WORDS, frozenset()),
        (D.has("CompoundIds"), False),
        (D.has("CompositeTypes"), True),
    ],
)
def test_fact(got: object, expected: object) -> None:
    assert got == expected

"""Which provider allows what: one line per capability, action and default, across providers.

The same facts are checked against Prisma's validator in test_oracle.py.
"""

from __future__ import annotations

import pytest
from schemasense.codegen.dialects import get_dialect, providers
from schemasense.codegen.dialects.capabilities import ALL_CAPABILITIES

PG, CR, MY, SL, MS, MG = "postgresql", "cockroachdb", "mysql", "sqlite", "sqlserver", "mongodb"

CAPABILITIES: dict[str, set[str]] = {
    "ScalarLists": {PG, CR, MG},
    "Enums": {PG, CR, MY, SL, MG},
    "Json": {PG, CR, MY, SL, MG},
    "JsonLists": {PG, MG},
    "CompositeTypes": {MG},
    "DecimalType": {PG, CR, MY, SL, MS},
    "AutoIncrement": {PG, CR, MY, SL, MS},
    "AutoIncrementAllowedOnNonId": {PG, CR, MY, MS},
    "AutoIncrementMultipleAllowed": {PG, CR, MS},
    "AutoIncrementNonIndexedAllowed": {PG, CR, MS},
    "CompoundIds": {PG, CR, MY, SL, MS},
    "AnyId": {PG, CR, MY, SL, MS},
    "NamedPrimaryKeys": {PG, CR, MS},
    "NamedForeignKeys": {PG, CR, MY, MS},
    "NamedDefaultValues": {MS},
    "IndexColumnLengthPrefixing": {MY},
    "FullTextIndex": {MY, MG},
    "SortOrderInFullTextIndex": {MG},
    "MultipleFullTextAttributesPerModel": {MY},
    "PrimaryKeySortOrderDefinition": {MS},
    "ClusteringSetting": {MS},
    "ImplicitManyToManyRelation": {PG, CR, MY, SL, MS},
    "TwoWayEmbeddedManyToManyRelation": {MG},
    "MultiSchema": {PG, CR, MS},
    "PartialIndex": {PG, CR, SL, MS},
    "RelationFieldsInArbitraryOrder": {PG, CR, MY, SL, MG},
    "ReferenceCycleDetection": {MS},
    "DefaultValueAuto": {MG},
}


def test_every_capability_has_a_line() -> None:
    assert set(CAPABILITIES) == ALL_CAPABILITIES


@pytest.mark.parametrize(("capability", "having"), CAPABILITIES.items())
def test_capability(capability: str, having: set[str]) -> None:
    assert {p for p in providers() if get_dialect(p).has(capability)} == having  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("provider", "index_types"),
    [
        (PG, {"BTree", "Hash", "Gist", "Gin", "SpGist", "Brin"}),
        (CR, {"BTree", "Gin"}),
        (MY, {"BTree"}),
        (SL, {"BTree"}),
        (MS, {"BTree"}),
        (MG, {"BTree"}),
    ],
)
def test_index_types(provider: str, index_types: set[str]) -> None:
    assert index_types == get_dialect(provider).INDEX_TYPES  # type: ignore[union-attr]


ALL5 = {"Cascade", "Restrict", "NoAction", "SetNull", "SetDefault"}


@pytest.mark.parametrize(
    ("provider", "mode", "actions"),
    [
        (PG, "foreignKeys", ALL5),
        (PG, "prisma", {"Cascade", "Restrict", "SetNull"}),
        (CR, "foreignKeys", ALL5),
        (CR, "prisma", {"Cascade", "Restrict", "NoAction", "SetNull"}),
        (MY, "foreignKeys", ALL5),
        (MY, "prisma", {"Cascade", "Restrict", "NoAction", "SetNull"}),
        (SL, "foreignKeys", ALL5),
        (SL, "prisma", {"Cascade", "Restrict", "SetNull"}),
        (MS, "foreignKeys", {"Cascade", "NoAction", "SetNull", "SetDefault"}),
        (MS, "prisma", {"Cascade", "Restrict", "NoAction", "SetNull"}),
        (MG, "prisma", {"Cascade", "Restrict", "NoAction", "SetNull"}),
        (MG, None, {"Cascade", "Restrict", "NoAction", "SetNull"}),
        (MG, "foreignKeys", set()),
        (PG, None, ALL5),
    ],
)
def test_referential_actions(provider: str, mode: str | None, actions: set[str]) -> None:
    assert get_dialect(provider).referential_actions(mode) == actions  # type: ignore[union-attr,arg-type]


@pytest.mark.parametrize(
    ("provider", "mode", "required", "on_delete"),
    [
        (PG, "foreignKeys", True, "Restrict"),
        (PG, "foreignKeys", False, "SetNull"),
        (PG, "prisma", True, "Restrict"),
        (CR, "foreignKeys", True, "Restrict"),
        (MY, "foreignKeys", True, "Restrict"),
        (MY, "prisma", False, "SetNull"),
        (SL, "foreignKeys", True, "Restrict"),
        (MS, "foreignKeys", True, "NoAction"),  # no RESTRICT in SQL Server
        (MS, "foreignKeys", False, "SetNull"),
        (MS, "prisma", True, "Restrict"),
        (MG, None, True, "Restrict"),
        (MG, None, False, "SetNull"),
    ],
)
def test_default_on_delete(provider: str, mode: str | None, required: bool, on_delete: str) -> None:
    dialect = get_dialect(provider)
    assert dialect is not None
    assert dialect.default_on_delete(required, mode) == on_delete  # type: ignore[arg-type]
    assert dialect.DEFAULT_ON_UPDATE == "Cascade"


@pytest.mark.parametrize(
    ("provider", "modes", "default", "set_null_on_required", "join_key"),
    [
        (PG, {"foreignKeys", "prisma"}, "foreignKeys", {"foreignKeys"}, "primary_key"),
        (CR, {"foreignKeys", "prisma"}, "foreignKeys", set(), "unique_index"),
        (MY, {"foreignKeys", "prisma"}, "foreignKeys", set(), "unique_index"),
        (SL, {"foreignKeys", "prisma"}, "foreignKeys", set(), "unique_index"),
        (MS, {"foreignKeys", "prisma"}, "foreignKeys", set(), "unique_index"),
        (MG, {"prisma"}, "prisma", set(), None),
    ],
)
def test_relation_facts(
    provider: str, modes: set[str], default: str, set_null_on_required: set[str], join_key: str
) -> None:
    dialect = get_dialect(provider)
    assert dialect is not None
    assert modes == dialect.RELATION_MODES
    assert default == dialect.DEFAULT_RELATION_MODE
    assert set_null_on_required == dialect.SET_NULL_ON_REQUIRED_FIELDS
    assert join_key == dialect.JOIN_TABLE_UNIQUENESS


@pytest.mark.parametrize(
    ("provider", "limit", "scopes"),
    [
        (PG, 63, ("GlobalPrimaryKeyKeyIndex", "ModelPrimaryKeyKeyIndexForeignKey")),
        (CR, 63, ("ModelPrimaryKeyKeyIndexForeignKey",)),
        (MY, 64, ("GlobalForeignKey", "ModelKeyIndex")),
        (SL, 10_000, ("GlobalKeyIndex",)),
        (MS, 128, ("GlobalPrimaryKeyForeignKeyDefault", "ModelPrimaryKeyKeyIndex")),
        (MG, 127, ("ModelKeyIndex",)),
    ],
)
def test_limits_and_name_scopes(provider: str, limit: int, scopes: tuple[str, ...]) -> None:
    dialect = get_dialect(provider)
    assert dialect is not None
    assert (limit, scopes) == (dialect.MAX_IDENTIFIER_LENGTH, dialect.CONSTRAINT_SCOPES)


@pytest.mark.parametrize(
    ("provider", "mode", "checked"),
    [
        (PG, "foreignKeys", False),
        (PG, "prisma", True),
        (MY, "foreignKeys", False),
        (SL, "prisma", True),
        (MS, "foreignKeys", True),
        (MS, "prisma", True),
        (MG, None, True),
    ],
)
def test_reference_cycles_checked(provider: str, mode: str | None, checked: bool) -> None:
    assert get_dialect(provider).checks_reference_cycles(mode) is checked  # type: ignore[union-attr,arg-type]

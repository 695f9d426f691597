"""The vocabulary the dialect tables are written in: Prisma's own names, nothing invented.

Capability names are the `ConnectorCapability` variants of Prisma's psl
(`psl/psl-core/src/datamodel_connector/capabilities.rs`). Only the ones schema validation reads
are listed here; the query-engine-only ones (`CreateMany`, `InsensitiveFilters`, `LateralJoin`, ...)
say nothing about whether a schema is valid, so they are left out on purpose.

Referential actions, index algorithms and relation modes are spelled as in the Prisma schema
language (`onDelete: SetNull`, `@@index(type: Gin)`, `relationMode = "prisma"`), so a rule can
compare what it read from a schema with these tables without translating.
"""

from __future__ import annotations

from typing import Literal

Capability = Literal[
    "ScalarLists",
    "Enums",
    "Json",
    "JsonLists",
    "AutoIncrement",
    "RelationFieldsInArbitraryOrder",
    "CompositeTypes",
    "DefaultValueAuto",
    "TwoWayEmbeddedManyToManyRelation",
    "ImplicitManyToManyRelation",
    "MultiSchema",
    "AutoIncrementAllowedOnNonId",
    "AutoIncrementMultipleAllowed",
    "AutoIncrementNonIndexedAllowed",
    "NamedPrimaryKeys",
    "NamedForeignKeys",
    "ReferenceCycleDetection",
    "NamedDefaultValues",
    "IndexColumnLengthPrefixing",
    "PrimaryKeySortOrderDefinition",
    "FullTextIndex",
    "SortOrderInFullTextIndex",
    "MultipleFullTextAttributesPerModel",
    "ClusteringSetting",
    "CompoundIds",
    "AnyId",
    "DecimalType",
    "PartialIndex",
]

ALL_CAPABILITIES: frozenset[str] = frozenset(Capability.__args__)  # type: ignore[attr-defined]
"""Every capability name a dialect table may use; a test keeps the tables to these names."""

ReferentialAction = Literal["Cascade", "Restrict", "NoAction", "SetNull", "SetDefault"]

REFERENTIAL_ACTION_ORDER: tuple[ReferentialAction, ...] = (
    "Cascade",
    "Restrict",
    "NoAction",
    "SetNull",
    "SetDefault",
)
"""The order in which Prisma lists actions (completions, `referential_actions` of the wasm)."""

REFERENTIAL_ACTION_SQL: dict[ReferentialAction, str] = {
    "Cascade": "CASCADE",
    "Restrict": "RESTRICT",
    "NoAction": "NO ACTION",
    "SetNull": "SET NULL",
    "SetDefault": "SET DEFAULT",
}

RelationMode = Literal["foreignKeys", "prisma"]

IndexType = Literal["BTree", "Hash", "Gist", "Gin", "SpGist", "Brin"]
"""The `type:` argument of `@@index` (psl's `IndexAlgorithm`)."""

PrismaScalar = Literal[
    "String", "Int", "BigInt", "Float", "Decimal", "Boolean", "DateTime", "Json", "Bytes"
]

PRISMA_SCALARS: tuple[PrismaScalar, ...] = PrismaScalar.__args__  # type: ignore[attr-defined]

ConstraintScope = Literal[
    "GlobalKeyIndex",
    "GlobalForeignKey",
    "GlobalPrimaryKeyKeyIndex",
    "GlobalPrimaryKeyForeignKeyDefault",
    "ModelKeyIndex",
    "ModelPrimaryKeyKeyIndex",
    "ModelPrimaryKeyKeyIndexForeignKey",
]
"""Where a constraint name must be unique (psl's `ConstraintScope`), for name-clash validation.

`Global*` scopes span the whole database (schema); `Model*` scopes one table. The words after
the prefix say which kinds share the namespace: PrimaryKey, Key (unique) / Index, ForeignKey,
Default (SQL Server default constraints).
"""

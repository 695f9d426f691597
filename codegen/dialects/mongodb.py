"""MongoDB as Prisma sees it: documents, not tables; relations are always emulated.

Sources (prisma/prisma-engines): `psl/psl-core/src/builtin_connectors/mongodb.rs` and
`mongodb/mongodb_types.rs`. There is no DDL, so `TYPE_MAPPING` is empty and `sql` in the native
type table holds the BSON type alias (`$type` in a query or a JSON schema validator) instead.
`relationMode` can only be `prisma`, there are no foreign keys and no implicit many-to-many
tables (two-way embedded lists of ids instead), and compound ids do not exist.
"""

from __future__ import annotations

from .base import Dialect
from .native import DefaultNative, nt


class MongoDB(Dialect):
    NAME = "mongodb"
    DISPLAY_NAME = "MongoDB"
    IS_SQL = False
    MAX_IDENTIFIER_LENGTH = 127

    CAPABILITIES = frozenset(
        {
            "CompositeTypes",
            "DefaultValueAuto",
            "Enums",
            "FullTextIndex",
            "Json",
            "JsonLists",
            "RelationFieldsInArbitraryOrder",
            "ScalarLists",
            "SortOrderInFullTextIndex",
            "TwoWayEmbeddedManyToManyRelation",
        }
    )
    CONSTRAINT_SCOPES = ("ModelKeyIndex",)

    RELATION_MODES = frozenset({"prisma"})
    DEFAULT_RELATION_MODE = "prisma"
    REFERENTIAL_ACTIONS = {
        "foreignKeys": frozenset(),
        "prisma": frozenset({"Cascade", "Restrict", "NoAction", "SetNull"}),
    }

    NATIVE_TYPES = {
        "String": nt("string", "String"),
        "Double": nt("double", "Float"),
        "BinData": nt("binData", "Bytes"),
        "ObjectId": nt("objectId", "String", "Bytes"),
        "Bool": nt("bool", "Boolean"),
        "Date": nt("date", "DateTime"),
        "Int": nt("int", "Int"),
        "Timestamp": nt("timestamp", "DateTime"),
        "Long": nt("long", "Int", "BigInt"),
        "Json": nt("object", "Json"),
    }

    SCALAR_DEFAULT_NATIVE = {
        "String": DefaultNative("String", "string"),
        "Int": DefaultNative("Long", "long"),
        "BigInt": DefaultNative("Long", "long"),
        "Float": DefaultNative("Double", "double"),
        "Boolean": DefaultNative("Bool", "bool"),
        "DateTime": DefaultNative("Date", "date"),
        "Json": DefaultNative("Json", "object"),
        "Bytes": DefaultNative("BinData", "binData"),
    }
    """No `Decimal`: MongoDB has no DecimalType capability in Prisma."""

    JOIN_TABLE_UNIQUENESS = None

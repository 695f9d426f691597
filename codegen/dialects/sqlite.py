"""SQLite as Prisma sees it: no native types, no named primary keys, no scalar lists.

Sources (prisma/prisma-engines): `psl/psl-core/src/builtin_connectors/sqlite_datamodel_connector.rs`
(capabilities: Enums, Json and PartialIndex arrived in Prisma 6/7; the native type table is empty
and any `@db.` attribute is an error). The SQL for each scalar is what the schema engine writes,
checked against `@prisma/schema-engine-wasm` (`Json` is `JSONB`, an enum column is `TEXT`).
Foreign keys are named in the DDL (`CONSTRAINT "T_a_fkey"`) although `map:` on `@relation` is
refused.
"""

from __future__ import annotations

from .base import Dialect, words
from .native import DefaultNative

SQLITE_RESERVED_WORDS = words(
    """
    ADD ALL ALTER AND AS AUTOINCREMENT BETWEEN CASE CHECK COLLATE COMMIT CONSTRAINT CREATE
    DEFAULT DEFERRABLE DELETE DISTINCT DROP ELSE ESCAPE EXCEPT EXISTS FOREIGN FROM GROUP HAVING
    IN INDEX INSERT INTERSECT INTO IS ISNULL JOIN LIMIT NOT NOTNULL NULL ON OR ORDER PRIMARY
    REFERENCES SELECT SET TABLE THEN TO TRANSACTION UNION UNIQUE UPDATE USING VALUES WHEN WHERE
    """
)
"""The SQLite keywords that cannot be used unquoted as table or column names (a subset)."""


class SQLite(Dialect):
    NAME = "sqlite"
    DISPLAY_NAME = "SQLite"
    MAX_IDENTIFIER_LENGTH = 10_000
    RESERVED_WORDS = SQLITE_RESERVED_WORDS

    CAPABILITIES = frozenset(
        {
            "AnyId",
            "AutoIncrement",
            "CompoundIds",
            "DecimalType",
            "Enums",
            "ImplicitManyToManyRelation",
            "Json",
            "PartialIndex",
            "RelationFieldsInArbitraryOrder",
        }
    )
    CONSTRAINT_SCOPES = ("GlobalKeyIndex",)

    REFERENTIAL_ACTIONS = {
        "foreignKeys": frozenset({"Cascade", "Restrict", "NoAction", "SetNull", "SetDefault"}),
        "prisma": frozenset({"Cascade", "Restrict", "SetNull"}),
    }

    NATIVE_TYPES = {}

    SCALAR_DEFAULT_NATIVE = {
        "String": DefaultNative(None, "TEXT"),
        "Int": DefaultNative(None, "INTEGER"),
        "BigInt": DefaultNative(None, "BIGINT"),
        "Float": DefaultNative(None, "REAL"),
        "Decimal": DefaultNative(None, "DECIMAL"),
        "Boolean": DefaultNative(None, "BOOLEAN"),
        "DateTime": DefaultNative(None, "DATETIME"),
        "Json": DefaultNative(None, "JSONB"),
        "Bytes": DefaultNative(None, "BLOB"),
    }

    TYPE_MAPPING = {
        "string": "TEXT",
        "text": "TEXT",
        "uuid": "TEXT",
        "int": "INTEGER",
        "smallint": "INTEGER",
        "bigint": "BIGINT",
        "float": "REAL",
        "double": "REAL",
        "decimal": "DECIMAL",
        "boolean": "BOOLEAN",
        "timestamp": "DATETIME",
        "date": "DATETIME",
        "time": "DATETIME",
        "json": "JSONB",
        "bytes": "BLOB",
        "enum": "TEXT",
    }

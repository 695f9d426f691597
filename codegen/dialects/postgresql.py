"""PostgreSQL as Prisma sees it.

Sources (prisma/prisma-engines, under `psl/psl-core/src/builtin_connectors/`):
`postgres_datamodel_connector.rs` (capabilities, limits, referential actions, scalar defaults,
index types) and its `native_types.rs`. The SQL spellings are the schema engine's
`render_column_type_postgres` (`schema-engine/connectors/sql-schema-connector/src/flavour/
postgres/renderer.rs`); the join table's primary key is `m2m_join_table_constraint` in
`flavour/postgres/schema_calculator.rs`. Checked against `@prisma/schema-engine-wasm` in
tests/codegen/dialects/test_oracle.py.
"""

from __future__ import annotations

from .base import Dialect, words
from .native import DefaultNative, nt

POSTGRES_RESERVED_WORDS = words(
    """
    ALL ANALYSE ANALYZE AND ANY ARRAY AS ASC ASYMMETRIC AUTHORIZATION BINARY BOTH CASE CAST
    CHECK COLLATE COLLATION COLUMN CONCURRENTLY CONSTRAINT CREATE CROSS CURRENT_CATALOG
    CURRENT_DATE CURRENT_ROLE CURRENT_SCHEMA CURRENT_TIME CURRENT_TIMESTAMP CURRENT_USER DEFAULT
    DEFERRABLE DESC DISTINCT DO ELSE END EXCEPT FALSE FETCH FOR FOREIGN FREEZE FROM FULL GRANT
    GROUP HAVING ILIKE IN INITIALLY INNER INTERSECT INTO IS ISNULL JOIN LATERAL LEADING LEFT
    LIKE LIMIT LOCALTIME LOCALTIMESTAMP NATURAL NOT NOTNULL NULL OFFSET ON ONLY OR ORDER OUTER
    OVERLAPS PLACING PRIMARY REFERENCES RETURNING RIGHT SELECT SESSION_USER SIMILAR SOME
    SYMMETRIC SYSTEM_USER TABLE TABLESAMPLE THEN TO TRAILING TRUE UNION UNIQUE USER USING
    VARIADIC VERBOSE WHEN WHERE WINDOW WITH
    """
)
"""PostgreSQL's reserved key words, also those reserved except as function or type names."""


class PostgreSQL(Dialect):
    NAME = "postgresql"
    ALIASES = ("postgres",)
    MAX_IDENTIFIER_LENGTH = 63
    RESERVED_WORDS = POSTGRES_RESERVED_WORDS

    CAPABILITIES = frozenset(
        {
            "AnyId",
            "AutoIncrement",
            "AutoIncrementAllowedOnNonId",
            "AutoIncrementMultipleAllowed",
            "AutoIncrementNonIndexedAllowed",
            "CompoundIds",
            "DecimalType",
            "Enums",
            "ImplicitManyToManyRelation",
            "Json",
            "JsonLists",
            "MultiSchema",
            "NamedForeignKeys",
            "NamedPrimaryKeys",
            "PartialIndex",
            "RelationFieldsInArbitraryOrder",
            "ScalarLists",
        }
    )
    INDEX_TYPES = frozenset({"BTree", "Hash", "Gist", "Gin", "SpGist", "Brin"})
    CONSTRAINT_SCOPES = ("GlobalPrimaryKeyKeyIndex", "ModelPrimaryKeyKeyIndexForeignKey")

    REFERENTIAL_ACTIONS = {
        "foreignKeys": frozenset({"Cascade", "Restrict", "NoAction", "SetNull", "SetDefault"}),
        "prisma": frozenset({"Cascade", "Restrict", "SetNull"}),
    }
    SET_NULL_ON_REQUIRED_FIELDS = frozenset({"foreignKeys"})

    NATIVE_TYPES = {
        "SmallInt": nt("SMALLINT", "Int"),
        "Integer": nt("INTEGER", "Int"),
        "BigInt": nt("BIGINT", "BigInt"),
        "Decimal": nt("DECIMAL", "Decimal", args="optional_precision_scale"),
        "Money": nt("MONEY", "Decimal"),
        "Inet": nt("INET", "String"),
        "Oid": nt("OID", "Int"),
        "Citext": nt("CITEXT", "String"),
        "Real": nt("REAL", "Float"),
        "DoublePrecision": nt("DOUBLE PRECISION", "Float"),
        "VarChar": nt("VARCHAR", "String", args="optional_int"),
        "Char": nt("CHAR", "String", args="optional_int"),
        "Text": nt("TEXT", "String"),
        "ByteA": nt("BYTEA", "Bytes"),
        "Timestamp": nt("TIMESTAMP", "DateTime", args="optional_int"),
        "Timestamptz": nt("TIMESTAMPTZ", "DateTime", args="optional_int"),
        "Date": nt("DATE", "DateTime"),
        "Time": nt("TIME", "DateTime", args="optional_int"),
        "Timetz": nt("TIMETZ", "DateTime", args="optional_int"),
        "Boolean": nt("BOOLEAN", "Boolean"),
        "Bit": nt("BIT", "String", args="optional_int"),
        "VarBit": nt("VARBIT", "String", args="optional_int"),
        "Uuid": nt("UUID", "String"),
        "Xml": nt("XML", "String"),
        "Json": nt("JSON", "Json"),
        "JsonB": nt("JSONB", "Json"),
    }
    AUTOINCREMENT_SQL = {"SmallInt": "SMALLSERIAL", "Integer": "SERIAL", "BigInt": "BIGSERIAL"}

    SCALAR_DEFAULT_NATIVE = {
        "String": DefaultNative("Text", "TEXT"),
        "Int": DefaultNative("Integer", "INTEGER"),
        "BigInt": DefaultNative("BigInt", "BIGINT"),
        "Float": DefaultNative("DoublePrecision", "DOUBLE PRECISION"),
        "Decimal": DefaultNative("Decimal", "DECIMAL(65,30)", ("65", "30")),
        "Boolean": DefaultNative("Boolean", "BOOLEAN"),
        "DateTime": DefaultNative("Timestamp", "TIMESTAMP(3)", ("3",)),
        "Json": DefaultNative("JsonB", "JSONB"),
        "Bytes": DefaultNative("ByteA", "BYTEA"),
    }

    TYPE_MAPPING = {
        "string": "VARCHAR({length})",
        "text": "TEXT",
        "uuid": "UUID",
        "int": "INTEGER",
        "smallint": "SMALLINT",
        "bigint": "BIGINT",
        "float": "REAL",
        "double": "DOUBLE PRECISION",
        "decimal": "DECIMAL({precision},{scale=0})",
        "boolean": "BOOLEAN",
        "timestamp": "TIMESTAMP({precision})",
        "timestamp_tz": "TIMESTAMPTZ({precision})",
        "date": "DATE",
        "time": "TIME({precision})",
        "time_tz": "TIMETZ({precision})",
        "json": "JSONB",
        "bytes": "BYTEA",
        "enum": '"{enum}"',
        "xml": "XML",
        "inet": "INET",
        "bit": "BIT({length})",
        "money": "MONEY",
    }
    ARRAY_SUFFIX = "[]"

    JOIN_TABLE_UNIQUENESS = "primary_key"

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
from .native import ArgRange, DefaultNative, DefaultOperatorClasses, OperatorClass, nt


def _brin(natives: str, scalar: str | None, *names: str) -> dict[str, OperatorClass]:
    return {
        name: OperatorClass(frozenset({"Brin"}), frozenset(natives.split()), scalar)  # type: ignore[arg-type]
        for name in names
    }


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


_PRECISION = "Precision must be positive with a maximum value of 1000."


class PostgreSQL(Dialect):
    NAME = "postgresql"
    DISPLAY_NAME = "Postgres"
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

    KEYLESS_NATIVE_TYPES = frozenset({"Xml"})
    NATIVE_ARG_RANGES = {
        "Decimal": (ArgRange(0, 1, 1000, _PRECISION),),
        "Bit": (ArgRange(0, 1, 2**32 - 1, "M must be a positive integer."),),
        "VarBit": (ArgRange(0, 1, 2**32 - 1, "M must be a positive integer."),),
        "Timestamp": (ArgRange(0, 0, 6, "M can range from 0 to 6."),),
        "Timestamptz": (ArgRange(0, 0, 6, "M can range from 0 to 6."),),
        "Time": (ArgRange(0, 0, 6, "M can range from 0 to 6."),),
        "Timetz": (ArgRange(0, 0, 6, "M can range from 0 to 6."),),
    }
    """`postgres_datamodel_connector.rs`'s `validate_native_type_arguments`."""

    OPERATOR_CLASSES = {
        "InetOps": OperatorClass(frozenset({"Gist", "SpGist"}), frozenset({"Inet"})),
        "JsonbOps": OperatorClass(frozenset({"Gin"}), frozenset({"JsonB"}), "Json"),
        "JsonbPathOps": OperatorClass(frozenset({"Gin"}), frozenset({"JsonB"}), "Json"),
        "ArrayOps": OperatorClass(frozenset({"Gin"}), lists=True),
        "TextOps": OperatorClass(
            frozenset({"SpGist"}), frozenset({"Text", "VarChar", "Char"}), "String"
        ),
        **_brin("Bit", None, "BitMinMaxOps"),
        **_brin("VarBit", None, "VarBitMinMaxOps"),
        **_brin("Char", None, "BpcharBloomOps", "BpcharMinMaxOps"),
        **_brin("ByteA", "Bytes", "ByteaBloomOps", "ByteaMinMaxOps"),
        **_brin("Date", None, "DateBloomOps", "DateMinMaxOps", "DateMinMaxMultiOps"),
        **_brin("Real", None, "Float4BloomOps", "Float4MinMaxOps", "Float4MinMaxMultiOps"),
        **_brin(
            "DoublePrecision", "Float", "Float8BloomOps", "Float8MinMaxOps", "Float8MinMaxMultiOps"
        ),
        **_brin(
            "Inet", None, "InetInclusionOps", "InetBloomOps", "InetMinMaxOps", "InetMinMaxMultiOps"
        ),
        **_brin("SmallInt", None, "Int2BloomOps", "Int2MinMaxOps", "Int2MinMaxMultiOps"),
        **_brin("Integer", "Int", "Int4BloomOps", "Int4MinMaxOps", "Int4MinMaxMultiOps"),
        **_brin("BigInt", "BigInt", "Int8BloomOps", "Int8MinMaxOps", "Int8MinMaxMultiOps"),
        **_brin(
            "Decimal", "Decimal", "NumericBloomOps", "NumericMinMaxOps", "NumericMinMaxMultiOps"
        ),
        **_brin("Oid", None, "OidBloomOps", "OidMinMaxOps", "OidMinMaxMultiOps"),
        **_brin("Text VarChar", "String", "TextBloomOps", "TextMinMaxOps"),
        **_brin(
            "Timestamp",
            "DateTime",
            "TimestampBloomOps",
            "TimestampMinMaxOps",
            "TimestampMinMaxMultiOps",
        ),
        **_brin(
            "Timestamptz",
            None,
            "TimestampTzBloomOps",
            "TimestampTzMinMaxOps",
            "TimestampTzMinMaxMultiOps",
        ),
        **_brin("Time", None, "TimeBloomOps", "TimeMinMaxOps", "TimeMinMaxMultiOps"),
        **_brin("Timetz", None, "TimeTzBloomOps", "TimeTzMinMaxOps", "TimeTzMinMaxMultiOps"),
        **_brin("Uuid", None, "UuidBloomOps", "UuidMinMaxOps", "UuidMinMaxMultiOps"),
    }
    """psl's `OperatorClass` and `generalized_index_validations`
    (`postgres_datamodel_connector/validations.rs`)."""
    DEFAULT_OPERATOR_CLASSES = {
        "Gist": DefaultOperatorClasses(scalars=frozenset({"String"})),
        "Gin": DefaultOperatorClasses(
            natives=frozenset({"JsonB"}), scalars=frozenset({"Json"}), lists=True
        ),
        "SpGist": DefaultOperatorClasses(
            natives=frozenset({"Inet", "Text", "VarChar", "Char"}), scalars=frozenset({"String"})
        ),
        "Brin": DefaultOperatorClasses(
            natives=frozenset(
                {
                    "Bit",
                    "VarBit",
                    "Char",
                    "Date",
                    "Real",
                    "DoublePrecision",
                    "Inet",
                    "SmallInt",
                    "Integer",
                    "BigInt",
                    "Decimal",
                    "Oid",
                    "ByteA",
                    "Text",
                    "VarChar",
                    "Timestamp",
                    "Timestamptz",
                    "Time",
                    "Timetz",
                    "Uuid",
                }
            ),
            scalars=frozenset({"String", "Bytes", "DateTime", "Float", "Int", "BigInt", "Decimal"}),
        ),
    }

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

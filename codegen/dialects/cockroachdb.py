"""CockroachDB as Prisma sees it: PostgreSQL's wire and quoting, its own types and rules.

Sources (prisma/prisma-engines, under `psl/psl-core/src/builtin_connectors/`):
`cockroach_datamodel_connector.rs` and its `native_types.rs`; SQL spellings from
`render_column_type_cockroachdb` in the schema engine's `flavour/postgres/renderer.rs`.
Unlike PostgreSQL, the implicit many-to-many table keeps a unique index, not a primary key
(`m2m_join_table_constraint` in `flavour/postgres/schema_calculator.rs`), `autoincrement()` is
only allowed on BigInt (it renders `INT8 DEFAULT unique_rowid()`), and `Json[]` is refused.
"""

from __future__ import annotations

from .base import Dialect
from .native import ArgRange, DefaultNative, nt
from .postgresql import POSTGRES_RESERVED_WORDS

_PRECISION = "Precision must be positive with a maximum value of 1000."


class CockroachDB(Dialect):
    NAME = "cockroachdb"
    DISPLAY_NAME = "CockroachDB"
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
            "MultiSchema",
            "NamedForeignKeys",
            "NamedPrimaryKeys",
            "PartialIndex",
            "RelationFieldsInArbitraryOrder",
            "ScalarLists",
        }
    )
    INDEX_TYPES = frozenset({"BTree", "Gin"})
    CONSTRAINT_SCOPES = ("ModelPrimaryKeyKeyIndexForeignKey",)

    NATIVE_TYPES = {
        "Bit": nt("BIT", "String", args="optional_int"),
        "Bool": nt("BOOL", "Boolean"),
        "Bytes": nt("BYTES", "Bytes"),
        "Char": nt("CHAR", "String", args="optional_int"),
        "Date": nt("DATE", "DateTime"),
        "Decimal": nt("DECIMAL", "Decimal", args="optional_precision_scale"),
        "Float4": nt("FLOAT4", "Float"),
        "Float8": nt("FLOAT8", "Float"),
        "Inet": nt("INET", "String"),
        "Int2": nt("INT2", "Int"),
        "Int4": nt("INT4", "Int"),
        "Int8": nt("INT8", "BigInt"),
        "JsonB": nt("JSONB", "Json"),
        "Oid": nt("OID", "Int"),
        "CatalogSingleChar": nt('"char"', "String"),
        "String": nt("STRING", "String", args="optional_int"),
        "Time": nt("TIME", "DateTime", args="optional_int"),
        "Timestamp": nt("TIMESTAMP", "DateTime", args="optional_int"),
        "Timestamptz": nt("TIMESTAMPTZ", "DateTime", args="optional_int"),
        "Timetz": nt("TIMETZ", "DateTime", args="optional_int"),
        "Uuid": nt("UUID", "String"),
        "VarBit": nt("VARBIT", "String", args="optional_int"),
    }

    NATIVE_ARG_RANGES = {
        "Decimal": (ArgRange(0, 1, 1000, _PRECISION),),
        "Bit": (ArgRange(0, 1, 2**32 - 1, "M must be a positive integer."),),
        "VarBit": (ArgRange(0, 1, 2**32 - 1, "M must be a positive integer."),),
        "Timestamp": (ArgRange(0, 0, 6, "M can range from 0 to 6."),),
        "Timestamptz": (ArgRange(0, 0, 6, "M can range from 0 to 6."),),
        "Time": (ArgRange(0, 0, 6, "M can range from 0 to 6."),),
        "Timetz": (ArgRange(0, 0, 6, "M can range from 0 to 6."),),
    }
    """`cockroach_datamodel_connector.rs`'s `validate_native_type_arguments`."""

    SCALAR_DEFAULT_NATIVE = {
        "String": DefaultNative("String", "STRING"),
        "Int": DefaultNative("Int4", "INT4"),
        "BigInt": DefaultNative("Int8", "INT8"),
        "Float": DefaultNative("Float8", "FLOAT8"),
        "Decimal": DefaultNative("Decimal", "DECIMAL(65,30)", ("65", "30")),
        "Boolean": DefaultNative("Bool", "BOOL"),
        "DateTime": DefaultNative("Timestamp", "TIMESTAMP(3)", ("3",)),
        "Json": DefaultNative("JsonB", "JSONB"),
        "Bytes": DefaultNative("Bytes", "BYTES"),
    }

    TYPE_MAPPING = {
        "string": "STRING({length})",
        "text": "STRING",
        "uuid": "UUID",
        "int": "INT4",
        "smallint": "INT2",
        "bigint": "INT8",
        "float": "FLOAT4",
        "double": "FLOAT8",
        "decimal": "DECIMAL({precision},{scale=0})",
        "boolean": "BOOL",
        "timestamp": "TIMESTAMP({precision})",
        "timestamp_tz": "TIMESTAMPTZ({precision})",
        "date": "DATE",
        "time": "TIME({precision})",
        "time_tz": "TIMETZ({precision})",
        "json": "JSONB",
        "bytes": "BYTES",
        "enum": '"{enum}"',
        "inet": "INET",
        "bit": "BIT({length})",
    }
    ARRAY_SUFFIX = "[]"

    JOIN_TABLE_UNIQUENESS = "unique_index"

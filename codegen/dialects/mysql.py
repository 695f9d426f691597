"""MySQL (and MariaDB, which Prisma drives through the same connector) as Prisma sees it.

Sources (prisma/prisma-engines): `psl/psl-core/src/builtin_connectors/mysql_datamodel_connector.rs`
and its `native_types.rs`; SQL spellings from `render_column_type` in
`schema-engine/connectors/sql-schema-connector/src/flavour/mysql/renderer.rs` (note the space in
`DECIMAL(65, 30)`, and a `TinyInt` Boolean written `BOOLEAN`). Primary keys have no name of
their own on MySQL (always `PRIMARY`), so `map:` on `@id` is refused. `SetDefault` is accepted
by the schema but InnoDB rejects it; psl warns about it.
"""

from __future__ import annotations

from .base import Dialect, words
from .native import ArgRange, DefaultNative, nt

MYSQL_RESERVED_WORDS = words(
    """
    ACCESSIBLE ADD ALL ALTER ANALYZE AND AS ASC ASENSITIVE BEFORE BETWEEN BIGINT BINARY BLOB
    BOTH BY CALL CASCADE CASE CHANGE CHAR CHARACTER CHECK COLLATE COLUMN CONDITION CONSTRAINT
    CONTINUE CONVERT CREATE CROSS CUBE CUME_DIST CURRENT_DATE CURRENT_TIME CURRENT_TIMESTAMP
    CURRENT_USER CURSOR DATABASE DATABASES DAY_HOUR DAY_MICROSECOND DAY_MINUTE DAY_SECOND DEC
    DECIMAL DECLARE DEFAULT DELAYED DELETE DENSE_RANK DESC DESCRIBE DETERMINISTIC DISTINCT
    DISTINCTROW DIV DOUBLE DROP DUAL EACH ELSE ELSEIF EMPTY ENCLOSED ESCAPED EXCEPT EXISTS EXIT
    EXPLAIN FALSE FETCH FIRST_VALUE FLOAT FLOAT4 FLOAT8 FOR FORCE FOREIGN FROM FULLTEXT FUNCTION
    GENERATED GET GRANT GROUP GROUPING GROUPS HAVING HIGH_PRIORITY HOUR_MICROSECOND HOUR_MINUTE
    HOUR_SECOND IF IGNORE IN INDEX INFILE INNER INOUT INSENSITIVE INSERT INT INT1 INT2 INT3 INT4
    INT8 INTEGER INTERSECT INTERVAL INTO IS ITERATE JOIN JSON_TABLE KEY KEYS KILL LAG LAST_VALUE
    LATERAL LEAD LEADING LEAVE LEFT LIKE LIMIT LINEAR LINES LOAD LOCALTIME LOCALTIMESTAMP LOCK
    LONG LONGBLOB LONGTEXT LOOP LOW_PRIORITY MATCH MAXVALUE MEDIUMBLOB MEDIUMINT MEDIUMTEXT
    MIDDLEINT MINUTE_MICROSECOND MINUTE_SECOND MOD MODIFIES NATURAL NOT NO_WRITE_TO_BINLOG
    NTH_VALUE NTILE NULL NUMERIC OF ON OPTIMIZE OPTION OPTIONALLY OR ORDER OUT OUTER OUTFILE
    OVER PARTITION PERCENT_RANK PRECISION PRIMARY PROCEDURE PURGE RANGE RANK READ READS
    READ_WRITE REAL RECURSIVE REFERENCES REGEXP RELEASE RENAME REPEAT REPLACE REQUIRE RESIGNAL
    RESTRICT RETURN REVOKE RIGHT RLIKE ROW ROWS ROW_NUMBER SCHEMA SCHEMAS SECOND_MICROSECOND
    SELECT SENSITIVE SEPARATOR SET SHOW SIGNAL SMALLINT SPATIAL SPECIFIC SQL SQLEXCEPTION
    SQLSTATE SQLWARNING SQL_BIG_RESULT SQL_CALC_FOUND_ROWS SQL_SMALL_RESULT SSL STARTING STORED
    STRAIGHT_JOIN SYSTEM TABLE TERMINATED THEN TINYBLOB TINYINT TINYTEXT TO TRAILING TRIGGER
    TRUE UNDO UNION UNIQUE UNLOCK UNSIGNED UPDATE USAGE USE USING UTC_DATE UTC_TIME
    UTC_TIMESTAMP VALUES VARBINARY VARCHAR VARCHARACTER VARYING VIRTUAL WHEN WHERE WHILE WINDOW
    WITH WRITE XOR YEAR_MONTH ZEROFILL
    """
)
"""MySQL 8.0's reserved words (the `(R)` entries of its keyword list)."""


class MySQL(Dialect):
    NAME = "mysql"
    DISPLAY_NAME = "MySQL"
    MAX_IDENTIFIER_LENGTH = 64
    RESERVED_WORDS = MYSQL_RESERVED_WORDS
    IDENTIFIER_QUOTE = ("`", "`")

    CAPABILITIES = frozenset(
        {
            "AnyId",
            "AutoIncrement",
            "AutoIncrementAllowedOnNonId",
            "CompoundIds",
            "DecimalType",
            "Enums",
            "FullTextIndex",
            "ImplicitManyToManyRelation",
            "IndexColumnLengthPrefixing",
            "Json",
            "MultipleFullTextAttributesPerModel",
            "NamedForeignKeys",
            "RelationFieldsInArbitraryOrder",
        }
    )
    CONSTRAINT_SCOPES = ("GlobalForeignKey", "ModelKeyIndex")

    NATIVE_TYPES = {
        "Int": nt("INTEGER", "Int"),
        "UnsignedInt": nt("INTEGER UNSIGNED", "Int"),
        "SmallInt": nt("SMALLINT", "Int"),
        "UnsignedSmallInt": nt("SMALLINT UNSIGNED", "Int"),
        "TinyInt": nt("TINYINT", "Boolean", "Int"),
        "UnsignedTinyInt": nt("TINYINT UNSIGNED", "Boolean", "Int"),
        "MediumInt": nt("MEDIUMINT", "Int"),
        "UnsignedMediumInt": nt("MEDIUMINT UNSIGNED", "Int"),
        "BigInt": nt("BIGINT", "BigInt"),
        "Decimal": nt("DECIMAL", "Decimal", args="optional_precision_scale"),
        "UnsignedBigInt": nt("BIGINT UNSIGNED", "BigInt"),
        "Float": nt("FLOAT", "Float"),
        "Double": nt("DOUBLE", "Float"),
        "Bit": nt("BIT", "Boolean", "Bytes", args="int"),
        "Char": nt("CHAR", "String", args="int"),
        "VarChar": nt("VARCHAR", "String", args="int"),
        "Binary": nt("BINARY", "Bytes", args="int"),
        "VarBinary": nt("VARBINARY", "Bytes", args="int"),
        "TinyBlob": nt("TINYBLOB", "Bytes"),
        "Blob": nt("BLOB", "Bytes"),
        "MediumBlob": nt("MEDIUMBLOB", "Bytes"),
        "LongBlob": nt("LONGBLOB", "Bytes"),
        "TinyText": nt("TINYTEXT", "String"),
        "Text": nt("TEXT", "String"),
        "MediumText": nt("MEDIUMTEXT", "String"),
        "LongText": nt("LONGTEXT", "String"),
        "Date": nt("DATE", "DateTime"),
        "Time": nt("TIME", "DateTime", args="optional_int"),
        "DateTime": nt("DATETIME", "DateTime", args="optional_int"),
        "Timestamp": nt("TIMESTAMP", "DateTime", args="optional_int"),
        "Year": nt("YEAR", "Int"),
        "Json": nt("JSON", "Json"),
    }
    NATIVE_ARG_SEPARATOR = ", "
    KEYLESS_NATIVE_TYPES = frozenset(
        {"Text", "LongText", "MediumText", "TinyText", "Blob", "TinyBlob", "MediumBlob", "LongBlob"}
    )
    KEYLESS_UNLESS_LENGTH = True
    NATIVE_ARG_RANGES = {
        "Decimal": (
            ArgRange(0, 0, 65, "Precision can range from 1 to 65."),
            ArgRange(1, 0, 30, "Scale can range from 0 to 30."),
        ),
        "Bit": (
            ArgRange(0, 1, 64, "M can range from 1 to 64."),
            ArgRange(0, 0, 1, "only Bit(1) can be used as Boolean.", scalar="Boolean"),
        ),
        "Char": (ArgRange(0, 0, 255, "M can range from 0 to 255."),),
        "VarChar": (ArgRange(0, 0, 65535, "M can range from 0 to 65,535."),),
    }
    """`mysql_datamodel_connector/validations.rs`'s `validate_native_type_arguments`."""
    NATIVE_SQL_OVERRIDES = {("TinyInt", "Boolean"): "BOOLEAN"}

    SCALAR_DEFAULT_NATIVE = {
        "String": DefaultNative("VarChar", "VARCHAR(191)", ("191",)),
        "Int": DefaultNative("Int", "INTEGER"),
        "BigInt": DefaultNative("BigInt", "BIGINT"),
        "Float": DefaultNative("Double", "DOUBLE"),
        "Decimal": DefaultNative("Decimal", "DECIMAL(65, 30)", ("65", "30")),
        "Boolean": DefaultNative("TinyInt", "BOOLEAN"),
        "DateTime": DefaultNative("DateTime", "DATETIME(3)", ("3",)),
        "Json": DefaultNative("Json", "JSON"),
        "Bytes": DefaultNative("LongBlob", "LONGBLOB"),
    }

    TYPE_MAPPING = {
        "string": "VARCHAR({length=191})",
        "text": "TEXT",
        "uuid": "CHAR(36)",
        "int": "INTEGER",
        "smallint": "SMALLINT",
        "bigint": "BIGINT",
        "float": "FLOAT",
        "double": "DOUBLE",
        "decimal": "DECIMAL({precision}, {scale=0})",
        "boolean": "BOOLEAN",
        "timestamp": "DATETIME({precision})",
        "date": "DATE",
        "time": "TIME({precision})",
        "json": "JSON",
        "bytes": "LONGBLOB",
        "enum": "ENUM({values!})",
        "bit": "BIT({length})",
    }

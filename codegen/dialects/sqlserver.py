"""SQL Server as Prisma sees it: no enums, no Json, no `Restrict`; named defaults and clustering.

Sources (prisma/prisma-engines): `psl/psl-core/src/builtin_connectors/mssql_datamodel_connector.rs`
and its `native_types.rs`; SQL spellings from `render_column_type` in
`schema-engine/connectors/sql-schema-connector/src/flavour/mssql/renderer.rs`. Every default
value gets a named constraint (`{table}_{column}_df`), and the foreign keys of a self-relation's
implicit many-to-many table are `NO ACTION` because SQL Server refuses cyclic cascades
(`m2m_foreign_key_action` in `flavour/mssql/schema_calculator.rs`).
"""

from __future__ import annotations

from .base import Dialect, words
from .native import ArgRange, DefaultNative, nt

SQLSERVER_RESERVED_WORDS = words(
    """
    ADD ALL ALTER AND ANY AS ASC AUTHORIZATION BACKUP BEGIN BETWEEN BREAK BROWSE BULK BY
    CASCADE CASE CHECK CHECKPOINT CLOSE CLUSTERED COALESCE COLLATE COLUMN COMMIT COMPUTE
    CONSTRAINT CONTAINS CONTAINSTABLE CONTINUE CONVERT CREATE CROSS CURRENT CURRENT_DATE
    CURRENT_TIME CURRENT_TIMESTAMP CURRENT_USER CURSOR DATABASE DBCC DEALLOCATE DECLARE DEFAULT
    DELETE DENY DESC DISK DISTINCT DISTRIBUTED DOUBLE DROP DUMP ELSE END ERRLVL ESCAPE EXCEPT
    EXEC EXECUTE EXISTS EXIT EXTERNAL FETCH FILE FILLFACTOR FOR FOREIGN FREETEXT FREETEXTTABLE
    FROM FULL FUNCTION GOTO GRANT GROUP HAVING HOLDLOCK IDENTITY IDENTITY_INSERT IDENTITYCOL IF
    IN INDEX INNER INSERT INTERSECT INTO IS JOIN KEY KILL LEFT LIKE LINENO LOAD MERGE NATIONAL
    NOCHECK NONCLUSTERED NOT NULL NULLIF OF OFF OFFSETS ON OPEN OPENDATASOURCE OPENQUERY
    OPENROWSET OPENXML OPTION OR ORDER OUTER OVER PERCENT PIVOT PLAN PRECISION PRIMARY PRINT
    PROC PROCEDURE PUBLIC RAISERROR READ READTEXT RECONFIGURE REFERENCES REPLICATION RESTORE
    RESTRICT RETURN REVERT REVOKE RIGHT ROLLBACK ROWCOUNT ROWGUIDCOL RULE SAVE SCHEMA
    SECURITYAUDIT SELECT SESSION_USER SET SETUSER SHUTDOWN SOME STATISTICS SYSTEM_USER TABLE
    TABLESAMPLE TEXTSIZE THEN TO TOP TRAN TRANSACTION TRIGGER TRUNCATE TRY_CONVERT TSEQUAL UNION
    UNIQUE UNPIVOT UPDATE UPDATETEXT USE USER VALUES VARYING VIEW WAITFOR WHEN WHERE WHILE WITH
    WRITETEXT
    """
)
"""Transact-SQL's reserved keywords."""


_MAX = "For larger sizes, use the `Max` variant."


class SQLServer(Dialect):
    NAME = "sqlserver"
    DISPLAY_NAME = "SQL Server"
    MAX_IDENTIFIER_LENGTH = 128
    RESERVED_WORDS = SQLSERVER_RESERVED_WORDS
    IDENTIFIER_QUOTE = ("[", "]")

    CAPABILITIES = frozenset(
        {
            "AnyId",
            "AutoIncrement",
            "AutoIncrementAllowedOnNonId",
            "AutoIncrementMultipleAllowed",
            "AutoIncrementNonIndexedAllowed",
            "ClusteringSetting",
            "CompoundIds",
            "DecimalType",
            "ImplicitManyToManyRelation",
            "MultiSchema",
            "NamedDefaultValues",
            "NamedForeignKeys",
            "NamedPrimaryKeys",
            "PartialIndex",
            "PrimaryKeySortOrderDefinition",
            "ReferenceCycleDetection",
        }
    )
    CONSTRAINT_SCOPES = ("GlobalPrimaryKeyForeignKeyDefault", "ModelPrimaryKeyKeyIndex")

    REFERENTIAL_ACTIONS = {
        "foreignKeys": frozenset({"Cascade", "NoAction", "SetNull", "SetDefault"}),
        "prisma": frozenset({"Cascade", "Restrict", "NoAction", "SetNull"}),
    }

    NATIVE_TYPES = {
        "TinyInt": nt("TINYINT", "Int"),
        "SmallInt": nt("SMALLINT", "Int"),
        "Int": nt("INT", "Int"),
        "BigInt": nt("BIGINT", "BigInt"),
        "Decimal": nt("DECIMAL", "Decimal", args="optional_precision_scale"),
        "Money": nt("MONEY", "Float"),
        "SmallMoney": nt("SMALLMONEY", "Float"),
        "Bit": nt("BIT", "Boolean", "Int"),
        "Float": nt("FLOAT", "Float", args="optional_int"),
        "Real": nt("REAL", "Float"),
        "Date": nt("DATE", "DateTime"),
        "Time": nt("TIME", "DateTime"),
        "DateTime": nt("DATETIME", "DateTime"),
        "DateTime2": nt("DATETIME2", "DateTime"),
        "DateTimeOffset": nt("DATETIMEOFFSET", "DateTime"),
        "SmallDateTime": nt("SMALLDATETIME", "DateTime"),
        "Char": nt("CHAR", "String", args="optional_int"),
        "NChar": nt("NCHAR", "String", args="optional_int"),
        "VarChar": nt("VARCHAR", "String", args="optional_int_or_max"),
        "Text": nt("TEXT", "String"),
        "NVarChar": nt("NVARCHAR", "String", args="optional_int_or_max"),
        "NText": nt("NTEXT", "String"),
        "Binary": nt("BINARY", "Bytes", args="optional_int"),
        "VarBinary": nt("VARBINARY", "Bytes", args="optional_int_or_max"),
        "Image": nt("IMAGE", "Bytes"),
        "Xml": nt("XML", "String"),
        "UniqueIdentifier": nt("UNIQUEIDENTIFIER", "String"),
    }

    KEYLESS_NATIVE_TYPES = frozenset(
        {"Text", "NText", "Image", "Xml", "VarChar(Max)", "NVarChar(Max)", "VarBinary(Max)"}
    )
    """psl's `heap_allocated_types`."""
    NATIVE_ARG_RANGES = {
        "Decimal": (
            ArgRange(0, 1, 38, "Precision can range from 1 to 38."),
            ArgRange(1, 0, 38, "Scale can range from 0 to 38."),
        ),
        "Float": (ArgRange(0, 1, 53, "Bits can range from 1 to 53."),),
        "NVarChar": (ArgRange(0, 0, 4000, "Length can range from 1 to 4000. " + _MAX),),
        "VarChar": (ArgRange(0, 0, 8000, "Length can range from 1 to 8000. " + _MAX),),
        "VarBinary": (ArgRange(0, 0, 8000, "Length can range from 1 to 8000. " + _MAX),),
        "NChar": (ArgRange(0, 0, 4000, "Length can range from 1 to 4000."),),
        "Char": (ArgRange(0, 0, 8000, "Length can range from 1 to 8000."),),
        "Binary": (ArgRange(0, 0, 8000, "Length can range from 1 to 8000."),),
    }
    """`mssql_datamodel_connector/validations.rs`'s `validate_native_type_arguments`."""

    SCALAR_DEFAULT_NATIVE = {
        "String": DefaultNative("NVarChar", "NVARCHAR(1000)", ("1000",)),
        "Int": DefaultNative("Int", "INT"),
        "BigInt": DefaultNative("BigInt", "BIGINT"),
        "Float": DefaultNative("Float", "FLOAT(53)", ("53",)),
        "Decimal": DefaultNative("Decimal", "DECIMAL(32,16)", ("32", "16")),
        "Boolean": DefaultNative("Bit", "BIT"),
        "DateTime": DefaultNative("DateTime2", "DATETIME2"),
        "Bytes": DefaultNative("VarBinary", "VARBINARY(max)", ("Max",)),
    }
    """No `Json`: psl maps it to `NVarChar(1000)` internally, but validation refuses Json fields."""

    TYPE_MAPPING = {
        "string": "NVARCHAR({length=1000})",
        "text": "NVARCHAR(max)",
        "uuid": "UNIQUEIDENTIFIER",
        "int": "INT",
        "smallint": "SMALLINT",
        "bigint": "BIGINT",
        "float": "REAL",
        "double": "FLOAT(53)",
        "decimal": "DECIMAL({precision},{scale=0})",
        "boolean": "BIT",
        "timestamp": "DATETIME2",
        "timestamp_tz": "DATETIMEOFFSET",
        "date": "DATE",
        "time": "TIME",
        "bytes": "VARBINARY(max)",
        "xml": "XML",
        "money": "MONEY",
    }

    JOIN_TABLE_SELF_RELATION_ACTION = "NoAction"

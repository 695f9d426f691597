"""A Prisma field's column type: the scalar, the `@db.X` native type and the provider's default.

`String @db.VarChar(255)` is `string(255)`, `DateTime` on PostgreSQL is `timestamp(3)` without
time zone, `Json` on PostgreSQL is `jsonb`; the logical kind is what comparisons use, `native`
keeps exactly what was written.
"""

from __future__ import annotations

from schemasense.codegen.schema import ColumnType
from schemasense.server.sources.prisma.database import Database, FieldInfo

_SCALAR_KIND = {
    "String": "text",
    "Boolean": "boolean",
    "Int": "int",
    "BigInt": "bigint",
    "Float": "double",
    "Decimal": "decimal",
    "DateTime": "timestamp",
    "Json": "json",
    "Bytes": "bytes",
}

# native type name -> logical kind (parameters come from the arguments)
_NATIVE_KIND = {
    "Text": "text",
    "TinyText": "text",
    "MediumText": "text",
    "LongText": "text",
    "NText": "text",
    "VarChar": "string",
    "Char": "string",
    "NVarChar": "string",
    "NChar": "string",
    "String": "string",
    "Citext": "text",
    "CatalogSingleChar": "string",
    "Uuid": "uuid",
    "UniqueIdentifier": "uuid",
    "ObjectId": "object_id",
    "Integer": "int",
    "Int": "int",
    "Int4": "int",
    "MediumInt": "int",
    "UnsignedInt": "int",
    "UnsignedMediumInt": "int",
    "SmallInt": "smallint",
    "Int2": "smallint",
    "TinyInt": "smallint",
    "UnsignedSmallInt": "smallint",
    "UnsignedTinyInt": "smallint",
    "Oid": "int",
    "BigInt": "bigint",
    "Int8": "bigint",
    "UnsignedBigInt": "bigint",
    "Long": "bigint",
    "DoublePrecision": "double",
    "Double": "double",
    "Float8": "double",
    "Float": "double",
    "Real": "float",
    "Float4": "float",
    "Decimal": "decimal",
    "Numeric": "decimal",
    "Money": "money",
    "SmallMoney": "money",
    "Boolean": "boolean",
    "Bool": "boolean",
    "Bit": "bit",
    "VarBit": "bit",
    "Timestamp": "timestamp",
    "Timestamptz": "timestamp",
    "DateTime": "timestamp",
    "DateTime2": "timestamp",
    "SmallDateTime": "timestamp",
    "DateTimeOffset": "timestamp",
    "Date": "date",
    "Time": "time",
    "Timetz": "time",
    "Year": "int",
    "Json": "json",
    "JsonB": "json",
    "ByteA": "bytes",
    "Binary": "bytes",
    "VarBinary": "bytes",
    "Blob": "bytes",
    "TinyBlob": "bytes",
    "MediumBlob": "bytes",
    "LongBlob": "bytes",
    "Image": "bytes",
    "BinData": "bytes",
    "Xml": "xml",
    "Inet": "inet",
}


def column_type(db: Database, f: FieldInfo) -> ColumnType:
    provider = db.provider
    is_list = f.is_list
    if f.kind == "enum":
        # the column's SQL type is the enum's database name, in its schema
        enum = db.enums.get(f.type_name)
        return ColumnType(
            kind="enum",
            orm_type=f.type_name,
            enum=enum.db_name if enum is not None else f.type_name,
            enum_schema=enum.db_schema if enum is not None else None,
            array=is_list,
        )
    if f.kind == "unsupported":
        return ColumnType(
            kind="unsupported", orm_type="Unsupported", native=f.type_name, array=is_list
        )
    if f.kind == "composite":
        return ColumnType(kind="composite", orm_type=f.type_name, array=is_list)
    kind = _SCALAR_KIND.get(f.type_name, "text")
    result = ColumnType(kind=kind, orm_type=f.type_name, array=is_list)  # type: ignore[arg-type]
    native = f.native
    if native is not None:
        result.native = native.name + (f"({', '.join(native.args)})" if native.args else "")
        result.kind = _NATIVE_KIND.get(native.name, kind)  # type: ignore[assignment]
        numbers = [int(a) for a in native.args if a.isdigit()]
        if result.kind == "string" and numbers:
            result.length = numbers[0]
        elif result.kind == "decimal" and numbers:
            result.precision = numbers[0]
            result.scale = numbers[1] if len(numbers) > 1 else 0
        elif result.kind in ("timestamp", "time") and numbers:
            result.precision = numbers[0]
        if native.name in ("Timestamptz", "Timetz", "DateTimeOffset"):
            result.timezone = True
        elif result.kind in ("timestamp", "time"):
            result.timezone = False
        return result
    # the provider's default mapping of the scalar
    if f.type_name == "String" and provider == "mysql":
        result.kind, result.length = "string", 191
    elif f.type_name == "String" and provider == "sqlserver":
        result.kind, result.length = "string", 1000
    elif f.type_name == "Decimal" and provider in ("postgresql", "cockroachdb", "mysql"):
        result.precision, result.scale = 65, 30
    elif f.type_name == "DateTime":
        result.timezone = False
        if provider in ("postgresql", "cockroachdb", "mysql"):
            result.precision = 3
    return result

"""The schema model as Prisma models and enums: `schema.prisma` text that builds the same tables.

Whatever the schema was read from (TypeORM entities, Sequelize models, SQL), the models name the
same database objects: `@map` / `@@map` where Prisma's name for a field or model is not the
column's or table's, `map:` on every key, index and foreign key whose database name is not the
one Prisma would derive (`codegen.orms.prisma.naming`), native types (`@db.VarChar(40)`) where
the column is not Prisma's default type for the scalar, defaults as the database holds them
(`dbgenerated("...")` for SQL Prisma has no word for), and each foreign key as a relation with
both sides, named where two relations join the same models.

What Prisma cannot say is written as a `//` comment on the model so nobody loses it: CHECK
constraints, expression indexes, and partial indexes.

The layout is `prisma format`'s: fields in aligned columns (name, type, attributes), block
attributes after a blank line. `prisma_models(schema, tables)` gives the blocks alone (to append
to a schema); `prisma_schema(schema, tables)` a whole file with a datasource and a generator.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence

from schemasense.codegen.dialects import get_dialect
from schemasense.codegen.orms.prisma import naming
from schemasense.codegen.schema import Column, Enum, Index, Schema, Table

from .facts import (
    Plan,
    RelationPlan,
    SqlType,
    default_fact,
    identifier,
    pascal,
    plan,
    sql_type,
    undeclared_keys,
)

_ACTIONS = {
    "Cascade": "Cascade",
    "Restrict": "Restrict",
    "NoAction": "NoAction",
    "SetNull": "SetNull",
    "SetDefault": "SetDefault",
}


# -- types -----------------------------------------------------------------------------------------


def _postgres_type(t: SqlType) -> tuple[str, str | None]:
    n, length, precision, scale = t.name, t.length, t.precision, t.scale
    sized = f"({length})" if length is not None else ""
    p = f"({precision})" if precision is not None else ""
    table: dict[str, tuple[str, str | None]] = {
        "text": ("String", None),
        "varchar": ("String", f"VarChar{sized}"),
        "char": ("String", f"Char{sized}"),
        "citext": ("String", "Citext"),
        "uuid": ("String", "Uuid"),
        "inet": ("String", "Inet"),
        "xml": ("String", "Xml"),
        "bit": ("String", f"Bit{sized}"),
        "varbit": ("String", f"VarBit{sized}"),
        "integer": ("Int", None),
        "smallint": ("Int", "SmallInt"),
        "oid": ("Int", "Oid"),
        "bigint": ("BigInt", None),
        "real": ("Float", "Real"),
        "double precision": ("Float", None),
        "money": ("Decimal", "Money"),
        "boolean": ("Boolean", None),
        "timestamp": ("DateTime", None if precision == 3 else f"Timestamp{p}"),
        "timestamptz": ("DateTime", f"Timestamptz{p}"),
        "date": ("DateTime", "Date"),
        "time": ("DateTime", f"Time{p}"),
        "timetz": ("DateTime", f"Timetz{p}"),
        "json": ("Json", "Json"),
        "jsonb": ("Json", None),
        "bytea": ("Bytes", None),
    }
    if n == "numeric":
        if precision is None:
            return "Decimal", "Decimal"
        if (precision, scale) == (65, 30):
            return "Decimal", None
        return "Decimal", f"Decimal({precision}, {scale or 0})"
    return table.get(n, (f'Unsupported("{_sql_text(t)}")', None))


def _mysql_type(t: SqlType) -> tuple[str, str | None]:
    n, length, precision, scale = t.name, t.length, t.precision, t.scale
    sized = f"({length})" if length is not None else ""
    p = f"({precision})" if precision is not None else ""
    if (n == "tinyint" and length == 1) or n == "boolean":
        return "Boolean", None
    table: dict[str, tuple[str, str | None]] = {
        "varchar": ("String", None if length == 191 else f"VarChar{sized}"),
        "char": ("String", f"Char{sized}"),
        "text": ("String", "Text"),
        "tinytext": ("String", "TinyText"),
        "mediumtext": ("String", "MediumText"),
        "longtext": ("String", "LongText"),
        "integer": ("Int", None),
        "tinyint": ("Int", "TinyInt"),
        "smallint": ("Int", "SmallInt"),
        "mediumint": ("Int", "MediumInt"),
        "bigint": ("BigInt", None),
        "double precision": ("Float", None),
        "float": ("Float", "Float"),
        "datetime": ("DateTime", None if precision == 3 else f"DateTime{p}"),
        "timestamp": ("DateTime", f"Timestamp{p}"),
        "date": ("DateTime", "Date"),
        "time": ("DateTime", f"Time{p}"),
        "json": ("Json", None),
        "blob": ("Bytes", "Blob"),
        "longblob": ("Bytes", None),
        "mediumblob": ("Bytes", "MediumBlob"),
        "tinyblob": ("Bytes", "TinyBlob"),
        "binary": ("Bytes", f"Binary{sized}"),
        "varbinary": ("Bytes", f"VarBinary{sized}"),
    }
    if n == "numeric":
        return "Decimal", f"Decimal({precision or 10}, {scale or 0})"
    if t.unsigned and n in ("integer", "tinyint", "smallint", "mediumint", "bigint"):
        scalar = "BigInt" if n == "bigint" else "Int"
        word = {"integer": "Int"}.get(n, n.capitalize().replace("int", "Int"))
        return scalar, f"Unsigned{word}"
    return table.get(n, (f'Unsupported("{_sql_text(t)}")', None))


def _sqlite_type(t: SqlType) -> tuple[str, str | None]:
    n = t.name
    if n == "boolean" or (n == "tinyint" and t.length == 1):
        return "Boolean", None
    if n in ("integer", "smallint", "tinyint", "mediumint"):
        return "Int", None
    if n == "bigint":
        return "BigInt", None
    if n in ("real", "double precision", "float"):
        return "Float", None
    if n == "numeric":
        return "Decimal", None
    if n == "boolean":
        return "Boolean", None
    if n in ("datetime", "timestamp", "timestamptz", "date"):
        return "DateTime", None
    if n == "blob":
        return "Bytes", None
    if n in ("json", "jsonb"):
        return "Json", None
    return "String", None


def _sql_text(t: SqlType) -> str:
    args = [a for a in (t.length, t.precision, t.scale) if a is not None]
    return t.name + (f"({', '.join(map(str, args))})" if args else "")


def scalar_type(schema: Schema, t: SqlType) -> tuple[str, str | None]:
    """(Prisma scalar, native type attribute or None) for a SQL type on the schema's provider."""
    provider = schema.provider or "postgresql"
    if provider == "mysql":
        return _mysql_type(t)
    if provider == "sqlite":
        return _sqlite_type(t)
    return _postgres_type(t)


def _dialect_has(provider: str, capability: str) -> bool:
    dialect = get_dialect(provider)
    return dialect is None or dialect.has(capability)


# -- names -----------------------------------------------------------------------------------------


class _Names:
    """Prisma names for enums and their values."""

    def __init__(self, schema: Schema, p: Plan) -> None:
        self.schemas = database_schemas(schema)
        self.enums: dict[str, str] = {}
        taken = set(p.models.values())
        for e in schema.enums:
            name = identifier(e.model_name) if e.model_name else pascal(_enum_base(e.name))
            while name in taken:
                name += "Enum"
            taken.add(name)
            self.enums[e.name] = name

    def enum(self, db_name: str | None) -> str:
        return self.enums.get(db_name or "", pascal(db_name or "Enum"))


def database_schemas(schema: Schema) -> list[str]:
    """The PostgreSQL schemas the tables and enums live in, where any is not `public` (then
    Prisma wants every model and enum to say its `@@schema`, and the datasource to list them);
    empty otherwise."""
    if schema.provider not in ("postgresql", "cockroachdb"):
        return []
    found = {t.db_schema or "public" for t in schema.tables} | {
        e.db_schema or "public" for e in schema.enums
    }
    return sorted(found) if found - {"public"} else []


def _enum_base(name: str) -> str:
    return re.sub(r"_enum$", "", name)


def enum_value_name(value: str) -> str:
    """A value's Prisma name: the database name where it is an identifier (`in progress` ->
    `in_progress`, `1` -> `v1`; the database name stays in `@map`)."""
    return identifier(value, lead="v")


# -- rendering -------------------------------------------------------------------------------------


def _q(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def _default(schema: Schema, column: Column, names: _Names) -> str | None:
    fact = default_fact(schema, column)
    if fact is None:
        return None
    if fact.kind == "now":
        return "now()"
    if fact.kind == "autoincrement":
        return "autoincrement()"
    if fact.kind == "client":
        return f"{fact.value}()"
    if fact.kind == "db_uuid" or fact.kind == "expression":
        return f"dbgenerated({_q(str(fact.value))})"
    if fact.kind == "enum":
        return enum_value_name(str(fact.value))
    value = fact.value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    return _q(str(value))


def _fields(cols: Sequence[str]) -> str:
    return "[" + ", ".join(cols) + "]"


def _index_fields(p: Plan, table: Table, index_columns) -> str | None:
    parts = []
    for c in index_columns:
        if c.column is None:
            return None
        name = p.field(table, c.column)
        args = []
        if c.sort == "desc":
            args.append("sort: Desc")
        if c.length is not None:
            args.append(f"length: {c.length}")
        if c.ops:
            args.append(f"ops: raw({_q(c.ops)})")
        parts.append(f"{name}({', '.join(args)})" if args else name)
    return "[" + ", ".join(parts) + "]"


def _model(schema: Schema, p: Plan, names: _Names, table: Table) -> str:
    provider = schema.provider or "postgresql"
    rows: list[list[str]] = []
    block: list[str] = []
    notes: list[str] = []
    pk_cols = [c.column for c in table.primary_key.columns] if table.primary_key else []
    single_uniques: dict[str, str] = {}
    owned = p.owned(table)
    last_column_of = {}
    for r in owned:
        last = max(table.columns.index(c) for c in r.columns)
        last_column_of.setdefault(last, []).append(r)
    # uniques and unique indexes on one column become `@unique` on the field
    unique_objects = [(u.name, u.columns) for u in table.uniques]
    unique_objects += [
        (i.name, i.columns)
        for i in table.indexes
        if i.unique and not i.predicate and i.method in (None, "btree")
    ]
    block_uniques = []
    for name, cols in unique_objects:
        if any(c.column is None for c in cols):
            continue
        plain = all(c.sort in (None, "asc") and c.length is None and not c.ops for c in cols)
        if len(cols) == 1 and plain and cols[0].column not in single_uniques:
            single_uniques[cols[0].column or ""] = name
        else:
            block_uniques.append((name, cols))
    for index, column in enumerate(table.columns):
        st = sql_type(schema, column)
        if st.name == "enum":
            scalar, native = names.enum(st.enum), None
        else:
            scalar, native = scalar_type(schema, st)
        required = column.nullable and column.name not in pk_cols  # Prisma: an id is required
        type_text = scalar + ("[]" if st.array else "?" if required else "")
        attrs = []
        if len(pk_cols) == 1 and pk_cols[0] == column.name:
            attrs.append(_id_attr(schema, table))
        if column.name in single_uniques:
            uname = single_uniques[column.name]
            default = naming.unique_index_name(table.name, [column.name], provider)
            attrs.append("@unique" if uname == default else f"@unique(map: {_q(uname)})")
        d = _default(schema, column, names)
        if d is not None:
            attrs.append(f"@default({d})")
        if column.updated_at or (
            column.default is not None
            and st.name in ("timestamp", "timestamptz", "datetime")
            and re.fullmatch(r"updated_?[aA]t", column.name)
        ):
            attrs.append("@updatedAt")
        fname = p.field(table, column.name)
        if fname != column.name:
            attrs.append(f"@map({_q(column.name)})")
        if native:
            attrs.append(f"@db.{native}")
        rows.append([fname, type_text, " ".join(attrs)])
        for r in last_column_of.get(index, []):
            rows.append(_relation_row(schema, p, r, notes))
    for r in p.inverse(table):
        target = p.model(r.owner)
        many = r.kind == "many-to-one"
        type_text = target + ("[]" if many else "?")
        attrs = f"@relation({_q(r.name)})" if r.name else ""
        rows.append([r.inverse, type_text, attrs])
    if len(pk_cols) > 1:
        fields = _index_fields(p, table, table.primary_key.columns)  # type: ignore[union-attr]
        args = [fields or "[]"]
        name = table.primary_key.name  # type: ignore[union-attr]
        default_pk = naming.primary_key_name(table.name, provider)
        if name and default_pk is not None and name != default_pk:
            args.append(f"map: {_q(name)}")
        block.append(f"@@id({', '.join(args)})")
    for name, cols in block_uniques:
        fields = _index_fields(p, table, cols)
        if fields is None:
            notes.append(f"unique {name} on an expression is not expressible in Prisma")
            continue
        default = naming.unique_index_name(table.name, [c.column or "" for c in cols], provider)
        args = [fields] + ([f"map: {_q(name)}"] if name != default else [])
        block.append(f"@@unique({', '.join(args)})")
    for i in table.indexes:
        if i.unique and not i.predicate and i.method in (None, "btree"):
            continue  # written as @unique / @@unique above
        line = _index(schema, p, table, i, notes)
        if line:
            block.append(line)
    if table.name != p.model(table):
        block.append(f"@@map({_q(table.name)})")
    if names.schemas:
        block.append(f"@@schema({_q(table.db_schema or 'public')})")
    notes += undeclared_keys(p, table)
    for check in table.checks:
        notes.append(f"CHECK {check.name}: {check.expression} (Prisma has no check constraints)")
    lines = []
    for note in notes:
        lines.append(f"// {note}")
    if table.doc:
        lines += [f"/// {d}" for d in table.doc.splitlines()]
    lines.append(f"model {p.model(table)} {{")
    lines += _aligned(rows)
    if block:
        lines.append("")
        lines += [f"  {b}" for b in block]
    lines.append("}")
    return "\n".join(lines)


def _id_attr(schema: Schema, table: Table) -> str:
    pk = table.primary_key
    name = pk.name if pk else None
    default = naming.primary_key_name(table.name, schema.provider)
    if name and default is not None and name != default:
        return f"@id(map: {_q(name)})"
    return "@id"


def _relation_row(schema: Schema, p: Plan, r: RelationPlan, notes: list[str]) -> list[str]:
    provider = schema.provider or "postgresql"
    target = p.model(r.target)
    type_text = target + ("?" if r.optional else "")
    args = []
    if r.name:
        args.append(_q(r.name))
    args.append(f"fields: {_fields([p.field(r.owner, c.name) for c in r.columns])}")
    args.append(f"references: {_fields([p.field(r.target, c.name) for c in r.referenced])}")
    fk = r.foreign_key
    default_delete = "SetNull" if r.optional else "Restrict"
    for what, action, default in (
        ("onDelete", fk.on_delete, default_delete),
        ("onUpdate", fk.on_update, "Cascade"),
    ):
        if action == "SetNull" and not r.optional:
            notes.append(
                f"{fk.name} is ON {'DELETE' if what == 'onDelete' else 'UPDATE'} SET NULL on "
                "required columns, which Prisma refuses: Prisma's default action is used"
            )
        elif action != default:
            args.append(f"{what}: {_ACTIONS[action]}")
    named = _dialect_has(provider, "NamedForeignKeys")
    if named and fk.name != naming.foreign_key_name(r.owner.name, fk.columns, provider):
        args.append(f"map: {_q(fk.name)}")
    return [r.field, type_text, f"@relation({', '.join(args)})"]


def _index(schema: Schema, p: Plan, table: Table, i: Index, notes: list[str]) -> str | None:
    provider = schema.provider or "postgresql"
    fields = _index_fields(p, table, i.columns)
    if fields is None:
        notes.append(f"index {i.name} on an expression is not expressible in Prisma")
        return None
    if i.predicate:
        notes.append(f"index {i.name} is partial (WHERE {i.predicate}); Prisma cannot say so")
        return None
    args = [fields]
    cols = [c.column or "" for c in i.columns]
    if i.name != naming.index_name(table.name, cols, provider):
        args.append(f"map: {_q(i.name)}")
    if i.method and i.method not in ("btree", "fulltext"):
        args.append(f"type: {i.method.capitalize() if i.method != 'spgist' else 'SpGist'}")
    kind = "@@fulltext" if i.method == "fulltext" else "@@index"
    return f"{kind}({', '.join(args)})"


def _aligned(rows: list[list[str]]) -> list[str]:
    if not rows:
        return []
    w0 = max(len(r[0]) for r in rows)
    w1 = max(len(r[1]) for r in rows)
    out = []
    for name, type_text, attrs in rows:
        if attrs:
            out.append(f"  {name.ljust(w0)} {type_text.ljust(w1)} {attrs}".rstrip())
        else:
            out.append(f"  {name.ljust(w0)} {type_text}".rstrip())
    return out


def _enum(e: Enum, names: _Names) -> str:
    rows = []
    for v in e.values:
        name = enum_value_name(v.name)
        rows.append(f"  {name}" + (f" @map({_q(v.name)})" if name != v.name else ""))
    lines = [f"enum {names.enum(e.name)} {{", *rows]
    block = [f"@@map({_q(e.name)})"] if names.enum(e.name) != e.name else []
    if names.schemas:
        block.append(f"@@schema({_q(e.db_schema or 'public')})")
    if block:
        lines += ["", *(f"  {b}" for b in block)]
    lines.append("}")
    return "\n".join(lines)


def prisma_models(schema: Schema, tables: Sequence[Table] | None = None) -> str:
    """The `model` and `enum` blocks for `tables` (every table by default) and the enums they
    use, separated by blank lines, ending with a newline."""
    chosen = [t for t in (tables if tables is not None else schema.tables) if t.kind != "view"]
    p = plan(schema)
    names = _Names(schema, p)
    wanted = {t.name for t in chosen}
    p.relations = [r for r in p.relations if r.owner.name in wanted and r.target.name in wanted]
    used = {
        c.type.enum or c.type.orm_type for t in chosen for c in t.columns if c.type.kind == "enum"
    }
    enums = [e for e in schema.enums if e.name in used or e.model_name in used]
    blocks = [_enum(e, names) for e in enums] + [_model(schema, p, names, t) for t in chosen]
    return "\n\n".join(blocks) + "\n"


def prisma_schema(schema: Schema, tables: Sequence[Table] | None = None) -> str:
    """A whole `schema.prisma`: a generator, a datasource for the schema's provider, then
    `prisma_models`. The datasource has no `url`: Prisma 7 reads the connection from
    `prisma.config.ts` and refuses one in the schema."""
    provider = schema.provider or "postgresql"
    schemas = database_schemas(schema)
    listed = f"  schemas  = [{', '.join(_q(n) for n in schemas)}]\n" if schemas else ""
    head = (
        'generator client {\n  provider = "prisma-client-js"\n}\n\n'
        f'datasource db {{\n  provider = "{provider}"\n{listed}}}\n\n'
    )
    return head + prisma_models(schema, tables)

"""Schema x schema -> the ordered operations that turn one into the other.

    plan = diff(migrated, declared)        # both `codegen.schema.Schema`
    plan.operations                        # frozen operations, in the order to run them
    plan.renames                           # rename candidates, each a choice for the user
    diff(migrated, declared, renames=plan.renames)       # with every candidate taken

Both sides are compared in the database's terms. A declared schema (what `schema.prisma`
says, Prisma's types) and a migrated one (what the replay or a database says, in the
database's canonical spelling) may be mixed: every column is read into the type Prisma's engine
would hold (`ddl.sql_type.SqlType`) and every default into its kind and SQL text, so
`VarChar(100)` and `character varying(100)` are the same type and `'admin'` and
`'admin'::"Role"` the same default. (The editor and the CLI hand it the declared schema in
the database's own spelling, `server/drift`'s `database_form`, as the drift rules compare
them; the proof in tests/codegen/targets runs both ways.)

What is compared, and what an operation is, follows Prisma's schema engine
(`sql_schema_differ`), so the SQL we write builds the catalog Prisma's would:

- tables by (schema, name); columns by name; a column changes in its arity (NULL / NOT NULL
  / array), type (and whether the database can cast it: `cast` is `safe`, `risky`, or a
  type PostgreSQL cannot cast, which drops and re-adds the column), default, auto-increment;
- indexes (unique constraints included) by their columns, sort orders, prefix lengths,
  kind, method, operator classes and predicate, so an index that only changed its name is a
  rename; foreign keys by columns, target and actions, so only a new name is a rename;
- enums by name; values added (`ALTER TYPE ... ADD VALUE`) or dropped (a new type and a cast);
- on SQLite, a table whose change `ALTER TABLE` cannot make is redefined (`RedefineTables`).

Unchanged tables, indexes and enums give no operations.

Which objects pair up is `codegen.ddl.compare`'s (the core drift and verify compare through):
tables, columns, enums and enum values by identity (`pair`), indexes and foreign keys by shape
(`pair_by_shape`, with this module's `indexes_match` / `fks_match` as the shape). What differs in
a paired column is this module's policy, Prisma's engine's (`_Comparer`: arity, type and
whether it casts, default, auto-increment), as the operations need it.

Renames: Prisma's engine drops and re-adds. We look for a column (table, enum value) that
went away where a compatible one appeared in the same place and report it in `Plan.renames`;
passing candidates back in `renames=` turns that drop-and-add into a rename. A field whose
`@map` changed (the same Prisma field name on both sides) or a model whose `@@map` changed is a
rename for certain (`RenameCandidate.certain`), and is taken unless `renames` says otherwise.

Order: Prisma's step order (enums before the tables that use them, foreign keys dropped before
their tables and columns, tables before the foreign keys that point at them, indexes after the
columns they cover), with renames first.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace

from schemasense.codegen.ddl.checks import CheckChanges, check_changes, rename_columns
from schemasense.codegen.ddl.compare import Pairing, pair, pair_by_shape
from schemasense.codegen.ddl.operations import *  # noqa: F403 - the operations are part of this module's interface
from schemasense.codegen.ddl.operations import (
    AddColumn,
    AddConstraint,
    AddSequence,
    AlterColumnType,
    AlterEnum,
    AlterTable,
    ColumnDef,
    ConstraintDef,
    CopiedColumn,
    CreateEnum,
    CreateIndex,
    CreateSchema,
    CreateTable,
    DefaultDef,
    DefaultKindName,
    DropAndRecreateColumn,
    DropColumn,
    DropConstraint,
    DropDefault,
    DropEnum,
    DropIndex,
    DropNotNull,
    DropTable,
    EnumDef,
    EnumUsage,
    ForeignKeyDef,
    IndexDef,
    IndexPart,
    ModifyColumn,
    Operation,
    Plan,
    PrimaryKeyDef,
    RedefinedTable,
    RedefineIndex,
    RedefineTables,
    RenameCandidate,
    RenameChoice,
    RenameColumn,
    RenameConstraint,
    RenameEnum,
    RenameEnumValue,
    RenameIndex,
    RenameTable,
    SetDefault,
    SetNotNull,
    TableChange,
    TableDef,
)
from schemasense.codegen.dialects import get_dialect
from schemasense.codegen.dialects.casts import Cast, postgres_explicit_cast, type_change
from schemasense.codegen.dialects.ddl_types import canonical as canonical_type
from schemasense.codegen.dialects.ddl_types import parse
from schemasense.codegen.dialects.normalize import normalize_default, normalize_expression
from schemasense.codegen.dialects.render import column_type_sql, default_sql, operator_class_sql
from schemasense.codegen.dialects.sql_type import SqlType
from schemasense.codegen.orms.prisma.create_sql import DEFAULT_SCHEMA
from schemasense.codegen.schema import Column, Index, Schema, Table


def _add_foreign_key(table: str, fk: ForeignKeyDef, schema: str | None) -> AddConstraint:
    """`ALTER TABLE table ADD CONSTRAINT ... FOREIGN KEY` of `fk`, after the tables: Prisma's
    `AddForeignKey` step."""
    return AddConstraint(ConstraintDef.foreign_key(fk), table, schema)


def _drop_foreign_key(table: str, fk: ForeignKeyDef, schema: str | None) -> AlterTable:
    """`ALTER TABLE table DROP CONSTRAINT` (MySQL: `DROP FOREIGN KEY`) of `fk`: Prisma's
    `DropForeignKey` step."""
    return AlterTable(table, (DropConstraint(fk.name, "foreign_key"),), schema=schema)


# -- reading a schema into comparable definitions -----------------------------------------------

_SQL_PROVIDERS = {
    "postgresql": "postgresql",
    "postgres": "postgresql",
    "cockroachdb": "postgresql",
    "mysql": "mysql",
    "sqlite": "sqlite",
}


def dialect_name(provider: str | None) -> str:
    """`postgresql`, `mysql` or `sqlite` for a provider name (PostgreSQL when unknown)."""
    return _SQL_PROVIDERS.get(provider or "", "postgresql")


_NOW = re.compile(r"^(?:current_timestamp|now\(\)|localtimestamp)(?:\(\d*\))?$", re.I)
_NEXTVAL = re.compile(r"^nextval\(", re.I)
_LITERAL = re.compile(
    r"""^(?:'(?:[^']|'')*'|[+-]?\d+(?:\.\d*)?(?:[eE][+-]?\d+)?|true|false|null)"""
    r"""(?:::(?:"[^"]+"|[\w .]+)(?:\(\d+(?:,\s*\d+)?\))?(?:\[\])*)?$""",
    re.I,
)
_CAST_TAIL = re.compile(r"""::(?:"(?:[^"]|"")+"|[\w .]+)(?:\(\d+(?:,\s*\d+)?\))?(?:\[\])*$""")


def _default_kind(text: str) -> DefaultKindName:
    stripped = text.strip()
    while stripped.startswith("(") and stripped.endswith(")") and _balanced(stripped[1:-1]):
        stripped = stripped[1:-1].strip()
    if _NOW.match(stripped):
        return "now"
    if _NEXTVAL.match(stripped):
        return "sequence"
    if _LITERAL.match(stripped) or stripped.upper().startswith("ARRAY["):
        return "value"
    if stripped.startswith("'{") and _CAST_TAIL.search(stripped):  # '{a,b}'::text[]
        return "value"
    return "dbgenerated"


def _balanced(text: str) -> bool:
    depth = 0
    quote = None
    for ch in text:
        if quote:
            if ch == quote:
                quote = None
            continue
        if ch in "'\"":
            quote = ch
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
            if depth < 0:
                return False
    return depth == 0


def _plain_literal(dialect: str, text: str) -> str:
    """A canonical default as Prisma would write it: PostgreSQL's cast after a lone literal
    taken off (`'admin'::"Role"` -> `'admin'`, `'-3'::integer` -> `-3`)."""
    if dialect != "postgresql":
        return text
    t = text.strip()
    m = _CAST_TAIL.search(t)
    if m is None or not t.startswith("'"):
        return text
    head = t[: m.start()]
    if not (head.endswith("'") and re.fullmatch(r"'(?:[^']|'')*'", head)):
        return text
    inner = head[1:-1]
    if re.fullmatch(r"[+-]?\d+(?:\.\d+)?", inner) and "[]" not in m.group(0):
        cast = m.group(0).lower()
        if any(w in cast for w in ("int", "numeric", "real", "double", "decimal")):
            return inner
    return head


class _Reader:
    """Reads one side's tables into definitions (declared or canonical columns alike)."""

    def __init__(self, schema: Schema, dialect: str) -> None:
        self.schema = schema
        self.dialect = dialect
        self.prisma_dialect = get_dialect(schema.provider or dialect) or get_dialect(dialect)
        self.enums_by_orm = {e.model_name or e.name: e for e in schema.enums}
        self._types: dict[tuple, SqlType] = {}
        self.enum_names = frozenset(e.name for e in schema.enums) | frozenset(
            f"{e.db_schema}.{e.name}" for e in schema.enums if e.db_schema
        )

    def tables(self) -> list[TableDef]:
        out = []
        for t in self.schema.tables:
            if t.kind not in ("table", "join_table"):
                continue
            out.append(self.table(t))
        return out

    def enums(self) -> list[EnumDef]:
        if self.dialect != "postgresql":
            return []
        return [
            EnumDef(e.name, tuple(v.name for v in e.values), self.own_schema(e.db_schema), e.span)
            for e in self.schema.enums
        ]

    def own_schema(self, db_schema: str | None) -> str | None:
        """None for the connection's own schema (`public`), where names go unqualified."""
        return None if db_schema == DEFAULT_SCHEMA.get(self.dialect) else db_schema

    def table(self, t: Table) -> TableDef:
        columns = tuple(self.column(c) for c in t.columns)
        pk = None
        if t.primary_key is not None:
            pk = PrimaryKeyDef(
                t.primary_key.name if self.dialect == "postgresql" else None,
                tuple(self.index_column(c) for c in t.primary_key.columns),
                t.primary_key.span,
            )
        indexes: list[IndexDef] = []
        field_uniques = [u for u in t.uniques if u.defined_on_field]
        block_uniques = [u for u in t.uniques if not u.defined_on_field]
        for u in field_uniques:
            indexes.append(
                IndexDef(
                    u.name,
                    tuple(self.index_column(c) for c in u.columns),
                    True,
                    span=u.span,
                    constraint=True,
                )
            )
        for i in t.indexes:
            indexes.append(self.index(i))
        for u in block_uniques:
            indexes.append(
                IndexDef(
                    u.name,
                    tuple(self.index_column(c) for c in u.columns),
                    True,
                    span=u.span,
                    constraint=True,
                )
            )
        fks = tuple(
            ForeignKeyDef(
                fk.name,
                tuple(fk.columns),
                fk.referenced_table,
                tuple(fk.referenced_columns),
                fk.on_delete,
                fk.on_update,
                self.own_schema(fk.referenced_schema),
                fk.span,
            )
            for fk in t.foreign_keys
        )
        return TableDef(
            t.name,
            columns,
            pk,
            tuple(indexes),
            fks,
            self.own_schema(t.db_schema),
            t.model_name,
            t.span,
            # the table's CHECK constraints: carried so that a table written whole (TypeORM's
            # CREATE TABLE, SQLite's rebuild) keeps them, compared with `checks=True`
            tuple(ConstraintDef("check", c.name, raw=_check_body(c.expression)) for c in t.checks),
        )

    def index(self, i: Index) -> IndexDef:
        method = None if i.method in (None, "btree") else i.method.upper()
        if self.dialect == "sqlite":
            method = None
        return IndexDef(
            i.name,
            tuple(self.index_column(c) for c in i.columns),
            i.unique,
            method,
            i.predicate,
            tuple(i.include),
            i.span,
        )

    def index_column(self, c) -> IndexPart:
        if c.column is None:
            return IndexPart(sort=c.sort, ops=c.ops, length=c.length, expression=c.expression or "")
        ops = operator_class_sql(c.ops) if c.ops else None
        return IndexPart(c.column, sort=c.sort, ops=ops, length=c.length)

    def column(self, c: Column) -> ColumnDef:
        out = self.declared_column(c) if c.type.orm_type is not None else self.canonical_column(c)
        t = out.type
        if t.name == "ENUM" and t.enum_schema and t.enum_schema == DEFAULT_SCHEMA.get(self.dialect):
            out = replace(out, type=replace(t, enum_schema=None))
        return out

    def declared_column(self, c: Column) -> ColumnDef:
        dialect = self.prisma_dialect
        assert dialect is not None
        enum = None
        if c.type.kind == "enum":
            enum = self.enums_by_orm.get(c.type.orm_type or "")
        if c.type.kind == "enum" and self.dialect == "mysql":
            values = tuple(v.name for v in enum.values) if enum else ()
            sql_type = SqlType("ENUM", values=values)
        elif c.type.kind == "enum" and self.dialect == "sqlite":
            sql_type = SqlType("TEXT")
        else:
            t = c.type
            key = (
                t.kind,
                t.orm_type,
                t.native,
                t.length,
                t.precision,
                t.scale,
                t.timezone,
                t.enum,
                t.enum_schema,
                t.array,
                c.auto_increment,
            )
            sql_type = self._types.get(key)  # type: ignore[assignment]
            if sql_type is None:
                text = column_type_sql(dialect, c) or (t.native or "TEXT")
                sql_type = self._types[key] = parse(self.dialect, text, self.enum_names)
        default: DefaultDef | None = None
        autoincrement = c.auto_increment
        if c.default is not None:
            d = c.default
            if d.kind == "function" and d.function == "autoincrement":
                default = DefaultDef("sequence", None) if self.dialect == "postgresql" else None
                autoincrement = True
            elif d.kind == "function" and d.function == "now":
                sql = default_sql(dialect, d, c, enum)
                if self.dialect == "mysql" and sql_type.args:
                    sql = f"CURRENT_TIMESTAMP({sql_type.args[0]})"
                default = DefaultDef("now", sql)
            elif d.kind == "function":
                default = None  # cuid(), uuid(), ...: the client's
            elif d.kind == "expression":
                sql = default_sql(dialect, d, c, enum)
                default = (
                    DefaultDef("dbgenerated", sql) if sql else DefaultDef("dbgenerated_empty", None)
                )
            else:
                sql = default_sql(dialect, d, c, enum)
                if (
                    sql is not None
                    and self.dialect == "mysql"
                    and sql_type.name
                    in (
                        "JSON",
                        "LONGBLOB",
                        "BLOB",
                        "MEDIUMBLOB",
                        "TINYBLOB",
                        "BINARY",
                        "VARBINARY",
                    )
                ):
                    sql = None  # MySQL takes no JSON or binary literal defaults
                default = DefaultDef("value", sql) if sql is not None else None
        return ColumnDef(c.name, sql_type, c.nullable, default, autoincrement, c.span, c.field_name)

    def canonical_column(self, c: Column) -> ColumnDef:
        t = c.type
        if t.kind == "enum" and self.dialect == "postgresql" and t.enum:
            sql_type = SqlType("ENUM", (), t.array, enum=t.enum, enum_schema=t.enum_schema)
        else:
            text = t.native or ""
            sql_type = parse(self.dialect, text, self.enum_names)
            if t.array and not sql_type.array:
                sql_type = replace(sql_type, array=True)
        default: DefaultDef | None = None
        if c.default is not None:
            d = c.default
            text = d.value if d.value is not None else d.function
            if text is not None and str(text).strip().lower() != "null":
                text = str(text)
                kind = _default_kind(text)
                if kind == "sequence":
                    m = re.search(r"nextval\('\"?((?:[^'\"]|\"\")+)\"?'", text)
                    default = DefaultDef("sequence", None, m.group(1) if m else None)
                else:
                    default = DefaultDef(kind, _plain_literal(self.dialect, text))
        autoincrement = c.auto_increment
        return ColumnDef(c.name, sql_type, c.nullable, default, autoincrement, c.span, c.field_name)


# -- comparing columns --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ColumnChanges:
    arity: bool = False
    type: bool = False
    default: bool = False
    autoincrement: bool = False
    cast: Cast | None = None
    using: str | None = None
    """PostgreSQL's `USING` expression for a type it casts only explicitly (`using_casts`)."""

    @property
    def any(self) -> bool:
        return self.arity or self.type or self.default or self.autoincrement


_DATETIME = {"TIMESTAMP", "TIMESTAMPTZ", "DATE", "TIME", "TIMETZ", "DATETIME"}
_JSON = {"JSON", "JSONB"}


class _Comparer:
    def __init__(self, dialect: str) -> None:
        self.dialect = dialect
        self.declared_types = False
        self.using_casts = False

    def changes(self, a: ColumnDef, b: ColumnDef) -> ColumnChanges:
        cast = self.type_change(a, b)
        using = None
        if cast == "none" and self.using_casts and self.dialect == "postgresql":
            using = _using(a, b)
            if using is not None:
                cast = "risky"
        return ColumnChanges(
            using=using,
            arity=a.arity != b.arity,
            type=cast is not None,
            default=not self.defaults_match(a, b),
            autoincrement=(self.dialect != "sqlite" and a.autoincrement != b.autoincrement),
            cast=cast,
        )

    # types

    def type_change(self, a: ColumnDef, b: ColumnDef) -> Cast | None:
        cast = type_change(self.dialect, a.type, b.type)
        if cast is None and self.declared_types and self.dialect == "sqlite":
            same = (a.type.name, a.type.args, a.type.raw) == (b.type.name, b.type.args, b.type.raw)
            return None if same else "safe"
        return cast

    # defaults

    def defaults_match(self, a: ColumnDef, b: ColumnDef) -> bool:
        da, db = a.default, b.default
        if self.dialect == "mysql" and (a.type.name in _JSON or b.type.name in _JSON):
            return True
        ka = da.kind if da else None
        kb = db.kind if db else None
        if kb == "dbgenerated_empty" or kb == "sequence":
            return True
        if ka is None and kb is None:
            return True
        if ka == "sequence" and kb is None:
            return True
        if ka == "dbgenerated_empty":
            return kb is None
        if ka != kb or da is None or db is None:
            return False
        if ka == "now":
            return True
        if ka == "value" and (a.type.name in _DATETIME or b.type.name in _DATETIME):
            return True  # Prisma cannot compare datetime defaults and takes them as equal
        if ka == "value" and (a.type.name in _JSON or b.type.name in _JSON):
            ja, jb = _json_of(da.sql), _json_of(db.sql)
            if ja is not _NOT_JSON and jb is not _NOT_JSON:
                return ja == jb
        return self.default_key(da.sql) == self.default_key(db.sql)

    def default_key(self, sql: str | None) -> str | None:
        if sql is None:
            return None
        return normalize_default(self.dialect, sql)


_NOT_JSON = object()


def _using(a: ColumnDef, b: ColumnDef) -> str | None:
    """`"col"::integer` (through `casts.postgres_explicit_cast`) for a change PostgreSQL
    casts only explicitly, or None."""
    through = postgres_explicit_cast(a.type, b.type)
    if through is None:
        return None
    target = canonical_type("postgresql", b.type)
    column = '"' + a.name.replace('"', '""') + '"'
    return column + "".join(f"::{t}" for t in (*through, target))


def _check_body(expression: str) -> str:
    """`CHECK ((a >= 0))` -> `(a >= 0)`: what goes inside `CHECK (...)`."""
    text = expression.strip()
    if text[:5].upper() == "CHECK":
        text = text[5:].strip()
        if text.startswith("(") and text.endswith(")"):
            text = text[1:-1].strip()
    return text


def _json_of(sql: str | None) -> object:
    if sql is None:
        return _NOT_JSON
    text = _plain_literal("postgresql", sql.strip())
    if text.startswith("'") and text.endswith("'"):
        text = text[1:-1].replace("''", "'")
    try:
        return json.loads(text)
    except (ValueError, TypeError):
        return _NOT_JSON


# -- the differ ---------------------------------------------------------------------------------

# Prisma's step order (`SqlMigrationStep`'s variants), renames first.
_ORDER = {
    name: i
    for i, name in enumerate(
        [
            "RenameTable",
            "RenameColumn",
            "RenameEnumValue",
            "RenameEnum",
            "CreateSchema",
            "CreateEnum",
            "AlterEnum",
            "DropForeignKey",
            "DropIndex",
            "AlterTable",
            "DropTable",
            "DropEnum",
            "CreateTable",
            "RedefineTables",
            "CreateIndex",
            "DropIndexAfterCreate",
            "RenameForeignKey",
            "AddForeignKey",
            "RenameIndex",
            "RedefineIndex",
        ]
    )
}


@dataclass
class _Side:
    tables: list[TableDef]
    enums: list[EnumDef]
    namespaces: list[str] = field(default_factory=list)
    """The database schemas this side has (PostgreSQL): an empty schema has none."""
    table_pos: dict[tuple[str | None, str], int] = field(default_factory=dict)
    index_pos: dict[tuple[int, str], int] = field(default_factory=dict)
    fk_pos: dict[tuple[int, int], int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        n_index = n_fk = 0
        for ti, t in enumerate(self.tables):
            self.table_pos[(t.schema, t.name)] = ti
            for idx in t.indexes:
                self.index_pos[(ti, idx.name)] = n_index
                n_index += 1
            for fi in range(len(t.foreign_keys)):
                self.fk_pos[(ti, fi)] = n_fk
                n_fk += 1


def _read(schema: Schema, dialect: str) -> _Side:
    reader = _Reader(schema, dialect)
    tables, enums = reader.tables(), reader.enums()
    return _Side(tables, enums, _namespaces(schema, tables, enums))


def _namespaces(schema: Schema, tables: list[TableDef], enums: list[EnumDef]) -> list[str]:
    """The datasource's `schemas` (multiSchema), else `public` and the schemas in use; none
    for an empty schema (Prisma's `--from-empty`)."""
    listed = schema.datasource.properties.get("schemas") if schema.datasource else None
    if listed is not None and isinstance(listed.value, list):
        return [str(v) for v in listed.value]
    if not tables and not enums and schema.datasource is None:
        return []
    out = ["public"]
    for item in (*tables, *enums):
        if item.schema and item.schema not in out:
            out.append(item.schema)
    return out


def _candidate_key(c: RenameCandidate) -> tuple[str, str | None, str, str]:
    return (c.kind, c.parent, c.old, c.new)


def diff(
    before: Schema,
    after: Schema,
    *,
    provider: str | None = None,
    renames: RenameChoice = None,
    declared_types: bool = False,
    checks: bool = False,
    using_casts: bool = False,
) -> Plan:
    """The operations that turn `before` into `after` (see the module docstring).

    `checks`: compare the tables' CHECK constraints (`codegen.ddl.checks`): dropped, added,
    changed and renamed ones become `DropConstraint` / `AddConstraint` / `RenameConstraint`
    (on SQLite a rebuild of the table). Only where `after` can declare checks (a TypeORM
    entity set, a DDL file); Prisma's engine never compares them (the default).

    `using_casts`: on PostgreSQL, a type the database casts only explicitly (text -> integer,
    varchar -> uuid, integer <-> boolean: `casts.postgres_explicit_cast`) is changed in place,
    `ALTER COLUMN ... TYPE ... USING "col"::type` (its default dropped first and set again),
    keeping the rows' values; Prisma's engine drops and adds the column (the default).

    `declared_types`: TypeORM's view of SQLite: column types compared as declared
    (`VARCHAR(120)` is not `VARCHAR(200)`), as TypeORM reads a column's declared type back, and
    a UNIQUE constraint inside the table changed by rebuilding it; Prisma's engine compares
    types by affinity and keeps unique keys as indexes of their own (the default).

    `renames`: the candidates to take as renames (an iterable of `RenameCandidate`, or a
    mapping from `(kind, parent, old, new)` or `RenameCandidate.label` to take/not take);
    candidates not named are taken
    when `certain`, else left as drop and add. `False` takes none (Prisma's engine never
    renames), `True` every one. `provider` defaults to the schemas' own.
    """
    name = dialect_name(provider or after.provider or before.provider)
    differ = _Differ(_read(before, name), _read(after, name), name, after.relation_mode)
    differ.cmp.declared_types = declared_types
    differ.compare_checks = checks
    differ.cmp.using_casts = using_casts
    return differ.run(renames)


class _Differ:
    def __init__(self, before: _Side, after: _Side, dialect: str, relation_mode: str) -> None:
        self.a = before
        self.b = after
        self.dialect = dialect
        self.cmp = _Comparer(dialect)
        self.relation_mode = relation_mode
        self.steps: list[tuple[tuple, Operation]] = []
        self.compare_checks = False
        self.checks: dict[int, CheckChanges] = {}

    # -- pairing, renames ----------------------------------------------------------------------

    def candidates(self) -> list[RenameCandidate]:
        """Tables, columns and enum values that look renamed."""
        out: list[RenameCandidate] = []
        tables = pair(self.a.tables, self.b.tables, _table_identity)
        gone = [self.a.tables[i] for i in tables.left_only]
        new = [self.b.tables[j] for j in tables.right_only]
        used: set[str] = set()
        for t in new:
            match = None
            certain = False
            for g in gone:
                if g.name in used:
                    continue
                if t.model_name and g.model_name == t.model_name:
                    match, certain = g, True
                    break
                if t.model_name and g.model_name is None and g.name == t.model_name:
                    match, certain = g, True  # `@@map` added to a model that had none
                    break
            if match is None:
                for g in gone:
                    if g.name not in used and self._same_shape(g, t):
                        match = g
                        break
            if match is not None:
                used.add(match.name)
                out.append(RenameCandidate("table", match.name, t.name, None, certain, t.span))
        renamed_tables = {c.old: c.new for c in out}
        for ta in self.a.tables:
            bi = self.b.table_pos.get((ta.schema, renamed_tables.get(ta.name, ta.name)))
            if bi is not None:
                out.extend(self._column_candidates(ta, self.b.tables[bi]))
        if self.dialect == "postgresql":
            for i, j in pair(self.a.enums, self.b.enums, _table_identity).pairs:
                ea, eb = self.a.enums[i], self.b.enums[j]
                dropped, added = _values_changed(ea, eb)
                for old in dropped:
                    pos = ea.values.index(old)
                    for new_value in added:
                        if eb.values.index(new_value) == pos:
                            out.append(
                                RenameCandidate(
                                    "enum_value", old, new_value, ea.name, False, eb.span
                                )
                            )
        return out

    def _same_shape(self, a: TableDef, b: TableDef) -> bool:
        if len(a.columns) != len(b.columns):
            return False
        return all(
            ca.name == cb.name
            and (self.cmp.type_change(ca, cb) is None or self._renamed_enum(ca, cb) is not None)
            for ca, cb in zip(a.columns, b.columns, strict=True)
        )

    def _renamed_enum(self, ca: ColumnDef, cb: ColumnDef) -> tuple[EnumDef, EnumDef] | None:
        """The enum types of two columns when they are one type under a new name (PostgreSQL):
        different names, the same values, the old name gone from the after side and the new
        one not on the before side (TypeORM's `<table>_<column>_enum` of a renamed table)."""
        if self.dialect != "postgresql" or ca.type.name != "ENUM" or cb.type.name != "ENUM":
            return None
        old, new = ca.type.enum, cb.type.enum
        if not old or not new or old == new:
            return None
        ea = next((e for e in self.a.enums if e.name == old), None)
        eb = next((e for e in self.b.enums if e.name == new), None)
        if ea is None or eb is None or ea.values != eb.values or ea.schema != eb.schema:
            return None
        if any(e.name == old for e in self.b.enums) or any(e.name == new for e in self.a.enums):
            return None
        return ea, eb

    def _column_candidates(self, ta: TableDef, tb: TableDef) -> list[RenameCandidate]:
        columns = _pair_columns(ta, tb)
        gone = [ta.columns[i] for i in columns.left_only]
        new = [tb.columns[j] for j in columns.right_only]
        out = []
        taken: set[str] = set()
        for nb in new:
            choice = None
            certain = False
            for g in gone:
                if g.name in taken:
                    continue
                if nb.field_name and g.field_name == nb.field_name:
                    choice, certain = g, True
                    break
                if nb.field_name and g.field_name is None and g.name == nb.field_name:
                    choice, certain = g, True  # `@map` added to a field that had none
                    break
            if choice is None:
                pos_b = tb.columns.index(nb)
                for g in gone:
                    if g.name in taken:
                        continue
                    same_place = ta.columns.index(g) == pos_b
                    compatible = self.cmp.type_change(g, nb) is None and g.arity == nb.arity
                    if same_place and compatible:
                        choice = g
                        break
            if choice is not None:
                taken.add(choice.name)
                out.append(
                    RenameCandidate("column", choice.name, nb.name, tb.name, certain, nb.span)
                )
        return out

    def run(self, renames: RenameChoice) -> Plan:
        found = self.candidates()
        if renames is True or renames is False:
            taken = list(found) if renames else []
        else:
            decided: dict[tuple[str, str | None, str, str], bool] = {}
            if isinstance(renames, Mapping):
                decided = dict(renames)
            elif renames is not None:
                decided = {_candidate_key(c): True for c in renames}
            taken = [
                c for c in found if decided.get(_candidate_key(c), decided.get(c.label, c.certain))
            ]
        self.apply_renames(taken)
        self.push_all()
        ordered = [op for _, op in sorted(self.steps, key=lambda s: s[0])]
        ordered = self._partial_order(ordered)
        return Plan(tuple(ordered), self.dialect, tuple(found), tuple(taken))

    def apply_renames(self, taken: Sequence[RenameCandidate]) -> None:
        """Rewrite the `before` side as if the renames had run, and push their steps."""
        table_renames = {c.old: c for c in taken if c.kind == "table"}
        column_renames: dict[str, dict[str, RenameCandidate]] = {}
        for c in taken:
            if c.kind == "column" and c.parent is not None:
                column_renames.setdefault(c.parent, {})[c.old] = c
        value_renames: dict[str, dict[str, str]] = {}
        for c in taken:
            if c.kind == "enum_value" and c.parent is not None:
                value_renames.setdefault(c.parent, {})[c.old] = c.new
        if not taken:
            return
        tables = []
        for i, t in enumerate(self.a.tables):
            new_name = table_renames[t.name].new if t.name in table_renames else t.name
            if new_name != t.name:
                seqs = tuple(
                    (f"{t.name}_{c.name}_seq", f"{new_name}_{c.name}_seq")
                    for c in t.columns
                    if c.autoincrement and self.dialect == "postgresql"
                )
                self.push(
                    ("RenameTable", i),
                    RenameTable(t.name, new_name, t.schema, seqs, table_renames[t.name].span),
                )
            renamed_cols = column_renames.get(new_name, {})
            columns = []
            for c in t.columns:
                if c.name in renamed_cols:
                    cand = renamed_cols[c.name]
                    self.push(
                        ("RenameColumn", i, t.columns.index(c)),
                        RenameColumn(new_name, c.name, cand.new, t.schema, cand.span),
                    )
                    c = replace(c, name=cand.new)
                columns.append(c)
            cmap = {k: v.new for k, v in renamed_cols.items()}
            fks = tuple(
                replace(
                    fk,
                    columns=tuple(cmap.get(x, x) for x in fk.columns),
                    referenced_table=table_renames[fk.referenced_table].new
                    if fk.referenced_table in table_renames
                    else fk.referenced_table,
                )
                for fk in t.foreign_keys
            )
            indexes = tuple(
                replace(
                    ix,
                    columns=tuple(_renamed_part(ic, cmap) for ic in ix.columns),
                )
                for ix in t.indexes
            )
            pk = t.primary_key
            if pk is not None:
                pk = replace(
                    pk,
                    columns=tuple(_renamed_part(ic, cmap) for ic in pk.columns),
                )
            constraints = tuple(
                replace(k, raw=rename_columns(k.raw, cmap))
                if k.kind == "check" and isinstance(k.raw, str)
                else k
                for k in t.constraints
            )
            tables.append(
                replace(
                    t,
                    name=new_name,
                    columns=tuple(columns),
                    foreign_keys=fks,
                    indexes=indexes,
                    primary_key=pk,
                    constraints=constraints,
                )
            )
        tables = self._follow_enum_renames(tables, table_renames)
        # foreign keys of other tables that point at renamed columns
        fixed = []
        for t in tables:
            fks = []
            for fk in t.foreign_keys:
                cmap = {k: v.new for k, v in column_renames.get(fk.referenced_table, {}).items()}
                fks.append(
                    replace(
                        fk, referenced_columns=tuple(cmap.get(x, x) for x in fk.referenced_columns)
                    )
                )
            fixed.append(replace(t, foreign_keys=tuple(fks)))
        enums = []
        for e in self.a.enums:
            vr = value_renames.get(e.name, {})
            for old, new in vr.items():
                self.push(
                    ("RenameEnumValue", e.name, old),
                    RenameEnumValue((e.schema, e.name), old, new, e.span),
                )
            enums.append(replace(e, values=tuple(vr.get(v, v) for v in e.values)))
        if value_renames:
            # defaults that name a renamed value
            fixed = [self._rename_enum_defaults(t, value_renames) for t in fixed]
        self.a = _Side(fixed, enums, self.a.namespaces)

    def _follow_enum_renames(
        self, tables: list[TableDef], table_renames: Mapping[str, RenameCandidate]
    ) -> list[TableDef]:
        """The enum types of renamed tables that are the same type under the name the new
        table gives it: `RenameEnum` each, and the before side's enums and columns renamed."""
        if not table_renames:
            return tables
        renamed: dict[str, str] = {}
        for t in tables:
            if t.name not in {c.new for c in table_renames.values()}:
                continue
            target = self.b.table_pos.get((t.schema, t.name))
            if target is None:
                continue
            after = {c.name: c for c in self.b.tables[target].columns}
            for c in t.columns:
                other = after.get(c.name)
                pair_ = self._renamed_enum(c, other) if other is not None else None
                if pair_ is None or pair_[0].name in renamed:
                    continue
                ea, eb = pair_
                renamed[ea.name] = eb.name
                self.push(
                    ("RenameEnum", ea.name), RenameEnum((ea.schema, ea.name), eb.name, eb.span)
                )
        if not renamed:
            return tables
        self.a = _Side(
            self.a.tables,
            [replace(e, name=renamed.get(e.name, e.name)) for e in self.a.enums],
            self.a.namespaces,
        )
        out = []
        for t in tables:
            columns = tuple(
                replace(c, type=replace(c.type, enum=renamed[c.type.enum]))
                if c.type.name == "ENUM" and c.type.enum in renamed
                else c
                for c in t.columns
            )
            out.append(replace(t, columns=columns))
        return out

    def _rename_enum_defaults(self, t: TableDef, renames: dict[str, dict[str, str]]) -> TableDef:
        cols = []
        for c in t.columns:
            if c.type.name == "ENUM" and c.type.enum in renames and c.default and c.default.sql:
                sql = c.default.sql
                for old, new in renames[c.type.enum].items():
                    if sql == "'" + old.replace("'", "''") + "'":
                        sql = "'" + new.replace("'", "''") + "'"
                c = replace(c, default=replace(c.default, sql=sql))
            cols.append(c)
        return replace(t, columns=tuple(cols))

    # -- steps ---------------------------------------------------------------------------------

    def push(self, key: tuple, op: Operation) -> None:
        self.steps.append(((_ORDER[key[0]], *key[1:]), op))

    def push_all(self) -> None:
        a, b = self.a, self.b
        tables = pair(a.tables, b.tables, _table_identity)
        self.pairs = [(ai, bi, a.tables[ai], b.tables[bi]) for ai, bi in tables.pairs]
        created = [(bi, b.tables[bi]) for bi in tables.right_only]
        dropped = [(ai, a.tables[ai]) for ai in tables.left_only]
        self.dropped = dropped
        self.columns: dict[int, Pairing] = {}
        self.fks: dict[int, Pairing] = {}
        self.indexes: dict[int, Pairing] = {}
        self.column_changes: dict[tuple[int, str], ColumnChanges] = {}
        for ai, _bi, ta, tb in self.pairs:
            self.columns[ai] = columns = _pair_columns(ta, tb)
            for i, j in columns.pairs:
                ca, cb = ta.columns[i], tb.columns[j]
                self.column_changes[(ai, ca.name)] = self.cmp.changes(ca, cb)
            if self.compare_checks:
                self.checks[ai] = check_changes(self.dialect, ta, tb)
        self.redefine = self.tables_to_redefine() if self.dialect == "sqlite" else set()
        self.push_created_schemas(created)
        self.push_created_tables(created)
        self.push_dropped_tables(dropped)
        self.push_dropped_indexes()
        self.push_created_indexes()
        self.push_altered_tables()
        self.push_redefined_tables()
        self.push_enum_steps()

    def push_created_schemas(self, created: list[tuple[int, TableDef]]) -> None:
        if self.dialect != "postgresql":
            return
        before = set(self.a.namespaces)
        for i, name in enumerate(n for n in self.b.namespaces if n not in before):
            self.push(("CreateSchema", i), CreateSchema(name, if_not_exists=True))

    def paired_columns(
        self, ai: int, ta: TableDef, tb: TableDef
    ) -> list[tuple[ColumnDef, ColumnDef]]:
        """The columns both sides of a paired table have, in the old table's order."""
        return [(ta.columns[i], tb.columns[j]) for i, j in sorted(self.columns[ai].pairs)]

    def column_changes_of(self, ai: int, name: str) -> ColumnChanges:
        return self.column_changes.get((ai, name), ColumnChanges())

    def tables_to_redefine(self) -> set[int]:
        out = set()
        for ai, _bi, ta, tb in self.pairs:
            if self._table_needs_redefine(ai, ta, tb):
                out.add(ai)
        return out

    def _table_needs_redefine(self, ai: int, ta: TableDef, tb: TableDef) -> bool:
        if (ta.primary_key is None) != (tb.primary_key is None):
            return True
        if self.primary_key_changed(ai, ta, tb):
            return True
        columns = self.columns[ai]
        if columns.left_only:
            return True
        if any(not tb.columns[j].nullable for j in columns.right_only):
            return True
        if any(self.column_changes_of(ai, c.name).any for c in ta.columns):
            return True
        if self.unique_constraint_changed(ai, ta, tb):
            return True
        if self.check_changes_of(ai).any:
            return True  # SQLite keeps a CHECK inside the table
        return bool(self.created_fks(ai, ta, tb) or self.dropped_fks(ai, ta, tb))

    def unique_constraint_changed(self, ai: int, ta: TableDef, tb: TableDef) -> bool:
        """A UNIQUE constraint (inside the table, not an index of its own: TypeORM's) added,
        dropped or renamed: SQLite changes it only by rebuilding the table. Only in TypeORM's
        view (`declared_types`): Prisma's engine writes every unique key as an index of its
        own, which it creates and drops in place."""
        if not self.cmp.declared_types:
            return False
        changed = self.created_indexes(ai, ta, tb) + self.dropped_indexes(ai, ta, tb)
        if any(i.constraint for i in changed):
            return True
        return any(
            x.name != y.name and (x.constraint or y.constraint) for x, y in self.index_pairs(ta, tb)
        )

    def check_changes_of(self, ai: int) -> CheckChanges:
        """The paired table's CHECK changes (none unless `checks=True`)."""
        return self.checks.get(ai) or CheckChanges()

    def primary_key_changed(self, ai: int, ta: TableDef, tb: TableDef) -> bool:
        pa, pb = ta.primary_key, tb.primary_key
        if pa is None or pb is None:
            return False
        if len(pa.columns) != len(pb.columns):
            return True
        for x, y in zip(pa.columns, pb.columns, strict=True):
            if x.name != y.name or (x.sort or "asc") != (y.sort or "asc") or x.length != y.length:
                return True
        return any(self.column_changes_of(ai, c.name).type for c in pa.columns)

    # foreign keys

    def fks_match(
        self, ai: int, ta: TableDef, fa: ForeignKeyDef, tb: TableDef, fb: ForeignKeyDef
    ) -> bool:
        if fa.referenced_table != fb.referenced_table or fa.referenced_schema != (
            fb.referenced_schema
        ):
            return False
        if len(fa.columns) != len(fb.columns) or len(fa.referenced_columns) != len(
            fb.referenced_columns
        ):
            return False
        for ca, cb in zip(fa.columns, fb.columns, strict=True):
            if ca != cb:
                return False
            changes = self.column_changes_of(ai, ca)
            if changes.type:
                return False
            col_a, col_b = ta.column(ca), tb.column(cb)
            if (
                col_a is not None
                and col_b is not None
                and col_a.arity != col_b.arity
                and not (col_a.arity == "required" and col_b.arity == "nullable")
            ):
                return False
        return (
            fa.referenced_columns == fb.referenced_columns
            and fa.on_delete == fb.on_delete
            and fa.on_update == fb.on_update
        )

    def fk_pairing(self, ai: int, ta: TableDef, tb: TableDef) -> Pairing:
        """The table's foreign keys matched by shape (only a new name makes a rename)."""
        found = self.fks.get(ai)
        if found is None:
            found = self.fks[ai] = pair_by_shape(
                ta.foreign_keys,
                tb.foreign_keys,
                lambda fa, fb: self.fks_match(ai, ta, fa, tb, fb),
            )
        return found

    def created_fks(self, ai: int, ta: TableDef, tb: TableDef) -> list[int]:
        return list(self.fk_pairing(ai, ta, tb).right_only)

    def dropped_fks(self, ai: int, ta: TableDef, tb: TableDef) -> list[int]:
        return list(self.fk_pairing(ai, ta, tb).left_only)

    def fk_pairs(self, ai: int, ta: TableDef, tb: TableDef) -> list[tuple[int, int]]:
        return list(self.fk_pairing(ai, ta, tb).pairs)

    # indexes

    def indexes_match(self, x: IndexDef, y: IndexDef) -> bool:
        if len(x.columns) != len(y.columns) or x.unique != y.unique:
            return False
        if (x.method == "FULLTEXT") != (y.method == "FULLTEXT"):
            return False
        for cx, cy in zip(x.columns, y.columns, strict=True):
            if cx.column is None or cy.column is None:
                if normalize_expression(self.dialect, cx.name) != normalize_expression(
                    self.dialect, cy.name
                ):
                    return False
            elif cx.name != cy.name:
                return False
            if cx.length != cy.length or (cx.sort or "asc") != (cy.sort or "asc"):
                return False
            if self.dialect == "postgresql" and (cx.ops or None) != (cy.ops or None):
                return False
        if self.dialect == "postgresql" and (x.method or "BTREE") != (y.method or "BTREE"):
            return False
        px = normalize_expression(self.dialect, x.predicate) if x.predicate else None
        py = normalize_expression(self.dialect, y.predicate) if y.predicate else None
        return px == py and x.include == y.include

    def index_pairs(self, ta: TableDef, tb: TableDef) -> list[tuple[IndexDef, IndexDef]]:
        """Each index with its first equal on the other side, but an index with a twin (the
        same columns and uniqueness under another name), which no rename can tell apart."""

        def shape(x: IndexDef) -> tuple:
            return ([c.name for c in x.columns], x.unique)

        shapes = [shape(x) for x in ta.indexes]
        single = [x for x, s in zip(ta.indexes, shapes, strict=True) if shapes.count(s) == 1]
        found = pair_by_shape(single, tb.indexes, self.indexes_match, one_to_one=False)
        return [(single[i], tb.indexes[j]) for i, j in found.pairs]

    def index_pairing(self, ai: int, ta: TableDef, tb: TableDef) -> Pairing:
        """The table's indexes matched by shape (an index that only changed its name pairs)."""
        found = self.indexes.get(ai)
        if found is None:
            found = self.indexes[ai] = pair_by_shape(ta.indexes, tb.indexes, self.indexes_match)
        return found

    def created_indexes(self, ai: int, ta: TableDef, tb: TableDef) -> list[IndexDef]:
        return [tb.indexes[j] for j in self.index_pairing(ai, ta, tb).right_only]

    def dropped_indexes(self, ai: int, ta: TableDef, tb: TableDef) -> list[IndexDef]:
        return [ta.indexes[i] for i in self.index_pairing(ai, ta, tb).left_only]

    # -- pushes, in Prisma's order -------------------------------------------------------------

    def push_created_tables(self, created: list[tuple[int, TableDef]]) -> None:
        for bi, t in created:
            self.push(("CreateTable", bi), CreateTable(t))
            if self.dialect != "sqlite":
                for j, fk in enumerate(t.foreign_keys):
                    self.push(
                        ("AddForeignKey", self.b.fk_pos[(bi, j)]),
                        _add_foreign_key(t.name, fk, t.schema),
                    )
            if self.dialect != "mysql":
                for idx in t.indexes:
                    self.push(
                        ("CreateIndex", 0, -1, bi, self.b.index_pos[(bi, idx.name)]),
                        CreateIndex(t.name, idx, t.schema),
                    )

    def push_dropped_tables(self, dropped: list[tuple[int, TableDef]]) -> None:
        for ai, t in dropped:
            self.push(("DropTable", ai), DropTable(t.name, t.schema, table=t))
            if self.dialect != "sqlite":
                for j, fk in enumerate(t.foreign_keys):
                    self.push(
                        ("DropForeignKey", self.a.fk_pos[(ai, j)]),
                        _drop_foreign_key(t.name, fk, t.schema),
                    )

    def non_redefined(self):
        return [p for p in self.pairs if p[0] not in self.redefine]

    def push_dropped_indexes(self) -> None:
        drops: dict[int, tuple[TableDef, IndexDef]] = {}
        for ai, bi, ta, tb in self.non_redefined():
            for idx in self.dropped_indexes(ai, ta, tb):
                if (
                    self.dialect == "mysql"
                    and self._covers_fk(ta, idx)
                    and self._mysql_fk_index(ai, bi, ta, tb, idx)
                ):
                    continue
                drops[self.a.index_pos[(ai, idx.name)]] = (ta, idx)
        if self.redefine and self.dialect == "sqlite":
            for ai, t in self.dropped:
                for idx in t.indexes:
                    drops[self.a.index_pos[(ai, idx.name)]] = (t, idx)
        for pos, (t, idx) in drops.items():
            self.push(("DropIndex", pos), DropIndex(t.name, idx, t.schema))

    def _mysql_fk_index(self, ai: int, bi: int, ta: TableDef, tb: TableDef, idx: IndexDef) -> bool:
        """MySQL keeps an index under every foreign key and refuses to drop the one a key
        stands on. Where a new index will cover the key, drop the old one after creating it
        (pushed here; True); where none will, drop the key first and add it again after (it
        then gets MySQL's own index, as a new table's key does) and drop the index in its
        normal place (False). Prisma's engine leaves such an index where it is."""
        cols = [c.name for c in idx.columns]
        kept = {i for i, _j in self.fk_pairs(ai, ta, tb)}
        covered = [
            i
            for i, fk in enumerate(ta.foreign_keys)
            if i in kept and list(fk.columns) == cols[: len(fk.columns)]
        ]
        if not covered:
            return False  # its keys go anyway (dropped before the index)
        created = {y.name for y in self.created_indexes(ai, ta, tb)}

        def still_covered(fk: ForeignKeyDef) -> bool:
            n = len(fk.columns)
            return any(
                y.name != idx.name and [c.name for c in y.columns][:n] == list(fk.columns)
                for y in tb.indexes
            )

        if idx.name not in created and all(still_covered(ta.foreign_keys[i]) for i in covered):
            self.push(
                ("DropIndexAfterCreate", self.a.index_pos[(ai, idx.name)]),
                DropIndex(ta.name, idx, ta.schema),
            )
            return True
        pairs = dict(self.fk_pairs(ai, ta, tb))
        for i in covered:
            fb = tb.foreign_keys[pairs[i]]
            self.push(
                ("DropForeignKey", self.a.fk_pos[(ai, i)]),
                _drop_foreign_key(ta.name, ta.foreign_keys[i], ta.schema),
            )
            self.push(
                ("AddForeignKey", self.b.fk_pos[(bi, pairs[i])]),
                _add_foreign_key(tb.name, fb, tb.schema),
            )
        return False

    def _covers_fk(self, t: TableDef, idx: IndexDef) -> bool:
        cols = [c.name for c in idx.columns]
        return any(list(fk.columns) == cols[: len(fk.columns)] for fk in t.foreign_keys)

    def push_created_indexes(self) -> None:
        for ai, bi, ta, tb in self.non_redefined():
            for idx in self.created_indexes(ai, ta, tb):
                self.push(
                    ("CreateIndex", 1, ai, bi, self.b.index_pos[(bi, idx.name)]),
                    CreateIndex(tb.name, idx, tb.schema),
                )
            if self.dialect == "postgresql":
                recreated = {
                    c.name for c in ta.columns if self.column_changes_of(ai, c.name).cast == "none"
                }
                if recreated:
                    for _x, y in self.index_pairs(ta, tb):
                        if any(c.name in recreated for c in y.columns):
                            self.push(
                                ("CreateIndex", 1, ai, bi, self.b.index_pos[(bi, y.name)]),
                                CreateIndex(tb.name, y, tb.schema),
                            )

    def push_altered_tables(self) -> None:
        for ai, bi, ta, tb in self.non_redefined():
            for j in self.created_fks(ai, ta, tb):
                self.push(
                    ("AddForeignKey", self.b.fk_pos[(bi, j)]),
                    _add_foreign_key(tb.name, tb.foreign_keys[j], tb.schema),
                )
            for j in self.dropped_fks(ai, ta, tb):
                self.push(
                    ("DropForeignKey", self.a.fk_pos[(ai, j)]),
                    _drop_foreign_key(ta.name, ta.foreign_keys[j], ta.schema),
                )
            for i, j in self.fk_pairs(ai, ta, tb):
                fa, fb = ta.foreign_keys[i], tb.foreign_keys[j]
                if self.dialect == "sqlite" or fa.name == fb.name or fa.name is None:
                    continue
                if _is_join_table(ta) and _is_join_table(tb):
                    continue
                if self.dialect == "postgresql":
                    self.push(
                        ("RenameForeignKey", self.a.fk_pos[(ai, i)]),
                        AlterTable(
                            tb.name,
                            (RenameConstraint(fa.name, fb.name or "", "foreign_key"),),
                            schema=tb.schema,
                        ),
                    )
                else:
                    self.push(
                        ("AddForeignKey", self.b.fk_pos[(bi, j)]),
                        _add_foreign_key(tb.name, fb, tb.schema),
                    )
                    self.push(
                        ("DropForeignKey", self.a.fk_pos[(ai, i)]),
                        _drop_foreign_key(ta.name, fa, ta.schema),
                    )
            for x, y in self.index_pairs(ta, tb):
                if x.name == y.name:
                    continue
                if self.dialect == "sqlite":
                    self.push(
                        ("RedefineIndex", ai, self.a.index_pos[(ai, x.name)]),
                        RedefineIndex(tb.name, x, y),
                    )
                else:
                    self.push(
                        ("RenameIndex", ai, self.a.index_pos[(ai, x.name)]),
                        RenameIndex(tb.name, x.name, y.name, tb.schema, y),
                    )
            changes = self.table_changes(ai, ta, tb)
            if changes:
                self.push(
                    ("AlterTable", ai, bi), AlterTable(tb.name, tuple(changes), tb, ta, tb.schema)
                )

    def table_changes(self, ai: int, ta: TableDef, tb: TableDef) -> list[TableChange]:
        changes: list[TableChange] = []
        pa, pb = ta.primary_key, tb.primary_key
        pk_changed = self.primary_key_changed(ai, ta, tb)
        if pa is not None and (pb is None or pk_changed):
            changes.append(DropConstraint(pa.name, "primary_key"))
        if (
            pa is not None
            and pb is not None
            and pa.name != pb.name
            and pa.name
            and pb.name
            and self.dialect == "postgresql"
            and not pk_changed
        ):
            changes.append(RenameConstraint(pa.name, pb.name, "primary_key"))
        checks = self.check_changes_of(ai)
        renamed_checks = []
        for old, new in checks.renamed:
            if self.dialect == "postgresql" and old.name and new.name:
                renamed_checks.append(RenameConstraint(old.name, new.name, "check"))
            else:  # MySQL renames no CHECK: dropped and added again
                checks = replace(checks, dropped=(*checks.dropped, old), added=(*checks.added, new))
        for k in checks.dropped:
            if k.name:
                changes.append(DropConstraint(k.name, "check"))
        changes.extend(renamed_checks)
        columns = self.columns[ai]
        for c in sorted((ta.columns[i] for i in columns.left_only), key=_byte_order):
            changes.append(DropColumn(c.name, c))
        for c in sorted((tb.columns[j] for j in columns.right_only), key=_byte_order):
            changes.append(AddColumn(c))
        for ca, cb in self.paired_columns(ai, ta, tb):
            ch = self.column_changes_of(ai, ca.name)
            if not ch.any:
                continue
            changes.extend(self.alter_column(ca, cb, ch))
        if pb is not None and (pa is None or pk_changed):
            changes.append(AddConstraint(ConstraintDef("primary_key", pb.name, pb.columns)))
        changes.extend(AddConstraint(k) for k in checks.added)
        return changes

    def alter_column(self, a: ColumnDef, b: ColumnDef, ch: ColumnChanges) -> list[TableChange]:
        if ch.cast == "none":
            return [DropAndRecreateColumn(a, b)]
        if ch.using is not None:
            return self.alter_column_using(a, b, ch)
        if self.dialect == "mysql":
            if ch.default and not ch.type and not ch.arity and b.default is None:
                return [DropDefault(b.name, b)]
            return [ModifyColumn(a.name, b, a)]
        out: list[TableChange] = []
        set_type = False
        if ch.arity:
            arities = (a.arity, b.arity)
            if arities == ("required", "nullable"):
                out.append(DropNotNull(b.name, b))
            elif arities == ("nullable", "required"):
                out.append(SetNotNull(b.name, b))
            elif arities == ("list", "nullable"):
                set_type = True
                out.append(DropNotNull(b.name, b))
            elif arities == ("list", "required"):
                set_type = True
                out.append(SetNotNull(b.name, b))
            else:
                set_type = True
        if ch.default:
            if b.default is not None and b.default.sql is not None:
                out.append(SetDefault(b.name, b.default, b, a))
            elif b.default is None or b.default.kind != "sequence":
                out.append(DropDefault(b.name, b))
        if ch.type:
            set_type = True
        if ch.autoincrement:
            if a.autoincrement:
                out.append(DropDefault(b.name, b, a.default.sequence if a.default else None))
            else:
                out.append(AddSequence(b))
        if set_type:
            cast = "risky" if ch.cast == "risky" else "safe"
            out.append(AlterColumnType(b.name, b.type, before=a, after=b, cast=cast))
        return out

    def alter_column_using(
        self, a: ColumnDef, b: ColumnDef, ch: ColumnChanges
    ) -> list[TableChange]:
        """A type PostgreSQL casts only explicitly: the old default dropped (PostgreSQL casts
        a default without the USING, and fails), the type changed `USING` the cast, then the
        column's NOT NULL and default as declared."""
        out: list[TableChange] = []
        if a.default is not None and a.default.kind != "sequence":
            out.append(DropDefault(a.name, a))
        out.append(AlterColumnType(b.name, b.type, using=ch.using, before=a, after=b, cast="risky"))
        if ch.arity and (a.arity, b.arity) == ("required", "nullable"):
            out.append(DropNotNull(b.name, b))
        elif ch.arity and (a.arity, b.arity) == ("nullable", "required"):
            out.append(SetNotNull(b.name, b))
        if b.default is not None and b.default.sql is not None and b.default.kind != "sequence":
            out.append(SetDefault(b.name, b.default, b, a))
        return out

    def push_redefined_tables(self) -> None:
        if not self.redefine:
            return
        tables = []
        for ai, _bi, ta, tb in self.pairs:
            if ai not in self.redefine:
                continue
            copied = []
            for ca, cb in sorted(self.paired_columns(ai, ta, tb), key=lambda p: _byte_order(p[0])):
                ch = self.column_changes_of(ai, ca.name)
                coalesce = None
                if ch.arity and not cb.nullable and cb.default is not None and cb.default.sql:
                    coalesce = cb.default.sql
                copied.append(CopiedColumn(ca.name, cb.name, coalesce))
            dropped = tuple(ta.columns[i].name for i in self.columns[ai].left_only)
            tables.append(RedefinedTable(ta, tb, tuple(copied), dropped))
        self.push(("RedefineTables", 0), RedefineTables(tuple(tables)))

    def push_enum_steps(self) -> None:
        if self.dialect != "postgresql":
            return
        enums = pair(self.a.enums, self.b.enums, _table_identity)
        for ai, bi in enums.pairs:
            ea, eb = self.a.enums[ai], self.b.enums[bi]
            dropped, added = _values_changed(ea, eb)
            if not added and not dropped:
                continue
            defaults, columns = self.enum_usages(ea, eb) if dropped else ((), ())
            self.push(("AlterEnum", ai), AlterEnum(eb, added, dropped, defaults, columns))
        for bi in enums.right_only:
            eb = self.b.enums[bi]
            self.push(("CreateEnum", bi), CreateEnum((eb.schema, eb.name), eb.values, eb.span))
        for ai in enums.left_only:
            self.push(("DropEnum", ai), DropEnum(self.a.enums[ai]))

    def enum_usages(
        self, ea: EnumDef, eb: EnumDef
    ) -> tuple[tuple[EnumUsage, ...], tuple[EnumUsage, ...]]:
        """Prisma's `previous_usages_as_default`, then the columns to convert."""

        def uses(c: ColumnDef, e: EnumDef) -> bool:
            t = c.type
            return t.name == "ENUM" and t.enum == e.name and t.enum_schema == e.schema

        defaults: list[EnumUsage] = []
        for _ai, t in self.dropped:
            for c in t.columns:
                if uses(c, ea) and c.default is not None:
                    defaults.append(
                        EnumUsage(
                            t.name, c.name, t.schema, c.type.array, c.default.sql, None, False
                        )
                    )
        for ai, _bi, ta, tb in self.pairs:
            partner = dict(self.columns[ai].pairs)
            for i, c in enumerate(ta.columns):
                if not uses(c, ea) or c.default is None:
                    continue
                cb = tb.columns[partner[i]] if i in partner else None
                after = cb.default.sql if cb is not None and uses(cb, eb) and cb.default else None
                defaults.append(
                    EnumUsage(
                        ta.name,
                        c.name,
                        ta.schema,
                        c.type.array,
                        c.default.sql,
                        after,
                        cb is not None,
                    )
                )
        existing = {(t.schema, t.name) for t in self.a.tables}
        columns = tuple(
            EnumUsage(t.name, c.name, t.schema, c.type.array)
            for t in self.b.tables
            if (t.schema, t.name) in existing  # a new table is created with the new type
            for c in t.columns
            if uses(c, eb)
        )
        return tuple(defaults), columns

    def _partial_order(self, ops: list[Operation]) -> list[Operation]:
        """Prisma's one exception to its step order: a unique index dropped from a table that
        had no primary key goes after the ALTER TABLE that adds a primary key on its columns."""
        i = 0
        while i < len(ops):
            op = ops[i]
            if isinstance(op, DropIndex) and op.index.unique:
                before = next((t for t in self.a.tables if t.name == op.table), None)
                if before is not None and before.primary_key is None:
                    cols = [c.name for c in op.index.columns]
                    for j in range(i + 1, len(ops)):
                        other = ops[j]
                        if (
                            isinstance(other, AlterTable)
                            and other.table == op.table
                            and any(
                                isinstance(ch, AddConstraint)
                                and ch.constraint.kind == "primary_key"
                                and [p.column for p in ch.constraint.columns] == cols
                                for ch in other.changes
                            )
                        ):
                            ops.insert(j, ops.pop(i))
                            i -= 1
                            break
            i += 1
        return ops


def _table_identity(t: TableDef | EnumDef) -> tuple[str | None, str]:
    """A table's or an enum's identity: its schema (None: the default one) and its name."""
    return (t.schema, t.name)


def _column_name(c: ColumnDef) -> str:
    return c.name


def _byte_order(c: ColumnDef) -> bytes:
    """Prisma's engine orders added and dropped columns by their names' bytes."""
    return c.name.encode()


def _pair_columns(ta: TableDef, tb: TableDef) -> Pairing:
    """Two tables' columns by name (a rename is a candidate, never a pair)."""
    return pair(ta.columns, tb.columns, _column_name)


def _values_changed(ea: EnumDef, eb: EnumDef) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """An enum's values dropped (in the old order) and added (in the new order)."""
    values = pair(ea.values, eb.values, str)
    return (
        tuple(ea.values[i] for i in values.left_only),
        tuple(eb.values[j] for j in values.right_only),
    )


def _is_join_table(t: TableDef) -> bool:
    return len(t.columns) == 2 and {c.name for c in t.columns} == {"A", "B"}


def alternatives(before: Schema, after: Schema, *, provider: str | None = None) -> dict[str, Plan]:
    """The two operation lists when something looks renamed: `rename` (every candidate taken)
    and `drop_and_add` (none taken, as Prisma's engine does); only `rename` (the plain diff)
    when nothing does."""
    first = diff(before, after, provider=provider)
    if not first.renames:
        return {"rename": first}
    return {
        "rename": diff(before, after, provider=provider, renames=True),
        "drop_and_add": diff(before, after, provider=provider, renames=False),
    }


def reverse_renames(candidates: Iterable[RenameCandidate]) -> list[RenameCandidate]:
    """The same renames, going down (new -> old), for the down migration."""
    out = []
    for c in candidates:
        parent = c.parent
        out.append(RenameCandidate(c.kind, c.new, c.old, parent, c.certain, c.span))
    return out


def _renamed_part(part: IndexPart, renames: dict[str, str]) -> IndexPart:
    """`part` with its column (or expression text) renamed where `renames` says so."""
    if part.column is not None:
        return replace(part, column=renames.get(part.column, part.column))
    return replace(part, expression=renames.get(part.name, part.name))


__all__ = [  # noqa: F405 - re-exported from .operations
    "AddColumn",
    "AddConstraint",
    "AddSequence",
    "AlterColumnType",
    "AlterEnum",
    "AlterEnumAddValue",
    "AlterTable",
    "ColumnDef",
    "CopiedColumn",
    "CreateEnum",
    "CreateIndex",
    "CreateSchema",
    "CreateTable",
    "DefaultDef",
    "DropAndRecreateColumn",
    "DropColumn",
    "DropConstraint",
    "DropDefault",
    "DropEnum",
    "DropIndex",
    "DropNotNull",
    "DropTable",
    "EnumDef",
    "EnumUsage",
    "ForeignKeyDef",
    "IndexDef",
    "IndexPart",
    "ModifyColumn",
    "Operation",
    "Plan",
    "PrimaryKeyDef",
    "RedefineIndex",
    "RedefineTables",
    "RedefinedTable",
    "RenameCandidate",
    "RenameColumn",
    "RenameConstraint",
    "RenameEnum",
    "RenameEnumValue",
    "RenameIndex",
    "RenameTable",
    "SetDefault",
    "SetNotNull",
    "TableChange",
    "TableDef",
    "alternatives",
    "dialect_name",
    "diff",
    "reverse_renames",
]

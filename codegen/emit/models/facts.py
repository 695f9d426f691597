"""What every model emitter needs to know about a table, whichever source the schema came from.

A schema model read from `schema.prisma` says `String @db.VarChar(40)` and `@default(now())`
(Prisma's words: `orm_type`, `native="VarChar(40)"`, a `function` default); one read from
TypeORM entities or from SQL says `character varying(40)` and `DEFAULT now()` (the database's
words: `native` SQL, an `expression` default). An emitter for another ORM needs neither
spelling but the facts under them: the SQL type with its parameters (`SqlType`), what the
default does (`DefaultFact`), and the relations as two-sided pairs with field names on both
sides (`RelationPlan`). This module turns both spellings into those facts, so that each
emitter is one mapping from facts to its ORM's text.

Names are part of it: a model's class name (`model_name`, else the table name in PascalCase),
a column's property name (`field_name`, else camelCase), and the relation fields, named from
the foreign key's columns (`author_id` -> `author`) with the other side the plural of the
model (`posts`), made unique where two keys point at the same table.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from schemasense.codegen.dialects import get_dialect
from schemasense.codegen.dialects.render import column_type_sql
from schemasense.codegen.orms.prisma.naming import relation_name
from schemasense.codegen.orms.sequelize.inflection import pluralize, singularize
from schemasense.codegen.schema import Column, ForeignKey, Schema, Table

# -- types -----------------------------------------------------------------------------------------

_ALIASES = {
    "character varying": "varchar",
    "varchar": "varchar",
    "character": "char",
    "char": "char",
    "bpchar": "char",
    "int": "integer",
    "int4": "integer",
    "integer": "integer",
    "serial": "integer",
    "serial4": "integer",
    "int8": "bigint",
    "bigserial": "bigint",
    "serial8": "bigint",
    "int2": "smallint",
    "smallserial": "smallint",
    "float8": "double precision",
    "double precision": "double precision",
    "double": "double precision",
    "float4": "real",
    "real": "real",
    "float": "double precision",
    "bool": "boolean",
    "boolean": "boolean",
    "decimal": "numeric",
    "numeric": "numeric",
    "timestamp without time zone": "timestamp",
    "timestamp": "timestamp",
    "timestamp with time zone": "timestamptz",
    "timestamptz": "timestamptz",
    "time without time zone": "time",
    "time with time zone": "timetz",
    "bit varying": "varbit",
    "datetime": "datetime",
}
_AUTO = {"serial", "serial4", "bigserial", "serial8", "smallserial"}
_PARAMS = re.compile(r"\(([^)]*)\)")
_PRECISION_FIRST = {"numeric", "timestamp", "timestamptz", "time", "timetz", "datetime"}
_PRECISION_FIRST |= {"float", "double precision", "interval"}


@dataclass(frozen=True, slots=True)
class SqlType:
    """A column's SQL type in one canonical spelling: `name` lower-case with PostgreSQL's
    short names (`varchar`, `integer`, `timestamptz`, `numeric`), its parameters, whether
    it is an array, and for an enum the enum's database name."""

    name: str
    length: int | None = None
    precision: int | None = None
    scale: int | None = None
    array: bool = False
    enum: str | None = None
    unsigned: bool = False
    """MySQL's `INT UNSIGNED`."""


def parse_sql_type(text: str) -> SqlType:
    """`character varying(200)` -> varchar(200); `timestamp(3) with time zone` ->
    timestamptz(3); `NUMERIC(10,2)` -> numeric(10, 2); `TEXT[]` -> text array."""
    t = text.strip()
    array = False
    while t.endswith("[]"):
        t, array = t[:-2].strip(), True
    if t.lower().endswith(" array"):
        t, array = t[:-6].strip(), True
    args = [a.strip() for m in _PARAMS.finditer(t) for a in m.group(1).split(",") if a.strip()]
    base = " ".join(_PARAMS.sub(" ", t).split()).lower().strip('"')
    unsigned = base.endswith(" unsigned")
    base = base.removesuffix(" unsigned").removesuffix(" zerofill")
    name = _ALIASES.get(base, base)
    numbers = [int(a) for a in args if a.lstrip("-").isdigit()]
    length = precision = scale = None
    if numbers:
        if name in _PRECISION_FIRST:
            precision = numbers[0]
            scale = numbers[1] if len(numbers) > 1 else None
        else:
            length = numbers[0]
    return SqlType(name, length, precision, scale, array, unsigned=unsigned)


def sql_type(schema: Schema, column: Column) -> SqlType:
    """The SQL type of `column` in `schema`, from Prisma's words or the database's."""
    t = column.type
    if t.kind == "enum":
        enum = schema.enum(t.enum or t.orm_type or "")
        return SqlType("enum", array=t.array, enum=enum.name if enum else t.enum)
    if t.orm_type:  # Prisma's words: the SQL its engine writes for them
        dialect = get_dialect(schema.provider)
        text = None
        if dialect is not None:
            text = column_type_sql(dialect, column.model_copy(update={"auto_increment": False}))
        if text:
            return parse_sql_type(text)
    if t.native:
        parsed = parse_sql_type(t.native)
        if parsed.name.strip('"') == (t.enum or "") or t.kind == "enum":
            return SqlType("enum", array=parsed.array, enum=t.enum)
        return SqlType(
            parsed.name,
            parsed.length if parsed.length is not None else t.length,
            parsed.precision if parsed.precision is not None else t.precision,
            parsed.scale if parsed.scale is not None else t.scale,
            parsed.array or t.array,
            unsigned=parsed.unsigned,
        )
    fallback = {
        "string": "varchar",
        "uuid": "uuid",
        "int": "integer",
        "timestamp": "timestamptz" if t.timezone else "timestamp",
        "float": "real",
        "double": "double precision",
        "decimal": "numeric",
        "json": "jsonb",
        "bytes": "bytea",
    }
    name = fallback.get(t.kind, t.kind)
    return SqlType(name, t.length, t.precision, t.scale, t.array)


def serial_type(column: Column) -> bool:
    """Whether the column's native type is a `SERIAL` (an auto-increment spelled as a type)."""
    native = (column.type.native or "").strip().lower()
    return native in _AUTO


# -- defaults --------------------------------------------------------------------------------------

DefaultKind = Literal["now", "autoincrement", "db_uuid", "client", "literal", "enum", "expression"]


@dataclass(frozen=True, slots=True)
class DefaultFact:
    """What a column's default does: `now` (the current time), `autoincrement` (a sequence),
    `db_uuid` (a database function making a uuid: `value` is its SQL), `client` (the ORM
    makes the value: `value` is Prisma's function, `uuid`, `cuid`...), `literal` (a string,
    number or boolean `value`), `enum` (the database name of an enum value) or `expression`
    (other SQL, as `value`)."""

    kind: DefaultKind
    value: str | int | float | bool | None = None


_NUMBER = re.compile(r"^\(?\s*(-?\d+(?:\.\d+)?)\s*\)?(?:::[\w \"]+)?$")
_STRING = re.compile(r"^'((?:[^']|'')*)'(?:::[\w .\"\[\]()]+)?$", re.S)
_NOW = re.compile(
    r"^(now\(\)|current_timestamp(\(\d*\))?|localtimestamp(\(\d*\))?|"
    r"\('now'::text\)::timestamp(\(\d+\))? with(out)? time zone|datetime\('now'\))$",
    re.I,
)
_UUID = re.compile(r"^(uuid_generate_v4|gen_random_uuid)\(\)$", re.I)


def default_fact(schema: Schema, column: Column) -> DefaultFact | None:
    """The default of `column`, in either spelling; None when there is none."""
    if column.auto_increment or serial_type(column):
        return DefaultFact("autoincrement")
    d = column.default
    if d is None:
        return None
    if d.kind == "sequence":
        return DefaultFact("autoincrement")
    if d.kind == "function":
        fn = d.function or ""
        if fn == "now":
            return DefaultFact("now")
        if fn == "autoincrement":
            return DefaultFact("autoincrement")
        if fn == "dbgenerated":
            value = d.args[0] if d.args else None
            return _expression(schema, column, str(value)) if value else None
        return DefaultFact("client", fn)
    if d.kind == "enum_value":
        return DefaultFact("enum", _enum_db_value(schema, column, str(d.value)))
    if d.kind == "literal":
        value = d.value
        if isinstance(value, str) and column.type.orm_type in ("Int", "BigInt", "Float", "Decimal"):
            number = float(value) if "." in value else int(value)
            return DefaultFact("literal", number)
        return DefaultFact("literal", value)
    if d.kind == "expression":
        return _expression(schema, column, str(d.value)) if d.value not in (None, "") else None
    return None


def _expression(schema: Schema, column: Column, text: str) -> DefaultFact:
    text = text.strip()
    low = text.lower()
    if low.startswith("nextval("):
        return DefaultFact("autoincrement")
    if _NOW.match(text):
        return DefaultFact("now")
    if _UUID.match(text):
        return DefaultFact("db_uuid", text)
    if low in ("true", "false"):
        return DefaultFact("literal", low == "true")
    array = column.type.array
    m = _STRING.match(text)
    if m and not array:
        value = m.group(1).replace("''", "'")
        if column.type.kind == "enum":
            return DefaultFact("enum", value)
        kind = sql_type(schema, column).name
        if kind == "boolean" and value in ("true", "false", "t", "f"):
            return DefaultFact("literal", value in ("true", "t"))
        if kind in ("integer", "bigint", "smallint", "numeric", "real", "double precision"):
            n = _NUMBER.match(value)
            if n:
                return DefaultFact("literal", _number(n.group(1)))
            return DefaultFact("expression", text)
        if "::" in text and kind not in ("varchar", "text", "char", "citext", "uuid"):
            return DefaultFact("expression", text)
        return DefaultFact("literal", value)
    m = _NUMBER.match(text)
    if m and not array:
        number = _number(m.group(1))
        if sql_type(schema, column).name == "boolean" and number in (0, 1):
            return DefaultFact("literal", bool(number))  # SQLite's and MySQL's booleans
        return DefaultFact("literal", number)
    return DefaultFact("expression", text)


def _number(text: str) -> int | float:
    return float(text) if "." in text else int(text)


def _enum_db_value(schema: Schema, column: Column, orm_name: str) -> str:
    enum = schema.enum(column.type.enum or column.type.orm_type or "")
    if enum is not None:
        for v in enum.values:
            if v.orm_name == orm_name or (v.orm_name is None and v.name == orm_name):
                return v.name
    return orm_name


# -- names -----------------------------------------------------------------------------------------

_WORDS = re.compile(r"[A-Z]+(?=[A-Z][a-z]|\d|\b|_)|[A-Z]?[a-z]+|[A-Z]+|\d+")


def words(name: str) -> list[str]:
    return _WORDS.findall(name)


def pascal(name: str) -> str:
    """`user_profile` -> `UserProfile`; `_PostToTag` -> `PostToTag`; `Post` stays."""
    if re.fullmatch(r"[A-Z][A-Za-z0-9]*", name):
        return name
    out = "".join(w[:1].upper() + w[1:] for w in words(name))
    if not out or out[0].isdigit():
        out = "T" + out
    return out


def camel(name: str) -> str:
    """`author_id` -> `authorId`; `createdAt` stays; `A` -> `a`."""
    if re.fullmatch(r"[a-z][A-Za-z0-9]*", name):
        return name
    p = pascal(name)
    lead = re.match(r"[A-Z]+(?=[A-Z][a-z]|$)|[A-Z]", p)
    n = lead.end() if lead else 1
    return p[:n].lower() + p[n:]


def identifier(name: str, lead: str = "x") -> str:
    """`name` as an identifier every ORM accepts: ASCII letters, digits and `_`, a letter
    first (Prisma's rule; `lead` is put before a name that starts otherwise: `1st` -> `x1st`)."""
    out = re.sub(r"[^A-Za-z0-9_]", "_", name)
    return out if out[:1].isalpha() else lead + out


def model_name(table: Table) -> str:
    """The model (class) name: the ORM's where one was declared, else the table's name in
    PascalCase, its last word singular (`user_profiles` -> `UserProfile`)."""
    if table.model_name:
        return identifier(table.model_name)
    parts = words(table.name)
    if parts and parts[-1].isalpha() and len(parts[-1]) > 2:
        parts[-1] = singularize(parts[-1])
    return pascal("_".join(parts)) if parts else pascal(table.name)


def field_name(column: Column) -> str:
    return identifier(column.field_name) if column.field_name else camel(column.name)


# -- relations -------------------------------------------------------------------------------------

RelationKindOut = Literal["many-to-one", "one-to-one"]


@dataclass
class RelationPlan:
    """One foreign key as a two-sided relation: the owner (the table with the key) and its
    `field` (`author`), the target and its `inverse` field (`posts`, or `profile` for a
    one-to-one), `name` when the pair needs one to be told apart (Prisma's `@relation("...")`)."""

    owner: Table
    target: Table
    foreign_key: ForeignKey
    columns: list[Column]
    referenced: list[Column]
    field: str
    inverse: str
    kind: RelationKindOut
    optional: bool
    name: str | None = None
    referenced_is_primary: bool = True


@dataclass
class Plan:
    """Every relation of a set of tables, with the names of each model's properties."""

    schema: Schema
    tables: list[Table]
    models: dict[str, str] = field(default_factory=dict)
    """table name -> model (class) name."""
    fields: dict[tuple[str, str], str] = field(default_factory=dict)
    """(table, column) -> property name."""
    relations: list[RelationPlan] = field(default_factory=list)

    def owned(self, table: Table) -> list[RelationPlan]:
        return [r for r in self.relations if r.owner.name == table.name]

    def inverse(self, table: Table) -> list[RelationPlan]:
        return [r for r in self.relations if r.target.name == table.name]

    def model(self, table: Table) -> str:
        return self.models[table.name]

    def field(self, table: Table, column: str) -> str:
        return self.fields.get((table.name, column)) or camel(column)


def unique_sets(table: Table) -> list[tuple[str, ...]]:
    """The column sets that are unique in `table` (primary key, unique constraints, unique
    indexes on plain columns)."""
    out: list[tuple[str, ...]] = []
    if table.primary_key:
        out.append(tuple(c.column or "" for c in table.primary_key.columns))
    out += [tuple(c.column or "" for c in u.columns) for u in table.uniques]
    out += [
        tuple(c.column or "" for c in i.columns)
        for i in table.indexes
        if i.unique and not i.predicate and all(c.column for c in i.columns)
    ]
    return out


def plan(schema: Schema, tables: list[Table] | None = None) -> Plan:
    """Model names, property names and two-sided relations of `tables` (all the schema's
    tables by default; a foreign key to a table outside them still gets its relation)."""
    chosen = [t for t in (tables if tables is not None else schema.tables)]
    every = {t.name: t for t in schema.tables if t.kind != "composite_type"}
    p = Plan(schema, chosen)
    taken_models: set[str] = set()
    for t in schema.tables:
        name = model_name(t)
        while name in taken_models:
            name += "_"
        taken_models.add(name)
        p.models[t.name] = name
    for t in schema.tables:
        for c in t.columns:
            p.fields[(t.name, c.name)] = field_name(c)
    relation_props = _join_column_properties(schema, p)
    taken: dict[str, set[str]] = {t.name: set() for t in schema.tables}
    for t in schema.tables:
        taken[t.name] |= {p.fields[(t.name, c.name)] for c in t.columns}
    declared = _declared_relations(schema)
    pending: list[RelationPlan] = []
    for t in schema.tables:
        for fk in t.foreign_keys:
            target = every.get(fk.referenced_table)
            if target is None:
                continue
            cols = [t.column(c) for c in fk.columns]
            refs = [target.column(c) for c in fk.referenced_columns]
            if any(c is None for c in cols) or any(c is None for c in refs):
                continue
            one = tuple(sorted(fk.columns)) in {tuple(sorted(s)) for s in unique_sets(t)}
            pk = tuple(c.column for c in target.primary_key.columns) if target.primary_key else ()
            r = RelationPlan(
                owner=t,
                target=target,
                foreign_key=fk,
                columns=cols,  # type: ignore[arg-type]
                referenced=refs,  # type: ignore[arg-type]
                field="",
                inverse="",
                kind="one-to-one" if one else "many-to-one",
                optional=any(c.nullable for c in cols if c is not None),
                referenced_is_primary=tuple(fk.referenced_columns) == pk,
            )
            given = declared.get((t.name, fk.name))
            if given is not None:
                r.field, r.inverse, r.name = given
            elif (t.name, fk.name) in relation_props:
                r.field = relation_props[(t.name, fk.name)]
            pending.append(r)
    # relation names: where two relations join the same pair of tables (or a table to itself)
    pairs: dict[frozenset[str], int] = {}
    for r in pending:
        key = frozenset((r.owner.name, r.target.name))
        pairs[key] = pairs.get(key, 0) + 1
    for r in pending:  # declared names first, as long as each is free
        if r.field and r.field not in taken[r.owner.name]:
            taken[r.owner.name].add(r.field)
        else:
            r.field = ""
    for r in pending:
        if not r.field:
            r.field = _unique(_relation_field(p, r), taken[r.owner.name])
    for r in pending:
        if r.inverse and r.inverse not in taken[r.target.name]:
            taken[r.target.name].add(r.inverse)
        else:
            r.inverse = ""
    for r in pending:
        ambiguous = pairs[frozenset((r.owner.name, r.target.name))] > 1
        ambiguous = ambiguous or r.owner.name == r.target.name
        if not r.inverse:
            owner_model = p.models[r.owner.name]
            base = camel(owner_model)
            base = base if r.kind == "one-to-one" else pluralize(base)
            if ambiguous:
                base = r.field + owner_model if r.kind == "one-to-one" else r.field + pascal(base)
            r.inverse = _unique(base, taken[r.target.name])
        if ambiguous and not r.name:
            r.name = f"{p.models[r.owner.name]}_{r.field}"
    p.relations = pending
    return p


def _join_column_properties(schema: Schema, p: Plan) -> dict[tuple[str, str], str]:
    """A TypeORM join column carries the relation's property name (`author` for `author_id`):
    the relation keeps that name and the column gets one of its own (`authorId`)."""
    out: dict[tuple[str, str], str] = {}
    for t in schema.tables:
        for fk in t.foreign_keys:
            if len(fk.columns) != 1:
                continue
            c = t.column(fk.columns[0])
            if c is None or not c.field_name or c.type.orm_type:
                continue
            prop = field_name(c)
            if re.search(r"(_id|Id|ID)$", prop) or camel(c.name) == prop:
                continue
            out[(t.name, fk.name)] = prop
            own = camel(c.name)
            p.fields[(t.name, c.name)] = own if own != prop else prop + "Id"
    return out


def _relation_field(p: Plan, r: RelationPlan) -> str:
    if len(r.columns) == 1:
        prop = p.fields[(r.owner.name, r.columns[0].name)]
        m = re.match(r"^(.+?)(_id|Id|ID|_uuid|Uuid)$", prop)
        if m and m.group(1):
            return camel(m.group(1))
    return camel(p.models[r.target.name])


def _unique(base: str, taken: set[str]) -> str:
    name, n = base, 2
    while name in taken:
        name, n = f"{base}{n}", n + 1
    taken.add(name)
    return name


def _declared_relations(schema: Schema) -> dict[tuple[str, str], tuple[str, str, str | None]]:
    """(table, foreign key) -> (field, inverse field, relation name) where the source declared
    the relation: Prisma's names are kept; Sequelize's aliases (`belongsTo(User, { as:
    "author" })`) are kept camel-cased, its default ones (the model's own name) are not."""
    out: dict[tuple[str, str], tuple[str, str, str | None]] = {}
    by_model = {t.model_name: t for t in schema.tables if t.model_name}
    for t in schema.tables:
        for r in t.relations:
            if not r.fields:
                continue
            fk = _relation_key(t, r.foreign_key, r.fields)
            if fk is None:
                continue
            target = by_model.get(r.target_model)
            inverse = ""
            for back in target.relations if target is not None else []:
                same = back.target_model == t.model_name and not back.fields
                same = same and (back.name == r.name or not r.foreign_key)
                other = back.field_name != r.field_name or target.name != t.name  # type: ignore[union-attr]
                if same and other and back.field_name != t.model_name:
                    inverse = camel(back.field_name) if not r.foreign_key else back.field_name
                    break
            generated = relation_name(t.model_name or "", r.target_model)
            name = None if r.name == generated or not re.fullmatch(r"\w+", r.name) else r.name
            field_ = r.field_name
            if not r.foreign_key:  # Sequelize: an alias, or the target model's name
                field_ = camel(field_) if field_ != r.target_model else ""
            if field_ or inverse:
                out[(t.name, fk)] = (field_, inverse, name)
    return out


def _relation_key(table: Table, foreign_key: str | None, fields: list[str]) -> str | None:
    """The foreign key a relation stands for: named (Prisma), or the one over its fields."""
    if foreign_key:
        return foreign_key
    columns = [c.name for f in fields if (c := table.field(f)) is not None]
    if len(columns) != len(fields):
        return None
    return next((k.name for k in table.foreign_keys if k.columns == columns), None)


def undeclared_keys(p: Plan, table: Table) -> list[str]:
    """Notes for the foreign keys of `table` that no relation of the plan declares (their
    target is not among the models generated): the columns stay, the key is not there."""
    declared = {r.foreign_key.name for r in p.owned(table)}
    return [
        f"foreign key {fk.name} ({', '.join(fk.columns)}) -> {fk.referenced_table} is not "
        f"declared: generate {fk.referenced_table}'s model with this one to have it"
        for fk in table.foreign_keys
        if fk.name not in declared
    ]

"""What a DTO says about each column, worked out once for both styles (class-validator, zod).

`dto_models(schema, hints, options)` turns the schema model in its database form (what a
database built from the models holds: exact types, lengths, precision, defaults as SQL, the
checks) into `DtoModel`s: per model its fields, each with a base type, the rules it must keep
(length, bounds, patterns, values) and its place in Create (required, optional, or left out
because the database or the ORM fills it). The renderers only spell these out.

What the schema model cannot say, the source that read the models can: that an ORM fills a
column on insert (Prisma's `@default(uuid())` and `@updatedAt`, Sequelize's timestamps,
TypeORM's `@VersionColumn`), a doc comment, Sequelize's `validate:`, the property name of a
relation's key column. The workflow passes that as `ColumnHint`s.

Decisions, each said again in a comment of the generated file:
- A decimal is a string by default (`"12.50"`): a JSON number is a double and loses digits a
  `numeric(20,2)` keeps; `decimal="number"` makes it a number.
- A bigint is a number within JavaScript's safe integers (JSON has no bigints); it never
  accepts a value the column would refuse, and refuses the few it would take beyond 2^53.
- Dates travel as ISO 8601 strings and are checked as strings: a coercing date schema turns
  `null` into 1970-01-01 and accepts what the column refuses.
- A nullable column accepts an explicit `null` and may be left out; a NOT NULL column with a
  default may be left out but refuses `null`; a NOT NULL column with no default is required in
  Create. Update is Create with every field optional (and still refusing `null` where the
  column does).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from schemasense.codegen.emit.dto.checks import Rule, read_check
from schemasense.codegen.schema import Column, Schema, Table

Base = Literal[
    "string",
    "int",
    "number",
    "decimal",
    "boolean",
    "uuid",
    "datetime",
    "date",
    "time",
    "json",
    "bytes",
    "enum",
]
Presence = Literal["required", "optional", "omitted"]

SAFE_INTEGER = 9007199254740991
INT_RANGES = {
    "smallint": (-32768, 32767),
    "int": (-2147483648, 2147483647),
    "bigint": (-SAFE_INTEGER, SAFE_INTEGER),
}
MYSQL_INTS = {
    "tinyint": (-128, 127, 255),
    "smallint": (-32768, 32767, 65535),
    "mediumint": (-8388608, 8388607, 16777215),
    "int": (-2147483648, 2147483647, 4294967295),
    "integer": (-2147483648, 2147483647, 4294967295),
}
MYSQL_TEXT_BYTES = {"tinytext": 255, "text": 65535, "mediumtext": 16777215}
FLOAT4_MAX = 3.4028234663852886e38


@dataclass(frozen=True, slots=True)
class ColumnHint:
    """What the source knows about a column beyond the database (see the module docstring)."""

    filled_by: str | None = None
    """The ORM fills the column on insert (the reason, for the comment): left out of Create."""
    client_default: str | None = None
    """The ORM puts a value in when none is given (Sequelize's `UUIDV4`): optional in Create."""
    property: str | None = None
    doc: str | None = None
    validate: Mapping[str, Any] | None = None
    """Sequelize's `validate:` (the ORM checks it before the database sees the row)."""


@dataclass(frozen=True, slots=True)
class TableHint:
    model_name: str | None = None
    doc: str | None = None


@dataclass(frozen=True, slots=True)
class Hints:
    columns: Mapping[tuple[str, str], ColumnHint] = field(default_factory=dict)
    """(table database name, column database name) -> hint."""
    tables: Mapping[str, TableHint] = field(default_factory=dict)
    checks: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    """Extra CHECK expressions per table, from the migrations (Prisma schemas hold none)."""


@dataclass(frozen=True, slots=True)
class DtoOptions:
    decimal: Literal["string", "number"] = "string"
    swagger: bool = False
    """Add `@ApiProperty` (the project depends on `@nestjs/swagger`)."""


@dataclass(frozen=True, slots=True)
class DtoField:
    property: str
    column: str
    base: Base
    array: bool
    nullable: bool
    presence: Presence
    rules: tuple[Rule, ...]
    enum: str | None = None
    """The enum's TypeScript name (`base == "enum"`)."""
    enum_values: tuple[str, ...] = ()
    doc: str | None = None
    notes: tuple[str, ...] = ()
    """Why the field is what it is (left out, a validator not carried), for comments."""
    db_type: str = ""


@dataclass(frozen=True, slots=True)
class DtoEnum:
    name: str
    values: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class DtoModel:
    name: str
    table: str
    fields: tuple[DtoField, ...]
    enums: tuple[DtoEnum, ...]
    unsaid: tuple[str, ...]
    """Checks the DTO cannot say (left to the database)."""
    doc: str | None = None
    dialect: str = "postgresql"

    @property
    def create_fields(self) -> tuple[DtoField, ...]:
        return tuple(f for f in self.fields if f.presence != "omitted")


def dto_models(
    schema: Schema,
    hints: Hints | None = None,
    options: DtoOptions | None = None,
    models: list[str] | None = None,
) -> list[DtoModel]:
    """A `DtoModel` per table with a model name (views, join tables and composite types have
    none), in the schema's order; `models` keeps only those (by model name)."""
    hints = hints or Hints()
    options = options or DtoOptions()
    dialect = _dialect(schema.provider)
    out = []
    for table in schema.tables:
        name = hints.tables.get(table.name, TableHint()).model_name or table.model_name
        if not name or table.kind != "table" or table.ignored:
            continue
        if models is not None and name not in models:
            continue
        out.append(_model(schema, table, name, hints, options, dialect))
    return out


def _dialect(provider: str | None) -> str:
    return {"mysql": "mysql", "sqlite": "sqlite"}.get(provider or "", "postgresql")


def _model(
    schema: Schema,
    table: Table,
    name: str,
    hints: Hints,
    options: DtoOptions,
    dialect: str,
) -> DtoModel:
    columns = {c.name for c in table.columns}
    check_rules: dict[str, list[Rule]] = {}
    unsaid: list[str] = []
    expressions = [c.expression for c in table.checks] + list(hints.checks.get(table.name, ()))
    for expression in dict.fromkeys(expressions):
        read = read_check(expression, columns, dialect)
        for column, rules in read.rules.items():
            check_rules.setdefault(column, []).extend(rules)
        unsaid.extend(read.unsaid)
    fields: list[DtoField] = []
    enums: dict[str, DtoEnum] = {}
    relation_fields = {r.field_name for r in table.relations}
    taken: set[str] = set()
    for column in table.columns:
        if column.ignored:
            continue
        hint = hints.columns.get((table.name, column.name), ColumnHint())
        f = _field(
            name, schema, table, column, hint, check_rules.get(column.name, []), options, dialect
        )
        if f is None:
            continue
        if f.property in relation_fields or f.property in taken:
            f = _renamed(f, column, taken | relation_fields)
        taken.add(f.property)
        if f.base == "enum" and f.enum:
            enums.setdefault(f.enum, DtoEnum(f.enum, f.enum_values))
        fields.append(f)
    doc = hints.tables.get(table.name, TableHint()).doc or table.doc
    return DtoModel(
        name, table.name, tuple(fields), tuple(enums.values()), tuple(unsaid), doc, dialect
    )


def _renamed(f: DtoField, column: Column, taken: set[str]) -> DtoField:
    candidate = camel(column.name)
    if candidate in taken:
        candidate = f.property + "Id"
    from dataclasses import replace

    return replace(f, property=candidate)


def camel(name: str) -> str:
    parts = [p for p in re.split(r"[_\W]+", name) if p]
    if not parts:
        return name
    return parts[0][:1].lower() + parts[0][1:] + "".join(p[:1].upper() + p[1:] for p in parts[1:])


_LITERAL = re.compile(
    r"""^\(*\s*(?:'(?:[^']|'')*'|-?\d+(?:\.\d+)?|true|false|b'[01]*'|"(?:[^"]|"")*")\s*\)*"""
    r"""(?:::[\w" .]+(?:\(\d+(?:,\s*\d+)?\))?(?:\[\])?)*\s*$""",
    re.I,
)


def database_fills(column: Column) -> str | None:
    """Why the database fills `column` when an INSERT leaves it out (None: it does not, or
    only with a literal default, which the client may as well send)."""
    if column.auto_increment:
        return "the database numbers it"
    d = column.default
    if d is None:
        return None
    if d.kind in ("literal", "enum_value", "list"):
        return None
    if d.kind == "function":
        if d.function == "autoincrement":
            return "the database numbers it"
        return f"the database fills it (@default({d.function}()))"
    if d.kind == "sequence":
        return "the database numbers it"
    value = str(d.value or "")
    if _LITERAL.match(value) or value.upper() in ("NULL", "'{}'", "ARRAY[]"):
        return None
    if value.lower().startswith("nextval("):
        return "the database numbers it"
    return f"the database fills it (DEFAULT {value})"


def _field(
    model: str,
    schema: Schema,
    table: Table,
    column: Column,
    hint: ColumnHint,
    rules: list[Rule],
    options: DtoOptions,
    dialect: str,
) -> DtoField | None:
    t = column.type
    native = (t.native or "").lower().strip('"')
    notes: list[str] = []
    out_rules: list[Rule] = []
    enum_name: str | None = None
    enum_values: tuple[str, ...] = ()
    base: Base
    kind = t.kind
    if kind in ("string", "text", "xml", "inet", "bit", "money", "object_id"):
        base = "string"
        if t.length is not None and kind in ("string", "text") and "text" not in native:
            out_rules.append(Rule("max_length", t.length, source=t.native or f"length {t.length}"))
        if dialect == "mysql" and native in MYSQL_TEXT_BYTES:
            out_rules.append(Rule("max_bytes", MYSQL_TEXT_BYTES[native], source=native))  # type: ignore[arg-type]
        if kind not in ("string", "text"):
            notes.append(f"{t.native or kind}: checked as a string only")
    elif kind == "uuid" or native == "uuid":  # SQLite keeps a UUID type name as NUMERIC
        base = "uuid"
    elif kind in ("int", "smallint", "bigint"):
        base = "int"
        low, high = INT_RANGES[kind]
        m = re.match(r"(tinyint|smallint|mediumint|int|integer)\b", native)
        if dialect == "mysql" and m:
            low, high, unsigned_high = MYSQL_INTS[m.group(1)]
            if "unsigned" in native:
                low, high = 0, unsigned_high
        if dialect == "sqlite":
            low, high = INT_RANGES["bigint"]
        out_rules += [
            Rule("min", low, source=native or kind),
            Rule("max", high, source=native or kind),
        ]
        if kind == "bigint":
            notes.append("bigint: a number within JavaScript's safe integers (JSON has no bigint)")
    elif kind in ("float", "double"):
        base = "number"
        if kind == "float" and dialect == "postgresql" and native in ("real", "float4"):
            out_rules += [
                Rule("min", -FLOAT4_MAX, source=native),
                Rule("max", FLOAT4_MAX, source=native),
            ]
    elif kind in ("decimal", "money"):
        base = "decimal" if options.decimal == "string" else "number"
        p, s = t.precision, t.scale if t.scale is not None else 0
        if p is not None:
            digits = p - s
            if options.decimal == "string":
                out_rules.append(
                    Rule("pattern", _decimal_pattern(digits, s), source=t.native or "decimal")
                )
            else:
                bound = 10**digits - 10 ** (-s) if s else 10**digits - 1
                out_rules += [
                    Rule("max", bound, exclusive=False, source=t.native or "decimal"),
                    Rule("min", -bound, exclusive=False, source=t.native or "decimal"),
                ]
        elif options.decimal == "string":
            out_rules.append(Rule("pattern", r"^-?\d+(\.\d+)?$", source=t.native or "decimal"))
    elif kind == "boolean":
        base = "boolean"
    elif kind == "timestamp":
        base = "datetime"
    elif kind == "date":
        base = "date"
    elif kind == "time":
        base = "time"
    elif kind == "json":
        base = "json"
    elif kind == "bytes":
        base = "bytes"
    elif kind == "enum":
        base = "enum"
        enum = schema.enum(t.enum) if t.enum else None
        own = _type_name(f"{model}_{column.field_name or column.name}")
        if enum is not None:
            enum_values = tuple(v.orm_name or v.name for v in enum.values)
            enum_name = enum.model_name or own  # a database-named type: the model's name
        else:
            enum_values = tuple(_inline_enum(t.native or ""))
            enum_name = _type_name(f"{model}_{column.field_name or column.name}")
        if not enum_values:
            base = "string"
            notes.append(f"{t.native or 'enum'}: values unknown")
            enum_name = None
    elif kind == "unsupported":  # a range, a geometry...: JSON carries it as text
        base = "string"
        notes.append(f"{t.native or 'unsupported'}: checked as a string only")
    else:  # a composite type (MongoDB): no column
        return None
    for rule in rules:
        if (
            rule.kind == "one_of"
            and base in ("string",)
            and all(isinstance(v, str) for v in rule.value)
        ):  # type: ignore[union-attr]
            base = "enum"
            enum_values = tuple(rule.value)  # type: ignore[arg-type]
            enum_name = _type_name(f"{model}_{column.field_name or column.name}")
            continue
        if rule.kind in ("min", "max") and base not in ("int", "number"):
            notes.append(f"not carried (the DTO checks the type only): {rule.source}")
            continue
        if rule.kind in ("pattern", "min_length", "max_length") and base not in ("string", "enum"):
            notes.append(f"not carried: {rule.source}")
            continue
        out_rules.append(rule)
    validate_rules, validate_notes = _validate(hint.validate)
    out_rules += validate_rules
    notes += validate_notes
    nullable = column.nullable and not any(r.kind == "not_null" for r in out_rules)
    out_rules = [r for r in out_rules if r.kind != "not_null"]
    filled = hint.filled_by or database_fills(column)
    if filled:
        presence: Presence = "omitted"
        notes.append(f"not in Create: {filled}")
    elif nullable or column.default is not None or hint.client_default:
        presence = "optional"
        if hint.client_default and column.default is None:
            notes.append(f"the ORM fills it when left out ({hint.client_default})")
    else:
        presence = "required"
    return DtoField(
        property=hint.property or column.field_name or column.name,
        column=column.name,
        base=base,
        array=t.array,
        nullable=nullable,
        presence=presence,
        rules=tuple(_tightest(out_rules)),
        enum=enum_name,
        enum_values=enum_values,
        doc=hint.doc or column.doc,
        notes=tuple(notes),
        db_type=t.native or t.orm_type or t.kind,
    )


def _decimal_pattern(digits: int, scale: int) -> str:
    """Up to `digits` digits before the point; any after it (the database rounds them to
    `scale`)."""
    if digits <= 0:
        return r"^-?(0|0?\.\d+)$"
    return r"^-?\d{1," + str(digits) + r"}(\.\d+)?$"


def _tightest(rules: list[Rule]) -> list[Rule]:
    """One min and one max (the tightest), one min and max length; the rest as they come."""
    out: list[Rule] = []
    best: dict[str, Rule] = {}
    for r in rules:
        if r.kind in ("min", "min_length"):
            cur = best.get(r.kind)
            if cur is None or r.value > cur.value or (r.value == cur.value and r.exclusive):  # type: ignore[operator]
                best[r.kind] = r
        elif r.kind in ("max", "max_length"):
            cur = best.get(r.kind)
            if cur is None or r.value < cur.value or (r.value == cur.value and r.exclusive):  # type: ignore[operator]
                best[r.kind] = r
        else:
            out.append(r)
    return [best[k] for k in ("min", "max", "min_length", "max_length") if k in best] + out


def _inline_enum(native: str) -> list[str]:
    m = re.match(r"enum\s*\((.*)\)\s*$", native, re.I | re.S)
    if not m:
        return []
    return [v.replace("''", "'") for v in re.findall(r"'((?:[^']|'')*)'", m.group(1))]


def _type_name(name: str) -> str:
    parts = [p for p in re.split(r"[^A-Za-z0-9]+", name) if p]
    out = "".join(p[:1].upper() + p[1:] for p in parts) or "Enum"
    return out if not out[0].isdigit() else "E" + out


_VALIDATORS = {
    "isEmail": "email",
    "isUrl": "url",
    "isLowercase": "lowercase",
    "isUppercase": "uppercase",
    "isInt": "int",
    "isNumeric": "number",
    "isFloat": "number",
    "isDecimal": "number",
}


def _validate(validate: Mapping[str, Any] | None) -> tuple[list[Rule], list[str]]:
    """Sequelize's `validate:` as rules (what the DTO can say), and notes for the rest."""
    if not validate:
        return [], []
    rules: list[Rule] = []
    notes: list[str] = []
    for key, raw in validate.items():
        value = raw.get("args", True) if isinstance(raw, dict) else raw
        src = f"validate: {key}"
        if value is False:
            continue
        if key in _VALIDATORS and key not in ("isInt", "isNumeric", "isFloat", "isDecimal"):
            rules.append(Rule(_VALIDATORS[key], source=src))  # type: ignore[arg-type]
        elif key == "len" and isinstance(value, list) and value:
            low = value[0] if len(value) > 1 else 0
            high = value[1] if len(value) > 1 else value[0]
            if isinstance(low, int) and low > 0:
                rules.append(Rule("min_length", low, source=src))
            if isinstance(high, int):
                rules.append(Rule("max_length", high, source=src))
        elif key == "notEmpty":
            rules.append(Rule("min_length", 1, source=src))
        elif (
            key in ("min", "max") and isinstance(value, int | float) and not isinstance(value, bool)
        ):
            rules.append(Rule(key, value, source=src))  # type: ignore[arg-type]
        elif (
            key == "isIn"
            and isinstance(value, list)
            and value
            and isinstance(value[0], list)
            and all(isinstance(v, str | int | float) for v in value[0])
        ):
            rules.append(Rule("one_of", [str(v) for v in value[0]], source=src))
        elif key in ("is", "matches") and isinstance(value, str):
            m = re.fullmatch(r"/(.*)/([gimsuy]*)", value, re.S)
            if m:
                rules.append(
                    Rule("pattern", m.group(1), flags=m.group(2).replace("g", ""), source=src)
                )
            else:
                rules.append(Rule("pattern", value, source=src))
        else:
            notes.append(f"not carried: Sequelize validate `{key}` (checked by Sequelize)")
    return rules, notes

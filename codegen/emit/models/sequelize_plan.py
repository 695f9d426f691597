"""The schema model -> what each Sequelize model must say, before it is written in a flavour.

One `ModelPlan` a table: the model's name, its attributes (name, DataType, the options that
make `sync()` build the table's column: `allowNull`, `defaultValue`, `primaryKey`,
`autoIncrement`, `unique`, `field`, `references` with `onDelete` / `onUpdate`), its model
options (`tableName` unless it is Sequelize's own, `underscored` when it fits every attribute,
the timestamps mapped to the table's own columns, `paranoid`, `indexes`) and its associations
(`belongsTo` on the key's side, `hasOne` / `hasMany` back, `belongsToMany` across a join
table). Everything is explicit where Sequelize's default would build something else, and left
out where the default builds the same (sequelize-cli's models leave out `id` and the
timestamps; so do these, when the table's `id` and timestamps are Sequelize's own).

What Sequelize cannot declare in a model is listed in `ModelPlan.notes` (a foreign key on
several columns, an index on an expression, a constraint name PostgreSQL chooses itself) and
written as a comment in the model, so nobody takes the model for the whole truth.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from schemasense.codegen.dialects.normalize import normalize_expression
from schemasense.codegen.dialects.render import operator_class_sql
from schemasense.codegen.emit.models.sequelize_js import Code, Literal
from schemasense.codegen.emit.models.sequelize_types import (
    PROVIDER,
    JsType,
    js_default,
    js_type,
)
from schemasense.codegen.orms.sequelize import naming
from schemasense.codegen.schema import Column, ForeignKey, Index, Schema, Table

ACTIONS = {
    "Cascade": "CASCADE",
    "Restrict": "RESTRICT",
    "NoAction": "NO ACTION",
    "SetNull": "SET NULL",
    "SetDefault": "SET DEFAULT",
}
STAMPS = {
    "createdAt": ("createdAt", "created_at"),
    "updatedAt": ("updatedAt", "updated_at"),
    "deletedAt": ("deletedAt", "deleted_at"),
}


@dataclass
class AttrPlan:
    name: str
    column: Column
    type: JsType
    options: dict[str, Any]
    """The attribute's options after `type`, in the order they are written."""
    omitted: bool = False
    """Sequelize adds it on its own, exactly so (`id`, trailing timestamps)."""
    optional: bool = False
    """May be left out on create (a default, auto-increment, nullable, a timestamp)."""
    references: str | None = None
    """The model this attribute's foreign key points at (sequelize-typescript's @ForeignKey)."""


@dataclass
class AssocPlan:
    kind: str
    """`belongsTo`, `hasOne`, `hasMany`, `belongsToMany`."""
    target: str
    alias: str
    """The name the association is known by (`as`; the default when `as` is left out)."""
    options: dict[str, Any]
    through: str | None = None


@dataclass
class ModelPlan:
    table: Table
    name: str
    attributes: list[AttrPlan] = field(default_factory=list)
    options: dict[str, Any] = field(default_factory=dict)
    associations: list[AssocPlan] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    remove_id: bool = False
    """The table has no primary key: Sequelize's `id` must be removed after `init`."""

    def attribute(self, column: str) -> AttrPlan | None:
        return next((a for a in self.attributes if a.column.name == column), None)


# -- names -----------------------------------------------------------------------------------


def _pascal(text: str) -> str:
    words = re.findall(r"[A-Za-z][a-z0-9]*|[0-9]+", text)
    return "".join(w[0].upper() + w[1:] for w in words) or "Model"


def model_names(schema: Schema, tables: Sequence[Table]) -> dict[str, str]:
    """Table -> model name: the ORM's model name, else the table's singular in PascalCase
    (`user_roles` -> `UserRole`, Prisma's `_PostToTag` -> `PostToTag`), made unique."""
    out: dict[str, str] = {}
    used: set[str] = set()
    for table in tables:
        name = table.model_name or _pascal(naming.singularize(table.name.lstrip("_")))
        if not re.match(r"^[A-Za-z_$]", name):
            name = "M" + name
        name = re.sub(r"[^A-Za-z0-9_$]", "_", name)
        base, n = name, 2
        while name in used:
            name, n = f"{base}{n}", n + 1
        used.add(name)
        out[table.name] = name
    return out


def attribute_name(column: Column) -> str:
    return column.field_name or column.name


# -- the plan --------------------------------------------------------------------------------


def plan_models(
    schema: Schema,
    tables: Sequence[str | Table] | None,
    dialect: str,
    define: Mapping[str, Any] | None = None,
    *,
    unique_indexes: bool | None = None,
) -> list[ModelPlan]:
    """Plans for `tables` (None: every table and join table; views and MongoDB types left
    out). `unique_indexes`: the schema's unique constraints are unique indexes in the database
    (Prisma's `@unique`); None guesses it from the schema (a Prisma schema has a datasource)."""
    provider = PROVIDER.get(dialect, "postgresql")
    define = dict(define or {})
    if unique_indexes is None:
        unique_indexes = schema.datasource is not None or bool(schema.generators)
    wanted = None if tables is None else {t.name if isinstance(t, Table) else t for t in tables}
    chosen = [
        t
        for t in schema.tables
        if t.kind in ("table", "join_table")
        and (wanted is None or t.name in wanted or t.model_name in wanted)
    ]
    names = model_names(schema, [t for t in schema.tables if t.kind in ("table", "join_table")])
    plans = [
        _plan_table(t, names[t.name], schema, provider, dialect, define, unique_indexes)
        for t in chosen
    ]
    by_table = {p.table.name: p for p in plans}
    _associations(plans, by_table, names)
    return plans


def _plan_table(
    table: Table,
    name: str,
    schema: Schema,
    provider: str,
    dialect: str,
    define: dict[str, Any],
    unique_indexes: bool,
) -> ModelPlan:
    plan = ModelPlan(table, name)
    columns = list(table.columns)  # `@ignore`d ones too: the database has them
    attrs = {c.name: attribute_name(c) for c in columns}
    underscored = bool(columns) and all(naming.underscore(a) == c for c, a in attrs.items())
    if underscored and all(a == c for c, a in attrs.items()):
        underscored = bool(define.get("underscored"))
    pk = [p.column for p in (table.primary_key.columns if table.primary_key else [])]
    single_uniques, shared_uniques, unique_index_list, table_indexes = _uniques(
        table, provider, unique_indexes
    )
    fks = {fk.columns[0]: fk for fk in table.foreign_keys if len(fk.columns) == 1}
    stamps = _stamps(columns, attrs)

    for column in columns:
        attr = attrs[column.name]
        t = js_type(column, schema, provider, dialect)
        options: dict[str, Any] = {}
        # a primary key is NOT NULL on its own, but on SQLite only an INTEGER one
        sqlite_key = provider == "sqlite" and not (t.code == "INTEGER" and column.auto_increment)
        if not column.nullable and (column.name not in pk or sqlite_key):
            options["allowNull"] = False
        elif column.nullable and column.name in pk:
            options["allowNull"] = True
        default = js_default(column, schema, provider, dialect, table.name)
        if default is not None:
            if default.client:
                options["defaultValue"] = Code(f"DataTypes.{default.client}")
            elif default.literal is not None:
                options["defaultValue"] = Literal(default.literal)
            else:
                options["defaultValue"] = default.value
        if column.name in pk:
            options["primaryKey"] = True
        if column.auto_increment:
            options["autoIncrement"] = True
        if column.name in single_uniques:
            options["unique"] = single_uniques[column.name]
        elif column.name in shared_uniques:
            options["unique"] = shared_uniques[column.name]
        if naming.column_name(attr, underscored=underscored) != column.name:
            options["field"] = column.name
        fk = fks.get(column.name)
        if fk is not None:
            model: Any = fk.referenced_table
            if fk.referenced_schema and fk.referenced_schema != table.db_schema:
                model = {"tableName": fk.referenced_table, "schema": fk.referenced_schema}
            elif table.db_schema and fk.referenced_schema == table.db_schema:
                model = {"tableName": fk.referenced_table, "schema": table.db_schema}
            options["references"] = {"model": model, "key": fk.referenced_columns[0]}
            options["onDelete"] = ACTIONS[fk.on_delete]
            options["onUpdate"] = ACTIONS[fk.on_update]
        optional = (
            column.nullable
            or default is not None
            or column.auto_increment
            or column.name in stamps.values()
        )
        plan.attributes.append(AttrPlan(attr, column, t, options, optional=optional))

    _omit_defaults(plan, pk, stamps, underscored)
    if not pk:
        plan.remove_id = True
        plan.notes.append(
            "The table has no primary key: Sequelize's own `id` is removed after `init`."
        )

    options: dict[str, Any] = {}
    default_table = naming.table_name(
        name,
        freeze_table_name=bool(define.get("freezeTableName")),
        underscored=underscored,
    )
    if default_table != table.name:
        options["tableName"] = table.name
    if table.db_schema and not (provider == "postgresql" and table.db_schema == "public"):
        options["schema"] = table.db_schema
    if underscored != bool(define.get("underscored")):
        options["underscored"] = underscored
    define_timestamps = define.get("timestamps", True) is not False
    if not stamps:
        if define_timestamps:
            options["timestamps"] = False
    else:
        if not define_timestamps:
            options["timestamps"] = True
        for role in ("createdAt", "updatedAt", "deletedAt"):
            column = stamps.get(role)
            attr = attrs[column] if column else None
            if role == "deletedAt":
                if attr is not None:
                    if attr != role:
                        options["deletedAt"] = attr
                    if not define.get("paranoid"):
                        options["paranoid"] = True
                elif define.get("paranoid"):
                    options["paranoid"] = False
                continue
            wanted: str | bool = attr if attr is not None else False
            current = define.get(role, role)
            if wanted != current:
                options[role] = wanted
    indexes = [
        _index(plan, index, provider)
        for index in [*table_indexes, *unique_index_list]
        if _index_fits(plan, index)
    ]
    if indexes:
        options["indexes"] = indexes
    plan.options = options
    for fk in table.foreign_keys:
        if len(fk.columns) != 1:
            plan.notes.append(
                f"Foreign key {fk.name} ({', '.join(fk.columns)}) -> {fk.referenced_table} "
                f"({', '.join(fk.referenced_columns)}) has several columns: Sequelize models "
                "cannot declare it (add it with queryInterface.addConstraint)."
            )
    for check in table.checks:
        plan.notes.append(f"Check {check.name} ({check.expression}) is not declared here.")
    return plan


def _stamps(columns: list[Column], attrs: dict[str, str]) -> dict[str, str]:
    """Role -> column of the table's timestamps: an attribute called `createdAt` /
    `created_at` (`updatedAt`, or Prisma's `@updatedAt`; `deletedAt`, nullable) on a
    timestamp column."""
    out: dict[str, str] = {}
    for role, spellings in STAMPS.items():
        for column in columns:
            if column.type.kind != "timestamp" or column.type.array:
                continue
            attr = attrs[column.name]
            if attr in spellings or (role == "updatedAt" and column.updated_at):
                if role == "deletedAt" and not column.nullable:
                    continue
                out.setdefault(role, column.name)
    return out


def _omit_defaults(
    plan: ModelPlan, pk: list[str], stamps: dict[str, str], underscored: bool
) -> None:
    """Leave out `id` and the trailing timestamps where Sequelize adds the same on its own."""
    attrs = plan.attributes
    if attrs and pk == [attrs[0].column.name] and attrs[0].name == "id":
        first = attrs[0]
        if (
            first.type.code == "INTEGER"
            and first.column.auto_increment
            and set(first.options) == {"primaryKey", "autoIncrement"}
        ):
            first.omitted = True
    roles = {column: role for role, column in stamps.items()}
    for attr in reversed(attrs):
        role = roles.get(attr.column.name)
        if role is None or attr.type.code != "DATE" or attr.name != role:
            break
        expected = {} if role == "deletedAt" else {"allowNull": False}
        if attr.options != expected:
            break
        attr.omitted = True


def _uniques(
    table: Table, provider: str, unique_indexes: bool
) -> tuple[dict[str, Any], dict[str, str], list[Index], list[Index]]:
    """The table's unique keys as attribute options: `unique: true` (one column, the database's
    own name), `unique: "name"` (shared by the columns of one key, in the table's column order);
    a unique the database would name otherwise, or one that is a unique index, as an index.

    On MySQL a unique constraint is a unique index: either becomes an attribute's `unique`
    (written in CREATE TABLE, where the foreign keys find it), and the index MySQL makes for a
    foreign key on its own is left out (Sequelize's `sync` gets the same from the key).
    Returns (single, shared, uniques as indexes, the table's indexes left to declare)."""
    single: dict[str, Any] = {}
    shared: dict[str, str] = {}
    as_indexes: list[Index] = []
    order = [c.name for c in table.columns]
    keys: list[tuple[str, list, bool]] = [(u.name, u.columns, False) for u in table.uniques]
    indexes = list(table.indexes)
    if provider == "mysql":
        keys += [
            (i.name, i.columns, True)
            for i in indexes
            if i.unique and not i.predicate and not i.method
        ]
        fk_names = {name for fk in table.foreign_keys for name in (fk.name, fk.columns[0])}
        fk_columns = [fk.columns for fk in table.foreign_keys]
        indexes = [
            i
            for i in indexes
            if not (i.unique and not i.predicate and not i.method)
            and not (
                not i.unique and i.name in fk_names and [c.column for c in i.columns] in fk_columns
            )
        ]
    for name, parts, _from_index in keys:
        cols = [c.column for c in parts]
        plain = all(c.column and not c.expression and not c.sort and not c.length for c in parts)
        in_order = sorted(cols, key=lambda c: order.index(c) if c in order else -1) == cols
        if (
            (unique_indexes and provider != "mysql")
            or not plain
            or not in_order
            or any(c in single or c in shared for c in cols)
            or (provider == "postgresql" and name != _pg_unique_name(table.name, cols))
        ):
            as_indexes.append(Index(name=name, columns=parts, unique=True))
            continue
        if len(cols) == 1 and (provider != "mysql" or name == cols[0]):
            single[cols[0]] = True  # type: ignore[index]
        else:
            for c in cols:
                shared[c] = name  # type: ignore[index]
    return single, shared, as_indexes, indexes


def _pg_unique_name(table: str, columns: list[str | None]) -> str:
    return f"{table}_{'_'.join(c or '' for c in columns)}_key"[:63]


def _index_fits(plan: ModelPlan, index: Index) -> bool:
    if any(c.expression or not c.column for c in index.columns) or index.include:
        plan.notes.append(
            f"Index {index.name} is on an expression or INCLUDEs columns: not declared here."
        )
        return False
    return True


def _index(plan: ModelPlan, index: Index, provider: str) -> dict[str, Any]:
    fields: list[Any] = []
    for c in index.columns:
        if c.sort == "desc" or c.length or c.ops:
            spec: dict[str, Any] = {"name": c.column}
            if c.sort == "desc":
                spec["order"] = "DESC"
            if c.length:
                spec["length"] = c.length
            if c.ops:
                spec["operator"] = operator_class_sql(c.ops)
            fields.append(spec)
        else:
            fields.append(c.column)
    out: dict[str, Any] = {}
    names = [f if isinstance(f, str) else f["name"] for f in fields]
    if naming.index_name(plan.table.name, names) != index.name:
        out["name"] = index.name
    if index.unique:
        out["unique"] = True
    out["fields"] = fields
    if index.method and index.method not in ("btree", "fulltext"):
        out["using"] = index.method.upper()
    if index.method == "fulltext":
        out["type"] = "FULLTEXT"
    if index.predicate:
        where = _where(index.predicate, provider)
        out["where"] = where if where is not None else Literal(index.predicate)
    return out


_CONDITION = re.compile(
    r"""^\(?\s*"?(?P<col>[A-Za-z_][A-Za-z0-9_]*)"?\s*(?:(?P<null>IS\s+NULL)|=\s*(?P<val>'(?:[^']|'')*'|-?\d+|true|false))\s*\)?$""",
    re.IGNORECASE,
)


def _where(predicate: str, provider: str) -> dict[str, Any] | None:
    """`status = 'published' AND "deletedAt" IS NULL` -> `{ status: "published", deletedAt:
    null }` (column names; what Sequelize's `where` can say); None for anything else."""
    text = normalize_expression(provider, predicate)
    out: dict[str, Any] = {}
    for part in re.split(r"\s+and\s+", text.strip("()"), flags=re.IGNORECASE):
        m = _CONDITION.match(part.strip())
        if m is None:
            return None
        if m.group("null"):
            out[m.group("col")] = None
            continue
        value = m.group("val")
        if value.startswith("'"):
            out[m.group("col")] = value[1:-1].replace("''", "'")
        elif value.lower() in ("true", "false"):
            out[m.group("col")] = value.lower() == "true"
        else:
            out[m.group("col")] = int(value)
    return out or None


# -- associations ----------------------------------------------------------------------------


def _unique_on(table: Table, columns: list[str]) -> bool:
    keys = [[c.column for c in u.columns] for u in table.uniques]
    keys += [[c.column for c in i.columns] for i in table.indexes if i.unique and not i.predicate]
    if table.primary_key:
        keys.append([c.column for c in table.primary_key.columns])
    return any(sorted(k) == sorted(columns) for k in keys)  # type: ignore[type-var]


def _join_table(plan: ModelPlan) -> tuple[ForeignKey, ForeignKey] | None:
    """A table that only joins two others: two one-column keys, their pair unique (its
    primary key or a unique), no other columns but timestamps."""
    t = plan.table
    fks = [fk for fk in t.foreign_keys if len(fk.columns) == 1]
    if len(fks) != 2 or len(t.foreign_keys) != 2 or fks[0].columns == fks[1].columns:
        return None
    cols = {fks[0].columns[0], fks[1].columns[0]}
    others = [c for c in t.columns if c.name not in cols and c.type.kind != "timestamp"]
    if others or not _unique_on(t, sorted(cols)):
        return None
    if t.primary_key and {c.column for c in t.primary_key.columns} != cols:
        return None
    return fks[0], fks[1]


def _belongs_to_many(
    plan: ModelPlan, by_table: dict[str, ModelPlan]
) -> tuple[ForeignKey, ForeignKey] | None:
    """The two keys of a join table both of whose ends are generated, when `belongsToMany`
    keeps its keys as they are (it gives them the types of the keys they point at)."""
    pair = _join_table(plan)
    if pair is None:
        return None
    for this in pair:
        end = by_table.get(this.referenced_table)
        attr = plan.attribute(this.columns[0])
        key = end.attribute(this.referenced_columns[0]) if end else None
        if attr is None or key is None or attr.type != key.type:
            return None
    return pair


MODEL_MEMBERS = frozenset(
    [
        "changed", "previous", "get", "set", "save", "reload", "validate", "update",
        "destroy", "restore", "increment", "decrement", "equals", "equalsOneOf", "toJSON",
        "isNewRecord", "sequelize", "dataValues", "where", "getDataValue", "setDataValue",
        "isSoftDeleted", "addHook", "removeHook", "hasHook", "constructor",
    ]
)  # fmt: skip
"""Members of a Sequelize model instance: an association named so would hide one (and
sequelize-typescript's typings refuse it)."""


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def _associations(
    plans: list[ModelPlan], by_table: dict[str, ModelPlan], names: dict[str, str]
) -> None:
    taken: dict[str, set[str]] = {
        p.name: {a.name for a in p.attributes} | MODEL_MEMBERS for p in plans
    }

    def alias(plan: ModelPlan, wanted: str, fallback: str) -> str:
        used = taken[plan.name]
        for name in (wanted, fallback):
            if name and name not in used:
                used.add(name)
                return name
        base, n = fallback, 2
        while f"{base}{n}" in used:
            n += 1
        used.add(f"{base}{n}")
        return f"{base}{n}"

    joins = {p.name: pair for p in plans if (pair := _belongs_to_many(p, by_table)) is not None}
    for plan in plans:
        for fk in plan.table.foreign_keys:
            target = by_table.get(fk.referenced_table)
            if len(fk.columns) != 1 or target is None:
                continue
            attr = plan.attribute(fk.columns[0])
            target_attr = target.attribute(fk.referenced_columns[0])
            if attr is None or target_attr is None:
                continue
            attr.references = target.name
            # the key's side
            relation = next(
                (
                    r
                    for r in plan.table.relations
                    if r.fields == [attr.name] and r.kind != "many-to-many"
                ),
                None,
            )
            stem = re.sub(r"(_?[Ii][Dd])$", "", attr.name)
            wanted = _named(relation, target.name)
            if wanted == target.name and any(
                a.target == target.name for a in plan.associations if a.kind == "belongsTo"
            ):
                wanted = stem
            name = alias(plan, wanted, stem if stem != attr.name else attr.name + "Ref")
            options: dict[str, Any] = {}
            if name != target.name:
                options["as"] = name
            options["foreignKey"] = attr.name
            if not _is_pk(target.table, fk.referenced_columns[0]):
                options["targetKey"] = target_attr.name
            plan.associations.append(AssocPlan("belongsTo", target.name, name, options))
            if plan.name in joins:
                # belongsToMany adds hasOne(join model, { as: its name }) to both ends itself
                continue
            # the other side
            one = _unique_on(plan.table, fk.columns)
            kind = "hasOne" if one else "hasMany"
            back = next(
                (
                    r
                    for r in target.table.relations
                    if r.target_model == (plan.table.model_name or plan.name)
                    and not r.fields
                    and r.kind in ("one-to-many", "one-to-one")
                    and (relation is None or r.name == relation.name)
                ),
                None,
            )
            default = plan.name if one else naming.pluralize(plan.name)
            wanted = _named(back, default, plan.name)
            if any(a.alias == wanted for a in target.associations) or wanted in taken[target.name]:
                wanted = f"{name}{default}" if name != target.name else default
            back_name = alias(target, wanted, _lower_first(f"{name}{default}"))
            options = {}
            if back_name != default:
                options["as"] = back_name
            options["foreignKey"] = attr.name
            if not _is_pk(target.table, fk.referenced_columns[0]):
                options["sourceKey"] = target_attr.name
            target.associations.append(AssocPlan(kind, plan.name, back_name, options))
        pair = joins.get(plan.name)
        if pair is None:
            continue
        for this, other in (pair, pair[::-1]):
            source, dest = by_table.get(this.referenced_table), by_table.get(other.referenced_table)
            if source is None or dest is None:
                continue
            fk_attr = plan.attribute(this.columns[0])
            ok_attr = plan.attribute(other.columns[0])
            source_key = source.attribute(this.referenced_columns[0])
            dest_key = dest.attribute(other.referenced_columns[0])
            assert fk_attr and ok_attr and source_key and dest_key  # `_belongs_to_many`
            relation = next(
                (r for r in source.table.relations if r.join_table == plan.table.name), None
            )
            default = naming.pluralize(dest.name)
            wanted = _named(relation, default, dest.name)
            if (
                source is dest
                or wanted in taken[source.name]
                or any(a.alias == wanted for a in source.associations)
            ):
                wanted = _lower_first(f"{ok_attr.name}{default}") if source is dest else wanted
            name = alias(source, wanted, _lower_first(f"{plan.name}{default}"))
            options = {}
            if name != default:
                options["as"] = name
            options["foreignKey"] = fk_attr.name
            options["otherKey"] = ok_attr.name
            if not _is_pk(source.table, this.referenced_columns[0]):
                options["sourceKey"] = source_key.name
            if not _is_pk(dest.table, other.referenced_columns[0]):
                options["targetKey"] = dest_key.name
            source.associations.append(
                AssocPlan("belongsToMany", dest.name, name, options, through=plan.name)
            )


def _named(relation, default: str, *defaults: str) -> str:
    """The relation's own field name, unless it is only the ORM's default (Sequelize's read
    names an association without `as` after its target)."""
    if relation is None or relation.field_name in (default, *defaults):
        return default
    return relation.field_name


def _is_pk(table: Table, column: str) -> bool:
    return bool(table.primary_key) and [c.column for c in table.primary_key.columns] == [column]  # type: ignore[union-attr]

"""Declared models -> the tables Sequelize builds for them, with Sequelize's defaults.

What `Model.init` and the associations do to a model's attributes, in the order Sequelize does
it (`lib/model.js` `init` / `_addDefaultAttributes`, `lib/associations/*.js`
`_injectAttributes`, `Utils.mergeDefaults`): the `id` it adds when no attribute is a primary
key, the timestamp attributes (`createdAt`, `updatedAt`, `deletedAt` with `paranoid`), the
keys and constraints `belongsTo` / `hasMany` / `hasOne` add (an attribute already declared keeps
what it says; `onDelete` defaults to `SET NULL` on a nullable key, else `NO ACTION` for
`belongsTo` and `CASCADE` for `hasMany` / `hasOne`; `onUpdate` to `CASCADE`; none with
`constraints: false`), the join tables of `belongsToMany` (a `through` string is a model
Sequelize defines; the two keys become its primary key unless it has one of its own). Names
come from `codegen/orms/sequelize/naming.py`, types from `types.py`.

What Sequelize would throw at start-up is a `Problem` with its range: an association to a model
that is not declared, a `belongsToMany` without `through`, an unknown data type.
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass, field, replace
from typing import Any

from schemasense.codegen.orms.sequelize import naming, types
from schemasense.codegen.orms.sequelize.sync_sql import (
    SyncColumn,
    SyncIndex,
    SyncIndexField,
    SyncTable,
)
from schemasense.server.sources.sequelize.declared import (
    REMOVE_ATTRIBUTE,
    AssociationDecl,
    AttributeDecl,
    Declared,
    ModelDecl,
)
from schemasense.server.sources.typescript.values import (
    Array,
    Bool,
    Call,
    Func,
    Null,
    Num,
    Obj,
    Ref,
    Str,
    Value,
)

UNKNOWN_MODEL = "DB071"
UNKNOWN_TYPE = "DB072"
UNREADABLE = "DB073"
INDEX_NOT_AS_WRITTEN = "DB074"


@dataclass(frozen=True, slots=True)
class Problem:
    code: str
    message: str
    file: str
    start: int
    end: int
    severity: str = "error"


@dataclass
class Attribute:
    """One attribute as Sequelize holds it in `rawAttributes` after init and associations."""

    name: str
    field: str
    data_type: types.DataType | None
    type_text: str = ""
    allow_null: bool = True
    primary_key: bool = False
    auto_increment: bool = False
    unique: bool | str = False
    default_sql: str | None = None
    client_default: str | None = None
    """`DataTypes.NOW`, `UUIDV4`, a function: Sequelize computes it on insert."""
    references: tuple[str, str] | None = None
    on_delete: str | None = None
    on_update: str | None = None
    validate: Any = None
    comment: str | None = None
    added_by: str | None = None
    """None for a declared attribute; `id`, `timestamps`, `version` or an association kind."""
    file: str = ""
    start: int = 0
    end: int = 0
    declared: set[str] = field(default_factory=set)
    """The keys the declaration wrote (`mergeDefaults` keeps them)."""


@dataclass
class BuiltModel:
    decl: ModelDecl | None
    name: str
    naming: naming.Model
    attributes: dict[str, Attribute]
    options: dict[str, Any]
    indexes: list[tuple[SyncIndex, int, int]] = field(default_factory=list)
    file: str = ""
    start: int = 0
    end: int = 0
    through_of: AssociationDecl | None = None
    """The association whose `through` string made this model (a join table)."""


@dataclass
class Relation:
    kind: str
    source: str
    target: str
    as_: str | None
    foreign_key: str
    holder: str
    """The model whose table holds the key (the join table's model for belongsToMany)."""
    through: str | None
    decl: AssociationDecl


@dataclass(frozen=True, slots=True)
class _Own:
    """What `_model` gave for one declaration (before the associations add to it), kept
    untouched for the next build: reused while the declaration is equal."""

    decl: ModelDecl
    model: BuiltModel | None
    problems: tuple[Problem, ...]


@dataclass
class Built:
    models: list[BuiltModel] = field(default_factory=list)
    relations: list[Relation] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    own: dict[tuple, _Own] = field(default_factory=dict, repr=False)
    """(dialect, define, file, model name) -> each declaration's own model, for the next build
    (`previous`): a keystroke in one model file builds that file's models again."""

    def model(self, name: str) -> BuiltModel | None:
        return next((m for m in self.models if m.name == name), None)


class _Opaque:
    """A value that cannot be read statically."""

    def __init__(self, value: Value) -> None:
        self.value = value


def literal(value: Value | None) -> Any:
    """A value as plain Python data; `_Opaque` for what cannot be known."""
    if isinstance(value, Str):
        return value.value if value.known else _Opaque(value)
    if isinstance(value, Bool | Num):
        return value.value
    if isinstance(value, Null):
        return None
    if isinstance(value, Array):
        return [literal(v) for v in value.items]
    if isinstance(value, Obj):
        return {p.key: literal(p.value) for p in value.props}
    return _Opaque(value) if value is not None else None


def build(
    declared: Declared,
    dialect: types.Dialect,
    define: dict[str, Any] | None = None,
    previous: Built | None = None,
) -> Built:
    """The models of `declared`, with what their associations add, for `dialect`; `define`
    are the Sequelize instance's `define` options (under each model's own). `previous`: the
    last build of the same unit, whose models are reused for equal declarations."""
    out = Built()
    define = define or {}
    known: dict[str, BuiltModel] = {}
    kept = previous.own if previous is not None else {}
    context = (dialect, repr(define))
    for decl in sorted(declared.models, key=lambda m: m.order):
        key = (*context, decl.file, decl.name)
        held = kept.get(key)
        if held is None or held.decl != decl:
            first = len(out.problems)
            model = _model(decl, dialect, define, out.problems)
            held = _Own(decl, _fork(model), tuple(out.problems[first:]))
        else:
            model = _fork(held.model)
            out.problems.extend(held.problems)
        out.own.setdefault(key, held)
        if model is None:
            continue
        out.models.append(model)
        for name in (decl.name, *decl.known_as):
            known.setdefault(name, model)
    for file, start, end, what in declared.unreadable:
        out.problems.append(
            Problem(
                UNREADABLE,
                f"{what} cannot be read without running the code; its model is left out",
                file,
                start,
                end,
                "warning",
            )
        )
    # `removeAttribute` runs where the model is defined (models/index.js loads every file
    # first), the associations after, from each model's `associate`: removals come first.
    for assoc in sorted(
        declared.associations, key=lambda a: (a.kind != REMOVE_ATTRIBUTE, a.order, a.start)
    ):
        _associate(assoc, known, out, dialect, define)
    for model in out.models:
        _model_indexes(model, out.problems)
    return out


# -- models ----------------------------------------------------------------------------------


def _fork(model: BuiltModel | None) -> BuiltModel | None:
    """A copy of a model the associations and indexes may add to: its attribute table,
    options and indexes are new; its attributes are shared until an association changes
    one (`_own_attribute` copies it first), so the model kept for the next build stays as
    it was."""
    if model is None:
        return None
    return replace(
        model,
        attributes=dict(model.attributes),
        options=dict(model.options),
        indexes=list(model.indexes),
    )


def _own_attribute(model: BuiltModel, name: str) -> Attribute:
    """The attribute `name` of `model`, copied into its place, to change."""
    attribute = model.attributes[name]
    copied = model.attributes[name] = copy.copy(attribute)
    copied.declared = set(attribute.declared)
    return copied


def _options(decl: ModelDecl | None, define: dict[str, Any]) -> dict[str, Any]:
    options = dict(define)
    if decl is not None and decl.options is not None:
        options.update({k: v for k, v in literal(decl.options).items() if k != "sequelize"})
    return options


def _model(
    decl: ModelDecl, dialect: types.Dialect, define: dict[str, Any], problems: list[Problem]
) -> BuiltModel | None:
    options = _options(decl, define)
    decorated = decl.decorated or {}
    options.update(decorated.get("$stamps", {}))
    if decl.base is not None:
        problems.append(
            Problem(
                UNREADABLE,
                f"{decl.name} extends {decl.base}, which is not read: attributes it declares "
                "are missing from the schema",
                decl.file,
                decl.name_start,
                decl.name_end,
                "warning",
            )
        )
    attributes: dict[str, Attribute] = {}
    specs = decorated.get("$attributes", {})
    for attr in decl.attributes:
        built = _attribute(attr, decl.file, dialect, problems, specs.get(attr.name))
        if built is not None:
            attributes[attr.name] = built
    return _finish_model(decl.name, decl, options, attributes, dialect, problems)


def _bool(options: dict[str, Any], key: str, default: bool) -> bool:
    value = options.get(key, default)
    return value if isinstance(value, bool) else default


def _stamp(options: dict[str, Any], key: str) -> str | bool | None:
    value = options.get(key)
    return value if isinstance(value, str | bool) else None


def _finish_model(
    name: str,
    decl: ModelDecl | None,
    options: dict[str, Any],
    attributes: dict[str, Attribute],
    dialect: types.Dialect,
    problems: list[Problem],
    *,
    file: str = "",
    start: int = 0,
    end: int = 0,
) -> BuiltModel | None:
    file = decl.file if decl is not None else file
    start, end = (decl.name_start, decl.name_end) if decl is not None else (start, end)
    underscored = _bool(options, "underscored", False)
    names = options.get("name") if isinstance(options.get("name"), dict) else {}
    primary = next((a for a in attributes.values() if a.primary_key), None)
    table_option = options.get("tableName")
    try:
        model_naming = naming.model(
            name,
            table_name_option=table_option if isinstance(table_option, str) else None,
            freeze_table_name=_bool(options, "freezeTableName", False),
            underscored=underscored,
            singular=names.get("singular") if isinstance(names.get("singular"), str) else None,
            plural=names.get("plural") if isinstance(names.get("plural"), str) else None,
            primary_key=primary.name if primary is not None else "id",
            timestamps=_bool(options, "timestamps", True),
            paranoid=_bool(options, "paranoid", False),
            created_at=_stamp(options, "createdAt"),
            updated_at=_stamp(options, "updatedAt"),
            deleted_at=_stamp(options, "deletedAt"),
        )
    except naming.SequelizeError as exc:
        problems.append(Problem(UNREADABLE, f"Sequelize would throw: {exc}", file, start, end))
        return None
    ordered: dict[str, Attribute] = {}
    if primary is None:
        if "id" in attributes:
            problems.append(
                Problem(
                    UNREADABLE,
                    "A column called 'id' was added to the attributes but not marked with "
                    "'primaryKey: true' (Sequelize throws at start-up)",
                    file,
                    attributes["id"].start,
                    attributes["id"].end,
                )
            )
            attributes.pop("id")
        ordered["id"] = Attribute(
            "id",
            "id",
            types.DataType("INTEGER"),
            "DataTypes.INTEGER",
            allow_null=False,
            primary_key=True,
            auto_increment=True,
            added_by="id",
            file=file,
            start=start,
            end=end,
        )
    ordered.update(attributes)
    stamps = model_naming.timestamp_attributes()
    for role, attribute in stamps.items():
        if attribute not in ordered:
            ordered[attribute] = Attribute(
                attribute,
                attribute,
                types.DataType("DATE"),
                "DataTypes.DATE",
                allow_null=role == "deletedAt",
                added_by="timestamps",
                file=file,
                start=start,
                end=end,
            )
    version = naming.version_attribute(options.get("version"))
    if version and version not in ordered:
        ordered[version] = Attribute(
            version,
            version,
            types.DataType("INTEGER"),
            "DataTypes.INTEGER",
            allow_null=False,
            default_sql="0",
            added_by="version",
            file=file,
            start=start,
            end=end,
        )
    for attribute in ordered.values():
        if "field" not in attribute.declared:
            attribute.field = naming.column_name(attribute.name, underscored=underscored)
    model = BuiltModel(decl, name, model_naming, ordered, options, file=file, start=start, end=end)
    return model


def _attribute(
    attr: AttributeDecl,
    file: str,
    dialect: types.Dialect,
    problems: list[Problem],
    decorators: dict[str, Any] | None = None,
) -> Attribute | None:
    value = attr.value
    # a decorated property's value (`@Column(DataType.UUID) id`) comes before its name
    end = max(value.end, attr.end)
    out = Attribute(attr.name, attr.name, None, file=file, start=attr.start, end=end)
    spec = value if isinstance(value, Obj) and value.get("type") is not None else None
    type_value = spec.get("type") if spec is not None else value
    if decorators is not None and "$inferred" in decorators:
        spec = value if isinstance(value, Obj) else None
        inferred = decorators["$inferred"]
        if inferred is None:
            problems.append(
                Problem(
                    UNKNOWN_TYPE,
                    f'Specified type of property "{attr.name}" cannot be automatically resolved:'
                    " give it a DataType (`@Column(DataType.STRING)`); sequelize-typescript "
                    "throws at start-up",
                    file,
                    attr.start,
                    attr.end,
                )
            )
            return None
        data_type: types.DataType | None = types.DataType(inferred)
    else:
        data_type = data_type_of(type_value, problems, file)
    if data_type is None:
        return None
    if data_type.key == "VIRTUAL":
        return None
    if spec is not None:
        values = spec.get("values")
        if data_type.key == "ENUM" and not data_type.args and values is not None:
            data_type = types.DataType("ENUM", (tuple(_texts(literal(values))),))
        out.declared = set(spec.keys())
        allow = spec.get("allowNull")
        out.allow_null = allow.value if isinstance(allow, Bool) else True
        out.primary_key = _is_true(spec.get("primaryKey"))
        out.auto_increment = _is_true(spec.get("autoIncrement"))
        unique = literal(spec.get("unique")) if spec.get("unique") is not None else False
        if isinstance(unique, dict):
            unique = unique.get("name") if isinstance(unique.get("name"), str) else True
        out.unique = unique if isinstance(unique, bool | str) else False
        field_value = spec.get("field")
        if isinstance(field_value, Str) and field_value.known:
            out.field = field_value.value or attr.name
        else:
            out.declared.discard("field")
        _default(out, spec.get("defaultValue"), data_type, dialect)
        refs = spec.get("references")
        if isinstance(refs, Obj):
            table = _table_of(refs.get("model"))
            key = literal(refs.get("key"))
            if table is not None:
                out.references = (table, key if isinstance(key, str) else "id")
        for key in ("onDelete", "onUpdate"):
            action = literal(spec.get(key))
            if isinstance(action, str):
                setattr(out, "on_delete" if key == "onDelete" else "on_update", action)
        validate = spec.get("validate")
        if validate is not None:
            out.validate = _plain(literal(validate))
        comment = literal(spec.get("comment"))
        out.comment = comment if isinstance(comment, str) else None
    if data_type.key == "ENUM" and dialect != "sqlite" and not _known_values(data_type):
        problems.append(
            Problem(
                UNREADABLE,
                "this ENUM's values cannot be read without running the code; the attribute is "
                "left out",
                file,
                type_value.start,
                type_value.end,
                "warning",
            )
        )
        return None
    if decorators:
        _apply_decorators(out, decorators, data_type, dialect)
    out.data_type = data_type
    out.type_text = (
        _text_of(type_value) or str(decorators.get("$inferred") or "")
        if decorators
        else _text_of(type_value)
    )
    inner = data_type.args[0] if data_type.key == "ARRAY" and data_type.args else None
    if isinstance(inner, _Opaque):
        problems.append(
            Problem(
                UNREADABLE,
                "the type of this ARRAY's items cannot be read without running the code; the "
                "attribute is left out",
                file,
                type_value.start,
                type_value.end,
                "warning",
            )
        )
        return None
    try:
        types.to_sql(data_type, dialect)
    except types.UnknownType as exc:
        problems.append(Problem(UNKNOWN_TYPE, str(exc), file, type_value.start, type_value.end))
        return None
    return out


def _apply_decorators(
    out: Attribute, decorators: dict[str, Any], data_type: types.DataType, dialect: str
) -> None:
    """sequelize-typescript's `@PrimaryKey`, `@AutoIncrement`, `@AllowNull`, `@Default`,
    `@Unique`, `@Comment` and validators, over what `@Column({...})` said."""
    if decorators.get("primaryKey"):
        out.primary_key = True
    if decorators.get("autoIncrement"):
        out.auto_increment = True
    if "allowNull" in decorators:
        out.allow_null = bool(decorators["allowNull"])
    if "defaultValue" in decorators:
        _default(out, decorators["defaultValue"], data_type, dialect)
    if "unique" in decorators:
        unique = decorators["unique"]
        plain = literal(unique) if isinstance(unique, Value) else unique
        if isinstance(plain, dict):
            plain = plain.get("name") if isinstance(plain.get("name"), str) else True
        out.unique = plain if isinstance(plain, bool | str) else True
    if isinstance(decorators.get("validate"), dict):
        validate = {
            k: (_plain(literal(v)) if isinstance(v, Value) else v)
            for k, v in decorators["validate"].items()
        }
        out.validate = {**(out.validate or {}), **validate}


def _known_values(data_type: types.DataType) -> bool:
    """Whether every value of an ENUM is known (SQLite writes TEXT and needs none)."""

    def known(value: Any) -> bool:
        if isinstance(value, _Opaque):
            return False
        if isinstance(value, list | tuple):
            return all(known(v) for v in value)
        if isinstance(value, dict):
            return all(known(v) for v in value.values())
        return True

    return bool(data_type.args) and known(list(data_type.args))


def _plain(value: Any) -> Any:
    if isinstance(value, _Opaque):
        return None
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _texts(value: Any) -> list[str]:
    return [str(v) for v in value] if isinstance(value, list) else []


def _is_true(value: Value | None) -> bool:
    return isinstance(value, Bool) and value.value


def _text_of(value: Value) -> str:
    if isinstance(value, Ref):
        return value.dotted
    if isinstance(value, Call) and isinstance(value.callee, Ref):
        return value.callee.dotted + "(...)"
    return ""


def _table_of(value: Value | None) -> str | None:
    if isinstance(value, Str) and value.known:
        return value.value
    if isinstance(value, Obj):
        table = value.get("tableName")
        return table.value if isinstance(table, Str) and table.known else None
    return None


_TYPE_HOLDERS = ("DataTypes", "Sequelize", "DataType", "sequelize")


def data_type_of(
    value: Value | None, problems: list[Problem] | None, file: str
) -> types.DataType | None:
    """`DataTypes.STRING`, `DataTypes.STRING(320)`, `Sequelize.INTEGER.UNSIGNED`,
    `DataTypes.ARRAY(DataTypes.TEXT)`, `DataTypes.ENUM("a", "b")` -> a `DataType`; None with
    a problem where it is not one Sequelize has."""
    path: tuple[str, ...] = ()
    args: tuple[Any, ...] = ()
    if isinstance(value, Str) and value.known and value.value:
        return types.DataType("RAW", (value.value,))  # a type given as SQL text
    if isinstance(value, Ref):
        path = value.path
    elif isinstance(value, Call) and isinstance(value.callee, Ref):
        path = value.callee.path
        args = tuple(_type_arg(a, problems, file) for a in value.args)
    if not path:
        if problems is not None and value is not None:
            problems.append(
                Problem(
                    UNREADABLE,
                    "this attribute's type cannot be read without running the code; the "
                    "attribute is left out",
                    file,
                    value.start,
                    value.end,
                    "warning",
                )
            )
        return None
    index = next((i for i, part in enumerate(path) if part in types.KEYS), None)
    if index is None or (index == 0 and len(path) == 1 and path[0] not in types.KEYS):
        if problems is not None and value is not None:
            holder = path[0] in _TYPE_HOLDERS
            problems.append(
                Problem(
                    UNKNOWN_TYPE if holder else UNREADABLE,
                    f"`{'.'.join(path)}` is not a Sequelize data type"
                    if holder
                    else f"`{'.'.join(path)}` cannot be read as a data type without running "
                    "the code; the attribute is left out",
                    file,
                    value.start,
                    value.end,
                    "error" if holder else "warning",
                )
            )
        return None
    key = types.KEYS[path[index]]
    flags = frozenset(p for p in path[index + 1 :] if p in ("UNSIGNED", "ZEROFILL", "BINARY"))
    return types.DataType(key, args, flags)


def _type_arg(value: Value, problems: list[Problem] | None, file: str) -> Any:
    path = value.path if isinstance(value, Ref) else ()
    if isinstance(value, Call) and isinstance(value.callee, Ref):
        path = value.callee.path
    if isinstance(value, Ref | Call):
        if not any(part in types.KEYS for part in path):
            return _Opaque(value)  # `ENUM(STATUS_LIST)`: values from elsewhere
        return data_type_of(value, problems, file)
    plain = literal(value)
    if isinstance(plain, list):
        return tuple(plain)
    if isinstance(plain, dict) and isinstance(value, Obj):
        inner = value.get("type")
        if inner is not None:
            plain["type"] = data_type_of(inner, problems, file)
    return plain


def _default(out: Attribute, value: Value | None, data_type: types.DataType, dialect: str) -> None:
    if value is None:
        return
    if isinstance(value, Ref) and value.path[-1] in types.CLIENT_VALUES:
        out.client_default = value.path[-1]
        return
    if isinstance(value, Func):
        out.client_default = "a function"
        return
    if isinstance(value, Call) and isinstance(value.callee, Ref):
        method = value.callee.path[-1]
        first = value.args[0] if value.args else None
        if method == "fn" and isinstance(first, Str) and first.known:
            rest = [literal(a) for a in value.args[1:]]
            if all(isinstance(r, str | int | float) for r in rest):
                inner = ", ".join(_sql_literal(r, dialect) for r in rest)
                out.default_sql = f"{first.value}({inner})"
                return
        if method == "literal" and isinstance(first, Str) and first.known:
            out.default_sql = first.value
            return
        out.client_default = "an expression"
        return
    plain = literal(value)
    if isinstance(plain, _Opaque):
        out.client_default = "an expression"
        return
    if isinstance(plain, dict | list):
        out.default_sql = _sql_literal(json.dumps(plain, separators=(",", ":")), dialect)
        return
    out.default_sql = _sql_literal(plain, dialect)


def _sql_literal(value: Any, dialect: str) -> str:
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        if dialect == "sqlite":
            return "1" if value else "0"
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    text = str(value)
    if dialect in ("mysql", "mariadb"):
        text = text.replace("\\", "\\\\")
    return "'" + text.replace("'", "''") + "'"


# -- associations ----------------------------------------------------------------------------


def _key_option(options: dict[str, Any], key: str) -> tuple[str | None, dict[str, Any]]:
    value = options.get(key)
    if isinstance(value, str):
        return value, {}
    if isinstance(value, dict):
        name = value.get("name") or value.get("fieldName")
        return (name if isinstance(name, str) else None), value
    return None, {}


def _remove_attribute(model: BuiltModel, name: str) -> None:
    """`Model.removeAttribute(name)`: `delete rawAttributes[name]; refreshAttributes()`.

    Used on join tables to drop the `id` Sequelize adds: the table then has no primary key, and
    a `belongsToMany` through it gives its two keys a UNIQUE (not a primary key: Sequelize only
    makes them the key when it deletes an `id` it generated itself, `primaryKeyDeleted`)."""
    removed = model.attributes.pop(name, None)
    if removed is not None and removed.added_by == "id":
        model.options["_id_removed"] = True


def _associate(
    assoc: AssociationDecl,
    known: dict[str, BuiltModel],
    out: Built,
    dialect: types.Dialect,
    define: dict[str, Any],
) -> None:
    source = known.get(assoc.source)
    if assoc.kind == REMOVE_ATTRIBUTE:
        if source is not None and assoc.target is not None:
            _remove_attribute(source, assoc.target)
        return
    target = known.get(assoc.target) if assoc.target is not None else None
    if source is None:
        return  # a call on something that is not a model we know (not an association)
    if target is None:
        out.problems.append(
            Problem(
                UNKNOWN_MODEL,
                f"{assoc.source}.{assoc.kind} called with something that is not a subclass of "
                f"Sequelize.Model: no model `{assoc.target or '?'}` is declared in this project"
                " (Sequelize throws at start-up)",
                assoc.file,
                assoc.target_start,
                assoc.target_end,
            )
        )
        return
    options = literal(assoc.options) if assoc.options is not None else {}
    options.update({k: v for k, v in assoc.extra.items() if not k.startswith("$")})
    if assoc.extra.get("$decorated"):
        _decorated_keys(assoc.kind, source, target, options, known)
    as_ = options.get("as")
    as_name = (
        as_ if isinstance(as_, str) else (as_.get("singular") if isinstance(as_, dict) else None)
    )
    constraints = options.get("constraints") is not False
    try:
        if assoc.kind == "belongsToMany":
            _belongs_to_many(
                assoc, source, target, options, as_name, constraints, known, out, dialect, define
            )
            return
        fk_name, fk_attr = _key_option(options, "foreignKey")
        if assoc.kind == "belongsTo":
            key = naming.belongs_to_key(
                source.naming, target.naming, as_=as_name, foreign_key=fk_name
            )
            holder, referenced = source, target
            target_key = options.get("targetKey")
            ref_attr = target_key if isinstance(target_key, str) else target.naming.primary_key
        else:
            fn = naming.has_many_key if assoc.kind == "hasMany" else naming.has_one_key
            if assoc.kind == "hasMany":
                key = naming.has_many_key(source.naming, target.naming, foreign_key=fk_name)
            else:
                key = fn(source.naming, target.naming, as_=as_name, foreign_key=fk_name)  # type: ignore[call-arg]
            holder, referenced = target, source
            source_key = options.get("sourceKey")
            ref_attr = source_key if isinstance(source_key, str) else source.naming.primary_key
    except naming.SequelizeError as exc:
        out.problems.append(
            Problem(
                UNKNOWN_MODEL, f"Sequelize would throw: {exc}", assoc.file, assoc.start, assoc.end
            )
        )
        return
    ref = referenced.attributes.get(ref_attr)
    if ref is None:
        out.problems.append(
            Problem(
                UNKNOWN_MODEL,
                f"`{ref_attr}` is not an attribute of {referenced.name}",
                assoc.file,
                assoc.start,
                assoc.end,
            )
        )
        return
    new = Attribute(
        key.attribute,
        key.attribute,
        ref.data_type,
        ref.type_text,
        allow_null=fk_attr.get("allowNull", True) is not False,
        added_by=assoc.kind,
        file=assoc.file,
        start=assoc.start,
        end=assoc.end,
    )
    if isinstance(fk_attr.get("field"), str):
        new.field = fk_attr["field"]
        new.declared.add("field")
    existing = holder.attributes.get(key.attribute)
    nullable = existing.allow_null if existing is not None else new.allow_null
    if constraints:
        on_delete = options.get("onDelete")
        on_update = options.get("onUpdate")
        if not isinstance(on_delete, str):
            if assoc.kind == "belongsTo":
                on_delete = "SET NULL" if nullable else "NO ACTION"
            else:
                on_delete = "SET NULL" if nullable else "CASCADE"
        new.on_delete = on_delete
        new.on_update = on_update if isinstance(on_update, str) else "CASCADE"
        keys = [a for a in referenced.attributes.values() if a.primary_key]
        if len(keys) == 1 or ref.field not in [k.field for k in keys]:
            new.references = (referenced.naming.table, ref.field)
    if existing is None:
        new.field = (
            new.field
            if "field" in new.declared
            else naming.column_name(key.attribute, underscored=holder.naming.underscored)
        )
        holder.attributes[key.attribute] = new
    else:
        _merge_defaults(_own_attribute(holder, key.attribute), new)
    out.relations.append(
        Relation(
            assoc.kind, source.name, target.name, as_name, key.attribute, holder.name, None, assoc
        )
    )


def _foreign_key_to(model: BuiltModel | None, target: BuiltModel) -> str | None:
    """The member of `model` marked `@ForeignKey(() => Target)` (sequelize-typescript)."""
    decl = model.decl if model is not None else None
    if decl is None or decl.decorated is None:
        return None
    for member, names in decl.decorated.get("$fks", {}).items():
        if target.name in names or (target.decl is not None and names & target.decl.known_as):
            return member
    return None


def _decorated_keys(
    kind: str,
    source: BuiltModel,
    target: BuiltModel,
    options: dict[str, Any],
    known: dict[str, BuiltModel],
) -> None:
    """sequelize-typescript's keys: the `@ForeignKey` member (of the source for `@BelongsTo`,
    of the target for `@HasMany` / `@HasOne`, of the through model for `@BelongsToMany`)."""
    if kind == "belongsTo" and "foreignKey" not in options:
        key = _foreign_key_to(source, target)
        if key:
            options["foreignKey"] = key
    elif kind in ("hasMany", "hasOne") and "foreignKey" not in options:
        key = _foreign_key_to(target, source)
        if key:
            options["foreignKey"] = key
    elif kind == "belongsToMany":
        through = options.get("through")
        through_model = known.get(through) if isinstance(through, str) else None
        if "foreignKey" not in options:
            key = _foreign_key_to(through_model, source)
            if key:
                options["foreignKey"] = key
        if "otherKey" not in options:
            key = _foreign_key_to(through_model, target)
            if key:
                options["otherKey"] = key


def _merge_defaults(existing: Attribute, new: Attribute) -> None:
    """`Utils.mergeDefaults(rawAttributes, newAttributes)`: what the attribute already has
    wins; the association fills in what it lacks (references, actions)."""
    if existing.references is None and new.references is not None:
        existing.references = new.references
    if existing.on_delete is None:
        existing.on_delete = new.on_delete
    if existing.on_update is None:
        existing.on_update = new.on_update
    if existing.data_type is None:
        existing.data_type = new.data_type


def _belongs_to_many(
    assoc: AssociationDecl,
    source: BuiltModel,
    target: BuiltModel,
    options: dict[str, Any],
    as_name: str | None,
    constraints: bool,
    known: dict[str, BuiltModel],
    out: Built,
    dialect: types.Dialect,
    define: dict[str, Any],
) -> None:
    through_value = options.get("through")
    through_model: BuiltModel | None = None
    through_name: str | None = None
    through_paranoid = False
    through_unique = True
    raw = assoc.options.get("through") if assoc.options is not None else None
    if isinstance(through_value, dict):
        through_paranoid = through_value.get("paranoid") is True
        through_unique = through_value.get("unique") is not False
        raw = assoc.options.get("through") if assoc.options is not None else None
        raw = raw.get("model") if isinstance(raw, Obj) else None
        through_value = literal(raw) if raw is not None else None
    if isinstance(through_value, str):
        through_name = through_value
        through_model = known.get(through_value)
    elif isinstance(through_value, _Opaque) and isinstance(raw, Ref | Func):
        name = raw.path[-1] if isinstance(raw, Ref) else None
        if isinstance(raw, Func) and isinstance(raw.returns, Ref):
            name = raw.returns.path[-1]
        through_model = known.get(name) if name else None
        if through_model is None:
            out.problems.append(
                Problem(
                    UNKNOWN_MODEL,
                    f"the `through` of {source.name}.belongsToMany names no model declared in "
                    "this project",
                    assoc.file,
                    raw.start,
                    raw.end,
                )
            )
            return
    if through_model is None and through_name is None:
        out.problems.append(
            Problem(
                UNKNOWN_MODEL,
                "belongsToMany must be given a through option, either a string or a model "
                "(Sequelize throws at start-up)",
                assoc.file,
                assoc.start,
                assoc.end,
            )
        )
        return
    paired = next(
        (
            r
            for r in out.relations
            if r.kind == "belongsToMany"
            and r.source == target.name
            and r.target == source.name
            and r.through == (through_model.name if through_model else through_name)
        ),
        None,
    )
    fk_name, _ = _key_option(options, "foreignKey")
    ok_name, _ = _key_option(options, "otherKey")
    source_key = options.get("sourceKey")
    target_key = options.get("targetKey")
    if through_model is None:
        assert through_name is not None
        definer_model = source
        timestamps = define.get("timestamps", True)
        if "timestamps" in options:
            timestamps = options["timestamps"]
        through_model = _finish_model(
            through_name,
            None,
            {
                **definer_model.options,
                "tableName": through_name,
                "timestamps": timestamps is not False,
                "paranoid": through_paranoid,
                "indexes": [],
                "underscored": definer_model.naming.underscored,
            },
            {},
            dialect,
            out.problems,
            file=assoc.file,
            start=assoc.start,
            end=assoc.end,
        )
        if through_model is None:
            return
        through_model.through_of = assoc
        through_model.attributes.pop("id", None)
        out.models.append(through_model)
        known[through_name] = through_model
    else:
        if "id" in through_model.attributes and through_model.attributes["id"].added_by == "id":
            through_model.attributes.pop("id")
            through_model.options["_pk_deleted"] = True
    has_pk = through_model.options.get("_id_removed") is True or any(
        a.primary_key and a.added_by != "belongsToMany" for a in through_model.attributes.values()
    )
    try:
        join = naming.belongs_to_many(
            source.naming,
            target.naming,
            through_model.naming,
            as_=as_name,
            foreign_key=fk_name,
            other_key=ok_name,
            source_key=source_key if isinstance(source_key, str) else None,
            target_key=target_key if isinstance(target_key, str) else None,
            paired_foreign_key=paired.foreign_key if paired is not None else None,
            through_has_primary_key=has_pk,
            unique=through_unique,
            unique_key=options.get("uniqueKey")
            if isinstance(options.get("uniqueKey"), str)
            else None,
        )
    except naming.SequelizeError as exc:
        out.problems.append(
            Problem(
                UNKNOWN_MODEL, f"Sequelize would throw: {exc}", assoc.file, assoc.start, assoc.end
            )
        )
        return
    pairs = (
        (
            join.foreign_key,
            source,
            source_key if isinstance(source_key, str) else source.naming.primary_key,
        ),
        (
            join.other_key,
            target,
            target_key if isinstance(target_key, str) else target.naming.primary_key,
        ),
    )
    for key, referenced, ref_attr in pairs:
        ref = referenced.attributes.get(ref_attr)
        existing = through_model.attributes.get(key.attribute)
        if existing is not None:
            existing = _own_attribute(through_model, key.attribute)
        attribute = existing or Attribute(
            key.attribute,
            naming.column_name(key.attribute, underscored=through_model.naming.underscored),
            None,
            added_by="belongsToMany",
            file=assoc.file,
            start=assoc.start,
            end=assoc.end,
        )
        if ref is not None:
            attribute.data_type = ref.data_type
            attribute.type_text = ref.type_text
        if join.primary_key:
            attribute.primary_key = True
            attribute.unique = False
        elif join.unique_name:
            attribute.unique = join.unique_name
        if constraints and ref is not None:
            attribute.references = (referenced.naming.table, ref.field)
            on_delete = options.get("onDelete") if key is join.foreign_key else None
            on_update = options.get("onUpdate") if key is join.foreign_key else None
            attribute.on_delete = (
                (on_delete if isinstance(on_delete, str) else None)
                or attribute.on_delete
                or (options.get("onDelete") if isinstance(options.get("onDelete"), str) else None)
                or "CASCADE"
            )
            attribute.on_update = (
                (on_update if isinstance(on_update, str) else None)
                or attribute.on_update
                or (options.get("onUpdate") if isinstance(options.get("onUpdate"), str) else None)
                or "CASCADE"
            )
        through_model.attributes[key.attribute] = attribute
    out.relations.append(
        Relation(
            "belongsToMany",
            source.name,
            target.name,
            as_name,
            join.foreign_key.attribute,
            through_model.name,
            through_model.name if through_name is None else through_name,
            assoc,
        )
    )


# -- indexes ---------------------------------------------------------------------------------


def _decorated_indexes(model: BuiltModel, problems: list[Problem]) -> None:
    """sequelize-typescript's `@Index` on attributes: a bare one is an index of its own,
    attributes with one `name` (`@Index("name")`, `@Index({ name, unique })`) share it, in
    the order they are declared; an index without a name gets Sequelize's.

    Two traps of sequelize-typescript 2.1 (`Sequelize.addModels`: the collected indexes are
    spread *before* the `@Table` options) are reported as DB074, not silently followed:
    - `@Table({ indexes: [...] })` replaces every `@Index` of the class: those are not created;
    - an `@Index` names the attribute, not its column: on an `underscored` model or one with
      `field:`, `sync()` runs `CREATE INDEX ... (tagId)` on a table whose column is `tag_id`,
      and fails. Such an index is left out (the database never has it).
    """
    decl = model.decl
    if decl is None or decl.decorated is None:
        return
    replaced = decl.options is not None and decl.options.get("indexes") is not None
    groups: dict[str, tuple[list[str], dict[str, Any], int, int]] = {}
    for attr_name, spec in decl.decorated.get("$attributes", {}).items():
        attr = model.attributes.get(attr_name)
        if attr is None:
            continue
        if spec.get("$indexes") and (replaced or attr.field != attr_name):
            problems.append(
                Problem(
                    INDEX_NOT_AS_WRITTEN,
                    f"sequelize-typescript ignores this @Index: the class's @Table sets "
                    f"`indexes`, which replaces the indexes collected from @Index; put it in "
                    f"that list (fields: ['{attr.field}'])"
                    if replaced
                    else f"sequelize-typescript creates this index on `{attr_name}`, but the "
                    f"column is `{attr.field}`: sync() fails (no such column); declare it in "
                    f"@Table's `indexes` with fields: ['{attr.field}']",
                    model.file,
                    attr.start,
                    attr.end,
                    "warning" if replaced else "error",
                )
            )
            continue
        for i, arg in enumerate(spec.get("$indexes", [])):
            plain = literal(arg) if isinstance(arg, Value) else {}
            options = plain if isinstance(plain, dict) else {"name": plain}
            name = options.get("name")
            key = name if isinstance(name, str) else f"\0{attr_name}\0{i}"
            fields, _, _, _ = groups.setdefault(key, ([], options, attr.start, attr.end))
            fields.append(attr_name)
    for key, (fields, options, start, end) in groups.items():
        name = key if not key.startswith("\0") else naming.index_name(model.naming.table, fields)
        parts = [SyncIndexField(model.attributes[f].field) for f in fields]
        using = options.get("using")
        index = SyncIndex(
            name, parts, options.get("unique") is True, using if isinstance(using, str) else None
        )
        model.indexes.append((index, start, end))


def _model_indexes(model: BuiltModel, problems: list[Problem]) -> None:
    _decorated_indexes(model, problems)
    decl = model.decl
    if decl is None or decl.options is None:
        return
    indexes = decl.options.get("indexes")
    if not isinstance(indexes, Array):
        return
    for item in indexes.items:
        if not isinstance(item, Obj):
            continue
        spec = literal(item)
        fields = spec.get("fields")
        if not isinstance(fields, list) or not fields:
            problems.append(
                Problem(
                    UNREADABLE,
                    "an index without readable `fields` is left out",
                    decl.file,
                    item.start,
                    item.end,
                    "warning",
                )
            )
            continue
        parts: list[SyncIndexField] = []
        names: list[Any] = []
        for f in fields:
            if isinstance(f, str):
                attr = model.attributes.get(f)
                parts.append(SyncIndexField(attr.field if attr else f))
                names.append(f)
            elif isinstance(f, dict):
                name = f.get("name") or f.get("attribute")
                if not isinstance(name, str):
                    break
                attr = model.attributes.get(name)
                length = f.get("length")
                parts.append(
                    SyncIndexField(
                        attr.field if attr else name,
                        f.get("order") if isinstance(f.get("order"), str) else None,
                        length if isinstance(length, int) else None,
                        f.get("operator") if isinstance(f.get("operator"), str) else None,
                    )
                )
                names.append({k: v for k, v in f.items() if isinstance(v, str)})
            else:
                break
        else:
            name = spec.get("name")
            if not isinstance(name, str):
                name = naming.index_name(model.naming.table, names)
            where_sql = _where_sql(spec.get("where"), model)
            if spec.get("where") is not None and where_sql is None:
                problems.append(
                    Problem(
                        UNREADABLE,
                        "this index's `where` cannot be read; the index is kept without it",
                        decl.file,
                        item.start,
                        item.end,
                        "warning",
                    )
                )
            using = spec.get("using") or spec.get("method")
            unique = spec.get("unique") is True or spec.get("type") == "UNIQUE"
            model.indexes.append(
                (
                    SyncIndex(
                        name, parts, unique, using if isinstance(using, str) else None, where_sql
                    ),
                    item.start,
                    item.end,
                )
            )
            continue
        problems.append(
            Problem(
                UNREADABLE,
                "an index field that cannot be read without running the code; the index is "
                "left out",
                decl.file,
                item.start,
                item.end,
                "warning",
            )
        )


def _where_sql(where: Any, model: BuiltModel) -> str | None:
    """`where: { status: "published", deletedAt: null }` -> `"status" = 'published' AND
    "deletedAt" IS NULL` (PostgreSQL quoting, as the replay reads it); None for operators."""
    if where is None or not isinstance(where, dict) or not where:
        return None
    parts = []
    for key, value in where.items():
        attr = model.attributes.get(key)
        column = '"' + (attr.field if attr else key) + '"'
        if value is None:
            parts.append(f"{column} IS NULL")
        elif isinstance(value, bool | int | float | str):
            parts.append(f"{column} = {_sql_literal(value, 'postgres')}")
        else:
            return None
    return " AND ".join(parts)


# -- to SQL ----------------------------------------------------------------------------------


def sync_tables(built: Built, dialect: types.Dialect) -> list[SyncTable]:
    tables = []
    for model in built.models:
        table = SyncTable(model.naming.table)
        shared: dict[str, list[str]] = {}
        for attr in model.attributes.values():
            if attr.data_type is None:
                continue
            type_sql = types.to_sql(attr.data_type, dialect)
            values = (
                tuple(types.enum_values(attr.data_type)) if attr.data_type.key == "ENUM" else None
            )
            column = SyncColumn(
                attr.field,
                type_sql,
                values,
                attr.allow_null and not attr.primary_key
                if attr.added_by == "id"
                else attr.allow_null,
                attr.primary_key,
                attr.auto_increment,
                attr.default_sql,
                attr.unique is True,
                attr.references,
                attr.on_delete,
                attr.on_update,
            )
            if isinstance(attr.unique, str):
                shared.setdefault(attr.unique, []).append(attr.field)
            table.columns.append(column)
        table.unique_keys = list(shared.items())
        table.indexes = [index for index, _, _ in model.indexes]
        tables.append(table)
    return tables

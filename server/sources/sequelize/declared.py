"""What a project's files declare about Sequelize models, read statically (never run).

Three ways to declare a model are found, in any file of the unit:

- `X.init(attributes, options)` (the class `X extends Model` declared anywhere in the file, at
  the top level or inside the function a sequelize-cli model file exports);
- `sequelize.define(name, attributes, options)` (the model is also known by the name its result
  is stored under: `const User = sequelize.define("user", ...)`);
- associations: `A.belongsTo(B, options)`, `hasMany`, `hasOne`, `belongsToMany`, wherever they
  are written: in a `static associate(models)` method (`this.belongsTo(models.User)`), in a
  models/index.js, at the top level of a model file.

Everything is kept as the TypeScript layer's values with their ranges; `build.py` gives them
Sequelize's meaning. Files are taken in path order, as sequelize-cli's models/index.js loads
them (`fs.readdirSync` lists a folder sorted), and associations in that order too: that is the
order Sequelize applies them in, which decides which of two associations on one key wins.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from schemasense.server.sources.typescript.declarations import ClassDecl, Module
from schemasense.server.sources.typescript.kept import PerFile, kept_module
from schemasense.server.sources.typescript.values import Call, Func, Obj, Ref, Str, Value

ASSOCIATIONS = ("belongsTo", "hasMany", "hasOne", "belongsToMany")
REMOVE_ATTRIBUTE = "removeAttribute"
"""`Model.removeAttribute('id')`: a call that changes a model after `init`, in the same order as
the associations (so it is kept with them, as an `AssociationDecl` of this kind)."""


@dataclass(frozen=True, slots=True)
class AttributeDecl:
    """`email: { type: ..., allowNull: false }` or `bio: DataTypes.TEXT`: its name and range
    (the key) and its definition."""

    name: str
    start: int
    end: int
    value: Value


@dataclass
class ModelDecl:
    name: str
    """The model name: `modelName`, else the class name; `define`'s first argument."""
    file: str
    start: int
    end: int
    """The declaration: the `init` / `define` call."""
    name_start: int
    name_end: int
    attributes: list[AttributeDecl]
    options: Obj | None
    known_as: set[str] = field(default_factory=set)
    """The names code uses for it: the class, the variable `define`'s result is stored in."""
    order: tuple[int, int] = (0, 0)
    decorated: dict[str, Any] | None = None
    """sequelize-typescript: each attribute's options from its decorators (attribute ->
    {option: value}), and `@Table`'s options are in `options`."""
    base: str | None = None
    """sequelize-typescript: the class it extends when that is not `Model` (its attributes
    are not read)."""


@dataclass
class AssociationDecl:
    kind: str
    """`belongsTo`, `hasMany`, `hasOne` or `belongsToMany`; or `removeAttribute`, whose
    `target` is the attribute's name."""
    source: str
    """The model the call is made on, as the code names it (class, variable, `models.X`)."""
    target: str | None
    """The model it names, as the code names it (None: not readable)."""
    options: Obj | None
    file: str
    start: int
    end: int
    target_start: int
    target_end: int
    order: tuple[int, int] = (0, 0)
    extra: dict[str, Any] = field(default_factory=dict)
    """Options a decorator implies (sequelize-typescript: `as` is the property, the
    `foreignKey` is the `@ForeignKey` member), over `options`."""


@dataclass
class Declared:
    models: list[ModelDecl] = field(default_factory=list)
    associations: list[AssociationDecl] = field(default_factory=list)
    unreadable: list[tuple[str, int, int, str]] = field(default_factory=list)
    """(file, start, end, what) of declarations that could not be read statically."""
    modules: dict[str, Module] = field(default_factory=dict)
    registry: dict[str, str] = field(default_factory=dict)
    """Names a models registry gives the model a file exports (gladys's models/index.js:
    `const models = { Room: RoomModel(sequelize, Sequelize) }` with `RoomModel =
    require("./room")`, so `models.Room` is the model room.js defines): name -> the module
    as written, resolved against the files of the unit in `read_declared`."""
    ordered: dict[int, tuple[list[ModelDecl], list[AssociationDecl]]] = field(
        default_factory=dict, repr=False, compare=False
    )
    """One file's declarations with their order set for the file's place among the unit's
    (`read_declared`): kept with the file's declarations, so a keystroke elsewhere hands
    out the same declaration objects."""


_CACHE_SIZE = 2048


def read_declared(texts: Mapping[str, str]) -> Declared:
    """Every model and association the files declare, in Sequelize's order. Each file's
    declarations are kept under its text, so a keystroke re-reads only the file it changed."""
    out = Declared()
    for index, path in enumerate(sorted(texts)):
        text = texts[path]
        if not _may_declare(text) and "(sequelize" not in text:
            continue
        one = _DECLARED.get(path, text)
        out.modules.update(one.modules)
        ordered = one.ordered.get(index)
        if ordered is None:  # the file's declarations at its place in the order, kept
            ordered = one.ordered[index] = (
                [replace(m, order=(index, m.order[1])) for m in one.models],
                [replace(a, order=(index, a.order[1])) for a in one.associations],
            )
        out.models += ordered[0]
        out.associations += ordered[1]
        out.unreadable += one.unreadable
        for name, target in one.registry.items():
            resolved = _resolve(path, target, texts)
            if resolved is not None:
                out.registry[name] = resolved
    if out.registry:
        by_file: dict[str, set[str]] = {}
        for name, file in out.registry.items():
            by_file.setdefault(file, set()).add(name)
        out.models = [
            replace(m, known_as=m.known_as | by_file[m.file]) if m.file in by_file else m
            for m in out.models
        ]
        # the registry's order is the order its index.js runs the `associate`s in
        rank = {file: i for i, file in enumerate(dict.fromkeys(out.registry.values()))}
        out.associations = [
            replace(a, order=(rank[a.file], a.order[1])) if a.file in rank else a
            for a in out.associations
        ]
    return out


def _resolve(importer: str, target: str, texts: Mapping[str, str]) -> str | None:
    """`./room` from models/index.js -> models/room.js, among the unit's files."""
    if not target.startswith("."):
        return None
    base = os.path.normpath(os.path.join(os.path.dirname(importer), target))
    for suffix in ("", ".js", ".ts", ".cjs", ".mjs", "/index.js", "/index.ts"):
        if base + suffix in texts:
            return base + suffix
    return None


def _registry(module: Module, out: Declared) -> None:
    """`const models = { Room: RoomModel(sequelize, Sequelize) }`: Room -> RoomModel's
    module."""
    for name in module.constants:
        value = module.constant(name)
        if not isinstance(value, Obj):
            continue
        for prop in value.props:
            call = prop.value
            if not isinstance(call, Call) or not isinstance(call.callee, Ref):
                continue
            if len(call.callee.path) != 1:
                continue
            found = module.import_of(call.callee.path[0])
            if found is not None:
                out.registry[prop.key] = found[0].module


def _file_declared(path: str, text: str) -> Declared:
    """One file's declarations (a pure function of its path and text: kept per file, for
    its last two texts, by `_DECLARED`)."""
    one = Declared()
    module = kept_module(path, text)
    one.modules[path] = module
    _read_file(module, 0, one)
    if "(sequelize" in text:
        _registry(module, one)
    return one


_DECLARED: PerFile[Declared] = PerFile(_file_declared, _CACHE_SIZE)


def _may_declare(text: str) -> bool:
    return any(
        word in text for word in (".init(", ".define(", "@Table", *ASSOCIATIONS, REMOVE_ATTRIBUTE)
    )


def _read_file(module: Module, index: int, out: Declared) -> None:
    classes = [*module.classes, *module.nested_classes]
    for decl in classes:
        table = decl.decorator("Table")
        if table is not None:
            _read_decorated(module, decl, table, index, out)
    methods = ("init", "define", *ASSOCIATIONS, REMOVE_ATTRIBUTE)
    for call in module.calls(where=lambda c: c.method in methods):
        order = (index, call.start)
        path = call.path or _written_path(module, call.callee)
        if call.method == "init" and len(path) == 2:
            attributes = call.args.get(0)
            options = call.args.get(1)
            if path[0] in ("super", "this"):  # `static init(sequelize) { super.init(...) }`
                decl = _enclosing_class(classes, call.start)
            else:
                decl = next((c for c in classes if c.name == path[0]), None)
            if not isinstance(attributes, Obj) or decl is None or not _extends_model(decl):
                continue
            opts = options if isinstance(options, Obj) else None
            name_value = opts.get("modelName") if opts is not None else None
            name = name_value.value if isinstance(name_value, Str) and name_value.known else None
            n_start, n_end = (
                (name_value.start, name_value.end)
                if name is not None and name_value is not None
                else (decl.name_start, decl.name_end)
            )
            out.models.append(
                ModelDecl(
                    name or decl.name,
                    module.path,
                    call.start,
                    call.end,
                    n_start,
                    n_end,
                    _attributes(attributes),
                    opts,
                    {decl.name},
                    order,
                )
            )
        elif call.method == "define" and len(path) >= 2:
            first, attributes, options = call.args.get(0), call.args.get(1), call.args.get(2)
            if not isinstance(first, Str):
                continue
            if not first.known or not isinstance(attributes, Obj):
                out.unreadable.append(
                    (module.path, call.start, call.end, "a `define` whose name or attributes")
                )
                continue
            known = {first.value or ""}
            assigned = module.assigned_name(call.start, call.end)
            if assigned:
                known.add(assigned)
            out.models.append(
                ModelDecl(
                    first.value or "",
                    module.path,
                    call.start,
                    call.end,
                    first.start,
                    first.end,
                    _attributes(attributes),
                    options if isinstance(options, Obj) else None,
                    known,
                    order,
                )
            )
        elif call.method == REMOVE_ATTRIBUTE and len(path) >= 2:
            source = path[-2]
            if source == "this":
                owner = _enclosing_class(classes, call.start)
                if owner is None:
                    continue
                source = owner.name
            name = call.args.get(0)
            if not isinstance(name, Str) or not name.known:
                out.unreadable.append(
                    (module.path, call.start, call.end, "a `removeAttribute` whose attribute")
                )
                continue
            out.associations.append(
                AssociationDecl(
                    REMOVE_ATTRIBUTE,
                    source,
                    name.value,
                    None,
                    module.path,
                    call.start,
                    call.end,
                    name.start,
                    name.end,
                    order,
                )
            )
        elif call.method in ASSOCIATIONS and len(path) >= 2:
            source = path[-2]
            if source == "this":
                owner = _enclosing_class(classes, call.start)
                if owner is None:
                    continue
                source = owner.name
            target_value = call.args.get(0)
            target = _model_name(target_value)
            if target is None and target_value is not None:
                # `db.Post.belongsTo(db.User)` in sequelize-cli's models/index.js: `db.User`
                # resolves to the `require('./user')(sequelize, DataTypes)` call assigned to
                # it; the name as written is the model's, as it is for the source.
                written = _written_path(module, target_value)
                target = written[-1] if written else None
            options = call.args.get(1)
            t_start, t_end = (
                (target_value.start, target_value.end)
                if target_value is not None
                else (call.start, call.end)
            )
            out.associations.append(
                AssociationDecl(
                    call.method,
                    source,
                    target,
                    options if isinstance(options, Obj) else None,
                    module.path,
                    call.start,
                    call.end,
                    t_start,
                    t_end,
                    order,
                )
            )


_DOTTED = re.compile(r"^[A-Za-z_$][\w$]*(?:\s*\.\s*[A-Za-z_$][\w$]*)+$")


def _written_path(module: Module, callee: Value) -> tuple[str, ...]:
    """The callee as written (`Post.belongsTo`) where its value was resolved to something
    else: a local `const Post = sequelize.define(...)` makes `Post` the `define` call."""
    text = module.text[callee.start : callee.end].strip()
    if not _DOTTED.match(text):
        return ()
    return tuple(part.strip() for part in text.split("."))


def _extends_model(decl: ClassDecl) -> bool:
    return decl.extends_name is not None


def _enclosing_class(classes: list[ClassDecl], offset: int) -> ClassDecl | None:
    inside = [c for c in classes if c.start <= offset < c.end]
    return max(inside, key=lambda c: c.start) if inside else None


def _model_name(value: Value | None) -> str | None:
    """The model a value names: `User`, `models.User`, `db.User`, `() => User`,
    `sequelize.models.User`."""
    if isinstance(value, Func):
        value = value.returns
    if isinstance(value, Ref):
        return value.path[-1]
    if isinstance(value, Str) and value.known:
        return value.value
    if isinstance(value, Call):
        return None
    return None


def _attributes(obj: Obj) -> list[AttributeDecl]:
    seen: dict[str, AttributeDecl] = {}
    for prop in obj.props:
        # a later key wins, in the place of the first (JavaScript's key order)
        seen[prop.key] = AttributeDecl(prop.key, prop.key_start, prop.key_end, prop.value)
    return list(seen.values())


# -- sequelize-typescript ----------------------------------------------------------------------

_DECORATED_ASSOCIATIONS = {
    "BelongsTo": "belongsTo",
    "HasMany": "hasMany",
    "HasOne": "hasOne",
    "BelongsToMany": "belongsToMany",
}
_TS_TYPES = {
    "string": "STRING",
    "number": "INTEGER",
    "boolean": "BOOLEAN",
    "Date": "DATE",
    "Buffer": "BLOB",
    "bigint": "BIGINT",
}
"""sequelize-typescript's type inference for a bare `@Column` (`inferDataType`, from the
design:type metadata TypeScript emits)."""
_VALIDATORS = {
    "Length": "len",
    "IsEmail": "isEmail",
    "IsUrl": "isUrl",
    "IsUUID": "isUUID",
    "Min": "min",
    "Max": "max",
    "Is": "is",
    "IsLowercase": "isLowercase",
    "IsUppercase": "isUppercase",
    "NotEmpty": "notEmpty",
    "IsInt": "isInt",
    "IsFloat": "isFloat",
    "IsIn": "isIn",
    "Contains": "contains",
}


def _read_decorated(module: Module, decl: ClassDecl, table: Any, index: int, out: Declared) -> None:
    """A sequelize-typescript model: `@Table(options) class X extends Model` with `@Column`
    members (their type from the decorator, else inferred from the TypeScript type) and
    association decorators (`as` is the property; the key is the `@ForeignKey` member)."""
    options = table.options()
    attributes: list[AttributeDecl] = []
    decorated: dict[str, Any] = {}
    stamps: dict[str, str] = {}
    fks: dict[str, set[str]] = {}
    for member in decl.members:
        if member.kind != "property" or member.static:
            continue
        names = {d.name for d in member.decorators}
        for role in ("CreatedAt", "UpdatedAt", "DeletedAt"):
            if role in names:
                stamps[role[0].lower() + role[1:]] = member.name
        foreign = member.decorator("ForeignKey")
        if foreign is not None:
            target = _model_name(foreign.arg(0))
            if target:
                fks.setdefault(member.name, set()).add(target)
        column = member.decorator("Column")
        if column is None:
            for kind_name, kind in _DECORATED_ASSOCIATIONS.items():
                found = member.decorator(kind_name)
                if found is not None:
                    out.associations.append(
                        _decorated_association(module, decl, member, found, kind, index)
                    )
            continue
        spec: dict[str, Any] = {}
        arg = column.arg(0)
        value: Value | None = arg
        if isinstance(arg, Obj) and arg.get("type") is None:
            value = None
        if value is None:
            inferred = _TS_TYPES.get(_plain_type(member.type_text))
            spec["$inferred"] = inferred
        for d in member.decorators:
            first = d.arg(0)
            if d.name == "PrimaryKey":
                spec["primaryKey"] = True
            elif d.name == "AutoIncrement":
                spec["autoIncrement"] = True
            elif d.name == "AllowNull":
                spec["allowNull"] = (
                    first.value
                    if hasattr(first, "value") and isinstance(first.value, bool)
                    else True
                )  # type: ignore[union-attr]
            elif d.name == "Default":
                spec["defaultValue"] = first
            elif d.name == "Unique":
                spec["unique"] = first if first is not None else True
            elif d.name == "Comment":
                spec["comment"] = first
            elif d.name == "Index":
                spec.setdefault("$indexes", []).append(first)
            elif d.name in _VALIDATORS:
                spec.setdefault("validate", {})[_VALIDATORS[d.name]] = (
                    first if first is not None else True
                )
        attributes.append(
            AttributeDecl(
                member.name,
                member.name_start,
                member.name_end,
                arg if arg is not None else Obj(member.start, member.end),
            )
        )
        decorated[member.name] = spec
    extends = decl.extends_name
    out.models.append(
        ModelDecl(
            _model_name_of(options) or decl.name,
            module.path,
            decl.start,
            decl.end,
            decl.name_start,
            decl.name_end,
            attributes,
            options,
            {decl.name},
            (index, decl.start),
            {"$attributes": decorated, "$stamps": stamps, "$fks": fks},
            extends if extends not in ("Model", None) else None,
        )
    )


def _model_name_of(options: Obj | None) -> str | None:
    value = options.get("modelName") if options is not None else None
    return value.value if isinstance(value, Str) and value.known else None


def _plain_type(type_text: str | None) -> str:
    if not type_text:
        return ""
    parts = [p.strip() for p in type_text.split("|")]
    parts = [p for p in parts if p not in ("null", "undefined")]
    return parts[0] if len(parts) == 1 else ""


def _decorated_association(
    module: Module, decl: ClassDecl, member: Any, found: Any, kind: str, index: int
) -> AssociationDecl:
    target_value = found.arg(0)
    target = _model_name(target_value)
    extra: dict[str, Any] = {"as": member.name}
    options: Obj | None = None
    second = found.arg(1)
    if kind == "belongsToMany":
        through = _model_name(second) if not isinstance(second, Obj) else None
        if isinstance(second, Obj):
            options = second
        elif through is not None:
            extra["through"] = through
        for position, key in ((2, "foreignKey"), (3, "otherKey")):
            value = found.arg(position)
            if isinstance(value, Str) and value.known:
                extra[key] = value.value
    elif isinstance(second, Obj):
        options = second
    elif isinstance(second, Str) and second.known:
        extra["foreignKey"] = second.value
    extra["$decorated"] = True
    start, end = (
        (target_value.start, target_value.end)
        if target_value is not None
        else (found.start, found.end)
    )
    return AssociationDecl(
        kind,
        decl.name,
        target,
        options,
        module.path,
        found.start,
        found.end,
        start,
        end,
        (index, found.start),
        extra,
    )

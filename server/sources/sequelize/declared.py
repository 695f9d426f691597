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

from collections.abc import Mapping
from dataclasses import dataclass, field

from schemasense.server.sources.typescript.declarations import ClassDecl, Module, read_module
from schemasense.server.sources.typescript.values import Call, Func, Obj, Ref, Str, Value

ASSOCIATIONS = ("belongsTo", "hasMany", "hasOne", "belongsToMany")


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


@dataclass(frozen=True, slots=True)
class AssociationDecl:
    kind: str
    """`belongsTo`, `hasMany`, `hasOne` or `belongsToMany`."""
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


@dataclass
class Declared:
    models: list[ModelDecl] = field(default_factory=list)
    associations: list[AssociationDecl] = field(default_factory=list)
    unreadable: list[tuple[str, int, int, str]] = field(default_factory=list)
    """(file, start, end, what) of declarations that could not be read statically."""
    modules: dict[str, Module] = field(default_factory=dict)


def read_declared(texts: Mapping[str, str]) -> Declared:
    """Every model and association the files declare, in Sequelize's order."""
    out = Declared()
    for index, path in enumerate(sorted(texts)):
        text = texts[path]
        if not _may_declare(text):
            continue
        module = read_module(path, text)
        out.modules[path] = module
        _read_file(module, index, out)
    return out


def _may_declare(text: str) -> bool:
    return any(word in text for word in (".init(", ".define(", *ASSOCIATIONS))


def _read_file(module: Module, index: int, out: Declared) -> None:
    classes = [*module.classes, *module.nested_classes]
    for call in module.calls(where=lambda c: c.method in ("init", "define", *ASSOCIATIONS)):
        order = (index, call.start)
        path = call.path
        if call.method == "init" and len(path) == 2:
            attributes = call.args.get(0)
            options = call.args.get(1)
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
                    {decl.name, path[0]},
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
        elif call.method in ASSOCIATIONS and len(path) >= 2:
            source = path[-2]
            if source == "this":
                owner = _enclosing_class(classes, call.start)
                if owner is None:
                    continue
                source = owner.name
            target_value = call.args.get(0)
            target = _model_name(target_value)
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

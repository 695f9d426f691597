"""Sequelize models of the schema model, in the project's flavour and code style.

`sequelize_model_files(schema, tables, style, flavour=..., dialect=..., folder=...)` gives one
file a table:

- JavaScript (`flavour` "init"): sequelize-cli's model file, `module.exports = (sequelize,
  DataTypes) => { class X extends Model { static associate(models) {...} } X.init(...) }`
  (`export default` for ES modules), which the `models/index.js` sequelize-cli writes loads;
- TypeScript "init": `class X extends Model<InferAttributes<X>, InferCreationAttributes<X>>`
  with `declare` fields, and `initX(sequelize)` calling `X.init` (every attribute given, as
  `InferAttributes` requires);
- TypeScript "typescript": sequelize-typescript's `@Table` / `@Column` / `@ForeignKey` /
  `@BelongsTo` / `@HasMany` / `@HasOne` / `@BelongsToMany` classes.

With `index=True` a loader joins them: `models/index.{js,ts}` exporting `initModels(sequelize)`
(init flavours; it runs every `init`, then every `associate`), or the list of classes for
`new Sequelize({ models })` (sequelize-typescript).

The models build the same tables as the schema: `sequelize_plan.py` says what each must
declare; this module only writes it. `sequelize_flavour` tells which flavour a project uses.
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping, Sequence
from typing import Any, Literal

from schemasense.codegen.emit.migrations.files import GeneratedFile, join
from schemasense.codegen.emit.models.sequelize_js import Code, Expanded, js
from schemasense.codegen.emit.models.sequelize_js import Literal as SqlLiteral
from schemasense.codegen.emit.models.sequelize_plan import (
    AssocPlan,
    AttrPlan,
    ModelPlan,
    plan_models,
)
from schemasense.codegen.emit.models.sequelize_types import DIALECT
from schemasense.codegen.emit.style import CodeStyle
from schemasense.codegen.schema import Schema, Table

Flavour = Literal["init", "typescript"]


def sequelize_flavour(versions: Mapping[str, str]) -> Flavour:
    """The flavour of a project from its package.json dependencies (`SequelizeSetup.versions`):
    sequelize-typescript's decorators where it depends on it, `Model.init` otherwise."""
    return "typescript" if "sequelize-typescript" in versions else "init"


def sequelize_model_files(
    schema: Schema,
    tables: Sequence[str | Table] | None,
    style: CodeStyle,
    *,
    flavour: Flavour | None = None,
    dialect: str | None = None,
    folder: str = "models",
    define: Mapping[str, Any] | None = None,
    index: bool = False,
    unique_indexes: bool | None = None,
) -> list[GeneratedFile]:
    """The model files of `tables` (tables, or their database or model names; None: all) of
    `schema`, as `<folder>/<file>` (`folder=""`: the file names alone).

    `dialect` is Sequelize's (`postgres`, `mysql`, `mariadb`, `sqlite`; default: the schema's
    provider); `define` the project's `new Sequelize({ define })` options, which every model
    starts from; `index` adds the loader; `unique_indexes` see `plan_models`."""
    dialect = dialect or DIALECT.get(schema.provider or "", "postgres")
    if flavour is None:
        flavour = "init"
    if style.language == "js":
        flavour = "init"
    plans = plan_models(schema, tables, dialect, define, unique_indexes=unique_indexes)
    ext = "ts" if style.language == "ts" else "js"
    stems = {p.name: style.file_stem(p.name) for p in plans}
    out = []
    for plan in plans:
        if style.language == "js":
            text = _js_model(plan, style)
        elif flavour == "typescript":
            text = _decorated_model(plan, style, stems)
        else:
            text = _ts_model(plan, style)
        out.append(GeneratedFile(join(folder, f"{stems[plan.name]}.{ext}"), text))
    if index and plans:
        if style.language == "js":
            text = _js_index(plans, style, stems)
        elif flavour == "typescript":
            text = _decorated_index(plans, style, stems)
        else:
            text = _ts_index(plans, style, stems)
        out.append(GeneratedFile(join(folder, f"index.{ext}"), text))
    return out


# -- shared pieces ---------------------------------------------------------------------------


def _type(attr: AttrPlan, holder: str, style: CodeStyle) -> object:
    text = attr.type.text(holder, style.string, typescript=style.language == "ts")
    return attr.type.raw if text is None else Code(text)


def _attribute_value(
    attr: AttrPlan, holder: str, style: CodeStyle, shorthand: bool = True
) -> object:
    options = {k: _holder(v, holder) for k, v in attr.options.items()}
    if shorthand and not options:
        return _type(attr, holder, style)
    return Expanded({"type": _type(attr, holder, style), **options})


def _holder(value: object, holder: str) -> object:
    if isinstance(value, Code) and value.text.startswith("DataTypes."):
        return Code(holder + value.text[len("DataTypes") :])
    return value


def _uses_literal(plan: ModelPlan) -> bool:
    """Whether the model writes `Sequelize.literal(...)` (and so imports `Sequelize`)."""
    return any(_has_literal(a.options) for a in plan.attributes) or _has_literal(plan.options)


def _has_literal(value: object) -> bool:
    if isinstance(value, SqlLiteral):
        return True
    if isinstance(value, dict):
        return any(_has_literal(v) for v in value.values())
    if isinstance(value, list | tuple):
        return any(_has_literal(v) for v in value)
    return False


def _notes(plan: ModelPlan, pad: str) -> list[str]:
    """What the model cannot say, as `//` comments wrapped at the line width."""
    width = max(40, 100 - len(pad) - 3)
    return [f"{pad}// {line}" for note in plan.notes for line in textwrap.wrap(note, width)]


def _association_options(assoc: AssocPlan, through: object | None) -> dict[str, Any]:
    options: dict[str, Any] = {}
    for k, v in assoc.options.items():
        if k == "foreignKey" and through is not None:
            options["through"] = through
        options[k] = v
    return options


def _association_call(plan: ModelPlan, assoc: AssocPlan, style: CodeStyle, depth: int) -> str:
    through = {"model": Code(f"models.{assoc.through}"), "unique": False} if assoc.through else None
    options = _association_options(assoc, through)
    args = f"models.{assoc.target}"
    if options:
        args += ", " + js(options, style, depth)
    return f"{plan.name}.{assoc.kind}({args}){style.end()}"


def _model_options(plan: ModelPlan) -> dict[str, Any]:
    return Expanded({"sequelize": Code("sequelize"), "modelName": plan.name, **plan.options})


# -- JavaScript (sequelize-cli) --------------------------------------------------------------


def _js_model(plan: ModelPlan, style: CodeStyle) -> str:
    i, e, q = style.indent, style.end(), style.string
    names = ["Model", *(["Sequelize"] if _uses_literal(plan) else [])]
    lines = []
    if style.module == "commonjs":
        lines += [
            f"{q('use strict')}{e}",
            f"const {{ {', '.join(names)} }} = require({q('sequelize')}){e}",
            "",
        ]
        lines.append("module.exports = (sequelize, DataTypes) => {")
    else:
        lines += [f"import {{ {', '.join(names)} }} from {q('sequelize')}{e}", ""]
        lines.append("export default (sequelize, DataTypes) => {")
    lines += _notes(plan, i)
    if plan.associations:
        lines.append(f"{i}class {plan.name} extends Model {{")
        lines.append(f"{i * 2}static associate(models) {{")
        for assoc in plan.associations:
            lines.append(i * 3 + _association_call(plan, assoc, style, 3))
        lines += [f"{i * 2}}}", f"{i}}}"]
    else:
        lines.append(f"{i}class {plan.name} extends Model {{}}")
    attributes = Expanded(
        {a.name: _attribute_value(a, "DataTypes", style) for a in plan.attributes if not a.omitted}
    )
    lines.append(f"{i}{plan.name}.init(")
    lines.append(f"{i * 2}{js(attributes, style, 2)},")
    lines.append(f"{i * 2}{js(_model_options(plan), style, 2)},")
    lines.append(f"{i}){e}")
    if plan.remove_id:
        lines.append(f"{i}{plan.name}.removeAttribute({q('id')}){e}")
    lines.append(f"{i}return {plan.name}{e}")
    lines.append(f"}}{e}")
    return "\n".join(lines) + "\n"


def _js_index(plans: list[ModelPlan], style: CodeStyle, stems: dict[str, str]) -> str:
    i, e, q = style.indent, style.end(), style.string
    lines = []
    if style.module == "commonjs":
        lines += [f"{q('use strict')}{e}", f"const {{ DataTypes }} = require({q('sequelize')}){e}"]
        for p in plans:
            lines.append(f"const define{p.name} = require({q('./' + stems[p.name])}){e}")
    else:
        lines.append(f"import {{ DataTypes }} from {q('sequelize')}{e}")
        for p in plans:
            lines.append(f"import define{p.name} from {q('./' + stems[p.name] + '.js')}{e}")
    lines += [
        "",
        "function initModels(sequelize) {",
        f"{i}const models = {{}}{e}",
    ]
    for p in plans:
        lines.append(f"{i}models.{p.name} = define{p.name}(sequelize, DataTypes){e}")
    lines.append(f"{i}for (const model of Object.values(models)) {{")
    lines.append(f"{i * 2}if (model.associate) model.associate(models){e}")
    lines += [f"{i}}}", f"{i}return models{e}", "}", ""]
    if style.module == "commonjs":
        lines.append(f"module.exports = {{ initModels }}{e}")
    else:
        lines.append(f"export {{ initModels }}{e}")
    return "\n".join(lines) + "\n"


# -- TypeScript, Model.init with declare fields ----------------------------------------------


def _ts_field_type(attr: AttrPlan, style: CodeStyle) -> str:
    ts = attr.type.ts_type(style.string)
    if attr.column.nullable:
        ts = f"{ts} | null"
    return f"CreationOptional<{ts}>" if attr.optional else ts


def _ts_model(plan: ModelPlan, style: CodeStyle) -> str:
    i, e, q = style.indent, style.end(), style.string
    values = ["DataTypes", "Model", *(["Sequelize"] if _uses_literal(plan) else [])]
    types = ["CreationOptional", "InferAttributes", "InferCreationAttributes"]
    if plan.associations:
        types.append("ModelStatic")
    if not _uses_literal(plan):
        types.append("Sequelize")
    imports = [*values, *(f"type {t}" for t in types)]
    lines = [_import(imports, q("sequelize"), style), ""]
    lines += _notes(plan, "")
    lines.append(
        f"export class {plan.name} extends Model<InferAttributes<{plan.name}>, "
        f"InferCreationAttributes<{plan.name}>> {{"
    )
    for attr in plan.attributes:
        lines.append(f"{i}declare {_ts_key(attr.name, style)}: {_ts_field_type(attr, style)}{e}")
    if plan.associations:
        lines.append("")
        lines.append(f"{i}static associate(models: Record<string, ModelStatic<Model>>): void {{")
        for assoc in plan.associations:
            lines.append(i * 2 + _association_call(plan, assoc, style, 2))
        lines.append(f"{i}}}")
    lines += ["}", ""]
    attributes = Expanded(
        {a.name: _attribute_value(a, "DataTypes", style, shorthand=False) for a in plan.attributes}
    )
    lines.append(f"export function init{plan.name}(sequelize: Sequelize): typeof {plan.name} {{")
    lines.append(f"{i}{plan.name}.init(")
    lines.append(f"{i * 2}{js(attributes, style, 2)},")
    lines.append(f"{i * 2}{js(_model_options(plan), style, 2)},")
    lines.append(f"{i}){e}")
    if plan.remove_id:
        lines.append(f"{i}{plan.name}.removeAttribute({q('id')}){e}")
    lines.append(f"{i}return {plan.name}{e}")
    lines.append("}")
    return "\n".join(lines) + "\n"


def _ts_key(name: str, style: CodeStyle) -> str:
    from schemasense.codegen.emit.models.sequelize_js import key

    return key(name, style)


def _import_path(stem: str, style: CodeStyle) -> str:
    return "./" + stem + (".js" if style.module == "esm" and style.language == "js" else "")


def _ts_index(plans: list[ModelPlan], style: CodeStyle, stems: dict[str, str]) -> str:
    i, e, q = style.indent, style.end(), style.string
    lines = [f"import type {{ Sequelize }} from {q('sequelize')}{e}"]
    for p in plans:
        lines.append(
            f"import {{ {p.name}, init{p.name} }} from {q(_import_path(stems[p.name], style))}{e}"
        )
    lines += ["", "export function initModels(sequelize: Sequelize) {"]
    for p in plans:
        lines.append(f"{i}init{p.name}(sequelize){e}")
    names = ", ".join(p.name for p in plans)
    lines.append(f"{i}const models = {{ {names} }}{e}")
    for p in plans:
        if p.associations:
            lines.append(f"{i}{p.name}.associate(models){e}")
    lines += [f"{i}return models{e}", "}"]
    return "\n".join(lines) + "\n"


# -- sequelize-typescript --------------------------------------------------------------------


def _decorated_model(plan: ModelPlan, style: CodeStyle, stems: dict[str, str]) -> str:
    i, e, q = style.indent, style.end(), style.string
    decorators = {"Column", "DataType", "Model", "Table"}
    others: list[str] = []
    body: list[str] = []
    for attr in plan.attributes:
        if attr.omitted:
            continue
        if attr.references:
            decorators.add("ForeignKey")
            body.append(f"{i}@ForeignKey(() => {attr.references})")
            others.append(attr.references)
        value = _attribute_value(attr, "DataType", style, shorthand=False)
        body.append(f"{i}@Column({js(value, style, 1)})")
        body.append(f"{i}declare {_ts_key(attr.name, style)}: {_ts_decorated_type(attr, style)}{e}")
        body.append("")
    kinds = {
        "belongsTo": "BelongsTo",
        "hasMany": "HasMany",
        "hasOne": "HasOne",
        "belongsToMany": "BelongsToMany",
    }
    for assoc in plan.associations:
        decorator = kinds[assoc.kind]
        decorators.add(decorator)
        others.append(assoc.target)
        through = None
        if assoc.through:
            others.append(assoc.through)
            through = {"model": Code(f"() => {assoc.through}"), "unique": False}
        options = {k: v for k, v in _association_options(assoc, through).items() if k != "as"}
        text = f"() => {assoc.target}"
        if options:
            text += ", " + js(options, style, 1)
        body.append(f"{i}@{decorator}({text})")
        many = assoc.kind in ("hasMany", "belongsToMany")
        target = f"{assoc.target}[]" if many else assoc.target
        body.append(f"{i}declare {_ts_key(assoc.alias, style)}?: {target}{e}")
        body.append("")
    if body and body[-1] == "":
        body.pop()
    uses_literal = _uses_literal(plan)
    imports = sorted(decorators | ({"Sequelize"} if uses_literal else set()))
    lines = [_import(imports, q("sequelize-typescript"), style)]
    for other in sorted(set(others) - {plan.name}):
        lines.append(
            f"import {{ {other} }} from {q(_import_path(stems.get(other, other), style))}{e}"
        )
    lines.append("")
    lines += _notes(plan, "")
    table_options = {"modelName": plan.name, "tableName": plan.table.name, **plan.options}
    lines.append(f"@Table({js(table_options, style, 0)})")
    lines.append(f"export class {plan.name} extends Model {{")
    lines += body
    lines.append("}")
    if plan.remove_id:
        # sequelize-typescript gives the model an `id` when it registers it; before that
        # `removeAttribute` would throw, so the removal is a function to call afterwards.
        lines += [
            "",
            "/** The table has no primary key, but sequelize-typescript gives every model an",
            " * `id` when it is registered: call this once it is (`new Sequelize({ models })`",
            " * or `sequelize.addModels(...)`). */",
            f"export function remove{plan.name}Id(): void {{",
            f"{style.indent}{plan.name}.removeAttribute({q('id')}){e}",
            "}",
        ]
    return "\n".join(lines) + "\n"


def _import(names: list[str], module: str, style: CodeStyle) -> str:
    """`import { a, b } from "m";`, one name a line when it is longer than a line."""
    line = f"import {{ {', '.join(names)} }} from {module}{style.end()}"
    if len(line) <= 100:
        return line
    inner = "".join(f"{style.indent}{n},\n" for n in names)
    return f"import {{\n{inner}}} from {module}{style.end()}"


def _ts_decorated_type(attr: AttrPlan, style: CodeStyle) -> str:
    ts = attr.type.ts_type(style.string)
    return f"{ts} | null" if attr.column.nullable else ts


def _decorated_index(plans: list[ModelPlan], style: CodeStyle, stems: dict[str, str]) -> str:
    e, q = style.end(), style.string
    lines = []
    for p in plans:
        lines.append(f"import {{ {p.name} }} from {q(_import_path(stems[p.name], style))}{e}")
    lines += ["", f"export const models = [{', '.join(p.name for p in plans)}]{e}"]
    return "\n".join(lines) + "\n"

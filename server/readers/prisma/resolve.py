"""Build the `Database` from syntax trees: names, then types, then attributes and relations.

Each phase reports with Prisma's wording and stops the later phases when it found an error,
as psl's `ParserDatabase::new` does.
"""

from __future__ import annotations

from collections.abc import Mapping

from schemasense.server.readers.prisma import ast, problems
from schemasense.server.readers.prisma.arguments import (
    ArgumentReader,
    constant_value,
    describe,
    field_references,
    string_value,
)
from schemasense.server.readers.prisma.config import read_config
from schemasense.server.readers.prisma.database import (
    REFERENTIAL_ACTIONS,
    SCALAR_TYPES,
    Database,
    DefaultInfo,
    EnumInfo,
    FieldInfo,
    IndexFieldInfo,
    IndexInfo,
    ModelInfo,
    NativeTypeInfo,
)
from schemasense.server.readers.prisma.relations import infer_relations

_TOP_KIND = {"model": "model", "view": "view", "type": "composite type"}
_FIELD_ATTRIBUTES = {
    "id",
    "unique",
    "default",
    "map",
    "relation",
    "updatedAt",
    "ignore",
    "shardKey",
}
_BLOCK_ATTRIBUTES = {"id", "unique", "index", "fulltext", "map", "schema", "ignore", "shardKey"}


def build_database(asts: Mapping[str, ast.SchemaAst]) -> Database:
    db = Database(asts=dict(asts))
    read_config(db)
    _resolve_names(db)
    if db.has_errors():
        return db
    db.phase_reached = 1
    _resolve_types(db)
    if db.has_errors():
        return db
    db.phase_reached = 2
    for model in db.models.values():
        _resolve_model_attributes(db, model)
    for enum in db.enums.values():
        _resolve_enum_attributes(db, enum)
    infer_relations(db)
    db.phase_reached = 3
    return db


# -- phase 1: names -----------------------------------------------------------------------------


def _resolve_names(db: Database) -> None:
    seen: dict[str, str] = {}
    for file, tree in db.asts.items():
        for top in tree.tops:
            if isinstance(top, ast.ConfigBlock):
                continue
            if isinstance(top, ast.Model):
                kind = _TOP_KIND[top.kind]
            else:
                kind = "enum"
            name = top.name.name
            if name in SCALAR_TYPES:
                db.findings.append(
                    problems.problem(
                        problems.DUPLICATE,
                        f'"{name}" is a reserved scalar type name and cannot be used.',
                        file,
                        top.name.span,
                    )
                )
                continue
            if name in seen:
                db.findings.append(
                    problems.problem(
                        problems.DUPLICATE,
                        f'The {kind} "{name}" cannot be defined because a {seen[name]} with that '
                        "name already exists.",
                        file,
                        top.name.span,
                    )
                )
                continue
            seen[name] = kind
            if isinstance(top, ast.Model):
                model = ModelInfo(ast=top, file=file, db_name=name)
                db.models[name] = model
                _check_duplicate_fields(db, model)
            else:
                enum = EnumInfo(ast=top, file=file, db_name=name)
                db.enums[name] = enum
                values: set[str] = set()
                for value in top.values:
                    if value.name.name in values:
                        db.findings.append(
                            problems.problem(
                                problems.DUPLICATE,
                                f'Value "{value.name.name}" is already defined on enum "{name}".',
                                file,
                                value.name.span,
                            )
                        )
                    values.add(value.name.name)


def _check_duplicate_fields(db: Database, model: ModelInfo) -> None:
    names: set[str] = set()
    container = _TOP_KIND[model.kind]
    for f in model.ast.fields:
        if f.name.name in names:
            db.findings.append(
                problems.problem(
                    problems.DUPLICATE,
                    f'Field "{f.name.name}" is already defined on {container} "{model.name}".',
                    model.file,
                    f.name.span,
                )
            )
        names.add(f.name.name)


# -- phase 2: types -----------------------------------------------------------------------------


def _resolve_types(db: Database) -> None:
    seen_fields: set[tuple[str, str]] = set()
    for model in db.models.values():
        for f in model.ast.fields:
            if (model.name, f.name.name) in seen_fields:
                continue
            seen_fields.add((model.name, f.name.name))
            if f.type is None:
                continue
            type_name = f.type.name
            if f.type.unsupported:
                kind = "unsupported"
            elif type_name in SCALAR_TYPES:
                kind = "scalar"
            elif type_name in db.enums:
                kind = "enum"
            elif type_name in db.models:
                target = db.models[type_name]
                if target.kind == "type":
                    kind = "composite"
                elif model.kind == "type":
                    db.findings.append(
                        problems.problem(
                            problems.UNKNOWN_TYPE,
                            f'Error validating composite type "{model.name}": {type_name} refers '
                            "to a model, making this a relation field. Relation fields inside "
                            "composite types are not supported.",
                            model.file,
                            f.type.span,
                        )
                    )
                    continue
                else:
                    kind = "relation"
            else:
                db.findings.append(
                    problems.problem(
                        problems.UNKNOWN_TYPE,
                        f'Type "{type_name}" is neither a built-in type, nor refers to another '
                        "model, composite type, or enum.",
                        model.file,
                        f.type.span,
                    )
                )
                continue
            model.add_field(
                FieldInfo(
                    ast=f,
                    model=model,
                    kind=kind,
                    type_name=type_name,
                    arity=f.arity,
                    db_name=f.name.name,
                )
            )


# -- phase 3: attributes ------------------------------------------------------------------------


def _duplicate_attributes(db: Database, attributes: list[ast.Attribute], file: str, repeatable):
    counts: dict[str, int] = {}
    for a in attributes:
        counts[a.name.name] = counts.get(a.name.name, 0) + 1
    for a in attributes:
        name = a.name.name
        if counts[name] > 1 and name not in repeatable and not name.startswith("db."):
            prefix = "@@" if a.block else "@"
            db.findings.append(
                problems.problem(
                    problems.DUPLICATE,
                    f'Attribute "{prefix}{name}" can only be defined once.',
                    file,
                    a.name.span,
                )
            )


def _resolve_model_attributes(db: Database, model: ModelInfo) -> None:
    file = model.file
    for f in model.fields:
        _duplicate_attributes(db, f.ast.attributes, file, repeatable=())
        for attribute in f.ast.attributes:
            _field_attribute(db, model, f, attribute)
    _duplicate_attributes(
        db, model.ast.attributes, file, repeatable=("unique", "index", "fulltext")
    )
    for attribute in model.ast.attributes:
        _block_attribute(db, model, attribute)


def _field_attribute(db: Database, model: ModelInfo, f: FieldInfo, attribute: ast.Attribute):
    name = attribute.name.name
    file = model.file
    reader = ArgumentReader(attribute, file, db.findings)
    if "." in name:
        _native_type(db, f, attribute, reader)
        return
    if name not in _FIELD_ATTRIBUTES:
        db.findings.append(
            problems.problem(
                problems.ATTRIBUTE, f'Attribute not known: "@{name}".', file, attribute.name.span
            )
        )
        return
    if name == "map":
        value = string_value(reader, reader.required_default("name"), "name")
        if value is not None:
            f.db_name = value
            f.mapped = True
    elif name == "default":
        arg = reader.required_default("value")
        map_name = string_value(reader, reader.optional("map"), "map")
        if arg is not None and arg.value is not None:
            f.default = DefaultInfo(arg.value, map_name, attribute)
    elif name == "updatedAt":
        f.is_updated_at = True
    elif name == "ignore":
        f.ignored = True
    elif name == "id":
        if model.id is not None and not model.id.on_field:
            pass  # reported by the validation of compound ids
        index = _index_options(reader, "id")
        index.fields = [_single_field(f, reader, attribute)]
        index.on_field = True
        index.attribute = attribute
        index.file = file
        if model.id is None:
            model.id = index
        else:
            db.findings.append(
                problems.model_error(
                    _TOP_KIND[model.kind],
                    model.name,
                    "At most one field must be marked as the id field with the `@id` attribute.",
                    file,
                    model.ast.name.span,
                )
            )
    elif name == "unique":
        index = _index_options(reader, "unique")
        index.fields = [_single_field(f, reader, attribute)]
        index.on_field = True
        index.attribute = attribute
        index.file = file
        model.indexes.append(index)
    elif name == "relation":
        _relation_attribute(db, f, attribute, reader)
    elif name == "shardKey":
        pass
    reader.finish()


def _single_field(f: FieldInfo, reader: ArgumentReader, attribute) -> IndexFieldInfo:
    sort = constant_value(reader, reader.optional("sort"))
    length_arg = reader.optional("length")
    length = _int_value(reader, length_arg)
    return IndexFieldInfo(
        name=f.name,
        path=[f.name],
        sort=_sort(reader, sort, attribute),
        length=length,
        span=f.ast.name.span,
    )


def _sort(reader: ArgumentReader, sort: str | None, attribute) -> str | None:
    if sort is None:
        return None
    if sort not in ("Asc", "Desc"):
        reader.error(f"The `sort` argument can only be `Asc` or `Desc` you provided: {sort}.")
        return None
    return sort


def _int_value(reader: ArgumentReader, arg: ast.Argument | None) -> int | None:
    if arg is None or arg.value is None:
        return None
    if isinstance(arg.value, ast.NumericValue) and "." not in arg.value.text:
        return int(arg.value.text)
    reader.error(f"Expected a numeric value, but received {describe(arg.value)}.", arg.value.span)
    return None


def _index_options(reader: ArgumentReader, kind: str) -> IndexInfo:
    index = IndexInfo(kind=kind, fields=[])  # type: ignore[arg-type]
    if kind in ("id", "unique"):
        index.map = string_value(reader, reader.optional("map"), "map")
        clustered = constant_value(reader, reader.optional("clustered"))
        if clustered is not None:
            if clustered not in ("true", "false"):
                reader.error(f"Expected a boolean value, but received `{clustered}`.")
            else:
                index.clustered = clustered == "true"
    return index


def _native_type(db: Database, f: FieldInfo, attribute: ast.Attribute, reader: ArgumentReader):
    prefix, _, type_name = attribute.name.name.partition(".")
    args: list[str] = []
    for arg in reader.arguments:
        if arg.value is None:
            continue
        if isinstance(arg.value, ast.NumericValue):
            args.append(arg.value.text)
        elif isinstance(arg.value, ast.StringValue):
            args.append(arg.value.value)
        elif isinstance(arg.value, ast.ConstantValue):
            args.append(arg.value.name)
        else:
            args.append(describe(arg.value))
    f.native = NativeTypeInfo(datasource=prefix, name=type_name, args=args, attribute=attribute)


def _relation_attribute(db: Database, f: FieldInfo, attribute, reader: ArgumentReader) -> None:
    name_arg = reader.default("name")
    if name_arg is not None:
        f.relation_name = string_value(reader, name_arg, "name")
    f.relation_attribute = attribute
    fields_arg = reader.optional("fields")
    refs = field_references(reader, fields_arg, allow_args=False)
    if refs is not None:
        f.fields = [r[0] for r in refs]
        f.fields_span = fields_arg.value.span if fields_arg and fields_arg.value else None
    refs_arg = reader.optional("references")
    refs = field_references(reader, refs_arg, allow_args=False)
    if refs is not None:
        f.references = [r[0] for r in refs]
        f.references_span = refs_arg.value.span if refs_arg and refs_arg.value else None
    for option in ("onDelete", "onUpdate"):
        arg = reader.optional(option)
        value = constant_value(reader, arg)
        if value is None:
            continue
        if value not in REFERENTIAL_ACTIONS:
            reader.error(
                f"Invalid referential action: `{value}`",
                arg.value.span if arg and arg.value else None,
            )
            continue
        if option == "onDelete":
            f.on_delete = value
        else:
            f.on_update = value
    f.fk_map = string_value(reader, reader.optional("map"), "map")


def _block_attribute(db: Database, model: ModelInfo, attribute: ast.Attribute) -> None:
    name = attribute.name.name
    file = model.file
    if name not in _BLOCK_ATTRIBUTES:
        db.findings.append(
            problems.problem(
                problems.ATTRIBUTE, f'Attribute not known: "@@{name}".', file, attribute.name.span
            )
        )
        return
    reader = ArgumentReader(attribute, file, db.findings)
    if name == "map":
        value = string_value(reader, reader.required_default("name"), "name")
        if value is not None:
            model.db_name = value
            model.mapped = True
    elif name == "schema":
        model.db_schema = string_value(reader, reader.required_default("name"), "name")
        model.schema_attribute = attribute
    elif name == "ignore":
        model.ignored = True
    elif name in ("id", "unique", "index", "fulltext"):
        kind = {"id": "id", "unique": "unique", "index": "normal", "fulltext": "fulltext"}[name]
        fields_arg = reader.required_default("fields")
        refs = field_references(reader, fields_arg, allow_args=True)
        index = _index_options(reader, kind)
        if kind in ("id", "unique"):
            index.name = string_value(reader, reader.optional("name"), "name")
        else:
            index.map = string_value(reader, reader.optional("map"), "map")
            name_arg = reader.optional("name")
            if name_arg is not None:
                # `name:` on @@index was renamed to `map:` in Prisma 3.
                index.map = index.map or string_value(reader, name_arg, "name")
        if kind == "normal":
            algorithm = constant_value(reader, reader.optional("type"))
            if algorithm is not None:
                index.algorithm = algorithm
            clustered = constant_value(reader, reader.optional("clustered"))
            if clustered is not None:
                index.clustered = clustered == "true"
        index.attribute = attribute
        index.file = file
        for ref_name, call, span in refs or []:
            item = IndexFieldInfo(name=ref_name.split(".")[0], path=ref_name.split("."), span=span)
            if call is not None:
                sub = ArgumentReader(
                    ast.Attribute(ast.Identifier(ref_name, call.name_span), call.arguments, span),
                    file,
                    db.findings,
                )
                item.sort = _sort(sub, constant_value(sub, sub.optional("sort")), attribute)
                item.length = _int_value(sub, sub.optional("length"))
                ops = sub.optional("ops")
                if ops is not None and ops.value is not None:
                    if isinstance(ops.value, ast.ConstantValue):
                        item.ops = ops.value.name
                    elif isinstance(ops.value, ast.FunctionCall) and ops.value.name == "raw":
                        inner = ops.value.arguments.arguments
                        if inner and isinstance(inner[0].value, ast.StringValue):
                            item.ops = inner[0].value.value
                sub.finish()
            index.fields.append(item)
        if kind == "id":
            if model.id is not None:
                db.findings.append(
                    problems.model_error(
                        _TOP_KIND[model.kind],
                        model.name,
                        "Each model must have at most one id criteria. You can't have `@id` and "
                        "`@@id` at the same time.",
                        file,
                        model.ast.name.span,
                    )
                )
            else:
                model.id = index
        elif refs is not None:
            model.indexes.append(index)
    reader.finish()


def _resolve_enum_attributes(db: Database, enum: EnumInfo) -> None:
    file = enum.file
    for value in enum.ast.values:
        db_name = value.name.name
        _duplicate_attributes(db, value.attributes, file, repeatable=())
        for attribute in value.attributes:
            if attribute.name.name != "map":
                db.findings.append(
                    problems.problem(
                        problems.ATTRIBUTE,
                        f'Attribute not known: "@{attribute.name.name}".',
                        file,
                        attribute.name.span,
                    )
                )
                continue
            reader = ArgumentReader(attribute, file, db.findings)
            mapped = string_value(reader, reader.required_default("name"), "name")
            reader.finish()
            if mapped is not None:
                db_name = mapped
        enum.values.append((value, db_name))
    _duplicate_attributes(db, enum.ast.attributes, file, repeatable=())
    for attribute in enum.ast.attributes:
        name = attribute.name.name
        if name not in ("map", "schema"):
            db.findings.append(
                problems.problem(
                    problems.ATTRIBUTE,
                    f'Attribute not known: "@@{name}".',
                    file,
                    attribute.name.span,
                )
            )
            continue
        reader = ArgumentReader(attribute, file, db.findings)
        value = string_value(reader, reader.required_default("name"), "name")
        reader.finish()
        if name == "map" and value is not None:
            enum.db_name = value
        elif name == "schema":
            enum.db_schema = value
            enum.schema_attribute = attribute

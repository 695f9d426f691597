"""Build the `Database` from syntax trees: names, then types, then attributes and relations.

Like psl's `parser-database` in Prisma 7, all four passes always run, each one working on what
the passes before it could resolve (a field whose type is unknown has no attributes read, a
second model of the same name is left out); only the validation pipeline (`validations/`) waits
for a schema without errors. Every problem is reported with Prisma's wording.
"""

from __future__ import annotations

import weakref
from collections.abc import Mapping

from schemasense.codegen.dialects import get_dialect
from schemasense.server.sources.prisma import ast, problems
from schemasense.server.sources.prisma.arguments import (
    ArgumentReader,
    constant_value,
    describe,
    field_references,
    string_value,
)
from schemasense.server.sources.prisma.config import read_config
from schemasense.server.sources.prisma.database import (
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
from schemasense.server.sources.prisma.defaults import check_composite_default, check_model_default
from schemasense.server.sources.prisma.relations import infer_relations

_TOP_KIND = {"model": "model", "view": "view", "type": "composite type"}
_IDENTIFIER_ITEM = {"model": "Model", "view": "view", "type": "Composite type"}
_FIELD_ITEM = {"model": "Field", "view": "field"}
_RESERVED_TYPE_NAMES = frozenset(
    (
        "PrismaClient",
        "Prisma",
        "async",
        "await",
        "break",
        "case",
        "catch",
        "class",
        "const",
        "continue",
        "debugger",
        "default",
        "delete",
        "do",
        "else",
        "enum",
        "export",
        "extends",
        "false",
        "finally",
        "for",
        "function",
        "if",
        "implements",
        "import",
        "in",
        "instanceof",
        "interface",
        "let",
        "new",
        "null",
        "package",
        "private",
        "protected",
        "public",
        "return",
        "super",
        "switch",
        "this",
        "throw",
        "true",
        "try",
        "typeof",
        "var",
        "void",
        "while",
        "with",
        "yield",
    )
)
_NOT_ON_COMPOSITE_FIELDS = ("id", "unique", "relation")
_OPERATOR_CLASSES = frozenset(get_dialect("postgresql").OPERATOR_CLASSES)  # type: ignore[union-attr]
"""Every operator class psl knows by name (PostgreSQL's; other connectors refuse them later)."""
_INDEX_KIND = {"id": "id", "unique": "unique", "index": "normal", "fulltext": "fulltext"}


def build_database(
    asts: Mapping[str, ast.SchemaAst], prisma_version: int | None = None
) -> Database:
    db = Database(asts=dict(asts), prisma_version=prisma_version)
    read_config(db)
    _resolve_names(db)
    db.phase_reached = 1
    _resolve_types(db)
    db.phase_reached = 2
    duplicates = [d for d in db.duplicates if isinstance(d, ModelInfo)]
    for model in [*db.models.values(), *duplicates]:
        if model.kind == "type":
            _resolve_composite_type_attributes(db, model)
        else:
            _resolve_model_attributes(db, model)
    for enum in [*db.enums.values(), *(d for d in db.duplicates if isinstance(d, EnumInfo))]:
        _resolve_enum_attributes(db, enum)
    infer_relations(db)
    db.phase_reached = 3
    return db


# -- pass 1: names ------------------------------------------------------------------------------


def _validate_identifier(db: Database, ident: ast.Identifier, item: str, file: str) -> None:
    name = ident.name
    if not name:
        message = f"The name of a {item} must not be empty."
    elif name[0].isnumeric():
        message = f"The name of a {item} must not start with a number."
    elif "-" in name:
        message = f"The character `-` is not allowed in {item} names."
    else:
        return
    db.findings.append(problems.validation_error(message, file, ident.span))


def _validate_attribute_identifiers(db: Database, attributes: list[ast.Attribute], file: str):
    for attribute in attributes:
        _validate_identifier(db, attribute.name, "Attribute", file)


def _resolve_names(db: Database) -> None:
    seen: dict[str, str] = {}
    for file, tree in db.asts.items():
        for top in tree.tops:
            if isinstance(top, ast.ConfigBlock):
                continue
            kind = _TOP_KIND[top.kind] if isinstance(top, ast.Model) else "enum"
            name = top.name.name
            if name in SCALAR_TYPES:
                db.findings.append(problems.reserved_scalar_type(name, file, top.name.span))
            if isinstance(top, ast.Enum):
                _enum_names(db, top, file)
            else:
                _model_names(db, top, file)
            if name in seen:
                db.findings.append(
                    problems.duplicate_top(kind, name, seen[name], file, top.name.span)
                )
                # psl still reads its attributes; the first of the name is the one we keep
                if isinstance(top, ast.Model):
                    db.duplicates.append(ModelInfo(ast=top, file=file, db_name=name))
                else:
                    db.duplicates.append(EnumInfo(ast=top, file=file, db_name=name))
                continue
            seen[name] = kind
            if isinstance(top, ast.Model):
                db.models[name] = ModelInfo(ast=top, file=file, db_name=name)
            else:
                db.enums[name] = EnumInfo(ast=top, file=file, db_name=name)


def _enum_names(db: Database, top: ast.Enum, file: str) -> None:
    _validate_identifier(db, top.name, "Enum", file)
    if top.name.name in _RESERVED_TYPE_NAMES:
        db.findings.append(problems.reserved_enum_name(top.name.name, file, top.span))
    _validate_attribute_identifiers(db, top.attributes, file)
    values: set[str] = set()
    for value in top.values:
        _validate_identifier(db, value.name, "Enum Value", file)
        _validate_attribute_identifiers(db, value.attributes, file)
        if value.name.name in values:
            db.findings.append(
                problems.duplicate_enum_value(top.name.name, value.name.name, file, value.span)
            )
        values.add(value.name.name)


def _model_names(db: Database, top: ast.Model, file: str) -> None:
    container = _TOP_KIND[top.kind]
    _validate_identifier(db, top.name, _IDENTIFIER_ITEM[top.kind], file)
    if top.kind != "type":
        if top.name.name in _RESERVED_TYPE_NAMES:
            db.findings.append(
                problems.reserved_model_name(top.kind, top.name.name, file, top.span)
            )
        _validate_attribute_identifiers(db, top.attributes, file)
    names: set[str] = set()
    for f in top.fields:
        if top.kind == "type":
            for attribute in f.attributes:
                if attribute.name.name in _NOT_ON_COMPOSITE_FIELDS:
                    db.findings.append(
                        problems.attribute_on_composite_field(attribute.name.name, file, f.span)
                    )
        else:
            _validate_identifier(db, f.name, _FIELD_ITEM[top.kind], file)
            _validate_attribute_identifiers(db, f.attributes, file)
        if f.name.name in names:
            db.findings.append(
                problems.duplicate_field(container, top.name.name, f.name.name, file, f.name.span)
            )
        names.add(f.name.name)


# -- pass 2: types ------------------------------------------------------------------------------


def _resolve_types(db: Database) -> None:
    for model in [*db.models.values(), *(d for d in db.duplicates if isinstance(d, ModelInfo))]:
        for f in model.ast.fields:
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
                db.findings.append(problems.unknown_type(type_name, model.file, f.type.span))
                continue
            model.add_field(
                FieldInfo(
                    ast=f,
                    model_ref=weakref.ref(model),
                    kind=kind,
                    type_name=type_name,
                    arity=f.arity,
                    db_name=f.name.name,
                )
            )


# -- pass 3: attributes -------------------------------------------------------------------------


class _Attributes:
    """psl's attribute visiting: take known attributes one by one; what is left is unknown.

    `single(name)` takes the attribute `name` (reporting every extra one as a duplicate),
    `repeated(name)` takes them all, `scoped()` the `@db.X` native type attribute; `finish()`
    reports every attribute nobody took.
    """

    __slots__ = ("by_name", "db", "file")

    def __init__(self, db: Database, attributes: list[ast.Attribute], file: str) -> None:
        self.db = db
        self.file = file
        self.by_name: dict[str, list[ast.Attribute]] = {}
        for a in attributes:
            self.by_name.setdefault(a.name.name, []).append(a)

    def single(self, name: str) -> ast.Attribute | None:
        found = self.by_name.pop(name, None)
        if not found:
            return None
        if len(found) > 1:  # psl reports each and reads none of them
            for a in found:
                prefix = "@@" if a.block else "@"
                self.db.findings.append(
                    problems.duplicate_attribute(prefix + name, self.file, a.name.span)
                )
            return None
        return found[0]

    def repeated(self, name: str) -> list[ast.Attribute]:
        return self.by_name.pop(name, [])

    def scoped(self) -> ast.Attribute | None:
        """The native type attribute (`@db.X`); a second one is a duplicate."""
        scoped = sorted(
            (a for name, found in self.by_name.items() if "." in name for a in found),
            key=lambda a: a.span,
        )
        if not scoped:
            return None
        for name in [n for n in self.by_name if "." in n]:
            del self.by_name[name]
        for a in scoped[1:]:
            prefix = a.name.name.partition(".")[0]
            self.db.findings.append(
                problems.duplicate_attribute("@" + prefix, self.file, a.name.span)
            )
        return scoped[0]

    def finish(self) -> None:
        left = [a for found in self.by_name.values() for a in found]
        left.sort(key=lambda a: a.span)
        for a in left:
            prefix = "@@" if a.block else "@"
            self.db.findings.append(
                problems.attribute_not_known(prefix + a.name.name, self.file, a.name.span)
            )


def _resolve_model_attributes(db: Database, model: ModelInfo) -> None:
    file = model.file
    for f in model.fields:
        if f.kind == "relation":
            _relation_field_attributes(db, model, f)
        else:
            _scalar_field_attributes(db, model, f)
    _mapped_field_names(db, model)
    attrs = _Attributes(db, model.ast.attributes, file)
    attribute = attrs.single("ignore")
    if attribute is not None:
        ArgumentReader(attribute, file, db.findings).finish()
        model.ignored = True
        for f in model.scalar_fields:
            if f.ignored:
                db.findings.append(problems.ignore_on_ignored_model(file, f.ast.span))
    attribute = attrs.single("id")
    if attribute is not None:
        _block_index(db, model, attribute, "id")
    attribute = attrs.single("map")
    if attribute is not None:
        value = _name_argument(db, attribute, file)
        if value is not None:
            model.db_name = value
            model.mapped = True
    attribute = attrs.single("schema")
    if attribute is not None:
        model.db_schema = _name_argument(db, attribute, file)
        model.schema_attribute = attribute
    for name in ("index", "unique", "fulltext"):
        for attribute in attrs.repeated(name):
            _block_index(db, model, attribute, name)
    attribute = attrs.single("shardKey")
    if attribute is not None:
        reader = ArgumentReader(attribute, file, db.findings)
        refs = field_references(reader, reader.required_default("fields"), allow_args=False)
        model.shard_key = (attribute, [name for name, _, _ in refs or []])
        reader.finish()
    attrs.finish()
    if model.id is not None and model.id.on_field and not model.ignored:
        f = model.field(model.id.fields[0].name)
        if f is not None and f.arity != "required" and model.id.attribute is not None:
            db.findings.append(
                problems.attribute_error(
                    problems.UNIQUE_CRITERIA,
                    "@id",
                    "Fields that are marked as id must be required.",
                    file,
                    model.id.attribute.span,
                )
            )


def _mapped_field_names(db: Database, model: ModelInfo) -> None:
    """psl's `map::scalar_field`: a `@map` name used twice, or equal to the name of another
    scalar field that is not mapped itself, is a duplicate field."""
    mapped: set[str] = set()
    last = {g.name: (i, g) for i, g in enumerate(model.fields)}  # psl's name map keeps the last
    for i, f in enumerate(model.fields):
        if not f.mapped or f.kind == "relation":
            continue
        j, other = last.get(f.db_name, (i, f))
        # the other field's own @map is known only if it comes first (psl reads fields in order)
        clash = f.db_name in mapped or (
            other is not f
            and other.kind != "relation"
            and (j > i or not other.mapped or other.db_name == f.db_name)
        )
        mapped.add(f.db_name)
        if clash:
            db.findings.append(
                problems.duplicate_field(
                    _TOP_KIND[model.kind], model.name, f.name, f.file, f.ast.span
                )
            )


def _scalar_field_attributes(db: Database, model: ModelInfo, f: FieldInfo) -> None:
    if not f.ast.attributes:
        return
    file = model.file
    attrs = _Attributes(db, f.ast.attributes, file)
    attribute = attrs.single("map")
    if attribute is not None:
        value = _name_argument(db, attribute, file)
        if value is not None:
            f.db_name = value
            f.mapped = True
    attribute = attrs.single("ignore")
    if attribute is not None:
        reader = ArgumentReader(attribute, file, db.findings)
        if f.kind == "unsupported":
            reader.error(
                "Fields of type `Unsupported` cannot take an `@ignore` attribute. They are "
                "already treated as ignored by the client due to their type."
            )
        else:
            f.ignored = True
        reader.finish()
    attribute = attrs.single("relation")
    if attribute is not None:
        reader = ArgumentReader(attribute, file, db.findings)
        reader.error("Invalid field type, not a relation.")
        reader.finish()
    attribute = attrs.single("id")
    if attribute is not None:
        _field_id(db, model, f, attribute)
    attribute = attrs.single("updatedAt")
    if attribute is not None:
        reader = ArgumentReader(attribute, file, db.findings)
        if f.type_name != "DateTime" or f.kind != "scalar":
            reader.error(
                "Fields that are marked with @updatedAt must be of type DateTime.",
                code=problems.ATTRIBUTE,
            )
        if f.is_list:
            reader.error(
                "Fields that are marked with @updatedAt cannot be lists.", code=problems.ATTRIBUTE
            )
        f.is_updated_at = True
        reader.finish()
    attribute = attrs.single("default")
    if attribute is not None:
        reader = ArgumentReader(attribute, file, db.findings)
        arg = reader.required_default("value")
        map_name = _map_name(reader)
        if arg is not None and arg.value is not None:
            accepted = check_model_default(db, f, reader, arg.value, map_name is not None)
            if accepted:
                f.default = DefaultInfo(arg.value, map_name, attribute)
        reader.finish()
    if f.kind == "scalar":
        attribute = attrs.scoped()
        if attribute is not None:
            _native_type(db, f, attribute)
    attribute = attrs.single("unique")
    if attribute is not None:
        reader = ArgumentReader(attribute, file, db.findings)
        index = _index_options(reader, "unique")
        index.fields = [_single_field(f, reader)]
        index.on_field = True
        index.attribute = attribute
        index.file = file
        model.indexes.append(index)
        reader.finish()
    attribute = attrs.single("shardKey")
    if attribute is not None:
        reader = ArgumentReader(attribute, file, db.findings)
        if model.shard_key is not None:
            db.findings.append(
                problems.model_error(
                    _TOP_KIND[model.kind],
                    model.name,
                    "At most one field must be marked as the shard key with the `@shardKey` "
                    "attribute.",
                    file,
                    model.ast.span,
                )
            )
        elif f.arity != "required":
            reader.error("Fields that are marked as shard keys must be required.")
        reader.finish()
        if model.shard_key is None:
            model.shard_key = (attribute, [f.name])
    attrs.finish()


def _field_id(db: Database, model: ModelInfo, f: FieldInfo, attribute: ast.Attribute) -> None:
    file = model.file
    reader = ArgumentReader(attribute, file, db.findings)
    if model.id is not None:
        db.findings.append(
            problems.model_error(
                _TOP_KIND[model.kind],
                model.name,
                "At most one field must be marked as the id field with the `@id` attribute.",
                file,
                model.ast.span,
            )
        )
        reader.finish()
        return
    index = _index_options(reader, "id")
    index.fields = [_single_field(f, reader)]
    index.on_field = True
    index.attribute = attribute
    index.file = file
    model.id = index
    reader.finish()


def _relation_field_attributes(db: Database, model: ModelInfo, f: FieldInfo) -> None:
    if not f.ast.attributes:
        return
    file = model.file
    attrs = _Attributes(db, f.ast.attributes, file)
    attribute = attrs.single("relation")
    if attribute is not None:
        reader = ArgumentReader(attribute, file, db.findings)
        _relation_attribute(db, f, attribute, reader)
        reader.finish()
    attribute = attrs.single("id")
    if attribute is not None:
        ArgumentReader(attribute, file, db.findings).error(
            f"The field `{f.name}` is a relation field and cannot be marked with `@id`. Only "
            "scalar fields can be declared as id.",
            code=problems.UNIQUE_CRITERIA,
        )
    attribute = attrs.single("ignore")
    if attribute is not None:
        f.ignored = True
        ArgumentReader(attribute, file, db.findings).finish()
    attribute = attrs.single("default")
    if attribute is not None:
        ArgumentReader(attribute, file, db.findings).error(
            "Cannot set a default value on a relation field.", code=problems.DEFAULT
        )
    attribute = attrs.single("map")
    if attribute is not None:
        reader = ArgumentReader(attribute, file, db.findings)
        reader.error("The attribute `@map` cannot be used on relation fields.")
        reader.required_default("name")
    attribute = attrs.single("unique")
    if attribute is not None:
        scalars = f.fields or []
        if len(scalars) == 1:
            suggestion = f" Did you mean to put it on `{scalars[0]}`?"
        elif scalars:
            suggestion = f" Did you mean to provide `@@unique([{', '.join(scalars)}])`?"
        else:
            suggestion = ""
        ArgumentReader(attribute, file, db.findings).error(
            f"The field `{f.name}` is a relation field and cannot be marked with `unique`. Only "
            f"scalar fields can be made unique.{suggestion}",
            code=problems.INDEX,
        )
    attrs.finish()


def _resolve_composite_type_attributes(db: Database, model: ModelInfo) -> None:
    file = model.file
    for f in model.fields:
        attrs = _Attributes(db, f.ast.attributes, file)
        if f.kind == "scalar":
            attribute = attrs.scoped()
            if attribute is not None:
                _native_type(db, f, attribute)
        attribute = attrs.single("map")
        if attribute is not None:
            value = _name_argument(db, attribute, file)
            if value is not None:
                f.db_name = value
                f.mapped = True
        attribute = attrs.single("default")
        if attribute is not None:
            reader = ArgumentReader(attribute, file, db.findings)
            arg = reader.required_default("value")
            map_arg = reader.optional("map")
            if map_arg is not None:
                reader.error(
                    "A `map` argument for the default value of a field on a composite type is "
                    "not allowed. Consider removing it.",
                    code=problems.DEFAULT,
                )
            value = arg.value if arg is not None else None
            if value is not None and check_composite_default(db, f, reader, value):
                f.default = DefaultInfo(value, None, attribute)
            reader.finish()
        attrs.finish()
    for attribute in model.ast.attributes:
        prefix = "@@"
        db.findings.append(
            problems.attribute_not_known(prefix + attribute.name.name, file, attribute.name.span)
        )


def _name_argument(db: Database, attribute: ast.Attribute, file: str) -> str | None:
    """The string of a `@map` / `@@map` / `@@schema` attribute (its `name`, or unnamed first
    argument); a missing, non-string or extra argument is reported."""
    reader = ArgumentReader(attribute, file, db.findings)
    value = string_value(reader, reader.required_default("name"), "name")
    reader.finish()
    return value


def _single_field(f: FieldInfo, reader: ArgumentReader) -> IndexFieldInfo:
    sort = constant_value(reader, reader.optional("sort"))
    length_arg = reader.optional("length")
    length = _int_value(reader, length_arg)
    return IndexFieldInfo(
        name=f.name,
        path=[f.name],
        sort=_sort(reader, sort),
        length=length,
        span=f.ast.name.span,
    )


def _sort(reader: ArgumentReader, sort: str | None) -> str | None:
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
    reader.findings.append(
        problems.expected_value("numeric", arg.value, reader.file, arg.value.span)
    )
    return None


def _bool_value(reader: ArgumentReader, arg: ast.Argument | None) -> bool | None:
    if arg is None or arg.value is None:
        return None
    if isinstance(arg.value, ast.ConstantValue) and arg.value.name in ("true", "false"):
        return arg.value.name == "true"
    reader.findings.append(
        problems.expected_value("boolean", arg.value, reader.file, arg.value.span)
    )
    return None


def _map_name(reader: ArgumentReader, name: str = "map") -> str | None:
    value = string_value(reader, reader.optional(name), name)
    if value == "":
        reader.error(f"The `{name}` argument cannot be an empty string.")
        return None
    return value


def _index_options(reader: ArgumentReader, kind: str) -> IndexInfo:
    index = IndexInfo(kind=kind, fields=[])  # type: ignore[arg-type]
    if kind in ("id", "unique"):
        index.map = _map_name(reader)
        index.clustered = _bool_value(reader, reader.optional("clustered"))
    return index


def _native_type(db: Database, f: FieldInfo, attribute: ast.Attribute) -> None:
    prefix, _, type_name = attribute.name.name.partition(".")
    args: list[str] = []
    for arg in attribute.arguments.arguments if attribute.arguments else []:
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
    f.relation_attribute = attribute
    fields_arg = reader.optional("fields")
    refs = field_references(reader, fields_arg, allow_args=False)
    if refs is not None:
        f.fields = [r[0] for r in refs]
        f.fields_span = fields_arg.value.span if fields_arg and fields_arg.value else None
        _check_referenced_fields(db, f, f.model, f.fields, fields_arg, attribute, local=True)
    refs_arg = reader.optional("references")
    refs = field_references(reader, refs_arg, allow_args=False)
    if refs is not None:
        f.references = [r[0] for r in refs]
        f.references_span = refs_arg.value.span if refs_arg and refs_arg.value else None
        target = db.models.get(f.type_name)
        if target is not None:
            _check_referenced_fields(db, f, target, f.references, refs_arg, attribute, local=False)
    name_arg = reader.default("name")
    if name_arg is not None:
        name = string_value(reader, name_arg, "name")
        if name == "":
            reader.error("A relation cannot have an empty name.")
        elif name is not None:
            f.relation_name = name
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
    f.fk_map = _map_name(reader)


def _check_referenced_fields(db, f, model, names, arg, attribute, local: bool) -> None:
    """psl resolves `fields:` / `references:` while reading `@relation`; its errors come here."""
    unknown = [n for n in names if "." in n or model.field(n) is None]
    relational = [
        n
        for n in names
        if n not in unknown and model.field(n).kind == "relation"  # type: ignore[union-attr]
    ]
    file = f.file
    if local:
        span = arg.value.span if arg is not None and arg.value is not None else attribute.span
        if unknown:
            db.findings.append(
                problems.validation_error(
                    "The argument fields must refer only to existing fields. The following "
                    f"fields do not exist in this model: {', '.join(unknown)}",
                    file,
                    span,
                )
            )
        if relational:
            db.findings.append(
                problems.validation_error(
                    "The argument fields must refer only to scalar fields. But it is referencing "
                    f"the following relation fields: {', '.join(relational)}",
                    file,
                    span,
                )
            )
    else:
        if unknown:
            db.findings.append(
                problems.validation_error(
                    "The argument `references` must refer only to existing fields in the related "
                    f"model `{model.name}`. The following fields do not exist in the related "
                    f"model: {', '.join(unknown)}",
                    file,
                    attribute.span,
                )
            )
        if relational:
            db.findings.append(
                problems.validation_error(
                    "The argument `references` must refer only to scalar fields in the related "
                    f"model `{model.name}`. But it is referencing the following relation fields: "
                    f"{', '.join(relational)}",
                    file,
                    attribute.span,
                )
            )
    if unknown or relational:
        if local:
            f.fields_invalid = True
        else:
            f.references_invalid = True


def _block_index(db: Database, model: ModelInfo, attribute: ast.Attribute, name: str) -> None:
    file = model.file
    kind = _INDEX_KIND[name]
    reader = ArgumentReader(attribute, file, db.findings)
    fields_arg = reader.required_default("fields")
    refs = field_references(reader, fields_arg, allow_args=True)
    index = IndexInfo(kind=kind, fields=[])  # type: ignore[arg-type]
    index.attribute = attribute
    index.file = file
    resolved = refs is not None and _index_fields(db, model, index, refs, fields_arg, reader)
    if kind == "id":
        index.map = _map_name(reader)
        index.name = _map_name(reader, "name")
        index.clustered = _bool_value(reader, reader.optional("clustered"))
    elif kind == "unique":
        index.name = _map_name(reader, "name")
        index.map = _map_name(reader)
        index.clustered = _bool_value(reader, reader.optional("clustered"))
    elif kind == "normal":
        legacy_name = _map_name(reader, "name")
        index.map = _map_name(reader)
        if legacy_name is not None and index.map is not None:
            reader.error(
                "The `@@index` attribute accepts the `name` argument as an alias for the `map` "
                "argument for legacy reasons. It does not accept both though. Please use the "
                "`map` argument to specify the database name of the index."
            )
            index.map = None
        elif legacy_name is not None:
            index.map = legacy_name  # `name:` on @@index was renamed to `map:` in Prisma 3
        algorithm = constant_value(reader, reader.optional("type"))
        if algorithm is not None:
            if algorithm in ("BTree", "Hash", "Gist", "Gin", "SpGist", "Brin"):
                index.algorithm = algorithm
            else:
                reader.findings.append(
                    problems.attribute_error(
                        problems.INDEX,
                        "@index",
                        f"Unknown index type: {algorithm}.",
                        file,
                        attribute.span,
                    )
                )
        index.clustered = _bool_value(reader, reader.optional("clustered"))
        where = reader.optional("where")
        if where is not None:
            index.where = where
    else:
        index.map = _map_name(reader)
    if name in ("id", "unique") and index.name is not None:
        _validate_client_name(db, model, index.name, "@@" + name, attribute.span)
    reader.finish()
    if kind == "id":
        if not resolved:
            return
        optional = [
            i.name
            for i in index.fields
            if (fi := model.field(i.name)) is not None and fi.arity != "required"
        ]
        if optional and not model.ignored:
            db.findings.append(
                problems.model_error(
                    _TOP_KIND[model.kind],
                    model.name,
                    f"The id definition refers to the optional {_fields_word(optional)}. ID "
                    "definitions must reference only required fields.",
                    file,
                    attribute.span,
                )
            )
        if model.id is not None:
            db.findings.append(
                problems.model_error(
                    _TOP_KIND[model.kind],
                    model.name,
                    "Each model must have at most one id criteria. You can't have `@id` and "
                    "`@@id` at the same time.",
                    file,
                    model.ast.span,
                )
            )
        model.id = index
    elif resolved:
        model.indexes.append(index)


def _fields_word(names: list[str]) -> str:
    """psl's `format_fields_in_error_with_leading_word`."""
    if len(names) == 1:
        return f"field `{names[0]}`"
    return "fields " + ", ".join(f"`{n}`" for n in names)


def _validate_client_name(db, model: ModelInfo, name: str, attribute: str, span) -> None:
    if all(c == "_" or (c.isascii() and c.isalnum()) for c in name):
        return
    db.findings.append(
        problems.model_error(
            "model",
            model.name,
            f"The `name` property within the `{attribute}` attribute only allows for the "
            "following characters: `_a-zA-Z0-9`.",
            model.file,
            span,
        )
    )


def _index_fields(db, model: ModelInfo, index: IndexInfo, refs, fields_arg, reader) -> bool:
    """Resolve the fields an index names (following composite types for indexes), as psl's
    `resolve_field_array_with_args`; reports unknown and relation fields. True when resolved."""
    file = model.file
    attribute = index.attribute
    assert attribute is not None
    unknown: list[str] = []
    relational: list[str] = []
    seen: set[str] = set()
    for ref_name, call, span in refs:
        path = ref_name.split(".")
        first = model.field(path[0])
        if first is None:
            unknown.append(path[0] if len(path) > 1 else ref_name)
            continue
        if first.kind == "relation":
            relational.append(first.name)
            continue
        if len(path) > 1 and (index.kind == "id" or not _composite_path(db, first, path[1:])):
            unknown.append(ref_name)
            continue
        if ref_name in seen:
            db.findings.append(
                problems.model_error(
                    "model",
                    model.name,
                    f"The unique index definition refers to the field {ref_name} multiple times.",
                    file,
                    attribute.span,
                )
            )
            return False
        seen.add(ref_name)
        item = IndexFieldInfo(name=path[0], path=path, span=span)
        if call is not None:
            sub = ArgumentReader(
                ast.Attribute(ast.Identifier(ref_name, call.name_span), call.arguments, span),
                file,
                db.findings,
                check_trailing_comma=False,
            )
            _index_field_arguments(db, item, sub, file, "@@" + attribute.name.name)
        index.fields.append(item)
    if index.kind == "id":
        if unknown:
            db.findings.append(
                problems.model_error(
                    "model",
                    model.name,
                    "The multi field id declaration refers to the unknown "
                    f"{_fields_word(unknown)}.",
                    file,
                    fields_arg.value.span if fields_arg and fields_arg.value else attribute.span,
                )
            )
        if relational:
            db.findings.append(
                problems.model_error(
                    "model",
                    model.name,
                    f"The id definition refers to the relation {_fields_word(relational)}. ID "
                    "definitions must reference only scalar fields.",
                    file,
                    attribute.span,
                )
            )
        return not unknown and not relational
    prefix = "unique " if index.kind == "unique" else ""
    if unknown:
        db.findings.append(
            problems.model_error(
                "model",
                model.name,
                f"The {prefix}index definition refers to the unknown fields: {', '.join(unknown)}.",
                file,
                attribute.span,
            )
        )
    if relational:
        suggested = [
            name
            for r in relational
            for name in (model.field(r).fields or [])  # type: ignore[union-attr]
        ]
        suggestion = (
            f" Did you mean `@@{'unique' if index.kind == 'unique' else 'index'}"
            f"([{', '.join(suggested)}])`?"
            if suggested
            else ""
        )
        db.findings.append(
            problems.model_error(
                "model",
                model.name,
                f"The {prefix}index definition refers to the relation fields "
                f"{', '.join(relational)}. Index definitions must reference only scalar "
                f"fields.{suggestion}",
                file,
                attribute.span,
            )
        )
    return not unknown and not relational


def _index_field_arguments(
    db: Database, item: IndexFieldInfo, sub: ArgumentReader, file, display: str
) -> None:
    """`field(sort: Desc, length: 10, ops: JsonbPathOps)` inside `@@index([...])`, read as psl's
    `coerce_field_array_with_args` does (other arguments are ignored)."""

    def unexpected(expected: str, span) -> None:
        db.findings.append(
            problems.problem(
                problems.ARGUMENT, f"Unexpected token. Expected one of: {expected}", file, span
            )
        )

    for arg in sub.arguments:
        if arg.name is not None and arg.value is None:
            sub.findings.append(
                problems.attribute_error(
                    problems.ARGUMENT,
                    display,
                    f"The `{arg.name.name}` argument is missing a value.",
                    file,
                    arg.span,
                )
            )
    sort = sub.optional("sort")
    if sort is not None and sort.value is not None:
        value = sort.value
        if isinstance(value, ast.ConstantValue) and value.name in ("Asc", "Desc"):
            item.sort = value.name  # type: ignore[assignment]
        else:
            unexpected("Asc, Desc", value.span)
    item.length = _int_value(sub, sub.optional("length"))
    ops = sub.optional("ops")
    if ops is None or ops.value is None:
        return
    value = ops.value
    if isinstance(value, ast.FunctionCall) and value.name == "raw":
        inner = value.arguments.arguments
        if inner and isinstance(inner[0].value, ast.StringValue):
            item.ops = inner[0].value.value
            item.ops_raw = True
        else:
            unexpected("Invalid parameter type: expected string", value.span)
    elif isinstance(value, ast.ConstantValue) and value.name in _OPERATOR_CLASSES:
        item.ops = value.name
    else:
        name = value.name if isinstance(value, ast.ConstantValue) else problems.render(value)
        unexpected(f"Invalid operator class: {name}", value.span)


def _composite_path(db: Database, first: FieldInfo, rest: list[str]) -> bool:
    """Whether `first.rest[0].rest[1]...` walks through composite types to a field."""
    current = first
    for i, name in enumerate(rest):
        if current.kind != "composite":
            return False
        target = db.models.get(current.type_name)
        nxt = target.field(name) if target is not None else None
        if nxt is None:
            return False
        current = nxt
        if i < len(rest) - 1 and current.kind != "composite":
            return False
    return True


def _resolve_enum_attributes(db: Database, enum: EnumInfo) -> None:
    file = enum.file
    if not enum.ast.values:
        db.findings.append(
            problems.validation_error("An enum must have at least one value.", file, enum.ast.span)
        )
    for value in enum.ast.values:
        db_name = value.name.name
        attrs = _Attributes(db, value.attributes, file)
        attribute = attrs.single("map")
        if attribute is not None:
            mapped = _name_argument(db, attribute, file)
            if mapped is not None:
                db_name = mapped
        attrs.finish()
        enum.values.append((value, db_name))
    attrs = _Attributes(db, enum.ast.attributes, file)
    for name in ("map", "schema"):
        attribute = attrs.single(name)
        if attribute is None:
            continue
        value = _name_argument(db, attribute, file)
        if name == "map" and value is not None:
            enum.db_name = value
        elif name == "schema":
            enum.db_schema = value
            enum.schema_attribute = attribute
    attrs.finish()

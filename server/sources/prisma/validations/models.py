"""Model validations (psl's `validations/models.rs`, `views.rs`, `autoincrement.rs`): unique
criteria, primary keys and their names, database names that collide, `@@schema`, views, shard
keys, `autoincrement()` per provider, and MongoDB's rules for ids."""

from __future__ import annotations

from schemasense.codegen.orms.prisma import naming
from schemasense.server.sources.prisma import ast, problems
from schemasense.server.sources.prisma.database import FieldInfo, IndexInfo, ModelInfo
from schemasense.server.sources.prisma.validations.context import (
    Context,
)
from schemasense.server.sources.prisma.validations.indexes import connector_index_checks


def _container(model: ModelInfo) -> str:
    return "view" if model.kind == "view" else "model"


def _model_error(ctx: Context, model: ModelInfo, message: str, span=None, code=None) -> None:
    ctx.push(
        problems.problem(
            code or problems.UNIQUE_CRITERIA,
            f'Error validating {_container(model)} "{model.name}": {message}',
            model.file,
            span or model.ast.span,
        )
    )


def _attribute_error(ctx: Context, name: str, message: str, file: str, span, code: str) -> None:
    ctx.push(problems.attribute_error(code, name, message, file, span))


def _attribute_name(index: IndexInfo) -> str:
    """`@id` or `@@id`, `@unique` or `@@unique`, `@@index`, `@@fulltext`."""
    base = {"id": "id", "unique": "unique", "normal": "index", "fulltext": "fulltext"}[index.kind]
    return ("@" if index.on_field else "@@") + base


def _attribute_span(model: ModelInfo, index: IndexInfo):
    return index.attribute.span if index.attribute is not None else model.ast.span


def _argument_span(index: IndexInfo, name: str):
    if index.attribute is None:
        return None
    arg = index.attribute.argument(name)
    return arg.span if arg is not None else None


def database_name_clashes(ctx: Context) -> None:
    seen: dict[tuple[str | None, str], ModelInfo] = {}
    for model in ctx.db.real_models():
        key = (model.db_schema, model.db_name)
        existing = seen.get(key)
        seen[key] = model
        if existing is None:
            continue
        if model.mapped:
            ctx.push(_duplicate_table(model.db_name, existing.name, model))
        else:
            ctx.push(_duplicate_table(model.db_name, model.name, existing))


def _duplicate_table(db_name: str, other: str, carrier: ModelInfo):
    attribute = next((a for a in carrier.ast.attributes if a.name.name == "map"), None)
    return problems.problem(
        problems.NAME_COLLISION,
        f'The model with database name "{db_name}" could not be defined because another model '
        f'or view with this name exists: "{other}"',
        carrier.file,
        attribute.span if attribute is not None else carrier.ast.name.span,
    )


def validate_model(ctx: Context, model: ModelInfo) -> None:
    db = ctx.db
    if model.kind == "view" and "views" not in db.config.preview_features:
        ctx.push(
            problems.validation_error(
                "View definitions are only available with the `views` preview feature.",
                model.file,
                model.ast.span,
                code=problems.PROVIDER_FEATURE,
            )
        )
    _strict_unique_criteria(ctx, model)
    _primary_key_name(ctx, model)
    _custom_primary_key_name(ctx, model)
    _id_has_fields(ctx, model)
    _id_client_name(ctx, model)
    _primary_key_connector_specific(ctx, model)
    _primary_key_arguments(ctx, model)
    _only_one_fulltext(ctx, model)
    _schema_attribute(ctx, model)
    _connector_specific(ctx, model)
    _autoincrement(ctx, model)
    _shard_key(ctx, model)
    if model.kind == "view":
        if model.id is not None and _prisma7(ctx):
            ctx.push(
                problems.validation_error(
                    "Views cannot have primary keys.",
                    model.file,
                    _attribute_span(model, model.id),
                    code=problems.UNIQUE_CRITERIA,
                )
            )
        for index in model.indexes:
            if index.kind in ("normal", "fulltext"):
                ctx.push(
                    problems.validation_error(
                        "Views cannot have indexes.",
                        model.file,
                        _attribute_span(model, index),
                        code=problems.INDEX,
                    )
                )
    if model.id is not None:
        _primary_key_fields(ctx, model)


def _prisma7(ctx: Context) -> bool:
    version = ctx.db.prisma_version
    return version is not None and version >= 7


def _strict_unique_criteria(ctx: Context, model: ModelInfo) -> None:
    """Models need a unique criterion; views did up to Prisma 6 (Prisma 7 forbids their ids
    instead, see `validate_model`; with the version unknown, views are held to neither)."""
    if model.ignored:
        return
    if model.kind == "view" and (ctx.db.prisma_version is None or _prisma7(ctx)):
        return
    criteria = _unique_criteria(model)
    for fields in criteria:
        if all(f is not None and f.arity != "optional" and f.kind != "unsupported" for f in fields):
            return
    container = _container(model)
    message = (
        f"Each {container} must have at least one unique criteria that has only required fields. "
        "Either mark a single field with `@id`, `@unique` or add a multi field criterion with "
        f"`@@id([])` or `@@unique([])` to the {container}."
    )
    if criteria:
        loose = "\n".join(
            "- " + ", ".join(f.name for f in fields if f is not None) for fields in criteria
        )
        message += (
            " The following unique criterias were not considered as they contain fields that are "
            f"not required:\n{loose}"
        )
    _model_error(ctx, model, message)


def _unique_criteria(model: ModelInfo) -> list[list[FieldInfo | None]]:
    """psl's `unique_criterias`: the primary key, then every unique constraint."""
    criteria = []
    if model.id is not None:
        criteria.append([model.field(i.name) for i in model.id.fields])
    for index in model.indexes:
        if index.kind == "unique":
            criteria.append([model.field(i.name) for i in index.fields])
    return criteria


def _primary_key_name(ctx: Context, model: ModelInfo) -> None:
    index = model.id
    name = ctx.names.constraint_names.get(id(model))
    if index is None or name is None:
        return
    _db_name_too_long(ctx, model, index, name)
    scopes = ctx.dialect.CONSTRAINT_SCOPES if ctx.dialect is not None else ()
    for scope in ctx.names.violations(model, "primary_key", name, scopes):
        _attribute_error(
            ctx,
            _attribute_name(index),
            ctx.violation_message(name, scope, model),
            model.file,
            _argument_span(index, "map") or _attribute_span(model, index),
            problems.NAME_COLLISION,
        )


def _db_name_too_long(ctx: Context, model: ModelInfo, index: IndexInfo, name: str | None) -> None:
    """psl's `is_db_name_too_long`, for a name given with `map:`."""
    if index.map is None or name is None or not naming.name_too_long(index.map, ctx.db.provider):
        return
    limit = naming.max_identifier_length(ctx.db.provider)
    prefix = "@@" if not index.on_field else "@"
    attribute = index.attribute.name.name if index.attribute is not None else index.kind
    _model_error(
        ctx,
        model,
        f"The constraint name '{index.map}' specified in the `map` argument for the "
        f"`{prefix}{attribute}` constraint is too long for your chosen provider. The maximum "
        f"allowed length is {limit} bytes.",
        _attribute_span(model, index),
        code=problems.NAME_COLLISION,
    )


def _custom_primary_key_name(ctx: Context, model: ModelInfo) -> None:
    index = model.id
    if index is None or index.name is None:
        return
    if ctx.names.custom_names[(model.name, index.name)] > 1:
        _attribute_error(
            ctx,
            _attribute_name(index),
            f"The given custom name `{index.name}` has to be unique on the model. Please provide "
            "a different name for the `name` argument.",
            model.file,
            _argument_span(index, "name") or _attribute_span(model, index),
            problems.NAME_COLLISION,
        )


def _id_has_fields(ctx: Context, model: ModelInfo) -> None:
    index = model.id
    if index is None or index.fields:
        return
    name = _attribute_name(index)
    _attribute_error(
        ctx,
        name,
        f"The list of fields in an `{name}()` attribute cannot be empty. Please specify at least "
        "one field.",
        model.file,
        _attribute_span(model, index),
        problems.UNIQUE_CRITERIA,
    )


def _id_client_name(ctx: Context, model: ModelInfo) -> None:
    index = model.id
    if index is None or len(index.fields) <= 1:
        return
    client_name = "_".join(i.name for i in index.fields)
    if any(f.name == client_name for f in model.scalar_fields):
        _model_error(
            ctx,
            model,
            f"The field `{client_name}` clashes with the `@@id` attribute's name. Please resolve "
            'the conflict by providing a custom id name: `@@id([...], name: "custom_name")`',
            _attribute_span(model, index),
        )


def _primary_key_connector_specific(ctx: Context, model: ModelInfo) -> None:
    index = model.id
    if index is None:
        return
    if index.map is not None and not ctx.has("NamedPrimaryKeys"):
        _model_error(
            ctx,
            model,
            "You defined a database name for the primary key on the model. This is not supported "
            "by the provider.",
            code=problems.PROVIDER_FEATURE,
        )
    if len(index.fields) > 1 and not ctx.has("CompoundIds"):
        _model_error(
            ctx,
            model,
            "The current connector does not support compound ids.",
            _attribute_span(model, index),
            code=problems.PROVIDER_FEATURE,
        )


def _primary_key_arguments(ctx: Context, model: ModelInfo) -> None:
    index = model.id
    if index is None:
        return
    name = _attribute_name(index)
    span = _attribute_span(model, index)
    if not ctx.has("IndexColumnLengthPrefixing") and any(
        i.length is not None for i in index.fields
    ):
        _attribute_error(
            ctx,
            name,
            "The length argument is not supported in the primary key with the current connector",
            model.file,
            span,
            problems.PROVIDER_FEATURE,
        )
    if not ctx.has("PrimaryKeySortOrderDefinition") and any(
        i.sort is not None for i in index.fields
    ):
        _attribute_error(
            ctx,
            name,
            "The sort argument is not supported in the primary key with the current connector",
            model.file,
            span,
            problems.PROVIDER_FEATURE,
        )


def _primary_key_fields(ctx: Context, model: ModelInfo) -> None:
    index = model.id
    assert index is not None
    name = _attribute_name(index)
    span = _attribute_span(model, index)
    _length_with_correct_types(ctx, model, index, name, span)
    if not ctx.has("ClusteringSetting"):
        if index.clustered is not None:
            _attribute_error(
                ctx,
                name,
                "Defining clustering is not supported in the current connector.",
                model.file,
                span,
                problems.PROVIDER_FEATURE,
            )
    elif index.clustered is not False and any(i.clustered is True for i in model.indexes):
        _attribute_error(
            ctx,
            name,
            "A model can only hold one clustered index or id.",
            model.file,
            span,
            problems.INDEX,
        )


def _length_with_correct_types(ctx: Context, model, index, name: str, span) -> None:
    if not ctx.has("IndexColumnLengthPrefixing"):
        return
    for item in index.fields:
        if item.length is None:
            continue
        f = model.field(item.name)
        if f is None or f.kind == "unsupported" or f.type_name in ("String", "Bytes"):
            continue
        _attribute_error(
            ctx,
            name,
            "The length argument is only allowed with field types `String` or `Bytes`.",
            model.file,
            span,
            problems.INDEX,
        )


def _only_one_fulltext(ctx: Context, model: ModelInfo) -> None:
    if not ctx.has("FullTextIndex") or ctx.has("MultipleFullTextAttributesPerModel"):
        return
    fulltext = [i for i in model.indexes if i.kind == "fulltext"]
    if len(fulltext) > 1:
        for index in fulltext:
            _attribute_error(
                ctx,
                "@@fulltext",
                "The current connector only allows one fulltext attribute per model",
                model.file,
                _attribute_span(model, index),
                problems.INDEX,
            )


def _schema_attribute(ctx: Context, model: ModelInfo) -> None:
    config = ctx.db.config
    attribute = model.schema_attribute
    if not ctx.has("MultiSchema"):
        if attribute is not None:
            ctx.push(
                problems.problem(
                    problems.PROVIDER_FEATURE,
                    "@@schema is not supported on the current datasource provider",
                    model.file,
                    attribute.span,
                )
            )
        return
    if config.datasource is None:
        return
    if attribute is not None:
        if model.db_schema not in config.schemas:
            ctx.push(
                problems.problem(
                    problems.CONFIG,
                    "This schema is not defined in the datasource. Read more on `@@schema` at "
                    "https://pris.ly/d/multi-schema",
                    model.file,
                    attribute.span,
                )
            )
        return
    if config.schemas_span is None or ctx.db.provider == "mysql":
        return
    _model_error(
        ctx,
        model,
        f"This {_container(model)} is missing an `@@schema` attribute.",
        code=problems.CONFIG,
    )


def _autoincrement(ctx: Context, model: ModelInfo) -> None:
    fields = [f for f in model.scalar_fields if _is_autoincrement(f)]
    if not fields:
        return
    file = model.file
    if not ctx.has("AutoIncrement"):
        for f in fields:
            assert f.default is not None
            _attribute_error(
                ctx,
                "@default",
                "The `autoincrement()` default value is used with a datasource that does not "
                "support it.",
                file,
                f.default.attribute.span,
                problems.PROVIDER_FEATURE,
            )
        return
    if not ctx.has("AutoIncrementMultipleAllowed") and len(fields) > 1:
        _attribute_error(
            ctx,
            "@default",
            "The `autoincrement()` default value is used multiple times on this model even though "
            "the underlying datasource only supports one instance per table.",
            file,
            model.ast.span,
            problems.PROVIDER_FEATURE,
        )
    first_fields = {i.fields[0].name for i in model.indexes if i.fields}
    if model.id is not None and model.id.fields:
        first_fields.add(model.id.fields[0].name)
    for f in fields:
        single_pk = model.id is not None and [i.name for i in model.id.fields] == [f.name]
        if not ctx.has("AutoIncrementAllowedOnNonId") and not single_pk:
            _attribute_error(
                ctx,
                "@default",
                "The `autoincrement()` default value is used on a non-id field even though the "
                "datasource does not support this.",
                file,
                f.ast.span,
                problems.PROVIDER_FEATURE,
            )
        if not ctx.has("AutoIncrementNonIndexedAllowed") and f.name not in first_fields:
            _attribute_error(
                ctx,
                "@default",
                "The `autoincrement()` default value is used on a non-indexed field even though "
                "the datasource does not support this.",
                file,
                f.ast.span,
                problems.PROVIDER_FEATURE,
            )


def _is_autoincrement(f: FieldInfo) -> bool:
    return (
        f.default is not None
        and isinstance(f.default.expression, ast.FunctionCall)
        and f.default.expression.name == "autoincrement"
    )


def _shard_key(ctx: Context, model: ModelInfo) -> None:
    if model.shard_key is None:
        return
    attribute, fields = model.shard_key
    name = ("@@" if attribute.block else "@") + "shardKey"
    if not fields:
        _attribute_error(
            ctx,
            name,
            f"The list of fields in a `{name}()` attribute cannot be empty. Please specify at "
            "least one field.",
            model.file,
            attribute.span,
            problems.ATTRIBUTE,
        )
    if "shardKeys" not in ctx.db.config.preview_features:
        _attribute_error(
            ctx,
            name,
            "Defining shard keys requires enabling the `shardKeys` preview feature",
            model.file,
            attribute.span,
            problems.PROVIDER_FEATURE,
        )
    if ctx.db.provider != "mysql":
        _attribute_error(
            ctx,
            name,
            "Shard keys are not currently supported for provider "
            f"{ctx.dialect.NAME if ctx.dialect else ctx.db.provider}",
            model.file,
            attribute.span,
            problems.PROVIDER_FEATURE,
        )


def _connector_specific(ctx: Context, model: ModelInfo) -> None:
    if model.kind == "view":
        return  # psl checks views with the connector's `validate_view`, which has none of these
    if ctx.db.provider == "mongodb":
        _mongodb_model(ctx, model)
    if ctx.db.provider == "cockroachdb":
        for f in model.scalar_fields:
            if _is_autoincrement(f) and f.type_name == "Int" and f.kind == "scalar":
                assert f.default is not None
                _attribute_error(
                    ctx,
                    "default",
                    "The `autoincrement()` default function is defined only on BigInt fields on "
                    "CockroachDB. Use sequence() if you want an autoincrementing Int field.",
                    model.file,
                    f.default.attribute.span,
                    problems.PROVIDER_FEATURE,
                )
    if ctx.dialect is not None and ctx.dialect.KEYLESS_NATIVE_TYPES:
        for index in model.indexes:
            keyless_native_types(ctx, model, index)
        if model.id is not None:
            keyless_native_types(ctx, model, model.id)
    for index in model.indexes:
        connector_index_checks(ctx, model, index)


def native_display(f: FieldInfo) -> str | None:
    """`Text`, `VarChar(Max)`: a field's native type as the keyless table spells it."""
    if f.native is None:
        return None
    args = f.native.args
    return f"{f.native.name}({','.join(args)})" if args else f.native.name


def keyless_native_types(ctx: Context, model: ModelInfo, index: IndexInfo) -> None:
    """A native type the provider cannot put in a key (psl's connector `validate_model`)."""
    dialect = ctx.dialect
    assert dialect is not None
    keyless = dialect.KEYLESS_NATIVE_TYPES
    postgres = ctx.db.provider == "postgresql"
    if index.kind == "id" and postgres:
        return
    guide = ""
    if dialect.KEYLESS_UNLESS_LENGTH:
        guide = (
            " Please use the `length` argument to the field in the index definition to allow this."
        )
    for item in index.fields:
        f = model.field(item.name)
        shown = native_display(f) if f is not None and len(item.path) == 1 else None
        if shown is None or (shown not in keyless and f.native.name not in keyless):  # type: ignore[union-attr]
            continue
        if dialect.KEYLESS_UNLESS_LENGTH and (item.length is not None or index.kind == "fulltext"):
            continue
        name = dialect.DISPLAY_NAME
        if index.kind == "id":
            message = (
                f"Native type `{shown}` of {name} cannot be used on a field that is `@id` or "
                f"`@@id`.{guide}"
            )
        elif index.kind == "unique":
            message = f"Native type `{shown}` cannot be unique in {name}.{guide}"
        else:
            message = (
                f"You cannot define an index on fields with native type `{shown}` of {name}.{guide}"
            )
        span = f.ast.span if postgres else _attribute_span(model, index)  # type: ignore[union-attr]
        ctx.push(problems.problem(problems.NATIVE_TYPE, message, model.file, span))
        return


def _mongodb_model(ctx: Context, model: ModelInfo) -> None:
    container = _container(model)

    def field_error(f: FieldInfo, message: str) -> None:
        ctx.push(
            problems.field_error(
                problems.PROVIDER_FEATURE,
                container,
                model.name,
                f.name,
                message,
                f.file,
                f.ast.span,
            )
        )

    if model.id is None:
        ctx.push(
            problems.problem(
                problems.UNIQUE_CRITERIA,
                f'Error validating model "{model.name}": MongoDB models require exactly one '
                "identity field annotated with @id",
                model.file,
                model.ast.span,
            )
        )
    elif len(model.id.fields) == 1:
        f = model.field(model.id.fields[0].name)
        if f is not None and f.name != "_id" and f.db_name != "_id":
            if f.mapped:
                field_error(
                    f,
                    'MongoDB model IDs must have an @map("_id") annotation, found '
                    f'@map("{f.db_name}").',
                )
            else:
                field_error(f, 'MongoDB model IDs must have an @map("_id") annotation.')
    id_fields = {i.name for i in model.id.fields} if model.id is not None else set()
    for f in model.scalar_fields:
        function = (
            f.default.expression.name
            if f.default is not None and isinstance(f.default.expression, ast.FunctionCall)
            else None
        )
        if function == "auto":
            if f.native is None or f.native.name != "ObjectId":
                field_error(
                    f, "MongoDB `@default(auto())` fields must have `ObjectId` native type."
                )
            if f.name not in id_fields:
                field_error(f, "MongoDB `@default(auto())` fields must have the `@id` attribute.")
        if function == "dbgenerated":
            field_error(
                f,
                "The `dbgenerated()` function is not allowed with MongoDB. Please use `auto()` "
                "instead.",
            )
        if f.mapped:
            attribute = f.ast.attribute("map")
            span = attribute.span if attribute is not None else f.ast.span
            if f.db_name.startswith("$"):
                _attribute_error(
                    ctx,
                    "@map",
                    "The field name cannot start with a `$` character",
                    model.file,
                    span,
                    problems.NAME_COLLISION,
                )
            if "." in f.db_name:
                _attribute_error(
                    ctx,
                    "@map",
                    "The field name cannot contain a `.` character",
                    model.file,
                    span,
                    problems.NAME_COLLISION,
                )
    for index in model.indexes:
        same = [
            other
            for other in model.indexes
            if other is not index
            and [(i.path, i.sort) for i in other.fields] == [(i.path, i.sort) for i in index.fields]
        ]
        if same:
            _attribute_error(
                ctx,
                "@@" + (index.attribute.name.name if index.attribute else "index"),
                "Index already exists in the model.",
                model.file,
                _attribute_span(model, index),
                problems.INDEX,
            )
        single = [index.fields[0].name] if len(index.fields) == 1 else None
        if index.kind == "unique" and model.id is not None and single == model.id_names():
            _attribute_error(
                ctx,
                _attribute_name(index),
                "The same field cannot be an id and unique on MongoDB.",
                model.file,
                _attribute_span(model, index),
                problems.INDEX,
            )

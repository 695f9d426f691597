"""Index validations (psl's `validations/indexes.rs` and the connectors' index checks): fields,
constraint names in their namespaces, client names, what the provider supports (`length:`,
`type:`, `clustered:`, full-text indexes, sort orders) and PostgreSQL's operator classes."""

from __future__ import annotations

from schemasense.codegen.orms.prisma import naming
from schemasense.server.sources.prisma import problems
from schemasense.server.sources.prisma.database import IndexInfo, ModelInfo
from schemasense.server.sources.prisma.validations.context import Context, index_constraint_name

_GENERALIZED = ("Gist", "Gin", "SpGist", "Brin")


def _name(index: IndexInfo) -> str:
    base = {"id": "id", "unique": "unique", "normal": "index", "fulltext": "fulltext"}[index.kind]
    return ("@" if index.on_field else "@@") + base


def _span(model: ModelInfo, index: IndexInfo):
    return index.attribute.span if index.attribute is not None else model.ast.span


def _argument_span(index: IndexInfo, name: str):
    if index.attribute is None:
        return None
    arg = index.attribute.argument(name)
    return arg.span if arg is not None else None


def validate_index(ctx: Context, model: ModelInfo, index: IndexInfo) -> None:
    file = model.file
    name = _name(index)
    span = _span(model, index)

    def error(message: str, code: str = problems.INDEX, at=None) -> None:
        ctx.push(problems.attribute_error(code, name, message, file, at or span))

    if not index.fields:
        error("The list of fields in an index cannot be empty. Please specify at least one field.")
    _constraint_name(ctx, model, index, name)
    if index.kind == "unique" and len(index.fields) > 1:
        client_name = "_".join(i.name for i in index.fields)
        if any(f.name == client_name for f in model.scalar_fields):
            ctx.push(
                problems.model_error(
                    "view" if model.kind == "view" else "model",
                    model.name,
                    f"The field `{client_name}` clashes with the `{name}` name. Please resolve the "
                    f'conflict by providing a custom id name: `{name}([...], name: "custom_name")`',
                    file,
                    span,
                )
            )
    if index.name is not None and ctx.names.custom_names[(model.name, index.name)] > 1:
        error(
            f"The given custom name `{index.name}` has to be unique on the model. Please provide a "
            "different name for the `name` argument.",
            problems.NAME_COLLISION,
            _argument_span(index, "name"),
        )
    if not ctx.has("IndexColumnLengthPrefixing") and any(
        i.length is not None for i in index.fields
    ):
        error(
            "The length argument is not supported in an index definition with the current "
            "connector",
            problems.PROVIDER_FEATURE,
        )
    if index.algorithm is not None and ctx.dialect is not None:
        if index.algorithm not in ctx.dialect.INDEX_TYPES:
            error(
                "The given index type is not supported with the current connector",
                problems.PROVIDER_FEATURE,
                _argument_span(index, "type"),
            )
        elif index.algorithm == "Hash" and any(i.sort is not None for i in index.fields):
            error("Hash type does not support sort option.")
    if index.kind == "fulltext":
        _fulltext(ctx, index, error)
    if index.map is not None and naming.name_too_long(index.map, ctx.db.provider):
        limit = naming.max_identifier_length(ctx.db.provider)
        ctx.push(
            problems.model_error(
                "model",
                model.name,
                f"The constraint name '{index.map}' specified in the `map` argument for the "
                f"`{name}` constraint is too long for your chosen provider. The maximum allowed "
                f"length is {limit} bytes.",
                file,
                span,
            )
        )
    _clustering(ctx, model, index, error)
    if index.kind != "normal" and any(i.ops is not None for i in index.fields):
        error("Operator classes can only be defined to fields in an @@index attribute.")
    _length_types(ctx, model, index, error)
    if len(index.fields) > 1:
        for item in index.fields:
            f = model.field(item.name)
            if f is not None and f.kind == "composite" and len(item.path) == 1:
                error(
                    "Prisma does not currently support composite types in compound indices, "
                    f'please remove "{f.name}" from the index. See '
                    "https://pris.ly/d/mongodb-composite-compound-indices for more details"
                )
                break
    if index.where is not None:
        _partial(ctx, error)


def connector_index_checks(ctx: Context, model: ModelInfo, index: IndexInfo) -> None:
    """The connectors' own index checks (run with the model's, before its relation fields)."""

    def error(message: str, code: str = problems.INDEX, at=None) -> None:
        span = at or _span(model, index)
        ctx.push(problems.attribute_error(code, _name(index), message, model.file, span))

    if ctx.dialect is not None and ctx.dialect.OPERATOR_CLASSES:
        _operator_classes(ctx, model, index, error)
    if ctx.db.provider == "cockroachdb" and index.algorithm == "Gin":
        _inverted_index(model, index, error)


def _inverted_index(model: ModelInfo, index: IndexInfo, error) -> None:
    """CockroachDB's inverted (GIN) indexes: no operator classes, Json or lists, Json last."""
    last = len(index.fields) - 1
    for i, item in enumerate(index.fields):
        if item.ops is not None:
            error("Custom operator classes are not supported with the current connector.")
            return
        f = model.field(item.name)
        if f is None or f.kind == "unsupported":
            continue
        json = f.kind == "scalar" and f.type_name == "Json"
        if not json and not f.is_list:
            error(f"The Gin index type does not support the type of the field `{f.name}`.")
        if json and i < last:
            error("A `Json` column is only allowed as the last column of an inverted index.")


def _constraint_name(ctx: Context, model: ModelInfo, index: IndexInfo, name: str) -> None:
    if ctx.dialect is None:
        return
    constraint = ctx.names.constraint_names.get(id(index)) or index_constraint_name(
        ctx.db, model, index
    )
    for scope in ctx.names.violations(model, "index", constraint, ctx.dialect.CONSTRAINT_SCOPES):
        span = _argument_span(index, "map") or _argument_span(index, "name") or _span(model, index)
        ctx.push(
            problems.attribute_error(
                problems.NAME_COLLISION,
                name,
                ctx.violation_message(constraint, scope, model),
                model.file,
                span,
            )
        )


def _fulltext(ctx: Context, index: IndexInfo, error) -> None:
    if not ctx.has("FullTextIndex"):
        error(
            "Defining fulltext indexes is not supported with the current connector.",
            problems.PROVIDER_FEATURE,
        )
        return
    if any(i.length is not None for i in index.fields):
        error("The length argument is not supported in a @@fulltext attribute.")
    if not ctx.has("SortOrderInFullTextIndex"):
        if any(i.sort is not None for i in index.fields):
            error(
                "The sort argument is not supported in a @@fulltext attribute in the current "
                "connector."
            )
        return
    state = "init"
    for item in index.fields:
        sorted_ = item.sort is not None
        if state in ("init", "head") and sorted_:
            state = "head"
        elif state in ("text", "tail") and sorted_:
            state = "tail"
        elif state == "tail":
            error("All index fields must be listed adjacently in the fields argument.")
            return
        else:
            state = "text"


def _clustering(ctx: Context, model: ModelInfo, index: IndexInfo, error) -> None:
    if not ctx.has("ClusteringSetting"):
        if index.clustered is not None:
            error(
                "Defining clustering is not supported in the current connector.",
                problems.PROVIDER_FEATURE,
            )
        return
    if index.clustered is not True:
        return
    if model.id is not None and model.id.clustered in (True, None):
        error("A model can only hold one clustered index or key.")
    if any(other is not index and other.clustered is True for other in model.indexes):
        error("A model can only hold one clustered index.")


def _length_types(ctx: Context, model: ModelInfo, index: IndexInfo, error) -> None:
    if not ctx.has("IndexColumnLengthPrefixing"):
        return
    for item in index.fields:
        if item.length is None:
            continue
        f = model.field(item.name)
        if f is None or f.kind == "unsupported" or f.type_name in ("String", "Bytes"):
            continue
        error("The length argument is only allowed with field types `String` or `Bytes`.")


def _partial(ctx: Context, error) -> None:
    if "partialIndexes" not in ctx.db.config.preview_features:
        error(
            'Partial indexes are a preview feature. Add "partialIndexes" to previewFeatures in '
            "your generator block.",
            problems.PROVIDER_FEATURE,
        )
    elif not ctx.has("PartialIndex"):
        error(
            "Partial indexes (with a `where` clause) are not supported by the current connector.",
            problems.PROVIDER_FEATURE,
        )


def _operator_classes(ctx: Context, model: ModelInfo, index: IndexInfo, error) -> None:
    """PostgreSQL's `generalized_index_validations`, driven by the dialect's tables."""
    assert ctx.dialect is not None
    algo = index.algorithm or "BTree"
    if algo == "SpGist" and len(index.fields) > 1:
        error("SpGist does not support multi-column indices.")
    if algo not in _GENERALIZED:
        return
    classes = ctx.dialect.OPERATOR_CLASSES
    defaults = ctx.dialect.DEFAULT_OPERATOR_CLASSES[algo]
    for item in index.fields:
        if item.ops_raw:
            continue
        f = model.field(item.name)
        if f is None or len(item.path) > 1:
            continue
        native = f.native.name if f.native is not None else None
        if item.ops is None:
            if native is not None:
                if native not in defaults.natives and not (defaults.lists and f.is_list):
                    error(f"The {algo} index field type `{native}` has no default operator class.")
            elif f.kind != "unsupported" and not (
                (f.type_name in defaults.scalars and f.kind == "scalar")
                or (defaults.lists and f.is_list)
            ):
                error(f"The {algo} index type does not support the type of the field `{f.name}`.")
            continue
        opclass = classes.get(item.ops)
        if opclass is None:
            continue
        if algo not in opclass.index_types:
            error(
                f"The given operator class `{item.ops}` is not supported with the `{algo}` index "
                "type."
            )
            continue
        if opclass.lists:
            if not f.is_list:
                error(
                    f"The given operator class `{item.ops}` expects the type of field `{f.name}` "
                    "to be an array."
                )
        elif native is not None:
            if native not in opclass.natives:
                error(
                    f"The given operator class `{item.ops}` does not support native type "
                    f"`{native}` of field `{f.name}`."
                )
        elif opclass.scalar is not None:
            if f.type_name != opclass.scalar:
                error(
                    f"The given operator class `{item.ops}` points to the field `{f.name}` that "
                    f"is not of {opclass.scalar} type."
                )
        else:
            error(
                f"The given operator class `{item.ops}` expects the field `{f.name}` to define a "
                "valid native type."
            )

"""Relation validations (psl's `relation_fields.rs`, `relations.rs` and `relations/*`).

Per relation field: ambiguity (which stops the whole validation, as in Prisma), ignored related
models, referential actions the provider allows, named foreign keys, the index Prisma suggests
with `relationMode = "prisma"` (a warning). Per relation: `references` on a unique criterion,
`fields` and `references` of the same length and types, arities, foreign key names, `SetNull` on
required fields, reference cycles (SQL Server, and every provider with `relationMode =
"prisma"`), and the rules of one-to-one, one-to-many and many-to-many relations.
"""

from __future__ import annotations

from schemasense.server.findings import Finding
from schemasense.server.sources.prisma import problems
from schemasense.server.sources.prisma.database import FieldInfo, ModelInfo, RelationInfo
from schemasense.server.sources.prisma.validations.context import Context, referencing_model

_CODE = problems.RELATION
_ACTION_ORDER = ("Cascade", "Restrict", "NoAction", "SetNull", "SetDefault")
_MISSING_INDEX = (
    'With `relationMode = "prisma"`, no foreign keys are used, so relation fields will not '
    "benefit from the index usually created by the relational database under the hood. This can "
    "lead to poor performance when querying these fields. We recommend adding an index manually. "
    'Learn more at https://pris.ly/d/relation-mode-prisma-indexes"'
)


def _container(model: ModelInfo) -> str:
    return "view" if model.kind == "view" else "model"


def _relation_error(f: FieldInfo, message: str, span=None) -> Finding:
    return problems.attribute_error(_CODE, "@relation", message, f.file, span or f.ast.span)


def _field_error(f: FieldInfo, message: str) -> Finding:
    model = f.model
    return problems.field_error(
        _CODE, _container(model), model.name, f.name, message, f.file, f.ast.span
    )


def _argument_span(f: FieldInfo, name: str):
    attribute = f.relation_attribute
    if attribute is None:
        return None
    arg = attribute.argument(name)
    return arg.span if arg is not None else None


# -- relation fields ----------------------------------------------------------------------------


def _field_list(names: list[str]) -> str:
    quoted = [f"`{n}`" for n in names]
    if len(quoted) < 2:
        return ", ".join(quoted)
    return ", ".join(quoted[:-1]) + " and " + quoted[-1]


def ambiguity(ctx: Context, f: FieldInfo) -> Finding | None:
    """psl's `relation_fields::ambiguity`; an error here ends the validation."""
    model = f.model
    group = ctx.names.relation_fields.get((model.name, f.type_name, f.relation_name), [])
    if len(group) <= 1:
        return None
    names = _field_list([g.name for g in group])
    is_self = f.type_name == model.name
    explicit = f.relation_name is not None
    if not explicit and is_self and len(group) == 2:
        message = (
            f"Ambiguous self relation detected. The fields {names} in model `{model.name}` both "
            f"refer to `{f.type_name}`. If they are part of the same relation add the same "
            "relation name for them with `@relation(<name>)`."
        )
    elif not explicit and is_self:
        message = (
            f"Unnamed self relation detected. The fields {names} in model `{model.name}` have no "
            "relation name. Please provide a relation name for one of them by adding "
            "`@relation(<name>)."
        )
    elif explicit and is_self and len(group) > 2:
        message = (
            f"Wrongly named self relation detected. The fields {names} in model `{model.name}` "
            "have the same relation name. At most two relation fields can belong to the same "
            "relation and therefore have the same name. Please assign a different relation name "
            "to one of them."
        )
    elif explicit and is_self:
        return None
    elif not explicit:
        message = (
            f"Ambiguous relation detected. The fields {names} in model `{model.name}` both refer "
            f"to `{f.type_name}`. Please provide different relation names for them by adding "
            "`@relation(<name>)."
        )
    else:
        message = (
            f"Wrongly named relation detected. The fields {names} in model `{model.name}` both "
            "use the same relation name. Please provide different relation names for them "
            "through `@relation(<name>)."
        )
    return problems.model_error(
        _container(model), model.name, message, f.file, f.ast.span, code=_CODE
    )


def validate_relation_field(ctx: Context, f: FieldInfo) -> None:
    from schemasense.server.sources.prisma.validations.fields import validate_client_name

    model = f.model
    target = ctx.db.models.get(f.type_name)
    validate_client_name(ctx, model, f)
    if target is not None and target.ignored and not f.ignored and not model.ignored:
        ctx.push(
            problems.attribute_error(
                _CODE,
                "@ignore",
                f"The relation field `{f.name}` on Model `{model.name}` must specify the `@ignore` "
                f"attribute, because the model {target.name} it is pointing to is marked ignored.",
                f.file,
                f.ast.span,
            )
        )
    _referential_actions(ctx, f)
    if f.fk_map is not None and not ctx.has("NamedForeignKeys"):
        ctx.push(
            _relation_error(
                f,
                "Your provider does not support named foreign keys.",
                f.relation_attribute.span if f.relation_attribute else f.ast.span,
            )
        )
    _missing_relation_index(ctx, f)
    if ctx.db.provider == "mongodb":
        _mongodb_native_types(ctx, f)


def _referential_actions(ctx: Context, f: FieldInfo) -> None:
    if ctx.dialect is None:
        return
    mode = ctx.relation_mode
    allowed = ctx.dialect.referential_actions(mode)  # type: ignore[arg-type]
    listed = ", ".join(f"`{a}`" for a in _ACTION_ORDER if a in allowed)
    for option, value in (("onDelete", f.on_delete), ("onUpdate", f.on_update)):
        if value is None:
            continue
        span = _argument_span(f, option) or f.ast.span
        if value not in allowed:
            extra = ""
            if mode == "prisma" and value == "NoAction" and "Restrict" in allowed:
                extra = (
                    f". `NoAction` is not implemented for {ctx.provider_name} when using "
                    '`relationMode = "prisma"`, you could try using `Restrict` instead. Learn '
                    "more at https://pris.ly/d/relation-mode"
                )
            ctx.push(
                problems.validation_error(
                    f"Invalid referential action: `{value}`. Allowed values: ({listed}){extra}",
                    f.file,
                    span,
                    code=_CODE,
                )
            )
        elif value == "SetDefault" and ctx.db.provider == "mysql" and mode == "foreignKeys":
            ctx.push(
                problems.problem(
                    problems.WARNING,
                    "MySQL does not actually support the `SetDefault` referential action, so "
                    "using it may result in unexpected errors. Read more at "
                    "https://pris.ly/d/mysql-set-default ",
                    f.file,
                    span,
                    severity="warning",
                )
            )


def _missing_relation_index(ctx: Context, f: FieldInfo) -> None:
    if ctx.relation_mode != "prisma" or ctx.dialect is None or not ctx.dialect.IS_SQL:
        return
    if not f.fields or f.fields_invalid:
        return
    model = f.model
    wanted = f.fields
    groups = [[i.name for i in index.fields] for index in model.indexes]
    if model.id is not None:
        groups.append([i.name for i in model.id.fields])
    for group in groups:
        if group[: len(wanted)] == wanted:
            return
    span = f.relation_attribute.span if f.relation_attribute is not None else f.ast.span
    ctx.push(problems.problem(problems.WARNING, _MISSING_INDEX, f.file, span, severity="warning"))


def _mongodb_native_types(ctx: Context, f: FieldInfo) -> None:
    target = ctx.db.models.get(f.type_name)
    if not f.fields or not f.references or target is None:
        return
    model = f.model
    for name, ref in zip(f.fields, f.references, strict=False):
        a, b = model.field(name), target.field(ref)
        if a is None or b is None:
            continue
        na = (a.native.datasource, a.native.name) if a.native else None
        nb = (b.native.datasource, b.native.name) if b.native else None
        if na == nb:
            continue
        lead = (
            f"Field {model.name}.{a.name} and {target.name}.{b.name} must have the same native "
            "type for MongoDB to join those collections correctly."
        )
        if na is not None and nb is not None:
            advice = (
                f" Consider updating those fields to either use '@{na[0]}.{na[1]}' or "
                f"'@{nb[0]}.{nb[1]}'."
            )
        elif nb is not None:
            advice = (
                f" Consider either removing {target.name}.{b.name}'s native type attribute or "
                f"adding '@{nb[0]}.{nb[1]}' to {model.name}.{a.name}."
            )
        else:
            assert na is not None
            advice = (
                f" Consider either removing {model.name}.{a.name}'s native type attribute or "
                f"adding '@{na[0]}.{na[1]}' to {target.name}.{b.name}."
            )
        ctx.push(
            problems.problem(
                problems.WARNING,
                f"Warning validating field `{f.name}` in model `{model.name}`: {lead}{advice} "
                "Beware that this will become an error in the future.",
                f.file,
                a.ast.span,
                severity="warning",
            )
        )


# -- relations ----------------------------------------------------------------------------------


def validate_relation(ctx: Context, relation: RelationInfo) -> None:
    if relation.kind == "many-to-many":
        if relation.embedded:
            _embedded_many_to_many(ctx, relation)
        else:
            _implicit_many_to_many(ctx, relation)
        return
    forward, back = relation.forward, relation.back
    if forward is not None and back is not None:
        _cycles(ctx, relation)
        _multiple_cascading_paths(ctx, relation)
    if forward is not None:
        _references_unique(ctx, forward)
        _same_length(ctx, forward)
        _field_arity(ctx, forward)
        _scalar_types(ctx, forward)
        _set_null_on_required(ctx, forward)
    _foreign_key_name(ctx, relation)
    if relation.kind == "one-to-one":
        _one_to_one(ctx, relation)
    else:
        _one_to_many(ctx, relation)


def _referencing(f: FieldInfo) -> list[FieldInfo] | None:
    if f.fields is None:
        return None
    if f.fields_invalid:
        return []
    return [s for name in f.fields if (s := f.model.field(name)) is not None]


def _referenced(ctx: Context, f: FieldInfo) -> list[FieldInfo] | None:
    if f.references is None:
        return None
    cache = ctx.cache.setdefault("referenced", {})
    found = cache.get(id(f))
    if found is None:
        target = ctx.db.models.get(f.type_name)
        if f.references_invalid or target is None:
            found = []
        else:
            found = [s for name in f.references if (s := target.field(name)) is not None]
        cache[id(f)] = found
    return found


def _criteria(model: ModelInfo) -> list[list[str]]:
    criteria = []
    if model.id is not None:
        criteria.append([i.name for i in model.id.fields])
    for index in model.indexes:
        if index.kind == "unique":
            criteria.append([i.name for i in index.fields])
    return criteria


def _references_unique(ctx: Context, f: FieldInfo) -> None:
    references = _referenced(ctx, f)
    if not references:
        return
    target = references[0].model
    names = [r.name for r in references]
    if any(sorted(c) == sorted(names) for c in _criteria(target)):
        ordered = any(c == names for c in _criteria(target))
        if len(names) > 1 and not ordered and not ctx.has("RelationFieldsInArbitraryOrder"):
            ctx.push(
                problems.validation_error(
                    "The argument `references` must refer to a unique criteria in the related "
                    f"model `{target.name}` using the same order of fields. Please check the "
                    f"ordering in the following fields: `{', '.join(names)}`.",
                    f.file,
                    f.ast.span,
                    code=_CODE,
                )
            )
        return
    if len(names) == 1:
        message = (
            "The argument `references` must refer to a unique criteria in the related model. "
            f"Consider adding an `@unique` attribute to the field `{names[0]}` in the model "
            f"`{target.name}`."
        )
    else:
        message = (
            "The argument `references` must refer to a unique criteria in the related model. "
            f"Consider adding an `@@unique([{', '.join(names)}])` attribute to the model "
            f"`{target.name}`."
        )
    ctx.push(_relation_error(f, message))


def _same_length(ctx: Context, f: FieldInfo) -> None:
    fields, references = _referencing(f), _referenced(ctx, f)
    if fields is None or references is None or len(fields) == len(references):
        return
    span = f.relation_attribute.span if f.relation_attribute else f.ast.span
    ctx.push(
        problems.validation_error(
            "You must specify the same number of fields in `fields` and `references`.",
            f.file,
            span,
            code=_CODE,
        )
    )


def _field_arity(ctx: Context, f: FieldInfo) -> None:
    fields = _referencing(f)
    if f.arity != "required" or not fields or all(s.arity != "optional" for s in fields):
        return
    ctx.push(
        problems.validation_error(
            f"The relation field `{f.name}` uses the scalar fields "
            f"{', '.join(s.name for s in fields)}. At least one of those fields is optional. Hence "
            "the relation field must be optional as well.",
            f.file,
            f.ast.span,
            code=_CODE,
        )
    )


def _scalar_types(ctx: Context, f: FieldInfo) -> None:
    fields, references = _referencing(f), _referenced(ctx, f)
    if not fields or not references:
        return
    for a, b in zip(fields, references, strict=False):
        if (a.kind, a.type_name) != (b.kind, b.type_name):
            ctx.push(
                _relation_error(
                    f,
                    f"The type of the field `{a.name}` in the model `{a.model.name}` is not "
                    f"matching the type of the referenced field `{b.name}` in model "
                    f"`{b.model.name}`.",
                )
            )


def _foreign_key_name(ctx: Context, relation: RelationInfo) -> None:
    if ctx.dialect is None:
        return
    name = ctx.names.constraint_names.get(id(relation))
    model = referencing_model(ctx.db, relation)
    if name is None or model is None:
        return
    f = relation.forward
    for scope in ctx.names.violations(model, "relation", name, ctx.dialect.CONSTRAINT_SCOPES):
        message = ctx.violation_message(name, scope, model)
        if f is not None:
            ctx.push(_relation_error(f, message, _argument_span(f, "map") or f.ast.span))
        else:
            assert relation.back is not None
            other = relation.back.model
            ctx.push(
                problems.attribute_error(_CODE, "@relation", message, other.file, other.ast.span)
            )


def _set_null_on_required(ctx: Context, f: FieldInfo) -> None:
    fields = _referencing(f)
    if not fields or all(s.arity == "optional" for s in fields):
        return
    lenient = (
        ctx.dialect is not None and ctx.relation_mode in ctx.dialect.SET_NULL_ON_REQUIRED_FIELDS
    )
    for option, value in (("onDelete", f.on_delete), ("onUpdate", f.on_update)):
        if value != "SetNull":
            continue
        if lenient:
            ctx.push(
                problems.problem(
                    problems.WARNING,
                    f"The `{option}` referential action of a relation should not be set to "
                    "`SetNull` when a referenced field is required. We recommend either to choose "
                    "another referential action, or to make the referenced fields optional. Read "
                    "more at https://pris.ly/d/postgres-set-null",
                    f.file,
                    f.ast.span,
                    severity="warning",
                )
            )
        else:
            ctx.push(
                _relation_error(
                    f,
                    f"The `{option}` referential action of a relation must not be set to "
                    "`SetNull` when a referenced field is required.\nEither choose another "
                    "referential action, or make the referenced fields optional.",
                )
            )


def _has_any(fields: list[FieldInfo] | None) -> bool:
    return bool(fields)


def _one_to_one(ctx: Context, relation: RelationInfo) -> None:
    forward, back = relation.forward, relation.back
    if forward is None:
        return
    if back is None:
        ctx.push(_missing_opposite(forward))
        _unique_fields(ctx, forward)
        return
    forward_fields, back_fields = _referencing(forward), _referencing(back)
    forward_refs, back_refs = _referenced(ctx, forward), _referenced(ctx, back)
    for what, a, b in (
        ("fields", forward_fields, back_fields),
        ("references", forward_refs, back_refs),
    ):
        if not _has_any(a) and not _has_any(b):
            for x, y in ((forward, back), (back, forward)):
                ctx.push(
                    _relation_error(
                        x,
                        f"The relation fields `{x.name}` on Model `{x.model.name}` and `{y.name}` "
                        f"on Model `{y.model.name}` do not provide the `{what}` argument in the "
                        "@relation attribute. You have to provide it on one of the two fields.",
                    )
                )
    for what, a, b in (
        ("references", forward_refs, back_refs),
        ("fields", forward_fields, back_fields),
    ):
        if _has_any(a) and _has_any(b):
            message = (
                f"The relation fields `{forward.name}` on Model `{forward.model.name}` and "
                f"`{back.name}` on Model `{back.model.name}` both provide the `{what}` argument in "
                "the @relation attribute. You have to provide it only on one of the two fields."
            )
            ctx.push(_relation_error(forward, message))
            ctx.push(_relation_error(back, message))
    forward_actions = forward.on_delete is not None or forward.on_update is not None
    back_actions = back.on_delete is not None or back.on_update is not None
    if forward_actions and back_actions:
        for x, y in ((back, forward), (forward, back)):
            ctx.push(
                _relation_error(
                    x,
                    f"The relation fields `{x.name}` on Model `{x.model.name}` and `{y.name}` on "
                    f"Model `{y.model.name}` both provide the `onDelete` or `onUpdate` argument in "
                    "the @relation attribute. You have to provide it only on one of the two "
                    "fields.",
                )
            )
    elif back_actions:
        ctx.push(
            _relation_error(
                back,
                f"The relation field `{back.name}` on Model `{back.model.name}` must not specify "
                "the `onDelete` or `onUpdate` argument in the @relation attribute. You must only "
                f"specify it on the opposite field `{forward.name}` on model "
                f"`{forward.model.name}`.",
            )
        )
    _unique_fields(ctx, forward)
    if ctx.has_errors():
        return
    if _has_any(forward_fields) and _has_any(back_refs):
        message = (
            f"The relation field `{forward.name}` on Model `{forward.model.name}` provides the "
            "`fields` argument in the @relation attribute. And the related field "
            f"`{back.name}` on Model `{back.model.name}` provides the `references` argument. You "
            "must provide both arguments on the same side."
        )
        ctx.push(_relation_error(forward, message))
        ctx.push(_relation_error(back, message))
    if _has_any(forward_refs) and _has_any(back_fields):
        ctx.push(
            _relation_error(
                forward,
                f"The relation field `{forward.name}` on Model `{forward.model.name}` provides the "
                "`references` argument in the @relation attribute. And the related field "
                f"`{back.name}` on Model `{back.model.name}` provides the `fields` argument. You "
                "must provide both arguments on the same side.",
            )
        )
    if ctx.has_errors():
        return
    if back.arity == "required":
        ctx.push(
            _relation_error(
                back,
                f"The relation field `{back.name}` on Model `{back.model.name}` is required. This "
                "is not valid because it's not possible to enforce this constraint on the "
                "database level. Please change the field type from "
                f"`{forward.model.name}` to `{forward.model.name}?` to fix this.",
            )
        )
    if ctx.has_errors():
        return
    if forward.arity == "required" and (back.fields is not None or back.references is not None):
        ctx.push(
            _relation_error(
                back,
                f"The relation field `{back.model.name}.{back.name}` defines the `fields` and/or "
                "`references` argument. You must set them on the required side of the relation "
                f"(`{forward.model.name}.{forward.name}`) in order for the constraints to be "
                "enforced. Alternatively, you can change this field to be required and the "
                "opposite optional, or make both sides of the relation optional.",
            )
        )


def _unique_fields(ctx: Context, forward: FieldInfo) -> None:
    fields = _referencing(forward)
    if fields is None:
        return
    names = sorted(s.name for s in fields)
    if any(sorted(c) == names for c in _criteria(forward.model)):
        return
    listed = ", ".join(s.name for s in fields)
    if len(fields) == 1:
        message = (
            "A one-to-one relation must use unique fields on the defining side. Either add an "
            f"`@unique` attribute to the field `{listed}`, or change the relation to one-to-many."
        )
    else:
        message = (
            "A one-to-one relation must use unique fields on the defining side. Either add an "
            f"`@@unique([{listed}])` attribute to the model, or change the relation to "
            "one-to-many."
        )
    ctx.push(_relation_error(forward, message))


def _missing_opposite(f: FieldInfo) -> Finding:
    container = _container(f.model)
    return _field_error(
        f,
        f"The relation field `{f.name}` on {container} `{f.model.name}` is missing an opposite "
        f"relation field on the model `{f.type_name}`. Either run `prisma format` or add it "
        "manually.",
    )


def _one_to_many(ctx: Context, relation: RelationInfo) -> None:
    forward, back = relation.forward, relation.back
    if forward is None or back is None:
        lone = forward or back
        assert lone is not None
        ctx.push(_missing_opposite(lone))
        return
    if not _has_any(_referencing(forward)):
        ctx.push(
            _relation_error(
                forward,
                f"The relation field `{forward.name}` on Model `{forward.model.name}` must specify "
                "the `fields` argument in the @relation attribute. You can run `prisma format` to "
                "fix this automatically.",
            )
        )
    if not _has_any(_referenced(ctx, forward)):
        ctx.push(
            _relation_error(
                forward,
                f"The relation field `{forward.name}` on Model `{forward.model.name}` must specify "
                "the `references` argument in the @relation attribute.",
            )
        )
    if _has_any(_referencing(back)) or _has_any(_referenced(ctx, back)):
        ctx.push(
            _relation_error(
                back,
                f"The relation field `{back.name}` on Model `{back.model.name}` must not specify "
                "the `fields` or `references` argument in the @relation attribute. You must only "
                f"specify it on the opposite field `{forward.name}` on model "
                f"`{forward.model.name}`.",
            )
        )
    if back.on_delete is not None or back.on_update is not None:
        ctx.push(
            _relation_error(
                back,
                f"The relation field `{back.name}` on Model `{back.model.name}` must not specify "
                "the `onDelete` or `onUpdate` argument in the @relation attribute. You must only "
                f"specify it on the opposite field `{forward.name}` on model "
                f"`{forward.model.name}`, or in case of a many to many relation, in an explicit "
                "join table.",
            )
        )


def _implicit_many_to_many(ctx: Context, relation: RelationInfo) -> None:
    fields = relation.fields
    if not ctx.has("ImplicitManyToManyRelation"):
        for f in fields:
            ctx.push(
                problems.validation_error(
                    "Implicit many-to-many relations are not supported on "
                    f"{ctx.provider_name}. Please use the syntax defined in "
                    "https://pris.ly/d/document-database-many-to-many",
                    f.file,
                    f.ast.span,
                    code=_CODE,
                )
            )
    for f in fields:
        target = ctx.db.models.get(f.type_name)
        if target is None:
            continue
        if target.id is None or len(target.id.fields) != 1:
            ctx.push(
                _field_error(
                    f,
                    f"The relation field `{f.name}` on {_container(target)} `{f.model.name}` "
                    f"references `{target.name}` which does not have an `@id` field. Models "
                    "without `@id` cannot be part of a many to many relation. Use an explicit "
                    "intermediate Model to represent this relationship.",
                )
            )
            continue
        references = _referenced(ctx, f)
        if references is not None and [r.name for r in references] != [target.id.fields[0].name]:
            ctx.push(
                problems.validation_error(
                    "Implicit many-to-many relations must always reference the id field of the "
                    "related model. Change the argument `references` to use the id field of the "
                    f"related model `{target.name}`. But it is referencing the following fields "
                    f"that are not the id: {', '.join(r.name for r in references)}",
                    f.file,
                    f.ast.span,
                    code=_CODE,
                )
            )
    _no_actions(ctx, fields)
    for f in fields:
        if f.references is not None:
            ctx.push(
                _relation_error(
                    f,
                    "Implicit many-to-many relation should not have references argument defined. "
                    "Either remove it, or change the relation to one-to-many.",
                )
            )


def _no_actions(ctx: Context, fields: list[FieldInfo]) -> None:
    for f in fields:
        for option, value in (("onDelete", f.on_delete), ("onUpdate", f.on_update)):
            if value is not None:
                ctx.push(
                    problems.validation_error(
                        "Referential actions on implicit many-to-many relations are not supported",
                        f.file,
                        _argument_span(f, option) or f.ast.span,
                        code=_CODE,
                    )
                )


def _embedded_many_to_many(ctx: Context, relation: RelationInfo) -> None:
    fields = relation.fields
    if not ctx.has("TwoWayEmbeddedManyToManyRelation"):
        for f in fields:
            ctx.push(
                problems.validation_error(
                    f"Embedded many-to-many relations are not supported on {ctx.provider_name}. "
                    "Please use the syntax defined in "
                    "https://pris.ly/d/relational-database-many-to-many",
                    f.file,
                    f.ast.span,
                    code=_CODE,
                )
            )
        return
    attribute_span = {
        f.name: f.relation_attribute.span if f.relation_attribute else None for f in fields
    }
    for what in ("references", "fields"):
        for f in fields:
            found = _referenced(ctx, f) if what == "references" else _referencing(f)
            if found is not None and len(found) == 1:
                continue
            span = _argument_span(f, what) or attribute_span[f.name] or f.ast.span
            ctx.push(
                _relation_error(
                    f,
                    f"The `{what}` argument must be defined and must point to exactly one scalar "
                    "field. https://pris.ly/d/many-to-many-relations",
                    span,
                )
            )
    for f in fields:
        references = _referenced(ctx, f)
        if references:
            target = references[0].model
            if target.id_names() != [references[0].name]:
                ctx.push(
                    _relation_error(
                        f,
                        "The `references` argument must point to a singular `id` field",
                        _argument_span(f, "references") or f.ast.span,
                    )
                )
    for f in fields:
        referencing, references = _referencing(f), _referenced(ctx, f)
        if not referencing or not references:
            continue
        a, b = referencing[0], references[0]
        same_native = (a.native.name if a.native else None) == (b.native.name if b.native else None)
        if (
            a.is_list
            and (a.kind, a.type_name) == (b.kind, b.type_name)
            and same_native
            and not b.is_list
        ):
            continue
        ctx.push(
            _relation_error(
                f,
                "The scalar field defined in `fields` argument must be an array of the same type "
                "defined in `references`",
                attribute_span[f.name] or f.ast.span,
            )
        )
    for f in fields:
        for option, value in (("onDelete", f.on_delete), ("onUpdate", f.on_update)):
            if value is not None:
                ctx.push(
                    problems.validation_error(
                        "Referential actions on two-way embedded many-to-many relations are not "
                        "supported",
                        f.file,
                        _argument_span(f, option) or f.ast.span,
                        code=_CODE,
                    )
                )


# -- referential action cycles ------------------------------------------------------------------


def _on_delete(ctx: Context, f: FieldInfo) -> str:
    if f.on_delete is not None:
        return f.on_delete
    assert ctx.dialect is not None
    fields = _referencing(f) or []
    required = f.arity == "required" or any(s.arity == "required" for s in fields)
    return ctx.dialect.default_on_delete(required, ctx.relation_mode)  # type: ignore[arg-type]


def _on_update(ctx: Context, f: FieldInfo) -> str:
    if f.on_update is not None:
        return f.on_update
    return ctx.dialect.DEFAULT_ON_UPDATE if ctx.dialect is not None else "Cascade"


def _triggers(action: str) -> bool:
    return action not in ("NoAction", "Restrict")


def _complete_from(ctx: Context, model: ModelInfo) -> list[RelationInfo]:
    """Complete one-to-one / one-to-many relations whose forward side is on `model`."""
    cache = ctx.cache.get("complete_from")
    if cache is None:
        cache = ctx.cache["complete_from"] = {}
        for r in ctx.db.relations:
            if r.kind != "many-to-many" and r.forward is not None and r.back is not None:
                cache.setdefault(r.forward.model.name, []).append(r)
    return cache.get(model.name, [])


def _cascade_error(ctx: Context, relation: RelationInfo, message: str) -> Finding:
    f = relation.forward
    assert f is not None
    on_delete = _on_delete(ctx, f) if f.on_delete is None else None
    on_update = _on_update(ctx, f) if f.on_update is None else None
    on_delete = on_delete if on_delete is not None and _triggers(on_delete) else None
    on_update = on_update if on_update is not None and _triggers(on_update) else None
    if on_delete and on_update:
        message += f" (Implicit default `onDelete`: `{on_delete}`, and `onUpdate`: `{on_update}`)"
    elif on_delete:
        message += f" (Implicit default `onDelete`: `{on_delete}`)"
    elif on_update:
        message += f" (Implicit default `onUpdate`: `{on_update}`)"
    message += " Read more at https://pris.ly/d/cyclic-referential-actions"
    return problems.validation_error(message, f.file, f.ast.span, code=_CODE)


def _cycles(ctx: Context, relation: RelationInfo) -> None:
    if ctx.dialect is None:
        return
    if not ctx.dialect.has("ReferenceCycleDetection") and ctx.relation_mode != "prisma":
        return
    start = relation.forward
    assert start is not None
    parent = start.model
    visited: set[int] = set()
    stack: list[tuple[RelationInfo, tuple[RelationInfo, ...]]] = [(relation, (relation,))]
    while stack:
        current, path = stack.pop()
        f = current.forward
        assert f is not None and current.back is not None
        visited.add(id(f))
        related = current.back.model
        if not (_triggers(_on_delete(ctx, f)) or _triggers(_on_update(ctx, f))):
            continue
        if f.model is related:
            ctx.push(
                _cascade_error(
                    ctx,
                    relation,
                    "A self-relation must have `onDelete` and `onUpdate` referential actions set "
                    "to `NoAction` in one of the @relation attributes.",
                )
            )
            return
        if related is parent:
            cycle = " → ".join(f"{r.forward.model.name}.{r.forward.name}" for r in path)  # type: ignore[union-attr]
            ctx.push(
                _cascade_error(
                    ctx,
                    relation,
                    "Reference causes a cycle. One of the @relation attributes in this cycle must "
                    "have `onDelete` and `onUpdate` referential actions set to `NoAction`. Cycle "
                    f"path: {cycle}.",
                )
            )
            return
        for nxt in _complete_from(ctx, related):
            if id(nxt.forward) not in visited:
                stack.append((nxt, (*path, nxt)))


def _multiple_cascading_paths(ctx: Context, relation: RelationInfo) -> None:
    if ctx.dialect is None or not ctx.dialect.has("ReferenceCycleDetection"):
        return
    if ctx.relation_mode == "prisma":
        return

    def triggers(r: RelationInfo) -> bool:
        assert r.forward is not None
        return _triggers(_on_delete(ctx, r.forward)) or _triggers(_on_update(ctx, r.forward))

    if not triggers(relation):
        return
    start = relation.forward
    assert start is not None
    parent = start.model
    paths: list[tuple[RelationInfo, ...]] = []
    stack = [(r, (r,), frozenset()) for r in _complete_from(ctx, parent) if triggers(r)]
    while stack:
        current, path, seen = stack.pop()
        f = current.forward
        assert f is not None and current.back is not None
        seen = seen | {id(f)}
        related = current.back.model
        if f.model is related or related is parent:
            continue
        nexts = [
            r for r in _complete_from(ctx, related) if triggers(r) and id(r.forward) not in seen
        ]
        if not nexts:
            paths.append(path)
            continue
        stack.extend((r, (*path, r), seen) for r in nexts)
    reached: dict[str, set[str]] = {}
    for path in paths:
        first = path[0].forward
        assert first is not None
        models = reached.setdefault(first.name, set())
        for r in path:
            assert r.back is not None
            models.add(r.back.model.name)
    mine = reached.pop(start.name, None)
    if mine is None:
        return
    common: set[str] = set()
    for other in reached.values():
        common |= mine & other
    if not common:
        return
    listed = ", ".join(f"`{m}`" for m in sorted(common))
    if len(common) == 1:
        message = (
            f"When any of the records in model {listed} is updated or deleted, the referential "
            f"actions on the relations cascade to model `{parent.name}` through multiple paths. "
            "Please break one of these paths by setting the `onUpdate` and `onDelete` to "
            "`NoAction`."
        )
    else:
        message = (
            f"When any of the records in models {listed} are updated or deleted, the referential "
            f"actions on the relations cascade to model `{parent.name}` through multiple paths. "
            "Please break one of these paths by setting the `onUpdate` and `onDelete` to "
            "`NoAction`."
        )
    ctx.push(_cascade_error(ctx, relation, message))

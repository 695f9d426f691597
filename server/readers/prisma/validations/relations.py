"""Relation validations: opposite fields, ambiguity, `fields` / `references`, arity, actions.

Messages follow psl's `validations/relations` so Prisma users recognise them.
"""

from __future__ import annotations

from schemasense.server.readers.prisma import problems
from schemasense.server.readers.prisma.database import Database, FieldInfo, ModelInfo
from schemasense.server.readers.prisma.relations import opposite_candidates

_CODE = problems.RELATION


def _error(db: Database, f: FieldInfo, message: str) -> None:
    db.findings.append(
        problems.field_error(_CODE, f.model.kind, f.model.name, f.name, message, f.file, f.ast.span)
    )


def _attribute_error(db: Database, f: FieldInfo, message: str) -> None:
    span = f.relation_attribute.span if f.relation_attribute else f.ast.span
    db.findings.append(problems.attribute_error(_CODE, "@relation", message, f.file, span))


def validate(db: Database) -> None:
    for model in db.models.values():
        if model.kind == "type":
            continue
        for f in model.relation_fields:
            _validate_field(db, model, f)


def _validate_field(db: Database, model: ModelInfo, f: FieldInfo) -> None:
    target = db.models[f.type_name]
    candidates = opposite_candidates(db, f)
    if len(candidates) > 1 or (not candidates and _ambiguous_unnamed(db, f, model, target)):
        _ambiguity(db, model, f, target)
        return
    if len(candidates) == 1 and len(opposite_candidates(db, candidates[0])) > 1:
        _ambiguity(db, model, f, target)
        return
    relation = f.relation
    if relation is None:
        return
    back = relation.back if relation.forward is f else relation.forward
    if back is None:
        if f.ignored or model.ignored or target.ignored:
            return
        _error(
            db,
            f,
            f"The relation field `{f.name}` on model `{model.name}` is missing an opposite "
            f"relation field on the model `{target.name}`. Either run `prisma format` or add it "
            "manually.",
        )
        return
    if target.kind == "view" or model.kind == "view":
        return
    if relation.kind == "many-to-many":
        _many_to_many(db, f, target)
        return
    if relation.forward is f:
        _forward(db, f, target, relation.kind, back)
    else:
        _back(db, f, relation.forward, relation.kind)


def _ambiguous_unnamed(db: Database, f: FieldInfo, model: ModelInfo, target: ModelInfo) -> bool:
    return False


def _ambiguity(db: Database, model: ModelInfo, f: FieldInfo, target: ModelInfo) -> None:
    others = [
        g
        for g in model.relation_fields
        if g is not f and g.type_name == f.type_name and g.relation_name == f.relation_name
    ]
    if not others:
        others = opposite_candidates(db, f)
    other = others[0] if others else f
    if model is target:
        message = (
            f"Ambiguous self relation detected. The fields `{f.name}` and `{other.name}` in model "
            f"`{model.name}` both refer to `{target.name}`. If they are part of the same relation "
            "add the same relation name for them with `@relation(<name>)`."
        )
    else:
        message = (
            f"Ambiguous relation detected. The fields `{f.name}` and `{other.name}` in model "
            f"`{model.name}` both refer to `{target.name}`. Please provide different relation "
            "names for them by adding `@relation(<name>).`"
        )
    _error(db, f, message)


def _many_to_many(db: Database, f: FieldInfo, target: ModelInfo) -> None:
    if f.fields is not None or f.references is not None:
        _error(
            db,
            f,
            "Implicit many-to-many relations must not use references. To fix this, remove the "
            "`references` and `fields` arguments from the relation, or use an explicit "
            "many-to-many relation.",
        )
        return
    if target.id is None or len(target.id.fields) != 1:
        _error(
            db,
            f,
            f"The relation field `{f.name}` on model `{f.model.name}` references `{target.name}` "
            "which does not have an `@id` field. Models without `@id` cannot be part of a many "
            "to many relation. Use an explicit intermediate Model to represent this relationship.",
        )
    if db.config.relation_mode == "prisma" and db.provider == "mongodb":
        return


def _back(db: Database, f: FieldInfo, forward: FieldInfo, kind: str) -> None:
    if f.fields is not None or f.references is not None:
        if kind == "one-to-one" and forward.fields is not None:
            _error(
                db,
                f,
                f"The relation fields `{forward.name}` on Model `{forward.model.name}` and "
                f"`{f.name}` on Model `{f.model.name}` both provide the `references` argument in "
                "the @relation attribute. You have to provide it only on one of the two fields.",
            )
            return
        _error(
            db,
            f,
            f"The relation field `{f.name}` on Model `{f.model.name}` must not specify the "
            "`fields` or `references` argument in the @relation attribute. You must only specify "
            f"it on the opposite field `{forward.name}` on model `{forward.model.name}`.",
        )
        return
    if f.on_delete is not None or f.on_update is not None:
        _error(
            db,
            f,
            f"The relation field `{f.name}` on Model `{f.model.name}` must not specify the "
            "`onDelete` or `onUpdate` argument in the @relation attribute. You must only specify "
            f"it on the opposite field `{forward.name}` on model `{forward.model.name}`, or in "
            "case of a many to many relation, in an explicit join table.",
        )


def _forward(db: Database, f: FieldInfo, target: ModelInfo, kind: str, back: FieldInfo) -> None:
    model = f.model
    if f.fields is None and f.references is None:
        if kind == "one-to-one":
            _error(
                db,
                f,
                f"The relation fields `{f.name}` on Model `{model.name}` and `{back.name}` on "
                f"Model `{back.model.name}` do not provide the `fields` argument in the @relation "
                "attribute. You have to provide it on one of the two fields.",
            )
        else:
            _error(
                db,
                f,
                f"The relation field `{f.name}` on Model `{model.name}` must specify the "
                "`fields` argument in the @relation attribute. You can run `prisma format` to fix "
                "this automatically.",
            )
        return
    if f.fields is None:
        _error(
            db,
            f,
            f"The relation field `{f.name}` on Model `{model.name}` must specify the `fields` "
            "argument in the @relation attribute. You can run `prisma format` to fix this "
            "automatically.",
        )
        return
    if f.references is None:
        _error(
            db,
            f,
            f"The relation field `{f.name}` on Model `{model.name}` must specify the "
            "`references` argument in the @relation attribute.",
        )
        return
    if not _fields_and_references(db, f, target):
        return
    if kind == "one-to-one" and not _is_unique(model, f.fields):
        fields = ", ".join(f.fields)
        message = (
            "A one-to-one relation must use unique fields on the defining side. Either add an "
            + (
                f"`@unique` attribute to the field `{fields}`"
                if len(f.fields) == 1
                else f"`@@unique([{fields}])` attribute to the model `{model.name}`"
            )
            + ", or change the relation to one-to-many."
        )
        _error(db, f, message)
    _arity(db, f)
    _actions(db, f)


def _fields_and_references(db: Database, f: FieldInfo, target: ModelInfo) -> bool:
    model = f.model
    assert f.fields is not None and f.references is not None
    unknown = [name for name in f.fields if model.field(name) is None]
    if unknown:
        _attribute_error(
            db,
            f,
            "The argument fields must refer only to existing fields. The following fields do not "
            f"exist in this model: {', '.join(unknown)}",
        )
        return False
    relational = [name for name in f.fields if model.field(name).kind == "relation"]  # type: ignore[union-attr]
    if relational:
        _attribute_error(
            db,
            f,
            "The argument fields must refer only to scalar fields. But it is referencing the "
            f"following relation fields: {', '.join(relational)}",
        )
        return False
    unknown = [name for name in f.references if target.field(name) is None]
    if unknown:
        _attribute_error(
            db,
            f,
            "The argument `references` must refer only to existing fields in the related model "
            f"`{target.name}`. The following fields do not exist in the related model: "
            f"{', '.join(unknown)}",
        )
        return False
    relational = [name for name in f.references if target.field(name).kind == "relation"]  # type: ignore[union-attr]
    if relational:
        _attribute_error(
            db,
            f,
            "The argument `references` must refer only to scalar fields in the related model "
            f"`{target.name}`. But it is referencing the following relation fields: "
            f"{', '.join(relational)}",
        )
        return False
    if len(f.fields) != len(f.references):
        _error(db, f, "You must specify the same number of fields in `fields` and `references`.")
        return False
    if not _is_unique(target, f.references, allow_superset=False):
        _error(
            db,
            f,
            "The argument `references` must refer to a unique criterion in the related model. "
            f"Consider adding an `@unique` attribute to the field `{', '.join(f.references)}` in "
            f"the model `{target.name}`."
            if len(f.references) == 1
            else "The argument `references` must refer to a unique criterion in the related model "
            f"`{target.name}`. But it is referencing the following fields that are not a unique "
            f"criterion: {', '.join(f.references)}",
        )
        return False
    for name, ref in zip(f.fields, f.references, strict=True):
        local, remote = model.field(name), target.field(ref)
        assert local is not None and remote is not None
        if local.type_name != remote.type_name or (
            local.native is not None
            and remote.native is not None
            and (local.native.name, local.native.args) != (remote.native.name, remote.native.args)
        ):
            _error(
                db,
                f,
                f"The type of the field `{name}` in the model `{model.name}` is not matching the "
                f"type of the referenced field `{ref}` in model `{target.name}`.",
            )
            return False
    return True


def _is_unique(model: ModelInfo, names: list[str], allow_superset: bool = True) -> bool:
    criteria: list[list[str]] = []
    if model.id is not None:
        criteria.append([i.name for i in model.id.fields])
    criteria.extend(
        [i.name for i in index.fields] for index in model.indexes if index.kind == "unique"
    )
    wanted = set(names)
    for criterion in criteria:
        if set(criterion) == wanted:
            return True
        if allow_superset and set(criterion) <= wanted:
            return True
    return False


def _arity(db: Database, f: FieldInfo) -> None:
    model = f.model
    scalars = [model.field(name) for name in f.fields or []]
    if f.arity == "required" and any(s is not None and s.optional for s in scalars):
        _error(
            db,
            f,
            f"The relation field `{f.name}` uses the scalar fields {', '.join(f.fields or [])}. "
            "At least one of those fields is optional. Hence the relation field must be optional "
            "as well.",
        )


def _actions(db: Database, f: FieldInfo) -> None:
    model = f.model
    allowed = _allowed_actions(db)
    for option, value in (("onDelete", f.on_delete), ("onUpdate", f.on_update)):
        if value is None:
            continue
        if value not in allowed:
            _attribute_error(
                db,
                f,
                f"Invalid referential action: `{value}`. Allowed values: ("
                + ", ".join(f"`{a}`" for a in allowed)
                + ")",
            )
            continue
        if value == "SetNull":
            scalars = [model.field(name) for name in f.fields or []]
            if any(s is not None and not s.optional for s in scalars):
                db.findings.append(
                    problems.field_error(
                        _CODE,
                        model.kind,
                        model.name,
                        f.name,
                        f"The `{option}` referential action of a relation must not be set to "
                        "`SetNull` when a referenced field is required.\nEither choose another "
                        "referential action, or make the referenced fields optional.",
                        f.file,
                        f.ast.span,
                    )
                )


def _allowed_actions(db: Database) -> tuple[str, ...]:
    if db.config.relation_mode == "prisma":
        if db.provider == "sqlserver":
            return ("Cascade", "SetNull", "NoAction")
        if db.provider in ("postgresql", "sqlite"):
            return ("Cascade", "Restrict", "NoAction", "SetNull")
        return ("Cascade", "Restrict", "NoAction", "SetNull")
    if db.provider == "sqlserver":
        return ("Cascade", "NoAction", "SetNull", "SetDefault")
    if db.provider == "mysql":
        return ("Cascade", "Restrict", "NoAction", "SetNull", "SetDefault")
    return ("Cascade", "Restrict", "NoAction", "SetNull", "SetDefault")

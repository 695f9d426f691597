"""Prisma's validation pipeline (psl's `validation_pipeline/validations.rs`), in Prisma's order.

It runs only on a resolved schema without errors, and the validations only append findings.
As in Prisma, an ambiguous relation field ends the pipeline at once (the relation checks would
only repeat it). One module per family; the provider's facts come from `codegen.dialects`.
"""

from __future__ import annotations

from schemasense.server.sources.prisma import problems
from schemasense.server.sources.prisma.database import Database, ModelInfo
from schemasense.server.sources.prisma.validations import fields, indexes, models, relations
from schemasense.server.sources.prisma.validations.context import Context, make_context


def validate(db: Database) -> None:
    ctx = make_context(db)
    _composite_types(ctx)
    fields.unknown_default_functions(ctx)
    _datasource(ctx)
    models.database_name_clashes(ctx)
    for model in db.real_models():
        models.validate_model(ctx, model)
        for f in model.scalar_fields:
            fields.validate_scalar_field(ctx, model, f)
        for f in model.relation_fields:
            error = relations.ambiguity(ctx, f)
            if error is not None:
                ctx.push(error)
                return
            relations.validate_relation_field(ctx, f)
        for index in model.indexes:
            indexes.validate_index(ctx, model, index)
    _enums(ctx)
    for relation in db.relations:
        relations.validate_relation(ctx, relation)


def _composite_types(ctx: Context) -> None:
    types = [m for m in ctx.db.models.values() if m.kind == "type"]
    _composite_cycles(ctx, types)
    for model in types:
        if not ctx.has("CompositeTypes"):
            ctx.push(
                problems.validation_error(
                    f"Composite types are not supported on {ctx.provider_name}.",
                    model.file,
                    model.ast.span,
                    code=problems.PROVIDER_FEATURE,
                )
            )
    if ctx.has_errors():
        return
    for model in types:
        if not model.ast.fields:
            ctx.push(
                problems.validation_error(
                    "A type must have at least one field defined.",
                    model.file,
                    model.ast.span,
                    code=problems.PROVIDER_FEATURE,
                )
            )
        for f in model.fields:
            fields.validate_native_type(ctx, f)


def _composite_cycles(ctx: Context, types: list[ModelInfo]) -> None:
    """A composite type that contains itself through required fields never ends."""
    for model in types:
        for f in model.fields:
            if f.kind != "composite" or f.arity != "required":
                continue
            seen = {model.name}
            current = ctx.db.models.get(f.type_name)
            while current is not None and current.name not in seen:
                seen.add(current.name)
                nxt = next(
                    (g for g in current.fields if g.kind == "composite" and g.arity == "required"),
                    None,
                )
                current = ctx.db.models.get(nxt.type_name) if nxt is not None else None
            if current is not None and current.name == model.name:
                ctx.push(
                    problems.problem(
                        problems.PROVIDER_FEATURE,
                        f"Error validating field `{f.name}` in composite type `{model.name}`: "
                        "The type is the same as the parent and causes an endless cycle. Please "
                        "change the field to be either optional or a list.",
                        model.file,
                        f.ast.span,
                    )
                )


def _datasource(ctx: Context) -> None:
    config = ctx.db.config
    if config.datasource is None or config.datasource_file is None:
        return
    file = config.datasource_file
    if (
        config.extensions_span is not None
        and config.provider == "postgresql"
        and "postgresqlExtensions" not in config.preview_features
    ):
        ctx.push(
            problems.problem(
                problems.CONFIG,
                "The `extensions` property is only available with the `postgresqlExtensions` "
                "preview feature.",
                file,
                config.extensions_span,
            )
        )


def _enums(ctx: Context) -> None:
    db = ctx.db
    if ctx.has("Enums"):
        seen: dict[tuple[str | None, str], str] = {}
        for enum in db.enums.values():
            key = (enum.db_schema, enum.db_name)
            if key in seen:
                attribute = next((a for a in enum.ast.attributes if a.name.name == "map"), None)
                ctx.push(
                    problems.problem(
                        problems.NAME_COLLISION,
                        f'An enum with the same database name is already defined ("{seen[key]}").',
                        enum.file,
                        attribute.span if attribute is not None else enum.ast.name.span,
                    )
                )
            seen.setdefault(key, enum.name)
    for enum in db.enums.values():
        if not ctx.has("Enums"):
            ctx.push(
                problems.problem(
                    problems.PROVIDER_FEATURE,
                    f"You defined the enum `{enum.name}`. But the current connector does not "
                    "support enums.",
                    enum.file,
                    enum.ast.span,
                )
            )
        attribute = enum.schema_attribute
        if attribute is None:
            if (
                ctx.has("MultiSchema")
                and db.config.schemas_span is not None
                and db.provider != "mysql"
            ):
                ctx.push(
                    problems.problem(
                        problems.CONFIG,
                        f'Error validating enum "{enum.name}": This enum is missing an `@@schema` '
                        "attribute.",
                        enum.file,
                        enum.ast.span,
                    )
                )
            continue
        if not ctx.has("MultiSchema"):
            ctx.push(
                problems.problem(
                    problems.PROVIDER_FEATURE,
                    "@@schema is not supported on the current datasource provider",
                    enum.file,
                    attribute.span,
                )
            )
        elif db.config.datasource is not None and enum.db_schema not in db.config.schemas:
            ctx.push(
                problems.problem(
                    problems.CONFIG,
                    "This schema is not defined in the datasource. Read more on `@@schema` at "
                    "https://pris.ly/d/multi-schema",
                    enum.file,
                    attribute.span,
                )
            )
        if db.provider == "mysql":
            ctx.push(
                problems.problem(
                    problems.PROVIDER_FEATURE,
                    "MySQL enums do not belong to a schema.",
                    enum.file,
                    attribute.span,
                )
            )

"""Model validations: unique criteria, ids, index fields, and database names that collide."""

from __future__ import annotations

from schemasense.server.readers.prisma import problems
from schemasense.server.readers.prisma.database import Database, IndexInfo, ModelInfo

_CONTAINER = {"model": "model", "view": "view", "type": "composite type"}
_RESERVED_MODEL_NAMES = frozenset(
    """PrismaClient Prisma async await break case catch class const continue debugger default
    delete do else enum export extends false finally for function if implements import in
    instanceof interface let new null package private protected public return super switch this
    throw true try typeof var void while with yield""".split()
)


def _model_error(db: Database, model: ModelInfo, message: str, code: str, span=None) -> None:
    db.findings.append(
        problems.problem(
            code,
            f'Error validating model "{model.name}": {message}',
            model.file,
            span or model.ast.span,
        )
    )


def validate(db: Database) -> None:
    table_names: dict[tuple[str | None, str], ModelInfo] = {}
    for model in db.models.values():
        if model.kind == "type":
            if db.provider not in (None, "mongodb"):
                db.findings.append(
                    problems.problem(
                        problems.PROVIDER_FEATURE,
                        "Error validating: Composite types are not supported on "
                        f"{_provider_title(db.provider)}.",
                        model.file,
                        model.ast.span,
                    )
                )
            continue
        if model.name in _RESERVED_MODEL_NAMES:
            db.findings.append(
                problems.problem(
                    problems.DUPLICATE,
                    f"The model name `{model.name}` is invalid. It is a reserved name. Please "
                    "change it. Read more at https://pris.ly/d/naming-models",
                    model.file,
                    model.ast.name.span,
                )
            )
        key = (model.db_schema, model.db_name)
        if key in table_names and model.kind == "model":
            other = table_names[key]
            db.findings.append(
                problems.problem(
                    problems.NAME_COLLISION,
                    f'The model with database name "{model.db_name}" could not be defined because '
                    f'another model or view with this name exists: "{other.name}"',
                    model.file,
                    model.ast.name.span if not model.mapped else _map_span(model),
                )
            )
        table_names.setdefault(key, model)
        _unique_criteria(db, model)
        _id(db, model)
        for index in model.indexes:
            _index_fields(db, model, index)
        _column_names(db, model)
        _schema_attribute(db, model)


def _provider_title(provider: str | None) -> str:
    return {
        "postgresql": "Postgres",
        "mysql": "MySQL",
        "sqlite": "SQLite",
        "sqlserver": "SQL Server",
        "cockroachdb": "CockroachDB",
    }.get(provider or "", provider or "")


def _map_span(model: ModelInfo):
    attr = next((a for a in model.ast.attributes if a.name.name == "map"), None)
    return attr.span if attr else model.ast.name.span


def _unique_criteria(db: Database, model: ModelInfo) -> None:
    if model.ignored or model.kind == "view":
        return
    if model.id is not None:
        return
    for index in model.indexes:
        if index.kind != "unique":
            continue
        fields = [model.field(i.name) for i in index.fields]
        if all(f is not None and f.kind != "unsupported" and f.arity == "required" for f in fields):
            return
    _model_error(
        db,
        model,
        "Each model must have at least one unique criteria that has only required fields. "
        "Either mark a single field with `@id`, `@unique` or add a multi field criterion with "
        "`@@id([])` or `@@unique([])` to the model.",
        problems.UNIQUE_CRITERIA,
    )


def _id(db: Database, model: ModelInfo) -> None:
    index = model.id
    if index is None:
        return
    if model.kind == "view":
        return
    unknown = [i.name for i in index.fields if model.field(i.name) is None]
    if unknown and not index.on_field:
        _model_error(
            db,
            model,
            f"The multi field id declaration refers to the unknown fields {', '.join(unknown)}.",
            problems.UNIQUE_CRITERIA,
            index.attribute.span if index.attribute else None,
        )
        return
    fields = [model.field(i.name) for i in index.fields]
    relational = [f.name for f in fields if f is not None and f.kind == "relation"]
    if relational:
        if index.on_field:
            db.findings.append(
                problems.attribute_error(
                    problems.UNIQUE_CRITERIA,
                    "@id",
                    "The field is a relation field and cannot be marked as id.",
                    model.file,
                    index.attribute.span if index.attribute else model.ast.span,
                )
            )
        else:
            _model_error(
                db,
                model,
                "The id definition refers to the relation fields "
                f"{', '.join(relational)}. ID definitions must reference only scalar fields.",
                problems.UNIQUE_CRITERIA,
                index.attribute.span if index.attribute else None,
            )
        return
    optional = [f.name for f in fields if f is not None and f.arity != "required"]
    if optional:
        if index.on_field:
            db.findings.append(
                problems.attribute_error(
                    problems.UNIQUE_CRITERIA,
                    "@id",
                    "Fields that are marked as id must be required.",
                    model.file,
                    index.attribute.span if index.attribute else model.ast.span,
                )
            )
        else:
            db.findings.append(
                problems.attribute_error(
                    problems.UNIQUE_CRITERIA,
                    "@@id",
                    f"The id definition refers to the optional fields {', '.join(optional)}. "
                    "ID definitions must reference only required fields.",
                    model.file,
                    index.attribute.span if index.attribute else model.ast.span,
                )
            )


_INDEX_WORD = {"unique": "unique index", "normal": "index", "fulltext": "fulltext index"}


def _index_fields(db: Database, model: ModelInfo, index: IndexInfo) -> None:
    if index.on_field:
        f = model.field(index.fields[0].name)
        if f is not None and f.kind == "relation":
            db.findings.append(
                problems.attribute_error(
                    problems.INDEX,
                    "@unique",
                    f"The field `{f.name}` is a relation field and cannot be marked with "
                    "`@unique`. Only scalar fields can be made unique.",
                    model.file,
                    index.attribute.span if index.attribute else f.ast.span,
                )
            )
        return
    span = index.attribute.span if index.attribute else None
    unknown = [i.name for i in index.fields if model.field(i.name) is None]
    if unknown:
        what = "multi field unique declaration" if index.kind == "unique" else "index definition"
        _model_error(
            db,
            model,
            f"The {what} refers to the unknown fields: {', '.join(unknown)}.",
            problems.INDEX,
            span,
        )
        return
    relational = [
        i.name
        for i in index.fields
        if model.field(i.name).kind == "relation"  # type: ignore[union-attr]
    ]
    if relational:
        _model_error(
            db,
            model,
            f"The {_INDEX_WORD[index.kind]} definition refers to the relation fields "
            f"{', '.join(relational)}. Index definitions must reference only scalar fields.",
            problems.INDEX,
            span,
        )


def _column_names(db: Database, model: ModelInfo) -> None:
    seen: dict[str, str] = {}
    for f in model.scalar_fields:
        if f.db_name in seen and f.db_name != f.name or (f.db_name in seen and f.mapped):
            db.findings.append(
                problems.problem(
                    problems.NAME_COLLISION,
                    f'Error validating model "{model.name}": The field "{f.name}" is mapped to '
                    f'"{f.db_name}", which is already the name of field "{seen[f.db_name]}".'
                    if f.mapped
                    else f'Field "{f.name}" is already defined on model "{model.name}".',
                    model.file,
                    f.ast.span,
                )
            )
            continue
        seen.setdefault(f.db_name, f.name)


def _schema_attribute(db: Database, model: ModelInfo) -> None:
    schemas = db.config.schemas
    if model.schema_attribute is not None:
        if not schemas:
            db.findings.append(
                problems.attribute_error(
                    problems.CONFIG,
                    "@@schema",
                    "This schema is not defined in the datasource. Read more on `@@schema` at "
                    "https://pris.ly/d/multi-schema",
                    model.file,
                    model.schema_attribute.span,
                )
            )
        elif model.db_schema not in schemas:
            db.findings.append(
                problems.attribute_error(
                    problems.CONFIG,
                    "@@schema",
                    "This schema is not defined in the datasource. Read more on `@@schema` at "
                    "https://pris.ly/d/multi-schema",
                    model.file,
                    model.schema_attribute.span,
                )
            )

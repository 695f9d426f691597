"""Lower the resolved Prisma schema to the schema model: database names, types, keys, relations.

This is where Prisma's derivations happen: database names of tables, columns and every
constraint (`User_pkey`, `Post_authorId_fkey`, `User_email_key`, `Post_title_idx`, truncated to
the provider's identifier limit), implicit many-to-many join tables (`_CategoryToPost` with `A`
and `B`), foreign keys from the forward side of each relation, and Prisma's default
referential actions. Lowering works on whatever resolved, so even a schema with errors yields a
model for the editor features.
"""

from __future__ import annotations

from schemasense.codegen.dialects import get_dialect
from schemasense.codegen.orms.prisma import naming
from schemasense.codegen.schema import (
    Column,
    ConfigValue,
    Datasource,
    Default,
    Enum,
    EnumValue,
    ForeignKey,
    Generator,
    Index,
    IndexColumn,
    PrimaryKey,
    Relation,
    Schema,
    Span,
    Table,
    UniqueConstraint,
)
from schemasense.server.sources.prisma import ast
from schemasense.server.sources.prisma.database import (
    Database,
    FieldInfo,
    IndexInfo,
    ModelInfo,
    RelationInfo,
)
from schemasense.server.sources.prisma.types import column_type

TABLES_LIMIT = 20_000
"""Lowered tables kept at most (`PrismaCaches.tables`; emptied when full)."""


def lower(db: Database, tables: dict[int, list] | None = None) -> Schema:
    """The schema model of `db`. `tables`: block key of a model -> [dependencies, its start
    offset then, the table], the tables of earlier reads to reuse (`PrismaCaches.tables`);
    without it every model is lowered."""
    provider = db.provider
    schema = Schema(
        provider=provider,  # type: ignore[arg-type]
        relation_mode="prisma" if db.config.relation_mode == "prisma" else "foreignKeys",
        sources=list(db.asts),
    )
    if db.config.datasource is not None and db.config.datasource_file is not None:
        schema.datasource = _config_block(db.config.datasource, db.config.datasource_file)
        schema.datasource.provider = provider
    schema.generators = [
        Generator(**_config_block(block, file).model_dump(exclude={"provider"}))
        for block, file in db.config.generators
    ]
    for enum in db.enums.values():
        schema.enums.append(
            Enum(
                name=enum.db_name,
                model_name=enum.name,
                db_schema=enum.db_schema,
                values=[
                    EnumValue(
                        name=db_name,
                        orm_name=value.name.name,
                        doc=value.documentation,
                        span=_span(enum.file, value.span),
                    )
                    for value, db_name in enum.values
                ],
                doc=enum.ast.documentation,
                span=_span(enum.file, enum.ast.span),
            )
        )
    for model in db.models.values():
        schema.tables.append(
            _table_memoized(db, model, tables) if tables is not None else _table(db, model)
        )
    for relation in db.relations:
        if relation.kind == "many-to-many" and relation.back is not None:
            join = _join_table(db, relation)
            if join is not None:
                schema.tables.append(join)
    return schema


def _key(tree: ast.Model | ast.Enum | ast.ConfigBlock | None) -> int | None:
    return tree.block_key if tree is not None else None


def _dependencies(db: Database, model: ModelInfo) -> tuple:
    """Everything a model's table is derived from besides its own block: the datasource and
    what each field resolved to (the blocks of the models and enums it names, since relation
    pairing, referenced names and enum names come from them). Blocks are named by their key,
    which the parser keeps for an unchanged block even when an edit moved it."""
    deps: list = [_key(db.config.datasource), db.provider, db.config.relation_mode]
    for f in model.fields:
        target = db.models.get(f.type_name) or db.enums.get(f.type_name)
        deps.append((f.kind, _key(target.ast) if target is not None else None))
    return tuple(deps)


def _table_memoized(db: Database, model: ModelInfo, tables: dict[int, list]) -> Table:
    """The table of `model`, reused from the previous read when neither the model's block nor
    anything it depends on changed, so a keystroke re-lowers only the model it touches and the
    models that name it. A reused table whose block moved gets its spans moved in place (the
    previous read's schema is superseded by then: nothing reads both)."""
    tree = model.ast
    if not tree.block_key:
        return _table(db, model)
    deps = _dependencies(db, model)
    entry = tables.get(tree.block_key)
    if entry is not None and entry[0] == deps:
        delta = tree.span[0] - entry[1]
        if delta:
            _shift_table(entry[2], delta)
            entry[1] = tree.span[0]
        return entry[2]
    table = _table(db, model)
    if len(tables) >= TABLES_LIMIT:
        tables.clear()
    tables[tree.block_key] = [deps, tree.span[0], table]
    return table


def _shift_table(table: Table, delta: int) -> None:
    """Move a reused table's spans by `delta`. Each span is replaced, never changed in place:
    findings made from the table may hold the old span objects."""
    holders: list = [table, *table.columns, *table.relations, *table.uniques, *table.indexes]
    holders += [*table.foreign_keys, *table.checks]
    if table.primary_key is not None:
        holders.append(table.primary_key)
    for holder in holders:
        span = holder.span
        if span is not None:
            # a set span is in the holder's fields set already: only its value changes
            holder.__dict__["span"] = moved_span(span, delta)


_SPAN_FIELDS = frozenset(Span.model_fields)


def moved_span(span: Span, delta: int) -> Span:
    """`span` moved by `delta`: a new `Span` equal to `Span(file=..., start=..., end=...)`,
    made the way `Span.model_construct` makes one, without its generic path (a keystroke
    moves the spans of every table after the edit: a third of the cost of moving them)."""
    moved = _new(Span)
    _set(
        moved, "__dict__", {"file": span.file, "start": span.start + delta, "end": span.end + delta}
    )
    _set(moved, "__pydantic_fields_set__", set(_SPAN_FIELDS))
    _set(moved, "__pydantic_extra__", None)
    _set(moved, "__pydantic_private__", None)
    return moved


_new = object.__new__
_set = object.__setattr__


def _span(file: str, offsets: ast.Offsets) -> Span:
    return Span(file=file, start=offsets[0], end=offsets[1])


def _config_block(block: ast.ConfigBlock, file: str) -> Datasource:
    properties: dict[str, ConfigValue] = {}
    for prop in block.properties:
        properties[prop.name.name] = _config_value(prop)
    return Datasource(name=block.name.name, properties=properties, span=_span(file, block.span))


def _config_value(prop: ast.ConfigProperty) -> ConfigValue:
    value = prop.value
    if isinstance(value, ast.StringValue):
        return ConfigValue(value=value.value)
    if isinstance(value, ast.NumericValue):
        return ConfigValue(value=value.value)
    if isinstance(value, ast.ConstantValue):
        if value.name in ("true", "false"):
            return ConfigValue(value=value.name == "true")
        return ConfigValue(value=value.name)
    if isinstance(value, ast.FunctionCall) and value.name == "env":
        args = value.arguments.arguments
        if args and isinstance(args[0].value, ast.StringValue):
            return ConfigValue(env=args[0].value.value)
    if isinstance(value, ast.ArrayExpression):
        items: list[str] = []
        for item in value.items:
            if isinstance(item, ast.StringValue):
                items.append(item.value)
            elif isinstance(item, ast.ConstantValue | ast.FunctionCall):
                items.append(item.name)
        return ConfigValue(value=items)
    return ConfigValue()


def _table(db: Database, model: ModelInfo) -> Table:
    provider = db.provider
    table = Table(
        name=model.db_name,
        model_name=model.name,
        db_schema=model.db_schema,
        kind={"model": "table", "view": "view", "type": "composite_type"}[model.kind],  # type: ignore[arg-type]
        ignored=model.ignored,
        doc=model.ast.documentation,
        span=_span(model.file, model.ast.span),
    )
    for f in model.scalar_fields:
        table.columns.append(_column(db, f))
    column_of = {f.name: f.db_name for f in model.fields}
    if model.id is not None and model.kind != "type":
        table.primary_key = PrimaryKey(
            name=model.id.map or naming.primary_key_name(model.db_name, provider),
            orm_name=model.id.name,
            columns=_index_columns(model.id, column_of),
            clustered=model.id.clustered,
            defined_on_field=model.id.on_field,
            span=_span(
                model.file, model.id.attribute.span if model.id.attribute else model.ast.span
            ),
        )
    for index in model.indexes:
        if model.kind == "type":
            continue
        columns = _index_columns(index, column_of)
        names = [c.column or "" for c in columns]
        span = _span(model.file, index.attribute.span if index.attribute else model.ast.span)
        if index.kind == "unique":
            table.uniques.append(
                UniqueConstraint(
                    name=index.map or naming.unique_index_name(model.db_name, names, provider),
                    orm_name=index.name,
                    columns=columns,
                    clustered=index.clustered,
                    defined_on_field=index.on_field,
                    span=span,
                )
            )
        else:
            table.indexes.append(
                Index(
                    name=index.map or naming.index_name(model.db_name, names, provider),
                    columns=columns,
                    method=_method(index),
                    predicate=_predicate(index),
                    clustered=index.clustered,
                    span=span,
                )
            )
    for f in model.relation_fields:
        relation = f.relation
        table.relations.append(_relation(db, f, relation))
        if relation is None or relation.forward is not f or relation.kind == "many-to-many":
            continue
        if not f.fields or not f.references or db.config.relation_mode == "prisma":
            continue
        if model.kind != "model":
            continue
        target = db.models.get(f.type_name)
        if target is None or target.kind == "view":
            continue
        target_columns = {g.name: g.db_name for g in target.fields}
        columns = [column_of.get(name, name) for name in f.fields]
        fk = ForeignKey(
            name=f.fk_map or naming.foreign_key_name(model.db_name, columns, provider),
            columns=columns,
            referenced_table=target.db_name,
            referenced_schema=target.db_schema,
            referenced_columns=[target_columns.get(name, name) for name in f.references],
            on_delete=f.on_delete or _default_on_delete(db, f),  # type: ignore[arg-type]
            on_update=f.on_update or "Cascade",  # Prisma's default everywhere  # type: ignore[arg-type]
            span=_span(model.file, f.ast.span),
        )
        table.foreign_keys.append(fk)
        table.relations[-1].foreign_key = fk.name
    return table


def _default_on_delete(db: Database, f: FieldInfo) -> str:
    """Prisma's default `onDelete`: a relation is required when its field or any of its key
    fields is; required gets Restrict (NoAction where the provider lacks it), optional SetNull."""
    model = f.model
    keys = [model.field(name) for name in f.fields or []]
    required = f.arity == "required" or any(k is not None and k.arity == "required" for k in keys)
    dialect = get_dialect(db.provider)
    if dialect is None:
        return "Restrict" if required else "SetNull"
    return dialect.default_on_delete(required, db.config.relation_mode)


def _method(index: IndexInfo) -> str | None:
    if index.kind == "fulltext":
        return "fulltext"
    if index.algorithm is None:
        return None
    return {
        "BTree": "btree",
        "Hash": "hash",
        "Gist": "gist",
        "Gin": "gin",
        "SpGist": "spgist",
        "Brin": "brin",
    }.get(index.algorithm)


def _predicate(index: IndexInfo) -> str | None:
    """A partial index's `where: raw("...")` (preview `partialIndexes`): the SQL as given.

    The object form (`where: { active: true }`) is not read yet: the parser has no object
    expressions."""
    where = index.where
    if where is None or not isinstance(where.value, ast.FunctionCall) or where.value.name != "raw":
        return None
    args = where.value.arguments.arguments
    if args and isinstance(args[0].value, ast.StringValue):
        return args[0].value.value
    return None


def _index_columns(index: IndexInfo, column_of: dict[str, str]) -> list[IndexColumn]:
    return [
        IndexColumn(
            column=column_of.get(item.name, item.name),
            field_name=".".join(item.path),
            sort=item.sort.lower() if item.sort else None,  # type: ignore[arg-type]
            length=item.length,
            ops=item.ops,
        )
        for item in index.fields
    ]


def _column(db: Database, f: FieldInfo) -> Column:
    return Column(
        name=f.db_name,
        field_name=f.name,
        type=column_type(db, f),
        # a scalar list is a nullable array column: Prisma writes `"tags" TEXT[]`
        nullable=f.optional or f.is_list,
        default=_default(f),
        auto_increment=_is_function(f, "autoincrement") or _implicit_autoincrement(db, f),
        updated_at=f.is_updated_at,
        ignored=f.ignored,
        doc=f.ast.documentation,
        span=_span(f.file, f.ast.span),
    )


def _implicit_autoincrement(db: Database, f: FieldInfo) -> bool:
    """SQLite makes a model's one-field `Int` id `INTEGER PRIMARY KEY AUTOINCREMENT` even
    without `@default(autoincrement())` (the schema engine's
    `field_is_implicit_autoincrement_primary_key`)."""
    model = f.model
    return (
        db.provider == "sqlite"
        and model.kind == "model"
        and f.kind == "scalar"
        and f.type_name == "Int"
        and not f.is_list
        and model.id is not None
        and [item.name for item in model.id.fields] == [f.name]
    )


def _is_function(f: FieldInfo, name: str) -> bool:
    return (
        f.default is not None
        and isinstance(f.default.expression, ast.FunctionCall)
        and f.default.expression.name == name
    )


def _literal(expr: ast.Expression, exact: bool = False) -> str | int | float | bool | None:
    """A literal's value; with `exact`, a number with a fraction stays the text it was written
    as (a `Decimal` default `-0.50` or `1.23456789012345678901` is no float)."""
    if isinstance(expr, ast.StringValue):
        return expr.value
    if isinstance(expr, ast.NumericValue):
        value = expr.value
        return expr.text if exact and isinstance(value, float) else value
    if isinstance(expr, ast.ConstantValue):
        if expr.name in ("true", "false"):
            return expr.name == "true"
        return expr.name
    return None


def _default(f: FieldInfo) -> Default | None:
    if f.default is None:
        return None
    expr = f.default.expression
    name = f.default.map
    if isinstance(expr, ast.FunctionCall):
        args = [
            a
            for a in (_literal(arg.value) for arg in expr.arguments.arguments if arg.value)
            if a is not None
        ]
        if expr.name == "dbgenerated":
            return Default(
                kind="expression",
                value=args[0] if args else None,
                function="dbgenerated",
                args=args,
                name=name,
            )
        if expr.name == "sequence":
            return Default(kind="sequence", function="sequence", args=args, name=name)
        return Default(kind="function", function=expr.name, args=args, name=name)
    exact = f.type_name == "Decimal"
    if isinstance(expr, ast.ArrayExpression):
        return Default(
            kind="list",
            values=[v for v in (_literal(i, exact) for i in expr.items) if v is not None],
            name=name,
        )
    if isinstance(expr, ast.ConstantValue) and f.kind == "enum":
        return Default(kind="enum_value", value=expr.name, name=name)
    return Default(kind="literal", value=_literal(expr, exact), name=name)


def _relation(db: Database, f: FieldInfo, relation: RelationInfo | None) -> Relation:
    if relation is None:
        name = f.relation_name or _generated(f)
        kind = "one-to-many"
    else:
        name = relation.name
        if relation.kind == "many-to-many":
            kind = "many-to-many"
        elif relation.kind == "one-to-one":
            kind = "one-to-one"
        else:
            kind = "many-to-one" if relation.forward is f else "one-to-many"
    return Relation(
        field_name=f.name,
        target_model=f.type_name,
        name=name,
        kind=kind,  # type: ignore[arg-type]
        is_list=f.is_list,
        optional=f.optional,
        fields=list(f.fields or []),
        references=list(f.references or []),
        on_delete=f.on_delete,  # type: ignore[arg-type]
        on_update=f.on_update,  # type: ignore[arg-type]
        join_table=naming.join_table_name(name, db.provider) if kind == "many-to-many" else None,
        ignored=f.ignored,
        doc=f.ast.documentation,
        span=_span(f.file, f.ast.span),
    )


def _generated(f: FieldInfo) -> str:
    from schemasense.server.sources.prisma.relations import generated_relation_name

    return generated_relation_name(f.model.name, f.type_name)


def _join_table(db: Database, relation: RelationInfo) -> Table | None:
    """Prisma's implicit many-to-many table (`_Name(A, B)`), as `codegen.naming` derives it:
    A references the model whose name sorts first, both columns typed like the ids."""
    back = relation.back
    assert back is not None
    (model_a_name, _), (model_b_name, _) = naming.many_to_many_sides(
        relation.forward.model.name, relation.forward.name, back.model.name, back.name
    )
    model_a, model_b = db.models[model_a_name], db.models[model_b_name]
    if model_a.id is None or model_b.id is None:
        return None
    if len(model_a.id.fields) != 1 or len(model_b.id.fields) != 1:
        return None
    shape = naming.implicit_many_to_many(
        model_a.name,
        model_b.name,
        db.provider,
        relation.name if relation.explicit_name else None,
        db.config.relation_mode,
    )
    if shape is None:
        return None
    columns: list[Column] = []
    fks: list[ForeignKey] = []
    for column, fk_name, model in (
        (shape.column_a, shape.foreign_key_a, model_a),
        (shape.column_b, shape.foreign_key_b, model_b),
    ):
        id_field = model.field(model.id.fields[0].name)  # type: ignore[union-attr]
        if id_field is None:
            return None
        columns.append(Column(name=column, type=column_type(db, id_field), nullable=False))
        if fk_name is not None:
            fks.append(
                ForeignKey(
                    name=fk_name,
                    columns=[column],
                    referenced_table=model.db_name,
                    referenced_schema=model.db_schema,
                    referenced_columns=[id_field.db_name],
                    on_delete=shape.on_delete,
                    on_update=shape.on_update,
                )
            )
    pair = [IndexColumn(column=shape.column_a), IndexColumn(column=shape.column_b)]
    table = Table(
        name=shape.name,
        kind="join_table",
        db_schema=model_a.db_schema,
        columns=columns,
        foreign_keys=fks,
        span=_span(relation.forward.file, relation.forward.ast.span),
    )
    if shape.primary_key is not None:
        table.primary_key = PrimaryKey(name=shape.primary_key, columns=pair)
    if shape.unique_index is not None:
        table.indexes.append(Index(name=shape.unique_index, columns=pair, unique=True))
    table.indexes.append(Index(name=shape.b_index, columns=[IndexColumn(column=shape.column_b)]))
    return table

"""What every validation reads: the database, the provider's dialect table, and the names.

`Names` is psl's `validations/names.rs`: relation fields grouped for the ambiguity check, and
the constraint namespaces (`constraint_namespace.rs`): which database names of primary keys,
indexes, unique constraints, foreign keys and (SQL Server) default constraints must differ,
globally or per table, as the provider's `CONSTRAINT_SCOPES` say. Everything is counted once up
front, so each check is a dictionary lookup.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from schemasense.codegen.dialects import Dialect, get_dialect
from schemasense.codegen.orms.prisma import naming
from schemasense.server.findings import Finding
from schemasense.server.sources.prisma.database import (
    Database,
    FieldInfo,
    IndexInfo,
    ModelInfo,
    RelationInfo,
)

SCOPE_DESCRIPTIONS = {
    "GlobalKeyIndex": "global for indexes and unique constraints",
    "GlobalForeignKey": "global for foreign keys",
    "GlobalPrimaryKeyKeyIndex": "global for primary key, indexes and unique constraints",
    "GlobalPrimaryKeyForeignKeyDefault": "global for primary keys, foreign keys and default "
    "constraints",
    "ModelKeyIndex": "on model `{model}` for indexes and unique constraints",
    "ModelPrimaryKeyKeyIndex": "on model `{model}` for primary key, indexes and unique constraints",
    "ModelPrimaryKeyKeyIndexForeignKey": "on model `{model}` for primary key, indexes, unique "
    "constraints and foreign keys",
}
"""psl's `ConstraintScope::description`."""

_POSSIBLE_SCOPES = {
    "index": (
        "GlobalKeyIndex",
        "GlobalPrimaryKeyKeyIndex",
        "ModelKeyIndex",
        "ModelPrimaryKeyKeyIndex",
    ),
    "relation": (
        "GlobalForeignKey",
        "GlobalPrimaryKeyForeignKeyDefault",
        "ModelPrimaryKeyKeyIndexForeignKey",
    ),
    "default": ("GlobalPrimaryKeyForeignKeyDefault",),
    "primary_key": (
        "GlobalPrimaryKeyForeignKeyDefault",
        "GlobalPrimaryKeyKeyIndex",
        "ModelPrimaryKeyKeyIndex",
        "ModelPrimaryKeyKeyIndexForeignKey",
    ),
}
"""psl's `ConstraintName::possible_scopes`: which namespaces a kind of name is checked in."""

_SCOPE_MEMBERS = {
    "GlobalKeyIndex": ("index",),
    "GlobalForeignKey": ("relation",),
    "GlobalPrimaryKeyKeyIndex": ("primary_key", "index"),
    "GlobalPrimaryKeyForeignKeyDefault": ("primary_key", "relation", "default"),
    "ModelKeyIndex": ("index",),
    "ModelPrimaryKeyKeyIndex": ("primary_key", "index"),
    "ModelPrimaryKeyKeyIndexForeignKey": ("primary_key", "index", "relation"),
}
"""psl's `infer_namespaces`: which kinds of names each scope collects."""


def column_names(model: ModelInfo, index: IndexInfo) -> list[str]:
    names = []
    for item in index.fields:
        f = model.field(item.name)
        names.append(f.db_name if f is not None else item.name)
    return names


def index_constraint_name(db: Database, model: ModelInfo, index: IndexInfo) -> str:
    if index.map is not None:
        return index.map
    columns = column_names(model, index)
    if index.kind == "unique":
        return naming.unique_index_name(model.db_name, columns, db.provider)
    return naming.index_name(model.db_name, columns, db.provider)


def primary_key_constraint_name(db: Database, model: ModelInfo) -> str | None:
    if model.id is None:
        return None
    if model.id.map is not None:
        return model.id.map
    return naming.primary_key_name(model.db_name, db.provider)


def foreign_key_constraint_name(db: Database, f: FieldInfo) -> str:
    if f.fk_map is not None:
        return f.fk_map
    model = f.model
    columns = []
    for name in f.fields or []:
        scalar = model.field(name)
        columns.append(scalar.db_name if scalar is not None else name)
    return _foreign_key_name(model.db_name, columns, db.provider)


def default_constraint_name(db: Database, f: FieldInfo) -> str:
    assert f.default is not None
    if f.default.map is not None:
        return f.default.map
    return naming.default_name(f.model.db_name, f.db_name, db.provider)


def referencing_model(db: Database, relation: RelationInfo) -> ModelInfo | None:
    """The model holding a one-to-one / one-to-many relation's foreign key (psl's model A)."""
    if relation.forward is not None:
        return relation.forward.model
    assert relation.back is not None
    return db.models.get(relation.back.type_name)


def relation_constraint_name(db: Database, relation: RelationInfo) -> str | None:
    """The foreign key's name; a relation declared on its list side only has no columns."""
    if relation.forward is not None:
        return foreign_key_constraint_name(db, relation.forward)
    model = referencing_model(db, relation)
    if model is None:
        return None
    return _foreign_key_name(model.db_name, [], db.provider)


def _foreign_key_name(table: str, columns: list[str], provider: str | None) -> str:
    # psl joins `{table}_{columns}`: without columns that leaves `{table}__fkey`
    return naming.foreign_key_name(table if columns else table + "_", columns, provider)


@dataclass
class Names:
    relation_fields: dict[tuple[str, str, str | None], list[FieldInfo]]
    global_names: Counter = field(default_factory=Counter)
    local_names: Counter = field(default_factory=Counter)
    custom_names: Counter = field(default_factory=Counter)
    """(model, `name:` of @@id / @@unique) -> how many."""
    constraint_names: dict[int, str | None] = field(default_factory=dict)
    """id() of an index, a model (its primary key) or a relation field (its foreign key) ->
    its database name, computed once."""

    def violations(self, model: ModelInfo, kind: str, name: str, scopes) -> list[str]:
        """Scopes in which `name` (a constraint of `kind`) is used more than once."""
        found = []
        for scope in _POSSIBLE_SCOPES[kind]:
            if scope not in scopes:
                continue
            if scope.startswith("Global"):
                count = self.global_names[(scope, model.db_schema, name)]
            else:
                count = self.local_names[(model.name, scope, name)]
            if count > 1:
                found.append(scope)
        return found


def build_names(db: Database, dialect: Dialect | None) -> Names:
    from schemasense.server.sources.prisma.relations import relation_index

    names = Names(relation_fields=relation_index(db))
    scopes = dialect.CONSTRAINT_SCOPES if dialect is not None else ()
    models = db.real_models()
    members: dict[str, list[tuple[ModelInfo, str]]] = {
        "primary_key": [],
        "index": [],
        "relation": [],
        "default": [],
    }
    constraint = names.constraint_names
    for model in models:
        pk = constraint[id(model)] = primary_key_constraint_name(db, model)
        if pk is not None:
            members["primary_key"].append((model, pk))
        for index in model.indexes:
            name = constraint[id(index)] = index_constraint_name(db, model, index)
            members["index"].append((model, name))
        if model.id is not None and model.id.name is not None:
            names.custom_names[(model.name, model.id.name)] += 1
        for index in model.indexes:
            if index.name is not None:
                names.custom_names[(model.name, index.name)] += 1
        if "GlobalPrimaryKeyForeignKeyDefault" in scopes:
            for f in model.scalar_fields:
                if f.default is not None:
                    members["default"].append((model, default_constraint_name(db, f)))
    # a relation declared on its list side only is model A's foreign key, but psl files it
    # under the model of the list field for the per-model namespaces
    owners: dict[int, ModelInfo] = {}
    for relation in db.relations:
        if relation.kind == "many-to-many":
            continue
        model = referencing_model(db, relation)
        name = constraint[id(relation)] = relation_constraint_name(db, relation)
        if model is not None and name is not None:
            members["relation"].append((model, name))
            if relation.forward is None and relation.back is not None:
                owners[len(members["relation"]) - 1] = relation.back.model
    for scope in scopes:
        for kind in _SCOPE_MEMBERS[scope]:
            for i, (model, name) in enumerate(members[kind]):
                if scope.startswith("Global"):
                    names.global_names[(scope, model.db_schema, name)] += 1
                    continue
                if kind == "relation":
                    model = owners.get(i, model)
                    if model.kind != "model":
                        continue
                names.local_names[(model.name, scope, name)] += 1
    return names


@dataclass
class Context:
    db: Database
    dialect: Dialect | None
    names: Names
    cache: dict = field(default_factory=dict)
    """Lookups a validation builds once (complete relations by model, ...)."""

    @property
    def findings(self) -> list[Finding]:
        return self.db.findings

    def push(self, finding: Finding) -> None:
        self.db.findings.append(finding)

    def has(self, capability: str) -> bool:
        """Whether the provider has `capability`; without a known provider, everything goes."""
        return self.dialect is None or self.dialect.has(capability)

    def has_errors(self) -> bool:
        return self.db.has_errors()

    @property
    def provider_name(self) -> str:
        return self.dialect.DISPLAY_NAME if self.dialect is not None else "Default"

    @property
    def relation_mode(self) -> str:
        return self.db.config.relation_mode

    def violation_message(self, name: str, scope: str, model: ModelInfo) -> str:
        return (
            f"The given constraint name `{name}` has to be unique in the following namespace: "
            f"{SCOPE_DESCRIPTIONS[scope].format(model=model.name)}. Please provide a different "
            "name using the `map` argument."
        )

    def relation_of(self, f: FieldInfo) -> RelationInfo | None:
        return f.relation


def make_context(db: Database) -> Context:
    dialect = get_dialect(db.provider)
    return Context(db=db, dialect=dialect, names=build_names(db, dialect))

"""Pair relation fields into relations, as psl's relation inference (`parser-database/src/
relations.rs`) does.

Each relation field looks for its opposite: the first relation field, in declaration order, on
the model it points to that points back at its model under the same relation name (an explicit
`@relation("name")`, or none on both sides). The arities then decide the relation and which side
is the forward one (side A, which holds `fields` / `references`):

- list and list: a many-to-many (two-way embedded when either side gives `fields`), side A first
  by model name, then by field name in a self-relation;
- required and optional: a one-to-one whose required side is A; required on both sides (an
  error reported later) or optional on both without `fields`: the first by (model, field) name;
  optional on both: the side with `fields`;
- singular and list: a one-to-many whose singular side is A;
- one side only: a lone list is the back side of a one-to-many; a lone singular field is the
  forward side of a one-to-one when its `fields` are exactly a unique constraint, else of a
  one-to-many.

Ambiguous fields (several candidates) still pair with the first one; the validation reports
the ambiguity before anything else about relations.
"""

from __future__ import annotations

from schemasense.server.sources.prisma.database import Database, FieldInfo, RelationInfo


def generated_relation_name(model_a: str, model_b: str) -> str:
    """Prisma's name for an unnamed relation: both model names, sorted, joined by `To`."""
    first, second = sorted((model_a, model_b))
    return f"{first}To{second}"


def relation_index(db: Database) -> dict[tuple[str, str, str | None], list[FieldInfo]]:
    """(model, target model, relation name) -> its relation fields, in declaration order."""
    index = db.relation_index
    if index is None:
        index = db.relation_index = {}
        for model in db.models.values():
            for g in model.relation_fields:
                index.setdefault((model.name, g.type_name, g.relation_name), []).append(g)
    return index


def _opposite(db: Database, f: FieldInfo) -> FieldInfo | None:
    for g in relation_index(db).get((f.type_name, f.model.name, f.relation_name), ()):
        if g is not f:
            return g
    return None


def _fields_are_unique(f: FieldInfo) -> bool:
    names = f.fields or []
    return any(
        index.kind == "unique" and [i.name for i in index.fields] == names
        for index in f.model.indexes
    )


def infer_relations(db: Database) -> None:
    for model in db.models.values():
        if model.kind == "type":
            continue
        for f in model.relation_fields:
            relation = _relation_for(db, f)
            if relation is None:
                continue
            for side in relation.fields:
                side.relation = relation
            db.relations.append(relation)


def _relation_for(db: Database, f: FieldInfo) -> RelationInfo | None:
    model = f.model
    opp = _opposite(db, f)
    name = f.relation_name or generated_relation_name(model.name, f.type_name)
    explicit = f.relation_name is not None

    def make(kind, forward, back, embedded=False) -> RelationInfo:
        return RelationInfo(name, explicit, kind, forward, back, embedded)

    if opp is None:
        if f.is_list:
            return make("one-to-many", None, f)
        if f.fields is not None and _fields_are_unique(f):
            return make("one-to-one", f, None)
        return make("one-to-many", f, None)
    mine = (model.name, f.name)
    theirs = (opp.model.name, opp.name)
    if f.is_list and opp.is_list:
        if model.name > opp.model.name:
            return None
        if opp.model is model and f.name > opp.name:
            return None
        embedded = f.fields is not None or opp.fields is not None
        return make("many-to-many", f, opp, embedded)
    if f.is_list:
        return None  # the singular side makes the relation
    if opp.is_list:
        return make("one-to-many", f, opp)
    if f.arity == "required":
        if opp.arity == "required" and mine > theirs:
            return None
        return make("one-to-one", f, opp)
    if opp.arity == "required":
        return None
    if f.fields is not None:
        return make("one-to-one", f, opp)
    if opp.fields is None and mine < theirs:
        return make("one-to-one", f, opp)
    return None

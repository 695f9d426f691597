"""Pair relation fields into relations, as psl's relation inference does.

Two relation fields pair when they point at each other's models under the same relation name
(an explicit `@relation("name")`, or none on both sides). The kind follows from the arities: list
on both sides is an implicit many-to-many, list on one side a one-to-many whose singular side is
the forward one (it holds `fields` / `references`), singular on both a one-to-one whose forward
side is the one with `fields`. A field with no opposite forms a one-sided relation; whether that
is allowed is the validators' business. A field with more than one candidate is ambiguous and is
left unpaired here (the validators report it).
"""

from __future__ import annotations

from schemasense.server.readers.prisma.database import Database, FieldInfo, RelationInfo


def generated_relation_name(model_a: str, model_b: str) -> str:
    """Prisma's name for an unnamed relation: both model names, sorted, joined by `To`."""
    first, second = sorted((model_a, model_b))
    return f"{first}To{second}"


def opposite_candidates(db: Database, f: FieldInfo) -> list[FieldInfo]:
    """Relation fields on `f`'s target that point back at `f`'s model under the same name."""
    index = db.relation_index
    if index is None:
        index = db.relation_index = {}
        for model in db.models.values():
            for g in model.relation_fields:
                index.setdefault((model.name, g.type_name, g.relation_name), []).append(g)
    found = index.get((f.type_name, f.model.name, f.relation_name), ())
    return [g for g in found if g is not f]


def infer_relations(db: Database) -> None:
    done: set[int] = set()
    for model in db.models.values():
        if model.kind == "type":
            continue
        for f in model.relation_fields:
            if id(f) in done:
                continue
            candidates = opposite_candidates(db, f)
            if f.type_name == model.name:
                # in a self relation, the field itself would be a candidate from the other side
                candidates = [g for g in candidates if g is not f]
            if len(candidates) > 1:
                continue
            back = candidates[0] if candidates else None
            if back is not None and len(opposite_candidates(db, back)) > 1:
                continue
            name = f.relation_name or generated_relation_name(model.name, f.type_name)
            explicit = f.relation_name is not None
            if back is None:
                kind = "many-to-many" if f.is_list else "one-to-many"
                if not f.is_list and f.fields is not None and _unique_fields(f):
                    kind = "one-to-one"
                relation = RelationInfo(name, explicit, kind, f, None)
                f.relation = relation
                done.add(id(f))
                db.relations.append(relation)
                continue
            done.add(id(f))
            done.add(id(back))
            if f.is_list and back.is_list:
                forward, other, kind = f, back, "many-to-many"
            elif f.is_list:
                forward, other, kind = back, f, "one-to-many"
            elif back.is_list:
                forward, other, kind = f, back, "one-to-many"
            else:
                kind = "one-to-one"
                if f.fields is None and back.fields is not None:
                    forward, other = back, f
                elif f.fields is not None or back.fields is not None:
                    forward, other = f, back
                else:
                    # neither side holds the key: psl picks by model then field name order
                    forward, other = sorted((f, back), key=lambda x: (x.model.name, x.name))
            relation = RelationInfo(name, explicit, kind, forward, other)
            forward.relation = relation
            other.relation = relation
            db.relations.append(relation)


def _unique_fields(f: FieldInfo) -> bool:
    model = f.model
    names = f.fields or []
    if model.id is not None and [i.name for i in model.id.fields] == names:
        return True
    return any(
        index.kind == "unique" and [i.name for i in index.fields] == names
        for index in model.indexes
    )

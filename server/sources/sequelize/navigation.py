"""Outline, definition and references in Sequelize model files (`language/declared.py` turns
the outline into symbols and code lenses).

A model's outline spans its declaration (`Model.init(...)`, `sequelize.define(...)`, a
sequelize-typescript class) and the association calls of the same file (`static associate`),
so the outline holds both; its members are the attributes it declares (not those Sequelize
adds) and its associations, those written in another file (a `models/index.js` that
associates every model) too: they are listed on the model's name, with the file they are
in. Definition goes from an association's target (`models.User`) to
that model; references of a model are the associations that target it and the migration
statements that built its table, of an attribute the statements that built its column.
"""

from __future__ import annotations

import os

from schemasense.server.language.declared import Member, Outline, migration_references
from schemasense.server.language.migrations import MigrationIndex
from schemasense.server.sources.base import Place
from schemasense.server.sources.sequelize.build import BuiltModel
from schemasense.server.sources.sequelize.reader import SequelizeRead


def _declared(read: SequelizeRead) -> list[BuiltModel]:
    return [m for m in read.built.models if m.decl is not None]


def outlines(read: SequelizeRead, only: str | None = None) -> list[Outline]:
    """Every model the files declare (of file `only`; join tables Sequelize makes have no
    declaration)."""
    found = []
    for model in _declared(read):
        decl = model.decl
        assert decl is not None
        file = decl.file
        if only is not None and file != only:
            continue
        text = read.texts.get(file, "")
        members: list[Member] = []
        for attr in model.attributes.values():
            if attr.added_by is not None or attr.file != file or attr.end <= attr.start:
                continue
            at = text.find(attr.name, attr.start, attr.end)
            name_span = (at, at + len(attr.name)) if at >= 0 else (attr.start, attr.start)
            type_text = attr.type_text or (
                attr.data_type.key if attr.data_type is not None else "?"
            )
            null = " NOT NULL" if not attr.allow_null or attr.primary_key else ""
            members.append(
                Member(
                    attr.name,
                    "column",
                    f"{attr.field}: {type_text}{null}",
                    (attr.start, attr.end),
                    name_span,
                    attr.field,
                )
            )
        starts, ends = [decl.start], [decl.end]
        for relation in read.built.relations:
            call = relation.decl
            if relation.source != model.name:
                continue
            if call.file != file:  # `models/index.js`: listed on the model's name, saying where
                members.append(
                    Member(
                        relation.as_ or relation.target,
                        "relation",
                        f"{relation.kind} → {relation.target} ({relation.foreign_key})"
                        f" · in {os.path.basename(call.file)}",
                        (decl.name_start, decl.name_end),
                        (decl.name_start, decl.name_end),
                    )
                )
                continue
            name = relation.as_ or relation.target
            members.append(
                Member(
                    name,
                    "relation",
                    f"{relation.kind} → {relation.target} ({relation.foreign_key})",
                    (call.start, call.end),
                    (call.target_start, call.target_end),
                )
            )
            starts.append(call.start)
            ends.append(call.end)
        span = (min(starts), max(ends))
        found.append(
            Outline(
                model.name,
                model.naming.table,
                file,
                span,
                (decl.name_start, decl.name_end),
                tuple(members),
                relation_count=sum(1 for r in read.built.relations if r.source == model.name),
            )
        )
    return found


def definition(read: SequelizeRead, file: str, offset: int) -> list[Place]:
    """From an association's target (`Post.belongsTo(models.User, ...)`) to the `User`
    model's declaration."""
    for relation in read.built.relations:
        call = relation.decl
        if call.file == file and call.target_start <= offset <= call.target_end:
            target = _model(read, relation.target)
            if target is not None and target.decl is not None:
                d = target.decl
                return [Place(d.file, d.name_start, d.name_end)]
    return []


def _model(read: SequelizeRead, name: str) -> BuiltModel | None:
    return next((m for m in read.built.models if m.name == name), None)


def references(
    read: SequelizeRead,
    file: str,
    offset: int,
    include_declaration: bool = True,
    migrations: MigrationIndex | None = None,
) -> list[Place]:
    """On a model's name (its declaration, or an association's target): the associations that
    target it and the migration statements that built its table; on an attribute: the
    statements that built its column."""
    model = None
    for m in _declared(read):
        d = m.decl
        assert d is not None
        if d.file == file and d.name_start <= offset <= d.name_end:
            model = m
    for relation in read.built.relations:
        call = relation.decl
        if call.file == file and call.target_start <= offset <= call.target_end:
            model = _model(read, relation.target)
    found: list[Place] = []
    if model is not None and model.decl is not None:
        d = model.decl
        if include_declaration:
            found.append(Place(d.file, d.name_start, d.name_end))
        for relation in read.built.relations:
            call = relation.decl
            if relation.target == model.name:
                found.append(Place(call.file, call.target_start, call.target_end))
        if migrations is not None:
            found += [
                Place(loc.file, loc.start, loc.end)
                for loc in migration_references(migrations, model.naming.table)
            ]
        return found
    text = read.texts.get(file, "")
    for m in _declared(read):
        for attr in m.attributes.values():
            if attr.added_by is not None or attr.file != file:
                continue
            at = text.find(attr.name, attr.start, attr.end)
            if at < 0 or not (at <= offset <= at + len(attr.name)):
                continue
            if include_declaration:
                found.append(Place(file, at, at + len(attr.name)))
            if migrations is not None:
                found += [
                    Place(loc.file, loc.start, loc.end)
                    for loc in migration_references(migrations, m.naming.table, attr.field)
                ]
            return found
    return found

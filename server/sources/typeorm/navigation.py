"""Outline, definition and references in TypeORM entity files (`language/declared.py` turns the
outline into symbols and code lenses).

The outline of an entity is its class (the `@Entity` decorator through the closing brace) and
the properties the read took as columns (`@Column`, `@PrimaryGeneratedColumn`, the date
columns...) or relations (`@ManyToOne`...), each with the database column it stores. Relations
are followed both ways: from `@ManyToOne(() => User)` to the `User` class, from
`@RelationId((post: Post) => post.author)` and an inverse side `(user) => user.posts` to the
property named; references of an entity are the relations that target it and the migration
statements that built its table, of a column the statements that built that column.
"""

from __future__ import annotations

from schemasense.server.language.declared import Member, Outline, migration_references
from schemasense.server.language.migrations import MigrationIndex
from schemasense.server.sources.base import Place
from schemasense.server.sources.typeorm.entities import EntityInfo
from schemasense.server.sources.typeorm.reader import TypeOrmRead
from schemasense.server.sources.typescript.declarations import Decorator
from schemasense.server.sources.typescript.declarations import Member as TsMember
from schemasense.server.sources.typescript.values import Func, Ref

RELATIONS = ("ManyToOne", "OneToMany", "OneToOne", "ManyToMany")


def outlines(read: TypeOrmRead, only: str | None = None) -> list[Outline]:
    """Every entity class of the read (of file `only`), with its own (not inherited)
    members."""
    schema = read.schema
    found = []
    for info in read.entities.entities.values():
        decl = info.decl
        file = info.module.path
        if only is not None and file != only:
            continue
        start = min([decl.start, *(d.start for d in decl.decorators)])
        span = (start, decl.end)
        members = []
        for module, member in info.members:
            if module.path != file or not (decl.start <= member.start <= decl.end):
                continue
            m = _member(read, info, member)
            if m is not None:
                members.append(m)
        extra = tuple(
            t.name
            for t in schema.tables
            if t.name != info.table.name
            and t.span is not None
            and t.span.file == file
            and span[0] <= t.span.start <= span[1]
        )
        found.append(
            Outline(
                decl.name,
                info.table.name,
                file,
                span,
                (decl.name_start, decl.name_end),
                tuple(members),
                view=info.view,
                extra=extra,
            )
        )
    return found


def _member(read: TypeOrmRead, info: EntityInfo, member: TsMember) -> Member | None:
    start = min([member.start, *(d.start for d in member.decorators)])
    span = (start, member.end)
    name_span = (member.name_start, member.name_end)
    columns = info.by_property.get(member.name) or []
    column = columns[0].name if columns else None
    if member.name in info.relations:
        _, dec = info.relations[member.name]
        target = _target_name(dec) or "?"
        detail = f"{dec.name} → {target}" + (f" ({column})" if column else "")
        return Member(member.name, "relation", detail, span, name_span, column)
    if not columns:
        return None
    meta = columns[0]
    null = " NULL" if meta.nullable else ""
    return Member(
        member.name, "column", f"{meta.name}: {meta.full_type}{null}", span, name_span, column
    )


def _target_name(dec: Decorator) -> str | None:
    """`User` of `@ManyToOne(() => User, ...)` (or of `@ManyToOne("User")`)."""
    first = dec.arg(0)
    target = first.returns if isinstance(first, Func) else first
    if isinstance(target, Ref) and target.path:
        return target.path[-1]
    value = getattr(target, "value", None)
    return value if isinstance(value, str) else None


def _target_ref(dec: Decorator) -> Ref | None:
    first = dec.arg(0)
    target = first.returns if isinstance(first, Func) else first
    return target if isinstance(target, Ref) else None


def _property_of(info: EntityInfo, name: str) -> Place | None:
    for module, member in info.members:
        if member.name == name:
            return Place(module.path, member.name_start, member.name_end)
    return None


def _entity_at(read: TypeOrmRead, file: str, offset: int) -> EntityInfo | None:
    for info in read.entities.entities.values():
        decl = info.decl
        start = min([decl.start, *(d.start for d in decl.decorators)])
        if info.module.path == file and start <= offset <= decl.end:
            return info
    return None


def _arrow_property(dec: Decorator, index: int, text: str, offset: int) -> str | None:
    """The property an arrow argument names (`post.author` of `(post: Post) => post.author`)
    when `offset` is inside that argument."""
    arg = dec.arg(index)
    if not isinstance(arg, Func) or not (arg.start <= offset <= arg.end):
        return None
    returns = arg.returns
    if isinstance(returns, Ref) and len(returns.path) >= 2:
        return returns.path[-1]
    body = text[arg.start : arg.end].rsplit(".", 1)
    return (
        body[1].strip().rstrip(")") if len(body) == 2 and body[1].strip().isidentifier() else None
    )


def definition(read: TypeOrmRead, file: str, offset: int) -> list[Place]:
    """From a `@RelationId` to the relation it reads, and from a relation's inverse side
    (`(user) => user.posts`) to that property of the target; None of these: []."""
    info = _entity_at(read, file, offset)
    if info is None:
        return []
    text = info.module.text
    for module, member in info.members:
        if module.path != file:
            continue
        for dec in member.decorators:
            if not (dec.start <= offset <= dec.end):
                continue
            if dec.name == "RelationId":
                prop = _arrow_property(dec, 0, text, offset)
                place = _property_of(info, prop) if prop else None
                return [place] if place is not None else []
            if dec.name in RELATIONS:
                prop = _arrow_property(dec, 1, text, offset)
                target = read.entities.entities.get(_target_name(dec) or "")
                place = _property_of(target, prop) if prop and target is not None else None
                if place is not None:
                    return [place]
    return []


def _target_at(read: TypeOrmRead, info: EntityInfo, file: str, offset: int) -> EntityInfo | None:
    """The entity a relation of `info` names at `offset` (on the `User` of `() => User`)."""
    for module, member in info.members:
        if module.path != file:
            continue
        for dec in member.decorators:
            ref = _target_ref(dec) if dec.name in RELATIONS else None
            if ref is not None and ref.start <= offset <= ref.end:
                return read.entities.entities.get(ref.path[-1]) if ref.path else None
    return None


def references(
    read: TypeOrmRead,
    file: str,
    offset: int,
    include_declaration: bool = True,
    migrations: MigrationIndex | None = None,
) -> list[Place]:
    """On an entity's name: the relations (in every entity) that target it and the migration
    statements that built its table; on a property: the `@RelationId`s reading it (a relation)
    and the statements that built its column."""
    info = _entity_at(read, file, offset)
    if info is None:
        return []
    target = _target_at(read, info, file, offset)
    if target is not None:  # `User` of `@ManyToOne(() => User)`: the entity's references
        info, file, offset = target, target.module.path, target.decl.name_start
    decl = info.decl
    found: list[Place] = []
    if decl.name_start <= offset <= decl.name_end:
        if include_declaration:
            found.append(Place(file, decl.name_start, decl.name_end))
        for other in read.entities.entities.values():
            for _, dec in other.relations.values():
                ref = _target_ref(dec)
                if ref is not None and ref.path and ref.path[-1] == decl.name:
                    found.append(Place(other.module.path, ref.end - len(decl.name), ref.end))
        if migrations is not None:
            found += [
                Place(loc.file, loc.start, loc.end)
                for loc in migration_references(migrations, info.table.name)
            ]
        return found
    for module, member in info.members:
        if module.path != file or not (member.name_start <= offset <= member.name_end):
            continue
        if include_declaration:
            found.append(Place(file, member.name_start, member.name_end))
        text = info.module.text
        for _, other in info.members:
            for dec in other.decorators:
                if dec.name == "RelationId":
                    arg = dec.arg(0)
                    if (
                        isinstance(arg, Func)
                        and _arrow_property(dec, 0, text, arg.end) == member.name
                    ):
                        at = text.rfind(member.name, arg.start, arg.end)
                        if at >= 0:
                            found.append(Place(file, at, at + len(member.name)))
        columns = info.by_property.get(member.name) or []
        if migrations is not None:
            for column in columns:
                found += [
                    Place(loc.file, loc.start, loc.end)
                    for loc in migration_references(migrations, info.table.name, column.name)
                ]
        return found
    return found

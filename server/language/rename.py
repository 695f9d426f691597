"""Rename a model, view, composite type, enum, field or enum value, keeping every database name.

As Prisma's own language server does, the database does not change: a model or enum that was
not mapped gets `@@map("OldName")`, a scalar field `@map("oldName")`, an enum value
`@map("OLD")`, so the table, column, type and value names (and every constraint name Prisma
derives from them) stay what the migrations built. Every reference across the unit's files is
renamed: field types, `@relation(fields/references)`, `@@id` / `@@unique` / `@@index` lists,
composite paths and enum defaults.

Implicit many-to-many relations keep their join table: an unnamed one gets its generated name
written out (`@relation("CategoryToPost")`) on both sides. Renaming one so that its models (or,
in a self-relation, its fields) sort the other way round would swap the join table's `A` and
`B` columns; that needs a migration, so the rename is refused with the reason.

The second choice, renaming the database object too, is `database_rename()`: on a field with
`@map("old")` or a model with `@@map("Old")` (what a rename above leaves behind), it drops the
map so that the column or table takes the Prisma name; the features layer pairs that edit with
the migration that renames the column or table (the generator's `RenameColumn` /
`RenameTable`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from schemasense.codegen.orms.prisma import naming
from schemasense.server.sources.prisma import ast
from schemasense.server.sources.prisma.database import SCALAR_TYPES, FieldInfo
from schemasense.server.sources.prisma.index import Key, SchemaIndex

_IDENTIFIER = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")


@dataclass(frozen=True, slots=True)
class Edit:
    file: str
    start: int
    end: int
    new_text: str


@dataclass(frozen=True, slots=True)
class Target:
    """What a rename at a position would rename: the name's range and its current text."""

    key: Key
    file: str
    start: int
    end: int
    name: str


class RenameError(ValueError):
    """A rename that cannot be done as asked; the message says why."""


def prepare(index: SchemaIndex, file: str, offset: int) -> Target | None:
    """The renameable name at `offset`, or None (scalars, attributes, keywords...)."""
    token = index.at(file, offset)
    if token is None or token.key is None:
        return None
    if token.key[0] not in ("model", "enum", "field", "value"):
        return None
    if index.declaration(token.key) is None:
        return None
    text = index.texts.get(file, "")
    return Target(token.key, file, token.start, token.end, text[token.start : token.end])


def rename(index: SchemaIndex, file: str, offset: int, new_name: str) -> list[Edit]:
    """The edits that rename what is at `offset` to `new_name` (raises RenameError)."""
    target = prepare(index, file, offset)
    if target is None:
        raise RenameError("Only models, enums, composite types, fields and values can be renamed.")
    if not _IDENTIFIER.match(new_name):
        raise RenameError(f"`{new_name}` is not a valid Prisma name.")
    key = target.key
    old = key[-1]
    if new_name == old:
        return []
    _check_free(index, key, new_name)
    edits = [Edit(o.file, o.start, o.end, new_name) for o in index.occurrences(key)]
    kind = key[0]
    if kind == "model":
        edits += _keep_model_names(index, old, new_name)
    elif kind == "enum":
        edits += _keep_block_map(index, index.enums[old][0], index.enums[old][1], old)
    elif kind == "field":
        edits += _keep_field_names(index, key[1], old, new_name)
    elif kind == "value":
        edits += _keep_value_name(index, key[1], old)
    return sorted(set(edits), key=lambda e: (e.file, e.start, e.end))


def _check_free(index: SchemaIndex, key: Key, new_name: str) -> None:
    kind = key[0]
    if kind in ("model", "enum"):
        if new_name in index.models or new_name in index.enums or new_name in SCALAR_TYPES:
            raise RenameError(f"`{new_name}` is already the name of a type.")
    elif kind == "field":
        node = index.models.get(key[1])
        if node is not None and node[1].field(new_name) is not None:
            raise RenameError(f"`{key[1]}` already has a field `{new_name}`.")
    elif kind == "value":
        node = index.enums.get(key[1])
        if node is not None and any(v.name.name == new_name for v in node[1].values):
            raise RenameError(f"`{key[1]}` already has a value `{new_name}`.")


# -- keeping database names ----------------------------------------------------------------------


def _has_attribute(attributes: list[ast.Attribute], name: str) -> bool:
    return any(a.name.name == name for a in attributes)


def _keep_block_map(index: SchemaIndex, file: str, node: ast.Model | ast.Enum, old: str):
    """`@@map("old")` before the block's closing brace, unless it has a `@@map` already."""
    if _has_attribute(node.attributes, "map"):
        return []
    text = index.texts.get(file, "")
    close = node.span[1] - 1
    if close < 0 or close >= len(text) or text[close] != "}":
        close = text.rfind("}", node.span[0], node.span[1])
    line_end = text.rfind("\n", node.span[0], close)
    if line_end < 0:
        return [Edit(file, close, close, f' @@map("{old}") ')]
    members = node.fields if isinstance(node, ast.Model) else node.values
    indent = "  "
    if members:
        first = members[0].span[0]
        indent = text[text.rfind("\n", 0, first) + 1 : first] or "  "
    last_line = text[text.rfind("\n", 0, line_end) + 1 : line_end].strip()
    gap = "\n" if last_line.startswith("@@") or not last_line else "\n\n"
    return [Edit(file, line_end, line_end, f'{gap}{indent}@@map("{old}")')]


def _keep_model_names(index: SchemaIndex, old: str, new: str) -> list[Edit]:
    file, node = index.models[old]
    edits: list[Edit] = []
    if node.kind != "type":
        edits += _keep_block_map(index, file, node, old)
    model = index.model(old)
    if model is None:
        return edits
    for f in model.relation_fields:
        relation = f.relation
        if relation is None or relation.kind != "many-to-many" or relation.back is None:
            continue
        forward, back = relation.forward, relation.back
        assert forward is not None
        before = naming.many_to_many_sides(
            forward.model.name, forward.name, back.model.name, back.name
        )
        renamed = [(new if m == old else m, n) for m, n in before]
        after = naming.many_to_many_sides(*renamed[0], *renamed[1])
        if list(after) != renamed:
            raise RenameError(
                f"`{forward.model.name}` and `{back.model.name}` share an implicit many-to-many "
                f"relation; after renaming `{old}` to `{new}` the models sort the other way "
                f"round, which swaps the `A` and `B` columns of `_{relation.name}`. That needs a "
                "migration, which this rename does not write."
            )
        if not relation.explicit_name and (forward is f or back is f):
            edits += _name_relation(index, forward, relation.name)
            edits += _name_relation(index, back, relation.name)
    return edits


def _name_relation(index: SchemaIndex, f: FieldInfo, name: str) -> list[Edit]:
    """Write the relation's generated name on relation field `f`."""
    attribute = f.relation_attribute or f.ast.attribute("relation")
    if attribute is None:
        return [Edit(f.file, f.ast.span[1], f.ast.span[1], f' @relation("{name}")')]
    if attribute.arguments is None:
        end = attribute.span[1]
        return [Edit(f.file, end, end, f'("{name}")')]
    at = attribute.arguments.span[0] + 1
    separator = ", " if attribute.arguments.arguments else ""
    return [Edit(f.file, at, at, f'"{name}"{separator}')]


def _keep_field_names(index: SchemaIndex, model_name: str, old: str, new: str) -> list[Edit]:
    f = index.field_info(model_name, old)
    if f is None:
        return []
    edits: list[Edit] = []
    if f.kind == "relation":
        relation = f.relation
        if (
            relation is not None
            and relation.kind == "many-to-many"
            and relation.is_self
            and relation.back is not None
            and relation.forward is not None
        ):
            a, b = relation.forward, relation.back
            names = [(x.model.name, new if x is f else x.name) for x in (a, b)]
            before = naming.many_to_many_sides(a.model.name, a.name, b.model.name, b.name)
            after = naming.many_to_many_sides(*names[0], *names[1])
            was_first = before[0][1] == old
            now_first = after[0][1] == new
            if was_first != now_first:
                raise RenameError(
                    f"In the self-relation `{relation.name}`, `A` and `B` follow the field "
                    f"names; renaming `{old}` to `{new}` swaps them in `_{relation.name}`. "
                    "That needs a migration, which this rename does not write."
                )
        return edits
    if f.mapped or f.ast.attribute("map") is not None:
        return edits
    end = f.ast.span[1]
    return [Edit(f.file, end, end, f' @map("{old}")')]


def _keep_value_name(index: SchemaIndex, enum_name: str, old: str) -> list[Edit]:
    node = index.enums.get(enum_name)
    if node is None:
        return []
    file, enum = node
    for value in enum.values:
        if value.name.name == old:
            if _has_attribute(value.attributes, "map"):
                return []
            end = value.attributes[-1].span[1] if value.attributes else value.name.span[1]
            return [Edit(file, end, end, f' @map("{old}")')]
    return []


# -- renaming the database object too ------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DatabaseRename:
    """Dropping a `@map` / `@@map` so that the column (`kind` "column") or table takes the
    Prisma name: `model` and `field` (None for a table), the database name `old` and `new`,
    and the edit that drops the attribute."""

    kind: str
    model: str
    field: str | None
    old: str
    new: str
    edits: tuple[Edit, ...]

    @property
    def title(self) -> str:
        what = f"`{self.model}.{self.field}`" if self.field else f"`{self.model}`"
        return (
            f"Rename the database {self.kind} of {what} too: `{self.old}` → `{self.new}` "
            "(drop the map, with a migration)"
        )


def database_rename(index: SchemaIndex, file: str, offset: int) -> DatabaseRename | None:
    """The map to drop for the model or scalar field at `offset`, when its database name
    differs from its Prisma name and the Prisma name is free in the database; else None."""
    ctx = index.context(file, offset)
    top = ctx.top
    if not isinstance(top, ast.Model) or top.kind != "model":
        return None
    model = index.model(top.name.name)
    table = index.table(top.name.name)
    if model is None or table is None or table.db_schema:
        return None
    text = index.texts.get(file, "")
    if ctx.field is not None:
        f = index.field_info(model.name, ctx.field.name.name)
        attribute = ctx.field.attribute("map")
        if f is None or f.kind == "relation" or attribute is None or f.db_name == f.name:
            return None
        if table.column(f.name) is not None:
            return None
        edit = _drop_attribute(file, text, attribute.span, whole_line=False)
        return DatabaseRename("column", model.name, f.name, f.db_name, f.name, (edit,))
    if ctx.value is not None:
        return None
    attribute = next((a for a in top.attributes if a.name.name == "map"), None)
    if attribute is None or model.db_name == model.name:
        return None
    if any(t.name == model.name for t in index.schema.tables):
        return None
    edit = _drop_attribute(file, text, attribute.span, whole_line=True)
    return DatabaseRename("table", model.name, None, model.db_name, model.name, (edit,))


def _drop_attribute(file: str, text: str, span: tuple[int, int], *, whole_line: bool) -> Edit:
    start, end = span
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end < 0 else line_end
    if whole_line and not text[line_start:start].strip() and not text[end:line_end].strip():
        return Edit(file, line_start, min(line_end + 1, len(text)), "")
    while start > line_start and text[start - 1] in " \t":
        start -= 1
    return Edit(file, start, end, "")

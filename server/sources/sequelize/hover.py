"""Hover on a Sequelize model's text: what the database holds for what is under the cursor.

On an attribute: its column as `sync()` builds it (type, NULL, default, key, unique, the
foreign key), with what only Sequelize knows (the DataType as written, a default Sequelize
computes on insert, `validate`). On a model's name: its table and the columns Sequelize adds to
it. On an association call: the foreign key or join table it implies. Plain data: `features/`
makes LSP of it.
"""

from __future__ import annotations

from schemasense.codegen.schema import Column, Table
from schemasense.server.sources.base import HoverAnswer
from schemasense.server.sources.sequelize.build import Attribute, BuiltModel, Relation
from schemasense.server.sources.sequelize.reader import SequelizeRead


def hover(read: SequelizeRead, file: str, offset: int) -> HoverAnswer | None:
    candidates: list[tuple[int, int, str]] = []
    for model in read.built.models:
        table = read.schema.table(model.naming.table)
        if table is None:
            continue
        if model.file == file and model.start <= offset < model.end and model.decl is not None:
            candidates.append((model.start, model.end, _model(model, table)))
        for attr in model.attributes.values():
            if attr.added_by is not None or attr.file != file:
                continue
            if attr.start <= offset < attr.end:
                column = table.column(attr.field)
                if column is not None:
                    candidates.append((attr.start, attr.end, _attribute(attr, column, table)))
    for relation in read.built.relations:
        decl = relation.decl
        if decl.file == file and decl.start <= offset < decl.end:
            candidates.append((decl.start, decl.end, _relation(relation, read)))
    if not candidates:
        return None
    start, end, markdown = min(candidates, key=lambda c: c[1] - c[0])
    return HoverAnswer(markdown, file, start, end)


def _column_line(column: Column) -> str:
    parts = [column.type.native or column.type.kind]
    parts.append("NULL" if column.nullable else "NOT NULL")
    if column.default is not None:
        parts.append(f"DEFAULT {column.default.value or column.default.function or ''}".strip())
    if column.auto_increment:
        parts.append("auto-increment")
    return " ".join(parts)


def _attribute(attr: Attribute, column: Column, table: Table) -> str:
    lines = [f"**{table.name}.{column.name}** `{_column_line(column)}`", ""]
    if attr.type_text:
        lines.append(f"Sequelize type: `{attr.type_text}`")
    keys = []
    if table.primary_key and column.name in [c.column for c in table.primary_key.columns]:
        keys.append("primary key")
    for unique in table.uniques:
        if column.name in [c.column for c in unique.columns]:
            keys.append(f"unique `{unique.name}`")
    for fk in table.foreign_keys:
        if column.name in fk.columns:
            keys.append(
                f"foreign key `{fk.name}` → `{fk.referenced_table}`"
                f"({', '.join(fk.referenced_columns)}) ON DELETE {fk.on_delete}"
                f" ON UPDATE {fk.on_update}"
            )
    if keys:
        lines.append("; ".join(keys))
    if attr.client_default:
        lines.append(
            f"default `{attr.client_default}`: computed by Sequelize on insert, not a database"
            " default (a row written by other means gets none)"
        )
    if attr.validate:
        lines.append(f"validate: `{attr.validate}` (checked by Sequelize, not the database)")
    return "\n\n".join(line for line in lines if line is not None)


def _model(model: BuiltModel, table: Table) -> str:
    added = [a.field for a in model.attributes.values() if a.added_by is not None]
    lines = [
        f"**model {model.name}** → table `{table.name}` ({len(table.columns)} columns)",
    ]
    if added:
        lines.append("added by Sequelize: " + ", ".join(f"`{a}`" for a in added))
    if model.naming.paranoid:
        lines.append("paranoid: rows are soft-deleted (`deletedAt`)")
    return "\n\n".join(lines)


def _relation(relation: Relation, read: SequelizeRead) -> str:
    holder = next((m for m in read.built.models if m.name == relation.holder), None)
    if holder is None:
        return f"`{relation.kind}`"
    attr = holder.attributes.get(relation.foreign_key)
    table = read.schema.table(holder.naming.table)
    column = attr.field if attr is not None else relation.foreign_key
    text = f"**{relation.source}.{relation.kind}({relation.target})**"
    if relation.kind == "belongsToMany":
        return (
            f"{text}: join table `{holder.naming.table}`, key `{column}` towards {relation.source}"
        )
    fk = None
    if table is not None:
        fk = next((f for f in table.foreign_keys if f.columns == [column]), None)
    if fk is None:
        return f"{text}: key `{holder.naming.table}.{column}` (no constraint)"
    return (
        f"{text}: key `{holder.naming.table}.{column}` → `{fk.referenced_table}`"
        f"({', '.join(fk.referenced_columns)}) ON DELETE {fk.on_delete} ON UPDATE {fk.on_update}"
    )

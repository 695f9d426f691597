"""The Sequelize source's `SchemaEditor` (`sources/base.py`): the rules' changes as model text.

Each change is written where Sequelize users write it, in the model's attributes and options
(`Model.init(attributes, options)`, `sequelize.define(name, attributes, options)`; with
sequelize-typescript the `@Column(...)` argument stands for the attribute and `@Table({ ... })`
for the options):

- an index is an entry `{ fields: ["a", "b"] }` of the options' `indexes` array (the array
  added when the options have none), with the columns' database names, on which `sync()`
  builds it; a redundant index is its entry removed (a duplicate `unique: true`, that key);
- a column's type is the attribute's `type` (`DataTypes.BIGINT`, `DataTypes.DECIMAL(19, 4)`,
  `DataTypes.JSONB`, `DataTypes.UUID`, `DataTypes.DATE`), written with the namespace the file
  uses (`DataTypes`, `Sequelize`, `DataType`); the implicit `id` becomes an attribute of its
  own (`id: { type: DataTypes.BIGINT, primaryKey: true, autoIncrement: true, allowNull: false
  }`; with sequelize-typescript a member `@Column({ type: DataType.BIGINT, primaryKey: true,
  autoIncrement: true }) declare id: number` first in the class); a key's `belongsTo` /
  `belongsToMany` columns follow it by themselves (Sequelize gives them the target key's
  type), so only attributes declared with a type of their own change with it;
- a unique key becomes the primary key: `unique` turns into `primaryKey: true` on each of its
  attributes (`@Column({ unique: true })` too; sequelize-typescript's `@Unique` not yet);
- a last-modified time is the options' `updatedAt: "attribute"` (with `timestamps: true` and
  `createdAt: false` when the model kept no timestamps; none when Sequelize keeps an
  `updatedAt` of its own, which that would drop);
- a kept table name is `tableName: "old"`, a kept column name the attribute's `field: "old"`.

Options or attributes built elsewhere (spread in, computed keys, a shared object) get no edit:
None, and the rule's finding stays. Sequelize's `sync()` judges every edit
(tests/verify/test_sequelize_add_index.py, tests/verify/test_sequelize_editor_fixes.py).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from schemasense.codegen.schema import Column, ColumnType, Span, Table, UniqueConstraint
from schemasense.server.findings import TextEdit
from schemasense.server.sources.base import EditsNothing, SchemaChange
from schemasense.server.sources.typescript import edits as ts
from schemasense.server.sources.typescript.declarations import read_module
from schemasense.server.sources.typescript.values import Array, Call, Obj, Ref, Value

_NAMESPACES = ("DataTypes", "Sequelize", "DataType")


class SequelizeEditor(EditsNothing):
    """Edits to the model files of one read (`texts` are the files it read)."""

    def __init__(
        self, declared: Any, texts: Mapping[str, str], tables: Sequence[Table] = ()
    ) -> None:
        self.declared = declared
        self.texts = texts
        self.tables = tables
        """The declared schema's tables: the columns that reference a changed key are found
        among them."""

    # indexes and keys

    def add_index(self, table: Table, columns: Sequence[str]) -> SchemaChange | None:
        found = self._options(table)
        if found is None or not columns:
            return None
        decl, text, options = found
        quote = ts.quote_of(text)
        entry = "{ fields: [" + ", ".join(f"{quote}{c}{quote}" for c in columns) + "] }"
        prop = options.prop("indexes")
        if prop is not None:
            edit = ts.append_item(decl.file, text, prop.value, entry)
        else:
            edit = ts.add_prop(decl.file, text, options, f"indexes: [{entry}]")
        if edit is None:
            return None
        return SchemaChange((edit,), entry)

    def drop_index(self, table: Table, span: Span) -> SchemaChange | None:
        found = self._options(table)
        if found is not None:
            decl, text, options = found
            indexes = options.get("indexes")
            if isinstance(indexes, Array):
                for i, item in enumerate(indexes.items):
                    if item.start == span.start and item.end == span.end:
                        edit = ts.remove_item(decl.file, text, indexes.items, i)
                        return SchemaChange((edit,), text[item.start : item.end])
        # a `unique` of an attribute, whose span is the attribute's
        at = self._attribute_at(table, span)
        if at is None:
            return None
        decl, text, value = at
        prop = value.prop("unique") if isinstance(value, Obj) else None
        if prop is None or not ts.is_literal(text, value, "{"):
            return None
        edit = ts.remove_prop(decl.file, text, value, prop)
        return SchemaChange((edit,), f"unique: {text[prop.value.start : prop.value.end]}")

    def make_primary_key(self, table: Table, unique: UniqueConstraint) -> SchemaChange | None:
        decl = self._model(table)
        if decl is None:
            return None
        text = self.texts.get(decl.file)
        if text is None:
            return None
        edits: list[TextEdit] = []
        for part in unique.columns:
            column = table.column(part.column or "")
            attribute = self._attribute(decl, column) if column is not None else None
            if attribute is None or not isinstance(attribute.value, Obj):
                return None
            value: Obj = attribute.value
            prop = value.prop("unique")
            if prop is None or not ts.is_literal(text, value, "{") or value.prop("primaryKey"):
                return None  # a unique index entry: not written yet
            at = Span(file=decl.file, start=prop.key_start, end=prop.value.end)
            edits.append(TextEdit(at, "primaryKey: true"))  # in the place of `unique: ...`
        if not edits:
            return None
        return SchemaChange(tuple(edits), "primaryKey: true")

    # columns

    def set_column_type(
        self, table: Table, column: Column, type: ColumnType, *, references: bool = False
    ) -> SchemaChange | None:
        decl = self._model(table)
        text = self.texts.get(decl.file) if decl is not None else None
        if decl is None or text is None:
            return None
        namespace = _namespace(decl)
        written = _type_text(type, column, namespace) if namespace else None
        if written is None:
            return None
        first = self._typed(decl, text, table, column, written)
        if first is None:
            return None
        found = list(first)
        if references:
            for other_table, other in self._referencing(table, column):
                if other.type.kind != column.type.kind:
                    continue
                other_decl = self._model(other_table)
                other_text = self.texts.get(other_decl.file) if other_decl is not None else None
                if other_decl is None or other_text is None:
                    continue
                if self._attribute(other_decl, other) is None:
                    continue  # an association's key: Sequelize gives it the key's type
                edit = self._typed(other_decl, other_text, other_table, other, written)
                if edit is not None:
                    found += edit
        label = written.split(".", 1)[-1]
        return SchemaChange(tuple({(e.span.file, e.span.start): e for e in found}.values()), label)

    def _typed(
        self, decl: Any, text: str, table: Table, column: Column, written: str
    ) -> list[TextEdit] | None:
        attribute = self._attribute(decl, column)
        if attribute is None:
            if column.name != "id" or not decl.attributes:
                return None
            if table.primary_key is None or [c.column for c in table.primary_key.columns] != ["id"]:
                return None
            # the implicit key, written out (Sequelize adds it when no attribute is a key)
            if decl.decorated is not None:
                return _decorated_key(decl, text, written)
            first = decl.attributes[0]
            entry = (
                f"id: {{ type: {written}, primaryKey: true, autoIncrement: true, "
                f"allowNull: false }}"
            )
            if "\n" in text[decl.start : first.start]:
                entry += ",\n" + ts.line_indent(text, first.start)
            else:
                entry += ", "
            return [TextEdit(Span(file=decl.file, start=first.start, end=first.start), entry)]
        value = attribute.value
        if isinstance(value, Obj):
            if not ts.is_literal(text, value, "{") or value.prop("type") is None:
                return None
            return ts.set_props(decl.file, text, value, {"type": written})
        if isinstance(value, (Ref, Call)) and _is_type(value):
            return [TextEdit(Span(file=decl.file, start=value.start, end=value.end), written)]
        return None

    def mark_updated_at(self, table: Table, column: Column) -> SchemaChange | None:
        found = self._options(table)
        if found is None or any(c.updated_at for c in table.columns if c is not column):
            return None
        decl, text, options = found
        attribute = self._attribute(decl, column)
        if attribute is None:
            return None
        quote = ts.quote_of(text)
        values: dict[str, str | None] = {"updatedAt": f"{quote}{attribute.name}{quote}"}
        stamped = [
            c
            for c in table.columns
            if c.span is not None and table.span is not None and c.span == table.span
            if c.name != "id"
        ]  # the columns Sequelize adds itself (createdAt, deletedAt)
        if not stamped:  # no timestamps kept: only this one
            values = {"timestamps": "true", "createdAt": "false", **values}
        edits = ts.set_props(decl.file, text, options, values)
        return SchemaChange(tuple(edits), f"updatedAt: {values['updatedAt']}")

    # names

    def keep_table_name(self, table: Table, old_name: str) -> SchemaChange | None:
        found = self._options(table)
        if found is None:
            return None
        decl, text, options = found
        quote = ts.quote_of(text)
        prop = f"tableName: {quote}{old_name}{quote}"
        edits = ts.set_props(decl.file, text, options, {"tableName": f"{quote}{old_name}{quote}"})
        return SchemaChange(tuple(edits), prop)

    def keep_column_name(self, table: Table, column: Column, old_name: str) -> SchemaChange | None:
        decl = self._model(table)
        text = self.texts.get(decl.file) if decl is not None else None
        attribute = self._attribute(decl, column) if decl is not None else None
        if decl is None or text is None or attribute is None:
            return None
        quote = ts.quote_of(text)
        name = f"{quote}{old_name}{quote}"
        value = attribute.value
        if isinstance(value, Obj):
            if not ts.is_literal(text, value, "{"):
                return None
            edits = ts.set_props(decl.file, text, value, {"field": name})
        elif isinstance(value, (Ref, Call)) and _is_type(value):
            written = text[value.start : value.end]
            new = f"{{ type: {written}, field: {name} }}"
            edits = [TextEdit(Span(file=decl.file, start=value.start, end=value.end), new)]
        else:
            return None
        return SchemaChange(tuple(edits), f"field: {name}")

    # lookups

    def _model(self, table: Table) -> Any:
        file = table.span.file if table.span is not None else None
        for decl in getattr(self.declared, "models", ()):
            if decl.name == table.model_name and (file is None or decl.file == file):
                return decl
        return None

    def _options(self, table: Table) -> tuple[Any, str, Obj] | None:
        """The model, its file's text and its options object literal (None when it has none,
        or spreads another object into it, whose keys may win)."""
        decl = self._model(table)
        if decl is None or not isinstance(decl.options, Obj):
            return None
        options: Obj = decl.options
        text = self.texts.get(decl.file)
        if options.spreads or options.unknown_keys or text is None:
            return None
        if not ts.is_literal(text, options, "{"):
            return None
        return decl, text, options

    @staticmethod
    def _attribute(decl: Any, column: Column | None) -> Any:
        if column is None:
            return None
        name = column.field_name or column.name
        return next((a for a in decl.attributes if a.name == name), None)

    def _attribute_at(self, table: Table, span: Span) -> tuple[Any, str, Value] | None:
        decl = self._model(table)
        text = self.texts.get(decl.file) if decl is not None else None
        if decl is None or text is None:
            return None
        for attribute in decl.attributes:
            if attribute.start == span.start:
                return decl, text, attribute.value
        return None

    def _referencing(self, table: Table, column: Column) -> list[tuple[Table, Column]]:
        out: list[tuple[Table, Column]] = []
        for other in self.tables:
            for fk in other.foreign_keys:
                if fk.referenced_table != table.name or column.name not in fk.referenced_columns:
                    continue
                local = other.column(fk.columns[fk.referenced_columns.index(column.name)])
                if local is not None and local is not column:
                    out.append((other, local))
        return out


def _decorated_key(decl: Any, text: str, written: str) -> list[TextEdit] | None:
    """sequelize-typescript's implicit key as a member of its own, first in the class:
    `@Column({ type: DataType.BIGINT, primaryKey: true, autoIncrement: true })`."""
    module = read_module(decl.file, text)
    cls = next((c for c in module.classes if c.name_start == decl.name_start), None)
    members = [m for m in cls.members if m.kind == "property"] if cls is not None else []
    if not members:
        return None
    first = members[0]
    indent = ts.line_indent(text, first.start)
    if text[text.rfind("\n", 0, first.start) + 1 : first.start].strip():
        return None  # the member shares its line
    declared = "declare id" if first.declare else "id!"
    member = (
        f"{indent}@Column({{ type: {written}, primaryKey: true, autoIncrement: true }})\n"
        f"{indent}{declared}: number;\n\n"
    )
    at = text.rfind("\n", 0, first.start) + 1
    return [TextEdit(Span(file=decl.file, start=at, end=at), member)]


def _namespace(decl: Any) -> str | None:
    """The name the model's file gives Sequelize's data types, from its attributes."""
    for attribute in decl.attributes:
        value = attribute.value
        if isinstance(value, Obj):
            value = value.get("type")
        if isinstance(value, Call):
            value = value.callee
        if isinstance(value, Ref) and len(value.path) == 2 and value.path[0] in _NAMESPACES:
            return value.path[0]
    return None


def _is_type(value: Value) -> bool:
    ref = value.callee if isinstance(value, Call) else value
    return isinstance(ref, Ref) and len(ref.path) == 2 and ref.path[0] in _NAMESPACES


def _type_text(type: ColumnType, column: Column, namespace: str) -> str | None:
    """`DataTypes.X` for `type`, or None for a type not written here."""
    if type.kind == "bigint":
        return f"{namespace}.BIGINT"
    if type.kind == "uuid":
        return f"{namespace}.UUID"
    if type.kind == "json" and (type.native or "").lower() == "jsonb":
        return f"{namespace}.JSONB"
    if type.kind == "timestamp" and type.timezone:  # DATE is timestamptz on PostgreSQL
        precision = column.type.precision
        return f"{namespace}.DATE" + (f"({precision})" if precision is not None else "")
    if type.kind == "decimal" and type.precision is not None and type.scale is not None:
        return f"{namespace}.DECIMAL({type.precision}, {type.scale})"
    return None

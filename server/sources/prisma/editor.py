"""The Prisma source's `SchemaEditor` (`sources/base.py`): the changes the rules ask for, in
schema-model terms, written as Prisma text by `edits.py`.

Each method finds the model or field behind a `Table` / `Column` of the declared schema (by
its ORM name, through the read's resolved database) and writes what `prisma format` would:
`@@index([...])` as the model's last line, `@db.X` after the field's attributes, a changed
scalar type in place. Where the schema does not say it in a way this editor follows (no
model behind the table, a native type it does not recognise), the answer is None.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from schemasense.codegen.dialects import get_dialect
from schemasense.codegen.schema import Column, ColumnType, Span, Table, UniqueConstraint
from schemasense.server.findings import TextEdit
from schemasense.server.sources.base import SchemaChange
from schemasense.server.sources.prisma import edits
from schemasense.server.sources.prisma.database import FieldInfo

if TYPE_CHECKING:
    from schemasense.server.sources.prisma.reader import PrismaRead

_JSONB_DEFAULT = ("postgresql", "postgres", "cockroachdb")
"""Providers on which Prisma's `Json` is `jsonb` unless a native type says otherwise."""


class PrismaEditor:
    """Edits to the `.prisma` files of one read (`texts` are the files it read)."""

    def __init__(self, read: PrismaRead, texts: Mapping[str, str]) -> None:
        self.read: PrismaRead | None = read
        self.texts = texts
        self.cache: dict[Any, Any] = {}
        """Facts several edits share (the fields that reference a field), per editor."""

    # indexes and keys

    def add_index(self, table: Table, columns: Sequence[str]) -> SchemaChange | None:
        fields = [
            (c.field_name or c.name) if (c := table.column(name)) else name for name in columns
        ]
        attribute = f"@@index([{', '.join(fields)}])"
        edit = edits.add_block_attribute(self, table, attribute)
        return None if edit is None else SchemaChange((edit,), attribute)

    def make_primary_key(self, table: Table, unique: UniqueConstraint) -> SchemaChange | None:
        if unique.span is None:
            return None
        file, at = unique.span.file, unique.span.start
        text = self.texts.get(file, "")
        for before, after in (("@@unique", "@@id"), ("@unique", "@id")):
            if text.startswith(before, at):
                edit = edits.replace(file, (at, at + len(before)), after)
                return SchemaChange((edit,), after)
        return None

    def drop_index(self, table: Table, span: Span) -> SchemaChange | None:
        edit = edits.delete_attribute_at(self, span)
        if edit is None:
            return None
        return SchemaChange((edit,), self.texts.get(span.file, "")[span.start : span.end])

    # columns

    def mark_updated_at(self, table: Table, column: Column) -> SchemaChange | None:
        f = edits.field_info(self, table, column)
        if f is None:
            return None
        return SchemaChange((edits.add_field_attribute(self, f, "@updatedAt"),), "@updatedAt")

    def set_column_type(
        self, table: Table, column: Column, type: ColumnType, *, references: bool = False
    ) -> SchemaChange | None:
        f = edits.field_info(self, table, column)
        if f is None:
            return None
        if type.kind == "timestamp" and type.timezone:
            return self._timestamptz(f, type)
        if type.kind == "uuid":
            return self._uuid(table, column, f, references)
        if type.kind == "json" and (type.native or "").lower() == "jsonb":
            return self._jsonb(f)
        if type.kind == "bigint":
            return self._bigint(table, column, f, references)
        if type.kind == "decimal" and type.precision is not None and type.scale is not None:
            return self._decimal(f, type)
        return None

    def _timestamptz(self, f: FieldInfo, type: ColumnType) -> SchemaChange | None:
        precision = type.precision if type.precision is not None else 3
        attribute = f"@db.Timestamptz({precision})"
        native = edits.native_attribute(f)
        if native is None:
            edit = edits.add_field_attribute(self, f, attribute)
        elif native.name.name.endswith("Timestamp"):
            edit = edits.replace(f.file, native.span, attribute)
        else:
            return None
        return SchemaChange((edit,), "DateTime")

    def _uuid(
        self, table: Table, column: Column, f: FieldInfo, references: bool
    ) -> SchemaChange | None:
        found: list[TextEdit] = [edits.add_field_attribute(self, f, "@db.Uuid")]
        if references:
            for other in self._referencing(table, column):
                if other.native is None:
                    found.append(edits.add_field_attribute(self, other, "@db.Uuid"))
        return SchemaChange(_once(found), "String")

    def _jsonb(self, f: FieldInfo) -> SchemaChange | None:
        provider = self.read.schema.provider if self.read is not None else None
        native = edits.native_attribute(f)
        if native is None or provider not in _JSONB_DEFAULT:
            return None
        return SchemaChange((edits.delete_attribute(self, f.file, native),), "Json")

    def _bigint(
        self, table: Table, column: Column, f: FieldInfo, references: bool
    ) -> SchemaChange | None:
        span = edits.field_type_span(f)
        if span is None:
            return None
        found: list[TextEdit] = [edits.replace(f.file, span, "BigInt")]
        if references:
            for other in self._referencing(table, column):
                other_span = edits.field_type_span(other)
                if other.type_name == "Int" and other_span is not None:
                    found.append(edits.replace(other.file, other_span, "BigInt"))
        return SchemaChange(_once(found), "BigInt")

    def _decimal(self, f: FieldInfo, type: ColumnType) -> SchemaChange | None:
        dialect = get_dialect(self.read.schema.provider) if self.read is not None else None
        span = edits.field_type_span(f)
        if dialect is None or span is None:
            return None
        found: list[TextEdit] = [edits.replace(f.file, span, "Decimal")]
        attribute = f"@db.Decimal({type.precision}, {type.scale})"
        native = edits.native_attribute(f)
        has_native = "Decimal" in dialect.NATIVE_TYPES
        if native is not None:
            if has_native:
                found.append(edits.replace(f.file, native.span, attribute))
            else:
                found.append(edits.delete_attribute(self, f.file, native))
        elif has_native:
            found.append(edits.add_field_attribute(self, f, attribute))
        return SchemaChange(tuple(found), "Decimal")

    def _referencing(self, table: Table, column: Column) -> list[FieldInfo]:
        return edits.referencing_fields(self, table.model_name or "", column.field_name or "")

    # names

    def keep_table_name(self, table: Table, old_name: str) -> SchemaChange | None:
        if table.model_name != table.name:
            return None  # already mapped: the model names its table
        attribute = f'@@map("{old_name}")'
        edit = edits.add_block_attribute(self, table, attribute)
        return None if edit is None else SchemaChange((edit,), attribute)

    def keep_column_name(self, table: Table, column: Column, old_name: str) -> SchemaChange | None:
        f = edits.field_info(self, table, column)
        if f is None or any(a.name.name == "map" for a in f.ast.attributes):
            return None
        attribute = f'@map("{old_name}")'
        return SchemaChange((edits.add_field_attribute(self, f, attribute),), attribute)


def _once(found: list[TextEdit]) -> tuple[TextEdit, ...]:
    """The edits with one per place (two relations can name the same field)."""
    return tuple({(e.span.file, e.span.start): e for e in found}.values())

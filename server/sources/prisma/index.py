"""The position index of one read: every name in the text, what it refers to, and who refers to it.

Built once per read (`index_for(analysis)` caches it) by one walk over the syntax trees, so a
hover, a definition or a completion is a binary search and a few dictionary lookups rather than
a scan of the schema. What it records, per file, sorted by offset:

- declarations: model, view, composite type and enum names, field names, enum values,
  datasource and generator names;
- references: a field's type (`author User`), the fields named in `@relation(fields: [...],
  references: [...])`, in `@@id`, `@@unique`, `@@index`, `@@fulltext` and `@@shardKey` lists
  (each segment of a composite path `address.city`), and an enum value in `@default(...)`;
- attribute names (`@@index`, `@id`, `@db.VarChar`), scalar type names, config property names.

Targets are keys: `("model", Name)` (models, views and composite types), `("enum", Name)`,
`("field", Model, field)`, `("value", Enum, VALUE)`, `("datasource", name)`,
`("generator", name)`. `references[key]` lists every occurrence of a key in the unit, the
declaration included, in file then offset order.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Literal

from schemasense.codegen.schema import Schema, Table
from schemasense.server.positions import LineMap
from schemasense.server.sources.prisma import PrismaRead, ast
from schemasense.server.sources.prisma.database import (
    SCALAR_TYPES,
    Database,
    EnumInfo,
    FieldInfo,
    IndexInfo,
    ModelInfo,
)

Key = tuple[str, ...]
Role = Literal["declaration", "reference", "type", "scalar", "attribute", "property"]

INDEX_ATTRIBUTES = frozenset({"id", "unique", "index", "fulltext"})
"""Attributes that declare a primary key, a unique constraint or an index."""
_LIST_ATTRIBUTES = frozenset({"id", "unique", "index", "fulltext", "shardKey"})


def model_key(name: str) -> Key:
    return ("model", name)


def enum_key(name: str) -> Key:
    return ("enum", name)


def field_key(model: str, name: str) -> Key:
    return ("field", model, name)


def value_key(enum: str, name: str) -> Key:
    return ("value", enum, name)


@dataclass(slots=True, eq=False)
class Occurrence:
    """One name in one file: `[start, end)` offsets, its role, and what it refers to.

    `top` is the enclosing block's name, `field` the enclosing field's name, `attribute` the
    attribute the name is in (for an attribute's own name, that attribute).
    """

    file: str
    start: int
    end: int
    role: Role
    key: Key | None
    top: str | None = None
    field: str | None = None
    attribute: ast.Attribute | None = None

    @property
    def is_declaration(self) -> bool:
        return self.role == "declaration"


@dataclass(slots=True)
class Context:
    """Where an offset is: the block, the field and the attribute around it (each optional)."""

    file: str
    offset: int
    top: ast.Top | None = None
    field: ast.Field | None = None
    attribute: ast.Attribute | None = None
    value: ast.EnumValue | None = None


@dataclass(slots=True, eq=False)
class _FileIndex:
    tokens: list[Occurrence] = field(default_factory=list)
    starts: list[int] = field(default_factory=list)
    tops: list[ast.Top] = field(default_factory=list)
    top_starts: list[int] = field(default_factory=list)


class SchemaIndex:
    """The index of one analysis (`texts` are the exact texts `read` was made from)."""

    def __init__(self, texts: Mapping[str, str], read: PrismaRead) -> None:
        self.texts = texts
        self.read = read
        self.db: Database | None = read.database
        self.files: dict[str, _FileIndex] = {}
        self.references: dict[Key, list[Occurrence]] = {}
        self.declarations: dict[Key, Occurrence] = {}
        self.models: dict[str, tuple[str, ast.Model]] = {}
        """Model, view and composite type name -> (file, syntax node), first declaration."""
        self.enums: dict[str, tuple[str, ast.Enum]] = {}
        self.datasource: tuple[str, ast.ConfigBlock] | None = None
        self.index_of_attribute: dict[int, IndexInfo] = {}
        """id(attribute) -> the key or index it declares (the attributes are kept alive by
        the read's trees)."""
        self._lines: dict[str, LineMap] = {}
        self._tables: dict[str, Table] | None = None
        self.memo: dict[tuple, object] = {}
        """Answers computed from this read, kept with it (a file's symbols in LSP's shapes)."""
        self._names()
        self._built = False

    # -- lookups --------------------------------------------------------------------------------

    def at(self, file: str, offset: int) -> Occurrence | None:
        """The name at `offset` (its end counts: a cursor just after a word is on it)."""
        index = self._file(file)
        if index is None:
            return None
        i = bisect_right(index.starts, offset) - 1
        if i >= 0:
            token = index.tokens[i]
            if token.start <= offset <= token.end:
                return token
        return None

    def context(self, file: str, offset: int) -> Context:
        """The block, field, attribute (and enum value) that contain `offset`."""
        ctx = Context(file, offset)
        index = self._file(file)
        if index is None:
            return ctx
        i = bisect_right(index.top_starts, offset) - 1
        if i < 0:
            return ctx
        top = index.tops[i]
        if not top.span[0] <= offset <= top.span[1]:
            return ctx
        ctx.top = top
        if isinstance(top, ast.Model):
            for f in top.fields:
                if f.span[0] <= offset <= f.span[1]:
                    ctx.field = f
                    ctx.attribute = _attribute_at(f.attributes, offset)
                    return ctx
            ctx.attribute = _attribute_at(top.attributes, offset)
        elif isinstance(top, ast.Enum):
            for value in top.values:
                if value.span[0] <= offset <= value.span[1]:
                    ctx.value = value
                    ctx.attribute = _attribute_at(value.attributes, offset)
                    return ctx
            ctx.attribute = _attribute_at(top.attributes, offset)
        return ctx

    def occurrences(self, key: Key) -> list[Occurrence]:
        self._build()
        return self.references.get(key, [])

    def declaration(self, key: Key) -> Occurrence | None:
        self._build()
        return self.declarations.get(key)

    def tops(self, file: str) -> list[ast.Top]:
        """The file's blocks in text order."""
        tops = self._tops.get(file)
        if tops is None:
            tree = self.read.asts.get(file)
            tops = self._tops[file] = sorted(tree.tops, key=lambda t: t.span[0]) if tree else []
        return tops

    @property
    def file_ids(self) -> list[str]:
        """The unit's schema files."""
        return list(self.read.asts)

    def _file(self, file: str) -> _FileIndex | None:
        self._build()
        return self.files.get(file)

    def line_map(self, file: str) -> LineMap:
        lines = self._lines.get(file)
        if lines is None:
            lines = self._lines[file] = LineMap(self.texts.get(file, ""))
        return lines

    # -- the resolved schema --------------------------------------------------------------------

    def model(self, name: str | None) -> ModelInfo | None:
        if self.db is None or name is None:
            return None
        return self.db.models.get(name)

    def enum(self, name: str | None) -> EnumInfo | None:
        if self.db is None or name is None:
            return None
        return self.db.enums.get(name)

    def field_info(self, model: str | None, name: str | None) -> FieldInfo | None:
        info = self.model(model)
        return info.field(name) if info is not None and name is not None else None

    @property
    def provider(self) -> str | None:
        if self.db is not None and self.db.provider:
            return self.db.provider
        if self.datasource is not None:
            prop = self.datasource[1].property("provider")
            if prop is not None and isinstance(prop.value, ast.StringValue):
                return prop.value.value
        return None

    @property
    def schema(self) -> Schema:
        """The lowered schema model (built on first use, then kept with the read)."""
        return self.read.schema

    def table(self, model: str) -> Table | None:
        """The lowered table of a model, view or composite type."""
        if self._tables is None:
            self._tables = {t.model_name: t for t in self.schema.tables if t.model_name}
        return self._tables.get(model)

    # -- building -------------------------------------------------------------------------------

    def _names(self) -> None:
        """What completion needs, cheap enough for every keystroke: the blocks by name."""
        self._tops: dict[str, list[ast.Top]] = {}
        for file, tree in self.read.asts.items():
            for top in tree.tops:
                if isinstance(top, ast.Model):
                    self.models.setdefault(top.name.name, (file, top))
                elif isinstance(top, ast.Enum):
                    self.enums.setdefault(top.name.name, (file, top))
                elif top.kind == "datasource" and self.datasource is None:
                    self.datasource = (file, top)

    def _build(self) -> None:
        """Every name of every file, and the references map: built on the first lookup."""
        if self._built:
            return
        self._built = True
        if self.db is not None:
            for model in self.db.models.values():
                if model.id is not None and model.id.attribute is not None:
                    self.index_of_attribute[id(model.id.attribute)] = model.id
                for info in model.indexes:
                    if info.attribute is not None:
                        self.index_of_attribute[id(info.attribute)] = info
        for file in self.read.asts:
            index = self.files[file] = _FileIndex()
            tops = self.tops(file)
            index.tops = tops
            index.top_starts = [t.span[0] for t in tops]
            tokens: list[Occurrence] = []
            for top in tops:
                tokens.extend(self._top_tokens(file, top))
            tokens.sort(key=lambda o: o.start)
            index.tokens = tokens
            index.starts = [o.start for o in tokens]
            for token in tokens:
                if token.key is None or token.role not in ("declaration", "reference", "type"):
                    continue
                self.references.setdefault(token.key, []).append(token)
                if token.role == "declaration":
                    self.declarations.setdefault(token.key, token)

    def _top_tokens(self, file: str, top: ast.Top) -> Iterator[Occurrence]:
        if isinstance(top, ast.Model):
            yield from self._model_tokens(file, top)
        elif isinstance(top, ast.Enum):
            yield from self._enum_tokens(file, top)
        else:
            name = top.name
            key = (top.kind, name.name)
            yield Occurrence(file, *name.span, "declaration", key, top=name.name)
            for prop in top.properties:
                yield Occurrence(file, *prop.name.span, "property", key, top=name.name)

    def _model_tokens(self, file: str, model: ast.Model) -> Iterator[Occurrence]:
        name = model.name.name
        yield Occurrence(file, *model.name.span, "declaration", model_key(name), top=name)
        for f in model.fields:
            fname = f.name.name
            yield Occurrence(
                file, *f.name.span, "declaration", field_key(name, fname), top=name, field=fname
            )
            target: str | None = None
            if f.type is not None and not f.type.unsupported:
                target = f.type.name
                if target in self.models:
                    key: Key | None = model_key(target)
                    role: Role = "type"
                elif target in self.enums:
                    key, role = enum_key(target), "type"
                else:
                    key, role = ("scalar", target), "scalar"
                    if target not in SCALAR_TYPES:
                        key = None
                yield Occurrence(file, *f.type.span, role, key, top=name, field=fname)
            for attribute in f.attributes:
                yield _attribute_token(file, attribute, name, fname)
                yield from self._field_attribute_refs(file, name, f, target, attribute)
        for attribute in model.attributes:
            yield _attribute_token(file, attribute, name, None)
            if attribute.name.name in _LIST_ATTRIBUTES:
                arg = attribute.argument(None) or attribute.argument("fields")
                if arg is not None:
                    yield from self._field_list_refs(file, name, arg.value, attribute, None)

    def _field_attribute_refs(
        self,
        file: str,
        model: str,
        f: ast.Field,
        target: str | None,
        attribute: ast.Attribute,
    ) -> Iterator[Occurrence]:
        attr = attribute.name.name
        fname = f.name.name
        if attr == "relation":
            fields = attribute.argument("fields")
            if fields is not None:
                yield from self._field_list_refs(file, model, fields.value, attribute, fname)
            references = attribute.argument("references")
            if references is not None and target is not None:
                yield from self._field_list_refs(
                    file, target, references.value, attribute, fname, top=model
                )
        elif attr == "default" and target is not None and target in self.enums:
            arg = attribute.argument(None) or attribute.argument("value")
            if arg is not None and isinstance(arg.value, ast.ConstantValue):
                value = arg.value
                yield Occurrence(
                    file,
                    *value.span,
                    "reference",
                    value_key(target, value.name),
                    top=model,
                    field=fname,
                    attribute=attribute,
                )

    def _field_list_refs(
        self,
        file: str,
        model: str,
        value: ast.Expression | None,
        attribute: ast.Attribute,
        fname: str | None,
        top: str | None = None,
    ) -> Iterator[Occurrence]:
        """`[a, b(sort: Desc), c.d]`: one reference per field name, into `model`'s fields."""
        items = value.items if isinstance(value, ast.ArrayExpression) else [value]
        for item in items:
            if isinstance(item, ast.ConstantValue):
                name, span = item.name, item.span
            elif isinstance(item, ast.FunctionCall):
                name, span = item.name, item.name_span
            else:
                continue
            if "." not in name:
                yield Occurrence(
                    file,
                    span[0],
                    span[0] + len(name),
                    "reference",
                    field_key(model, name),
                    top=top or model,
                    field=fname,
                    attribute=attribute,
                )
                continue
            owner: str | None = model
            offset = span[0]
            for segment in name.split("."):
                if owner is not None and segment:
                    yield Occurrence(
                        file,
                        offset,
                        offset + len(segment),
                        "reference",
                        field_key(owner, segment),
                        top=top or model,
                        field=fname,
                        attribute=attribute,
                    )
                owner = self._field_type(owner, segment)
                offset += len(segment) + 1

    def _field_type(self, model: str | None, name: str) -> str | None:
        """The type of `model.name` when it is a model or composite type (for paths)."""
        if model is None or model not in self.models:
            return None
        f = self.models[model][1].field(name)
        if f is None or f.type is None or f.type.name not in self.models:
            return None
        return f.type.name

    def _enum_tokens(self, file: str, enum: ast.Enum) -> Iterator[Occurrence]:
        name = enum.name.name
        yield Occurrence(file, *enum.name.span, "declaration", enum_key(name), top=name)
        for value in enum.values:
            yield Occurrence(
                file, *value.name.span, "declaration", value_key(name, value.name.name), top=name
            )
            for attribute in value.attributes:
                yield _attribute_token(file, attribute, name, None)
        for attribute in enum.attributes:
            yield _attribute_token(file, attribute, name, None)


def _attribute_token(file: str, attribute: ast.Attribute, top: str, fname: str | None):
    """The attribute's name with its `@` / `@@` (`@@index`, `@db.VarChar`)."""
    return Occurrence(
        file,
        attribute.span[0],
        attribute.name.span[1],
        "attribute",
        None,
        top=top,
        field=fname,
        attribute=attribute,
    )


def _attribute_at(attributes: list[ast.Attribute], offset: int) -> ast.Attribute | None:
    for attribute in attributes:
        if attribute.span[0] <= offset <= attribute.span[1]:
            return attribute
    return None


def index_for(texts: Mapping[str, str], read: PrismaRead) -> SchemaIndex:
    """The index of `read`: built on first use and kept on the read itself (its declared
    `index` field), so it lives exactly as long as the analysis the workspace keeps."""
    if read.index is None:
        read.index = SchemaIndex(texts, read)
    return read.index

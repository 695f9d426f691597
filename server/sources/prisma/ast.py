"""The Prisma syntax tree: what the text says, with a span on every node, before any meaning.

Mirrors psl's `schema-ast`: tops (models, views, composite types, enums, datasources,
generators), fields with their type and arity, attributes with their argument lists, and
expressions. Spans are `(start, end)` character offsets into the file's text; the file id lives
on `SchemaAst`. A half-typed field still yields a `Field` (with `type=None`), so later stages
and editor features can work on incomplete text.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Offsets = tuple[int, int]


@dataclass(slots=True)
class Identifier:
    name: str
    span: Offsets


@dataclass(slots=True)
class StringValue:
    value: str
    span: Offsets


@dataclass(slots=True)
class NumericValue:
    text: str
    span: Offsets

    @property
    def value(self) -> int | float:
        return float(self.text) if "." in self.text else int(self.text)


@dataclass(slots=True)
class ConstantValue:
    """A bare path: `Cascade`, `true`, `Desc`, `db.Uuid`, an enum value, a field name."""

    name: str
    span: Offsets


@dataclass(slots=True)
class Argument:
    """`value` or `name: value`; `name:` with no value is kept with `value=None`."""

    name: Identifier | None
    value: Expression | None
    span: Offsets


@dataclass(slots=True)
class ArgumentsList:
    arguments: list[Argument]
    span: Offsets
    trailing_comma: Offsets | None = None


@dataclass(slots=True)
class FunctionCall:
    name: str
    name_span: Offsets
    arguments: ArgumentsList
    span: Offsets


@dataclass(slots=True)
class ArrayExpression:
    items: list[Expression]
    span: Offsets


Expression = StringValue | NumericValue | ConstantValue | FunctionCall | ArrayExpression


@dataclass(slots=True)
class Attribute:
    """`@name(args)` on a field or enum value, `@@name(args)` on a block."""

    name: Identifier
    arguments: ArgumentsList | None
    span: Offsets
    block: bool = False

    def argument(self, name: str | None) -> Argument | None:
        """The named argument `name`, or the first unnamed one for `name=None`."""
        if self.arguments is None:
            return None
        for arg in self.arguments.arguments:
            if (arg.name.name if arg.name else None) == name:
                return arg
        return None


Arity = Literal["required", "optional", "list"]


@dataclass(slots=True)
class FieldType:
    name: str
    span: Offsets
    unsupported: bool = False
    """`Unsupported("...")`: `name` holds the database type text."""


@dataclass(slots=True)
class Field:
    name: Identifier
    type: FieldType | None
    arity: Arity
    attributes: list[Attribute]
    documentation: str | None
    span: Offsets

    def attribute(self, name: str) -> Attribute | None:
        return next((a for a in self.attributes if a.name.name == name), None)


BlockKind = Literal["model", "view", "type"]


@dataclass(slots=True)
class Model:
    """A `model`, a `view` or a composite `type`: the three share one syntax."""

    kind: BlockKind
    name: Identifier
    fields: list[Field]
    attributes: list[Attribute]
    documentation: str | None
    span: Offsets
    block_key: int = 0
    """Names this block's text across reads: the parser's block cache gives an unchanged block
    (even one an edit moved) the same key, so later stages can reuse what they derived."""

    def field(self, name: str) -> Field | None:
        return next((f for f in self.fields if f.name.name == name), None)


@dataclass(slots=True)
class EnumValue:
    name: Identifier
    attributes: list[Attribute]
    documentation: str | None
    span: Offsets


@dataclass(slots=True)
class Enum:
    name: Identifier
    values: list[EnumValue]
    attributes: list[Attribute]
    documentation: str | None
    span: Offsets
    block_key: int = 0
    """Names this block's text across reads: the parser's block cache gives an unchanged block
    (even one an edit moved) the same key, so later stages can reuse what they derived."""


@dataclass(slots=True)
class ConfigProperty:
    name: Identifier
    value: Expression | None
    span: Offsets


@dataclass(slots=True)
class ConfigBlock:
    kind: Literal["datasource", "generator"]
    name: Identifier
    properties: list[ConfigProperty]
    documentation: str | None
    span: Offsets
    block_key: int = 0
    """Names this block's text across reads: the parser's block cache gives an unchanged block
    (even one an edit moved) the same key, so later stages can reuse what they derived."""

    def property(self, name: str) -> ConfigProperty | None:
        return next((p for p in self.properties if p.name.name == name), None)


Top = Model | Enum | ConfigBlock


@dataclass(slots=True)
class SchemaAst:
    file: str
    tops: list[Top] = field(default_factory=list)

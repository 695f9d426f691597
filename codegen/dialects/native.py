"""Native types (`@db.VarChar(255)`) as data: what Prisma accepts and what SQL it writes.

A `NativeTypeSpec` is one row of psl's `native_type_definition!` table (the name, the Prisma
scalars it may annotate, its arguments) plus the SQL keyword Prisma's schema engine renders it
as. The arguments are described by kind rather than by count alone, because the count does not
say everything: `Decimal` takes no arguments or exactly two, and SQL Server's `VarChar` takes a
number or `Max`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from .capabilities import PrismaScalar

ArgKind = Literal["none", "int", "optional_int", "optional_int_or_max", "optional_precision_scale"]
"""How a native type takes arguments, after psl's `NativeTypeArguments` impls:

- `none`: `Text`
- `int`: exactly one non-negative integer (`u32`): MySQL `VarChar(191)`
- `optional_int`: nothing or one integer (`Option<u32>`): PostgreSQL `VarChar`, `Timestamp(6)`
- `optional_int_or_max`: nothing, one integer or `Max` (SQL Server `NVarChar(Max)`)
- `optional_precision_scale`: nothing or exactly two integers (`Option<(u32, u32)>`): `Decimal`
"""

_COUNTS: dict[ArgKind, tuple[int, int]] = {
    "none": (0, 0),
    "int": (1, 0),
    "optional_int": (0, 1),
    "optional_int_or_max": (0, 1),
    "optional_precision_scale": (0, 2),
}

_ALLOWED_COUNTS: dict[ArgKind, frozenset[int]] = {
    "none": frozenset({0}),
    "int": frozenset({1}),
    "optional_int": frozenset({0, 1}),
    "optional_int_or_max": frozenset({0, 1}),
    "optional_precision_scale": frozenset({0, 2}),
}


@dataclass(frozen=True)
class NativeTypeSpec:
    """One native type of one provider.

    `sql` is the keyword the schema engine writes (`VARCHAR`); arguments render after it in
    parentheses, joined by the dialect's separator (`DECIMAL(65,30)` on PostgreSQL,
    `DECIMAL(65, 30)` on MySQL). `scalars` are the Prisma scalar types the native type may
    annotate, in psl's order.
    """

    sql: str
    scalars: tuple[PrismaScalar, ...]
    args: ArgKind = "none"

    @property
    def required_args(self) -> int:
        """psl's `number_of_args` (what the wasm's `native_types` reports as `_number_of_args`)."""
        return _COUNTS[self.args][0]

    @property
    def optional_args(self) -> int:
        """psl's `number_of_optional_args`."""
        return _COUNTS[self.args][1]

    def accepts(self, args: tuple[str, ...] | list[str]) -> bool:
        """Whether psl parses these arguments (`VarChar("x")` and `Decimal(10)` do not)."""
        if len(args) not in _ALLOWED_COUNTS[self.args]:
            return False
        for arg in args:
            if self.args == "optional_int_or_max" and arg.strip().lower() == "max":
                continue
            if not arg.strip().isdigit():
                return False
        return True

    def render(self, args: tuple[str, ...] | list[str] = (), separator: str = ",") -> str:
        """The SQL for this type with these arguments (`max` lowercase, as Prisma writes it)."""
        if not args:
            return self.sql
        parts = ["max" if a.strip().lower() == "max" else a.strip() for a in args]
        return f"{self.sql}({separator.join(parts)})"


def nt(sql: str, *scalars: PrismaScalar, args: ArgKind = "none") -> NativeTypeSpec:
    """Shorthand that keeps the dialect tables one line per native type."""
    return NativeTypeSpec(sql=sql, scalars=scalars, args=args)


@dataclass(frozen=True)
class ArgRange:
    """One range check of psl's `validate_native_type_arguments`: argument `index` of the native
    type must lie in `low..high`, else Prisma reports `message` (its own wording). `scalar`
    limits the check to fields of that Prisma scalar (MySQL: only `Bit(1)` may be a Boolean).

    A connector checks its ranges in order and reports the first that fails.
    """

    index: int
    low: int
    high: int
    message: str
    scalar: PrismaScalar | None = None

    def fails(self, args: tuple[str, ...] | list[str], scalar: str | None = None) -> bool:
        if self.scalar is not None and scalar != self.scalar:
            return False
        if self.index >= len(args) or not args[self.index].strip().isdigit():
            return False
        return not self.low <= int(args[self.index]) <= self.high


@dataclass(frozen=True)
class OperatorClass:
    """A PostgreSQL operator class for `@@index([field(ops: X)], type: ...)` as psl checks it.

    `index_types` are the index types it belongs to; it fits a field whose native type is in
    `natives`, or, without a native type, a field of the Prisma scalar `scalar` (None: a native
    type is required); `lists` marks `ArrayOps`, which fits any list field.
    """

    index_types: frozenset[str]
    natives: frozenset[str] = frozenset()
    scalar: PrismaScalar | None = None
    lists: bool = False


@dataclass(frozen=True)
class DefaultOperatorClasses:
    """What an index type can index without `ops:`: fields of these native types, or without a
    native type of these Prisma scalars (psl's `supports_field_type`), and list fields when
    `lists` (GIN)."""

    natives: frozenset[str] = frozenset()
    scalars: frozenset[str] = frozenset()
    lists: bool = False


@dataclass(frozen=True)
class DefaultNative:
    """The native type a Prisma scalar gets when the field has no `@db.` attribute.

    `native` is None where the provider has no native types (SQLite); `sql` is then what the
    schema engine writes for the scalar itself.
    """

    native: str | None
    sql: str
    args: tuple[str, ...] = ()


_NATIVE_CALL = re.compile(
    r"^\s*(?:@?db\.)?(?P<name>[A-Za-z][A-Za-z0-9]*)\s*(?:\((?P<args>.*)\))?\s*$"
)


def parse_native(text: str) -> tuple[str, tuple[str, ...]] | None:
    """`"VarChar(255)"` or `"@db.Decimal(10, 2)"` -> `("VarChar", ("255",))`; None otherwise."""
    m = _NATIVE_CALL.match(text)
    if m is None:
        return None
    raw = m.group("args")
    args = tuple(a.strip() for a in raw.split(",")) if raw and raw.strip() else ()
    return m.group("name"), args

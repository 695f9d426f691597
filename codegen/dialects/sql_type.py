"""The one SQL type: a column's type as the diff, the renderers and the migration replay hold it.

How a dialect spells it (Prisma's DDL keywords, the database's canonical names) is a dialect
fact, in `codegen.dialects.ddl_types` (`parse`, `ddl`, `canonical`).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class SqlType:
    """A column's SQL type: the one type the diff, the renderers and the migration replay share.

    Read from a schema (the diff's side): `name` is the DDL keyword Prisma writes (`VARCHAR`,
    `TIMESTAMPTZ`, `DOUBLE PRECISION`), `ENUM` for an enum, or `""` for a type we do not know
    (`raw` then holds its text, as `Unsupported("...")` does); `args` are the numbers in
    parentheses; `enum`/`enum_schema` name a PostgreSQL enum type.

    Read from a migration's SQL (the replay's side, which must keep the text as written until
    the end of the replay): `native` is the type's canonical text for a built-in type (what the
    database would print); `user` is a user-defined type (an enum, a domain, an extension's
    type) known by its (schema, name) only, rendered with its name at the end of the replay (so
    an enum renamed later prints under its new name); `serial` is `integer` / `bigint` /
    `smallint` for PostgreSQL's serial pseudo-types.

    On both sides `array` is PostgreSQL's `[]` and `values` a MySQL inline enum's values."""

    name: str = ""
    args: tuple[int, ...] = ()
    array: bool = False
    enum: str | None = None
    enum_schema: str | None = None
    values: tuple[str, ...] = ()
    raw: str | None = None
    native: str | None = None
    user: tuple[str | None, str] | None = None
    serial: str | None = None

    @property
    def arg(self) -> int | None:
        return self.args[0] if self.args else None

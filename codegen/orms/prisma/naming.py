"""The database names Prisma derives when a schema does not give one (`map:`), exactly as Prisma.

Prisma names every constraint it creates: `{table}_pkey`, `{table}_{columns}_key`,
`{table}_{columns}_idx`, `{table}_{columns}_fkey`, SQL Server's `{table}_{column}_df`, and the
implicit many-to-many table `_{RelationName}` with its `A`/`B` columns. A migration that names
them differently is drift, so these must match to the byte. The rules are psl's
`ConstraintNames` (`psl/psl-core/src/datamodel_connector/constraint_names.rs`), the relation
name of `parser-database/src/walkers/relation_field.rs`, and the join table of the schema
engine's `sql_schema_calculator.rs`; tests/codegen/test_naming.py checks them against the SQL
of `@prisma/schema-engine-wasm`.

All inputs are *database* names (after `@map`/`@@map`), except where a function says it takes
Prisma model or field names (relation names and the A/B order of a join table use those).

Truncation: a derived name longer than the provider's `MAX_IDENTIFIER_LENGTH` keeps its suffix
and loses the end of the table/column part, cut in UTF-8 bytes at a character boundary. The
join table's own names are cut in characters instead (the engine uses `chars().take(n)` there);
the two only differ for non-ASCII names.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from schemasense.codegen.dialects import get_dialect
from schemasense.codegen.dialects.capabilities import ReferentialAction

UNKNOWN_PROVIDER_LIMIT = 10_000
"""The limit used for a provider we do not know (the same as SQLite's: no truncation)."""


def max_identifier_length(provider: str | None) -> int:
    """The provider's limit for identifiers, in bytes (PostgreSQL 63, MySQL 64, ...)."""
    dialect = get_dialect(provider)
    return dialect.MAX_IDENTIFIER_LENGTH if dialect is not None else UNKNOWN_PROVIDER_LIMIT


def truncate_bytes(text: str, limit: int) -> str:
    """The longest prefix of `text` that is at most `limit` UTF-8 bytes (psl's
    `floor_char_boundary`: a character is never split). A lone surrogate (which an editor may
    send) counts 3 bytes, as the U+FFFD Prisma would read in its place."""
    if _utf8_length(text) <= limit:
        return text
    size = 0
    for index, char in enumerate(text):
        size += _utf8_length(char)
        if size > limit:
            return text[:index]
    return text


def _utf8_length(text: str) -> int:
    return len(text.encode("utf-8", "surrogatepass"))


def _with_suffix(base: str, suffix: str, provider: str | None) -> str:
    return truncate_bytes(base, max_identifier_length(provider) - len(suffix)) + suffix


def name_too_long(name: str, provider: str | None) -> bool:
    """Whether a `map:` name is longer than the provider allows (psl's `is_db_name_too_long`:
    "The constraint name '...' specified in the `map` argument ... is too long")."""
    return _utf8_length(name) > max_identifier_length(provider)


def primary_key_name(table: str, provider: str | None) -> str | None:
    """`{table}_pkey`; None where primary keys have no name of their own (MySQL, SQLite,
    MongoDB: psl returns no constraint name when the connector lacks `NamedPrimaryKeys`)."""
    dialect = get_dialect(provider)
    if dialect is not None and not dialect.has("NamedPrimaryKeys"):
        return None
    return _with_suffix(table, "_pkey", provider)


def unique_index_name(table: str, columns: Sequence[str], provider: str | None) -> str:
    """`{table}_{col1}_{col2}_key` for `@unique` / `@@unique`."""
    return _with_suffix("_".join([table, *columns]), "_key", provider)


def index_name(table: str, columns: Sequence[str], provider: str | None) -> str:
    """`{table}_{col1}_{col2}_idx` for `@@index` and `@@fulltext`.

    For a MongoDB index on a composite type field, `columns` holds each path segment.
    """
    return _with_suffix("_".join([table, *columns]), "_idx", provider)


def foreign_key_name(table: str, columns: Sequence[str], provider: str | None) -> str:
    """`{table}_{col1}_{col2}_fkey`: the referencing table and its referencing columns.

    SQLite has no `NamedForeignKeys` capability (`map:` is refused) but Prisma still writes
    this name into its DDL.
    """
    return _with_suffix("_".join([table, *columns]), "_fkey", provider)


def default_name(table: str, column: str, provider: str | None = "sqlserver") -> str:
    """`{table}_{column}_df`: SQL Server's named default constraint (every default gets one)."""
    return _with_suffix(f"{table}_{column}", "_df", provider)


# Implicit many-to-many relations


def relation_name(model_a: str, model_b: str) -> str:
    """The relation name Prisma generates when `@relation("...")` gives none: both *Prisma
    model names*, the one that sorts first (by code point) first, joined by `To`."""
    first, second = sorted((model_a, model_b))
    return f"{first}To{second}"


def many_to_many_sides(
    model_1: str, field_1: str, model_2: str, field_2: str
) -> tuple[tuple[str, str], tuple[str, str]]:
    """Which side of an implicit m:n relation is A and which is B: `((model, field), (model,
    field))`. Model A is the Prisma model name that sorts first; in a self-relation, the side
    whose relation field name sorts first. Column `A` references model A."""
    side_1, side_2 = (model_1, field_1), (model_2, field_2)
    if model_1 != model_2:
        return (side_1, side_2) if model_1 < model_2 else (side_2, side_1)
    return (side_1, side_2) if field_1 <= field_2 else (side_2, side_1)


def join_table_name(relation: str, provider: str | None) -> str:
    """`_{RelationName}`, cut to the provider's limit in characters."""
    return f"_{relation}"[: max_identifier_length(provider)]


@dataclass(frozen=True)
class JoinTable:
    """The table Prisma creates for an implicit many-to-many relation.

    Columns `A` (references model A's id) and `B` (model B's id), each of the type of the
    referenced primary key column, both NOT NULL. Uniqueness of (A, B) is a primary key
    `primary_key` on PostgreSQL (Prisma 6+) and a unique index `unique_index` elsewhere; there
    is always an index `b_index` on B, and, with `relationMode = "foreignKeys"`, foreign keys
    `foreign_key_a`/`foreign_key_b` with `on_delete`/`on_update` on both. With multiSchema the
    table lives in model A's schema.
    """

    name: str
    model_a: str
    model_b: str
    column_a: str
    column_b: str
    primary_key: str | None
    unique_index: str | None
    b_index: str
    foreign_key_a: str | None
    foreign_key_b: str | None
    on_delete: ReferentialAction
    on_update: ReferentialAction


def implicit_many_to_many(
    model_a: str,
    model_b: str,
    provider: str | None,
    relation: str | None = None,
    relation_mode: str = "foreignKeys",
) -> JoinTable | None:
    """The join table of the m:n relation between Prisma models `model_a` and `model_b`
    (already in A/B order: see `many_to_many_sides`). `relation` is the explicit relation
    name, if any. None where the provider has no join tables (MongoDB)."""
    dialect = get_dialect(provider)
    if dialect is not None and dialect.JOIN_TABLE_UNIQUENESS is None:
        return None
    limit = max_identifier_length(provider)
    table = join_table_name(relation or relation_name(model_a, model_b), provider)
    pk_style = dialect is not None and dialect.JOIN_TABLE_UNIQUENESS == "primary_key"
    action: ReferentialAction = "Cascade"
    if dialect is not None and model_a == model_b:
        action = dialect.JOIN_TABLE_SELF_RELATION_ACTION
    fk_base = truncate_bytes(table, limit - len("_fkey") - 2)
    with_fks = relation_mode == "foreignKeys"
    return JoinTable(
        name=table,
        model_a=model_a,
        model_b=model_b,
        column_a="A",
        column_b="B",
        primary_key=f"{table[: limit - 8]}_AB_pkey" if pk_style else None,
        unique_index=None if pk_style else f"{table[: limit - 10]}_AB_unique",
        b_index=f"{table[: limit - 8]}_B_index",
        foreign_key_a=f"{fk_base}_A_fkey" if with_fks else None,
        foreign_key_b=f"{fk_base}_B_fkey" if with_fks else None,
        on_delete=action,
        on_update=action,
    )

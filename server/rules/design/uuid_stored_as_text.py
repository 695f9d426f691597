"""DB112: a UUID stored as text on PostgreSQL."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import ClassVar

from schemasense.codegen.schema import Column, ColumnType
from schemasense.server.findings import Finding, Fix
from schemasense.server.lint.context import RuleContext, SchemaTarget
from schemasense.server.lint.registry import Input, SchemaRule, Status, Subject


class UuidStoredAsText(SchemaRule):
    """## What it does
    Flags a `String` field filled by `@default(uuid())` on PostgreSQL or CockroachDB that is
    stored as `text` (no `@db.Uuid`).

    ## Why is this bad?
    A UUID as text takes 37 bytes instead of 16, in the table, in its primary key index and
    in every foreign key and index that refers to it, so fewer keys fit in memory and joins
    on them are slower. `text` also accepts anything: a malformed or upper-case id is not
    refused and then fails to match. `uuid` validates and compares as 16 bytes.

    ## Example
    ```prisma
    model Session {
      id String @id @default(uuid())
    }
    ```

    ## Use instead
    ```prisma
    model Session {
      id String @id @default(uuid()) @db.Uuid
    }
    ```

    The same holds for a text or varchar column the database fills with a UUID
    (`DEFAULT gen_random_uuid()` / `uuid_generate_v4()`): a TypeORM `@Column({ type:
    "varchar", default: () => "gen_random_uuid()" })`, a Sequelize `STRING` whose
    `defaultValue` is such a `literal`. (Sequelize's `DataTypes.UUIDV4` on a `STRING` is
    computed by Sequelize on insert; the database never sees it, and neither does this
    rule.) These get no fix yet:
    TypeORM's schema builder sees a `uuid` column's `default: () => "gen_random_uuid()"` as
    changed on every sync (write `@PrimaryGeneratedColumn("uuid")` or `@Generated("uuid")`,
    which TypeORM stores as `uuid` on PostgreSQL whatever type is given).

    ## Fix safety
    The fix adds `@db.Uuid` to the field and to every field that references it through a
    relation. It is unsafe: the migration rewrites the tables (`ALTER COLUMN ... TYPE uuid
    USING id::uuid`), which fails if any stored value is not a UUID, and raw SQL that
    compares the column with text needs a cast.
    """

    code = "DB112"
    severity = "info"
    fix = "sometimes"
    status = Status.stable("0.1.0")
    applies_to: ClassVar[tuple[Input, ...]] = ("declared",)

    def applies(self, target: SchemaTarget, ctx: RuleContext) -> bool:
        return target.provider in ("postgresql", "postgres", "cockroachdb")

    def check_schema(
        self, target: SchemaTarget, ctx: RuleContext
    ) -> Iterator[tuple[Subject, Finding]]:
        for table in target.schema.tables:
            if table.kind != "table" or table.ignored:
                continue
            for column in table.columns:
                if column.span is None or not _uuid_in_text(column):
                    continue
                name = column.field_name or column.name
                yield (
                    ("col", table.name, column.name),
                    self.finding(
                        f"`{table.model_name or table.name}.{name}` stores a UUID as text",
                        column.span,
                        help=(
                            "add @db.Uuid: 16 bytes instead of 37, and only valid UUIDs"
                            if target.read is not None  # a Prisma schema
                            else "make the column uuid: 16 bytes instead of 37, and only "
                            "valid UUIDs"
                        ),
                        # a database default stays as written: only a type change is a fix,
                        # and TypeORM compares a uuid column's default as changed on every
                        # sync (typeorm#3076), so that case gets no fix yet
                        fix=self._fix(target, table, column)
                        if column.default is not None and column.default.function == "uuid"
                        else None,
                    ),
                )

    def _fix(self, target: SchemaTarget, table, column) -> Fix | None:
        if target.editor is None:
            return None
        wanted = ColumnType(kind="uuid")
        change = target.editor.set_column_type(table, column, wanted, references=True)
        if change is None:
            return None
        return Fix("Store it as uuid (and its references)", change.edits, "unsafe")


_UUID_FUNCTIONS = re.compile(
    r"^\s*(?:(?:public|extensions)\.)?"
    r"(?:gen_random_uuid|uuid_generate_v[14]|uuid_generate_v1mc|uuidv[47])\(\s*\)\s*$",
    re.I,
)
"""The database's own UUID generators (PostgreSQL 13+, uuid-ossp, PostgreSQL 18)."""


def _uuid_in_text(column: Column) -> bool:
    """A text column filled with UUIDs: Prisma's `@default(uuid())` on a plain `String` (no
    `@db.*`), or a text / varchar column whose database default is a UUID generator (TypeORM's
    `@Generated("uuid")`, a Sequelize `literal`)."""
    default = column.default
    if default is None or column.type.array:
        return False
    if default.function == "uuid":
        return column.type.kind == "text" and not column.type.native
    if default.kind != "expression" or not isinstance(default.value, str):
        return False
    return column.type.kind in ("text", "string") and bool(_UUID_FUNCTIONS.match(default.value))

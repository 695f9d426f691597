"""DB112: a UUID stored as text on PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

from schemasense.codegen.schema import ColumnType
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

    ## Fix safety
    The fix adds `@db.Uuid` to the field and to every field that references it through a
    relation. It is unsafe: the migration rewrites the tables (`ALTER COLUMN ... TYPE uuid
    USING id::uuid`), which fails if any stored value is not a UUID, and raw SQL that
    compares the column with text needs a cast.
    """

    code = "DB112"
    severity = "info"
    fix = "always"
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
                default = column.default
                if default is None or default.function != "uuid" or column.span is None:
                    continue
                if column.type.kind != "text" or column.type.native:
                    continue
                name = column.field_name or column.name
                yield (
                    ("col", table.name, column.name),
                    self.finding(
                        f"`{table.model_name or table.name}.{name}` stores a UUID as text",
                        column.span,
                        help="add @db.Uuid: 16 bytes instead of 37, and only valid UUIDs",
                        fix=self._fix(target, table, column),
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

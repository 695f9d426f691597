"""DB111: an `updatedAt`-named DateTime field that nothing keeps up to date."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import ClassVar

from schemasense.server.findings import Finding, Fix
from schemasense.server.lint.context import RuleContext, SchemaTarget
from schemasense.server.lint.registry import Input, SchemaRule, Status, Subject

_NAME = re.compile(
    r"^(?:updated|modified|last_?modified|last_?updated)(?:_?(?:at|on|date|time))?$", re.I
)


class UpdatedAtWithoutAttribute(SchemaRule):
    """## What it does
    Flags a `DateTime` field named like a last-modified time (`updatedAt`, `updated_at`,
    `modifiedAt`, `lastModified`, ...) that has no `@updatedAt`.

    ## Why is this bad?
    Without `@updatedAt`, Prisma sets the field only when the code sets it: with
    `@default(now())` it keeps the creation time forever, and every `update` that forgets it
    leaves a stale value. Caches, sync jobs and "recently changed" lists that rely on it
    then miss changes, silently.

    ## Example
    ```prisma
    model Post {
      id        Int      @id
      updatedAt DateTime @default(now())
    }
    ```

    ## Use instead
    ```prisma
    model Post {
      id        Int      @id
      updatedAt DateTime @default(now()) @updatedAt
    }
    ```

    ## Fix safety
    The fix adds `@updatedAt`. It is unsafe: from then on Prisma Client overwrites the field
    on every update, including where the code set it on purpose (imports, backfills), and a
    database trigger that maintains it would now race with Prisma.
    """

    code = "DB111"
    table_local = True
    severity = "warning"
    fix = "always"
    status = Status.stable("0.1.0")
    applies_to: ClassVar[tuple[Input, ...]] = ("declared",)

    def check_schema(
        self, target: SchemaTarget, ctx: RuleContext
    ) -> Iterator[tuple[Subject, Finding]]:
        for table in target.schema.tables:
            if table.kind != "table" or table.ignored:
                continue
            for column in table.columns:
                name = column.field_name or column.name
                if column.type.kind != "timestamp" or column.updated_at or column.span is None:
                    continue
                if column.type.array or not _NAME.match(name):
                    continue
                if column.default is not None and column.default.kind == "expression":
                    continue  # dbgenerated(...): the database maintains it
                change = target.editor.mark_updated_at(table, column) if target.editor else None
                fix = None
                if change is not None:
                    fix = Fix(f"Add {change.label}", change.edits, "unsafe")
                yield (
                    ("col", table.name, column.name),
                    self.finding(
                        f"`{table.model_name or table.name}.{name}` looks like a last-modified "
                        f"time but has no @updatedAt",
                        column.span,
                        help="add @updatedAt so Prisma sets it on every update",
                        fix=fix,
                    ),
                )

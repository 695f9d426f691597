"""DB309: an index or unique constraint that differs between the schema and the migrations."""

from __future__ import annotations

from schemasense.server.drift.report import LocatedDrift
from schemasense.server.rules.drift.base import MIGRATE_HELP, Described, DriftRule, model_phrase


class IndexDrift(DriftRule):
    """## What it does
    Reports an index (`@@index`, `@@unique`, `@unique`, `@@fulltext`, or the index of an
    implicit many-to-many table) that the migrations do not create, or create with other
    columns, order, uniqueness, method, predicate or `INCLUDE`; and an index the migrations
    create that the schema does not declare. Indexes are matched by their database name
    (`map:`, or Prisma's `Table_column_idx` / `Table_column_key`). It is shown on the
    attribute (or the model) and on the `CREATE INDEX` statement.

    ## Why is this bad?
    A missing unique index lets duplicates in, and `findUnique` / `upsert` on it no longer
    return one row; a missing index makes the queries it served scan the table. An index
    only the migrations know (an expression or partial index written by hand) is dropped by
    the next `prisma migrate dev`, unless the schema declares it too.

    ## Example
    ```sql
    CREATE UNIQUE INDEX "User_email_lower_key" ON "User" (lower("email"));
    ```
    with nothing in `model User` that names `User_email_lower_key`.

    ## Use instead
    Declare what the schema can say (`@@index([email(ops: raw("text_pattern_ops"))])`, or
    with the `partialIndexes` preview feature `@@unique([email], where: raw("..."))`), and
    suppress this finding on the statement for what it cannot:
    ```sql
    -- schemasense-ignore DB309 kept by hand: Prisma cannot declare expression indexes
    CREATE UNIQUE INDEX "User_email_lower_key" ON "User" (lower("email"));
    ```

    ## Fix safety
    There is no automatic fix.
    """

    code = "DB309"

    def describe(self, item: LocatedDrift) -> Described:
        d = item.drift
        model = model_phrase(item)
        if d.what == "only" and d.left is not None:
            return Described(
                f'Index "{d.name}" of {model} is not created by any migration',
                f'This statement drops index "{d.name}", which schema.prisma still declares '
                f"({model})",
                MIGRATE_HELP,
            )
        if d.what == "only":
            return Described(
                f'The migrations create index "{d.name}" on "{d.table}", which {model} does not '
                "declare",
                f'Index "{d.name}" is not declared in schema.prisma ({model})',
                "declare it in the model (`@@index` / `@@unique` with `map:`), or drop it in a "
                "new migration; otherwise the next `prisma migrate dev` drops it",
            )
        return Described(
            f'Index "{d.name}" has {d.what} {d.left} in schema.prisma but {d.right} in the '
            "migrations",
            f'The migrations build index "{d.name}" with {d.what} {d.right}; schema.prisma '
            f"({model}) says {d.left}",
            MIGRATE_HELP,
        )

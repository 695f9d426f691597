"""DB308: a primary key the migrations build differently, or not at all."""

from __future__ import annotations

from schemasense.server.drift.report import LocatedDrift
from schemasense.server.rules.drift.base import MIGRATE_HELP, Described, DriftRule, model_phrase


class PrimaryKeyDrift(DriftRule):
    """## What it does
    Reports a model whose primary key (`@id`, `@@id`, or the `(A, B)` key of an implicit
    many-to-many table) the migrations do not create, create on other columns or under another
    name, or a primary key the migrations create that the schema does not declare. It is shown
    on the `@id` (or the model) and on the statement that created the key.

    ## Why is this bad?
    Without the key, rows are not unique: `findUnique`, `update` and `upsert` by id can match
    several rows, and relations that point at the table have no key to rely on. A key on other
    columns makes the schema's unique lookups wrong. Prisma 5 and later give an implicit
    many-to-many table a primary key where older versions made a unique index; the next
    `prisma migrate dev` migrates it.

    ## Example
    ```prisma
    model Membership {
      userId Int
      teamId Int

      @@id([userId, teamId])
    }
    ```
    while the migrations say `PRIMARY KEY ("userId")`.

    ## Use instead
    ```sql
    ALTER TABLE "Membership" DROP CONSTRAINT "Membership_pkey",
      ADD CONSTRAINT "Membership_pkey" PRIMARY KEY ("userId", "teamId");
    ```

    ## Fix safety
    There is no automatic fix.
    """

    code = "DB308"

    def describe(self, item: LocatedDrift) -> Described:
        d = item.drift
        model = model_phrase(item)
        if d.what == "only" and d.left is not None:
            return Described(
                f"The primary key of {model} is not created by any migration",
                f'This statement drops the primary key of "{d.table}", which schema.prisma still '
                "declares",
                MIGRATE_HELP,
            )
        if d.what == "only":
            return Described(
                f'The migrations give "{d.table}" a primary key that {model} does not declare',
                f"schema.prisma declares no primary key like this one for {model}",
                "declare it (`@id` / `@@id`), or drop it in a new migration",
            )
        return Described(
            f"The primary key of {model} has {d.what} {d.left} in schema.prisma but {d.right} in "
            "the migrations",
            f"This primary key has {d.what} {d.right}; schema.prisma ({model}) says {d.left}",
            MIGRATE_HELP,
        )

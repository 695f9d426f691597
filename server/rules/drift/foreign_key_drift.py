"""DB310: a foreign key that differs between the schema's relations and the migrations."""

from __future__ import annotations

from schemasense.server.drift.report import LocatedDrift
from schemasense.server.rules.drift.base import MIGRATE_HELP, Described, DriftRule, model_phrase


class ForeignKeyDrift(DriftRule):
    """## What it does
    Reports a relation (`@relation(fields: [...], references: [...])`) whose foreign key the
    migrations do not create, or create on other columns, towards another table, or with
    other `ON DELETE` / `ON UPDATE` actions than `onDelete:` / `onUpdate:` (or Prisma's
    defaults: `Restrict` or `SetNull` on delete, `Cascade` on update); and a foreign key the
    migrations create that no relation declares. With `relationMode = "prisma"` the schema
    declares no foreign keys at all, so any the migrations create is reported. It is shown on
    the relation field (or the model) and on the statement that adds the key.

    ## Why is this bad?
    The Prisma Client assumes the declared actions: with `onDelete: Cascade` in the schema
    and `ON DELETE RESTRICT` in the database, deleting a parent fails instead of deleting its
    children; the reverse deletes rows the code meant to keep. A missing key lets orphans in.

    ## Example
    ```prisma
    model Post {
      id       Int  @id
      authorId Int
      author   User @relation(fields: [authorId], references: [id], onDelete: Cascade)
    }
    ```
    while the migrations say `... REFERENCES "User"("id") ON DELETE RESTRICT`.

    ## Use instead
    ```sql
    ALTER TABLE "Post" DROP CONSTRAINT "Post_authorId_fkey";
    ALTER TABLE "Post" ADD CONSTRAINT "Post_authorId_fkey" FOREIGN KEY ("authorId")
      REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;
    ```

    ## Fix safety
    There is no automatic fix.
    """

    code = "DB310"

    def describe(self, item: LocatedDrift) -> Described:
        d = item.drift
        model = model_phrase(item)
        if d.what == "only" and d.left is not None:
            return Described(
                f'Foreign key "{d.name}" of {model} is not created by any migration',
                f'This statement drops foreign key "{d.name}", which schema.prisma still '
                f"declares ({model})",
                MIGRATE_HELP,
            )
        if d.what == "only":
            return Described(
                f'The migrations create foreign key "{d.name}" on "{d.table}", which no relation '
                f"of {model} declares",
                f'Foreign key "{d.name}" is not declared by any relation in schema.prisma',
                "declare the relation, or drop the key in a new migration (with "
                '`relationMode = "prisma"` the database keeps no foreign keys)',
            )
        return Described(
            f'Foreign key "{d.name}" has {d.what} {d.left} in schema.prisma but {d.right} in '
            "the migrations",
            f'The migrations build foreign key "{d.name}" with {d.what} {d.right}; '
            f"schema.prisma ({model}) says {d.left}",
            MIGRATE_HELP,
        )

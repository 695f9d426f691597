"""DB312: a CHECK constraint that differs between the model code and the migrations."""

from __future__ import annotations

from schemasense.server.drift.report import LocatedDrift
from schemasense.server.rules.drift.base import MIGRATE_HELP, Described, DriftRule, model_phrase


class CheckDrift(DriftRule):
    """## What it does
    Reports a CHECK constraint that the model code declares and the migrations do not create,
    one the migrations create that the model code no longer declares, one whose condition
    differs, and one the migrations keep under another name. Only where the models can
    declare checks: a TypeORM entity's `@Check` on PostgreSQL and SQLite (a Prisma schema or
    a Sequelize model set cannot, so a check a migration wrote by hand is no drift there).
    Checks are paired as "Generate migration" pairs them: by name, then by condition, the
    conditions compared after normalisation (`(a >= 0)` and `a >= 0` are one). It is shown
    on the `@Check` (or the entity) and on the migration statement that created the check.

    ## Why is this bad?
    The database enforces the migrations' check, not the entity's: rows the entity's check
    should refuse are stored, or rows it allows are refused. TypeORM's own schema builder
    matches checks by name only, so a condition changed under the same name is never migrated.

    ## Example
    ```typescript
    @Entity()
    @Check(`"price_cents" > 0`)
    export class Post { ... }
    ```
    where the migration created `CHECK ("price_cents" >= 0)`.

    ## Use instead
    Write a migration that drops the old check and adds the new one ("Generate migration…"
    in the editor, or `schemasense generate migration`), or change the entity back:
    ```sql
    ALTER TABLE "post" DROP CONSTRAINT "CHK_8f9c1c28a99638aaf4563177c6";
    ALTER TABLE "post" ADD CONSTRAINT "CHK_d43026f1b6228474dc6990180e" CHECK ("price_cents" > 0);
    ```

    ## Fix safety
    There is no automatic fix.
    """

    code = "DB312"

    def describe(self, item: LocatedDrift) -> Described:
        d = item.drift
        model = model_phrase(item)
        if d.what == "only" and d.left is not None:
            return Described(
                f'Check "{d.name}" of {model} is not created by any migration',
                f'This statement drops check "{d.name}", which schema.prisma still declares '
                f"({model})",
                MIGRATE_HELP,
            )
        if d.what == "only":
            return Described(
                f'The migrations create check "{d.name}" on "{d.table}", which {model} does not '
                "declare",
                f'Check "{d.name}" is not declared in schema.prisma ({model})',
                MIGRATE_HELP,
            )
        return Described(
            f'Check "{d.name}" has {d.what} {d.left} in schema.prisma but {d.right} in the '
            "migrations",
            f'The migrations build check "{d.name}" with {d.what} {d.right}; schema.prisma '
            f"({model}) says {d.left}",
            MIGRATE_HELP,
        )

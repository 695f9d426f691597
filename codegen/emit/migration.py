"""A migration: the operations from one schema to another, rendered up and down.

    m = generate(migrated, declared, name="add_avatar")
    m.up.text            # Prisma's SQL going up
    m.down.text          # the SQL that undoes it, with a comment where it loses data
    m.steps              # with safe=True: the migrations to run, in order (see below)

`down` is the diff the other way (`to` -> `from`), with the renames taken going up reversed,
so every up has its down. Going down drops what going up created; where that loses data
(a dropped column or table, a narrowed type, a value removed from an enum) the down script
opens with Prisma's "Warnings" block and says which.

Safe mode (`safe=True`, PostgreSQL) splits one migration into several that each hold the
heavy locks briefly: the safe plan, `codegen.ddl.safe`, which the migration-safety rules'
fixes write too.
"""

from __future__ import annotations

from dataclasses import dataclass

from schemasense.codegen.ddl.diff import diff, reverse_renames
from schemasense.codegen.ddl.operations import Plan, RenameCandidate, RenameChoice
from schemasense.codegen.ddl.safe import safe_plan
from schemasense.codegen.emit.sql.base import Script, render_sql
from schemasense.codegen.schema import Schema


@dataclass(frozen=True, slots=True)
class MigrationStep:
    """One migration file's worth: `suffix` names it after the main one (`""` for the main
    migration, `concurrent_index_1`, `validate`, ...)."""

    suffix: str
    up: Script
    down: Script | None = None
    note: str | None = None


@dataclass(frozen=True, slots=True)
class Migration:
    name: str
    provider: str
    plan: Plan
    up: Script
    down: Script
    steps: tuple[MigrationStep, ...]
    """The files to write, in order: one unless `safe` split it."""
    before: Schema | None = None
    """The schema it starts from (what a writer of ORM calls asks: is this unique key a
    constraint or an index?)."""
    after: Schema | None = None
    """The schema it leads to."""

    @property
    def is_empty(self) -> bool:
        return self.plan.is_empty

    @property
    def renames(self) -> tuple[RenameCandidate, ...]:
        return self.plan.renames

    @property
    def unsupported(self):
        return self.up.unsupported + self.down.unsupported


def generate(
    before: Schema,
    after: Schema,
    *,
    name: str = "migration",
    provider: str | None = None,
    renames: RenameChoice = None,
    safe: bool = False,
    declared_types: bool = False,
    checks: bool = False,
    using_casts: bool = False,
) -> Migration:
    """The migration from `before` (e.g. what the migrations replay to) to `after` (e.g. the
    declared schema), up and down; split for safety with `safe` (PostgreSQL); SQLite types
    compared as declared with `declared_types` (TypeORM's view, `diff`); CHECK constraints
    compared with `checks` (where the declared side can say them, `diff`); PostgreSQL types
    it casts only explicitly changed `USING` a cast with `using_casts` (`diff`)."""
    plan = diff(
        before,
        after,
        provider=provider,
        renames=renames,
        declared_types=declared_types,
        checks=checks,
        using_casts=using_casts,
    )
    back = diff(
        after,
        before,
        provider=plan.provider,
        renames=reverse_renames(plan.taken) or False,
        declared_types=declared_types,
        checks=checks,
        using_casts=using_casts,
    )
    up = render_sql(plan.operations, plan.provider)
    down = render_sql(back.operations, plan.provider)
    if safe and plan.provider == "postgresql":
        steps = tuple(
            MigrationStep(
                step.suffix,
                render_sql(step.operations, plan.provider),
                down if i == 0 else None,
                step.note,
            )
            for i, step in enumerate(safe_plan(plan))
        )
    else:
        steps = (MigrationStep("", up, down),)
    return Migration(name, plan.provider, plan, up, down, steps, before, after)

"""DB202: ADD FOREIGN KEY on an existing table, validated under lock."""

from __future__ import annotations

from collections.abc import Iterator

from schemasense.codegen.ddl import safe
from schemasense.codegen.ddl import statements as ops
from schemasense.codegen.ddl.lock_facts import fact_for
from schemasense.codegen.emit.sql.base import render_file
from schemasense.server.findings import Finding, Fix
from schemasense.server.lint import migration_fixes as mf
from schemasense.server.lint.migration_rule import (
    MigrationRule,
    MigrationState,
    single_action,
    table_key,
)
from schemasense.server.lint.registry import Status
from schemasense.server.migrations.model import StatementRecord


def not_valid_fix(
    stmt: StatementRecord, state: MigrationState, table: ops.QName, constraint: str, what: str
) -> Fix | None:
    """`... NOT VALID` now, `VALIDATE CONSTRAINT` in the next migration (Prisma only)."""
    if single_action(stmt) is None:
        return None
    path = mf.later_migration(state, f"validate_{constraint}")
    if path is None:
        return None
    later = safe.validate_later(table[1], constraint, table[0], check=what == "check")
    validate = render_file([later], state.dialect)
    return Fix(
        f"Add the {what} NOT VALID, validate it in the next migration",
        (mf.append_to_statement(stmt, " NOT VALID"), mf.new_file(path, validate)),
    )


class AddForeignKeyWithoutNotValid(MigrationRule):
    """## What it does
    Flags `ALTER TABLE ... ADD CONSTRAINT ... FOREIGN KEY` without `NOT VALID` on a table
    that existed before this migration.

    ## Why is this bad?
    Adding a foreign key takes a SHARE ROW EXCLUSIVE lock on *both* tables and checks every
    existing row while holding it: writes to the child and to the parent wait for the whole
    scan. Added `NOT VALID`, the constraint is enforced for new rows at once and the lock is
    held only for a moment; `VALIDATE CONSTRAINT` later checks the old rows under a SHARE
    UPDATE EXCLUSIVE lock, which does not block reads or writes. It must run in a later
    transaction (in the same one, the first lock is still held), so Prisma needs a second
    migration.

    ## Example
    ```sql
    ALTER TABLE "Post" ADD CONSTRAINT "Post_authorId_fkey" FOREIGN KEY ("authorId")
      REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
    ```

    ## Use instead
    ```sql
    -- this migration
    ALTER TABLE "Post" ADD CONSTRAINT "Post_authorId_fkey" FOREIGN KEY ("authorId")
      REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE NOT VALID;

    -- the next migration
    ALTER TABLE "Post" VALIDATE CONSTRAINT "Post_authorId_fkey";
    ```

    ## Fix safety
    For Prisma migrations the fix appends `NOT VALID` and writes the `VALIDATE CONSTRAINT`
    migration right after this one. It is safe: new rows are checked from the first
    migration on, and the second fails (rolling back only itself) if an old row violates the
    key, which the original statement would have done too.
    """

    code = "DB202"
    watches = (ops.AddConstraint,)
    severity = "warning"
    fix = "sometimes"
    status = Status.stable("0.1.0")

    def check_statement(self, stmt: StatementRecord, state: MigrationState) -> Iterator[Finding]:
        for op, action in self.actions(stmt):
            if not isinstance(action, ops.AddConstraint):
                continue
            c = action.constraint
            if c.kind != "foreign_key" or c.not_valid or state.is_new(op.qname):
                continue
            table = table_key(op.qname)
            columns = ", ".join(p.column or "?" for p in c.columns)
            name = f"foreign key `{c.name}`" if c.name else f"a foreign key on ({columns})"
            yield self.finding(
                f"Adding {name} {fact_for(action, state.server).describe(table)}; "
                f"the referenced table is locked too",
                self.sub_span(stmt, action.span),
                help="add it NOT VALID, then VALIDATE CONSTRAINT in the next migration",
                fix=not_valid_fix(stmt, state, op.qname, c.name, "foreign key") if c.name else None,
            )

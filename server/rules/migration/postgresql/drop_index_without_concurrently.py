"""DB217: DROP INDEX without CONCURRENTLY."""

from __future__ import annotations

import re
from collections.abc import Iterator

from schemasense.codegen.ddl import statements as ops
from schemasense.codegen.ddl.lock_facts import fact_for
from schemasense.server.findings import Finding, Fix
from schemasense.server.lint import migration_fixes as mf
from schemasense.server.lint.migration_rule import MigrationRule, MigrationState, table_key
from schemasense.server.lint.registry import Status
from schemasense.server.migrations.model import StatementRecord

_DROP_INDEX = re.compile(r"^(\s*DROP\s+INDEX)\b(?!\s+CONCURRENTLY)", re.I)


class DropIndexWithoutConcurrently(MigrationRule):
    """## What it does
    Flags `DROP INDEX` without `CONCURRENTLY` (for an index of a table that existed before
    this migration, where the reader can tell).

    ## Why is this bad?
    `DROP INDEX` takes an ACCESS EXCLUSIVE lock on the index's table. The drop itself is
    quick, but the lock has to wait for every running query on the table, and every query
    that arrives meanwhile queues behind it: one slow report stalls all traffic to the
    table. `DROP INDEX CONCURRENTLY` waits without blocking anyone. Like `CREATE INDEX
    CONCURRENTLY` it cannot run in a transaction, so with Prisma it needs a migration of its
    own.

    ## Example
    ```sql
    DROP INDEX "Post_title_idx";
    ```

    ## Use instead
    ```sql
    -- a migration of its own
    DROP INDEX CONCURRENTLY "Post_title_idx";
    ```

    ## Fix safety
    For Prisma migrations the fix moves the statement, with `CONCURRENTLY`, into a new
    migration right after this one (in place when it is alone in its file). It is safe.
    """

    code = "DB217"
    watches = (ops.DropIndex,)
    severity = "warning"
    fix = "sometimes"
    status = Status.stable("0.1.0")

    def check_statement(self, stmt: StatementRecord, state: MigrationState) -> Iterator[Finding]:
        drops = [op for op in stmt.ops if isinstance(op, ops.DropIndex)]
        if drops and _DROP_INDEX.match(stmt.text) is not None:
            tables = [t.table for t in stmt.touches if getattr(t, "table", None)]
            if tables and all(state.is_new(t) for t in tables):
                return
            names = ", ".join(f"`{table_key((op.schema, op.name or ''))}`" for op in drops)
            table = table_key(tables[0]) if tables else "its table"
            fact = fact_for(drops[0], state.server, concurrently=False)
            yield self.finding(
                f"Dropping index {names} without CONCURRENTLY "
                f"{fact.describe(table)}; queries queue behind it while it waits",
                stmt.span,
                help="DROP INDEX CONCURRENTLY, in a migration of its own",
                fix=self._fix(stmt, state),
            )

    @staticmethod
    def _fix(stmt: StatementRecord, state: MigrationState) -> Fix | None:
        m = _DROP_INDEX.match(stmt.text)
        if m is None:
            return None
        new_text = stmt.text[: m.end()] + " CONCURRENTLY" + stmt.text[m.end() :]
        if len(state.file.statements) == 1 and state.migration.transaction != "none":
            return Fix("Drop the index CONCURRENTLY", (mf.replace_statement(stmt, new_text),))
        path = mf.later_migration(state, "drop_index_concurrently")
        if path is None:
            return None
        return Fix(
            "Drop the index CONCURRENTLY in a migration of its own",
            (mf.remove_statement(stmt, state.file), mf.new_file(path, new_text + ";\n")),
        )

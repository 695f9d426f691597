"""DB201: CREATE INDEX on an existing table without CONCURRENTLY."""

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

_INDEX_KEYWORD = re.compile(r"^(\s*CREATE\s+(?:UNIQUE\s+)?INDEX)\b", re.I)


def concurrently_text(stmt: StatementRecord) -> str | None:
    """The statement with CONCURRENTLY after `CREATE [UNIQUE] INDEX`."""
    m = _INDEX_KEYWORD.match(stmt.text)
    if m is None:
        return None
    return stmt.text[: m.end()] + " CONCURRENTLY" + stmt.text[m.end() :]


class CreateIndexWithoutConcurrently(MigrationRule):
    """## What it does
    Flags `CREATE INDEX` (and `CREATE UNIQUE INDEX`) without `CONCURRENTLY` on a table that
    existed before this migration. An index on a table created earlier in the same
    migration (or batch) is fine: nobody uses that table yet.

    ## Why is this bad?
    A plain `CREATE INDEX` takes a SHARE lock on the table: every `INSERT`, `UPDATE` and
    `DELETE` waits until the whole table has been read and the index written, seconds to
    hours on a large table. `CREATE INDEX CONCURRENTLY` takes a SHARE UPDATE EXCLUSIVE lock
    instead and lets writes go on. It cannot run inside a transaction block, and Prisma sends
    a migration file as one multi-statement query, which PostgreSQL runs as one transaction:
    so it must be the only statement of its migration.

    ## Example
    ```sql
    -- prisma/migrations/20240101000000_add_post_author/migration.sql
    ALTER TABLE "Post" ADD COLUMN "authorId" INTEGER;
    CREATE INDEX "Post_authorId_idx" ON "Post"("authorId");
    ```

    ## Use instead
    ```sql
    -- prisma/migrations/20240101000000_add_post_author/migration.sql
    ALTER TABLE "Post" ADD COLUMN "authorId" INTEGER;

    -- prisma/migrations/20240101000001_post_authorid_idx/migration.sql
    CREATE INDEX CONCURRENTLY "Post_authorId_idx" ON "Post"("authorId");
    ```

    If a concurrent build fails it leaves an INVALID index: drop it and run the migration
    again (`prisma migrate resolve --rolled-back` first).

    ## Fix safety
    For Prisma migrations the fix moves the statement, with `CONCURRENTLY`, into a new
    migration right after this one (alone in its file, so it runs outside a transaction); a
    file that holds only this statement gets `CONCURRENTLY` in place. It is safe for the
    data; the index is built while writes go on, so the migration takes longer.

    ## References
    - https://www.postgresql.org/docs/current/sql-createindex.html#SQL-CREATEINDEX-CONCURRENTLY
    """

    code = "DB201"
    watches = (ops.CreateIndex,)
    severity = "warning"
    fix = "sometimes"
    status = Status.stable("0.1.0")

    def check_statement(self, stmt: StatementRecord, state: MigrationState) -> Iterator[Finding]:
        for op in stmt.ops:
            if not isinstance(op, ops.CreateIndex) or op.concurrently:
                continue
            table = table_key(op.qname)
            if state.is_new(table):
                continue
            what = "unique index" if op.index.unique else "index"
            yield self.finding(
                f"Creating {what} `{op.index.name}` without CONCURRENTLY "
                f"{fact_for(op, state.server).describe(table)}",
                stmt.span,
                help="create it CONCURRENTLY, in a migration of its own (it cannot run in a "
                "transaction)",
                fix=self._fix(stmt, state, op.index),
            )

    def _fix(self, stmt: StatementRecord, state: MigrationState, index: ops.IndexDef) -> Fix | None:
        new_text = concurrently_text(stmt)
        if new_text is None:
            return None
        if len(state.file.statements) == 1 and state.migration.transaction != "none":
            # alone in its file: Prisma sends it on its own, outside a transaction block
            return Fix("Create the index CONCURRENTLY", (mf.replace_statement(stmt, new_text),))
        path = mf.later_migration(state, f"{index.name}_concurrently")
        if path is None:
            return None
        return Fix(
            "Create the index CONCURRENTLY in a migration of its own",
            (mf.remove_statement(stmt, state.file), mf.new_file(path, new_text + ";\n")),
        )

"""DB216: a CONCURRENTLY statement that will run inside a transaction block."""

from __future__ import annotations

import re
from collections.abc import Iterator

from schemasense.codegen.ddl import statements as ops
from schemasense.server.findings import Finding, Fix
from schemasense.server.lint import migration_fixes as mf
from schemasense.server.lint.migration_rule import MigrationRule, MigrationState
from schemasense.server.lint.registry import Status
from schemasense.server.migrations.model import StatementRecord

_CONCURRENTLY = re.compile(r"\bCONCURRENTLY\b", re.I)


class ConcurrentlyInTransaction(MigrationRule):
    """## What it does
    Flags `CREATE INDEX CONCURRENTLY`, `DROP INDEX CONCURRENTLY`, `REINDEX ... CONCURRENTLY`
    and `DETACH PARTITION ... CONCURRENTLY` in a migration that runs inside a transaction:
    inside an explicit `BEGIN`, or in a file the runner wraps in one (Prisma sends a file with
    several statements as one query, which PostgreSQL runs as a single transaction). A TypeORM
    migration class that says `transaction = false` is not wrapped (run it with
    `migration:run --transaction each`: TypeORM's default mode, `all`, refuses such a class).

    ## Why is this bad?
    PostgreSQL refuses them there: "CREATE INDEX CONCURRENTLY cannot run inside a transaction
    block". The migration fails on deploy, after the statements before it were rolled back,
    and Prisma marks it failed until someone resolves it by hand.

    ## Example
    ```sql
    -- prisma/migrations/20240101000000_post_indexes/migration.sql
    ALTER TABLE "Post" ADD COLUMN "slug" TEXT;
    CREATE INDEX CONCURRENTLY "Post_slug_idx" ON "Post"("slug");
    ```

    ## Use instead
    ```sql
    -- prisma/migrations/20240101000000_post_indexes/migration.sql
    ALTER TABLE "Post" ADD COLUMN "slug" TEXT;

    -- prisma/migrations/20240101000001_post_slug_idx/migration.sql
    CREATE INDEX CONCURRENTLY "Post_slug_idx" ON "Post"("slug");
    ```

    ## Fix safety
    For Prisma migrations the fix moves the statement into a new migration right after this
    one, alone in its file. It is safe: the statement is unchanged and runs next.
    """

    code = "DB216"
    severity = "error"
    fix = "sometimes"
    status = Status.stable("0.1.0")

    def check_statement(self, stmt: StatementRecord, state: MigrationState) -> Iterator[Finding]:
        concurrent = False
        for op in stmt.ops:
            if isinstance(op, ops.CreateIndex) and op.concurrently:
                concurrent = True
        if not concurrent and stmt.kind in ("drop", "reindex", "alter_table"):
            concurrent = bool(_CONCURRENTLY.search(stmt.text))
        if not concurrent or not state.in_transaction:
            return
        why = (
            "inside BEGIN ... COMMIT"
            if state.explicit_transaction
            else "in a migration the runner sends as one transaction (it has other statements)"
        )
        fix = None
        path = mf.later_migration(state, "concurrently")
        if path is not None and not state.explicit_transaction:
            fix = Fix(
                "Move it to a migration of its own",
                (mf.remove_statement(stmt, state.file), mf.new_file(path, stmt.text + ";\n")),
            )
        yield self.finding(
            f"CONCURRENTLY cannot run inside a transaction block, and this statement runs {why}",
            stmt.span,
            help="put it alone in a migration of its own",
            fix=fix,
        )

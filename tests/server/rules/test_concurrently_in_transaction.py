"""DB216 concurrently-in-transaction (Squawk: ban-concurrent-index-creation-in-transaction)."""

from __future__ import annotations

from inline_snapshot import snapshot

from tests.server.rules.conftest import run_like_prisma
from tests.server.rules.migration_helpers import (
    apply_fixes,
    lint_migrations,
    migration_files,
    report,
    write_migrations,
)

INIT = 'CREATE TABLE "Post" ("id" SERIAL PRIMARY KEY, "slug" TEXT);\n'
BOTH = 'ALTER TABLE "Post" ADD COLUMN "title" TEXT;\nCREATE INDEX CONCURRENTLY "Post_slug_idx" ON "Post"("slug");\n'


def test_ok_alone_in_its_file_or_no_runner_transaction(tmp_path):
    write_migrations(
        tmp_path,
        {
            "20240101000000_init": INIT,
            "20240102000000_i": 'CREATE INDEX CONCURRENTLY "Post_slug_idx" ON "Post"("slug");\n',
        },
    )
    assert lint_migrations(tmp_path, "DB216")[0] == []
    write_migrations(tmp_path, {"20240102000000_i": BOTH})
    assert (
        lint_migrations(tmp_path, "DB216", config='[migrations]\ntransaction = "none"\n')[0] == []
    )


def test_err_runner_transaction_and_explicit_begin(tmp_path):
    write_migrations(
        tmp_path,
        {
            "20240101000000_init": INIT,
            "20240102000000_i": BOTH,
            "20240103000000_j": 'BEGIN;\nDROP INDEX CONCURRENTLY "Post_slug_idx";\nCOMMIT;\n',
        },
    )
    assert report(tmp_path, "DB216", config='[migrations]\ntransaction = "none"\n') == snapshot("""\
prisma/migrations/20240103000000_j/migration.sql:2:1: error[DB216] CONCURRENTLY cannot run inside a transaction block, and this statement runs inside BEGIN ... COMMIT
  |
2 | DROP INDEX CONCURRENTLY "Post_slug_idx";
  | ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
  = help: put it alone in a migration of its own
""")
    assert report(tmp_path, "DB216") == snapshot("""\
prisma/migrations/20240102000000_i/migration.sql:2:1: error[DB216] CONCURRENTLY cannot run inside a transaction block, and this statement runs in a migration the runner sends as one transaction (it has other statements)
  |
2 | CREATE INDEX CONCURRENTLY "Post_slug_idx" ON "Post"("slug");
  | ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
  = help: put it alone in a migration of its own

prisma/migrations/20240103000000_j/migration.sql:2:1: error[DB216] CONCURRENTLY cannot run inside a transaction block, and this statement runs inside BEGIN ... COMMIT
  |
2 | DROP INDEX CONCURRENTLY "Post_slug_idx";
  | ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
  = help: put it alone in a migration of its own
""")


def test_fix_and_postgres_runs_it(tmp_path, postgres):
    write_migrations(tmp_path, {"20240101000000_init": INIT, "20240102000000_i": BOTH})
    findings, _ = lint_migrations(tmp_path, "DB216")
    assert apply_fixes(tmp_path, findings) == snapshot(
        {
            "prisma/migrations/20240102000000_i/migration.sql": 'ALTER TABLE "Post" ADD COLUMN "title" TEXT;\n',
            "prisma/migrations/20240102000001_concurrently/migration.sql": 'CREATE INDEX CONCURRENTLY "Post_slug_idx" ON "Post"("slug");\n',
        }
    )
    run_like_prisma(postgres(), migration_files(tmp_path))


TYPEORM_MIGRATION = """import {{ MigrationInterface, QueryRunner }} from "typeorm";

export class {name} implements MigrationInterface {{
{opt_out}
    public async up(queryRunner: QueryRunner): Promise<void> {{
        await queryRunner.query(`CREATE UNIQUE INDEX CONCURRENTLY "post_title_key" ON "post" ("title")`);
        await queryRunner.query(`ALTER TABLE "post" ADD CONSTRAINT "post_title_key" UNIQUE USING INDEX "post_title_key"`);
    }}

    public async down(queryRunner: QueryRunner): Promise<void> {{
        await queryRunner.query(`ALTER TABLE "post" DROP CONSTRAINT "post_title_key"`);
    }}
}}
"""


def test_a_typeorm_class_that_says_transaction_false_is_not_wrapped(tmp_path):
    """TypeORM runs a migration class with `transaction = false` outside the transaction it
    opens for the others (`MigrationExecutor`, transaction mode "each"): CONCURRENTLY is fine
    there, and still an error in a class that does not opt out."""
    import shutil
    from pathlib import Path

    from schemasense.server.workspace.workspace import Workspace

    root = tmp_path / "typeorm-nest"
    sample = Path(__file__).resolve().parents[2].parent / "samples" / "typeorm-nest"
    shutil.copytree(sample, root, ignore=shutil.ignore_patterns("node_modules"))
    folder = root / "src" / "migrations"
    for stamp, name, opt_out in (
        ("1733800000000", "Wrapped", ""),
        ("1733900000000", "OptedOut", "    transaction = false\n"),
    ):
        text = TYPEORM_MIGRATION.format(name=f"{name}{stamp}", opt_out=opt_out)
        (folder / f"{stamp}-{name}.ts").write_text(text)
    found = [f for f in Workspace([str(root)]).check_path(str(root)) if f.code == "DB216"]
    assert [Path(f.span.file).name for f in found] == ["1733800000000-Wrapped.ts"]

"""DB209 change-column-type (Squawk: changing-column-type)."""

from __future__ import annotations

import pytest
from inline_snapshot import snapshot
from schemasense.server.lint.context import RuleContext
from schemasense.server.lint.engine import run_rules
from schemasense.server.migrations import read_set, replay
from schemasense.server.project.config import parse_config

from tests.server.rules.conftest import query, run_like_prisma
from tests.server.rules.migration_helpers import (
    apply_fixes,
    linked_contexts,
    lint_migrations,
    migration_files,
    report,
    write_migrations,
)

INIT = 'CREATE TABLE "Post" ("id" SERIAL PRIMARY KEY, "title" TEXT NOT NULL, "authorId" INTEGER);\n'

# a table in use: rows (more than one backfill batch of 10000), an index on the column,
# NOT NULL and a default
POST = """\
-- CreateTable
CREATE TABLE "Post" (
    "id" SERIAL NOT NULL,
    "title" TEXT NOT NULL,
    "views" INTEGER NOT NULL DEFAULT 0,
    CONSTRAINT "Post_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Post_views_idx" ON "Post"("views");

INSERT INTO "Post" ("title", "views") SELECT 'post ' || g, g FROM generate_series(1, 25000) AS g;
"""
BIGINT = '-- AlterTable\nALTER TABLE "Post" ALTER COLUMN "views" SET DATA TYPE BIGINT;\n'


def test_ok(tmp_path):
    write_migrations(
        tmp_path,
        {
            "20240101000000_init": INIT,
            "20240102000000_next": 'ALTER TABLE "Post" ALTER COLUMN "title" SET DATA TYPE TEXT;\n',
        },
    )
    assert lint_migrations(tmp_path, "DB209")[0] == []


def test_to_text_from_a_non_string_type_rewrites(tmp_path):
    """The target alone does not decide: `integer` to `text` rewrites (on PostgreSQL 15,
    tests/verify/test_pg_lock_facts.py); `varchar(20)` to `varchar(40)` does not."""
    write_migrations(
        tmp_path,
        {
            "20240101000000_init": INIT.replace('"title" TEXT', '"title" VARCHAR(20)'),
            "20240102000000_next": 'ALTER TABLE "Post" ALTER COLUMN "authorId" SET DATA TYPE TEXT;\n'
            'ALTER TABLE "Post" ALTER COLUMN "title" SET DATA TYPE VARCHAR(40);\n',
        },
    )
    findings = lint_migrations(tmp_path, "DB209")[0]
    assert [f.message.split(" takes")[0] for f in findings] == [
        'Changing the type of "authorId" to text'
    ]


def test_err(tmp_path):
    write_migrations(
        tmp_path,
        {
            "20240101000000_init": INIT,
            "20240102000000_next": 'ALTER TABLE "Post" ALTER COLUMN "authorId" SET DATA TYPE BIGINT;\n',
        },
    )
    assert report(tmp_path, "DB209") == snapshot("""\
prisma/migrations/20240102000000_next/migration.sql:1:1: warning[DB209] Changing the type of "authorId" to bigint takes an ACCESS EXCLUSIVE lock on "Post" (blocks every read and write of the table, SELECT included) and rewrites the whole table while holding it (unless the change is binary-coercible)
  |
1 | ALTER TABLE "Post" ALTER COLUMN "authorId" SET DATA TYPE BIGINT;
  | ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
  = help: expand (new column), backfill in batches, contract (drop the old one)
""")


def test_fix_edits(tmp_path):
    write_migrations(tmp_path, {"20240101000000_init": POST, "20240102000000_views": BIGINT})
    (finding,) = lint_migrations(tmp_path, "DB209")[0]
    assert finding.fix is not None
    assert (finding.fix.title, finding.fix.applicability) == (
        "Expand, backfill, contract: 4 migrations, no table rewrite",
        "unsafe",
    )
    assert apply_fixes(tmp_path, [finding]) == snapshot(
        {
            "prisma/migrations/20240102000000_views/migration.sql": """\
-- AlterTable
ALTER TABLE "Post" ADD COLUMN "views_new" bigint;
-- "views_new" follows "views" while the running app writes the old column (DB209: expand, backfill, contract)
CREATE FUNCTION "Post_views_new_sync"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW."views_new" := NEW."views"::bigint;
  RETURN NEW;
END
$$;
CREATE TRIGGER "Post_views_new_sync" BEFORE INSERT OR UPDATE ON "Post"
  FOR EACH ROW EXECUTE FUNCTION "Post_views_new_sync"();
ALTER TABLE "Post" ADD CONSTRAINT "Post_views_new_not_null" CHECK ("views_new" IS NOT NULL) NOT VALID;
""",
            "prisma/migrations/20240102000001_post_views_backfill/migration.sql": """\
-- Backfill "views_new" in batches of 10000 rows along the primary key, each committed on its own.
-- Alone in its file, this statement runs outside a transaction block, which COMMIT in DO needs.
-- If it stops half-way, run it again.
DO $$
DECLARE
  from_1 "Post"."id"%TYPE;
  to_1 "Post"."id"%TYPE;
BEGIN
  SELECT "id" INTO from_1 FROM "Post" ORDER BY "id" LIMIT 1;
  WHILE FOUND LOOP
    SELECT "id" INTO to_1 FROM (
      SELECT "id" FROM "Post" WHERE ("id") >= (from_1) ORDER BY "id" LIMIT 10000
    ) AS batch ORDER BY "id" DESC LIMIT 1;
    UPDATE "Post" SET "views_new" = "views"::bigint
      WHERE ("id") >= (from_1) AND ("id") <= (to_1);
    COMMIT;
    SELECT "id" INTO from_1 FROM "Post" WHERE ("id") > (to_1) ORDER BY "id" LIMIT 1;
  END LOOP;
END
$$;
""",
            "prisma/migrations/20240102000002_post_views_idx_new_concurrently/migration.sql": 'CREATE INDEX CONCURRENTLY "Post_views_idx_new" ON "Post"("views_new");\n',
            "prisma/migrations/20240102000003_post_views_type_contract/migration.sql": """\
-- "views_new" takes the place of "views" (DB209: expand, backfill, contract)
ALTER TABLE "Post" VALIDATE CONSTRAINT "Post_views_new_not_null";
LOCK TABLE "Post" IN ACCESS EXCLUSIVE MODE;
DROP TRIGGER "Post_views_new_sync" ON "Post";
DROP FUNCTION "Post_views_new_sync"();
-- schemasense-ignore DB212 its data is in "views_new", which takes its name next
ALTER TABLE "Post" DROP COLUMN "views";
-- schemasense-ignore DB210 no app selects "views_new"; "views" is back at once
ALTER TABLE "Post" RENAME COLUMN "views_new" TO "views";
-- schemasense-ignore DB204 the check validated above proves it: no scan
ALTER TABLE "Post" ALTER COLUMN "views" SET NOT NULL;
ALTER TABLE "Post" DROP CONSTRAINT "Post_views_new_not_null";
ALTER TABLE "Post" ALTER COLUMN "views" SET DEFAULT 0;
ALTER INDEX "Post_views_idx_new" RENAME TO "Post_views_idx";
""",
        }
    )

    # the migrations it writes pass the migration rules (DB222 offers its own lock_timeout)
    findings, _ = lint_migrations(tmp_path, "DB2")
    assert {(f.code, f.span.file.split("/")[-2]) for f in findings} == {
        ("DB222", "20240102000000_views"),
        ("DB222", "20240102000003_post_views_type_contract"),
    }


def execute(url: str, sql: str) -> None:
    """A statement of the running app (INSERT or UPDATE)."""
    query(url, sql + " RETURNING 1")


def column_facts(url: str, table: str, column: str) -> list[tuple]:
    return query(
        url,
        "SELECT data_type, is_nullable, column_default FROM information_schema.columns "
        f"WHERE table_name = '{table}' AND column_name = '{column}'",
    )


def leftovers(url: str, table: str) -> list[tuple]:
    """Triggers, functions and checks the plan made, still there; invalid indexes."""
    return query(
        url,
        f"""SELECT 'trigger', tgname::text FROM pg_trigger
              WHERE tgrelid = '"{table}"'::regclass AND NOT tgisinternal
            UNION ALL SELECT 'function', proname::text FROM pg_proc
              WHERE pronamespace = 'public'::regnamespace
            UNION ALL SELECT 'check', conname::text FROM pg_constraint
              WHERE conrelid = '"{table}"'::regclass AND contype = 'c'
            UNION ALL SELECT 'invalid index', indexrelid::regclass::text FROM pg_index
              WHERE indrelid = '"{table}"'::regclass AND NOT indisvalid""",
    )


def test_fix_runs_on_postgres_like_prisma(tmp_path, postgres):
    write_migrations(tmp_path, {"20240101000000_init": POST, "20240102000000_views": BIGINT})
    findings, _ = lint_migrations(tmp_path, "DB209")
    apply_fixes(tmp_path, findings)
    files = migration_files(tmp_path)
    assert [f.parent.name for f in files] == [
        "20240101000000_init",
        "20240102000000_views",
        "20240102000001_post_views_backfill",
        "20240102000002_post_views_idx_new_concurrently",
        "20240102000003_post_views_type_contract",
    ]
    url = postgres()

    # expand: the old app goes on writing "views"; the trigger copies every write
    run_like_prisma(url, files[:2])
    execute(url, 'INSERT INTO "Post" ("title", "views") VALUES (\'max int\', 2147483647)')
    execute(url, 'INSERT INTO "Post" ("title") VALUES (\'by default\')')
    execute(url, 'UPDATE "Post" SET "views" = -5 WHERE "id" = 1')
    assert query(
        url,
        'SELECT "id", "views", "views_new" FROM "Post" WHERE "id" IN (1, 2, 25001, 25002) ORDER BY 1',
    ) == [(1, -5, -5), (2, 2, None), (25001, 2147483647, 2147483647), (25002, 0, 0)]
    assert leftovers(url, "Post") == [
        ("trigger", "Post_views_new_sync"),
        ("function", "Post_views_new_sync"),
        ("check", "Post_views_new_not_null"),
    ]
    # NOT NULL waits as a check NOT VALID (held for new rows, validated at the contract)
    assert query(
        url, "SELECT convalidated FROM pg_constraint WHERE conname = 'Post_views_new_not_null'"
    ) == [(False,)]

    # backfill: every old row, in batches committed one by one (three transactions)
    run_like_prisma(url, files[2:3])
    assert query(url, 'SELECT count(*) FROM "Post" WHERE "views_new" IS DISTINCT FROM "views"') == [
        (0,)
    ]
    assert query(url, 'SELECT count(DISTINCT xmin::text) FROM "Post" WHERE "id" <= 25000') == [(3,)]

    # the index again, then contract
    run_like_prisma(url, files[3:])
    assert column_facts(url, "Post", "views") == [("bigint", "NO", "0")]
    assert column_facts(url, "Post", "views_new") == []
    assert query(url, "SELECT indexdef FROM pg_indexes WHERE tablename = 'Post' ORDER BY 1") == [
        ('CREATE INDEX "Post_views_idx" ON public."Post" USING btree (views)',),
        ('CREATE UNIQUE INDEX "Post_pkey" ON public."Post" USING btree (id)',),
    ]
    assert leftovers(url, "Post") == []
    assert query(
        url,
        'SELECT count(*), sum("views") FILTER (WHERE "id" > 1 AND "id" <= 25000), '
        'min("views"), max("views") FROM "Post"',
    ) == [(25002, sum(range(2, 25001)), -5, 2147483647)]
    # the new type, NOT NULL and the default, on the renamed column
    execute(url, 'INSERT INTO "Post" ("title", "views") VALUES (\'big\', 5000000000)')
    execute(url, 'INSERT INTO "Post" ("title") VALUES (\'default\')')
    assert query(url, 'SELECT "views" FROM "Post" WHERE "id" > 25002 ORDER BY "id"') == [
        (5000000000,),
        (0,),
    ]
    with pytest.raises(Exception, match="not-null"):
        execute(url, 'INSERT INTO "Post" ("title", "views") VALUES (\'null\', NULL)')


# a composite primary key (batches along both columns), and a USING expression
LINE = """\
CREATE TABLE "Line" (
    "orderId" INTEGER NOT NULL,
    "n" INTEGER NOT NULL,
    "price" TEXT NOT NULL,
    CONSTRAINT "Line_pkey" PRIMARY KEY ("orderId", "n")
);
INSERT INTO "Line" SELECT g / 100, g % 100, ' ' || g || ' ' FROM generate_series(1, 25000) AS g;
"""
PRICE = (
    'ALTER TABLE "Line" ALTER COLUMN "price" SET DATA TYPE INTEGER USING trim("price")::integer;\n'
)


def test_fix_with_using_and_a_composite_key_runs_on_postgres_like_prisma(tmp_path, postgres):
    write_migrations(tmp_path, {"20240101000000_init": LINE, "20240102000000_price": PRICE})
    findings, _ = lint_migrations(tmp_path, "DB209")
    changed = apply_fixes(tmp_path, findings)
    assert changed["prisma/migrations/20240102000000_price/migration.sql"] == snapshot("""\
ALTER TABLE "Line" ADD COLUMN "price_new" integer;
-- "price_new" follows "price" while the running app writes the old column (DB209: expand, backfill, contract)
CREATE FUNCTION "Line_price_new_sync"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW."price_new" := (SELECT (btrim(price))::integer FROM (SELECT NEW.*) AS "Line");
  RETURN NEW;
END
$$;
CREATE TRIGGER "Line_price_new_sync" BEFORE INSERT OR UPDATE ON "Line"
  FOR EACH ROW EXECUTE FUNCTION "Line_price_new_sync"();
""")
    assert changed[
        "prisma/migrations/20240102000001_line_price_backfill/migration.sql"
    ] == snapshot("""\
-- Backfill "price_new" in batches of 10000 rows along the primary key, each committed on its own.
-- Alone in its file, this statement runs outside a transaction block, which COMMIT in DO needs.
-- If it stops half-way, run it again.
DO $$
DECLARE
  from_1 "Line"."orderId"%TYPE;
  from_2 "Line"."n"%TYPE;
  to_1 "Line"."orderId"%TYPE;
  to_2 "Line"."n"%TYPE;
BEGIN
  SELECT "orderId", "n" INTO from_1, from_2 FROM "Line" ORDER BY "orderId", "n" LIMIT 1;
  WHILE FOUND LOOP
    SELECT "orderId", "n" INTO to_1, to_2 FROM (
      SELECT "orderId", "n" FROM "Line" WHERE ("orderId", "n") >= (from_1, from_2) ORDER BY "orderId", "n" LIMIT 10000
    ) AS batch ORDER BY "orderId" DESC, "n" DESC LIMIT 1;
    UPDATE "Line" SET "price_new" = (btrim(price))::integer
      WHERE ("orderId", "n") >= (from_1, from_2) AND ("orderId", "n") <= (to_1, to_2);
    COMMIT;
    SELECT "orderId", "n" INTO from_1, from_2 FROM "Line" WHERE ("orderId", "n") > (to_1, to_2) ORDER BY "orderId", "n" LIMIT 1;
  END LOOP;
END
$$;
""")
    # a USING expression may give NULL: the check waits for the backfill, in a migration alone
    assert changed[
        "prisma/migrations/20240102000002_line_price_new_not_null/migration.sql"
    ] == snapshot(
        'ALTER TABLE "Line" ADD CONSTRAINT "Line_price_new_not_null" CHECK ("price_new" IS NOT NULL) NOT VALID;\n'
    )
    files = migration_files(tmp_path)
    assert len(files) == 5
    url = postgres()
    run_like_prisma(url, files[:2])
    execute(url, "INSERT INTO \"Line\" VALUES (1000, 1, ' 42')")
    execute(url, 'UPDATE "Line" SET "price" = \'-1 \' WHERE ("orderId", "n") = (0, 1)')
    assert query(
        url, 'SELECT "price", "price_new" FROM "Line" WHERE "orderId" IN (0, 1000) AND "n" = 1'
    ) == [("-1 ", -1), (" 42", 42)]
    run_like_prisma(url, files[2:3])
    assert query(url, 'SELECT count(DISTINCT xmin::text) FROM "Line" WHERE "orderId" < 1000') == [
        (3,)
    ]
    run_like_prisma(url, files[3:])
    assert column_facts(url, "Line", "price") == [("integer", "NO", None)]
    assert leftovers(url, "Line") == []
    assert query(url, 'SELECT count(*), sum("price") FROM "Line"') == [
        (25001, sum(range(2, 25001)) - 1 + 42)
    ]


@pytest.mark.parametrize(
    ("init", "change", "config"),
    [
        # the primary key itself (and its sequence)
        (POST, 'ALTER TABLE "Post" ALTER COLUMN "id" SET DATA TYPE BIGINT;\n', ""),
        # referenced by a foreign key
        (
            POST + 'CREATE TABLE "Like" ("id" SERIAL PRIMARY KEY, "postViews" INTEGER);\n'
            'CREATE UNIQUE INDEX "Post_views_key" ON "Post"("views");\n'
            'ALTER TABLE "Like" ADD CONSTRAINT "Like_fkey" FOREIGN KEY ("postViews") '
            'REFERENCES "Post"("views");\n',
            BIGINT,
            "",
        ),
        # no primary key to batch along
        ('CREATE TABLE "Post" ("title" TEXT, "views" INTEGER);\n', BIGINT, ""),
        # an index on an expression of the column
        (POST + 'CREATE INDEX "Post_abs_idx" ON "Post"(abs("views"));\n', BIGINT, ""),
        # a check on the column
        (POST + 'ALTER TABLE "Post" ADD CONSTRAINT "v" CHECK ("views" >= 0);\n', BIGINT, ""),
        # more than the one type change in the statement
        (
            POST,
            'ALTER TABLE "Post" ALTER COLUMN "views" SET DATA TYPE BIGINT, '
            'ALTER COLUMN "title" DROP NOT NULL;\n',
            "",
        ),
        # COMMIT in DO needs PostgreSQL 11
        (POST, BIGINT, 'database-version = "10"\n'),
    ],
    ids=[
        "primary-key",
        "referenced",
        "no-primary-key",
        "expression-index",
        "check",
        "two-actions",
        "pg10",
    ],
)
def test_no_fix(tmp_path, init, change, config):
    write_migrations(tmp_path, {"20240101000000_init": init, "20240102000000_change": change})
    (finding,) = lint_migrations(tmp_path, "DB209", config=config)[0]
    assert finding.fix is None


def test_no_fix_for_other_runners(tmp_path):
    # Flyway: where a later migration goes, and how it runs, is the runner's own
    folder = tmp_path / "db" / "migration"
    folder.mkdir(parents=True)
    (folder / "V1__init.sql").write_text(POST)
    (folder / "V2__views.sql").write_text(BIGINT)
    mset = read_set(str(folder))
    assert mset is not None and mset.tool == "flyway"
    loaded = parse_config(
        str(tmp_path / "schemasense.toml"),
        'select = ["DB209"]\n[migrations]\npath = "db/migration"\n',
    )
    contexts = linked_contexts([str(tmp_path / "schema.prisma")], loaded)
    assert contexts[0].tool == "flyway"
    ctx = RuleContext(config=loaded.config, migrations=contexts)
    (finding,) = run_rules(ctx, loaded, inputs=("migrations",)).findings
    assert (finding.code, finding.fix) == ("DB209", None)


def test_the_fixed_migrations_build_the_same_schema(tmp_path):
    write_migrations(tmp_path / "a", {"20240101000000_init": POST, "20240102000000_views": BIGINT})
    write_migrations(tmp_path / "b", {"20240101000000_init": POST, "20240102000000_views": BIGINT})
    findings, _ = lint_migrations(tmp_path / "b", "DB209")
    apply_fixes(tmp_path / "b", findings)

    def post(root):
        schema = replay(read_set(str(root / "prisma" / "migrations"))).schema
        table = next(t for t in schema.tables if t.name == "Post")
        columns = sorted(
            (
                c.name,
                c.type.native,
                c.nullable,
                c.default and c.default.model_dump(exclude={"span"}),
            )
            for c in table.columns
        )
        indexes = sorted((i.name, [c.column for c in i.columns], i.unique) for i in table.indexes)
        return columns, indexes, table.checks

    assert post(tmp_path / "b") == post(tmp_path / "a")

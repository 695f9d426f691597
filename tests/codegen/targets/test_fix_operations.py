"""The operations the migration-safety fixes write (DB209's column swap, DB242's in-place
ALTER TABLE), rendered per dialect by `codegen.emit.sql`: one line per behaviour, then the
statements run on real PostgreSQL and SQLite and the result read back from the catalog."""

from __future__ import annotations

import sqlite3

import pytest
from schemasense.codegen.ddl.operations import (
    AddColumn,
    AlterTable,
    BackfillColumn,
    ColumnConversion,
    ColumnDef,
    CreateIndex,
    DropColumn,
    DropSyncTrigger,
    IndexDef,
    IndexPart,
    LockTable,
    Operation,
    RenameColumn,
    SyncColumnTrigger,
)
from schemasense.codegen.dialects.sql_type import SqlType
from schemasense.codegen.emit.sql.base import (
    UnsupportedOperation,
    render_sql,
    render_statements,
)
from schemasense.server.verify import databases

CAST = ColumnConversion("n", "bigint")
USING = ColumnConversion("n", "text", using="(n::text || '!')", row="T")


def sql(op: Operation, dialect: str = "postgresql") -> str:
    return ";\n".join(render_statements([op], dialect))


def add_column(table: str, source: str, name: str, schema: str | None = None) -> AlterTable:
    """A column added as its SQL text (`source`) says, as the fixes add one."""
    column = AddColumn(ColumnDef(name, SqlType()), source=source)
    return AlterTable(table, (column,), schema=schema)


def printed_index(table, name, keys, schema=None, concurrently=True, **index) -> CreateIndex:
    """An index in the database's spelling, as DB209's fix builds one again."""
    return CreateIndex(
        table, IndexDef(name, keys, **index), schema, concurrently=concurrently, printed=True
    )


def test_add_and_drop_a_column_per_dialect():
    named = add_column("T", '"n_new" bigint', "n_new", schema="app")
    assert sql(named) == 'ALTER TABLE "app"."T" ADD COLUMN "n_new" bigint'
    written = add_column("T", "bio   TEXT DEFAULT 'x'", "bio")
    assert sql(written, "sqlite") == "ALTER TABLE \"T\" ADD COLUMN bio   TEXT DEFAULT 'x'"
    assert sql(written, "mysql") == "ALTER TABLE `T` ADD COLUMN bio   TEXT DEFAULT 'x'"
    drop = AlterTable("T", (DropColumn('we"ird'),))
    assert sql(drop) == 'ALTER TABLE "T" DROP COLUMN "we""ird"'
    assert sql(drop, "sqlite") == 'ALTER TABLE "T" DROP COLUMN "we""ird"'
    assert sql(drop, "mysql") == 'ALTER TABLE `T` DROP COLUMN `we"ird`'


def test_sync_trigger_with_a_cast_and_with_using():
    assert sql(SyncColumnTrigger("T", "n_new", CAST, "T_n_new_sync", "app")) == (
        'CREATE FUNCTION "app"."T_n_new_sync"() RETURNS trigger LANGUAGE plpgsql AS $$\n'
        "BEGIN\n"
        '  NEW."n_new" := NEW."n"::bigint;\n'
        "  RETURN NEW;\n"
        "END\n"
        "$$;\n"
        'CREATE TRIGGER "T_n_new_sync" BEFORE INSERT OR UPDATE ON "app"."T"\n'
        '  FOR EACH ROW EXECUTE FUNCTION "app"."T_n_new_sync"()'
    )
    using = sql(SyncColumnTrigger("T", "n_new", USING, "s"))
    assert '  NEW."n_new" := (SELECT (n::text || \'!\') FROM (SELECT NEW.*) AS "T");\n' in using
    assert sql(DropSyncTrigger("T", "s", "app")) == (
        'DROP TRIGGER "s" ON "app"."T";\nDROP FUNCTION "app"."s"()'
    )


def test_backfill_batches_along_a_composite_key():
    text = sql(BackfillColumn("T", "n_new", USING, ("a", "b"), 500))
    assert text.startswith('DO $$\nDECLARE\n  from_1 "T"."a"%TYPE;\n  from_2 "T"."b"%TYPE;')
    assert '      SELECT "a", "b" FROM "T" WHERE ("a", "b") >= (from_1, from_2) ORDER BY' in text
    assert "LIMIT 500\n" in text
    assert '    UPDATE "T" SET "n_new" = (n::text || \'!\')\n' in text
    assert text.endswith("  END LOOP;\nEND\n$$")
    # a DO block that commits cannot run inside a transaction block
    assert not render_sql([BackfillColumn("T", "x", CAST, ("id",), 10)], "postgresql").transactional


def test_lock_and_an_index_as_the_database_spells_it():
    assert sql(LockTable("T", schema="app")) == 'LOCK TABLE "app"."T" IN ACCESS EXCLUSIVE MODE'
    gin = printed_index(
        "T",
        "T_v_new",
        (IndexPart(column="v_new", ops="gin_trgm_ops"),),
        method="gin",
        predicate="(w > 0)",
    )
    assert sql(gin) == (
        'CREATE INDEX CONCURRENTLY "T_v_new" ON "T" USING gin("v_new" gin_trgm_ops) WHERE (w > 0)'
    )
    unique = printed_index(
        "T",
        "u",
        (
            IndexPart(column="v", sort="desc", nulls="first"),
            IndexPart(expression="lower(w)", sort="asc"),
        ),
        unique=True,
        method="btree",
        include=("x",),
        concurrently=False,
    )
    assert sql(unique) == (
        'CREATE UNIQUE INDEX "u" ON "T"("v" DESC NULLS FIRST, (lower(w))) INCLUDE ("x")'
    )


@pytest.mark.parametrize(
    "op",
    [
        SyncColumnTrigger("T", "n_new", CAST, "s"),
        DropSyncTrigger("T", "s"),
        BackfillColumn("T", "n_new", CAST, ("id",), 10),
        LockTable("T"),
        printed_index("T", "i", (IndexPart(column="n"),)),
    ],
    ids=lambda op: op.kind,
)
@pytest.mark.parametrize("dialect", ["mysql", "sqlite"])
def test_postgresql_only_steps_are_unsupported_elsewhere(op, dialect):
    with pytest.raises(UnsupportedOperation):
        render_statements([op], dialect)


# -- on real databases --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def pg_url():
    try:
        server = databases.postgres_server()
    except databases.Unavailable as exc:
        pytest.skip(f"no PostgreSQL to run the statements on: {exc}")
    try:
        with server.scratch(prefix="ss_fixops") as url:
            yield url
    finally:
        server.close()


def _run(url: str, *ops: Operation) -> None:
    conn = databases.connect(url, autocommit=True)
    try:
        for op in ops:
            for statement in render_statements([op], "postgresql"):
                conn.execute(statement)
    finally:
        conn.close()


def _query(url: str, text: str) -> list[tuple]:
    conn = databases.connect(url, autocommit=True)
    try:
        return list(conn.execute(text).fetchall())
    finally:
        conn.close()


def test_the_column_swap_runs_on_postgresql(pg_url):
    conn = databases.connect(pg_url, autocommit=True)
    try:
        conn.execute(
            'CREATE SCHEMA app; CREATE TABLE app."T" (a int, b int, n int, PRIMARY KEY (a, b))'
        )
        conn.execute('INSERT INTO app."T" SELECT g % 3, g, g FROM generate_series(1, 25) AS g')
    finally:
        conn.close()
    using = ColumnConversion("n", "text", using="(n::text || '!')", row="T")
    _run(
        pg_url,
        add_column("T", '"n_new" text', "n_new", schema="app"),
        SyncColumnTrigger("T", "n_new", using, "T_n_new_sync", "app"),
    )
    _query(pg_url, 'INSERT INTO app."T" VALUES (9, 9, 99) RETURNING a')
    assert _query(pg_url, 'SELECT n_new FROM app."T" WHERE a = 9') == [("99!",)]
    _run(pg_url, BackfillColumn("T", "n_new", using, ("a", "b"), 4, "app"))  # 7 batches
    assert _query(pg_url, "SELECT count(*) FROM app.\"T\" WHERE n_new = n::text || '!'") == [(26,)]
    _run(
        pg_url,
        printed_index(
            "T", "T_n_new_idx", (IndexPart(column="n_new", sort="desc", nulls="last"),),
            predicate="(a > 0)", schema="app",
        ),
        DropSyncTrigger("T", "T_n_new_sync", "app"),
    )  # fmt: skip
    conn = databases.connect(pg_url, autocommit=False)
    try:  # LOCK TABLE only runs inside a transaction
        conn.execute(";\n".join(render_statements([LockTable("T", schema="app")], "postgresql")))
        conn.rollback()
    finally:
        conn.close()
    assert _query(pg_url, "SELECT count(*) FROM pg_trigger WHERE NOT tgisinternal") == [(0,)]
    assert _query(pg_url, "SELECT count(*) FROM pg_proc WHERE proname = 'T_n_new_sync'") == [(0,)]
    (index,) = _query(pg_url, "SELECT indexdef FROM pg_indexes WHERE indexname = 'T_n_new_idx'")
    assert index[0].endswith("(n_new DESC NULLS LAST) WHERE (a > 0)")
    _run(pg_url, AlterTable("T", (DropColumn("n"),), schema="app"))
    columns = _query(
        pg_url, "SELECT column_name FROM information_schema.columns WHERE table_name = 'T'"
    )
    assert sorted(c for (c,) in columns) == ["a", "b", "n_new"]


def test_the_in_place_alter_runs_on_sqlite():
    if sqlite3.sqlite_version_info < (3, 35):
        pytest.skip(f"SQLite {sqlite3.sqlite_version} has no DROP COLUMN")
    conn = sqlite3.connect(":memory:")
    conn.execute('CREATE TABLE "User" ("id" TEXT PRIMARY KEY, name TEXT, "old" INTEGER)')
    conn.execute("INSERT INTO \"User\" VALUES ('1', 'ann', 3)")
    steps = [
        AlterTable("User", (DropColumn("old"),)),
        RenameColumn("User", "name", "fullName"),
        add_column("User", "bio   TEXT DEFAULT 'x'", "bio"),
    ]
    for statement in render_statements(steps, "sqlite"):
        conn.execute(statement)
    (table_sql,) = conn.execute("SELECT sql FROM sqlite_master WHERE name = 'User'").fetchone()
    assert "bio   TEXT DEFAULT 'x'" in table_sql  # the column's text, as written
    assert conn.execute('SELECT * FROM "User"').fetchall() == [("1", "ann", "x")]
    assert [r[1] for r in conn.execute('PRAGMA table_info("User")')] == ["id", "fullName", "bio"]

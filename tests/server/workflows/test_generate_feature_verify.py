"""`generate feature --verify`: the parts that need no Node (the database's error explained,
the report, the refusals), and the scratch databases on a real embedded PostgreSQL (skipped
where the machine has no PostgreSQL binaries). The whole command on the samples is in
`test_generate_feature_verify_oracle.py`."""

from __future__ import annotations

import os
from types import SimpleNamespace

import pytest
from schemasense.codegen.emit.report import feature as report_model
from schemasense.codegen.schema import (
    CheckConstraint,
    Column,
    ColumnType,
    ForeignKey,
    IndexColumn,
    Schema,
    Table,
    UniqueConstraint,
)
from schemasense.server.verify import scratch
from schemasense.server.verify.databases import connect
from schemasense.server.workflows.feature_verify import VerifyUnavailable, verify
from schemasense.server.workflows.feature_verify_explain import (
    DbError,
    explain,
    from_node,
    kind,
)
from schemasense.server.workflows.generate_feature import key_value_form


def _schema() -> Schema:
    text = ColumnType(kind="text", native="text")
    return Schema(tables=[
        Table(name="categories", columns=[Column(name="id", type=text),
                                          Column(name="slug", type=text)],
              checks=[CheckConstraint(name="categories_slug_check",
                                      expression="CHECK (slug ~ '^[a-z]+$')")],
              uniques=[UniqueConstraint(name="categories_slug_key",
                                        columns=[IndexColumn(column="slug")])]),
        Table(name="products", columns=[Column(name="category_id", type=text)],
              foreign_keys=[ForeignKey(name="products_category_id_fkey", columns=["category_id"],
                                       referenced_table="categories",
                                       referenced_columns=["id"])]),
    ])  # fmt: skip


def test_a_check_violation_names_the_condition_and_both_ways_out():
    message = 'new row for relation "categories" violates check constraint "categories_slug_check"'
    error = DbError(message, "23514", "categories_slug_check", "categories")
    lines = explain(error, _schema())
    assert lines[0].startswith("The check constraint `categories_slug_check` on `categories`")
    assert "`CHECK (slug ~ '^[a-z]+$')`" in lines[0]
    assert "SELECT * FROM categories WHERE NOT (slug ~ '^[a-z]+$');" in lines[1]
    assert lines[2].startswith("Fix the data") and lines[3].startswith("Or fix the schema")


def test_unique_not_null_and_foreign_key_each_get_their_query():
    unique = explain(DbError('could not create unique index "categories_slug_key"', "23505",
                             detail="Key (slug)=(a) is duplicated."), _schema())  # fmt: skip
    assert "GROUP BY slug HAVING count(*) > 1" in unique[1]
    assert "Key (slug)=(a) is duplicated." in unique[0]
    null = explain(DbError('column "slug" of relation "categories" contains null values',
                           "23502"), _schema())  # fmt: skip
    assert null[1] == "Find them: `SELECT * FROM categories WHERE slug IS NULL;`"
    fk = explain(DbError("violates foreign key", "23503", "products_category_id_fkey",
                         "products"), _schema())  # fmt: skip
    assert "(products.category_id -> categories.id)" in fk[0]
    assert "NOT EXISTS (SELECT 1 FROM categories p WHERE p.id = c.category_id)" in fk[1]


def test_mysql_and_sqlite_errors_are_read_from_their_numbers_and_messages():
    mysql = from_node({"message": "Check constraint 'products_price_check' is violated.",
                       "code": "ER_CHECK_CONSTRAINT_VIOLATED", "errno": 3819})  # fmt: skip
    assert mysql.code == "3819" and kind(mysql) == "check"
    assert "`products_price_check`" in explain(mysql, None)[0]
    sqlite = DbError("NOT NULL constraint failed: products.name")
    assert kind(sqlite) == "not_null"
    assert explain(sqlite, None)[1] == "Find them: `SELECT * FROM products WHERE name IS NULL;`"
    assert explain(DbError('relation "nope" does not exist', "42P01"), None) == []


def test_a_failed_verification_reports_the_steps_tests_and_rollback():
    report = report_model.VerifyReport(
        "embedded PostgreSQL", False,
        (
            report_model.StepReport("migrate", True, 0.2),
            report_model.StepReport("up", False, 0.1, "failed"),
        ),
        (report_model.TestResultReport("a.test.ts > x", "passed"),
         report_model.TestResultReport("a.test.ts > y", "failed", "expected 1\nto be 2")),
        "up", "violates check constraint", "INSERT ...", ("The check constraint ...",),
        "DROP TABLE products;", "npx sequelize-cli db:migrate:undo",
    )  # fmt: skip
    text = "\n".join(report_model.verify_markdown(report))
    assert "### Verification (embedded PostgreSQL): FAILED at step `up`" in text
    assert "| migrate | pass | 0.2 s |" in text and "| up | FAIL: failed | 0.1 s |" in text
    assert "Tests: 1 passed, 1 failed, 2 in all." in text
    assert "The database said (step `up`):\n\n```\nviolates check constraint\n```" in text
    assert "- FAILED: a.test.ts > y\n  - expected 1" in text
    assert "- `npx sequelize-cli db:migrate:undo`" in text
    assert "DROP TABLE products;" in text and "- The check constraint ..." in text
    from dataclasses import asdict

    assert asdict(report)["steps"][1]["ok"] is False


def test_a_url_of_another_database_family_is_refused_before_anything_runs():
    feature = SimpleNamespace(project=SimpleNamespace(dialect="postgresql"))
    with pytest.raises(VerifyUnavailable, match="written for postgresql"):
        verify(feature, "mysql://root@127.0.0.1:3306/")
    with pytest.raises(VerifyUnavailable, match="not a database URL"):
        verify(feature, "http://example.com/")
    mysql = SimpleNamespace(project=SimpleNamespace(dialect="mysql"))
    with pytest.raises(VerifyUnavailable, match="pass a server to verify on"):
        verify(mysql, None)


def test_verify_is_a_key_of_the_short_form():
    assert key_value_form(["generate", "description:x", "verify:"]) == [
        "generate", "feature", "--description", "x", "--verify", ""]  # fmt: skip
    from schemasense.server.cli import build_parser

    parser = build_parser()
    args = parser.parse_args(["generate", "feature", "--description", "x", "--verify"])
    assert args.verify == ""
    args = parser.parse_args(["generate", "feature", "--description", "x"])
    assert args.verify is None


def test_no_postgresql_binaries_is_a_clear_message(monkeypatch):
    monkeypatch.setattr(scratch, "postgres_binaries", lambda: None)
    with (
        pytest.raises(scratch.ScratchError, match="pass a server to verify on"),
        scratch.embedded_postgres(),
    ):
        pass


def test_the_embedded_cluster_and_its_scratch_databases_leave_nothing():
    if scratch.postgres_binaries() is None:
        pytest.skip("no PostgreSQL binaries (initdb, pg_ctl) on this machine")
    with scratch.embedded_postgres() as server:
        with scratch.scratch_databases(server, 2) as urls:
            assert len(scratch.leftovers(server)) == 2
            conn = connect(urls[0])
            assert conn.execute("SELECT 1").fetchone() == (1,)
            conn.close()
            with pytest.raises(RuntimeError), scratch.scratch_databases(server, 1):
                raise RuntimeError("boom")  # a failure inside still drops it
            assert len(scratch.leftovers(server)) == 2
        assert scratch.leftovers(server) == []
        folder = server  # the cluster answers until the block ends
    import psycopg

    with pytest.raises(psycopg.OperationalError):  # the cluster is gone
        connect(folder).close()


def test_sqlite_scratch_files_are_temporary_and_never_the_named_file(tmp_path):
    mine = tmp_path / "mine.db"
    with scratch.scratch_databases(f"sqlite:///{mine}", 2) as urls:
        assert all("schemasense_verify" in u for u in urls) and not mine.exists()
    assert not any(os.path.exists(u[len("sqlite:///") :]) for u in urls)


def test_scratch_databases_on_a_mariadb_server_are_created_and_dropped():
    from schemasense.server.verify.databases import Unavailable, mysql_server

    try:
        server = mysql_server()
    except Unavailable as exc:
        pytest.skip(str(exc))
    try:
        before = scratch.leftovers(server.url)
        with scratch.scratch_databases(server.url, 2) as urls:
            assert len(scratch.leftovers(server.url)) == len(before) + 2
            conn = connect(urls[1])
            with conn.cursor() as cur:
                cur.execute("CREATE TABLE t (id int PRIMARY KEY)")
            conn.close()
        assert scratch.leftovers(server.url) == before
    finally:
        server.close()


@pytest.mark.parametrize("how", ["ctrl-c", "sigterm"])
def test_an_interrupt_mid_verification_drops_the_databases_and_the_copy(how, tmp_path, monkeypatch):
    """Ctrl-C (KeyboardInterrupt) or SIGTERM while the tests run: the scratch databases are
    dropped and the temporary copy removed before the interrupt reaches the caller."""
    import shutil
    import signal
    import tempfile
    from pathlib import Path

    from schemasense.server.verify.databases import Unavailable, postgres_server
    from schemasense.server.workflows import feature_verify, feature_verify_copy
    from schemasense.server.workflows.generate_feature import prepare

    try:
        server = postgres_server()
    except Unavailable as exc:
        pytest.skip(str(exc))
    repo = Path(__file__).resolve().parents[3]
    root = tmp_path / "prisma-clean"
    shutil.copytree(repo / "samples" / "prisma-clean", root)
    feature = prepare(str(root), f"@{repo / 'tests' / 'fixtures' / 'feature' / 'catalog.sql'}")
    modules = tmp_path / "node_modules"
    modules.mkdir()
    monkeypatch.setattr(feature_verify_copy, "node_modules_of", lambda root: str(modules))
    monkeypatch.setattr(feature_verify, "prisma_generate", lambda feature, copy: None)
    monkeypatch.setattr(feature_verify.node, "vitest", lambda copy: "vitest")
    temp = tmp_path / "temp"
    temp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    seen: list[list[str]] = []

    def interrupted(copy, config, files, url, runner="vitest"):
        seen.append(scratch.leftovers(server.url))
        assert any(temp.iterdir())  # the copy is there while it runs
        if how == "sigterm":
            os.kill(os.getpid(), signal.SIGTERM)
        raise KeyboardInterrupt

    monkeypatch.setattr(feature_verify.node, "run_tests", interrupted)
    try:
        before = scratch.leftovers(server.url)
        with pytest.raises(KeyboardInterrupt):
            verify(feature, server.url)
        # it got as far as the tests, with its two scratch databases (named by what is new:
        # another run on the same server may hold scratch databases of its own meanwhile)
        assert len(seen) == 1
        ours = set(seen[0]) - set(before)
        assert len(ours) == 2, (seen[0], before)
        assert ours.isdisjoint(scratch.leftovers(server.url))
        assert list(temp.iterdir()) == []
        assert signal.getsignal(signal.SIGTERM) is signal.SIG_DFL
    finally:
        server.close()


def test_no_vitest_in_the_project_is_exit_2_and_nothing_written(tmp_path, monkeypatch):
    import io
    import shutil
    from pathlib import Path

    from schemasense.server.verify.databases import Unavailable, postgres_server
    from schemasense.server.workflows import feature_verify_copy
    from schemasense.server.workflows.generate_feature import run_cli

    try:
        server = postgres_server()
    except Unavailable as exc:
        pytest.skip(str(exc))
    repo = Path(__file__).resolve().parents[3]
    root = tmp_path / "prisma-clean"
    shutil.copytree(repo / "samples" / "prisma-clean", root)
    files = sorted(p.relative_to(root) for p in root.rglob("*"))
    modules = tmp_path / "node_modules"
    modules.mkdir()
    monkeypatch.setattr(feature_verify_copy, "node_modules_of", lambda root: str(modules))
    out, err = io.StringIO(), io.StringIO()
    try:
        before = scratch.leftovers(server.url)
        code = run_cli(f"@{repo / 'tests' / 'fixtures' / 'feature' / 'catalog.sql'}",
                       project=str(root), out=out, err=err, verify=server.url)  # fmt: skip
        assert code == 2
        assert "cannot verify: Vitest is not installed in the project" in err.getvalue()
        assert sorted(p.relative_to(root) for p in root.rglob("*")) == files
        assert scratch.leftovers(server.url) == before
    finally:
        server.close()

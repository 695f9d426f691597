"""The tests `schemasense generate tests` writes for a TypeORM project pass, with the project's own
DataSource options, entities and migrations (`runMigrations` builds the schema), on a real
PostgreSQL (typeorm-nest, TypeORM 0.3, a NestJS project: run by Vitest and by Jest) and on a
SQLite file (typeorm-sqlite, TypeORM 1.x); and they bite: in a copy whose migration loses a
check and a unique index and whose cascade became NO ACTION, exactly the matching generated
tests fail."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from schemasense.server.verify import databases
from schemasense.server.verify.databases import Unavailable

from tests.oracle.generated_tests.harness import (
    JEST_NEEDS,
    TYPEORM_NEEDS,
    edit_text,
    failed,
    generate,
    prepare_typeorm,
    run_tests,
    unavailable,
)

pytestmark = pytest.mark.oracle

SAMPLES = Path(__file__).resolve().parents[3] / "samples"


@pytest.fixture(scope="module")
def postgres():
    reason = unavailable(TYPEORM_NEEDS)
    if reason:
        pytest.skip(reason)
    try:
        server = databases.postgres_server()
    except Unavailable as exc:
        pytest.skip(str(exc))
    yield server
    server.close()


@pytest.mark.parametrize("runner", ["vitest", "jest"])
def test_typeorm_nest_tests_pass_and_bite(postgres, tmp_path, runner):
    if runner == "jest" and unavailable(TYPEORM_NEEDS + JEST_NEEDS):
        pytest.skip(unavailable(TYPEORM_NEEDS + JEST_NEEDS))
    dest = prepare_typeorm(SAMPLES / "typeorm-nest", tmp_path / "typeorm-nest")
    generate(dest, "--runner", runner)
    with postgres.scratch("testgen") as url:
        results = run_tests(dest, url, runner)
    assert failed(results) == set(), {k: results[k] for k in failed(results)}
    names = "\n".join(results)
    for case in (
        "check CHK_8f9c1c28a99638aaf4563177c6 refuses priceCents = -1",
        "check CHK_8379d998f5a8a5ea6185cb50fe refuses email = ''",
        "deleting the User deletes the row too (Cascade)",
        "deleting the Post sets parent to NULL (SetNull)",
        "soft delete keeps the row and sets deletedAt",
        "updatedAt moves when the row is updated",
        "index IDX_b5a1eebded08a5043ef2a82242 serves a lookup by author, publishedAt",
    ):
        assert case in names, f"no generated test for {case}"
    assert sum(v == "passed" for v in results.values()) >= 35

    init = dest / "src" / "migrations" / "1733500000000-Init.ts"
    edit_text(
        init, r'CONSTRAINT "CHK_8f9c1c28a99638aaf4563177c6" CHECK \("price_cents" >= 0\), ', ""
    )
    edit_text(
        init,
        r'CREATE UNIQUE INDEX "IDX_cd1bddce36edc3e766798eab37" ON "post" \("slug"\) ',
        "SELECT 1",
    )
    edit_text(
        init,
        r'("FK_2f1a9ca8908fc8168bc18437f62" FOREIGN KEY \("author_id"\) REFERENCES "user"\("id"\)) '
        r"ON DELETE CASCADE",
        r"\1 ON DELETE NO ACTION",
    )
    with postgres.scratch("testgen") as url:
        mutated = run_tests(dest, url, runner)
    post = "post.test.ts > Post (table post) "
    assert failed(mutated) == {
        post + "check CHK_8f9c1c28a99638aaf4563177c6 refuses priceCents = -1",
        post + "unique IDX_cd1bddce36edc3e766798eab37 refuses a second row with the same slug",
        post + "index IDX_cd1bddce36edc3e766798eab37 serves a lookup by slug",
        post + "foreign key FK_2f1a9ca8908fc8168bc18437f62 to User deleting the User deletes the "
        "row too (Cascade)",
    }, sorted(failed(mutated))


@pytest.mark.parametrize("runner", ["vitest", "jest"])
def test_typeorm_sqlite_tests_pass(tmp_path, runner):
    reason = unavailable(TYPEORM_NEEDS + (JEST_NEEDS if runner == "jest" else ()))
    if reason:
        pytest.skip(reason)
    dest = prepare_typeorm(SAMPLES / "typeorm-sqlite", tmp_path / "typeorm-sqlite")
    generate(dest, "--runner", runner)
    env = {"DATABASE_FILE": str(tmp_path / "test.sqlite")}
    results = run_tests(dest, "", runner, env=env)
    assert failed(results) == set(), {k: results[k] for k in failed(results)}
    names = "\n".join(results)
    assert "deleting the Author sets featuredFor to NULL (SetNull)" in names
    assert "check CHK_4edb93820175002da69dd6f40f refuses priceCents = -1" in names
    assert "index IDX_a915fd0ac0d818474e906a372e serves a lookup by author, publishedOn" in names
    assert sum(v == "passed" for v in results.values()) >= 25


@pytest.fixture(scope="module")
def mysql():
    reason = unavailable(TYPEORM_NEEDS)
    if reason:
        pytest.skip(reason)
    try:
        server = databases.mysql_server()
    except Unavailable as exc:
        pytest.skip(str(exc))
    yield server
    server.close()


def _on_mysql(dest: Path) -> Path:
    """The copy's DataSource on MySQL, `timestamptz` columns as `datetime`, and its migrations
    replaced by the one `schemasense generate migration` writes for MySQL (TypeORM's own
    layout)."""
    from schemasense.server.workflows.generate_migration import run_cli as migrate

    folder = dest / "src" / "migrations"
    for path in folder.iterdir():
        path.unlink()
    for path in (dest / "src").rglob("*.ts"):
        text = path.read_text()
        new = text.replace('type: "postgres"', 'type: "mysql"').replace(
            '"timestamptz"', '"datetime"'
        )
        if new != text:
            path.write_text(new)
    out = io.StringIO()
    assert migrate(str(dest), "init", out=out, err=out) == 0, out.getvalue()
    [migration] = folder.iterdir()
    return migration


@pytest.mark.parametrize("runner", ["vitest", "jest"])
def test_typeorm_mysql_tests_pass_and_bite(mysql, tmp_path, runner):
    """typeorm-nest switched to MySQL / MariaDB in a scratch copy."""
    if runner == "jest" and unavailable(TYPEORM_NEEDS + JEST_NEEDS):
        pytest.skip(unavailable(TYPEORM_NEEDS + JEST_NEEDS))
    dest = prepare_typeorm(SAMPLES / "typeorm-nest", tmp_path / "typeorm-mysql")
    migration = _on_mysql(dest)
    generate(dest, "--runner", runner)
    with mysql.scratch("testgen") as url:
        results = run_tests(dest, url, runner)
    assert failed(results) == set(), {k: results[k] for k in failed(results)}
    names = "\n".join(results)
    for case in (
        "unique IDX_cd1bddce36edc3e766798eab37 refuses a second row with the same slug",
        "deleting the User deletes the row too (Cascade)",
        "deleting the Post sets parent to NULL (SetNull)",
        "soft delete keeps the row and sets deletedAt",
        "updatedAt moves when the row is updated",
        "index IDX_b5a1eebded08a5043ef2a82242 serves a lookup by author, publishedAt",
    ):
        assert case in names, f"no generated test for {case}"
    assert sum(v == "passed" for v in results.values()) >= 35

    edit_text(
        migration,
        r"UNIQUE INDEX \\`IDX_cd1bddce36edc3e766798eab37\\`",
        r"INDEX \\`IDX_cd1bddce36edc3e766798eab37\\`",
    )
    edit_text(
        migration,
        r"(FK_2f1a9ca8908fc8168bc18437f62[^;]*) ON DELETE CASCADE",
        r"\1 ON DELETE NO ACTION",
    )
    with mysql.scratch("testgen") as url:
        mutated = run_tests(dest, url, runner)
    post = "post.test.ts > Post (table post) "
    assert failed(mutated) == {
        post + "unique IDX_cd1bddce36edc3e766798eab37 refuses a second row with the same slug",
        post + "foreign key FK_2f1a9ca8908fc8168bc18437f62 to User deleting the User deletes the "
        "row too (Cascade)",
    }, sorted(failed(mutated))

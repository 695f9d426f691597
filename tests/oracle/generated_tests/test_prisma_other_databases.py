"""The tests `schemasense generate tests` writes for a Prisma project on MySQL / MariaDB (the
mariadb driver adapter) and on a SQLite file (the libsql driver adapter) pass, under Vitest and
under Jest, the schema built by applying the project's migration files in order; and they bite:
in a copy whose migration loses a unique index and an index and whose cascade became RESTRICT,
exactly the matching generated tests fail.

The project is a scratch copy of samples/prisma-clean switched to the database (its datasource's
provider, its PostgreSQL native types dropped), with its first migration written by `schemasense
generate migration` for that database.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from schemasense.server.verify import databases
from schemasense.server.verify.databases import Unavailable

from tests.oracle.generated_tests.harness import (
    JEST_NEEDS,
    edit_sql,
    failed,
    generate,
    prepare_prisma,
    run_tests,
    switch_provider,
    unavailable,
)

pytestmark = pytest.mark.oracle

SAMPLES = Path(__file__).resolve().parents[3] / "samples"
PRISMA = ("prisma", "@prisma/client", "typescript")
NEEDS = {
    "mysql": (*PRISMA, "@prisma/adapter-mariadb", "mariadb"),
    "sqlite": (*PRISMA, "@prisma/adapter-libsql", "@libsql/client"),
}
RUNNER_NEEDS = {"vitest": ("vitest",), "jest": JEST_NEEDS}

# what each mutation breaks, on either database
EXPECTED = {
    "user.test.ts > User (table users) unique users_email_key refuses a second row with the "
    "same email",
    # the unique index served lookups by email too
    "user.test.ts > User (table users) index users_email_key serves a lookup by email",
    "task.test.ts > Task (table tasks) foreign key tasks_project_id_fkey to Project deleting "
    "the Project deletes the row too (Cascade)",
    "task.test.ts > Task (table tasks) index tasks_assignee_id_idx serves a lookup by assigneeId",
}
CASES = (
    "unique users_email_key",
    "deleting the Project deletes the row too (Cascade)",
    "deleting the User sets assigneeId to NULL (SetNull)",
    "deleting the User is refused while the row points at it (Restrict)",
    "updatedAt moves when the row is updated",
    "index tasks_project_id_status_idx",
    "title is NOT NULL",
    "refuses a row whose parent does not exist",
)


def _needs(database: str, runner: str) -> None:
    reason = unavailable(NEEDS[database] + RUNNER_NEEDS[runner])
    if reason:
        pytest.skip(reason)


def _check(results: dict[str, str]) -> None:
    assert failed(results) == set(), {k: results[k] for k in failed(results)}
    names = "\n".join(results)
    for case in CASES:
        assert case in names, f"no generated test for {case}"
    assert sum(v == "passed" for v in results.values()) >= 28


@pytest.fixture(scope="module")
def mysql():
    try:
        server = databases.mysql_server()
    except Unavailable as exc:
        pytest.skip(str(exc))
    yield server
    server.close()


@pytest.mark.parametrize("runner", ["vitest", "jest"])
def test_prisma_mysql_tests_pass_and_bite(mysql, tmp_path, runner):
    _needs("mysql", runner)
    dest = prepare_prisma(
        SAMPLES / "prisma-clean", tmp_path / "prisma-mysql", edit=switch_provider("mysql")
    )
    out = generate(dest, "--runner", runner)
    assert "@prisma/adapter-mariadb" in out
    with mysql.scratch("testgen") as url:
        _check(run_tests(dest, url, runner))

    edit_sql(dest, r"\s*UNIQUE INDEX `users_email_key`\(`email`\),", "")
    edit_sql(dest, r"(`tasks_project_id_fkey`[^;]*) ON DELETE CASCADE", r"\1 ON DELETE RESTRICT")
    edit_sql(dest, r"\s*INDEX `tasks_assignee_id_idx`\(`assignee_id`\),", "")
    with mysql.scratch("testgen") as url:
        mutated = run_tests(dest, url, runner)
    assert failed(mutated) == EXPECTED, sorted(failed(mutated))


@pytest.mark.parametrize("runner", ["vitest", "jest"])
def test_prisma_sqlite_tests_pass_and_bite(tmp_path, runner):
    _needs("sqlite", runner)
    dest = prepare_prisma(
        SAMPLES / "prisma-clean", tmp_path / "prisma-sqlite", edit=switch_provider("sqlite")
    )
    out = generate(dest, "--runner", runner)
    assert "@prisma/adapter-libsql" in out
    env = {"DATABASE_FILE": str(tmp_path / "test.sqlite")}
    _check(run_tests(dest, "", runner, env=env))

    edit_sql(dest, r'CREATE UNIQUE INDEX "users_email_key"[^;]*;', "")
    edit_sql(dest, r'("tasks_project_id_fkey"[^\n]*) ON DELETE CASCADE', r"\1 ON DELETE RESTRICT")
    edit_sql(dest, r'CREATE INDEX "tasks_assignee_id_idx"[^;]*;', "")
    for path in tmp_path.glob("test.sqlite*"):  # the database and its write-ahead log
        path.unlink()
    mutated = run_tests(dest, "", runner, env=env)
    assert failed(mutated) == EXPECTED, sorted(failed(mutated))

"""The tests `schemasense generate tests` writes for a Prisma project pass on a real PostgreSQL
(Prisma Client 7 on its pg adapter, the schema built from the project's migration files), run by
Vitest and by Jest (`--runner jest`, through @swc/jest), and they bite: in a copy whose
migrations lose a unique index and a CHECK, and whose cascade became RESTRICT, exactly the
matching generated tests fail."""

from __future__ import annotations

from pathlib import Path

import pytest
from schemasense.server.verify import databases
from schemasense.server.verify.databases import Unavailable

from tests.oracle.generated_tests.harness import (
    JEST_NEEDS,
    PRISMA_NEEDS,
    edit_sql,
    failed,
    generate,
    prepare_prisma,
    run_tests,
    run_vitest,
    unavailable,
)

pytestmark = pytest.mark.oracle

SAMPLES = Path(__file__).resolve().parents[3] / "samples"

CHECK = 'ALTER TABLE "tasks" ADD CONSTRAINT "tasks_title_check" CHECK (char_length("title") > 0);\n'


@pytest.fixture(scope="module")
def postgres():
    reason = unavailable()
    if reason:
        pytest.skip(reason)
    try:
        server = databases.postgres_server()
    except Unavailable as exc:
        pytest.skip(str(exc))
    yield server
    server.close()


def _add_check(dest: Path) -> None:
    [migration] = sorted(dest.rglob("migration.sql"))
    migration.write_text(migration.read_text() + "\n-- a hand-written check\n" + CHECK)


@pytest.mark.parametrize("runner", ["vitest", "jest"])
def test_prisma_clean_tests_pass_and_bite(postgres, tmp_path, runner):
    if runner == "jest" and unavailable(PRISMA_NEEDS + JEST_NEEDS):
        pytest.skip(unavailable(PRISMA_NEEDS + JEST_NEEDS))
    dest = prepare_prisma(SAMPLES / "prisma-clean", tmp_path / "prisma-clean")
    _add_check(dest)
    generate(dest, "--runner", runner)
    assert (
        dest / "test" / "db" / ("jest.config.cjs" if runner == "jest" else "vitest.config.ts")
    ).is_file()
    with postgres.scratch("testgen") as url:
        results = run_tests(dest, url, runner)
    assert failed(results) == set(), {k: results[k] for k in failed(results)}
    names = "\n".join(results)
    for case in (
        "unique users_email_key",
        "check tasks_title_check refuses",
        "deleting the Project deletes the row too (Cascade)",
        "deleting the User sets assigneeId to NULL (SetNull)",
        "deleting the User is refused while the row points at it (Restrict)",
        "updatedAt moves when the row is updated",
        "index tasks_project_id_status_idx",
        "title is NOT NULL",
        "refuses a row whose parent does not exist",
    ):
        assert case in names, f"no generated test for {case}"
    passed = [k for k, v in results.items() if v == "passed"]
    assert len(passed) >= 30

    # the mutants: a unique index gone, the check gone, a cascade turned into a refusal
    edit_sql(dest, r'CREATE UNIQUE INDEX "users_email_key"[^;]*;', "")
    edit_sql(dest, r"ALTER TABLE \"tasks\" ADD CONSTRAINT \"tasks_title_check\"[^;]*;", "")
    edit_sql(
        dest,
        r'("tasks_project_id_fkey"[^;]*) ON DELETE CASCADE',
        r"\1 ON DELETE RESTRICT",
    )
    edit_sql(dest, r'CREATE INDEX "tasks_assignee_id_idx"[^;]*;', "")
    with postgres.scratch("testgen") as url:
        mutated = run_tests(dest, url, runner)
    broken = failed(mutated)
    expected = {
        "user.test.ts > User (table users) unique users_email_key refuses a second row with the "
        "same email",
        "task.test.ts > Task (table tasks) check tasks_title_check refuses title = ''",
        "task.test.ts > Task (table tasks) foreign key tasks_project_id_fkey to Project deleting "
        "the Project deletes the row too (Cascade)",
        "task.test.ts > Task (table tasks) index tasks_assignee_id_idx serves a lookup by "
        "assigneeId",
        # the unique index served lookups by email too
        "user.test.ts > User (table users) index users_email_key serves a lookup by email",
    }
    assert broken == expected, sorted(broken)


def _fix_blog(dest: Path) -> None:
    """The blog sample's three deliberate mistakes (which Prisma refuses to generate a client
    for), put right in the copy."""
    schema = dest / "prisma" / "schema.prisma"
    text = schema.read_text()
    text = text.replace("handle    String\n", "handle    String   @unique\n", 1)
    text = text.replace("  posts     Post[]\n", "  posts     Post[]\n  comments  Comment[]\n", 1)
    text = text.replace(
        "references: [id], onDelete: SetNull)", "references: [id], onDelete: Cascade)"
    )
    schema.write_text(text)


def test_prisma_blog_tests_pass(postgres, tmp_path):
    """Int keys, an enum default, @updatedAt, a two-column index and an implicit many-to-many
    (the sample's mistakes put right in the copy)."""
    dest = prepare_prisma(SAMPLES / "prisma-blog", tmp_path / "prisma-blog", edit=_fix_blog)
    generate(dest)
    with postgres.scratch("testgen") as url:
        results = run_vitest(dest, url)
    assert failed(results) == set(), {k: results[k] for k in failed(results)}
    names = "\n".join(results)
    assert "index Post_authorId_publishedAt_idx" in names
    assert "updatedAt moves when the row is updated" in names
    assert sum(v == "passed" for v in results.values()) >= 25

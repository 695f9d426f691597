"""The tests `schemasense generate tests` writes for a Sequelize project pass, the schema built
by the project's migrations through umzug: sequelize-js (sequelize-cli layout, JavaScript
models) on a real PostgreSQL, and sequelize-ts (sequelize-typescript's model classes) on a
SQLite file, under Vitest and under Jest; and they bite: in a copy whose migrations lose a
unique and change two onDelete actions, exactly the matching generated tests fail; sequelize-js
switched to MariaDB (mysql2) likewise."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from schemasense.server.verify import databases
from schemasense.server.verify.databases import Unavailable

from tests.oracle.generated_tests.harness import (
    JEST_NEEDS,
    copy_project,
    edit_text,
    failed,
    generate,
    link_node_modules,
    run_tests,
    unavailable,
)

pytestmark = pytest.mark.oracle

SAMPLES = Path(__file__).resolve().parents[3] / "samples"
NEEDS = ("vitest", "sequelize", "umzug", "pg", "typescript")


@pytest.fixture(scope="module")
def postgres():
    reason = unavailable(NEEDS)
    if reason:
        pytest.skip(reason)
    try:
        server = databases.postgres_server()
    except Unavailable as exc:
        pytest.skip(str(exc))
    yield server
    server.close()


@pytest.mark.parametrize("runner", ["vitest", "jest"])
def test_sequelize_js_tests_pass_and_bite(postgres, tmp_path, runner):
    if runner == "jest" and unavailable(NEEDS + JEST_NEEDS):
        pytest.skip(unavailable(NEEDS + JEST_NEEDS))
    dest = copy_project(SAMPLES / "sequelize-js", tmp_path / "sequelize-js")
    link_node_modules(dest)
    generate(dest, "--runner", runner)
    with postgres.scratch("testgen") as url:
        results = run_tests(dest, url, runner)
    assert failed(results) == set(), {k: results[k] for k in failed(results)}
    names = "\n".join(results)
    for case in (
        "unique Users_email_key refuses a second row with the same email",
        "deleting the Team deletes the row too (Cascade)",
        "deleting the User sets authorId to NULL (SetNull)",
        "deleting the User is refused while the row points at it (NoAction)",
        "soft delete keeps the row and sets deletedAt",
        "updatedAt moves when the row is updated",
        "index posts_title_search serves a lookup by title",
    ):
        assert case in names, f"no generated test for {case}"
    assert sum(v == "passed" for v in results.values()) >= 55

    _mutate_sequelize_js(dest)
    with postgres.scratch("testgen") as url:
        mutated = run_tests(dest, url, runner)
    assert failed(mutated) == {
        "user.test.ts > User (table Users) unique Users_email_key refuses a second row with the "
        "same email",
        "membership.test.ts > Membership (table team_memberships) foreign key "
        "team_memberships_teamId_fkey to Team deleting the Team deletes the row too (Cascade)",
        "post.test.ts > Post (table Posts) foreign key Posts_authorId_fkey to User deleting the "
        "User sets authorId to NULL (SetNull)",
    }, sorted(failed(mutated))


def _mutate_sequelize_js(dest: Path) -> None:
    """sequelize-js's migrations lose Users.email's unique, Teams' CASCADE becomes NO ACTION
    and Posts.authorId's SET NULL becomes CASCADE."""
    first = dest / "migrations" / "20250301090000-create-users-and-teams.js"
    second = dest / "migrations" / "20250302090000-create-posts-comments-tags.js"
    edit_text(
        first,
        r"(email: \{\s*type: Sequelize.STRING\(320\),\s*allowNull: false,)\s*unique: true,",
        r"\1",
    )
    edit_text(
        first,
        r'(references: \{ model: "Teams", key: "id" \},\s*onUpdate: "CASCADE",\s*)'
        r'onDelete: "CASCADE"',
        r'\1onDelete: "NO ACTION"',
    )
    edit_text(
        second,
        r'(authorId: \{\s*type: Sequelize.INTEGER,\s*references: \{ model: "Users", key: "id" \},'
        r'\s*onUpdate: "CASCADE",\s*)onDelete: "SET NULL"',
        r'\1onDelete: "CASCADE"',
    )


TS_NEEDS = ("vitest", "sequelize", "sequelize-typescript", "reflect-metadata", "sqlite3", "umzug")


@pytest.mark.parametrize("runner", ["vitest", "jest"])
def test_sequelize_ts_tests_pass_and_bite_on_sqlite(tmp_path, runner):
    reason = unavailable(TS_NEEDS + (JEST_NEEDS if runner == "jest" else ()))
    if reason:
        pytest.skip(reason)
    dest = copy_project(SAMPLES / "sequelize-ts", tmp_path / "sequelize-ts")
    link_node_modules(dest)
    generate(dest, "--runner", runner)
    env = {"DATABASE_FILE": str(tmp_path / "test.sqlite")}
    results = run_tests(dest, "", runner, env=env)
    assert failed(results) == set(), {k: results[k] for k in failed(results)}
    names = "\n".join(results)
    for case in (
        "unique events_slug refuses a second row with the same slug",
        "unique tickets_event_id_seat refuses a second row with the same eventId, seat",
        "deleting the Organizer is refused while the row points at it (Restrict)",
        "deleting the Event deletes the row too (Cascade)",
        "soft delete keeps the row and sets deletedAt",
        "updatedAt moves when the row is updated",
        "index events_organizer_id_starts_at serves a lookup by organizerId, startsAt",
        "index event_tags_tag_id serves a lookup by tagId",
        "refuses a row whose parent does not exist",
    ):
        assert case in names, f"no generated test for {case}"
    assert sum(v == "passed" for v in results.values()) >= 45

    first = dest / "migrations" / "20250401090000-create-events-and-tickets.js"
    edit_text(
        first,
        r"addIndex\('events', \['slug'\], \{ unique: true, transaction \}\)",
        "addIndex('events', ['slug'], { transaction })",
    )
    edit_text(first, r"onDelete: 'CASCADE'(,\s*\},\s*seat:)", r"onDelete: 'NO ACTION'\1")
    edit_text(
        first,
        r"(references: \{ model: 'organizers', key: 'id' \},\s*onUpdate: 'CASCADE',\s*)"
        r"onDelete: 'RESTRICT'",
        r"\1onDelete: 'CASCADE'",
    )
    (tmp_path / "test.sqlite").unlink()
    mutated = run_tests(dest, "", runner, env=env)
    assert failed(mutated) == {
        "event.test.ts > Event (table events) unique events_slug refuses a second row with the "
        "same slug",
        "ticket.test.ts > Ticket (table tickets) foreign key on eventId to Event "
        "deleting the Event deletes the row too (Cascade)",
        "event.test.ts > Event (table events) foreign key on organizerId to Organizer "
        "deleting the Organizer is refused while the row points at it (Restrict)",
    }, sorted(failed(mutated))


MYSQL_NEEDS = ("vitest", "sequelize", "umzug", "mysql2", "typescript")


@pytest.fixture(scope="module")
def mysql():
    reason = unavailable(MYSQL_NEEDS)
    if reason:
        pytest.skip(reason)
    try:
        server = databases.mysql_server()
    except Unavailable as exc:
        pytest.skip(str(exc))
    yield server
    server.close()


def _on_mysql(dest: Path) -> None:
    """The copy on MariaDB / MySQL: its config's dialect, and JSON for its one JSONB (which
    MySQL has not), in the models and the migrations alike (as tests/oracle/
    test_sequelize_generate.py does)."""
    config = dest / "config" / "config.json"
    settings = json.loads(config.read_text())
    for env in settings.values():
        env.pop("use_env_variable", None)
        env["dialect"] = "mysql"
    config.write_text(json.dumps(settings, indent=2))
    for path in [*(dest / "models").glob("*.js"), *(dest / "migrations").glob("*.js")]:
        path.write_text(path.read_text().replace("JSONB", "JSON"))


def test_sequelize_js_tests_pass_and_bite_on_mariadb(mysql, tmp_path):
    """sequelize-js switched to MySQL / MariaDB in a scratch copy, under Vitest (Jest's
    set-up is the same but for the runner, proved on PostgreSQL): green, and the same three
    mutations as on PostgreSQL fail exactly their tests."""
    dest = copy_project(SAMPLES / "sequelize-js", tmp_path / "sequelize-mysql")
    link_node_modules(dest)
    _on_mysql(dest)
    generate(dest, "--runner", "vitest")
    with mysql.scratch("testgen") as url:
        results = run_tests(dest, url, "vitest")
    assert failed(results) == set(), {k: results[k] for k in failed(results)}
    names = "\n".join(results)
    for case in (
        "unique email refuses a second row with the same email",
        "deleting the Team deletes the row too (Cascade)",
        "deleting the User sets authorId to NULL (SetNull)",
        "soft delete keeps the row and sets deletedAt",
        "index name serves a lookup by name",
    ):
        assert case in names, f"no generated test for {case}"
    assert sum(v == "passed" for v in results.values()) >= 50

    _mutate_sequelize_js(dest)
    with mysql.scratch("testgen") as url:
        mutated = run_tests(dest, url, "vitest")
    # the unique is MySQL's index too: its plan test fails with it
    assert failed(mutated) == {
        "user.test.ts > User (table Users) unique email refuses a second row with the same email",
        "user.test.ts > User (table Users) index email serves a lookup by email",
        "post.test.ts > Post (table Posts) foreign key Posts_ibfk_1 to User deleting the User "
        "sets authorId to NULL (SetNull)",
        "membership.test.ts > Membership (table team_memberships) foreign key "
        "team_memberships_ibfk_1 to Team deleting the Team deletes the row too (Cascade)",
    }, sorted(failed(mutated))

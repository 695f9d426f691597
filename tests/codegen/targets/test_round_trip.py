"""Round trip on the corpus: replay, generate, apply everything to a real database.

For every migration folder of the corpus (cal.com and umami on PostgreSQL, umami on MariaDB,
pingvin-share and epic-stack on SQLite), as it is and with its newest migrations taken away
(so that the generated migration has to stand in for them):

1. `schemasense generate migration`'s path (`server/generate_migration`: the replay, the
   declared schema in database form, the diff) writes the migration into the folder;
2. the drift check (`server/drift`) on the folder with it reports nothing, and generating
   again gives nothing;
3. every migration, ours last, applied to a real database builds what the replay says
   (`server/verify` compare, zero differences);
4. our down migration brings the catalog back to the one before it (columns compared as a
   set: a column put back goes at the end), and up again builds the same catalog as in 3.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from schemasense.codegen.schema import Schema
from schemasense.server.drift.report import DriftChecker
from schemasense.server.migrations import read_set, replay
from schemasense.server.verify.apply import apply_mysql, apply_postgres
from schemasense.server.verify.compare import compare, format_differences
from schemasense.server.workflows.generate_migration import prepare, project, write_all
from schemasense.server.workspace.workspace import Workspace

from tests.codegen.targets.sandbox import Sandbox
from tests.conftest import CORPUS
from tests.verify.test_replay_matches_database import _mariadb_excuse

pytestmark = pytest.mark.corpus

SETS = {
    "calcom": ("calcom/packages/prisma", "postgresql"),
    "umami-postgresql": ("umami/db/postgresql", "postgresql"),
    "umami-mysql": ("umami/db/mysql", "mysql"),
    "pingvin-share": ("pingvin-share/backend/prisma", "sqlite"),
    "epic-stack": ("epic-stack/prisma", "sqlite"),
}
TAKEN_AWAY = (0, 1, 3)
"""How many of the newest migrations are removed before generating."""


@pytest.fixture(scope="module")
def boxes(request: pytest.FixtureRequest) -> Iterator[dict[str, Sandbox]]:
    out: dict[str, Sandbox] = {"sqlite": Sandbox("sqlite")}
    stack = []
    for provider, fixture in (("postgresql", "postgres_server"), ("mysql", "mysql_server")):
        try:
            server = request.getfixturevalue(fixture)
        except pytest.skip.Exception:
            continue
        scratch = server.scratch(prefix="ss_round")
        url = scratch.__enter__()
        stack.append(scratch)
        out[provider] = Sandbox(provider, url)
    try:
        yield out
    finally:
        for box in out.values():
            box.close()
        for scratch in reversed(stack):
            scratch.__exit__(None, None, None)


def _files(folder: Path) -> list[Path]:
    return sorted(folder.glob("*/migration.sql"), key=lambda p: p.parent.name)


def _build(box: Sandbox, files: list[Path], extra: list[str] = ()) -> Schema:  # type: ignore[assignment]
    box.build([])
    for f in files:
        sql = f.read_text(encoding="utf-8")
        if box.provider == "mysql":
            apply_mysql(box.conn, sql, skip=_mariadb_excuse(f))
        else:
            box.apply(sql)
    for sql in extra:
        if box.provider == "postgresql":
            apply_postgres(box.conn, sql)
        else:
            box.apply(sql)
    return box.introspect()


PARAMS = [pytest.param(name, k, id=f"{name}-minus{k}") for name in SETS for k in TAKEN_AWAY]


@pytest.mark.parametrize(("name", "taken_away"), PARAMS)
def test_round_trip(name: str, taken_away: int, tmp_path: Path, boxes) -> None:
    folder, provider = SETS[name]
    source = CORPUS / folder
    if not source.is_dir():
        pytest.skip(f"{folder} is not in the corpus")
    if provider not in boxes:
        pytest.skip(f"no {provider} server here")
    box = boxes[provider]
    project_dir = tmp_path / "project"
    shutil.copytree(source, project_dir)
    migrations = project_dir / "migrations"
    for f in _files(migrations)[len(_files(migrations)) - taken_away :] if taken_away else []:
        shutil.rmtree(f.parent)
    before_files = _files(migrations)

    proj = project(Workspace([str(project_dir)]), str(project_dir))
    prepared = prepare(proj, "schemasense_round_trip", renames=False)
    assert not prepared.migration.unsupported, prepared.migration.unsupported
    if taken_away and compare(replay(read_set(str(source / "migrations"))).schema, proj.migrated):
        assert not prepared.is_empty, "the removed migrations changed the schema"
    write_all(prepared.files)
    ours = next(p for p in _files(migrations) if p not in before_files)

    # 2. no drift left, nothing more to generate
    replayed = replay(read_set(str(migrations)))
    assert not [f for f in replayed.findings if f.severity == "error"], replayed.findings[:5]
    report = DriftChecker().check(proj.declared, replayed)
    assert not report.items, "\n".join(str(i.drift) for i in report.items[:20])
    again = prepare(project(Workspace([str(project_dir)]), str(project_dir)), renames=False)
    assert again.is_empty, again.migration.up.text[:2000]

    # 3. the database builds what the replay says
    after = _build(box, [*before_files, ours])
    differences = compare(replayed.schema, after, provider=provider)
    assert not differences, format_differences(differences, 30) + "\n\n" + ours.read_text()[:3000]

    # 4. down, and up again
    down = prepared.migration.down.text
    before = _build(box, before_files)
    back = _build(box, [*before_files, ours], [down])
    differences = [d for d in compare(before, back, provider=provider) if d.what != "column order"]
    assert not differences, format_differences(differences, 30) + "\n\ndown:\n" + down[:3000]
    up_again = _build(box, [*before_files, ours], [down, prepared.migration.up.text])
    differences = [
        d for d in compare(after, up_again, provider=provider) if d.what != "column order"
    ]
    assert not differences, format_differences(differences, 30)

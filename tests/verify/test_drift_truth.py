"""The drift report against the truth: two real databases, one built each way.

For each corpus project, the truth is built with no code of ours in the loop but the
introspector: Prisma's own SQL for the declared schema (`@prisma/schema-engine-wasm`,
`migrate diff --from-empty`, offline, on a copy of the schema without its datasource URLs) is
applied to one real database, the project's migration folder to another, both are introspected
(`server/verify/introspect_*`), and the two catalogs are compared under the drift rules' own
definition of drift (`server.drift.compare`). Our report comes from text alone: the declared
schema and the migration replay, no database. The two must be equal, item for item, and equal to
the project's known drift below.

What the comparison does not count as drift (`NOT_DRIFT`), every one of which the catalogs do
show and the test accounts for, difference by difference (`server.verify.compare` on the two
catalogs): column order and enum value order (Prisma compares sets), check constraints (a
Prisma schema cannot declare one), `NOT VALID`, a serial column's sequence name, `now()` against
`CURRENT_TIMESTAMP`. Views: Prisma's engine writes no SQL for a view, so the declared views are
added to the Prisma side by name before comparing (drift compares views by name only).

Real drift in the corpus (the truth, and our report):

- cal.com (PostgreSQL), 8 items:
  - four indexes the migrations create by hand that the schema does not declare: the
    expression indexes `RoutingFormResponseField_valueString_idx` and
    `RoutingFormResponseDenormalized_bookingAssignmentReason_idx` (`LOWER(...)`), and the
    partial unique indexes `Team_slug_parentId_key_null` and
    `users_username_organizationId_key_null`;
  - the implicit many-to-many tables `_user_eventtype` and `_PlatformOAuthClientToUser`: the
    migrations built them the Prisma 4 way, with a unique index `_AB_unique`, where Prisma 5+
    gives them a primary key `_AB_pkey` (two items each: the key only in the schema, the index
    only in the migrations).
  Not drift but in the catalogs: column order in 40 tables, value order in 6 enums, 4 check
  constraints (`Agent_owner_check`, `CalAiPhoneNumber_owner_check` and two on
  `UserFilterSegmentPreference`), `CalendarCache.updatedAt` `now()` against
  `CURRENT_TIMESTAMP`, `VerificationToken.id` on the sequence `VerificationRequest_id_seq`
  (the table was renamed). Its 3 views (`RoutingFormResponse`, `BookingTimeStatus`,
  `BookingTimeStatusDenormalized`) are created by the migrations, as declared.
- umami (PostgreSQL): none (column order in 6 tables).
- pingvin-share (SQLite): none (column order in `User`).
- epic-stack (SQLite): none.

umami's MySQL folder has no truth here: the schema engine panics on MySQL inside the wasm
(`../shared/notes/prisma-oracle.md`).
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass
from pathlib import Path

import pytest
from schemasense.codegen.schema import Schema, Table
from schemasense.server.drift import NOT_DRIFT, DriftComparer
from schemasense.server.drift.report import DriftChecker, managed_schemas
from schemasense.server.migrations import read_set, replay
from schemasense.server.sources.prisma import read_prisma_schema
from schemasense.server.verify.apply import apply_postgres
from schemasense.server.verify.compare import Difference, compare
from schemasense.server.verify.databases import Server, connect, introspect

from tests.codegen.prisma_wasm import migration_sql, oracle_missing
from tests.conftest import CORPUS
from tests.oracle.prisma import strip_for_prisma7


@dataclass(frozen=True)
class Project:
    id: str
    folder: str  # holds schema.prisma and migrations/
    provider: str
    drift: tuple[str, ...]
    """The project's real drift, as `str(Drift)` reads."""


CALCOM_DRIFT = (
    'table "RoutingFormResponseDenormalized" index '
    '"RoutingFormResponseDenormalized_bookingAssignmentReason_idx": only in the migrations',
    'table "RoutingFormResponseField" index "RoutingFormResponseField_valueString_idx": '
    "only in the migrations",
    'table "Team" index "Team_slug_parentId_key_null": only in the migrations',
    'table "_PlatformOAuthClientToUser" primary key: only in the schema',
    'table "_PlatformOAuthClientToUser" index "_PlatformOAuthClientToUser_AB_unique": '
    "only in the migrations",
    'table "_user_eventtype" primary key: only in the schema',
    'table "_user_eventtype" index "_user_eventtype_AB_unique": only in the migrations',
    'table "users" index "users_username_organizationId_key_null": only in the migrations',
)

PROJECTS = [
    Project("calcom", "calcom/packages/prisma", "postgresql", CALCOM_DRIFT),
    Project("umami", "umami/db/postgresql", "postgresql", ()),
    Project("pingvin-share", "pingvin-share/backend/prisma", "sqlite", ()),
    Project("epic-stack", "epic-stack/prisma", "sqlite", ()),
]


@dataclass
class Truth:
    declared: Schema
    prisma_db: Schema
    migrations_db: Schema


_TRUTH: dict[str, Truth] = {}


def migration_files(folder: Path) -> list[Path]:
    return sorted(folder.glob("*/migration.sql"), key=lambda p: p.parent.name)


def _build(project: Project, server: Server | None, tmp: Path) -> Truth:
    folder = CORPUS / project.folder
    text = (folder / "schema.prisma").read_text(encoding="utf-8")
    read = read_prisma_schema({str(folder / "schema.prisma"): text})
    assert not [f for f in read.findings if f.severity == "error"], read.findings[:3]
    sql = migration_sql(strip_for_prisma7(text), project.provider)
    files = migration_files(folder / "migrations")
    if project.provider == "sqlite":
        databases = []
        for name, scripts in (("prisma", [sql]), ("migrations", [f.read_text() for f in files])):
            path = tmp / f"{name}.db"
            conn = sqlite3.connect(path)
            try:
                for script in scripts:
                    conn.executescript(script)
            finally:
                conn.close()
            databases.append(introspect(f"sqlite:///{path}"))
        return Truth(read.schema, *databases)
    assert server is not None
    with (
        server.scratch(prefix="ss_drift") as prisma_url,
        server.scratch(prefix="ss_drift") as migrations_url,
    ):
        conn = connect(prisma_url, autocommit=False)
        try:
            apply_postgres(conn, sql)
        finally:
            conn.close()
        conn = connect(migrations_url, autocommit=False)
        try:
            for file in files:
                apply_postgres(conn, file.read_text(encoding="utf-8"))
        finally:
            conn.close()
        return Truth(read.schema, introspect(prisma_url), introspect(migrations_url))


@pytest.fixture
def truth(request: pytest.FixtureRequest, tmp_path_factory):
    def get(project: Project) -> Truth:
        if (reason := oracle_missing()) is not None:
            pytest.skip(reason)
        if not (CORPUS / project.folder / "migrations").is_dir():
            pytest.skip(f"{project.folder} is not in the corpus ({CORPUS})")
        server = None
        if project.provider == "postgresql":
            server = request.getfixturevalue("postgres_server")
        if project.id not in _TRUTH:
            _TRUTH[project.id] = _build(project, server, tmp_path_factory.mktemp(project.id))
        return _TRUTH[project.id]

    return get


def _with_declared_views(prisma_db: Schema, declared: Schema) -> Schema:
    """The Prisma side with the declared views by name (the engine writes none)."""
    views = [
        Table(name=t.name, db_schema=None if t.db_schema == "public" else t.db_schema, kind="view")
        for t in declared.tables
        if t.kind == "view"
    ]
    return prisma_db.model_copy(update={"tables": [*prisma_db.tables, *views]})


def true_drift(t: Truth, provider: str) -> list[str]:
    prisma = _with_declared_views(t.prisma_db, t.declared)
    drift = DriftComparer().compare(
        prisma, t.migrations_db, provider=provider, managed_schemas=managed_schemas(t.declared)
    )
    return [str(d) for d in drift]


@pytest.mark.corpus
@pytest.mark.oracle
@pytest.mark.parametrize("project", PROJECTS, ids=[p.id for p in PROJECTS])
def test_our_drift_equals_the_truth(project: Project, truth) -> None:
    t = truth(project)
    folder = CORPUS / project.folder / "migrations"
    migration_set = read_set(str(folder))
    assert migration_set is not None
    report = DriftChecker().check(t.declared, replay(migration_set))
    assert report.problems == ()
    ours = [str(item.drift) for item in report.items]
    expected = true_drift(t, project.provider)
    assert ours == expected, "\n".join(
        [f"ours only:  {x}" for x in ours if x not in expected]
        + [f"truth only: {x}" for x in expected if x not in ours]
    )
    assert tuple(expected) == project.drift, "the corpus drifts otherwise than the docstring says"


# -- every catalog difference is drift, or a kind the docstring names ----------------------------


def _items(text: str | None) -> list[str]:
    return (text or "").strip("()").split(", ") if text else []


def not_drift_kind(d: Difference) -> str | None:
    """Which `NOT_DRIFT` kind a raw catalog difference is, or None (then it must be drift)."""
    if d.what == "column order":
        return "column order"
    if d.where.startswith("enum ") and d.what == "values":
        return "enum value order" if sorted(_items(d.left)) == sorted(_items(d.right)) else None
    if ' check "' in d.where:
        return "check"
    if d.what == "not valid":
        return "not valid"
    if d.what == "default":
        if all(re.fullmatch(r"nextval\('.*'\)", v or "") for v in (d.left, d.right)):
            return "sequence name"
        if {d.left, d.right} == {"now()", "current_timestamp"}:
            return "now()"
    return None


@pytest.mark.corpus
@pytest.mark.oracle
@pytest.mark.parametrize("project", PROJECTS, ids=[p.id for p in PROJECTS])
def test_every_catalog_difference_is_drift_or_named(project: Project, truth) -> None:
    t = truth(project)
    prisma = _with_declared_views(t.prisma_db, t.declared)
    raw = compare(prisma, t.migrations_db, provider=project.provider)
    drift_objects = {s.split(": ", 1)[0] for s in true_drift(t, project.provider)}
    unexplained = []
    for d in raw:
        kind = not_drift_kind(d)
        if kind is not None:
            assert kind in NOT_DRIFT
            continue
        where = d.where.replace(' unique "', ' index "')
        if where not in drift_objects and not any(o.startswith(where) for o in drift_objects):
            unexplained.append(str(d))
    assert unexplained == []

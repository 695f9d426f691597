"""Our drift report equals the truth, on the TypeORM samples and each edit of their entities.

The truth: TypeORM's own `synchronize` of the (edited) entities on one fresh database, TypeORM's
runner over the project's migrations on another, both introspected (`server/verify`) and
compared; TypeORM's bookkeeping tables aside. Ours: the drift findings (DB3xx) of the project's
analysis and the migration `generate` would write. They must agree on whether there is drift at
all, and on which tables differ.

The same on the corpus chains that can be loaded (entities' DDL by TypeORM with no database,
applied to one database; the chain run by TypeORM's runner on another): the tables that differ
are the tables our generated migration changes.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from schemasense.server.verify.compare import compare, format_differences
from schemasense.server.workflows.generate_migration import DRIFT_CODES, prepare, project_of
from schemasense.server.workspace.workspace import Workspace

from tests.oracle.typeorm.harness import compile_sample, unavailable
from tests.oracle.typeorm.test_entities import _synchronize
from tests.oracle.typeorm.test_generated_migrations import (
    NEST,
    SQLITE,
    _catalog,
    _copy,
    _fix_sqlite_index_import,
    _run,
    _Scratch,
)

pytestmark = pytest.mark.oracle

CASES = [("typeorm-nest", "none")] + [("typeorm-nest", n) for n in sorted(NEST)]
CASES += [("typeorm-sqlite", n) for n in sorted(SQLITE)]


def _tables_of_truth(differences) -> set[str]:
    out = set()
    for d in differences:
        m = re.search(r'table "([^"]+)"', d.where)
        if m:
            out.add(m.group(1))
    return out


def _tables_of_plan(operations) -> set[str]:
    out = set()
    for op in operations:
        table = getattr(op, "table", None)
        if isinstance(table, str):
            out.add(table)
        elif table is not None and hasattr(table, "name"):
            out.add(table.name)
        for t in getattr(op, "tables", ()):
            out.add(t.after.name)
    return out


def _ours(project: Path) -> tuple[list, list]:
    """(drift findings, the generated migration's operations) for the project's DataSource."""
    source = str(project / "src" / "data-source.ts")
    workspace = Workspace([str(project)])
    unit = workspace.unit_for(source)
    analysis = workspace.analyze(unit)
    drift = [f for f in analysis.findings if f.code in DRIFT_CODES]
    prepared = prepare(project_of(workspace, unit), renames=False)
    return drift, list(prepared.migration.plan.operations)


@pytest.mark.parametrize("sample,name", CASES)
def test_drift_equals_the_truth(sample, name, request, tmp_path):
    reason = unavailable()
    if reason:
        pytest.skip(reason)
    edits = NEST if sample == "typeorm-nest" else SQLITE
    project = _copy(sample, tmp_path / "project")
    if name != "none":
        edits[name][0](project)
    if sample == "typeorm-sqlite":
        _fix_sqlite_index_import(project)
    dist = compile_sample(project, tmp_path / "build")
    if sample == "typeorm-nest":
        scratch = _Scratch(request.getfixturevalue("postgres"))
    else:
        scratch = _Scratch()
    with scratch() as url_entities, scratch() as url_migrations:
        entities_file = str(tmp_path / "entities.sqlite")
        _synchronize(
            dist,
            tmp_path / "build",
            {"DATABASE_URL": url_entities(), "SQLITE_FILE": entities_file},
        )
        _run(dist, "before", "", url=url_migrations(), sqlite_out=str(tmp_path / "m.sqlite"))
        declared = _catalog(url_entities() or f"sqlite:///{entities_file}")
        migrated = _catalog(url_migrations() or f"sqlite:///{tmp_path / 'm.sqlite'}")
    truth = compare(migrated, declared, exact=True, left_name="migrations", right_name="entities")
    # the order of a table's columns is no drift: neither TypeORM's schema builder nor our
    # rules act on it (a relation's join column comes last in synchronize, where the
    # migration wrote it)
    truth = [d for d in truth if d.what != "column order"]
    drift, operations = _ours(project)
    summary = (
        f"truth ({len(truth)}):\n{format_differences(truth)}\n"
        f"drift ({len(drift)}): {[f.message for f in drift]}\n"
        f"plan: {[type(op).__name__ for op in operations]}"
    )
    tables = _tables_of_truth(truth)
    if sample == "typeorm-sqlite":  # the SQLite catalog reader skips CHECKs: read them here
        checks = _sqlite_check_tables(entities_file, str(tmp_path / "m.sqlite"))
        tables |= checks
        summary += f"\ntables whose CHECKs differ (sqlite_master): {sorted(checks)}"
    assert bool(tables) == bool(drift) == bool(operations), summary
    assert tables == _tables_of_plan(operations), summary


def _sqlite_check_tables(a: str, b: str) -> set[str]:
    """Tables whose named CHECK constraints differ between two SQLite files, read from the
    tables' own DDL in `sqlite_master` (TypeORM names a check `CHK_<sha1 of table and
    condition>`, so another condition is another name)."""
    import sqlite3

    def named(path: str) -> dict[str, set[str]]:
        with sqlite3.connect(path) as db:
            rows = db.execute("SELECT name, sql FROM sqlite_master WHERE type = 'table'")
            return {
                n: set(re.findall(r'CONSTRAINT\s+"([^"]+)"\s+CHECK', sql or "", re.I))
                for n, sql in rows
            }

    left, right = named(a), named(b)
    return {t for t in left.keys() & right.keys() if left[t] != right[t]}


# -- the corpus ---------------------------------------------------------------------------------

CORPUS_CHAINS = ["jellyseerr-sqlite", "jellyseerr-postgres", "awesome-nest", "express-ts"]
"""The corpus chains whose entities TypeORM can load here and whose migrations it can run
from empty and we link to the entity set. Not here: medusa-v1 (its DataSource builds the
migrations list at run time: we link none, so there is no drift to compare), flowise (its
chains stop on a table of a folder the corpus does not keep)."""
TYPES = {"postgresql": "postgres", "sqlite": "sqljs", "mysql": "mariadb"}


def corpus_truth(label: str, servers, tmp: Path) -> dict:
    """The truth and our report for a corpus chain: the tables that differ, either way."""
    from schemasense.server.sources.typeorm.reader import read_typeorm
    from schemasense.server.sources.typeorm.source import TypeOrmSource
    from schemasense.server.verify import databases

    from tests.oracle.typeorm import test_corpus_entities as ce
    from tests.oracle.typeorm import test_migrations_oracle as mo
    from tests.oracle.typeorm.entities import compile_files, corpus_ddl

    project, _folder, dialect = mo._project(label)
    migrated, _ran = mo._database(label, servers, tmp / "migrations")
    root = ce.CORPUS / project.name / ce.PROJECTS[project.name]
    unit = TypeOrmSource().find_units(str(root), ce._Files())[0]
    texts = {f: ce._Files().text_of(f) or "" for f in unit.files}
    read = read_typeorm(texts, type_override=TYPES[dialect])
    files = [f for f in unit.files if f.endswith(".ts")]
    base = Path(os.path.commonpath(files))
    compiled = compile_files(files, base, tmp / "entities", read.version)
    entity_files = [compiled[f] for f in files if f in compiled and "Entity(" in texts[f]]
    naming = read.datasource.naming if read.datasource is not None else "default"
    ddl = corpus_ddl(read.type, naming, entity_files, tmp / "entities", alias="@" + base.name)
    unbuilt = {u["table"] for u in ddl.get("unbuilt", [])}
    if dialect == "sqlite":
        declared, failed = ce._sqlite(ddl["statements"], tmp)
    else:
        with servers[dialect].scratch(prefix="typeorm_gen") as url:
            failed = ce._run_each(url, ddl["statements"], read.family)
            declared = databases.introspect(url)
    # a table TypeORM cannot build here (its enum is in a file the corpus does not keep) is
    # left out on both sides, with the keys and enums that lead to it
    unbuilt |= {m.group(1) for f in failed if (m := ce._CREATED.match(f)) and "exists" not in f}
    gone = {*unbuilt, *mo.BOOKKEEPING}

    def kept(schema):
        tables = [t for t in schema.tables if t.name not in gone]
        return schema.model_copy(update={"tables": tables})

    if dialect == "sqlite":
        migrated, declared = mo._without_checks(migrated), mo._without_checks(declared)
    truth = [
        d
        for d in compare(kept(migrated), kept(declared), provider=dialect)
        if d.what != "column order" and not _leads_to(d, unbuilt, migrated, declared)
    ]
    workspace = Workspace([str(project)])
    [ours] = [u for u in workspace.units_at(str(project)) if u.kind == "typeorm"]
    plan = prepare(project_of(workspace, ours), renames=False).migration.plan
    return {
        "dialect": dialect,
        "our dialect": plan.provider,
        "unbuilt": sorted(unbuilt),
        "truth": truth,
        "truth tables": _tables_of_truth(truth),
        "our tables": _tables_of_plan(plan.operations) - unbuilt,
    }


def _leads_to(difference, unbuilt: set[str], *schemas) -> bool:
    """A foreign key to a table TypeORM could not build, or an enum only such tables use."""
    m = re.match(r'table "([^"]+)" foreign key "([^"]+)"', difference.where)
    if m is not None:
        for schema in schemas:
            table = schema.table(m.group(1))
            keys = table.foreign_keys if table else []
            fk = next((f for f in keys if f.name == m.group(2)), None)
            if fk is not None and fk.referenced_table in unbuilt:
                return True
        return False
    m = re.match(r'enum "([^"]+)"', difference.where)
    if m is not None:
        enum = m.group(1)
        users = {
            t.name for s in schemas for t in s.tables for c in t.columns if c.type.enum == enum
        }
        return bool(users) and users <= unbuilt
    return False


@pytest.fixture(scope="module")
def servers():
    from schemasense.server.verify import databases
    from schemasense.server.verify.databases import Unavailable

    found: dict[str, object] = {}
    for dialect, make in (
        ("postgresql", databases.postgres_server),
        ("mysql", databases.mysql_server),
    ):
        try:
            found[dialect] = make()
        except Unavailable as exc:
            found[dialect] = str(exc)
    yield found
    for server in found.values():
        if not isinstance(server, str):
            server.close()  # type: ignore[attr-defined]


@pytest.mark.corpus
@pytest.mark.parametrize("label", CORPUS_CHAINS)
def test_corpus_drift_equals_the_truth(label, servers, tmp_path):
    from tests.conftest import corpus_available

    reason = unavailable() or corpus_available()
    if reason:
        pytest.skip(reason)
    found = corpus_truth(label, servers, tmp_path)
    if found["our dialect"] != found["dialect"]:
        pytest.skip(
            f"{label}: the project's DataSource is {found['our dialect']}; our drift is computed "
            f"against that chain, not the {found['dialect']} one"
        )
    assert found["truth tables"] == found["our tables"], (
        f"{label}: truth {sorted(found['truth tables'])} != ours {sorted(found['our tables'])}\n"
        + format_differences(found["truth"], limit=40)
    )

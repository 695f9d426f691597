"""Our drift report equals the truth, on the TypeORM samples and each edit of their entities.

The truth: TypeORM's own `synchronize` of the (edited) entities on one fresh database, TypeORM's
runner over the project's migrations on another, both introspected (`server/verify`) and
compared; TypeORM's bookkeeping tables aside. Ours: the drift findings (DB3xx) of the project's
analysis and the migration `generate` would write. They must agree on whether there is drift at
all, and on which tables differ.
"""

from __future__ import annotations

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
    postgres,  # noqa: F401 - the fixture
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
    assert bool(truth) == bool(drift) == bool(operations), summary
    assert _tables_of_truth(truth) == _tables_of_plan(operations), summary

"""Our read of TypeORM entities equals what TypeORM itself builds for them (issue 12, item 7).

For each sample: its TypeScript compiled with `tsc`, TypeORM (the version the sample declares)
builds the metadata and writes its own `CREATE TABLE` SQL with no database
(entity_ddl.cjs); then
1. our SQL for the entities (`codegen/orms/typeorm/create_sql.py` over our metadata) is TypeORM's,
   statement for statement (whitespace aside);
2. TypeORM's SQL applied to a real PostgreSQL (the nest sample) / SQLite (the sqlite sample)
   and introspected equals our schema model (`compare`: tables, columns, types, nullability,
   defaults, keys, indexes, checks, enums) with zero differences.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from schemasense.codegen.orms.typeorm.create_sql import create_statements
from schemasense.server.verify import databases
from schemasense.server.verify.apply import apply
from schemasense.server.verify.compare import compare, format_differences
from schemasense.server.verify.databases import Unavailable

from tests.oracle.typeorm.entities import agreement, normalized, our_read, typeorm_ddl
from tests.oracle.typeorm.harness import compile_sample, unavailable

pytestmark = pytest.mark.oracle

SAMPLES = Path(__file__).resolve().parents[3] / "samples"


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    reason = unavailable()
    if reason:
        pytest.skip(reason)
    out = {}
    for name in ("typeorm-nest", "typeorm-sqlite"):
        folder = tmp_path_factory.mktemp(name)
        dist = compile_sample(SAMPLES / name, folder)
        out[name] = typeorm_ddl(dist / "data-source.js", "AppDataSource", folder)
    return out


@pytest.mark.parametrize("name", ["typeorm-nest", "typeorm-sqlite"])
def test_our_sql_is_typeorms(name, built):
    read = our_read(SAMPLES / name)
    assert [f for f in read.findings if f.severity == "error"] == []
    ours = sorted(normalized(s) for s in create_statements(read.family, read.tables))
    theirs = sorted(normalized(s) for s in built[name]["statements"])
    assert len(theirs) >= 10
    assert ours == theirs


def _introspected_sqlite(statements: list[str], tmp_path: Path):
    path = tmp_path / "typeorm.sqlite"
    conn = sqlite3.connect(path)
    conn.executescript(";\n".join(statements) + ";")
    conn.close()
    return databases.introspect(f"sqlite:///{path}")


def test_nest_sample_equals_typeorm_on_postgres(built, postgres):
    read = our_read(SAMPLES / "typeorm-nest")
    with postgres.scratch() as url:
        apply(url, 'CREATE EXTENSION IF NOT EXISTS "uuid-ossp";\n' + ";\n".join(
            built["typeorm-nest"]["statements"]) + ";")  # fmt: skip
        truth = databases.introspect(url)
    differences = compare(read.schema, truth, left_name="schemasense", right_name="TypeORM")
    assert differences == [], format_differences(differences)
    counts = agreement(read.schema, truth)
    assert counts["tables"] == counts["tables_total"] == 5
    assert counts["columns"] == counts["columns_total"]


def test_sqlite_sample_equals_typeorm_on_sqlite(built, tmp_path):
    read = our_read(SAMPLES / "typeorm-sqlite")
    truth = _introspected_sqlite(built["typeorm-sqlite"]["statements"], tmp_path)
    # the SQLite introspection reads no CHECK constraints (server/verify/introspect_sqlite.py);
    # ours are held to TypeORM's text by test_our_sql_is_typeorms
    assert {c.name for t in read.schema.tables for c in t.checks} == {
        "CHK_4edb93820175002da69dd6f40f",
        "",
    }
    ours = read.schema.model_copy(
        update={"tables": [t.model_copy(update={"checks": []}) for t in read.schema.tables]}
    )
    differences = compare(ours, truth, left_name="schemasense", right_name="TypeORM")
    assert differences == [], format_differences(differences)
    counts = agreement(read.schema, truth)
    assert counts["tables"] == counts["tables_total"] == 6


def test_the_comparison_sees_a_wrong_name(built, tmp_path):
    """The check can fail: a column our read names differently is a difference."""
    read = our_read(SAMPLES / "typeorm-sqlite")
    truth = _introspected_sqlite(built["typeorm-sqlite"]["statements"], tmp_path)
    book = read.schema.table("book")
    assert book is not None
    renamed = book.model_copy(
        update={
            "columns": [
                c.model_copy(update={"name": "price_cents"}) if c.name == "priceCents" else c
                for c in book.columns
            ]
        }
    )
    schema = read.schema.model_copy(
        update={"tables": [renamed if t.name == "book" else t for t in read.schema.tables]}
    )
    assert compare(schema, truth) != []


def _synchronize(dist: Path, cwd: Path, env: dict[str, str]) -> dict:
    import json
    import os
    import subprocess

    from tests.oracle.prisma import _node
    from tests.oracle.typeorm.harness import NODE_MODULES

    script = Path(__file__).with_name("synchronize_sample.cjs")
    proc = subprocess.run(
        [_node() or "node", "--preserve-symlinks", str(script), str(dist / "data-source.js"),
         "AppDataSource"],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=cwd,
        env={
            **os.environ,
            **env,
            "NODE_PATH": os.pathsep.join([str(cwd / "node_modules"), str(NODE_MODULES)]),
        },
    )  # fmt: skip
    if proc.returncode != 0:
        raise AssertionError(f"TypeORM failed:\n{proc.stderr[-4000:]}")
    return json.loads(proc.stdout)


def test_nest_sample_equals_typeorms_synchronize_on_postgres(postgres, tmp_path):
    """TypeORM's own `synchronize` (the schema builder, not the SQL-memory trick) on a real
    PostgreSQL builds what we read."""
    reason = unavailable()
    if reason:
        pytest.skip(reason)
    dist = compile_sample(SAMPLES / "typeorm-nest", tmp_path)
    read = our_read(SAMPLES / "typeorm-nest")
    with postgres.scratch() as url:
        result = _synchronize(dist, tmp_path, {"DATABASE_URL": url})
        truth = databases.introspect(url)
    assert result["pending"] == []
    truth = truth.model_copy(
        update={"tables": [t for t in truth.tables if t.name != "typeorm_metadata"]}
    )
    differences = compare(read.schema, truth, left_name="schemasense", right_name="TypeORM")
    assert differences == [], format_differences(differences)


def test_sqlite_sample_equals_typeorms_synchronize(tmp_path):
    reason = unavailable()
    if reason:
        pytest.skip(reason)
    dist = compile_sample(SAMPLES / "typeorm-sqlite", tmp_path)
    read = our_read(SAMPLES / "typeorm-sqlite")
    file = tmp_path / "synchronized.sqlite"
    result = _synchronize(dist, tmp_path, {"SQLITE_FILE": str(file)})
    assert result["pending"] == []
    truth = databases.introspect(f"sqlite:///{file}")
    ours = read.schema.model_copy(
        update={"tables": [t.model_copy(update={"checks": []}) for t in read.schema.tables]}
    )
    differences = compare(ours, truth, left_name="schemasense", right_name="TypeORM")
    assert differences == [], format_differences(differences)


@pytest.fixture(scope="module")
def mariadb():
    try:
        server = databases.mysql_server()
    except Unavailable as exc:
        pytest.skip(str(exc))
    yield server
    server.close()


def test_sqlite_sample_as_mariadb_equals_typeorm(mariadb, tmp_path):
    """The same entities on MariaDB (TypeORM's MySQL driver: unique columns and @Unique as
    unique indexes, enums inline, no checks, DATETIME(6) dates): our SQL is TypeORM's, and
    TypeORM's applied to MariaDB and introspected is our schema."""
    from schemasense.server.sources.typeorm.reader import read_typeorm

    from tests.oracle.typeorm.entities import project_texts
    from tests.oracle.typeorm.harness import NODE_MODULES

    reason = unavailable()
    if reason:
        pytest.skip(reason)
    if not (NODE_MODULES / "mysql2").is_dir():
        pytest.skip("npm package mysql2 missing: run `npm ci` at the repository root")
    sample = SAMPLES / "typeorm-sqlite"
    dist = compile_sample(sample, tmp_path)
    built = typeorm_ddl(dist / "data-source.js", "AppDataSource", tmp_path, "mariadb")
    texts = project_texts(sample)
    read = read_typeorm(texts, (sample / "package.json").read_text(), type_override="mariadb")
    ours = sorted(normalized(s) for s in create_statements(read.family, read.tables))
    assert ours == sorted(normalized(s) for s in built["statements"])
    with mariadb.scratch() as url:
        conn = databases.connect(url)
        try:
            for statement in built["statements"]:
                conn.cursor().execute(statement)
        finally:
            conn.close()
        truth = databases.introspect(url)
    differences = compare(read.schema, truth, left_name="schemasense", right_name="TypeORM")
    assert differences == [], format_differences(differences)
    assert agreement(read.schema, truth)["tables"] == 6

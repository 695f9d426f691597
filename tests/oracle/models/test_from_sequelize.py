"""Proof for Sequelize models as the source (issue 12/13 item 6): samples/sequelize-js (PostgreSQL)
becomes TypeORM entities that compile with `tsc` (strict, decorator metadata) and whose
TypeORM DDL builds the models' catalog, and a Prisma schema that Prisma's validator accepts and
whose engine SQL builds it too.

The models' catalog is our read of them (tests/oracle/sequelize holds the Sequelize source equal
to what Sequelize's own `sync()` builds). Differences must be of a named inherent kind:
Sequelize's `updatedAt` is set by Sequelize with no default, TypeORM's @UpdateDateColumn has one;
Prisma has no unique constraints (@unique is a unique index of the same name) and no partial
indexes (kept as a comment).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from schemasense.codegen.emit.models.prisma import prisma_schema
from schemasense.server.verify import databases
from schemasense.server.verify.compare import compare
from schemasense.server.verify.databases import Unavailable

from tests.codegen.prisma_wasm import oracle_missing, validate_all
from tests.oracle.models.cross import (
    compile_strict,
    read_schema,
    typeorm_catalog,
    typeorm_statements,
    write_entities,
)
from tests.oracle.models.test_typeorm_to_prisma import prisma_catalog
from tests.oracle.typeorm.harness import unavailable

pytestmark = pytest.mark.oracle

SAMPLE = Path(__file__).resolve().parents[3] / "samples" / "sequelize-js"


@pytest.fixture(scope="module")
def server():
    reason = oracle_missing() or unavailable()
    if reason:
        pytest.skip(reason)
    try:
        found = databases.postgres_server()
    except Unavailable as exc:
        pytest.skip(str(exc))
    yield found
    found.close()


def test_typeorm_entities_from_sequelize_models(server, tmp_path):
    source = read_schema(SAMPLE)
    write_entities(source, tmp_path)
    ok, messages = compile_strict(tmp_path)
    assert ok, messages[:4000]
    with server.scratch("models_typeorm") as url:
        built = typeorm_catalog(typeorm_statements(tmp_path), url)
    differences = [
        str(d) for d in compare(source, built, left_name="Sequelize", right_name="TypeORM")
    ]
    updated = re.compile(r'column "(updatedAt|updated_at)": default none \(Sequelize\) != now\(\)')
    assert [d for d in differences if not updated.search(d)] == []
    assert len(built.tables) == len(source.tables) == 8
    assert sum(len(t.foreign_keys) for t in built.tables) == sum(
        len(t.foreign_keys) for t in source.tables
    )


def test_prisma_schema_from_sequelize_models(server, tmp_path):
    source = read_schema(SAMPLE)
    text = prisma_schema(source)
    [verdict] = validate_all([text])
    assert verdict.ok, verdict.error[:3000]
    built = prisma_catalog(text, "postgresql", tmp_path, server)
    differences = [
        str(d) for d in compare(source, built, left_name="Sequelize", right_name="Prisma")
    ]
    constraint = {
        m.group(1)
        for d in differences
        if (m := re.search(r'unique "([^"]+)": only in the Sequelize', d))
    }
    index = {
        m.group(1)
        for d in differences
        if (m := re.search(r'index "([^"]+)": only in the Prisma', d))
    }
    partial = {i.name for t in source.tables for i in t.indexes if i.predicate}
    assert constraint == index and len(constraint) == 3
    other = [d for d in differences if not any(f'"{n}"' in d for n in constraint | partial)]
    assert other == []
    assert len(built.tables) == 8

"""Broken and hostile code never makes a query reader raise (robustness issue, item 1).

Every mutation kind of tests/fuzz/mutations.py (a byte flipped, the text cut, a piece
duplicated, a token inserted, invalid UTF-8, NUL, a lone surrogate, a 1 MB line, brackets 500
deep) applied to real query code of each ORM — the samples' test code and the readers'
fixtures — is read by the Prisma Client, TypeORM and Sequelize readers against the sample's
declared schema, and the SQL of raw calls by the planner's SQL reader in each dialect: no
exception, every span inside the text, every query judged by the planner without raising.
`python -m tests.fuzz.run` runs the long version (readers `queries` and `query-sql`).
"""

from __future__ import annotations

import random
from functools import cache
from pathlib import Path

import pytest
from schemasense.codegen.queries.serve import judge
from schemasense.codegen.queries.sql import read_sql_queries
from schemasense.codegen.schema import Schema
from schemasense.server.queries.prisma_client import read_prisma_queries
from schemasense.server.queries.sequelize import read_sequelize_queries
from schemasense.server.queries.typeorm import read_typeorm_queries
from schemasense.server.sources.typescript import read_module
from schemasense.server.workspace.workspace import Workspace

from tests.fuzz.mutations import KINDS, mutate

REPO = Path(__file__).resolve().parents[3]
FIXTURES = Path(__file__).with_name("fixtures")
READERS = {
    "prisma": (read_prisma_queries, "prisma-clean", "test/db/*.ts"),
    "typeorm": (read_typeorm_queries, "typeorm-nest", "test/**/*.ts"),
    "sequelize": (read_sequelize_queries, "sequelize-js", "test/**/*.ts"),
}
SQL = """SELECT p.* FROM products p JOIN categories c ON c.id = p.category_id
WHERE p.category_id = $1 AND p.price BETWEEN $2 AND $3 AND lower(p.name) LIKE 'ab%'
  AND (p.deleted_at IS NULL OR p.stock > 0) ORDER BY p.created_at DESC LIMIT 20;
UPDATE products SET stock = stock - 1 WHERE id = $1 AND stock > 0;
DELETE FROM tags WHERE name IN ('a', 'b') OR NOT (id < 3);"""


@cache
def _schema(sample: str) -> Schema:
    workspace = Workspace([str(REPO / "samples" / sample)])
    [unit] = [u for u in workspace.units() if u.key.startswith(str(REPO / "samples" / sample))]
    return workspace.analyze(unit).read.schema


@cache
def _seeds(orm: str) -> tuple[str, ...]:
    _, sample, pattern = READERS[orm]
    files = sorted((REPO / "samples" / sample).glob(pattern))
    files += sorted((FIXTURES / orm).glob("*")) if (FIXTURES / orm).is_dir() else []
    texts = tuple(p.read_text() for p in files if p.is_file())
    assert texts, f"no query code to mutate for {orm}"
    return texts


def check_queries(orm: str, text: str, path: str = "fuzz.ts") -> int:
    """Read `text` with `orm`'s reader: spans inside the text, the planner judges each query.
    Returns how many queries were read (for the long run's report)."""
    reader, sample, _ = READERS[orm]
    schema = _schema(sample)
    module = read_module(path, text)
    queries = reader(module, schema, path)
    n = len(text)
    tables = {t.name: t for t in schema.tables}
    for query in queries:
        for span in (query.span, query.where_span, query.order_span):
            if span is not None:
                assert 0 <= span.start <= span.end <= n, (query.label, span)
        table = tables.get(query.table)
        if table is not None:
            judge(query, table, "postgresql" if orm != "sequelize" else "postgres")
        if query.sql:
            read_sql_queries(query.sql, "postgresql", schema)
    return len(queries)


def check_sql(dialect: str, text: str) -> int:
    return len(read_sql_queries(text, dialect, None))


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("orm", sorted(READERS))
def test_mutated_query_code_never_makes_a_reader_raise(orm: str, kind: str) -> None:
    rng = random.Random(f"{orm}-{kind}")
    seeds = _seeds(orm)
    # the unmutated seeds do hold queries: the check below is not vacuous
    assert sum(check_queries(orm, s) for s in seeds) > 0
    for _ in range(6 if kind not in ("long_line", "nesting") else 1):
        check_queries(orm, mutate(rng.choice(seeds), rng, kind))


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("dialect", ["postgresql", "mysql", "sqlite"])
def test_mutated_sql_never_makes_the_sql_query_reader_raise(dialect: str, kind: str) -> None:
    rng = random.Random(f"{dialect}-{kind}")
    assert check_sql(dialect, SQL) >= 3
    for _ in range(6 if kind not in ("long_line", "nesting") else 1):
        check_sql(dialect, mutate(SQL, rng, kind))

"""The indexes `design_indexes` designs are the ones PostgreSQL then uses (issue 15, item 3).

The textbook catalog of tests/codegen/queries/test_design.py is created on a real PostgreSQL,
filled (60,000 products) and ANALYZEd; its schema is read back by introspection; the design for
the catalog's queries (by category and price range ordered by creation date, the latest of a
category, out of stock, full-text search, a substring search, a slug lookup) is applied as
`CREATE INDEX` statements; then each query is EXPLAINed: the plan reads its table through an
index the design added for it (or one the judgement, on the new schema, says serves it), and
the judgement of every designed query is now `served` or `partly` (the range-then-sort trade,
documented in docs/query-planner.md).
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from schemasense.codegen.queries.design import design_indexes
from schemasense.codegen.queries.serve import judge
from schemasense.codegen.queries.sql import read_sql_queries
from schemasense.codegen.schema import Index
from schemasense.server.verify.databases import connect, introspect

from tests.codegen.queries.test_design import CATALOG

pytestmark = pytest.mark.oracle

DATA = """
INSERT INTO categories (parent_id, name)
SELECT CASE WHEN i > 20 THEN i % 20 + 1 END, 'category ' || i FROM generate_series(1, 500) i;
INSERT INTO products (category_id, slug, name, description, price, stock, created_at,
                      deleted_at)
SELECT i % 500 + 1, 'p-' || i, 'product ' || md5(i::text), 'made of ' || md5((i * 7)::text),
       (i * 37 % 100000) / 100.0, i % 1000,
       timestamptz '2020-01-01' + i * interval '1 minute',
       CASE WHEN i % 20 = 0 THEN timestamptz '2021-01-01' END
FROM generate_series(1, 60000) i;
ANALYZE;
"""

H = "c4ca4238a0b923820dcc509a6f75849b"  # md5('1'): in the name of product 1

QUERIES = [
    "SELECT * FROM products WHERE category_id = 12 AND price BETWEEN 100 AND 300 "
    "AND deleted_at IS NULL ORDER BY created_at DESC",
    "SELECT * FROM products WHERE category_id = 12 AND deleted_at IS NULL "
    "ORDER BY created_at DESC LIMIT 20",
    "SELECT * FROM products WHERE stock < 1 AND deleted_at IS NULL",
    "SELECT * FROM products WHERE to_tsvector('english', name || ' ' || description) "
    f"@@ plainto_tsquery('english', '{H}')",
    f"SELECT * FROM products WHERE name ILIKE '%{H[:12]}%'",
    "SELECT * FROM products WHERE slug = 'p-42'",
]


def create_index(table: str, index: Index) -> str:
    parts = []
    for c in index.columns:
        text = f'"{c.column}"' if c.column else f"({c.expression})"
        if c.ops:
            text += f" {c.ops}"
        if c.sort == "desc":
            text += " DESC"
        parts.append(text)
    using = f" USING {index.method}" if index.method else ""
    where = f" WHERE {index.predicate}" if index.predicate else ""
    return f'CREATE INDEX "{index.name}" ON "{table}"{using} ({", ".join(parts)}){where}'


def _indexes(node: dict[str, Any]) -> set[str]:
    found = {node["Index Name"]} if node.get("Index Name") else set()
    for child in node.get("Plans", []):
        found |= _indexes(child)
    return found


def test_designed_indexes_are_used(postgres_server) -> None:
    with postgres_server.scratch("ss_design") as url:
        conn = connect(url, autocommit=True)
        try:
            with conn.cursor() as cur:
                try:
                    cur.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
                except Exception:  # without pg_trgm the substring search gets no index
                    pytest.skip("pg_trgm is not available on this PostgreSQL")
                cur.execute(CATALOG)
                cur.execute(DATA)
            before = introspect(url)
            queries = [q for sql in QUERIES for q in read_sql_queries(sql, "postgresql", before)]
            design = design_indexes(before, queries, "postgresql", {"products"})
            with conn.cursor() as cur:
                for designed in design.indexes:
                    cur.execute(create_index(designed.table, designed.index))
                cur.execute("ANALYZE")
            after = introspect(url)
            products = after.table("products")
            assert products is not None
            designed_for = {q: d.index.name for d in design.indexes for q in d.queries}
            problems = []
            for sql, query in zip(QUERIES, queries, strict=True):
                with conn.cursor() as cur:
                    cur.execute("EXPLAIN (FORMAT JSON) " + sql)
                    (raw,) = cur.fetchone()
                plan = (json.loads(raw) if isinstance(raw, str) else raw)[0]["Plan"]
                used = _indexes(plan)
                j = judge(query, products, "postgresql")
                serving = {u.index for u in j.uses}
                if j.verdict not in {"served", "partly"}:
                    problems.append(f"{sql}: judged {j.verdict} after the design: {j.reasons}")
                if not used or not used <= serving:
                    problems.append(f"{sql}: plan uses {used}, judged {sorted(serving)}")
                if query.label in designed_for and designed_for[query.label] not in used:
                    problems.append(
                        f"{sql}: the index designed for it, "
                        f"{designed_for[query.label]}, is not used ({used})"
                    )
        finally:
            conn.close()
    assert not problems, "\n".join(problems)
    # the design added an index for each query but the slug lookup (the unique key serves it)
    assert len(designed_for) == len(QUERIES) - 1
    assert [r.index for r in design.redundant] == ["products_slug_idx"]

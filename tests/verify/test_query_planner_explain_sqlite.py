"""The planner's SQLite rules (codegen/queries/serve.py) against SQLite's EXPLAIN QUERY PLAN.

The same method as tests/verify/test_query_planner_explain.py, in process: SQLite's planner
uses an index whenever the query's shape allows one (without ANALYZE it does not weigh
selectivity), so this checks the shape rules themselves, and whether the sort is served (no
"USE TEMP B-TREE FOR ORDER BY" in the plan): leftmost prefix, equality before range,
the sort after a complete equality prefix (under a LIMIT), a partial index only when its
predicate is implied, an index on lower(col) for `lower(col) =`, LIKE (case-insensitive in
SQLite) not served by a plain index, OR per branch.
"""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

from schemasense.codegen.queries.serve import judge
from schemasense.codegen.queries.sql import read_sql_queries
from schemasense.server.verify.databases import introspect

SCHEMA = """
CREATE TABLE products (
  id INTEGER PRIMARY KEY,
  category_id INTEGER NOT NULL,
  brand_id INTEGER NOT NULL,
  sku TEXT NOT NULL,
  name TEXT NOT NULL,
  email TEXT NOT NULL,
  status TEXT NOT NULL,
  price NUMERIC NOT NULL,
  stock INTEGER NOT NULL,
  created_at TEXT NOT NULL,
  deleted_at TEXT,
  code TEXT NOT NULL
);
CREATE UNIQUE INDEX products_sku_key ON products (sku);
CREATE INDEX products_cat_price_idx ON products (category_id, price);
CREATE INDEX products_brand_created_idx ON products (brand_id, created_at DESC);
CREATE INDEX products_live_status_idx ON products (status) WHERE deleted_at IS NULL;
CREATE INDEX products_email_lower_idx ON products (lower(email));
CREATE INDEX products_code_idx ON products (code);
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 5000)
INSERT INTO products (category_id, brand_id, sku, name, email, status, price, stock,
                      created_at, deleted_at, code)
SELECT i % 300 + 1, i % 97 + 1, 'SKU' || i, 'product ' || i, 'User' || i || '@Example.com',
       's' || (i % 600), (i * 37 % 100000) / 100.0, i % 1000, '2020-01-01 ' || i,
       CASE WHEN i % 20 = 0 THEN '2021' END, 'C' || i
FROM n;
"""

QUERIES: list[str] = [
    "SELECT * FROM products WHERE id = 7",
    "SELECT * FROM products WHERE sku = 'SKU42'",
    "SELECT * FROM products WHERE category_id = 12",
    "SELECT * FROM products WHERE category_id = 12 AND price > 990",
    "SELECT * FROM products WHERE category_id = 12 AND stock = 3",
    "SELECT * FROM products WHERE price > 999.5",
    "SELECT * FROM products WHERE stock = 3",
    "SELECT * FROM products WHERE brand_id = 5 AND created_at > '2020-01-01 10'",
    "SELECT * FROM products WHERE code LIKE 'C12%'",
    "SELECT * FROM products WHERE code LIKE '%12%'",
    "SELECT * FROM products WHERE code = 'C12'",
    "SELECT * FROM products WHERE code > 'C4999'",
    "SELECT * FROM products WHERE lower(email) = 'user12@example.com'",
    "SELECT * FROM products WHERE email = 'User12@Example.com'",
    "SELECT * FROM products WHERE status = 's17' AND deleted_at IS NULL",
    "SELECT * FROM products WHERE status = 's17'",
    "SELECT * FROM products WHERE brand_id = 5 ORDER BY created_at DESC LIMIT 5",
    "SELECT * FROM products WHERE brand_id = 5 ORDER BY created_at LIMIT 5",
    "SELECT * FROM products WHERE category_id = 12 ORDER BY price LIMIT 5",
    "SELECT * FROM products WHERE category_id = 12 ORDER BY stock LIMIT 5",
    "SELECT * FROM products ORDER BY code LIMIT 10",
    "SELECT * FROM products ORDER BY stock LIMIT 10",
    "SELECT * FROM products WHERE id = 7 OR sku = 'SKU9'",
    "SELECT * FROM products WHERE category_id = 12 OR stock = 3",
    "SELECT * FROM products WHERE id <> 7",
    "UPDATE products SET stock = 0 WHERE category_id = 12 AND price > 990",
    "DELETE FROM products WHERE stock = 5",
]

_USES = re.compile(r"USING (?:COVERING )?INDEX (\w+)|USING (?:INTEGER )?PRIMARY KEY")


def test_judgements_agree_with_sqlite_plans(tmp_path: Path) -> None:
    path = tmp_path / "planner.db"
    conn = sqlite3.connect(path)
    conn.executescript(SCHEMA)
    conn.commit()
    schema = introspect(f"sqlite:///{path}")
    table = schema.table("products")
    assert table is not None
    disagreements, verdicts, sorts = [], set(), 0
    for sql in QUERIES:
        plan = [row[3] for row in conn.execute("EXPLAIN QUERY PLAN " + sql)]
        used = set()
        for detail in plan:
            for match in _USES.finditer(detail):
                used.add(match.group(1) or "PRIMARY")
        (query,) = read_sql_queries(sql, "sqlite", schema)
        j = judge(query, table, "sqlite")
        verdicts.add(j.verdict)
        uses = {"PRIMARY" if u.kind == "primary_key" else u.index for u in j.uses}
        if (uses and not (used and used <= uses)) or (not uses and used):
            disagreements.append(f"{sql}: judged {j.verdict} {sorted(uses)}, plan {plan}")
        if query.order_by:
            sort_served = any(u.serves_sort for u in j.uses)
            sorted_after = any("TEMP B-TREE FOR ORDER BY" in d for d in plan)
            sorts += 1
            if sort_served == sorted_after:
                disagreements.append(f"{sql}: sort served {sort_served}, plan {plan}")
    conn.close()
    assert verdicts >= {"served", "partly", "not_served"} and sorts >= 6
    assert not disagreements, "\n".join(disagreements)

"""SQL statements read into query shapes (codegen/queries/sql.py), one behaviour per test,
PostgreSQL (libpg_query) and MySQL/SQLite (sqlglot) alike where the SQL is the same."""

from __future__ import annotations

import pytest
from schemasense.codegen.queries.sql import read_sql_queries, split_statements
from schemasense.codegen.schema import Column, ColumnType, Schema, Table

DIALECTS = ["postgresql", "mysql", "sqlite"]


def one(sql: str, dialect: str = "postgresql"):
    queries = read_sql_queries(sql, dialect)
    assert len(queries) == 1, queries
    return queries[0]


def kinds(query) -> list[list[tuple[str, str]]]:
    return [[(f.column, f.kind) for f in b.filters] for b in query.where]


@pytest.mark.parametrize("dialect", DIALECTS)
def test_and_of_comparisons(dialect: str) -> None:
    q = one(
        "SELECT * FROM products WHERE category_id = 3 AND price > 10 AND id IN (1, 2) "
        "AND stock BETWEEN 1 AND 5 AND deleted_at IS NULL AND sku <> 'x' AND note IS NOT NULL",
        dialect,
    )
    assert q.table == "products" and q.operation == "select" and q.origin == "sql"
    assert kinds(q) == [
        [
            ("category_id", "equal"),
            ("price", "range"),
            ("id", "in"),
            ("stock", "range"),
            ("deleted_at", "is_null"),
            ("sku", "not_equal"),
            ("note", "not_null"),
        ]
    ]
    assert q.where[0].filters[0].value == "3"


@pytest.mark.parametrize("dialect", DIALECTS)
def test_or_and_not_become_dnf(dialect: str) -> None:
    q = one("SELECT * FROM t WHERE a = 1 AND (b = 2 OR NOT (c = 3 AND d < 4))", dialect)
    assert kinds(q) == [
        [("a", "equal"), ("b", "equal")],
        [("a", "equal"), ("c", "not_equal")],
        [("a", "equal"), ("d", "range")],
    ]


@pytest.mark.parametrize(
    ("pattern", "kind"),
    [("'ab%'", "prefix"), ("'%ab'", "suffix"), ("'%ab%'", "contains"), ("'ab'", "equal")],
)
@pytest.mark.parametrize("dialect", DIALECTS)
def test_like_pattern_shape(dialect: str, pattern: str, kind: str) -> None:
    q = one(f"SELECT * FROM t WHERE name LIKE {pattern}", dialect)
    assert kinds(q) == [[("name", kind)]]


def test_like_with_a_parameter_is_other_and_ilike_insensitive() -> None:
    assert kinds(one("SELECT * FROM t WHERE name LIKE $1")) == [[("name", "other")]]
    f = one("SELECT * FROM t WHERE name ILIKE 'ab%'").where[0].filters[0]
    assert (f.kind, f.insensitive) == ("prefix", True)


@pytest.mark.parametrize("dialect", DIALECTS)
def test_lower_is_case_insensitive(dialect: str) -> None:
    f = one("SELECT * FROM users WHERE lower(email) = 'a@b.c'", dialect).where[0].filters[0]
    assert (f.column, f.kind, f.insensitive, f.value) == ("email", "equal", True, "'a@b.c'")
    assert f.expression is not None and f.expression.lower() == "lower(email)"


@pytest.mark.parametrize(
    ("sql", "dialect"),
    [
        ("SELECT * FROM t WHERE a = $1 AND b > $2", "postgresql"),
        ("SELECT * FROM t WHERE a = ? AND b > ?", "mysql"),
        ("SELECT * FROM t WHERE a = :a AND b > :b", "sqlite"),
    ],
)
def test_parameters_have_no_value(sql: str, dialect: str) -> None:
    q = one(sql, dialect)
    assert kinds(q) == [[("a", "equal"), ("b", "range")]]
    assert q.where[0].filters[0].value is None


def test_parameter_on_the_left_flips_the_comparison() -> None:
    assert kinds(one("DELETE FROM t WHERE $1 < t.a")) == [[("a", "range")]]


def test_postgresql_fulltext() -> None:
    q = one(
        "SELECT * FROM products WHERE to_tsvector('english', name || ' ' || description) "
        "@@ plainto_tsquery('english', $1)"
    )
    f = q.where[0].filters[0]
    assert (f.kind, f.column, f.expression_columns) == ("fulltext", "name", ["name", "description"])
    assert f.expression is not None and f.expression.startswith("to_tsvector('english'")


def test_mysql_match_against() -> None:
    q = one("SELECT * FROM products WHERE MATCH(name, description) AGAINST (?)", "mysql")
    f = q.where[0].filters[0]
    assert (f.kind, f.expression_columns) == ("fulltext", ["name", "description"])


@pytest.mark.parametrize("dialect", DIALECTS)
def test_order_and_limit(dialect: str) -> None:
    q = one("SELECT * FROM t WHERE a = 1 ORDER BY created_at DESC, id LIMIT 20", dialect)
    assert [(k.column, k.descending) for k in q.order_by] == [("created_at", True), ("id", False)]
    assert q.limit == 20 and q.limited


def test_nulls_order_read_on_postgresql() -> None:
    q = one("SELECT * FROM t ORDER BY a DESC NULLS LAST")
    assert q.order_by[0].nulls == "last" and q.where == []


def test_sort_on_an_expression_is_unknown() -> None:
    q = one("SELECT * FROM t WHERE a = 1 ORDER BY lower(name)")
    assert q.order_by == [] and q.unknown


@pytest.mark.parametrize("dialect", DIALECTS)
def test_join_gives_a_query_on_the_joined_table(dialect: str) -> None:
    queries = read_sql_queries(
        "SELECT p.* FROM products AS p JOIN categories c ON c.id = p.category_id "
        "WHERE p.price > 5 AND c.name = 'x'",
        dialect,
    )
    assert [q.table for q in queries] == ["products", "categories"]
    assert kinds(queries[0]) == [[("price", "range")]]
    assert kinds(queries[1]) == [[("id", "equal")]]
    assert queries[1].implied_by == queries[0].label


def test_unqualified_column_resolved_through_the_schema() -> None:
    def table(name: str, *cols: str) -> Table:
        return Table(name=name, columns=[Column(name=c, type=ColumnType(kind="int")) for c in cols])

    schema = Schema(tables=[table("a", "id", "x"), table("b", "id", "a_id", "y")])
    queries = read_sql_queries(
        "SELECT * FROM a JOIN b ON b.a_id = a.id WHERE y = 1", "postgresql", schema
    )
    assert kinds(queries[0]) == []
    queries = read_sql_queries(
        "SELECT * FROM a JOIN b ON b.a_id = a.id WHERE x = 1", "postgresql", schema
    )
    assert kinds(queries[0]) == [[("x", "equal")]]


@pytest.mark.parametrize("dialect", DIALECTS)
def test_update_and_delete(dialect: str) -> None:
    queries = read_sql_queries("UPDATE t SET a = 1 WHERE b = 2; DELETE FROM u WHERE c < 3", dialect)
    assert [(q.operation, q.table) for q in queries] == [("update", "t"), ("delete", "u")]


def test_boolean_column_alone() -> None:
    q = one("SELECT * FROM t WHERE published AND NOT archived")
    assert [(f.column, f.value) for f in q.where[0].filters] == [
        ("published", "true"),
        ("archived", "false"),
    ]


def test_condition_on_nothing_of_the_table_is_left_out() -> None:
    q = one("SELECT * FROM t WHERE EXISTS (SELECT 1 FROM u WHERE u.t_id = t.id) AND a = 1")
    assert kinds(q) == [[("a", "equal")]]


def test_or_with_a_branch_on_nothing_reads_everything() -> None:
    q = one("SELECT * FROM t WHERE a = 1 OR EXISTS (SELECT 1 FROM u)")
    assert q.where and not q.has_filter


@pytest.mark.parametrize("dialect", DIALECTS)
def test_unreadable_sql_never_raises(dialect: str) -> None:
    queries = read_sql_queries("SELECT * FROM t WHERE a = 1; SELEC x FROM broken WHERE", dialect)
    assert queries[0].table == "t" and kinds(queries[0]) == [[("a", "equal")]]
    assert queries[-1].operation == "raw" and queries[-1].table == "broken"
    assert queries[-1].unknown and queries[-1].unknown[0].startswith("the SQL could not be read")
    assert read_sql_queries("nonsense (((", dialect) == []
    assert read_sql_queries("", dialect) == []


def test_too_many_branches_is_unknown() -> None:
    where = " AND ".join(f"(a{i} = 1 OR b{i} = 2)" for i in range(8))
    q = one(f"SELECT * FROM t WHERE {where}")
    assert q.where == [] and q.unknown


def test_other_statements_give_nothing() -> None:
    assert read_sql_queries("CREATE TABLE t (a int); INSERT INTO t VALUES (1)", "postgresql") == []


def test_spans_on_postgresql() -> None:
    text = "SELECT 1 FROM a WHERE x = 1;\nSELECT 1 FROM b WHERE y = 2"
    queries = read_sql_queries(text, "postgresql", file="q.sql")
    assert [text[q.span.start : q.span.end].strip() for q in queries if q.span] == [
        "SELECT 1 FROM a WHERE x = 1",
        "SELECT 1 FROM b WHERE y = 2",
    ]


def test_split_statements_respects_quotes_and_comments() -> None:
    text = "select ';' ; -- a; b\nselect $$;$$; /* ; */ select 1"
    assert [p.strip() for _, p in split_statements(text)] == [
        "select ';'",
        "-- a; b\nselect $$;$$",
        "/* ; */ select 1",
    ]

"""The planner's rules, one behaviour per test (codegen/queries/serve.py)."""

from __future__ import annotations

from schemasense.codegen.queries.model import ColumnFilter, Conjunction, Query, SortKey
from schemasense.codegen.queries.serve import expression_key, judge
from schemasense.codegen.schema import (
    Column,
    ColumnType,
    Index,
    IndexColumn,
    PrimaryKey,
    Table,
    UniqueConstraint,
)


def col(name: str, nullable: bool = False, native: str | None = None) -> Column:
    return Column(name=name, type=ColumnType(kind="string", native=native), nullable=nullable)


def ix(name: str, *cols: str, **kw) -> Index:
    parts = []
    for c in cols:
        desc = c.endswith(" desc")
        c = c.removesuffix(" desc")
        if "(" in c:
            parts.append(IndexColumn(expression=c))
        else:
            parts.append(IndexColumn(column=c, sort="desc" if desc else None))
    return Index(name=name, columns=parts, **kw)


TABLE = Table(
    name="products",
    columns=[
        col("id"),
        col("category_id"),
        col("price"),
        col("created_at"),
        col("name"),
        col("email"),
        col("status"),
        col("deleted_at", nullable=True),
        col("sku"),
    ],
    primary_key=PrimaryKey(columns=[IndexColumn(column="id")]),
    uniques=[UniqueConstraint(name="products_sku_key", columns=[IndexColumn(column="sku")])],
    indexes=[
        ix("cat_price", "category_id", "price"),
        ix("cat_created", "category_id", "created_at desc"),
        ix("email_lower", "lower(email)"),
        ix("live_status", "status", predicate="(deleted_at IS NULL)"),
        Index(
            name="name_trgm",
            method="gin",
            columns=[IndexColumn(column="name", ops="gin_trgm_ops")],
        ),
    ],
)


def q(*filters: ColumnFilter, order=(), limit=None, branches=None, unknown=()) -> Query:
    where = branches if branches is not None else ([Conjunction(filters=list(filters))])
    return Query(
        table="products",
        operation="find_many",
        origin="sql",
        where=where if (filters or branches) else [],
        order_by=list(order),
        limit=limit,
        unknown=list(unknown),
    )


def f(column: str, kind: str = "equal", **kw) -> ColumnFilter:
    return ColumnFilter(column=column, kind=kind, **kw)


def test_equality_served_by_leading_column() -> None:
    j = judge(q(f("category_id")), TABLE, "postgresql")
    assert j.verdict == "served"
    assert {u.index for u in j.uses} == {"cat_price", "cat_created"}


def test_equality_then_range_served() -> None:
    j = judge(q(f("category_id"), f("price", "range")), TABLE, "postgresql")
    assert j.verdict == "served"
    assert j.uses[0].index == "cat_price"
    assert j.uses[0].filter_columns == ["category_id", "price"]


def test_second_column_alone_not_served() -> None:
    j = judge(q(f("price", "range")), TABLE, "postgresql")
    assert j.verdict == "not_served"
    assert j.uses == []
    assert j.suggestion is not None and [c.column for c in j.suggestion.columns] == ["price"]


def test_range_before_equality_is_partly() -> None:
    table = TABLE.model_copy(update={"indexes": [ix("pc", "price", "category_id")]})
    j = judge(q(f("category_id"), f("price", "range")), table, "postgresql")
    assert j.verdict == "partly"
    assert j.uses[0].filter_columns == ["price"]
    assert any("after the range" in r for r in j.reasons)


def test_sort_served_after_equality_prefix_backward() -> None:
    j = judge(q(f("category_id"), order=[SortKey(column="created_at")]), TABLE, "postgresql")
    assert j.verdict == "served"
    assert any(u.index == "cat_created" and u.serves_sort for u in j.uses)


def test_sort_not_served_when_directions_mix() -> None:
    table = TABLE.model_copy(update={"indexes": [ix("cp", "category_id", "price", "created_at")]})
    order = [SortKey(column="price"), SortKey(column="created_at", descending=True)]
    j = judge(q(f("category_id"), order=order), table, "postgresql")
    assert j.verdict == "partly"
    assert any("sort" in r for r in j.reasons)


def test_sort_not_served_after_in() -> None:
    j = judge(q(f("category_id", "in"), order=[SortKey(column="created_at")]), TABLE, "postgresql")
    assert j.verdict == "partly"


def test_nulls_order_matters_on_nullable_column_in_postgresql() -> None:
    table = TABLE.model_copy(update={"indexes": [ix("d", "status", "deleted_at")]})
    first = SortKey(column="deleted_at", nulls="first")
    assert judge(q(f("status"), order=[first]), table, "postgresql").verdict == "partly"
    last = SortKey(column="deleted_at", nulls="last")
    assert judge(q(f("status"), order=[last]), table, "postgresql").verdict == "served"


def test_contains_needs_trigram_on_postgresql() -> None:
    j = judge(q(f("name", "contains")), TABLE, "postgresql")
    assert j.verdict == "served" and j.uses[0].index == "name_trgm"
    table = TABLE.model_copy(update={"indexes": [ix("n", "name")]})
    j = judge(q(f("name", "contains")), table, "postgresql")
    assert j.verdict == "not_served"
    assert j.suggestion is not None and j.suggestion.ops == "gin_trgm_ops"
    j = judge(q(f("name", "contains")), table, "mysql")
    assert j.verdict == "not_served" and j.suggestion is None
    assert "FULLTEXT" in j.reasons[0]


def test_prefix_by_dialect() -> None:
    table = TABLE.model_copy(update={"indexes": [ix("n", "name")]})
    assert judge(q(f("name", "prefix")), table, "mysql").verdict == "served"
    assert judge(q(f("name", "prefix")), table, "postgresql").verdict == "not_served"
    assert judge(q(f("name", "prefix")), table, "sqlite").verdict == "not_served"
    ops = Index(name="n", columns=[IndexColumn(column="name", ops="text_pattern_ops")])
    table = TABLE.model_copy(update={"indexes": [ops]})
    assert judge(q(f("name", "prefix")), table, "postgresql").verdict == "served"


def lower_email(**kw) -> ColumnFilter:
    return f(
        "email", insensitive=True, expression="lower(email)", expression_columns=["email"], **kw
    )


def test_lower_comparison_needs_lower_expression() -> None:
    j = judge(q(lower_email()), TABLE, "postgresql")
    assert j.verdict == "served" and j.uses[0].index == "email_lower"
    table = TABLE.model_copy(update={"indexes": [ix("e", "email")]})
    j = judge(q(lower_email()), table, "postgresql")
    assert j.verdict == "not_served"
    assert j.suggestion is not None and j.suggestion.columns[0].expression == "lower(email)"
    assert judge(q(f("email")), table, "postgresql").verdict == "served"


def test_orm_insensitive_filter_is_ilike() -> None:
    # Prisma's mode: 'insensitive' / TypeORM ILike: ILIKE on PostgreSQL, which lower() does not
    # serve, a trigram index does; MySQL's case-insensitive collation serves it with a plain index
    ilike = f("email", insensitive=True)
    j = judge(q(ilike), TABLE, "postgresql")
    assert j.verdict == "not_served" and "ILIKE" in j.reasons[0]
    assert j.suggestion is not None and j.suggestion.ops == "gin_trgm_ops"
    table = TABLE.model_copy(update={"indexes": [ix("e", "email")]})
    assert judge(q(ilike), table, "mysql").verdict == "served"
    assert judge(q(ilike), table, "sqlite").verdict == "not_served"
    j = judge(q(f("name", "prefix", insensitive=True)), TABLE, "postgresql")
    assert j.verdict == "served" and j.uses[0].index == "name_trgm"


def test_expression_spelled_as_postgresql_prints_it() -> None:
    assert expression_key("lower((email)::text)") == expression_key('LOWER("email")')
    table = TABLE.model_copy(update={"indexes": [ix("e", "lower((email)::text)")]})
    assert judge(q(lower_email()), table, "postgresql").verdict == "served"


def test_or_served_only_if_each_branch_is() -> None:
    both = [Conjunction(filters=[f("category_id")]), Conjunction(filters=[f("sku")])]
    assert judge(q(branches=both), TABLE, "postgresql").verdict == "served"
    one = [Conjunction(filters=[f("category_id")]), Conjunction(filters=[f("price", "range")])]
    j = judge(q(branches=one), TABLE, "postgresql")
    assert j.verdict == "not_served" and j.uses == []


def test_partial_index_only_when_predicate_implied() -> None:
    j = judge(q(f("status", value="'a'")), TABLE, "postgresql")
    assert j.verdict == "not_served"
    j = judge(q(f("status", value="'a'"), f("deleted_at", "is_null")), TABLE, "postgresql")
    assert j.verdict == "served" and j.uses[0].index == "live_status"


def test_partial_index_equality_and_boolean_predicates() -> None:
    table = TABLE.model_copy(
        update={"indexes": [ix("act", "created_at", predicate="((status)::text = 'active'::text)")]}
    )
    # the key (created_at) narrows nothing: the partial index would be read whole
    assert judge(q(f("status", value="'active'")), table, "postgresql").verdict == "not_served"
    order = [SortKey(column="created_at")]
    j = judge(q(f("status", value="'active'"), order=order, limit=5), table, "postgresql")
    assert j.verdict == "served" and j.uses[0].index == "act"
    j = judge(q(f("status", value="'active'"), f("created_at", "range")), table, "postgresql")
    assert j.verdict == "served"
    j = judge(q(f("status", value="'gone'"), f("created_at", "range")), table, "postgresql")
    assert j.verdict == "not_served"


def test_unique_key_fixes_one_row() -> None:
    j = judge(q(f("id"), f("price", "range"), order=[SortKey(column="name")]), TABLE, "postgresql")
    assert j.verdict == "served"
    assert j.uses[0].kind == "primary_key"


def test_no_filter_sort_counts_only_with_limit() -> None:
    table = TABLE.model_copy(update={"indexes": [ix("c", "created_at")]})
    order = [SortKey(column="created_at", descending=True)]
    assert judge(q(order=order), table, "postgresql").verdict == "no_filter"
    j = judge(q(order=order, limit=10), table, "postgresql")
    assert j.verdict == "served" and j.uses[0].serves_sort


def test_unknown_unless_known_part_served() -> None:
    assert judge(q(f("category_id"), unknown=["x"]), TABLE, "postgresql").verdict == "served"
    j = judge(q(f("price", "range"), unknown=["where built elsewhere"]), TABLE, "postgresql")
    assert j.verdict == "unknown"
    assert any("where built elsewhere" in r for r in j.reasons)


def test_fulltext_by_dialect() -> None:
    expr = "to_tsvector('english', name || ' ' || status)"
    gin = Index(name="fts", columns=[IndexColumn(expression=expr)], method="gin")
    table = TABLE.model_copy(update={"indexes": [gin]})
    search = f("name", "fulltext", expression=expr, expression_columns=["name", "status"])
    assert judge(q(search), table, "postgresql").verdict == "served"
    printed = "to_tsvector('english'::regconfig, (((name)::text || ' '::text) || (status)::text))"
    table = TABLE.model_copy(
        update={"indexes": [gin.model_copy(update={"columns": [IndexColumn(expression=printed)]})]}
    )
    assert judge(q(search), table, "postgresql").verdict == "served"
    ft = Index(
        name="ft",
        columns=[IndexColumn(column="name"), IndexColumn(column="status")],
        method="fulltext",
    )
    table = TABLE.model_copy(update={"indexes": [ft]})
    mysql = f(
        "name", "fulltext", expression="MATCH (name, status)", expression_columns=["name", "status"]
    )
    assert judge(q(mysql), table, "mysql").verdict == "served"
    only = f("name", "fulltext", expression="MATCH (name)", expression_columns=["name"])
    j = judge(q(only), table, "mysql")
    assert j.verdict == "not_served" and j.suggestion and j.suggestion.method == "fulltext"


def test_soft_delete_becomes_partial_predicate_in_suggestion() -> None:
    j = judge(q(f("price", "range"), f("deleted_at", "is_null")), TABLE, "postgresql")
    assert j.suggestion is not None
    assert j.suggestion.predicate == '"deleted_at" IS NULL'
    assert [c.column for c in j.suggestion.columns] == ["price"]
    j = judge(q(f("price", "range"), f("deleted_at", "is_null")), TABLE, "mysql")
    assert j.suggestion is not None and j.suggestion.predicate is None


def test_no_suggestion_an_existing_index_already_is() -> None:
    query = q(f("category_id"), f("price", "range"), order=[SortKey(column="created_at")])
    j = judge(query, TABLE, "postgresql")
    assert j.verdict == "partly" and j.suggestion is None
    table = TABLE.model_copy(update={"indexes": [ix("cat_price", "category_id", "price")]})
    j = judge(query, table, "postgresql")
    assert j.suggestion is not None
    assert [c.column for c in j.suggestion.columns] == ["category_id", "created_at"]

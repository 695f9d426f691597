"""The TypeORM query reader held to TypeORM itself: for each case, the `where` we read from
`User.find(<options>)` equals the `where` of the SQL TypeORM builds for the same options
(`setFindOptions(...).getQueryAndParameters()`, no database: typeorm_find_sql.cjs), that SQL
read by the planner's SQL reader (codegen/queries/sql.py) with the parameters put back in.
Compared: each OR branch as the set of (column, kind) of the main table."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from schemasense.codegen.queries.model import Query
from schemasense.codegen.queries.sql import read_sql_queries
from schemasense.codegen.schema import Schema
from schemasense.server.queries.typeorm import read_typeorm_queries
from schemasense.server.sources.typescript import read_module

from tests.server.queries.test_typeorm_queries import HEADER, _read_schema

pytestmark = pytest.mark.oracle

REPO = Path(__file__).resolve().parents[3]
SCRIPT = Path(__file__).parent / "typeorm_find_sql.cjs"

CASES = [
    ("User", '{ where: { email: "a", age: 3 } }'),
    ("User", "{ where: { age: In([1, 2]) } }"),
    ("User", "{ where: { age: Any([1, 2]) } }"),
    ("User", "{ where: { age: Between(1, 9) } }"),
    ("User", "{ where: { age: LessThan(9), name: Not('x') } }"),
    ("User", "{ where: { age: MoreThanOrEqual(9) } }"),
    ("User", "{ where: { age: LessThanOrEqual(9), email: Equal('e') } }"),
    ("User", "{ where: { name: Like('bob%') } }"),
    ("User", "{ where: { name: Like('%bob') } }"),
    ("User", "{ where: { name: Like('%bob%') } }"),
    ("User", "{ where: { name: ILike('%bob%') } }"),
    ("User", "{ where: { deletedAt: IsNull() } }"),
    ("User", "{ where: { deletedAt: Not(IsNull()) } }"),
    ("User", "{ where: { age: Not(In([1, 2])) } }"),
    ("User", "{ where: [{ email: 'a' }, { age: MoreThan(3), name: 'b' }] }"),
    ("User", "{ where: { age: Or(Equal(1), Equal(2)) } }"),
    ("User", "{ where: { age: And(MoreThan(1), LessThan(5)) } }"),
    ("User", "{ where: { email: 'a' }, order: { createdAt: 'DESC' }, take: 5 }"),
    ("Post", "{ where: { status: In(['a', 'b']), title: Like('How%') } }"),
    ("Post", "{ where: { author: { id: 7 } } }"),
    ("Post", "{ where: { author: { age: 30 } } }"),
]
"""(entity, options): each operator, OR arrays, relation filters."""

_DISAGREE = {
    "{ where: { author: { id: 7 } } }": "TypeORM joins `users` and compares the author's id; "
    "we also put `authorId = 7` on `post`, which PostgreSQL derives from the join's equality "
    "(an equivalence class), and which the SQL reader does not derive",
    "{ where: { author: { age: 30 } } }": "TypeORM joins `users` and filters the author's age; "
    "we put `authorId IN (the matching authors)` on `post`, the join PostgreSQL can drive from "
    "users (tests/verify/test_query_chain_explain.py, t30), which the SQL reader does not derive "
    "from the JOIN",
}
"""Cases where the two differ, with the reason (checked to differ, so the reason stays true)."""


def _typeorm_sql(cases: list[tuple[str, str]]) -> list[dict]:
    node = shutil.which(os.environ.get("SCHEMASENSE_NODE", "node"))
    if node is None or not (REPO / "node_modules" / "typeorm" / "package.json").is_file():
        pytest.skip("node or node_modules/typeorm is missing (npm install at the repo root)")
    done = subprocess.run(
        [node, str(SCRIPT), str(REPO)],
        input=json.dumps([{"entity": e, "options": o} for e, o in cases]),
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return json.loads(done.stdout)


def _inline(sql: str, params: list) -> str:
    """TypeORM's `$n` parameters put back as literals (the planner reads LIKE patterns)."""
    for index in range(len(params), 0, -1):
        sql = sql.replace(f"${index}", _literal(params[index - 1]))
    return sql


def _literal(value: object) -> str:
    if isinstance(value, str):
        return "'" + value.replace("'", "''") + "'"
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, list):
        return "ARRAY[" + ", ".join(_literal(v) for v in value) + "]"
    return str(value)


def _shape(query: Query) -> set[frozenset[tuple[str, str]]]:
    return {frozenset((f.column, f.kind) for f in b.filters) for b in query.where}


@pytest.fixture(scope="module")
def schema() -> Schema:
    return _read_schema(model_names=True)


def test_our_where_is_typeorms(schema: Schema) -> None:
    results = _typeorm_sql(CASES)
    agree, differ = 0, []
    for (entity, options), result in zip(CASES, results, strict=True):
        assert "error" not in result, (options, result)
        sql = _inline(result["sql"], result["params"])
        table = schema.model(entity)
        assert table is not None
        theirs = next(
            q for q in read_sql_queries(sql, "postgresql", schema) if q.table == table.name
        )
        code = f"{entity}.find({options});"
        ours = next(
            q
            for q in read_typeorm_queries(read_module("/p/q.ts", HEADER + code), schema)
            if q.implied_by is None
        )
        if _shape(ours) == _shape(theirs):
            agree += 1
        else:
            differ.append(options)
            assert options in _DISAGREE, (options, sql, _shape(ours), _shape(theirs))
        if "order" in options:
            assert [(s.column, s.descending) for s in ours.order_by] == [
                (s.column, s.descending) for s in theirs.order_by
            ]
            assert ours.limit == theirs.limit
    assert sorted(differ) == sorted(_DISAGREE), differ
    assert agree == len(CASES) - len(_DISAGREE)


def test_relations_join_the_tables_we_imply(schema: Schema) -> None:
    """`relations`: the tables TypeORM joins are the tables of our implied queries, each
    reached by the columns we say (TypeORM 1.x takes the object form only)."""
    (result,) = _typeorm_sql(
        [("Post", "{ relations: { author: true, comments: true, tags: true } }")]
    )
    sql = _inline(result["sql"], result["params"])
    theirs = {q.table: _shape(q) for q in read_sql_queries(sql, "postgresql", schema)}
    code = "Post.find({ relations: { author: true, comments: true, tags: true } });"
    ours = {
        q.table: _shape(q)
        for q in read_typeorm_queries(read_module("/p/q.ts", HEADER + code), schema)
        if q.implied_by is not None
    }
    assert set(theirs) - {"post"} == set(ours) == {"users", "comment", "post_tags_tag", "tag"}
    for table, shape in ours.items():
        assert shape == theirs[table], (table, shape, theirs[table])

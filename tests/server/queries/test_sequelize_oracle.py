"""The Sequelize query reader held to Sequelize itself: samples/sequelize-js's models loaded
by Node with `sequelize.query` recording instead of sending (sequelize_find_sql.cjs), each
call's SQL read by the planner's SQL reader (codegen/queries/sql.py), and compared with what
we read from the same call: each OR branch of the model's table as the set of (column, kind),
the sort, the limit, and each included table with its own."""

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
from schemasense.server.queries.sequelize import read_sequelize_queries
from schemasense.server.sources.typescript import read_module

from tests.server.queries.test_sequelize_queries import SAMPLE, _schema_of

pytestmark = pytest.mark.oracle

REPO = Path(__file__).resolve().parents[3]
SCRIPT = Path(__file__).parent / "sequelize_find_sql.cjs"

CASES = [
    "models.User.findAll({ where: { email: 'a', isActive: true } })",
    "models.User.findAll({ where: { lastSeenAt: null } })",
    "models.User.findAll({ where: { role: ['a', 'b'] } })",
    "models.User.findAll({ where: { id: { [Op.eq]: 3 } } })",
    "models.User.findAll({ where: { id: { [Op.ne]: 3 } } })",
    "models.User.findAll({ where: { lastSeenAt: { [Op.ne]: null } } })",
    "models.User.findAll({ where: { lastSeenAt: { [Op.is]: null } } })",
    "models.User.findAll({ where: { lastSeenAt: { [Op.not]: null } } })",
    "models.User.findAll({ where: { id: { [Op.in]: [1, 2] } } })",
    "models.User.findAll({ where: { id: { [Op.notIn]: [1, 2] } } })",
    "models.User.findAll({ where: { id: { [Op.gt]: 1, [Op.lte]: 9 } } })",
    "models.User.findAll({ where: { id: { [Op.between]: [1, 2] } } })",
    "models.User.findAll({ where: { email: { [Op.like]: 'a%' } } })",
    "models.User.findAll({ where: { email: { [Op.like]: '%a' } } })",
    "models.User.findAll({ where: { email: { [Op.iLike]: '%a%' } } })",
    "models.User.findAll({ where: { email: { [Op.startsWith]: 'a' } } })",
    "models.User.findAll({ where: { email: { [Op.endsWith]: 'a' } } })",
    "models.User.findAll({ where: { email: { [Op.substring]: 'a' } } })",
    "models.User.findAll({ where: { role: 'a', [Op.or]: [{ id: 1 }, { email: 'x' }] } })",
    "models.User.findAll({ where: { [Op.or]: { id: 1, email: 'x' } } })",
    "models.User.findAll({ where: { [Op.and]: [{ id: 1 }, { role: 'a' }] } })",
    "models.User.findAll({ where: { id: { [Op.or]: [1, 2] } } })",
    "models.User.findOne({ where: { email: 'a' } })",
    "models.User.findByPk(5)",
    "models.User.count({ where: { isActive: true } })",
    "models.User.findAll({ where: { role: 'a' }, order: [['lastSeenAt', 'DESC'], ['id', 'ASC']],"
    " limit: 10 })",
    "models.Post.findAll({ where: { status: 'published' } })",
    "models.Post.findAll({ where: { status: 'published' }, paranoid: false })",
    "models.Post.destroy({ where: { id: 1 } })",
    "models.User.update({ role: 'b' }, { where: { id: 1 } })",
    "models.Post.findAll({ where: { status: 'a' }, include: [{ model: models.User, as: 'author',"
    " where: { isActive: true } }] })",
    "models.Post.findAll({ include: [models.Comment] })",
    "models.User.findAll({ include: [{ association: 'posts' }] })",
]

_DISAGREE: dict[str, str] = {}
"""Cases where the two differ, with the reason (none today)."""


def _sequelize_sql(cases: list[str]) -> list[dict]:
    node = shutil.which(os.environ.get("SCHEMASENSE_NODE", "node"))
    if node is None or not (REPO / "node_modules" / "sequelize" / "package.json").is_file():
        pytest.skip("node or node_modules/sequelize is missing (npm install at the repo root)")
    done = subprocess.run(
        [node, str(SCRIPT), str(REPO)],
        input=json.dumps(cases),
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return json.loads(done.stdout)


def _shape(query: Query) -> set[frozenset[tuple[str, str]]]:
    return {frozenset((f.column, f.kind) for f in b.filters) for b in query.where}


@pytest.fixture(scope="module")
def schema() -> Schema:
    return _schema_of(SAMPLE)


def test_our_reading_is_sequelizes(schema: Schema) -> None:
    results = _sequelize_sql(CASES)
    agree, differ = 0, []
    for case, result in zip(CASES, results, strict=True):
        assert "error" not in result and len(result["sql"]) == 1, (case, result)
        (sql,) = result["sql"]
        theirs = read_sql_queries(sql, "postgresql", schema)
        ours = read_sequelize_queries(read_module("/p/q.js", case + ";"), schema)
        mine, their_main = ours[0], theirs[0]
        assert mine.table == their_main.table, (case, sql)
        same = _shape(mine) == _shape(their_main)
        same = same and [(s.column, s.descending) for s in mine.order_by] == [
            (s.column, s.descending) for s in their_main.order_by
        ]
        same = same and mine.limit == (their_main.limit if mine.operation != "find_first" else 1)
        joined = {q.table: _shape(q) for q in theirs[1:]}
        implied = {q.table: _shape(q) for q in ours[1:]}
        same = same and joined == implied
        if same:
            agree += 1
        else:
            differ.append(case)
            assert case in _DISAGREE, (case, sql, _shape(mine), _shape(their_main), implied, joined)
    assert sorted(differ) == sorted(_DISAGREE)
    assert agree == len(CASES) - len(_DISAGREE)

"""The Sequelize query reader: each `Op` (and the older `$` keys), each way of naming a model,
order, limit, includes as implied queries, paranoid models, what is unknown, spans and loops;
and a run over the corpus code (opencollective-api's and grouparoo's models hold real calls)."""

from __future__ import annotations

from pathlib import Path

import pytest
from schemasense.codegen.queries.model import Query
from schemasense.codegen.schema import Schema
from schemasense.server.queries.sequelize import read_sequelize_queries
from schemasense.server.sources.sequelize.source import SequelizeSource
from schemasense.server.sources.typescript import read_module

SAMPLE = Path(__file__).resolve().parents[3] / "samples" / "sequelize-js"
FIXTURES = Path(__file__).parent / "fixtures" / "sequelize"
HEADER = 'const { Op } = require("sequelize");\nconst { User, Post, Team, Comment } = models;\n'


class _Files:
    def text_of(self, path: str) -> str | None:
        try:
            return Path(path).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            return None

    def files_under(self, root: str, suffixes: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(
            sorted(
                str(p)
                for p in Path(root).rglob("*")
                if p.is_file() and p.name.endswith(suffixes) and "node_modules" not in p.parts
            )
        )


def _schema_of(root: Path) -> Schema:
    source = SequelizeSource()
    (unit,) = source.find_units(str(root), _Files())
    texts = {p: Path(p).read_text(encoding="utf-8") for p in unit.files if Path(p).exists()}
    return source.read(texts).schema


@pytest.fixture(scope="module")
def schema() -> Schema:
    """samples/sequelize-js's models (User, Post paranoid, Comment underscored, Team through
    Membership, Tag through PostTags, Profile)."""
    return _schema_of(SAMPLE)


def read(schema: Schema, code: str, path: str = "/p/q.js") -> list[Query]:
    return read_sequelize_queries(read_module(path, HEADER + code), schema)


def where(query: Query) -> list[list[tuple[str, str, str | None]]]:
    return [[(f.column, f.kind, f.value) for f in b.filters] for b in query.where]


def one(schema: Schema, code: str) -> Query:
    (query,) = [q for q in read(schema, code) if q.implied_by is None]
    return query


# -- operators ------------------------------------------------------------------------------

OPERATORS = [
    ('{ email: "a" }', [[("email", "equal", "'a'")]]),
    (
        "{ isActive: true, role: 'admin' }",
        [[("isActive", "equal", "TRUE"), ("role", "equal", "'admin'")]],
    ),
    ("{ lastSeenAt: null }", [[("lastSeenAt", "is_null", "NULL")]]),
    ("{ role: ['a', 'b'] }", [[("role", "in", None)]]),
    ("{ id: { [Op.eq]: 3 } }", [[("id", "equal", "3")]]),
    ("{ id: { [Op.ne]: 3 } }", [[("id", "not_equal", "3")]]),
    ("{ lastSeenAt: { [Op.ne]: null } }", [[("lastSeenAt", "not_null", None)]]),
    ("{ lastSeenAt: { [Op.is]: null } }", [[("lastSeenAt", "is_null", "NULL")]]),
    ("{ lastSeenAt: { [Op.not]: null } }", [[("lastSeenAt", "not_null", None)]]),
    ("{ id: { [Op.in]: ids } }", [[("id", "in", None)]]),
    ("{ id: { [Op.notIn]: ids } }", [[("id", "not_equal", None)]]),
    ("{ id: { [Op.gt]: 1 } }", [[("id", "range", None)]]),
    ("{ id: { [Op.gte]: 1, [Op.lt]: 9 } }", [[("id", "range", None)]]),  # one range, both ends
    ("{ id: { [Op.lte]: 1 } }", [[("id", "range", None)]]),
    ("{ id: { [Op.between]: [1, 2] } }", [[("id", "range", None)]]),
    ("{ email: { [Op.like]: 'a%' } }", [[("email", "prefix", None)]]),
    ("{ email: { [Op.like]: `%${q}` } }", [[("email", "suffix", None)]]),
    ("{ email: { [Op.startsWith]: q } }", [[("email", "prefix", None)]]),
    ("{ email: { [Op.endsWith]: q } }", [[("email", "suffix", None)]]),
    ("{ email: { [Op.substring]: q } }", [[("email", "contains", None)]]),
    ("{ email: { [Op.regexp]: '^a' } }", [[("email", "other", None)]]),
    (
        "{ email: { $like: '%a%' }, id: { $gt: 1 } }",
        [[("email", "contains", None), ("id", "range", None)]],
    ),
    ("{ email }", [[("email", "equal", None)]]),
    (
        "{ role: 'a', [Op.or]: [{ id: 1 }, { email: 'x' }] }",
        [
            [("role", "equal", "'a'"), ("id", "equal", "1")],
            [("role", "equal", "'a'"), ("email", "equal", "'x'")],
        ],
    ),
    ("{ [Op.or]: { id: 1, email: 'x' } }", [[("id", "equal", "1")], [("email", "equal", "'x'")]]),
    ("{ $or: [{ id: 1 }, { id: 2 }] }", [[("id", "equal", "1")], [("id", "equal", "2")]]),
    (
        "{ [Op.and]: [{ id: 1 }, { role: 'a' }] }",
        [[("id", "equal", "1"), ("role", "equal", "'a'")]],
    ),
    ("{ id: { [Op.or]: [1, 2] } }", [[("id", "equal", "1")], [("id", "equal", "2")]]),
]


@pytest.mark.parametrize(("where_text", "expected"), OPERATORS)
def test_each_where_operator(schema: Schema, where_text: str, expected: list) -> None:
    query = one(
        schema,
        f"async function f(ids, q, email) {{ return User.findAll({{ where: {where_text} }}); }}",
    )
    assert where(query) == expected
    assert (query.table, query.model_name, query.operation, query.origin) == (
        "Users",
        "User",
        "find_many",
        "sequelize",
    )


def test_ilike_is_insensitive(schema: Schema) -> None:
    query = one(schema, "User.findOne({ where: { email: { [Op.iLike]: '%x%' } } })")
    (f,) = query.where[0].filters
    assert (f.kind, f.insensitive) == ("contains", True)
    assert (query.operation, query.limit) == ("find_first", 1)


def test_an_or_past_the_bound_is_unknown(schema: Schema) -> None:
    branches = ", ".join(f"{{ id: {i} }}" for i in range(40))
    query = one(schema, f"User.findAll({{ where: {{ [Op.or]: [{branches}] }} }})")
    assert query.where == [] and any("OR branches" in u for u in query.unknown)


# -- naming a model -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "code",
    [
        "User.findAll({ where: { id: 1 } })",
        "models.User.findAll({ where: { id: 1 } })",
        "db.User.findAll({ where: { id: 1 } })",
        "this.sequelize.models.User.findAll({ where: { id: 1 } })",
        "sequelize.model('User').findAll({ where: { id: 1 } })",
        "function f() { const U = sequelize.define('User', {});"
        " return U.findAll({ where: { id: 1 } }); }",
        "class User extends Model { static byId() { return this.findAll({ where: { id: 1 } }); } }",
    ],
)
def test_each_way_of_naming_a_model(schema: Schema, code: str) -> None:
    query = one(schema, code)
    assert (query.table, query.model_name, where(query)) == (
        "Users",
        "User",
        [[("id", "equal", "1")]],
    )


@pytest.mark.parametrize(
    "code",
    [
        "function f(user) { return user.update({ a: 1 }); }",  # an instance
        "class User extends Model { byId() { return this.update({ a: 1 }); } }",  # instance method
        "function f(list) { return list.findAll((x) => x); }",
        "function f(req) { return req.query('name'); }",
        "Unknown.findAll({ where: { id: 1 } })",
    ],
)
def test_calls_that_are_not_known_queries_are_left_out(schema: Schema, code: str) -> None:
    assert read(schema, code) == []


# -- methods, options -----------------------------------------------------------------------


def test_methods(schema: Schema) -> None:
    queries = read(
        schema,
        "User.findByPk(5); User.findAndCountAll({ where: { role: 'a' }, limit: 10 });"
        " User.count({ where: { isActive: true } }); User.max('id', { where: { role: 'a' } });"
        " User.update({ role: 'b' }, { where: { id: 1 } }); User.destroy({ where: { id: 2 } });"
        " User.findOrCreate({ where: { email: 'x' } });",
    )
    assert [(q.operation, where(q), q.limit) for q in queries] == [
        ("find_unique", [[("id", "equal", "5")]], None),
        ("find_many", [[("role", "equal", "'a'")]], 10),
        ("count", [[("isActive", "equal", "TRUE")]], None),
        ("aggregate", [[("role", "equal", "'a'")]], None),
        ("update", [[("id", "equal", "1")]], None),
        ("delete", [[("id", "equal", "2")]], None),
        ("find_first", [[("email", "equal", "'x'")]], None),
    ]


def test_paranoid_models_imply_deleted_at_is_null(schema: Schema) -> None:
    """Post is `paranoid: true` (its `deletedAt` attribute says so in the schema)."""
    queries = read(
        schema,
        "Post.findAll({ where: { status: 'published' } }); Post.findAll({ paranoid: false });"
        " Post.destroy({ where: { id: 1 } });",
    )
    assert [where(q) for q in queries] == [
        [[("status", "equal", "'published'"), ("deletedAt", "is_null", "NULL")]],
        [],
        [[("id", "equal", "1"), ("deletedAt", "is_null", "NULL")]],
    ]


def test_order_and_spans(schema: Schema) -> None:
    code = (
        "User.findAll({\n  where: { role: 'a' },\n"
        "  order: [['lastSeenAt', 'DESC NULLS LAST'], 'id', ['email', 'ASC'],"
        " [Post, 'title', 'ASC'],"
        " sequelize.literal('random()')],\n  limit: 5,\n});"
    )
    query = one(schema, code)
    text = HEADER + code
    assert [(s.column, s.descending, s.nulls) for s in query.order_by] == [
        ("lastSeenAt", True, "last"),
        ("id", False, None),
        ("email", False, None),
    ]
    assert query.unknown == [
        "a sort by an included model's column or an expression",
        "a sort built elsewhere or by an expression",
    ]
    assert query.span is not None and text[query.span.start : query.span.end] == code.rstrip(";")
    assert (
        query.where_span is not None
        and text[query.where_span.start : query.where_span.end] == "{ role: 'a' }"
    )
    assert query.order_span is not None
    assert text[query.order_span.start : query.order_span.end].startswith("[['lastSeenAt'")
    assert query.order_by[0].span is not None
    assert (
        text[query.order_by[0].span.start : query.order_by[0].span.end]
        == "['lastSeenAt', 'DESC NULLS LAST']"
    )
    (f,) = query.where[0].filters
    assert f.span is not None and text[f.span.start : f.span.end] == "'a'"


def test_includes_imply_queries_by_foreign_key(schema: Schema) -> None:
    queries = read(
        schema,
        "Post.findAll({ include: [{ model: User, as: 'author', where: { isActive: true } },"
        " Comment, { model: Tag }] });"
        " User.findByPk(1, { include: [{ association: 'posts', include: [Comment] }, Team] });",
    )
    assert [(q.label, q.table, where(q)) for q in queries] == [
        ("Post.findAll", "Posts", [[("deletedAt", "is_null", "NULL")]]),
        (
            "Post.findAll → author",
            "Users",
            [[("id", "equal", None), ("isActive", "equal", "TRUE")]],
        ),
        ("Post.findAll → Comment", "comments", [[("post_id", "equal", None)]]),
        ("Post.findAll → Tag (join table)", "PostTags", [[("PostId", "equal", None)]]),
        ("Post.findAll → Tag", "Tags", [[("id", "equal", None)]]),
        ("User.findByPk", "Users", [[("id", "equal", "1")]]),
        (
            "User.findByPk → posts",
            "Posts",
            [[("authorId", "equal", None), ("deletedAt", "is_null", "NULL")]],
        ),
        ("User.findByPk → posts → Comment", "comments", [[("post_id", "equal", None)]]),
        ("User.findByPk → Team (join table)", "team_memberships", [[("userId", "equal", None)]]),
        ("User.findByPk → Team", "Teams", [[("id", "equal", None)]]),
    ]
    assert [q.implied_by for q in queries[6:8]] == ["User.findByPk", "User.findByPk → posts"]


@pytest.mark.parametrize(
    ("code", "reason"),
    [
        ("function f(where) { return User.findAll({ where }); }", "where built elsewhere"),
        ("function f(o) { return User.findAll(o); }", "options built elsewhere"),
        (
            "function f(w) { return User.findAll({ where: { ...w, id: 1 } }); }",
            "where spread from elsewhere",
        ),
        ("function f(i) { return User.findAll({ include: i }); }", "an include built elsewhere"),
        ("User.findAll({ include: [{ all: true }] })", "`include: { all: true }`"),
        (
            "User.findAll({ where: sequelize.where("
            "sequelize.fn('lower', sequelize.col('email')), 'x') })",
            "a `where(...)` condition",
        ),
        ("User.findAll({ where: { nope: 1 } })", "`nope` is not an attribute of User"),
        (
            "User.findAll({ where: { '$posts.title$': 'x' } })",
            "the condition on `$posts.title$` (an included model's column)",
        ),
    ],
)
def test_what_cannot_be_known_is_said(schema: Schema, code: str, reason: str) -> None:
    assert reason in one(schema, code).unknown


def test_local_constants_are_followed(schema: Schema) -> None:
    query = one(
        schema,
        "async function f() { const where = { role: 'a' }; const order = [['id', 'DESC']];"
        " return User.findAll({ where, order, limit: 2 }); }",
    )
    assert where(query) == [[("role", "equal", "'a'")]]
    assert [(s.column, s.descending) for s in query.order_by] == [("id", True)]
    assert query.unknown == []


def test_the_fixture_file(schema: Schema) -> None:
    path = FIXTURES / "posts.js"
    queries = read_sequelize_queries(read_module(str(path), path.read_text()), schema)
    assert [q.label for q in queries if q.implied_by is None] == [
        "Post.findAll",
        "models.Post.findOne",
        "db.User.findByPk",
        "Post.destroy",
        "User.update",
        "User.count",
        "Post.findAll",
        "Post.findAll",
        "sequelize.query",
        "sequelize.models.Tag.findAll",
    ]
    destroy = next(q for q in queries if q.label == "Post.destroy")
    assert destroy.in_loop and destroy.operation == "delete"
    raw = next(q for q in queries if q.operation == "raw")
    assert raw.sql == 'SELECT * FROM "Posts" WHERE status = :s' and raw.table == ""
    first = queries[0]
    assert len(first.where) == 2  # [Op.or] of two branches
    assert first.where[0].filters[2].insensitive  # title iLike


def test_never_raises_on_broken_text(schema: Schema) -> None:
    queries = read(schema, "User.findAll({ where: { id: { [Op.in]: [1, } }, order: [[ ")
    assert all(q.table == "Users" for q in queries)


# -- the corpus -----------------------------------------------------------------------------


@pytest.mark.corpus
def test_the_corpus_code(corpus_dir: Path) -> None:
    """Every JavaScript/TypeScript file of the Sequelize corpus projects but their
    migrations, read against the project's models: nothing raises; the models' own static
    methods and hooks hold the calls."""
    counts: dict[str, tuple[int, int]] = {}
    found: dict[str, list[Query]] = {}
    for project in ("opencollective-api", "grouparoo/core", "gladys/server"):
        root = corpus_dir / "sequelize" / project
        schema = _schema_of(root)
        total = unknown = 0
        for path in sorted(p for p in root.rglob("*") if p.suffix in (".js", ".ts")):
            if "migration" in str(path.relative_to(root)).lower():
                continue
            text = path.read_text()
            queries = read_sequelize_queries(read_module(str(path), text), schema)
            found[str(path.relative_to(corpus_dir))] = queries
            _spans_inside(queries, text)
            total += len(queries)
            unknown += sum(1 for q in queries if q.unknown)
        counts[project] = (total, unknown)
    assert counts["opencollective-api"][0] >= 250, counts
    assert counts["opencollective-api"][1] <= 0.3 * counts["opencollective-api"][0], counts
    assert counts["grouparoo/core"][0] >= 50, counts
    comment = found["sequelize/opencollective-api/server/models/Comment.ts"]
    assert [(q.label, q.table, where(q)) for q in comment] == [
        ("User.findByPk", "Users", [[("id", "equal", None), ("deletedAt", "is_null", "NULL")]]),
        (
            "Conversation.findOne",
            "Conversations",
            [[("RootCommentId", "equal", None), ("deletedAt", "is_null", "NULL")]],
        ),
        (
            "Comment.destroy",
            "Comments",
            [
                [
                    ("id", "not_equal", None),
                    ("ConversationId", "equal", None),
                    ("deletedAt", "is_null", "NULL"),
                ]
            ],
        ),
        (
            "Conversation.findOne",
            "Conversations",
            [[("RootCommentId", "equal", None), ("deletedAt", "is_null", "NULL")]],
        ),
    ]


def test_group_and_a_model_imported_as_model(schema: Schema) -> None:
    query = one(
        schema,
        "const UserModel = require('./user'); UserModel.count({ group: ['role', 'isActive'] })",
    )
    assert (query.table, query.model_name, query.group_by) == (
        "Users",
        "User",
        ["role", "isActive"],
    )


def test_the_samples_code(schema: Schema) -> None:
    """samples/sequelize-js's tests hold the calls: every one read, none unknown, and the
    paranoid Post's carry `deletedAt IS NULL`."""
    found: dict[str, list[Query]] = {}
    for path in sorted((SAMPLE / "test").rglob("*.ts")):
        found[path.name] = read_sequelize_queries(read_module(str(path), path.read_text()), schema)
    every = [q for queries in found.values() for q in queries]
    models = [q for q in every if q.operation != "raw"]
    assert len(models) >= 14 and not [q for q in models if q.unknown]
    membership = next(q for q in found["membership.test.ts"] if q.operation == "find_first")
    assert where(membership) == [[("teamId", "equal", None), ("userId", "equal", None)]]
    assert all(
        ("deletedAt", "is_null", "NULL") in where(q)[0]
        for q in found["post.test.ts"]
        if q.table == "Posts"
    )


def test_group_by_qualified_names(schema: Schema) -> None:
    query = one(
        schema,
        "Post.count({ group: ['Post.status', Sequelize.col('Post.title'), 'User.id'] })",
    )
    assert query.group_by == ["status", "title"]
    assert query.unknown == ["a group by an expression or built elsewhere"]


def test_spans_count_characters_not_bytes(schema: Schema) -> None:
    code = "// ünïcode 🎉 first\nUser.findAll({ where: { email: 'ö' }, order: [['id', 'DESC']] });"
    (query,) = read(schema, code)
    text = HEADER + code
    assert query.where_span is not None and query.order_span is not None
    assert text[query.where_span.start : query.where_span.end] == "{ email: 'ö' }"
    assert text[query.order_span.start : query.order_span.end] == "[['id', 'DESC']]"


def _spans_inside(queries: list[Query], text: str) -> None:
    """Every span in the file: a query's call; its `where` and `order` and each filter and
    sort key where they are written (in the call, or in the local constant the call names,
    before the call)."""
    for q in queries:
        assert q.span is not None and 0 <= q.span.start < q.span.end <= len(text), q.label
        for inner in (q.where_span, q.order_span):
            if inner is not None:
                assert 0 <= inner.start <= inner.end <= q.span.end, q.label
        for f in (f for b in q.where for f in b.filters):
            if f.span is not None:
                assert 0 <= f.span.start <= f.span.end <= len(text), q.label
        for s in q.order_by:
            if s.span is not None:
                assert 0 <= s.span.start <= s.span.end <= len(text), q.label


@pytest.mark.parametrize(
    "code",
    [
        "async function f(c) { const query = { where: { role: 'a' } };"
        " if (c) { query.where.email = 'x'; } return User.findOne(query); }",
        "async function f(c) { const where = { role: 'a' }; where[Op.or] = [{ id: 1 }];"
        " return User.findAll({ where }); }",
        "async function f(c) { const o = { where: { role: 'a' } }; Object.assign(o, c);"
        " return User.findAll(o); }",
    ],
)
def test_an_object_changed_after_it_was_built_is_said(schema: Schema, code: str) -> None:
    query = one(schema, code)
    assert where(query) == [[("role", "equal", "'a'")]]  # what the literal says, and that
    assert "options or where changed after they were built" in query.unknown


def test_an_object_read_but_not_changed_is_not_flagged(schema: Schema) -> None:
    query = one(
        schema,
        "async function f() { const query = { where: { role: 'a' } }; log(query.where.role);"
        " const same = query.where === other; return User.findOne(query); }",
    )
    assert query.unknown == []

"""The TypeORM query reader: each `where` operator, each way of reaching a repository, the
QueryBuilder, relations as implied queries, what is unknown, spans and loops; and a run over
the corpus code (jellyseerr's entities hold real repository calls and QueryBuilders)."""

from __future__ import annotations

from pathlib import Path

import pytest
from schemasense.codegen.queries.model import Query
from schemasense.codegen.schema import Schema
from schemasense.server.queries.typeorm import read_typeorm_queries
from schemasense.server.sources.typeorm.reader import read_typeorm
from schemasense.server.sources.typeorm.source import TypeOrmSource
from schemasense.server.sources.typescript import read_module

FIXTURES = Path(__file__).parent / "fixtures" / "typeorm"
MODELS = {"users": "User", "post": "Post", "comment": "Comment", "tag": "Tag"}
HEADER = (
    "import { Any, Between, Brackets, Equal, ILike, In, IsNull, LessThan, LessThanOrEqual, Like,"
    ' MoreThan, MoreThanOrEqual, Not, Raw, Repository } from "typeorm";\n'
    'import { User, Post } from "./entities";\n'
)


def _read_schema(model_names: bool) -> Schema:
    texts = {"/p/package.json": '{"dependencies": {"typeorm": "^0.3.20", "pg": "^8"}}'}
    for name in ("entities.ts", "data-source.ts"):
        texts[f"/p/src/{name}"] = (FIXTURES / name).read_text()
    schema = read_typeorm(texts).schema
    if not model_names:
        return schema
    tables = [t.model_copy(update={"model_name": MODELS.get(t.name)}) for t in schema.tables]
    return schema.model_copy(update={"tables": tables})


@pytest.fixture(scope="module")
def schema() -> Schema:
    """The fixture entities as the TypeORM reader gives them, with the entity class names on
    the tables (the contract the query readers are written against)."""
    return _read_schema(model_names=True)


def read(schema: Schema, code: str, path: str = "/p/src/q.ts") -> list[Query]:
    return read_typeorm_queries(read_module(path, HEADER + code), schema)


def where(query: Query) -> list[list[tuple[str, str, str | None]]]:
    return [[(f.column, f.kind, f.value) for f in b.filters] for b in query.where]


def one(schema: Schema, code: str) -> Query:
    (query,) = [q for q in read(schema, code) if q.implied_by is None]
    return query


# -- operators ------------------------------------------------------------------------------

OPERATORS = [
    ('{ email: "a@b.c" }', [[("email", "equal", "'a@b.c'")]]),
    ("{ age: 3, name: true }", [[("age", "equal", "3"), ("name", "equal", "TRUE")]]),
    ('{ email: Equal("x") }', [[("email", "equal", "'x'")]]),
    ("{ age: In([1, 2]) }", [[("age", "in", None)]]),
    ("{ age: Any([1, 2]) }", [[("age", "in", None)]]),
    ("{ age: Between(1, 9) }", [[("age", "range", None)]]),
    ("{ age: LessThan(9) }", [[("age", "range", None)]]),
    ("{ age: LessThanOrEqual(9) }", [[("age", "range", None)]]),
    ("{ age: MoreThan(9) }", [[("age", "range", None)]]),
    ("{ age: MoreThanOrEqual(9) }", [[("age", "range", None)]]),
    ('{ name: Like("bob%") }', [[("name", "prefix", None)]]),
    ('{ name: Like("%bob") }', [[("name", "suffix", None)]]),
    ('{ name: Like("%bob%") }', [[("name", "contains", None)]]),
    ("{ name: Like(`%${q}%`) }", [[("name", "contains", None)]]),
    ("{ name: Like(q) }", [[("name", "other", None)]]),
    ('{ name: Like("bob") }', [[("name", "equal", "'bob'")]]),
    ("{ deletedAt: IsNull() }", [[("deletedAt", "is_null", "NULL")]]),
    ("{ deletedAt: Not(IsNull()) }", [[("deletedAt", "not_null", None)]]),
    ('{ name: Not("bob") }', [[("name", "not_equal", "'bob'")]]),
    ("{ age: Not(In([1])) }", [[("age", "not_equal", None)]]),
    ("{ age: Not(MoreThan(3)) }", [[("age", "other", None)]]),
    ("{ email: Raw((a) => `${a} = 1`) }", [[("email", "other", None)]]),
    ("{ email: null, name: undefined }", []),  # TypeORM 0.3 leaves them out
    ("{ email }", [[("email", "equal", None)]]),
    (
        '[{ email: "a" }, { age: MoreThan(1) }]',
        [[("email", "equal", "'a'")], [("age", "range", None)]],
    ),
]


@pytest.mark.parametrize(("where_text", "expected"), OPERATORS)
def test_each_where_operator(schema: Schema, where_text: str, expected: list) -> None:
    query = one(schema, f"async function f(email, q) {{ return User.findBy({where_text}); }}")
    assert where(query) == expected
    assert query.table == "users" and query.operation == "find_many" and query.origin == "typeorm"


def test_ilike_is_insensitive(schema: Schema) -> None:
    query = one(schema, 'User.findOneBy({ name: ILike("%ann%") })')
    (f,) = query.where[0].filters
    assert (f.kind, f.insensitive) == ("contains", True)
    assert query.operation == "find_first" and query.limit == 1


def test_an_or_past_the_bound_is_unknown(schema: Schema) -> None:
    branches = ", ".join(f"{{ age: {i} }}" for i in range(40))
    query = one(schema, f"User.findBy([{branches}])")
    assert query.where == [] and any("OR branches" in u for u in query.unknown)


def test_and_of_ors_is_expanded(schema: Schema) -> None:
    query = one(schema, "User.findBy({ age: Or(1, 2), name: Or('a', 'b') })")
    # `Or` (TypeORM 0.3.12+) on each column: (1 OR 2) AND (a OR b) -> four branches
    assert len(query.where) == 4


# -- reaching a repository ------------------------------------------------------------------


def test_the_service_fixture(schema: Schema) -> None:
    """user.service.ts: NestJS injection, getRepository, a manager, BaseEntity, a QueryBuilder
    held in a variable, raw SQL, and an array's `find` that is no query."""
    text = (FIXTURES / "user.service.ts").read_text()
    queries = read_typeorm_queries(read_module("/p/src/user.service.ts", text), schema)
    labels = [q.label for q in queries]
    assert labels == [
        "userRepository.findOne",
        "userRepository.findOne → posts",
        "userRepository.find",
        "posts.findBy",
        "posts.findBy → author",
        "userRepository.find",
        "dataSource.getRepository(Post).countBy",
        "dataSource.manager.find",
        "posts.find",
        "User.findOneBy",
        'qb: userRepository.createQueryBuilder("u")',
        'qb: userRepository.createQueryBuilder("u") → u.posts',
        'qb: dataSource.createQueryBuilder(Post, "post")',
        "dataSource.query",
    ]
    by = {q.label: q for q in queries}
    assert where(by["posts.findBy"]) == [
        [("authorId", "equal", None), ("status", "in", None), ("title", "prefix", None)]
    ]
    assert by["posts.findBy → author"].implied_by == "posts.findBy"
    assert where(by["posts.find"]) == [
        [("status", "equal", "'live'"), ("createdAt", "range", None)]
    ]
    count = by["dataSource.getRepository(Post).countBy"]
    assert count.operation == "count" and count.in_loop
    assert where(count) == [[("id", "equal", None), ("status", "not_equal", "'draft'")]]
    raw = by["dataSource.query"]
    assert raw.operation == "raw" and raw.sql == "SELECT * FROM users WHERE email = $1"
    assert all(q.table == "" for q in queries if q.operation == "raw")


CALL = "f() { return this.repo.findBy({ age: 1 }); }"


@pytest.mark.parametrize(
    "code",
    [
        "class S { constructor(@InjectRepository(User) private readonly repo) {} " + CALL + " }",
        "class S { constructor(private repo: Repository<User>) {} " + CALL + " }",
        "class S { private repo = dataSource.getRepository(User); " + CALL + " }",
        "class S { @InjectRepository(User) repo: Repository<User>; " + CALL + " }",
        "async function f() { const repo = dataSource.getRepository(User);"
        " return repo.findBy({ age: 1 }); }",
        "async function f() { return getRepository(User).findBy({ age: 1 }); }",
        "async function f(ds) { return ds.manager.getRepository(User).findBy({ age: 1 }); }",
        "async function f(manager) { return manager.findBy(User, { age: 1 }); }",
        'async function f(manager) { return manager.findBy("User", { age: 1 }); }',
        "async function f() { return User.findBy({ age: 1 }); }",
        "await dataSource.transaction(async (em) => em.findBy(User, { age: 1 }));",
    ],
)
def test_each_way_of_reaching_a_repository(schema: Schema, code: str) -> None:
    query = one(schema, code)
    assert (query.table, query.model_name, where(query)) == (
        "users",
        "User",
        [[("age", "equal", "1")]],
    )


@pytest.mark.parametrize(
    "code",
    [
        "function f(list) { return list.find((x) => x.age === 1); }",
        "function f(repo) { return repo.find({ where: { age: 1 } }); }",  # entity unknown
        "function f(x) { return x.items.findOne({ where: { age: 1 } }); }",
        "function f(req) { return req.query('name'); }",
    ],
)
def test_calls_that_are_not_known_queries_are_left_out(schema: Schema, code: str) -> None:
    assert read(schema, code) == []


def test_without_model_names_the_default_table_names_are_found() -> None:
    """The TypeORM reader does not yet put the class name on its tables: `User` is found as
    `users` (pluralised snake case), `Post` as `post`."""
    schema = _read_schema(model_names=False)
    queries = read(schema, "User.findBy({ age: 1 }); Post.findBy({ title: 'x' });")
    assert [q.table for q in queries] == ["users", "post"]


# -- options --------------------------------------------------------------------------------


def test_order_take_and_spans(schema: Schema) -> None:
    code = (
        "async function f() {\n"
        "  return User.find({ where: { age: MoreThan(1) }, order: { createdAt: 'DESC', "
        "id: { direction: 'asc', nulls: 'last' }, name: -1 }, take: 20, skip: 5 });\n}"
    )
    query = one(schema, code)
    text = HEADER + code
    assert [(s.column, s.descending, s.nulls) for s in query.order_by] == [
        ("createdAt", True, None),
        ("id", False, "last"),
        ("name", True, None),
    ]
    assert (query.limit, query.limited) == (20, True)
    assert query.span is not None and text[query.span.start : query.span.end].startswith(
        "User.find("
    )
    assert query.where_span is not None
    assert text[query.where_span.start : query.where_span.end] == "{ age: MoreThan(1) }"
    assert query.order_span is not None
    assert text[query.order_span.start : query.order_span.end].startswith("{ createdAt: 'DESC'")
    (f,) = query.where[0].filters
    assert f.span is not None and text[f.span.start : f.span.end] == "MoreThan(1)"
    assert query.order_by[0].span is not None
    assert text[query.order_by[0].span.start : query.order_by[0].span.end] == "createdAt: 'DESC'"


def test_relations_imply_queries_by_their_join_columns(schema: Schema) -> None:
    queries = read(
        schema, "Post.find({ where: { id: 1 }, relations: ['author', 'comments', 'tags'] })"
    )
    assert [(q.label, q.table, where(q)) for q in queries] == [
        ("Post.find", "post", [[("id", "equal", "1")]]),
        ("Post.find → author", "users", [[("id", "equal", None)]]),
        ("Post.find → comments", "comment", [[("postId", "equal", None)]]),
        ("Post.find → tags (join table)", "post_tags_tag", [[("postId", "equal", None)]]),
        ("Post.find → tags", "tag", [[("id", "equal", None)]]),
    ]
    assert all(q.implied_by == "Post.find" for q in queries[1:])


def test_relations_as_an_object_and_nested(schema: Schema) -> None:
    queries = read(
        schema, "User.find({ relations: { posts: { comments: true }, profile: false } })"
    )
    assert [(q.table, where(q)) for q in queries[1:]] == [
        ("post", [[("authorId", "equal", None)]]),
        ("comment", [[("postId", "equal", None)]]),
    ]


def test_a_relation_in_where_filters_the_join_column_and_implies_a_query(schema: Schema) -> None:
    """`{ author: { id: 7, age: ... } }`: the author's key fixes `authorId` (PostgreSQL derives
    it through the join), and the author is a query of its own on its key and filters."""
    post, author = read(schema, "Post.findBy({ author: { id: 7, age: MoreThan(3) } })")
    assert where(post) == [[("authorId", "equal", "7")]]
    assert (author.table, author.implied_by) == ("users", "Post.findBy")
    assert where(author) == [[("id", "equal", None), ("id", "equal", "7"), ("age", "range", None)]]
    post, author = read(schema, "Post.findBy({ author: { age: 3 } })")
    # only the author's age: post is reached by the join (`authorId` IN the matching authors),
    # as PostgreSQL does from the authors it finds (tests/verify/test_query_chain_explain.py)
    assert where(post) == [[("authorId", "in", None)]]
    assert where(author) == [[("id", "equal", None), ("age", "equal", "3")]]


def test_find_one_by_id_and_criteria(schema: Schema) -> None:
    queries = read(
        schema,
        "User.findOne(5); User.delete([1, 2]); User.update({ email: 'a' }, { age: 1 });"
        " User.softDelete(3); User.findByIds(ids); User.sum('age', { name: 'x' });",
    )
    assert [(q.operation, where(q)) for q in queries] == [
        ("find_unique", [[("id", "equal", "5")]]),
        ("delete", [[("id", "in", None)]]),
        ("update", [[("email", "equal", "'a'")]]),
        ("update", [[("id", "equal", "3")]]),
        ("find_many", [[("id", "in", None)]]),
        ("aggregate", [[("name", "equal", "'x'")]]),
    ]


@pytest.mark.parametrize(
    ("code", "reason"),
    [
        ("function f(where) { return User.find({ where }); }", "where built elsewhere"),
        ("function f(options) { return User.find(options); }", "options built elsewhere"),
        ("function f(w) { return User.findBy({ ...w, age: 1 }); }", "where spread from elsewhere"),
        (
            "function f(o) { return User.find({ where: { age: 1 }, order: o }); }",
            "order built elsewhere",
        ),
        ("function f(id) { return User.delete(id); }", "criteria built elsewhere"),
    ],
)
def test_what_cannot_be_known_is_said(schema: Schema, code: str, reason: str) -> None:
    query = one(schema, code)
    assert reason in query.unknown


def test_local_constants_and_spreads_are_followed(schema: Schema) -> None:
    code = (
        "async function f() {\n"
        "  const base = { name: 'x' };\n"
        "  const where = { ...base, age: In([1]) };\n"
        "  const options = { where, take: 3 };\n"
        "  return User.find(options);\n}"
    )
    query = one(schema, code)
    assert where(query) == [[("name", "equal", "'x'"), ("age", "in", None)]]
    assert query.limit == 3 and query.unknown == []


def test_in_loop(schema: Schema) -> None:
    queries = read(
        schema,
        "for (const id of ids) { await User.findOneBy({ id }); }\n"
        "await Promise.all(ids.map((id) => User.findOneBy({ id })));\n"
        "await User.findOneBy({ id: 1 });",
    )
    assert [q.in_loop for q in queries] == [True, True, False]


# -- QueryBuilder ---------------------------------------------------------------------------


def test_query_builder_chain(schema: Schema) -> None:
    code = (
        "function f(email) {\n"
        "  return dataSource.getRepository(User).createQueryBuilder('u')\n"
        "    .leftJoinAndSelect('u.posts', 'p')\n"
        "    .where('u.email = :email AND u.deletedAt IS NULL', { email })\n"
        "    .andWhere('(p.status = :s OR p.title ILIKE :t)', { s: 'live', t: 'ab%' })\n"
        "    .orderBy('u.createdAt', 'DESC', 'NULLS LAST')\n"
        "    .addOrderBy('u.id')\n"
        "    .take(10)\n"
        "    .getMany();\n}"
    )
    main, posts = read(schema, code)
    assert main.label == "qb: dataSource.getRepository(User).createQueryBuilder('u')"
    assert (main.table, main.operation, main.limit) == ("users", "find_many", 10)
    assert where(main) == [[("email", "equal", None), ("deletedAt", "is_null", "NULL")]]
    assert [(s.column, s.descending, s.nulls) for s in main.order_by] == [
        ("createdAt", True, "last"),
        ("id", False, None),
    ]
    assert posts.implied_by == main.label and posts.table == "post"
    assert where(posts) == [
        [("authorId", "equal", None), ("status", "equal", "'live'")],
        [("authorId", "equal", None), ("title", "prefix", "'ab%'")],
    ]
    assert posts.where[1].filters[1].insensitive
    text = HEADER + code
    assert main.where_span is not None
    assert text[main.where_span.start : main.where_span.end].startswith("'u.email = :email")
    assert main.span is not None and text[main.span.start : main.span.end].endswith(".getMany()")


def test_query_builder_in_a_variable_with_conditions(schema: Schema) -> None:
    code = (
        "async function f(q) {\n"
        "  const qb = dataSource.createQueryBuilder(Post, 'post')"
        ".where('post.status IN (:...s)');\n"
        "  if (q) { qb.andWhere(new Brackets((w) => w.where('post.title = :q'))); }\n"
        "  qb.orWhere('post.createdAt > :d');\n"
        "  qb.orderBy({ 'post.createdAt': 'DESC' });\n"
        "  return qb.getOne();\n}"
    )
    (query,) = read(schema, code)
    assert query.operation == "find_first" and query.limit == 1
    assert where(query) == [[("status", "in", None)], [("createdAt", "range", None)]]
    assert [(s.column, s.descending) for s in query.order_by] == [("createdAt", True)]
    assert query.unknown == ["a `andWhere` added only under a condition"]


def test_query_builder_from_update_and_brackets(schema: Schema) -> None:
    queries = read(
        schema,
        "dataSource.createQueryBuilder().select('u').from(User, 'u').where('lower(u.email) = :e')"
        ".getCount();\n"
        "dataSource.createQueryBuilder().update(Post).set({ status: 'x' }).where('id = :id')"
        ".execute();\n"
        "User.createQueryBuilder('u').where(new Brackets((qb) => qb.where('u.age > 1')))"
        ".getExists();\n"
        "dataSource.createQueryBuilder().insert().into(User).values({}).execute();",
    )
    assert [(q.table, q.operation) for q in queries] == [
        ("users", "count"),
        ("post", "update"),
        ("users", "exists"),
    ]
    lower = queries[0].where[0].filters[0]
    assert (lower.column, lower.kind, lower.insensitive) == ("email", "equal", True)
    assert (lower.expression, lower.expression_columns) == ("lower(email)", ["email"])
    assert where(queries[1]) == [[("id", "equal", None)]]
    assert queries[2].unknown == []
    assert where(queries[2]) == [[("age", "range", "1")]]


def test_brackets_and_not_brackets(schema: Schema) -> None:
    """`Brackets` read as the builder's own `where`s (nested ones too, in an expression or a
    block body); `NotBrackets` negated; one that cannot be read is unknown."""
    queries = read(
        schema,
        "User.createQueryBuilder('u').where('u.email = :e')"
        ".andWhere(new Brackets((qb) => qb.where('u.age = :a').orWhere('u.name = :n')))"
        ".getMany();\n"
        "User.createQueryBuilder('u').where(new Brackets((qb) => {\n"
        "  qb.where('u.age > 1');\n"
        "  qb.andWhere(new Brackets((inner) => inner.where('u.name = :n')"
        ".orWhere('u.email = :e')));\n"
        "})).getMany();\n"
        "User.createQueryBuilder('u').where('u.age = 3')"
        ".andWhere(new NotBrackets((qb) => qb.where('u.name = :n').orWhere('u.email = :e')))"
        ".getMany();\n"
        "User.createQueryBuilder('u').where(new Brackets(build)).getMany();\n"
        "User.createQueryBuilder('u')"
        ".where(new Brackets((qb) => { if (x) qb.where('u.age = 1'); })).getMany();\n",
    )
    assert [where(q) for q in queries] == [
        [
            [("email", "equal", None), ("age", "equal", None)],
            [("email", "equal", None), ("name", "equal", None)],
        ],
        [
            [("age", "range", "1"), ("name", "equal", None)],
            [("age", "range", "1"), ("email", "equal", None)],
        ],
        [[("age", "equal", "3"), ("name", "not_equal", None), ("email", "not_equal", None)]],
        [],
        [],
    ]
    assert [q.unknown for q in queries] == [
        [],
        [],
        [],
        ["a condition in `Brackets` that could not be read"],
        ["a condition in `Brackets` that could not be read"],
    ]


def test_raw_sql(schema: Schema) -> None:
    queries = read(
        schema,
        "async function f(id) { await dataSource.query(`SELECT * FROM post WHERE id = ${id}`);"
        " await this.manager.query('UPDATE users SET age = 1'); }",
    )
    assert [(q.operation, q.sql, q.label) for q in queries] == [
        ("raw", "SELECT * FROM post WHERE id = $1", "dataSource.query"),
        ("raw", "UPDATE users SET age = 1", "manager.query"),
    ]


def test_never_raises_on_broken_text(schema: Schema) -> None:
    queries = read(schema, "User.find({ where: { age: In([1, ) }, order: { ")
    assert all(q.table == "users" for q in queries)


# -- the corpus -----------------------------------------------------------------------------


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


def _corpus_schema(root: Path) -> Schema:
    source = TypeOrmSource()
    (unit, *_) = source.find_units(str(root), _Files())
    texts = {p: Path(p).read_text(encoding="utf-8") for p in unit.files if Path(p).exists()}
    return source.read(texts).schema


@pytest.mark.corpus
def test_the_corpus_code(corpus_dir: Path) -> None:
    """Every TypeScript file of the TypeORM corpus projects but their migrations, read against
    its project's entities: nothing raises; jellyseerr's entity files hold the calls (the
    other projects kept only entities, migrations and config: one raw query in medusa)."""
    counts: dict[str, tuple[int, int]] = {}
    found: dict[str, list[Query]] = {}
    for project in ("jellyseerr", "medusa-v1/packages/medusa", "awesome-nest-boilerplate"):
        root = corpus_dir / "typeorm" / project
        schema = _corpus_schema(root)
        total = unknown = 0
        for path in sorted(root.rglob("*.ts")):
            if "migration" in str(path.relative_to(root)).lower():
                continue
            text = path.read_text()
            queries = read_typeorm_queries(read_module(str(path), text), schema)
            found[str(path.relative_to(corpus_dir))] = queries
            _spans_inside(queries, text)
            total += len(queries)
            unknown += sum(1 for q in queries if q.unknown)
        counts[project] = (total, unknown)
    assert counts["jellyseerr"][0] >= 30 and counts["jellyseerr"][1] <= 2, counts
    assert counts["medusa-v1/packages/medusa"][0] >= 1, counts
    requests = found["typeorm/jellyseerr/server/entity/MediaRequest.ts"]
    qb = [q for q in requests if q.label == "qb: requestRepository.createQueryBuilder('request')"]
    assert [(q.table, where(q)) for q in qb] == [
        ("media_request", [[("is4k", "equal", None)]]),
    ]
    joined = [q for q in requests if q.implied_by == qb[0].label]
    assert [(q.table, where(q)) for q in joined] == [
        (
            "media",
            [[("id", "equal", None), ("tmdbId", "equal", None), ("mediaType", "equal", None)]],
        ),
        ("user", [[("id", "equal", None)]]),
    ]
    update = next(q for q in requests if q.label == "mediaRepository.update")
    assert (update.table, update.operation, where(update)) == (
        "media",
        "update",
        [[("id", "equal", None)]],
    )


def test_this_in_custom_repositories_and_base_entity_statics(schema: Schema) -> None:
    """repositories.ts: `extends Repository<User>`, `@EntityRepository(Post)`, a BaseEntity's
    static method; an instance method's `this.find()` is no repository call."""
    text = (FIXTURES / "repositories.ts").read_text()
    queries = read_typeorm_queries(read_module("/p/src/repositories.ts", text), schema)
    assert [(q.label, q.table, where(q)) for q in queries] == [
        ("this.findOneBy", "users", [[("email", "equal", None)]]),
        ('qb: createQueryBuilder("u")', "users", [[("age", "range", "3")]]),
        ("this.find", "post", [[("status", "equal", "'live'")]]),
        ("this.findBy", "users", [[("age", "range", None)]]),
    ]


def test_raw_sql_through_a_database_receiver(schema: Schema) -> None:
    """A database's `query(...)` whose SQL is not a literal is still a raw query (its SQL
    unknown); `req.query(x)` is not."""
    queries = read(
        schema,
        "async function f(sql, req) { await this.dataSource.query(sql); req.query(sql);"
        " await queryRunner.query('SET LOCAL x = 1'); }",
    )
    assert [(q.label, q.sql, q.unknown) for q in queries] == [
        ("dataSource.query", None, ["SQL built elsewhere"]),
        ("queryRunner.query", "SET LOCAL x = 1", []),
    ]


@pytest.mark.parametrize("sample", ["typeorm-nest", "typeorm-sqlite"])
def test_the_samples_code(sample: str) -> None:
    """The samples' TypeScript (their tests hold the calls), read against the samples'
    entities (typeorm-nest uses SnakeNamingStrategy): every call read, none unknown."""
    root = Path(__file__).resolve().parents[3] / "samples" / sample
    schema = _corpus_schema(root)
    queries: dict[str, list[Query]] = {}
    for path in sorted(root.rglob("*.ts")):
        if "node_modules" in path.parts or "migrations" in path.parts:
            continue
        queries[path.name] = read_typeorm_queries(read_module(str(path), path.read_text()), schema)
    every = [q for found in queries.values() for q in found]
    assert len(every) >= 9 and not [q for q in every if q.unknown]
    if sample == "typeorm-nest":
        by_author = [q for q in queries["post.test.ts"] if q.label == "db.getRepository(Post).find"]
        # Post has a @DeleteDateColumn: TypeORM adds `deleted_at IS NULL` to every find
        deleted = ("deleted_at", "is_null", "NULL")
        assert [(q.table, where(q)) for q in by_author] == [
            ("post", [[("slug", "equal", None), deleted]]),
            ("post", [[("author_id", "equal", None), ("published_at", "equal", None), deleted]]),
        ]


def test_a_join_column_by_its_own_name(schema: Schema) -> None:
    """`authorId` is the column of the relation `author` (the column carries that field):
    named directly, it is still the column."""
    query = one(schema, "Post.findBy({ authorId: 1 })")
    assert where(query) == [[("authorId", "equal", "1")]]


def test_a_sort_by_a_relation_is_unknown(schema: Schema) -> None:
    query = one(schema, "Post.find({ order: { author: { name: 'ASC' }, id: 'DESC' } })")
    assert [(s.column, s.descending) for s in query.order_by] == [("id", True)]
    assert query.unknown == ["the sort by `author` (a relation's column)"]


def test_query_builder_join_of_an_entity_with_a_condition(schema: Schema) -> None:
    main, joined = read(
        schema,
        "User.createQueryBuilder('u').innerJoin(Post, 'p', 'p.authorId = u.id AND p.status = :s',"
        " { s: 'live' }).where('p.title = :t').getMany();",
    )
    assert (main.table, where(main)) == ("users", [])
    assert (joined.table, joined.implied_by, joined.label) == (
        "post",
        main.label,
        f"{main.label} → p",
    )
    assert where(joined) == [
        [("authorId", "equal", None), ("status", "equal", "'live'"), ("title", "equal", None)]
    ]


def test_spans_count_characters_not_bytes(schema: Schema) -> None:
    code = "// héllo wörld — ünïcode 🎉\nUser.findBy({ email: 'ä' });"
    (query,) = read(schema, code)
    text = HEADER + code
    assert query.span is not None and query.where_span is not None
    assert text[query.span.start : query.span.end] == "User.findBy({ email: 'ä' })"
    assert text[query.where_span.start : query.where_span.end] == "{ email: 'ä' }"
    assert where(query) == [[("email", "equal", "'ä'")]]


def test_called_as_the_project_reader_calls_it(schema: Schema) -> None:
    """`reader(module, schema, file)`: the spans name `file`."""
    module = read_module("/p/src/q.ts", HEADER + "User.findBy({ age: 1 })")
    (query,) = read_typeorm_queries(module, schema, "/abs/src/q.ts")
    assert query.span is not None and query.span.file == "/abs/src/q.ts"


def test_typeorm_02_conditions_as_the_only_argument(schema: Schema) -> None:
    """TypeORM 0.2 reads an object with no find-option key as conditions."""
    queries = read(schema, "User.findOne({ email: 'a' }); User.find({ take: 2 });")
    assert [(where(q), q.limit) for q in queries] == [([[("email", "equal", "'a'")]], 1), ([], 2)]


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


def test_options_changed_after_they_were_built_are_said(schema: Schema) -> None:
    query = one(
        schema,
        "async function f(q) { const options = { where: { age: 1 } };"
        " if (q) options.order = { id: 'DESC' }; return User.find(options); }",
    )
    assert "options or where changed after they were built" in query.unknown

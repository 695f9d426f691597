"""Prisma Client calls read from TypeScript (`server/queries/prisma_client.py`): one line per
behaviour, each a small piece of code and the query (table, where in DNF, sort, ...) it makes,
in database names (`@map`, `@@map`) through `schema_fixture.prisma`."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest
from schemasense.codegen.queries.model import Query
from schemasense.codegen.schema import Schema
from schemasense.server.queries import dnf
from schemasense.server.queries.prisma_client import read_prisma_queries
from schemasense.server.sources.prisma.reader import read_prisma_schema
from schemasense.server.sources.typescript import read_module

HERE = Path(__file__).parent


@cache
def schema() -> Schema:
    text = (HERE / "schema_fixture.prisma").read_text(encoding="utf-8")
    read = read_prisma_schema({"schema.prisma": text})
    assert not [f for f in read.findings if f.severity == "error"]
    return read.schema


def read(code: str, path: str = "a.ts") -> list[Query]:
    return read_prisma_queries(read_module(path, code), schema())


def one(code: str) -> Query:
    (query,) = read(code)
    return query


def where(query: Query) -> list[list[tuple]]:
    """Each branch as (column, kind[, value][, "ci"]) tuples."""
    out = []
    for branch in query.where:
        items = []
        for f in branch.filters:
            item: tuple = (f.column, f.kind)
            if f.value is not None:
                item += (f.value,)
            if f.insensitive:
                item += ("ci",)
            items.append(item)
        out.append(items)
    return out


def w(code: str) -> list[list[tuple]]:
    """The where of `prisma.post.findMany({ where: <code> })`."""
    return where(one(f"prisma.post.findMany({{ where: {code} }})"))


def u(code: str) -> list[list[tuple]]:
    """The where of `prisma.user.findMany({ where: <code> })`."""
    return where(read(f"prisma.user.findMany({{ where: {code} }})")[0])


# -- operators ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("{ title: 'a' }", [[("title", "equal", "'a'")]]),
        ("{ views: 3 }", [[("views", "equal", "3")]]),
        ("{ published: true }", [[("published", "equal", "true")]]),
        ("{ authorId: id }", [[("author_id", "equal")]]),
        ("{ authorId: Number(x) }", [[("author_id", "equal")]]),
        ("{ authorId: row.authorId }", [[("author_id", "equal")]]),
        ("{ authorId: ids[0] }", [[("author_id", "equal")]]),
        ("{ views: n + 1 }", [[("views", "equal")]]),
        ("{ title: { equals: 'a' } }", [[("title", "equal", "'a'")]]),
        ("{ title: { equals: 'a', mode: 'insensitive' } }", [[("title", "equal", "'a'", "ci")]]),
        ("{ authorId: { in: ids } }", [[("author_id", "in")]]),
        ("{ authorId: { notIn: [1, 2] } }", [[("author_id", "not_equal")]]),
        ("{ views: { gt: 1 } }", [[("views", "range")]]),
        ("{ views: { gte: 1, lt: 9 } }", [[("views", "range"), ("views", "range")]]),
        ("{ createdAt: { lte: d } }", [[("created_at", "range")]]),
        ("{ title: { contains: 'a' } }", [[("title", "contains")]]),
        ("{ title: { startsWith: 'a' } }", [[("title", "prefix")]]),
        ("{ title: { endsWith: 'a' } }", [[("title", "suffix")]]),
        ("{ title: { contains: q, mode: 'insensitive' } }", [[("title", "contains", "ci")]]),
        ("{ title: { not: 'a' } }", [[("title", "not_equal", "'a'")]]),
        ("{ title: { not: null } }", [[("title", "not_null")]]),
        ("{ title: { not: { startsWith: 'a' } } }", [[("title", "other")]]),
        ("{ views: { not: { gt: 3 } } }", [[("views", "range")]]),
        ("{ body: { search: 'cat & dog' } }", [[("body", "fulltext")]]),
        ("{ title: undefined }", []),
        ("{ title: { equals: undefined } }", []),
        ("{}", []),
    ],
)
def test_operators(code: str, expected: list) -> None:
    assert w(code) == expected


def test_null_is_is_null_on_the_mapped_column() -> None:
    assert u("{ deletedAt: null }") == [[("deleted_at", "is_null")]]


def test_compound_unique_input() -> None:
    query = one("prisma.user.findUnique({ where: { email_tenantId: { email: e, tenantId: 3 } } })")
    assert where(query) == [[("email", "equal"), ("tenant_id", "equal", "3")]]
    assert query.operation == "find_unique" and query.limit == 1


# -- AND / OR / NOT -------------------------------------------------------------------------


def test_and_or_not_expand_to_dnf() -> None:
    assert w("{ OR: [{ title: 'a' }, { views: 1 }], published: true }") == [
        [("title", "equal", "'a'"), ("published", "equal", "true")],
        [("views", "equal", "1"), ("published", "equal", "true")],
    ]
    assert w("{ AND: [{ title: 'a' }, { views: { gt: 1 } }] }") == [
        [("title", "equal", "'a'"), ("views", "range")]
    ]
    assert w("{ AND: { title: 'a' } }") == [[("title", "equal", "'a'")]]
    # NOT (a AND b) = NOT a OR NOT b
    assert w("{ NOT: { title: 'a', published: true } }") == [
        [("title", "not_equal", "'a'")],
        [("published", "not_equal", "true")],
    ]
    # NOT [x, y] = NOT x AND NOT y
    assert w("{ NOT: [{ title: 'a' }, { views: null }] }") == [
        [("title", "not_equal", "'a'"), ("views", "not_null")]
    ]
    assert w("{ OR: [{ AND: [{ title: 'a' }, { views: 1 }] }, { title: { in: t } }] }") == [
        [("title", "equal", "'a'"), ("views", "equal", "1")],
        [("title", "in")],
    ]


def test_or_with_an_empty_branch_is_no_filter() -> None:
    assert w("{ OR: [{ title: 'a' }, {}] }") == []


def test_too_many_branches_is_unknown_not_a_guess() -> None:
    ors = ", ".join(f"{{ OR: [{{ views: {i} }}, {{ title: 'x{i}' }}] }}" for i in range(8))
    query = one(f"prisma.post.findMany({{ where: {{ AND: [{ors}] }} }})")
    assert dnf.MAX_BRANCHES < 2**8
    assert query.where == []
    assert any("OR branches" in reason for reason in query.unknown)


# -- relations ------------------------------------------------------------------------------


def test_relation_filter_some_is_an_implied_query_on_the_related_table() -> None:
    parent, related = read(
        "prisma.user.findMany({ where: { posts: { some: { published: true } } } })"
    )
    assert where(parent) == [[("id", "in")]]
    assert related.table == "posts" and related.implied_by == "prisma.user.findMany"
    assert where(related) == [[("author_id", "in"), ("published", "equal", "true")]]


def test_relation_filters_every_none_is_isnot() -> None:
    parent, related = read("prisma.user.findMany({ where: { posts: { every: { views: 0 } } } })")
    assert where(parent) == [[("id", "not_equal")]]
    assert where(related) == [[("author_id", "in"), ("views", "not_equal", "0")]]
    parent, related = read("prisma.user.findMany({ where: { posts: { none: { views: 0 } } } })")
    assert where(parent) == [[("id", "not_equal")]]
    assert where(related) == [[("author_id", "in"), ("views", "equal", "0")]]
    parent, related = read("prisma.post.findMany({ where: { author: { is: { name: 'a' } } } })")
    assert where(parent) == [[("author_id", "in")]]
    assert (related.table, where(related)) == ("users", [[("id", "in"), ("name", "equal", "'a'")]])
    parent, related = read("prisma.post.findMany({ where: { author: { isNot: { name: 'a' } } } })")
    assert where(parent) == [[("author_id", "not_equal")]]
    # a bare filter on a to-one relation is `is`
    parent, related = read("prisma.post.findMany({ where: { author: { email: e } } })")
    assert where(related) == [[("id", "in"), ("email", "equal")]]
    # the back side of a one-to-one: Profile by user_id
    parent, related = read("prisma.user.findMany({ where: { profile: { is: { bio: 'x' } } } })")
    assert (related.table, where(related)) == (
        "profiles",
        [[("user_id", "in"), ("bio", "equal", "'x'")]],
    )


def test_relation_null_is_the_foreign_key_null() -> None:
    assert where(one("prisma.user.findMany({ where: { manager: null } })")) == [
        [("manager_id", "is_null")]
    ]
    assert where(one("prisma.post.findMany({ where: { author: { isNot: null } } })")) == [
        [("author_id", "not_null")]
    ]


def test_self_relation_back_side() -> None:
    _, related = read("prisma.user.findMany({ where: { reports: { some: { name: 'a' } } } })")
    assert (related.table, where(related)) == (
        "users",
        [[("manager_id", "in"), ("name", "equal", "'a'")]],
    )


def test_many_to_many_goes_through_the_join_table() -> None:
    parent, join, tag = read("prisma.post.findMany({ where: { tags: { some: { name: 'x' } } } })")
    assert where(parent) == [[("id", "in")]]
    assert (join.table, where(join)) == ("_PostToTag", [[("A", "in")]])
    assert (tag.table, where(tag)) == ("Tag", [[("id", "in"), ("name", "equal", "'x'")]])


def test_include_and_select_imply_queries() -> None:
    queries = read(
        """prisma.user.findMany({
          include: {
            posts: { where: { published: true }, orderBy: { createdAt: 'desc' }, take: 5,
                     include: { tags: true } },
            profile: true,
            manager: false,
            _count: { select: { posts: true } },
          },
        })"""
    )
    got = [(q.table, where(q), q.operation) for q in queries]
    assert got == [
        ("users", [], "find_many"),
        ("posts", [[("author_id", "in"), ("published", "equal", "true")]], "find_many"),
        ("_PostToTag", [[("A", "in")]], "find_many"),
        ("Tag", [[("id", "in")]], "find_many"),
        ("profiles", [[("user_id", "in")]], "find_many"),
        ("posts", [[("author_id", "in")]], "count"),
    ]
    posts = queries[1]
    assert [(k.column, k.descending) for k in posts.order_by] == [("created_at", True)]
    assert (posts.limit, posts.limited, posts.implied_by) == (5, True, "prisma.user.findMany")
    selected = read(
        "prisma.post.findFirst({ select: { id: true, author: { select: { name: true } } } })"
    )
    assert [(q.table, where(q)) for q in selected] == [("posts", []), ("users", [[("id", "in")]])]


# -- sort, limit, cursor, distinct, groupBy ---------------------------------------------------


def test_order_by_forms() -> None:
    def keys(code: str) -> list[tuple]:
        query = one(f"prisma.post.findMany({{ orderBy: {code} }})")
        return [(k.column, k.descending, k.nulls) for k in query.order_by]

    assert keys("{ createdAt: 'desc' }") == [("created_at", True, None)]
    assert keys("[{ views: 'asc' }, { id: 'desc' }]") == [
        ("views", False, None),
        ("id", True, None),
    ]
    assert keys("{ title: { sort: 'asc', nulls: 'last' } }") == [("title", False, "last")]
    query = one("prisma.post.findMany({ orderBy: { author: { name: 'asc' } } })")
    assert query.order_by == [] and any("author" in r for r in query.unknown)
    query = one("prisma.post.findMany({ orderBy: { views: dir } })")
    assert any("direction" in r for r in query.unknown)


def test_take_skip_cursor_distinct_group_by() -> None:
    query = one("prisma.post.findMany({ take: -20, skip: 5, cursor: { id: c } })")
    assert (query.limit, query.limited, query.cursor) == (20, True, ["id"])
    query = one("prisma.post.findMany({ take: n })")
    assert (query.limit, query.limited) == (None, True)
    assert one("prisma.post.findFirst({})").limit == 1
    assert one("prisma.post.findMany({ distinct: ['authorId', 'title'] })").distinct == [
        "author_id",
        "title",
    ]
    assert one("prisma.post.findMany({ distinct: 'title' })").distinct == ["title"]
    query = one("prisma.post.groupBy({ by: ['authorId'], where: { published: true } })")
    assert (query.operation, query.group_by) == ("group_by", ["author_id"])


@pytest.mark.parametrize(
    ("method", "operation"),
    [
        ("findMany", "find_many"),
        ("findFirst", "find_first"),
        ("findFirstOrThrow", "find_first"),
        ("findUnique", "find_unique"),
        ("findUniqueOrThrow", "find_unique"),
        ("count", "count"),
        ("aggregate", "aggregate"),
        ("groupBy", "group_by"),
        ("update", "update"),
        ("updateMany", "update"),
        ("delete", "delete"),
        ("deleteMany", "delete"),
        ("upsert", "upsert"),
    ],
)
def test_methods(method: str, operation: str) -> None:
    query = one(f"prisma.post.{method}({{ where: {{ id: 1 }} }})")
    assert (query.operation, query.table, query.origin) == (operation, "posts", "prisma")
    assert where(query) == [[("id", "equal", "1")]]


def test_create_is_not_a_query() -> None:
    assert read("prisma.post.create({ data: { title: 'a' } })") == []


# -- the client, whatever it is called -------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "label"),
    [
        ("prisma.user.findMany({})", "prisma.user.findMany"),
        ("this.prisma.user.findMany({})", "this.prisma.user.findMany"),
        ("ctx.db.user.findMany({})", "ctx.db.user.findMany"),
        ("db.user.findMany({})", "db.user.findMany"),
        ("this.prisma!.user.findMany({})", "this.prisma!.user.findMany"),
        ("(await getClient()).user.findMany({})", "(await getClient()).user.findMany"),
        (
            "import { PrismaClient } from '@prisma/client';\n"
            "const client = new PrismaClient();\nclient.user.findMany({})",
            "client.user.findMany",
        ),
        (
            "import { prisma } from '@acme/db';\nexport const f = () => prisma.user.findMany({})",
            "prisma.user.findMany",
        ),
        (
            "await prisma.$transaction(async (tx) => { await tx.user.findMany({}); })",
            "tx.user.findMany",
        ),
        ("prisma.user.count()", "prisma.user.count"),
        ("await prisma.user.findMany<Args>({})", "prisma.user.findMany"),
    ],
)
def test_client_variants(code: str, label: str) -> None:
    (query,) = [q for q in read(code) if q.operation != "raw"]
    assert (query.label, query.table) == (label, "users")


@pytest.mark.parametrize(
    "code",
    [
        "cache.user.delete(key)",  # a Map, not a client
        "counters.user.count(3)",
        "store.user.update(u)",
        "prisma.order.findMany({})",  # no model Order in this schema
        "prisma.user.create({ data: {} })",
        "findMany({ where: { id: 1 } })",
        "prisma.findMany({ where: { id: 1 } })",
    ],
)
def test_not_queries(code: str) -> None:
    assert read(code) == []


# -- what is followed, what is unknown ---------------------------------------------------------


def test_local_constants_and_spreads_are_followed() -> None:
    code = """
    async function f(id: number) {
      const base = { published: true };
      const where = { ...base, authorId: id };
      const order = { createdAt: 'desc' } as const;
      return prisma.post.findMany({ where, orderBy: order });
    }"""
    query = one(code)
    assert where(query) == [[("published", "equal", "true"), ("author_id", "equal")]]
    assert [k.column for k in query.order_by] == ["created_at"]
    assert query.unknown == []


def test_local_args_object_is_followed() -> None:
    code = "function f() { const args = { where: { id: 1 } }; return prisma.post.findMany(args); }"
    assert where(one(code)) == [[("id", "equal", "1")]]


@pytest.mark.parametrize(
    ("code", "reason"),
    [
        ("function f(where) { return prisma.post.findMany({ where }); }", "passed in as `where`"),
        ("function f(args) { return prisma.post.findMany(args); }", "passed in as `args`"),
        (
            "function f(extra) { return prisma.post.findMany({ where: { ...extra, id: 1 } }); }",
            "spreads `extra`",
        ),
        (
            "function f(q) { return prisma.post.findMany("
            "{ where: { title: q ? { contains: q } : undefined } }); }",
            "the filter on `title` cannot be read",
        ),
        (
            "function f(q) { return prisma.post.findMany({ where: { title: q ?? undefined } }); }",
            "the filter on `title` cannot be read",
        ),
    ],
)
def test_unknown_is_said_never_guessed(code: str, reason: str) -> None:
    query = one(code)
    assert any(reason in r for r in query.unknown), query.unknown


def test_spread_with_known_part_keeps_the_known_filters() -> None:
    query = one(
        "function f(extra) { return prisma.post.findMany({ where: { ...extra, id: 1 } }); }"
    )
    assert where(query) == [[("id", "equal", "1")]]


# -- raw SQL --------------------------------------------------------------------------------


def test_raw_sql() -> None:
    queries = read(
        """
        await prisma.$queryRaw`SELECT * FROM posts WHERE author_id = ${id} AND title = ${"k"}`;
        await prisma.$executeRaw(Prisma.sql`UPDATE posts SET views = ${v} WHERE id = ${id}`);
        await tx.$queryRawUnsafe('SELECT * FROM users WHERE email = $1', email);
        await db.$executeRawUnsafe(`DELETE FROM ${table} WHERE id = 1`);
        await prisma.$queryRawUnsafe(sqlText);
        """
    )
    assert [(q.operation, q.sql, q.label) for q in queries] == [
        ("raw", "SELECT * FROM posts WHERE author_id = $1 AND title = $2", "prisma.$queryRaw"),
        ("raw", "UPDATE posts SET views = $1 WHERE id = $2", "prisma.$executeRaw"),
        ("raw", "SELECT * FROM users WHERE email = $1", "tx.$queryRawUnsafe"),
        ("raw", "DELETE FROM $1 WHERE id = 1", "db.$executeRawUnsafe"),
        ("raw", None, "prisma.$queryRawUnsafe"),
    ]
    assert queries[3].unknown and queries[4].unknown
    assert not queries[0].unknown


# -- spans and loops ------------------------------------------------------------------------


def test_spans_point_at_the_call_the_where_and_the_order() -> None:
    code = (
        "const rows = await prisma.post.findMany("
        "{ where: { views: { gt: 1 } }, orderBy: { id: 'desc' } });"
    )
    query = one(code)
    text = lambda s: code[s.start : s.end]  # noqa: E731
    assert text(query.span).startswith("prisma.post.findMany(") and text(query.span).endswith(")")
    assert text(query.where_span) == "{ views: { gt: 1 } }"
    assert text(query.order_span) == "{ id: 'desc' }"
    assert text(query.where[0].filters[0].span) == "views: { gt: 1 }"
    assert text(query.order_by[0].span) == "id: 'desc'"
    assert query.span.file == "a.ts"


def test_spans_count_characters_not_bytes() -> None:
    code = "// données: é\nprisma.post.findMany({ where: { title: 'é' } })"
    query = one(code)
    assert code[query.where_span.start : query.where_span.end] == "{ title: 'é' }"


@pytest.mark.parametrize(
    ("code", "in_loop"),
    [
        ("prisma.post.findMany({})", False),
        ("for (const id of ids) { await prisma.post.findMany({}) }", True),
        ("for (let i = 0; i < n; i++) prisma.post.findMany({})", True),
        ("while (more) { await prisma.post.findMany({}) }", True),
        ("ids.forEach((id) => prisma.post.findMany({}))", True),
        ("await Promise.all(ids.map((id) => prisma.post.findMany({})))", True),
        ("if (x) { await prisma.post.findMany({}) }", False),
    ],
)
def test_in_loop(code: str, in_loop: bool) -> None:
    assert one(code).in_loop is in_loop


def test_broken_text_never_raises() -> None:
    for code in [
        "prisma.post.findMany({ where: { ",
        "prisma.post.findMany(",
        "prisma..user.findMany({})",
    ]:
        read(code)  # must not raise
    assert read("prisma.post.findMany({ where: { id: 1 } }); }}}") != []


RICH = """
async function f(id: number, where: any) {
  const base = { published: true, ...where };
  for (const x of xs) {
    await this.prisma.user.findMany({
      where: { OR: [{ email: x },
                    { posts: { some: { AND: [base, { NOT: { views: { gt: 1 } } }] } } }],
               email_tenantId: { email: x, tenantId: 1 }, manager: null },
      orderBy: [{ createdAt: { sort: 'desc', nulls: 'last' } }],
      include: { posts: { include: { tags: true }, take: 3 }, _count: { select: { posts: true } } },
      cursor: { id }, take: -10, distinct: ['email'],
    });
  }
  await prisma.$queryRaw`SELECT * FROM posts WHERE id = ${id}`;
}
"""


def test_every_prefix_of_a_rich_file_reads_without_raising() -> None:
    """Text cut anywhere (a half-typed call, as in the editor) never makes the reader raise."""
    full = read(RICH)
    assert len(full) >= 6
    for end in range(0, len(RICH), 3):
        read(RICH[:end])


# -- a compound foreign key -----------------------------------------------------------------

COMPOUND = """
datasource db {
  provider = "postgresql"
}

model Org {
  id      Int
  region  String
  name    String
  members Member[]

  @@id([id, region])
}

model Member {
  id        Int    @id
  orgId     Int    @map("org_id")
  orgRegion String @map("org_region")
  email     String
  org       Org    @relation(fields: [orgId, orgRegion], references: [id, region])

  @@index([orgId, orgRegion])
}
"""


def test_a_relation_filter_through_a_compound_key_uses_every_column() -> None:
    """The parent's side of a relation filter compares all the key's columns together, so the
    index on both narrows by both (not by the first alone)."""
    from schemasense.codegen.queries.serve import judge

    compound = read_prisma_schema({"schema.prisma": COMPOUND}).schema
    code = (
        "prisma.member.findMany({ where: { org: { name: 'x' } } });\n"
        "prisma.org.findMany({ where: { members: { some: { email: 'a' } } } });\n"
        "prisma.member.findMany({ where: { org: { is: null } } });\n"
    )
    queries = read_prisma_queries(read_module("a.ts", code), compound)
    main = [q for q in queries if q.implied_by is None]
    assert [where(q) for q in main] == [
        [[("org_id", "in"), ("org_region", "in")]],
        [[("id", "in"), ("region", "in")]],
        [[("org_id", "is_null"), ("org_region", "is_null")]],
    ]
    member = compound.table("Member")
    verdict = judge(main[0], member, "postgresql")
    assert verdict.verdict == "served"
    assert verdict.uses[0].filter_columns == ["org_id", "org_region"]
    implied = [q for q in queries if q.implied_by is not None and q.table == "Member"]
    assert [sorted(f.column for f in q.where[0].filters if f.kind == "in") for q in implied] == [
        ["org_id", "org_region"]
    ]

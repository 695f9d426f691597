"""Index and key explanations: redundancy, foreign keys backed, the leftmost-prefix rule, NULLs,
and the DDL per provider, which for PostgreSQL and SQLite must be byte for byte the statement
Prisma's schema engine writes (`@prisma/schema-engine-wasm`, offline)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from schemasense.codegen.dialects import get_dialect
from schemasense.codegen.dialects import postgresql_locks as locks
from schemasense.server.language import explain
from schemasense.server.sources.prisma import read_prisma_schema

from tests.codegen.prisma_wasm import ENGINE_ADAPTER, oracle_missing, run
from tests.conftest import CORPUS
from tests.oracle.prisma import strip_for_prisma7
from tests.server.language.schemas import BLOG, read


def _keys(index, model):
    table = index.table(model)
    return explain.table_keys(table, index.model(model), index.provider), table


def _named(keys, name):
    return next(k for k in keys if k.name == name)


def test_an_index_that_is_the_prefix_of_another_is_redundant():
    index = read()
    keys, table = _keys(index, "Post")
    short = _named(keys, "Post_authorId_idx")
    long = _named(keys, "Post_authorId_createdAt_idx")
    assert explain.covers(long, short)
    assert not explain.covers(short, long)
    result = explain.explain(
        short, keys, explain.table_links(table, index.model("Post")), table, "postgresql"
    )
    assert [k.name for k in result.covered_by] == ["Post_authorId_createdAt_idx"]
    assert [link.foreign_key for link in result.backs] == ["Post_authorId_fkey"]


def test_a_unique_key_is_covered_only_by_an_equal_unique_key():
    schema = BLOG.replace("  @@unique([name])", "  @@unique([name])\n  @@index([name, id])")
    index = read(schema)
    keys, _ = _keys(index, "Tag")
    unique = _named(keys, "Tag_name_key")
    longer = _named(keys, "Tag_name_id_idx")
    assert not explain.covers(longer, unique)
    assert not explain.covers(unique, longer)


def test_directions_must_agree_beyond_the_first_column():
    schema = BLOG.replace(
        "  @@index([authorId])", '  @@index([authorId, createdAt], map: "ascending")'
    )
    index = read(schema)
    keys, _ = _keys(index, "Post")
    desc = _named(keys, "Post_authorId_createdAt_idx")
    asc = _named(keys, "ascending")
    assert desc.columns[1].sort == "desc" and asc.columns[1].sort is None
    assert not explain.covers(desc, asc) and not explain.covers(asc, desc)


def test_a_key_backs_a_foreign_key_whose_columns_lead_in_any_order():
    link = explain.Link("author", ["a", "b"], "User", "User", ["x", "y"], "fk")
    key = explain.Key(
        "index",
        "i",
        [explain.KeyColumn("b", "b"), explain.KeyColumn("a", "a"), explain.KeyColumn("c", "c")],
    )
    assert explain.backs(key, link)
    key.columns = key.columns[1:]
    assert not explain.backs(key, link)
    hashed = explain.Key(
        "index", "h", [explain.KeyColumn("a", "a"), explain.KeyColumn("b", "b")], method="hash"
    )
    assert not explain.backs(hashed, link)


def test_leftmost_prefix_serves_and_misses():
    index = read()
    keys, table = _keys(index, "Post")
    key = _named(keys, "Post_authorId_createdAt_idx")
    result = explain.explain(key, keys, [], table, "postgresql")
    assert result.serves[:2] == [
        '`WHERE "authorId" = ?` (and `IN (...)`)',
        '`WHERE "authorId" = ? AND "createdAt" > ?` (a range on the last column)',
    ]
    assert '`ORDER BY "authorId", "createdAt" DESC` (and its exact reverse)' in result.serves
    assert result.misses[0].startswith('`WHERE "createdAt" = ?` without `"authorId"`')


def test_null_semantics_per_provider():
    key = explain.Key("unique", "u", [explain.KeyColumn("email", "email", nullable=True)])
    assert "any number of rows may have NULL" in explain._null_notes(key, "postgresql")[0]
    assert "any number of rows may have NULL" in explain._null_notes(key, "mysql")[0]
    assert "only one row may have NULL" in explain._null_notes(key, "sqlserver")[0]
    assert "only one document may lack it" in explain._null_notes(key, "mongodb")[0]
    key.columns = [explain.KeyColumn("email", "email")]
    assert explain._null_notes(key, "postgresql") == [
        "Every column is required, so NULLs do not arise."
    ]


def _ddl(provider: str, key: explain.Key, schema: str | None = None) -> str | None:
    from schemasense.codegen.schema import Table

    return explain.key_ddl(key, Table(name="Post", db_schema=schema), get_dialect(provider))


TWO = [explain.KeyColumn("authorId", "authorId"), explain.KeyColumn("at", "at", sort="desc")]


@pytest.mark.parametrize(
    ("provider", "kind", "expected"),
    [
        ("postgresql", "index", 'CREATE INDEX "i" ON "Post"("authorId", "at" DESC);'),
        ("postgresql", "unique", 'CREATE UNIQUE INDEX "i" ON "Post"("authorId", "at" DESC);'),
        (
            "postgresql",
            "primary key",
            'ALTER TABLE "Post" ADD CONSTRAINT "i" PRIMARY KEY ("authorId", "at" DESC);',
        ),
        ("cockroachdb", "index", 'CREATE INDEX "i" ON "Post"("authorId", "at" DESC);'),
        ("mysql", "index", "CREATE INDEX `i` ON `Post`(`authorId`, `at` DESC);"),
        ("mysql", "fulltext", "CREATE FULLTEXT INDEX `i` ON `Post`(`authorId`, `at` DESC);"),
        ("mysql", "primary key", "ALTER TABLE `Post` ADD PRIMARY KEY (`authorId`, `at` DESC);"),
        ("sqlite", "index", 'CREATE INDEX "i" ON "Post"("authorId", "at" DESC);'),
        ("sqlite", "primary key", None),
        (
            "sqlserver",
            "index",
            "CREATE NONCLUSTERED INDEX [i] ON [dbo].[Post]([authorId], [at] DESC);",
        ),
        (
            "sqlserver",
            "unique",
            "ALTER TABLE [dbo].[Post] ADD CONSTRAINT [i] UNIQUE NONCLUSTERED "
            "([authorId], [at] DESC);",
        ),
        (
            "sqlserver",
            "primary key",
            "ALTER TABLE [dbo].[Post] ADD CONSTRAINT [i] PRIMARY KEY CLUSTERED "
            "([authorId], [at] DESC);",
        ),
        (
            "mongodb",
            "unique",
            'db.Post.createIndex({ authorId: 1, at: -1 }, { name: "i", unique: true })',
        ),
    ],
)
def test_ddl_per_provider(provider, kind, expected):
    assert _ddl(provider, explain.Key(kind, "i", TWO)) == expected


def test_ddl_with_method_operator_class_predicate_length_and_schema():
    gin = explain.Key("index", "j", [explain.KeyColumn("j", "j", ops="JsonbPathOps")], method="gin")
    assert _ddl("postgresql", gin) == 'CREATE INDEX "j" ON "Post" USING GIN ("j" jsonb_path_ops);'
    assert _ddl("postgresql", gin, "blog") == (
        'CREATE INDEX "j" ON "blog"."Post" USING GIN ("j" jsonb_path_ops);'
    )
    partial = explain.Key("index", "p", [explain.KeyColumn("a", "a")], predicate="b > 0")
    assert _ddl("postgresql", partial) == 'CREATE INDEX "p" ON "Post"("a") WHERE (b > 0);'
    assert _ddl("sqlite", partial) == 'CREATE INDEX "p" ON "Post"("a") WHERE b > 0;'
    prefix = explain.Key("unique", "t", [explain.KeyColumn("title", "title", length=191)])
    assert _ddl("mysql", prefix) == "CREATE UNIQUE INDEX `t` ON `Post`(`title`(191));"


def test_build_notes_give_the_safe_statement():
    index = read()
    keys, table = _keys(index, "Post")
    key = _named(keys, "Post_authorId_idx")
    pg = explain.explain(key, keys, [], table, "postgresql")
    assert pg.safe_ddl == 'CREATE INDEX CONCURRENTLY "Post_authorId_idx" ON "Post"("authorId");'
    assert locks.CREATE_INDEX.markdown("Post") in pg.build[0]
    mysql = explain.explain(key, keys, [], table, "mysql")
    assert mysql.safe_ddl == (
        "ALTER TABLE `Post` ADD INDEX `Post_authorId_idx` (`authorId`), ALGORITHM=INPLACE, "
        "LOCK=NONE;"
    )
    pk = next(k for k in keys if k.kind == "primary key")
    pg_pk = explain.explain(pk, keys, [], table, "postgresql")
    assert pg_pk.safe_ddl == (
        'CREATE UNIQUE INDEX CONCURRENTLY "Post_pkey" ON "Post"("id");\n'
        'ALTER TABLE "Post" ADD CONSTRAINT "Post_pkey" PRIMARY KEY USING INDEX "Post_pkey";'
    )


# -- against Prisma's schema engine ------------------------------------------------------------

ENGINE_SCHEMAS = (
    "calcom/packages/prisma/schema.prisma",
    "umami/db/postgresql/schema.prisma",
    "pingvin-share/backend/prisma/schema.prisma",
    "epic-stack/prisma/schema.prisma",
)
_INDEX_STATEMENT = re.compile(r"^CREATE (?:UNIQUE )?INDEX .*;$", re.M)


@pytest.mark.oracle
@pytest.mark.corpus
@pytest.mark.parametrize("name", ENGINE_SCHEMAS)
def test_index_ddl_equals_the_schema_engine(name: str):
    if reason := oracle_missing():
        pytest.skip(reason)
    path = Path(CORPUS) / name
    if not path.is_file():
        pytest.skip(f"{path} not found")
    text = path.read_text(encoding="utf-8")
    read_ = read_prisma_schema({"schema.prisma": text})
    provider = read_.database.provider
    [answer] = run(
        [{"op": "diff", "schema": strip_for_prisma7(text), "adapter": ENGINE_ADAPTER[provider]}]
    )
    assert answer["ok"], answer.get("error", "")[:2000]
    theirs = sorted(_INDEX_STATEMENT.findall(answer["sql"]))
    dialect = get_dialect(provider)
    ours = []
    for table in read_.schema.tables:
        if table.kind not in ("table", "join_table"):
            continue
        model = read_.database.models.get(table.model_name or "")
        for key in explain.table_keys(table, model, provider):
            if key.kind != "primary key" and not (
                table.kind == "join_table" and key.unique and provider == "postgresql"
            ):
                ours.append(explain.key_ddl(key, table, dialect))
    assert theirs, "the engine wrote no index"
    assert sorted(ours) == theirs

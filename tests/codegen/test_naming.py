"""Prisma's derived names: one line per rule, then every name checked against Prisma's own SQL."""

from __future__ import annotations

import re

import pytest
from schemasense.codegen.orms.prisma import naming
from schemasense.codegen.orms.prisma.naming import (
    JoinTable,
    default_name,
    foreign_key_name,
    implicit_many_to_many,
    index_name,
    many_to_many_sides,
    name_too_long,
    primary_key_name,
    relation_name,
    truncate_bytes,
    unique_index_name,
)

from tests.codegen.prisma_wasm import migration_sql, require_oracle

A70 = "a" * 70


@pytest.mark.parametrize(
    ("got", "expected"),
    [
        # the four suffixes, PostgreSQL's convention for every SQL provider
        (primary_key_name("User", "postgresql"), "User_pkey"),
        (primary_key_name("User", "postgres"), "User_pkey"),
        (primary_key_name("User", "cockroachdb"), "User_pkey"),
        (primary_key_name("User", "sqlserver"), "User_pkey"),
        (primary_key_name("User", "mysql"), None),
        (primary_key_name("User", "sqlite"), None),
        (primary_key_name("User", "mongodb"), None),
        (unique_index_name("User", ["email"], "postgresql"), "User_email_key"),
        (unique_index_name("Post", ["authorId", "slug"], "mysql"), "Post_authorId_slug_key"),
        (index_name("Post", ["authorId"], "sqlite"), "Post_authorId_idx"),
        (index_name("Post", ["createdAt", "id"], "sqlserver"), "Post_createdAt_id_idx"),
        (index_name("User", ["address", "city"], "mongodb"), "User_address_city_idx"),
        (foreign_key_name("Post", ["authorId"], "postgresql"), "Post_authorId_fkey"),
        (foreign_key_name("Post", ["a", "b"], "sqlite"), "Post_a_b_fkey"),
        (default_name("User", "role"), "User_role_df"),
        (default_name("User", "role", "sqlserver"), "User_role_df"),
        # truncation keeps the suffix and cuts the table/column part to the limit
        (primary_key_name(A70, "postgresql"), "a" * 58 + "_pkey"),
        (primary_key_name("a" * 58, "postgresql"), "a" * 58 + "_pkey"),
        (primary_key_name("a" * 59, "postgresql"), "a" * 58 + "_pkey"),
        (unique_index_name(A70, ["b"], "postgresql"), "a" * 59 + "_key"),
        (index_name(A70, ["b"], "cockroachdb"), "a" * 59 + "_idx"),
        (foreign_key_name(A70, ["b"], "postgresql"), "a" * 58 + "_fkey"),
        (index_name(A70, ["b"], "mysql"), "a" * 60 + "_idx"),
        (foreign_key_name(A70, ["b"], "mysql"), "a" * 59 + "_fkey"),
        (index_name("t", ["c" * 200], "sqlserver"), ("t_" + "c" * 200)[:124] + "_idx"),
        (default_name("t" * 100, "c" * 100), ("t" * 100 + "_" + "c" * 100)[:125] + "_df"),
        (index_name(A70, ["b"], "sqlite"), A70 + "_b_idx"),
        (index_name(A70, ["b"], "mongodb"), A70 + "_b_idx"),
        (index_name(A70, ["b"], None), A70 + "_b_idx"),
        # bytes, not characters, and never half a character
        (primary_key_name("é" * 40, "postgresql"), "é" * 29 + "_pkey"),
        (index_name("é" * 40, [], "postgresql"), "é" * 29 + "_idx"),
        (truncate_bytes("aé", 2), "a"),
        (truncate_bytes("aé", 3), "aé"),
        (truncate_bytes("abc", 0), ""),
        # a `map:` name over the limit is an error
        (name_too_long("x" * 63, "postgresql"), False),
        (name_too_long("x" * 64, "postgresql"), True),
        (name_too_long("x" * 64, "mysql"), False),
        (name_too_long("é" * 32, "postgresql"), True),
        # generated relation names use Prisma model names, the first by code point first
        (relation_name("Tag", "Post"), "PostToTag"),
        (relation_name("Post", "Tag"), "PostToTag"),
        (relation_name("User", "User"), "UserToUser"),
        (relation_name("apple", "Banana"), "BananaToapple"),
        # A is the model that sorts first; in a self-relation, the field that sorts first
        (many_to_many_sides("Tag", "posts", "Post", "tags"), (("Post", "tags"), ("Tag", "posts"))),
        (
            many_to_many_sides("User", "following", "User", "followers"),
            (("User", "followers"), ("User", "following")),
        ),
        (naming.join_table_name("PostToTag", "postgresql"), "_PostToTag"),
        (naming.join_table_name("x" * 70, "postgresql"), "_" + "x" * 62),
        (naming.join_table_name("x" * 70, "mysql"), "_" + "x" * 63),
        (naming.max_identifier_length("sqlserver"), 128),
        (naming.max_identifier_length("nope"), 10_000),
    ],
)
def test_rule(got: object, expected: object) -> None:
    assert got == expected


@pytest.mark.parametrize(
    ("provider", "expected"),
    [
        # Prisma 6+ on PostgreSQL: a primary key on (A, B) instead of a unique index
        (
            "postgresql",
            JoinTable(
                "_PostToTag",
                "Post",
                "Tag",
                "A",
                "B",
                "_PostToTag_AB_pkey",
                None,
                "_PostToTag_B_index",
                "_PostToTag_A_fkey",
                "_PostToTag_B_fkey",
                "Cascade",
                "Cascade",
            ),
        ),
        (
            "cockroachdb",
            JoinTable(
                "_PostToTag",
                "Post",
                "Tag",
                "A",
                "B",
                None,
                "_PostToTag_AB_unique",
                "_PostToTag_B_index",
                "_PostToTag_A_fkey",
                "_PostToTag_B_fkey",
                "Cascade",
                "Cascade",
            ),
        ),
        (
            "mysql",
            JoinTable(
                "_PostToTag",
                "Post",
                "Tag",
                "A",
                "B",
                None,
                "_PostToTag_AB_unique",
                "_PostToTag_B_index",
                "_PostToTag_A_fkey",
                "_PostToTag_B_fkey",
                "Cascade",
                "Cascade",
            ),
        ),
        (
            "sqlite",
            JoinTable(
                "_PostToTag",
                "Post",
                "Tag",
                "A",
                "B",
                None,
                "_PostToTag_AB_unique",
                "_PostToTag_B_index",
                "_PostToTag_A_fkey",
                "_PostToTag_B_fkey",
                "Cascade",
                "Cascade",
            ),
        ),
        (
            "sqlserver",
            JoinTable(
                "_PostToTag",
                "Post",
                "Tag",
                "A",
                "B",
                None,
                "_PostToTag_AB_unique",
                "_PostToTag_B_index",
                "_PostToTag_A_fkey",
                "_PostToTag_B_fkey",
                "Cascade",
                "Cascade",
            ),
        ),
        ("mongodb", None),
    ],
)
def test_join_table(provider: str, expected: JoinTable | None) -> None:
    assert implicit_many_to_many("Post", "Tag", provider) == expected


def test_join_table_rules() -> None:
    # SQL Server refuses cyclic cascades: a self-relation's join table uses NO ACTION
    self_rel = implicit_many_to_many("User", "User", "sqlserver", relation="follows")
    assert self_rel is not None
    assert (self_rel.name, self_rel.on_delete, self_rel.on_update) == (
        "_follows",
        "NoAction",
        "NoAction",
    )
    pg_self = implicit_many_to_many("User", "User", "postgresql", relation="follows")
    assert pg_self is not None and pg_self.on_delete == "Cascade"
    # relationMode = "prisma": the table, its key and index stay, the foreign keys go
    emulated = implicit_many_to_many("Post", "Tag", "postgresql", relation_mode="prisma")
    assert emulated is not None
    assert (emulated.foreign_key_a, emulated.foreign_key_b) == (None, None)
    assert emulated.primary_key == "_PostToTag_AB_pkey"
    # long names: the table is cut to the limit, each derived name cut again for its suffix
    long = implicit_many_to_many("A" * 40, "B" * 40, "postgresql")
    assert long is not None
    table = "_" + "A" * 40 + "To" + "B" * 20
    assert long.name == table and len(table) == 63
    assert long.primary_key == table[:55] + "_AB_pkey"
    assert long.b_index == table[:55] + "_B_index"
    assert long.foreign_key_a == table[:56] + "_A_fkey"
    cr = implicit_many_to_many("A" * 40, "B" * 40, "cockroachdb")
    assert cr is not None and cr.unique_index == table[:53] + "_AB_unique"


# The oracle: Prisma's schema engine writes the SQL; every name in it must be ours, and back.

LONG = "OrganisationMembershipInvitationAuditTrailEntryWithAnUnreasonablyLongName"
SECOND = "SecondaryModelWhoseNameIsAlsoFarTooLongForPostgresIdentifierLimits"
SECOND_TABLE = "second_models_with_a_long_mapped_table_name_that_exceeds_any_sane_limit"
TENANT = "tenantIdentifierWithAVeryLongColumnNameIndeedSoItOverflows"
EXTERNAL = "externalReferenceCodeThatIsAlsoRatherLongForAnIdentifier"

SCHEMA = f"""
model {LONG} {{
  id          Int      @id
  {TENANT}    Int
  {EXTERNAL}  String   @map("external_reference_code_mapped_to_a_long_database_column")
  createdAt   DateTime @default(now())
  ownerTenant Int
  ownerCode   String
  owner       Owner    @relation(fields: [ownerTenant, ownerCode], references: [tenant, code])
  seconds     {SECOND}[]
  posts       Post[]

  @@unique([{TENANT}, {EXTERNAL}])
  @@index([{EXTERNAL}, createdAt])
}}

model Owner {{
  tenant Int
  code   String @map("code_col")
  things {LONG}[]

  @@id([tenant, code])
  @@map("owners_table")
}}

model {SECOND} {{
  id     Int @id
  firsts {LONG}[]

  @@map("{SECOND_TABLE}")
}}

model Person {{
  id       Int      @id
  friends  Person[] @relation("friends")
  friendOf Person[] @relation("friends")
}}

model Tag {{
  id    String @id
  label String @unique @map("label_text")
  posts Post[] @relation("PostTags")
}}

model Post {{
  id       String  @id
  tags     Tag[]   @relation("PostTags")
  authorId Int?
  author   {LONG}? @relation(fields: [authorId], references: [id])

  @@index([authorId])
}}
"""


def expected_names(provider: str) -> tuple[set[str], set[str]]:
    """(constraint and index names, table names) our functions give for SCHEMA."""
    names: set[str] = set()
    for table in (LONG, "owners_table", SECOND_TABLE, "Person", "Tag", "Post"):
        if (pk := primary_key_name(table, provider)) is not None:
            names.add(pk)
    external = "external_reference_code_mapped_to_a_long_database_column"
    names |= {
        unique_index_name(LONG, [TENANT, external], provider),
        index_name(LONG, [external, "createdAt"], provider),
        foreign_key_name(LONG, ["ownerTenant", "ownerCode"], provider),
        unique_index_name("Tag", ["label_text"], provider),
        index_name("Post", ["authorId"], provider),
        foreign_key_name("Post", ["authorId"], provider),
    }
    tables = {LONG, "owners_table", SECOND_TABLE, "Person", "Tag", "Post"}
    relations = [
        (many_to_many_sides(LONG, "seconds", SECOND, "firsts"), None),
        (many_to_many_sides("Person", "friends", "Person", "friendOf"), "friends"),
        (many_to_many_sides("Tag", "posts", "Post", "tags"), "PostTags"),
    ]
    for ((model_a, _), (model_b, _)), relation in relations:
        join = implicit_many_to_many(model_a, model_b, provider, relation=relation)
        assert join is not None
        tables.add(join.name)
        names |= {
            n
            for n in (
                join.primary_key,
                join.unique_index,
                join.b_index,
                join.foreign_key_a,
                join.foreign_key_b,
            )
            if n is not None
        }
    return names, tables


def names_in(sql: str) -> tuple[set[str], set[str]]:
    constraints = set(re.findall(r'CONSTRAINT "([^"]+)"', sql))
    indexes = set(re.findall(r'CREATE (?:UNIQUE )?INDEX "([^"]+)"', sql))
    tables = set(re.findall(r'CREATE TABLE "([^"]+)"', sql))
    return constraints | indexes, tables


@pytest.mark.oracle
@pytest.mark.parametrize("provider", ["postgresql", "cockroachdb", "sqlite"])
def test_names_match_prisma(provider: str) -> None:
    require_oracle()
    sql = migration_sql(f'datasource db {{\n  provider = "{provider}"\n}}\n{SCHEMA}', provider)
    assert names_in(sql) == expected_names(provider)


def test_long_names_really_are_truncated() -> None:
    """Guards the oracle test above: the schema must exercise truncation on PostgreSQL."""
    names, tables = expected_names("postgresql")
    assert len(LONG) > 60 and len(SECOND_TABLE) > 63
    assert max(len(n) for n in names) == 63
    assert "_" + LONG[:62] in tables  # the join table's own name is cut too

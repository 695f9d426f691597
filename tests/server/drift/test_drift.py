"""server/drift: the declared schema's database form, the drift comparison's policy, caching.

One line per behaviour where it can be: a schema and migrations in, `str(drift)` lines out.
"""

from __future__ import annotations

import pytest
from schemasense.codegen.schema import Schema
from schemasense.server.drift import DatabaseForms, DriftComparer
from schemasense.server.drift.report import DriftChecker
from schemasense.server.migrations import MigrationFile, MigrationSet, replay
from schemasense.server.migrations.replay import Replayer
from schemasense.server.sources.prisma import read_prisma_schema
from schemasense.server.verify.compare import compare

PG = 'datasource db {\n  provider = "postgresql"\n}\n\n'
SQLITE = 'datasource db {\n  provider = "sqlite"\n}\n\n'


def declared(text: str):
    read = read_prisma_schema({"schema.prisma": text})
    assert not [f for f in read.findings if f.severity == "error"], read.findings
    return read.schema


def replayed(*sqls: str, dialect: str = "postgresql"):
    files = [
        MigrationFile(path=f"m{i}.sql", name=str(i), version=str(i), up_text=sql)
        for i, sql in enumerate(sqls)
    ]
    mset = MigrationSet(tool="plain", dialect=dialect, root="m", files=files)  # type: ignore[arg-type]
    return replay(mset, Replayer())


def drift(schema: str, *sqls: str, dialect: str = "postgresql") -> list[str]:
    report = DriftChecker().check(declared(schema), replayed(*sqls, dialect=dialect))
    assert report.problems == ()
    return [str(i.drift) for i in report.items]


USER = PG + "model User {\n  id    Int    @id @default(autoincrement())\n  email String\n}\n"
USER_SQL = (
    'CREATE TABLE "User" ("id" SERIAL NOT NULL, "email" TEXT NOT NULL, '
    'CONSTRAINT "User_pkey" PRIMARY KEY ("id"));'
)


# -- the database form ---------------------------------------------------------------------------


def test_form_is_what_the_database_prints() -> None:
    form = DatabaseForms().form(
        declared(
            PG
            + "model T {\n  id Int @id @default(autoincrement())\n"
            + '  s String @default("x") @db.VarChar(20)\n  at DateTime @default(now())\n'
            + "  tags String[]\n}\n"
        )
    )
    [table] = form.schema.tables
    columns = {
        c.name: (c.type.native, c.default.value if c.default else None) for c in table.columns
    }
    assert columns == {
        "id": ("integer", "nextval('\"T_id_seq\"'::regclass)"),
        "s": ("character varying(20)", "'x'::character varying"),
        "at": ("timestamp(3) without time zone", "CURRENT_TIMESTAMP"),
        "tags": ("text[]", None),
    }


def test_views_are_kept_by_name_only() -> None:
    schema = (
        PG
        + 'generator client {\n  provider = "prisma-client-js"\n'
        + '  previewFeatures = ["views"]\n}\n\n'
        + "view Totals {\n  id Int @unique\n  n  Int\n}\n"
    )
    [view] = DatabaseForms().form(declared(schema)).schema.tables
    assert (view.name, view.kind, view.columns) == ("Totals", "view", [])


def test_relation_mode_prisma_has_no_foreign_keys() -> None:
    schema = (
        PG.replace('"postgresql"\n', '"postgresql"\n  relationMode = "prisma"\n')
        + "model A {\n  id Int @id\n  bs B[]\n}\n\n"
        + "model B {\n  id Int @id\n  aId Int\n  a A @relation(fields: [aId], references: [id])\n\n"
        + "  @@index([aId])\n}\n"
    )
    tables = DatabaseForms().form(declared(schema)).schema.tables
    assert [t.foreign_keys for t in tables] == [[], []]


def test_multi_schema_default_schema_is_unqualified() -> None:
    schema = (
        PG.replace('"postgresql"\n', '"postgresql"\n  schemas = ["public", "auth"]\n')
        + 'model User {\n  id Int @id\n  @@schema("auth")\n}\n\n'
        + 'model Post {\n  id Int @id\n  @@schema("public")\n}\n'
    )
    tables = DatabaseForms().form(declared(schema)).schema.tables
    assert [(t.db_schema, t.name) for t in tables] == [("auth", "User"), (None, "Post")]


def test_unsupported_ignored_and_many_to_many() -> None:
    schema = (
        PG
        + 'model A {\n  id Int @id\n  v Unsupported("tsvector")?\n  x Int @ignore\n  bs B[]\n}\n\n'
        + "model B {\n  id Int @id\n  as A[]\n}\n"
    )
    form = DatabaseForms().form(declared(schema)).schema
    assert [c.type.native for c in form.tables[0].columns] == ["integer", "tsvector", "integer"]
    join = form.table("_AToB")
    assert join is not None and join.primary_key is not None
    assert [i.name for i in join.indexes] == ["_AToB_B_index"]


def test_an_unchanged_model_is_not_replayed_again() -> None:
    forms = DatabaseForms()
    text = USER + "\nmodel Post {\n  id Int @id\n}\n"
    forms.form(declared(text), {"schema.prisma": text})
    first = forms.replays
    edited = text.replace("email String", "email String?")
    forms.form(declared(edited), {"schema.prisma": edited})
    assert forms.replays == first + 1  # User only


# -- the policy ------------------------------------------------------------------------------------


def test_no_drift() -> None:
    assert drift(USER, USER_SQL) == []


def test_column_order_is_not_drift() -> None:
    sql = (
        'CREATE TABLE "User" ("email" TEXT NOT NULL, "id" SERIAL NOT NULL, '
        'CONSTRAINT "User_pkey" PRIMARY KEY ("id"));'
    )
    assert drift(USER, sql) == []


def test_enum_value_order_is_not_drift_but_values_are() -> None:
    schema = PG + "enum Role {\n  A\n  B\n}\n\nmodel U {\n  id Int @id\n  r Role\n}\n"
    sql = (
        "CREATE TYPE \"Role\" AS ENUM ('B', 'A');\n"
        'CREATE TABLE "U" ("id" INTEGER NOT NULL, "r" "Role" NOT NULL, '
        'CONSTRAINT "U_pkey" PRIMARY KEY ("id"));'
    )
    assert drift(schema, sql) == []
    assert drift(schema, sql.replace("('B', 'A')", "('B', 'C')")) == [
        'enum "Role" value "A": only in the schema',
        'enum "Role" value "C": only in the migrations',
    ]


def test_sequence_name_now_and_checks_are_not_drift() -> None:
    schema = USER.replace("email String", "email String\n  at DateTime @default(now())")
    sql = (
        'CREATE TABLE "Old" ("id" SERIAL NOT NULL, "email" TEXT NOT NULL, '
        '"at" TIMESTAMP(3) NOT NULL DEFAULT now(), CONSTRAINT "User_pkey" PRIMARY KEY ("id"), '
        "CONSTRAINT \"email_check\" CHECK (email <> ''));\n"
        'ALTER TABLE "Old" RENAME TO "User";'
    )
    assert drift(schema, sql) == []


def test_unique_constraint_is_a_unique_index() -> None:
    schema = USER.replace("email String", "email String @unique")
    sql = USER_SQL.replace(
        'PRIMARY KEY ("id"));', 'PRIMARY KEY ("id"), CONSTRAINT "User_email_key" UNIQUE ("email"));'
    )
    assert drift(schema, sql) == []


def test_objects_in_unmanaged_schemas_are_not_drift() -> None:
    sql = USER_SQL + '\nCREATE SCHEMA audit;\nCREATE TABLE audit."Log" ("id" INTEGER);'
    assert drift(USER, sql) == []


def test_each_property() -> None:
    sql = (
        'CREATE TABLE "User" ("id" INTEGER NOT NULL, "email" VARCHAR(9) DEFAULT \'x\', '
        '"extra" TEXT, CONSTRAINT "User_pkey" PRIMARY KEY ("id"));'
    )
    assert drift(USER, sql) == [
        'table "User" column "email": type text (schema) != character varying(9) (migrations)',
        'table "User" column "email": nullable no (schema) != yes (migrations)',
        'table "User" column "email": default none (schema) != \'x\' (migrations)',
        'table "User" column "extra": only in the migrations',
        'table "User" column "id": default nextval(sequence) (schema) != none (migrations)',
        'table "User" column "id": auto-increment yes (schema) != no (migrations)',
    ]


def test_sqlite_names_fold() -> None:
    schema = SQLITE + "model Note {\n  id String @id\n}\n"
    sql = 'CREATE TABLE "note" ("ID" TEXT NOT NULL PRIMARY KEY);'
    assert drift(schema, sql, dialect="sqlite") == [
        'table "Note": only in the schema',
        'table "note": only in the migrations',
    ]


def test_comparisons_are_cached_per_table() -> None:
    comparer = DriftComparer()
    left = DatabaseForms().form(declared(USER)).schema
    right = replayed(USER_SQL).schema
    assert comparer.compare(left, right) == []
    cached = dict(comparer._tables)
    assert comparer.compare(left, right) == []
    assert all(comparer._tables[k] is v for k, v in cached.items())


@pytest.mark.corpus
def test_tables_replayed_together_equal_tables_replayed_alone(corpus_dir) -> None:
    """A first check replays every table at once; each must be what replaying it alone gives."""
    path = corpus_dir / "calcom" / "packages" / "prisma" / "schema.prisma"
    schema = declared(path.read_text(encoding="utf-8"))
    together = DatabaseForms().form(schema)
    alone_forms = DatabaseForms()
    alone_forms.form(Schema(provider=schema.provider))  # nothing: no batch
    alone = Schema(provider=together.schema.provider)
    for table in schema.tables:  # one at a time: below the batch size
        one = schema.model_copy(update={"tables": [table]})
        alone.tables.extend(alone_forms.form(one).schema.tables)
    alone.enums = together.schema.enums
    assert together.problems == ()
    assert compare(together.schema, alone, exact=True) == []


def test_multi_schema_drift() -> None:
    schema = (
        PG.replace('"postgresql"\n', '"postgresql"\n  schemas = ["public", "auth"]\n')
        + 'enum Role {\n  A\n  @@schema("auth")\n}\n\n'
        + 'model User {\n  id Int @id\n  role Role\n  @@schema("auth")\n}\n\n'
        + 'model Post {\n  id Int @id\n  @@schema("public")\n}\n'
    )
    sql = (
        'CREATE SCHEMA "auth";\nCREATE SCHEMA "audit";\n'
        'CREATE TYPE "auth"."Role" AS ENUM (\'A\');\n'
        'CREATE TABLE "auth"."User" ("id" INTEGER NOT NULL, "role" "auth"."Role" NOT NULL, '
        'CONSTRAINT "User_pkey" PRIMARY KEY ("id"));\n'
        'CREATE TABLE "Post" ("id" INTEGER NOT NULL, CONSTRAINT "Post_pkey" PRIMARY KEY ("id"));\n'
        'CREATE TABLE "audit"."Log" ("id" INTEGER);\n'
    )
    assert drift(schema, sql) == []
    assert drift(schema, sql.replace("('A')", "('A', 'B')")) == [
        'enum "auth.Role" value "B": only in the migrations'
    ]

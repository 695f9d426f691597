"""The drift rules DB301-DB311: one `_ok` and one `_err` case each, rendered compiler-style.

Each case is a schema.prisma and the migrations of its project (one `migration.sql` per
string); the findings are those of the one rule, on both files: the schema's (on the field,
the attribute, the model or the datasource) and the migration's (on the statement that made
the object), each pointing at the other.
"""

from __future__ import annotations

import pytest
from inline_snapshot import snapshot
from schemasense.server.lint.context import MigrationContext
from schemasense.server.lint.registry import get_rule
from schemasense.server.migrations import MigrationFile, MigrationSet, replay
from schemasense.server.migrations.replay import Replayer

from tests.server.rules.helpers import FILE, POSTGRES, SQLITE, lint, render

INIT = "migrations/20240101000000_init/migration.sql"


def migrations(*sqls: str, dialect: str = "postgresql") -> tuple[list[MigrationContext], dict]:
    """The migration context of `sqls` (one file each, in order) and the files' texts."""
    files = [
        MigrationFile(path=f"migrations/2024010100000{i}_m{i}/migration.sql", name=f"m{i}",
                      version=str(i), up_text=sql)
        for i, sql in enumerate(sqls)
    ]  # fmt: skip
    mset = MigrationSet(tool="prisma", dialect=dialect, root="migrations", files=files)  # type: ignore[arg-type]
    result = replay(mset, Replayer())
    context = MigrationContext.of(result, "per-file")
    return [context], {f.path: f.up_text for f in files}


def drift(schema: str, *sqls: str, code: str, dialect: str = "postgresql") -> str:
    contexts, texts = migrations(*sqls, dialect=dialect)
    findings = [f for f in lint(schema, code, migrations=contexts) if f.code == code]
    return render(findings, {FILE: schema, **texts})


USER = (
    POSTGRES
    + """enum Role {
  USER
  ADMIN
}

model User {
  id    Int     @id @default(autoincrement())
  email String  @unique @db.VarChar(255)
  name  String?
  role  Role    @default(USER)
  posts Post[]
}

model Post {
  id       Int    @id @default(autoincrement())
  title    String
  authorId Int
  author   User   @relation(fields: [authorId], references: [id], onDelete: Cascade)

  @@index([authorId])
}
"""
)

USER_SQL = """-- CreateEnum
CREATE TYPE "Role" AS ENUM ('USER', 'ADMIN');

-- CreateTable
CREATE TABLE "User" (
    "id" SERIAL NOT NULL,
    "email" VARCHAR(255) NOT NULL,
    "name" TEXT,
    "role" "Role" NOT NULL DEFAULT 'USER',

    CONSTRAINT "User_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Post" (
    "id" SERIAL NOT NULL,
    "title" TEXT NOT NULL,
    "authorId" INTEGER NOT NULL,

    CONSTRAINT "Post_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "User_email_key" ON "User"("email");

-- CreateIndex
CREATE INDEX "Post_authorId_idx" ON "Post"("authorId");

-- AddForeignKey
ALTER TABLE "Post" ADD CONSTRAINT "Post_authorId_fkey" FOREIGN KEY ("authorId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;
"""

CODES = [f"DB3{n:02d}" for n in range(1, 12)]


@pytest.mark.parametrize("code", CODES)
def test_ok_migrations_build_the_schema(code: str) -> None:
    assert get_rule(code) is not None
    assert drift(USER, USER_SQL, code=code) == ""


def test_ok_without_migrations_nothing_is_compared() -> None:
    assert [f for f in lint(USER, None) if f.code.startswith("DB3")] == []


def test_err_db301_table_missing_from_migrations() -> None:
    schema = USER + "\nmodel AuditLog {\n  id Int @id\n}\n"
    assert drift(schema, USER_SQL, code="DB301") == snapshot("""\
schema.prisma:27:1: warning[DB301] Model `AuditLog` is not created by any migration
   |
27 | model AuditLog {
   | ^^^^^^^^^^^^^^^^
   = help: create a migration for it (`prisma migrate dev --create-only`), or change the schema back
""")


def test_err_db301_dropped_table() -> None:
    later = 'DROP TABLE "Post";\n'
    assert drift(USER, USER_SQL, later, code="DB301") == snapshot("""\
migrations/20240101000001_m1/migration.sql:1:1: warning[DB301] This statement drops "Post", which schema.prisma still declares (model `Post`)
  |
1 | DROP TABLE "Post";
  | ^^^^^^^^^^^^^^^^^
  = help: create a migration for it (`prisma migrate dev --create-only`), or change the schema back

schema.prisma:18:1: warning[DB301] Model `Post` is not created by any migration
   |
18 | model Post {
   | ^^^^^^^^^^^^
   = help: create a migration for it (`prisma migrate dev --create-only`), or change the schema back
""")


def test_err_db302_table_missing_from_schema() -> None:
    later = 'CREATE TABLE "Legacy" ("id" INTEGER PRIMARY KEY);\n'
    assert drift(USER, USER_SQL, later, code="DB302") == snapshot("""\
migrations/20240101000001_m1/migration.sql:1:1: warning[DB302] Table "Legacy" is not declared in schema.prisma
  |
1 | CREATE TABLE "Legacy" ("id" INTEGER PRIMARY KEY);
  | ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
  = help: add a model for it (`prisma db pull` writes one), or drop it in a new migration; otherwise the next `prisma migrate dev` drops it

schema.prisma:1:1: warning[DB302] The migrations create table "Legacy", which no model in this schema declares
  |
1 | datasource db {
  | ^^^^^^^^^^^^^^^
  = help: add a model for it (`prisma db pull` writes one), or drop it in a new migration; otherwise the next `prisma migrate dev` drops it
""")


def test_err_db303_column_missing_from_migrations() -> None:
    schema = USER.replace("  title    String\n", "  title    String\n  subtitle String?\n")
    assert drift(schema, USER_SQL, code="DB303") == snapshot("""\
schema.prisma:21:3: warning[DB303] `Post.subtitle` is not created by any migration
   |
21 |   subtitle String?
   |   ^^^^^^^^^^^^^^^^
   = help: create a migration for it (`prisma migrate dev --create-only`), or change the schema back
""")


def test_err_db304_column_missing_from_schema() -> None:
    later = 'ALTER TABLE "User" ADD COLUMN "legacyId" INTEGER;\n'
    assert drift(USER, USER_SQL, later, code="DB304") == snapshot("""\
migrations/20240101000001_m1/migration.sql:1:1: warning[DB304] Column "legacyId" is not declared in model `User` of schema.prisma
  |
1 | ALTER TABLE "User" ADD COLUMN "legacyId" INTEGER;
  | ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
  = help: add the field to the model, or drop the column in a new migration; otherwise the next `prisma migrate dev` drops it

schema.prisma:10:1: warning[DB304] The migrations create column "legacyId" on "User", which model `User` does not declare
   |
10 | model User {
   | ^^^^^^^^^^^^
   = help: add the field to the model, or drop the column in a new migration; otherwise the next `prisma migrate dev` drops it
""")


def test_err_db305_column_type_drift() -> None:
    later = 'ALTER TABLE "User" ALTER COLUMN "email" SET DATA TYPE TEXT;\n'
    assert drift(USER, USER_SQL, later, code="DB305") == snapshot("""\
migrations/20240101000001_m1/migration.sql:1:1: warning[DB305] The migrations give this column type `text`; schema.prisma (`User.email`) says `character varying(255)`
  |
1 | ALTER TABLE "User" ALTER COLUMN "email" SET DATA TYPE TEXT;
  | ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
  = help: create a migration for it (`prisma migrate dev --create-only`), or change the schema back

schema.prisma:12:3: warning[DB305] `User.email` has type `character varying(255)` in schema.prisma but `text` in the migrations
   |
12 |   email String  @unique @db.VarChar(255)
   |   ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
   = help: create a migration for it (`prisma migrate dev --create-only`), or change the schema back
""")


def test_err_db306_column_nullability_drift() -> None:
    later = 'ALTER TABLE "User" ALTER COLUMN "name" SET NOT NULL;\n'
    assert drift(USER, USER_SQL, later, code="DB306") == snapshot("""\
migrations/20240101000001_m1/migration.sql:1:1: warning[DB306] The migrations make this column NOT NULL; schema.prisma declares `User.name` optional
  |
1 | ALTER TABLE "User" ALTER COLUMN "name" SET NOT NULL;
  | ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
  = help: create a migration for it (`prisma migrate dev --create-only`), or change the schema back

schema.prisma:13:3: warning[DB306] `User.name` is optional in schema.prisma, but the migrations make the column NOT NULL
   |
13 |   name  String?
   |   ^^^^^^^^^^^^^
   = help: create a migration for it (`prisma migrate dev --create-only`), or change the schema back
""")


def test_err_db307_column_default_drift() -> None:
    later = 'ALTER TABLE "User" ALTER COLUMN "role" SET DEFAULT \'ADMIN\';\n'
    assert drift(USER, USER_SQL, later, code="DB307") == snapshot("""\
migrations/20240101000001_m1/migration.sql:1:1: warning[DB307] The migrations give this column the default `'ADMIN'`; schema.prisma (`User.role`) says `'USER'`
  |
1 | ALTER TABLE "User" ALTER COLUMN "role" SET DEFAULT 'ADMIN';
  | ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
  = help: create a migration for it (`prisma migrate dev --create-only`), or change the schema back

schema.prisma:14:3: warning[DB307] `User.role` has the default `'USER'` in schema.prisma but `'ADMIN'` in the migrations
   |
14 |   role  Role    @default(USER)
   |   ^^^^^^^^^^^^^^^^^^^^^^^^^^^^
   = help: create a migration for it (`prisma migrate dev --create-only`), or change the schema back
""")


def test_err_db308_primary_key_drift() -> None:
    schema = USER.replace("  @@index([authorId])", "  @@id([id, authorId])\n  @@index([authorId])")
    schema = schema.replace(
        "  id       Int    @id @default(autoincrement())\n  title",
        "  id       Int    @default(autoincrement())\n  title",
    )
    assert drift(schema, USER_SQL, code="DB308") == snapshot("""\
migrations/20240101000000_m0/migration.sql:15:1: warning[DB308] This primary key has columns (id); schema.prisma (model `Post`) says (id, authorId)
   |
15 | CREATE TABLE "Post" (
   | ^^^^^^^^^^^^^^^^^^^^^
   = help: create a migration for it (`prisma migrate dev --create-only`), or change the schema back

schema.prisma:24:3: warning[DB308] The primary key of model `Post` has columns (id, authorId) in schema.prisma but (id) in the migrations
   |
24 |   @@id([id, authorId])
   |   ^^^^^^^^^^^^^^^^^^^^
   = help: create a migration for it (`prisma migrate dev --create-only`), or change the schema back
""")


def test_err_db309_index_drift() -> None:
    later = 'CREATE INDEX "Post_title_lower_idx" ON "Post" (lower("title"));\n'
    schema = USER.replace("  @@index([authorId])", "  @@index([authorId, title])")
    assert drift(schema, USER_SQL, later, code="DB309") == snapshot("""\
migrations/20240101000000_m0/migration.sql:27:1: warning[DB309] Index "Post_authorId_idx" is not declared in schema.prisma (model `Post`)
   |
27 | CREATE INDEX "Post_authorId_idx" ON "Post"("authorId");
   | ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
   = help: declare it in the model (`@@index` / `@@unique` with `map:`), or drop it in a new migration; otherwise the next `prisma migrate dev` drops it

migrations/20240101000001_m1/migration.sql:1:1: warning[DB309] Index "Post_title_lower_idx" is not declared in schema.prisma (model `Post`)
  |
1 | CREATE INDEX "Post_title_lower_idx" ON "Post" (lower("title"));
  | ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
  = help: declare it in the model (`@@index` / `@@unique` with `map:`), or drop it in a new migration; otherwise the next `prisma migrate dev` drops it

schema.prisma:18:1: warning[DB309] The migrations create index "Post_authorId_idx" on "Post", which model `Post` does not declare
   |
18 | model Post {
   | ^^^^^^^^^^^^
   = help: declare it in the model (`@@index` / `@@unique` with `map:`), or drop it in a new migration; otherwise the next `prisma migrate dev` drops it

schema.prisma:18:1: warning[DB309] The migrations create index "Post_title_lower_idx" on "Post", which model `Post` does not declare
   |
18 | model Post {
   | ^^^^^^^^^^^^
   = help: declare it in the model (`@@index` / `@@unique` with `map:`), or drop it in a new migration; otherwise the next `prisma migrate dev` drops it

schema.prisma:24:3: warning[DB309] Index "Post_authorId_title_idx" of model `Post` is not created by any migration
   |
24 |   @@index([authorId, title])
   |   ^^^^^^^^^^^^^^^^^^^^^^^^^^
   = help: create a migration for it (`prisma migrate dev --create-only`), or change the schema back
""")


def test_err_db310_foreign_key_drift() -> None:
    schema = (
        USER.replace("onDelete: Cascade", "onDelete: SetNull")
        .replace("authorId Int\n", "authorId Int?\n")
        .replace("author   User ", "author   User?")
    )
    sql = USER_SQL.replace('"authorId" INTEGER NOT NULL', '"authorId" INTEGER')
    assert drift(schema, sql, code="DB310") == snapshot("""\
migrations/20240101000000_m0/migration.sql:30:1: warning[DB310] The migrations build foreign key "Post_authorId_fkey" with on delete Cascade; schema.prisma (model `Post`) says SetNull
   |
30 | ALTER TABLE "Post" ADD CONSTRAINT "Post_authorId_fkey" FOREIGN KEY ("authorId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;
   | ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
   = help: create a migration for it (`prisma migrate dev --create-only`), or change the schema back

schema.prisma:22:3: warning[DB310] Foreign key "Post_authorId_fkey" has on delete SetNull in schema.prisma but Cascade in the migrations
   |
22 |   author   User?  @relation(fields: [authorId], references: [id], onDelete: SetNull)
   |   ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
   = help: create a migration for it (`prisma migrate dev --create-only`), or change the schema back
""")


def test_err_db310_relation_mode_prisma_expects_no_foreign_keys() -> None:
    schema = USER.replace(
        'provider = "postgresql"', 'provider = "postgresql"\n  relationMode = "prisma"'
    )
    assert drift(schema, USER_SQL, code="DB310") == snapshot("""\
migrations/20240101000000_m0/migration.sql:30:1: warning[DB310] Foreign key "Post_authorId_fkey" is not declared by any relation in schema.prisma
   |
30 | ALTER TABLE "Post" ADD CONSTRAINT "Post_authorId_fkey" FOREIGN KEY ("authorId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;
   | ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
   = help: declare the relation, or drop the key in a new migration (with `relationMode = "prisma"` the database keeps no foreign keys)

schema.prisma:19:1: warning[DB310] The migrations create foreign key "Post_authorId_fkey" on "Post", which no relation of model `Post` declares
   |
19 | model Post {
   | ^^^^^^^^^^^^
   = help: declare the relation, or drop the key in a new migration (with `relationMode = "prisma"` the database keeps no foreign keys)
""")


def test_err_db311_enum_drift() -> None:
    schema = USER.replace("  ADMIN\n}", "  ADMIN\n  AUDITOR\n}")
    later = "ALTER TYPE \"Role\" ADD VALUE 'GUEST';\n"
    assert drift(schema, USER_SQL, later, code="DB311") == snapshot("""\
migrations/20240101000001_m1/migration.sql:1:1: warning[DB311] Value 'GUEST' of enum `Role` is not declared in schema.prisma
  |
1 | ALTER TYPE "Role" ADD VALUE 'GUEST';
  | ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
  = help: add the value to the enum, or remove it from the type in a new migration

schema.prisma:5:1: warning[DB311] The migrations give enum `Role` the value 'GUEST', which schema.prisma does not declare
  |
5 | enum Role {
  | ^^^^^^^^^^^
  = help: add the value to the enum, or remove it from the type in a new migration

schema.prisma:8:3: warning[DB311] Value `AUDITOR` of enum `Role` is not in the migrations' enum type
  |
8 |   AUDITOR
  |   ^^^^^^^
  = help: create a migration for it (`prisma migrate dev --create-only`), or change the schema back
""")


def test_sqlite_drift() -> None:
    schema = SQLITE + "model Note {\n  id    String @id\n  title String\n  body  String\n}\n"
    sql = 'CREATE TABLE "Note" (\n    "id" TEXT NOT NULL PRIMARY KEY,\n    "title" TEXT\n);\n'
    report = drift(schema, sql, code="DB303", dialect="sqlite") + drift(
        schema, sql, code="DB306", dialect="sqlite"
    )
    assert report == snapshot("""\
schema.prisma:8:3: warning[DB303] `Note.body` is not created by any migration
  |
8 |   body  String
  |   ^^^^^^^^^^^^
  = help: create a migration for it (`prisma migrate dev --create-only`), or change the schema back
migrations/20240101000000_m0/migration.sql:3:5: warning[DB306] The migrations make this column nullable; schema.prisma declares `Note.title` required
  |
3 |     "title" TEXT
  |     ^^^^^^^^^^^^
  = help: create a migration for it (`prisma migrate dev --create-only`), or change the schema back

schema.prisma:7:3: warning[DB306] `Note.title` is required in schema.prisma, but the migrations make the column nullable
  |
7 |   title String
  |   ^^^^^^^^^^^^
  = help: create a migration for it (`prisma migrate dev --create-only`), or change the schema back
""")


def test_err_db301_view_missing_from_migrations() -> None:
    schema = (
        USER
        + '\ngenerator client {\n  provider = "prisma-client-js"\n  previewFeatures = ["views"]\n}\n'
        + "\nview PostCount {\n  authorId Int @unique\n  posts    Int\n}\n"
    )
    assert drift(schema, USER_SQL, code="DB301") == snapshot("""\
schema.prisma:32:1: warning[DB301] View `PostCount` is not created by any migration
   |
32 | view PostCount {
   | ^^^^^^^^^^^^^^^^
   = help: Prisma writes no SQL for views: write its `CREATE VIEW` in a migration
""")
    created = (
        'CREATE VIEW "PostCount" AS SELECT "authorId", count(*) AS posts FROM "Post" GROUP BY 1;\n'
    )
    assert drift(schema, USER_SQL, created, code="DB301") == ""


MYSQL_SCHEMA = """datasource db {
  provider = "mysql"
}

enum Role {
  USER
  ADMIN
}

model User {
  id      Int      @id @default(autoincrement())
  email   String   @unique
  active  Boolean  @default(true)
  role    Role     @default(USER)
  created DateTime @default(now())
  posts   Post[]
}

model Post {
  id       Int  @id @default(autoincrement())
  authorId Int
  author   User @relation(fields: [authorId], references: [id])
}
"""

MYSQL_SQL = """-- CreateTable
CREATE TABLE `User` (
    `id` INTEGER NOT NULL AUTO_INCREMENT,
    `email` VARCHAR(191) NOT NULL,
    `active` BOOLEAN NOT NULL DEFAULT true,
    `role` ENUM('USER', 'ADMIN') NOT NULL DEFAULT 'USER',
    `created` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),

    UNIQUE INDEX `User_email_key`(`email`),
    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

-- CreateTable
CREATE TABLE `Post` (
    `id` INTEGER NOT NULL AUTO_INCREMENT,
    `authorId` INTEGER NOT NULL,

    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

-- AddForeignKey
ALTER TABLE `Post` ADD CONSTRAINT `Post_authorId_fkey` FOREIGN KEY (`authorId`) REFERENCES `User`(`id`) ON DELETE RESTRICT ON UPDATE CASCADE;
"""


@pytest.mark.parametrize("code", CODES)
def test_ok_mysql(code: str) -> None:
    assert drift(MYSQL_SCHEMA, MYSQL_SQL, code=code, dialect="mysql") == ""


def test_err_mysql_enum_value_is_a_column_type() -> None:
    later = (
        "ALTER TABLE `User` MODIFY `role` ENUM('USER', 'ADMIN', 'GUEST') NOT NULL DEFAULT 'USER';\n"
    )
    assert drift(MYSQL_SCHEMA, MYSQL_SQL, later, code="DB305", dialect="mysql") == snapshot("""\
migrations/20240101000001_m1/migration.sql:1:1: warning[DB305] The migrations give this column type `enum('USER','ADMIN','GUEST')`; schema.prisma (`User.role`) says `enum('USER','ADMIN')`
  |
1 | ALTER TABLE `User` MODIFY `role` ENUM('USER', 'ADMIN', 'GUEST') NOT NULL DEFAULT 'USER';
  | ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
  = help: create a migration for it (`prisma migrate dev --create-only`), or change the schema back

schema.prisma:14:3: warning[DB305] `User.role` has type `enum('USER','ADMIN')` in schema.prisma but `enum('USER','ADMIN','GUEST')` in the migrations
   |
14 |   role    Role     @default(USER)
   |   ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
   = help: create a migration for it (`prisma migrate dev --create-only`), or change the schema back
""")

"""The SQL targets, one line per behaviour: an operation and what each dialect writes for it.

`assert_sql(op, postgres=..., mysql=..., sqlite=...)` renders `op` for each dialect named and
compares the statements; `UNSUPPORTED` says the dialect must refuse it with an `Unsupported`
note (and write nothing), never wrong SQL.
"""

from __future__ import annotations

from schemasense.codegen.ddl.operations import (
    AddColumn,
    AddConstraint,
    AlterColumnType,
    AlterEnum,
    AlterTable,
    ColumnDef,
    ConstraintDef,
    CreateEnum,
    CreateIndex,
    CreateTable,
    DefaultDef,
    DropColumn,
    DropConstraint,
    DropDefault,
    DropIndex,
    DropNotNull,
    DropTable,
    EnumDef,
    ForeignKeyDef,
    IndexDef,
    IndexPart,
    ModifyColumn,
    Operation,
    PrimaryKeyDef,
    RenameColumn,
    RenameConstraint,
    RenameEnumValue,
    RenameIndex,
    RenameTable,
    SetDefault,
    SetNotNull,
    TableDef,
)
from schemasense.codegen.dialects.sql_type import SqlType
from schemasense.codegen.emit.sql.base import render_sql
from schemasense.codegen.schema import Span

UNSUPPORTED = object()
DIALECTS = {"postgres": "postgresql", "mysql": "mysql", "sqlite": "sqlite"}


def assert_sql(op: Operation, **expected: object) -> None:
    for key, want in expected.items():
        script = render_sql([op], DIALECTS[key])
        if want is UNSUPPORTED:
            assert not script.steps, f"{key}: wrote {script.statements}"
            assert script.unsupported and script.unsupported[0].operation is op, key
            assert script.unsupported[0].span == op.span
            continue
        want_list = [want] if isinstance(want, str) else list(want)  # type: ignore[arg-type]
        assert script.statements == want_list, f"{key}: {script.statements}"
        assert not script.unsupported


SPAN = Span(file="schema.prisma", start=10, end=20)
INT = SqlType("INTEGER")
TEXT = SqlType("TEXT")
ID = ColumnDef("id", INT, False, DefaultDef("sequence", None), True)
EMAIL = ColumnDef("email", TEXT, False)
NAME = ColumnDef("name", TEXT, True)
PK = PrimaryKeyDef("User_pkey", (IndexPart("id"),))
USER = TableDef("User", (ID, EMAIL, NAME), PK, span=SPAN)
EMAIL_KEY = IndexDef("User_email_key", (IndexPart("email"),), unique=True, span=SPAN)
FK = ForeignKeyDef("Post_authorId_fkey", ("authorId",), "User", ("id",), "Cascade", "Cascade")


def test_create_table() -> None:
    assert_sql(
        CreateTable(USER),
        postgres='CREATE TABLE "User" (\n    "id" SERIAL NOT NULL,\n    "email" TEXT NOT NULL,\n'
        '    "name" TEXT,\n\n    CONSTRAINT "User_pkey" PRIMARY KEY ("id")\n)',
        sqlite='CREATE TABLE "User" (\n    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,\n'
        '    "email" TEXT NOT NULL,\n    "name" TEXT\n)',
    )
    mysql_user = TableDef(
        "User",
        (
            ColumnDef("id", INT, False, None, True),
            ColumnDef("email", SqlType("VARCHAR", (191,)), False),
        ),
        PrimaryKeyDef(None, (IndexPart("id"),)),
        (EMAIL_KEY,),
    )
    assert_sql(
        CreateTable(mysql_user),
        mysql="CREATE TABLE `User` (\n    `id` INTEGER NOT NULL AUTO_INCREMENT,\n"
        "    `email` VARCHAR(191) NOT NULL,\n\n    UNIQUE INDEX `User_email_key`(`email`),\n"
        "    PRIMARY KEY (`id`)\n) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci",
    )


def test_drop_and_rename_table() -> None:
    assert_sql(
        DropTable(USER.name, USER.schema, table=USER),
        postgres='DROP TABLE "User"',
        mysql="DROP TABLE `User`",
        sqlite=["PRAGMA foreign_keys=off", 'DROP TABLE "User"', "PRAGMA foreign_keys=on"],
    )
    assert_sql(
        RenameTable("User", "users", sequences=(("User_id_seq", "users_id_seq"),)),
        postgres=[
            'ALTER TABLE "User" RENAME TO "users"',
            'ALTER SEQUENCE IF EXISTS "User_id_seq" RENAME TO "users_id_seq"',
        ],
        mysql="ALTER TABLE `User` RENAME TO `users`",
        sqlite='ALTER TABLE "User" RENAME TO "users"',
    )


def test_rename_column() -> None:
    assert_sql(
        RenameColumn("User", "name", "full_name"),
        postgres='ALTER TABLE "User" RENAME COLUMN "name" TO "full_name"',
        mysql="ALTER TABLE `User` RENAME COLUMN `name` TO `full_name`",
        sqlite='ALTER TABLE "User" RENAME COLUMN "name" TO "full_name"',
    )


def test_add_and_drop_columns() -> None:
    age = ColumnDef("age", INT, False, DefaultDef("value", "18"))
    assert_sql(
        AlterTable("User", (AddColumn(age),), TableDef("User", (ID, EMAIL, age, NAME))),
        postgres='ALTER TABLE "User" ADD COLUMN     "age" INTEGER NOT NULL DEFAULT 18',
        mysql="ALTER TABLE `User` ADD COLUMN `age` INTEGER NOT NULL DEFAULT 18 AFTER `email`",
        sqlite='ALTER TABLE "User" ADD COLUMN "age" INTEGER NOT NULL DEFAULT 18',
    )
    assert_sql(
        AlterTable("User", (DropColumn("name", NAME), DropColumn("email", EMAIL))),
        postgres='ALTER TABLE "User" DROP COLUMN "name",\nDROP COLUMN "email"',
        mysql="ALTER TABLE `User` DROP COLUMN `name`,\n    DROP COLUMN `email`",
        # SQLite 3.35+ (a fix's in-place ALTER TABLE); the differ writes a redefinition
        sqlite=['ALTER TABLE "User" DROP COLUMN "name"', 'ALTER TABLE "User" DROP COLUMN "email"'],
    )


def test_alter_columns() -> None:
    wide = ColumnDef("email", SqlType("VARCHAR", (200,)), False)
    assert_sql(
        AlterTable(
            "User", (AlterColumnType("email", wide.type, before=EMAIL, after=wide, cast="risky"),)
        ),
        postgres='ALTER TABLE "User" ALTER COLUMN "email" SET DATA TYPE VARCHAR(200)',
        sqlite=UNSUPPORTED,
    )
    assert_sql(
        AlterTable("User", (SetNotNull("name", NAME), DropNotNull("email"))),
        postgres='ALTER TABLE "User" ALTER COLUMN "name" SET NOT NULL,\n'
        'ALTER COLUMN "email" DROP NOT NULL',
    )
    named = ColumnDef("name", TEXT, True, DefaultDef("value", "'anon'"))
    assert_sql(
        AlterTable("User", (SetDefault("name", named.default, named), DropDefault("email"))),
        postgres='ALTER TABLE "User" ALTER COLUMN "name" SET DEFAULT \'anon\',\n'
        'ALTER COLUMN "email" DROP DEFAULT',
        mysql=UNSUPPORTED,  # MySQL sets defaults by MODIFY, which the differ writes instead
    )
    assert_sql(
        AlterTable("User", (ModifyColumn("name", named, NAME),)),
        mysql="ALTER TABLE `User` MODIFY `name` TEXT NULL DEFAULT 'anon'",
        postgres=UNSUPPORTED,
    )


def test_indexes() -> None:
    assert_sql(
        CreateIndex("User", EMAIL_KEY),
        postgres='CREATE UNIQUE INDEX "User_email_key" ON "User"("email")',
        mysql="CREATE UNIQUE INDEX `User_email_key` ON `User`(`email`)",
        sqlite='CREATE UNIQUE INDEX "User_email_key" ON "User"("email")',
    )
    sorted_gin = IndexDef("Doc_body_idx", (IndexPart("body", ops="jsonb_path_ops"),), method="GIN")
    assert_sql(
        CreateIndex("Doc", sorted_gin),
        postgres='CREATE INDEX "Doc_body_idx" ON "Doc" USING GIN ("body" jsonb_path_ops)',
        mysql=UNSUPPORTED,
    )
    desc = IndexDef("T_a_b_idx", (IndexPart("a", sort="desc"), IndexPart("b", length=10)))
    assert_sql(CreateIndex("T", desc), mysql="CREATE INDEX `T_a_b_idx` ON `T`(`a` DESC, `b`(10))")
    partial = IndexDef("T_a_idx", (IndexPart("a"),), predicate="a > 0")
    assert_sql(
        CreateIndex("T", partial),
        postgres='CREATE INDEX "T_a_idx" ON "T"("a") WHERE (a > 0)',
        sqlite='CREATE INDEX "T_a_idx" ON "T"("a") WHERE a > 0',
        mysql=UNSUPPORTED,
    )
    fulltext = IndexDef("T_a_idx", (IndexPart("a"),), method="FULLTEXT", span=SPAN)
    assert_sql(
        CreateIndex("T", fulltext),
        mysql="CREATE FULLTEXT INDEX `T_a_idx` ON `T`(`a`)",
        postgres=UNSUPPORTED,
        sqlite=UNSUPPORTED,
    )
    assert_sql(
        CreateIndex("T", partial, concurrently=True),
        postgres='CREATE INDEX CONCURRENTLY "T_a_idx" ON "T"("a") WHERE (a > 0)',
    )
    assert_sql(
        DropIndex("User", EMAIL_KEY),
        postgres='DROP INDEX "User_email_key"',
        mysql="DROP INDEX `User_email_key` ON `User`",
        sqlite='DROP INDEX "User_email_key"',
    )
    assert_sql(
        RenameIndex("User", "a", "b"),
        postgres='ALTER INDEX "a" RENAME TO "b"',
        mysql="ALTER TABLE `User` RENAME INDEX `a` TO `b`",
        sqlite=UNSUPPORTED,  # dropped and created again (RedefineIndex)
    )


def test_foreign_keys() -> None:
    assert_sql(
        AddConstraint(ConstraintDef.foreign_key(FK), "Post"),
        postgres='ALTER TABLE "Post" ADD CONSTRAINT "Post_authorId_fkey" FOREIGN KEY ("authorId") '
        'REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE',
        mysql="ALTER TABLE `Post` ADD CONSTRAINT `Post_authorId_fkey` FOREIGN KEY (`authorId`) "
        "REFERENCES `User`(`id`) ON DELETE CASCADE ON UPDATE CASCADE",
        sqlite=UNSUPPORTED,  # written inside CREATE TABLE
    )
    assert_sql(
        AddConstraint(ConstraintDef.foreign_key(FK, not_valid=True), "Post"),
        postgres='ALTER TABLE "Post" ADD CONSTRAINT "Post_authorId_fkey" FOREIGN KEY ("authorId") '
        'REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE NOT VALID',
    )
    assert_sql(
        AlterTable("Post", (DropConstraint(FK.name, "foreign_key"),)),
        postgres='ALTER TABLE "Post" DROP CONSTRAINT "Post_authorId_fkey"',
        mysql="ALTER TABLE `Post` DROP FOREIGN KEY `Post_authorId_fkey`",
        sqlite=UNSUPPORTED,
    )
    assert_sql(
        AlterTable("Post", (RenameConstraint("a", "b", "foreign_key"),)),
        postgres='ALTER TABLE "Post" RENAME CONSTRAINT "a" TO "b"',
        mysql=UNSUPPORTED,  # dropped and added again
    )


ROLE = EnumDef("Role", ("USER", "ADMIN"), span=SPAN)


def test_enums() -> None:
    assert_sql(
        CreateEnum((None, "Role"), ROLE.values, SPAN),
        postgres="CREATE TYPE \"Role\" AS ENUM ('USER', 'ADMIN')",
        mysql=UNSUPPORTED,  # MySQL's enums are column types
        sqlite=UNSUPPORTED,
    )
    assert_sql(AlterEnum(ROLE, ("ADMIN",)), postgres="ALTER TYPE \"Role\" ADD VALUE 'ADMIN'")
    assert_sql(
        RenameEnumValue((None, "Role"), "ADMIN", "OWNER", SPAN),
        postgres="ALTER TYPE \"Role\" RENAME VALUE 'ADMIN' TO 'OWNER'",
        sqlite=UNSUPPORTED,
    )


def test_empty_migration() -> None:
    assert render_sql([], "postgresql").text == "-- This is an empty migration.\n"

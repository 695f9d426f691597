"""MySQL replay, one line per behaviour: COLUMN_TYPE / COLUMN_DEFAULT spellings and MySQL's
own ALTER forms. The same forms run on a real MariaDB in `fixtures/mysql`."""

from __future__ import annotations

import pytest

from tests.server.migrations.conftest import (
    columns,
    foreign_keys,
    indexes,
    replay_sql,
    schema_of,
    table_of,
)

MY = "mysql"
USERS = (
    "CREATE TABLE `u` (`id` INTEGER NOT NULL AUTO_INCREMENT, `a` VARCHAR(20) NULL, "
    "`b` INTEGER NOT NULL, PRIMARY KEY (`id`));"
)


def col(decl: str, *more: str) -> str:
    return columns(table_of(MY, "t", f"CREATE TABLE `t` (`c` {decl});", *more))["c"]


@pytest.mark.parametrize(
    "decl, expected",
    [
        ("INTEGER NOT NULL", "int not null"),
        ("INT(11)", "int"),
        ("INTEGER UNSIGNED", "int unsigned"),
        ("BIGINT UNSIGNED", "bigint unsigned"),
        ("TINYINT", "tinyint"),
        ("BOOLEAN", "tinyint(1)"),
        ("VARCHAR(191)", "varchar(191)"),
        ("CHAR", "char(1)"),
        ("DECIMAL(65, 30)", "decimal(65,30)"),
        ("DECIMAL", "decimal(10,0)"),
        ("NUMERIC(5)", "decimal(5,0)"),
        ("DOUBLE", "double"),
        ("REAL", "double"),
        ("FLOAT", "float"),
        ("DATETIME(3)", "datetime(3)"),
        ("TIMESTAMP(0)", "timestamp"),
        ("JSON", "json"),
        ("LONGTEXT", "longtext"),
        ("ENUM('A', 'B')", "enum('A','B')"),
        ("LONGBLOB", "longblob"),
    ],
)
def test_column_types_print_as_column_type(decl: str, expected: str) -> None:
    assert col(decl) == expected


@pytest.mark.parametrize(
    "decl, expected",
    [
        ("VARCHAR(5) DEFAULT 'x'", "varchar(5) default 'x'"),
        ("INT DEFAULT 1", "int default 1"),
        ("INT DEFAULT -1", "int default -1"),
        ("BOOLEAN DEFAULT true", "tinyint(1) default 1"),
        ("DECIMAL(10,2) DEFAULT 1.5", "decimal(10,2) default 1.50"),
        ("DOUBLE DEFAULT 0", "double default 0"),
        ("DATETIME(3) DEFAULT CURRENT_TIMESTAMP(3)", "datetime(3) default current_timestamp(3)"),
        ("TIMESTAMP DEFAULT CURRENT_TIMESTAMP", "timestamp default current_timestamp()"),
        ("ENUM('A','B') DEFAULT 'A'", "enum('A','B') default 'A'"),
        ("INT NULL DEFAULT NULL", "int"),
    ],
)
def test_defaults_print_as_column_default(decl: str, expected: str) -> None:
    assert col(decl) == expected


def test_auto_increment_and_primary_key() -> None:
    t = table_of(MY, "u", USERS)
    assert columns(t)["id"] == "int not null auto" and t.primary_key.columns[0].column == "id"


def test_inline_indexes_in_create_table() -> None:
    t = table_of(
        MY,
        "t",
        "CREATE TABLE `t` (`a` INT, `b` TEXT, UNIQUE INDEX `t_a_key`(`a`), "
        "INDEX `t_ab`(`a`, `b`(10)), FULLTEXT INDEX `t_ft`(`b`));",
    )
    assert indexes(t) == {"t_a_key": "unique (a)", "t_ab": "(a, b(10))", "t_ft": "fulltext (b)"}


def test_unique_constraint_is_a_unique_index() -> None:
    t = table_of(MY, "u", USERS, "ALTER TABLE `u` ADD CONSTRAINT `u_a` UNIQUE (`a`);")
    assert (indexes(t), t.uniques) == ({"u_a": "unique (a)"}, [])


def test_modify_and_change() -> None:
    t = table_of(
        MY,
        "u",
        USERS,
        "ALTER TABLE `u` MODIFY `a` TEXT NOT NULL;",
        "ALTER TABLE `u` CHANGE `b` `bee` BIGINT NULL AFTER `id`;",
    )
    assert columns(t) == {"id": "int not null auto", "bee": "bigint", "a": "text not null"}


def test_add_column_first_and_after() -> None:
    t = table_of(
        MY, "u", USERS, "ALTER TABLE `u` ADD COLUMN `z` INT FIRST, ADD COLUMN `y` INT AFTER `a`;"
    )
    assert list(columns(t)) == ["z", "id", "a", "y", "b"]


def test_rename_column_alter_default_and_drop_column() -> None:
    t = table_of(
        MY,
        "u",
        USERS,
        "ALTER TABLE `u` RENAME COLUMN `a` TO `aa`;"
        "ALTER TABLE `u` ALTER COLUMN `b` SET DEFAULT 3; ALTER TABLE `u` DROP COLUMN `aa`;",
    )
    assert columns(t) == {"id": "int not null auto", "b": "int not null default 3"}


def test_foreign_key_brings_its_own_index_until_one_serves_it() -> None:
    first = (
        "CREATE TABLE `c` (`uid` INT NOT NULL, `x` INT);"
        "ALTER TABLE `c` ADD CONSTRAINT `c_fk` FOREIGN KEY (`uid`) REFERENCES `u`(`id`) "
        "ON DELETE CASCADE;"
    )
    assert indexes(table_of(MY, "c", USERS, first)) == {"c_fk": "(uid)"}
    t = table_of(MY, "c", USERS, first, "CREATE INDEX `c_uid_x` ON `c`(`uid`, `x`);")
    assert indexes(t) == {"c_uid_x": "(uid, x)"}
    # an ON UPDATE not written is InnoDB's default, RESTRICT as MariaDB reports it (checked on
    # MariaDB by tests/oracle/typeorm: TypeORM writes no action it was not given)
    assert foreign_keys(t) == {"c_fk": "(uid) -> u(id) Cascade/Restrict"}


def test_drop_foreign_key_keeps_its_index() -> None:
    t = table_of(
        MY,
        "c",
        USERS,
        "CREATE TABLE `c` (`uid` INT, CONSTRAINT `c_fk` FOREIGN KEY (`uid`) REFERENCES `u`(`id`));",
        "ALTER TABLE `c` DROP FOREIGN KEY `c_fk`;",
    )
    assert (foreign_keys(t), indexes(t)) == ({}, {"c_fk": "(uid)"})


def test_index_add_rename_and_drop_forms() -> None:
    t = table_of(
        MY,
        "u",
        USERS,
        "ALTER TABLE `u` ADD INDEX `i1`(`a`), ADD UNIQUE INDEX `i2`(`b`);"
        "ALTER TABLE `u` RENAME INDEX `i1` TO `i3`; CREATE INDEX `i4` ON `u`(`a` DESC);"
        "DROP INDEX `i4` ON `u`; ALTER TABLE `u` DROP INDEX `i2`;",
    )
    assert indexes(t) == {"i3": "(a)"}


def test_dropping_a_column_shrinks_indexes() -> None:
    t = table_of(
        MY, "u", USERS, "CREATE INDEX `ab` ON `u`(`a`, `b`);", "ALTER TABLE `u` DROP COLUMN `a`;"
    )
    assert indexes(t) == {"ab": "(b)"}


def test_rename_table_both_ways() -> None:
    schema = schema_of(MY, USERS, "RENAME TABLE `u` TO `v`;", "ALTER TABLE `v` RENAME TO `w`;")
    assert [t.name for t in schema.tables] == ["w"]


def test_table_options_are_ignored_and_data_is_opaque() -> None:
    result = replay_sql(
        MY,
        "CREATE TABLE `t` (`a` INT) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;"
        "INSERT INTO `t` VALUES (1); UPDATE `t` SET `a` = 2;",
    )
    assert [s.action for s in result.statements] == ["applied", "opaque", "opaque"]


def test_unparsable_statement_is_a_warning_with_its_range() -> None:
    text = (
        "CREATE TABLE `a` (`x` INT);\nCREATE TABLE `b` (`y` INT NOT NOT NULL);\n"
        "CREATE TABLE `c` (`z` INT);"
    )
    result = replay_sql(MY, text)
    assert [(f.code, f.severity) for f in result.findings] == [("DB050", "warning")]
    span = result.findings[0].span
    assert text[span.start : span.end] == "CREATE TABLE `b` (`y` INT NOT NOT NULL)"
    assert [t.name for t in result.schema.tables] == ["a", "c"]


def test_ddl_sqlglot_falls_back_on_is_a_warning() -> None:
    result = replay_sql(MY, "CREATE TABLEE `b` (x int);")
    assert [(f.code, f.severity) for f in result.findings] == [("DB050", "warning")]

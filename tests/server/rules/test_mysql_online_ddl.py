"""The MySQL / MariaDB online DDL facts by server version.

MySQL rows come from the MySQL 5.7 / 8.0 / 8.4 manuals' "Online DDL Operations" tables: there
is no MySQL server on our machines to check them against. MariaDB rows are also checked on a
real MariaDB by tests/verify/test_mysql_online_ddl.py.
"""

from __future__ import annotations

import pytest
from schemasense.codegen.ddl import statements as ops
from schemasense.codegen.ddl.lock_facts import Before, classify
from schemasense.codegen.dialects.mysql_online_ddl import Server, pinned_better, worst
from schemasense.server.lint.walk import Tables, track_tables
from schemasense.server.migrations.sql.mysql import parse_sql

TABLE = (
    "CREATE TABLE `t` (`id` INT NOT NULL, `a` INT NOT NULL, `b` VARCHAR(20) NULL, "
    "`c` VARCHAR(50) NOT NULL, `d` VARCHAR(191) NOT NULL, `e` ENUM('A','B') NOT NULL, "
    "`n` INT NULL, PRIMARY KEY (`id`));"
)


def fact(alter: str, flavour: str, version: str, *, fk_checks: bool = True) -> str:
    """`ALGORITHM[+rebuild]/LOCK` for `alter` on table `t` (after TABLE)."""
    tables: Tables = {}
    for parsed in parse_sql(TABLE):
        track_tables(tables, parsed.ops)
    (parsed,) = parse_sql(alter)
    assert parsed.error is None, parsed.error
    server = Server.of(flavour, tuple(int(p) for p in version.split(".")))
    facts = []
    for op in parsed.ops:
        assert isinstance(op, ops.AlterTable)
        before = Before(tables.get(op.qname[1].lower(), {}), fk_checks, op.changes).online()
        facts.extend(classify(a, server, before) for a in op.changes)
    result = worst(facts)
    assert result is not None
    rebuild = "+rebuild" if result.rebuild and result.algorithm == "INPLACE" else ""
    return f"{result.algorithm}{rebuild}/{result.lock}"


ADD_END = "ALTER TABLE `t` ADD COLUMN `x` INT NULL;"
ADD_MIDDLE = "ALTER TABLE `t` ADD COLUMN `x` INT NULL AFTER `a`;"
ADD_AFTER_LAST = "ALTER TABLE `t` ADD COLUMN `x` INT NULL AFTER `n`;"
DROP = "ALTER TABLE `t` DROP COLUMN `n`;"
RENAME = "ALTER TABLE `t` RENAME COLUMN `n` TO `m`;"
DEFAULT = "ALTER TABLE `t` ALTER COLUMN `a` SET DEFAULT 1;"
ENUM_APPEND = "ALTER TABLE `t` MODIFY `e` ENUM('A','B','C') NOT NULL;"
ENUM_INSERT = "ALTER TABLE `t` MODIFY `e` ENUM('A','C','B') NOT NULL;"
VARCHAR_SMALL = "ALTER TABLE `t` MODIFY `b` VARCHAR(100) NULL;"  # 80 -> 400 bytes
VARCHAR_MID = "ALTER TABLE `t` MODIFY `c` VARCHAR(100) NOT NULL;"  # 200 -> 400 bytes
VARCHAR_WIDE = "ALTER TABLE `t` MODIFY `d` VARCHAR(255) NOT NULL;"  # 764 -> 1020 bytes
VARCHAR_1BYTE = "ALTER TABLE `t` MODIFY `b` VARCHAR(60) NULL;"  # 80 -> 240 bytes
NOT_NULL = "ALTER TABLE `t` MODIFY `n` INT NOT NULL;"
NULLABLE = "ALTER TABLE `t` MODIFY `a` INT NULL;"
TYPE = "ALTER TABLE `t` MODIFY `a` BIGINT NOT NULL;"
INDEX = "ALTER TABLE `t` ADD INDEX `t_a_idx` (`a`);"
UNIQUE = "ALTER TABLE `t` ADD UNIQUE INDEX `t_d_key` (`d`);"
FULLTEXT = "ALTER TABLE `t` ADD FULLTEXT INDEX `t_d_ft` (`d`);"
DROP_INDEX = "ALTER TABLE `t` DROP INDEX `t_a_idx`;"
RENAME_INDEX = "ALTER TABLE `t` RENAME INDEX `t_a_idx` TO `t_a_idx2`;"
FK = "ALTER TABLE `t` ADD CONSTRAINT `t_a_fkey` FOREIGN KEY (`a`) REFERENCES `u`(`id`);"
DROP_FK = "ALTER TABLE `t` DROP FOREIGN KEY `t_a_fkey`;"
ADD_PK = "ALTER TABLE `t` DROP PRIMARY KEY, ADD PRIMARY KEY (`id`, `a`);"
DROP_PK = "ALTER TABLE `t` DROP PRIMARY KEY;"
RENAME_TABLE = "ALTER TABLE `t` RENAME TO `u`;"
CONVERT = "ALTER TABLE `t` CONVERT TO CHARACTER SET utf8mb4;"
MOVE = "ALTER TABLE `t` MODIFY `n` INT NULL FIRST;"

CASES = [
    # adding a column: MySQL INSTANT at the end from 8.0.12, anywhere from 8.0.29
    (ADD_END, "mysql", "5.7", "INPLACE+rebuild/NONE"),
    (ADD_END, "mysql", "8.0.12", "INSTANT/NONE"),
    (ADD_MIDDLE, "mysql", "8.0.12", "INPLACE+rebuild/NONE"),
    (ADD_AFTER_LAST, "mysql", "8.0.12", "INSTANT/NONE"),
    (ADD_MIDDLE, "mysql", "8.0.29", "INSTANT/NONE"),
    # MariaDB: at the end from 10.3.2, anywhere from 10.4
    (ADD_END, "mariadb", "10.2", "INPLACE+rebuild/NONE"),
    (ADD_END, "mariadb", "10.3.2", "INSTANT/NONE"),
    (ADD_MIDDLE, "mariadb", "10.3.7", "INPLACE+rebuild/NONE"),
    (ADD_MIDDLE, "mariadb", "10.4", "INSTANT/NONE"),
    # dropping a column: MySQL 8.0.29+, MariaDB 10.4+
    (DROP, "mysql", "8.0.28", "INPLACE+rebuild/NONE"),
    (DROP, "mysql", "8.0.29", "INSTANT/NONE"),
    (DROP, "mariadb", "10.3.7", "INPLACE+rebuild/NONE"),
    (DROP, "mariadb", "10.4", "INSTANT/NONE"),
    # renaming: MySQL INSTANT from 8.0.28 (INPLACE, metadata only, before)
    (RENAME, "mysql", "5.7", "INPLACE/NONE"),
    (RENAME, "mysql", "8.0.27", "INPLACE/NONE"),
    (RENAME, "mysql", "8.0.28", "INSTANT/NONE"),
    (RENAME, "mariadb", "10.2", "INPLACE/NONE"),
    (RENAME, "mariadb", "10.11", "INSTANT/NONE"),
    # defaults and ENUM values appended: metadata only
    (DEFAULT, "mysql", "5.7", "INPLACE/NONE"),
    (DEFAULT, "mysql", "8.0.12", "INSTANT/NONE"),
    (DEFAULT, "mariadb", "10.11", "INSTANT/NONE"),
    (ENUM_APPEND, "mysql", "5.7", "INPLACE/NONE"),
    (ENUM_APPEND, "mysql", "8.0.12", "INSTANT/NONE"),
    (ENUM_APPEND, "mariadb", "10.11", "INSTANT/NONE"),
    (ENUM_INSERT, "mysql", "8.4", "COPY/SHARED"),
    (ENUM_INSERT, "mariadb", "10.11", "COPY/SHARED"),
    # VARCHAR: in place while the length bytes stay the same; MariaDB 10.4.3+ also from
    # under 128 bytes
    (VARCHAR_1BYTE, "mysql", "8.4", "INPLACE/NONE"),
    (VARCHAR_WIDE, "mysql", "8.4", "INPLACE/NONE"),
    (VARCHAR_SMALL, "mysql", "8.4", "COPY/SHARED"),
    (VARCHAR_MID, "mysql", "8.4", "COPY/SHARED"),
    (VARCHAR_WIDE, "mariadb", "10.11", "INSTANT/NONE"),
    (VARCHAR_SMALL, "mariadb", "10.4.2", "COPY/SHARED"),
    (VARCHAR_SMALL, "mariadb", "10.4.3", "INSTANT/NONE"),
    (VARCHAR_MID, "mariadb", "10.11", "COPY/SHARED"),
    # nullability: in place with a rebuild
    (NOT_NULL, "mysql", "8.4", "INPLACE+rebuild/NONE"),
    (NULLABLE, "mysql", "8.4", "INPLACE+rebuild/NONE"),
    (NOT_NULL, "mariadb", "10.11", "INPLACE+rebuild/NONE"),
    (NULLABLE, "mariadb", "10.11", "INPLACE+rebuild/NONE"),
    # another type: a copy; MariaDB 11.2+ copies with LOCK=NONE
    (TYPE, "mysql", "5.7", "COPY/SHARED"),
    (TYPE, "mysql", "8.4", "COPY/SHARED"),
    (TYPE, "mariadb", "11.1", "COPY/SHARED"),
    (TYPE, "mariadb", "11.2", "COPY/NONE"),
    (CONVERT, "mysql", "8.4", "COPY/SHARED"),
    (CONVERT, "mariadb", "10.11", "COPY/SHARED"),
    # reordering: MySQL rebuilds, MariaDB 10.4+ INSTANT
    (MOVE, "mysql", "8.4", "INPLACE+rebuild/NONE"),
    (MOVE, "mariadb", "10.4", "INSTANT/NONE"),
    # indexes
    (INDEX, "mysql", "8.4", "INPLACE/NONE"),
    (UNIQUE, "mariadb", "10.11", "INPLACE/NONE"),
    (FULLTEXT, "mysql", "8.4", "INPLACE+rebuild/SHARED"),
    (FULLTEXT, "mariadb", "10.11", "INPLACE+rebuild/SHARED"),
    (DROP_INDEX, "mysql", "8.4", "INPLACE/NONE"),
    (DROP_INDEX, "mariadb", "10.11", "INPLACE/NONE"),
    (RENAME_INDEX, "mysql", "8.4", "INPLACE/NONE"),
    (RENAME_INDEX, "mariadb", "10.11", "INSTANT/NONE"),
    # foreign keys: a copy unless foreign_key_checks=0
    (FK, "mysql", "8.4", "COPY/SHARED"),
    (FK, "mariadb", "10.11", "COPY/SHARED"),
    (DROP_FK, "mysql", "8.4", "INPLACE/NONE"),
    (DROP_FK, "mariadb", "10.11", "INSTANT/NONE"),
    # primary keys: replacing one rebuilds, dropping one alone copies
    (ADD_PK, "mysql", "8.4", "INPLACE+rebuild/NONE"),
    (DROP_PK, "mysql", "8.4", "COPY/SHARED"),
    (DROP_PK, "mariadb", "10.11", "COPY/SHARED"),
    # renaming the table: MariaDB takes it with LOCK=EXCLUSIVE (brief)
    (RENAME_TABLE, "mysql", "5.7", "INPLACE/NONE"),
    (RENAME_TABLE, "mysql", "8.4", "INSTANT/NONE"),
    (RENAME_TABLE, "mariadb", "10.11", "INSTANT/EXCLUSIVE"),
]


@pytest.mark.parametrize(("alter", "flavour", "version", "expected"), CASES)
def test_fact(alter, flavour, version, expected):
    assert fact(alter, flavour, version) == expected


def test_foreign_key_with_checks_off():
    assert fact(FK, "mysql", "8.4", fk_checks=False) == "INPLACE/NONE"
    assert fact(FK, "mariadb", "10.11", fk_checks=False) == "INPLACE/NONE"


def test_statement_takes_the_worst_action():
    assert fact(ADD_END[:-1] + ", MODIFY `a` BIGINT NOT NULL;", "mysql", "8.4") == "COPY/SHARED"


def test_defaults_when_no_version():
    assert Server.of("mysql", None) == Server("mysql", (8, 4, 0), assumed=True)
    assert Server.of("mariadb", None).version == (10, 11, 0)
    assert Server.of(None, (8, 0, 20)).label == "MySQL 8.0.20"
    assert "assuming" in Server.of("mariadb", None).label


def test_pinned_algorithm():
    server = Server.of("mariadb", (10, 11))
    copy = classify(ops.AlterColumnType(name="a", type=ops.SqlType(native="bigint")), server)
    assert copy is not None
    assert pinned_better("ALTER TABLE t MODIFY a BIGINT, ALGORITHM=INPLACE", copy)
    assert pinned_better("ALTER TABLE t MODIFY a BIGINT, LOCK=NONE", copy)
    assert not pinned_better("ALTER TABLE t MODIFY a BIGINT, ALGORITHM=COPY", copy)
    assert not pinned_better("ALTER TABLE t MODIFY a BIGINT", copy)

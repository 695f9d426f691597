"""The MySQL / MariaDB online DDL facts (`codegen/dialects/mysql_online_ddl.py`) against a real
MariaDB: for each ALTER, the classifier's prediction is run with an explicit `ALGORITHM=` and
`LOCK=` and must be accepted, and the next better algorithm (or lock) must be refused with
ER_ALTER_OPERATION_NOT_SUPPORTED(_REASON).

The classifier reads the same SQL the server runs (through the migration reader), with the
table as the setup statements left it. It is driven as MariaDB at the server's own version
(10.11 on our machines). There is no MySQL server here: MySQL predictions are unit tests from
the manual's tables (tests/server/rules/test_mysql_online_ddl.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pymysql
import pytest
from schemasense.codegen.ddl import statements as ops
from schemasense.codegen.ddl.lock_facts import Before, classify
from schemasense.codegen.dialects.mysql_online_ddl import Online, Server, worst
from schemasense.server.lint.walk import Tables, track_tables
from schemasense.server.migrations.sql.mysql import parse_sql
from schemasense.server.verify.databases import connect

NOT_SUPPORTED = (1845, 1846, 1847)
"""ER_ALTER_OPERATION_NOT_SUPPORTED, ..._REASON, ..._REASON_COPY (COPY requires a lock)."""

SETUP = """
CREATE TABLE `p` (`id` INT NOT NULL, PRIMARY KEY (`id`));
CREATE TABLE `t` (
  `id` INT NOT NULL AUTO_INCREMENT,
  `a` INT NOT NULL,
  `b` VARCHAR(20) NULL,
  `c` VARCHAR(50) NOT NULL DEFAULT '',
  `d` VARCHAR(191) NOT NULL,
  `e` ENUM('A', 'B') NOT NULL DEFAULT 'A',
  `n` INT NULL,
  `u` INT NOT NULL,
  `body` TEXT NULL,
  PRIMARY KEY (`id`),
  INDEX `t_a_idx` (`a`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
CREATE TABLE `r` (
  `id` INT NOT NULL,
  `p_id` INT NOT NULL,
  PRIMARY KEY (`id`),
  CONSTRAINT `r_p_id_fkey` FOREIGN KEY (`p_id`) REFERENCES `p` (`id`)
);
CREATE TABLE `k` (`k` INT NOT NULL, `v` INT NULL);
CREATE TABLE `q` (`k` INT NOT NULL, `v` INT NULL, PRIMARY KEY (`k`));
CREATE TABLE `l` (`id` INT NOT NULL, `s` VARCHAR(20) NULL, PRIMARY KEY (`id`))
  DEFAULT CHARACTER SET latin1;
"""

ROWS = 200


def _fill(cur) -> None:
    cur.executemany("INSERT INTO `p` VALUES (%s)", [(i,) for i in range(1, ROWS + 1)])
    cur.executemany(
        "INSERT INTO `t` (`a`, `b`, `c`, `d`, `e`, `n`, `u`, `body`) "
        "VALUES (%s, %s, %s, %s, %s, %s, %s, %s)",
        [
            (i, f"b{i}", f"c{i}", f"d{i}", "AB"[i % 2], i, i, f"word{i} text")
            for i in range(1, ROWS + 1)
        ],
    )
    cur.executemany("INSERT INTO `r` VALUES (%s, %s)", [(i, i) for i in range(1, ROWS + 1)])
    cur.executemany("INSERT INTO `k` VALUES (%s, %s)", [(i, i) for i in range(1, ROWS + 1)])
    cur.executemany("INSERT INTO `q` VALUES (%s, %s)", [(i, i) for i in range(1, ROWS + 1)])
    cur.executemany("INSERT INTO `l` VALUES (%s, %s)", [(i, f"s{i}") for i in range(1, ROWS + 1)])


@dataclass(frozen=True)
class Case:
    alter: str
    expected: tuple[str, str]
    """(MariaDB's ALGORITHM= name, LOCK=) the classifier must predict: the test fails if the
    classifier changes, and the server is asked to confirm it."""
    foreign_key_checks: bool = True


CASES = {
    "add column at the end": Case("ALTER TABLE `t` ADD COLUMN `x` INT NULL", ("INSTANT", "NONE")),
    "add column not null default": Case(
        "ALTER TABLE `t` ADD COLUMN `x` INT NOT NULL DEFAULT 7", ("INSTANT", "NONE")
    ),
    "add column in the middle": Case(
        "ALTER TABLE `t` ADD COLUMN `x` INT NULL AFTER `a`", ("INSTANT", "NONE")
    ),
    "add column first": Case("ALTER TABLE `t` ADD COLUMN `x` INT NULL FIRST", ("INSTANT", "NONE")),
    "add auto_increment column": Case(
        "ALTER TABLE `q` ADD COLUMN `s` INT NOT NULL AUTO_INCREMENT UNIQUE", ("INPLACE", "SHARED")
    ),
    "drop column": Case("ALTER TABLE `t` DROP COLUMN `n`", ("INSTANT", "NONE")),
    "rename column": Case("ALTER TABLE `t` RENAME COLUMN `n` TO `n2`", ("INSTANT", "NONE")),
    "change column name only": Case(
        "ALTER TABLE `t` CHANGE `n` `n2` INT NULL", ("INSTANT", "NONE")
    ),
    "set default": Case("ALTER TABLE `t` ALTER COLUMN `a` SET DEFAULT 3", ("INSTANT", "NONE")),
    "drop default": Case("ALTER TABLE `t` ALTER COLUMN `c` DROP DEFAULT", ("INSTANT", "NONE")),
    "modify default": Case(
        "ALTER TABLE `t` MODIFY `c` VARCHAR(50) NOT NULL DEFAULT 'x'", ("INSTANT", "NONE")
    ),
    "int to bigint": Case("ALTER TABLE `t` MODIFY `a` BIGINT NOT NULL", ("COPY", "SHARED")),
    "varchar to text": Case("ALTER TABLE `t` MODIFY `d` TEXT NOT NULL", ("COPY", "SHARED")),
    "varchar within 1 length byte": Case(
        "ALTER TABLE `t` MODIFY `b` VARCHAR(30) NULL", ("INSTANT", "NONE")
    ),
    "varchar within 2 length bytes": Case(
        "ALTER TABLE `t` MODIFY `d` VARCHAR(255) NOT NULL", ("INSTANT", "NONE")
    ),
    "varchar from under 128 bytes across 255": Case(
        "ALTER TABLE `t` MODIFY `b` VARCHAR(100) NULL", ("INSTANT", "NONE")
    ),
    "varchar from 128-255 bytes across 255": Case(
        "ALTER TABLE `t` MODIFY `c` VARCHAR(100) NOT NULL DEFAULT ''", ("COPY", "SHARED")
    ),
    "varchar shrink": Case("ALTER TABLE `t` MODIFY `d` VARCHAR(100) NOT NULL", ("COPY", "SHARED")),
    "null to not null": Case("ALTER TABLE `t` MODIFY `n` INT NOT NULL", ("INPLACE", "NONE")),
    "not null to null": Case("ALTER TABLE `t` MODIFY `a` INT NULL", ("INPLACE", "NONE")),
    "move column": Case("ALTER TABLE `t` MODIFY `a` INT NOT NULL AFTER `d`", ("INSTANT", "NONE")),
    "enum value appended": Case(
        "ALTER TABLE `t` MODIFY `e` ENUM('A', 'B', 'C') NOT NULL DEFAULT 'A'", ("INSTANT", "NONE")
    ),
    "enum value inserted": Case(
        "ALTER TABLE `t` MODIFY `e` ENUM('A', 'C', 'B') NOT NULL DEFAULT 'A'", ("COPY", "SHARED")
    ),
    "add index": Case("ALTER TABLE `t` ADD INDEX `t_n_idx` (`n`)", ("NOCOPY", "NONE")),
    "add unique index": Case(
        "ALTER TABLE `t` ADD UNIQUE INDEX `t_d_key` (`d`)", ("NOCOPY", "NONE")
    ),
    "add unique constraint": Case(
        "ALTER TABLE `t` ADD CONSTRAINT `t_d_key` UNIQUE (`d`)", ("NOCOPY", "NONE")
    ),
    "add fulltext index": Case(
        "ALTER TABLE `t` ADD FULLTEXT INDEX `t_body_ft` (`body`)", ("INPLACE", "SHARED")
    ),
    "drop index": Case("ALTER TABLE `t` DROP INDEX `t_a_idx`", ("NOCOPY", "NONE")),
    "rename index": Case(
        "ALTER TABLE `t` RENAME INDEX `t_a_idx` TO `t_a_idx2`", ("INSTANT", "NONE")
    ),
    "add foreign key": Case(
        "ALTER TABLE `t` ADD CONSTRAINT `t_u_fkey` FOREIGN KEY (`u`) REFERENCES `p` (`id`)",
        ("COPY", "SHARED"),
    ),
    "add foreign key, checks off": Case(
        "ALTER TABLE `t` ADD CONSTRAINT `t_u_fkey` FOREIGN KEY (`u`) REFERENCES `p` (`id`)",
        ("NOCOPY", "NONE"),
        foreign_key_checks=False,
    ),
    "drop foreign key": Case("ALTER TABLE `r` DROP FOREIGN KEY `r_p_id_fkey`", ("INSTANT", "NONE")),
    "add primary key": Case("ALTER TABLE `k` ADD PRIMARY KEY (`k`)", ("INPLACE", "NONE")),
    "drop primary key": Case("ALTER TABLE `q` DROP PRIMARY KEY", ("COPY", "SHARED")),
    "replace primary key": Case(
        "ALTER TABLE `q` DROP PRIMARY KEY, ADD PRIMARY KEY (`k`, `v`)", ("INPLACE", "NONE")
    ),
    "rename table": Case("ALTER TABLE `t` RENAME TO `t2`", ("INSTANT", "EXCLUSIVE")),
    "add check constraint": Case(
        "ALTER TABLE `t` ADD CONSTRAINT `t_a_check` CHECK (`a` >= 0)", ("COPY", "SHARED")
    ),
    "convert to another charset": Case(
        "ALTER TABLE `l` CONVERT TO CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci",
        ("COPY", "SHARED"),
    ),
}

BETTER = {"COPY": "INPLACE", "INPLACE": "NOCOPY", "NOCOPY": "INSTANT"}
BETTER_LOCK = {"EXCLUSIVE": "SHARED", "SHARED": "NONE"}


@pytest.fixture(scope="module")
def mariadb(mysql_url: str):
    conn = connect(mysql_url)
    with conn.cursor() as cur:
        cur.execute("SELECT VERSION()")
        version = cur.fetchone()[0]
    if "mariadb" not in version.lower():
        conn.close()
        pytest.skip(f"these facts are MariaDB's; the server is {version}")
    numbers = tuple(int(p) for p in re.findall(r"\d+", version)[:3])
    yield conn, Server.of("mariadb", numbers)
    conn.close()


def _reset(cur) -> None:
    cur.execute("SET foreign_key_checks = 0")
    for name in ("r", "t", "t2", "p", "k", "q", "l"):
        cur.execute(f"DROP TABLE IF EXISTS `{name}`")
    cur.execute("SET foreign_key_checks = 1")
    for stmt in SETUP.split(";"):
        if stmt.strip():
            cur.execute(stmt)
    _fill(cur)


def predict(case: Case, server: Server) -> Online | None:
    """The classifier's answer, from the same SQL the server runs."""
    tables: Tables = {}
    for parsed in parse_sql(SETUP):
        assert parsed.error is None, parsed.error
        track_tables(tables, parsed.ops)
    (parsed,) = parse_sql(case.alter + ";")
    assert parsed.error is None, parsed.error
    facts = []
    for op in parsed.ops:
        assert isinstance(op, ops.AlterTable)
        before = Before(tables[op.qname[1].lower()], case.foreign_key_checks, op.changes).online()
        facts.extend(classify(a, server, before) for a in op.changes)
    assert facts and None not in facts, facts
    return worst(facts)


def _run(cur, sql: str) -> int | None:
    """None when the server accepts `sql`, else its error code."""
    try:
        cur.execute(sql)
    except pymysql.err.MySQLError as exc:
        return exc.args[0]
    return None


@pytest.mark.parametrize("name", list(CASES))
def test_prediction_holds_on_mariadb(mariadb, name: str):
    conn, server = mariadb
    case = CASES[name]
    fact = predict(case, server)
    assert fact is not None
    algorithm = fact.mariadb_algorithm
    assert (algorithm, fact.lock) == case.expected, fact
    with conn.cursor() as cur:
        _reset(cur)
        if not case.foreign_key_checks:
            cur.execute("SET foreign_key_checks = 0")
        try:
            better = BETTER.get(algorithm)
            if better is not None:
                code = _run(cur, f"{case.alter}, ALGORITHM={better}")
                assert code in NOT_SUPPORTED, (
                    f"{name}: MariaDB {server.version} accepts ALGORITHM={better} "
                    f"(predicted {algorithm})"
                    if code is None
                    else f"{name}: ALGORITHM={better} failed with {code}, not as unsupported"
                )
            better_lock = BETTER_LOCK.get(fact.lock)
            if better_lock is not None:
                code = _run(cur, f"{case.alter}, ALGORITHM={algorithm}, LOCK={better_lock}")
                assert code in NOT_SUPPORTED, (
                    f"{name}: MariaDB accepts LOCK={better_lock} (predicted {fact.lock})"
                )
            code = _run(cur, f"{case.alter}, ALGORITHM={algorithm}, LOCK={fact.lock}")
            assert code is None, f"{name}: ALGORITHM={algorithm}, LOCK={fact.lock} refused: {code}"
        finally:
            cur.execute("SET foreign_key_checks = 1")

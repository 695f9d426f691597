"""A migration statement's hover states the migration rules' lock facts: PostgreSQL's from
`rules/locks.py`, MySQL's and MariaDB's from `rules/mysql_online_ddl.py` for the configured
flavour and version. The same lock, the same "blocks ...", the same scan, rewrite or copy as
the diagnostic on the statement."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from schemasense.codegen.ddl import lock_facts
from schemasense.codegen.ddl import statements as o
from schemasense.codegen.dialects import mysql_online_ddl as online_ddl
from schemasense.codegen.dialects import postgresql_locks as locks
from schemasense.server.language import migrations as m
from schemasense.server.language.sql import sql_hover
from schemasense.server.lint.walk import track_tables
from schemasense.server.migrations import Replayer, read_set, replay

from tests.server.rules.helpers import config_for
from tests.server.rules.migration_helpers import lint_migrations, write_migrations

PG_INIT = """\
CREATE TABLE "User" ("id" SERIAL NOT NULL, "name" TEXT, CONSTRAINT "User_pkey" PRIMARY KEY ("id"));
CREATE TABLE "Post" (
    "id" SERIAL NOT NULL,
    "authorId" INTEGER NOT NULL,
    "title" VARCHAR(20),
    "body" TEXT,
    CONSTRAINT "Post_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "Post_title_idx" ON "Post"("title");
CREATE INDEX "Post_body_idx" ON "Post"("body");
"""

PG_STATEMENTS = {
    'CREATE INDEX "Post_authorId_idx" ON "Post"("authorId");': locks.CREATE_INDEX,
    'CREATE INDEX CONCURRENTLY "Post_id_idx" ON "Post"("id");': locks.CREATE_INDEX_CONCURRENTLY,
    'ALTER TABLE "Post" ADD CONSTRAINT "Post_authorId_fkey" FOREIGN KEY ("authorId") '
    'REFERENCES "User"("id");': locks.ADD_FOREIGN_KEY,
    'ALTER TABLE "Post" ADD CONSTRAINT "Post_a_fkey" FOREIGN KEY ("authorId") '
    'REFERENCES "User"("id") NOT VALID;': locks.ADD_FOREIGN_KEY_NOT_VALID,
    'ALTER TABLE "Post" VALIDATE CONSTRAINT "Post_a_fkey";': locks.VALIDATE,
    'ALTER TABLE "Post" ALTER COLUMN "title" SET NOT NULL;': locks.SET_NOT_NULL,
    'ALTER TABLE "Post" ALTER COLUMN "title" TYPE INTEGER USING 0;': locks.ALTER_TYPE_REWRITE,
    'ALTER TABLE "User" ADD COLUMN "token" DOUBLE PRECISION DEFAULT random();': (
        locks.ADD_COLUMN_REWRITE
    ),
    'DROP INDEX "Post_title_idx";': locks.DROP_INDEX,
    # the facts added for the hover
    'DROP INDEX CONCURRENTLY "Post_body_idx";': locks.DROP_INDEX_CONCURRENTLY,
    'ALTER TABLE "User" ADD COLUMN "createdAt" TIMESTAMP(3) DEFAULT now();': locks.ADD_COLUMN,
    'ALTER TABLE "User" ALTER COLUMN "name" SET DEFAULT \'x\';': locks.SET_DEFAULT,
    'ALTER TABLE "User" ALTER COLUMN "name" TYPE TEXT;': locks.ALTER_TYPE,
    # from the column's old type: integer to text rewrites, varchar(20) to a longer one not
    'ALTER TABLE "Post" ALTER COLUMN "authorId" TYPE TEXT;': locks.ALTER_TYPE_REWRITE,
    'ALTER TABLE "Post" ALTER COLUMN "body" TYPE VARCHAR;': locks.ALTER_TYPE,
    'ALTER TABLE "User" RENAME COLUMN "name" TO "fullName";': locks.RENAME,
    'VACUUM FULL "Post";': locks.TABLE_REWRITE,
    'DROP TABLE "Post";': locks.DROP_TABLE,
}


def _index(root: Path, migrations: dict[str, str], dialect: str) -> m.MigrationIndex:
    folder = write_migrations(root, migrations, dialect)
    return m.build(replay(read_set(str(folder)), Replayer()))


def _hover(index: m.MigrationIndex, path: str, offset: int, target: m.Target) -> str:
    answer = sql_hover(index, None, path, offset, target=target)
    assert answer is not None
    return answer.markdown


def _states(text: str, fact: locks.LockFact) -> bool:
    """Whether hover text names the fact's lock, what it blocks and its scan or rewrite."""
    said = f"**{fact.lock}**" in text and locks.BLOCKS[fact.lock] in text
    rewrites = "rewrites the whole table" in text
    scans = "scans the whole table" in text
    return said and rewrites == fact.rewrite and scans == (fact.scan and not fact.rewrite)


def test_postgresql_hover_names_the_lock_facts_of_locks_py(tmp_path: Path):
    change = "".join(f"{sql}\n" for sql in PG_STATEMENTS)
    index = _index(tmp_path, {"01_init": PG_INIT, "02_change": change}, "postgresql")
    path = str(tmp_path / "prisma" / "migrations" / "02_change" / "migration.sql")
    for sql, fact in PG_STATEMENTS.items():
        offset = change.index(sql) + 1
        text = _hover(index, path, offset, m.Target("postgresql", (16,)))
        assert _states(text, fact), (sql, text)
        statement = index.statement_at(path, offset)
        notes = m.statement_notes(statement, "postgresql", before=index.state_before(statement))
        assert [n.fact for n in notes if n.fact is not None] == [fact], sql


def test_postgresql_version_decides_the_facts_that_depend_on_it(tmp_path: Path):
    change = (
        'ALTER TABLE "User" ADD COLUMN "n" INTEGER DEFAULT 0;\n'
        'ALTER INDEX "Post_title_idx" RENAME TO "t";\n'
    )
    index = _index(tmp_path, {"01_init": PG_INIT, "02_change": change}, "postgresql")
    path = str(tmp_path / "prisma" / "migrations" / "02_change" / "migration.sql")
    add, rename = change.index("ADD COLUMN"), change.index("RENAME")
    assert _states(_hover(index, path, add, m.Target()), locks.ADD_COLUMN)
    assert _states(_hover(index, path, add, m.Target(version=(10,))), locks.ADD_COLUMN_REWRITE)
    assert _states(_hover(index, path, rename, m.Target()), locks.RENAME_INDEX)
    assert _states(_hover(index, path, rename, m.Target(version=(11,))), locks.RENAME)


MYSQL_INIT = """\
CREATE TABLE `User` (
    `id` INTEGER NOT NULL AUTO_INCREMENT,
    `name` VARCHAR(191) NOT NULL,
    `bio` VARCHAR(100) NULL,
    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
"""

MYSQL_CHANGE = """\
ALTER TABLE `User` MODIFY `name` VARCHAR(50) NOT NULL;
ALTER TABLE `User` ADD COLUMN `age` INTEGER NULL;
ALTER TABLE `User` ADD INDEX `User_age_idx`(`age`);
ALTER TABLE `User` ADD COLUMN `nick` VARCHAR(20) NULL AFTER `id`;
"""


@pytest.mark.parametrize(
    ("database", "version", "expected"),
    [
        # MODIFY to another length (across the 255-byte boundary): COPY; ADD COLUMN at the
        # end: INSTANT on both; ADD INDEX: INPLACE, LOCK=NONE; ADD COLUMN in the middle:
        # INSTANT from MySQL 8.0.29 / MariaDB 10.4, a rebuild before
        ("mariadb", "10.11", ["COPY", "INSTANT", "INPLACE", "INSTANT"]),
        ("mariadb", "10.3.7", ["COPY", "INSTANT", "INPLACE", "INPLACE"]),
        ("mysql", "8.0.20", ["COPY", "INSTANT", "INPLACE", "INPLACE"]),
        ("mysql", None, ["COPY", "INSTANT", "INPLACE", "INSTANT"]),
    ],
)
def test_mysql_hover_states_the_online_ddl_facts_for_the_configured_server(
    tmp_path: Path, database: str, version: str | None, expected: list[str]
):
    index = _index(tmp_path, {"01_init": MYSQL_INIT, "02_change": MYSQL_CHANGE}, "mysql")
    path = str(tmp_path / "prisma" / "migrations" / "02_change" / "migration.sql")
    config = f'database = "{database}"\n' + (f'database-version = "{version}"\n' if version else "")
    target = m.Target.of(config_for(None, config).config)
    server = online_ddl.Server.of(database, target.version)
    tables: dict = {}
    for statement in index.files[
        str(tmp_path / "prisma" / "migrations" / "01_init" / "migration.sql")
    ]:
        track_tables(tables, statement.ops)
    algorithms = []
    for line in MYSQL_CHANGE.splitlines():
        statement = index.statement_at(path, MYSQL_CHANGE.index(line) + 1)
        text = _hover(index, path, statement.start, target)
        [alter] = statement.ops
        assert isinstance(alter, o.AlterTable)
        [action] = alter.changes
        before = lock_facts.Before(tables.get("user", {}), True, alter.changes).online()
        fact = lock_facts.classify(action, server, before)
        assert fact is not None
        assert fact.what_happens("User") in text, text
        assert ("not rebuilt" in text) == (not fact.rebuild)
        assert f"On {server.label}: {fact.reason}." in text
        algorithms.append(fact.algorithm)
        track_tables(tables, statement.ops)
    assert algorithms == expected
    if version is None:
        assert "(assuming 8.4; set database-version)" in text


def test_mysql_add_index_is_inplace_lock_none():
    index = o.IndexDef("i", (o.IndexPart("age"),))
    fact = online_ddl.create_index(index, online_ddl.Server.of("mariadb", (10, 11)))
    assert (fact.algorithm, fact.lock, fact.rebuild) == ("INPLACE", "NONE", False)


# -- the diagnostic and the hover on the same statement -----------------------------------------

PG_FLAGGED = """\
CREATE INDEX "Post_authorId_idx" ON "Post"("authorId");
ALTER TABLE "Post" ADD CONSTRAINT "Post_authorId_fkey" FOREIGN KEY ("authorId") \
REFERENCES "User"("id");
ALTER TABLE "Post" ADD CONSTRAINT "Post_title_check" CHECK ("title" <> '');
ALTER TABLE "Post" ALTER COLUMN "title" SET NOT NULL;
ALTER TABLE "User" ADD CONSTRAINT "User_name_key" UNIQUE ("name");
ALTER TABLE "User" ADD COLUMN "token" DOUBLE PRECISION DEFAULT random();
ALTER TABLE "Post" ALTER COLUMN "title" TYPE INTEGER USING 0;
DROP INDEX "Post_title_idx";
VACUUM FULL "Post";
"""

MYSQL_FLAGGED = """\
ALTER TABLE `User` MODIFY `name` VARCHAR(50) NOT NULL;
ALTER TABLE `User` ADD COLUMN `nick` VARCHAR(20) NULL AFTER `id`;
ALTER TABLE `User` ADD FULLTEXT INDEX `User_name_ft`(`name`);
ALTER TABLE `User` MODIFY `bio` VARCHAR(100) NOT NULL;
"""

_PG_LOCK = re.compile(r"\b(ACCESS EXCLUSIVE|SHARE ROW EXCLUSIVE|SHARE UPDATE EXCLUSIVE|SHARE) lock")
_MYSQL = re.compile(r"ALGORITHM=\w+, LOCK=\w+ \([^)]*\)( while it [^;]*)?")


@pytest.mark.parametrize(
    ("dialect", "init", "change", "config", "codes"),
    [
        (
            "postgresql",
            PG_INIT,
            PG_FLAGGED,
            "",
            {"DB201", "DB202", "DB203", "DB204", "DB205", "DB206", "DB209", "DB217", "DB225"},
        ),
        ("mysql", MYSQL_INIT, MYSQL_FLAGGED, 'database = "mariadb"\n', {"DB230", "DB231", "DB232"}),
        (
            "mysql",
            MYSQL_INIT,
            MYSQL_FLAGGED,
            'database = "mysql"\ndatabase-version = "8.0.20"\n',
            {"DB230", "DB231", "DB232"},
        ),
    ],
)
def test_the_hover_on_a_flagged_statement_names_the_lock_of_the_finding(
    tmp_path: Path, dialect: str, init: str, change: str, config: str, codes: set[str]
):
    write_migrations(tmp_path, {"01_init": init, "02_change": change}, dialect)
    findings, _ = lint_migrations(tmp_path, ["DB2"], config=config, checked=["02_change"])
    assert codes <= {f.code for f in findings}
    index = _index(tmp_path, {"01_init": init, "02_change": change}, dialect)
    target = m.Target.of(config_for(None, config).config)
    named: set[str] = set()
    for finding in findings:
        text = _hover(index, finding.span.file, finding.span.start, target)
        for lock in _PG_LOCK.findall(finding.message):
            assert f"**{lock}**" in text and locks.BLOCKS[lock] in text, (finding, text)
            named.add(finding.code)
        for phrase in ("rewrites the whole table", "scans the whole table"):
            if phrase in finding.message:
                assert phrase in text, (finding, text)
        for what in _MYSQL.finditer(finding.message):
            assert what.group(0) in text, (finding, text)
            assert f"On {target.server.label}:" in text
            named.add(finding.code)
    assert named >= codes

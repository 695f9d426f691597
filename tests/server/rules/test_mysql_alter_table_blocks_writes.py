"""DB232 mysql-alter-table-blocks-writes."""

from __future__ import annotations

from inline_snapshot import snapshot

from tests.server.rules.migration_helpers import lint_migrations, report, write_migrations

INIT = "CREATE TABLE `Post` (`id` INTEGER NOT NULL, `body` TEXT NULL, PRIMARY KEY (`id`));\n"


def test_ok(tmp_path):
    write_migrations(
        tmp_path,
        {
            "20240101000000_init": INIT
            + "ALTER TABLE `Post` ADD FULLTEXT INDEX `Post_body_idx` (`body`);\n",
            "20240102000000_next": "ALTER TABLE `Post` ADD INDEX `Post_id_body_idx` (`id`, `body`(10));\nALTER TABLE `Post` RENAME TO `Article`;\n",
        },
        "mysql",
    )
    assert lint_migrations(tmp_path, "DB232", config='database = "mariadb"\n')[0] == []


def test_err(tmp_path):
    write_migrations(
        tmp_path,
        {
            "20240101000000_init": INIT,
            "20240102000000_next": "ALTER TABLE `Post` ADD FULLTEXT INDEX `Post_body_idx` (`body`);\nALTER TABLE `Post` ADD COLUMN `seq` INT NOT NULL AUTO_INCREMENT UNIQUE;\n",
        },
        "mysql",
    )
    assert report(tmp_path, "DB232") == snapshot("""\
prisma/migrations/20240102000000_next/migration.sql:1:1: warning[DB232] Adding FULLTEXT index `Post_body_idx` runs on MySQL (assuming 8.4; set database-version) as ALGORITHM=INPLACE, LOCK=SHARED (blocks every INSERT, UPDATE and DELETE, not reads) while it rebuilds `Post` and all its indexes
  |
1 | ALTER TABLE `Post` ADD FULLTEXT INDEX `Post_body_idx` (`body`);
  | ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
  = help: run it while writes can wait, or with an online schema change tool

prisma/migrations/20240102000000_next/migration.sql:2:1: warning[DB232] Adding AUTO_INCREMENT column `seq` runs on MySQL (assuming 8.4; set database-version) as ALGORITHM=INPLACE, LOCK=SHARED (blocks every INSERT, UPDATE and DELETE, not reads) while it rebuilds `Post` and all its indexes
  |
2 | ALTER TABLE `Post` ADD COLUMN `seq` INT NOT NULL AUTO_INCREMENT UNIQUE;
  | ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
  = help: run it while writes can wait, or with an online schema change tool
""")

"""DB231 mysql-alter-table-rebuild."""

from __future__ import annotations

from inline_snapshot import snapshot

from tests.server.rules.migration_helpers import lint_migrations, report, write_migrations

INIT = "CREATE TABLE `User` (`id` INTEGER NOT NULL, `email` VARCHAR(191) NULL, `name` VARCHAR(191) NOT NULL) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;\n"


def test_ok(tmp_path):
    write_migrations(
        tmp_path,
        {
            "20240101000000_init": INIT,
            "20240102000000_next": "ALTER TABLE `User` ADD COLUMN `bio` TEXT NULL AFTER `id`;\nALTER TABLE `User` DROP COLUMN `name`;\nALTER TABLE `User` MODIFY `email` VARCHAR(191) NULL DEFAULT 'x';\n",
        },
        "mysql",
    )
    assert lint_migrations(tmp_path, "DB231")[0] == []


def test_ok_new_table(tmp_path):
    write_migrations(
        tmp_path,
        {"20240101000000_init": INIT + "ALTER TABLE `User` ADD PRIMARY KEY (`id`);\n"},
        "mysql",
    )
    assert lint_migrations(tmp_path, "DB231")[0] == []


def test_err(tmp_path):
    write_migrations(
        tmp_path,
        {
            "20240101000000_init": INIT,
            "20240102000000_next": "ALTER TABLE `User` MODIFY `email` VARCHAR(191) NOT NULL;\nALTER TABLE `User` ADD PRIMARY KEY (`id`);\n",
        },
        "mysql",
    )
    assert report(tmp_path, "DB231") == snapshot("""\
prisma/migrations/20240102000000_next/migration.sql:1:1: info[DB231] Making `email` NOT NULL runs on MySQL (assuming 8.4; set database-version) as ALGORITHM=INPLACE, LOCK=NONE (reads and writes go on) while it rebuilds `User` and all its indexes
  |
1 | ALTER TABLE `User` MODIFY `email` VARCHAR(191) NOT NULL;
  | ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
  = help: run it while traffic is low with a short lock_wait_timeout, or with an online schema change tool for a large table

prisma/migrations/20240102000000_next/migration.sql:2:1: info[DB231] Adding a primary key runs on MySQL (assuming 8.4; set database-version) as ALGORITHM=INPLACE, LOCK=NONE (reads and writes go on) while it rebuilds `User` and all its indexes
  |
2 | ALTER TABLE `User` ADD PRIMARY KEY (`id`);
  | ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
  = help: run it while traffic is low with a short lock_wait_timeout, or with an online schema change tool for a large table
""")


def test_err_old_server(tmp_path):
    """MySQL 8.0.20 adds a column INSTANT only at the end, and drops one with a rebuild."""
    write_migrations(
        tmp_path,
        {
            "20240101000000_init": INIT,
            "20240102000000_next": "ALTER TABLE `User` ADD COLUMN `bio` TEXT NULL AFTER `id`;\nALTER TABLE `User` ADD COLUMN `age` INT NULL;\nALTER TABLE `User` DROP COLUMN `name`;\n",
        },
        "mysql",
    )
    config = 'database-version = "8.0.20"\n'
    assert report(tmp_path, "DB231", config=config) == snapshot("""\
prisma/migrations/20240102000000_next/migration.sql:1:1: info[DB231] Adding column `bio` in the middle runs on MySQL 8.0.20 as ALGORITHM=INPLACE, LOCK=NONE (reads and writes go on) while it rebuilds `User` and all its indexes
  |
1 | ALTER TABLE `User` ADD COLUMN `bio` TEXT NULL AFTER `id`;
  | ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
  = help: run it while traffic is low with a short lock_wait_timeout, or with an online schema change tool for a large table

prisma/migrations/20240102000000_next/migration.sql:3:1: info[DB231] Dropping column `name` runs on MySQL 8.0.20 as ALGORITHM=INPLACE, LOCK=NONE (reads and writes go on) while it rebuilds `User` and all its indexes
  |
3 | ALTER TABLE `User` DROP COLUMN `name`;
  | ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
  = help: run it while traffic is low with a short lock_wait_timeout, or with an online schema change tool for a large table
""")

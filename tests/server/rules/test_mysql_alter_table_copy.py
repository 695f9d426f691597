"""DB230 mysql-alter-table-copy."""

from __future__ import annotations

from inline_snapshot import snapshot

from tests.server.rules.migration_helpers import lint_migrations, report, write_migrations

INIT = "CREATE TABLE `Link` (`id` INTEGER NOT NULL AUTO_INCREMENT, `url` VARCHAR(191) NOT NULL, `userId` INTEGER NOT NULL, `kind` ENUM('A', 'B') NOT NULL DEFAULT 'A', PRIMARY KEY (`id`)) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;\nCREATE TABLE `User` (`id` INTEGER NOT NULL AUTO_INCREMENT, PRIMARY KEY (`id`));\n"
MARIADB = 'database = "mariadb"\ndatabase-version = "10.11"\n'


def test_ok(tmp_path):
    write_migrations(
        tmp_path,
        {
            "20240101000000_init": INIT,
            "20240102000000_next": "ALTER TABLE `Link` ADD COLUMN `title` VARCHAR(191) NULL;\nALTER TABLE `Link` MODIFY `url` VARCHAR(255) NOT NULL;\nALTER TABLE `Link` MODIFY `kind` ENUM('A', 'B', 'C') NOT NULL DEFAULT 'A';\nSET foreign_key_checks = 0;\nALTER TABLE `Link` ADD CONSTRAINT `Link_userId_fkey` FOREIGN KEY (`userId`) REFERENCES `User`(`id`) ON DELETE CASCADE ON UPDATE CASCADE;\n",
        },
        "mysql",
    )
    assert lint_migrations(tmp_path, "DB230")[0] == []


def test_ok_new_table_in_the_batch(tmp_path):
    """A table created earlier in the same undeployed batch is empty: nothing to copy."""
    write_migrations(
        tmp_path,
        {
            "20240101000000_init": INIT,
            "20240102000000_post": "CREATE TABLE `Post` (`id` INTEGER NOT NULL, `n` INTEGER NOT NULL, PRIMARY KEY (`id`));\n",
            "20240103000000_next": "ALTER TABLE `Post` MODIFY `n` BIGINT NOT NULL;\n",
        },
        "mysql",
    )
    checked = ["20240102000000_post", "20240103000000_next"]
    assert lint_migrations(tmp_path, "DB230", checked=checked)[0] == []


def test_ok_algorithm_named(tmp_path):
    """`ALGORITHM=INPLACE` named: the server refuses instead of copying."""
    write_migrations(
        tmp_path,
        {
            "20240101000000_init": INIT,
            "20240102000000_next": "ALTER TABLE `Link` MODIFY `url` TEXT NOT NULL, ALGORITHM=INPLACE;\n",
        },
        "mysql",
    )
    assert lint_migrations(tmp_path, "DB230")[0] == []


def test_err(tmp_path):
    write_migrations(
        tmp_path,
        {
            "20240101000000_init": INIT,
            "20240102000000_next": "ALTER TABLE `Link` MODIFY `url` TEXT NOT NULL;\nALTER TABLE `Link` ADD CONSTRAINT `Link_userId_fkey` FOREIGN KEY (`userId`) REFERENCES `User`(`id`) ON DELETE CASCADE ON UPDATE CASCADE;\n",
        },
        "mysql",
    )
    assert report(tmp_path, "DB230") == snapshot("""\
prisma/migrations/20240102000000_next/migration.sql:1:1: warning[DB230] Changing `url` from varchar(191) to text runs on MySQL (assuming 8.4; set database-version) as ALGORITHM=COPY, LOCK=SHARED (blocks every INSERT, UPDATE and DELETE, not reads) while it copies every row of `Link` into a new table
  |
1 | ALTER TABLE `Link` MODIFY `url` TEXT NOT NULL;
  | ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
  = help: use an online schema change tool (gh-ost, pt-online-schema-change), or SET foreign_key_checks = 0 around a new foreign key

prisma/migrations/20240102000000_next/migration.sql:2:1: warning[DB230] Adding foreign key `Link_userId_fkey` with foreign_key_checks on runs on MySQL (assuming 8.4; set database-version) as ALGORITHM=COPY, LOCK=SHARED (blocks every INSERT, UPDATE and DELETE, not reads) while it copies every row of `Link` into a new table
  |
2 | ALTER TABLE `Link` ADD CONSTRAINT `Link_userId_fkey` FOREIGN KEY (`userId`) REFERENCES `User`(`id`) ON DELETE CASCADE ON UPDATE CASCADE;
  | ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
  = help: use an online schema change tool (gh-ost, pt-online-schema-change), or SET foreign_key_checks = 0 around a new foreign key
""")


def test_err_mariadb(tmp_path):
    write_migrations(
        tmp_path,
        {
            "20240101000000_init": INIT,
            "20240102000000_next": "ALTER TABLE `Link` MODIFY `kind` ENUM('C', 'A', 'B') NOT NULL DEFAULT 'A';\nALTER TABLE `User` DROP PRIMARY KEY;\nALTER TABLE `Link` CONVERT TO CHARACTER SET utf8mb4;\n",
        },
        "mysql",
    )
    assert report(tmp_path, "DB230", config=MARIADB) == snapshot("""\
prisma/migrations/20240102000000_next/migration.sql:1:1: warning[DB230] Changing the values of enum `kind` (not only appending) runs on MariaDB 10.11 as ALGORITHM=COPY, LOCK=SHARED (blocks every INSERT, UPDATE and DELETE, not reads) while it copies every row of `Link` into a new table
  |
1 | ALTER TABLE `Link` MODIFY `kind` ENUM('C', 'A', 'B') NOT NULL DEFAULT 'A';
  | ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
  = help: use an online schema change tool (gh-ost, pt-online-schema-change), or SET foreign_key_checks = 0 around a new foreign key

prisma/migrations/20240102000000_next/migration.sql:2:1: warning[DB230] Dropping the primary key runs on MariaDB 10.11 as ALGORITHM=COPY, LOCK=SHARED (blocks every INSERT, UPDATE and DELETE, not reads) while it copies every row of `User` into a new table
  |
2 | ALTER TABLE `User` DROP PRIMARY KEY;
  | ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
  = help: use an online schema change tool (gh-ost, pt-online-schema-change), or SET foreign_key_checks = 0 around a new foreign key

prisma/migrations/20240102000000_next/migration.sql:3:1: warning[DB230] Converting the table to another character set runs on MariaDB 10.11 as ALGORITHM=COPY, LOCK=SHARED (blocks every INSERT, UPDATE and DELETE, not reads) while it copies every row of `Link` into a new table
  |
3 | ALTER TABLE `Link` CONVERT TO CHARACTER SET utf8mb4;
  | ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
  = help: use an online schema change tool (gh-ost, pt-online-schema-change), or SET foreign_key_checks = 0 around a new foreign key
""")


def test_mariadb_11_2_copies_online(tmp_path):
    write_migrations(
        tmp_path,
        {
            "20240101000000_init": INIT,
            "20240102000000_next": "ALTER TABLE `Link` MODIFY `url` VARCHAR(100) NOT NULL;\n",
        },
        "mysql",
    )
    config = 'database = "mariadb"\ndatabase-version = "11.4"\n'
    assert report(tmp_path, "DB230", config=config) == snapshot("""\
prisma/migrations/20240102000000_next/migration.sql:1:1: warning[DB230] Changing `url` from varchar(191) to varchar(100) runs on MariaDB 11.4 as ALGORITHM=COPY, LOCK=NONE (reads and writes go on) while it copies every row of `Link` into a new table
  |
1 | ALTER TABLE `Link` MODIFY `url` VARCHAR(100) NOT NULL;
  | ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
  = help: use an online schema change tool (gh-ost, pt-online-schema-change), or SET foreign_key_checks = 0 around a new foreign key
""")

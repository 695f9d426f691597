"""DB230 mysql-alter-table-copy."""

from __future__ import annotations

from inline_snapshot import snapshot

from tests.server.rules.migration_helpers import lint_migrations, report, write_migrations

INIT = "CREATE TABLE `Link` (`id` INTEGER NOT NULL AUTO_INCREMENT, `url` VARCHAR(191) NOT NULL, `userId` INTEGER NOT NULL, PRIMARY KEY (`id`)) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;\nCREATE TABLE `User` (`id` INTEGER NOT NULL AUTO_INCREMENT, PRIMARY KEY (`id`));\n"


def test_ok(tmp_path):
    write_migrations(
        tmp_path,
        {
            "20240101000000_init": INIT,
            "20240102000000_next": "ALTER TABLE `Link` ADD COLUMN `title` VARCHAR(191) NULL;\nALTER TABLE `Link` MODIFY `url` VARCHAR(191) NULL;\nSET foreign_key_checks = 0;\nALTER TABLE `Link` ADD CONSTRAINT `Link_userId_fkey` FOREIGN KEY (`userId`) REFERENCES `User`(`id`) ON DELETE CASCADE ON UPDATE CASCADE;\n",
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
prisma/migrations/20240102000000_next/migration.sql:1:1: warning[DB230] Changing `url` from varchar(191) to text runs ALGORITHM=COPY: MySQL copies `Link` and blocks every write to it (LOCK=SHARED) until the copy is done
  |
1 | ALTER TABLE `Link` MODIFY `url` TEXT NOT NULL;
  | ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
  = help: use an online schema change tool, or SET foreign_key_checks = 0 around a new foreign key

prisma/migrations/20240102000000_next/migration.sql:2:1: warning[DB230] Adding foreign key `link_userid_fkey` with foreign_key_checks on runs ALGORITHM=COPY: MySQL copies `Link` and blocks every write to it (LOCK=SHARED) until the copy is done
  |
2 | ALTER TABLE `Link` ADD CONSTRAINT `Link_userId_fkey` FOREIGN KEY (`userId`) REFERENCES `User`(`id`) ON DELETE CASCADE ON UPDATE CASCADE;
  | ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
  = help: use an online schema change tool, or SET foreign_key_checks = 0 around a new foreign key
""")

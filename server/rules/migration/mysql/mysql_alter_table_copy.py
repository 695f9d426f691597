"""DB230: a MySQL / MariaDB ALTER TABLE that copies the table (ALGORITHM=COPY)."""

from __future__ import annotations

from schemasense.codegen.ddl import statements as ops
from schemasense.codegen.dialects.mysql_online_ddl import Online
from schemasense.server.lint.registry import Status
from schemasense.server.rules.migration.mysql.online_rule import MysqlOnlineDdlRule


class MysqlAlterTableCopy(MysqlOnlineDdlRule):
    """## What it does
    Flags an `ALTER TABLE` on an existing MySQL or MariaDB table that the server can only run
    with `ALGORITHM=COPY`, for the configured server (`database` and `database-version`;
    MySQL 8.4 or MariaDB 10.11 when no version is set): changing a column's type (`MODIFY` /
    `CHANGE` to another type, a shorter `VARCHAR`, a `VARCHAR` whose length bytes go from 1
    to 2), inserting an `ENUM` value anywhere but at the end, adding a foreign key while
    `foreign_key_checks` is on (how Prisma writes every relation), adding a `CHECK`,
    dropping the primary key without adding one, and `CONVERT TO CHARACTER SET`.

    The message names the algorithm, the lock and what it blocks. Tables created earlier in
    the same migration, or earlier in the same not-yet-deployed batch, are not flagged.

    ## Why is this bad?
    With `ALGORITHM=COPY` the server creates a new table, copies every row into it and
    rebuilds every index, holding `LOCK=SHARED` meanwhile: reads go on, every `INSERT`,
    `UPDATE` and `DELETE` waits until the copy is done (MariaDB 11.2+ can copy with
    `LOCK=NONE`, except for tables with cascading foreign keys; the copy is as long). It needs
    the table's size again in free disk, and replicas replay the same copy afterwards
    (replication lag). Most other changes run `INSTANT` (adding or dropping a column, a
    default, a rename, an appended `ENUM` value) or `INPLACE` with concurrent writes (adding
    an index). Every algorithm also takes a brief exclusive metadata lock at its start and
    end, which waits for open transactions on the table.

    ## Example
    ```sql
    ALTER TABLE `Link` ADD CONSTRAINT `Link_userId_fkey` FOREIGN KEY (`userId`)
      REFERENCES `User`(`id`) ON DELETE CASCADE ON UPDATE CASCADE;
    ```

    ## Use instead
    ```sql
    SET foreign_key_checks = 0;   -- the key is added INPLACE, without the copy
    ALTER TABLE `Link` ADD CONSTRAINT `Link_userId_fkey` FOREIGN KEY (`userId`)
      REFERENCES `User`(`id`) ON DELETE CASCADE ON UPDATE CASCADE;
    SET foreign_key_checks = 1;
    ```

    (existing rows are then not checked: check them with a query first), or run the
    change with an online schema change tool (gh-ost, pt-online-schema-change). PlanetScale
    and Vitess run every ALTER online. Naming the algorithm you expect
    (`..., ALGORITHM=INPLACE, LOCK=NONE`) makes the server refuse the statement instead of
    copying silently.

    ## Fix safety
    There is no automatic fix.

    ## References
    - MySQL 8.4 Reference Manual, "Online DDL Operations"
    - MariaDB, "InnoDB Online DDL Operations with the INSTANT / NOCOPY / INPLACE Alter
      Algorithm", "Online Schema Change"
    """

    code = "DB230"
    watches = (ops.AlterTable,)
    severity = "warning"
    status = Status.stable("0.1.0")
    advice = (
        "use an online schema change tool (gh-ost, pt-online-schema-change), or "
        "SET foreign_key_checks = 0 around a new foreign key"
    )

    def reports(self, fact: Online, copied: bool) -> bool:
        return fact.algorithm == "COPY"

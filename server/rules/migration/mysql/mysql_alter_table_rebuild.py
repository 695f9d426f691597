"""DB231: a MySQL / MariaDB ALTER TABLE that rebuilds the table in place (writes go on)."""

from __future__ import annotations

from schemasense.codegen.ddl import statements as ops
from schemasense.codegen.dialects.mysql_online_ddl import Online
from schemasense.server.lint.registry import Status
from schemasense.server.rules.migration.mysql.online_rule import MysqlOnlineDdlRule


class MysqlAlterTableRebuild(MysqlOnlineDdlRule):
    """## What it does
    Flags an `ALTER TABLE` on an existing MySQL or MariaDB table that the server runs
    `ALGORITHM=INPLACE` with a rebuild of the table, with `LOCK=NONE`, for the configured
    server (`database`, `database-version`; MySQL 8.4 or MariaDB 10.11 when no version is
    set): making a column `NOT NULL` or `NULL`, adding or replacing the primary key, adding a
    column with a key; and, on older servers, adding a column (MySQL before 8.0.12, in the
    middle before 8.0.29; MariaDB before 10.3.2, in the middle before 10.4), dropping one
    (MySQL before 8.0.29, MariaDB before 10.4), moving one (MySQL).

    Tables created earlier in the same migration, or earlier in the same not-yet-deployed
    batch, are not flagged.

    ## Why is this bad?
    Reads and writes go on while the table is rebuilt, but the rebuild reads and rewrites
    every row and every index: on a large table it takes as long as a copy, needs the table's
    size again in free disk, and replicas apply the same `ALTER` afterwards, one statement at
    a time (replication lag). Writes made meanwhile are logged and replayed at the end; when
    they outgrow `innodb_online_alter_log_max_size` the `ALTER` fails after all that work.
    The exclusive metadata lock taken at the start and the end waits for every open
    transaction on the table, and every query queues behind it.

    ## Example
    ```sql
    -- `email` was `VARCHAR(191) NULL`
    ALTER TABLE `User` MODIFY `email` VARCHAR(191) NOT NULL;
    ```

    ## Use instead
    Run it when the table is small or traffic is low, with `lock_wait_timeout` set low so a
    long transaction cannot stall the queue behind it, or with an online schema change tool
    (gh-ost, pt-online-schema-change) for large tables:
    ```sql
    SET SESSION lock_wait_timeout = 5;
    ALTER TABLE `User` MODIFY `email` VARCHAR(191) NOT NULL, ALGORITHM=INPLACE, LOCK=NONE;
    ```

    ## Fix safety
    There is no automatic fix.

    ## References
    - MySQL 8.4 Reference Manual, "Online DDL Operations"
    - MariaDB, "InnoDB Online DDL Operations with the INPLACE Alter Algorithm"
    """

    code = "DB231"
    watches = (ops.AlterTable,)
    severity = "info"
    status = Status.stable("0.1.0")
    advice = (
        "run it while traffic is low with a short lock_wait_timeout, or with an "
        "online schema change tool for a large table"
    )

    def reports(self, fact: Online, copied: bool) -> bool:
        # a COPY anywhere in the statement runs the whole statement as a copy (DB230)
        return fact.algorithm == "INPLACE" and fact.rebuild and fact.lock == "NONE" and not copied

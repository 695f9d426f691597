"""DB232: a MySQL / MariaDB ALTER TABLE that runs in place but blocks writes meanwhile."""

from __future__ import annotations

from schemasense.codegen.ddl import statements as ops
from schemasense.codegen.dialects.mysql_online_ddl import Online
from schemasense.server.lint.registry import Status
from schemasense.server.rules.migration.mysql.online_rule import MysqlOnlineDdlRule


class MysqlAlterTableBlocksWrites(MysqlOnlineDdlRule):
    """## What it does
    Flags an `ALTER TABLE` (or `CREATE INDEX`) on an existing MySQL or MariaDB table that
    runs without a copy but cannot permit concurrent writes: adding a `FULLTEXT` index (the
    first one also rebuilds the table to add `FTS_DOC_ID`), adding a `SPATIAL` index, adding
    an `AUTO_INCREMENT` column. The server holds `LOCK=SHARED` for the whole operation.

    Tables created earlier in the same migration, or earlier in the same not-yet-deployed
    batch, are not flagged. Copies are DB230's; brief metadata changes are never flagged.

    ## Why is this bad?
    `LOCK=SHARED` lets reads go on but makes every `INSERT`, `UPDATE` and `DELETE` on the
    table wait until the index is built (or the table rebuilt): on a large table, minutes
    of failed or queued writes.

    ## Example
    ```sql
    ALTER TABLE `Post` ADD FULLTEXT INDEX `Post_body_idx` (`body`);
    ```

    ## Use instead
    Build it while writes can wait (a maintenance window), or with an online schema change
    tool (gh-ost, pt-online-schema-change), which builds the index on a shadow copy and swaps
    it in. Declaring the `FTS_DOC_ID` column when the table is created saves the rebuild:
    ```sql
    CREATE TABLE `Post` (
      `FTS_DOC_ID` BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
      `body` TEXT NULL,
      UNIQUE INDEX `FTS_DOC_ID_INDEX` (`FTS_DOC_ID`)
    );
    ```

    ## Fix safety
    There is no automatic fix.

    ## References
    - MySQL 8.4 Reference Manual, "Online DDL Operations" (Index Operations)
    - MariaDB, "InnoDB Online DDL Operations with the INPLACE Alter Algorithm"
    """

    code = "DB232"
    watches = (ops.AlterTable, ops.CreateIndex)
    severity = "warning"
    status = Status.stable("0.1.0")
    advice = "run it while writes can wait, or with an online schema change tool"

    def reports(self, fact: Online, copied: bool) -> bool:
        return fact.algorithm == "INPLACE" and fact.lock != "NONE" and not copied

"""DB230: a MySQL / MariaDB ALTER TABLE that copies the table and blocks writes."""

from __future__ import annotations

import re
from collections.abc import Iterator

from schemasense.server.findings import Finding
from schemasense.server.readers.migrations import ops
from schemasense.server.rules.context import Statement
from schemasense.server.rules.migration_rule import MigrationRule, MigrationState, table_key
from schemasense.server.rules.registry import Status

_LENGTH = re.compile(r"^(var)?char\((\d+)\)")


def _same_base(old: str, new: str) -> bool:
    """A change MySQL does in place: same type, or a VARCHAR that grows within the same
    length-byte range (<= 255 bytes or > 255 bytes, utf8mb4: 63 / 64 characters)."""
    if old == new:
        return True
    a, b = _LENGTH.match(old), _LENGTH.match(new)
    if a and b and a.group(1) and b.group(1):
        n, m = int(a.group(2)), int(b.group(2))
        return m >= n and (m * 4 <= 255) == (n * 4 <= 255)
    return False


class MysqlAlterTableCopy(MigrationRule):
    """## What it does
    Flags an `ALTER TABLE` on MySQL or MariaDB that the server can only run with
    `ALGORITHM=COPY` on an existing table: changing a column's type (`MODIFY` / `CHANGE` to
    another type), adding a foreign key while `foreign_key_checks` is on (how Prisma writes
    every relation), and dropping a primary key without adding one.

    ## Why is this bad?
    With `ALGORITHM=COPY` InnoDB builds a full copy of the table and holds a SHARED lock
    meanwhile: reads go on, every `INSERT`, `UPDATE` and `DELETE` waits until the copy is
    done, and replicas replay the same copy afterwards (replication lag). Most other changes
    run `INSTANT` (adding a column: MySQL 8.0.12+, any position 8.0.29+; MariaDB 10.3.2+;
    dropping one: MySQL 8.0.29+, MariaDB 10.4+) or `INPLACE` with concurrent writes (adding
    an index).

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
    and Vitess run every ALTER online.

    ## Fix safety
    There is no automatic fix.
    """

    code = "DB230"
    severity = "warning"
    status = Status.stable("0.1.0")
    dialects = ("mysql",)

    def check_statement(self, stmt: Statement, state: MigrationState) -> Iterator[Finding]:
        for op, action in self.actions(stmt):
            if state.is_new(op.table):
                continue
            table = table_key(op.table)
            why = None
            if isinstance(action, ops.AddConstraint) and action.constraint.kind == "foreign_key":
                if state.settings.get("foreign_key_checks") not in ("0", "off"):
                    name = action.constraint.name or "?"
                    why = f"adding foreign key `{name}` with foreign_key_checks on"
            elif isinstance(action, ops.ReplaceColumn):
                old = state.columns.get((table, action.name))
                new = action.column.type.native.lower()
                if old is not None and not _same_base(old, new):
                    why = f"changing `{action.column.name}` from {old} to {new}"
            elif isinstance(action, ops.AlterColumnType):
                why = f"changing the type of `{action.name}`"
            elif isinstance(action, ops.DropConstraint) and action.kind == "primary_key":
                adds_pk = any(
                    isinstance(a, ops.AddConstraint) and a.constraint.kind == "primary_key"
                    for _, a in self.actions(stmt)
                )
                if not adds_pk:
                    why = "dropping the primary key"
            if why is None:
                continue
            db = "MariaDB" if state.ctx.config.database == "mariadb" else "MySQL"
            yield self.finding(
                f"{why.capitalize()} runs ALGORITHM=COPY: {db} copies `{table}` and blocks "
                f"every write to it (LOCK=SHARED) until the copy is done",
                self.sub_span(stmt, action.span),
                help="use an online schema change tool, or SET foreign_key_checks = 0 around "
                "a new foreign key",
            )

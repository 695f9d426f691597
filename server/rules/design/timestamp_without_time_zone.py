"""DB105: a PostgreSQL `timestamp` column without time zone."""

from __future__ import annotations

from collections.abc import Iterator

from schemasense.codegen.schema import ColumnType
from schemasense.server.findings import Finding, Fix
from schemasense.server.lint.context import RuleContext, SchemaTarget
from schemasense.server.lint.registry import SchemaRule, Status, Subject


class TimestampWithoutTimeZone(SchemaRule):
    """## What it does
    Flags a `DateTime` field on PostgreSQL (or CockroachDB) stored as `timestamp` (without
    time zone), which is what Prisma creates unless the field says `@db.Timestamptz`; and a
    `timestamp` / `timestamp without time zone` column created by a migration.

    ## Why is this bad?
    `timestamp` stores a wall-clock reading with no zone. Prisma Client always writes UTC
    into it, but everything else does not: `@default(now())` becomes `DEFAULT
    CURRENT_TIMESTAMP`, evaluated in the *session's* time zone, so on a server or connection
    whose `TimeZone` is not UTC the default and the values Prisma writes disagree by hours. So
    do raw queries (`now()`, `date_trunc`), BI tools, triggers and other services. The
    PostgreSQL wiki lists it first under "Don't Do This". `timestamptz` stores an instant
    (UTC internally) in the same 8 bytes and converts on input and output.

    ## Example
    ```prisma
    model Booking {
      id        Int      @id
      startTime DateTime
      createdAt DateTime @default(now())
    }
    ```

    ## Use instead
    ```prisma
    model Booking {
      id        Int      @id
      startTime DateTime @db.Timestamptz(3)
      createdAt DateTime @default(now()) @db.Timestamptz(3)
    }
    ```

    ## Fix safety
    The fix adds `@db.Timestamptz(3)` (or turns `@db.Timestamp(p)` into
    `@db.Timestamptz(p)`). It is unsafe: the migration runs `ALTER COLUMN ... TYPE
    timestamptz`, which reads the existing values in the session's time zone (right only if
    that is UTC, as Prisma assumes) and, before PostgreSQL 12 or with another session time
    zone, rewrites the table under an ACCESS EXCLUSIVE lock.

    ## References
    - https://wiki.postgresql.org/wiki/Don%27t_Do_This#Don.27t_use_timestamp_.28without_time_zone.29
    """

    code = "DB105"
    table_local = True
    severity = "warning"
    fix = "sometimes"
    status = Status.stable("0.1.0")

    def applies(self, target: SchemaTarget, ctx: RuleContext) -> bool:
        return target.provider in ("postgresql", "postgres", "cockroachdb")

    def check_schema(
        self, target: SchemaTarget, ctx: RuleContext
    ) -> Iterator[tuple[Subject, Finding]]:
        for table in target.schema.tables:
            if table.kind not in ("table", "view") or table.ignored:
                continue
            for column in table.columns:
                t = column.type
                if t.kind != "timestamp" or t.timezone or column.span is None:
                    continue
                shown = column.field_name or column.name
                yield (
                    ("col", table.name, column.name),
                    self.finding(
                        f"`{table.model_name or table.name}.{shown}` is a timestamp without time "
                        f"zone",
                        column.span,
                        help=f"store an instant: @db.Timestamptz({t.precision or 3}) (timestamptz)"
                        if target.origin == "declared"
                        else "use timestamptz",
                        fix=self._fix(target, table, column),
                    ),
                )

    def _fix(self, target: SchemaTarget, table, column) -> Fix | None:
        if target.origin != "declared" or target.editor is None:
            return None
        precision = column.type.precision if column.type.precision is not None else 3
        wanted = ColumnType(kind="timestamp", timezone=True, precision=precision)
        change = target.editor.set_column_type(table, column, wanted)
        if change is None:
            return None
        return Fix("Store it as timestamptz", change.edits, "unsafe")

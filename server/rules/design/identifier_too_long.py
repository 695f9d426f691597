"""DB106: a table, column, enum or constraint name longer than the database allows."""

from __future__ import annotations

from collections.abc import Iterator

from schemasense.codegen.schema import Span
from schemasense.server.findings import Finding
from schemasense.server.lint.context import RuleContext, SchemaTarget
from schemasense.server.lint.registry import SchemaRule, Status, Subject

_SUFFIX = {"primary key": "_pkey", "unique": "_key", "index": "_idx", "foreign key": "_fkey"}


class IdentifierTooLong(SchemaRule):
    """## What it does
    Flags a database name longer than the database allows (PostgreSQL and CockroachDB 63
    bytes, MySQL 64 characters, SQL Server 128): a table or column name (the model or field
    name, or its `@map` / `@@map`), an enum's name, and a constraint or index name Prisma
    derives (`{table}_{columns}_idx`) that it has to cut short.

    ## Why is this bad?
    PostgreSQL does not refuse a long name: it silently truncates it to 63 bytes. The table
    is created as `a_very_long_…` (cut), Prisma keeps asking for the full name, and every
    query fails with "relation does not exist"; `prisma migrate dev` then sees drift it
    cannot resolve. MySQL refuses the migration instead ("Identifier name is too long").
    Prisma cuts the names it derives itself, so those work, but hand-written SQL, monitoring
    and other tools that rebuild the name from the columns get a different one, and two long
    names cut at the same place collide.

    ## Example
    ```prisma
    model OrganizationMembershipInvitationReminderSchedule {
      id                                   Int @id
      organizationMembershipInvitationReminderId Int

      @@index([organizationMembershipInvitationReminderId])
    }
    ```

    ## Use instead
    ```prisma
    model OrganizationMembershipInvitationReminderSchedule {
      id                                   Int @id
      organizationMembershipInvitationReminderId Int @map("invitation_reminder_id")

      @@index([organizationMembershipInvitationReminderId], map: "schedule_reminder_idx")
      @@map("invitation_reminder_schedules")
    }
    ```

    ## Fix safety
    There is no automatic fix: a shorter name is a naming decision, and `@map` on an existing
    table or column renames it in the next migration.
    """

    code = "DB106"
    table_local = True
    severity = "warning"
    status = Status.stable("0.1.0")

    def applies(self, target: SchemaTarget, ctx: RuleContext) -> bool:
        return target.dialect is not None and target.dialect.MAX_IDENTIFIER_LENGTH < 1000

    def check_schema(
        self, target: SchemaTarget, ctx: RuleContext
    ) -> Iterator[tuple[Subject, Finding]]:
        dialect = target.dialect
        assert dialect is not None
        limit = dialect.MAX_IDENTIFIER_LENGTH
        unit = "characters" if dialect.NAME == "mysql" else "bytes"

        def size(name: str) -> int:
            if unit == "characters" or len(name) * 4 <= limit:
                return len(name)  # a short name cannot be over the limit in bytes
            return len(name.encode("utf-8"))

        def too_long(kind: str, name: str, span: Span | None, subject: Subject):
            if span is None or size(name) <= limit:
                return None
            if kind in ("enum", "table", "view", "join table"):
                span = target.header_span(span)
            return subject, self.finding(
                f"The {kind} name `{name}` is {size(name)} {unit}; "
                f"{dialect.DISPLAY_NAME or dialect.NAME} allows {limit}",
                span,
                help="give it a shorter database name with @map / @@map (or map: for keys)"
                if target.origin == "declared"
                else "use a shorter name",
            )

        for enum in target.schema.enums:
            found = too_long("enum", enum.name, enum.span, ("enum", enum.name))
            if found:
                yield found
        for table in target.schema.tables:
            if table.kind == "composite_type":
                continue
            found = too_long(
                table.kind.replace("_", " "), table.name, table.span, ("t", table.name)
            )
            if found:
                yield found
            for column in table.columns:
                found = too_long("column", column.name, column.span, ("c", table.name, column.name))
                if found:
                    yield found
            if target.origin == "declared":
                yield from self._derived(table, limit, size, unit)
            else:
                for kind, name, span in _constraints(table):
                    found = too_long(kind, name, span, ("k", table.name, name))
                    if found:
                        yield found

    def _derived(self, table, limit, size, unit) -> Iterator[tuple[Subject, Finding]]:
        """Names Prisma derived and had to cut (a `map:` over the limit is Prisma's own
        error, reported by the reader)."""
        for kind, name, span, columns in _constraints_with_columns(table):
            if span is None:
                continue
            suffix = _SUFFIX[kind]
            full = (
                "_".join([table.name, *columns]) + suffix
                if kind != "primary key"
                else (table.name + suffix)
            )
            if size(full) <= limit or name == full or not name.endswith(suffix):
                continue
            yield (
                ("k", table.name, name),
                self.finding(
                    f"Prisma derives the {kind} name `{full}` ({size(full)} {unit}) and cuts it "
                    f"to `{name}`",
                    span,
                    help='name it yourself with map: "..." so SQL and tools can find it',
                ),
            )


def _constraints(table):
    for kind, name, span, _columns in _constraints_with_columns(table):
        yield kind, name, span


def _constraints_with_columns(table):
    if table.primary_key is not None and table.primary_key.name:
        pk = table.primary_key
        yield "primary key", pk.name, pk.span, [c.column or "" for c in pk.columns]
    for u in table.uniques:
        yield "unique", u.name, u.span, [c.column or "" for c in u.columns]
    for i in table.indexes:
        yield "index", i.name, i.span, [c.column or "" for c in i.columns]
    for fk in table.foreign_keys:
        yield "foreign key", fk.name, fk.span, list(fk.columns)

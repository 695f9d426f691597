"""DB101: a foreign key whose columns no index leads with."""

from __future__ import annotations

from collections.abc import Iterator

from schemasense.server.findings import Finding, Fix
from schemasense.server.lint.context import RuleContext, SchemaTarget
from schemasense.server.lint.registry import SchemaRule, Status, Subject
from schemasense.server.rules.design.schema_facts import keys, leads_with


class ForeignKeyWithoutIndex(SchemaRule):
    """## What it does
    Flags a foreign key when no index, unique constraint or primary key of its table starts
    with the key's columns.

    ## Why is this bad?
    PostgreSQL, SQLite, SQL Server and CockroachDB index the *referenced* side of a foreign key
    (it must be unique) but never the referencing side. Every `DELETE` or key `UPDATE` on the
    parent then scans the whole child table to check or cascade (under the row locks of the
    parent's transaction), and every join or `include` from parent to children does the same.
    It grows with the child table, so it is invisible in development and slow in production.

    Prisma warns about this only with `relationMode = "prisma"`; with real foreign keys it
    says nothing. MySQL and MariaDB (InnoDB) create the index themselves when the key is
    added, so the rule does not apply there.

    ## Example
    ```prisma
    model Post {
      id       Int  @id @default(autoincrement())
      authorId Int
      author   User @relation(fields: [authorId], references: [id])
    }
    ```

    ## Use instead
    ```prisma
    model Post {
      id       Int  @id @default(autoincrement())
      authorId Int
      author   User @relation(fields: [authorId], references: [id])

      @@index([authorId])
    }
    ```

    An index whose first columns are the key's columns (in any order) serves too:
    `@@index([authorId, createdAt])` covers `authorId`. A partial index, a GIN/GiST/BRIN
    index, or an index that starts with another column does not.

    ## Fix safety
    The fix adds `@@index([...])` on the key's fields. It is safe: it changes no data and
    no query result. Building the index on a large existing table takes a lock; generate the
    migration and let DB201 (`create-index-without-concurrently`) rewrite it.
    """

    code = "DB101"
    table_local = True
    severity = "warning"
    fix = "sometimes"
    status = Status.stable("0.1.0")

    def applies(self, target: SchemaTarget, ctx: RuleContext) -> bool:
        return target.provider not in ("mysql", "mongodb") and ctx.database not in (
            "mysql",
            "mariadb",
        )

    def check_schema(
        self, target: SchemaTarget, ctx: RuleContext
    ) -> Iterator[tuple[Subject, Finding]]:
        for table in target.schema.tables:
            if table.kind != "table" or table.ignored or not table.foreign_keys:
                continue
            table_keys = keys(table, target.cache)
            for fk in table.foreign_keys:
                if any(leads_with(k, fk.columns) for k in table_keys):
                    continue
                cols = ", ".join(fk.columns)
                fields = [
                    (c.field_name or c.name) if (c := table.column(name)) else name
                    for name in fk.columns
                ]
                fix = None
                if target.origin == "declared" and target.editor is not None:
                    change = target.editor.add_index(table, fk.columns)
                    if change is not None:
                        fix = Fix(f"Add {change.label}", change.edits, "safe")
                span = fk.span or table.span
                if span is None:
                    continue
                # A source that leaves keys unnamed (Sequelize on SQLite) gives no name to quote.
                key = f"Foreign key `{fk.name}`" if fk.name else "The foreign key"
                if target.origin != "declared":
                    help_text = (
                        f'create an index on "{table.name}" ({cols}): deleting or '
                        f"updating a `{fk.referenced_table}` row otherwise scans the table"
                    )
                else:
                    # Prisma's spelling only in a Prisma schema; other sources are told the
                    # columns (an ORM-neutral wording) unless their editor names the change.
                    index = (
                        f"@@index([{', '.join(fields)}])"
                        if target.read is not None
                        else change.label
                        if fix is not None
                        else f"an index on column(s) {cols}"
                    )
                    help_text = (
                        f"add {index}: deleting or updating a "
                        f"`{fk.referenced_table}` row otherwise scans `{table.name}`"
                    )
                yield (
                    ("fk", table.name, *fk.columns),
                    self.finding(
                        f"{key} on `{table.name}` ({cols}) has no index that leads with its "
                        "columns",
                        span,
                        help=help_text,
                        fix=fix,
                    ),
                )

"""DB103: a table with no primary key."""

from __future__ import annotations

from collections.abc import Iterator

from schemasense.server.findings import Finding, Fix
from schemasense.server.lint.context import RuleContext, SchemaTarget
from schemasense.server.lint.registry import SchemaRule, Status, Subject


class TableWithoutPrimaryKey(SchemaRule):
    """## What it does
    Flags a table (a Prisma model, or a table the migrations create) that has no primary key,
    only unique constraints, or nothing at all.

    ## Why is this bad?
    Logical replication (PostgreSQL publications, AWS DMS, Debezium, most managed
    "zero-downtime" upgrade tools) cannot replicate `UPDATE` and `DELETE` on a table without a
    primary key or a replica identity. MySQL Group Replication and PlanetScale refuse such
    tables outright, and InnoDB then clusters the rows on a hidden 6-byte row id that no
    query can use. Prisma accepts a model with only `@unique` fields, so the gap goes
    unnoticed until the first migration to a new database host.

    On a TypeORM entity it is an error, not a warning: TypeORM refuses the entity when the
    DataSource starts (`MissingPrimaryColumnError`, thrown by its `EntityMetadataValidator`),
    so the application does not run at all. Sequelize adds an `id` column itself to a model
    that declares no primary key, so a Sequelize model is flagged only when that `id` is
    removed (`removeAttribute('id')`). A severity set for the rule in `schemasense.toml`
    applies to both cases.

    ## Example
    ```prisma
    model Setting {
      key   String @unique
      value String
    }
    ```

    ## Use instead
    ```prisma
    model Setting {
      key   String @id
      value String
    }
    ```

    ## Fix safety
    When the model has exactly one unique criterion on required fields, the fix turns it
    into the primary key (`@unique` -> `@id`, `@@unique` -> `@@id`). It is unsafe: the
    migration drops the unique index and adds a primary key (a table rewrite on MySQL, a
    lock while the key's index is built on PostgreSQL), and Prisma Client's compound
    unique input is renamed.
    """

    code = "DB103"
    table_local = True
    severity = "warning"
    fix = "sometimes"
    status = Status.stable("0.1.0")

    def applies(self, target: SchemaTarget, ctx: RuleContext) -> bool:
        return target.provider != "mongodb"

    def check_schema(
        self, target: SchemaTarget, ctx: RuleContext
    ) -> Iterator[tuple[Subject, Finding]]:
        # TypeORM refuses an entity with no primary column at start-up: an error there
        for table in target.schema.tables:
            if table.kind != "table" or table.ignored or table.primary_key is not None:
                continue
            if table.span is None:
                continue
            span = target.header_span(table.span)
            fix = self._fix(target, table)
            uniques = [u for u in table.uniques]
            help = _help(target, bool(uniques))
            yield (
                ("pk", table.name),
                self.finding(
                    f"Table `{table.name}` has no primary key",
                    span,
                    help=help,
                    fix=fix,
                    severity="error" if target.primary_key_required else None,
                ),
            )

    def _fix(self, target: SchemaTarget, table) -> Fix | None:
        if target.origin != "declared" or len(table.uniques) != 1:
            return None
        unique = table.uniques[0]
        if unique.span is None:
            return None
        columns = [table.column(c.column or "") for c in unique.columns]
        if any(c is None or c.nullable for c in columns):
            return None
        change = target.editor.make_primary_key(table, unique) if target.editor else None
        if change is None:
            return None
        return Fix("Make the unique key the primary key", change.edits, "unsafe")


def _help(target: SchemaTarget, unique: bool) -> str:
    """What to write, in the words of the source the schema was read from."""
    if target.primary_key_required:  # a TypeORM entity
        if unique:
            return "make the unique column the primary key (@PrimaryColumn)"
        return (
            "TypeORM refuses an entity with no primary column (MissingPrimaryColumnError): "
            "add one (`@PrimaryGeneratedColumn()`, or `@PrimaryColumn()`)"
        )
    if unique:
        return "make the unique key the primary key (@id / @@id)"
    return "add a primary key (`id BigInt @id @default(autoincrement())`, or a uuid)"

"""DB209: ALTER COLUMN ... TYPE on an existing table."""

from __future__ import annotations

from collections.abc import Iterator

from schemasense.codegen.ddl import statements as ops
from schemasense.codegen.ddl.lock_facts import fact_for
from schemasense.codegen.dialects import postgresql_locks as locks
from schemasense.server.findings import Finding
from schemasense.server.lint.migration_rule import MigrationRule, MigrationState, table_key
from schemasense.server.lint.registry import Status
from schemasense.server.migrations.model import StatementRecord
from schemasense.server.rules.migration.postgresql.type_change_plan import expand_backfill_contract


class ChangeColumnType(MigrationRule):
    """## What it does
    Flags `ALTER TABLE ... ALTER COLUMN ... TYPE` on a table that existed before this
    migration, except the changes PostgreSQL makes in place, from the column's type as the
    earlier migrations declared it: `varchar(n)` or `text` to `text`, to an unbounded
    `varchar` or to a `varchar` at least as long, and `numeric(p,s)` to a wider precision
    (with no `USING`). An `integer` changed to `text` is flagged: that rewrites.

    ## Why is this bad?
    Most type changes rewrite the table and rebuild every index on it while holding an
    ACCESS EXCLUSIVE lock: no read and no write goes through until it is done, and the old
    application code may not understand the new type. Only binary-coercible changes
    (`varchar(n)` to a longer `varchar` or `text`, `numeric(p,s)` to a wider precision,
    `timestamp` to `timestamptz` on PostgreSQL 12+ with a UTC session) skip the rewrite.

    ## Example
    ```sql
    ALTER TABLE "Payment" ALTER COLUMN "amount" SET DATA TYPE BIGINT;
    ```

    ## Use instead
    Expand, backfill, contract, each in a migration of its own (what the fix writes):
    ```sql
    -- prisma/migrations/20240301000000_amount_bigint/migration.sql: expand. A new column,
    -- kept in step by a trigger while the running app still writes the old one
    ALTER TABLE "Payment" ADD COLUMN "amount_new" bigint;
    CREATE FUNCTION "Payment_amount_new_sync"() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      NEW."amount_new" := NEW."amount"::bigint;
      RETURN NEW;
    END
    $$;
    CREATE TRIGGER "Payment_amount_new_sync" BEFORE INSERT OR UPDATE ON "Payment"
      FOR EACH ROW EXECUTE FUNCTION "Payment_amount_new_sync"();
    ALTER TABLE "Payment" ADD CONSTRAINT "Payment_amount_new_not_null"
      CHECK ("amount_new" IS NOT NULL) NOT VALID;

    -- prisma/migrations/20240301000001_payment_amount_backfill/migration.sql: backfill.
    -- Batches along the primary key, each committed on its own: alone in its file, the DO
    -- block runs outside a transaction block, where it may COMMIT (PostgreSQL 11+)
    DO $$
    DECLARE
      from_1 "Payment"."id"%TYPE;
      to_1 "Payment"."id"%TYPE;
    BEGIN
      SELECT "id" INTO from_1 FROM "Payment" ORDER BY "id" LIMIT 1;
      WHILE FOUND LOOP
        SELECT "id" INTO to_1 FROM (
          SELECT "id" FROM "Payment" WHERE ("id") >= (from_1) ORDER BY "id" LIMIT 10000
        ) AS batch ORDER BY "id" DESC LIMIT 1;
        UPDATE "Payment" SET "amount_new" = "amount"::bigint
          WHERE ("id") >= (from_1) AND ("id") <= (to_1);
        COMMIT;
        SELECT "id" INTO from_1 FROM "Payment" WHERE ("id") > (to_1) ORDER BY "id" LIMIT 1;
      END LOOP;
    END
    $$;

    -- prisma/migrations/20240301000002_payment_amount_type_contract/migration.sql: contract.
    -- The check is validated without blocking writes; then a short lock swaps the columns
    ALTER TABLE "Payment" VALIDATE CONSTRAINT "Payment_amount_new_not_null";
    LOCK TABLE "Payment" IN ACCESS EXCLUSIVE MODE;
    DROP TRIGGER "Payment_amount_new_sync" ON "Payment";
    DROP FUNCTION "Payment_amount_new_sync"();
    ALTER TABLE "Payment" DROP COLUMN "amount";
    ALTER TABLE "Payment" RENAME COLUMN "amount_new" TO "amount";
    ALTER TABLE "Payment" ALTER COLUMN "amount" SET NOT NULL;
    ALTER TABLE "Payment" DROP CONSTRAINT "Payment_amount_new_not_null";
    ```

    ## Fix safety
    For Prisma migrations on PostgreSQL 11 or later (or an unknown version), when the
    statement changes one column's type and nothing else, the fix writes that plan: the
    expand step in place of the statement, then new migrations right after this one, in
    order: the backfill; when the column is NOT NULL and the statement has a `USING`
    expression (which may give NULL where the old value was not), the `CHECK ... NOT
    VALID` in a migration of its own after the backfill instead of in the expand step;
    each index on the column built again on the new column `CREATE [UNIQUE] INDEX
    CONCURRENTLY`, one per migration (alone in its file, outside a transaction); and the
    contract step, which also sets the default again and gives the indexes their old
    names. The conversion is the statement's `USING` expression (in the trigger, over the
    new row), else a cast to the new type.

    It is marked unsafe; read it before applying it:
    - the contract step still takes an ACCESS EXCLUSIVE lock, briefly (no rewrite, no
      scan: the validated check proves NOT NULL), and waits for it behind running
      transactions (DB222 adds a lock_timeout);
    - from the contract step on the column has its new type: deploy the app built for the
      new type with it or right after it; until then the old app works on the old column.
      `prisma migrate deploy` runs all the steps in one go (still no rewrite under lock);
      to keep the old app running past the backfill, ship the contract migration in a
      later release;
    - the value is converted with an explicit cast where `ALTER TYPE` uses an assignment
      cast, so a conversion that `ALTER TYPE` refuses may go through;
    - the column moves to the end of the table (`SELECT *` order) and loses its comment,
      statistics target and privileges; a view or rule that uses it makes the contract
      step fail (and roll back);
    - if the backfill or an index build fails half-way, run it again (a failed `CREATE
      INDEX CONCURRENTLY` leaves an INVALID index to drop first, after `prisma migrate
      resolve --rolled-back`).

    There is no fix, and the plan is yours to write, when the column is in the primary
    key, a foreign key (at either end), a unique or check constraint (a unique index is
    fine: it is built again), an index expression
    or predicate, or a generated column; when it is an identity or serial column; or when
    the table has no primary key to batch the backfill along.

    ## References
    - https://www.postgresql.org/docs/current/sql-altertable.html#SQL-ALTERTABLE-NOTES
    - https://www.postgresql.org/docs/current/plpgsql-transactions.html
    """

    code = "DB209"
    severity = "warning"
    fix = "sometimes"
    status = Status.stable("0.1.0")
    watches = (ops.AlterColumnType,)

    def check_statement(self, stmt: StatementRecord, state: MigrationState) -> Iterator[Finding]:
        for op, action in self.actions(stmt):
            if not isinstance(action, ops.AlterColumnType) or state.is_new(op.qname):
                continue
            table = table_key(op.qname)
            fact = fact_for(action, state.server, state.before(table))
            if fact is not locks.ALTER_TYPE_REWRITE:
                continue
            yield self.finding(
                f'Changing the type of "{action.name}" to {action.type.native} '
                f"{locks.ALTER_TYPE_REWRITE.describe(table)} (unless the change is "
                f"binary-coercible)",
                self.sub_span(stmt, action.span),
                help="expand (new column), backfill in batches, contract (drop the old one)",
                fix=expand_backfill_contract(stmt, state),
            )

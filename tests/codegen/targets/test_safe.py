"""The safe plan's pieces (`codegen.ddl.safe`) and how the SQL targets write them, one line per
behaviour. `generate migration --safe` and the migration-safety rules' fixes both write these;
`test_migration.py` applies the whole safe split to a real PostgreSQL."""

from __future__ import annotations

from dataclasses import replace

import pytest
from schemasense.codegen.ddl import safe
from schemasense.codegen.ddl.operations import (
    AddConstraint,
    AlterTable,
    ConstraintDef,
    DropConstraint,
    DropIndex,
    IndexDef,
    IndexPart,
    SetNotNull,
    ValidateConstraint,
)
from schemasense.codegen.emit.sql.base import (
    UnsupportedOperation,
    render_file,
    render_sql,
    render_statements,
)

from tests.codegen.targets.test_sql import UNSUPPORTED, assert_sql

INDEX = IndexDef("Post_title_idx", (IndexPart("title"),))


def test_not_null_check() -> None:
    assert_sql(
        safe.not_null_check("User", "User_email_not_null", "email"),
        postgres='ALTER TABLE "User" ADD CONSTRAINT "User_email_not_null" '
        'CHECK ("email" IS NOT NULL) NOT VALID',
        mysql=UNSUPPORTED,
        sqlite=UNSUPPORTED,
    )
    assert_sql(
        AddConstraint(ConstraintDef("check", "k", not_null_of="email"), "User", "app"),
        postgres='ALTER TABLE "app"."User" ADD CONSTRAINT "k" CHECK ("email" IS NOT NULL)',
    )


def test_validate_require_drop() -> None:
    assert_sql(
        AlterTable("User", (ValidateConstraint("k", "check"),), schema="app"),
        postgres='ALTER TABLE "app"."User" VALIDATE CONSTRAINT "k"',
        sqlite=UNSUPPORTED,
    )
    assert_sql(
        AlterTable("User", (SetNotNull("email", checked_by="k"),)),
        postgres='ALTER TABLE "User" ALTER COLUMN "email" SET NOT NULL',
        mysql=UNSUPPORTED,
    )
    drop = AlterTable("User", (DropConstraint("k", "check"),))
    assert_sql(drop, postgres='ALTER TABLE "User" DROP CONSTRAINT "k"')


def test_drop_index_concurrently() -> None:
    assert_sql(DropIndex("Post", INDEX), postgres='DROP INDEX "Post_title_idx"')
    assert_sql(
        DropIndex("Post", INDEX, "app", concurrently=True),
        postgres='DROP INDEX CONCURRENTLY "app"."Post_title_idx"',
    )
    script = render_sql([DropIndex("Post", INDEX, concurrently=True)], "postgresql")
    assert not script.transactional


def test_unique_through_index() -> None:
    build, attach = safe.unique_through_index("User", "User_email_key", ("email", "org"))
    assert_sql(
        build,
        postgres='CREATE UNIQUE INDEX CONCURRENTLY "User_email_key" ON "User"("email", "org")',
    )
    assert_sql(
        attach,
        postgres='ALTER TABLE "User" ADD CONSTRAINT "User_email_key" '
        'UNIQUE USING INDEX "User_email_key"',
        mysql=UNSUPPORTED,
    )


def test_lock_timeout() -> None:
    assert_sql(safe.lock_timeout(), postgres="SET LOCAL lock_timeout = '5s'")
    assert_sql(safe.lock_timeout(local=False), postgres="SET lock_timeout = '5s'")


def test_not_null_through_check_steps() -> None:
    now, later = safe.not_null_through_check("User", "email", comment="why")
    script = render_sql([now, *later], "postgresql")
    assert script.text == (
        "-- AddCheck\n-- why\n"
        'ALTER TABLE "User" ADD CONSTRAINT "User_email_not_null" '
        'CHECK ("email" IS NOT NULL) NOT VALID;\n\n'
        "-- ValidateCheck\n"
        'ALTER TABLE "User" VALIDATE CONSTRAINT "User_email_not_null";\n\n'
        "-- AlterTable\n"
        'ALTER TABLE "User" ALTER COLUMN "email" SET NOT NULL;\n\n'
        "-- DropCheck\n"
        'ALTER TABLE "User" DROP CONSTRAINT "User_email_not_null";\n'
    )
    assert not script.warnings  # the VALIDATE fails first where a NULL is left


def test_check_name_fits_postgresql() -> None:
    assert len(safe.not_null_check_name("t" * 40, "c" * 40)) == 63


def test_validate_step_is_named_after_the_constraint() -> None:
    validate = safe.validate_later("Post", "Post_authorId_fkey")
    assert render_sql([validate], "postgresql").text.startswith("-- ValidateForeignKey\n")


def test_a_fix_file_is_bare_statements() -> None:
    now, later = safe.not_null_through_check("User", "email")
    assert render_statements([now], "postgresql") == [
        'ALTER TABLE "User" ADD CONSTRAINT "User_email_not_null" '
        'CHECK ("email" IS NOT NULL) NOT VALID'
    ]
    assert render_file(later[1:], "postgresql") == (
        'ALTER TABLE "User" ALTER COLUMN "email" SET NOT NULL;\n'
        'ALTER TABLE "User" DROP CONSTRAINT "User_email_not_null";\n'
    )
    with pytest.raises(UnsupportedOperation):
        render_file(later, "sqlite")


def test_column_type_change_plan() -> None:
    """DB209's plan, built once in the safe plan: expand (new column + sync trigger + the NOT
    NULL check), backfill, the index again on the new column, contract (swap under a lock)."""
    change = safe.ColumnTypeChange(
        "Order",
        "total",
        "numeric(12,2)",
        ("id",),
        not_null=True,
        default="0",
        indexes=(safe.IndexOnColumn("Order_total_idx", (IndexPart(column="total"),)),),
    )
    plan = safe.column_type_change(change)
    assert plan.new == "total_new"
    assert plan.check is not None and plan.check_in_expand
    assert [op.kind for op in plan.expand] == ["AlterTable", "SyncColumnTrigger"]
    assert render_sql(plan.expand[:1], "postgresql").statements == [
        'ALTER TABLE "Order" ADD COLUMN "total_new" numeric(12,2)'
    ]
    assert render_sql(plan.indexes, "postgresql").statements == [
        'CREATE INDEX CONCURRENTLY "Order_total_idx_new" ON "Order"("total_new")'
    ]
    assert render_sql(plan.contract, "postgresql").statements == [
        'ALTER TABLE "Order" VALIDATE CONSTRAINT "Order_total_new_not_null"',
        'LOCK TABLE "Order" IN ACCESS EXCLUSIVE MODE',
        'DROP TRIGGER "Order_total_new_sync" ON "Order"',
        'DROP FUNCTION "Order_total_new_sync"()',
        'ALTER TABLE "Order" DROP COLUMN "total"',
        'ALTER TABLE "Order" RENAME COLUMN "total_new" TO "total"',
        'ALTER TABLE "Order" ALTER COLUMN "total" SET NOT NULL',
        'ALTER TABLE "Order" DROP CONSTRAINT "Order_total_new_not_null"',
        'ALTER TABLE "Order" ALTER COLUMN "total" SET DEFAULT 0',
        'ALTER INDEX "Order_total_idx_new" RENAME TO "Order_total_idx"',
    ]
    # a USING conversion is backfilled before the check is added (a migration of its own)
    using = safe.column_type_change(replace(change, using='"total"::numeric(12,2)'))
    assert using.check is not None and not using.check_in_expand

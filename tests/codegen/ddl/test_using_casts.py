"""`diff(using_casts=True)`: a PostgreSQL type change with an explicit cast only is made in place
with `USING` (`dialects.casts.postgres_explicit_cast`); one line per behaviour. Applied with rows
present, and agreed with by TypeORM, in tests/oracle/typeorm/test_generated_migrations.py
(`test_nest_type_change_keeps_the_rows`)."""

from __future__ import annotations

import pytest
from schemasense.codegen.ddl.diff import diff
from schemasense.codegen.ddl.operations import AlterColumnType, AlterTable, DropAndRecreateColumn
from schemasense.codegen.emit.sql.base import render_sql
from schemasense.codegen.emit.sql.typeorm import render_typeorm
from schemasense.codegen.schema import Column, ColumnType, Default, Schema, Table


def _schema(native: str, default: str | None = None) -> Schema:
    column = Column(
        name="c",
        type=ColumnType(kind="string", native=native),
        nullable=False,
        default=Default(kind="expression", value=default) if default else None,
    )
    return Schema(provider="postgresql", tables=[Table(name="t", columns=[column])])


def _changes(plan) -> list:
    return [c for op in plan.operations if isinstance(op, AlterTable) for c in op.changes]


@pytest.mark.parametrize(
    "before,after,using",
    [
        ("text", "integer", '"c"::integer'),
        ("character varying(40)", "uuid", '"c"::uuid'),
        ("integer", "boolean", '"c"::boolean'),
        ("bigint", "boolean", '"c"::integer::boolean'),
        ("boolean", "integer", '"c"::integer'),
        ("boolean", "smallint", '"c"::integer::smallint'),
    ],
)
def test_explicit_cast_is_a_type_change_using_it(before: str, after: str, using: str) -> None:
    (change,) = _changes(diff(_schema(before), _schema(after), using_casts=True))
    assert isinstance(change, AlterColumnType) and change.using == using
    assert change.cast == "risky"


def test_without_using_casts_prisma_drops_and_adds() -> None:
    (change,) = _changes(diff(_schema("text"), _schema("integer")))
    assert isinstance(change, DropAndRecreateColumn)


def test_no_cast_at_all_still_drops_and_adds() -> None:
    plan = diff(_schema("timestamp(3) without time zone"), _schema("integer"), using_casts=True)
    (change,) = _changes(plan)
    assert isinstance(change, DropAndRecreateColumn)


def test_default_dropped_before_and_set_after() -> None:
    plan = diff(_schema("integer", "0"), _schema("boolean", "false"), using_casts=True)
    assert render_typeorm(plan.operations, "postgresql").statements == [
        'ALTER TABLE "t" ALTER COLUMN "c" DROP DEFAULT',
        'ALTER TABLE "t" ALTER COLUMN "c" TYPE boolean USING "c"::boolean',
        'ALTER TABLE "t" ALTER COLUMN "c" SET DEFAULT false',
    ]
    (sql,) = render_sql(plan.operations, "postgresql").statements
    assert 'SET DATA TYPE BOOLEAN USING "c"::boolean' in sql

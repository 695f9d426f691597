"""codegen/ddl/checks.py and `diff(checks=True)`: CHECK constraints added, dropped, changed and
renamed, rendered per dialect and per migration format; one line per behaviour.

(TypeORM's own agreement, on real PostgreSQL and SQLite, is tests/oracle/typeorm/
test_generated_migrations.py's `*check*` edits.)
"""

from __future__ import annotations

import pytest
from schemasense.codegen.ddl.checks import check_changes, rename_columns
from schemasense.codegen.ddl.diff import diff
from schemasense.codegen.ddl.operations import (
    AddConstraint,
    AlterTable,
    ConstraintDef,
    DropConstraint,
    RedefineTables,
    RenameConstraint,
    TableDef,
)
from schemasense.codegen.emit.migrations.sequelize_calls import QueryInterfaceWriter
from schemasense.codegen.emit.sql.base import render_sql
from schemasense.codegen.emit.sql.typeorm import render_typeorm
from schemasense.codegen.emit.style import CodeStyle
from schemasense.codegen.schema import CheckConstraint, Column, ColumnType, Schema, Table


def _table(*checks: tuple[str, str], name: str = "post") -> Table:
    return Table(
        name=name,
        columns=[
            Column(name="id", type=ColumnType(kind="int", native="integer"), nullable=False),
            Column(name="price", type=ColumnType(kind="int", native="integer"), nullable=False),
        ],
        checks=[CheckConstraint(name=n, expression=e) for n, e in checks],
    )


def _schema(*checks: tuple[str, str], provider: str = "postgresql") -> Schema:
    return Schema(provider=provider, tables=[_table(*checks)])


def _changes(plan) -> list:
    return [c for op in plan.operations if isinstance(op, AlterTable) for c in op.changes]


POSITIVE = ("price_positive", "CHECK ((price >= 0))")


def test_checks_are_not_compared_unless_asked() -> None:
    assert diff(_schema(POSITIVE), _schema()).operations == ()


def test_unchanged_check_in_another_spelling_gives_nothing() -> None:
    after = _schema(("price_positive", "price >= 0"))
    assert diff(_schema(POSITIVE), after, checks=True).operations == ()


def test_added_check() -> None:
    (change,) = _changes(diff(_schema(), _schema(POSITIVE), checks=True))
    assert isinstance(change, AddConstraint)
    assert (change.constraint.kind, change.constraint.name) == ("check", "price_positive")
    assert change.constraint.raw == "(price >= 0)"


def test_dropped_check() -> None:
    (change,) = _changes(diff(_schema(POSITIVE), _schema(), checks=True))
    assert change == DropConstraint("price_positive", "check")


def test_changed_condition_under_one_name_drops_and_adds() -> None:
    after = _schema(("price_positive", "CHECK ((price > 0))"))
    kinds = [type(c).__name__ for c in _changes(diff(_schema(POSITIVE), after, checks=True))]
    assert kinds == ["DropConstraint", "AddConstraint"]


def test_same_condition_under_a_new_name_is_a_rename_on_postgresql() -> None:
    after = _schema(("CHK_new", "CHECK ((price >= 0))"))
    (change,) = _changes(diff(_schema(POSITIVE), after, checks=True))
    assert change == RenameConstraint("price_positive", "CHK_new", "check")


def test_same_condition_under_a_new_name_on_mysql_drops_and_adds() -> None:
    before = _schema(POSITIVE, provider="mysql")
    after = _schema(("CHK_new", "price >= 0"), provider="mysql")
    changes = _changes(diff(before, after, checks=True))
    assert [type(c).__name__ for c in changes] == ["DropConstraint", "AddConstraint"]


def test_sqlite_rebuilds_the_table_and_keeps_the_new_checks() -> None:
    before = _schema(POSITIVE, provider="sqlite")
    after = _schema(("price_positive", "price > 0"), provider="sqlite")
    (op,) = diff(before, after, checks=True).operations
    assert isinstance(op, RedefineTables)
    (kept,) = [c for c in op.tables[0].after.constraints if c.kind == "check"]
    assert kept.raw == "price > 0"


@pytest.mark.parametrize(
    "dialect,up,down",
    [
        (
            "postgresql",
            'ALTER TABLE "post" ADD CONSTRAINT "price_positive" CHECK ((price >= 0))',
            'ALTER TABLE "post" DROP CONSTRAINT "price_positive"',
        ),
        (
            "mysql",
            "ALTER TABLE `post` ADD CONSTRAINT `price_positive` CHECK ((price >= 0))",
            "ALTER TABLE `post` DROP CONSTRAINT `price_positive`",
        ),
    ],
)
def test_rendered_as_sql(dialect: str, up: str, down: str) -> None:
    before, after = _schema(provider=dialect), _schema(POSITIVE, provider=dialect)
    assert render_sql(diff(before, after, checks=True).operations, dialect).statements == [up]
    assert render_sql(diff(after, before, checks=True).operations, dialect).statements == [down]
    assert render_typeorm(diff(before, after, checks=True).operations, dialect).statements == [up]


def test_rendered_as_sequelize_add_constraint() -> None:
    plan = diff(_schema(), _schema(("price_positive", '"price" >= 0')), checks=True)
    script = render_sql(plan.operations, "postgresql")
    (call,) = QueryInterfaceWriter("postgresql", CodeStyle(quote="'")).statements(script)
    assert call.startswith("await queryInterface.addConstraint(") or call.startswith(
        "queryInterface.addConstraint("
    ), call
    for part in (
        "type: 'check'",
        "fields: ['price']",
        "where: Sequelize.literal('\"price\" >= 0')",
        "name: 'price_positive'",
    ):
        assert part in call, call


def test_check_changes_pairs_by_name_then_condition() -> None:
    def t(*checks: tuple[str, str]) -> TableDef:
        return TableDef(
            "t", (), constraints=tuple(ConstraintDef("check", n, raw=e) for n, e in checks)
        )

    found = check_changes(
        "postgresql", t(("a", "x > 0"), ("b", "y > 0")), t(("a", "x > 1"), ("c", "y > 0"))
    )
    assert [c.name for c in found.dropped] == ["a"]
    assert [c.name for c in found.added] == ["a"]
    assert [(o.name, n.name) for o, n in found.renamed] == [("b", "c")]


def test_renamed_columns_in_a_check() -> None:
    body = """("display_name" <> '') AND (display_name)::text <> 'display_name'"""
    assert rename_columns(body, {"display_name": "full_name"}) == (
        """("full_name" <> '') AND (full_name)::text <> 'display_name'"""
    )

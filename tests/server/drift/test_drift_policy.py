"""Drift's policy of the comparison core: each `NOT_DRIFT` kind is a catalog difference the
core's default policy (verify's) reports and drift's leaves out, one line per kind."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from schemasense.codegen.ddl.compare import Policy, compare
from schemasense.codegen.schema import (
    CheckConstraint,
    Column,
    ColumnType,
    Default,
    Enum,
    EnumValue,
    ForeignKey,
    Index,
    IndexColumn,
    PrimaryKey,
    Schema,
    Table,
    UniqueConstraint,
)
from schemasense.server.drift import NOT_DRIFT, DriftComparer


def base() -> Schema:
    def col(name: str, **kw) -> Column:
        return Column(name=name, type=ColumnType(kind="int", native="integer"), **kw)

    user = Table(
        name="User",
        columns=[
            col("id", default=Default(kind="expression", value="nextval('\"User_id_seq\"')")),
            col("at", default=Default(kind="function", function="now()")),
            col("teamId"),
        ],
        primary_key=PrimaryKey(name="User_pkey", columns=[IndexColumn(column="id")]),
        foreign_keys=[ForeignKey(name="User_teamId_fkey", columns=["teamId"],
                                 referenced_table="Team", referenced_columns=["id"])],
        uniques=[UniqueConstraint(name="User_at_key", columns=[IndexColumn(column="at")])],
    )  # fmt: skip
    role = Enum(name="Role", values=[EnumValue(name="A"), EnumValue(name="B")])
    return Schema(provider="postgresql", tables=[user], enums=[role])


def _unique_as_index(t: Table) -> None:
    t.uniques.clear()
    t.indexes.append(Index(name="User_at_key", columns=[IndexColumn(column="at")], unique=True))


# fmt: off
CASES: list[tuple[str, Callable[[Schema, Table], object]]] = [
    ("column order", lambda s, t: t.columns.reverse()),
    ("enum value order", lambda s, t: s.enums[0].values.reverse()),
    ("check", lambda s, t: t.checks.append(CheckConstraint(name="c", expression="CHECK (id > 0)"))),
    ("not valid", lambda s, t: setattr(t.foreign_keys[0], "not_valid", True)),
    ("sequence name", lambda s, t: setattr(t.columns[0].default, "value", "nextval('old_seq')")),
    ("now()", lambda s, t: setattr(t.columns[1].default, "function", "CURRENT_TIMESTAMP")),
    ("unique constraint", lambda s, t: _unique_as_index(t)),
    ("other schemas", lambda s, t: s.tables.append(Table(name="Log", db_schema="audit"))),
]
# fmt: on


def test_every_kind_has_a_case() -> None:
    assert sorted(kind for kind, _ in CASES) == sorted(NOT_DRIFT)


@pytest.mark.parametrize("change", [c[1] for c in CASES], ids=[c[0] for c in CASES])
def test_not_drift_is_a_difference_drift_leaves_out(change) -> None:
    declared, migrated = base(), base()
    change(migrated, migrated.tables[0])
    assert compare(declared, migrated, Policy(provider="postgresql")) != []
    assert DriftComparer().compare(declared, migrated, managed_schemas={None}) == []

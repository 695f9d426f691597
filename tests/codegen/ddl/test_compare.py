"""codegen/ddl/compare.py: the one comparison core, one line per behaviour.

Each case changes a copy of one schema (the right side) and says, under a policy, which
differences the core reports; the pairing primitives the diff uses are tested the same way.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from schemasense.codegen.ddl.compare import (
    Difference,
    Policy,
    compare,
    pair,
    pair_by_shape,
    pair_sorted,
)
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


def col(name: str, native: str = "integer", kind="int", **kw) -> Column:
    return Column(name=name, type=ColumnType(kind=kind, native=native), **kw)


def base(provider: str = "postgresql") -> Schema:
    user = Table(
        name="User",
        columns=[
            col("id", default=Default(kind="expression", value="nextval('\"User_id_seq\"')")),
            col("email", "varchar(191)", "string"),
            col("teamId", nullable=True),
        ],
        primary_key=PrimaryKey(name="User_pkey", columns=[IndexColumn(column="id")]),
        foreign_keys=[
            ForeignKey(name="User_teamId_fkey", columns=["teamId"], referenced_table="Team",
                       referenced_columns=["id"]),
        ],
        uniques=[UniqueConstraint(name="User_email_key", columns=[IndexColumn(column="email")])],
        indexes=[Index(name="User_teamId_idx", columns=[IndexColumn(column="teamId")])],
        checks=[CheckConstraint(name="User_id_check", expression="CHECK (id > 0)")],
    )  # fmt: skip
    team = Table(name="Team", columns=[col("id")])
    role = Enum(name="Role", values=[EnumValue(name="USER"), EnumValue(name="ADMIN")])
    return Schema(provider=provider, tables=[team, user], enums=[role])


def render(d: Difference) -> str:
    if d.what == "only":
        return f"{d.where()}: only {'left' if d.left else 'right'}"
    return f"{d.where()}: {d.what} {d.left} != {d.right}"


def user(s: Schema) -> Table:
    table = s.table("User")
    assert table is not None
    return table


def _set(obj, **values) -> None:
    for name, value in values.items():
        setattr(obj, name, value)


ALL: dict = {}
DRIFT = dict(column_order=False, enum_value_order=False, uniques_as_indexes=True, checks=False,
             not_valid=False, fold_referenced_table=True)  # fmt: skip

Change = Callable[[Schema], object]
# fmt: off
CASES: list[tuple[str, Change, dict, list[str]]] = [
    ("equal", lambda s: None, ALL, []),
    ("table only left", lambda s: s.tables.remove(s.table("Team")), ALL,
     ['table "Team": only left']),
    ("table only right", lambda s: s.tables.append(Table(name="Log")), ALL,
     ['table "Log": only right']),
    ("tables by schema and name", lambda s: _set(s.table("Team"), db_schema="x"), ALL,
     ['table "Team": only left', 'table "x.Team": only right']),
    ("a view against a table", lambda s: _set(s.table("Team"), kind="view"), ALL,
     ['table "Team": kind table != view']),
    ("column only left", lambda s: _set(s.table("Team"), columns=[]), ALL,
     ['table "Team" column "id": only left']),
    ("column only right", lambda s: user(s).columns.append(col("bio")), ALL,
     ['table "User" column "bio": only right']),
    ("column type", lambda s: _set(user(s).columns[1].type, native="text"), ALL,
     ['table "User" column "email": type varchar(191) != text']),
    ("type spellings normalised", lambda s: _set(user(s).columns[0].type, native="INTEGER"),
     dict(provider="mysql"), []),
    ("type as written when exact", lambda s: _set(user(s).columns[0].type, native="INTEGER"),
     dict(provider="mysql", normalize=False),
     ['table "User" column "id": type integer != INTEGER']),
    ("kind only when types agree", lambda s: _set(user(s).columns[1].type, kind="text"), ALL,
     ['table "User" column "email": kind string != text']),
    ("array", lambda s: _set(user(s).columns[2].type, array=True), ALL,
     ['table "User" column "teamId": array no != yes']),
    ("nullable", lambda s: _set(user(s).columns[2], nullable=False), ALL,
     ['table "User" column "teamId": nullable yes != no']),
    ("default", lambda s: _set(user(s).columns[2], default=Default(kind="literal", value="1")), ALL,
     ['table "User" column "teamId": default none != 1']),
    ("default null is none",
     lambda s: _set(user(s).columns[2], default=Default(kind="literal", value="NULL")), ALL, []),
    ("sequence names differ",
     lambda s: _set(user(s).columns[0].default, value="nextval('\"u_seq\"')"), ALL,
     ["table \"User\" column \"id\": default nextval('User_id_seq') != nextval('u_seq')"]),
    ("auto-increment", lambda s: _set(user(s).columns[0], auto_increment=True), ALL,
     ['table "User" column "id": auto-increment no != yes']),
    ("column order", lambda s: user(s).columns.reverse(), ALL,
     ['table "User": column order (id, email, teamId) != (teamId, email, id)']),
    ("column order ignored", lambda s: user(s).columns.reverse(), dict(column_order=False), []),
    ("names fold on mysql", lambda s: _set(user(s).columns[1], name="EMAIL"),
     dict(provider="mysql"),
     ['table "User" column "email": name email != EMAIL']),
    ("names do not fold on postgresql", lambda s: _set(user(s).columns[1], name="EMAIL"), ALL,
     ['table "User" column "EMAIL": only right', 'table "User" column "email": only left']),
    ("primary key only left", lambda s: _set(user(s), primary_key=None), ALL,
     ['table "User" primary key: only left']),
    ("primary key columns",
     lambda s: user(s).primary_key.columns.append(IndexColumn(column="email")), ALL,
     ['table "User" primary key: columns (id) != (id, email)']),
    ("primary key name", lambda s: _set(user(s).primary_key, name="pk"), ALL,
     ['table "User" primary key: name User_pkey != pk']),
    ("mysql PRIMARY is no name", lambda s: _set(user(s).primary_key, name="PRIMARY"),
     dict(provider="mysql"), ['table "User" primary key: name User_pkey != none']),
    ("foreign key actions", lambda s: _set(user(s).foreign_keys[0], on_delete="Cascade"), ALL,
     ['table "User" foreign key "User_teamId_fkey": on delete NoAction != Cascade']),
    ("foreign key target", lambda s: _set(user(s).foreign_keys[0], referenced_table="Org"), ALL,
     ['table "User" foreign key "User_teamId_fkey": references Team != Org']),
    ("target folds under drift", lambda s: _set(user(s).foreign_keys[0], referenced_table="team"),
     dict(provider="sqlite", **DRIFT), []),
    ("target kept by default", lambda s: _set(user(s).foreign_keys[0], referenced_table="team"),
     dict(provider="sqlite"),
     ['table "User" foreign key "user_teamid_fkey": references Team != team']),
    ("not valid", lambda s: _set(user(s).foreign_keys[0], not_valid=True), ALL,
     ['table "User" foreign key "User_teamId_fkey": not valid no != yes']),
    ("not valid ignored", lambda s: _set(user(s).foreign_keys[0], not_valid=True),
     dict(not_valid=False), []),
    ("unnamed foreign keys by columns and target", lambda s: _set(user(s).foreign_keys[0], name=""),
     ALL, ['table "User" foreign key "(teamId) -> Team": only right',
           'table "User" foreign key "User_teamId_fkey": only left']),
    ("unique columns", lambda s: user(s).uniques[0].columns.append(IndexColumn(column="id")), ALL,
     ['table "User" unique "User_email_key": columns (email) != (email, id)']),
    ("unique as an index", lambda s: _unique_as_index(s), DRIFT, []),
    ("unique apart from indexes", lambda s: _unique_as_index(s), ALL,
     ['table "User" unique "User_email_key": only left',
      'table "User" index "User_email_key": only right']),
    ("index sort", lambda s: _set(user(s).indexes[0].columns[0], sort="desc"), ALL,
     ['table "User" index "User_teamId_idx": columns (teamId) != (teamId desc)']),
    ("index asc is no sort", lambda s: _set(user(s).indexes[0].columns[0], sort="asc"), ALL, []),
    ("index method", lambda s: _set(user(s).indexes[0], method="hash"), ALL,
     ['table "User" index "User_teamId_idx": method btree != hash']),
    ("index btree is no method", lambda s: _set(user(s).indexes[0], method="btree"), ALL, []),
    ("index predicate", lambda s: _set(user(s).indexes[0], predicate='"teamId" > 0'), ALL,
     ['table "User" index "User_teamId_idx": predicate none != "teamId">0']),
    ("index include", lambda s: _set(user(s).indexes[0], include=["email"]), ALL,
     ['table "User" index "User_teamId_idx": include () != (email)']),
    ("index unique", lambda s: _set(user(s).indexes[0], unique=True), ALL,
     ['table "User" index "User_teamId_idx": unique no != yes']),
    ("check expression", lambda s: _set(user(s).checks[0], expression="CHECK (id > 1)"), ALL,
     ['table "User" check "User_id_check": expression id>0 != id>1']),
    ("check NOT VALID is the same check",
     lambda s: _set(user(s).checks[0], expression="CHECK (id > 0) NOT VALID"), ALL, []),
    ("checks ignored", lambda s: user(s).checks.clear(), dict(checks=False), []),
    ("enum only left", lambda s: s.enums.clear(), ALL, ['enum "Role": only left']),
    ("enum values in order", lambda s: s.enums[0].values.reverse(), ALL,
     ['enum "Role": values (USER, ADMIN) != (ADMIN, USER)']),
    ("enum values as a set", lambda s: s.enums[0].values.reverse(),
     dict(enum_value_order=False), []),
    ("enum value only right", lambda s: s.enums[0].values.append(EnumValue(name="GUEST")),
     dict(enum_value_order=False), ['enum "Role" value "GUEST": only right']),
    ("right side's other schemas left out",
     lambda s: s.tables.append(Table(name="T", db_schema="audit")), dict(right_schemas={None}), []),
]
# fmt: on


def _unique_as_index(s: Schema) -> None:
    """The unique constraint written as a unique index of the same name and columns."""
    user(s).uniques.clear()
    user(s).indexes.append(
        Index(name="User_email_key", columns=[IndexColumn(column="email")], unique=True)
    )


@pytest.mark.parametrize(("change", "policy", "expected"), [c[1:] for c in CASES],
                         ids=[c[0] for c in CASES])  # fmt: skip
def test_compare(change: Change, policy: dict, expected: list[str]) -> None:
    provider = policy.get("provider", "postgresql")
    left, right = base(provider), base(provider)
    change(right)
    assert [render(d) for d in compare(left, right, Policy(**policy))] == expected


def test_a_difference_names_its_object_by_key_or_by_its_own_spelling() -> None:
    left, right = base("mysql"), base("mysql")
    user(right).columns[1].type.native = "text"
    user(right).columns[1].name = "EMAIL"
    (d, _name) = compare(left, right, Policy(provider="mysql"))
    assert (d.key, d.name, d.where(), d.where(by_key=False)) == (
        "email", "email", 'table "User" column "email"', 'table "User" column "email"'
    )  # fmt: skip


def test_views_compare_by_name_and_kind_only() -> None:
    left, right = base(), base()
    for s in (left, right):
        s.tables.append(Table(name="V", kind="view", columns=[col("a")]))
    right.tables[-1].columns.append(col("b"))
    assert compare(left, right) == []


def test_drift_policy_hook_rewrites_defaults() -> None:
    class SequenceBlind(Policy):
        def default_text(self, text: str) -> str | None:
            return "nextval(sequence)" if text.startswith("nextval(") else text

    left, right = base(), base()
    user(right).columns[0].default.value = "nextval('\"other_seq\"')"  # type: ignore[union-attr]
    assert compare(left, right, SequenceBlind()) == []


# fmt: off
PAIRS = [
    ("by key, both orders kept", ["a", "b", "c"], ["c", "d", "a"], ((2, 0), (0, 2)), (1,), (1,)),
    ("nothing in common", ["a"], ["b"], (), (0,), (0,)),
    ("a duplicate left key pairs with the last", ["a", "a"], ["a"], ((1, 0),), (), ()),
]
# fmt: on


@pytest.mark.parametrize(("left", "right", "pairs", "left_only", "right_only"),
                         [p[1:] for p in PAIRS], ids=[p[0] for p in PAIRS])  # fmt: skip
def test_pair(left, right, pairs, left_only, right_only) -> None:
    got = pair(left, right, key=str.lower)
    assert (got.pairs, got.left_only, got.right_only) == (pairs, left_only, right_only)


def test_pair_sorted_lists_each_key_once() -> None:
    assert pair_sorted(["b", "a"], ["c", "b"], str) == [
        ("a", "a", None), ("b", "b", "b"), ("c", None, "c")
    ]  # fmt: skip


def _initial(x: str, y: str) -> bool:
    return x[0] == y[0]


# fmt: off
SHAPES = [
    ("a new name pairs up", ["a1"], ["a2"], True, ((0, 0),), (), ()),
    ("each right item once", ["a1", "a2", "b1"], ["a9", "b9"], True, ((0, 0), (2, 1)), (), ()),
    ("or many times", ["a1", "a2"], ["a9"], False, ((0, 0), (1, 0)), (), ()),
    ("alone: the same as nothing", ["a1", "c1"], ["a9", "b9"], True, ((0, 0),), (1,), (1,)),
]
# fmt: on


@pytest.mark.parametrize(("left", "right", "one_to_one", "pairs", "left_only", "right_only"),
                         [p[1:] for p in SHAPES], ids=[p[0] for p in SHAPES])  # fmt: skip
def test_pair_by_shape(left, right, one_to_one, pairs, left_only, right_only) -> None:
    got = pair_by_shape(left, right, _initial, one_to_one=one_to_one)
    assert (got.pairs, got.left_only, got.right_only) == (pairs, left_only, right_only)

"""server/verify/compare.py: two schemas in, differences in words out."""

from __future__ import annotations

from schemasense.codegen.dialects.sql_types import column_type
from schemasense.codegen.schema import (
    CheckConstraint,
    Column,
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
from schemasense.server.verify.compare import compare, format_differences


def col(name: str, native: str, provider: str = "postgresql", **kw) -> Column:
    return Column(name=name, type=column_type(provider, native, ("Role",)), **kw)


def expr(text: str) -> Default:
    return Default(kind="expression", value=text)


def user(**changes) -> Table:
    table = Table(
        name="User",
        columns=[
            col("id", "integer", default=expr("nextval('\"User_id_seq\"'::regclass)"),
                auto_increment=True),
            col("email", "character varying(191)"),
            col("role", '"Role"', default=expr("'USER'::\"Role\"")),
            col("createdAt", "timestamp(3) without time zone", default=expr("CURRENT_TIMESTAMP")),
            col("teamId", "integer", nullable=True),
        ],
        primary_key=PrimaryKey(name="User_pkey", columns=[IndexColumn(column="id")]),
        foreign_keys=[
            ForeignKey(name="User_teamId_fkey", columns=["teamId"], referenced_table="Team",
                       referenced_columns=["id"], on_delete="SetNull", on_update="Cascade"),
        ],
        uniques=[UniqueConstraint(name="User_x_key", columns=[IndexColumn(column="email")])],
        indexes=[
            Index(name="User_email_key", columns=[IndexColumn(column="email")], unique=True),
            Index(name="User_lower_idx", columns=[IndexColumn(expression='lower("email")')],
                  method="btree", predicate='("teamId" IS NULL)'),
        ],
        checks=[CheckConstraint(name="User_check", expression="CHECK (id > 0)")],
    )  # fmt: skip
    return table.model_copy(update=changes)


def schema(*tables: Table, enums=None, provider="postgresql") -> Schema:
    if enums is None:
        enums = [Enum(name="Role", values=[EnumValue(name="USER"), EnumValue(name="ADMIN")])]
    return Schema(provider=provider, tables=list(tables), enums=enums)


def diff(left: Schema, right: Schema) -> list[str]:
    return [str(d) for d in compare(left, right)]


def test_equal_schemas_have_no_differences():
    assert diff(schema(user()), schema(user())) == []


def test_spellings_of_the_same_thing_are_equal():
    replayed = user()
    replayed.columns[0].default = expr("nextval('\"User_id_seq\"')")
    replayed.columns[2].default = expr("'USER'")
    replayed.columns[3].default = expr("current_timestamp")
    replayed.indexes[1].method = None
    replayed.indexes[1].predicate = '"teamId" IS NULL'
    replayed.indexes[1].columns[0].expression = 'LOWER("email")'
    replayed.indexes[0].columns[0].sort = "asc"
    assert diff(schema(replayed), schema(user())) == []


def test_missing_and_extra_objects():
    left = schema(user(), Table(name="Old"))
    right = schema(user(), Table(name="New", kind="view"))
    assert diff(left, right) == [
        'table "New": only in the database',
        'table "Old": only in the replay',
    ]


def test_column_differences_read_as_sentences():
    replayed = user()
    replayed.columns[1] = col("email", "character varying(255)")
    replayed.columns[4] = col("teamId", "integer", nullable=False, default=expr("0"))
    assert diff(schema(replayed), schema(user())) == [
        'table "User" column "email": type character varying(255) (replay) '
        "!= character varying(191) (database)",
        'table "User" column "teamId": nullable no (replay) != yes (database)',
        'table "User" column "teamId": default 0 (replay) != none (database)',
    ]


def test_column_order():
    replayed = user()
    replayed.columns = [replayed.columns[1], replayed.columns[0], *replayed.columns[2:]]
    (only,) = diff(schema(replayed), schema(user()))
    assert only.startswith('table "User": column order (email, id,')


def test_keys_and_constraints():
    replayed = user(
        primary_key=PrimaryKey(name="User_pk", columns=[IndexColumn(column="id")]),
        foreign_keys=[
            ForeignKey(name="User_teamId_fkey", columns=["teamId"], referenced_table="Team",
                       referenced_columns=["id"], on_delete="Cascade", on_update="Cascade",
                       not_valid=True),
        ],
        uniques=[UniqueConstraint(name="User_x_key", columns=[IndexColumn(column="id")])],
        checks=[],
    )  # fmt: skip
    assert diff(schema(replayed), schema(user())) == [
        'table "User" primary key: name User_pk (replay) != User_pkey (database)',
        'table "User" foreign key "User_teamId_fkey": on delete Cascade (replay) '
        "!= SetNull (database)",
        'table "User" foreign key "User_teamId_fkey": not valid yes (replay) != no (database)',
        'table "User" unique "User_x_key": columns (id) (replay) != (email) (database)',
        'table "User" check "User_check": only in the database',
    ]


def test_indexes():
    replayed = user()
    replayed.indexes[0] = Index(
        name="User_email_key", columns=[IndexColumn(column="email", sort="desc")], method="hash"
    )
    replayed.indexes[1].predicate = None
    assert diff(schema(replayed), schema(user())) == [
        'table "User" index "User_email_key": columns (email desc) (replay) != (email) (database)',
        'table "User" index "User_email_key": unique no (replay) != yes (database)',
        'table "User" index "User_email_key": method hash (replay) != btree (database)',
        'table "User" index "User_lower_idx": predicate none (replay) '
        '!= "teamId" is null (database)',
    ]


def test_enum_values_in_order():
    swapped = [Enum(name="Role", values=[EnumValue(name="ADMIN"), EnumValue(name="USER")])]
    assert diff(schema(enums=swapped), schema()) == [
        'enum "Role": values (ADMIN, USER) (replay) != (USER, ADMIN) (database)'
    ]


def test_mysql_names_fold_case_and_display_widths_and_primary():
    def table(column: str, native: str, pk_name: str | None) -> Table:
        return Table(
            name="t",
            columns=[col(column, native, "mysql", default=expr("CURRENT_TIMESTAMP(0)"))],
            primary_key=PrimaryKey(name=pk_name, columns=[IndexColumn(column=column)]),
        )

    left = schema(table("ID", "int(11)", "PRIMARY"), enums=[], provider="mysql")
    right = schema(table("id", "int", None), enums=[], provider="mysql")
    right.tables[0].columns[0].default = expr("current_timestamp()")
    assert diff(left, right) == ['table "t" column "id": name ID (replay) != id (database)']


def test_format_differences_limits():
    left = schema(*(Table(name=f"T{i}") for i in range(5)))
    text = format_differences(compare(left, schema()), limit=2)
    assert text.splitlines() == [
        'table "T0": only in the replay',
        'table "T1": only in the replay',
        "... and 3 more",
    ]


def test_exact_compares_text_as_written():
    replayed = user()
    replayed.columns[2].default = expr("'USER'")
    replayed.indexes[1].predicate = '"teamId" IS NULL'
    assert compare(schema(replayed), schema(user())) == []
    assert [str(d) for d in compare(schema(replayed), schema(user()), exact=True)] == [
        'table "User" column "role": default \'USER\' (replay) != \'USER\'::"Role" (database)',
        'table "User" index "User_lower_idx": predicate "teamId" IS NULL (replay) '
        '!= ("teamId" IS NULL) (database)',
    ]

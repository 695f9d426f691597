"""DB104 float-for-money."""

from __future__ import annotations

from inline_snapshot import snapshot

from tests.server.rules.helpers import POSTGRES, SQLITE, check, fixed, lint


def test_ok_rates_percentages_and_decimals():
    schema = POSTGRES + (
        "model Tax {\n  id Int @id\n  taxRate Float\n  discountPercent Float\n"
        "  price Decimal\n  latitude Float\n  totalCount Float\n}\n"
    )
    assert lint(schema, "DB104") == []


def test_err_money_words_in_any_case_style():
    schema = POSTGRES + (
        "model Invoice {\n  id Int @id\n  unitPrice Float\n  total_amount Float @db.Real\n"
        '  fee Float @map("fee_usd")\n}\n'
    )
    assert check(schema, "DB104") == snapshot("""\
schema.prisma:7:3: warning[DB104] `Invoice.unitPrice` holds money in a floating-point column
  |
7 |   unitPrice Float
  |   ^^^^^^^^^^^^^^^
  = help: use Decimal (numeric) or an integer number of cents

schema.prisma:8:3: warning[DB104] `Invoice.total_amount` holds money in a floating-point column
  |
8 |   total_amount Float @db.Real
  |   ^^^^^^^^^^^^^^^^^^^^^^^^^^^
  = help: use Decimal (numeric) or an integer number of cents

schema.prisma:9:3: warning[DB104] `Invoice.fee` holds money in a floating-point column
  |
9 |   fee Float @map("fee_usd")
  |   ^^^^^^^^^^^^^^^^^^^^^^^^^
  = help: use Decimal (numeric) or an integer number of cents
""")


def test_fix_to_decimal_with_native_type():
    schema = (
        POSTGRES
        + "model Invoice {\n  id    Int    @id\n  total Float? @db.DoublePrecision\n  price Float\n}\n"
    )
    assert fixed(schema, "DB104") == snapshot("""\
datasource db {
  provider = "postgresql"
}

model Invoice {
  id    Int    @id
  total Decimal? @db.Decimal(19, 4)
  price Decimal @db.Decimal(19, 4)
}
""")


def test_fix_on_sqlite_has_no_native_type():
    schema = SQLITE + "model Invoice {\n  id    Int   @id\n  price Float\n}\n"
    assert fixed(schema, "DB104") == snapshot("""\
datasource db {
  provider = "sqlite"
}

model Invoice {
  id    Int   @id
  price Decimal
}
""")


def test_extra_words_option():
    schema = POSTGRES + "model A {\n  id Int @id\n  bounty Float\n}\n"
    assert lint(schema, "DB104") == []
    config = '[rules.float-for-money]\nextra-words = ["bounty"]\n'
    assert [f.code for f in lint(schema, "DB104", config=config)] == ["DB104"]

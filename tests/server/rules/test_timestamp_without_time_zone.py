"""DB105 timestamp-without-time-zone."""

from __future__ import annotations

from inline_snapshot import snapshot

from tests.server.rules.helpers import MYSQL, POSTGRES, check, fixed, lint


def test_ok_timestamptz_and_other_providers():
    assert (
        lint(
            POSTGRES
            + "model A {\n  id Int @id\n  at DateTime @db.Timestamptz(3)\n  d DateTime @db.Date\n}\n",
            "DB105",
        )
        == []
    )
    assert lint(MYSQL + "model A {\n  id Int @id\n  at DateTime\n}\n", "DB105") == []


def test_err():
    schema = (
        POSTGRES
        + "model Booking {\n  id        Int      @id\n  startTime DateTime\n  endTime   DateTime? @db.Timestamp(6)\n}\n"
    )
    assert check(schema, "DB105") == snapshot("""\
schema.prisma:7:3: warning[DB105] `Booking.startTime` is a timestamp without time zone
  |
7 |   startTime DateTime
  |   ^^^^^^^^^^^^^^^^^^
  = help: store an instant: @db.Timestamptz(3) (timestamptz)

schema.prisma:8:3: warning[DB105] `Booking.endTime` is a timestamp without time zone
  |
8 |   endTime   DateTime? @db.Timestamp(6)
  |   ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
  = help: store an instant: @db.Timestamptz(6) (timestamptz)
""")


def test_fix_adds_or_replaces_the_native_type():
    schema = POSTGRES + (
        "model Booking {\n  id        Int       @id\n  startTime DateTime\n"
        "  endTime   DateTime? @db.Timestamp(6)\n  createdAt DateTime  @default(now())\n"
        "  list      DateTime[]\n}\n"
    )
    assert fixed(schema, "DB105") == snapshot("""\
datasource db {
  provider = "postgresql"
}

model Booking {
  id        Int       @id
  startTime DateTime @db.Timestamptz(3)
  endTime   DateTime? @db.Timestamptz(6)
  createdAt DateTime  @default(now()) @db.Timestamptz(3)
  list      DateTime[] @db.Timestamptz(3)
}
""")

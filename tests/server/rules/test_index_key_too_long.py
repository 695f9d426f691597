"""DB110 index-key-too-long."""

from __future__ import annotations

from inline_snapshot import snapshot

from tests.server.rules.helpers import MYSQL, POSTGRES, check, lint


def test_ok_fits_and_prefix_lengths_and_other_providers():
    schema = MYSQL + (
        "model Link {\n  id Int @id\n  domain String @db.VarChar(255)\n  url String @db.VarChar(1000)\n\n"
        "  @@index([domain, url(length: 500)])\n  @@index([domain])\n}\n"
    )
    assert lint(schema, "DB110") == []
    assert lint(schema.replace("mysql", "postgresql").replace("(length: 500)", ""), "DB110") == []


def test_err():
    schema = MYSQL + (
        "model Link {\n  id     Int    @id\n  domain String @db.VarChar(255)\n  url    String @db.VarChar(1000)\n\n"
        "  @@unique([domain, url])\n}\n"
    )
    assert check(schema, "DB110") == snapshot("""\
schema.prisma:10:3: error[DB110] The key of unique constraint `Link_domain_url_key` (domain, url) on `Link` can be 5,020 bytes; InnoDB allows 3,072
   |
10 |   @@unique([domain, url])
   |   ^^^^^^^^^^^^^^^^^^^^^^^
   = help: shorten the columns, index a prefix (length: n), or index a hash
""")


def test_option_bytes_per_character():
    schema = MYSQL + "model L {\n  id Int @id\n  u String @db.VarChar(1000)\n\n  @@index([u])\n}\n"
    assert len(lint(schema, "DB110")) == 1
    assert (
        lint(schema, "DB110", config="[rules.index-key-too-long]\nbytes-per-character = 3\n") == []
    )
    assert POSTGRES

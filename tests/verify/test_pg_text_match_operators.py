"""PostgreSQL prints a pattern match on a varchar column as a match on text, both sides cast
(`((email)::text ~~ '%@%'::text)`: there is no varchar `~~` operator), and a `character` column
with its own operator, uncast. The replay must print the same, or every such CHECK of a TypeORM
entity (`@Check(`"email" LIKE '%@%'`)`) is a false difference. Likewise `substring(x from 1 for
9)` keeps its SQL syntax in an index (`SUBSTRING(x FROM 1 FOR 9)`, flowise's chat_flow name
index), and `substring(x, 1, 9)` prints as a call. An integer constant beside a numeric or float
column is cast (`(balance >= (0)::numeric)`: there is no numeric-integer operator), beside a
bigint it is not."""

from __future__ import annotations

from schemasense.server.migrations.model import MigrationFile, MigrationSet
from schemasense.server.migrations.replay import replay
from schemasense.server.verify.apply import apply_postgres
from schemasense.server.verify.compare import compare, format_differences
from schemasense.server.verify.databases import connect, introspect

SQL = """CREATE TABLE "t" (
  "e" varchar(10), "c" char(3), "x" text,
  CONSTRAINT "a" CHECK ("e" LIKE 'a%'), CONSTRAINT "b" CHECK ("c" LIKE 'b%'),
  CONSTRAINT "r" CHECK ("e" ~ 'x'), CONSTRAINT "l" CHECK ('a' LIKE "e"),
  CONSTRAINT "i" CHECK ("e" NOT ILIKE 'q%'), CONSTRAINT "x" CHECK ("x" LIKE 'q')
);
CREATE INDEX "s1" ON "t" (substring("x" from 1 for 255));
CREATE INDEX "s2" ON "t" (substring("x", 2, 3));
CREATE INDEX "s3" ON "t" (substring("e" from 2));
CREATE TABLE "n" (
  "a" numeric(12,2), "b" double precision, "c" bigint, "d" real,
  CONSTRAINT "n1" CHECK ("a" >= 0), CONSTRAINT "n2" CHECK ("b" < 10),
  CONSTRAINT "n3" CHECK ("c" > 0),
  CONSTRAINT "n4" CHECK ("a" + 1 > 2.5), CONSTRAINT "n5" CHECK (0 <= "d")
);
"""


def test_pattern_matches_and_substring_print_as_postgresql_prints_them(postgres_server) -> None:
    with postgres_server.scratch() as url:
        conn = connect(url, autocommit=False)
        try:
            apply_postgres(conn, SQL)
        finally:
            conn.close()
        database = introspect(url)
    file = MigrationFile(path="/m/1.sql", name="1", version="1", up_text=SQL)
    ours = replay(MigrationSet("plain", "postgresql", "/m", [file])).schema
    differences = compare(ours, database, provider="postgresql", exact=True)
    assert not differences, format_differences(differences)
    checks = {c.name for c in database.table("t").checks}
    assert checks == {"a", "b", "r", "l", "i", "x"}

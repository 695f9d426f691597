"""A renamed column is renamed in the expressions PostgreSQL keeps: a CHECK, an expression
index, a partial index's predicate (TypeORM's `changeColumn` renames in place, and `RENAME
COLUMN` in any migration does the same). The replay must print the new name as PostgreSQL
does, quoted where it must be, and leave strings, functions and types alone."""

from __future__ import annotations

from schemasense.server.migrations.model import MigrationFile, MigrationSet
from schemasense.server.migrations.replay import replay
from schemasense.server.verify.apply import apply_postgres
from schemasense.server.verify.compare import compare, format_differences
from schemasense.server.verify.databases import connect, introspect

SQL = """CREATE TABLE "t" (
  "amount" integer, "lower" text, "note" text,
  CONSTRAINT "c1" CHECK ("amount" <> 0 AND "note" <> 'amount'),
  CONSTRAINT "c2" CHECK (lower("lower") <> 'x')
);
CREATE INDEX "i1" ON "t" (lower("note")) WHERE "amount" > 1;
CREATE INDEX "i2" ON "t" (("amount" + 1));
ALTER TABLE "t" RENAME COLUMN "amount" TO "totalCents";
ALTER TABLE "t" RENAME COLUMN "lower" TO "label";
ALTER TABLE "t" RENAME COLUMN "note" TO "memo";
"""


def test_renamed_columns_are_renamed_in_expressions(postgres_server) -> None:
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
    checks = {c.name: c.expression for c in ours.table("t").checks}
    assert '"totalCents"' in checks["c1"] and "'amount'" in checks["c1"]

"""PostgreSQL's EXCLUDE constraints (TypeORM's `@Exclusion`, `XCL_<sha1>`) are known to the
replay by name: dropping or renaming one a migration created is no error (it used to be DB051,
"does not exist"), dropping an unknown one still is, and none reaches the schema model (which
has no place for them, so drift compares neither side's)."""

from __future__ import annotations

from schemasense.server.migrations.model import MigrationFile, MigrationSet
from schemasense.server.migrations.replay import replay

CREATE = """CREATE TABLE "booking" ("id" serial PRIMARY KEY, "room" int NOT NULL,
  "during" tstzrange NOT NULL,
  CONSTRAINT "XCL_0a1b" EXCLUDE USING gist ("room" WITH =, "during" WITH &&));
ALTER TABLE "booking" ADD CONSTRAINT "XCL_2c3d" EXCLUDE USING gist ("during" WITH &&);"""


def _replay(*texts: str):
    files = [MigrationFile(f"/m/{i}.sql", str(i), str(i), text) for i, text in enumerate(texts, 1)]
    return replay(MigrationSet("plain", "postgresql", "/m", files))


def test_dropping_and_renaming_known_exclusions_is_no_error() -> None:
    result = _replay(
        CREATE,
        'ALTER TABLE "booking" RENAME CONSTRAINT "XCL_2c3d" TO "booking_during_excl";'
        'ALTER TABLE "booking" DROP CONSTRAINT "XCL_0a1b";'
        'ALTER TABLE "booking" DROP CONSTRAINT "booking_during_excl";',
    )
    assert [f.message for f in result.findings if f.severity == "error"] == []
    (table,) = result.schema.tables
    assert table.checks == [] and table.indexes == []


def test_dropping_an_unknown_or_dropped_exclusion_is_still_an_error() -> None:
    result = _replay(
        CREATE,
        'ALTER TABLE "booking" DROP CONSTRAINT "XCL_0a1b";'
        'ALTER TABLE "booking" DROP CONSTRAINT "XCL_0a1b";',
    )
    errors = [f for f in result.findings if f.severity == "error"]
    assert [f.code for f in errors] == ["DB051"]
    assert "XCL_0a1b" in errors[0].message

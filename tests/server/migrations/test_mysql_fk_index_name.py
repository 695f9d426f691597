"""MySQL's index for a foreign key is named after the `CONSTRAINT` symbol, else after the key's
first column (MySQL 8 manual, "FOREIGN KEY Constraints"; MariaDB names it the same, which
tests/verify/test_sequelize_sync.py sees on a real server), never after the generated
`<table>_ibfk_<n>` of the constraint. And `CHAR(36) BINARY` (Sequelize's UUID on MySQL) is a
char(36) column in a binary collation."""

from __future__ import annotations

from schemasense.server.migrations import MigrationFile, MigrationSet
from schemasense.server.migrations.replay import Replayer
from schemasense.server.migrations.sql.mysql import mysql_type

SQL = """
CREATE TABLE a (id INT PRIMARY KEY, code CHAR(36) BINARY NOT NULL);
CREATE TABLE b (
  x INT, y INT, z INT,
  FOREIGN KEY (x) REFERENCES a (id),
  CONSTRAINT b_y_fk FOREIGN KEY (y) REFERENCES a (id)
);
CREATE TABLE c (x INT, INDEX x (x), z INT, FOREIGN KEY (z) REFERENCES a (id));
"""


def _schema():
    mset = MigrationSet(
        tool="plain", dialect="mysql", root="", files=[MigrationFile("m.sql", "m.sql", None, SQL)]
    )
    result = Replayer(incremental=False).replay(mset)
    assert list(result.findings) == []
    return result.schema


def test_an_unnamed_foreign_key_gets_an_index_named_after_its_column() -> None:
    schema = _schema()
    b = schema.table("b")
    assert [fk.name for fk in b.foreign_keys] == ["b_ibfk_1", "b_y_fk"]
    assert [i.name for i in b.indexes] == ["x", "b_y_fk"]
    assert sorted(i.name for i in schema.table("c").indexes) == ["x", "z"]


def test_a_binary_char_is_a_char() -> None:
    assert mysql_type("CHAR(36) BINARY").native == "char(36)"
    assert mysql_type("VARCHAR(20) BINARY").native == "varchar(20)"
    assert _schema().table("a").column("code").type.native == "char(36)"

"""The SQL DDL reader: a schema file in each dialect -> the declared schema, never raising."""

from __future__ import annotations

from pathlib import Path

import pytest
from schemasense.server.project.config import parse_config
from schemasense.server.project.detection import sniff_sql_dialect
from schemasense.server.sources.sql_ddl.reader import read_ddl

FIXTURES = Path(__file__).resolve().parents[3] / "fixtures" / "sql_ddl"


def _read(name: str, loaded=None):
    path = FIXTURES / name
    return read_ddl({str(path): path.read_text()}, loaded)


def _table(read, name):
    return next(t for t in read.schema.tables if t.name == name)


def test_a_pg_dump_schema_is_read_as_postgresql():
    read = _read("postgresql_dbmate.sql")
    assert (read.dialect, read.dialect_source) == ("postgresql", "sniffed")
    assert read.findings == []
    assert read.schema.provider == "postgresql"
    # dbmate's own table is not part of what the schema declares
    assert [t.name for t in read.schema.tables] == ["accounts", "invoices"]
    accounts = _table(read, "accounts")
    assert accounts.db_schema is None  # `public.` is the default schema
    assert [c.name for c in accounts.columns] == ["id", "email", "display_name", "created_at"]
    # an integer column with nextval() from a sequence it owns is serial
    assert accounts.column("id").auto_increment
    assert accounts.column("email").type.length == 320
    assert accounts.column("created_at").type.timezone is True
    assert accounts.primary_key.name == "accounts_pkey"
    assert [(i.name, i.unique) for i in accounts.indexes] == [("accounts_email_key", True)]
    invoices = _table(read, "invoices")
    [fk] = invoices.foreign_keys
    assert (fk.columns, fk.referenced_table, fk.on_delete) == (
        ["account_id"],
        "accounts",
        "Cascade",
    )
    assert invoices.indexes[0].columns[0].sort == "desc"


def test_column_spans_are_their_own_lines():
    path = FIXTURES / "postgresql_dbmate.sql"
    text = path.read_text()
    read = _read("postgresql_dbmate.sql")
    email = _table(read, "accounts").column("email")
    assert text[email.span.start : email.span.end] == "email character varying(320) NOT NULL"


def test_a_mysql_dump_is_read_as_mysql():
    read = _read("mysql.sql")
    assert (read.dialect, read.dialect_source) == ("mysql", "sniffed")
    assert read.findings == []
    books = _table(read, "books")
    assert books.column("id").auto_increment
    assert books.primary_key.columns[0].column == "id"
    [fk] = books.foreign_keys
    assert (fk.name, fk.referenced_table) == ("books_author_id_fkey", "authors")
    assert "books_title_idx" in [i.name for i in books.indexes]
    assert [i.name for i in _table(read, "authors").indexes] == ["authors_name_key"]


def test_a_sqlite_schema_is_read_as_sqlite():
    read = _read("sqlite.sql")
    assert (read.dialect, read.dialect_source) == ("sqlite", "sniffed")
    assert read.findings == []
    notes = _table(read, "notes")
    [fk] = notes.foreign_keys
    assert (fk.referenced_table, fk.on_delete) == ("folders", "SetNull")
    assert [i.name for i in notes.indexes] == ["notes_title_idx"]


def test_the_configured_dialect_wins_over_sniffing(tmp_path):
    config = tmp_path / "schemasense.toml"
    loaded = parse_config(str(config), '[schema]\npath = "schema.sql"\ndialect = "sqlite"\n')
    read = read_ddl(
        {str(tmp_path / "schema.sql"): "CREATE TABLE t (id integer PRIMARY KEY);"}, loaded
    )
    assert (read.dialect, read.dialect_source) == ("sqlite", "config")


def test_without_any_mark_the_dialect_is_postgresql():
    read = read_ddl({"/p/schema.sql": "CREATE TABLE t (id int PRIMARY KEY);\n"})
    assert (read.dialect, read.dialect_source) == ("postgresql", "default")


@pytest.mark.parametrize(
    ("text", "dialect"),
    [
        ("SET statement_timeout = 0;\nCREATE TABLE public.a (id int);", "postgresql"),
        ("CREATE TABLE a (id bigserial primary key, d jsonb);", "postgresql"),
        ("CREATE TABLE `a` (`id` int) ENGINE=InnoDB;", "mysql"),
        ("CREATE TABLE a (id INTEGER PRIMARY KEY AUTOINCREMENT);", "sqlite"),
        ("CREATE TABLE a (id int);", None),
    ],
)
def test_sniffing(text, dialect):
    assert sniff_sql_dialect(text) == dialect


def test_a_statement_that_does_not_parse_is_a_finding_and_the_rest_is_read():
    text = (
        "CREATE TABLE a (id int PRIMARY KEY);\n"
        "CREATE TABLE b (id int PRIMARY KEY,, oops);\n"
        "CREATE TABLE c (id int PRIMARY KEY);\n"
    )
    read = read_ddl({"/p/schema.sql": text})
    assert [t.name for t in read.schema.tables] == ["a", "c"]
    [finding] = read.findings
    assert finding.message.startswith("Statement could not be parsed as postgresql")
    assert "rest of the file is read" in (finding.help or "")
    bad = text.index("CREATE TABLE b")
    assert finding.span.start == bad
    assert text[finding.span.start : finding.span.end].startswith("CREATE TABLE b")


def test_nothing_raises_on_garbage():
    for text in ("", ";;;", "CREATE", "\x00\x01", "CREATE TABLE (", "ALTER TABLE nope ADD x int;"):
        read = read_ddl({"/p/schema.sql": text})
        assert read.schema is not None

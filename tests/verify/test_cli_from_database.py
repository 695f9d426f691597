"""`schemasense schema --from-database URL --json`: the introspected schema as JSON."""

from __future__ import annotations

import json
import sqlite3

import pytest
from schemasense.codegen.schema import Schema
from schemasense.server import cli
from schemasense.server.verify.apply import apply
from schemasense.server.verify.compare import compare
from schemasense.server.verify.databases import introspect


def test_sqlite_database_as_json(tmp_path, capsys):
    path = tmp_path / "app.db"
    conn = sqlite3.connect(path)
    conn.executescript('CREATE TABLE "User" ("id" INTEGER NOT NULL PRIMARY KEY, "email" TEXT);')
    conn.close()
    assert cli.main(["schema", "--from-database", f"sqlite:///{path}", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    schema = Schema.model_validate(data)
    assert schema.provider == "sqlite"
    assert [c.name for c in schema.table("User").columns] == ["id", "email"]


def test_postgres_database_round_trips(postgres_url, capsys):
    apply(postgres_url, 'CREATE TYPE "R" AS ENUM (\'A\'); CREATE TABLE "T" ("r" "R" NOT NULL);')
    assert cli.main(["schema", "--from-database", postgres_url, "--json"]) == 0
    printed = Schema.model_validate_json(capsys.readouterr().out)
    assert printed == introspect(postgres_url)
    assert printed.table("T").column("r").type.enum == "R"


def test_mysql_database(mysql_url, capsys):
    apply(mysql_url, "CREATE TABLE `t` (`id` INT NOT NULL PRIMARY KEY);")
    assert cli.main(["schema", "--from-database", mysql_url]) == 0
    assert Schema.model_validate_json(capsys.readouterr().out).table("t").primary_key


def test_usage_errors(tmp_path, capsys):
    assert cli.main(["schema", "--from-database", "http://example.invalid/x"]) == 2
    assert "not a database URL" in capsys.readouterr().err
    assert cli.main(["schema", "--from-database", f"sqlite:///{tmp_path}/none.db"]) == 2
    assert "no such SQLite database" in capsys.readouterr().err
    assert cli.main(["schema"]) == 2
    assert cli.main(["schema", str(tmp_path), "--from-database", "sqlite:///x.db"]) == 2
    assert "not both" in capsys.readouterr().err


def test_unreachable_server_is_a_usage_error(capsys):
    url = "postgresql://postgres@127.0.0.1:1/postgres"
    assert cli.main(["schema", "--from-database", url]) == 2
    assert capsys.readouterr().err.startswith(f"schemasense: {url}: ")


MIGRATION = """-- CreateEnum
CREATE TYPE "Role" AS ENUM ('USER', 'ADMIN');

-- CreateTable
CREATE TABLE "User" (
    "id" SERIAL NOT NULL,
    "email" TEXT NOT NULL,
    "role" "Role" NOT NULL DEFAULT 'USER',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "User_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "User_email_key" ON "User"("email");
"""


def test_migrated_and_from_database_print_the_same_shape(postgres_server, tmp_path, capsys):
    pytest.importorskip("schemasense.server.migrations.replay")
    with postgres_server.scratch() as url:
        same_shape(url, tmp_path, capsys)


def same_shape(postgres_url, tmp_path, capsys):
    folder = tmp_path / "prisma" / "migrations"
    (folder / "20240101000000_init").mkdir(parents=True)
    (folder / "20240101000000_init" / "migration.sql").write_text(MIGRATION)
    (folder / "migration_lock.toml").write_text('provider = "postgresql"\n')
    apply(postgres_url, MIGRATION)

    assert cli.main(["schema", str(folder), "--migrated", "--json"]) == 0
    migrated = Schema.model_validate_json(capsys.readouterr().out)
    assert cli.main(["schema", "--from-database", postgres_url, "--json"]) == 0
    database = Schema.model_validate_json(capsys.readouterr().out)
    assert [str(d) for d in compare(migrated, database, exact=True)] == []
    assert migrated.table("User").column("role").default.value == "'USER'::\"Role\""


def test_migrated_wants_one_set(tmp_path, capsys):
    pytest.importorskip("schemasense.server.migrations.replay")
    for name in ("a", "b"):
        (tmp_path / name / "migrations" / "1_init").mkdir(parents=True)
        (tmp_path / name / "migrations" / "1_init" / "migration.sql").write_text("SELECT 1;")
        (tmp_path / name / "migrations" / "migration_lock.toml").write_text(
            'provider = "postgresql"\n'
        )
    assert cli.main(["schema", str(tmp_path), "--migrated"]) == 2
    assert "holds 2 migration sets" in capsys.readouterr().err

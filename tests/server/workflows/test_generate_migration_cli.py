"""`schemasense generate migration`: what it writes, when it refuses, what it prints.

Run through `cli.main` on small projects in `tmp_path` (a schema and, where it matters, a
migrations folder).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from schemasense.codegen.emit.migrations.files import GeneratedFile
from schemasense.server import cli
from schemasense.server.workflows.generate_migration import GenerateError, default_name, write_all

from tests.prisma_project import INIT, SCHEMA


@pytest.fixture
def proj(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    prisma = tmp_path / "prisma"
    init = prisma / "migrations" / "20240101000000_init" / "migration.sql"
    init.parent.mkdir(parents=True)
    init.write_text(INIT)
    (prisma / "migrations" / "migration_lock.toml").write_text('provider = "postgresql"\n')
    (prisma / "schema.prisma").write_text(SCHEMA)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _folders(proj: Path) -> list[str]:
    return sorted(p.name for p in (proj / "prisma" / "migrations").iterdir() if p.is_dir())


def _edit(proj: Path, old: str, new: str) -> None:
    path = proj / "prisma" / "schema.prisma"
    path.write_text(path.read_text().replace(old, new))


def test_writes_migration_and_down(proj: Path, capsys) -> None:
    _edit(proj, "  email String\n", "  email String\n  name  String?\n")
    assert cli.main(["generate", "migration", "--name", "Add name"]) == 0
    written = capsys.readouterr().out.split()
    assert len(written) == 2 and all(w.startswith("prisma/migrations/") for w in written)
    [new] = [f for f in _folders(proj) if f.endswith("_add_name")]
    sql = (proj / "prisma" / "migrations" / new / "migration.sql").read_text()
    assert sql == '-- AlterTable\nALTER TABLE "User" ADD COLUMN     "name" TEXT;\n'
    down = (proj / "prisma" / "migrations" / new / "down.sql").read_text()
    assert 'ALTER TABLE "User" DROP COLUMN "name";' in down
    # and now the migrations build the schema: nothing more to do
    assert cli.main(["generate", "migration"]) == 0
    assert "nothing to generate" in capsys.readouterr().err
    assert len(_folders(proj)) == 2


def test_dry_run_writes_nothing(proj: Path, capsys) -> None:
    _edit(proj, "  email String\n", "  email String @unique\n")
    assert cli.main(["generate", "migration", "--dry-run", "prisma/schema.prisma"]) == 0
    out = capsys.readouterr().out
    assert "--- prisma/migrations/" in out and "_add_user_email_key/migration.sql" in out
    assert 'CREATE UNIQUE INDEX "User_email_key" ON "User"("email");' in out
    assert _folders(proj) == ["20240101000000_init"]


def test_doubtful_rename_needs_a_decision(proj: Path, capsys) -> None:
    _edit(proj, "  email String\n", "  mail  String\n")
    assert cli.main(["generate", "migration"]) == 1
    err = capsys.readouterr().err
    assert "column User.email -> User.mail" in err
    assert "--rename User.email=mail" in err
    assert _folders(proj) == ["20240101000000_init"]
    assert cli.main(["generate", "migration", "--rename", "User.email=mail", "--dry-run"]) == 0
    assert 'RENAME COLUMN "email" TO "mail"' in capsys.readouterr().out
    assert (
        cli.main(["generate", "migration", "--drop-and-add", "User.email=mail", "--dry-run"]) == 0
    )
    assert 'DROP COLUMN "email"' in capsys.readouterr().out


def test_safe_split_and_other_formats(proj: Path, capsys) -> None:
    _edit(proj, "  email String\n", "  email String\n\n  @@index([email])\n")
    assert cli.main(["generate", "migration", "--safe", "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "CREATE INDEX CONCURRENTLY" in out
    assert cli.main(["generate", "migration", "--format", "typeorm", "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "implements MigrationInterface" in out and ".ts\n" in out


def test_no_migrations_yet(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    (tmp_path / "schema.prisma").write_text(SCHEMA)
    monkeypatch.chdir(tmp_path)
    assert cli.main(["generate", "migration"]) == 0
    [folder] = list((tmp_path / "migrations").iterdir())
    assert folder.name.endswith("_create_user")
    sql = (folder / "migration.sql").read_text()
    assert sql.startswith('-- CreateSchema\nCREATE SCHEMA IF NOT EXISTS "public";')


def test_no_schema_is_a_usage_error(tmp_path: Path, capsys) -> None:
    assert cli.main(["generate", "migration", str(tmp_path)]) == 2
    assert "no schema found" in capsys.readouterr().err


def test_schema_with_errors_is_refused(proj: Path, capsys) -> None:
    _edit(proj, "  email String\n", "  email Strin\n")
    assert cli.main(["generate", "migration"]) == 2
    assert "fix them before generating" in capsys.readouterr().err


def test_write_all_or_none(tmp_path: Path) -> None:
    existing = tmp_path / "b" / "x.sql"
    existing.parent.mkdir()
    existing.write_text("keep")
    files = [GeneratedFile(str(tmp_path / "a" / "y.sql"), "1"), GeneratedFile(str(existing), "2")]
    with pytest.raises(GenerateError, match="exists already"):
        write_all(files)
    assert not (tmp_path / "a").exists() and existing.read_text() == "keep"
    ok = [GeneratedFile(str(tmp_path / "c" / "d" / "z.sql"), "3")]
    assert write_all(ok) == [ok[0].path]
    assert Path(ok[0].path).read_text() == "3"
    assert not [n for n in os.listdir(tmp_path / "c" / "d") if n.startswith(".schemasense-")]


@pytest.mark.parametrize(
    ("kinds", "name"),
    [
        ("create", "create_comment"),
        ("add", "add_avatar_url_to_user"),
    ],
)
def test_default_names(kinds: str, name: str) -> None:
    from schemasense.codegen.ddl.operations import (
        AddColumn,
        AlterTable,
        ColumnDef,
        CreateTable,
        TableDef,
    )
    from schemasense.codegen.dialects.sql_type import SqlType

    if kinds == "create":
        ops = [CreateTable(TableDef("Comment", ()))]
    else:
        ops = [AlterTable("User", (AddColumn(ColumnDef("avatarUrl", SqlType("TEXT"), True)),))]
    assert default_name(ops) == name


def test_map_added_is_a_rename(proj: Path, capsys) -> None:
    """Against the replayed migrations (which know no model names), a model or field that
    gains `@@map` / `@map` keeps its data: a rename, without asking."""
    _edit(proj, "  email String\n", '  email String @map("email_address")\n\n  @@map("users")\n')
    assert cli.main(["generate", "migration", "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert 'ALTER TABLE "User" RENAME TO "users";' in out
    assert 'ALTER TABLE "users" RENAME COLUMN "email" TO "email_address";' in out
    assert 'ALTER TABLE "users" RENAME CONSTRAINT "User_pkey" TO "users_pkey";' in out


SAFETY = {"DB201", "DB202", "DB207", "DB222"}
"""Migration-safety rules the safe split answers (indexes CONCURRENTLY, foreign keys NOT VALID,
required columns through a CHECK, a lock_timeout first)."""


@pytest.mark.parametrize("safe", [False, True], ids=["plain", "safe"])
def test_safe_split_satisfies_the_safety_rules(proj: Path, safe: bool, capsys) -> None:
    from schemasense.server.workspace.workspace import Workspace

    _edit(proj, "  email String\n", "  email String @unique\n  city  String\n")
    args = ["generate", "migration", "--name", "change", *(["--safe"] if safe else [])]
    assert cli.main(args) == 0
    capsys.readouterr()
    ours = [str(p) for p in (proj / "prisma" / "migrations").glob("*_change*/migration.sql")]
    findings = Workspace([str(proj)]).check_path(str(proj))
    codes = {f.code for f in findings if f.span.file in ours}
    if safe:
        assert not codes & SAFETY, codes
    else:
        assert {"DB201", "DB207"} <= codes, codes


@pytest.mark.parametrize("tool", ["prisma", "flyway", "golang-migrate", "dbmate", "typeorm"])
def test_a_name_too_long_for_a_file_is_shortened(proj: Path, capsys, tool: str) -> None:
    """Measured before: `--name` of 300 characters gave "internal error: File name too long"."""
    _edit(proj, "  email String\n", "  email String\n  name  String?\n")
    argv = ["generate", "migration", "--name", "add name " * 40, "--format", tool]
    assert cli.main(argv) == 0
    written = capsys.readouterr().out.split()
    assert written
    for path in written:
        assert all(len(part.encode()) <= 255 for part in Path(path).parts), path


TWO_SOURCES = """import { DataSource } from "typeorm";
import { User } from "./user";
import { Note } from "./note";

export const MainSource = new DataSource({
  type: "postgres",
  entities: [User],
  migrations: [__dirname + "/migrations/main/*.ts"],
});

export const LocalSource = new DataSource({
  type: "better-sqlite3",
  database: "local.db",
  entities: [Note],
  migrations: [__dirname + "/migrations/local/*.ts"],
});
"""
ENTITY = """import {{ Column, Entity, PrimaryGeneratedColumn }} from "typeorm";

@Entity()
export class {name} {{
  @PrimaryGeneratedColumn()
  id: number;

  @Column()
  {column}: string;
}}
"""


def two_sources(root: Path) -> Path:
    """A TypeORM project whose data-source.ts declares two DataSources (PostgreSQL and SQLite),
    each with its entities and its migrations folder."""
    src = root / "src"
    (src / "migrations" / "main").mkdir(parents=True)
    (src / "migrations" / "local").mkdir(parents=True)
    (root / "package.json").write_text(
        '{"dependencies": {"typeorm": "^0.3.20", "pg": "^8", "better-sqlite3": "^12"}}'
    )
    (src / "data-source.ts").write_text(TWO_SOURCES)
    (src / "user.ts").write_text(ENTITY.format(name="User", column="email"))
    (src / "note.ts").write_text(ENTITY.format(name="Note", column="body"))
    return src


def test_a_second_data_source_is_chosen_by_its_key(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    """`FILE#Export` (the keys `check` lists) names a DataSource of a file with several; the
    file alone is its first one; an unknown export is a usage error that lists them."""
    src = two_sources(tmp_path)
    source = src / "data-source.ts"
    assert cli.main(["generate", "migration", "--dry-run", f"{source}#LocalSource"]) == 0
    out = capsys.readouterr().out
    assert "/migrations/local/" in out and 'CREATE TABLE "note"' in out
    assert "AUTOINCREMENT" in out and '"user"' not in out  # SQLite, the second one's entities
    assert cli.main(["generate", "migration", "--dry-run", str(source)]) == 0
    out = capsys.readouterr().out
    assert "/migrations/main/" in out and 'CREATE TABLE "user"' in out and "SERIAL" in out
    assert cli.main(["generate", "migration", "--dry-run", f"{source}#Nope"]) != 0
    err = capsys.readouterr().err
    assert "declares no other DataSource `Nope`" in err and f"{source}#LocalSource" in err
    assert cli.main(["generate", "migration", f"{source}#LocalSource", "--name", "Notes"]) == 0
    (written,) = (src / "migrations" / "local").iterdir()
    assert written.name.endswith("-Notes.ts")
    assert list((src / "migrations" / "main").iterdir()) == []


def _tree(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*"))


def test_a_migrations_folder_that_links_out_of_the_project_is_refused(
    proj: Path, tmp_path_factory: pytest.TempPathFactory, capsys
) -> None:
    """A migrations folder that is a symbolic link out of the project (robustness issue, item
    6): a plain message, exit 2, and nothing written in the project or where the link goes."""
    elsewhere = tmp_path_factory.mktemp("elsewhere") / "migrations"
    os.rename(proj / "prisma" / "migrations", elsewhere)
    (proj / "prisma" / "migrations").symlink_to(elsewhere, target_is_directory=True)
    _edit(proj, "  email String\n", "  email String\n  name  String?\n")
    before, outside = _tree(proj), _tree(elsewhere)
    assert cli.main(["generate", "migration", "--name", "Add name"]) == 2
    err = capsys.readouterr().err
    assert "outside the project" in err and "nothing was written" in err
    assert "internal error" not in err and "Traceback" not in err
    assert _tree(proj) == before and _tree(elsewhere) == outside

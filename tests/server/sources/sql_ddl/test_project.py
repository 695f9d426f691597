"""The SQL DDL source in a project: design rules on the declared schema, drift against the
migrations beside it (both sides marked), `check` and `generate migration` from the CLI, and
the seam: who imports the source."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from schemasense.server import cli
from schemasense.server.project.detection import detect
from schemasense.server.workspace.workspace import Workspace

REPO = Path(__file__).resolve().parents[4]

SCHEMA = """\
SET statement_timeout = 0;
SELECT pg_catalog.set_config('search_path', '', false);

CREATE TABLE public.users (
    id bigint NOT NULL,
    email text NOT NULL
);

CREATE SEQUENCE public.users_id_seq START WITH 1 INCREMENT BY 1 NO MINVALUE NO MAXVALUE CACHE 1;

ALTER SEQUENCE public.users_id_seq OWNED BY public.users.id;

CREATE TABLE public.posts (
    id bigint NOT NULL,
    author_id bigint NOT NULL,
    title text NOT NULL
);

CREATE TABLE public.schema_migrations (
    version character varying(128) NOT NULL
);

ALTER TABLE ONLY public.users ALTER COLUMN id SET DEFAULT nextval('public.users_id_seq'::regclass);

ALTER TABLE ONLY public.users
    ADD CONSTRAINT users_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.posts
    ADD CONSTRAINT posts_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.posts
    ADD CONSTRAINT posts_author_id_fkey FOREIGN KEY (author_id) REFERENCES public.users(id);
"""

MIGRATION = """\
-- migrate:up
CREATE TABLE users (
    id bigserial PRIMARY KEY,
    email text NOT NULL
);

CREATE TABLE posts (
    id bigint PRIMARY KEY,
    author_id bigint NOT NULL REFERENCES users (id),
    title text NOT NULL
);

CREATE INDEX posts_author_id_idx ON posts (author_id);

-- migrate:down
DROP TABLE posts;
DROP TABLE users;
"""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A dbmate project: db/schema.sql (pg_dump output) and db/migrations."""
    (tmp_path / "db" / "migrations").mkdir(parents=True)
    (tmp_path / "db" / "schema.sql").write_text(SCHEMA)
    (tmp_path / "db" / "migrations" / "20240101000000_init.sql").write_text(MIGRATION)
    return tmp_path


def _findings(path: Path):
    workspace = Workspace([str(path)], incremental=False)
    return workspace.check_path(str(path))


def test_the_schema_file_is_a_unit_of_its_own(project: Path):
    workspace = Workspace([str(project)])
    [unit] = workspace.units()
    assert unit.kind == "sql_ddl"
    assert unit.files == (str(project / "db" / "schema.sql"),)
    facts = detect(str(project))
    assert facts.sources == ("sql_ddl",)
    assert facts.database == "postgresql"
    assert facts.migrations == ((str(project / "db" / "migrations"), "dbmate"),)


def test_a_design_rule_reports_on_the_ddl_file(tmp_path: Path):
    schema = tmp_path / "schema.sql"
    schema.write_text(
        "CREATE TABLE teams (id bigint PRIMARY KEY);\n"
        "CREATE TABLE members (\n"
        "    id bigint PRIMARY KEY,\n"
        "    team_id bigint NOT NULL REFERENCES teams (id)\n"
        ");\n"
    )
    findings = _findings(tmp_path)
    db101 = [f for f in findings if f.code == "DB101"]
    assert len(db101) == 1
    assert db101[0].span.file == str(schema)
    assert "`members`" in db101[0].message
    # the fix writes Prisma text: a DDL file gets none until the source has an editor
    assert db101[0].fix is None


def test_an_index_in_the_migrations_only_is_drift_on_both_sides(project: Path):
    findings = [f for f in _findings(project) if f.code.startswith("DB3")]
    schema = str(project / "db" / "schema.sql")
    migration = str(project / "db" / "migrations" / "20240101000000_init.sql")
    index_drift = [f for f in findings if "posts_author_id_idx" in f.message]
    assert {f.span.file for f in index_drift} == {schema, migration}
    # each side points at the other
    for f in index_drift:
        assert f.related
    # the serial column, written by pg_dump as nextval(), and dbmate's own table: no drift
    assert not [f for f in findings if "auto-increment" in f.message]
    assert not [f for f in findings if "schema_migrations" in f.message]


def test_check_from_the_cli(project: Path, capsys, monkeypatch):
    monkeypatch.chdir(project)
    assert cli.main(["check", ".", "--format", "json"]) == 0
    out = capsys.readouterr().out
    assert '"path": "db/schema.sql"' in out
    assert '"path": "db/migrations/20240101000000_init.sql"' in out
    assert cli.main(["check", "db/schema.sql"]) == 0


def test_generate_migration_dry_run_writes_dbmate(project: Path, capsys, monkeypatch):
    monkeypatch.chdir(project)
    schema = project / "db" / "schema.sql"
    schema.write_text(
        SCHEMA.replace("    title text NOT NULL\n", "    title text NOT NULL,\n    body text\n")
        + "\nCREATE INDEX posts_author_id_idx ON public.posts USING btree (author_id);\n"
    )
    assert cli.main(["generate", "migration", ".", "--dry-run", "--name", "add body"]) == 0
    out = capsys.readouterr().out
    assert "--- db/migrations/" in out and "_add_body.sql" in out
    assert "-- migrate:up" in out and "-- migrate:down" in out
    assert re.search(r'ALTER TABLE "posts" ADD COLUMN\s+"body" TEXT;', out)
    assert 'DROP COLUMN "body"' in out
    assert "CREATE TABLE" not in out  # the rest is what the migrations build already
    assert not list((project / "db" / "migrations").glob("*add_body*"))


def test_a_ddl_project_without_migrations_gets_dbmate_in_db_migrations(tmp_path, capsys):
    (tmp_path / "db").mkdir()
    (tmp_path / "db" / "schema.sql").write_text("CREATE TABLE t (id bigint PRIMARY KEY);\n")
    assert cli.main(["generate", "migration", str(tmp_path), "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "db/migrations/" in out and "-- migrate:up" in out
    assert 'CREATE TABLE "t"' in out


def _importers(module: str) -> set[str]:
    """Files under server/ and codegen/ that import `module` (or a module below it),
    outside the module's own package."""
    package = module.replace("schemasense.", "").replace(".", "/")
    found = set()
    for folder in ("server", "codegen"):
        for path in (REPO / folder).rglob("*.py"):
            rel = path.relative_to(REPO).as_posix()
            if rel.startswith(package + "/"):
                continue
            tree = ast.parse(path.read_text(), rel)
            for node in ast.walk(tree):
                names = []
                if isinstance(node, ast.Import):
                    names = [a.name for a in node.names]
                elif isinstance(node, ast.ImportFrom) and node.module:
                    names = [node.module]
                if any(n == module or n.startswith(module + ".") for n in names):
                    found.add(rel)
    return found


def test_adding_the_source_touched_only_its_registration():
    """The seam, stated: nothing outside sources/sql_ddl/ names the DDL source but the one
    registration point; everything else reaches it through sources/base.py's registry."""
    assert _importers("schemasense.server.sources.sql_ddl") == {"server/project/sources.py"}
    # the Prisma source is registered at the same place (and used by Prisma-only features)
    assert "server/project/sources.py" in _importers("schemasense.server.sources.prisma")


def test_a_mysql_schema_reads_its_migrations_as_mysql(tmp_path: Path):
    """The DDL file's dialect is the migrations' too (no Prisma datasource to say it)."""
    (tmp_path / "migrations").mkdir()
    (tmp_path / "schema.sql").write_text(
        "CREATE TABLE `users` (\n  `id` int NOT NULL AUTO_INCREMENT,\n"
        "  `email` varchar(191) NOT NULL,\n  PRIMARY KEY (`id`)\n) ENGINE=InnoDB;\n"
    )
    (tmp_path / "migrations" / "000001_users.up.sql").write_text(
        "CREATE TABLE `users` (\n  `id` int NOT NULL AUTO_INCREMENT,\n  PRIMARY KEY (`id`)\n"
        ") ENGINE=InnoDB;\n"
    )
    (tmp_path / "migrations" / "000001_users.down.sql").write_text("DROP TABLE `users`;\n")
    workspace = Workspace([str(tmp_path)], incremental=False)
    [unit] = workspace.units()
    analysis = workspace.analyze(unit)
    [link] = workspace.migrations.links(unit.files, analysis.texts, analysis.config, "mysql")
    assert (link.migration_set.tool, link.migration_set.dialect) == ("golang-migrate", "mysql")
    drift = [f for f in analysis.findings if f.code.startswith("DB3")]
    assert {f.span.file for f in drift} == {str(tmp_path / "schema.sql")}
    assert any("email" in f.message for f in drift)


def test_configured_schema_and_migrations_folders(tmp_path: Path):
    (tmp_path / "sql" / "changes").mkdir(parents=True)
    (tmp_path / "schemasense.toml").write_text(
        '[schema]\npath = "sql/tables.sql"\n\n[migrations]\npath = "sql/changes"\ntool = "flyway"\n'
    )
    (tmp_path / "sql" / "tables.sql").write_text(
        "CREATE TABLE a (id bigint PRIMARY KEY);\nCREATE TABLE b (id bigint PRIMARY KEY);\n"
    )
    (tmp_path / "sql" / "changes" / "V1__a.sql").write_text(
        "CREATE TABLE a (id bigint PRIMARY KEY);\n"
    )
    findings = _findings(tmp_path)
    [missing] = [f for f in findings if f.code == "DB301"]
    assert missing.span.file == str(tmp_path / "sql" / "tables.sql")
    assert '"b"' in missing.message


def test_an_ignore_comment_in_the_ddl_file(tmp_path: Path):
    (tmp_path / "schema.sql").write_text(
        "CREATE TABLE teams (id bigint PRIMARY KEY);\n"
        "-- schemasense-ignore DB101 teams are never deleted\n"
        "CREATE TABLE members (\n"
        "    id bigint PRIMARY KEY,\n"
        "    team_id bigint NOT NULL REFERENCES teams (id)\n"
        ");\n"
    )
    assert [f.code for f in _findings(tmp_path)] == []


def test_schema_migrated_takes_the_dialect_of_the_ddl_file_beside(tmp_path: Path, capsys):
    (tmp_path / "db" / "migrations").mkdir(parents=True)
    table = (
        "CREATE TABLE `a` (`id` int NOT NULL AUTO_INCREMENT, PRIMARY KEY (`id`)) ENGINE=InnoDB;\n"
    )
    (tmp_path / "db" / "schema.sql").write_text(table)
    (tmp_path / "db" / "migrations" / "20240101_a.sql").write_text(
        f"-- migrate:up\n{table}-- migrate:down\nDROP TABLE `a`;\n"
    )
    assert cli.main(["schema", str(tmp_path), "--migrated", "--json"]) == 0
    assert '"provider": "mysql"' in capsys.readouterr().out


def test_drift_on_a_ddl_schema_speaks_of_its_file_not_of_prisma(project: Path):
    findings = [f for f in _findings(project) if f.code.startswith("DB3")]
    assert findings
    for f in findings:
        words = f"{f.message} {f.help or ''}"
        assert "schema.prisma" not in words and "prisma migrate" not in words, words
        assert "@@index" not in words and "prisma db pull" not in words, words
    index_drift = [f for f in findings if "posts_author_id_idx" in f.message]
    assert any("schema.sql" in f.message for f in index_drift)
    assert any("CREATE INDEX" in (f.help or "") for f in index_drift)

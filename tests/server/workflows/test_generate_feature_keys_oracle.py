"""A foreign key and a unique constraint added to tables the project has (issue 15), proved by
each ORM's own runner on a real PostgreSQL whose tables hold rows:

- the project's migrations run first and rows go into the tables the feature changes; then the
  feature's migrations (the safe plan's steps: the key `NOT VALID`, then `VALIDATE CONSTRAINT`
  in a later migration; the unique built `CONCURRENTLY` in a migration of its own) run on them;
- the key is there and validated, the unique refuses a duplicate;
- the ORM has nothing pending: TypeORM's `createSchemaBuilder().log()` is empty, Sequelize's
  `sync()` builds the same catalog from the models; Prisma's validator accepts the schema;
- going down (TypeORM's `undoLastMigration`, `db:migrate:undo`, Prisma's `down.sql`) gives back
  the catalog the project's migrations built.

One database per ORM, one feature each (the descriptions of the fast test).
"""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import pytest
from schemasense.server.verify import databases
from schemasense.server.verify.apply import apply
from schemasense.server.verify.compare import format_differences
from schemasense.server.verify.databases import Unavailable, connect
from schemasense.server.workflows.generate_feature import prepare, write

from tests.oracle.prisma import _node, oracle_available, run_oracle, strip_for_prisma7
from tests.oracle.test_sequelize_generate import CLI, _catalog, _cli, _differences, _sync
from tests.oracle.typeorm.harness import NODE_MODULES, compile_sample, unavailable
from tests.server.workflows.test_generate_feature import KEYS_ON_EXISTING

pytestmark = pytest.mark.oracle

REPO = Path(__file__).resolve().parents[3]
LATER = datetime(2099, 1, 1, tzinfo=UTC)
PHASES = REPO / "tests" / "oracle" / "typeorm" / "run_in_phases.cjs"


def _copy(tmp_path: Path, name: str) -> Path:
    root = tmp_path / name
    shutil.copytree(REPO / "samples" / name, root, ignore=shutil.ignore_patterns("node_modules"))
    return root


def _sql(url: str, *statements: str) -> list[tuple]:
    conn = connect(url)
    try:
        rows: list[tuple] = []
        for s in statements:
            cur = conn.execute(s)
            rows = cur.fetchall() if cur.description else []
        conn.commit()
        return rows
    finally:
        conn.close()


def _validated(url: str, table: str) -> list[tuple]:
    """(constraint, validated) of the table's foreign keys."""
    return _sql(url, f"SELECT conname, convalidated FROM pg_constraint WHERE contype = 'f' AND "
                     f"conrelid = '\"{table}\"'::regclass ORDER BY 1")  # fmt: skip


def _refused(url: str, statement: str) -> str:
    with pytest.raises(Exception) as info:
        _sql(url, statement)
    return str(info.value)


def _as_one_query(url: str, sql: str) -> None:
    """A migration file sent as Prisma's engine sends it on PostgreSQL: one simple query, which
    PostgreSQL runs as one implicit transaction (a file holding only `CREATE INDEX
    CONCURRENTLY` is not wrapped)."""
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(sql.encode())


def _phase(dist: Path, url: str, phase: str, count: int) -> dict:
    proc = subprocess.run(
        [_node() or "node", "--preserve-symlinks", str(PHASES), str(dist / "data-source.js"),
         "AppDataSource", phase, str(count)],
        capture_output=True, text=True, timeout=300, cwd=dist.parent,
        env={**os.environ, "DATABASE_URL": url,
             "NODE_PATH": os.pathsep.join([str(dist.parent / "node_modules"),
                                           str(NODE_MODULES)])},
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def test_typeorm_runs_the_safe_steps_on_rows_and_has_nothing_left(postgres, tmp_path):
    reason = unavailable()
    if reason:
        pytest.skip(reason)
    root = _copy(tmp_path, "typeorm-nest")
    own = len(list((root / "src" / "migrations").glob("*.ts")))
    feature = prepare(str(root), KEYS_ON_EXISTING["typeorm-nest"][0], now=LATER)
    write(feature)
    ours = len([f for f in feature.files if f.kind == "migration"])
    dist = compile_sample(root, tmp_path / "build")  # tsc, strict: the edited entities compile
    with postgres.scratch(prefix="feature") as url:
        assert len(_phase(dist, url, "first", own)["applied"]) == own
        _sql(url,
             "INSERT INTO \"user\" (email, display_name) VALUES ('a@x.org', 'A')",
             "INSERT INTO tag (name) VALUES ('red'), ('blue')",
             "INSERT INTO post (title, slug, body, author_id) SELECT 'post ' || i, 'p-' || i, "
             "'...', (SELECT id FROM \"user\") FROM generate_series(1, 50) i")  # fmt: skip
        before = _catalog(url)
        # the feature's migrations run on the rows; undone in phase two after the checks below,
        # so run them here without undoing first
        result = _phase(dist, url, "first", own + ours)
        assert len(result["applied"]) == ours
        (fk,) = _validated(url, "tag")
        assert fk[1] is True, "the foreign key was left NOT VALID"
        assert "post_title_key" in _refused(
            url, "INSERT INTO post (title, slug, body, author_id) SELECT 'post 1', 'dup', '...', "
                 "id FROM \"user\"")  # fmt: skip
        result = _phase(dist, url, "rest", ours)
        assert result["pending"] == [], "TypeORM would still change the database"
        assert result["undone"] == ours
        back = _differences(_catalog(url), before, "undone", "before", "postgresql")
        assert back == [], format_differences(back)


def test_sequelize_cli_runs_the_safe_steps_on_rows_sync_agrees_undo_restores(postgres, tmp_path):
    if _node() is None or not CLI.exists():
        pytest.skip("node or sequelize-cli is missing (npm install at the repo root)")
    root = _copy(tmp_path, "sequelize-js")
    with (
        postgres.scratch(prefix="feature") as migrated,
        postgres.scratch(prefix="feature") as synced,
    ):
        _cli(root, migrated, "db:migrate")
        _sql(migrated, "INSERT INTO \"Tags\" (name, color) VALUES ('red', '#ff0000'), "
                       "('blue', '#0000ff'), ('none', NULL), ('none2', NULL)")  # fmt: skip
        before = _catalog(migrated)
        feature = prepare(str(root), KEYS_ON_EXISTING["sequelize-js"][0], now=LATER)
        write(feature)
        ours = len([f for f in feature.files if f.kind == "migration"])
        _cli(root, migrated, "db:migrate")
        assert [v for _, v in _validated(migrated, "Tags")] == [True]
        assert "tags_color_key" in _refused(
            migrated, "INSERT INTO \"Tags\" (name, color) VALUES ('again', '#ff0000')"
        )
        _sync(root, synced)
        differences = _differences(_catalog(migrated), _catalog(synced), "migrated", "sync",
                                   "postgresql")  # fmt: skip
        assert differences == [], format_differences(differences)
        for _ in range(ours):
            _cli(root, migrated, "db:migrate:undo")
        back = _differences(_catalog(migrated), before, "undone", "before", "postgresql")
        assert back == [], format_differences(back)


def test_prisma_validates_and_the_safe_steps_apply_on_rows_and_go_down(postgres, tmp_path):
    reason = oracle_available()
    if reason:
        pytest.skip(reason)
    from schemasense.server.workflows import generate_migration

    root = _copy(tmp_path, "prisma-clean")
    assert generate_migration.run_cli(str(root / "prisma" / "schema"), "init",
                                      out=io.StringIO(), err=io.StringIO()) == 0  # fmt: skip
    (init,) = (root / "prisma" / "migrations").glob("*_init")
    feature = prepare(str(root), KEYS_ON_EXISTING["prisma-clean"][0], now=LATER)
    write(feature)
    files = {str(p): strip_for_prisma7(p.read_text())
             for p in sorted((root / "prisma" / "schema").glob("*.prisma"))}  # fmt: skip
    (result,) = run_oracle([files], ops=("lint", "validate"))
    assert result.ok and result.validate_error is None, result.validate_error or result.errors
    folders = sorted(p for p in (root / "prisma" / "migrations").iterdir()
                     if p.is_dir() and p != init)  # fmt: skip
    assert len(folders) >= 3
    with postgres.scratch(prefix="feature") as url:
        apply(url, (init / "migration.sql").read_text())
        _sql(url,
             "INSERT INTO users (id, email, name) VALUES (gen_random_uuid(), 'a@x.org', 'A')",
             "INSERT INTO projects (id, name, owner_id) SELECT gen_random_uuid(), 'p', id "
             "FROM users",
             "INSERT INTO tasks (id, title, project_id, creator_id, updated_at) SELECT "
             "gen_random_uuid(), 'task ' || i, p.id, p.owner_id, now() FROM projects p, "
             "generate_series(1, 50) i")  # fmt: skip
        before = _catalog(url)
        for folder in folders:  # as `prisma migrate deploy` sends each file: one query
            _as_one_query(url, (folder / "migration.sql").read_text())
        assert [v for _, v in _validated(url, "tasks") if _ == "tasks_reviewer_id_fkey"] == [True]
        assert "tasks_title_key" in _refused(
            url,
            "INSERT INTO tasks (id, title, project_id, creator_id, updated_at) SELECT "
            "gen_random_uuid(), 'task 1', project_id, creator_id, now() FROM tasks LIMIT 1",
        )
        for folder in reversed(folders):
            apply(url, (folder / "down.sql").read_text())
        back = _differences(_catalog(url), before, "undone", "before", "postgresql")
        assert back == [], format_differences(back)


@pytest.fixture(autouse=True)
def _prisma_offline(monkeypatch):
    monkeypatch.setenv("PRISMA_SCHEMA_ENGINE_BINARY", "/bin/true")  # no engine download here
    monkeypatch.setenv("CHECKPOINT_DISABLE", "1")


@pytest.mark.parametrize("name", ["prisma-clean"])
def test_verify_runs_the_safe_steps_with_the_project_runner(postgres, tmp_path, name):
    """`--verify` on a server by URL: Prisma's `CREATE INDEX CONCURRENTLY` file sent without a
    transaction (by the runner and by the generated tests' global set-up); every step and the
    generated tests pass, then the files are written, and no scratch database is left. (The
    TypeORM runner in transaction mode "each", which a class that says `transaction = false`
    needs, is proved by the Jest test below, on the same feature.)"""
    from schemasense.server.verify import scratch
    from schemasense.server.workflows.generate_feature import run_cli

    from tests.oracle.generated_tests.harness import TYPEORM_NEEDS, prepare_prisma, prepare_typeorm
    from tests.oracle.generated_tests.harness import unavailable as npm_missing

    needs = TYPEORM_NEEDS if name == "typeorm-nest" else ()
    if npm_missing(*([needs] if needs else [])):
        pytest.skip(npm_missing(*([needs] if needs else [])))
    prepare = prepare_typeorm if name == "typeorm-nest" else prepare_prisma
    root = prepare(REPO / "samples" / name, tmp_path / name)
    before = scratch.leftovers(postgres.url)
    out, err = io.StringIO(), io.StringIO()
    code = run_cli(KEYS_ON_EXISTING[name][0], project=str(root), fmt="json", out=out, err=err,
                   now=LATER, verify=postgres.url)  # fmt: skip
    v = json.loads(out.getvalue())["verify"]
    assert code == 0, err.getvalue() + json.dumps(v, indent=1)[:4000]
    assert all(s["ok"] for s in v["steps"]), v["steps"]
    assert v["failed"] == 0 and v["passed"] > 0, v["tests"]
    written = [p.name for p in root.rglob("*") if "validateforeignkeys" in
               p.name.lower().replace("_", "")]  # fmt: skip
    assert written != []  # the files are written after the proof
    assert scratch.leftovers(postgres.url) == before == []


def test_sequelize_checks_on_an_existing_table_apply_on_rows_and_undo(postgres, tmp_path):
    """CHECKs added to a Sequelize table with rows: sequelize-cli runs the migration, the
    CHECKs refuse a bad row, the catalog is what `sync()` builds but for the CHECKs (a model
    cannot declare them), and `db:migrate:undo` gives the catalog back."""
    if _node() is None or not CLI.exists():
        pytest.skip("node or sequelize-cli is missing (npm install at the repo root)")
    from tests.server.workflows.test_generate_feature import SEQUELIZE_CHECKS

    root = _copy(tmp_path, "sequelize-js")
    with (
        postgres.scratch(prefix="feature") as migrated,
        postgres.scratch(prefix="feature") as synced,
    ):
        _cli(root, migrated, "db:migrate")
        _sql(migrated, "INSERT INTO \"Tags\" (name, color) VALUES ('red', '#ff0000'), "
                       "('none', NULL)")  # fmt: skip
        before = _catalog(migrated)
        write(prepare(str(root), SEQUELIZE_CHECKS, now=LATER))
        _cli(root, migrated, "db:migrate")
        assert "tags_color_check" in _refused(
            migrated, "INSERT INTO \"Tags\" (name, color) VALUES ('bad', 'RED')"
        )
        assert "Tags_weight_check" in _refused(
            migrated, "INSERT INTO \"Tags\" (name, weight) VALUES ('neg', -1)"
        )
        _sync(root, synced)
        differences = [
            d for d in _differences(_catalog(migrated), _catalog(synced), "migrated", "sync",
                                    "postgresql")
            if ' check "' not in d.where  # a model cannot declare CHECKs: the migration adds them
        ]  # fmt: skip
        assert differences == [], format_differences(differences)
        _cli(root, migrated, "db:migrate:undo")
        back = _differences(_catalog(migrated), before, "undone", "before", "postgresql")
        assert back == [], format_differences(back)


def test_verify_runs_under_jest_in_a_jest_project(postgres, tmp_path):
    """A Jest project (jest, @swc/jest in its devDependencies, no Vitest config): the feature's
    tests are Jest's, and `--verify` runs TypeORM's runner and the tests under the project's
    Jest (TypeScript through @swc/jest); the feature is the foreign key and unique on existing
    tables, whose safe steps include `transaction = false` classes (TypeORM's runner in mode
    "each"); every step and test passes, then the files are written with the Jest config
    beside the tests."""
    from schemasense.server.verify import scratch
    from schemasense.server.workflows.generate_feature import run_cli

    from tests.oracle.generated_tests.harness import JEST_NEEDS, TYPEORM_NEEDS, prepare_typeorm
    from tests.oracle.generated_tests.harness import unavailable as npm_missing

    if npm_missing(TYPEORM_NEEDS + JEST_NEEDS):
        pytest.skip(npm_missing(TYPEORM_NEEDS + JEST_NEEDS))
    root = prepare_typeorm(REPO / "samples" / "typeorm-nest", tmp_path / "typeorm-nest")
    package = json.loads((root / "package.json").read_text())
    dev = package.setdefault("devDependencies", {})
    dev.pop("vitest", None)
    dev.update({"jest": "^30.0.0", "@swc/jest": "^0.2.39", "@swc/core": "^1.13.0",
                "@jest/globals": "^30.0.0"})  # fmt: skip
    (root / "package.json").write_text(json.dumps(package, indent=2) + "\n")
    out, err = io.StringIO(), io.StringIO()
    code = run_cli(KEYS_ON_EXISTING["typeorm-nest"][0], project=str(root), fmt="json", out=out,
                   err=err, now=LATER, verify=postgres.url)  # fmt: skip
    data = json.loads(out.getvalue())
    v = data["verify"]
    assert code == 0, err.getvalue() + json.dumps(v, indent=1)[:4000]
    assert all(s["ok"] for s in v["steps"]), v["steps"]
    assert v["failed"] == 0 and v["passed"] >= 10, v["tests"]
    assert {t["name"].split(" > ")[0] for t in v["tests"]} >= {"tag.test.ts", "post.test.ts"}
    assert (root / "test" / "db" / "jest.config.cjs").is_file()
    assert not (root / "test" / "db" / "vitest.config.ts").exists()
    assert '"@jest/globals"' in (root / "test" / "db" / "tag.test.ts").read_text()
    assert scratch.leftovers(postgres.url) == []


# -- MySQL / MariaDB ------------------------------------------------------------------------------

LABELS_MYSQL = """-- Labels: labels users own.
CREATE TABLE labels (
  id integer PRIMARY KEY AUTO_INCREMENT,
  name varchar(50) NOT NULL UNIQUE,
  weight integer NOT NULL DEFAULT 0 CHECK (weight >= 0),
  owner_id {owner} NOT NULL,
  created_at datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  FOREIGN KEY (owner_id) REFERENCES users(id) ON DELETE CASCADE
);
"""

TYPEORM_MARIADB = {
    "package.json": '{"name": "typeorm-mariadb", "private": true, "dependencies": '
    '{"typeorm": "0.3.28", "mysql2": "^3.11.0", "reflect-metadata": "^0.2.2"}, '
    '"devDependencies": {"vitest": "^4.1.0"}}\n',
    "src/data-source.ts": 'import "reflect-metadata";\nimport { DataSource } from "typeorm";\n\n'
    'export const AppDataSource = new DataSource({\n  type: "mariadb",\n'
    '  url: process.env.DATABASE_URL ?? "mysql://root@127.0.0.1:3306/app",\n'
    '  entities: [__dirname + "/entities/*.entity.{ts,js}"],\n'
    '  migrations: [__dirname + "/migrations/*.{ts,js}"],\n});\n',
    "src/entities/user.entity.ts": "import { Column, Entity, PrimaryGeneratedColumn } from "
    '"typeorm";\n\n@Entity("users")\nexport class User {\n  @PrimaryGeneratedColumn()\n'
    '  id!: number;\n\n  @Column({ type: "varchar", length: 320, unique: true })\n'
    "  email!: string;\n}\n",
}


@pytest.fixture(scope="module")
def mariadb():
    try:
        server = databases.mysql_server()
    except Unavailable as exc:
        pytest.skip(str(exc))
    yield server
    server.close()


def _typeorm_mariadb(tmp_path: Path) -> Path:
    """A small TypeORM 0.3 project on MariaDB: a `users` entity and its migration."""
    from schemasense.server.workflows import generate_migration

    source = tmp_path / "typeorm-mariadb-source"
    for name, text in TYPEORM_MARIADB.items():
        (source / name).parent.mkdir(parents=True, exist_ok=True)
        (source / name).write_text(text)
    (source / "src" / "migrations").mkdir()
    init = generate_migration.run_cli(str(source), "init", out=io.StringIO(), err=io.StringIO())
    assert init == 0
    return source


@pytest.mark.parametrize("name", ["typeorm-mariadb", "prisma-clean-mysql"])
def test_mariadb_feature_is_generated_and_verified(mariadb, tmp_path, name):
    """A MySQL/MariaDB project gets its feature (a new table with a foreign key to a project
    table, a UNIQUE and a CHECK, which TypeORM on MySQL does not write and Prisma cannot
    declare: the migration adds it by hand), and `--verify` on a `mysql://` URL of a real
    MariaDB runs the project's runner, the new migration, the generated tests (the CHECK and
    the foreign key refuse their rows), the down migration and the catalog check; then the
    files are written and no scratch database is left."""
    from schemasense.server.verify import scratch
    from schemasense.server.workflows.generate_feature import run_cli

    from tests.oracle.generated_tests.harness import TYPEORM_NEEDS, prepare_prisma, prepare_typeorm
    from tests.oracle.generated_tests.harness import unavailable as npm_missing

    if name == "typeorm-mariadb":
        if npm_missing((*TYPEORM_NEEDS, "mysql2")):
            pytest.skip(npm_missing((*TYPEORM_NEEDS, "mysql2")))
        root = prepare_typeorm(_typeorm_mariadb(tmp_path), tmp_path / name)
        description = LABELS_MYSQL.format(owner="integer")
    else:
        if npm_missing(("mariadb", "@prisma/adapter-mariadb")):
            pytest.skip(npm_missing(("mariadb", "@prisma/adapter-mariadb")))

        def on_mysql(dest: Path) -> None:
            for path in (dest / "prisma" / "schema").glob("*.prisma"):
                text = path.read_text().replace('provider = "postgresql"', 'provider = "mysql"')
                text = text.replace(" @db.Uuid", "").replace(
                    "@db.Timestamptz(3)", "@db.DateTime(3)"
                )
                path.write_text(text)

        root = prepare_prisma(REPO / "samples" / "prisma-clean", tmp_path / name, edit=on_mysql)
        description = LABELS_MYSQL.format(owner="varchar(191)")
    before = scratch.leftovers(mariadb.url)
    out, err = io.StringIO(), io.StringIO()
    code = run_cli(description, project=str(root), fmt="json", out=out, err=err, now=LATER,
                   verify=mariadb.url)  # fmt: skip
    v = json.loads(out.getvalue())["verify"]
    assert code == 0, err.getvalue() + json.dumps(v, indent=1)[:4000]
    assert all(s["ok"] for s in v["steps"]), v["steps"]
    assert v["failed"] == 0, v["tests"]
    names = "\n".join(t["name"] for t in v["tests"])
    assert "check labels_chk_1 refuses weight = -1" in names, names
    assert "refuses a row whose owner does not exist" in names or "does not exist" in names
    assert list(root.rglob("*[Ll]abel*")) != []  # written after the proof
    assert scratch.leftovers(mariadb.url) == before

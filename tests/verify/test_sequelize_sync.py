"""Our reading of Sequelize models equals what `sequelize.sync()` builds: the sample's models
(and the corpus projects whose models Sequelize can load) are synced by Sequelize 6.37.8 itself
into a scratch database (`sequelize_sync.cjs`, under Node), the database is introspected, and
the result is compared with the schema the Sequelize source reads from the same files, object
for object (tables, columns with types, nullability and defaults, primary keys, foreign keys
with their actions, unique constraints and indexes, all by name).

The models are given to Sequelize in file-name order, as sequelize-cli's models/index.js loads
them (`fs.readdirSync`), which decides which of two associations on one key wins."""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from schemasense.server.sources.sequelize.reader import read_models
from schemasense.server.verify.compare import compare, format_differences
from schemasense.server.verify.databases import introspect

from tests.oracle.prisma import REPO_ROOT, _node

pytestmark = pytest.mark.oracle
SCRIPT = Path(__file__).with_name("sequelize_sync.cjs")
SAMPLE = REPO_ROOT / "samples" / "sequelize-js"


def _model_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.glob("*.js") if p.name != "index.js")


def _sync(url: str, files: list[Path], define: dict | None = None) -> dict:
    node = _node()
    if node is None:
        pytest.skip("node is not on PATH (set SCHEMASENSE_NODE to a node binary)")
    if not (REPO_ROOT / "node_modules" / "sequelize").is_dir():
        pytest.skip("node_modules/sequelize is missing (run `npm install` at the repo root)")
    run = subprocess.run(
        [node, str(SCRIPT), str(REPO_ROOT), url, "factory", *map(str, files)],
        capture_output=True,
        text=True,
        timeout=300,
        # model files outside the repository (a variant in tmp) find sequelize here
        env={
            **os.environ,
            "NODE_PATH": str(REPO_ROOT / "node_modules"),
            "SEQUELIZE_DEFINE": json.dumps(define or {}),
        },
    )
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout)


def counts(schema) -> dict[str, int]:
    tables = [t for t in schema.tables]
    return {
        "tables": len(tables),
        "columns": sum(len(t.columns) for t in tables),
        "primary keys": sum(1 for t in tables if t.primary_key),
        "foreign keys": sum(len(t.foreign_keys) for t in tables),
        "uniques": sum(len(t.uniques) for t in tables),
        "indexes": sum(len(t.indexes) for t in tables),
        "defaults": sum(1 for t in tables for c in t.columns if c.default is not None),
        "enums": len(schema.enums),
    }


def test_the_sample_read_equals_what_sync_builds_on_postgres(postgres_url: str) -> None:
    files = _model_files(SAMPLE / "models")
    synced = _sync(postgres_url, files)
    texts = {str(p): p.read_text() for p in files}
    read = read_models(texts, "postgres")
    assert [f for f in read.findings if f.severity == "error"] == []
    database = introspect(postgres_url)
    differences = compare(read.schema, database, provider="postgresql")
    assert differences == [], format_differences(differences)
    assert sorted(synced["tables"].values()) == sorted(t.name for t in read.schema.tables)
    # what was compared, for the report (a sample with every association kind)
    n = counts(database)
    print("\n[sequelize-js on PostgreSQL]", n)
    assert n["tables"] == 8 and n["foreign keys"] == 8 and n["indexes"] == 3


def _variant(tmp_path: Path, replace: dict[str, str]) -> list[Path]:
    """The sample's models with some texts replaced (a type the dialect does not have)."""
    folder = tmp_path / "models"
    folder.mkdir()
    for path in _model_files(SAMPLE / "models"):
        text = path.read_text()
        for old, new in replace.items():
            text = text.replace(old, new)
        (folder / path.name).write_text(text)
    return _model_files(folder)


def test_the_sample_read_equals_what_sync_builds_on_sqlite(sqlite_url: str, tmp_path: Path) -> None:
    files = _model_files(SAMPLE / "models")
    synced = _sync(sqlite_url, files)
    read = read_models({str(p): p.read_text() for p in files}, "sqlite")
    assert [f for f in read.findings if f.severity == "error"] == []
    database = introspect(sqlite_url)
    differences = compare(read.schema, database, provider="sqlite")
    assert differences == [], format_differences(differences)
    assert sorted(synced["tables"].values()) == sorted(t.name for t in read.schema.tables)
    n = counts(database)
    print("\n[sequelize-js on SQLite]", n)
    assert n["tables"] == 8 and n["foreign keys"] == 8


def test_the_sample_read_equals_what_sync_builds_on_mariadb(mysql_url: str, tmp_path: Path) -> None:
    # MariaDB has no JSONB: the sample's one JSONB attribute is JSON here
    files = _variant(tmp_path, {"DataTypes.JSONB": "DataTypes.JSON"})
    synced = _sync(mysql_url, files)
    read = read_models({str(p): p.read_text() for p in files}, "mysql")
    assert [f for f in read.findings if f.severity == "error"] == []
    database = introspect(mysql_url)
    differences = compare(read.schema, database, provider="mysql")
    assert differences == [], format_differences(differences)
    assert sorted(synced["tables"].values()) == sorted(t.name for t in read.schema.tables)
    n = counts(database)
    print("\n[sequelize-js on MariaDB]", n)
    assert n["tables"] == 8 and n["foreign keys"] == 8


def sequelize_cli(url: str, *command: str, project: Path = SAMPLE) -> str:
    """sequelize-cli's `command` on `url`, run in `project` (its .sequelizerc, its config):
    what it printed; the test fails when it fails."""
    node = _node()
    cli = REPO_ROOT / "node_modules" / ".bin" / "sequelize-cli"
    if node is None or not cli.exists():
        pytest.skip("sequelize-cli is not installed (run `npm install` at the repo root)")
    run = subprocess.run(
        [node, str(cli), *command, "--url", url],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    return run.stdout


def test_the_sample_migrations_run_under_sequelize_cli_and_build_the_models(
    postgres_server,
) -> None:
    """The sample's migrations folder is real: sequelize-cli runs it (its .sequelizerc, its
    config) on PostgreSQL, and it builds exactly what the models declare; undone, nothing of
    it is left but sequelize-cli's own SequelizeMeta."""
    with postgres_server.scratch() as url:
        sequelize_cli(url, "db:migrate")
        files = _model_files(SAMPLE / "models")
        read = read_models({str(p): p.read_text() for p in files}, "postgres")
        database = introspect(url)
        migrated = database.model_copy(
            update={"tables": [t for t in database.tables if t.name != "SequelizeMeta"]}
        )
        differences = compare(read.schema, migrated, provider="postgresql")
        assert differences == [], format_differences(differences)
        sequelize_cli(url, "db:migrate:undo:all")
        left = introspect(url)
        assert [t.name for t in left.tables] == ["SequelizeMeta"] and left.enums == []


TS_MODELS = REPO_ROOT / "tests" / "fixtures" / "sequelize_typescript" / "models"
TS_SCRIPT = Path(__file__).with_name("sequelize_ts_sync.cjs")


def _compiled(tmp_path: Path) -> list[Path]:
    """The sequelize-typescript fixture compiled by tsc (decorators with their metadata, as
    such a project builds them); tsc's strictness complaints about the fixture do not stop
    it from writing the JavaScript."""
    tsc = REPO_ROOT / "node_modules" / ".bin" / "tsc"
    if not tsc.exists() or not (REPO_ROOT / "node_modules" / "sequelize-typescript").is_dir():
        pytest.skip("tsc or sequelize-typescript is missing (run `npm install` at the repo root)")
    out = tmp_path / "compiled"
    subprocess.run(
        [
            str(tsc),
            "--experimentalDecorators",
            "--emitDecoratorMetadata",
            "--module", "commonjs",
            "--target", "es2020",
            "--skipLibCheck",
            "--types", "node",
            "--outDir", str(out),
            *map(str, sorted(TS_MODELS.glob("*.ts"))),
        ],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )  # fmt: skip
    files = sorted(out.glob("*.js"))
    assert len(files) == len(list(TS_MODELS.glob("*.ts")))
    return files


def _sync_ts(url: str, files: list[Path]) -> dict:
    node = _node()
    if node is None:
        pytest.skip("node is not on PATH (set SCHEMASENSE_NODE to a node binary)")
    run = subprocess.run(
        [node, str(TS_SCRIPT), url, *map(str, files)],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "NODE_PATH": str(REPO_ROOT / "node_modules")},
    )
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout)


def test_sequelize_typescript_models_read_equal_what_sync_builds(
    postgres_server, sqlite_url: str, tmp_path: Path
) -> None:
    """sequelize-typescript's decorators (`@Table` options, `@Column` with and without a
    DataType, `@PrimaryKey`, `@AutoIncrement`, `@AllowNull`, `@Default`, `@Unique`, `@Index`,
    `@IsEmail`, `@CreatedAt`, `@DeletedAt`, `@ForeignKey` with `@BelongsTo`, `@HasMany` and
    `@BelongsToMany` through a model) read from the TypeScript equal what sequelize-typescript
    itself syncs from the compiled fixture, on PostgreSQL and SQLite."""
    files = _compiled(tmp_path)
    texts = {str(p): p.read_text() for p in sorted(TS_MODELS.glob("*.ts"))}
    with postgres_server.scratch() as postgres_url:
        for url, dialect, provider in (
            (postgres_url, "postgres", "postgresql"),
            (sqlite_url, "sqlite", "sqlite"),
        ):
            _check_ts(url, dialect, provider, files, texts)


def _check_ts(url: str, dialect: str, provider: str, files: list[Path], texts: dict) -> None:
    synced = _sync_ts(url, files)
    read = read_models(texts, dialect)
    assert read.findings == []
    database = introspect(url)
    differences = compare(read.schema, database, provider=provider)
    assert differences == [], format_differences(differences)
    assert sorted(synced["tables"].values()) == sorted(t.name for t in read.schema.tables)
    n = counts(database)
    print(f"\n[sequelize-typescript fixture on {provider}]", n)
    assert n["tables"] == 4 and n["foreign keys"] == 3 and n["indexes"] >= 2


EDGES = REPO_ROOT / "tests" / "fixtures" / "sequelize_edges" / "models"


@contextlib.contextmanager
def _same(url: str) -> Iterator[str]:
    yield url


@pytest.mark.parametrize("dialect", ["postgres", "sqlite", "mysql"])
def test_association_keys_and_options_read_equal_what_sync_builds(
    dialect: str, request: pytest.FixtureRequest, sqlite_url: str
) -> None:
    """Options the sample does not use: `sourceKey` / `targetKey` (keys to a unique column),
    `foreignKey` as an object, `constraints: false`, a self-association and a self
    belongsToMany with `as`, `hasOne` with `as`, `version`, `freezeTableName`, renamed and
    dropped timestamps, `name: { singular, plural }`, `field`, ENUM `values`, literal
    defaults, ordered index fields, and `define: { underscored: true }` from the Sequelize
    instance; on PostgreSQL, SQLite and MariaDB."""
    define = {"underscored": True}
    files = _model_files(EDGES)
    texts = {str(p): p.read_text() for p in files}
    server = None
    if dialect != "sqlite":
        server = request.getfixturevalue(
            "postgres_server" if dialect == "postgres" else "mysql_server"
        )
    provider = {"postgres": "postgresql", "sqlite": "sqlite", "mysql": "mysql"}[dialect]
    with server.scratch() if server is not None else _same(sqlite_url) as url:
        synced = _sync(url, files, define)
        read = read_models(texts, dialect, define)
        assert read.findings == []
        database = introspect(url)
        differences = compare(read.schema, database, provider=provider)
        assert differences == [], format_differences(differences)
        assert sorted(synced["tables"].values()) == sorted(t.name for t in read.schema.tables)
        n = counts(database)
        print(f"\n[sequelize edges on {provider}]", n)
        assert n["tables"] == 4


REMOVED = REPO_ROOT / "tests" / "fixtures" / "sequelize_remove_attribute" / "models"


@pytest.mark.parametrize("dialect", ["postgres", "sqlite"])
def test_remove_attribute_reads_as_sequelize_syncs(
    dialect: str, request: pytest.FixtureRequest, sqlite_url: str
) -> None:
    """`Model.removeAttribute('id')`: a log table with no key at all, and a join model with
    none, whose belongsToMany keys then get a UNIQUE rather than a primary key (Sequelize
    makes them the key only when it deletes an id it generated itself)."""
    files = sorted(REMOVED.glob("*.js"))
    texts = {str(p): p.read_text() for p in files}
    provider = {"postgres": "postgresql", "sqlite": "sqlite"}[dialect]
    server = request.getfixturevalue("postgres_server") if dialect == "postgres" else None
    with server.scratch() if server is not None else _same(sqlite_url) as url:
        _sync(url, files)
        read = read_models(texts, dialect)
        assert read.findings == []
        database = introspect(url)
        differences = compare(read.schema, database, provider=provider)
        assert differences == [], format_differences(differences)
        tables = {t.name: t for t in database.tables}
        assert tables["AuditEntries"].primary_key is None
        assert tables["ArticleLabels"].primary_key is None
        assert [c.name for c in tables["AuditEntries"].columns] == ["action", "at"]


INDEX_ASSOCIATIONS = REPO_ROOT / "tests" / "fixtures" / "sequelize_index_associations" / "models"


def test_associations_written_in_models_index_read_as_sequelize_syncs(
    postgres_server,
) -> None:
    """sequelize-cli's models/index.js with the associations written in it:
    `db.Post.belongsTo(db.User, ...)`, where `db.User` holds the model the factory returned.
    The target is read by its written name (it was DB071, "not a subclass of Sequelize.Model",
    before), and the keys, the join table and the actions equal what Sequelize syncs."""
    node = _node()
    if node is None:
        pytest.skip("node is not on PATH (set SCHEMASENSE_NODE to a node binary)")
    files = sorted(INDEX_ASSOCIATIONS.glob("*.js"))
    texts = {str(p): p.read_text() for p in files}
    with postgres_server.scratch() as url:
        run = subprocess.run(
            [node, str(Path(__file__).with_name("sequelize_index_sync.cjs")), str(files[0])],
            capture_output=True,
            text=True,
            timeout=300,
            env={**os.environ, "NODE_PATH": str(REPO_ROOT / "node_modules"), "DATABASE_URL": url},
        )
        assert run.returncode == 0, run.stderr
        synced = json.loads(run.stdout)
        read = read_models(texts, "postgres")
        assert read.findings == []
        database = introspect(url)
        differences = compare(read.schema, database, provider="postgresql")
        assert differences == [], format_differences(differences)
        assert sorted(synced["tables"].values()) == sorted(t.name for t in read.schema.tables)
        n = counts(database)
        print("\n[associations in models/index.js on PostgreSQL]", n)
        assert n["tables"] == 4 and n["foreign keys"] == 4

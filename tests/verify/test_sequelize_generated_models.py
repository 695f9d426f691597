"""Sequelize models schemasense writes (codegen/emit/models/sequelize.py) load in Sequelize and
`sync()` the same catalog as the model they came from, on real databases.

- Prisma -> Sequelize: for the Prisma samples and corpus schemas, Prisma's own SQL for the
  schema (`codegen/orms/prisma/create_sql`, checked against Prisma's engine elsewhere) is
  applied to one database, and the generated JavaScript models, loaded by Node through the
  loader written beside them, are synced by Sequelize 6 into another; both are introspected and
  compared object by object. Every difference must be one Sequelize cannot avoid (`INHERENT`,
  named and counted), none other.
- Sequelize -> Sequelize: the sequelize-cli sample's own models and the models written from our
  reading of them sync to the same catalog, with no difference at all.
- TypeScript: both TypeScript flavours (`Model.init` with `declare` fields, sequelize-typescript
  decorators) compile with tsc `--strict`, and the compiled models sync to Prisma's catalog too.

Databases are the verify fixtures' scratch databases (named `seqmodels_*`); SQLite files in
tmp. Node, tsc and the npm packages come from the repository's node_modules.
"""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from schemasense.codegen.emit.models.sequelize import sequelize_model_files
from schemasense.codegen.emit.style import CodeStyle
from schemasense.codegen.orms.prisma.create_sql import create_script
from schemasense.codegen.schema import Schema
from schemasense.server.sources.prisma import read_prisma_schema
from schemasense.server.sources.sequelize.reader import read_models
from schemasense.server.verify.apply import apply
from schemasense.server.verify.compare import Difference, compare, format_differences
from schemasense.server.verify.databases import introspect

from tests.oracle.prisma import REPO_ROOT, _node
from tests.server.sources.prisma.test_lowering_vs_engine import CASES, Case

pytestmark = pytest.mark.oracle
SYNC = Path(__file__).with_name("sequelize_generated_sync.cjs")
ORIGINAL_SYNC = Path(__file__).with_name("sequelize_sync.cjs")
NODE_MODULES = REPO_ROOT / "node_modules"
DIALECT = {"postgresql": "postgres", "mysql": "mysql", "sqlite": "sqlite"}

PRISMA = {
    # name: (path, in the corpus)
    "prisma-clean": ("samples/prisma-clean/prisma/schema", False),
    "umami-postgresql": ("umami/db/postgresql/schema.prisma", True),
    "umami-mysql": ("umami/db/mysql/schema.prisma", True),
    "dub-mysql": ("dub/apps/web/prisma/schema", True),
    "epic-stack-sqlite": ("epic-stack/prisma/schema.prisma", True),
    "pingvin-share-sqlite": ("pingvin-share/backend/prisma/schema.prisma", True),
}
"""calcom (PostgreSQL) is left out: its foreign keys form cycles, for which Sequelize's `sync`
creates the tables and then runs `sync({ alter: true })`, whose `changeColumn` casts an
`ENUM[]` column to the bare enum and fails (`cannot cast type "enum_AccessCode_scopes"[] to
"enum_AccessCode_scopes"`): a Sequelize bug, not the models'."""


# -- what Sequelize cannot say -----------------------------------------------------------------


def inherent(
    d: Difference, provider: str, source: Schema, left: Schema, right: Schema
) -> str | None:
    """Why `d` (between `left`, built by the source's SQL, and `right`, built by Sequelize) is
    a difference no Sequelize model can avoid, or None."""
    parts = d.where.split('"')
    if provider == "postgresql":
        if d.where.startswith("enum ") and d.what == "only":
            return ENUM_NAME
        if d.what in ("type", "default") and "enum_" in (d.right or ""):
            return ENUM_NAME
        column = _column(source, parts[1].split(".")[-1], parts[3]) if len(parts) > 3 else None
        if (
            d.what == "default"
            and column is not None
            and column.type.kind == "enum"
            and (d.left or "").split(".")[0] == (d.right or "").split(".")[0]
        ):
            return ENUM_NAME  # the same value, cast to the enum type by its name
        if "primary key" in d.where and d.what == "name":
            return "PostgreSQL names a primary key <table>_pkey; a model cannot name it"
    if " foreign key " in d.where and d.what == "only":
        side = left if d.left is not None else right
        other = right if d.left is not None else left
        fk = _foreign_key(side, parts[1], parts[3])
        if fk is not None and len(fk.columns) > 1:
            return "a foreign key on several columns: a Sequelize model cannot declare one"
        if fk is not None and _foreign_key_like(other, parts[1], fk):
            if provider == "sqlite":
                return "SQLite: Sequelize writes REFERENCES without a constraint name"
            return "a foreign key's name: the database chooses it (Sequelize cannot name one)"
    if provider == "sqlite":
        if d.what == "default" and {d.left, d.right} in ({"false", "0"}, {"true", "1"}):
            return SQLITE_BOOLEAN
        if (
            d.what == "predicate"
            and (d.left or "").replace("false", "0").replace("true", "1") == d.right
        ):
            return SQLITE_BOOLEAN
        if d.what == "nullable" and d.left == "no" and _integer_key(left, parts[1], parts[3]):
            return "SQLite: Sequelize writes an INTEGER PRIMARY KEY without NOT NULL"
    if provider == "mysql" and d.what == "default" and d.right in (None, "none"):
        column = _column(source, parts[1], parts[3])
        if column is not None and column.type.kind in ("json", "text", "bytes"):
            return "MySQL: Sequelize writes no DEFAULT for JSON/TEXT/BLOB columns"
    return None


ENUM_NAME = "PostgreSQL enum type named enum_<table>_<column> by Sequelize"
SQLITE_BOOLEAN = "SQLite keeps SQL as written: Prisma false/true, Sequelize 0/1"


def _table(schema: Schema, name: str):
    """A table by the name a difference gives (`schema.table` where there is a schema; MySQL
    and SQLite names compare without regard to case)."""
    for t in schema.tables:
        qualified = f"{t.db_schema}.{t.name}" if t.db_schema else t.name
        if name in (t.name, qualified) or name.lower() == t.name.lower():
            return t
    return None


def _column(schema: Schema, table: str, column: str):
    t = _table(schema, table)
    if t is None:
        return None
    return next((c for c in t.columns if c.name.lower() == column.lower()), None)


def _foreign_key(schema: Schema, table: str, key: str):
    t = _table(schema, table)
    if t is None:
        return None
    for fk in t.foreign_keys:
        unnamed = f"({', '.join(fk.columns)}) -> {fk.referenced_table}".lower()
        if fk.name.lower() == key.lower() or unnamed == key.lower():
            return fk
    return None


def _foreign_key_like(schema: Schema, table: str, fk) -> bool:
    t = _table(schema, table)
    return t is not None and any(
        other.columns == fk.columns
        and other.referenced_table == fk.referenced_table
        and other.referenced_columns == fk.referenced_columns
        and other.name != fk.name
        for other in t.foreign_keys
    )


def _integer_key(schema: Schema, table: str, column: str) -> bool:
    t = _table(schema, table)
    c = _column(schema, table, column)
    return (
        t is not None
        and c is not None
        and t.primary_key is not None
        and [p.column for p in t.primary_key.columns] == [c.name]
        and (c.type.native or "").upper() == "INTEGER"
    )


# -- helpers -----------------------------------------------------------------------------------


def _needs_node() -> str:
    node = _node()
    if node is None:
        pytest.skip("node is not on PATH (set SCHEMASENSE_NODE to a node binary)")
    for package in ("sequelize", "sequelize-typescript", "reflect-metadata"):
        if not (NODE_MODULES / package).is_dir():
            pytest.skip(f"node_modules/{package} is missing (run `npm install` at the repo root)")
    return node


def _write(files, root: Path) -> None:
    for f in files:
        path = root / f.path
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f.text)


def _sync(url: str, index: Path, define: dict | None = None) -> dict:
    node = _needs_node()
    run = subprocess.run(
        [node, str(SYNC), url, str(index)],
        capture_output=True,
        text=True,
        timeout=600,
        env={
            **os.environ,
            "NODE_PATH": str(NODE_MODULES),
            "SEQUELIZE_DEFINE": json.dumps(define or {}),
        },
    )
    assert run.returncode == 0, run.stderr[:4000]
    return json.loads(run.stdout)


@contextlib.contextmanager
def _database(provider: str, request: pytest.FixtureRequest, tmp: Path, n: int) -> Iterator[str]:
    if provider == "sqlite":
        path = tmp / f"db{n}.sqlite"
        path.touch()
        yield f"sqlite:///{path}"
        return
    server = request.getfixturevalue(
        "postgres_server" if provider == "postgresql" else "mysql_server"
    )
    with server.scratch("seqmodels") as url:
        yield url


def _prisma_schema(path: Path) -> Schema:
    files = sorted(path.glob("*.prisma")) if path.is_dir() else [path]
    read = read_prisma_schema({str(p): p.read_text(encoding="utf-8") for p in files})
    assert [f for f in read.findings if f.severity == "error"] == []
    return read.schema


def _explain(
    differences: list[Difference], provider: str, source: Schema, left: Schema, right: Schema
) -> Counter:
    reasons = Counter()
    unexplained = []
    for d in differences:
        reason = inherent(d, provider, source, left, right)
        if reason is None:
            unexplained.append(d)
        else:
            reasons[reason] += 1
    assert unexplained == [], format_differences(unexplained, 40)
    return reasons


def _schema_path(name: str, corpus: Path | None) -> Path:
    relative, in_corpus = PRISMA[name]
    if not in_corpus:
        return REPO_ROOT / relative
    assert corpus is not None
    return corpus / relative


# -- Prisma -> Sequelize (JavaScript) ----------------------------------------------------------


@pytest.mark.parametrize("name", sorted(PRISMA))
def test_prisma_schemas_become_sequelize_models_that_sync_the_same_catalog(
    name: str, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    _needs_node()
    corpus = request.getfixturevalue("corpus_dir") if PRISMA[name][1] else None
    _check_prisma(name, _prisma_schema(_schema_path(name, corpus)), request, tmp_path)


FIXTURES = [c for c in CASES if not c.corpus and c.text]
"""Prisma's own lowering cases (tests/server/sources/prisma/test_lowering_vs_engine.py: the
valid fixtures and small schemas on PostgreSQL and SQLite: maps, long names, composite keys,
m:n, self relations, enums, native types, defaults, lists, multi-schema, index kinds)."""


@pytest.mark.parametrize("case", FIXTURES, ids=lambda c: c.name)
def test_prisma_fixture_schemas_become_sequelize_models_that_sync_the_same_catalog(
    case: Case, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    _needs_node()
    read = read_prisma_schema({"schema.prisma": case.text})
    assert [f for f in read.findings if f.severity == "error"] == []
    _check_prisma(case.name, read.schema, request, tmp_path)


def _check_prisma(
    name: str, schema: Schema, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    provider = schema.provider or "postgresql"
    style = CodeStyle(language="js", module="commonjs")
    files = sequelize_model_files(
        schema, None, style, dialect=DIALECT[provider], folder="models", index=True
    )
    _write(files, tmp_path)
    with (
        _database(provider, request, tmp_path, 1) as prisma_url,
        _database(provider, request, tmp_path, 2) as sequelize_url,
    ):
        try:
            apply(prisma_url, create_script(schema))
        except Exception as exc:  # an extension's type, Prisma's own SQL this database refuses
            pytest.skip(f"Prisma's SQL for {name} does not apply here: {exc}"[:300])
        synced = _sync(sequelize_url, tmp_path / "models" / "index.js")
        prisma_db, sequelize_db = introspect(prisma_url), introspect(sequelize_url)
    differences = compare(
        prisma_db, sequelize_db, provider=provider, left_name="prisma", right_name="sequelize"
    )
    reasons = _explain(differences, provider, schema, prisma_db, sequelize_db)
    tables = [t for t in schema.tables if t.kind in ("table", "join_table")]
    assert len(synced["tables"]) == len(tables) == len(sequelize_db.tables) > 0
    print(
        f"\n[{name} -> Sequelize on {provider}] {len(tables)} tables, "
        f"{sum(len(t.columns) for t in tables)} columns, "
        f"{sum(len(t.foreign_keys) for t in tables)} foreign keys, "
        f"{sum(len(t.indexes) + len(t.uniques) for t in tables)} indexes/uniques: "
        f"{len(differences)} differences, all inherent: {dict(reasons)}"
    )


# -- Sequelize -> Sequelize --------------------------------------------------------------------


SAMPLE = REPO_ROOT / "samples" / "sequelize-js" / "models"


@pytest.mark.parametrize("provider", ["postgresql", "sqlite"])
def test_models_written_from_the_sample_sync_what_the_sample_syncs(
    provider: str, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    node = _needs_node()
    originals = sorted(str(p) for p in SAMPLE.glob("*.js") if p.name != "index.js")
    read = read_models({p: Path(p).read_text() for p in originals}, DIALECT[provider])
    files = sequelize_model_files(
        read.schema, None, CodeStyle(language="js", module="commonjs"), index=True
    )
    _write(files, tmp_path)
    with (
        _database(provider, request, tmp_path, 1) as original_url,
        _database(provider, request, tmp_path, 2) as generated_url,
    ):
        run = subprocess.run(
            [node, str(ORIGINAL_SYNC), str(REPO_ROOT), original_url, "factory", *originals],
            capture_output=True,
            text=True,
            timeout=300,
        )  # fmt: skip
        assert run.returncode == 0, run.stderr
        _sync(generated_url, tmp_path / "models" / "index.js")
        original, generated = introspect(original_url), introspect(generated_url)
    differences = compare(
        original, generated, provider=provider, left_name="sample", right_name="generated"
    )
    assert differences == [], format_differences(differences)
    assert len(generated.tables) == 8 and sum(len(t.foreign_keys) for t in generated.tables) == 8


@pytest.mark.corpus
def test_models_written_from_a_corpus_project_sync_what_we_read(
    corpus_dir: Path, tmp_path: Path
) -> None:
    """gladys (25 tables, SQLite, the project's `define`): Sequelize cannot load the project's
    own models here (they require modules the corpus does not keep), but it loads the models
    written from our reading of them, and what it syncs is what we read. (grouparoo and
    opencollective-api cannot be synced even so: what their missing modules hold, the `id` of
    grouparoo's base class and the ENUM values of opencollective's constants, decides their
    column types, so their foreign keys or enum arrays cannot be built.)"""
    from schemasense.server.sources.sequelize.source import SequelizeSource

    from tests.codegen.models.test_sequelize_models import _Files

    source = SequelizeSource()
    unit = source.find_units(str(corpus_dir / "sequelize" / "gladys" / "server"), _Files())[0]
    read = source.read({p: Path(p).read_text(encoding="utf-8") for p in unit.files})
    define = read.setup.define if read.setup is not None else {}
    files = sequelize_model_files(
        read.schema, None, CodeStyle(language="js", module="commonjs"), define=define, index=True
    )
    _write(files, tmp_path)
    with _database("sqlite", None, tmp_path, 1) as url:  # type: ignore[arg-type]
        _sync(url, tmp_path / "models" / "index.js", define)
        synced = introspect(url)
    differences = compare(read.schema, synced, provider="sqlite", left_name="read")
    assert differences == [], format_differences(differences)
    assert len(synced.tables) == len(read.schema.tables) == 25


# -- a database's own schema -> Sequelize -------------------------------------------------------

DDL = {
    "postgresql": """
CREATE TYPE order_status AS ENUM ('new', 'paid', 'shipped');
CREATE TABLE customers (
  id BIGSERIAL PRIMARY KEY,
  email VARCHAR(320) NOT NULL,
  name TEXT,
  tags TEXT[] NOT NULL DEFAULT '{}',
  created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  CONSTRAINT customers_email_key UNIQUE (email)
);
CREATE TABLE orders (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  customer_id BIGINT REFERENCES customers (id) ON DELETE SET NULL,
  parent_id UUID REFERENCES orders (id) ON DELETE CASCADE,
  status order_status NOT NULL DEFAULT 'new',
  total NUMERIC(12, 2) NOT NULL DEFAULT 0,
  meta JSONB NOT NULL DEFAULT '{}'::jsonb,
  note VARCHAR,
  placed_at TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  deleted_at TIMESTAMPTZ,
  CONSTRAINT orders_customer_id_status_key UNIQUE (customer_id, status)
);
CREATE INDEX orders_open_idx ON orders (placed_at DESC) WHERE deleted_at IS NULL;
CREATE INDEX orders_meta_idx ON orders USING gin (meta jsonb_path_ops);
CREATE TABLE audit_log (message TEXT NOT NULL, at TIMESTAMPTZ);
""",
    "mysql": """
CREATE TABLE customers (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  email VARCHAR(320) NOT NULL,
  name TEXT,
  active TINYINT(1) NOT NULL DEFAULT 1,
  created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  updated_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  UNIQUE KEY customers_email_key (email)
) ENGINE=InnoDB;
CREATE TABLE orders (
  id CHAR(36) BINARY NOT NULL PRIMARY KEY,
  customer_id BIGINT UNSIGNED NULL,
  status ENUM('new','paid','shipped') NOT NULL DEFAULT 'new',
  total DECIMAL(12,2) NOT NULL DEFAULT 0,
  meta JSON NULL,
  note LONGTEXT,
  placed_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  UNIQUE KEY orders_customer_status (customer_id, status),
  KEY orders_placed (placed_at),
  CONSTRAINT orders_customer_fk FOREIGN KEY (customer_id) REFERENCES customers (id)
    ON DELETE SET NULL
) ENGINE=InnoDB;
CREATE TABLE audit_log (message VARCHAR(255) NOT NULL, at DATETIME NULL) ENGINE=InnoDB;
""",
}
"""Tables as a database holds them, read back by introspection (no ORM's names): a table with
no primary key, composite unique keys, partial / descending / GIN-operator-class indexes, types
no DataType writes (`VARCHAR` without a length, `TIMESTAMP(3)`), database defaults (`now()`,
`gen_random_uuid()`, JSON, arrays), a self-reference, an enum type, UNSIGNED keys."""


@pytest.mark.parametrize("provider", sorted(DDL))
def test_a_databases_own_tables_become_models_that_sync_them_again(
    provider: str, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    _needs_node()
    with (
        _database(provider, request, tmp_path, 1) as source_url,
        _database(provider, request, tmp_path, 2) as sequelize_url,
    ):
        apply(source_url, DDL[provider])
        source = introspect(source_url)
        files = sequelize_model_files(
            source, None, CodeStyle(language="js", module="commonjs"), index=True
        )
        _write(files, tmp_path)
        _sync(sequelize_url, tmp_path / "models" / "index.js")
        synced = introspect(sequelize_url)
    differences = compare(
        source, synced, provider=provider, left_name="database", right_name="sequelize"
    )
    reasons = _explain(differences, provider, source, source, synced)
    assert len(synced.tables) == len(source.tables) == 3
    assert any("removeAttribute" in f.text for f in files)  # audit_log has no primary key
    print(f"\n[{provider} tables -> Sequelize] {len(differences)} differences: {dict(reasons)}")


# -- TypeScript --------------------------------------------------------------------------------

TSCONFIG = {
    "compilerOptions": {
        "target": "ES2022",
        "module": "commonjs",
        "strict": True,
        "experimentalDecorators": True,
        "emitDecoratorMetadata": True,
        "esModuleInterop": True,
        "skipLibCheck": True,
        "outDir": "dist",
        "rootDir": "src",
        "types": ["node"],
    },
    "include": ["src"],
}


def _compile(files, root: Path) -> Path:
    """The files compiled by tsc --strict in a project of their own; its dist folder."""
    tsc = NODE_MODULES / ".bin" / "tsc"
    if not tsc.exists():
        pytest.skip("node_modules/.bin/tsc is missing (run `npm install` at the repo root)")
    _write(files, root / "src")
    (root / "node_modules").symlink_to(NODE_MODULES)
    (root / "tsconfig.json").write_text(json.dumps(TSCONFIG))
    run = subprocess.run(
        [str(tsc), "-p", str(root)], capture_output=True, text=True, timeout=300, cwd=root
    )
    assert run.returncode == 0, run.stdout + run.stderr
    return root / "dist"


def _fixture_schema(name: str) -> Schema:
    if name in PRISMA:
        return _prisma_schema(_schema_path(name, None))
    case = next(c for c in FIXTURES if c.name == name)
    return read_prisma_schema({"schema.prisma": case.text}).schema


@pytest.mark.parametrize("flavour", ["init", "typescript"])
@pytest.mark.parametrize("name", ["prisma-clean", "own/many_to_many"])
def test_typescript_models_compile_strict_and_sync_the_prisma_catalog(
    name: str, flavour: str, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    """prisma-clean (enums, `@updatedAt`, uuid keys, underscored maps) and the m:n schema
    (implicit, explicit and self many-to-many: `belongsToMany` with aliases)."""
    _needs_node()
    schema = _fixture_schema(name)
    files = sequelize_model_files(
        schema, None, CodeStyle(language="ts"), flavour=flavour, folder="models", index=True
    )
    if flavour == "typescript":
        assert any("@Table(" in f.text for f in files)
    else:
        assert any("declare " in f.text and ".init(" in f.text for f in files)
    dist = _compile(files, tmp_path / "project")
    with (
        _database("postgresql", request, tmp_path, 1) as prisma_url,
        _database("postgresql", request, tmp_path, 2) as sequelize_url,
    ):
        apply(prisma_url, create_script(schema))
        _sync(sequelize_url, dist / "models" / "index.js")
        prisma_db, sequelize_db = introspect(prisma_url), introspect(sequelize_url)
    differences = compare(
        prisma_db, sequelize_db, provider="postgresql", left_name="prisma", right_name="ts"
    )
    reasons = _explain(differences, "postgresql", schema, prisma_db, sequelize_db)
    assert len(sequelize_db.tables) == len(schema.tables)
    print(f"\n[{name} -> TypeScript {flavour}] {len(differences)} differences: {dict(reasons)}")


@pytest.mark.corpus
def test_every_generated_typescript_model_compiles_strict(corpus_dir: Path, tmp_path: Path) -> None:
    """Both TypeScript flavours of every lowering fixture and of the three corpus Sequelize
    model sets (with their `define`) in one tsc --strict project, without an error."""
    _needs_node()
    from schemasense.server.sources.sequelize.source import SequelizeSource

    from tests.codegen.models.test_sequelize_models import _Files

    schemas: dict[str, tuple[Schema, dict]] = {}
    for case in FIXTURES:
        read = read_prisma_schema({"schema.prisma": case.text})
        if not [f for f in read.findings if f.severity == "error"]:
            schemas[case.name.replace("/", "_")] = (read.schema, {})
    for project in ("gladys/server", "grouparoo/core", "opencollective-api"):
        source = SequelizeSource()
        unit = source.find_units(str(corpus_dir / "sequelize" / project), _Files())[0]
        read = source.read({p: Path(p).read_text(encoding="utf-8") for p in unit.files})
        schemas[project.split("/")[0]] = (read.schema, read.setup.define if read.setup else {})
    files = []
    for name, (schema, define) in schemas.items():
        for flavour in ("init", "typescript"):
            files += sequelize_model_files(
                schema,
                None,
                CodeStyle(language="ts"),
                flavour=flavour,  # type: ignore[arg-type]
                folder=f"{name}-{flavour}",
                define=define,
                index=True,
            )
    _compile(files, tmp_path / "project")
    print(f"\n[tsc --strict] {len(files)} generated files of {len(schemas)} schemas compile")

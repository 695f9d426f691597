"""Proof that TypeORM entities become a Prisma schema naming the same database objects (issue 13
item 6): for the TypeORM samples and the corpus's TypeORM projects, the generated `schema.prisma`
passes Prisma's own validator (`@prisma/prisma-schema-wasm`), and the SQL Prisma's own schema
engine writes for it (`@prisma/schema-engine-wasm`, offline) builds, on a real database, the
catalog the entities build.

The entities' catalog is TypeORM's own DDL for the samples (compiled, run with no database:
`entity_ddl.cjs`); for the corpus projects, whose entities the corpus keeps only in part, it is
our read of them, which tests/oracle/typeorm/test_corpus_entities.py holds equal to TypeORM's.
Tables whose enum type lives in a file the corpus does not keep (our read has no values for it)
are left out, with what references them, and counted.

Every difference must be of a kind Prisma cannot avoid (`INHERENT`, each named); anything else
fails. `python -m tests.oracle.models.test_typeorm_to_prisma` prints the counts.
"""

from __future__ import annotations

import re
import sqlite3
import sys
from collections import Counter
from pathlib import Path

import pytest
from schemasense.codegen.emit.models.prisma import prisma_schema
from schemasense.codegen.schema import Schema
from schemasense.server.verify import databases
from schemasense.server.verify.apply import apply
from schemasense.server.verify.compare import Difference, compare
from schemasense.server.verify.databases import Unavailable

from tests.codegen.prisma_wasm import migration_sql, oracle_missing, validate_all
from tests.conftest import CORPUS as _CORPUS
from tests.oracle.models.cross import read_schema
from tests.oracle.models.test_prisma_to_typeorm import catalog_counts
from tests.oracle.typeorm.entities import typeorm_ddl
from tests.oracle.typeorm.harness import compile_sample, unavailable

pytestmark = pytest.mark.oracle

REPO = Path(__file__).resolve().parents[3]
CORPUS = _CORPUS
SAMPLES = {"typeorm-nest": "src/data-source.ts", "typeorm-sqlite": "src/data-source.ts"}
PROJECTS = {
    "medusa-v1": "packages/medusa",
    "express-typescript-boilerplate": "",
    "jellyseerr": "",
    "flowise": "packages/server",
    "awesome-nest-boilerplate": "",
}

_AFFINITY = [("INT", "INTEGER"), ("CHAR", "TEXT"), ("CLOB", "TEXT"), ("TEXT", "TEXT")]
_AFFINITY += [("BLOB", "BLOB"), ("REAL", "REAL"), ("FLOA", "REAL"), ("DOUB", "REAL")]


def sqlite_affinity(type_text: str) -> str:
    """SQLite's type affinity of a declared type (section 3.1 of its datatype page)."""
    upper = type_text.upper()
    return next((a for part, a in _AFFINITY if part in upper), "NUMERIC")


def _same_affinity(text: str) -> bool:
    m = re.search(r"type (.+) \(TypeORM\) != (.+) \(Prisma\)", text)
    return bool(m) and sqlite_affinity(m.group(1)) == sqlite_affinity(m.group(2))


INHERENT: dict[str, tuple[str, object]] = {
    "now-spelling": (
        "Prisma's now() is written CURRENT_TIMESTAMP (now() on PostgreSQL, datetime('now') on "
        "SQLite give the same value)",
        re.compile(r"default (now\(\)|datetime\('now'\)) \(TypeORM\) != current_timestamp"),
    ),
    "boolean-spelling": (
        "SQLite stores booleans as 0/1: Prisma's true/false is the same value",
        re.compile(r"default [01] \(TypeORM\) != (true|false) \(Prisma\)"),
    ),
    "check": (
        "Prisma has no CHECK constraints (the generated model keeps each as a comment)",
        re.compile(r'check "[^"]*": only in the TypeORM'),
    ),
    "unique-constraint": (
        "Prisma has no unique constraints: @unique / @@unique are unique indexes of the same "
        "name (a pair of differences: the constraint only in TypeORM, the index only in Prisma)",
        None,  # decided in pairs
    ),
    "partial-index": (
        "Prisma cannot declare a partial index (WHERE): kept as a comment on the model",
        None,  # decided from the source (the index has a predicate)
    ),
    "sqlite-type": (
        "Prisma on SQLite has no native types: the column gets Prisma's type, of the same "
        "SQLite affinity (VARCHAR(n) -> TEXT, SMALLINT -> INTEGER, DATE -> DATETIME)",
        _same_affinity,
    ),
    "sqlite-foreign-key-name": (
        "Prisma cannot name a foreign key on SQLite (no map:): a table has as many keys only in "
        "TypeORM (TypeORM's name) as only in Prisma (Prisma's name)",
        None,  # decided per table
    ),
}


def classify(differences: list[Difference], source: Schema) -> tuple[Counter, list[Difference]]:
    partial = {i.name.lower() for t in source.tables for i in t.indexes if i.predicate}
    kinds: Counter = Counter()
    other = []
    sqlite = source.provider == "sqlite"
    texts = [str(d) for d in differences]
    only_constraint = {
        (m.group(1), m.group(2))
        for t in texts
        if (m := re.match(r'table "([^"]+)" unique "([^"]+)": only in the TypeORM', t))
    }
    only_index = {
        (m.group(1), m.group(2))
        for t in texts
        if (m := re.match(r'table "([^"]+)" index "([^"]+)": only in the Prisma', t))
    }
    pairs = only_constraint & only_index
    fk_sides: Counter = Counter()
    for t in texts:
        if m := re.match(r'table "([^"]+)" foreign key "[^"]+": only in the (TypeORM|Prisma)', t):
            fk_sides[(m.group(1), m.group(2))] += 1
    for d in differences:
        text = str(d)
        m = re.match(r'table "([^"]+)" (?:unique|index) "([^"]+)": only in the', text)
        if m and (m.group(1), m.group(2)) in pairs:
            kinds["unique-constraint"] += 1
            continue
        m = re.match(r'table "([^"]+)" foreign key "[^"]+": only in the', text)
        if m and sqlite and fk_sides[(m.group(1), "TypeORM")] == fk_sides[(m.group(1), "Prisma")]:
            kinds["sqlite-foreign-key-name"] += 1
            continue
        m = re.search(r'index "([^"]+)": only in the TypeORM', text)
        if m and m.group(1).lower() in partial:
            kinds["partial-index"] += 1
            continue
        kind = None
        for name, (_, test) in INHERENT.items():
            if test is None or (name.startswith("sqlite") and not sqlite):
                continue
            found = test.search(text) if isinstance(test, re.Pattern) else test(text)  # type: ignore[operator]
            if found:
                kind = name
                break
        if kind is None:
            other.append(d)
        else:
            kinds[kind] += 1
    return kinds, other


def buildable(schema: Schema) -> tuple[Schema, set[str]]:
    """`schema` without the tables whose column types our read could not resolve (an enum in a
    file the corpus does not keep) and the tables whose keys point at them."""
    bad = {t.name for t in schema.tables if any(c.type.kind == "unsupported" for c in t.columns)}
    while True:
        more = {
            t.name
            for t in schema.tables
            if t.name not in bad and any(f.referenced_table in bad for f in t.foreign_keys)
        }
        if not more:
            break
        bad |= more
    return schema.model_copy(
        update={"tables": [t for t in schema.tables if t.name not in bad]}
    ), bad


def prisma_catalog(text: str, provider: str, tmp: Path, server) -> Schema:
    """What the schema engine's SQL for `text` builds in an empty database."""
    sql = migration_sql(text, provider)
    if provider == "sqlite":
        path = tmp / "prisma.db"
        conn = sqlite3.connect(path)
        conn.executescript(sql)
        conn.close()
        return databases.introspect(f"sqlite:///{path}")
    with server.scratch("models_prisma") as url:
        apply(url, 'CREATE EXTENSION IF NOT EXISTS "uuid-ossp";\n' + sql)
        return databases.introspect(url)


def typeorm_sample_catalog(name: str, tmp: Path, server) -> Schema:
    """TypeORM's own DDL for a sample's entities, applied and introspected."""
    folder = tmp / "typeorm"
    folder.mkdir()
    dist = compile_sample(REPO / "samples" / name, folder)
    statements = typeorm_ddl(dist / "data-source.js", "AppDataSource", folder)["statements"]
    if name == "typeorm-sqlite":
        path = tmp / "typeorm.db"
        conn = sqlite3.connect(path)
        conn.executescript(";\n".join(statements) + ";")
        conn.close()
        return databases.introspect(f"sqlite:///{path}")
    with server.scratch("models_typeorm") as url:
        apply(url, 'CREATE EXTENSION IF NOT EXISTS "uuid-ossp";\n' + ";\n".join(statements) + ";")
        return databases.introspect(url)


def run(name: str, tmp: Path, server) -> dict:
    if name in SAMPLES:
        source = read_schema(REPO / "samples" / name / SAMPLES[name])
        left_out: set[str] = set()
    else:
        source, left_out = buildable(read_schema(CORPUS / "typeorm" / name / PROJECTS[name]))
    text = prisma_schema(source)
    [verdict] = validate_all([text])
    assert verdict.ok, f"Prisma refused the schema generated from {name}:\n{verdict.error[:3000]}"
    provider = source.provider or "postgresql"
    prisma = prisma_catalog(text, provider, tmp, server)
    truth = typeorm_sample_catalog(name, tmp, server) if name in SAMPLES else source
    differences = compare(truth, prisma, left_name="TypeORM", right_name="Prisma")
    kinds, other = classify(differences, source)
    return {
        "provider": provider,
        "typeorm": catalog_counts(truth),
        "prisma": catalog_counts(prisma),
        "left_out": left_out,
        "inherent": kinds,
        "other": other,
    }


@pytest.fixture(scope="module")
def server():
    reason = oracle_missing() or unavailable()
    if reason:
        pytest.skip(reason)
    try:
        found = databases.postgres_server()
    except Unavailable as exc:
        pytest.skip(str(exc))
    yield found
    found.close()


@pytest.mark.parametrize(
    "name",
    [
        "typeorm-nest",
        "typeorm-sqlite",
        *(pytest.param(p, marks=pytest.mark.corpus) for p in PROJECTS),
    ],
)
def test_generated_prisma_schema_builds_the_entities_catalog(name, server, tmp_path):
    result = run(name, tmp_path, server)
    assert result["other"] == [], "\n".join(str(d) for d in result["other"])
    if name == "awesome-nest-boilerplate":  # every table needs an enum the corpus lacks
        assert result["typeorm"]["tables"] == 0 and len(result["left_out"]) == 4
        return
    assert result["prisma"]["tables"] == result["typeorm"]["tables"] > 0
    assert result["prisma"]["columns"] == result["typeorm"]["columns"]
    assert result["prisma"]["foreign_keys"] == result["typeorm"]["foreign_keys"]


def test_a_wrong_map_is_seen(server, tmp_path):
    """The comparison is not blind: a schema that maps a column to another name is caught."""
    source = read_schema(REPO / "samples" / "typeorm-nest" / SAMPLES["typeorm-nest"])
    text = prisma_schema(source).replace('@map("display_name")', '@map("display")')
    prisma = prisma_catalog(text, "postgresql", tmp_path, server)
    truth = typeorm_sample_catalog("typeorm-nest", tmp_path, server)
    _, other = classify(compare(truth, prisma, left_name="TypeORM", right_name="Prisma"), source)
    assert any("display" in str(d) for d in other)


if __name__ == "__main__":  # the report: counts per project
    import tempfile

    found = databases.postgres_server()
    try:
        for project in sys.argv[1:] or [*SAMPLES, *PROJECTS]:
            with tempfile.TemporaryDirectory() as folder:
                r = run(project, Path(folder), found)
            print(f"{project} ({r['provider']}): TypeORM {dict(r['typeorm'])}")
            print(f"  Prisma {dict(r['prisma'])}; left out: {len(r['left_out'])} table(s)")
            print(f"  inherent differences: {dict(r['inherent'])}; other: {len(r['other'])}")
            for d in r["other"]:
                print(f"    {d}")
    finally:
        found.close()

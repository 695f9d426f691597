"""Proof that a Prisma model becomes TypeORM entities naming the same database objects (issue 12
item 6): for the Prisma sample and the corpus's PostgreSQL Prisma schemas (cal.com's 97 models,
umami's 11), the generated entities compile with `tsc` (strict, experimentalDecorators,
emitDecoratorMetadata), TypeORM's own DDL for them (no database: `entity_ddl.cjs`) is applied to
a real PostgreSQL and introspected, and that catalog is compared with the one Prisma's SQL for
the schema builds (`codegen.orms.prisma.create_sql`, the engine's statements).

Every difference must be one of the kinds TypeORM cannot avoid, each named in `INHERENT`;
anything else fails. `python -m tests.oracle.models.test_prisma_to_typeorm` prints the counts.
"""

from __future__ import annotations

import re
import sys
from collections import Counter
from pathlib import Path

import pytest
from schemasense.server.verify import databases
from schemasense.server.verify.compare import Difference, compare
from schemasense.server.verify.databases import Unavailable

from tests.conftest import CORPUS as _CORPUS
from tests.oracle.models.cross import (
    compile_strict,
    prisma_catalog,
    read_schema,
    typeorm_catalog,
    typeorm_statements,
    write_entities,
)
from tests.oracle.typeorm.harness import unavailable

pytestmark = pytest.mark.oracle

REPO = Path(__file__).resolve().parents[3]
CORPUS = _CORPUS
SCHEMAS = {
    "prisma-clean": REPO / "samples" / "prisma-clean",
    "umami": CORPUS / "umami" / "db" / "postgresql" / "schema.prisma",
    "calcom": CORPUS / "calcom" / "packages" / "prisma" / "schema.prisma",
    "epic-stack": CORPUS / "epic-stack" / "prisma" / "schema.prisma",
    "pingvin-share": CORPUS / "pingvin-share" / "backend" / "prisma" / "schema.prisma",
    "umami-mysql": CORPUS / "umami" / "db" / "mysql" / "schema.prisma",
}
"""PostgreSQL (prisma-clean, umami, cal.com), SQLite (epic-stack, pingvin-share) and MariaDB
(umami's MySQL schema; dub's is left out: its `@@index([url(length: ...)])` has a prefix length
TypeORM cannot declare, so TypeORM's index is over the whole column and MariaDB refuses it as
too long)."""

INHERENT: dict[str, tuple[str, re.Pattern[str]]] = {
    "now-spelling": (
        "TypeORM rewrites CURRENT_TIMESTAMP as now() on PostgreSQL (the same function) and "
        "writes datetime('now') on SQLite (the same value)",
        re.compile(
            r"column \"[^\"]+\": default current_timestamp \(Prisma\) != "
            r"(now\(\)|datetime\('now'\))"
        ),
    ),
    "updated-at-default": (
        "Prisma's @updatedAt is set by the client and has no default; @UpdateDateColumn "
        "always has one",
        re.compile(
            r'column "[^"]+": default none \(Prisma\) != '
            r"(now\(\)|datetime\(.now.\)|current_timestamp\(\d*\))"
        ),
    ),
    "boolean-spelling": (
        "TypeORM writes a SQLite boolean default as 0/1, Prisma as false/true (the same value)",
        re.compile(r"default (false|true) \(Prisma\) != [01] \(TypeORM\)"),
    ),
    "one-to-one-constraint": (
        "TypeORM's @OneToOne always adds a unique constraint REL_<hash> on the join column "
        "(beside Prisma's unique index)",
        re.compile(r'unique "REL_[0-9a-f]{26}": only in the TypeORM', re.I),
    ),
    "primary-key-order": (
        "TypeORM orders a composite primary key's columns as the properties are declared",
        re.compile(r"primary key: columns \(.*\) \(Prisma\) != \(.*\) \(TypeORM\)"),
    ),
    "no-primary-key": (
        "TypeORM needs a primary column: a model identified by a unique key gets one",
        re.compile(r"primary key: only in the TypeORM"),
    ),
    "index-method": (
        "TypeORM has no index method (GIN, hash, BRIN): its indexes are btree",
        re.compile(r"method (gin|gist|hash|brin|spgist) \(Prisma\) != btree \(TypeORM\)"),
    ),
}


def classify(differences: list[Difference]) -> tuple[Counter, list[Difference]]:
    """(count per inherent kind, the differences of no inherent kind)."""
    kinds: Counter = Counter()
    other = []
    for d in differences:
        kind = next((k for k, (_, rx) in INHERENT.items() if rx.search(str(d))), None)
        if kind is None:
            other.append(d)
        else:
            kinds[kind] += 1
    return kinds, other


def catalog_counts(schema) -> Counter:
    c: Counter = Counter()
    for t in schema.tables:
        c["tables"] += 1
        c["columns"] += len(t.columns)
        c["indexes"] += len(t.indexes) + len(t.uniques)
        c["foreign_keys"] += len(t.foreign_keys)
    return c


def run(name: str, out: Path, server, *, snake: bool = False, version: str = "1") -> dict:
    schema = read_schema(SCHEMAS[name])
    write_entities(schema, out, snake=snake, version=version)
    ok, messages = compile_strict(out)
    assert ok, f"tsc refused the entities generated from {name}:\n{messages[:4000]}"
    statements = typeorm_statements(out)
    if schema.provider == "mysql":
        server = databases.mysql_server()  # Unavailable: the test skips
        try:
            with server.scratch("models_prisma") as prisma_url:
                prisma = prisma_catalog(schema, prisma_url)
            with server.scratch("models_typeorm") as url:
                typeorm = typeorm_catalog(statements, url)
        finally:
            server.close()
    elif schema.provider == "sqlite":
        prisma = prisma_catalog(schema, f"sqlite:///{out / 'prisma.db'}")
        typeorm = typeorm_catalog(statements, f"sqlite:///{out / 'typeorm.db'}")
    else:
        with server.scratch("models_prisma") as prisma_url:
            prisma = prisma_catalog(schema, prisma_url)
        with server.scratch("models_typeorm") as url:
            typeorm = typeorm_catalog(statements, url)
    differences = compare(prisma, typeorm, left_name="Prisma", right_name="TypeORM")
    kinds, other = classify(differences)
    return {
        "prisma": catalog_counts(prisma),
        "typeorm": catalog_counts(typeorm),
        "inherent": kinds,
        "other": other,
    }


@pytest.fixture(scope="module")
def postgres():
    reason = unavailable()
    if reason:
        pytest.skip(reason)
    try:
        server = databases.postgres_server()
    except Unavailable as exc:
        pytest.skip(str(exc))
    yield server
    server.close()


@pytest.mark.parametrize(
    "name",
    ["prisma-clean", *(pytest.param(n, marks=pytest.mark.corpus) for n in list(SCHEMAS)[1:])],
)  # fmt: skip
def test_generated_entities_build_prismas_catalog(name, postgres, tmp_path):
    try:
        result = run(name, tmp_path, postgres)
    except Unavailable as exc:
        pytest.skip(str(exc))
    assert result["other"] == [], "\n".join(str(d) for d in result["other"])
    assert result["prisma"]["tables"] == result["typeorm"]["tables"] > 0
    assert result["prisma"]["columns"] == result["typeorm"]["columns"]
    assert result["prisma"]["foreign_keys"] == result["typeorm"]["foreign_keys"]


@pytest.mark.parametrize(
    ("name", "version"),
    [("prisma-clean", "0.3"), pytest.param("calcom", "1", marks=pytest.mark.corpus)],
)
def test_with_the_snake_naming_strategy(name, version, postgres, tmp_path):
    """For a project on `SnakeNamingStrategy` (and on TypeORM 0.3's hashing) the entities say
    other names (the strategy's own are left out) and still build Prisma's catalog."""
    result = run(name, tmp_path, postgres, snake=True, version=version)
    assert result["other"] == [], "\n".join(str(d) for d in result["other"])
    assert result["prisma"]["columns"] == result["typeorm"]["columns"] > 0


def test_a_wrong_name_is_seen(postgres, tmp_path):
    """The comparison is not blind: an entity that names an index differently is caught."""
    schema = read_schema(SCHEMAS["prisma-clean"])
    written = write_entities(schema, tmp_path)
    task = next(p for p in written if p.name.startswith("task"))
    task.write_text(task.read_text().replace('"tasks_creator_id_idx"', '"tasks_creator_idx"'))
    assert compile_strict(tmp_path)[0]
    statements = typeorm_statements(tmp_path)
    with postgres.scratch("models_prisma") as a, postgres.scratch("models_typeorm") as b:
        differences = compare(prisma_catalog(schema, a), typeorm_catalog(statements, b))
    _, other = classify(differences)
    assert any("tasks_creator_id_idx" in str(d) for d in other)


if __name__ == "__main__":  # the report: counts per schema
    import tempfile

    server = databases.postgres_server()
    try:
        for schema_name in sys.argv[1:] or list(SCHEMAS):
            with tempfile.TemporaryDirectory() as folder:
                r = run(schema_name, Path(folder), server)
            print(f"{schema_name}: Prisma {dict(r['prisma'])}")
            print(f"{' ' * len(schema_name)}  TypeORM {dict(r['typeorm'])}")
            print(f"  inherent differences: {dict(r['inherent'])}; other: {len(r['other'])}")
            for d in r["other"]:
                print(f"    {d}")
    finally:
        server.close()

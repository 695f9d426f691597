"""The TypeORM samples are what they claim, by TypeORM itself on a real PostgreSQL: their
TypeScript compiles with `tsc` (strict, decorators with metadata), TypeORM's own runner applies
every migration, its schema builder then has nothing left to do (the migrations build exactly what
the entities declare), and undoing every migration leaves nothing behind.

The TypeORM readers (issue 12) will be held to these samples; a sample that drifted from its own
entities would make every later test meaningless."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.oracle.typeorm.harness import compile_sample, run_sample, unavailable

pytestmark = pytest.mark.oracle

SAMPLES = Path(__file__).resolve().parents[3] / "samples"
POSTGRES = ["typeorm-nest"]
SQLITE = ["typeorm-sqlite"]
"""SQLite samples run in memory on sql.js (TypeORM's SQLite query runner and schema builder)."""


@pytest.mark.parametrize("name", POSTGRES + SQLITE)
def test_migrations_build_what_the_entities_declare(name, request, tmp_path):
    reason = unavailable()
    if reason:
        pytest.skip(reason)
    dist = compile_sample(SAMPLES / name, tmp_path)
    source = SAMPLES / name / "src"
    migrations = sorted(p.name for p in source.glob("migration*/*.ts"))
    if name in POSTGRES:
        with request.getfixturevalue("postgres").scratch() as url:
            result = run_sample(dist, url)
    else:
        result = run_sample(dist, "")
    assert len(result["applied"]) == len(migrations) >= 3
    assert result["pending"] == [], "TypeORM would still change the database"
    assert result["left"] == [], "the down migrations left objects behind"


def test_the_oracle_sees_a_drifted_entity(postgres, tmp_path):
    """The check can fail: an entity column the migrations never add is pending for TypeORM."""
    reason = unavailable()
    if reason:
        pytest.skip(reason)
    sample = tmp_path / "sample"
    source = SAMPLES / "typeorm-nest"
    for path in source.rglob("*"):
        if path.is_file() and "node_modules" not in path.parts:
            target = sample / path.relative_to(source)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(path.read_text())
    tag = sample / "src" / "posts" / "tag.entity.ts"
    column = (
        '  @Column({ type: "varchar", length: 7, nullable: true })\n  color: string | null;\n\n'
    )
    tag.write_text(tag.read_text().replace("  @ManyToMany", column + "  @ManyToMany"))
    dist = compile_sample(sample, tmp_path / "build")
    with postgres.scratch() as url:
        result = run_sample(dist, url)
    assert result["pending"] == ['ALTER TABLE "tag" ADD "color" character varying(7)']

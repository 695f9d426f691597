"""`schemasense generate migration` on a TypeORM project: the project's own format by default,
no migration where the migrations already build the entities (also for a sample inside a
repository whose root package.json is another TypeORM project), `--safe` as for Prisma."""

from __future__ import annotations

import io
import re
import shutil
from pathlib import Path

from schemasense.server.workflows.generate_migration import run_cli

REPO = Path(__file__).resolve().parents[3]
SAMPLE = REPO / "samples" / "typeorm-nest"


def _cli(path: Path, **kwargs) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = run_cli(str(path), None, dry_run=True, out=out, err=err, **kwargs)
    return code, out.getvalue(), err.getvalue()


def test_a_sample_inside_the_repository_is_its_own_project():
    """The repository's root package.json (TypeORM 1.x) and a DataSource there that names no
    entities (a test script) must not claim the 0.3 sample's entities: the sample, read with
    its own version, has no drift, and nothing is generated (TypeORM's own schema builder
    agrees: tests/oracle/typeorm/test_samples.py)."""
    code, out, err = _cli(SAMPLE)
    assert code == 0, err
    assert out == ""
    assert "nothing to generate" in err


def test_typeorm_is_the_default_format_and_safe_splits(tmp_path):
    project = tmp_path / "nest"
    shutil.copytree(SAMPLE, project, ignore=shutil.ignore_patterns("node_modules", "dist"))
    user = project / "src" / "users" / "user.entity.ts"
    user.write_text(
        user.read_text().replace(
            "  @Column({ length: 80 })", "  @Index()\n  @Column({ length: 80 })", 1
        )
    )
    code, out, err = _cli(project / "src" / "data-source.ts")
    assert code == 0, err
    assert "implements MigrationInterface" in out
    assert 'CREATE INDEX "IDX_' in out and 'ON "user"  ("display_name")' in out
    code, out, err = _cli(project / "src" / "data-source.ts", safe=True)
    assert code == 0, err
    assert "transaction = false" in out
    assert 'CREATE INDEX CONCURRENTLY "IDX_' in out


def test_a_project_with_no_migrations_yet_gets_a_typeorm_class(tmp_path):
    """No migration folder yet: the first migration is a TypeORM class where the DataSource's
    `migrations` glob looks (not Prisma's folder format)."""
    project = tmp_path / "nest"
    shutil.copytree(SAMPLE, project, ignore=shutil.ignore_patterns("node_modules", "dist"))
    shutil.rmtree(project / "src" / "migrations")
    code, out, err = _cli(project / "src" / "data-source.ts")
    assert code == 0, err
    [header] = [line for line in out.splitlines() if line.startswith("--- ")]
    assert re.search(r"src/migrations/\d{13}-\w+\.ts$", header), header
    assert "implements MigrationInterface" in out
    assert 'CREATE TABLE "user"' in out and 'CREATE TYPE "user_role_enum"' in out

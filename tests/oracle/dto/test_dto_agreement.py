"""The proof that a generated DTO agrees with the database (issue 14, item 4).

For every model of the corpus schemas and samples below: valid Create payloads and payloads that
break exactly one column (its type, length, range, enum, nullability, presence or a CHECK) are
judged by the generated DTOs under Node (class-validator's `validate`, zod's `safeParse`) and by
a real database migrated from the project's migrations (an INSERT, parents created first, rolled
back). The verdicts must agree on every payload. The database's refusals a DTO cannot know
(uniqueness, foreign keys, and a CHECK over several columns, which the DTO file names in its
comment as the database's to check) are named and left out of the count; so are payloads SQLite
cannot judge (it keeps no types or lengths: a DTO refusing `"abc"` for an INTEGER column is
right, and SQLite stores it anyway). MariaDB rounds `1.5` into an integer column, which the DTO (and
the ORM) refuses: that payload is not made for it; and MySQL fills a NOT NULL ENUM left out of
an INSERT with its first value, where the DTO (like Prisma Client) requires it: named, left out.
The counts are printed (`-s`).
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest
from schemasense.server.verify.apply import apply_mysql
from schemasense.server.verify.databases import (
    Unavailable,
    connect,
    mysql_server,
)

from tests.codegen.dto.harness import NODE_MODULES, REPO, TSC, Generated, generate, node_available
from tests.conftest import CORPUS, corpus_available

from .database import Database
from .payloads import Payload, payloads

pytestmark = pytest.mark.oracle

JUDGE = Path(__file__).with_name("judge.cjs")
SQLITE_UNJUDGED = {"type", "length", "range", "enum"}
"""What SQLite does not keep: any value goes in any column (no STRICT tables here)."""


@dataclass(frozen=True)
class Project:
    id: str
    path: str
    dialect: str
    """`postgresql`, `mysql`, `sqlite`; empty: the one the ORM's configuration names."""
    migrations: str | None = None
    """The migrations folder (Prisma's), relative to the project; None: built from the models."""
    corpus: bool = True

    @property
    def where(self) -> Path:
        return (CORPUS if self.corpus else REPO / "samples") / self.path


PROJECTS = [
    Project("calcom", "calcom/packages/prisma/schema.prisma", "postgresql", "migrations"),
    Project("umami", "umami/db/postgresql/schema.prisma", "postgresql", "migrations"),
    Project("umami-mysql", "umami/db/mysql/schema.prisma", "mysql", "migrations"),
    Project("dub", "dub/apps/web/prisma/schema", "mysql"),
    Project("pingvin-share", "pingvin-share/backend/prisma/schema.prisma", "sqlite", "migrations"),
    Project("epic-stack", "epic-stack/prisma/schema.prisma", "sqlite", "migrations"),
    Project("medusa-v1", "typeorm/medusa-v1/packages/medusa/src/loaders/database.ts", ""),
    Project("jellyseerr", "typeorm/jellyseerr/server/datasource.ts", ""),
    Project("flowise", "typeorm/flowise/packages/server/src/DataSource.ts", ""),
    Project("awesome-nest", "typeorm/awesome-nest-boilerplate/ormconfig.ts", ""),
    Project(
        "express-typescript",
        "typeorm/express-typescript-boilerplate/src/loaders/typeormLoader.ts",
        "",
    ),
    Project("gladys", "sequelize/gladys/server/config/config.js", ""),
    Project("grouparoo", "sequelize/grouparoo/core", ""),
    Project("opencollective", "sequelize/opencollective-api/server/lib/sequelize.ts", ""),
    Project("prisma-blog", "prisma-blog/prisma/schema.prisma", "postgresql", corpus=False),
    Project("prisma-clean", "prisma-clean/prisma/schema", "postgresql", corpus=False),
    Project("typeorm-nest", "typeorm-nest/src/data-source.ts", "postgresql", corpus=False),
    Project("sequelize-js", "sequelize-js", "postgresql", corpus=False),
    Project("typeorm-sqlite", "typeorm-sqlite/src/data-source.ts", "sqlite", corpus=False),
]


@pytest.fixture(scope="module")
def mysql():
    try:
        server = mysql_server()
    except Unavailable as exc:
        pytest.skip(str(exc))
    yield server
    server.close()


def _data_only(statement: str, error: Exception) -> bool:
    """A data statement of a migration the server cannot run (umami's `BIN_TO_UUID` UPDATE on
    MariaDB): the tables are empty, so the schema is what matters."""
    return statement.lstrip().upper().startswith(("UPDATE", "INSERT", "DELETE"))


def _statements(project: Project, g: Generated) -> list[str]:
    """The SQL that builds the project's database (see database.py)."""
    if project.migrations:
        folder = project.where.parent / project.migrations
        files = sorted(folder.glob("*/migration.sql"))
        assert files, f"no migrations in {folder}"
        return [f.read_text(encoding="utf-8") for f in files]
    from schemasense.server.workspace.workspace import Workspace

    workspace = Workspace([g.root])
    unit = next(u for u in workspace.units() if u.key == g.key)
    read = workspace.analyze(unit).read
    if unit.kind == "prisma":
        from schemasense.codegen.orms.prisma.create_sql import create_statements

        return [s.sql for s in create_statements(read.schema)]
    if unit.kind == "typeorm":
        from schemasense.codegen.orms.typeorm.create_sql import create_statements

        extension = (
            ['CREATE EXTENSION IF NOT EXISTS "uuid-ossp"'] if read.family == "postgres" else []
        )
        return extension + list(create_statements(read.family, read.tables))  # as sync does
    return [s for _, s in read.sql]


def _build_postgres(conn, scripts: list[str], per_statement: bool) -> list[str]:
    refused = []
    for sql in scripts:
        try:
            with conn.transaction():
                conn.execute(sql)
        except Exception as exc:
            if not per_statement:
                raise
            refused.append(f"{sql.strip()[:80]}: {str(exc).splitlines()[0]}")
    return refused


def _judge(g: Generated, all_payloads: list[Payload], tmp: Path) -> dict[int, dict]:
    """Compile the DTO files to CommonJS and run the judge over every payload."""
    src = tmp / "src"
    for rel, text in g.files.items():
        (src / rel).parent.mkdir(parents=True, exist_ok=True)
        (src / rel).write_text(text)
    (tmp / "tsconfig.json").write_text(
        json.dumps(
            {
                "compilerOptions": {
                    "target": "ES2022",
                    "module": "nodenext",
                    "moduleResolution": "nodenext",
                    "strict": True,
                    "experimentalDecorators": True,
                    "emitDecoratorMetadata": True,
                    "skipLibCheck": True,
                    "outDir": "dist",
                    "rootDir": "src",
                    "types": [],
                },
                "include": ["src"],
            }
        )
    )
    (tmp / "package.json").write_text('{"private": true}')  # no "type": CommonJS output
    modules = tmp / "node_modules"
    modules.mkdir(exist_ok=True)
    for name in ("class-validator", "class-transformer", "zod", "reflect-metadata"):
        if not (modules / name).exists():
            (modules / name).symlink_to(NODE_MODULES / name, target_is_directory=True)
    swagger = modules / "@nestjs" / "swagger"
    if not swagger.exists():  # not installed here: no-op decorators stand in at run time
        swagger.mkdir(parents=True)
        (swagger / "package.json").write_text('{"name": "@nestjs/swagger", "main": "index.js"}')
        (swagger / "index.js").write_text(
            "const none = () => () => {};\n"
            "module.exports = { ApiProperty: none, ApiPropertyOptional: none };\n"
        )
    shim = tmp / "src" / "swagger-shim.d.ts"
    from tests.codegen.dto.harness import SWAGGER_SHIM

    shim.write_text(SWAGGER_SHIM)
    built = subprocess.run(
        [str(TSC), "-p", str(tmp / "tsconfig.json")], capture_output=True, text=True, timeout=600
    )
    assert built.returncode == 0, built.stdout[-3000:]
    files = {}
    for model in g.models:
        cv = next(r for r in g.files if r.endswith(".dto.ts") and _stem_matches(r, g, model.name))
        zod = next(
            r for r in g.files if r.endswith(".schema.ts") and _stem_matches(r, g, model.name)
        )
        files[model.name] = {"cv": _js(cv), "zod": _js(zod)}
    job = tmp / "payloads.json"
    job.write_text(
        json.dumps(
            {
                "files": files,
                "payloads": [
                    {"id": p.id, "model": p.model, "values": p.values} for p in all_payloads
                ],
            }
        )
    )
    run = subprocess.run(
        ["node", str(JUDGE), str(tmp / "dist"), str(job)],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=tmp,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    return {v["id"]: v for v in json.loads(run.stdout)}


def _stem_matches(rel: str, g: Generated, model: str) -> bool:
    from schemasense.codegen.emit.style import split_words

    stem = Path(rel).name.split(".")[0]
    return stem.replace("-", "").replace("_", "").lower() == "".join(split_words(model)).lower()


def _js(rel: str) -> str:
    return str(Path(rel).with_suffix(".js"))


@pytest.mark.parametrize("project", PROJECTS, ids=[p.id for p in PROJECTS])
def test_dto_agrees_with_the_database(project: Project, tmp_path: Path, request) -> None:
    reason = node_available() or (corpus_available() if project.corpus else None)
    if reason:
        pytest.skip(reason)
    path = str(project.where)
    key = None
    if project.where.is_dir():
        from schemasense.server.workspace.workspace import Workspace

        keys = [u.key for u in Workspace([path]).units() if u.key.startswith(path)]
        key = keys[0]
    g = generate(path, project.id, key)
    scripts = _statements(project, g)
    dialect = project.dialect or {"mysql": "mysql", "sqlite": "sqlite"}.get(
        g.schema.provider or "", "postgresql"
    )
    if dialect == "postgresql":
        server = request.getfixturevalue("postgres")
        with server.scratch(prefix="dto_oracle") as url:
            conn = connect(url, autocommit=True)
            try:
                refused = _build_postgres(conn, scripts, per_statement=not project.migrations)
                _prove(project, dialect, g, conn, tmp_path, refused)
            finally:
                conn.close()
    elif dialect == "mysql":
        server = request.getfixturevalue("mysql")
        with server.scratch(prefix="dto_oracle") as url:
            conn = connect(url, autocommit=True)
            try:
                for sql in scripts:
                    apply_mysql(conn, sql, skip=_data_only)
                _prove(project, dialect, g, conn, tmp_path, [])
            finally:
                conn.close()
    else:
        conn = sqlite3.connect(tmp_path / "db.sqlite", isolation_level=None)
        try:
            conn.execute("PRAGMA foreign_keys = ON")
            for sql in scripts:
                conn.executescript(sql)
            conn.execute("PRAGMA foreign_keys = ON")
            conn.execute("BEGIN")
            _prove(project, dialect, g, conn, tmp_path, [])
            conn.execute("ROLLBACK")
        finally:
            conn.close()


def _prove(
    project: Project, dialect: str, g: Generated, conn, tmp: Path, refused: list[str]
) -> None:
    db = Database(conn, dialect, g.schema, list(g.models))
    every: list[Payload] = []
    skipped: list[str] = [f"not built: {r}" for r in refused]
    n = 1
    for model in g.models:
        table = g.schema.table(model.table)
        assert table is not None
        made, why = payloads(model, n, dialect)
        n += len(made) + 1
        skipped += why
        if not made:
            continue
        if not db.has_table(table):
            skipped.append(f"{model.name}: its table was not built ({table.name})")
            continue
        parents = db.parents(table)
        fk_columns = {c for fk in table.foreign_keys for c in fk.columns}
        missing = fk_columns - set(parents.values)
        if any(f.column in missing and f.presence == "required" for f in model.create_fields):
            skipped.append(f"{model.name}: no parent rows ({'; '.join(parents.problems)})")
            continue
        for p in made:
            for f in model.create_fields:
                if f.column not in fk_columns or f.property not in p.values:
                    continue
                if p.column == f.column or p.values[f.property] is None:
                    continue
                p.values[f.property] = parents.values.get(f.column)
        every += made
    verdicts = _judge(g, every, tmp)
    by_model = {m.name: m for m in g.models}
    counts: Counter[str] = Counter()
    disagreements: list[str] = []
    excused: Counter[str] = Counter()
    kinds: Counter[str] = Counter()
    for p in every:
        model = by_model[p.model]
        table = g.schema.table(model.table)
        row = {
            f.column: p.values[f.property] for f in model.create_fields if f.property in p.values
        }
        row.update(db.orm_filled(model, row))
        verdict = db.try_insert(table, row)
        if verdict.excused:
            excused[verdict.excused] += 1
            continue
        if verdict.code == "23514" and db.check_definition(verdict.constraint) in model.unsaid:
            excused["a CHECK the DTO names as the database's"] += 1
            continue
        broken = next((f for f in model.create_fields if f.column == p.column), None)
        if (
            dialect == "mysql"
            and p.kind == "missing"
            and broken is not None
            and broken.base == "enum"
            and verdict.ok
        ):
            excused["MySQL fills a NOT NULL ENUM left out with its first value"] += 1
            continue
        if dialect == "sqlite" and p.kind in SQLITE_UNJUDGED:
            excused["SQLite keeps no types"] += 1
            continue
        dto = verdicts[p.id]
        counts["payloads"] += 1
        kinds[p.kind or "valid"] += 1
        for style in ("cv", "zod"):
            if dto[style] == verdict.ok:
                counts[f"agree_{style}"] += 1
            else:
                errors = dto["cvErrors" if style == "cv" else "zodErrors"]
                disagreements.append(
                    f"{p.model} [{p.broken or 'valid'}] {style}: dto "
                    f"{'accepts' if dto[style] else 'refuses'} {errors}, database "
                    f"{'accepts' if verdict.ok else 'refuses: ' + verdict.message} "
                    f"{json.dumps(p.values, default=str)[:300]}"
                )
    print(
        f"\n[dto-oracle] {project.id} ({dialect}): {len(g.models)} models, "
        f"{counts['payloads']} payloads judged; class-validator agrees on {counts['agree_cv']}, "
        f"zod on {counts['agree_zod']}; left out: {dict(excused)}; skipped: {len(skipped)}"
        f"\n  by kind: {dict(sorted(kinds.items()))}"
    )
    for s in skipped[:20]:
        print(f"  skipped: {s}")
    if not counts["payloads"]:
        pytest.skip(f"no model of {project.id} could be judged: {'; '.join(skipped[:3])}")
    assert not disagreements, f"{len(disagreements)} disagreement(s):\n" + "\n".join(
        disagreements[:40]
    )

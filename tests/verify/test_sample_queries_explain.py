"""Issue 16, item 4, for the queries read from the samples: the same chain as
test_query_chain_explain.py, over each PostgreSQL sample's own data-access file.

samples/typeorm-nest/src/posts/posts.service.ts (repositories), samples/prisma-clean/services/
tasks.ts (Prisma Client) and samples/sequelize-js/services/posts.js (the models) are
read as `schemasense queries` reads the sample, each query judged, and each query assigned to
the method or function it is written in. A small runner per sample
(tests/fixtures/queries/chain/samples/<sample>/chain_cases.*) calls each of those once; the
sample's ORM builds its own tables on a scratch PostgreSQL (TypeORM `synchronize()`, Sequelize
`sync()`, Prisma its migration SQL), `data.sql` fills them, and every statement the ORM sends
is EXPLAINed (`run_cases.cjs`) and held to the judgement as the fixtures' are. The TypeScript
samples are compiled with `tsc --strict` (the sample's own options), the runner with them.
Agreement per sample is printed (`-s`); each disagreement is listed in `DIFFERENCES` with why.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from schemasense.codegen.queries.serve import judge
from schemasense.server.queries.read import read_project_queries
from schemasense.server.verify.databases import connect
from schemasense.server.workspace.workspace import Workspace

from tests.verify.test_query_chain_explain import (
    CHAIN,
    NODE_MODULES,
    Judged,
    _compare,
    _missing,
    _node_run,
)

pytestmark = pytest.mark.oracle

REPO = Path(__file__).resolve().parents[2]
SAMPLES = REPO / "samples"
FIXTURES = CHAIN / "samples"
SAMPLE_FILES = {
    "typeorm-nest": ("typeorm", "src/posts/posts.service.ts"),
    "prisma-clean": ("prisma", "services/tasks.ts"),
    "sequelize-js": ("sequelize", "services/posts.js"),
}
METHOD = re.compile(
    r"^[ \t]*(?:async\s+)?(?:function\s+)?(?!if\b|for\b|while\b|switch\b|return\b)(\w+)\("
    r"[^\n]*\{[ \t]*$",
    re.MULTILINE,
)
"""A method or function's first line: `  findBySlug(slug: string): Promise<...> {`."""

DIFFERENCES: dict[str, str] = {}
"""sample:method -> why PostgreSQL's plan and our judgement differ (checked to still differ)."""


def _judged(sample: str) -> dict[str, Judged]:
    """The sample's queries as `schemasense queries` reads them, keyed by method."""
    root = SAMPLES / sample
    path = root / SAMPLE_FILES[sample][1]
    found = read_project_queries(Workspace([str(root)], incremental=False), str(root))
    assert found.units, f"no schema unit read in {root}"
    starts = [(m.start(), m.group(1)) for m in METHOD.finditer(path.read_text())]
    out: dict[str, Judged] = {}
    for item in found.queries:
        if Path(item.file).resolve() != path.resolve():
            continue
        start = item.query.span.start if item.query.span else -1
        method = next((name for at, name in reversed(starts) if at <= start), None)
        assert method is not None, (item.query.label, start)
        table = item.unit.schema.table(item.query.table)
        assert table is not None, (method, item.query.table)
        assert item.query.operation != "raw" and not item.query.unknown, (method, item.query)
        verdict = judge(item.query, table, item.unit.dialect)
        verdicts, uses = out.setdefault(method, Judged({})).tables.setdefault(
            item.query.table, ([], set())
        )
        verdicts.append(verdict.verdict)
        uses.update(u.index for u in verdict.uses)
    return out


def _tsc(root: Path, files: list[Path], out: Path, options: dict) -> None:
    config = {
        "compilerOptions": {
            "target": "es2022",
            "module": "commonjs",
            "strict": True,
            "skipLibCheck": True,
            "outDir": str(out),
            "rootDir": str(root),
            **options,
        },
        "files": [str(p) for p in files],
    }
    (root / "tsconfig.chain.json").write_text(json.dumps(config, indent=1))
    proc = subprocess.run(
        [str(NODE_MODULES / ".bin" / "tsc"), "-p", str(root / "tsconfig.chain.json")],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, f"tsc --strict failed:\n{proc.stdout}{proc.stderr}"


def _project(sample: str, tmp: Path) -> Path:
    """The sample copied to `tmp` with its runner; compiled where it is TypeScript. Returns the
    runner module `run_cases.cjs` loads."""
    fixture = FIXTURES / sample
    if sample == "typeorm-nest":
        from tests.oracle.typeorm.harness import compile_sample

        dest = tmp / sample
        shutil.copytree(SAMPLES / sample, dest, ignore=shutil.ignore_patterns("node_modules"))
        shutil.copy(fixture / "chain_cases.ts", dest / "src" / "chain_cases.ts")
        # strict, with the sample's own tsconfig (app.module.ts left out: no Nest packages here)
        return compile_sample(dest, tmp / "build") / "chain_cases.js"
    if sample == "prisma-clean":
        from tests.oracle.generated_tests.harness import prepare_prisma

        dest = prepare_prisma(SAMPLES / sample, tmp / sample)
        shutil.copy(fixture / "chain_cases.ts", dest / "chain_cases.ts")
        files = [dest / "chain_cases.ts", *sorted((dest / "services").rglob("*.ts"))]
        _tsc(dest, files, dest / "dist", {"esModuleInterop": True, "types": []})
        return dest / "dist" / "chain_cases.js"
    dest = tmp / sample
    shutil.copytree(SAMPLES / sample, dest, ignore=shutil.ignore_patterns("node_modules", "test"))
    shutil.copy(fixture / "chain_cases.cjs", dest / "chain_cases.cjs")
    return dest / "chain_cases.cjs"


def _build(sample: str, orm: str, runner: Path, url: str, tmp: Path) -> None:
    if orm == "prisma":
        from tests.codegen.prisma_wasm import migration_sql

        prisma = runner.parents[1] / "prisma"
        schema = "\n".join(p.read_text() for p in sorted(prisma.rglob("*.prisma")))
        with connect(url, autocommit=True) as conn, conn.cursor() as cur:
            cur.execute(migration_sql(schema, "postgresql"))
    else:
        _node_run("build", runner, orm, url, tmp / f"{sample}-build.json")
    with connect(url, autocommit=True) as conn, conn.cursor() as cur:
        cur.execute((FIXTURES / sample / "data.sql").read_text())


@pytest.mark.parametrize("sample", sorted(SAMPLE_FILES))
def test_sample_queries_agree_with_explain(sample: str, postgres_server, tmp_path: Path) -> None:
    orm = SAMPLE_FILES[sample][0]
    if (reason := _missing(orm)) is not None:
        pytest.skip(reason)
    judged = _judged(sample)
    assert 5 <= len(judged) <= 10, sorted(judged)
    runner = _project(sample, tmp_path)
    with postgres_server.scratch(f"ss_sample_{orm}") as url:
        _build(sample, orm, runner, url, tmp_path)
        with connect(url, autocommit=True) as conn, conn.cursor() as cur:
            cur.execute("SELECT indexname, tablename FROM pg_indexes WHERE schemaname='public'")
            tables = dict(cur.fetchall())
        out = tmp_path / f"{sample}-run.json"
        _node_run("run", runner, orm, url, out)
    outcome = _compare(orm, json.loads(out.read_text()), judged, tables)
    print(
        f"\n[samples] {sample}: {outcome.agree}/{outcome.cases} methods agree with EXPLAIN; "
        f"judgements per table: {dict(sorted(outcome.verdicts.items()))}"
    )
    for case, problems in sorted(outcome.differ.items()):
        print(f"[samples] {sample} {case}: " + "; ".join(problems))
        for text in outcome.sent[case]:
            print(f"    {text}")
    differ = {f"{sample}:{case}" for case in outcome.differ}
    unexplained = {c: outcome.differ[c.split(":", 1)[1]] for c in differ - set(DIFFERENCES)}
    assert not unexplained, json.dumps(unexplained, indent=1)
    stale = {c for c in DIFFERENCES if c.startswith(f"{sample}:")} - differ
    assert not stale, f"listed as differing but agree now: {sorted(stale)}"
    # each sample shows both sides: queries an index serves, and one DB401 would flag
    assert outcome.verdicts["served"] >= 2 and outcome.verdicts["not_served"] >= 1

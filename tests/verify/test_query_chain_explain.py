"""Issue 16, item 4, as one chain: queries read from TypeScript, judged, and held to the plan
PostgreSQL makes for the SQL the ORM itself sends.

For each ORM a fixture project (`tests/fixtures/queries/chain/{prisma,typeorm,sequelize}`: one
physical schema of users, posts and comments with the same index names in each) holds a file of
cases, each one query (Prisma Client; TypeORM find options and QueryBuilder; Sequelize), over
every operator the readers know. The chain, per ORM:
1. `read_project_queries` reads the fixture as `schemasense queries` does (the ORM's schema unit
   and its query reader), and `judge` says which indexes serve each query (`uses`);
2. the ORM builds its own tables on a scratch PostgreSQL database (TypeORM `synchronize()`,
   Sequelize `sync()`, Prisma its schema engine's migration SQL), `data.sql` fills them (50,000
   users, 100,000 posts and comments, skewed so that a selective filter makes an index cheap)
   and ANALYZEs;
3. the ORM runs each case (Prisma Client 7 on `@prisma/adapter-pg`, the client generated offline;
   TypeORM 1.x and Sequelize 6 on `pg`), and every statement it sends is captured at the `pg`
   driver and EXPLAINed with its own parameters (no `enable_seqscan = off`): `run_cases.cjs`;
   each EXPLAINed statement is checked to be in the ORM's own query log (Prisma's `query`
   events, TypeORM's logger, Sequelize's `logging`).
Soft delete: the TypeORM fixture's users have a `@DeleteDateColumn` and the Sequelize fixture's
are `paranoid`, both with a partial index `users_name_live_idx ON users (name) WHERE deleted_at
IS NULL` (the Prisma fixture has none: Prisma writes no partial index); cases t55-t59 and
s51-s52 hold the `IS NULL` the ORM adds (served by that index) against `withDeleted` /
`paranoid: false` (not served), and a relation joined with the target's `IS NULL`.
Per case and table: where we say an index serves the query (served, partly, a sort served
under a limit), the plans use an index of that table and only ones we list; where we say none
does, the plans use no index of that table. Each disagreement is listed in `DIFFERENCES` with
its reason, and the listed ones are checked to still differ. The agreement per ORM is printed
(`-s`). The samples' own data-access files (samples/*/…/posts.service.ts, tasks.ts, posts.js)
go through the same chain in test_sample_queries_explain.py.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from schemasense.codegen.queries.serve import judge
from schemasense.server.queries.read import read_project_queries
from schemasense.server.verify.databases import connect
from schemasense.server.workspace.workspace import Workspace

pytestmark = pytest.mark.oracle

REPO = Path(__file__).resolve().parents[2]
CHAIN = REPO / "tests" / "fixtures" / "queries" / "chain"
NODE_MODULES = REPO / "node_modules"
ORMS = ("prisma", "typeorm", "sequelize")
NEEDS = {
    "prisma": ("prisma", "@prisma/client", "@prisma/adapter-pg", "pg", "typescript"),
    "typeorm": ("typeorm", "pg", "reflect-metadata", "typescript"),
    "sequelize": ("sequelize", "pg", "typescript"),
}
CASE_KEY = re.compile(r"^  ([pts]\d+): ", re.MULTILINE)

DIFFERENCES: dict[str, str] = {}
"""Case -> why PostgreSQL's plan and our judgement differ (each is checked to still differ)."""


def _node() -> str | None:
    return os.environ.get("SCHEMASENSE_NODE") or shutil.which("node")


def _missing(orm: str) -> str | None:
    if _node() is None:
        return "node is not on PATH"
    missing = [p for p in NEEDS[orm] if not (NODE_MODULES / p / "package.json").is_file()]
    if missing:
        return f"npm packages missing ({', '.join(missing)}): run `npm ci` at the repository root"
    return None


@dataclass
class Judged:
    """What we say of one case: table -> (verdicts, index names that serve it)."""

    tables: dict[str, tuple[list[str], set[str]]]


def _judged(orm: str) -> dict[str, Judged]:
    """Each case's queries, read from the fixture and judged (step 1)."""
    root = CHAIN / orm
    workspace = Workspace([str(root)], incremental=False)
    found = read_project_queries(workspace, str(root))
    assert found.units, f"no schema unit read in {root}"
    out: dict[str, Judged] = {}
    keys: dict[str, list[tuple[int, str]]] = {}
    for item in found.queries:
        if item.file not in keys:
            text = Path(item.file).read_text()
            keys[item.file] = [(m.start(), m.group(1)) for m in CASE_KEY.finditer(text)]
        start = item.query.span.start if item.query.span else -1
        case = next((k for at, k in reversed(keys[item.file]) if at <= start), None)
        if case is None:
            continue
        table = item.unit.schema.table(item.query.table)
        assert table is not None, (case, item.query.table)
        assert item.query.operation != "raw", (case, item.query.sql)
        verdict = judge(item.query, table, item.unit.dialect)
        verdicts, uses = out.setdefault(case, Judged({})).tables.setdefault(
            item.query.table, ([], set())
        )
        verdicts.append(verdict.verdict)
        uses.update(u.index for u in verdict.uses)
    return out


def _project(orm: str, tmp: Path) -> Path:
    """The fixture copied to `tmp`, with a node_modules of links (Prisma: its own client,
    generated offline), compiled by `tsc` (emit only); the compiled queries module."""
    from tests.oracle.generated_tests.harness import link_node_modules

    dest = tmp / orm
    shutil.copytree(CHAIN / orm, dest)
    link_node_modules(dest, private=("@prisma/client",) if orm == "prisma" else ())
    if orm == "prisma":
        proc = subprocess.run(
            [
                str(dest / "node_modules" / ".bin" / "prisma"),
                "generate",
                "--schema",
                "prisma/schema.prisma",
            ],
            cwd=dest,
            capture_output=True,
            text=True,
            timeout=300,
            env={
                **os.environ,
                "PRISMA_SCHEMA_ENGINE_BINARY": "/bin/true",
                "CHECKPOINT_DISABLE": "1",
            },
        )
        assert proc.returncode == 0, f"prisma generate failed:\n{proc.stdout}{proc.stderr}"
    config = {
        "compilerOptions": {
            "outDir": str(dest / "dist"),
            "rootDir": str(dest),
            "module": "commonjs",
            "target": "es2022",
            "experimentalDecorators": True,
            "emitDecoratorMetadata": True,
            "noCheck": True,
            "skipLibCheck": True,
            "esModuleInterop": True,
            "types": [],
        },
        "files": [str(p) for p in sorted(dest.rglob("*.ts")) if "node_modules" not in p.parts],
    }
    (dest / "tsconfig.json").write_text(json.dumps(config, indent=1))
    proc = subprocess.run(
        [str(NODE_MODULES / ".bin" / "tsc"), "-p", str(dest / "tsconfig.json")],
        capture_output=True,
        text=True,
        timeout=300,
    )
    compiled = next((dest / "dist").rglob("queries.js"), None)
    assert compiled is not None, f"tsc emitted no queries.js:\n{proc.stdout}{proc.stderr}"
    return compiled


def _node_run(mode: str, compiled: Path, orm: str, url: str, out: Path) -> None:
    proc = subprocess.run(
        [_node(), str(CHAIN / "run_cases.cjs"), mode, str(compiled), orm, str(out)],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=compiled.parent,
        env={**os.environ, "DATABASE_URL": url, "NODE_PATH": str(NODE_MODULES)},
    )
    assert proc.returncode == 0, f"run_cases.cjs {mode} {orm} failed:\n{proc.stderr[-3000:]}"


def _build(orm: str, compiled: Path, url: str, tmp: Path) -> None:
    """The ORM's own tables (step 2), then the rows and fresh statistics."""
    if orm == "prisma":
        from tests.codegen.prisma_wasm import migration_sql

        schema = (CHAIN / "prisma" / "prisma" / "schema.prisma").read_text()
        ddl = migration_sql(schema, "postgresql")
        with connect(url, autocommit=True) as conn, conn.cursor() as cur:
            cur.execute(ddl)
    else:
        _node_run("build", compiled, orm, url, tmp / f"{orm}-build.json")
    with connect(url, autocommit=True) as conn, conn.cursor() as cur:
        cur.execute((CHAIN / "data.sql").read_text())


def _plan_indexes(plan: dict[str, Any], tables: dict[str, str]) -> dict[str, set[str]]:
    used: dict[str, set[str]] = {}

    def walk(node: dict[str, Any]) -> None:
        # an index scan, or the unique index an INSERT ... ON CONFLICT (Prisma's upsert) probes
        for name in [node.get("Index Name"), *node.get("Conflict Arbiter Indexes", [])]:
            if name:
                used.setdefault(tables.get(name, "?"), set()).add(name)
        for child in node.get("Plans", []):
            walk(child)

    walk(plan["Plan"])
    return used


@dataclass
class Outcome:
    orm: str
    cases: int
    agree: int
    differ: dict[str, list[str]]
    verdicts: Counter
    sent: dict[str, list[str]]
    """The statements of each differing case, for the message."""


def _chain(orm: str, postgres_server, tmp: Path) -> Outcome:
    if (reason := _missing(orm)) is not None:
        pytest.skip(reason)
    judged = _judged(orm)
    compiled = _project(orm, tmp)
    with postgres_server.scratch(f"ss_chain_{orm}") as url:
        _build(orm, compiled, url, tmp)
        with connect(url, autocommit=True) as conn, conn.cursor() as cur:
            cur.execute("SELECT indexname, tablename FROM pg_indexes WHERE schemaname='public'")
            tables = dict(cur.fetchall())
        out = tmp / f"{orm}-run.json"
        _node_run("run", compiled, orm, url, out)
    return _compare(orm, json.loads(out.read_text()), judged, tables)


def _compare(
    orm: str, ran: dict[str, Any], judged: dict[str, Judged], tables: dict[str, str]
) -> Outcome:
    """Each case run (`run_cases.cjs run`) held to its judgement: per table, the indexes the
    plans use against the ones we say serve it."""
    assert set(ran) == set(judged), (
        f"cases run but not read: {sorted(set(ran) - set(judged))}; "
        f"read but not run: {sorted(set(judged) - set(ran))}"
    )
    differ: dict[str, list[str]] = {}
    sent: dict[str, list[str]] = {}
    verdicts: Counter = Counter()
    for case, result in ran.items():
        assert result["error"] is None, (case, result["error"])
        plans = [s for s in result["statements"] if "plan" in s]
        broken = [s for s in result["statements"] if "explain_error" in s]
        assert plans and not broken, (case, result["statements"])
        # what we EXPLAIN is what the ORM itself logs it sends
        logged = [" ".join(text.split()) for text in result["log"]]
        for statement in plans:
            text = " ".join(statement["text"].split())
            assert any(text in line for line in logged), (case, text, logged)
        used: dict[str, set[str]] = {}
        for statement in plans:
            for table, names in _plan_indexes(statement["plan"], tables).items():
                used.setdefault(table, set()).update(names)
        problems = []
        ours = judged[case].tables
        for table, (verdict, uses) in ours.items():
            verdicts.update(verdict)
            got = used.get(table, set())
            if uses and not (got and got <= uses):
                problems.append(
                    f"{table}: judged {verdict} by {sorted(uses)}, plans use {sorted(got)}"
                )
            if not uses and got:
                problems.append(f"{table}: judged {verdict} (no index), plans use {sorted(got)}")
        for table in set(used) - set(ours):
            problems.append(f"{table}: no query read, plans use {sorted(used[table])}")
        if problems:
            differ[case] = problems
            sent[case] = [" ".join(st["text"].split())[:300] for st in plans]
    return Outcome(orm, len(ran), len(ran) - len(differ), differ, verdicts, sent)


@pytest.fixture(scope="module")
def outcomes() -> dict[str, Outcome]:
    return {}


@pytest.mark.parametrize("orm", ORMS)
def test_chain_agrees_with_explain(orm: str, postgres_server, tmp_path: Path) -> None:
    outcome = _chain(orm, postgres_server, tmp_path)
    print(
        f"\n[chain] {orm}: {outcome.agree}/{outcome.cases} cases agree with EXPLAIN; "
        f"judgements per table: {dict(sorted(outcome.verdicts.items()))}"
    )
    for case, problems in sorted(outcome.differ.items()):
        print(f"[chain] {orm} {case}: " + "; ".join(problems))
        for text in outcome.sent[case]:
            print(f"    {text}")
    unexplained = {c: p for c, p in outcome.differ.items() if c not in DIFFERENCES}
    assert not unexplained, json.dumps(unexplained, indent=1)
    mine = {c for c in DIFFERENCES if c[0] == orm[0]}
    stale = mine - set(outcome.differ)
    assert not stale, f"listed as differing but agree now: {sorted(stale)}"
    assert outcome.verdicts["served"] >= 10 and outcome.verdicts["not_served"] >= 10


def test_fixture_set_is_large_enough() -> None:
    counts = {}
    for orm in ORMS:
        text = next((CHAIN / orm).rglob("queries.ts")).read_text()
        counts[orm] = len(CASE_KEY.findall(text))
    assert all(n >= 40 for n in counts.values()), counts
    assert sum(counts.values()) >= 100, counts

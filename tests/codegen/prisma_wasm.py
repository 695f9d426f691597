"""Run Prisma's wasm (validator and schema engine) from the codegen tests; skip where absent.

One Node process per batch runs `prisma_wasm.mjs` beside this file. Tests call
`require_oracle()` first: it skips, with the reason, when `node` or the npm packages are missing.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
SCRIPT = Path(__file__).with_name("prisma_wasm.mjs")
PACKAGES = ("@prisma/prisma-schema-wasm", "@prisma/schema-engine-wasm")

ENGINE_ADAPTER = {"postgresql": "postgres", "cockroachdb": "postgres", "sqlite": "sqlite"}
"""Providers whose migration SQL the schema engine gives offline, and the stub adapter each
needs (CockroachDB goes through the PostgreSQL driver adapter, as in Prisma)."""


def _node() -> str | None:
    """`$SCHEMASENSE_NODE` (as tests/conftest.py honours it), else `node` on PATH."""
    return os.environ.get("SCHEMASENSE_NODE") or shutil.which("node")


def oracle_missing() -> str | None:
    """None when node and the wasm packages are here, else why not."""
    if _node() is None:
        return "node is not on PATH (set SCHEMASENSE_NODE to a node binary)"
    for package in PACKAGES:
        if not (REPO_ROOT / "node_modules" / package).exists():
            return f"node_modules/{package} is missing (run `npm install` at the repo root)"
    return None


def require_oracle() -> None:
    if (reason := oracle_missing()) is not None:
        pytest.skip(reason)


def run(requests: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Answer a batch of requests (see prisma_wasm.mjs for their shapes)."""
    node = _node()
    assert node is not None
    proc = subprocess.run(
        [node, str(SCRIPT), str(REPO_ROOT)],
        input=json.dumps(requests),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    if proc.returncode != 0:
        raise RuntimeError(f"prisma_wasm.mjs failed: {proc.stderr[-2000:]}")
    return json.loads(proc.stdout)


def datasource(provider: str, extra: str = "") -> str:
    return f'datasource db {{\n  provider = "{provider}"\n{extra}}}\n\n'


@dataclass(frozen=True)
class Verdict:
    ok: bool
    error: str = ""


def validate_all(schemas: list[str]) -> list[Verdict]:
    answers = run([{"op": "validate", "schema": s} for s in schemas])
    return [Verdict(a["ok"], a.get("error", "")) for a in answers]


def migration_sql(schema: str, provider: str, from_schema: str | None = None) -> str:
    """Prisma's migration script to `schema`: from an empty database, or from `from_schema`
    (`migrate diff --from-schema-datamodel`)."""
    [sql] = migrations_sql([(from_schema, schema)], provider)
    return sql


def migrations_sql(pairs: list[tuple[str | None, str]], provider: str) -> list[str]:
    """Prisma's script for each (from schema or None for empty, to schema), in one Node run."""
    adapter = ENGINE_ADAPTER[provider]
    requests = [
        {"op": "diff", "schema": to, "adapter": adapter, **({"from": fr} if fr else {})}
        for fr, to in pairs
    ]
    out = []
    for answer in run(requests):
        if not answer["ok"]:
            raise AssertionError(f"schema engine refused the schema: {answer['error'][:2000]}")
        out.append(answer["sql"])
    return out
